"""workday-recruiting: a typed Python SDK for the Workday Recruiting SOAP web service.

>>> from workday_recruiting import RecruitingClient
>>> client = RecruitingClient(wsdl_url=url, username="ISU_Recruiting", password=password)
>>> for candidate in client.candidates.list(updated_from=yesterday):
...     print(candidate.name, candidate.primary_email)

See the documentation in ``docs/`` for authentication, paging, errors and retries, and testing your own code
against :class:`workday_recruiting.testing.FakeTenant`.
"""

from __future__ import annotations

import logging

from ._client import RecruitingClient
from ._config import Endpoint, RetryPolicy, Timeouts
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    NotFoundError,
    PageIntegrityError,
    PermissionDeniedError,
    ProcessingError,
    RedirectError,
    ResponseParseError,
    ThrottledError,
    Timeout,
    TransportError,
    ValidationError,
    ValidationIssue,
    WorkdayError,
)
from ._notebook import ProgressBar
from ._ns import API_VERSION
from ._paging import Page, Pager
from ._records import Records
from ._setup_report import CheckStatus, SetupCheck, SetupReport
from ._sync import ChangeSet, Watermark
from ._version import __version__
from .models import (
    Address,
    Candidate,
    CandidatePoolMembership,
    EmailAddress,
    Interview,
    InterviewSession,
    JobApplication,
    JobPosting,
    JobRequisition,
    PersonName,
    PhoneNumber,
    Prospect,
    Reference,
    ScheduledInterview,
    WebConference,
    WebConferenceSession,
)

__all__ = [
    "API_VERSION",
    "Address",
    "AuthenticationError",
    "Candidate",
    "CandidatePoolMembership",
    "ChangeSet",
    "CheckStatus",
    "ConfigurationError",
    "ConnectError",
    "EmailAddress",
    "Endpoint",
    "Interview",
    "InterviewSession",
    "JobApplication",
    "JobPosting",
    "JobRequisition",
    "NotFoundError",
    "Page",
    "PageIntegrityError",
    "Pager",
    "PermissionDeniedError",
    "PersonName",
    "PhoneNumber",
    "ProcessingError",
    "ProgressBar",
    "Prospect",
    "Records",
    "RecruitingClient",
    "RedirectError",
    "Reference",
    "ResponseParseError",
    "RetryPolicy",
    "ScheduledInterview",
    "SetupCheck",
    "SetupReport",
    "ThrottledError",
    "Timeout",
    "Timeouts",
    "TransportError",
    "ValidationError",
    "ValidationIssue",
    "Watermark",
    "WebConference",
    "WebConferenceSession",
    "WorkdayError",
    "__version__",
]

# A library never configures logging; it only makes sure its logger is silent by default.
logging.getLogger("workday_recruiting").addHandler(logging.NullHandler())
