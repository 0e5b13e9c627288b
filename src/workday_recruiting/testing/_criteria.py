"""What a Get asks for: resolving ``Request_References`` and criteria references, and listing the instances
that match ``Request_Criteria``, in the one stable order every page of a request uses.

Every ``wd:ID`` of a reference must name an existing instance of a valid ID type, else Workday's ``Invalid ID
value`` validation fault. The ``matching_*`` functions yield the listing keys (Candidate_ID, Job_Requisition_ID,
interview WID, Job_Posting_ID) of the matching instances as of an entry moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Final

from lxml import etree

from .._ns import WD, wd
from .._schema import element_xpath
from ._dataset import Dataset
from ._protocol import ValidationError, parse_boolean, parse_date, parse_datetime, validation_fault
from ._records import ApplicationRecord, CandidateRecord, JobPostingRecord, Ref, RequisitionRecord

__all__ = [
    "invalid_id",
    "matching_candidates",
    "matching_interviews",
    "matching_postings",
    "matching_requisitions",
    "referenced",
    "resolve_or_fault",
    "updated_windows",
]

_INTERNAL_SITES: Final = frozenset({"Internal_Career_Site"})


def invalid_id(value: str, id_type: str, element: etree._Element) -> ValidationError:
    """Workday's ``Invalid ID value`` error (two spaces after the first full stop, as Workday writes it)."""
    return ValidationError(
        f"Invalid ID value.  '{value}' is not a valid ID value for type = '{id_type}'",
        element_xpath(element),
    )


def _resolve(
    reference: etree._Element,
    valid_types: Sequence[str],
    find: Callable[[str, str], Any],
) -> tuple[Any, ValidationError | None]:
    """Resolve a ``*_Reference`` element: (instance or None, the error for the first unresolvable ID).

    Every ``wd:ID`` must name an existing instance (of a type in ``valid_types``); a reference with no
    ``wd:ID`` resolves to nothing without error.
    """
    found: Any = None
    for id_el in reference.iterfind(wd("ID")):
        id_type = id_el.get(f"{{{WD}}}type") or ""
        value = (id_el.text or "").strip()
        instance = find(id_type, value) if id_type in valid_types and value else None
        if instance is None:
            return None, invalid_id(value, id_type, id_el)
        found = found if found is not None else instance
    return found, None


def resolve_or_fault(reference: etree._Element, valid_types: Sequence[str], find: Callable[[str, str], Any]) -> Any:
    instance, error = _resolve(reference, valid_types, find)
    if error is not None:
        raise validation_fault([error])
    return instance


def _resolve_many(
    references: Iterable[etree._Element], valid_types: Sequence[str], find: Callable[[str, str], Any]
) -> list[Any]:
    resolved = []
    for reference in references:
        instance = resolve_or_fault(reference, valid_types, find)
        if instance is not None:
            resolved.append(instance)
    return resolved


def referenced(
    container: etree._Element,
    reference_tag: str,
    valid_types: Sequence[str],
    find: Callable[[str, str], Any],
    key: Callable[[Any], str],
    skippable: bool,
) -> list[str]:
    """Keys of the instances named in ``Request_References``, in request order, without duplicates."""
    skip = skippable and parse_boolean(container.get(f"{{{WD}}}Skip_Non_Existing_Instances")) is True
    keys: list[str] = []
    seen: set[str] = set()
    for reference in container.iterfind(wd(reference_tag)):
        instance, error = _resolve(reference, valid_types, find)
        if error is not None:
            if skip:
                continue
            raise validation_fault([error])
        if instance is not None and key(instance) not in seen:
            seen.add(key(instance))
            keys.append(key(instance))
    return keys


def _finder(ds: Dataset, kind: str) -> Callable[[str, str], Ref | None]:
    return lambda id_type, value: ds.find_reference(kind, id_type, value)


