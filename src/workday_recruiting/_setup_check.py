"""The setup check: probe each step of the Workday integration setup and say which one to fix.

A Workday admin sets the integration up in six steps (:data:`GUIDE_STEPS`). One missed checkbox shows up later as
an opaque "The task submitted is not authorized.", so :meth:`RecruitingClient.check_setup` probes every step and
returns a :class:`SetupReport` with one :class:`SetupCheck` row per item:

* the WSDL URL is well formed, the tenant's ``?wsdl`` is reachable, and the API version is supported (step 5);
* the credentials are accepted: the ISU's user name and password (step 1), or the OAuth token exchange (step 6);
* the tenant's clock agrees with ours (``Get_Server_Timestamp``; incremental sync depends on it);
* each of the 8 security domains is granted and active (step 3), probed with the cheapest read that needs it;
* the security policy changes are activated (step 4).

How the domains are probed. *Operation-level* domains refuse the whole operation with Workday's not-authorized
fault (:class:`PermissionDeniedError`): ``Get_Candidates`` (Manage: Candidates), ``Get_Job_Requisitions`` (Job
Requisition Data), ``Get_Interviews`` (Candidate Data: Interview Schedule), ``Get_Web_Conference_Interview_Data``
(Interview Integrations). Where no real record is at hand, the probe names a made-up record: Workday checks the
permission before it resolves references, so a missing domain answers *not authorized* and a granted one a
validation fault. *Part-level* domains do not fail the request; the parts they guard are left out of an otherwise
successful answer: names and contact data (Personal Information), ``Job_Application_Data`` (Job Application),
status, prospect, referral and tags (Other Information), worker references such as a requisition's recruiter and
hiring manager (Worker Data: Public Worker Reports). The check looks for those parts; when the tenant has no
record to tell (no candidates, say) the row is a WARN: "could not verify".

Statuses: PASS, FAIL, WARN (could not verify, or worth a look; it does not fail the check) and SKIP (not run
because an earlier step failed). :attr:`SetupReport.ok` is true when no row FAILs. Nothing secret is ever in a row.
"""

from __future__ import annotations

import enum
import html
import json
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final, TextIO

import attrs
from lxml import etree

from ._auth import OAuthRefreshTokenAuth
from ._config import OLDEST_SUPPORTED_VERSION, Endpoint
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    ValidationError,
    WorkdayError,
)
from ._http import MAX_REDIRECTS, html_title
from ._ns import API_VERSION, WD

if TYPE_CHECKING:
    from ._client import RecruitingClient

__all__ = [
    "DOMAIN_PROBES",
    "GUIDE_STEPS",
    "CheckStatus",
    "SetupCheck",
    "SetupReport",
    "check_setup",
    "run_checks",
]

#: The setup guide's steps: number -> (what the admin does, the Workday task that does it).
GUIDE_STEPS: Final[Mapping[int, tuple[str, str]]] = {
    1: (
        "Create the Integration System User (no UI sessions; password exempt from expiry)",
        "Create Integration System User; Maintain Password Rules",
    ),
    2: (
        "Create an unconstrained Integration System Security Group holding the ISU",
        "Create Security Group",
    ),
    3: ("Grant Get on the 8 domain security policies", "Maintain Permissions for Security Group"),
    4: ("Activate the pending security policy changes", "Activate Pending Security Policy Changes"),
    5: ("Copy the Recruiting WSDL URL", "Public Web Services (report)"),
    6: (
        "Hand over the credentials (OAuth: register an API client and a refresh token for the ISU instead)",
        "Register API Client for Integrations; Manage Refresh Tokens for Integrations (OAuth only)",
    ),
}

_MANAGE_CANDIDATES = "Manage: Candidates"
_REQUISITION_DATA = "Job Requisition Data"
_INTERVIEW_SCHEDULE = "Candidate Data: Interview Schedule"
_INTERVIEW_INTEGRATIONS = "Interview Integrations"
_PERSONAL = "Candidate Data: Personal Information"
_JOB_APPLICATION = "Candidate Data: Job Application"
_OTHER = "Candidate Data: Other Information"
_WORKERS = "Worker Data: Public Worker Reports"

