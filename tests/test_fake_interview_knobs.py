"""FakeTenant's knobs for two more things Workday does not document about ``Get_Interviews``.

* ``interview_data_names``: what a ``wd:Interview`` names besides its event: nothing (``"event"``), its job
  application (``"application"``, the default) or its candidate and requisition (``"candidate"``), each in a second
  ``Interview_Data`` (the schema's choice holds one of the three per ``Interview_Data``).
* ``cancelled_interviews``: whether a cancelled event is still answered (``"kept"``, the default) or left out of
  every answer (``"omitted"``: no listing or criteria answer holds it, and a by-reference read of it is answered as
  one of an unknown WID).

Every answer is checked against Workday's XSD; the SDK's ``Interview`` model and ``upcoming()`` read each shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Literal, get_args

import pytest
from lxml import etree

from fake_soap import NS, Reply, assert_valid, call, get_request, ref
from workday_recruiting import RecruitingClient
from workday_recruiting.models import Interview
from workday_recruiting.testing import FakeTenant
from workday_recruiting.testing._knobs import CancelledInterviews, InterviewDataNames
from workday_recruiting.testing._records import InterviewRecord

Factory = Callable[..., FakeTenant]
Key = tuple[str | None, Any, str | None, str | None]
Strategy = Literal["listing", "scan_all"]
NAMES: tuple[InterviewDataNames, ...] = get_args(InterviewDataNames)
INTERVIEWS = "wd:Response_Data/wd:Interview"
EVENT_REFS = f"{INTERVIEWS}/wd:Interview_Data/wd:Interview_Event_Reference"


@pytest.fixture(scope="module")
def tenant() -> Iterator[FakeTenant]:
    """A 120-candidate tenant whose knobs each test sets (they are settable at run time)."""
    with FakeTenant(candidates=120, seed=3) as fake:
        yield fake


def by_application(application_id: str) -> str:
    reference = ref("Job_Application_Reference", Job_Application_ID=application_id)
    return f"<wd:Request_Criteria>{reference}</wd:Request_Criteria>"


def by_candidate(candidate_id: str, requisition_id: str) -> str:
    return (
        "<wd:Request_Criteria><wd:Candidate_Interview_Criteria_Data>"
        + ref("Candidate_Reference", Candidate_ID=candidate_id)
        + ref("Requisition_Reference", Job_Requisition_ID=requisition_id)
        + "</wd:Candidate_Interview_Criteria_Data></wd:Request_Criteria>"
    )


def by_reference(*wids: str) -> str:
    references = "".join(ref("Interview_Reference", WID=wid) for wid in wids)
    return f"<wd:Request_References>{references}</wd:Request_References>"


def answer(fake: FakeTenant, inner: str = "", *, as_of: str | None = None, descriptors: bool = False) -> Reply:
    reply = call(fake, get_request("Get_Interviews_Request", inner, count=999, as_of=as_of), descriptors=descriptors)
    assert reply.status == 200, reply.content[:500]
    return reply


def wids(reply: Reply) -> list[str]:
    return reply.ids(EVENT_REFS, "WID")


def events(fake: FakeTenant) -> list[InterviewRecord]:
    """Every interview event of the data set (current versions), by candidate then application."""
    return [
        interview
        for candidate in fake.dataset.iter_candidates()
        for application in candidate.applications
        for interview in fake.dataset.interviews_for_application(application.application_id)
    ]


def in_window(fake: FakeTenant, interview: InterviewRecord) -> set[str]:
    """The WIDs of the event's sessions starting in the two weeks from the data set's ``now``."""
    start = fake.dataset.now
    return {s.wid for s in interview.sessions if start <= s.start < start + dt.timedelta(days=14)}


def upcoming_event(fake: FakeTenant) -> InterviewRecord:
    """An event in progress with a session in the coming two weeks."""
    return next(e for e in events(fake) if e.status == "in_progress" and in_window(fake, e))


def session_keys(found: list[Any]) -> list[Key]:
    return sorted((s.session.wid, s.start, s.candidate.candidate_id, s.application.application_id) for s in found)


def upcoming(fake: FakeTenant, strategy: Strategy) -> list[Key]:
    """The sessions ``client.interviews.upcoming(strategy=...)`` finds in the two weeks from the data set's ``now``."""
    start = fake.dataset.now
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        found = client.interviews.upcoming(
            start=start, end=start + dt.timedelta(days=14), meeting_links=False, strategy=strategy
        )
    return session_keys(found)


