"""Models read back exactly what the FakeTenant rendered: hundreds of varied candidates, requisitions, interviews.

The FakeTenant writes Workday's shapes from its own records (booleans as 0/1 and true/false alternately,
dates in the tenant's zone with offsets, résumés, referral and prospect data, descriptors on or off), so
comparing the models with those records checks the parsers far beyond the hand-written samples.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from workday_recruiting._ns import WD, wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.models import Candidate, Interview, JobApplication, JobRequisition, Reference, WebConference
from workday_recruiting.testing import _render
from workday_recruiting.testing._dataset import CandidateRecord, Dataset, InterviewRecord

ALL_PARTS = frozenset({"personal", "applications", "other"})
COUNT = 200


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """A fixed data set (same seed and clock every run)."""
    return Dataset(candidates=COUNT, seed=7, now=datetime(2024, 5, 1, tzinfo=timezone.utc))


def _page(dataset: Dataset, *, descriptors: bool, attachments: bool, parts: frozenset[str]) -> etree._Element:
    root = etree.Element(wd("Get_Candidates_Response"), nsmap={"wd": WD})
    data = etree.SubElement(root, wd("Response_Data"))
    for index in range(COUNT):
        _render.render_candidate(
            dataset.candidate_at(index),
            dataset,
            descriptors=descriptors,
            attachments=attachments,
            parts=parts,
            parent=data,
        )
    return parse_bytes(etree.tostring(root))  # through the wire form, as the client sees it


def _milliseconds(moment: datetime) -> datetime:
    """Workday (and the FakeTenant) send dateTimes to the millisecond."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _candidates(dataset: Dataset, **options: object) -> list[tuple[CandidateRecord, Candidate]]:
    page = _page(dataset, **options)  # type: ignore[arg-type]
    return [(dataset.candidate_at(i), Candidate.from_xml(el)) for i, el in enumerate(page.iter(wd("Candidate")))]


@pytest.mark.parametrize(
    ("descriptors", "attachments"), [(True, False), (False, True)], ids=["descriptors", "attachments"]
)
def test_candidates_match_the_records(dataset: Dataset, descriptors: bool, attachments: bool) -> None:
    """Identity, names, contact details, flags, tags and worker match each rendered record."""
    for record, candidate in _candidates(dataset, descriptors=descriptors, attachments=attachments, parts=ALL_PARTS):
        assert candidate.candidate_id == record.candidate_id
        assert candidate.wid == record.wid
        assert candidate.legal_name is not None
        assert (candidate.legal_name.first, candidate.legal_name.last) == (record.first_name, record.last_name)
        assert candidate.legal_name.secondary_last == record.secondary_last_name
        if record.preferred_first_name or record.preferred_last_name:
            assert candidate.preferred_name is not None
            assert candidate.preferred_name.first == (record.preferred_first_name or record.first_name)
        else:
            assert candidate.preferred_name is None
        first, last = record.display_name.split(" ", 1)[0], record.preferred_last_name or record.last_name
        assert candidate.name is not None
        assert candidate.name.startswith(first)
        assert last in candidate.name
        assert candidate.primary_email == record.primary_email
        assert [phone.number for phone in candidate.phones] == [phone.number for phone in record.phones[:1]]
        if record.phones:
            assert candidate.phones[0].country_phone_code is not None
            assert candidate.phones[0].country_phone_code.id == record.phones[0].country_phone_code_id
            assert candidate.phones[0].extension == record.phones[0].extension
        assert [a.city for a in candidate.addresses] == [a.city for a in record.addresses[:1]]
        if record.addresses:
            address, expected = candidate.addresses[0], record.addresses[0]
            assert address.lines == expected.lines[:9]
            assert address.postal_code == expected.postal_code
            assert address.country == expected.country
            assert (address.region_reference.id if address.region_reference else None) == expected.region_id
        assert (candidate.withdrawn, candidate.do_not_hire, candidate.prospect) == (
            record.withdrawn,
            record.do_not_hire,
            record.prospect,
        )
        assert [tag.id for tag in candidate.tags] == list(record.tags)
        assert (candidate.worker.id if candidate.worker else None) == record.worker_id
        assert (candidate.reference.descriptor is not None) == descriptors


def test_applications_match_the_records(dataset: Dataset) -> None:
    """Every application's IDs, requisition, stage, disposition, step, source and aware dates match."""
    for record, candidate in _candidates(dataset, descriptors=True, attachments=False, parts=ALL_PARTS):
        assert len(candidate.applications) == len(record.applications)
        for application, expected in zip(candidate.applications, record.applications, strict=True):
            assert application.application_id == expected.application_id
            assert application.wid == expected.wid
            assert application.candidate == candidate.reference
            assert application.requisition.id == expected.requisition_id
            assert application.stage.id == expected.stage_id
            assert (application.disposition.id if application.disposition else None) == expected.disposition_id
            assert (application.workflow_step.id if application.workflow_step else None) == (expected.workflow_step_id)
            assert application.source is not None
            assert application.source.id == expected.source_id
            assert application.applied_at == _milliseconds(expected.applied_at)
            assert application.status_at == _milliseconds(expected.status_at)
            assert application.applied_at is not None
            assert application.applied_at.utcoffset() == expected.applied_at.astimezone(dataset.tz).utcoffset()


