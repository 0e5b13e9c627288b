"""The fake tenant's six operations: from a parsed SOAP request to a response envelope (or a fault).

Every request goes through the same steps, in Workday's order:

1. the request element must be a Recruiting operation the fake answers, at version v45.2;
2. it must validate against the bundled schema (``Client.validationError`` with one
   ``Validation_Error`` per violation), and pass Workday's type validations (Page 0, Count 0,
   Last_Name without First_Name, transaction-log date pairs);
3. the ISU must hold the operation's domains (``Server.processingError``, *not authorized*);
4. references are resolved (``Invalid ID value``) and the matching instances listed, in one stable
   order, cached per (operation, criteria, As_Of_Entry_DateTime) so that paging a large result is
   linear; the requested page is rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final

import attrs
from lxml import etree

from .._ns import API_VERSION, WD, wd
from .._schema import element_xpath, response_element_name, supported_operations, validation_errors
from . import _render
from ._protocol import (
    RECRUITING_REQUEST_ELEMENTS,
    SoapRequest,
    ValidationError,
    format_datetime,
    invalid_version_fault,
    not_authorized_fault,
    parse_boolean,
    parse_date,
    parse_datetime,
    readable_message,
    response_envelope,
    validation,
    validation_fault,
)
from ._security import Isu

if TYPE_CHECKING:
    from ._dataset import (
        ApplicationRecord,
        CandidateRecord,
        Dataset,
        InterviewRecord,
        JobPostingRecord,
        Ref,
        RequisitionRecord,
    )
    from ._server import FakeTenant

DEFAULT_COUNT: Final = 100
MAX_COUNT: Final = 999
_MAX_REPORTED_VIOLATIONS: Final = 25
_VERSION_ATTR: Final = f"{{{WD}}}version"


class ConnectionReset(Exception):  # noqa: N818 - it names what the client sees, not an error of the fake
    """The request asks for more than ``max_page_size``: the server resets the connection."""


@attrs.frozen
class ResponseFilter:
    """``Response_Filter`` with Workday's defaults filled in."""

    as_of: dt.datetime
    as_of_given: bool
    effective_date: dt.date
    page: int
    count: int


@attrs.frozen
class _Call:
    fake: FakeTenant
    ds: Dataset
    request: SoapRequest
    body: etree._Element
    isu: Isu
    operation: str
    now: dt.datetime
    descriptors: bool

    def child(self, local: str) -> etree._Element | None:
        return self.body.find(wd(local))


def handle(fake: FakeTenant, request: SoapRequest, isu: Isu, path_version: str | None) -> bytes:
    """Answer one authenticated SOAP request.

    Args:
        fake: The tenant.
        request: The parsed envelope.
        isu: The authenticated ISU.
        path_version: The version in the URL (``None`` for the versionless endpoint).

    Returns:
        The response envelope.

    Raises:
        SoapFault: Any Workday fault.
        ConnectionReset: ``Count`` exceeds the tenant's ``max_page_size``.
    """
    body = request.body
    operation = _operation_of(body)
    version = body.get(_VERSION_ATTR)
    if version is None or version != API_VERSION or (path_version is not None and path_version != version):
        raise invalid_version_fault()
    _check_schema(body, request.common_header)
    ds = fake.dataset
    now = _truncate_ms(_clock(ds))
    call = _Call(
        fake=fake,
        ds=ds,
        request=request,
        body=body,
        isu=isu,
        operation=operation,
        now=now,
        descriptors=request.include_descriptors,
    )
    flt = _response_filter(call) if operation != "Get_Server_Timestamp" else None
    _TYPE_VALIDATIONS.get(operation, _no_validation)(call)
    if not isu.may_call(operation):
        raise not_authorized_fault()
    if flt is not None and fake.max_page_size is not None and flt.count > fake.max_page_size:
        raise ConnectionReset(operation)
    response = _get_server_timestamp(call) if flt is None else _HANDLERS[operation](call, flt)
    return response_envelope(response)


