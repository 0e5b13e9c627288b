"""The setup check against FakeTenant: every broken setup step gives the right failing row, a complete ISU passes."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from lxml import etree

from workday_recruiting import (
    CheckStatus,
    PermissionDeniedError,
    RecruitingClient,
    RetryPolicy,
    SetupReport,
    ValidationError,
)
from workday_recruiting._setup_check import DOMAIN_PROBES, GUIDE_STEPS, check_setup
from workday_recruiting.testing import (
    ALL_DOMAINS,
    CANDIDATE_INTERVIEW_SCHEDULE,
    DOMAINS,
    INTERVIEW_INTEGRATIONS,
    JOB_REQUISITION_DATA,
    MANAGE_CANDIDATES,
    FakeTenant,
    _operations,
)

Factory = Callable[..., FakeTenant]
FAST = RetryPolicy(attempts=2, initial_backoff=0, jitter=0)
PASSWORD = "S3cret-Setup-Check-pw!"
ISU = "ISU_Check"
KEYS = (
    "wsdl_url",
    "wsdl_reachable",
    "api_version",
    "credentials",
    "clock",
    *(f"domain:{d}" for d in DOMAINS),
    "policy_activated",
    "interview_listing",
)
#: Domains whose probe needs another domain's operation to run (part-level, read through Get_Candidates).
NEEDS_MANAGE_CANDIDATES = {
    "Candidate Data: Job Application",
    "Candidate Data: Personal Information",
    "Candidate Data: Other Information",
}


@pytest.fixture
def tenant(fake_tenant_factory: Factory) -> FakeTenant:
    """A small tenant (30 candidates)."""
    return fake_tenant_factory(candidates=30)


def run(tenant: FakeTenant, *, domains: Any = ALL_DOMAINS, activated: bool = True, **overrides: Any) -> SetupReport:
    """Add an ISU with these domains to the tenant and check the setup as it (the way the CLI does)."""
    tenant.add_isu(ISU, PASSWORD, domains=domains, activated=activated)
    settings: dict[str, Any] = {"wsdl_url": tenant.wsdl_url, "username": ISU, "password": PASSWORD, "retry": FAST}
    settings.update(overrides)
    return check_setup(**settings)


def statuses(report: SetupReport) -> dict[str, CheckStatus]:
    """``{key: status}`` of every row."""
    return {row.key: row.status for row in report}


def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_domain_fix(fix: str | None, domain: str) -> None:
    """A failing domain row names the domain, the two Workday tasks, and the not-activated trap."""
    assert fix is not None
    assert f"'{domain}'" in fix
    assert "Maintain Permissions for Security Group" in fix
    assert "Activate Pending Security Policy Changes" in fix
    assert "granted but not activated looks missing" in fix


# -- a complete setup ----------------------------------------------------------------------------------------------


def test_complete_isu_passes_every_row(tenant: FakeTenant) -> None:
    """An ISU holding the 8 domains, activated, passes all 15 rows in the guide's order; exit code 0."""
    report = run(tenant)
    assert tuple(row.key for row in report) == KEYS
    assert all(row.status is CheckStatus.PASS for row in report), report.format()
    assert report.ok and report.exit_code == 0 and report.failures == ()
    assert report.tenant == tenant.tenant and report.auth == "isu"


def test_client_method_runs_the_same_check(tenant: FakeTenant) -> None:
    """``client.check_setup()`` gives the same rows as the settings-based check."""
    with RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password) as client:
        report = client.check_setup()
    assert tuple(row.key for row in report) == KEYS and report.ok


def test_rows_name_their_guide_step(tenant: FakeTenant) -> None:
    """URL rows are step 5, ISU credentials step 1, domains step 3, activation step 4; the clock and the interview
    listing are no step of the guide."""
    report = run(tenant)
    steps = {row.key: row.step for row in report}
    assert steps["wsdl_url"] == steps["wsdl_reachable"] == steps["api_version"] == 5
    assert steps["credentials"] == 1 and steps["clock"] is None and steps["policy_activated"] == 4
    assert steps["interview_listing"] is None
    assert {steps[f"domain:{d}"] for d in DOMAINS} == {3}
    assert set(GUIDE_STEPS) == {1, 2, 3, 4, 5, 6} and set(DOMAIN_PROBES) == set(DOMAINS)


