"""Models built from v45.2 responses (tests/data, valid against Workday's XSD): values, shapes and behaviour."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from lxml import etree

from workday_recruiting._ns import wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.models import (
    Candidate,
    EmailAddress,
    Interview,
    Interviewer,
    InterviewRoom,
    InterviewSession,
    JobApplication,
    JobPosting,
    JobRequisition,
    Model,
    ModelParseError,
    PersonName,
    Reference,
    RoleAssignment,
    ScheduledInterview,
    WebConference,
    WebConferenceSession,
)

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(DATA.glob("*_v45.2.xml"))
UTC = timezone.utc
EDT = timezone(timedelta(hours=-4))
NEW_YORK = ZoneInfo("America/New_York")


def _root(name: str) -> etree._Element:
    return parse_bytes((DATA / name).read_bytes())


def _items(name: str, tag: str) -> list[etree._Element]:
    data = _root(name).find(wd("Response_Data"))
    assert data is not None
    return [child for child in data if child.tag == wd(tag)]


def _candidates() -> list[Candidate]:
    return [Candidate.from_xml(el) for el in _items("get_candidates_v45.2.xml", "Candidate")]


def _requisitions() -> list[JobRequisition]:
    return [JobRequisition.from_xml(el) for el in _items("get_job_requisitions_v45.2.xml", "Job_Requisition")]


def _interviews() -> list[Interview]:
    return [Interview.from_xml(el) for el in _items("get_interviews_v45.2.xml", "Interview")]


def _web_conference() -> WebConference:
    data = _root("get_web_conference_interview_data_v45.2.xml").find(wd("Response_Data"))
    assert data is not None
    return WebConference.from_xml(data)


def _postings() -> list[JobPosting]:
    return [JobPosting.from_xml(el) for el in _items("get_job_postings_v45.2.xml", "Job_Posting")]


def _scheduled() -> ScheduledInterview:
    candidate = _candidates()[0]
    interview = _interviews()[0]
    meeting = _web_conference()
    session = interview.sessions[0]
    return ScheduledInterview(
        candidate=candidate,
        application=candidate.applications[0],
        requisition=candidate.applications[0].requisition,
        interview=interview,
        session=session,
        meeting=meeting.session_for(session),
    )


def _every_model() -> list[Model]:
    """One of each model kind, built from the samples."""
    candidate = _candidates()[0]
    assert candidate.legal_name is not None
    requisition = _requisitions()[0]
    interview = _interviews()[0]
    meeting = _web_conference()
    return [
        candidate,
        candidate.reference,
        candidate.legal_name,
        candidate.emails[0],
        candidate.phones[0],
        candidate.addresses[0],
        candidate.applications[0],
        requisition,
        requisition.roles[0],
        interview,
        interview.sessions[0],
        meeting,
        meeting.sessions[0],
        meeting.sessions[0].interviewers[0],
        meeting.sessions[0].rooms[0],
        _postings()[0],
        _scheduled(),
    ]


# --------------------------------------------------------------------------------------------------
# The samples themselves
# --------------------------------------------------------------------------------------------------


@pytest.mark.needs_full_schema
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_are_valid_v45_2_responses(path: Path, full_xsd: etree.XMLSchema) -> None:
    """Every hand-written sample validates against Workday's full Recruiting v45.2 XSD."""
    document = etree.parse(str(path))
    assert full_xsd.validate(document), full_xsd.error_log


# --------------------------------------------------------------------------------------------------
# Candidates and applications
# --------------------------------------------------------------------------------------------------


def test_candidate_names_prefer_the_preferred_name() -> None:
    """Legal and preferred names are both kept; the display name is the preferred one."""
    maria = _candidates()[0]
    assert maria.legal_name == PersonName(
        first="Maria", middle="Jose", last="Garcia", secondary_last="Lopez", prefix="Dr."
    )
    assert maria.legal_name.formatted == "Dr. Maria Jose Garcia Lopez"
    assert maria.preferred_name == PersonName(first="Majo", last="Garcia")
    assert maria.name == "Majo Garcia"