def _reference_ids(ds: Dataset, criteria: etree._Element, tag: str, kind: str, id_type: str) -> set[str]:
    """The ``id_type`` IDs of the reference data named by the ``tag`` elements (a fault if one is unknown)."""
    refs = _resolve_many(criteria.iterfind(wd(tag)), ("WID", id_type), _finder(ds, kind))
    return {ref.id(id_type) for ref in refs if ref.id(id_type) is not None}


def updated_windows(criteria: etree._Element | None) -> list[tuple[dt.datetime, dt.datetime]]:
    windows = []
    if criteria is not None:
        for range_el in criteria.iterfind(f"{wd('Transaction_Log_Criteria_Data')}/{wd('Transaction_Date_Range_Data')}"):
            start = parse_datetime(range_el.findtext(wd("Updated_From")))
            end = parse_datetime(range_el.findtext(wd("Updated_Through")))
            if start is not None and end is not None:
                windows.append((start, end))
    return windows


def matching_candidates(
    ds: Dataset, criteria: etree._Element | None, as_of: dt.datetime, now: dt.datetime
) -> Iterator[str]:
    """The Candidate_IDs matching ``criteria``, by index."""
    if criteria is None or len(criteria) == 0:
        # Every candidate: candidates are created in index order (base ones over the past, added ones
        # stamped later and later), so those visible at ``as_of`` are a prefix of the index range.
        # Listing them costs no record generation, which keeps a 100,000-candidate first page fast.
        yield from map(ds.candidate_id_for, range(ds.count_candidates(as_of)))
        return
    predicate = _candidate_predicate(ds, criteria, as_of)  # resolves (and checks) references first
    windows = updated_windows(criteria)
    candidates: Iterable[CandidateRecord]
    if windows:
        changed: dict[str, CandidateRecord] = {}
        for start, end in windows:
            changed.update((r.candidate_id, r) for r in ds.changed_candidates(start, end, as_of))
        candidates = sorted(changed.values(), key=lambda r: r.index)
    else:
        candidates = ds.iter_candidates(as_of)
    for record in candidates:
        if predicate(record):
            yield record.candidate_id


def _text(criteria: etree._Element, tag: str) -> str | None:
    value = criteria.findtext(wd(tag))
    return value.strip() if value is not None and value.strip() else None


def _candidate_predicate(
    ds: Dataset, criteria: etree._Element, as_of: dt.datetime
) -> Callable[[CandidateRecord], bool]:
    checks: list[Callable[[CandidateRecord], bool]] = []
    first, last = _text(criteria, "First_Name"), _text(criteria, "Last_Name")
    if first is not None:
        folded_first = first.casefold()
        checks.append(lambda r: folded_first in {r.first_name.casefold(), (r.preferred_first_name or "").casefold()})
    if last is not None:
        folded_last = last.casefold()
        checks.append(lambda r: folded_last in {r.last_name.casefold(), (r.preferred_last_name or "").casefold()})
    email = _text(criteria, "Candidate_Email_Address")
    if email is not None:
        folded_email = email.casefold()
        checks.append(lambda r: r.primary_email is not None and r.primary_email.casefold() == folded_email)
    created_from = parse_datetime(criteria.findtext(wd("Created_From")))
    created_through = parse_datetime(criteria.findtext(wd("Created_Through")))
    if created_from is not None:
        checks.append(lambda r: r.created_at >= created_from)
    if created_through is not None:
        checks.append(lambda r: r.created_at <= created_through)
    workers = _resolve_many(
        criteria.iterfind(wd("Worker_Reference")),
        ("WID", "Employee_ID", "Contingent_Worker_ID"),
        lambda t, v: ds.find_worker(t, v),
    )
    if workers:
        worker_ids = {w.employee_id for w in workers}
        checks.append(lambda r: r.worker_id in worker_ids)
    _resolve_many(  # the fake tenant has no pre-hires: any Pre-Hire ID is invalid
        criteria.iterfind(wd("Pre-Hire_Reference")), ("WID", "Applicant_ID"), lambda t, v: None
    )
    if parse_boolean(criteria.findtext(wd("Internal_Workers_Only"))):
        checks.append(lambda r: r.worker_id is not None)
    tags = _reference_ids(ds, criteria, "Candidate_Tag_Reference", "Candidate_Tag", "Candidate_Tag_ID")
    if tags:
        checks.append(lambda r: bool(tags.intersection(r.tags)))
    sources = _reference_ids(ds, criteria, "Applicant_Source_Reference", "Applicant_Source", "Applicant_Source_ID")
    if sources:
        checks.append(lambda r: r.source_id in sources or any(a.source_id in sources for a in r.applications))

    # Application-level criteria must hold for one and the same application.
    app_checks: list[Callable[[ApplicationRecord], bool]] = []
    requisitions = _resolve_many(
        criteria.iterfind(wd("Job_Requisition_Reference")),
        ("WID", "Job_Requisition_ID"),
        lambda t, v: ds.find_requisition(t, v, as_of),
    )
    if requisitions:
        wanted_reqs = {r.requisition_id for r in requisitions}
        app_checks.append(lambda a: a.requisition_id in wanted_reqs)
    stages = _reference_ids(ds, criteria, "Recruiting_Stage_Reference", "Recruiting_Stage", "Recruiting_Stage_ID")
    if stages:
        app_checks.append(lambda a: a.stage_id in stages)
    applied_from = parse_datetime(criteria.findtext(wd("Applied_From")))
    applied_through = parse_datetime(criteria.findtext(wd("Applied_Through")))
    if applied_from is not None:
        app_checks.append(lambda a: a.applied_at >= applied_from)
    if applied_through is not None:
        app_checks.append(lambda a: a.applied_at <= applied_through)
    if app_checks:
        checks.append(lambda r: any(all(check(a) for check in app_checks) for a in r.applications))
    return lambda record: all(check(record) for check in checks)