# -- the knobs themselves --------------------------------------------------------------------------------------------


def test_defaults_and_refused_values(fake_tenant_factory: Factory) -> None:
    """Events name their application and cancelled events are kept by default; other values are refused."""
    fake = fake_tenant_factory(candidates=5)
    assert (fake.interview_data_names, fake.cancelled_interviews) == ("application", "kept")
    with pytest.raises(ValueError, match="interview_data_names must be one of 'event', 'application', 'candidate'"):
        fake.interview_data_names = "requisition"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="cancelled_interviews must be one of 'kept', 'omitted'"):
        fake.cancelled_interviews = "hidden"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="interview_data_names"):
        FakeTenant(candidates=5, interview_data_names="worker")  # type: ignore[arg-type]
    assert (fake.interview_data_names, fake.cancelled_interviews) == ("application", "kept")
    assert set(get_args(CancelledInterviews)) == {"kept", "omitted"}


# -- interview_data_names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("descriptors", [False, True], ids=["plain", "descriptors"])
@pytest.mark.parametrize("names", NAMES)
def test_every_shape_is_schema_valid_in_every_kind_of_answer(
    tenant: FakeTenant, full_xsd: etree.XMLSchema, names: InterviewDataNames, descriptors: bool
) -> None:
    """The listing, both criteria and a by-reference read validate against the XSD in each shape."""
    tenant.interview_data_names = names
    event = upcoming_event(tenant)
    for inner in (
        "",
        by_application(event.application_id),
        by_candidate(event.candidate_id, event.requisition_id),
        by_reference(event.wid),
    ):
        reply = answer(tenant, inner, descriptors=descriptors)
        assert_valid(full_xsd, reply.body)
        assert event.wid in wids(reply)


@pytest.mark.parametrize("names", NAMES)
def test_the_first_interview_data_names_the_event_and_holds_the_sessions(
    tenant: FakeTenant, names: InterviewDataNames
) -> None:
    """Each shape keeps the event's reference, sessions and time zone in the first Interview_Data."""
    tenant.interview_data_names = names
    listed = {e.wid: e for e in events(tenant)}
    interviews = answer(tenant).body.findall(INTERVIEWS, NS)
    assert len(interviews) == len(listed)
    for element in interviews:
        first, *more = element.findall("wd:Interview_Data", NS)
        wid = first.findtext("wd:Interview_Event_Reference/wd:ID[@wd:type='WID']", namespaces=NS)
        assert wid in listed
        assert len(first.findall("wd:Interview_Session_Data", NS)) == len(listed[wid].sessions)
        assert first.findtext("wd:Timezone_Reference/wd:ID[@wd:type='Time_Zone_ID']", namespaces=NS) == (
            listed[wid].time_zone
        )
        assert len(more) == (0 if names == "event" else 1)
        assert all(extra.find("wd:Interview_Session_Data", NS) is None for extra in more)


@pytest.mark.parametrize("names", NAMES)
def test_the_sdk_model_reads_the_references_each_shape_names(tenant: FakeTenant, names: InterviewDataNames) -> None:
    """``Interview.from_xml`` gets the event always, and the application, or the candidate and requisition, as named."""
    tenant.interview_data_names = names
    listed = {e.wid: e for e in events(tenant)}
    ds = tenant.dataset
    for element in answer(tenant).body.findall(INTERVIEWS, NS):
        model = Interview.from_xml(element)
        record = listed[model.wid or ""]
        assert len(model.sessions) == len(record.sessions)
        assert model.time_zone == record.time_zone
        if names == "application":
            found = ds.find_application("Job_Application_ID", record.application_id)
            assert found is not None and model.application is not None
            assert (model.application.wid, model.application.get("Job_Application_ID")) == (
                found[1].wid,
                record.application_id,
            )
            assert {s.application for s in model.sessions} == {model.application}
        else:
            assert model.application is None
        if names == "candidate":
            candidate = ds.find_candidate("Candidate_ID", record.candidate_id)
            requisition = ds.find_requisition("Job_Requisition_ID", record.requisition_id)
            assert candidate is not None and requisition is not None
            assert model.candidate is not None and model.requisition is not None
            assert (model.candidate.wid, model.candidate.get("Candidate_ID")) == (candidate.wid, record.candidate_id)
            assert (model.requisition.wid, model.requisition.get("Job_Requisition_ID")) == (
                requisition.wid,
                record.requisition_id,
            )
        else:
            assert model.candidate is None and model.requisition is None


