"""RecruitingClient against FakeTenant over real HTTP: what a backend engineer relies on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from workday_recruiting import (
    AuthenticationError,
    Candidate,
    ConfigurationError,
    JobApplication,
    NotFoundError,
    PermissionDeniedError,
    RecruitingClient,
    ResponseParseError,
    RetryPolicy,
    ValidationError,
)
from workday_recruiting.testing import (
    ALL_DOMAINS,
    ALL_FAULT_KINDS,
    INTERVIEW_INTEGRATIONS,
    MANAGE_CANDIDATES,
    FakeTenant,
)

FAST_RETRY = RetryPolicy(attempts=6, initial_backoff=0, jitter=0, max_backoff=0, deadline=60)
WD = "urn:com.workday/bsvc"


def make_client(fake: FakeTenant, **kwargs: object) -> RecruitingClient:
    options: dict[str, object] = {"retry": FAST_RETRY}
    options.update(kwargs)
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, **options)  # type: ignore[arg-type]


@pytest.fixture
def client(fake_tenant: FakeTenant) -> Iterator[RecruitingClient]:
    with make_client(fake_tenant) as c:
        yield c


def all_candidate_ids(fake: FakeTenant) -> list[str]:
    return [rec.candidate_id for rec in fake.dataset.iter_candidates()]


# -- listing -----------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_thousand_candidates_each_exactly_once(fake_tenant_factory: Callable[..., FakeTenant]) -> None:
    """candidates.list() yields every candidate exactly once, in order, as many as Total_Results says."""
    fake = fake_tenant_factory(candidates=2000)
    with make_client(fake) as client:
        pager = client.candidates.list(page_size=150)
        ids = [c.candidate_id for c in pager]
    assert ids == all_candidate_ids(fake)
    assert len(ids) == len(set(ids)) == 2000 == pager.total_results


def test_pages_carry_workday_counters(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """Each page reports its number, Total_Pages and Total_Results; the snapshot time is sent on every page."""
    pages = list(client.candidates.list(page_size=20).pages)
    assert [p.number for p in pages] == [1, 2, 3]
    assert {p.total_pages for p in pages} == {3}
    assert {p.total_results for p in pages} == {50}
    bodies = [etree.fromstring(r.body) for r in fake_tenant.requests.of("Get_Candidates")]
    as_of = {b.findtext(f".//{{{WD}}}As_Of_Entry_DateTime") for b in bodies}
    assert len(as_of) == 1 and None not in as_of


def test_max_results_and_resume(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """max_results stops early; a new pager resumes from next_page on the same snapshot with nothing repeated."""
    assert len(list(client.candidates.list(max_results=7))) == 7
    first = client.candidates.list(page_size=10)
    seen: list[str | None] = []
    for page in first.pages:
        seen += [c.candidate_id for c in page.items]
        if page.number == 2:
            break
    rest = client.candidates.list(page_size=10, start_page=first.next_page, as_of=first.as_of)
    assert seen + [c.candidate_id for c in rest] == all_candidate_ids(fake_tenant)


def test_snapshot_hides_records_added_while_paging(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """A candidate added after the first page is invisible to that listing (As_Of_Entry_DateTime pinned)."""
    pager = client.candidates.list(page_size=10)
    it = iter(pager)
    first = [next(it) for _ in range(10)]
    fake_tenant.dataset.add_candidate(first_name="Late", last_name="Arrival", email="late@example.org")
    ids = [c.candidate_id for c in first] + [c.candidate_id for c in it]
    assert len(ids) == 50
    assert len(list(client.candidates.list())) == 51


def test_filters_match_the_tenant(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """Email, name, requisition, stage and applied-date filters return exactly the matching candidates."""
    records = list(fake_tenant.dataset.iter_candidates())
    target = records[7]
    by_email = list(client.candidates.list(email=target.emails[0]))
    assert [c.candidate_id for c in by_email] == [target.candidate_id]
    by_name = list(client.candidates.list(name=(target.first_name, target.last_name)))
    assert target.candidate_id in [c.candidate_id for c in by_name]
    assert all(c.legal_name is not None and c.legal_name.last == target.last_name for c in by_name)

    requisition = target.applications[0].requisition_id
    expected = [r.candidate_id for r in records if any(a.requisition_id == requisition for a in r.applications)]
    assert [c.candidate_id for c in client.candidates.list(requisition=requisition)] == expected

    stage = target.applications[0].stage_id
    expected = [r.candidate_id for r in records if any(a.stage_id == stage for a in r.applications)]
    assert [c.candidate_id for c in client.candidates.list(stage=stage)] == expected

    applied = sorted(a.applied_at for r in records for a in r.applications)
    lo, hi = applied[10], applied[30]
    expected = [r.candidate_id for r in records if any(lo <= a.applied_at <= hi for a in r.applications)]
    assert [c.candidate_id for c in client.candidates.list(applied_from=lo, applied_to=hi)] == expected


def test_updated_window_uses_the_transaction_log(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """updated_from/updated_to find exactly the candidates changed in the window; a missing bound is filled in."""
    before = client.server_time()
    changed = fake_tenant.dataset.update_candidate(
        all_candidate_ids(fake_tenant)[3], emails=("new.address@example.org",)
    )
    added = fake_tenant.dataset.add_candidate(first_name="Nova", last_name="Lindqvist", email="nova@example.org")
    found = list(client.candidates.list(updated_from=before, updated_to=client.server_time()))
    assert [c.candidate_id for c in found] == [changed.candidate_id, added.candidate_id]
    assert found[0].primary_email == "new.address@example.org"
    open_ended = list(client.candidates.list(updated_from=before))
    assert [c.candidate_id for c in open_ended] == [changed.candidate_id, added.candidate_id]
    assert len(list(client.requisitions.list(updated_to=before))) == len(list(client.requisitions.list()))


def test_get_and_not_found(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """get() reads one candidate by Candidate_ID or WID; an unknown ID is NotFoundError."""
    record = next(iter(fake_tenant.dataset.iter_candidates()))
    by_id = client.candidates.get(record.candidate_id)
    by_wid = client.candidates.get(record.wid)
    assert by_id == by_wid
    assert by_id.candidate_id == record.candidate_id
    assert by_id.legal_name is not None and by_id.legal_name.first == record.first_name
    assert by_id.primary_email == record.emails[0]
    assert [a.application_id for a in by_id.applications] == [a.application_id for a in record.applications]
    with pytest.raises(NotFoundError):
        client.candidates.get("CAND-404404")


def test_job_applications_by_requisition(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """job_applications.list(requisition=...) yields exactly that requisition's applications, typed."""
    records = list(fake_tenant.dataset.iter_candidates())
    requisition = records[0].applications[0].requisition_id
    expected = [a.application_id for r in records for a in r.applications if a.requisition_id == requisition]
    found = list(client.job_applications.list(requisition=requisition))
    assert [a.application_id for a in found] == expected
    assert all(isinstance(a, JobApplication) and a.requisition is not None for a in found)
    assert all(a.applied_at is not None and a.applied_at.tzinfo is not None for a in found)


