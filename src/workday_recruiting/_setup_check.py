"""The setup check: probe each step of the Workday integration setup and say which one to fix.

A Workday admin sets the integration up in six steps (:data:`GUIDE_STEPS`). One missed checkbox shows up later as
an opaque "The task submitted is not authorized.", so :meth:`RecruitingClient.check_setup` probes every step and
returns a :class:`SetupReport` with one :class:`SetupCheck` row per item:

* the WSDL URL is well formed, the tenant's ``?wsdl`` is reachable, and the API version is supported (step 5);
* the credentials are accepted: the ISU's user name and password (step 1), or the OAuth token exchange (step 6);
* the tenant's clock agrees with ours (``Get_Server_Timestamp``; incremental sync depends on it);
* each of the 8 security domains is granted and active (step 3), probed with the cheapest read that needs it;
* the security policy changes are activated (step 4);
* whether the tenant lists interview events without criteria (a criteria-less ``Get_Interviews``, Count 1): an
  informational row, PASS either way (``upcoming()`` lists the events, or scans applications instead), never a FAIL.

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

from datetime import timedelta
from typing import Any

from ._client import RecruitingClient
from ._config import Endpoint
from ._errors import ConfigurationError
from ._setup_probes import SetupTarget, run_checks
from ._setup_report import (
    _ISU_FIX,
    _OAUTH_FIX,
    _URL_FIX,
    DEFAULT_MAX_CLOCK_SKEW,
    DOMAIN_PROBES,
    GUIDE_STEPS,
    CheckStatus,
    SetupCheck,
    SetupReport,
    _skipped_after,
    _skipped_between,
    _url_detail,
)

__all__ = [
    "DEFAULT_MAX_CLOCK_SKEW",
    "DOMAIN_PROBES",
    "GUIDE_STEPS",
    "CheckStatus",
    "SetupCheck",
    "SetupReport",
    "SetupTarget",
    "check_setup",
    "run_checks",
]


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
        return client.check_setup(max_clock_skew=max_clock_skew)