# -- steps 1 and 2: operation, version, schema, type validations --------------------------------------------


def _operation_of(body: etree._Element) -> str:
    qname = etree.QName(body)
    operation = RECRUITING_REQUEST_ELEMENTS.get(qname.localname) if qname.namespace == WD else None
    if operation is None:
        raise invalid_version_fault()
    if operation not in supported_operations():
        answered = ", ".join(sorted(supported_operations()))
        raise invalid_version_fault(
            f"The fake tenant does not implement {operation}; it answers {answered}.",
        )
    return operation


def _check_schema(body: etree._Element, common_header: etree._Element | None) -> None:
    try:
        violations = validation_errors(body)
        if common_header is not None:
            violations += validation_errors(common_header)
    except etree.Error as exc:  # e.g. libxml2 refusing a node it cannot validate
        raise validation(f"The request could not be validated: {exc}", element_xpath(body)) from None
    if violations:
        errors = [
            ValidationError(message=readable_message(v.message), xpath=v.xpath)
            for v in violations[:_MAX_REPORTED_VIOLATIONS]
        ]
        raise validation_fault(errors)


def _no_validation(call: _Call) -> None:
    return None


def _response_filter(call: _Call) -> ResponseFilter:
    element = call.child("Response_Filter")
    page, count = 1, DEFAULT_COUNT
    as_of, as_of_given = call.now, False
    effective = call.now.astimezone(call.ds.tz).date()
    if element is not None:
        page_el = element.find(wd("Page"))
        if page_el is not None:
            page = _integer(page_el.text)
            if page == 0:
                raise validation("Page Number cannot be zero.", element_xpath(page_el))
        count_el = element.find(wd("Count"))
        if count_el is not None:
            count = _integer(count_el.text)
            if not 1 <= count <= MAX_COUNT:
                raise validation(f"Count must be between 1 and {MAX_COUNT}.", element_xpath(count_el))
        as_of_el = element.find(wd("As_Of_Entry_DateTime"))
        if as_of_el is not None:
            parsed = parse_datetime(as_of_el.text)
            if parsed is not None:
                as_of, as_of_given = parsed, True
        effective_el = element.find(wd("As_Of_Effective_Date"))
        if effective_el is not None:
            effective = parse_date(effective_el.text) or effective
    return ResponseFilter(as_of=as_of, as_of_given=as_of_given, effective_date=effective, page=page, count=count)


def _integer(text: str | None) -> int:
    try:
        return int(Decimal((text or "0").strip()))
    except (InvalidOperation, ValueError):
        return 0


def _transaction_log_validation(call: _Call, criteria: etree._Element | None) -> None:
    if criteria is None:
        return
    for range_el in criteria.iterfind(f"{wd('Transaction_Log_Criteria_Data')}/{wd('Transaction_Date_Range_Data')}"):
        path = element_xpath(range_el)
        updated_from = parse_datetime(range_el.findtext(wd("Updated_From")))
        updated_through = parse_datetime(range_el.findtext(wd("Updated_Through")))
        effective_from = range_el.find(wd("Effective_From"))
        effective_through = range_el.find(wd("Effective_Through"))
        if (updated_from is None) != (updated_through is None):
            raise validation("If one of Updated From or Updated Through contains a value, both are Required!", path)
        if (effective_from is None) != (effective_through is None):
            raise validation("If one of Effective From or Effective Through contains a value, both are Required!", path)
        if updated_from is not None and updated_through is not None:
            if updated_from > updated_through:
                raise validation("Updated From must be less than or equal to Updated Through!", path)
            if updated_through > call.now:
                raise validation("Updated Through must be less than or equal to Current Moment!", path)
        if effective_from is not None and effective_through is not None:
            start, end = parse_datetime(effective_from.text), parse_datetime(effective_through.text)
            if start is not None and end is not None and start > end:
                raise validation("Effective From must be less than or equal to Effective Through!", path)


