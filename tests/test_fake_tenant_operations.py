"""FakeTenant's six operations: schema-valid pages, criteria, references, snapshots, field-level security."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from lxml import etree

from fake_soap import NS, WD, Reply, assert_valid, call, get_request, post, ref
from workday_recruiting.testing import (
    ALL_DOMAINS,
    CANDIDATE_JOB_APPLICATION,
    CANDIDATE_OTHER_INFORMATION,
    CANDIDATE_PERSONAL_INFORMATION,
    WORKER_PUBLIC_REPORTS,
    FakeTenant,
)
from workday_recruiting.testing._records import CandidateRecord, InterviewRecord

Factory = Callable[..., FakeTenant]
CANDIDATE_REFS = "wd:Response_Data/wd:Candidate/wd:Candidate_Reference"
PAGED = {
    "Get_Candidates_Request": ("wd:Response_Data/wd:Candidate/wd:Candidate_Reference", "Candidate_ID", ""),
    "Get_Job_Requisitions_Request": (
        "wd:Response_Data/wd:Job_Requisition/wd:Job_Requisition_Reference",
        "Job_Requisition_ID",
        "<wd:Include_Roles>true</wd:Include_Roles>",
    ),
    "Get_Interviews_Request": (
        "wd:Response_Data/wd:Interview/wd:Interview_Data/wd:Interview_Event_Reference",
        "WID",
        "",
    ),
    "Get_Job_Postings_Request": ("wd:Response_Data/wd:Job_Posting/wd:Job_Posting_Reference", "Job_Posting_ID", ""),
}


@pytest.fixture(scope="module")
def tenant() -> Iterator[FakeTenant]:
    """A 120-candidate tenant shared by the read-only tests of this module."""
    with FakeTenant(candidates=120, seed=1) as fake:
        yield fake


def candidate_ids(reply: Reply) -> list[str]:
    """The Candidate_IDs of a Get_Candidates page."""
    return reply.ids(CANDIDATE_REFS, "Candidate_ID")


def criteria(inner: str, count: int = 999, **kwargs: Any) -> str:
    """A Get_Candidates request with ``inner`` as its Request_Criteria."""
    return get_request(
        "Get_Candidates_Request", f"<wd:Request_Criteria>{inner}</wd:Request_Criteria>", count=count, **kwargs
    )


def all_pages(
    tenant: FakeTenant, element: str, count: int, schema: etree.XMLSchema | None = None, **kwargs: Any
) -> tuple[list[str], int]:
    """Every key of every page of a paged operation (each page validated when ``schema``), and Total_Results."""
    path, id_type, group = PAGED[element]
    keys: list[str] = []
    page, total = 1, 0
    while True:
        reply = call(tenant, get_request(element, page=page, count=count, group=group), **kwargs)
        assert reply.status == 200, reply.content[:500]
        if schema is not None:
            assert_valid(schema, reply.body)
        results = reply.results()
        total = results["Total_Results"]
        keys += reply.ids(path, id_type)
        assert results["Page_Results"] == len(reply.ids(path, id_type))
        if page >= results["Total_Pages"]:
            return keys, total
        page += 1


def in_progress_interview(tenant: FakeTenant) -> InterviewRecord:
    """Some interview event that is in progress."""
    for candidate in tenant.dataset.iter_candidates():
        for application in candidate.applications:
            for interview in tenant.dataset.interviews_for_application(application.application_id):
                if interview.status == "in_progress":
                    return interview
    raise AssertionError("the data set has no interview in progress")


# -- every operation, every page, valid against Workday's XSD ------------------------------------------------


@pytest.mark.parametrize("descriptors", [False, True], ids=["plain", "descriptors"])
@pytest.mark.parametrize("element", sorted(PAGED))
def test_every_page_of_every_operation_is_schema_valid(
    tenant: FakeTenant, full_xsd: etree.XMLSchema, element: str, descriptors: bool
) -> None:
    """Paging through each operation (Count 50) gives XSD-valid pages covering every result exactly once."""
    keys, total = all_pages(tenant, element, 50, full_xsd, descriptors=descriptors)
    assert total > 0
    assert len(keys) == len(set(keys)) == total


def test_candidate_pages_follow_candidate_order(tenant: FakeTenant) -> None:
    """Candidates come in one stable order (by Candidate_ID number) on every page."""
    keys, total = all_pages(tenant, "Get_Candidates_Request", 50)
    assert total == 120
    assert keys == [f"CAND-{1001 + i}" for i in range(120)]


def test_descriptors_appear_only_when_asked(tenant: FakeTenant) -> None:
    """``Include_Reference_Descriptors_In_Response`` fills wd:Descriptor; without it there is none."""
    body = get_request("Get_Job_Requisitions_Request", count=3)
    with_descriptors = call(tenant, body, descriptors=True).content
    without = call(tenant, body, descriptors=False).content
    assert b"wd:Descriptor=" in with_descriptors
    assert b"wd:Descriptor=" not in without


def test_web_conference_and_timestamp_are_schema_valid(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Get_Web_Conference_Interview_Data (an event in progress) and Get_Server_Timestamp validate."""
    interview = in_progress_interview(tenant)
    for descriptors in (False, True):
        reply = call(tenant, web_conference(interview.wid), descriptors=descriptors)
        assert reply.status == 200
        assert_valid(full_xsd, reply.body)
        assert reply.body.findtext(".//wd:Web_Conference_Meeting_URL", namespaces=NS) == interview.meeting_url
    timestamp = call(tenant, get_request("Server_Timestamp_Get"))
    assert_valid(full_xsd, timestamp.body)