#: Domain -> how the check probes it (in the guide's order).
DOMAIN_PROBES: Final[Mapping[str, str]] = {
    _JOB_APPLICATION: "Get_Candidates (applied candidates, Count 1): Job_Application_Data present",
    _PERSONAL: "Get_Candidates (Count 1): Name_Data and Contact_Data present",
    _INTERVIEW_SCHEDULE: "Get_Interviews for one job application (or a made-up one)",
    _OTHER: "Get_Candidates (Count 1): Status_Data, Prospect_Data, tags or referral present",
    _REQUISITION_DATA: "Get_Job_Requisitions (Count 5)",
    _MANAGE_CANDIDATES: "Get_Candidates (Count 1)",
    _WORKERS: "Get_Job_Requisitions with roles (Count 5): recruiter and hiring-manager workers present",
    _INTERVIEW_INTEGRATIONS: "Get_Web_Conference_Interview_Data for a made-up interview event",
}

#: A clock difference above this gives a WARN.
DEFAULT_MAX_CLOCK_SKEW: Final = timedelta(minutes=2)
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


class CheckStatus(str, enum.Enum):
    """The outcome of one check. Only FAIL makes :attr:`SetupReport.ok` false."""

    PASS = "PASS"  # noqa: S105 - a status, not a password
    FAIL = "FAIL"
    WARN = "WARN"
    SKIP = "SKIP"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class SetupCheck:
    """One row of the setup check.

    Attributes:
        key: A stable identifier: ``wsdl_url``, ``wsdl_reachable``, ``api_version``, ``credentials``, ``clock``,
            ``domain:<domain name>`` or ``policy_activated``.
        step: The setup guide's step that this row checks (:data:`GUIDE_STEPS`), or ``None`` (the clock).
        title: What is checked, in a few words.
        status: PASS, FAIL, WARN or SKIP.
        detail: What was found, as a sentence.
        fix: What to do in Workday (the task to run), for rows that are not PASS.
    """

    key: str
    step: int | None
    title: str
    status: CheckStatus
    detail: str
    fix: str | None = None

    @property
    def domain(self) -> str | None:
        """The security domain a ``domain:*`` row is about."""
        return self.key.partition(":")[2] if self.key.startswith("domain:") else None

    @property
    def passed(self) -> bool:
        """True unless the row FAILs."""
        return self.status is not CheckStatus.FAIL

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data."""
        return {
            "key": self.key,
            "step": self.step,
            "title": self.title,
            "status": self.status.value,
            "detail": self.detail,
            "fix": self.fix,
            "domain": self.domain,
        }


_COLORS: Final[Mapping[CheckStatus, str]] = {
    CheckStatus.PASS: "\x1b[32m",
    CheckStatus.FAIL: "\x1b[1;31m",
    CheckStatus.WARN: "\x1b[33m",
    CheckStatus.SKIP: "\x1b[2m",
}
_RESET = "\x1b[0m"


@attrs.frozen
class SetupReport:
    """The result of a setup check: one :class:`SetupCheck` per item, in the guide's order.

    Attributes:
        checks: The rows.
        tenant: The tenant name from the WSDL URL (``None`` when the URL could not be read).
        service_url: The SOAP endpoint checked.
        auth: ``"isu"`` or ``"oauth"``.
        checked_at: When the check ran (UTC).
    """

    checks: tuple[SetupCheck, ...]
    tenant: str | None = None
    service_url: str | None = None
    auth: str | None = None
    checked_at: datetime = attrs.field(factory=lambda: datetime.now(timezone.utc))

    @property
    def ok(self) -> bool:
        """True when no row FAILs (WARN and SKIP rows do not fail the check)."""
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[SetupCheck, ...]:
        """The rows that FAIL."""
        return tuple(check for check in self.checks if check.status is CheckStatus.FAIL)

    @property
    def warnings(self) -> tuple[SetupCheck, ...]:
        """The rows that WARN."""
        return tuple(check for check in self.checks if check.status is CheckStatus.WARN)

    @property
    def exit_code(self) -> int:
        """The command line's exit code: 0 when :attr:`ok`, else 1."""
        return 0 if self.ok else 1

    def __iter__(self) -> Iterator[SetupCheck]:
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    def __getitem__(self, key: str) -> SetupCheck:
        """The row with this key (``report["credentials"]``, ``report["domain:Manage: Candidates"]``)."""
        for check in self.checks:
            if check.key == key:
                return check
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "ok": self.ok,
            "tenant": self.tenant,
            "service_url": self.service_url,
            "auth": self.auth,
            "checked_at": self.checked_at.isoformat(),
            "checks": [check.to_dict() for check in self.checks],
        }

    def to_json(self) -> str:
        """The report as one JSON document."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def format(self, *, color: bool = False, width: int = 100) -> str:
        """A readable table: status, guide step and check on one line with what was found, then the fix.

        Args:
            color: Colour the statuses with ANSI escapes (for a terminal).
            width: Wrap the text to about this many columns.
        """
        import textwrap

        head = f"Setup check for tenant {self.tenant!r}" if self.tenant else "Setup check"
        if self.service_url:
            head += f" at {self.service_url}"
        if self.auth:
            head += f" ({'OAuth' if self.auth == 'oauth' else 'ISU'} credentials)"
        lines = [head, "", "Status  Step  Check"]
        indent = " " * 14
        wrap_width = max(40, width - len(indent))
        for check in self.checks:
            status = check.status.value
            shown = f"{_COLORS[check.status]}{status}{_RESET}" if color else status
            step = str(check.step) if check.step is not None else "-"
            lines.append(f"{shown}{' ' * (8 - len(status))}{step:<6}{check.title}")
            lines.extend(indent + part for part in textwrap.wrap(check.detail, wrap_width))
            if check.fix and check.status is not CheckStatus.PASS:
                lines.extend(indent + part for part in textwrap.wrap("Fix: " + check.fix, wrap_width))
        lines.append("")
        counts = {status: sum(1 for c in self.checks if c.status is status) for status in CheckStatus}
        summary = ", ".join(f"{n} {status.value}" for status, n in counts.items() if n)
        verdict = "All checks passed" if self.ok else f"{len(self.failures)} check(s) failed"
        lines.append(f"{verdict} ({summary}). Steps refer to the Workday admin setup guide.")
        return "\n".join(lines)

    def print(self, file: TextIO | None = None, *, color: bool | None = None) -> None:
        """Print :meth:`format` to ``file`` (default stdout), in colour when it is a terminal and NO_COLOR is unset."""
        import os
        import shutil
        import sys

        stream = file if file is not None else sys.stdout
        if color is None:
            color = stream.isatty() and not os.environ.get("NO_COLOR")
        width = shutil.get_terminal_size((100, 24)).columns
        stream.write(self.format(color=color, width=min(width, 120)) + "\n")

    def __str__(self) -> str:
        return self.format()

    def _repr_html_(self) -> str:
        colors = {"PASS": "#1a7f37", "FAIL": "#cf222e", "WARN": "#9a6700", "SKIP": "#6e7781"}
        rows = []
        for check in self.checks:
            fix = f"<br><em>Fix: {html.escape(check.fix)}</em>" if check.fix and check.status.value != "PASS" else ""
            rows.append(
                "<tr>"
                f"<td>{html.escape(str(check.step) if check.step is not None else '-')}</td>"
                f"<td>{html.escape(check.title)}</td>"
                f'<td style="color:{colors[check.status.value]};font-weight:bold">{check.status.value}</td>'
                f'<td style="text-align:left">{html.escape(check.detail)}{fix}</td>'
                "</tr>"
            )
        verdict = "all checks passed" if self.ok else f"{len(self.failures)} check(s) failed"
        caption = html.escape(f"Setup check for tenant {self.tenant or '?'}: {verdict}")
        return (
            f"<table><caption>{caption}</caption>"
            "<thead><tr><th>Step</th><th>Check</th><th>Status</th><th>Detail</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )


# -- the fixes ---------------------------------------------------------------------------------------------------

_ISU_FIX: Final = (
    "Check the ISU's user name and password (Create Integration System User, or Reset Password for the ISU). In "
    "Maintain Password Rules, add the ISU to 'System Users exempt from password expiration': an expired password "
    "is refused as a wrong one."
)
_OAUTH_FIX: Final = (
    "Check the client id and client secret of the API client (Register API Client for Integrations / View API "
    "Clients), and generate a new refresh token for the ISU (Manage Refresh Tokens for Integrations)."
)
_URL_FIX: Final = (
    "Copy the Recruiting WSDL URL from the Public Web Services report (Recruiting > Web Service > View WSDL); it "
    "looks like https://wd5-services1.myworkday.com/ccx/service/<tenant>/Recruiting"
)


def _domain_fix(domain: str) -> str:
    return (
        f"In Maintain Permissions for Security Group, grant Get on the '{domain}' domain to the ISU's Integration "
        "System Security Group, then run Activate Pending Security Policy Changes. A domain granted but not "
        "activated looks missing."
    )


# -- running -----------------------------------------------------------------------------------------------------


def check_setup(
    *,
    wsdl_url: str,
    username: str | None = None,
    password: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    refresh_token: str | None = None,
    token_url: str | None = None,
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
    **options: Any,
) -> SetupReport:
    """Check a setup from raw settings: a malformed WSDL URL or missing credential becomes a FAIL row, not an error.

    With ``client_id`` the OAuth variant is checked, else the ISU's user name and password.

    Args:
        wsdl_url: The Recruiting WSDL URL as the admin copied it.
        username: The ISU's user name.
        password: The ISU's password.
        client_id: The OAuth API client's id.
        client_secret: The OAuth API client's secret.
        refresh_token: The ISU's refresh token.
        token_url: The OAuth token endpoint (default: derived from the WSDL URL).
        max_clock_skew: A larger clock difference gives a WARN.
        **options: Further :class:`RecruitingClient` keyword arguments (``timeouts``, ``retry``,
            ``allow_insecure_http``...).
    """
    from ._client import RecruitingClient

    oauth = client_id is not None
    auth = "oauth" if oauth else "isu"
    try:
        endpoint = Endpoint.from_wsdl_url(
            wsdl_url, version=options.get("version"), allow_insecure_http=bool(options.get("allow_insecure_http"))
        )
    except ConfigurationError as exc:
        rows = [SetupCheck("wsdl_url", 5, "WSDL URL well formed", CheckStatus.FAIL, exc.message, _URL_FIX)]
        rows += _skipped_after("wsdl_url", oauth, "the WSDL URL is not usable")
        return SetupReport(tuple(rows), tenant=None, service_url=None, auth=auth)
    try:
        if oauth:
            client = RecruitingClient.from_oauth(
                wsdl_url=wsdl_url,
                client_id=client_id or "",
                client_secret=client_secret or "",
                refresh_token=refresh_token or "",
                token_url=token_url,
                **options,
            )
        else:
            client = RecruitingClient(wsdl_url=wsdl_url, username=username or "", password=password or "", **options)
    except ConfigurationError as exc:
        url_ok = SetupCheck("wsdl_url", 5, "WSDL URL well formed", CheckStatus.PASS, _url_detail(endpoint))
        credentials = SetupCheck(
            "credentials",
            6 if oauth else 1,
            "Credentials accepted",
            CheckStatus.FAIL,
            exc.message,
            _OAUTH_FIX if oauth else _ISU_FIX,
        )
        rows = [url_ok, *_skipped_between("wsdl_url", "credentials", "the credentials are incomplete"), credentials]
        rows += _skipped_after("credentials", oauth, "the credentials are incomplete")
        return SetupReport(tuple(rows), tenant=endpoint.tenant, service_url=endpoint.service_url, auth=auth)
    with client:
        return run_checks(client, max_clock_skew=max_clock_skew)


_ORDER: Final = (
    "wsdl_url",
    "wsdl_reachable",
    "api_version",
    "credentials",
    "clock",
    *(f"domain:{domain}" for domain in DOMAIN_PROBES),
    "policy_activated",
)


def _title(key: str) -> tuple[int | None, str]:
    titles = {
        "wsdl_url": (5, "WSDL URL well formed"),
        "wsdl_reachable": (5, "WSDL reachable"),
        "api_version": (5, "API version supported"),
        "credentials": (1, "Credentials accepted"),
        "clock": (None, "Tenant clock"),
        "policy_activated": (4, "Security policy activated"),
    }
    if key.startswith("domain:"):
        return 3, f"Domain: {key.partition(':')[2]}"
    return titles[key]


def _row(key: str, status: CheckStatus, detail: str, fix: str | None = None, *, oauth: bool = False) -> SetupCheck:
    step, title = _title(key)
    if key == "credentials" and oauth:
        step = 6
    return SetupCheck(key, step, title, status, detail, fix)


def _skipped_between(after: str, before: str, reason: str) -> list[SetupCheck]:
    start, end = _ORDER.index(after) + 1, _ORDER.index(before)
    return [_row(key, CheckStatus.SKIP, f"not checked: {reason}") for key in _ORDER[start:end]]


def _skipped_after(key: str, oauth: bool, reason: str) -> list[SetupCheck]:
    return [_row(k, CheckStatus.SKIP, f"not checked: {reason}", oauth=oauth) for k in _ORDER[_ORDER.index(key) + 1 :]]


def _url_detail(endpoint: Endpoint) -> str:
    return f"tenant {endpoint.tenant!r} on {endpoint.host}, API version {endpoint.version}"


def run_checks(client: RecruitingClient, *, max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW) -> SetupReport:
    """Run every check with an existing client (what :meth:`RecruitingClient.check_setup` does)."""
    endpoint = client.endpoint
    oauth = isinstance(client._auth, OAuthRefreshTokenAuth)
    auth = "oauth" if oauth else "isu"

    def report(rows: list[SetupCheck]) -> SetupReport:
        return SetupReport(tuple(rows), tenant=endpoint.tenant, service_url=endpoint.service_url, auth=auth)

    rows = [_row("wsdl_url", CheckStatus.PASS, _url_detail(endpoint))]
    reachable = _probe_wsdl(client)
    rows.append(reachable)
    rows.append(_version_row(endpoint))
    if reachable.status is CheckStatus.FAIL:
        return report(rows + _skipped_after("api_version", oauth, "the service is unreachable"))
    credentials, clock = _probe_credentials(client, oauth, max_clock_skew)
    rows += [credentials, clock]
    if credentials.status is CheckStatus.FAIL:
        return report(rows + _skipped_after("clock", oauth, "the credentials were refused"))
    domains = _probe_domains(client)
    rows += domains
    rows.append(_policy_row(domains))
    return report(rows)


def _probe_wsdl(client: RecruitingClient) -> SetupCheck:
    """GET the start of the tenant's ``?wsdl`` once (no retries), through the client's wire like every request."""
    url = client.endpoint.wsdl_url
    wrong = (
        f"Check the host and the tenant name {client.endpoint.tenant!r} in the WSDL URL. {_URL_FIX}".rstrip(".") + "."
    )
    try:
        response = client._wire.send(
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
    if endpoint.version_supported:
        return _row(
            "api_version", CheckStatus.PASS, f"{endpoint.version} is supported (this SDK targets {API_VERSION})"
        )
    oldest = "v{}.{}".format(*OLDEST_SUPPORTED_VERSION)
    return _row(
        "api_version",
        CheckStatus.FAIL,
        f"{endpoint.version} is not supported: this SDK reads {oldest} to {API_VERSION}",
        f"Use the WSDL URL without a version, or ending in /Recruiting/{API_VERSION}.",
    )


def _probe_credentials(
    client: RecruitingClient, oauth: bool, max_clock_skew: timedelta
) -> tuple[SetupCheck, SetupCheck]:
    fix = _OAUTH_FIX if oauth else _ISU_FIX
    not_checked = _row("clock", CheckStatus.SKIP, "not checked: the credentials were refused")
    if oauth:
        auth = client._auth
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
        tenant_now = client.server_time()
    except AuthenticationError:
        who = "the OAuth access token" if oauth else f"the ISU {_isu_name(client)!r}"
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
    who = "the OAuth token exchange and Get_Server_Timestamp" if oauth else f"the ISU {_isu_name(client)!r}"
    credentials = _row("credentials", CheckStatus.PASS, f"Workday accepted {who}", oauth=oauth)
    return credentials, _clock_row(tenant_now - ours, max_clock_skew)


def _isu_name(client: RecruitingClient) -> str:
    return str(getattr(client._auth, "username", "?"))


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


_CANDIDATE_GROUP: Final = {"Include_Reference": True, "Exclude_All_Attachments": True}


def _probe_domains(client: RecruitingClient) -> list[SetupCheck]:
    """Run the probes (concurrently on the client's pool) and turn their outcomes into the 8 domain rows."""
    calls: dict[str, Callable[[], etree._Element]] = {
        "candidates": lambda: client._call(
            "Get_Candidates", {"Response_Filter": {"Page": 1, "Count": 1}, "Response_Group": dict(_CANDIDATE_GROUP)}
        ),
        "applied": lambda: client._call(
            "Get_Candidates",
            {
                "Request_Criteria": {"Applied_From": _APPLIED_SINCE},
                "Response_Filter": {"Page": 1, "Count": 1},
                "Response_Group": dict(_CANDIDATE_GROUP),
            },
        ),
        "requisitions": lambda: client._call(
            "Get_Job_Requisitions",
            {
                "Response_Filter": {"Page": 1, "Count": 5},
                "Response_Group": {"Include_Reference": True, "Include_Roles": True},
            },
        ),
        "web_conference": lambda: client._call(
            "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": _MADE_UP_WID}}
        ),
    }
    outcomes = _run_all(client, calls)
    application_id = _first_application_id(outcomes["applied"]) or _first_application_id(outcomes["candidates"])
    reference = application_id or _MADE_UP_APPLICATION
    interviews = _attempt(
        lambda: client._call(
            "Get_Interviews",
            {
                "Request_Criteria": {
                    "Job_Application_Reference": {"ID": [{"_value_1": reference, "type": "Job_Application_ID"}]}
                },
                "Response_Filter": {"Page": 1, "Count": 1},
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
    return [rows[domain] for domain in DOMAIN_PROBES]


def _run_all(client: RecruitingClient, calls: Mapping[str, Callable[[], etree._Element]]) -> dict[str, _Outcome]:
    pool = client._pool()
    if pool is None:
        return {name: _attempt(call) for name, call in calls.items()}
    futures: dict[str, Future[_Outcome]] = {name: pool.submit(_attempt, call) for name, call in calls.items()}
    return {name: future.result() for name, future in futures.items()}


def _first_application_id(outcome: _Outcome) -> str | None:
    for candidate in outcome.items():
        for application in candidate.iter(_APPLICATION_PART):
            for reference in application.iter(f"{{{WD}}}Job_Application_Reference"):
                for id_el in reference.iter(_ID):
                    if id_el.get(_TYPE) == "Job_Application_ID" and id_el.text and id_el.text.strip():
                        return id_el.text.strip()
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
