"""Test against a real local Workday tenant: :class:`FakeTenant`, its ISUs, domains and pytest fixtures.

:class:`FakeTenant` is a threaded HTTP server on ``127.0.0.1`` that behaves as a Workday tenant's Recruiting
service (v45.2): it serves the WSDL, answers six read operations from a deterministic data set, authenticates
ISUs (WS-Security UsernameToken) and OAuth bearer tokens, applies the 8 security domains of Workday's setup
guide, and sends Workday's faults. See ``docs/fake-tenant.md`` for the guide.

    >>> from workday_recruiting.testing import FakeTenant
    >>> with FakeTenant(candidates=50) as tenant:  # doctest: +SKIP
    ...     print(tenant.wsdl_url, tenant.username)

The pytest plugin (registered by the package's ``pytest11`` entry point) provides the ``fake_tenant`` and
``fake_tenant_factory`` fixtures.
"""

from __future__ import annotations

from ._accounts import DEFAULT_ISU, OAuthClient
from ._dataset import Dataset
from ._faults import ALL_FAULT_KINDS, FaultKind, FaultSettings
from ._log import RequestLog, RequestRecord
from ._security import (
    ALL_DOMAINS,
    CANDIDATE_INTERVIEW_SCHEDULE,
    CANDIDATE_JOB_APPLICATION,
    CANDIDATE_OTHER_INFORMATION,
    CANDIDATE_PERSONAL_INFORMATION,
    DOMAINS,
    INTERVIEW_INTEGRATIONS,
    JOB_REQUISITION_DATA,
    MANAGE_CANDIDATES,
    OPERATION_DOMAINS,
    PART_DOMAINS,
    WORKER_PUBLIC_REPORTS,
    Isu,
)
from ._server import FakeTenant

__all__ = [
    "ALL_DOMAINS",
    "ALL_FAULT_KINDS",
    "CANDIDATE_INTERVIEW_SCHEDULE",
    "CANDIDATE_JOB_APPLICATION",
    "CANDIDATE_OTHER_INFORMATION",
    "CANDIDATE_PERSONAL_INFORMATION",
    "DEFAULT_ISU",
    "DOMAINS",
    "INTERVIEW_INTEGRATIONS",
    "JOB_REQUISITION_DATA",
    "MANAGE_CANDIDATES",
    "OPERATION_DOMAINS",
    "PART_DOMAINS",
    "WORKER_PUBLIC_REPORTS",
    "Dataset",
    "FakeTenant",
    "FaultKind",
    "FaultSettings",
    "Isu",
    "OAuthClient",
    "RequestLog",
    "RequestRecord",
]
