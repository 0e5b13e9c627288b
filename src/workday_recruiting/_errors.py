"""The exception tree, and the one function that turns what came off the wire into it.

Every error the SDK raises is a :class:`WorkdayError`::

    WorkdayError
    ├── ConfigurationError        bad WSDL URL, contradictory arguments (raised before any request)
    ├── TransportError            the request did not complete
    │   ├── ConnectError          refused, reset, dropped, DNS, TLS
    │   ├── Timeout               connect or read timeout, or the attempt's wall-clock limit
    │   └── RedirectError         a 3xx the SDK will not follow (never retried; nothing sent to its Location)
    ├── AuthenticationError       SOAP-ENV:Client.authenticationError, HTTP 401, OAuth token refused
    ├── PermissionDeniedError     "The task submitted is not authorized." (names the security domains)
    ├── ValidationError           SOAP-ENV:Client.validationError (every Validation_Error kept)
    │   └── NotFoundError         a record asked for by ID does not exist
    ├── ProcessingError           other SOAP-ENV:Server.processingError faults
    ├── ThrottledError            HTTP 429, or Workday's throttling fault (retryable)
    └── ResponseParseError        HTML error pages, malformed or truncated XML, unexpected elements
        └── PageIntegrityError    a page disagreed with the first page of its listing (retryable)

Each carries ``operation``, ``http_status``, ``fault_code``, ``fault_string`` and ``is_retryable``. Workday sends
every fault as HTTP 500, so faults are classified by their content, never by status alone
(:func:`translate_fault`, below the tree). No error ever holds a password, token or request body, in its message,
``args``, notes or chained exceptions.

Example:
    >>> try:
    ...     client.candidates.get("CAND-404")
    ... except PermissionDeniedError as exc:
    ...     print(exc.domains)  # the setup guide's domains that grant the operation
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs
from lxml import etree

from ._ns import WD
from ._xml import text_of

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConnectError",
    "NotFoundError",
    "PageIntegrityError",
    "PermissionDeniedError",
    "ProcessingError",
    "RedirectError",
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
    """A connect or read timeout, or an attempt over its wall-clock limit (after the retries the policy allows)."""


class RedirectError(TransportError):
    """The server answered with a redirect the SDK does not follow; nothing was sent to its ``Location``.

    A POST (every SOAP call, the OAuth token request) follows no redirect: requests would re-send the body, and the
    credentials in it, to whatever host the ``Location`` names. A GET of the WSDL follows a few to the same scheme,
    host and port. A redirect usually means the URL's host or tenant is not the one in the Public Web Services
    report. Not retryable.

    Attributes:
        location: The absolute URL the server redirected to, if it named one.
    """

    retryable = False

    def __init__(self, message: str, *, location: str | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.location = location


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


# -- SOAP faults -------------------------------------------------------------------------------------------------


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(name)
    if child is None:
        child = element.find(f"{{{WD}}}{name}")
    return text_of(child) if child is not None else None


_THROTTLE_WORDS = ("throttl", "rate limit", "too many requests", "request limit")


def translate_fault(
    fault: etree._Element, *, operation: str | None, http_status: int | None, retry_after: float | None = None
) -> WorkdayError:
    """Turn a ``soapenv:Fault`` element into the matching :class:`WorkdayError`. Classified by content, not status.

    Args:
        fault: The ``soapenv:Fault`` element.
        operation: The operation called.
        http_status: The response's HTTP status.
        retry_after: The response's ``Retry-After``, in seconds, for a throttling fault.
    """
    code = _text(fault, "faultcode") or ""
    string = _text(fault, "faultstring") or ""
    detail = fault.find("detail")
    context: dict[str, Any] = {
        "operation": operation,
        "http_status": http_status,
        "fault_code": code,
        "fault_string": string,
    }
    lowered = string.lower()
    local = code.rsplit(":", 1)[-1].lower()
    if "authenticationerror" in local or "invalid username or password" in lowered:
        return AuthenticationError(
            "Workday refused the ISU credentials (invalid username or password); check the user name, the password, "
            "that the password has not expired and that the account is not locked",
            **context,
        )
    if "not authorized" in lowered:
        domains = OPERATION_DOMAINS.get(operation or "", ())
        needs = f"; it needs Get access to {', '.join(repr(d) for d in domains)}" if domains else ""
        return PermissionDeniedError(
            f"the ISU's security group may not run {operation or 'this operation'}{needs}, with the security policy "
            "changes activated",
            domains=domains,
            **context,
        )
    if any(word in lowered for word in _THROTTLE_WORDS):
        return ThrottledError(f"Workday is throttling requests: {string}", retry_after=retry_after, **context)
    if "validationerror" in local:
        issues = []
        validation = detail.find(f"{{{WD}}}Validation_Fault") if detail is not None else None
        if validation is not None:
            for error in validation.iterfind(f"{{{WD}}}Validation_Error"):
                issues.append(
                    ValidationIssue(
                        message=_text(error, "Message"),
                        detail=_text(error, "Detail_Message"),
                        xpath=_text(error, "Xpath"),
                        code=_text(error, "Code"),
                    )
                )
            loose = _text(validation, "Detail_Message")  # seen in the wild: Detail_Message straight under the fault
            if loose and not issues:
                issues.append(ValidationIssue(detail=loose))
        return ValidationError(string or "Workday rejected the request as invalid", issues=issues, **context)
    if "processingerror" in local or local.startswith("server"):
        processing = detail.find(f"{{{WD}}}Processing_Fault") if detail is not None else None
        return ProcessingError(
            string or "Workday could not process the request",
            detail=_text(processing, "Detail_Message"),
            code=_text(processing, "Code"),
            **context,
        )
    return WorkdayError(f"Workday returned a fault: {string or code}", **context)


class PageIntegrityError(ResponseParseError):
    """A page of a listing disagreed with the first page, or with what was asked for: the listing cannot be trusted.

    Raised (after the retries the policy allows, each a fresh request for the same page) when a page echoes another
    ``Page`` than the one requested, changes ``Total_Results`` or ``Total_Pages``, has no ``Response_Results``, is
    empty although ``Total_Results`` promises records for it, holds more records than ``Count`` or repeats records
    of an earlier page. Retryable: a fresh listing may succeed. Also raised by ``changes()`` instead of returning a
    watermark when a page of the window came short.

    Attributes:
        page: The page number (at the listing's page size) that disagreed.
        field: What disagreed: ``"Page"``, ``"Total_Results"``, ``"Total_Pages"``, ``"Response_Results"``,
            ``"Page_Results"`` or ``"Response_Data"`` (records repeated).
        expected: The value the page should have had, when it is a number.
        received: The value it had, when it is a number.
    """

    def __init__(
        self,
        message: str,
        *,
        page: int | None,
        field: str,
        expected: int | None = None,
        received: int | None = None,
        retryable: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(message, retryable=retryable, **kwargs)
        self.page = page
        self.field = field
        self.expected = expected
        self.received = received
