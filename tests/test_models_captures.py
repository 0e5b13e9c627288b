"""Models read Workday's real v34.0 responses (../shared/workday/captures), where shapes differ from v45.2."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from workday_recruiting._ns import wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.models import Candidate, JobApplication, JobRequisition

PDT = timezone(timedelta(hours=-7))


def _items(shared_workday_dir: Path, name: str, tag: str) -> list[etree._Element]:
    root = parse_bytes((shared_workday_dir / "captures" / name).read_bytes())
    data = root.find(wd("Response_Data"))
    return [] if data is None else [child for child in data if child.tag == wd(tag)]


@pytest.fixture(scope="module")
def candidate(shared_workday_dir: Path) -> Candidate:
    """CAND-1187 from the one-result Get_Candidates capture."""
    (element,) = _items(shared_workday_dir, "Get_Candidates_Response_1result_v34.0.xml", "Candidate")
    return Candidate.from_xml(element)


@pytest.fixture(scope="module")
def requisition(shared_workday_dir: Path) -> JobRequisition:
    """R-00008 from the Get_Job_Requisitions capture."""
    (element,) = _items(shared_workday_dir, "Get_Job_Requisitions_Response_v34.0.xml", "Job_Requisition")
    return JobRequisition.from_xml(element)


def test_candidate_identity(candidate: Candidate) -> None:
    """The candidate's ID and WID come from Candidate_Reference."""
    assert candidate.candidate_id == "CAND-1187"
    assert candidate.wid == "cf1ced2ceea8819eb2fe8bb8a8278c03"
    assert candidate.reference.id == "CAND-1187"
    assert candidate.reference.get("WID") == "cf1ced2ceea8819eb2fe8bb8a8278c03"


def test_candidate_name(candidate: Candidate) -> None:
    """The legal name is the display name when there is no preferred name."""
    assert candidate.legal_name is not None
    assert (candidate.legal_name.first, candidate.legal_name.last) == ("Alex", "Tester")
    assert candidate.preferred_name is None
    assert candidate.name == "Alex Tester"


def test_candidate_contact(candidate: Candidate) -> None:
    """Email, phone (with its country code from USA_1) and address are read from Contact_Data."""
    assert candidate.primary_email == "candidate.1187@example.com"
    (phone,) = candidate.phones
    assert (phone.number, phone.country_code, phone.formatted) == ("4045550100", "1", "+1 404-555-0100")
    assert candidate.primary_phone == "+1 404-555-0100"
    (address,) = candidate.addresses
    assert address.lines == ("100 Example Ave",)
    assert (address.city, address.region, address.postal_code, address.country) == ("Decatur", "GA", "30030", "US")
    assert address.country_reference is not None
    assert address.country_reference.get("ISO_3166-1_Alpha-3_Code") == "USA"


def test_candidate_flags_in_0_1_spelling(candidate: Candidate) -> None:
    """Do_Not_Hire and Withdrawn sent as 0 read as False; no Prospect_Data means not a prospect."""
    assert (candidate.do_not_hire, candidate.withdrawn, candidate.prospect) == (False, False, False)


def test_v34_application_reference_inside_job_applied_to_data(candidate: Candidate) -> None:
    """v34.0 puts Job_Application_Reference inside Job_Applied_To_Data; the application still has its IDs."""
    (application,) = candidate.applications
    assert application.application_id == "JOB_APPLICATION-6-253"
    assert application.wid == "cf1ced2ceea881ec3af18fb8a8279803"
    assert application.requisition.id == "R-00008"
    assert application.stage.id == "REVIEW"
    assert application.workflow_step is not None
    assert application.workflow_step.id == "STEP_B__ACTION_7"
    assert application.disposition is None
    assert application.candidate == candidate.reference


def test_v34_application_dates_are_aware(candidate: Candidate) -> None:
    """Job_Application_Date and Status_Timestamp keep their -07:00 offset and milliseconds."""
    (application,) = candidate.applications
    assert application.applied_at == datetime(2020, 9, 29, 11, 20, 26, 357000, tzinfo=PDT)
    assert application.status_at == datetime(2020, 10, 6, 1, 48, 50, 263000, tzinfo=PDT)


def test_standalone_application_matches_the_candidates(shared_workday_dir: Path, candidate: Candidate) -> None:
    """JobApplication.from_xml on the Job_Application_Data element finds the candidate from its ancestors."""
    (element,) = _items(shared_workday_dir, "Get_Candidates_Response_1result_v34.0.xml", "Candidate")
    (data,) = element.iter(wd("Job_Application_Data"))
    assert JobApplication.from_xml(data) == candidate.applications[0]


def test_empty_response_has_no_candidates(shared_workday_dir: Path) -> None:
    """A zero-result page has no Response_Data, so nothing to build."""
    assert _items(shared_workday_dir, "Get_Candidates_Response_empty_v34.0.xml", "Candidate") == []


def test_requisition(requisition: JobRequisition) -> None:
    """The FILLED requisition R-00008 with its hiring requirements, position and organization."""
    assert requisition.requisition_id == "R-00008"
    assert requisition.wid == "8f26e6993e724011ae7cf2251627fa26"
    assert requisition.status is not None
    assert requisition.status.id == "FILLED"
    assert requisition.recruiting_start_date == date(2015, 12, 18)
    assert requisition.target_hire_date == date(2016, 3, 15)
    assert requisition.job_profile is not None
    assert requisition.job_profile.id == "38600"
    assert requisition.primary_location is not None
    assert requisition.primary_location.id == "London_site"
    assert [location.id for location in requisition.locations] == ["London_site"]
    assert [position.id for position in requisition.positions] == ["P-00209"]
    assert requisition.supervisory_organization is not None
    assert requisition.supervisory_organization.id == "Field_Sales_EMEA_supervisory"


def test_requisition_without_optional_sections(requisition: JobRequisition) -> None:
    """No Job_Requisition_Detail_Data or roles in the capture: title, counts and people are empty."""
    assert requisition.title is None
    assert requisition.positions_allocated is None
    assert (requisition.recruiters, requisition.hiring_managers, requisition.roles) == ((), (), ())
    assert requisition.recruiter is None