# -- each domain missing in turn -------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", DOMAINS)
def test_each_missing_domain_fails_its_own_row(tenant: FakeTenant, missing: str) -> None:
    """Without one domain, that domain's row FAILs with the fix; no other domain row FAILs; exit code 1."""
    report = run(tenant, domains=ALL_DOMAINS - {missing})
    row = report[f"domain:{missing}"]
    assert row.status is CheckStatus.FAIL, report.format()
    assert row.step == 3 and row.domain == missing
    assert_domain_fix(row.fix, missing)
    assert [r.key for r in report.failures] == [f"domain:{missing}"]
    assert not report.ok and report.exit_code == 1
    others = {r.domain: r.status for r in report if r.domain not in (None, missing)}
    expected_skipped = NEEDS_MANAGE_CANDIDATES if missing == MANAGE_CANDIDATES else set()
    assert {d for d, s in others.items() if s is CheckStatus.SKIP} == expected_skipped
    assert {s for d, s in others.items() if d not in expected_skipped} == {CheckStatus.PASS}
    assert report["policy_activated"].status is CheckStatus.PASS


def test_missing_part_level_domain_says_parts_were_left_out(tenant: FakeTenant) -> None:
    """A part-level domain shows up as data left out of a successful answer, and the row says so."""
    report = run(tenant, domains=ALL_DOMAINS - {"Candidate Data: Personal Information"})
    detail = report["domain:Candidate Data: Personal Information"].detail
    assert "left out names and contact data" in detail and "granted but not activated" in detail


def test_missing_operation_level_domain_names_the_refused_operation(tenant: FakeTenant) -> None:
    """An operation-level domain's row names the operation Workday refused as not authorized."""
    report = run(tenant, domains=ALL_DOMAINS - {JOB_REQUISITION_DATA})
    assert "Get_Job_Requisitions was refused as not authorized" in report[f"domain:{JOB_REQUISITION_DATA}"].detail


def test_inactive_policy_fails_the_activation_row(tenant: FakeTenant) -> None:
    """Domains granted but not activated: the step-4 row FAILs naming the task, and every probed domain FAILs."""
    report = run(tenant, activated=False)
    row = report["policy_activated"]
    assert row.status is CheckStatus.FAIL and row.step == 4
    assert row.fix is not None and "Activate Pending Security Policy Changes" in row.fix
    assert "not activated" in row.detail
    for domain in (MANAGE_CANDIDATES, JOB_REQUISITION_DATA, CANDIDATE_INTERVIEW_SCHEDULE, INTERVIEW_INTEGRATIONS):
        assert report[f"domain:{domain}"].status is CheckStatus.FAIL
    assert report["credentials"].status is CheckStatus.PASS
    assert report.exit_code == 1


def test_made_up_reference_tells_granted_from_missing(tenant: FakeTenant) -> None:
    """The probe's trick holds: a made-up record is a validation fault when granted, not-authorized when not."""
    tenant.add_isu("ISU_Without", PASSWORD, domains=ALL_DOMAINS - {INTERVIEW_INTEGRATIONS})
    request = {"Request_References": {"Interview_ID_Reference": "0" * 32}}
    full = RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password)
    lacking = RecruitingClient(wsdl_url=tenant.wsdl_url, username="ISU_Without", password=PASSWORD, retry=FAST)
    with full, lacking:
        with pytest.raises(ValidationError):
            full.call("Get_Web_Conference_Interview_Data", request)
        with pytest.raises(PermissionDeniedError):
            lacking.call("Get_Web_Conference_Interview_Data", request)


def test_empty_tenant_warns_could_not_verify(fake_tenant_factory: Factory) -> None:
    """With no candidates the part-level domains cannot be told apart: WARN 'could not verify', and the check passes."""
    report = run(fake_tenant_factory(candidates=0))
    for domain in NEEDS_MANAGE_CANDIDATES:
        row = report[f"domain:{domain}"]
        assert row.status is CheckStatus.WARN and row.detail.startswith("could not verify")
    assert report.ok and report.exit_code == 0


# -- credentials, URL, network --------------------------------------------------------------------------------------