def test_requisitions_list_and_get(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """Requisitions come with title, status, locations, recruiter and hiring manager; status filters."""
    reqs = list(client.requisitions.list())
    truth = list(fake_tenant.dataset.iter_requisitions())
    assert [r.requisition_id for r in reqs] == [t.requisition_id for t in truth]
    first = client.requisitions.get(truth[0].requisition_id)
    assert first.title == truth[0].title
    assert first.status is not None and first.status.id == truth[0].status_id
    assert first.recruiters and first.hiring_managers and first.locations
    status = truth[0].status_id
    assert [r.requisition_id for r in client.requisitions.list(status=status)] == [
        t.requisition_id for t in truth if t.status_id == status
    ]
    with pytest.raises(NotFoundError):
        client.requisitions.get("R-99999")


def test_server_time_is_aware_and_close(client: RecruitingClient) -> None:
    """server_time() is the tenant's clock as an aware datetime."""
    now = client.server_time()
    assert now.tzinfo is not None
    assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=1)


# -- interviews --------------------------------------------------------------------------------------------------


def _truth_sessions(fake: FakeTenant, start: datetime, end: datetime) -> list[tuple[str, datetime, str]]:
    found = []
    for record in fake.dataset.iter_candidates():
        for application in record.applications:
            for event in fake.dataset.interviews_for_application(application.application_id):
                for session in event.sessions:
                    if start <= session.start < end:
                        found.append((session.wid, session.start, event.time_zone))
    return sorted(found, key=lambda t: (t[1], t[0]))


