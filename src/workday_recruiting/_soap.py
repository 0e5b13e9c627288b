"""SOAP over the wire: WSDL, envelopes, and the translation of what comes back.

Every request goes out through :class:`~workday_recruiting._http.Wire` (the one seam to HTTP), and only this module
imports zeep. zeep builds request envelopes from the bundled schema (parsed once per process and shared by every
client); responses are parsed by lxml with a hardened parser and handed on as elements for the models to read, or
kept as their bytes (:class:`Held`, for a page fetched ahead) until the caller's thread parses them.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs
from lxml import etree

from . import _schema
from ._auth import Auth
from ._config import Endpoint, RetryPolicy
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    ResponseParseError,
    ThrottledError,
    TransportError,
    ValidationError,
    WorkdayError,
    translate_fault,
)
from ._http import MAX_REDIRECTS, RedactedHeaders, Wire, Withheld, html_title, parse_retry_after
from ._ns import SOAPENV, WD, WSDL_TNS
from ._retry import call_with_retries
from ._xml import NOT_XML_CHAR, parse_bytes

__all__ = ["Held", "Response", "SoapTransport", "translate_fault"]

_R = TypeVar("_R")

log = logging.getLogger("workday_recruiting")

_BINDING = f"{{{WSDL_TNS}}}RecruitingBinding"
_ENVELOPE = f"{{{SOAPENV}}}Envelope"
_BODY = f"{{{SOAPENV}}}Body"
_FAULT = f"{{{SOAPENV}}}Fault"
_RETRYABLE_STATUS = frozenset({502, 503, 504})
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


def _tenant_document(url: str, wire: Wire, max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES) -> Any:
    """The tenant's WSDL, read through the wire up to ``max_bytes`` and parsed by zeep, which may load nothing else.

    Raises:
        ConfigurationError: The URL did not serve a usable Recruiting WSDL, served one over ``max_bytes``, or the
            document imports another one.
        TransportError: The WSDL could not be fetched (refused, timed out, redirected elsewhere).
    """
    from zeep.settings import Settings
    from zeep.wsdl import Document

    failure: WorkdayError | None = None
    try:
        transport = _root_only_transport()(url, wire, max_bytes)
        # zeep refuses entities and external references by default; a DOCTYPE is refused too, as for responses.
        settings = Settings(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        return Document(url, transport, settings=settings)
    except WorkdayError as exc:
        failure = exc  # a document over the limit, an import, a failed fetch: its own message says which
    except Exception as exc:  # zeep raises many types for a bad document
        if type(exc).__name__ == "ExternalReferenceForbidden":  # zeep refused an import to another host itself
            failure = ConfigurationError(
                f"the WSDL {url} refers to another document ({getattr(exc, 'url', '?')}); the SDK loads no document "
                "but the WSDL itself (Workday's WSDLs are self-contained)"[:400]
            )
        else:
            failure = ConfigurationError(f"{url} did not serve a usable WSDL ({type(exc).__name__}: {exc})"[:300])
    failure.__context__ = None
    raise failure


@functools.cache
def _root_only_transport() -> type[Any]:
    """A zeep ``Transport`` that loads one document, the WSDL it was made for, through the SDK's wire.

    zeep would otherwise follow the WSDL's ``import``/``include`` locations: to any host, to ``file://`` URLs, to
    plain paths it opens from the local disk (``file:///dev/zero``), each read whole, however large. A WSDL from
    the network imports nothing (Workday's are self-contained); a local WSDL (``wsdl=Path(...)``) may import local
    files, never a URL. Defined on first use, as zeep is imported only when a WSDL is parsed.
    """
    from zeep.transports import Transport as ZeepTransport

    class RootOnlyTransport(ZeepTransport):
        def __init__(self, root: str, wire: Wire, max_bytes: int) -> None:
            # Not zeep's __init__: that builds a session of its own (and mounts a file:// adapter on it).
            self.cache = None
            self.load_timeout = wire.timeouts.read
            self.operation_timeout = wire.timeouts.read
            self.root = root
            self.wire = wire
            self.max_bytes = max_bytes
            self.local_root = urlsplit(root).scheme.lower() in ("", "file") or len(urlsplit(root).scheme) == 1

        def load(self, url: str) -> bytes:
            scheme = urlsplit(url).scheme.lower()
            local = scheme in ("", "file") or len(scheme) == 1  # a Windows drive letter reads as a scheme
            if url != self.root and not (self.local_root and local):
                shown = url if len(url) <= 200 else url[:199] + "…"
                raise ConfigurationError(
                    f"the WSDL {self.root} refers to another document ({shown}); the SDK loads no document but the "
                    "WSDL itself (Workday's WSDLs are self-contained). Pass the Recruiting WSDL URL from the "
                    "Public Web Services report"
                )
            if local:
                from urllib.request import url2pathname

                path = Path(url2pathname(urlsplit(url).path)) if scheme == "file" else Path(url).expanduser()
                return path.read_bytes()
            refused: ConfigurationError | None = None
            try:
                response = self.wire.send(
                    "GET", url, max_bytes=self.max_bytes, redirects=MAX_REDIRECTS, what=f"the WSDL document {url}"
                )
            except ResponseParseError as exc:  # over max_response_bytes: the WSDL URL does not serve a WSDL to use
                refused = ConfigurationError(exc.message)
            if refused is not None:
                raise refused
            if response.status >= 400:
                raise ConfigurationError(
                    f"{url} answered HTTP {response.status}{_titled(response.content)} instead of the WSDL"
                )
            return response.content

        def _load_remote_data(self, url: str) -> bytes:
            return self.load(url)

        def __del__(self) -> None:
            pass  # zeep's closes the session it made; this transport made none

    return RootOnlyTransport


@attrs.frozen
class Response:
    """One successful response: its body element, HTTP status and size."""

    body: etree._Element
    status: int
    size: int


@attrs.frozen
class Held:
    """An answer that passed the HTTP-level checks, kept as its bytes: the XML is parsed by :meth:`read`.

    A page fetched ahead waits as this until it is needed: its parsed tree would be several times its size.
    """

    operation: str
    status: int
    retry_after: str | None
    content: bytes = attrs.field(repr=False)

    def read(self) -> etree._Element:
        """Parse and check the answer in this thread: the response body element.

        Raises:
            ResponseParseError: Not well-formed (retryable when truncated), a DOCTYPE, not a SOAP envelope, an empty
                Body, another response than the operation's, or an HTTP error status without a fault.
            WorkdayError: The SOAP fault it carries, translated.
        """
        return _read_envelope(self.operation, self.status, self.retry_after, self.content)


class SoapTransport:
    """Sends one operation's request and returns its response body element, or raises a :class:`WorkdayError`.

    Args:
        endpoint: The tenant's service endpoint.
        auth: Adds credentials to each request.
        wire: Sends the HTTP requests (shared by the threads of one client).
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
        wire: Wire,
        retry: RetryPolicy,
        descriptors: bool = True,
        wsdl: str | Path | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.auth = auth
        self.wire = wire
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
                document = _tenant_document(str(self._wsdl), self.wire, self.max_response_bytes)
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

        The whole call, retries and waits included, ends by the retry policy's ``deadline``: each attempt is cut off
        when it would outlive it. An authentication failure is retried once after the credentials are renewed
        (OAuth), never more; a refusal by the token endpoint itself (a wrong client secret or refresh token) is not,
        as a new token cannot be had.
        """
        return self._with_retries(operation, body, self._read)

    def call_held(self, operation: str, body: Mapping[str, Any]) -> Held:
        """Like :meth:`call`, but a successful answer is returned unparsed, as its bytes (:meth:`Held.read` parses it).

        Everything decided from the status line (throttling, authentication, gateway errors, empty or non-XML bodies)
        is retried here as by :meth:`call`, and so is an answer with an HTTP error status (a SOAP fault, parsed at
        once). Only a well-formed-looking success is held: reading it may still raise (truncated, not the response
        expected), and the caller then asks again.
        """
        return self._with_retries(operation, body, self._held)

    def _read(self, operation: str, envelope: etree._Element, deadline: float, used: list[object]) -> Response:
        held = self._send(operation, envelope, deadline, used)
        return Response(body=held.read(), status=held.status, size=len(held.content))

    def _held(self, operation: str, envelope: etree._Element, deadline: float, used: list[object]) -> Held:
        held = self._send(operation, envelope, deadline, used)
        if held.status >= 400:
            held.read()  # raises: the fault it carries, or an error status without one
        return held

    def _with_retries(
        self,
        operation: str,
        body: Mapping[str, Any],
        exchange: Callable[[str, etree._Element, float, list[object]], _R],
    ) -> _R:
        envelope = self.build(operation, body)
        deadline = time.monotonic() + self.retry.deadline
        used: list[object] = [None]

        def attempt() -> _R:
            return exchange(operation, envelope, deadline, used)

        try:
            return call_with_retries(self.retry, operation, attempt, sleep=self._sleep)
        except AuthenticationError as exc:
            if exc.operation != operation or not self.auth.renew(used[0]):
                raise
            log.info("%s: authentication failed; renewing the access token and trying once more", operation)
            return call_with_retries(self.retry, operation, attempt, sleep=self._sleep)

    def _send(self, operation: str, envelope: etree._Element, deadline: float, used: list[object]) -> Held:
        """One attempt: send the request and check the answer's HTTP status and shape (not its XML yet)."""
        # The credentials live only in ``headers`` and ``data``, whose reprs withhold them: a traceback formatted with
        # its frames' locals (Sentry, rich, ``traceback`` with ``capture_locals``) shows this frame.
        headers = RedactedHeaders({"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
        outgoing = _copy(envelope)
        used[0] = self.auth.apply(outgoing, headers, deadline=deadline)
        data = Withheld(etree.tostring(outgoing, xml_declaration=True, encoding="utf-8"))
        del outgoing
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s request body:\n%s", operation, _body_text(envelope))
        started = time.perf_counter()
        http = self.wire.send(
            "POST",
            self.endpoint.service_url,
            operation=operation,
            data=data,
            headers=headers,
            max_bytes=self.max_response_bytes,
            deadline=deadline,
        )
        content = http.content
        log.debug("%s: HTTP %d, %d bytes in %.3fs", operation, http.status, len(content), time.perf_counter() - started)
        retry_after = http.header("Retry-After")
        _check_http(operation, http.status, http.header("Content-Type") or "", retry_after, content)
        return Held(operation=operation, status=http.status, retry_after=retry_after, content=content)

    def _interpret(
        self, operation: str, status: int, content_type: str, retry_after: str | None, content: bytes
    ) -> etree._Element:
        """An answer's body element, or the :class:`WorkdayError` it means (its HTTP status first, then its XML)."""
        _check_http(operation, status, content_type, retry_after, content)
        return _read_envelope(operation, status, retry_after, content)


def _check_http(operation: str, status: int, content_type: str, retry_after: str | None, content: bytes) -> None:
    """Raise what an answer means when its status line or its first bytes say it (throttled, refused, not XML)."""
    if status == 429:
        raise ThrottledError(
            "Workday is throttling requests (HTTP 429)",
            retry_after=parse_retry_after(retry_after),
            operation=operation,
            http_status=status,
        )
    if status == 401:
        raise AuthenticationError("Workday refused the credentials (HTTP 401)", operation=operation, http_status=status)
    looks_xml = _starts_like_xml(content) and b"<html" not in content[:512].lower()
    if status in _RETRYABLE_STATUS and not (looks_xml and b"Fault" in content[:4096]):
        raise TransportError(
            f"Workday answered HTTP {status}{_titled(content)}",
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
        hint = (
            "; check the tenant name and the /ccx/service/<tenant>/Recruiting path in the WSDL URL"
            if status == 404 or b"not found" in html_title(content).lower().encode()
            else ""
        )
        raise ResponseParseError(
            f"Workday sent {kind} instead of a SOAP response{_titled(content)}{hint}",
            operation=operation,
            http_status=status,
        )


def _read_envelope(operation: str, status: int, retry_after: str | None, content: bytes) -> etree._Element:
    """Parse an answer that looks like XML: its body element, or the error it carries (a fault, a malformed body)."""
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
        raise translate_fault(
            payload, operation=operation, http_status=status, retry_after=parse_retry_after(retry_after)
        )
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


def _check_xml_text(value: object, operation: str, path: str = "") -> None:
    """Refuse a request whose strings XML 1.0 cannot carry, naming the field (before lxml fails deep inside zeep)."""
    if isinstance(value, str):
        bad = NOT_XML_CHAR.search(value)
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


def _titled(content: bytes) -> str:
    title = html_title(content)
    return f": {title}" if title else ""