def test_wrong_password_fails_the_credentials_row(tenant: FakeTenant) -> None:
    """A wrong password FAILs step 1 with the password tasks; the domain probes are skipped."""
    tenant.add_isu(ISU, PASSWORD)
    report = check_setup(wsdl_url=tenant.wsdl_url, username=ISU, password="not-the-password", retry=FAST)
    row = report["credentials"]
    assert row.status is CheckStatus.FAIL and row.step == 1
    assert row.fix is not None and "Maintain Password Rules" in row.fix and "Create Integration System User" in row.fix
    assert "password expiration" in row.fix
    assert {report[f"domain:{d}"].status for d in DOMAINS} == {CheckStatus.SKIP}
    assert report["interview_listing"].status is CheckStatus.SKIP
    assert report.exit_code == 1
    assert "not-the-password" not in report.format() + report.to_json()


def test_expired_password_reads_as_refused_credentials(tenant: FakeTenant) -> None:
    """An expired password is refused like a wrong one, and the fix names the expiry exemption."""
    tenant.add_isu(ISU, PASSWORD, password_expired=True)
    report = check_setup(wsdl_url=tenant.wsdl_url, username=ISU, password=PASSWORD, retry=FAST)
    assert report["credentials"].status is CheckStatus.FAIL
    assert "exempt from password expiration" in (report["credentials"].fix or "")


def test_wrong_tenant_fails_reachability(tenant: FakeTenant) -> None:
    """A URL naming another tenant gets the host's 404 page: 'unreachable or wrong tenant', the rest skipped."""
    url = tenant.wsdl_url.replace(f"/service/{tenant.tenant}/", "/service/globex/")
    report = check_setup(wsdl_url=url, username=ISU, password=PASSWORD, retry=FAST)
    row = report["wsdl_reachable"]
    assert row.status is CheckStatus.FAIL and row.step == 5
    assert "wrong tenant" in row.detail and "HTTP 404" in row.detail
    assert row.fix is not None and "'globex'" in row.fix
    assert report["wsdl_url"].status is CheckStatus.PASS
    assert {report[k].status for k in KEYS[3:]} == {CheckStatus.SKIP}
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://wd5-services1.myworkday.com/ccx/service/acme/Human_Resources", "Human_Resources"),
        ("wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "https://"),
        ("https://wd5-services1.myworkday.com/acme/Recruiting", "not a Workday web service path"),
    ],
)
def test_malformed_url_fails_the_first_row(url: str, problem: str) -> None:
    """A malformed URL FAILs 'WSDL URL well formed' naming the problem; nothing is sent; the rest is skipped."""
    report = check_setup(wsdl_url=url, username=ISU, password=PASSWORD)
    row = report["wsdl_url"]
    assert row.status is CheckStatus.FAIL and problem in row.detail
    assert row.fix is not None and "Public Web Services" in row.fix
    assert {r.status for r in report if r.key != "wsdl_url"} == {CheckStatus.SKIP}
    assert report.exit_code == 1


def test_unreachable_host_fails_reachability() -> None:
    """Nothing listening on the port: 'unreachable', connection refused, and a non-zero exit."""
    url = f"http://127.0.0.1:{closed_port()}/ccx/service/acme/Recruiting"
    report = check_setup(wsdl_url=url, username=ISU, password=PASSWORD, retry=FAST)
    row = report["wsdl_reachable"]
    assert row.status is CheckStatus.FAIL and row.detail.startswith("unreachable")
    assert "refused the connection" in row.detail
    assert report.exit_code == 1


def test_unsupported_version_fails(tenant: FakeTenant) -> None:
    """A version older than v34.0 FAILs 'API version supported' with the URL to use instead."""
    report = run(tenant, version="v30.0")
    row = report["api_version"]
    assert row.status is CheckStatus.FAIL and "v30.0" in row.detail
    assert row.fix is not None and "v45.2" in row.fix


def test_an_older_version_in_the_url_passes_and_says_the_sdk_speaks_v45_2(tenant: FakeTenant) -> None:
    """A /v40.0 URL works (responses down to v34.0 parse), and the row says what is lost against v45.2."""
    report = run(tenant, version="v40.0")
    row = report["api_version"]
    assert row.status is CheckStatus.PASS
    assert "v40.0" in row.detail and "this SDK speaks v45.2" in row.detail and "/Recruiting/v45.2" in row.detail


def test_missing_password_is_a_failing_credentials_row(tenant: FakeTenant) -> None:
    """An empty password becomes a FAIL row (not an exception), after a passing URL row."""
    report = check_setup(wsdl_url=tenant.wsdl_url, username=ISU, password="")
    assert report["wsdl_url"].status is CheckStatus.PASS
    assert report["credentials"].status is CheckStatus.FAIL and "password is empty" in report["credentials"].detail