def test_server_timestamp_is_the_tenants_clock(tenant: FakeTenant) -> None:
    """Get_Server_Timestamp answers the current time, in the tenant's offset, with milliseconds."""
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    text = call(tenant, get_request("Server_Timestamp_Get")).body.findtext("wd:Server_Timestamp_Data", namespaces=NS)
    after = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert text is not None
    stamp = dt.datetime.fromisoformat(text)
    assert stamp.utcoffset() is not None
    assert before <= stamp <= after


def test_now_anchors_the_tenants_clock(fake_tenant_factory: Factory) -> None:
    """``FakeTenant(now=...)`` makes the tenant's clock start at that moment."""
    start = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    fake = fake_tenant_factory(candidates=3, now=start)
    text = call(fake, get_request("Server_Timestamp_Get")).body.findtext("wd:Server_Timestamp_Data", namespaces=NS)
    assert text is not None
    assert start <= dt.datetime.fromisoformat(text) < start + dt.timedelta(minutes=5)


# -- Response_Results, echoes, Response_Filter ---------------------------------------------------------------


def test_empty_result_has_workdays_empty_shape(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """No match: Total_Results 0, Total_Pages 0, Page_Results 0, no Page, no Response_Data; criteria echoed."""
    reply = call(tenant, criteria("<wd:Candidate_Email_Address>nobody@example.com</wd:Candidate_Email_Address>"))
    assert reply.results() == {"Total_Results": 0, "Total_Pages": 0, "Page_Results": 0}
    assert reply.body.find("wd:Response_Data", NS) is None
    assert reply.body.findtext("wd:Request_Criteria/wd:Candidate_Email_Address", namespaces=NS) == "nobody@example.com"
    assert_valid(full_xsd, reply.body)


def test_page_beyond_the_last_is_empty_but_counts_stay(tenant: FakeTenant) -> None:
    """A page past Total_Pages has Page_Results 0 and no Response_Data, with the real totals and the Page asked."""
    reply = call(tenant, get_request("Get_Candidates_Request", page=4, count=50))
    assert reply.results() == {"Total_Results": 120, "Total_Pages": 3, "Page_Results": 0, "Page": 4}
    assert reply.body.find("wd:Response_Data", NS) is None


def test_response_filter_is_echoed_with_defaults(tenant: FakeTenant) -> None:
    """The response carries Response_Filter with the defaults filled in (Page 1, Count 100, entry moment now)."""
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    reply = call(tenant, get_request("Get_Candidates_Request"))
    echoed = reply.body.find("wd:Response_Filter", NS)
    assert echoed is not None
    assert echoed.findtext("wd:Page", namespaces=NS) == "1"
    assert echoed.findtext("wd:Count", namespaces=NS) == "100"
    as_of = echoed.findtext("wd:As_Of_Entry_DateTime", namespaces=NS)
    assert as_of is not None and dt.datetime.fromisoformat(as_of) >= before
    assert reply.results() == {"Total_Results": 120, "Total_Pages": 2, "Page_Results": 100, "Page": 1}


def test_request_references_and_response_group_are_echoed(tenant: FakeTenant) -> None:
    """Request_References (with Skip_Non_Existing_Instances) and Response_Group come back as sent."""
    body = get_request(
        "Get_Candidates_Request",
        '<wd:Request_References wd:Skip_Non_Existing_Instances="true">'
        + ref("Candidate_Reference", Candidate_ID="CAND-1005")
        + "</wd:Request_References>",
        group="<wd:Exclude_All_Attachments>true</wd:Exclude_All_Attachments>",
    )
    reply = call(tenant, body)
    references = reply.body.find("wd:Request_References", NS)
    assert references is not None and references.get(f"{{{WD}}}Skip_Non_Existing_Instances") == "true"
    assert reply.body.findtext("wd:Response_Group/wd:Exclude_All_Attachments", namespaces=NS) == "true"
    assert [child.tag.split("}")[1] for child in reply.body] == [
        "Request_References",
        "Response_Filter",
        "Response_Group",
        "Response_Results",
        "Response_Data",
    ]


# -- Request_References ----------------------------------------------------------------------------------------


def test_references_return_those_candidates_in_request_order(tenant: FakeTenant) -> None:
    """Candidates asked by Candidate_ID or WID come back in the order asked, duplicates once."""
    wid = tenant.dataset.find_candidate("Candidate_ID", "CAND-1003")
    assert wid is not None
    refs = (
        ref("Candidate_Reference", Candidate_ID="CAND-1050")
        + ref("Candidate_Reference", WID=wid.wid)
        + ref("Candidate_Reference", Candidate_ID="CAND-1050")
        + ref("Candidate_Reference", WID=wid.wid, Candidate_ID="CAND-1003")
    )
    reply = call(
        tenant, get_request("Get_Candidates_Request", f"<wd:Request_References>{refs}</wd:Request_References>")
    )
    assert candidate_ids(reply) == ["CAND-1050", "CAND-1003"]
    assert reply.results()["Total_Results"] == 2


def test_unknown_reference_gets_workdays_invalid_id_fault(tenant: FakeTenant) -> None:
    """An unknown Candidate_ID without Skip_Non_Existing_Instances gets Workday's ``Invalid ID value`` fault."""
    refs = ref("Candidate_Reference", Candidate_ID="CAND-1001") + ref("Candidate_Reference", Candidate_ID="CAND-999999")
    reply = call(
        tenant, get_request("Get_Candidates_Request", f"<wd:Request_References>{refs}</wd:Request_References>")
    )
    assert reply.status == 500
    assert reply.fault == (
        "SOAP-ENV:Client.validationError",
        "Validation error occurred. Invalid ID value.  'CAND-999999' is not a valid ID value for type = 'Candidate_ID'",
    )
    assert (
        reply.validation_errors[0]["Xpath"]
        == "/wd:Get_Candidates_Request/wd:Request_References/wd:Candidate_Reference[2]/wd:ID"
    )


def test_skip_non_existing_instances_skips_unknown_references(tenant: FakeTenant) -> None:
    """With Skip_Non_Existing_Instances, unknown IDs (and unknown ID types) are left out silently."""
    refs = (
        ref("Candidate_Reference", Candidate_ID="CAND-999999")
        + ref("Candidate_Reference", Candidate_ID="CAND-1002")
        + ref("Candidate_Reference", Employee_ID="21001")
    )
    body = get_request(
        "Get_Candidates_Request",
        f'<wd:Request_References wd:Skip_Non_Existing_Instances="1">{refs}</wd:Request_References>',
    )
    assert candidate_ids(call(tenant, body)) == ["CAND-1002"]


def test_requisitions_by_reference(tenant: FakeTenant) -> None:
    """Get_Job_Requisitions returns the requisitions named in Request_References."""
    refs = ref("Job_Requisition_Reference", Job_Requisition_ID="R-00002") + ref(
        "Job_Requisition_Reference", Job_Requisition_ID="R-00001"
    )
    reply = call(
        tenant, get_request("Get_Job_Requisitions_Request", f"<wd:Request_References>{refs}</wd:Request_References>")
    )
    assert reply.ids("wd:Response_Data/wd:Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID") == [
        "R-00002",
        "R-00001",
    ]


# -- Request_Criteria ----------------------------------------------------------------------------------------


def expected(tenant: FakeTenant, keep: Callable[[CandidateRecord], bool]) -> list[str]:
    """Candidate_IDs the data set says match ``keep``, in order."""
    return [c.candidate_id for c in tenant.dataset.iter_candidates() if keep(c)]


def test_email_criteria_finds_the_candidate_case_insensitively(tenant: FakeTenant) -> None:
    """Candidate_Email_Address matches the primary email, whatever the case."""
    candidate = tenant.dataset.find_candidate("Candidate_ID", "CAND-1010")
    assert candidate is not None and candidate.primary_email
    reply = call(
        tenant, criteria(f"<wd:Candidate_Email_Address>{candidate.primary_email.upper()}</wd:Candidate_Email_Address>")
    )
    assert candidate_ids(reply) == ["CAND-1010"]


def test_first_and_last_name_criteria(tenant: FakeTenant) -> None:
    """First_Name + Last_Name find every candidate with that name."""
    candidate = tenant.dataset.find_candidate("Candidate_ID", "CAND-1020")
    assert candidate is not None
    reply = call(
        tenant,
        criteria(
            f"<wd:First_Name>{candidate.first_name}</wd:First_Name><wd:Last_Name>{candidate.last_name}</wd:Last_Name>"
        ),
    )
    ids = candidate_ids(reply)
    assert "CAND-1020" in ids
    assert ids == expected(
        tenant,
        lambda c: (
            candidate.first_name.casefold() in (c.first_name.casefold(), (c.preferred_first_name or "").casefold())
            and candidate.last_name.casefold() in (c.last_name.casefold(), (c.preferred_last_name or "").casefold())
        ),
    )


def test_requisition_and_stage_criteria_match_one_application(tenant: FakeTenant) -> None:
    """Job_Requisition_Reference and Recruiting_Stage_Reference select candidates with such an application."""
    by_req = candidate_ids(call(tenant, criteria(ref("Job_Requisition_Reference", Job_Requisition_ID="R-00003"))))
    assert by_req and by_req == expected(tenant, lambda c: any(a.requisition_id == "R-00003" for a in c.applications))
    by_stage = candidate_ids(call(tenant, criteria(ref("Recruiting_Stage_Reference", Recruiting_Stage_ID="REVIEW"))))
    assert by_stage and by_stage == expected(tenant, lambda c: any(a.stage_id == "REVIEW" for a in c.applications))
    both = candidate_ids(
        call(
            tenant,
            criteria(
                ref("Job_Requisition_Reference", Job_Requisition_ID="R-00003")
                + ref("Recruiting_Stage_Reference", Recruiting_Stage_ID="REVIEW")
            ),
        )
    )
    assert both == expected(
        tenant, lambda c: any(a.requisition_id == "R-00003" and a.stage_id == "REVIEW" for a in c.applications)
    )


def test_applied_and_created_windows(tenant: FakeTenant) -> None:
    """Applied_From/Through and Created_From/Through bound application and candidate creation moments."""
    ds = tenant.dataset
    start, end = ds.now - dt.timedelta(days=400), ds.now - dt.timedelta(days=200)
    window = f"{start.isoformat()}", f"{end.isoformat()}"
    applied = candidate_ids(
        call(
            tenant,
            criteria(
                f"<wd:Applied_From>{window[0]}</wd:Applied_From><wd:Applied_Through>{window[1]}</wd:Applied_Through>"
            ),
        )
    )
    assert applied and applied == expected(tenant, lambda c: any(start <= a.applied_at <= end for a in c.applications))
    created = candidate_ids(
        call(
            tenant,
            criteria(
                f"<wd:Created_From>{window[0]}</wd:Created_From><wd:Created_Through>{window[1]}</wd:Created_Through>"
            ),
        )
    )
    assert created and created == expected(tenant, lambda c: start <= c.created_at <= end)


def test_tag_and_source_criteria(tenant: FakeTenant) -> None:
    """Candidate_Tag_Reference and Applicant_Source_Reference filter by tag and source."""
    tagged = next(c for c in tenant.dataset.iter_candidates() if c.tags)
    tag = tagged.tags[0]
    by_tag = candidate_ids(call(tenant, criteria(ref("Candidate_Tag_Reference", Candidate_Tag_ID=tag))))
    assert tagged.candidate_id in by_tag and by_tag == expected(tenant, lambda c: tag in c.tags)
    source = tagged.source_id
    by_source = candidate_ids(call(tenant, criteria(ref("Applicant_Source_Reference", Applicant_Source_ID=source))))
    assert tagged.candidate_id in by_source


def test_unknown_criteria_reference_gets_the_invalid_id_fault(tenant: FakeTenant) -> None:
    """A stage that does not exist is refused with ``Invalid ID value`` for Recruiting_Stage_ID."""
    reply = call(tenant, criteria(ref("Recruiting_Stage_Reference", Recruiting_Stage_ID="NOPE")))
    assert reply.fault == (
        "SOAP-ENV:Client.validationError",
        "Validation error occurred. Invalid ID value.  'NOPE' is not a valid ID value for type = 'Recruiting_Stage_ID'",
    )


def transaction_log(start: dt.datetime, end: dt.datetime) -> str:
    """A Transaction_Log_Criteria_Data for an Updated_From/Through window."""
    return (
        "<wd:Transaction_Log_Criteria_Data><wd:Transaction_Date_Range_Data>"
        f"<wd:Updated_From>{start.isoformat()}</wd:Updated_From><wd:Updated_Through>{end.isoformat()}</wd:Updated_Through>"
        "</wd:Transaction_Date_Range_Data></wd:Transaction_Log_Criteria_Data>"
    )


def server_now(fake: FakeTenant) -> dt.datetime:
    """The tenant's current moment, from Get_Server_Timestamp."""
    text = call(fake, get_request("Server_Timestamp_Get")).body.findtext("wd:Server_Timestamp_Data", namespaces=NS)
    assert text is not None
    return dt.datetime.fromisoformat(text)


def test_transaction_log_finds_what_changed_in_the_window(fake_tenant_factory: Factory) -> None:
    """Updated_From/Through returns exactly the candidates created or changed inside the window."""
    fake = fake_tenant_factory(candidates=40)
    start = server_now(fake)
    fake.dataset.update_candidate("CAND-1007", last_name="Okonkwo-Smith")
    added = fake.dataset.add_candidate(
        first_name="Zoë", last_name="Ångström", email="zoe@example.org", requisition_id="R-00001"
    )
    fake.dataset.update_requisition("R-00002", status_id="FROZEN")
    end = server_now(fake)
    changed = candidate_ids(call(fake, criteria(transaction_log(start, end))))
    assert changed == ["CAND-1007", added.candidate_id]
    requisitions = call(
        fake,
        get_request(
            "Get_Job_Requisitions_Request", f"<wd:Request_Criteria>{transaction_log(start, end)}</wd:Request_Criteria>"
        ),
    )
    assert requisitions.ids(
        "wd:Response_Data/wd:Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID"
    ) == ["R-00002"]
    unchanged = candidate_ids(
        call(fake, criteria(transaction_log(start - dt.timedelta(days=1), start - dt.timedelta(seconds=1))))
    )
    assert "CAND-1007" not in unchanged and added.candidate_id not in unchanged


def test_an_edit_is_never_after_the_server_timestamp_read_after_it(fake_tenant_factory: Factory) -> None:
    """An edit made in the millisecond the next Get_Server_Timestamp shows is inside the window ending there.

    The clock is frozen between two milliseconds, so every edit and every read happens "at the same time": the
    first edit is stamped at the millisecond the server time shows, the next ones one millisecond apart, and the
    server time never shows a moment before an edit already made.
    """
    fake = fake_tenant_factory(candidates=20)
    frozen = fake.dataset.now + dt.timedelta(hours=1, microseconds=700)
    fake.dataset.clock = lambda: frozen
    start = server_now(fake)
    first = fake.dataset.update_candidate("CAND-1003", last_name="Okafor")
    assert first.updated_at <= server_now(fake)
    second = fake.dataset.update_candidate("CAND-1004", last_name="Lindqvist")
    end = server_now(fake)
    assert first.updated_at < second.updated_at <= end
    assert candidate_ids(call(fake, criteria(transaction_log(start, end)))) == ["CAND-1003", "CAND-1004"]


def test_requisition_status_criteria_and_roles(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Job_Requisition_Status_Reference filters by status; Include_Roles adds recruiter and hiring manager roles."""
    inner = (
        "<wd:Request_Criteria>"
        + ref("Job_Requisition_Status_Reference", Job_Requisition_Status_ID="OPEN")
        + "</wd:Request_Criteria>"
    )
    reply = call(
        tenant, get_request("Get_Job_Requisitions_Request", inner, group="<wd:Include_Roles>1</wd:Include_Roles>")
    )
    assert_valid(full_xsd, reply.body)
    ids = reply.ids("wd:Response_Data/wd:Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID")
    assert ids == [r.requisition_id for r in tenant.dataset.iter_requisitions() if r.status_id == "OPEN"]
    assert reply.body.find(".//wd:Role_Assignment_Data", NS) is not None
    without_roles = call(tenant, get_request("Get_Job_Requisitions_Request", inner))
    assert without_roles.body.find(".//wd:Role_Assignment_Data", NS) is None


# -- Response_Group ------------------------------------------------------------------------------------------


def test_exclude_all_attachments_drops_file_contents(tenant: FakeTenant) -> None:
    """Attachments are inlined by default and left out with Exclude_All_Attachments."""
    default = call(tenant, get_request("Get_Candidates_Request", count=50))
    excluded = call(
        tenant,
        get_request(
            "Get_Candidates_Request", count=50, group="<wd:Exclude_All_Attachments>true</wd:Exclude_All_Attachments>"
        ),
    )
    assert default.body.find(".//wd:File_Content", NS) is not None
    assert excluded.body.find(".//wd:File_Content", NS) is None
    assert candidate_ids(default) == candidate_ids(excluded)


def test_include_reference_false_drops_the_instance_reference(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Include_Reference false leaves out Candidate_Reference (Candidate_ID stays in Candidate_Data)."""
    reply = call(
        tenant,
        get_request("Get_Candidates_Request", count=3, group="<wd:Include_Reference>false</wd:Include_Reference>"),
    )
    assert reply.body.find(CANDIDATE_REFS, NS) is None
    assert len(reply.body.findall("wd:Response_Data/wd:Candidate/wd:Candidate_Data/wd:Candidate_ID", NS)) == 3
    assert_valid(full_xsd, reply.body)


# -- field-level security ------------------------------------------------------------------------------------

PART_ELEMENTS = {
    CANDIDATE_PERSONAL_INFORMATION: ("wd:Name_Data", "wd:Contact_Data"),
    CANDIDATE_JOB_APPLICATION: ("wd:Job_Application_Data",),
    CANDIDATE_OTHER_INFORMATION: ("wd:Candidate_Tag_Reference", "wd:Status_Data"),
}


@pytest.mark.parametrize("domain", sorted(PART_ELEMENTS))
def test_missing_part_domain_omits_that_part(tenant: FakeTenant, full_xsd: etree.XMLSchema, domain: str) -> None:
    """Without a candidate part's domain, the part is left out of every candidate; the page stays valid."""
    name = "ISU_No_" + "".join(ch for ch in domain if ch.isalnum())
    tenant.add_isu(name, "pw-part", domains=ALL_DOMAINS - {domain})
    body = get_request("Get_Candidates_Request", count=60)
    full = call(tenant, body)
    limited = post(tenant.endpoint, body, username=f"{name}@acme", password="pw-part")
    assert_valid(full_xsd, limited.body)
    assert candidate_ids(limited) == candidate_ids(full)
    for element in PART_ELEMENTS[domain]:
        path = f"wd:Response_Data/wd:Candidate/wd:Candidate_Data/{element}"
        assert full.body.find(path, NS) is not None
        assert limited.body.find(path, NS) is None


def test_without_worker_data_worker_references_are_hidden(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Without Worker Data: Public Worker Reports, interviewers, roles and referrers show no worker."""
    tenant.add_isu("ISU_No_Workers", "pw-workers", domains=ALL_DOMAINS - {WORKER_PUBLIC_REPORTS})
    login: dict[str, Any] = {"username": "ISU_No_Workers@acme", "password": "pw-workers"}
    interviews = post(tenant.endpoint, get_request("Get_Interviews_Request", count=20), **login)
    assert_valid(full_xsd, interviews.body)
    assert interviews.ids(".//wd:Interviewers_Reference", "Employee_ID") == []
    assert call(tenant, get_request("Get_Interviews_Request", count=20)).ids(
        ".//wd:Interviewers_Reference", "Employee_ID"
    )
    roles = post(
        tenant.endpoint,
        get_request("Get_Job_Requisitions_Request", group="<wd:Include_Roles>1</wd:Include_Roles>"),
        **login,
    )
    assert roles.body.find(".//wd:Role_Assignment_Data", NS) is None
    candidates = post(tenant.endpoint, get_request("Get_Candidates_Request", count=120), **login)
    assert_valid(full_xsd, candidates.body)
    assert candidates.ids(".//wd:Referred_By_Worker_Reference", "Employee_ID") == []


# -- snapshots -----------------------------------------------------------------------------------------------


def test_records_entered_after_as_of_are_invisible(fake_tenant_factory: Factory) -> None:
    """With As_Of_Entry_DateTime pinned, later additions and changes do not show; without it they do."""
    fake = fake_tenant_factory(candidates=30)
    as_of = server_now(fake).isoformat()
    added = fake.dataset.add_candidate(first_name="Late", last_name="Comer", email="late@example.org")
    fake.dataset.update_candidate("CAND-1001", first_name="Renamed")
    pinned = call(fake, get_request("Get_Candidates_Request", count=100, as_of=as_of))
    assert pinned.results()["Total_Results"] == 30
    assert added.candidate_id not in candidate_ids(pinned)
    assert "Renamed" not in pinned.content.decode()
    current = call(fake, get_request("Get_Candidates_Request", count=100))
    assert current.results()["Total_Results"] == 31
    assert "Renamed" in current.content.decode()
    by_reference = call(
        fake,
        get_request(
            "Get_Candidates_Request",
            "<wd:Request_References>"
            + ref("Candidate_Reference", Candidate_ID=added.candidate_id)
            + "</wd:Request_References>",
            as_of=as_of,
        ),
    )
    assert by_reference.fault is not None and "Invalid ID value" in by_reference.fault[1]


def test_paging_is_stable_while_records_are_added(fake_tenant_factory: Factory) -> None:
    """Pages of one pinned snapshot cover the same records even when candidates are added between pages."""
    fake = fake_tenant_factory(candidates=100)
    first = call(fake, get_request("Get_Candidates_Request", page=1, count=30))
    as_of = first.body.findtext("wd:Response_Filter/wd:As_Of_Entry_DateTime", namespaces=NS)
    assert as_of is not None
    seen = candidate_ids(first)
    for page in range(2, first.results()["Total_Pages"] + 1):
        fake.dataset.add_candidate(first_name="Mid", last_name=f"Paging{page}", email=f"mid{page}@example.org")
        reply = call(fake, get_request("Get_Candidates_Request", page=page, count=30, as_of=as_of))
        assert reply.results()["Total_Results"] == 100
        seen += candidate_ids(reply)
    assert seen == [f"CAND-{1001 + i}" for i in range(100)]


@pytest.mark.slow
def test_two_thousand_candidates_page_completely(fake_tenant_factory: Factory) -> None:
    """2,000 candidates page out (Count 999) completely, each exactly once."""
    fake = fake_tenant_factory(candidates=2000)
    keys, total = all_pages(fake, "Get_Candidates_Request", 999)
    assert total == 2000
    assert keys == [f"CAND-{1001 + i}" for i in range(2000)]


# -- interviews, web conferences, postings -------------------------------------------------------------------


def web_conference(wid: str) -> str:
    """A Get_Web_Conference_Interview_Data request for an interview event WID."""
    return get_request(
        "Get_Web_Conference_Interview_Data_Request",
        f"<wd:Request_References><wd:Interview_ID_Reference>{wid}</wd:Interview_ID_Reference></wd:Request_References>",
    )


def test_interviews_by_job_application_and_by_candidate_and_requisition(tenant: FakeTenant) -> None:
    """Get_Interviews finds an application's events by Job_Application_Reference or by Candidate + Requisition."""
    interview = in_progress_interview(tenant)
    path = "wd:Response_Data/wd:Interview/wd:Interview_Data/wd:Interview_Event_Reference"
    by_application = call(
        tenant,
        get_request(
            "Get_Interviews_Request",
            "<wd:Request_Criteria>"
            + ref("Job_Application_Reference", Job_Application_ID=interview.application_id)
            + "</wd:Request_Criteria>",
        ),
    )
    assert interview.wid in by_application.ids(path, "WID")
    by_pair = call(
        tenant,
        get_request(
            "Get_Interviews_Request",
            "<wd:Request_Criteria><wd:Candidate_Interview_Criteria_Data>"
            + ref("Candidate_Reference", Candidate_ID=interview.candidate_id)
            + ref("Requisition_Reference", Job_Requisition_ID=interview.requisition_id)
            + "</wd:Candidate_Interview_Criteria_Data></wd:Request_Criteria>",
        ),
    )
    assert by_pair.ids(path, "WID") == by_application.ids(path, "WID")
    by_reference = call(
        tenant,
        get_request(
            "Get_Interviews_Request",
            "<wd:Request_References>" + ref("Interview_Reference", WID=interview.wid) + "</wd:Request_References>",
        ),
    )
    assert by_reference.ids(path, "WID") == [interview.wid]


def test_interviews_of_an_unknown_application_get_the_invalid_id_fault(tenant: FakeTenant) -> None:
    """An unknown Job_Application_ID is refused with ``Invalid ID value``."""
    body = get_request(
        "Get_Interviews_Request",
        "<wd:Request_Criteria>"
        + ref("Job_Application_Reference", Job_Application_ID="JOB_APPLICATION-1-999999")
        + "</wd:Request_Criteria>",
    )
    reply = call(tenant, body)
    assert reply.fault is not None
    assert reply.fault[1].endswith("'JOB_APPLICATION-1-999999' is not a valid ID value for type = 'Job_Application_ID'")


def test_web_conference_needs_an_event_in_progress(fake_tenant_factory: Factory) -> None:
    """A cancelled event, an unknown WID and a missing WID get the operation's own validation messages."""
    fake = fake_tenant_factory(candidates=120, seed=1)
    interview = in_progress_interview(fake)
    assert call(fake, web_conference(interview.wid)).status == 200
    fake.dataset.update_interview(interview.wid, status="cancelled")
    cases = {
        web_conference(interview.wid): "Interview Event is not in progress.",
        web_conference("0" * 32): "You specified an invalid WID for Schedule Snapshot or Interview Event.",
        get_request(
            "Get_Web_Conference_Interview_Data_Request"
        ): "You must specify a WID for a Schedule Snapshot or Interview Event.",
    }
    for body, message in cases.items():
        assert call(fake, body).fault == ("SOAP-ENV:Client.validationError", f"Validation error occurred. {message}")


def test_job_postings_by_requisition_and_by_reference(tenant: FakeTenant) -> None:
    """Get_Job_Postings filters by Job_Requisition_Reference and resolves Job_Posting_Reference."""
    posting = next(iter(tenant.dataset.iter_job_postings()))
    path = "wd:Response_Data/wd:Job_Posting/wd:Job_Posting_Reference"
    by_requisition = call(
        tenant,
        get_request(
            "Get_Job_Postings_Request",
            "<wd:Request_Criteria>"
            + ref("Job_Requisition_Reference", Job_Requisition_ID=posting.requisition_id)
            + "</wd:Request_Criteria>",
        ),
    )
    assert by_requisition.ids(path, "Job_Posting_ID") == [
        p.posting_id for p in tenant.dataset.iter_job_postings() if p.requisition_id == posting.requisition_id
    ]
    by_reference = call(
        tenant,
        get_request(
            "Get_Job_Postings_Request",
            "<wd:Request_References>"
            + ref("Job_Posting_Reference", Job_Posting_ID=posting.posting_id)
            + "</wd:Request_References>",
        ),
    )
    assert by_reference.ids(path, "Job_Posting_ID") == [posting.posting_id]


def test_a_past_as_of_shows_the_tenant_as_it_was(tenant: FakeTenant) -> None:
    """As_Of_Entry_DateTime a year back lists exactly the candidates that existed then."""
    as_of = tenant.dataset.now - dt.timedelta(days=365)
    reply = call(tenant, get_request("Get_Candidates_Request", count=999, as_of=as_of.isoformat()))
    existing = [c.candidate_id for c in tenant.dataset.iter_candidates(as_of)]
    assert 0 < len(existing) < 120
    assert candidate_ids(reply) == existing
    assert reply.results()["Total_Results"] == len(existing)


# -- Get_Interviews without criteria, batch re-reads, interview edits in the transaction log -----------------

INTERVIEW_REFS = "wd:Response_Data/wd:Interview/wd:Interview_Data/wd:Interview_Event_Reference"


def every_interview(fake: FakeTenant) -> list[str]:
    """The WIDs of every interview event of the data set, by candidate then application."""
    return [
        interview.wid
        for candidate in fake.dataset.iter_candidates()
        for application in candidate.applications
        for interview in fake.dataset.interviews_for_application(application.application_id)
    ]


def test_get_interviews_without_criteria_lists_every_event_in_a_stable_order(
    tenant: FakeTenant, full_xsd: etree.XMLSchema
) -> None:
    """By default a criteria-less Get_Interviews lists every event, paged, pinned, in the same order each time."""
    assert tenant.lists_all_interviews is True
    pinned = server_now(tenant).isoformat()
    first: list[str] = []
    page, total = 1, 0
    while True:
        reply = call(tenant, get_request("Get_Interviews_Request", page=page, count=7, as_of=pinned))
        assert_valid(full_xsd, reply.body)
        first += reply.ids(INTERVIEW_REFS, "WID")
        total = reply.results()["Total_Results"]
        if page >= reply.results()["Total_Pages"]:
            break
        page += 1
    again, _ = all_pages(tenant, "Get_Interviews_Request", 999)
    assert total == len(first) > 7
    assert first == again == every_interview(tenant)
    reply = call(tenant, get_request("Get_Interviews_Request", count=999, as_of=pinned))
    assert reply.body.findtext("wd:Response_Filter/wd:Count", namespaces=NS) == "999"
    assert reply.body.find("wd:Response_Filter/wd:As_Of_Entry_DateTime", NS) is not None


def test_a_tenant_that_does_not_list_all_interviews_refuses_with_a_validation_fault(
    fake_tenant_factory: Factory, full_xsd: etree.XMLSchema
) -> None:
    """``lists_all_interviews=False``: the criteria-less request is a validation fault; criteria still work."""
    fake = fake_tenant_factory(candidates=60, seed=1, lists_all_interviews=False)
    reply = call(fake, get_request("Get_Interviews_Request"))
    assert reply.status == 500
    assert reply.fault == (
        "SOAP-ENV:Client.validationError",
        "Validation error occurred. You must specify Request References or Request Criteria to get Interview Events.",
    )
    assert reply.validation_errors[0]["Xpath"] == "/wd:Get_Interviews_Request"
    interview = in_progress_interview(fake)
    by_application = call(
        fake,
        get_request(
            "Get_Interviews_Request",
            "<wd:Request_Criteria>"
            + ref("Job_Application_Reference", Job_Application_ID=interview.application_id)
            + "</wd:Request_Criteria>",
        ),
    )
    assert by_application.status == 200 and interview.wid in by_application.ids(INTERVIEW_REFS, "WID")
    fake.lists_all_interviews = True  # settable at run time
    listed = call(fake, get_request("Get_Interviews_Request", count=999))
    assert listed.status == 200
    assert_valid(full_xsd, listed.body)


def test_many_interview_references_in_one_request(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Request_References with many Interview_References re-reads them in one request, in request order, paged."""
    wids = every_interview(tenant)[::-1]
    assert len(wids) > 20
    references = "".join(ref("Interview_Reference", WID=wid) for wid in wids)
    body = get_request(
        "Get_Interviews_Request", f"<wd:Request_References>{references}</wd:Request_References>", count=999
    )
    reply = call(tenant, body)
    assert reply.status == 200
    assert_valid(full_xsd, reply.body)
    assert reply.ids(INTERVIEW_REFS, "WID") == wids
    assert reply.results()["Total_Results"] == len(wids)
    second = call(
        tenant,
        get_request(
            "Get_Interviews_Request",
            f"<wd:Request_References>{references}</wd:Request_References>",
            page=2,
            count=10,
        ),
    )
    assert second.ids(INTERVIEW_REFS, "WID") == wids[10:20]


@pytest.mark.parametrize("stamps", [True, False], ids=["stamps", "does-not-stamp"])
def test_interview_changes_enter_the_candidate_in_the_transaction_log_or_not(
    fake_tenant_factory: Factory, stamps: bool
) -> None:
    """``interview_changes_stamp_candidate``: scheduling, moving and cancelling stamp the candidate, or nothing."""
    fake = fake_tenant_factory(candidates=60, seed=1, interview_changes_stamp_candidate=stamps)
    assert fake.interview_changes_stamp_candidate is stamps
    interview = in_progress_interview(fake)
    other, application = next(
        (c, a)
        for c in fake.dataset.iter_candidates()
        for a in c.applications
        if c.candidate_id != interview.candidate_id
    )
    worker = fake.dataset.worker_at(0).employee_id

    def changed_by(edit: Callable[[], object]) -> list[str]:
        start = server_now(fake)
        edit()
        return candidate_ids(call(fake, criteria(transaction_log(start, server_now(fake)))))

    soon = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=3)
    scheduled = changed_by(
        lambda: fake.dataset.add_interview(
            application.application_id, [(soon, soon + dt.timedelta(hours=1), [worker])], time_zone="UTC"
        )
    )
    moved_session = attrs.evolve(
        interview.sessions[0],
        start=interview.sessions[0].start + dt.timedelta(days=1),
        end=interview.sessions[0].end + dt.timedelta(days=1),
    )
    moved = changed_by(
        lambda: fake.dataset.update_interview(interview.wid, sessions=(moved_session, *interview.sessions[1:]))
    )
    cancelled = changed_by(lambda: fake.dataset.update_interview(interview.wid, status="cancelled"))
    if stamps:
        assert scheduled == [other.candidate_id]
        assert moved == cancelled == [interview.candidate_id]
    else:
        assert scheduled == moved == cancelled == []