def _validate_get_candidates(call: _Call) -> None:
    criteria = call.child("Request_Criteria")
    if criteria is None:
        return
    first = criteria.find(wd("First_Name"))
    last = criteria.find(wd("Last_Name"))
    if first is not None and (first.text or "").strip() and (last is None or not (last.text or "").strip()):
        raise validation("Last Name is required if First Name is entered.", element_xpath(first))
    _transaction_log_validation(call, criteria)


def _validate_get_job_requisitions(call: _Call) -> None:
    _transaction_log_validation(call, call.child("Request_Criteria"))


def _validate_get_web_conference(call: _Call) -> None:
    text = call.body.findtext(f"{wd('Request_References')}/{wd('Interview_ID_Reference')}")
    if not (text or "").strip():
        raise validation("You must specify a WID for a Schedule Snapshot or Interview Event.", element_xpath(call.body))


_TYPE_VALIDATIONS: Final[dict[str, Callable[[_Call], None]]] = {
    "Get_Candidates": _validate_get_candidates,
    "Get_Job_Requisitions": _validate_get_job_requisitions,
    "Get_Web_Conference_Interview_Data": _validate_get_web_conference,
}


# -- references ---------------------------------------------------------------------------------------------


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


def _resolve_or_fault(reference: etree._Element, valid_types: Sequence[str], find: Callable[[str, str], Any]) -> Any:
    instance, error = _resolve(reference, valid_types, find)
    if error is not None:
        raise validation_fault([error])
    return instance


def _resolve_many(
    references: Iterable[etree._Element], valid_types: Sequence[str], find: Callable[[str, str], Any]
) -> list[Any]:
    resolved = []
    for reference in references:
        instance = _resolve_or_fault(reference, valid_types, find)
        if instance is not None:
            resolved.append(instance)
    return resolved


