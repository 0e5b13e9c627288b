"""The exception tree, and the one function that turns what came off the wire into it.

Every error the SDK raises is a :class:`WorkdayError`::

    WorkdayError
    ├── ConfigurationError        bad WSDL URL, contradictory arguments (raised before any request)
    ├── TransportError            the request did not complete
    │   ├── ConnectError          refused, reset, dropped, DNS, TLS
    │   └── Timeout               connect or read timeout
    ├── AuthenticationError       SOAP-ENV:Client.authenticationError, HTTP 401, OAuth token refused
    ├── PermissionDeniedError     "The task submitted is not authorized." (names the security domains)
    ├── ValidationError           SOAP-ENV:Client.validationError (every Validation_Error kept)
    │   └── NotFoundError         a record asked for by ID does not exist
    ├── ProcessingError           other SOAP-ENV:Server.processingError faults
    ├── ThrottledError            HTTP 429, or Workday's throttling fault (retryable)
    └── ResponseParseError        HTML error pages, malformed or truncated XML, unexpected elements

Each carries ``operation``, ``http_status``, ``fault_code``, ``fault_string`` and ``is_retryable``. Workday sends
every fault as HTTP 500, so faults are classified by their content, never by status alone. No error ever holds a
password, token or request body.

Example:
    >>> try:
    ...     client.candidates.get("CAND-404")
    ... except PermissionDeniedError as exc:
    ...     print(exc.domains)  # the setup guide's domains that grant the operation
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConnectError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProcessingError",
    "ResponseParseError",
    "ThrottledError",
    "Timeout",
    "TransportError",
    "ValidationError",
    "ValidationIssue",
    "WorkdayError",
]

#: The security domains of the setup guide that each wrapped operation needs ("Get" access, policy activated).
OPERATION_DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "Get_Candidates": ("Manage: Candidates",),
    "Get_Job_Requisitions": ("Job Requisition Data",),
    "Get_Job_Postings": ("Job Requisition Data",),
    "Get_Interviews": ("Candidate Data: Interview Schedule",),
    "Get_Web_Conference_Interview_Data": ("Interview Integrations",),
    "Get_Server_Timestamp": (),
}


class WorkdayError(Exception):
    """Base class of every error raised by this SDK.

    Attributes:
        message: What went wrong, as a sentence.
        operation: The Workday operation being called (``"Get_Candidates"``), if any.
        http_status: The HTTP status of the response, if one arrived.
        fault_code: The SOAP faultcode (``"SOAP-ENV:Client.validationError"``), if the response was a fault.
        fault_string: The SOAP faultstring, if the response was a fault.
    """

    #: Whether retrying the same request may succeed.
    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        http_status: int | None = None,
        fault_code: str | None = None,
        fault_string: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.http_status = http_status
        self.fault_code = fault_code
        self.fault_string = fault_string

    @property
    def is_retryable(self) -> bool:
        """True when the failure is transient and the same request may succeed later."""
        return self.retryable

    def __str__(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        return f"{where}{self.message}{status}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ConfigurationError(WorkdayError, ValueError):
    """The client was configured wrongly, or a method got malformed or contradictory arguments.

    Raised before any request is sent. Also a :class:`ValueError`.
    """


class TransportError(WorkdayError):
    """The HTTP exchange did not complete."""

    retryable = True


class ConnectError(TransportError):
    """The connection could not be made, or was dropped before a complete response arrived."""


class Timeout(TransportError):  # noqa: N818 - the public name of the API contract
    """A connect or read timeout (after the retries the policy allows)."""


class AuthenticationError(WorkdayError):
    """Workday refused the credentials (ISU user name or password, or the OAuth token)."""


class PermissionDeniedError(WorkdayError):
    """The ISU lacks a security domain the operation needs, or the policy change was not activated.

    Attributes:
        domains: The setup guide's domain security policies that grant the operation.
    """

    def __init__(self, message: str, *, domains: Sequence[str] = (), **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.domains = tuple(domains)


@attrs.frozen
class ValidationIssue:
    """One ``wd:Validation_Error`` of a validation fault."""

    message: str | None = None
    detail: str | None = None
    xpath: str | None = None
    code: str | None = None


class ValidationError(WorkdayError):
    """Workday rejected the request as invalid.

    Attributes:
        issues: Every ``Validation_Error`` of the fault: message, detail, xpath and code.
    """

    def __init__(self, message: str, *, issues: Sequence[ValidationIssue] = (), **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.issues = tuple(issues)


class NotFoundError(ValidationError):
    """A record asked for by ID does not exist (Workday calls an unknown ID a validation error)."""


class ProcessingError(WorkdayError):
    """Workday failed to process a valid request.

    Attributes:
        detail: The fault's ``Processing_Fault/Detail_Message``, if any.
        code: The fault's ``Processing_Fault/Code``, if any.
    """

    def __init__(self, message: str, *, detail: str | None = None, code: str | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.detail = detail
        self.code = code


class ThrottledError(WorkdayError):
    """Workday (or its gateway) asked us to slow down.

    Attributes:
        retry_after: Seconds to wait, from the ``Retry-After`` header, if given.
    """

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ResponseParseError(WorkdayError):
    """The response was not the SOAP document expected: an HTML page, malformed or truncated XML, or the wrong shape.

    A truncated or empty body is retryable (the connection was cut); anything else is not.
    """

    def __init__(self, message: str, *, retryable: bool = False, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retryable = retryable
