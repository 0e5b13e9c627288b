"""The seam to the wire: WSDL, envelopes, HTTP, and the translation of what comes back.

Only this module (and ``_auth`` for the token endpoint) talks HTTP, and only this module imports zeep. zeep builds
request envelopes from the bundled schema (parsed once per process and shared by every client); responses are
parsed by lxml with a hardened parser and handed on as elements for the models to read.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import requests
from lxml import etree
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import _schema
from ._auth import Auth
from ._config import Endpoint, RetryPolicy, Timeouts
from ._errors import (
    OPERATION_DOMAINS,
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    PermissionDeniedError,
    ProcessingError,
    ResponseParseError,
    ThrottledError,
    Timeout,
    TransportError,
    ValidationError,
    ValidationIssue,
    WorkdayError,
)
from ._ns import SOAPENV, WD, WSDL_TNS
from ._retry import call_with_retries
from ._xml import parse_bytes

__all__ = ["QuietHTTPAdapter", "SoapTransport", "translate_fault"]

log = logging.getLogger("workday_recruiting")

_BINDING = f"{{{WSDL_TNS}}}RecruitingBinding"
_ENVELOPE = f"{{{SOAPENV}}}Envelope"
_BODY = f"{{{SOAPENV}}}Body"
_FAULT = f"{{{SOAPENV}}}Fault"
_RETRYABLE_STATUS = frozenset({502, 503, 504})
_CHUNK = 1 << 16
#: Default cap on one response body (Workday pages without attachments are a few MB at most).
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024


@functools.cache
def _bundled_document() -> Any:
    """The bundled WSDL parsed by zeep, once per process."""
    from zeep.transports import Transport as ZeepTransport
    from zeep.wsdl import Document

    started = time.perf_counter()
    document = Document(str(_schema.BUNDLED_WSDL), ZeepTransport())  # type: ignore[no-untyped-call,arg-type]
    log.debug("parsed the bundled WSDL in %.3fs", time.perf_counter() - started)
    return document


def _tenant_document(
    url: str, session: requests.Session, timeouts: Timeouts, max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
) -> Any:
    """The tenant's WSDL, read up to ``max_bytes`` and parsed by zeep (which may fetch no other document).

    Raises:
        ConfigurationError: The URL did not serve a usable Recruiting WSDL, or served one over ``max_bytes``.
        ConnectError: The WSDL could not be fetched.
    """
    from zeep.settings import Settings
    from zeep.wsdl import Document

    try:
        transport = _capped_zeep_transport()(
            max_bytes, session=session, timeout=timeouts.read, operation_timeout=timeouts.read
        )
        # zeep refuses entities and external references by default; a DOCTYPE is refused too, as for responses.
        settings = Settings(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        return Document(url, transport, settings=settings)
    except ConfigurationError:
        raise  # a document over the limit: its own message says which one and why
    except requests.RequestException as exc:
        raise ConnectError(f"could not fetch the tenant's WSDL from {url} ({type(exc).__name__})") from None
    except Exception as exc:  # zeep raises many types for a bad document
        raise ConfigurationError(f"{url} did not serve a usable WSDL ({type(exc).__name__}: {exc})"[:300]) from None


@functools.cache
def _capped_zeep_transport() -> type[Any]:
    """zeep's ``Transport`` with a byte limit on each document it fetches over HTTP(S) (the WSDL; imports are refused).

    zeep's own ``Transport.load`` reads a remote document whole, however large: a broken or hostile endpoint streaming
    gigabytes would be read into memory. Defined on first use, as zeep is imported only when a WSDL is parsed.
    """
    from zeep.transports import Transport as ZeepTransport

    class CappedTransport(ZeepTransport):
        def __init__(self, max_bytes: int, *, session: requests.Session, **kwargs: Any) -> None:
            # zeep's Transport mounts a file:// adapter on the session it is given and replaces its User-Agent with
            # zeep's: neither belongs on the client's session (or the caller's), which every later request uses.
            user_agent = session.headers.get("User-Agent")
            file_adapter = session.adapters.get("file://")
            super().__init__(session=session, **kwargs)  # type: ignore[no-untyped-call]
            if user_agent is None:
                session.headers.pop("User-Agent", None)
            else:
                session.headers["User-Agent"] = user_agent
            if file_adapter is None:
                session.adapters.pop("file://", None)
            else:
                session.adapters["file://"] = file_adapter
            self.max_bytes = max_bytes

        def _load_remote_data(self, url: str) -> bytes:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":  # wsdl="file:///..." (zeep would read it through the session's file:// adapter)
                from urllib.request import url2pathname

                return Path(url2pathname(urlsplit(url).path)).read_bytes()
            if scheme not in ("http", "https"):
                return super()._load_remote_data(url)  # type: ignore[no-any-return,no-untyped-call]
            log.debug("fetching %s", url)
            limit = self.max_bytes

            def refuse(size: int | None) -> WorkdayError:
                shown = url if len(url) <= 200 else url[:199] + "…"
                what = f"is {size:,} bytes, over" if size is not None else "is over"
                return ConfigurationError(
                    f"the WSDL document {shown} {what} the {limit:,}-byte limit (max_response_bytes)"
                )

            with self.session.get(url, timeout=self.load_timeout, stream=True) as http:
                http.raise_for_status()
                return _read_capped(http, limit, refuse)

    return CappedTransport


def _read_capped(http: requests.Response, limit: int, refuse: Callable[[int | None], WorkdayError]) -> bytes:
    """The body of ``http``, streamed; ``refuse(size)`` is raised as soon as the body is known to be over ``limit``.

    A ``Content-Length`` over the limit is refused before any of the body is read (``size`` is the declared length);
    otherwise the bytes are counted as they arrive and reading stops at the first chunk past the limit (``None``).
    """
    declared = http.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise refuse(int(declared))
    chunks: list[bytes] = []
    size = 0
    for chunk in http.iter_content(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise refuse(None)
        chunks.append(chunk)
    return b"".join(chunks)


class _QuietHTTPConnectionPool(HTTPConnectionPool):
    def _new_conn(self) -> Any:
        connection: Any = super()._new_conn()
        connection.debuglevel = 0  # http.client would print the request, credentials included, to stdout
        return connection


class _QuietHTTPSConnectionPool(HTTPSConnectionPool):
    def _new_conn(self) -> Any:
        connection: Any = super()._new_conn()
        connection.debuglevel = 0
        return connection


_QUIET_POOLS = {"http": _QuietHTTPConnectionPool, "https": _QuietHTTPSConnectionPool}


class QuietHTTPAdapter(HTTPAdapter):
    """A requests adapter whose connections never print ``http.client`` debug output.

    ``http.client.HTTPConnection.debuglevel = 1`` (a common debugging switch) makes every connection print the raw
    request to stdout: the WS-Security password, the bearer token, the OAuth client secret and refresh token. The
    client's own session uses this adapter, so that switch cannot leak them; the ``workday_recruiting`` DEBUG logger
    shows request bodies without the security header instead.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_QUIET_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme") and not type(manager).__name__.startswith("SOCKS"):
            manager.pool_classes_by_scheme = dict(_QUIET_POOLS)
        return manager