def matching_requisitions(
    ds: Dataset, criteria: etree._Element | None, as_of: dt.datetime, now: dt.datetime
) -> Iterator[str]:
    """The Job_Requisition_IDs matching ``criteria``, by index."""
    checks: list[Callable[[RequisitionRecord], bool]] = []
    if criteria is not None:
        statuses = _reference_ids(
            ds,
            criteria,
            "Job_Requisition_Status_Reference",
            "Job_Requisition_Status",
            "Job_Requisition_Status_ID",
        )
        if statuses:
            checks.append(lambda r: r.status_id in statuses)
        orgs = _reference_ids(
            ds,
            criteria,
            "Supervisory_Organization_Reference",
            "Supervisory_Organization",
            "Organization_Reference_ID",
        )
        if orgs:
            checks.append(lambda r: r.supervisory_org_id in orgs)
        primary = _reference_ids(ds, criteria, "Primary_Location_Reference", "Location", "Location_ID")
        additional = _reference_ids(ds, criteria, "Additional_Locations_Reference", "Location", "Location_ID")
        if primary or additional:
            # The two location criteria are combined as a union, as Workday documents.
            checks.append(
                lambda r: (
                    (bool(r.location_ids) and r.location_ids[0] in primary)
                    or bool(additional.intersection(r.location_ids[1:]))
                )
            )
    windows = updated_windows(criteria)
    records: Iterable[RequisitionRecord]
    if windows:
        changed: dict[str, RequisitionRecord] = {}
        for start, end in windows:
            changed.update((r.requisition_id, r) for r in ds.changed_requisitions(start, end, as_of))
        records = sorted(changed.values(), key=lambda r: r.index)
    else:
        records = ds.iter_requisitions(as_of)
    for record in records:
        if all(check(record) for check in checks):
            yield record.requisition_id