def test_standalone_applications_match_for_every_candidate(dataset: Dataset) -> None:
    """JobApplication.from_xml on each Job_Application_Data equals the candidate's own application."""
    page = _page(dataset, descriptors=True, attachments=True, parts=ALL_PARTS)
    for element in page.iter(wd("Candidate")):
        candidate = Candidate.from_xml(element)
        standalone = [JobApplication.from_xml(data) for data in element.iter(wd("Job_Application_Data"))]
        assert standalone == list(candidate.applications)


@pytest.mark.parametrize("parts", [frozenset({"personal"}), frozenset({"applications"}), frozenset({"other"})])
def test_candidates_with_sections_withheld(dataset: Dataset, parts: frozenset[str]) -> None:
    """Field-level security removes whole sections; the rest still parses and the gaps are empty."""
    for record, candidate in _candidates(dataset, descriptors=False, attachments=False, parts=parts):
        assert candidate.candidate_id == record.candidate_id
        assert (candidate.legal_name is not None) == ("personal" in parts)
        assert len(candidate.applications) == (len(record.applications) if "applications" in parts else 0)
        if "other" not in parts:
            assert (candidate.withdrawn, candidate.do_not_hire, candidate.tags) == (False, False, ())


def test_requisitions_match_the_records(dataset: Dataset) -> None:
    """Requisition IDs, titles, counts, dates, locations, recruiters and hiring managers match the records."""
    root = etree.Element(wd("Get_Job_Requisitions_Response"), nsmap={"wd": WD})
    data = etree.SubElement(root, wd("Response_Data"))
    records = dataset.requisitions()
    for record in records:
        _render.render_requisition(record, dataset, descriptors=True, roles=True, workers_visible=True, parent=data)
    page = parse_bytes(etree.tostring(root))
    parsed = [JobRequisition.from_xml(el) for el in page.iter(wd("Job_Requisition"))]
    assert [r.requisition_id for r in parsed] == [record.requisition_id for record in records]
    for requisition, record in zip(parsed, records, strict=True):
        assert requisition.wid == record.wid
        assert requisition.title == record.title
        assert requisition.status is not None
        assert requisition.status.id == record.status_id
        assert (requisition.positions_allocated, requisition.positions_available) == (
            record.positions,
            record.positions_available,
        )
        assert [position.id for position in requisition.positions] == list(record.position_ids)
        assert [location.id for location in requisition.locations] == list(dict.fromkeys(record.location_ids))
        assert (requisition.recruiting_start_date, requisition.target_hire_date, requisition.target_end_date) == (
            record.recruiting_start_date,
            record.target_hire_date,
            record.target_end_date,
        )
        assert requisition.job_profile is not None
        assert requisition.job_profile.id == record.job_profile_id
        assert [person.id for person in requisition.recruiters] == list(record.recruiter_ids)
        assert [person.id for person in requisition.hiring_managers] == list(record.hiring_manager_ids)


def _interview_records(dataset: Dataset) -> list[InterviewRecord]:
    records: list[InterviewRecord] = []
    for index in range(COUNT):
        for application in dataset.candidate_at(index).applications:
            records.extend(dataset.interviews_for_application(application.application_id))
    return records


def test_interviews_and_meetings_match_the_records(dataset: Dataset) -> None:
    """Sessions' times (aware, in the interview's zone), interviewers and types, and the meeting data match."""
    records = _interview_records(dataset)
    assert records, "the data set schedules interviews"
    for record in records:
        application = Reference.of("Job_Application_ID", record.application_id)
        element = parse_bytes(
            etree.tostring(_render.render_interview(record, dataset, descriptors=True, workers_visible=True))
        )
        interview = Interview.from_xml(element, application=application)
        assert interview.wid == record.wid
        assert interview.application == application
        assert interview.time_zone == record.time_zone
        assert len(interview.sessions) == len(record.sessions)
        for session, expected in zip(interview.sessions, record.sessions, strict=True):
            assert session.wid == expected.wid
            assert (session.start, session.end) == (_milliseconds(expected.start), _milliseconds(expected.end))
            assert session.local_start.utcoffset() == expected.start.astimezone(ZoneInfo(record.time_zone)).utcoffset()
            assert [person.id for person in session.interviewers] == list(expected.interviewer_ids)
            assert session.interview_type is not None
            assert session.interview_type.id == expected.interview_type_id
        meeting_el = parse_bytes(etree.tostring(_render.render_web_conference(record, dataset, descriptors=False)))
        meeting = WebConference.from_xml(meeting_el)
        assert (meeting.meeting_id, meeting.meeting_url) == (record.meeting_id, record.meeting_url)
        for session in interview.sessions:
            match = meeting.session_for(session)
            assert match is not None
            assert (match.start, match.end) == (session.start, session.end)
            assert len(match.interviewers) == len(session.interviewers)
            assert all(person.email for person in match.interviewers)
