"""The fake tenant's six operations: from a parsed SOAP request to a response envelope (or a fault).

Every request goes through the same steps, in Workday's order:

1. the request element must be a Recruiting operation the fake answers, at version v45.2;
2. it must validate against the bundled schema (``Client.validationError`` with one
   ``Validation_Error`` per violation), and pass Workday's type validations (Page 0, Count 0,
   Last_Name without First_Name, transaction-log date pairs);
3. the ISU must hold the operation's domains (``Server.processingError``, *not authorized*);
4. references are resolved (``Invalid ID value``) and the matching instances listed (:mod:`._criteria`), in one
   stable order, cached per (operation, criteria, As_Of_Entry_DateTime) so that paging a large result is
   linear; the requested page is rendered (:mod:`._render`).

The four paged Gets (candidates, requisitions, interviews, job postings) are one handler, :func:`_paged_get`, each
described by a :class:`_Get`: how to find an instance, its listing key, its criteria and its renderer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Final, Generic, Protocol, TypeVar

import attrs
from lxml import etree

from .._ns import API_VERSION, WD, wd
from .._schema import element_xpath, response_element_name, supported_operations, validation_errors
from . import _render
from ._cache import Cache
from ._criteria import (
    matching_candidates,
    matching_interviews,
    matching_postings,
    matching_requisitions,
    referenced,
)
from ._dataset import Dataset
from ._knobs import CancelledInterviews, InterviewDataNames
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
from ._records import CandidateRecord, InterviewRecord, JobPostingRecord, RequisitionRecord
from ._security import Isu

R = TypeVar("R")

DEFAULT_COUNT: Final = 100
MAX_COUNT: Final = 999
_MAX_REPORTED_VIOLATIONS: Final = 25
_VERSION_ATTR: Final = f"{{{WD}}}version"


class Tenant(Protocol):
    """What the operations need of a tenant (:class:`~workday_recruiting.testing.FakeTenant` is one)."""

    @property
    def dataset(self) -> Dataset: ...

    @property
    def cache(self) -> Cache[tuple[object, ...], tuple[str, ...]]: ...

    @property
    def max_page_size(self) -> int | None: ...

    @property
    def lists_all_interviews(self) -> bool: ...

    @property
    def interview_data_names(self) -> InterviewDataNames: ...

    @property
    def cancelled_interviews(self) -> CancelledInterviews: ...


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
    fake: Tenant
    ds: Dataset
    request: SoapRequest
    body: etree._Element
    isu: Isu
    operation: str
    now: dt.datetime
    descriptors: bool

    def child(self, local: str) -> etree._Element | None:
        return self.body.find(wd(local))


def handle(fake: Tenant, request: SoapRequest, isu: Isu, path_version: str | None) -> bytes:
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
    now = ds.current_moment()
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


#: The fake's refusal of a criteria-less Get_Interviews when ``lists_all_interviews`` is false. Workday documents
#: neither the refusal nor its wording: this message is a guess in Workday's style.
INTERVIEWS_NEED_CRITERIA: Final = "You must specify Request References or Request Criteria to get Interview Events."


def _validate_get_interviews(call: _Call) -> None:
    if call.fake.lists_all_interviews:
        return
    if call.child("Request_References") is None and call.child("Request_Criteria") is None:
        raise validation(INTERVIEWS_NEED_CRITERIA, element_xpath(call.body))


def _validate_get_web_conference(call: _Call) -> None:
    text = call.body.findtext(f"{wd('Request_References')}/{wd('Interview_ID_Reference')}")
    if not (text or "").strip():
        raise validation("You must specify a WID for a Schedule Snapshot or Interview Event.", element_xpath(call.body))


_TYPE_VALIDATIONS: Final[dict[str, Callable[[_Call], None]]] = {
    "Get_Candidates": _validate_get_candidates,
    "Get_Job_Requisitions": _validate_get_job_requisitions,
    "Get_Interviews": _validate_get_interviews,
    "Get_Web_Conference_Interview_Data": _validate_get_web_conference,
}


# -- paging and the response shell --------------------------------------------------------------------------


def _listing(
    call: _Call, flt: ResponseFilter, compute: Callable[[], Iterable[str]], variant: object = None
) -> tuple[str, ...]:
    """The ordered keys of every matching instance, cached while ``As_Of_Entry_DateTime`` is pinned (``variant``:
    what else decides the keys, such as the tenant knob hiding some instances)."""
    # Only a pinned moment strictly in the past is cached: the data set stamps every later change after it.
    if not flt.as_of_given or flt.as_of >= call.now:
        return tuple(compute())
    parts: list[object] = [call.operation, flt.as_of.isoformat(), variant]
    for tag in ("Request_References", "Request_Criteria"):
        element = call.child(tag)
        parts.append(etree.tostring(element, method="c14n") if element is not None else b"")
    return call.fake.cache.get_or_compute(tuple(parts), lambda: tuple(compute()))


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


@attrs.frozen
class _Get(Generic[R]):
    """How one paged Get lists, finds and renders its instances."""

    #: ``Request_References`` children naming instances (``Candidate_Reference``), their valid ID types, and
    #: whether ``Skip_Non_Existing_Instances`` applies.
    reference_tag: str
    id_types: tuple[str, ...]
    skippable: bool
    #: Find an instance by one of its IDs as of an entry moment (``find(ds, "Candidate_ID", "CAND-1187", as_of)``).
    find: Callable[[Dataset, str, str, dt.datetime], R | None]
    #: The listing key of an instance and its ID type.
    key: Callable[[R], str]
    key_type: str
    #: The keys of the instances matching ``Request_Criteria`` (or all of them).
    matching: Callable[[Dataset, etree._Element | None, dt.datetime, dt.datetime], Iterable[str]]
    #: Given the request, a function rendering one instance into ``Response_Data``.
    renderer: Callable[[_Call], Callable[[R, etree._Element], etree._Element]]
    #: Whether ``Response_Group/Include_Reference`` false drops the instance's ``reference_tag``.
    droppable: bool = True
    #: Given the tenant, which instances it answers at all (None: every one). Another instance is listed by no
    #: criteria and is, by reference, an unknown instance. The predicate is part of the paging cache's key.
    answered: Callable[[Tenant], Callable[[R], bool] | None] = lambda fake: None


def _paged_get(get: _Get[R]) -> Callable[[_Call, ResponseFilter], etree._Element]:
    """The handler of a paged Get: list the matching keys (cached while pinned), echo the request, render a page."""

    def handler(call: _Call, flt: ResponseFilter) -> etree._Element:
        ds, as_of = call.ds, flt.as_of
        references = call.child("Request_References")
        answered = get.answered(call.fake)

        def find(id_type: str, value: str) -> R | None:
            record = get.find(ds, id_type, value, as_of)
            return record if record is None or answered is None or answered(record) else None

        def listing() -> Iterable[str]:
            if references is None:
                keys = get.matching(ds, call.child("Request_Criteria"), as_of, call.now)
                return keys if answered is None else (key for key in keys if find(get.key_type, key) is not None)
            return referenced(references, get.reference_tag, get.id_types, find, get.key, get.skippable)

        keys = _listing(call, flt, listing, answered)
        response = _response(call, flt, ("Request_References", "Request_Criteria", "Response_Filter", "Response_Group"))
        chosen = _page(response, keys, flt)
        data = _data(response, chosen)
        if data is None:
            return response
        render = get.renderer(call)
        drop = get.droppable and not _include_reference(call)
        for key in chosen:
            record = find(get.key_type, key)
            if record is None:  # pragma: no cover - listed keys exist as of the same moment
                continue
            element = render(record, data)
            if drop:
                _drop_reference(element, get.reference_tag)
        return response

    return handler


def _candidate_renderer(call: _Call) -> Callable[[CandidateRecord, etree._Element], etree._Element]:
    attachments = not _group_flag(call, "Exclude_All_Attachments")
    parts, workers_visible = call.isu.candidate_parts, call.isu.workers_visible

    def render(record: CandidateRecord, parent: etree._Element) -> etree._Element:
        element = _render.render_candidate(
            record, call.ds, descriptors=call.descriptors, attachments=attachments, parts=parts, parent=parent
        )
        if not workers_visible:
            _drop_worker_references(element)
        return element

    return render


_CANDIDATE_WORKER_ELEMENTS: Final = (
    f"{wd('Candidate_Data')}/{wd('Worker_Reference')}",
    f"{wd('Candidate_Data')}/{wd('Referral_Data')}",
    f".//{wd('Referred_By_Worker_Reference')}",
    f".//{wd('Added_By_Worker_Reference')}",
)


def _drop_worker_references(candidate: etree._Element) -> None:
    """Field-level security without ``workers_visible``: remove a candidate's worker references."""
    for path in _CANDIDATE_WORKER_ELEMENTS:
        for element in candidate.findall(path):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


