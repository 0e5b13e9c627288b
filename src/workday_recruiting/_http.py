"""The one seam to the wire: every HTTP request the SDK sends goes through :meth:`Wire.send`.

The SOAP POSTs (``_soap``), the tenant WSDL GET (``_soap``), the OAuth token POST (``_auth``) and the setup check's
WSDL probe all call it; nothing else in the package touches requests. For every request it:

* **follows no redirect on a POST.** A 3xx is a :class:`RedirectError` naming the ``Location``; nothing was sent
  there (requests would re-send the envelope, password included, to any host, even from https to http). A GET may
  follow a few redirects to the same scheme, host and port only.
* **reads every body through one byte cap**, counted after decompression, so neither a huge body nor a gzip bomb
  can exhaust memory.
* **bounds the wall-clock time of each attempt** (connecting, sending, the headers and the whole body) by
  :attr:`Timeouts.attempt` and the caller's deadline: a server that trickles one byte at a time never trips the
  read timeout, so a per-client watchdog thread shuts the socket down when the time is up.
* **maps every requests, urllib3, socket, TLS and encoding error to the exception tree**, here and nowhere else,
  and raises outside the ``except`` block so that no exception holding the prepared request (and its credentials)
  travels along as ``__context__``.

:class:`ClientSession`, the session a client owns when the caller passes none, differs from a plain
``requests.Session`` in three ways:

* **The environment is read once per host**, not on every request. requests looks up proxies (``HTTPS_PROXY``,
  ``NO_PROXY``, ...) and CA bundles (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``) by scanning ``os.environ`` on every
  call, a large share of a small request's CPU time (see docs/performance.md). The settings are the same as requests'
  own (``NO_PROXY`` still applies host by host), with one exception: a ``verify`` given to the client (``False`` or
  a CA bundle path) is not overridden by ``REQUESTS_CA_BUNDLE``. A change to the environment after a host's first
  request is not seen by that client.
* **``~/.netrc`` is never consulted.** requests would otherwise add an ``Authorization: Basic`` header from a
  ``.netrc`` entry for the Workday host, replacing the OAuth bearer token and sending unrelated credentials.
* Its connections never print ``http.client`` debug output (:class:`QuietHTTPAdapter`), and its pool holds enough
  connections for ``max_concurrency`` requests in flight.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import logging
import re
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import attrs
import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ._config import Timeouts
from ._errors import (
    ConfigurationError,
    ConnectError,
    RedirectError,
    ResponseParseError,
    Timeout,
    WorkdayError,
)
from ._version import __version__

__all__ = [
    "ClientSession",
    "HttpResponse",
    "QuietHTTPAdapter",
    "RedactedHeaders",
    "Wire",
    "Withheld",
    "html_title",
    "parse_retry_after",
]

log = logging.getLogger("workday_recruiting")

#: Bytes asked of the socket per read. urllib3 (2.6 and later) hands back at most this many *decoded* bytes a read,
#: so the cap below is checked at least this often even for a highly compressed body.
_CHUNK = 1 << 16
#: Redirects a GET may follow (same scheme, host and port only).
MAX_REDIRECTS = 3
#: How long the watchdog thread lingers without work before it ends (the next request starts another).
_WATCHDOG_IDLE = 5.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@attrs.frozen
class HttpResponse:
    """A complete response: status, headers and the whole (decoded, capped) body.

    Attributes:
        status: The HTTP status.
        headers: The response headers (case-insensitive look-ups).
        content: The body, decompressed.
        url: The URL that answered (after any same-origin redirect of a GET).
        truncated: The body was cut at ``max_bytes`` because the caller asked for a prefix only.
    """

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    content: bytes = attrs.field(repr=False)
    url: str
    truncated: bool = False

    def header(self, name: str) -> str | None:
        """One header's value, or ``None``."""
        return self.headers.get(name)


