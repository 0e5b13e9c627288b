"""The setup check's probes: each step of the integration setup tried against the tenant, one row each.

They work from a :class:`SetupTarget` (the endpoint, the credentials, the wire and a requestor), not from the
client, so a client and a bare set of parts are checked alike. See ``_setup_check`` for what is probed and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import Final

import attrs
from lxml import etree

from ._auth import Auth, OAuthRefreshTokenAuth
from ._config import OLDEST_SUPPORTED_VERSION, Endpoint
from ._errors import AuthenticationError, NotFoundError, PermissionDeniedError, ValidationError, WorkdayError
from ._http import MAX_REDIRECTS, Wire, html_title
from ._ns import API_VERSION, WD
from ._requests import CANDIDATE_GROUP, interview_listing, page_filter, typed_ref
from ._setup_report import (
    _INTERVIEW_INTEGRATIONS,
    _INTERVIEW_SCHEDULE,
    _ISU_FIX,
    _JOB_APPLICATION,
    _MANAGE_CANDIDATES,
    _OAUTH_FIX,
    _OTHER,
    _PERSONAL,
    _REQUISITION_DATA,
    _URL_FIX,
    _WORKERS,
    DEFAULT_MAX_CLOCK_SKEW,
    DOMAIN_PROBES,
    CheckStatus,
    SetupCheck,
    SetupReport,
    _domain_fix,
    _row,
    _skipped_after,
    _url_detail,
)
from ._xml import text_of
from .services import Requestor, server_time
from .services.interviews import _says_criteria_required

__all__ = ["SetupTarget", "run_checks"]

_WSDL_PREFIX_BYTES: Final = 64 * 1024
_MADE_UP_APPLICATION: Final = "WORKDAY-RECRUITING-SETUP-CHECK-0"
_MADE_UP_WID: Final = "0" * 32
_APPLIED_SINCE: Final = datetime(1900, 1, 1, tzinfo=timezone.utc)

_RESPONSE_DATA = f"{{{WD}}}Response_Data"
_RESULTS = f"{{{WD}}}Response_Results"
_TOTAL = f"{{{WD}}}Total_Results"
_PERSONAL_PARTS = frozenset({f"{{{WD}}}Name_Data", f"{{{WD}}}Contact_Data"})
_OTHER_PARTS = frozenset(
    f"{{{WD}}}{name}"
    for name in (
        "Status_Data",
        "Prospect_Data",
        "Referral_Data",
        "Language_Reference",
        "Candidate_Tag_Reference",
        "Worker_Reference",
    )
)
_APPLICATION_PART = f"{{{WD}}}Job_Application_Data"
_CANDIDATE_DATA = f"{{{WD}}}Candidate_Data"
_ROLE_ASSIGNMENT = f"{{{WD}}}Role_Assignment_Data"
_INTERVIEWERS = f"{{{WD}}}Interviewers_Reference"
_ID = f"{{{WD}}}ID"
_TYPE = f"{{{WD}}}type"


@attrs.frozen
class SetupTarget:
    """What the setup check needs: where the tenant is, the credentials, the wire and a requestor.

    Attributes:
        endpoint: The tenant's endpoint.
        auth: The credentials (ISU or OAuth).
        wire: The one HTTP seam (the WSDL probe is a plain GET).
        requestor: Sends the probe requests, on its worker pool.
    """

    endpoint: Endpoint
    auth: Auth
    wire: Wire
    requestor: Requestor


def run_checks(target: SetupTarget, *, max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW) -> SetupReport:
    """Run every check against ``target`` (what :meth:`RecruitingClient.check_setup` does with its own parts)."""
    endpoint = target.endpoint
    oauth = isinstance(target.auth, OAuthRefreshTokenAuth)
    auth = "oauth" if oauth else "isu"

    def report(rows: list[SetupCheck]) -> SetupReport:
        return SetupReport(tuple(rows), tenant=endpoint.tenant, service_url=endpoint.service_url, auth=auth)

    rows = [_row("wsdl_url", CheckStatus.PASS, _url_detail(endpoint))]
    reachable = _probe_wsdl(target)
    rows.append(reachable)
    rows.append(_version_row(endpoint))
    if reachable.status is CheckStatus.FAIL:
        return report(rows + _skipped_after("api_version", oauth, "the service is unreachable"))
    credentials, clock = _probe_credentials(target, oauth, max_clock_skew)
    rows += [credentials, clock]
    if credentials.status is CheckStatus.FAIL:
        return report(rows + _skipped_after("clock", oauth, "the credentials were refused"))
    domains, listing = _probe_domains(target)
    rows += domains
    rows.append(_policy_row(domains))
    rows.append(listing)
    return report(rows)


def _probe_wsdl(target: SetupTarget) -> SetupCheck:
    """GET the start of the tenant's ``?wsdl`` once (no retries), through the client's wire like every request."""
    url = target.endpoint.wsdl_url
    wrong = (
        f"Check the host and the tenant name {target.endpoint.tenant!r} in the WSDL URL. {_URL_FIX}".rstrip(".") + "."
    )
    try:
        response = target.wire.send(
            "GET", url, max_bytes=_WSDL_PREFIX_BYTES, truncate=True, redirects=MAX_REDIRECTS, what="the WSDL"
        )
    except WorkdayError as exc:
        return _row("wsdl_reachable", CheckStatus.FAIL, f"unreachable: {exc.message}", wrong)
    status, prefix = response.status, response.content
    looks_wsdl = prefix.lstrip()[:1] == b"<" and b"definitions" in prefix and b"<html" not in prefix[:512].lower()
    if status == 200 and looks_wsdl:
        return _row("wsdl_reachable", CheckStatus.PASS, f"{url} serves the Recruiting WSDL")
    what = html_title(prefix) or ("a page that is not a WSDL" if status == 200 else "no WSDL")
    return _row(
        "wsdl_reachable",
        CheckStatus.FAIL,
        f"unreachable or wrong tenant: {url} answered HTTP {status} ({what})",
        wrong,
    )


def _version_row(endpoint: Endpoint) -> SetupCheck:
    if endpoint.version == API_VERSION:
        return _row("api_version", CheckStatus.PASS, f"{endpoint.version}, the version this SDK speaks")
    if endpoint.version_supported:
        return _row(
            "api_version",
            CheckStatus.PASS,
            f"{endpoint.version} is supported, but this SDK speaks {API_VERSION}: requests go out as "
            f"{endpoint.version} and fields added since then stay empty (drop the version from the WSDL URL, or end "
            f"it in /Recruiting/{API_VERSION}, to get them)",
        )
    oldest = "v{}.{}".format(*OLDEST_SUPPORTED_VERSION)
    return _row(
        "api_version",
        CheckStatus.FAIL,
        f"{endpoint.version} is not supported: this SDK reads {oldest} to {API_VERSION}",
        f"Use the WSDL URL without a version, or ending in /Recruiting/{API_VERSION}.",
    )


def _probe_credentials(target: SetupTarget, oauth: bool, max_clock_skew: timedelta) -> tuple[SetupCheck, SetupCheck]:
    fix = _OAUTH_FIX if oauth else _ISU_FIX
    not_checked = _row("clock", CheckStatus.SKIP, "not checked: the credentials were refused")
    if oauth:
        auth = target.auth
        assert isinstance(auth, OAuthRefreshTokenAuth)  # noqa: S101 - narrowed by the caller
        try:
            auth.access_token()
        except AuthenticationError as exc:
            return _row(
                "credentials", CheckStatus.FAIL, f"the token exchange failed: {exc.message}", fix, oauth=True
            ), (not_checked)
        except WorkdayError as exc:
            detail = f"the OAuth token endpoint {auth.token_url} could not be used: {exc.message}"
            return _row("credentials", CheckStatus.FAIL, detail, fix, oauth=True), not_checked
    before = datetime.now(timezone.utc)
    try:
        tenant_now = server_time(target.requestor)
    except AuthenticationError:
        who = "the OAuth access token" if oauth else f"the ISU {_isu_name(target)!r}"
        detail = f"Workday refused {who} (Get_Server_Timestamp): invalid user name or password, or expired"
        return _row("credentials", CheckStatus.FAIL, detail, fix, oauth=oauth), not_checked
    except PermissionDeniedError as exc:  # Get_Server_Timestamp needs no domain; say what Workday said
        return _row("credentials", CheckStatus.FAIL, exc.message, fix, oauth=oauth), not_checked
    except WorkdayError as exc:
        return (
            _row("credentials", CheckStatus.FAIL, f"Get_Server_Timestamp failed: {exc}", fix, oauth=oauth),
            not_checked,
        )
    after = datetime.now(timezone.utc)
    ours = before + (after - before) / 2
    who = "the OAuth token exchange and Get_Server_Timestamp" if oauth else f"the ISU {_isu_name(target)!r}"
    credentials = _row("credentials", CheckStatus.PASS, f"Workday accepted {who}", oauth=oauth)
    return credentials, _clock_row(tenant_now - ours, max_clock_skew)


def _isu_name(target: SetupTarget) -> str:
    return str(getattr(target.auth, "username", "?"))


def _clock_row(skew: timedelta, limit: timedelta) -> SetupCheck:
    seconds = skew.total_seconds()
    relation = "ahead of" if seconds > 0 else "behind"
    amount = f"{abs(seconds):.0f}s {relation} this machine's clock"
    if abs(skew) <= limit:
        return _row("clock", CheckStatus.PASS, f"the tenant's clock is {amount}" if abs(seconds) >= 1 else "in sync")
    return _row(
        "clock",
        CheckStatus.WARN,
        f"the tenant's clock is {amount} (over {limit.total_seconds():.0f}s)",
        "Synchronise this machine's clock (NTP). Incremental sync windows use the tenant's time "
        "(client.server_time()), so a skewed local clock can skip or repeat changes.",
    )


# -- domains -----------------------------------------------------------------------------------------------------


@attrs.frozen
class _Outcome:
    body: etree._Element | None = None
    error: WorkdayError | None = None

    @property
    def denied(self) -> bool:
        return isinstance(self.error, PermissionDeniedError)

    @property
    def total(self) -> int:
        if self.body is None:
            return 0
        text = self.body.findtext(f"{_RESULTS}/{_TOTAL}")
        try:
            return int(float(text)) if text else 0
        except ValueError:
            return 0

    def items(self) -> list[etree._Element]:
        data = self.body.find(_RESPONSE_DATA) if self.body is not None else None
        return [] if data is None else list(data)


def _attempt(call: Callable[[], etree._Element]) -> _Outcome:
    try:
        return _Outcome(body=call())
    except WorkdayError as exc:
        return _Outcome(error=exc)


def _probe_domains(target: SetupTarget) -> tuple[list[SetupCheck], SetupCheck]:
    """Run the probes (concurrently on the requestor's pool) and turn their outcomes into the 8 domain rows, and the
    informational row saying whether the tenant lists interview events without criteria."""
    call = target.requestor.call
    calls: dict[str, Callable[[], etree._Element]] = {
        "candidates": lambda: call(
            "Get_Candidates", {"Response_Filter": page_filter(1, 1), "Response_Group": dict(CANDIDATE_GROUP)}
        ),
        "applied": lambda: call(
            "Get_Candidates",
            {
                "Request_Criteria": {"Applied_From": _APPLIED_SINCE},
                "Response_Filter": page_filter(1, 1),
                "Response_Group": dict(CANDIDATE_GROUP),
            },
        ),
        "requisitions": lambda: call(
            "Get_Job_Requisitions",
            {
                "Response_Filter": page_filter(1, 5),
                "Response_Group": {"Include_Reference": True, "Include_Roles": True},
            },
        ),
        "web_conference": lambda: call(
            "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": _MADE_UP_WID}}
        ),
        "listing": lambda: call("Get_Interviews", {**interview_listing(), "Response_Filter": page_filter(1, 1)}),
    }
    outcomes = _run_all(target.requestor, calls)
    application_id = _first_application_id(outcomes["applied"]) or _first_application_id(outcomes["candidates"])
    reference = application_id or _MADE_UP_APPLICATION
    interviews = _attempt(
        lambda: call(
            "Get_Interviews",
            {
                "Request_Criteria": {"Job_Application_Reference": typed_ref(reference, "Job_Application_ID")},
                "Response_Filter": page_filter(1, 1),
            },
        )
    )
    made_up = application_id is None
    rows = {
        _MANAGE_CANDIDATES: _operation_row(_MANAGE_CANDIDATES, "Get_Candidates", outcomes["candidates"], made_up=False),
        _REQUISITION_DATA: _operation_row(
            _REQUISITION_DATA, "Get_Job_Requisitions", outcomes["requisitions"], made_up=False
        ),
        _INTERVIEW_SCHEDULE: _operation_row(_INTERVIEW_SCHEDULE, "Get_Interviews", interviews, made_up=made_up),
        _INTERVIEW_INTEGRATIONS: _operation_row(
            _INTERVIEW_INTEGRATIONS, "Get_Web_Conference_Interview_Data", outcomes["web_conference"], made_up=True
        ),
        _PERSONAL: _part_row(
            _PERSONAL,
            outcomes["candidates"],
            _with_parts(_PERSONAL_PARTS),
            what="names and contact data",
            empty="the tenant has no candidates",
        ),
        _OTHER: _part_row(
            _OTHER,
            outcomes["candidates"],
            _with_parts(_OTHER_PARTS),
            what="status, prospect, referral and tag data",
            empty="the tenant has no candidates",
        ),
        _JOB_APPLICATION: _application_row(outcomes["applied"], outcomes["candidates"]),
        _WORKERS: _workers_row(outcomes["requisitions"], interviews),
    }
    return [rows[domain] for domain in DOMAIN_PROBES], _listing_row(outcomes["listing"])


def _run_all(requestor: Requestor, calls: Mapping[str, Callable[[], etree._Element]]) -> dict[str, _Outcome]:
    pool = requestor.pool()
    if pool is None:
        return {name: _attempt(call) for name, call in calls.items()}
    futures: dict[str, Future[_Outcome]] = {name: pool.submit(_attempt, call) for name, call in calls.items()}
    return {name: future.result() for name, future in futures.items()}


def _first_application_id(outcome: _Outcome) -> str | None:
    for candidate in outcome.items():
        for application in candidate.iter(_APPLICATION_PART):
            for reference in application.iter(f"{{{WD}}}Job_Application_Reference"):
                for id_el in reference.iter(_ID):
                    value = text_of(id_el) if id_el.get(_TYPE) == "Job_Application_ID" else None
                    if value:
                        return value
    return None


def _unverified(domain: str, error: WorkdayError) -> SetupCheck:
    return _row(
        f"domain:{domain}",
        CheckStatus.WARN,
        f"could not verify: {error}",
        "Run the check again; if it persists, look at the error above.",
    )


def _operation_row(domain: str, operation: str, outcome: _Outcome, *, made_up: bool) -> SetupCheck:
    key = f"domain:{domain}"
    if outcome.denied:
        return _row(
            key,
            CheckStatus.FAIL,
            f"{operation} was refused as not authorized: the ISU's security group lacks Get on '{domain}', or it "
            "was granted but the policy change is not activated",
            _domain_fix(domain),
        )
    if outcome.error is None:
        return _row(key, CheckStatus.PASS, f"{operation} answered ({outcome.total} record(s) in all)")
    if made_up and isinstance(outcome.error, ValidationError):
        return _row(
            key,
            CheckStatus.PASS,
            f"{operation} checked the permission and then rejected the probe's made-up record, as it does only "
            "for a granted domain",
        )
    return _unverified(domain, outcome.error)


def _part_row(
    domain: str,
    outcome: _Outcome,
    present: Callable[[etree._Element], bool],
    *,
    what: str,
    empty: str,
    records: str = "record(s)",
    holds: str = "data",
    dependency: str = "",
) -> SetupCheck:
    """The row of a domain that shows as data Workday leaves out of an answer (``present`` finds it in a record)."""
    key = f"domain:{domain}"
    if outcome.error is not None:
        if outcome.denied:
            needs = dependency or _MANAGE_CANDIDATES
            return _row(key, CheckStatus.SKIP, f"not verified: it needs '{needs}' first (see that row)")
        return _unverified(domain, outcome.error)
    items = outcome.items()
    if not items:
        return _row(
            key,
            CheckStatus.WARN,
            f"could not verify: {empty}",
            f"Nothing to do now; run the check again once the tenant holds {holds}.",
        )
    if any(present(item) for item in items):
        return _row(key, CheckStatus.PASS, f"{what} are present in the sample read")
    return _row(
        key,
        CheckStatus.FAIL,
        f"Workday answered but left out {what} from {len(items)} {records}, as it does when '{domain}' is missing "
        "(or granted but not activated)",
        _domain_fix(domain),
    )


def _with_parts(parts: frozenset[str]) -> Callable[[etree._Element], bool]:
    """Whether a candidate's ``Candidate_Data`` holds one of ``parts``."""

    def present(item: etree._Element) -> bool:
        data = item.find(_CANDIDATE_DATA)
        return data is not None and any(child.tag in parts for child in data)

    return present


_HAS_APPLICATION: Final = _with_parts(frozenset({_APPLICATION_PART}))


def _application_row(applied: _Outcome, candidates: _Outcome) -> SetupCheck:
    key = f"domain:{_JOB_APPLICATION}"
    if candidates.body is not None and any(_HAS_APPLICATION(item) for item in candidates.items()):
        return _row(key, CheckStatus.PASS, "job applications are present in the sample read")
    return _part_row(
        _JOB_APPLICATION,
        applied,
        _HAS_APPLICATION,
        what="job applications",
        empty="no candidate has applied for a job yet",
    )


def _workers_row(requisitions: _Outcome, interviews: _Outcome) -> SetupCheck:
    if interviews.body is not None and any((ref.find(_ID) is not None) for ref in interviews.body.iter(_INTERVIEWERS)):
        return _row(f"domain:{_WORKERS}", CheckStatus.PASS, "interviewers (workers) are present in the sample read")
    return _part_row(
        _WORKERS,
        requisitions,
        lambda item: item.find(f".//{_ROLE_ASSIGNMENT}") is not None,
        what="recruiter and hiring-manager workers",
        empty="the tenant has no job requisitions",
        records="requisition(s)",
        holds="requisitions",
        dependency=_REQUISITION_DATA,
    )


def _listing_row(outcome: _Outcome) -> SetupCheck:
    """Whether the tenant answers a ``Get_Interviews`` with neither references nor criteria: informational, since the
    SDK works either way (a refusal is recognised as the interviews service recognises it)."""
    error = outcome.error
    if error is None:
        return _row(
            "interview_listing",
            CheckStatus.PASS,
            f"yes: Get_Interviews without criteria answered ({outcome.total} interview event(s) in all), so "
            "upcoming() and the interview feed list the events directly, 999 a request",
        )
    if outcome.denied:
        return _row(
            "interview_listing", CheckStatus.SKIP, f"not checked: it needs '{_INTERVIEW_SCHEDULE}' first (see that row)"
        )
    if isinstance(error, ValidationError) and not isinstance(error, NotFoundError) and _says_criteria_required(error):
        return _row(
            "interview_listing",
            CheckStatus.PASS,
            f"no: Workday asks for criteria ({error.message}), so upcoming() and the interview feed scan the job "
            "applications in interview-holding stages instead, one Get_Interviews per application; both work",
        )
    return _row(
        "interview_listing",
        CheckStatus.WARN,
        f"could not tell: Get_Interviews without criteria failed: {error}",
        "Run the check again; if it persists, upcoming() and the interview feed meet the same error when they list "
        "interview events.",
    )


_OPERATION_DOMAINS: Final = (_MANAGE_CANDIDATES, _REQUISITION_DATA, _INTERVIEW_SCHEDULE, _INTERVIEW_INTEGRATIONS)


def _policy_row(domains: list[SetupCheck]) -> SetupCheck:
    by_domain = {row.domain: row for row in domains}
    operation_rows = [by_domain[d] for d in _OPERATION_DOMAINS]
    if any(row.status is CheckStatus.PASS for row in domains):
        granted = sum(1 for row in domains if row.status is CheckStatus.PASS)
        return _row(
            "policy_activated",
            CheckStatus.PASS,
            f"{granted} of {len(domains)} domains verified in effect, so the ISU's security group works; a domain "
            "granted since the last activation still looks missing",
        )
    if all(row.status is CheckStatus.FAIL for row in operation_rows):
        return _row(
            "policy_activated",
            CheckStatus.FAIL,
            "no domain is in effect for this ISU: the pending security policy changes are probably not activated, "
            "or the ISU is not a member of the Integration System Security Group",
            "Run Activate Pending Security Policy Changes (and check the group's members in Create Security Group / "
            "Edit Integration System Security Group).",
        )
    return _row(
        "policy_activated",
        CheckStatus.WARN,
        "could not verify: no domain probe succeeded",
        "Run the check again; see the domain rows above.",
    )