# -- OAuth ---------------------------------------------------------------------------------------------------------


def oauth(tenant: FakeTenant, **changes: str) -> SetupReport:
    """Check the OAuth variant with the tenant's API client (some values changed)."""
    client = tenant.oauth_client
    values = {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "refresh_token": client.refresh_token,
        **changes,
    }
    return check_setup(wsdl_url=tenant.wsdl_url, retry=FAST, **values)


def test_oauth_complete_setup_passes(tenant: FakeTenant) -> None:
    """The OAuth variant passes every row; the credentials row is step 6."""
    report = oauth(tenant)
    assert report.ok and report.auth == "oauth", report.format()
    assert report["credentials"].step == 6


def test_oauth_bad_secret_fails_the_token_exchange(tenant: FakeTenant) -> None:
    """A wrong client secret FAILs the credentials row (step 6) naming the API client tasks; no secret is shown."""
    report = oauth(tenant, client_secret="a-wrong-client-secret")
    row = report["credentials"]
    assert row.status is CheckStatus.FAIL and row.step == 6
    assert "token exchange failed" in row.detail
    assert row.fix is not None and "Register API Client for Integrations" in row.fix
    assert "Manage Refresh Tokens for Integrations" in row.fix
    text = report.format() + report.to_json()
    assert "a-wrong-client-secret" not in text and tenant.oauth_client.refresh_token not in text
    assert report.exit_code == 1


# -- the clock -----------------------------------------------------------------------------------------------------


def test_skewed_tenant_clock_warns(fake_tenant_factory: Factory) -> None:
    """A tenant clock 10 minutes ahead gives a WARN naming the difference; a WARN does not fail the check."""
    tenant = fake_tenant_factory(candidates=10, now=datetime.now(timezone.utc) + timedelta(minutes=10))
    report = run(tenant)
    row = report["clock"]
    assert row.status is CheckStatus.WARN and "ahead of" in row.detail
    assert report.ok and report.exit_code == 0


# -- whether the tenant lists interviews without criteria (informational) --------------------------------------------


def listing_probes(tenant: FakeTenant) -> list[bytes]:
    """The bodies of the Get_Interviews requests that named neither references nor criteria."""
    return [
        r.body
        for r in tenant.requests.of("Get_Interviews")
        if b"Request_Criteria" not in r.body and b"Request_References" not in r.body
    ]


def test_a_listing_tenant_is_reported_as_listing(tenant: FakeTenant) -> None:
    """One criteria-less Get_Interviews with Count 1: 'yes', what it means for upcoming(), and a PASS."""
    tenant.requests.clear()
    report = run(tenant)
    row = report["interview_listing"]
    assert row.status is CheckStatus.PASS and row.title == "Lists interviews without criteria"
    assert row.detail.startswith("yes: Get_Interviews without criteria answered (")
    assert "interview event(s) in all" in row.detail and "list the events directly" in row.detail
    (probe,) = listing_probes(tenant)
    assert (
        etree.fromstring(probe).findtext(".//{urn:com.workday/bsvc}Response_Filter/{urn:com.workday/bsvc}Count") == "1"
    )
    assert "PASS    -     Lists interviews without criteria" in report.format(width=200)


def test_a_refusing_tenant_is_reported_as_scanning_and_still_passes(fake_tenant_factory: Factory) -> None:
    """A tenant refusing the listing: 'no', the scan the SDK falls back to, Workday's words; the check passes."""
    tenant = fake_tenant_factory(candidates=30, lists_all_interviews=False)
    report = run(tenant)
    row = report["interview_listing"]
    assert row.status is CheckStatus.PASS, report.format()
    assert row.detail.startswith("no: Workday asks for criteria (")
    assert "You must specify Request References or Request Criteria" in row.detail
    assert "interview-holding stages" in row.detail
    assert report.ok and report.exit_code == 0