def test_candidate_contact_details() -> None:
    """Email, phone with device type and extension, websites and the address are read."""
    maria = _candidates()[0]
    assert maria.emails == (EmailAddress("maria.garcia@example.org"),)
    (phone,) = maria.phones
    assert phone.number == "20 7946 0958"
    assert phone.country_code == "44"
    assert phone.extension == "12"
    assert phone.device_type is not None
    assert phone.device_type.id == "Mobile"
    assert phone.formatted == "+44 20 7946 0958 x12"
    assert maria.websites == ("https://example.org/~maria",)
    (address,) = maria.addresses
    assert address.lines == ("Flat 4", "10 Example Street")
    assert (address.city, address.region, address.postal_code, address.country) == (
        "London",
        "GBR-ENG",
        "EC1A 1BB",
        "GB",
    )
    assert address.formatted == "Flat 4, 10 Example Street, London, GBR-ENG EC1A 1BB, GB"


def test_candidate_flags_tags_worker_and_source() -> None:
    """true/false flags (padded), tags, the worker and the application's source and referrer are read."""
    maria = _candidates()[0]
    assert (maria.withdrawn, maria.do_not_hire, maria.prospect) == (True, False, False)
    assert [tag.id for tag in maria.tags] == ["TAG_PYTHON", "TAG_RELOCATION"]
    assert maria.worker is not None
    assert maria.worker.get("Employee_ID") == "21001"
    assert maria.source is not None
    assert maria.source.descriptor == "Employee Referral"
    assert maria.referred_by is not None
    assert maria.referred_by.id == "20007"


def test_v45_application_reference_beside_job_applied_to_data() -> None:
    """In v45.2 the application's reference sits in Job_Application_Data, beside Job_Applied_To_Data."""
    (application,) = _candidates()[0].applications
    assert application.application_id == "JOB_APPLICATION-7-100"
    assert application.wid == "66666666666666666666666666666666"
    assert application.requisition.id == "R-00042"
    assert application.stage.id == "INTERVIEW"
    assert application.disposition is not None
    assert application.disposition.id == "WITHDREW"
    assert application.candidate is not None
    assert application.candidate.id == "CAND-2001"