def _requisition_renderer(call: _Call) -> Callable[[RequisitionRecord, etree._Element], etree._Element]:
    roles = _group_flag(call, "Include_Roles")
    return lambda record, parent: _render.render_requisition(
        record,
        call.ds,
        descriptors=call.descriptors,
        roles=roles,
        workers_visible=call.isu.workers_visible,
        parent=parent,
    )


def _interview_renderer(call: _Call) -> Callable[[InterviewRecord, etree._Element], etree._Element]:
    names = call.fake.interview_data_names
    return lambda record, parent: _render.render_interview(
        record,
        call.ds,
        descriptors=call.descriptors,
        workers_visible=call.isu.workers_visible,
        names=names,
        parent=parent,
    )


def _not_cancelled(record: InterviewRecord) -> bool:
    return record.status != "cancelled"


def _answered_interviews(fake: Tenant) -> Callable[[InterviewRecord], bool] | None:
    """``cancelled_interviews="omitted"``: Get_Interviews answers no cancelled event (completed ones stay)."""
    return _not_cancelled if fake.cancelled_interviews == "omitted" else None


def _posting_renderer(call: _Call) -> Callable[[JobPostingRecord, etree._Element], etree._Element]:
    return lambda record, parent: _render.render_job_posting(
        record, call.ds, descriptors=call.descriptors, parent=parent
    )


