"""The setup check's report: one :class:`SetupCheck` row per step, gathered in a :class:`SetupReport`.

The rows are made by the probes (``_setup_probes``); see ``_setup_check`` for what each step checks.
"""

from __future__ import annotations

import enum
import html
import json
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Final, TextIO

import attrs

from ._config import Endpoint

__all__ = ["DEFAULT_MAX_CLOCK_SKEW", "DOMAIN_PROBES", "GUIDE_STEPS", "CheckStatus", "SetupCheck", "SetupReport"]

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
            ``domain:<domain name>``, ``policy_activated`` or ``interview_listing``.
        step: The setup guide's step that this row checks (:data:`GUIDE_STEPS`), or ``None`` (the clock, and the
            informational ``interview_listing``: whether the tenant lists interview events without criteria).
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


# -- rows ------------------------------------------------------------------------------------------------------


_ORDER: Final = (
    "wsdl_url",
    "wsdl_reachable",
    "api_version",
    "credentials",
    "clock",
    *(f"domain:{domain}" for domain in DOMAIN_PROBES),
    "policy_activated",
    "interview_listing",
)


def _title(key: str) -> tuple[int | None, str]:
    titles = {
        "wsdl_url": (5, "WSDL URL well formed"),
        "wsdl_reachable": (5, "WSDL reachable"),
        "api_version": (5, "API version supported"),
        "credentials": (1, "Credentials accepted"),
        "clock": (None, "Tenant clock"),
        "policy_activated": (4, "Security policy activated"),
        "interview_listing": (None, "Lists interviews without criteria"),
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