@pytest.mark.fake_tenant(candidates=200)
def test_upcoming_lists_exactly_the_sessions_in_the_window(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """upcoming() returns a list of every session starting inside the window, and nothing else, time-zone right."""
    start = fake_tenant.dataset.now
    end = start + timedelta(days=7)
    upcoming = client.interviews.upcoming(start=start, end=end)
    assert isinstance(upcoming, list)
    truth = _truth_sessions(fake_tenant, start, end)
    assert truth, "the data set should have upcoming interviews"
    assert sorted((s.session.wid, s.start) for s in upcoming) == sorted((w, t) for w, t, _ in truth)
    assert [s.start for s in upcoming] == sorted(s.start for s in upcoming)
    zones = {w: z for w, _, z in truth}
    for item in upcoming:
        assert item.start.tzinfo is not None and start <= item.start < end
        assert item.time_zone == zones[item.session.wid] or item.session.time_zone is not None
        assert item.candidate.name and item.application.application_id
        assert item.interviewers
    assert any(s.meeting_url for s in upcoming)


def test_for_application(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """for_application() returns the application's interview events with their sessions."""
    for record in fake_tenant.dataset.iter_candidates():
        for application in record.applications:
            events = fake_tenant.dataset.interviews_for_application(application.application_id)
            if events:
                got = client.interviews.for_application(application.application_id)
                assert [i.wid for i in got] == [e.wid for e in events]
                assert [len(i.sessions) for i in got] == [len(e.sessions) for e in events]
                assert [s.start for s in got[0].sessions] == [s.start for s in events[0].sessions]
                return
    pytest.fail("no application with interviews in the data set")


def test_for_applications_answers_each_application_in_order(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """for_applications() gives, lazily and in input order, what for_application() gives for each one."""
    ids = [a.application_id for r in fake_tenant.dataset.iter_candidates() for a in r.applications][:12]
    got = client.interviews.for_applications(ids)
    assert not isinstance(got, list)
    assert [[i.wid for i in events] for events in got] == [
        [e.wid for e in fake_tenant.dataset.interviews_for_application(app_id)] for app_id in ids
    ]


# -- faults and retries ------------------------------------------------------------------------------------------


def test_wrong_password_raises_at_once(fake_tenant: FakeTenant) -> None:
    """A wrong password is an AuthenticationError after exactly one request."""
    client = RecruitingClient(
        wsdl_url=fake_tenant.wsdl_url, username=fake_tenant.username, password="wrong", retry=FAST_RETRY
    )
    with pytest.raises(AuthenticationError) as info:
        client.server_time()
    assert info.value.http_status == 500
    assert info.value.fault_code == "SOAP-ENV:Client.authenticationError"
    assert len(fake_tenant.requests) == 1
    assert "wrong" not in str(info.value)


@pytest.mark.parametrize("lacking", [MANAGE_CANDIDATES, INTERVIEW_INTEGRATIONS])
def test_missing_domain_is_permission_denied_without_retry(fake_tenant: FakeTenant, lacking: str) -> None:
    """An ISU lacking a domain gets PermissionDeniedError naming it, after exactly one request."""
    fake_tenant.add_isu("ISU_Partial", "Partial-pass-1", domains=[d for d in ALL_DOMAINS if d != lacking])
    client = RecruitingClient(
        wsdl_url=fake_tenant.wsdl_url, username="ISU_Partial", password="Partial-pass-1", retry=FAST_RETRY
    )
    if lacking == MANAGE_CANDIDATES:
        operation, body = "Get_Candidates", {}
    else:
        operation, body = "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": "x"}}
    with pytest.raises(PermissionDeniedError) as info:
        client.call(operation, body)
    assert lacking in info.value.domains
    assert len(fake_tenant.requests) == 1


def test_inactive_policy_looks_like_missing_permission(fake_tenant: FakeTenant) -> None:
    """Domains granted but not activated behave as not granted."""
    fake_tenant.add_isu("ISU_Pending", "Pending-pass-1", activated=False)
    client = RecruitingClient(wsdl_url=fake_tenant.wsdl_url, username="ISU_Pending", password="Pending-pass-1")
    with pytest.raises(PermissionDeniedError):
        client.requisitions.get("R-00001")


def test_validation_fault_keeps_details_without_retry(client: RecruitingClient, fake_tenant: FakeTenant) -> None:
    """A request Workday rejects is a ValidationError with its Validation_Error entries, sent once."""
    with pytest.raises(ValidationError) as info:
        client.call(
            "Get_Candidates",
            {"Request_Criteria": {"First_Name": "Only"}, "Response_Filter": {"Page": 0, "Count": 5}},
        )
    assert info.value.issues
    assert any(i.message for i in info.value.issues)
    assert len(fake_tenant.requests) == 1


@pytest.mark.parametrize("kind", ALL_FAULT_KINDS)
def test_transient_faults_are_retried(fake_tenant: FakeTenant, kind: str) -> None:
    """Each transient fault kind is retried until the request succeeds."""
    fake_tenant.retry_after = 0
    fake_tenant.fault_kinds = [kind]
    fake_tenant.fault_rate = 0.5
    with make_client(fake_tenant) as client:
        ids = [c.candidate_id for c in client.candidates.list(page_size=10)]
    assert ids == all_candidate_ids(fake_tenant)
    assert any(r.fault == kind for r in fake_tenant.requests)


def test_wrong_tenant_is_a_clear_error(fake_tenant: FakeTenant) -> None:
    """A WSDL URL naming another tenant fails with a typed error, not a crash."""
    url = fake_tenant.wsdl_url.replace("/acme/", "/nosuchtenant/")
    client = RecruitingClient(wsdl_url=url, username="ISU", password="x", retry=FAST_RETRY)
    with pytest.raises((ResponseParseError, AuthenticationError, ValidationError)):
        client.server_time()


def test_a_wrong_tenant_name_says_to_check_the_tenant_in_the_url(fake_tenant: FakeTenant) -> None:
    """Workday answers an unknown tenant with its 'Page Not Found' page: the error names it and says what to check."""
    from workday_recruiting import ResponseParseError

    url = fake_tenant.wsdl_url.replace(f"/{fake_tenant.tenant}/", "/no-such-tenant/")
    client = RecruitingClient(wsdl_url=url, username=fake_tenant.username, password=fake_tenant.password)
    with client, pytest.raises(ResponseParseError, match="Page Not Found; check the tenant name") as info:
        client.server_time()
    assert info.value.http_status == 404


def test_unreachable_host_is_a_connect_error() -> None:
    """A closed loopback port gives ConnectError after the retries."""
    from workday_recruiting import ConnectError

    client = RecruitingClient(
        wsdl_url="http://127.0.0.1:9/ccx/service/acme/Recruiting",
        username="u",
        password="p",
        retry=RetryPolicy(attempts=2, initial_backoff=0, jitter=0),
    )
    with pytest.raises(ConnectError, match="refused"):
        client.server_time()


# -- OAuth -------------------------------------------------------------------------------------------------------


def test_oauth_bearer_and_renewal(fake_tenant: FakeTenant) -> None:
    """OAuth: a token is fetched once, reused, and renewed after Workday stops accepting it."""
    oauth = fake_tenant.add_oauth_client("integration-client", "client-secret-1")
    client = RecruitingClient.from_oauth(
        wsdl_url=fake_tenant.wsdl_url,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        refresh_token=oauth.refresh_token,
        retry=FAST_RETRY,
    )
    client.server_time()
    client.server_time()
    assert sum(1 for r in fake_tenant.requests if r.operation is None and "token" in r.path) == 1
    assert {r.auth for r in fake_tenant.requests if r.operation} == {"bearer"}
    fake_tenant.expire_tokens()
    client.server_time()
    assert sum(1 for r in fake_tenant.requests if r.operation is None and "token" in r.path) == 2


def test_oauth_bad_secret(fake_tenant: FakeTenant) -> None:
    """A wrong client secret is an AuthenticationError that never shows the secret."""
    oauth = fake_tenant.add_oauth_client("integration-client", "client-secret-1")
    client = RecruitingClient.from_oauth(
        wsdl_url=fake_tenant.wsdl_url,
        client_id=oauth.client_id,
        client_secret="not-the-secret",
        refresh_token=oauth.refresh_token,
    )
    with pytest.raises(AuthenticationError) as info:
        client.server_time()
    assert "not-the-secret" not in str(info.value) and oauth.refresh_token not in str(info.value)


# -- fidelity ----------------------------------------------------------------------------------------------------


def test_every_request_validates_against_workdays_xsd(
    client: RecruitingClient, fake_tenant: FakeTenant, full_xsd: etree.XMLSchema
) -> None:
    """Every request the client sends (every operation and option) is valid against the real v45.2 XSD."""
    records = list(fake_tenant.dataset.iter_candidates())
    list(client.candidates.list(page_size=20))
    list(
        client.candidates.list(
            updated_from=datetime(2020, 1, 1, tzinfo=timezone.utc),
            updated_to=client.server_time(),
            email="a&b<c>@example.org",
            name="Zoë O'Brien",
            requisition=["R-00001", "R-00002"],
            stage="INTERVIEW",
            applied_from=datetime(2020, 1, 1, tzinfo=timezone.utc),
            applied_to=datetime(2030, 1, 1, tzinfo=timezone.utc),
            max_results=3,
        )
    )
    client.candidates.get(records[0].candidate_id)
    client.candidates.get_many([records[1].wid, records[2].candidate_id])
    list(client.job_applications.list(stage=["SCREEN", "REVIEW"]))
    list(client.requisitions.list(status="OPEN", updated_from=datetime(2020, 1, 1, tzinfo=timezone.utc)))
    client.requisitions.get("R-00001")
    client.interviews.for_application(records[0].applications[0].application_id)
    client.interviews.for_candidate(records[0].candidate_id, records[0].applications[0].requisition_id)
    list(client.interviews.upcoming(days=3, stage="INTERVIEW"))
    events = [
        event
        for record in records
        for application in record.applications
        for event in fake_tenant.dataset.interviews_for_application(application.application_id)
    ]
    for event in events[:3]:
        client.interviews.web_conference(event.wid)
    list(client.job_postings.list())
    client.server_time()
    operations = set()
    for record in fake_tenant.requests:
        if record.operation is None:
            continue
        envelope = etree.fromstring(record.body)
        body = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        assert body is not None
        payload = body[0]
        document = etree.ElementTree(etree.fromstring(etree.tostring(payload)))
        assert full_xsd.validate(document), (record.operation, full_xsd.error_log)
        operations.add(record.operation)
    assert operations == {
        "Get_Candidates",
        "Get_Job_Requisitions",
        "Get_Interviews",
        "Get_Web_Conference_Interview_Data",
        "Get_Job_Postings",
        "Get_Server_Timestamp",
    }


def test_descriptors_follow_the_option(fake_tenant: FakeTenant) -> None:
    """include_descriptors asks for display names; without it references carry none."""
    with make_client(fake_tenant) as on, make_client(fake_tenant, include_descriptors=False) as off:
        a = next(iter(on.candidates.list(max_results=1)))
        b = next(iter(off.candidates.list(max_results=1)))
    assert a.reference.descriptor and not b.reference.descriptor


def test_arguments_are_not_mutated(client: RecruitingClient) -> None:
    """The caller's lists are left as they were."""
    requisitions = ["R-00001", "R-00002"]
    stages = ["SCREEN"]
    list(client.candidates.list(requisition=requisitions, stage=stages))
    assert requisitions == ["R-00001", "R-00002"] and stages == ["SCREEN"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"page_size": 0},
        {"page_size": 1000},
        {"updated_from": datetime(2026, 1, 1)},
        {"name": "Cher"},
        {
            "applied_from": datetime(2026, 2, 1, tzinfo=timezone.utc),
            "applied_to": datetime(2026, 1, 1, tzinfo=timezone.utc),
        },
        {"email": ""},
    ],
)
def test_bad_arguments_fail_before_any_request(
    client: RecruitingClient, fake_tenant: FakeTenant, kwargs: dict[str, object]
) -> None:
    """Malformed or contradictory arguments raise ConfigurationError and send nothing."""
    with pytest.raises(ConfigurationError):
        list(client.candidates.list(**kwargs))  # type: ignore[arg-type]
    assert len(fake_tenant.requests) == 0