def test_application_dates_keep_offsets_and_truncate_nanoseconds() -> None:
    """A +05:30 offset and nine fractional digits read as an aware datetime to the microsecond."""
    (application,) = _candidates()[0].applications
    assert application.applied_at == datetime(
        2024, 3, 5, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert application.status_at == datetime(2024, 3, 20, 8, tzinfo=UTC)


def test_prospect_with_0_1_flags_and_two_applications() -> None:
    """1/0 flags, a naive application date (read as UTC), two applied-to entries and the prospect's source."""
    lee = _candidates()[1]
    assert (lee.withdrawn, lee.do_not_hire, lee.prospect) == (False, True, True)
    assert [app.application_id for app in lee.applications] == ["JOB_APPLICATION-7-201", "JOB_APPLICATION-7-202"]
    assert [app.stage.id for app in lee.applications] == ["REVIEW", "SCREEN"]
    assert lee.applications[0].applied_at == datetime(2024, 4, 1, 10, tzinfo=UTC)
    assert lee.applications[1].applied_at is None
    assert lee.source is not None
    assert lee.source.id == "LINKEDIN"
    assert lee.primary_phone == "+1 555-0100"


def test_candidate_with_only_a_reference() -> None:
    """Missing Candidate_Data gives empty tuples, None and False - no error."""
    bare = _candidates()[2]
    assert bare.candidate_id == "CAND-2003"
    assert (bare.legal_name, bare.name, bare.primary_email, bare.primary_phone) == (None, None, None, None)
    assert (bare.emails, bare.phones, bare.addresses, bare.applications, bare.tags) == ((), (), (), (), ())
    assert (bare.withdrawn, bare.do_not_hire, bare.prospect) == (False, False, False)


@pytest.mark.parametrize("index", [0, 1])
def test_standalone_applications_match_the_candidates(index: int) -> None:
    """JobApplication.from_xml on a Job_Application_Data equals what Candidate.from_xml built."""
    element = _items("get_candidates_v45.2.xml", "Candidate")[index]
    candidate = Candidate.from_xml(element)
    (data,) = element.iter(wd("Job_Application_Data"))
    assert JobApplication.from_xml(data) == candidate.applications[0]


def test_candidate_from_bare_candidate_data() -> None:
    """A bare Candidate_Data builds the same candidate, its reference made from Candidate_ID."""
    element = _items("get_candidates_v45.2.xml", "Candidate")[1]
    data = element.find(wd("Candidate_Data"))
    assert data is not None
    candidate = Candidate.from_xml(data)
    assert candidate.reference == Reference.of("Candidate_ID", "CAND-2002")
    assert candidate.name == "Lee Park"


# --------------------------------------------------------------------------------------------------
# Requisitions and postings
# --------------------------------------------------------------------------------------------------


def test_requisition_details_and_dates_with_offsets() -> None:
    """Title, counts, description (unescaped rich text) and dates written with offsets are read."""
    requisition = _requisitions()[0]
    assert requisition.requisition_id == "R-00042"
    assert requisition.title == "Data Engineer"
    assert (requisition.positions_allocated, requisition.positions_available) == (2, 1)
    assert requisition.description == "<p>Build &amp; run data pipelines.</p>"
    assert requisition.description_summary == "Build pipelines."
    assert requisition.recruiting_start_date == date(2024, 2, 1)
    assert requisition.target_hire_date == date(2024, 6, 3)
    assert requisition.target_end_date == date(2025, 6, 2)
    assert requisition.status is not None
    assert requisition.status.id == "OPEN"


def test_requisition_locations_are_primary_first_without_duplicates() -> None:
    """The primary location leads; an additional location repeating it is not listed twice."""
    requisition = _requisitions()[0]
    assert [location.id for location in requisition.locations] == ["London_site", "Manchester_site"]
    assert requisition.primary_location == requisition.locations[0]


def test_requisition_recruiter_and_hiring_manager_from_role_assignments() -> None:
    """Recruiter and hiring manager come from Role_Assignment_Data, matched by role ID or descriptor."""
    requisition = _requisitions()[0]
    assert [person.descriptor for person in requisition.recruiters] == ["Rita Recruiter"]
    assert [person.descriptor for person in requisition.hiring_managers] == ["Hank Manager"]
    assert requisition.recruiter == requisition.recruiters[0]
    assert len(requisition.roles) == 3
    coordinator = requisition.roles[2]
    assert coordinator.is_role("recruiting_coordinator")
    assert not coordinator.is_role("recruiter")
    assert requisition.roles[0].effective_date == date(2024, 2, 1)


def test_requisition_with_status_only() -> None:
    """A requisition without details has None and empty tuples everywhere else."""
    requisition = _requisitions()[1]
    assert requisition.status is not None
    assert requisition.status.id == "FILLED"
    assert (requisition.title, requisition.primary_location, requisition.locations) == (None, None, ())


def test_posting() -> None:
    """A posting's title, requisition, site, dates (one with an offset), URL and primary flag."""
    posting = _postings()[0]
    assert posting.posting_id == "JOB_POSTING-5-10"
    assert posting.title == "Data Engineer (London)"
    assert posting.requisition is not None
    assert posting.requisition.id == "R-00042"
    assert posting.site is not None
    assert posting.site.descriptor == "External Career Site"
    assert (posting.start_date, posting.end_date) == (date(2024, 2, 2), date(2024, 6, 30))
    assert posting.external_url == "https://careers.example.com/job/R-00042/apply"
    assert posting.primary_posting is True


def test_posting_known_by_ids_only() -> None:
    """Without references, the posting and requisition references are built from their ID elements."""
    posting = _postings()[1]
    assert posting.reference == Reference.of("Job_Posting_ID", "JOB_POSTING-5-11")
    assert posting.requisition == Reference.of("Job_Requisition_ID", "R-00043")
    assert posting.primary_posting is False


# --------------------------------------------------------------------------------------------------
# Interviews and web conferences
# --------------------------------------------------------------------------------------------------


def test_interview_event_and_time_zone() -> None:
    """The event reference, its IANA time zone and its tzinfo are read."""
    interview = _interviews()[0]
    assert interview.reference is not None
    assert interview.reference.get("IID") == "INTERVIEW_EVENT-3-77"
    assert interview.wid == "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"
    assert interview.time_zone == "America/New_York"
    assert interview.tzinfo == NEW_YORK
    assert interview.comment == "Panel for the data team."


def test_interview_sessions_with_offsets() -> None:
    """A session's interviewers, start, end, location, type and comment are read, times aware."""
    session = _interviews()[0].sessions[0]
    assert session.start == datetime(2024, 5, 6, 10, tzinfo=EDT)
    assert session.end == datetime(2024, 5, 6, 11, tzinfo=EDT)
    assert [person.descriptor for person in session.interviewers] == ["Hank Manager", "Dana Engineer"]
    assert [location.id for location in session.locations] == ["NYC_site"]
    assert session.interview_type is not None
    assert session.interview_type.id == "TECHNICAL"
    assert session.comment == "Bring laptop."
    assert session.event == _interviews()[0].reference
    assert session.wid == "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e01"


def test_naive_session_times_are_read_in_the_interview_time_zone() -> None:
    """Start and end without an offset are New York wall-clock times (EDT in May), not UTC."""
    session = _interviews()[0].sessions[1]
    assert session.start == datetime(2024, 5, 6, 17, 30, tzinfo=UTC)
    assert session.end == datetime(2024, 5, 6, 18, tzinfo=UTC)
    assert session.local_start.utcoffset() == timedelta(hours=-4)


def test_interview_named_by_candidate_and_requisition_with_unknown_zone() -> None:
    """Criteria data gives candidate and requisition; an unknown zone keeps its name and has no tzinfo."""
    interview = _interviews()[1]
    assert interview.reference is None
    assert interview.candidate is not None
    assert interview.candidate.id == "CAND-2002"
    assert interview.requisition is not None
    assert interview.requisition.id == "R-00043"
    assert interview.time_zone == "Mars/Olympus_Mons"
    assert interview.tzinfo is None
    assert interview.sessions[0].end == datetime(2024, 5, 7, 9, 45, 0, 500000, tzinfo=UTC)


def test_interview_takes_the_application_the_caller_asked_about() -> None:
    """Get_Interviews names the event, not the application: the caller's reference fills it in."""
    element = _items("get_interviews_v45.2.xml", "Interview")[0]
    application = Reference.of("Job_Application_ID", "JOB_APPLICATION-7-100")
    interview = Interview.from_xml(element, application=application)
    assert interview.application == application
    assert all(session.application == application for session in interview.sessions)


def test_web_conference_meeting_and_people_per_session() -> None:
    """Meeting ID and URL (on every session), interviewers' names and emails and rooms are read."""
    meeting = _web_conference()
    assert (meeting.meeting_id, meeting.meeting_url) == ("987 6543 2100", "https://meet.example.com/j/98765432100")
    first = meeting.sessions[0]
    assert first.meeting_url == meeting.meeting_url
    assert first.interviewers == (
        Interviewer(name="Hank Manager", email="hank.manager@example.com"),
        Interviewer(name="Dana Engineer", email="dana.engineer@example.com"),
    )
    assert first.rooms == (InterviewRoom(name="NYC 4th floor", email="room.nyc4@example.com"),)
    assert first.start == datetime(2024, 5, 6, 10, tzinfo=EDT)


def test_web_conference_times_are_read_leniently() -> None:
    """Free-text session times: offset-less ones are read in the interview's zone, others kept as text."""
    meeting = _web_conference()
    assert meeting.sessions[1].start == datetime(2024, 5, 6, 13, 30, tzinfo=NEW_YORK)
    odd = meeting.sessions[2]
    assert (odd.start, odd.start_text, odd.end) == (None, "May 6, 2024 3:00 PM", None)


def test_web_conference_session_matches_an_interview_session() -> None:
    """session_for finds the meeting session with the same session WID."""
    meeting = _web_conference()
    interview = _interviews()[0]
    assert meeting.session_for(interview.sessions[1]) is meeting.sessions[1]
    assert meeting.session_for(Reference.of("WID", "unknown")) is None


def test_web_conference_from_any_level_of_the_response() -> None:
    """Response_Data, Web_Conference_Interview and its data element all build the same meeting."""
    data = _root("get_web_conference_interview_data_v45.2.xml").find(wd("Response_Data"))
    assert data is not None
    interview = data[0]
    assert WebConference.from_xml(interview) == WebConference.from_xml(data)
    assert WebConference.from_xml(interview[0]) == WebConference.from_xml(data)


def test_scheduled_interview_uses_meeting_people_and_link() -> None:
    """The joined view exposes the session's times and the meeting's interviewers and URL."""
    scheduled = _scheduled()
    assert scheduled.start == datetime(2024, 5, 6, 14, tzinfo=UTC)
    assert scheduled.time_zone == "America/New_York"
    assert [str(person) for person in scheduled.interviewers] == [
        "Hank Manager <hank.manager@example.com>",
        "Dana Engineer <dana.engineer@example.com>",
    ]
    assert scheduled.meeting_url == "https://meet.example.com/j/98765432100"
    assert scheduled.candidate.name == "Majo Garcia"


def test_scheduled_interview_without_meeting_data_names_the_workers() -> None:
    """Without web-conference data the interviewers are the session's workers, by descriptor."""
    scheduled = attrs.evolve(_scheduled(), meeting=None)
    assert [person.name for person in scheduled.interviewers] == ["Hank Manager", "Dana Engineer"]
    assert scheduled.interviewers[0].reference is not None
    assert scheduled.meeting_url is None


# --------------------------------------------------------------------------------------------------
# Malformed values
# --------------------------------------------------------------------------------------------------

_WD = "urn:com.workday/bsvc"


def _candidate_xml(status: str = "", applied: str = "") -> etree._Element:
    return etree.fromstring(
        f'<wd:Candidate xmlns:wd="{_WD}"><wd:Candidate_Reference>'
        '<wd:ID wd:type="Candidate_ID">C-1</wd:ID></wd:Candidate_Reference>'
        f"<wd:Candidate_Data>{status}{applied}</wd:Candidate_Data></wd:Candidate>"
    )


def test_garbage_boolean_raises_naming_the_element() -> None:
    """A flag that is neither 0/1 nor true/false raises ModelParseError naming it."""
    element = _candidate_xml(status="<wd:Status_Data><wd:Withdrawn>maybe</wd:Withdrawn></wd:Status_Data>")
    with pytest.raises(ModelParseError, match=r"Withdrawn: 'maybe'"):
        Candidate.from_xml(element)


def test_garbage_datetime_raises_naming_the_element() -> None:
    """An unreadable Job_Application_Date raises ModelParseError naming it."""
    applied = (
        "<wd:Job_Application_Data><wd:Job_Applied_To_Data>"
        '<wd:Job_Requisition_Reference><wd:ID wd:type="Job_Requisition_ID">R-1</wd:ID></wd:Job_Requisition_Reference>'
        "<wd:Job_Application_Date>yesterday</wd:Job_Application_Date>"
        '<wd:Stage_Reference><wd:ID wd:type="Recruiting_Stage_ID">REVIEW</wd:ID></wd:Stage_Reference>'
        "</wd:Job_Applied_To_Data></wd:Job_Application_Data>"
    )
    with pytest.raises(ModelParseError, match=r"Job_Application_Date: 'yesterday'"):
        Candidate.from_xml(_candidate_xml(applied=applied))


def test_application_without_stage_raises() -> None:
    """The schema requires a stage; an application without one raises ModelParseError."""
    applied = (
        "<wd:Job_Application_Data><wd:Job_Applied_To_Data>"
        '<wd:Job_Requisition_Reference><wd:ID wd:type="Job_Requisition_ID">R-1</wd:ID></wd:Job_Requisition_Reference>'
        "</wd:Job_Applied_To_Data></wd:Job_Application_Data>"
    )
    with pytest.raises(ModelParseError, match="Stage_Reference"):
        Candidate.from_xml(_candidate_xml(applied=applied))


def test_empty_elements_read_as_absent() -> None:
    """Empty Withdrawn and Do_Not_Hire elements are absent flags (False), not errors."""
    element = _candidate_xml(status="<wd:Status_Data><wd:Do_Not_Hire/><wd:Withdrawn> </wd:Withdrawn></wd:Status_Data>")
    candidate = Candidate.from_xml(element)
    assert (candidate.withdrawn, candidate.do_not_hire) == (False, False)


def test_bad_requisition_count_raises() -> None:
    """A fractional Positions_Available raises ModelParseError."""
    element = etree.fromstring(
        f'<wd:Job_Requisition xmlns:wd="{_WD}"><wd:Job_Requisition_Data><wd:Job_Requisition_Detail_Data>'
        "<wd:Positions_Available>1.5</wd:Positions_Available>"
        "</wd:Job_Requisition_Detail_Data></wd:Job_Requisition_Data></wd:Job_Requisition>"
    )
    with pytest.raises(ModelParseError, match="Positions_Available"):
        JobRequisition.from_xml(element)


def test_session_without_times_raises() -> None:
    """The schema requires start and end; a session without them raises ModelParseError."""
    element = etree.fromstring(
        f'<wd:Interview xmlns:wd="{_WD}"><wd:Interview_Data><wd:Interview_Session_Data>'
        "<wd:Interview_Session_Details_Data/></wd:Interview_Session_Data></wd:Interview_Data></wd:Interview>"
    )
    with pytest.raises(ModelParseError, match="Interview_Start_Time"):
        Interview.from_xml(element)


# --------------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------------


def test_reference_from_xml() -> None:
    """WID, the other IDs in order and the descriptor are read; id is the first non-WID ID."""
    element = etree.fromstring(
        f'<wd:Candidate_Reference xmlns:wd="{_WD}" wd:Descriptor="Alex Tester">'
        '<wd:ID wd:type="WID">abc</wd:ID><wd:ID wd:type="Candidate_ID">CAND-1</wd:ID>'
        '<wd:ID wd:type="Other_ID"> x </wd:ID></wd:Candidate_Reference>'
    )
    ref = Reference.from_xml(element)
    assert ref == Reference("abc", {"Candidate_ID": "CAND-1", "Other_ID": "x"}, "Alex Tester")
    assert ref.id == "CAND-1"
    assert (ref.get("WID"), ref.get("Other_ID"), ref.get("Missing")) == ("abc", "x", None)
    assert str(ref) == "Alex Tester"


def test_reference_with_only_a_wid_uses_it_as_id() -> None:
    """A reference with nothing but a WID has that WID as its id."""
    assert Reference.of("WID", "abc").id == "abc"
    assert Reference().id is None


def test_reference_ids_are_read_only_and_hashable() -> None:
    """ids cannot be changed in place, and equal references hash equal whatever mapping was passed."""
    ref = Reference("w", {"Candidate_ID": "C"})
    with pytest.raises(TypeError):
        ref.ids["Candidate_ID"] = "D"  # type: ignore[index]
    assert hash(ref) == hash(Reference("w", (("Candidate_ID", "C"),)))
    assert len({ref, Reference("w", {"Candidate_ID": "C"}), Reference("w", {"Candidate_ID": "D"})}) == 2


def test_reference_repr_is_short() -> None:
    """repr shows only what is set, as a constructor call."""
    assert repr(Reference.of("Candidate_ID", "C")) == "Reference(ids={'Candidate_ID': 'C'})"


# --------------------------------------------------------------------------------------------------
# Every model
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", _every_model(), ids=lambda m: type(m).__name__)
def test_models_are_frozen(model: Model) -> None:
    """Assigning to a field raises."""
    field = attrs.fields(type(model))[0]  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(model, field.name, None)


@pytest.mark.parametrize("model", _every_model(), ids=lambda m: type(m).__name__)
def test_models_are_slotted_and_hashable(model: Model) -> None:
    """No __dict__, and a hash that is stable across equal instances."""
    assert not hasattr(model, "__dict__")
    assert hash(model) == hash(attrs.evolve(model))  # type: ignore[misc]


@pytest.mark.parametrize("model", _every_model(), ids=lambda m: type(m).__name__)
def test_repr_leaves_out_the_raw_element(model: Model) -> None:
    """repr never shows lxml elements (raw stays out), so it stays short and readable."""
    assert "_Element" not in repr(model)
    assert "raw=" not in repr(model)


@pytest.mark.parametrize("model", _every_model(), ids=lambda m: type(m).__name__)
def test_repr_is_one_readable_line(model: Model) -> None:
    """repr is one line of IDs and names: no nested references, at most a few hundred characters."""
    shown = repr(model)
    assert "\n" not in shown and len(shown) <= 400, shown
    assert shown.startswith(f"{type(model).__name__}(")
    if not isinstance(model, Reference):
        assert "Reference(" not in shown


def test_repr_shows_ids_and_names() -> None:
    """A candidate's repr names it by ID, name and contact; a scheduled interview by start, candidate, requisition."""
    candidate = _candidates()[0]
    assert repr(candidate).startswith("Candidate(candidate_id='CAND-2001', name='Majo Garcia', ")
    scheduled = repr(_scheduled())
    assert scheduled.startswith("ScheduledInterview(start=")
    assert "candidate=" in scheduled and "requisition=" in scheduled


@pytest.mark.parametrize("model", _every_model(), ids=lambda m: type(m).__name__)
def test_to_dict_is_json_ready_and_round_trip_stable(model: Model) -> None:
    """to_dict survives json.dumps/json.loads unchanged and has no raw key at any depth."""
    data = model.to_dict()
    text = json.dumps(data)
    assert json.loads(text) == data
    assert '"raw"' not in text
    assert model.to_dict() == data


def test_to_dict_shapes() -> None:
    """Datetimes become ISO-8601 strings, references dicts, nested models dicts, computed names included."""
    data: dict[str, Any] = _candidates()[0].to_dict()
    assert data["reference"] == {
        "wid": "0a1b2c3d4e5f40718293a4b5c6d7e8f9",
        "ids": {"Candidate_ID": "CAND-2001"},
        "descriptor": "Maria Jose Garcia Lopez",
    }
    assert data["applications"][0]["applied_at"] == "2024-03-05T14:30:15.123456+05:30"
    assert data["name"] == "Majo Garcia"
    assert data["primary_phone"] == "+44 20 7946 0958 x12"
    assert data["legal_name"]["formatted"] == "Dr. Maria Jose Garcia Lopez"


def test_raw_keeps_the_source_element() -> None:
    """raw is the element the model came from, for fields not modelled yet."""
    element = _items("get_candidates_v45.2.xml", "Candidate")[0]
    candidate = Candidate.from_xml(element)
    assert candidate.raw is element
    assert candidate.applications[0].raw is not None
    assert candidate.applications[0].raw.tag == wd("Job_Application_Data")


def test_parsing_twice_gives_equal_models() -> None:
    """Equality ignores raw: the same XML parsed twice gives equal candidates."""
    assert _candidates() == _candidates()


def test_session_types_are_reexported() -> None:
    """The interview session classes are public model names."""
    assert issubclass(InterviewSession, Model)
    assert issubclass(WebConferenceSession, Model)
    assert issubclass(RoleAssignment, Model)


@pytest.mark.parametrize(
    ("number", "country_code", "expected"),
    [
        ("05 6719 0422", "33", "+33 5 6719 0422"),
        ("06 1234 5678", "39", "+39 06 1234 5678"),
        ("4155550129", "1", "+1 415-555-0129"),
        ("+44 20 7946 0018", "44", "+44 20 7946 0018"),
    ],
)
def test_phone_international_form(number: str, country_code: str, expected: str) -> None:
    """Formatted phones use the international form: country code, no trunk 0 (except Italy), no doubled code."""
    from workday_recruiting.models.candidates import _formatted

    assert _formatted(number, country_code, None) == expected