@pytest.fixture(scope="module")
def fan_out(tenant: FakeTenant) -> list[Key]:
    """The sessions of the next two weeks by the full fan-out (one Get_Interviews per application)."""
    tenant.interview_data_names = "event"
    tenant.cancelled_interviews = "kept"
    found = upcoming(tenant, "scan_all")
    assert found, "the data set should have sessions in the window"
    return found


@pytest.mark.parametrize("names", NAMES)
def test_upcoming_by_listing_finds_the_fan_outs_sessions_in_every_shape(
    tenant: FakeTenant, fan_out: list[Key], names: InterviewDataNames
) -> None:
    """Whatever the events name besides themselves, the listing strategy delivers the full fan-out's sessions."""
    tenant.interview_data_names = names
    tenant.cancelled_interviews = "kept"
    assert upcoming(tenant, "listing") == fan_out


# -- cancelled_interviews ----------------------------------------------------------------------------------------


@pytest.fixture
def cancelled(fake_tenant_factory: Factory) -> tuple[FakeTenant, InterviewRecord, InterviewRecord]:
    """A tenant with an upcoming event cancelled (through the data set), and that event as it was before."""
    fake = fake_tenant_factory(candidates=120, seed=3)
    before = upcoming_event(fake)
    after = fake.dataset.update_interview(before.wid, status="cancelled")
    return fake, before, after


def test_kept_a_cancelled_event_is_still_answered_with_its_sessions(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord], full_xsd: etree.XMLSchema
) -> None:
    """``"kept"``: the listing, both criteria and a by-reference read still return the cancelled event."""
    fake, before, _ = cancelled
    assert fake.cancelled_interviews == "kept"
    for inner in (
        "",
        by_application(before.application_id),
        by_candidate(before.candidate_id, before.requisition_id),
        by_reference(before.wid),
    ):
        reply = answer(fake, inner)
        assert_valid(full_xsd, reply.body)
        assert before.wid in wids(reply)
    sessions = answer(fake, by_reference(before.wid)).ids(
        f"{INTERVIEWS}/wd:Interview_Data/wd:Interview_Session_Data/wd:Interview_Session_Reference", "WID"
    )
    assert sessions == [s.wid for s in before.sessions]


def test_omitted_a_cancelled_event_is_in_no_listing_or_criteria_answer(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord], full_xsd: etree.XMLSchema
) -> None:
    """``"omitted"``: the cancelled event disappears from the listing and both criteria; other events stay."""
    fake, before, _ = cancelled
    fake.cancelled_interviews = "omitted"
    everything = events(fake)
    answered = [e.wid for e in everything if e.status != "cancelled"]
    assert any(e.status == "completed" for e in everything) and before.wid not in answered
    listing = answer(fake)
    assert_valid(full_xsd, listing.body)
    assert wids(listing) == answered
    assert listing.results()["Total_Results"] == len(answered)
    owner = fake.dataset.find_candidate("Candidate_ID", before.candidate_id)
    assert owner is not None
    criteria = {
        by_application(before.application_id): [before.application_id],
        by_candidate(before.candidate_id, before.requisition_id): [
            a.application_id for a in owner.applications if a.requisition_id == before.requisition_id
        ],
    }
    for inner, applications in criteria.items():
        reply = answer(fake, inner)
        assert_valid(full_xsd, reply.body)
        expected = [
            e.wid
            for application_id in applications
            for e in fake.dataset.interviews_for_application(application_id)
            if e.status != "cancelled"
        ]
        assert wids(reply) == expected