def test_call_escape_hatch(client: RecruitingClient) -> None:
    """call() sends any operation of the loaded WSDL and returns the response element; others are refused."""
    body = client.call("Get_Job_Postings", {"Response_Filter": {"Page": 1, "Count": 2}})
    assert etree.QName(body).localname == "Get_Job_Postings_Response"
    with pytest.raises(ConfigurationError, match="wsdl='tenant'"):
        client.call("Put_Candidate", {})


def test_tenant_wsdl_option(fake_tenant: FakeTenant) -> None:
    """wsdl='tenant' loads the tenant's own WSDL over HTTP and works the same."""
    with make_client(fake_tenant, wsdl="tenant") as client:
        assert len(list(client.candidates.list(max_results=5))) == 5
    assert any(r.method == "GET" for r in fake_tenant.requests)


def test_closed_client_refuses(fake_tenant: FakeTenant) -> None:
    """A closed client says so instead of failing obscurely."""
    client = make_client(fake_tenant)
    client.close()
    with pytest.raises(ConfigurationError, match="closed"):
        client.server_time()


def test_models_are_typed_values(client: RecruitingClient) -> None:
    """Candidates are frozen attrs values with JSON-ready dicts."""
    import json

    candidate = next(iter(client.candidates.list(max_results=1)))
    assert isinstance(candidate, Candidate)
    with pytest.raises(AttributeError):
        candidate.candidate_id = "x"  # type: ignore[misc]
    json.dumps(candidate.to_dict())