class _Attempt:
    """One attempt in flight: the connection it uses, and whether the watchdog cut it off."""

    __slots__ = ("armed", "connection", "expired", "limit", "until")

    def __init__(self, until: float, limit: float) -> None:
        self.until = until
        self.limit = limit
        self.connection: Any = None
        self.armed = True
        self.expired = False

    def cut(self) -> bool:
        """Shut the attempt's socket down; False while it has none yet (the watchdog tries again shortly)."""
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is None:
            return False
        # The plain socket's shutdown, also for a TLS socket: it unblocks a recv in another thread at once, with no
        # TLS close_notify exchange that could itself block.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        return True


#: The attempt the current thread is making, so the pools below can tell it which connection it was given.
_current = threading.local()


class _Watchdog:
    """Cuts off attempts that outlive their deadline. One thread per client, started on demand, gone when idle."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Attempt]] = []
        self._order = itertools.count()
        self._armed = 0
        self._thread: threading.Thread | None = None

    def arm(self, attempt: _Attempt) -> None:
        with self._cond:
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (attempt.until, next(self._order), attempt))
            self._armed += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="workday-recruiting-watchdog", daemon=True)
                self._thread.start()
            elif earliest is None or attempt.until < earliest:
                self._cond.notify()

    def disarm(self, attempt: _Attempt) -> None:
        with self._cond:
            if not attempt.armed:
                return
            attempt.armed = False
            self._armed -= 1
            if len(self._heap) > 64 + 2 * self._armed:  # mostly finished attempts: drop them
                self._heap = [entry for entry in self._heap if entry[2].armed]
                heapq.heapify(self._heap)

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and not self._heap[0][2].armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    if not self._cond.wait(_WATCHDOG_IDLE) and not self._heap:
                        self._thread = None
                        return
                    continue
                until, _, attempt = self._heap[0]
                now = time.monotonic()
                if until > now:
                    self._cond.wait(until - now)
                    continue
                heapq.heappop(self._heap)
                if not attempt.cut():  # still connecting: look again in a moment
                    heapq.heappush(self._heap, (now + 0.05, next(self._order), attempt))


class Wire:
    """Sends the SDK's HTTP requests (see the module docstring). One per client; thread-safe.

    Args:
        session: The pooled session requests go out on.
        timeouts: Connect, read and per-attempt limits.
        max_bytes: The default cap on a response body.
    """

    def __init__(self, session: requests.Session, timeouts: Timeouts, *, max_bytes: int) -> None:
        self.session = session
        self.timeouts = timeouts
        self.max_bytes = max_bytes
        self._watchdog = _Watchdog()

    def __repr__(self) -> str:
        return f"<Wire timeouts={self.timeouts!r} max_bytes={self.max_bytes}>"

    def send(
        self,
        method: str,
        url: str,
        *,
        operation: str | None = None,
        data: bytes | Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        truncate: bool = False,
        redirects: int = 0,
        deadline: float | None = None,
        what: str = "the response",
    ) -> HttpResponse:
        """Send one request and read its whole response, or raise a :class:`WorkdayError`.

        Args:
            method: ``"GET"`` or ``"POST"``.
            url: Where to.
            operation: Named in errors (``"Get_Candidates"``, ``"oauth_token"``).
            data: The body.
            headers: Request headers (the session's are added).
            max_bytes: The body cap (default: the wire's).
            truncate: Stop reading at ``max_bytes`` and return the prefix (``truncated=True``) instead of raising.
            redirects: Redirects a GET may follow, to the same scheme, host and port only (a POST follows none).
            deadline: A ``time.monotonic()`` instant the attempt may not outlive (the call's retry deadline).
            what: What the body is, for the over-the-cap message.

        Raises:
            RedirectError: A 3xx that may not be followed (nothing was sent to its ``Location``).
            Timeout: No connection, no bytes, or no complete response in time.
            ConnectError: The connection failed or was cut.
            ResponseParseError: The body is over the cap, or its ``Content-Encoding`` could not be decoded.
            ConfigurationError: The URL or a header cannot be sent at all.
        """
        limit = self.max_bytes if max_bytes is None else max_bytes
        hops = 0
        while True:
            response = self._attempt(method, url, operation, data, headers, limit, truncate, deadline, what)
            if not 300 <= response.status < 400 or response.status == 304:
                return response
            location = response.header("Location")
            target = urljoin(url, location) if location else None
            if method != "GET" or target is None or hops >= redirects or not _same_origin(url, target):
                raise _redirect_error(method, url, response.status, target, operation, hops, redirects)
            log.debug("following a same-origin redirect from %s to %s", _shown(url), _shown(target))
            url, hops = target, hops + 1

    def _attempt(
        self,
        method: str,
        url: str,
        operation: str | None,
        data: bytes | Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        limit: int,
        truncate: bool,
        deadline: float | None,
        what: str,
    ) -> HttpResponse:
        started = time.monotonic()
        until = started + self.timeouts.attempt
        if deadline is not None:
            until = min(until, deadline)
        remaining = until - started
        if remaining <= 0:
            raise Timeout("the call's deadline passed before the request could be sent", operation=operation)
        attempt = _Attempt(until, remaining)
        timeout = (min(self.timeouts.connect, remaining), min(self.timeouts.read, remaining))
        failure: WorkdayError | None = None
        result: HttpResponse | None = None
        self._watchdog.arm(attempt)
        _current.attempt = attempt
        try:
            with self.session.request(
                method, url, data=data, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            ) as answer:
                if attempt.connection is None:  # a session of the caller's, with adapters of its own
                    attempt.connection = getattr(answer.raw, "connection", None)
                content, truncated = _read_body(answer, limit, truncate, what, operation)
                result = HttpResponse(
                    status=answer.status_code, headers=answer.headers, content=content, url=url, truncated=truncated
                )
        except WorkdayError as exc:
            failure = exc
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            http.client.HTTPException,
            OSError,
            UnicodeError,
            ValueError,
        ) as exc:
            failure = _translate(exc, url, operation, attempt, self.timeouts)
        finally:
            _current.attempt = None
            self._watchdog.disarm(attempt)
        if attempt.expired:
            # Cut off: whatever arrived may look complete (a socket shut down mid-headers reads as their end).
            failure = _translate(TimeoutError(), url, operation, attempt, self.timeouts)
        if failure is not None:
            # Raised outside the ``except`` blocks: requests' exceptions hold the prepared request (headers and body,
            # with the credentials) and must not ride along as ``__context__``.
            failure.__context__ = None
            failure.__cause__ = None
            raise failure
        assert result is not None  # noqa: S101 - set whenever failure is not
        return result


def _read_body(
    http: requests.Response, limit: int, truncate: bool, what: str, operation: str | None
) -> tuple[bytes, bool]:
    """The decoded body of ``http``, streamed and capped at ``limit`` bytes (or cut there, with ``truncate``)."""

    def too_large(size: int | None) -> ResponseParseError:
        amount = f"is {size:,} bytes, over" if size is not None else "is over"
        return ResponseParseError(
            f"{what} {amount} the {limit:,}-byte limit (max_response_bytes)",
            operation=operation,
            http_status=http.status_code,
        )

    declared = http.headers.get("Content-Length", "")
    encoded = http.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity")
    if not truncate and not encoded and declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    for chunk in http.iter_content(_CHUNK):
        size += len(chunk)
        if size > limit:
            if truncate:
                chunks.append(chunk[: len(chunk) - (size - limit)])
                return b"".join(chunks), True
            raise too_large(None)
        chunks.append(chunk)
    return b"".join(chunks), False


def _translate(
    exc: BaseException, url: str, operation: str | None, attempt: _Attempt, timeouts: Timeouts
) -> WorkdayError:
    """The exception-tree error for a failed exchange (the one place that knows requests' and urllib3's errors)."""
    host = urlsplit(url).hostname or url
    text = str(exc)
    if attempt.expired:
        return Timeout(
            f"no complete response from {host} within {attempt.limit:.3g}s "
            "(Timeouts.total, or what was left of the retry deadline)",
            operation=operation,
        )
    if isinstance(exc, requests.ConnectTimeout):
        return Timeout(f"could not connect to {host} within {timeouts.connect:g}s", operation=operation)
    if isinstance(exc, (requests.Timeout, socket.timeout)) or "Read timed out" in text:
        return Timeout(f"no response from {host} within the {timeouts.read:g}s read timeout", operation=operation)
    if isinstance(exc, UnicodeError):
        return ConfigurationError(
            "a request header holds a character HTTP cannot carry (outside Latin-1)", operation=operation
        )
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return ConfigurationError(f"cannot send a request to {_shown(url)}: the URL is not valid", operation=operation)
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return ConfigurationError(f"cannot send a request to {_shown(url)}: not an http(s) URL", operation=operation)
    if isinstance(exc, requests.exceptions.InvalidHeader):
        return ConfigurationError("a request header value is not valid HTTP", operation=operation)
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return ResponseParseError(
            "the response body could not be decompressed (its Content-Encoding does not match it)",
            retryable=True,
            operation=operation,
        )
    if any(s in text for s in ("NameResolution", "Name or service not known", "nodename nor servname", "getaddrinfo")):
        return ConnectError(f"the host name {host!r} does not resolve (DNS); check the URL", operation=operation)
    if "Connection refused" in text or "ECONNREFUSED" in text or "actively refused" in text:
        return ConnectError(f"{host} refused the connection", operation=operation)
    if isinstance(exc, requests.exceptions.SSLError) or "SSLError" in text or "CERTIFICATE" in text:
        return ConnectError(f"the TLS handshake with {host} failed (certificate not trusted?)", operation=operation)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return ConnectError("the connection was cut before the whole response arrived", operation=operation)
    if "RemoteDisconnected" in text or "reset" in text.lower() or "aborted" in text.lower():
        return ConnectError(f"{host} closed the connection without a response", operation=operation)
    if isinstance(exc, ValueError) and not isinstance(exc, requests.RequestException):
        return ConfigurationError(
            f"cannot send the request to {_shown(url)} ({type(exc).__name__})", operation=operation
        )
    return ConnectError(f"the connection to {host} failed ({type(exc).__name__})", operation=operation)


def _same_origin(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme.lower(), one.hostname, one.port) == (two.scheme.lower(), two.hostname, two.port)


def _shown(url: str) -> str:
    """A URL fit for a message: no control characters, no user info, at most 200 characters."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()  # keeps an IPv6 host's brackets
    clean = _CONTROL.sub("", url)
    return clean if len(clean) <= 200 else clean[:199] + "…"


def _redirect_error(
    method: str, url: str, status: int, target: str | None, operation: str | None, hops: int, allowed: int
) -> RedirectError:
    where = _shown(target) if target else "no Location"
    if method != "GET":
        why = f"a {method} is never redirected"
    elif target is None:
        why = "the redirect names no Location"
    elif not _same_origin(url, target):
        why = "it leads to another scheme, host or port"
    else:
        why = f"more than {allowed} redirects"
    return RedirectError(
        f"{_shown(url)} answered HTTP {status} redirecting to {where}; nothing was sent there ({why}). "
        "Use the URL from the tenant's Public Web Services report",
        location=target,
        operation=operation,
        http_status=status,
    )


class Withheld(bytes):
    """A request body that may hold a password: sent as is, never shown by ``repr`` (logs, tracebacks, debug prints)."""

    __slots__ = ()

    def __new__(cls, value: bytes | str) -> Withheld:
        return super().__new__(cls, value.encode() if isinstance(value, str) else value)

    def __repr__(self) -> str:
        return f"<request body: {len(self)} bytes, withheld>"

    __str__ = __repr__


class RedactedHeaders(dict[str, str]):
    """Request headers whose ``repr`` hides the ``Authorization`` value (a traceback's locals show it)."""

    def __repr__(self) -> str:
        return repr({name: ("********" if name.lower() == "authorization" else v) for name, v in self.items()})

    __str__ = __repr__


def html_title(content: bytes) -> str:
    """The ``<title>`` of an HTML page in ``content`` (its first 4 KiB), or ``""``."""
    lower = content[:4096].lower()
    start = lower.find(b"<title>")
    end = lower.find(b"</title>")
    if start == -1 or end <= start:
        return ""
    return _CONTROL.sub("", content[start + 7 : end].decode("utf-8", "replace")).strip()[:120]


def parse_retry_after(value: str | None) -> float | None:
    """A ``Retry-After`` header's wait in seconds (delta-seconds or an HTTP date), or ``None``."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return max(0.0, seconds) if seconds == seconds else None  # NaN is no wait at all


# -- the session and its adapter ---------------------------------------------------------------------------------


class _QuietHTTPConnectionPool(HTTPConnectionPool):
    def _new_conn(self) -> Any:
        connection: Any = super()._new_conn()
        connection.debuglevel = 0  # http.client would print the request, credentials included, to stdout
        return connection

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        _tell_attempt(connection)
        return connection


class _QuietHTTPSConnectionPool(HTTPSConnectionPool):
    def _new_conn(self) -> Any:
        connection: Any = super()._new_conn()
        connection.debuglevel = 0
        return connection

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        _tell_attempt(connection)
        return connection


def _tell_attempt(connection: Any) -> None:
    attempt: _Attempt | None = getattr(_current, "attempt", None)
    if attempt is not None:
        attempt.connection = connection


_QUIET_POOLS = {"http": _QuietHTTPConnectionPool, "https": _QuietHTTPSConnectionPool}


class QuietHTTPAdapter(HTTPAdapter):
    """A requests adapter whose connections never print ``http.client`` debug output.

    ``http.client.HTTPConnection.debuglevel = 1`` (a common debugging switch) makes every connection print the raw
    request to stdout: the WS-Security password, the bearer token, the OAuth client secret and refresh token. The
    client's own session uses this adapter, so that switch cannot leak them; the ``workday_recruiting`` DEBUG logger
    shows request bodies without the security header instead. Its pools also tell the :class:`Wire` which
    connection an attempt uses, so the attempt's time limit can cut it off while the headers are still trickling in.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_QUIET_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme") and not type(manager).__name__.startswith("SOCKS"):
            manager.pool_classes_by_scheme = dict(_QUIET_POOLS)
        return manager


class _NoNetrc(AuthBase):
    """Session-level auth that adds nothing: its presence keeps requests from reading ``~/.netrc``."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request

    def __repr__(self) -> str:
        return "<no netrc>"


class ClientSession(requests.Session):
    """A pooled session for one client: environment settings cached per host, no ``.netrc``, quiet connections.

    Args:
        max_concurrency: The client's requests in flight; the pool keeps at least twice as many connections.
    """

    def __init__(self, *, max_concurrency: int = 1) -> None:
        super().__init__()
        adapter = QuietHTTPAdapter(pool_connections=2, pool_maxsize=max(10, max_concurrency * 2), max_retries=0)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        self.headers["User-Agent"] = f"workday-recruiting/{__version__} {requests.utils.default_user_agent()}"
        self.auth = _NoNetrc()
        self._environment: dict[tuple[Any, ...], dict[str, Any]] = {}

    def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
        """Never reached through the :class:`Wire` (it follows redirects itself); kept so that a redirect followed by
        a caller using this session directly adds nothing from ``~/.netrc`` and drops ``Authorization`` across
        hosts, as requests does."""
        original = response.request
        headers = prepared_request.headers
        if (
            "Authorization" in headers
            and original is not None
            and original.url is not None
            and prepared_request.url is not None
            and self.should_strip_auth(original.url, prepared_request.url)  # type: ignore[no-untyped-call]
        ):
            del headers["Authorization"]

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        """requests' own merge of the request, session and environment settings, computed once per host."""
        if verify is None and self.verify is not True:
            verify = self.verify  # the client's verify argument, not REQUESTS_CA_BUNDLE (requests' order)
        if not self.trust_env or proxies:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url.decode() if isinstance(url, bytes) else (url or ""))
        key = (
            parts.scheme,
            parts.netloc,
            stream,
            verify,
            cert,
            self.stream,
            self.verify,
            self.cert,
            tuple(sorted(self.proxies.items())),
        )
        settings = self._environment.get(key)
        if settings is None:
            settings = self._environment[key] = dict(
                super().merge_environment_settings(url, proxies, stream, verify, cert)
            )
        # A copy: requests and adapters may adjust what they are given.
        return {**settings, "proxies": dict(settings["proxies"])}