def _interviews_matching(ds: Dataset, criteria: etree._Element, as_of: dt.datetime) -> Iterator[str]:
    application_ref = criteria.find(wd("Job_Application_Reference"))
    application_ids: list[str] = []
    if application_ref is not None:
        found = resolve_or_fault(
            application_ref, ("WID", "Job_Application_ID"), lambda t, v: ds.find_application(t, v, as_of)
        )
        if found is not None:
            application_ids.append(found[1].application_id)
    else:
        data = criteria.find(wd("Candidate_Interview_Criteria_Data"))
        candidate_ref = data.find(wd("Candidate_Reference")) if data is not None else None
        requisition_ref = data.find(wd("Requisition_Reference")) if data is not None else None
        if candidate_ref is None or requisition_ref is None:  # pragma: no cover - the schema requires both
            return
        candidate = resolve_or_fault(
            candidate_ref, ("WID", "Candidate_ID"), lambda t, v: ds.find_candidate(t, v, as_of)
        )
        requisition = resolve_or_fault(
            requisition_ref, ("WID", "Job_Requisition_ID"), lambda t, v: ds.find_requisition(t, v, as_of)
        )
        if candidate is not None and requisition is not None:
            application_ids.extend(
                a.application_id for a in candidate.applications if a.requisition_id == requisition.requisition_id
            )
    for application_id in application_ids:
        for interview in ds.interviews_for_application(application_id, as_of):
            yield interview.wid


def matching_postings(
    ds: Dataset, criteria: etree._Element | None, as_of: dt.datetime, now: dt.datetime
) -> Iterator[str]:
    """The Job_Posting_IDs matching ``criteria``, by requisition then site."""
    checks: list[Callable[[JobPostingRecord], bool]] = []
    today = now.astimezone(ds.tz).date()
    if criteria is not None:
        start = parse_date(criteria.findtext(wd("Job_Posting_Start_Date")))
        end = parse_date(criteria.findtext(wd("Job_Posting_End_Date")))
        if start is not None:
            checks.append(lambda p: p.start_date >= start)
        if end is not None:
            checks.append(lambda p: p.end_date is not None and p.end_date <= end)
        requisitions = _resolve_many(
            criteria.iterfind(wd("Job_Requisition_Reference")),
            ("WID", "Job_Requisition_ID"),
            lambda t, v: ds.find_requisition(t, v, as_of),
        )
        if requisitions:
            wanted = {r.requisition_id for r in requisitions}
            checks.append(lambda p: p.requisition_id in wanted)
        orgs = _reference_ids(
            ds,
            criteria,
            "Supervisory_Organization_Reference",
            "Supervisory_Organization",
            "Organization_Reference_ID",
        )
        if orgs:
            checks.append(lambda p: p.supervisory_org_id in orgs)
        sites = _reference_ids(ds, criteria, "Job_Posting_Site_Reference", "Job_Posting_Site", "Job_Posting_Site_ID")
        site_name = _text(criteria, "Job_Posting_Site_Name")
        if site_name is not None:
            named = [
                value
                for value in ds.reference_values("Job_Posting_Site")
                if (ds.reference("Job_Posting_Site", value).descriptor or "").casefold() == site_name.casefold()
            ]
            sites.update(named or ["\x00no such site"])
        if sites:
            checks.append(lambda p: p.site_id in sites)
        if parse_boolean(criteria.findtext(wd("Show_Only_Active_Job_Postings"))):
            checks.append(lambda p: p.end_date is None or p.end_date > today)
        if parse_boolean(criteria.findtext(wd("Show_Only_External_Job_Postings"))):
            checks.append(lambda p: p.site_id not in _INTERNAL_SITES)
        if parse_boolean(criteria.findtext(wd("Exclude_Future_Job_Postings"))):
            checks.append(lambda p: p.start_date <= today)
    for posting in ds.iter_job_postings(as_of):
        if all(check(posting) for check in checks):
            yield posting.posting_id


def matching_interviews(
    ds: Dataset, criteria: etree._Element | None, as_of: dt.datetime, now: dt.datetime
) -> Iterator[str]:
    """The WIDs of the interview events matching ``criteria`` (all of them without: by candidate, then application)."""
    if criteria is None:
        return ds.interview_wids(as_of)
    return _interviews_matching(ds, criteria, as_of)