@pytest.mark.fake_tenant(candidates=120)
def test_upcoming_without_interview_integrations_has_no_links(
    fake_tenant: FakeTenant, caplog: pytest.LogCaptureFixture
) -> None:
    """An ISU lacking Interview Integrations still gets the schedule, without meeting links, and a warning."""
    fake_tenant.add_isu(
        "ISU_NoLinks", "NoLinks-pass-1", domains=[d for d in ALL_DOMAINS if d != INTERVIEW_INTEGRATIONS]
    )
    client = RecruitingClient(
        wsdl_url=fake_tenant.wsdl_url, username="ISU_NoLinks", password="NoLinks-pass-1", retry=FAST_RETRY
    )
    start = fake_tenant.dataset.now
    sessions = list(client.interviews.upcoming(start=start, end=start + timedelta(days=7)))
    assert sessions
    assert all(s.meeting is None for s in sessions)
    assert len(fake_tenant.requests.of("Get_Web_Conference_Interview_Data")) == 1
    assert any("without meeting links" in r.getMessage() for r in caplog.records)


def test_loading_the_tenant_wsdl_leaves_the_session_as_it_was(fake_tenant: FakeTenant) -> None:
    """zeep's transport would give the client's session zeep's User-Agent and a file:// adapter for every later
    request; the session keeps its own."""
    sent: list[str] = []
    with make_client(fake_tenant, wsdl="tenant") as client:
        client._session.hooks["response"].append(lambda r, *a, **k: sent.append(r.request.headers["User-Agent"]))
        client.server_time()
        assert "file://" not in client._session.adapters
    assert len(sent) == 2  # the WSDL, then the SOAP request
    assert all(agent.startswith("workday-recruiting/") for agent in sent)


def test_a_wsdl_file_url_still_loads(fake_tenant: FakeTenant, tmp_path: Path) -> None:
    """wsdl='file:///...' (a saved copy of the tenant's WSDL) is read from disk, without a file:// adapter."""
    import requests

    saved = tmp_path / "Recruiting.wsdl"
    saved.write_bytes(requests.get(fake_tenant.wsdl_url, timeout=10).content)
    with make_client(fake_tenant, wsdl=saved.as_uri()) as client:
        assert len(list(client.candidates.list(max_results=3))) == 3