_get_candidates: Final = _paged_get(
    _Get(
        reference_tag="Candidate_Reference",
        id_types=("WID", "Candidate_ID"),
        skippable=True,
        find=lambda ds, id_type, value, as_of: ds.find_candidate(id_type, value, as_of),
        key=lambda record: record.candidate_id,
        key_type="Candidate_ID",
        matching=matching_candidates,
        renderer=_candidate_renderer,
    )
)
_get_job_requisitions: Final = _paged_get(
    _Get(
        reference_tag="Job_Requisition_Reference",
        id_types=("WID", "Job_Requisition_ID"),
        skippable=True,
        find=lambda ds, id_type, value, as_of: ds.find_requisition(id_type, value, as_of),
        key=lambda record: record.requisition_id,
        key_type="Job_Requisition_ID",
        matching=matching_requisitions,
        renderer=_requisition_renderer,
    )
)
_get_interviews: Final = _paged_get(
    _Get(
        reference_tag="Interview_Reference",
        id_types=("WID",),
        skippable=False,
        find=lambda ds, _id_type, value, as_of: ds.find_interview(value, as_of),
        key=lambda record: record.wid,
        key_type="WID",
        matching=matching_interviews,
        renderer=_interview_renderer,
        droppable=False,
        answered=_answered_interviews,
    )
)
_get_job_postings: Final = _paged_get(
    _Get(
        reference_tag="Job_Posting_Reference",
        id_types=("WID", "Job_Posting_ID"),
        skippable=False,
        find=lambda ds, id_type, value, as_of: ds.find_job_posting(id_type, value, as_of),
        key=lambda record: record.posting_id,
        key_type="Job_Posting_ID",
        matching=matching_postings,
        renderer=_posting_renderer,
    )
)


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


_HANDLERS: Final[dict[str, Callable[[_Call, ResponseFilter], etree._Element]]] = {
    "Get_Candidates": _get_candidates,
    "Get_Job_Requisitions": _get_job_requisitions,
    "Get_Interviews": _get_interviews,
    "Get_Web_Conference_Interview_Data": _get_web_conference,
    "Get_Job_Postings": _get_job_postings,
}