def test_omitted_a_cancelled_event_read_by_reference_is_an_unknown_wid(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord],
) -> None:
    """``"omitted"``: naming the cancelled event gets the fault an unknown WID gets (the whole request fails)."""
    fake, before, _ = cancelled
    other = next(e for e in events(fake) if e.status == "in_progress")
    fake.cancelled_interviews = "omitted"
    unknown = call(fake, get_request("Get_Interviews_Request", by_reference(other.wid, "0" * 32)))
    refused = call(fake, get_request("Get_Interviews_Request", by_reference(other.wid, before.wid)))
    message = "Validation error occurred. Invalid ID value.  '{}' is not a valid ID value for type = 'WID'"
    assert unknown.fault == ("SOAP-ENV:Client.validationError", message.format("0" * 32))
    assert refused.fault == ("SOAP-ENV:Client.validationError", message.format(before.wid))
    assert refused.status == unknown.status == 500
    assert [e["Xpath"] for e in refused.validation_errors] == [e["Xpath"] for e in unknown.validation_errors]
    assert wids(answer(fake, by_reference(other.wid))) == [other.wid]


def test_omitted_hides_the_event_only_from_its_cancellation_on(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord],
) -> None:
    """A snapshot pinned before the cancellation still shows the event, in progress; one after it does not."""
    fake, before, after = cancelled
    fake.cancelled_interviews = "omitted"
    earlier = (after.updated_at - dt.timedelta(milliseconds=1)).isoformat()
    assert before.wid in wids(answer(fake, as_of=earlier))
    assert before.wid in wids(answer(fake, by_reference(before.wid), as_of=earlier))
    assert before.wid not in wids(answer(fake, as_of=after.updated_at.isoformat()))


def test_switching_the_knob_is_not_hidden_by_the_paging_cache(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord],
) -> None:
    """The same pinned past request is answered afresh after the knob changes (it is part of the cache's keys)."""
    fake, before, after = cancelled
    fake.dataset.clock = lambda: after.updated_at + dt.timedelta(seconds=5)  # the pinned moment is in the past
    pinned = after.updated_at.isoformat()
    second = f"{INTERVIEWS}/wd:Interview_Data[2]"
    first = answer(fake, as_of=pinned)
    assert before.wid in wids(first) and first.body.find(second, NS) is not None
    fake.cancelled_interviews = "omitted"
    assert before.wid not in wids(answer(fake, as_of=pinned))
    fake.cancelled_interviews = "kept"
    assert before.wid in wids(answer(fake, as_of=pinned))
    fake.interview_data_names = "event"
    assert answer(fake, as_of=pinned).body.find(second, NS) is None


def test_omitted_leaves_the_web_conference_answer_as_it_was(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord],
) -> None:
    """Get_Web_Conference_Interview_Data still says the cancelled event is not in progress, whatever the knob."""
    fake, before, _ = cancelled
    body = get_request(
        "Get_Web_Conference_Interview_Data_Request",
        f"<wd:Request_References><wd:Interview_ID_Reference>{before.wid}</wd:Interview_ID_Reference>"
        "</wd:Request_References>",
    )
    for value in get_args(CancelledInterviews):
        fake.cancelled_interviews = value
        assert call(fake, body).fault == (
            "SOAP-ENV:Client.validationError",
            "Validation error occurred. Interview Event is not in progress.",
        )


def test_omitted_on_an_enterprise_tenant_lists_no_cancelled_event(fake_tenant_factory: Factory) -> None:
    """The enterprise profile's indexed listing leaves out its (generated) cancelled past events too."""
    fake = fake_tenant_factory(candidates=2_000, profile="enterprise", seed=5)
    kept = wids(answer(fake))
    statuses = {wid: record.status for wid in kept if (record := fake.dataset.find_interview(wid)) is not None}
    assert "cancelled" in statuses.values() and "completed" in statuses.values()
    fake.cancelled_interviews = "omitted"
    assert wids(answer(fake)) == [wid for wid in kept if statuses[wid] != "cancelled"]


@pytest.mark.parametrize("value", get_args(CancelledInterviews))
def test_upcoming_by_listing_matches_the_fan_out_either_way(
    cancelled: tuple[FakeTenant, InterviewRecord, InterviewRecord], value: CancelledInterviews
) -> None:
    """Kept or omitted, the listing and the fan-out agree; the cancelled event's sessions are there only if kept."""
    fake, before, _ = cancelled
    fake.cancelled_interviews = value
    full = upcoming(fake, "scan_all")
    assert upcoming(fake, "listing") == full
    shown = {session for session, *_ in full}
    cancelled_sessions = in_window(fake, before)
    if value == "kept":
        assert cancelled_sessions <= shown
    else:
        assert not cancelled_sessions & shown