def _referenced(
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


# -- paging and the response shell --------------------------------------------------------------------------


def _listing(call: _Call, flt: ResponseFilter, compute: Callable[[], Iterable[str]]) -> tuple[str, ...]:
    """The ordered keys of every matching instance, cached while ``As_Of_Entry_DateTime`` is pinned."""
    # Only a pinned moment strictly in the past is cached: the data set stamps every later change after it.
    if not flt.as_of_given or flt.as_of >= call.now:
        return tuple(compute())
    parts: list[object] = [call.operation, flt.as_of.isoformat()]
    for tag in ("Request_References", "Request_Criteria"):
        element = call.child(tag)
        parts.append(etree.tostring(element, method="c14n") if element is not None else b"")
    return call.fake.cache.get_or_compute(tuple(parts), compute)


def _response(call: _Call, flt: ResponseFilter | None, echo: Sequence[str]) -> etree._Element:
    response = etree.Element(wd(response_element_name(call.operation)), nsmap={"wd": WD})
    response.set(_VERSION_ATTR, API_VERSION)
    for tag in echo:
        element = call.child(tag)
        if tag == "Response_Filter" and flt is not None:
            response.append(_filter_echo(flt, call.ds.tz))
        elif element is not None:
            response.append(_copy(element))
    return response


def _copy(element: etree._Element) -> etree._Element:
    copied = etree.fromstring(etree.tostring(element))
    etree.cleanup_namespaces(copied, top_nsmap={"wd": WD})
    return copied


def _filter_echo(flt: ResponseFilter, tz: dt.tzinfo) -> etree._Element:
    element = etree.Element(wd("Response_Filter"))
    etree.SubElement(element, wd("As_Of_Effective_Date")).text = flt.effective_date.isoformat()
    etree.SubElement(element, wd("As_Of_Entry_DateTime")).text = _format_as_of(flt.as_of.astimezone(tz))
    etree.SubElement(element, wd("Page")).text = str(flt.page)
    etree.SubElement(element, wd("Count")).text = str(flt.count)
    return element


def _format_as_of(value: dt.datetime) -> str:
    if value.microsecond % 1000:
        return value.isoformat(timespec="microseconds")
    return format_datetime(value)


def _page(response: etree._Element, keys: Sequence[str], flt: ResponseFilter) -> Sequence[str]:
    """Append ``Response_Results`` for ``flt``'s page and return that page's keys."""
    total = len(keys)
    pages = math.ceil(total / flt.count) if total else 0
    start = (flt.page - 1) * flt.count
    chosen = keys[start : start + flt.count] if flt.page <= pages else ()
    results = etree.SubElement(response, wd("Response_Results"))
    etree.SubElement(results, wd("Total_Results")).text = str(total)
    etree.SubElement(results, wd("Total_Pages")).text = str(pages)
    etree.SubElement(results, wd("Page_Results")).text = str(len(chosen))
    if total:
        etree.SubElement(results, wd("Page")).text = str(flt.page)
    return chosen


def _data(response: etree._Element, chosen: Sequence[str]) -> etree._Element | None:
    """``Response_Data`` for a page with results (renderers build their elements inside it)."""
    return etree.SubElement(response, wd("Response_Data")) if chosen else None


def _include_reference(call: _Call) -> bool:
    flag = call.body.find(f"{wd('Response_Group')}/{wd('Include_Reference')}")
    return flag is None or parse_boolean(flag.text) is not False


def _group_flag(call: _Call, name: str) -> bool:
    flag = call.body.find(f"{wd('Response_Group')}/{wd(name)}")
    return flag is not None and parse_boolean(flag.text) is True


def _drop_reference(element: etree._Element, tag: str) -> etree._Element:
    reference = element.find(wd(tag))
    if reference is not None:
        element.remove(reference)
    return element


# -- operations ---------------------------------------------------------------------------------------------


def _get_server_timestamp(call: _Call) -> etree._Element:
    response = etree.Element(wd("Server_Timestamp"), nsmap={"wd": WD})
    response.set(_VERSION_ATTR, API_VERSION)
    etree.SubElement(response, wd("Server_Timestamp_Data")).text = format_datetime(call.now.astimezone(call.ds.tz))
    return response


def _finder(ds: Dataset, kind: str) -> Callable[[str, str], Ref | None]:
    return lambda id_type, value: ds.find_reference(kind, id_type, value)


def _reference_ids(call: _Call, criteria: etree._Element, tag: str, kind: str, id_type: str) -> set[str]:
    """The ``id_type`` IDs of the reference data named by the ``tag`` elements (a fault if one is unknown)."""
    refs = _resolve_many(criteria.iterfind(wd(tag)), ("WID", id_type), _finder(call.ds, kind))
    return {ref.id(id_type) for ref in refs if ref.id(id_type) is not None}


def _get_candidates(call: _Call, flt: ResponseFilter) -> etree._Element:
    ds, as_of = call.ds, flt.as_of
    references = call.child("Request_References")
    criteria = call.child("Request_Criteria")

    def find(id_type: str, value: str) -> CandidateRecord | None:
        return ds.find_candidate(id_type, value, as_of)

    if references is not None:
        refs = references
        keys = _listing(
            call,
            flt,
            lambda: _referenced(refs, "Candidate_Reference", ("WID", "Candidate_ID"), find, _candidate_key, True),
        )
    else:
        keys = _listing(call, flt, lambda: _matching_candidates(call, criteria, as_of))
    response = _response(call, flt, ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group"))
    chosen = _page(response, keys, flt)
    attachments = not _group_flag(call, "Exclude_All_Attachments")
    include_reference = _include_reference(call)
    parts = call.isu.candidate_parts
    workers_kw = _workers_kw(_render.render_candidate, call.isu)
    data = _data(response, chosen)
    for key in chosen:
        record = ds.find_candidate("Candidate_ID", key, as_of)
        if record is None:  # pragma: no cover - listed keys exist as of the same moment
            continue
        element = _render.render_candidate(
            record,
            ds,
            descriptors=call.descriptors,
            attachments=attachments,
            parts=parts,
            parent=data,
            **workers_kw,
        )
        if not include_reference:
            _drop_reference(element, "Candidate_Reference")
        if not workers_kw and not call.isu.workers_visible:
            _drop_worker_references(element)
    return response


def _candidate_key(record: CandidateRecord) -> str:
    return record.candidate_id


_CANDIDATE_WORKER_ELEMENTS: Final = (
    f"{wd('Candidate_Data')}/{wd('Worker_Reference')}",
    f"{wd('Candidate_Data')}/{wd('Referral_Data')}",
    f".//{wd('Referred_By_Worker_Reference')}",
    f".//{wd('Added_By_Worker_Reference')}",
)


def _drop_worker_references(candidate: etree._Element) -> None:
    """Field-level security for a renderer without ``workers_visible``: remove worker references."""
    for path in _CANDIDATE_WORKER_ELEMENTS:
        for element in candidate.findall(path):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


def _workers_kw(render: Callable[..., Any], isu: Isu) -> dict[str, bool]:
    """Pass ``workers_visible`` to a renderer that takes it."""
    return {"workers_visible": isu.workers_visible} if "workers_visible" in _parameters(render) else {}


@functools.cache
def _parameters(function: Callable[..., Any]) -> frozenset[str]:
    return frozenset(inspect.signature(function).parameters)


def _updated_windows(criteria: etree._Element | None) -> list[tuple[dt.datetime, dt.datetime]]:
    windows = []
    if criteria is not None:
        for range_el in criteria.iterfind(f"{wd('Transaction_Log_Criteria_Data')}/{wd('Transaction_Date_Range_Data')}"):
            start = parse_datetime(range_el.findtext(wd("Updated_From")))
            end = parse_datetime(range_el.findtext(wd("Updated_Through")))
            if start is not None and end is not None:
                windows.append((start, end))
    return windows


def _matching_candidates(call: _Call, criteria: etree._Element | None, as_of: dt.datetime) -> Iterator[str]:
    ds = call.ds
    if criteria is None or len(criteria) == 0:
        # Every candidate: candidates are created in index order (base ones over the past, added ones
        # stamped later and later), so those visible at ``as_of`` are a prefix of the index range.
        # Listing them costs no record generation, which keeps a 100,000-candidate first page fast.
        yield from map(ds.candidate_id_for, range(ds.count_candidates(as_of)))
        return
    predicate = _candidate_predicate(call, criteria, as_of)  # resolves (and checks) references first
    windows = _updated_windows(criteria)
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
    call: _Call, criteria: etree._Element | None, as_of: dt.datetime
) -> Callable[[CandidateRecord], bool]:
    if criteria is None:
        return lambda record: True
    ds = call.ds
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
    tags = _reference_ids(call, criteria, "Candidate_Tag_Reference", "Candidate_Tag", "Candidate_Tag_ID")
    if tags:
        checks.append(lambda r: bool(tags.intersection(r.tags)))
    sources = _reference_ids(call, criteria, "Applicant_Source_Reference", "Applicant_Source", "Applicant_Source_ID")
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
    stages = _reference_ids(call, criteria, "Recruiting_Stage_Reference", "Recruiting_Stage", "Recruiting_Stage_ID")
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


def _get_job_requisitions(call: _Call, flt: ResponseFilter) -> etree._Element:
    ds, as_of = call.ds, flt.as_of
    references = call.child("Request_References")
    criteria = call.child("Request_Criteria")

    def find(id_type: str, value: str) -> RequisitionRecord | None:
        return ds.find_requisition(id_type, value, as_of)

    if references is not None:
        refs = references
        keys = _listing(
            call,
            flt,
            lambda: _referenced(refs, "Job_Requisition_Reference", ("WID", "Job_Requisition_ID"), find, _req_key, True),
        )
    else:
        keys = _listing(call, flt, lambda: _matching_requisitions(call, criteria, as_of))
    response = _response(call, flt, ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group"))
    chosen = _page(response, keys, flt)
    roles = _group_flag(call, "Include_Roles")
    include_reference = _include_reference(call)
    data = _data(response, chosen)
    for key in chosen:
        record = ds.find_requisition("Job_Requisition_ID", key, as_of)
        if record is None:  # pragma: no cover
            continue
        element = _render.render_requisition(
            record,
            ds,
            descriptors=call.descriptors,
            roles=roles,
            workers_visible=call.isu.workers_visible,
            parent=data,
        )
        if not include_reference:
            _drop_reference(element, "Job_Requisition_Reference")
    return response


def _req_key(record: RequisitionRecord) -> str:
    return record.requisition_id


def _matching_requisitions(call: _Call, criteria: etree._Element | None, as_of: dt.datetime) -> Iterator[str]:
    ds = call.ds
    checks: list[Callable[[RequisitionRecord], bool]] = []
    if criteria is not None:
        statuses = _reference_ids(
            call,
            criteria,
            "Job_Requisition_Status_Reference",
            "Job_Requisition_Status",
            "Job_Requisition_Status_ID",
        )
        if statuses:
            checks.append(lambda r: r.status_id in statuses)
        orgs = _reference_ids(
            call,
            criteria,
            "Supervisory_Organization_Reference",
            "Supervisory_Organization",
            "Organization_Reference_ID",
        )
        if orgs:
            checks.append(lambda r: r.supervisory_org_id in orgs)
        primary = _reference_ids(call, criteria, "Primary_Location_Reference", "Location", "Location_ID")
        additional = _reference_ids(call, criteria, "Additional_Locations_Reference", "Location", "Location_ID")
        if primary or additional:
            # The two location criteria are combined as a union, as Workday documents.
            checks.append(
                lambda r: (
                    (bool(r.location_ids) and r.location_ids[0] in primary)
                    or bool(additional.intersection(r.location_ids[1:]))
                )
            )
    windows = _updated_windows(criteria)
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


def _get_interviews(call: _Call, flt: ResponseFilter) -> etree._Element:
    ds, as_of = call.ds, flt.as_of
    references = call.child("Request_References")
    criteria = call.child("Request_Criteria")
    keys: Sequence[str]
    if references is not None:
        refs = references
        keys = _listing(
            call,
            flt,
            lambda: _referenced(
                refs,
                "Interview_Reference",
                ("WID",),
                lambda t, v: ds.find_interview(v, as_of),
                _interview_key,
                False,
            ),
        )
    elif criteria is not None:
        crit = criteria
        keys = _listing(call, flt, lambda: _interviews_matching(call, crit, as_of))
    else:
        keys = _listing(call, flt, lambda: (i.wid for i in _all_interviews(ds, as_of)))
    response = _response(call, flt, ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group"))
    chosen = _page(response, keys, flt)
    data = _data(response, chosen)
    for key in chosen:
        record = ds.find_interview(key, as_of)
        if record is None:  # pragma: no cover
            continue
        _render.render_interview(
            record, ds, descriptors=call.descriptors, workers_visible=call.isu.workers_visible, parent=data
        )
    return response


def _interview_key(record: InterviewRecord) -> str:
    return record.wid


def _all_interviews(ds: Dataset, as_of: dt.datetime) -> Iterator[InterviewRecord]:
    for candidate in ds.iter_candidates(as_of):
        for application in candidate.applications:
            yield from ds.interviews_for_application(application.application_id, as_of)


def _interviews_matching(call: _Call, criteria: etree._Element, as_of: dt.datetime) -> Iterator[str]:
    ds = call.ds
    application_ref = criteria.find(wd("Job_Application_Reference"))
    application_ids: list[str] = []
    if application_ref is not None:
        found = _resolve_or_fault(
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
        candidate = _resolve_or_fault(
            candidate_ref, ("WID", "Candidate_ID"), lambda t, v: ds.find_candidate(t, v, as_of)
        )
        requisition = _resolve_or_fault(
            requisition_ref, ("WID", "Job_Requisition_ID"), lambda t, v: ds.find_requisition(t, v, as_of)
        )
        if candidate is not None and requisition is not None:
            application_ids.extend(
                a.application_id for a in candidate.applications if a.requisition_id == requisition.requisition_id
            )
    for application_id in application_ids:
        for interview in ds.interviews_for_application(application_id, as_of):
            yield interview.wid


def _get_web_conference(call: _Call, flt: ResponseFilter) -> etree._Element:
    ds = call.ds
    reference = call.body.find(f"{wd('Request_References')}/{wd('Interview_ID_Reference')}")
    if reference is None:  # pragma: no cover - refused by the type validation
        raise validation("You must specify a WID for a Schedule Snapshot or Interview Event.", element_xpath(call.body))
    wid = (reference.text or "").strip()
    interview = ds.find_interview(wid, flt.as_of)
    if interview is None:
        raise validation(
            "You specified an invalid WID for Schedule Snapshot or Interview Event.", element_xpath(reference)
        )
    if interview.status != "in_progress":
        raise validation("Interview Event is not in progress.", element_xpath(reference))
    response = _response(call, flt, ("Request_References", "Response_Filter"))
    chosen = _page(response, (wid,), flt)
    data = _data(response, chosen)
    if data is not None:
        _render.render_web_conference(interview, ds, descriptors=call.descriptors, parent=data)
    return response


def _get_job_postings(call: _Call, flt: ResponseFilter) -> etree._Element:
    ds, as_of = call.ds, flt.as_of
    references = call.child("Request_References")
    criteria = call.child("Request_Criteria")
    if references is not None:
        refs = references
        keys = _listing(
            call,
            flt,
            lambda: _referenced(
                refs,
                "Job_Posting_Reference",
                ("WID", "Job_Posting_ID"),
                lambda t, v: ds.find_job_posting(t, v, as_of),
                _posting_key,
                False,
            ),
        )
    else:
        keys = _listing(call, flt, lambda: _matching_postings(call, criteria, as_of))
    response = _response(call, flt, ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group"))
    chosen = _page(response, keys, flt)
    include_reference = _include_reference(call)
    data = _data(response, chosen)
    for key in chosen:
        record = ds.find_job_posting("Job_Posting_ID", key, as_of)
        if record is None:  # pragma: no cover
            continue
        element = _render.render_job_posting(record, ds, descriptors=call.descriptors, parent=data)
        if not include_reference:
            _drop_reference(element, "Job_Posting_Reference")
    return response


def _posting_key(record: JobPostingRecord) -> str:
    return record.posting_id


_INTERNAL_SITES: Final = frozenset({"Internal_Career_Site"})


def _matching_postings(call: _Call, criteria: etree._Element | None, as_of: dt.datetime) -> Iterator[str]:
    ds = call.ds
    checks: list[Callable[[JobPostingRecord], bool]] = []
    today = call.now.astimezone(ds.tz).date()
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
            call,
            criteria,
            "Supervisory_Organization_Reference",
            "Supervisory_Organization",
            "Organization_Reference_ID",
        )
        if orgs:
            checks.append(lambda p: p.supervisory_org_id in orgs)
        sites = _reference_ids(call, criteria, "Job_Posting_Site_Reference", "Job_Posting_Site", "Job_Posting_Site_ID")
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


_HANDLERS: Final[dict[str, Callable[[_Call, ResponseFilter], etree._Element]]] = {
    "Get_Candidates": _get_candidates,
    "Get_Job_Requisitions": _get_job_requisitions,
    "Get_Interviews": _get_interviews,
    "Get_Web_Conference_Interview_Data": _get_web_conference,
    "Get_Job_Postings": _get_job_postings,
}


# -- data set adapters --------------------------------------------------------------------------------------


def _clock(ds: Dataset) -> dt.datetime:
    now = ds.clock()
    return now if now.tzinfo is not None else now.replace(tzinfo=dt.timezone.utc)


def _truncate_ms(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=value.microsecond - value.microsecond % 1000)