@attrs.frozen
class Response:
    """One successful response: its body element, HTTP status and size."""

    body: etree._Element
    status: int
    size: int


class SoapTransport:
    """Sends one operation's request and returns its response body element, or raises a :class:`WorkdayError`.

    Args:
        endpoint: The tenant's service endpoint.
        auth: Adds credentials to each request.
        session: A pooled session (shared by the threads of one client).
        timeouts: Connect and read timeouts for every HTTP call.
        retry: Which failures are retried, how often and for how long.
        descriptors: Ask Workday to fill ``wd:Descriptor`` on references.
        wsdl: ``None`` for the bundled schema, or a WSDL URL/path to load instead (the tenant's own).
        max_response_bytes: Responses larger than this raise :class:`ResponseParseError`; a tenant WSDL larger than
            this, :class:`ConfigurationError`.
        sleep: Used between retries (tests make it instant).
    """

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        auth: Auth,
        session: requests.Session,
        timeouts: Timeouts,
        retry: RetryPolicy,
        descriptors: bool = True,
        wsdl: str | Path | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.auth = auth
        self.session = session
        self.timeouts = timeouts
        self.retry = retry
        self.descriptors = descriptors
        self.max_response_bytes = max_response_bytes
        self._wsdl = wsdl
        self._document: Any = None
        self._sleep = sleep

    # -- building --------------------------------------------------------------------------------------------

    def _binding(self) -> Any:
        if self._document is None:
            if self._wsdl is None:
                document = _bundled_document()
            else:
                document = _tenant_document(str(self._wsdl), self.session, self.timeouts, self.max_response_bytes)
                if _BINDING not in document.bindings:
                    raise ConfigurationError(
                        f"{self._wsdl} is not the Recruiting WSDL: it defines no RecruitingBinding "
                        "(an HTML page or another service's WSDL?)"
                    )
            self._document = document
        return self._document.bindings[_BINDING]

    def build(self, operation: str, body: Mapping[str, Any]) -> etree._Element:
        """Build the request envelope (without credentials) for ``operation``.

        Raises:
            ConfigurationError: The operation is not in the loaded WSDL, or a string in ``body`` holds a character
                XML 1.0 cannot carry (a control character, a lone surrogate, U+FFFE/U+FFFF).
            ValidationError: ``body`` does not fit the operation's request type.
        """
        _check_xml_text(body, operation)
        binding = self._binding()
        try:
            op = binding.get(operation)
        except ValueError:
            hint = (
                ""
                if self._wsdl
                else " (the bundled schema holds the wrapped operations; pass wsdl='tenant' to load the tenant's WSDL)"
            )
            raise ConfigurationError(f"{operation!r} is not an operation of the Recruiting WSDL{hint}") from None
        headers = {"header": {"Include_Reference_Descriptors_In_Response": True}} if self.descriptors else None
        from zeep.exceptions import Error as ZeepError

        try:
            message = op.input.serialize(**dict(body), version=self.endpoint.version, _soapheaders=headers)
        except (TypeError, ValueError, ZeepError) as exc:
            raise ValidationError(
                f"the request does not fit {operation}'s request type: {exc}"[:500], operation=operation
            ) from None
        envelope: etree._Element = message.content
        return envelope

    # -- sending ---------------------------------------------------------------------------------------------

    def call(self, operation: str, body: Mapping[str, Any]) -> Response:
        """Send ``operation`` with ``body``, retrying transient failures; return the response body element.

        An authentication failure is retried once after the credentials are renewed (OAuth), never more; a refusal by
        the token endpoint itself (a wrong client secret or refresh token) is not, as a new token cannot be had.
        """
        envelope = self.build(operation, body)
        try:
            return call_with_retries(self.retry, operation, lambda: self._send(operation, envelope), sleep=self._sleep)
        except AuthenticationError as exc:
            if exc.operation != operation or not self.auth.renew():
                raise
            log.info("%s: authentication failed; renewing the access token and trying once more", operation)
            return call_with_retries(self.retry, operation, lambda: self._send(operation, envelope), sleep=self._sleep)

    def _send(self, operation: str, envelope: etree._Element) -> Response:
        # The credentials live only in ``headers`` and ``data``, whose reprs withhold them: a traceback formatted with
        # its frames' locals (Sentry, rich, ``traceback`` with ``capture_locals``) shows this frame.
        headers = _RedactedHeaders({"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
        outgoing = _copy(envelope)
        self.auth.apply(outgoing, headers)
        data = _Withheld(etree.tostring(outgoing, xml_declaration=True, encoding="utf-8"))
        del outgoing
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s request body:\n%s", operation, _body_text(envelope))
        started = time.perf_counter()
        failure: WorkdayError | None = None
        try:
            with self.session.post(
                self.endpoint.service_url,
                data=data,
                headers=headers,
                timeout=self.timeouts.as_requests(),
                stream=True,
            ) as http:
                content = self._read(http, operation)
                status = http.status_code
                content_type = http.headers.get("Content-Type", "")
                retry_after = http.headers.get("Retry-After")
        except WorkdayError as exc:
            failure = exc
        except requests.Timeout:
            failure = Timeout(f"no response within the {self.timeouts.read:g}s read timeout", operation=operation)
        except requests.RequestException as exc:
            failure = ConnectError(_describe_connection_error(exc, self.endpoint), operation=operation)
        if failure is not None:
            # Raised outside the ``except`` blocks, so the error has no ``__context__``: the requests exception holds
            # the prepared request (headers and body, with the credentials) and must not travel with it.
            failure.__context__ = None
            raise failure
        log.debug("%s: HTTP %d, %d bytes in %.3fs", operation, status, len(content), time.perf_counter() - started)
        body = self._interpret(operation, status, content_type, retry_after, content)
        return Response(body=body, status=status, size=len(content))

    def _read(self, http: requests.Response, operation: str) -> bytes:
        limit = self.max_response_bytes

        def refuse(size: int | None) -> WorkdayError:
            what = f"is {size:,} bytes, over" if size is not None else "is over"
            return ResponseParseError(
                f"the response {what} the {limit:,}-byte limit", operation=operation, http_status=http.status_code
            )

        return _read_capped(http, limit, refuse)

    def _interpret(
        self, operation: str, status: int, content_type: str, retry_after: str | None, content: bytes
    ) -> etree._Element:
        if status == 429:
            raise ThrottledError(
                "Workday is throttling requests (HTTP 429)",
                retry_after=_parse_retry_after(retry_after),
                operation=operation,
                http_status=status,
            )
        if status == 401:
            raise AuthenticationError(
                "Workday refused the credentials (HTTP 401)", operation=operation, http_status=status
            )
        looks_xml = _starts_like_xml(content) and b"<html" not in content[:512].lower()
        if status in _RETRYABLE_STATUS and not (looks_xml and b"Fault" in content[:4096]):
            raise TransportError(
                f"Workday answered HTTP {status}{_html_title(content)}",
                operation=operation,
                http_status=status,
            )
        if not content.strip():
            raise ResponseParseError(
                f"Workday sent an empty response (HTTP {status})",
                retryable=True,
                operation=operation,
                http_status=status,
            )
        if not looks_xml:
            kind = "an HTML page" if b"<html" in content[:512].lower() or "html" in content_type else "a non-XML body"
            raise ResponseParseError(
                f"Workday sent {kind} instead of a SOAP response{_html_title(content)}",
                operation=operation,
                http_status=status,
            )
        try:
            root = parse_bytes(content)
        except etree.XMLSyntaxError as exc:
            truncated = _is_truncated(exc, content)
            raise ResponseParseError(
                f"the response is not well-formed XML ({'truncated' if truncated else exc.msg})",
                retryable=truncated,
                operation=operation,
                http_status=status,
            ) from None
        if getattr(root.getroottree().docinfo, "doctype", ""):
            raise ResponseParseError(
                "the response carries a DOCTYPE, which SOAP forbids", operation=operation, http_status=status
            )
        if root.tag != _ENVELOPE:
            raise ResponseParseError(
                f"the response is not a SOAP 1.1 envelope (root element {_short(root.tag)})",
                operation=operation,
                http_status=status,
            )
        body = root.find(_BODY)
        payload = next(iter(body), None) if body is not None else None
        if payload is None or not isinstance(payload.tag, str):
            raise ResponseParseError("the SOAP envelope has an empty Body", operation=operation, http_status=status)
        if payload.tag == _FAULT:
            raise translate_fault(payload, operation=operation, http_status=status, retry_after=retry_after)
        if status >= 400:
            raise ResponseParseError(f"HTTP {status} without a SOAP fault", operation=operation, http_status=status)
        expected = _expected_response(operation)
        if expected is not None and payload.tag != expected:
            raise ResponseParseError(
                f"expected {_short(expected)} in the response, got {_short(payload.tag)}",
                operation=operation,
                http_status=status,
            )
        return payload


#: Characters XML 1.0 cannot carry, escaped or not (its ``Char`` production): C0 controls other than tab, newline and
#: carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _check_xml_text(value: object, operation: str, path: str = "") -> None:
    """Refuse a request whose strings XML 1.0 cannot carry, naming the field (before lxml fails deep inside zeep)."""
    if isinstance(value, str):
        bad = _NOT_XML_CHAR.search(value)
        if bad is not None:
            raise ConfigurationError(
                f"{path or 'a request value'} holds U+{ord(bad.group()):04X} at position {bad.start()}, a character "
                f"XML 1.0 cannot carry; remove it before calling {operation}"
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_xml_text(item, operation, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_xml_text(item, operation, f"{path}[{index}]")


class _Withheld(bytes):
    """A request body that may hold a password: sent as is, never shown by ``repr`` (logs, tracebacks, debug prints)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<request body: {len(self)} bytes, withheld>"

    __str__ = __repr__


class _RedactedHeaders(dict[str, str]):
    """Request headers whose ``repr`` hides the ``Authorization`` value."""

    def __repr__(self) -> str:
        shown = {name: ("********" if name.lower() == "authorization" else value) for name, value in self.items()}
        return repr(shown)

    __str__ = __repr__


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _starts_like_xml(content: bytes) -> bool:
    """Whether ``content`` opens as an XML document: ``<`` after whitespace, or a UTF-8/UTF-16 byte order mark."""
    head = content.lstrip()
    return head[:1] == b"<" or head.startswith(_BOMS)


def _is_truncated(error: etree.XMLSyntaxError, content: bytes) -> bool:
    """Whether the parser ran out of input (the error sits at the very end) rather than meeting a malformed byte."""
    message = str(error).lower()
    if "premature end" in message or "end of data" in message:
        return True
    line, column = error.position if error.position else (0, 0)
    lines = content.rstrip().split(b"\n")
    return line >= len(lines) and column > len(lines[-1].decode("utf-8", "replace"))


def _copy(envelope: etree._Element) -> etree._Element:
    import copy

    return copy.deepcopy(envelope)


def _expected_response(operation: str) -> str | None:
    try:
        return f"{{{WD}}}{_schema.response_element_name(operation)}"
    except ValueError:
        return None


def _short(tag: str) -> str:
    if tag.startswith(f"{{{WD}}}"):
        return "wd:" + tag[len(WD) + 2 :]
    if tag.startswith(f"{{{SOAPENV}}}"):
        return "soapenv:" + tag[len(SOAPENV) + 2 :]
    return tag


def _body_text(envelope: etree._Element) -> str:
    """The request body for DEBUG logs; the header (credentials) is never logged."""
    body = envelope.find(_BODY)
    return etree.tostring(body, encoding="unicode") if body is not None else ""


def _html_title(content: bytes) -> str:
    lower = content[:4096].lower()
    start = lower.find(b"<title>")
    end = lower.find(b"</title>")
    if start == -1 or end <= start:
        return ""
    title = content[start + 7 : end].decode("utf-8", "replace").strip()
    return f": {title[:120]}" if title else ""


def _parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _describe_connection_error(exc: requests.RequestException, endpoint: Endpoint) -> str:
    text = str(exc)
    if "NameResolution" in text or "Name or service not known" in text or "nodename nor servname" in text:
        return f"cannot resolve the host {endpoint.host!r}; check the WSDL URL"
    if "Connection refused" in text:
        return f"{endpoint.host} refused the connection"
    if isinstance(exc, requests.exceptions.SSLError):
        return f"the TLS handshake with {endpoint.host} failed (certificate not trusted?)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return "the connection was cut before the whole response arrived"
    if "RemoteDisconnected" in text or "reset" in text.lower() or "aborted" in text.lower():
        return "the server closed the connection without a response"
    return f"the connection to {endpoint.host} failed ({type(exc).__name__})"


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(name)
    if child is None:
        child = element.find(f"{{{WD}}}{name}")
    return child.text.strip() if child is not None and child.text else None


_THROTTLE_WORDS = ("throttl", "rate limit", "too many requests", "request limit")


def translate_fault(
    fault: etree._Element, *, operation: str | None, http_status: int | None, retry_after: str | None = None
) -> WorkdayError:
    """Turn a ``soapenv:Fault`` element into the matching :class:`WorkdayError`. Classified by content, not status."""
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
        return ThrottledError(
            f"Workday is throttling requests: {string}",
            retry_after=_parse_retry_after(retry_after),
            **context,
        )
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