def test_another_refusal_of_the_listing_is_a_warning(
    fake_tenant_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validation fault that does not say criteria are required is not taken for a refusal: WARN, still ok."""
    monkeypatch.setattr(_operations, "INTERVIEWS_NEED_CRITERIA", "Interview Events are not available.")
    report = run(fake_tenant_factory(candidates=30, lists_all_interviews=False))
    row = report["interview_listing"]
    assert row.status is CheckStatus.WARN and "Interview Events are not available." in row.detail
    assert row.detail.startswith("could not tell:") and row.fix is not None
    assert report.ok


def test_the_listing_is_not_checked_without_the_interview_schedule_domain(tenant: FakeTenant) -> None:
    """Without Candidate Data: Interview Schedule the listing cannot answer: SKIP pointing at that row."""
    report = run(tenant, domains=ALL_DOMAINS - {CANDIDATE_INTERVIEW_SCHEDULE})
    row = report["interview_listing"]
    assert row.status is CheckStatus.SKIP and f"'{CANDIDATE_INTERVIEW_SCHEDULE}'" in row.detail
    assert [r.key for r in report.failures] == [f"domain:{CANDIDATE_INTERVIEW_SCHEDULE}"]


# -- concurrency and output ----------------------------------------------------------------------------------------


def test_domain_probes_run_on_the_client_pool(tenant: FakeTenant) -> None:
    """The domain probes are sent from the client's worker threads, not one after another on the caller's."""
    seen: list[str] = []

    class Spying(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
            seen.append(threading.current_thread().name)
            return super().request(method, url, *args, **kwargs)

    with (
        Spying() as session,
        RecruitingClient(
            wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password, session=session
        ) as client,
    ):
        assert client.check_setup().ok
    assert sum(name.startswith("workday-recruiting") for name in seen) >= 4


@pytest.fixture
def failing_report(tenant: FakeTenant) -> SetupReport:
    """A report with one failing domain."""
    return run(tenant, domains=ALL_DOMAINS - {MANAGE_CANDIDATES})


def test_table_has_colour_only_when_asked(failing_report: SetupReport) -> None:
    """format() is plain text; format(color=True) colours the statuses with ANSI escapes."""
    assert "\x1b[" not in failing_report.format()
    assert "\x1b[1;31mFAIL\x1b[0m" in failing_report.format(color=True)


class FakeTTY(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Pretend to be a terminal."""
        return True


def test_print_colours_a_terminal_unless_no_color(failing_report: SetupReport, monkeypatch: pytest.MonkeyPatch) -> None:
    """print() colours a terminal, not a pipe, and never when NO_COLOR is set."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    pipe, tty, quiet = io.StringIO(), FakeTTY(), FakeTTY()
    failing_report.print(pipe)
    failing_report.print(tty)
    monkeypatch.setenv("NO_COLOR", "1")
    failing_report.print(quiet)
    assert "\x1b[" not in pipe.getvalue() and "\x1b[" in tty.getvalue() and "\x1b[" not in quiet.getvalue()


def test_table_shows_fix_under_failing_rows(failing_report: SetupReport) -> None:
    """The table prints 'Fix:' with the Workday task under the failing row, and a verdict line."""
    text = failing_report.format(width=200)
    assert f"FAIL    3     Domain: {MANAGE_CANDIDATES}" in text
    assert "Fix: In Maintain Permissions for Security Group" in text
    assert text.rstrip().splitlines()[-1].startswith("1 check(s) failed")


def test_json_round_trips(failing_report: SetupReport) -> None:
    """to_json() parses, holds every row with its step, status and fix, and says whether the check passed."""
    data = json.loads(failing_report.to_json())
    assert data["ok"] is False and len(data["checks"]) == len(KEYS)
    failing = [c for c in data["checks"] if c["status"] == "FAIL"]
    assert [c["domain"] for c in failing] == [MANAGE_CANDIDATES] and failing[0]["step"] == 3 and failing[0]["fix"]


def test_html_escapes_and_colours(failing_report: SetupReport) -> None:
    """The notebook rendering is an HTML table with one row per check."""
    page = failing_report._repr_html_()
    assert page.startswith("<table>") and page.count("<tr>") == len(KEYS) + 1
    assert "Manage: Candidates" in page and "1 check(s) failed" in page


def test_no_secret_in_any_output(tenant: FakeTenant) -> None:
    """The ISU's password appears in no row, table or JSON of a passing or failing check."""
    texts: Iterator[str] = (
        r.format() + r.to_json() + r._repr_html_() + repr(r)
        for r in (run(tenant), run(tenant, domains=frozenset()), run(tenant, activated=False))
    )
    for text in texts:
        assert PASSWORD not in text
