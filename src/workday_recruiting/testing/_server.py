"""FakeTenant: a real local HTTP server that behaves as a Workday tenant's Recruiting service.

The server is a :class:`http.server.ThreadingHTTPServer` (daemon threads, HTTP/1.1 keep-alive) on
``127.0.0.1`` and a free port. It starts when the :class:`FakeTenant` is constructed and stops on
:meth:`FakeTenant.close` (or leaving a ``with`` block). Routes:

* ``GET /ccx/service/{tenant}/Recruiting?wsdl`` and ``.../Recruiting/v45.2?wsdl``: the bundled WSDL;
* ``POST /ccx/service/{tenant}/Recruiting/v45.2``: the SOAP endpoint (also ``.../Recruiting``, where the
  request element's ``wd:version`` decides);
* ``POST /ccx/oauth2/{tenant}/token``: the OAuth 2.0 token endpoint (``refresh_token`` grant);
* anything else, or another tenant: a 404 HTML page.

Request handling is in :mod:`._operations`; the wire format and faults in :mod:`._protocol`; domains in
:mod:`._security`. The user-facing guide is ``docs/fake-tenant.md``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import random
import re
import secrets
import socket
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import parse_qs, urlsplit

import attrs
from lxml import etree

from .._config import Endpoint
from .._ns import API_VERSION, PASSWORD_TEXT, SERVICE, WD
from .._schema import BUNDLED_WSDL
from . import _operations
from ._protocol import (
    RECRUITING_REQUEST_ELEMENTS,
    SoapFault,
    SoapRequest,
    authentication_fault,
    invalid_version_fault,
    parse_datetime,
    parse_envelope,
    processing_fault,
    throttling_fault,
)
from ._security import ALL_DOMAINS, Isu

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "ALL_FAULT_KINDS",
    "DEFAULT_ISU",
    "MAX_BODY_BYTES",
    "FakeTenant",
    "FaultKind",
    "OAuthClient",
    "RequestLog",
    "RequestRecord",
]

log = logging.getLogger("workday_recruiting.testing")

FaultKind = Literal[
    "throttling_fault", "too_many_requests", "service_unavailable", "dropped_connection", "truncated_body"
]
#: The transient faults ``fault_rate`` draws from.
ALL_FAULT_KINDS: Final[tuple[FaultKind, ...]] = (
    "throttling_fault",
    "too_many_requests",
    "service_unavailable",
    "dropped_connection",
    "truncated_body",
)
#: The default ISU's user name (it holds all 8 domains, activated).
DEFAULT_ISU: Final = "ISU_Recruiting"
#: Request bodies above this size are refused with HTTP 413 (and the connection is closed).
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
_IDLE_TIMEOUT: Final = 30.0
_CACHE_TTL: Final = 2 * 3600.0
#: Bytes of rendered pages a fake tenant keeps (see ``_PageCache``).
_PAGE_CACHE_BYTES: Final = 192 * 1024 * 1024
#: Request elements whose answer depends only on the request, the ISU and the ``As_Of_Entry_DateTime`` snapshot.
_CACHEABLE_REQUESTS: Final = frozenset(
    f"{{{WD}}}{name}"
    for name in (
        "Get_Candidates_Request",
        "Get_Job_Requisitions_Request",
        "Get_Interviews_Request",
        "Get_Job_Postings_Request",
    )
)
_AS_OF_PATH: Final = f"{{{WD}}}Response_Filter/{{{WD}}}As_Of_Entry_DateTime"

_NOT_FOUND_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Workday - Page Not Found</title></head><body>"
    "<h1>404 - Not Found</h1><p>The page you requested could not be found.</p></body></html>"
)
_UNAVAILABLE_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Workday is currently unavailable</title></head><body>"
    "<h1>503 - Service Unavailable</h1><p>Workday is currently unavailable. Please try again later.</p>"
    "</body></html>"
)
_TOO_MANY_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body>"
    "<h1>429 - Too Many Requests</h1><p>The rate limit for this tenant was exceeded.</p></body></html>"
)

_SERVICE_PATH: Final = re.compile(r"^/ccx/service/(?P<tenant>[^/]+)/(?P<service>[^/]+)(?:/(?P<version>[^/]+))?/?$")
_TOKEN_PATH: Final = re.compile(r"^/ccx/oauth2/(?P<tenant>[^/]+)/token/?$")


@attrs.frozen
class OAuthClient:
    """An API Client for Integrations registered on the fake tenant.

    Attributes:
        client_id: The client id.
        client_secret: The client secret (never shown in ``repr``).
        refresh_token: The non-expiring refresh token bound to an ISU (never shown in ``repr``).
        isu: The name of the ISU the refresh token acts as.
    """

    client_id: str
    client_secret: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    isu: str = DEFAULT_ISU


@attrs.frozen
class RequestRecord:
    """One request the fake tenant received.

    Attributes:
        method: ``GET`` or ``POST``.
        path: The URL path and query.
        operation: The Workday operation (``Get_Candidates``) for SOAP requests that named one, else ``None``.
        auth: ``"isu"`` (WS-Security UsernameToken), ``"bearer"`` (OAuth access token) or ``None``.
        username: The WS-Security user name or the bearer token's ISU (``None`` without credentials).
        status: The HTTP status sent; ``None`` when no response was sent (dropped or reset connection).
        fault: The injected transient fault (a :data:`FaultKind`), ``"connection_reset"`` for
            ``max_page_size``, or ``None``.
        faultcode: The SOAP ``faultcode`` sent, if the answer was a SOAP fault.
        body: The raw request body (it holds the WS-Security password; not shown in ``repr``).
        received_at: When the request arrived (UTC).
    """

    method: str
    path: str
    operation: str | None
    auth: str | None
    username: str | None
    status: int | None
    fault: str | None
    faultcode: str | None
    body: bytes = attrs.field(repr=False)
    received_at: dt.datetime


class RequestLog:
    """A thread-safe, append-only log of the requests a :class:`FakeTenant` received."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def append(self, record: RequestRecord) -> None:
        """Record one request (called by the server)."""
        with self._lock:
            self._records.append(record)

    def clear(self) -> None:
        """Forget every recorded request."""
        with self._lock:
            self._records.clear()

    def snapshot(self) -> list[RequestRecord]:
        """The requests so far, oldest first (a copy)."""
        with self._lock:
            return list(self._records)

    def of(self, operation: str) -> list[RequestRecord]:
        """The requests for ``operation`` (e.g. ``"Get_Candidates"``), oldest first."""
        return [record for record in self.snapshot() if record.operation == operation]

    @property
    def last(self) -> RequestRecord | None:
        """The most recent request, or ``None``."""
        with self._lock:
            return self._records[-1] if self._records else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.snapshot())

    def __getitem__(self, index: int) -> RequestRecord:
        with self._lock:
            return self._records[index]

    def __repr__(self) -> str:
        return f"<RequestLog {len(self)} requests>"


@attrs.define
class _Token:
    isu: str
    expires_at: float


class _ResultCache:
    """Matching id lists per (operation, criteria, as-of), kept ~2 hours like Workday's paging cache.

    Bounded by the number of entries and the total number of ids held (least recently used out first).
    """

    def __init__(self, max_entries: int = 64, max_ids: int = 1_000_000) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[object, ...], tuple[float, tuple[str, ...]]] = OrderedDict()
        self._max = max_entries
        self._max_ids = max_ids
        self._ids = 0

    def get_or_compute(self, key: tuple[object, ...], compute: Callable[[], Iterable[str]]) -> tuple[str, ...]:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < _CACHE_TTL:
                self._entries.move_to_end(key)
                return hit[1]
        ids = tuple(compute())
        if len(ids) > self._max_ids:
            return ids
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._ids -= len(old[1])
            self._entries[key] = (now, ids)
            self._ids += len(ids)
            while len(self._entries) > self._max or self._ids > self._max_ids:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._ids -= len(dropped)
        return ids

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._ids = 0


class _PageCache:
    """Rendered response envelopes of pinned past snapshots, least recently used first out, bounded in bytes.

    A request whose ``As_Of_Entry_DateTime`` lies in the past reads an immutable snapshot (every later change is
    stamped after it), so the same request from the same ISU gets the same bytes: rendering them again only slows
    the fake down, and hides the speed of the client under test.
    """

    def __init__(self, max_bytes: int = _PAGE_CACHE_BYTES) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[object, ...], tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._max = max_bytes

    def get_or_compute(self, key: tuple[object, ...], compute: Callable[[], bytes]) -> bytes:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < _CACHE_TTL:
                self._entries.move_to_end(key)
                return hit[1]
        payload = compute()
        if len(payload) > self._max:
            return payload
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (now, payload)
            self._size += len(payload)
            while self._size > self._max:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return payload

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


class _Aborted(Exception):  # noqa: N818 - control flow, not an error
    """Raised by the handler to end a connection without a (complete) response."""

    def __init__(self, kind: str, reset: bool) -> None:
        super().__init__(kind)
        self.kind = kind
        self.reset = reset


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeTenant

    def __init__(self, address: tuple[str, int], fake: FakeTenant) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: socket.socket | tuple[bytes, socket.socket], client_address: object) -> None:
        if isinstance(request, socket.socket):
            with self.connections_lock:
                self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        if isinstance(request, socket.socket):
            with self.connections_lock:
                self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            open_sockets = list(self.connections)
            self.connections.clear()
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class FakeTenant:
    """A local Workday tenant serving the Recruiting web service (v45.2) over real HTTP.

    The server starts when the object is constructed and runs until :meth:`close` (also called when
    a ``with`` block ends). Everything is deterministic given ``seed`` except the port.

    Args:
        tenant: The tenant name (in URLs and in ``user@tenant`` log-ins).
        candidates: How many candidates the generated data set holds.
        seed: Seed of the data set, the ISU password and the fault-injection random numbers.
        latency: Seconds added to every request (settable at runtime).
        fault_rate: Fraction (0 to 1) of SOAP requests answered with a transient fault drawn from
            ``fault_kinds`` (settable at runtime).
        now: The tenant's clock starts here (default: the real current time). The clock ticks.
        max_page_size: When set, SOAP requests whose ``Count`` exceeds it get their connection reset,
            as Workday aborts requests returning too much data (settable at runtime).
        token_ttl: Lifetime in seconds of OAuth access tokens (``expires_in``).
        fault_kinds: The transient faults ``fault_rate`` draws from (default: all of
            :data:`ALL_FAULT_KINDS`; settable at runtime).
        retry_after: The ``Retry-After`` seconds sent with injected HTTP 429 answers (0 for fast tests).
        port: The TCP port (0 picks a free one).
        host: The address to listen on (loopback by default; the fake tenant has no TLS).

    Example:
        >>> with FakeTenant(candidates=50) as tenant:  # doctest: +SKIP
        ...     client = RecruitingClient(tenant.wsdl_url, username=tenant.username, password=tenant.password)
    """

    def __init__(
        self,
        tenant: str = "acme",
        candidates: int = 300,
        seed: int = 0,
        latency: float = 0.0,
        fault_rate: float = 0.0,
        *,
        now: dt.datetime | None = None,
        max_page_size: int | None = None,
        token_ttl: float = 3600,
        fault_kinds: Collection[FaultKind] = ALL_FAULT_KINDS,
        retry_after: int = 1,
        port: int = 0,
        host: str = "127.0.0.1",
    ) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,128}", tenant):
            raise ValueError(f"tenant must be letters, digits, '_', '.' or '-' (got {tenant!r})")
        if candidates < 0:
            raise ValueError("candidates must be >= 0")
        if token_ttl <= 0:
            raise ValueError("token_ttl must be > 0 seconds")
        from ._dataset import Dataset  # deferred: the data set module is large

        self.tenant: Final = tenant
        self.seed: Final = seed
        self.token_ttl = float(token_ttl)
        self._lock = threading.RLock()
        self._rng = random.Random(f"faults:{seed}")
        self._latency = 0.0
        self._fault_rate = 0.0
        self._fault_kinds: tuple[FaultKind, ...] = ALL_FAULT_KINDS
        self._max_page_size: int | None = None
        self._retry_after = 1
        self.latency = latency
        self.fault_rate = fault_rate
        self.fault_kinds = fault_kinds
        self.max_page_size = max_page_size
        self.retry_after = retry_after

        clock: Callable[[], dt.datetime] | None = None
        if now is not None:
            if now.tzinfo is None:
                raise ValueError("now must be timezone-aware (e.g. datetime(..., tzinfo=timezone.utc))")
            started, anchor = time.monotonic(), now
            clock = lambda: anchor + dt.timedelta(seconds=time.monotonic() - started)  # noqa: E731
        self.dataset: Final[Dataset] = Dataset(tenant=tenant, candidates=candidates, seed=seed, now=now, clock=clock)
        self.requests: Final = RequestLog()
        self.cache: Final = _ResultCache()
        self._pages = _PageCache()
        self._isus: dict[str, Isu] = {}
        self._clients: dict[str, OAuthClient] = {}
        self._tokens: dict[str, _Token] = {}
        self._wsdl: bytes | None = None

        password = _derived_secret(tenant, seed, "isu-password", 24)
        self.isu: Final = self.add_isu(DEFAULT_ISU, password)
        self.oauth_client: Final = self.add_oauth_client(
            f"{tenant}-integrations-{_derived_secret(tenant, seed, 'client-id', 8)}",
            _derived_secret(tenant, seed, "client-secret", 32),
            isu=DEFAULT_ISU,
            refresh_token=_derived_secret(tenant, seed, "refresh-token", 40),
        )

        self._httpd = _HTTPServer((host, port), self)
        self.host: Final = host
        self.port: Final[int] = self._httpd.server_address[1]
        self._closed = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"FakeTenant-{tenant}",
            daemon=True,
        )
        self._thread.start()

    # -- URLs and credentials -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def wsdl_url(self) -> str:
        """The WSDL URL an admin would copy: ``http://127.0.0.1:PORT/ccx/service/{tenant}/Recruiting?wsdl``."""
        return f"{self.base_url}/ccx/service/{self.tenant}/{SERVICE}?wsdl"

    @property
    def endpoint(self) -> str:
        """The SOAP endpoint: ``http://127.0.0.1:PORT/ccx/service/{tenant}/Recruiting/v45.2``."""
        return Endpoint(self.base_url, self.tenant, API_VERSION).service_url

    @property
    def token_url(self) -> str:
        """The OAuth 2.0 token endpoint: ``http://127.0.0.1:PORT/ccx/oauth2/{tenant}/token``."""
        return Endpoint(self.base_url, self.tenant).token_url

    @property
    def username(self) -> str:
        """The default ISU's log-in, ``ISU_Recruiting@{tenant}``."""
        return f"{DEFAULT_ISU}@{self.tenant}"

    @property
    def password(self) -> str:
        """The default ISU's password (deterministic given ``seed``)."""
        return self.isu.password

    # -- runtime knobs --------------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        """Seconds added to every request."""
        return self._latency

    @latency.setter
    def latency(self, value: float) -> None:
        if value < 0:
            raise ValueError("latency must be >= 0 seconds")
        self._latency = float(value)

    @property
    def fault_rate(self) -> float:
        """Fraction of SOAP requests answered with a transient fault."""
        return self._fault_rate

    @fault_rate.setter
    def fault_rate(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        self._fault_rate = float(value)

    @property
    def fault_kinds(self) -> tuple[FaultKind, ...]:
        """The transient faults ``fault_rate`` draws from."""
        return self._fault_kinds

    @fault_kinds.setter
    def fault_kinds(self, kinds: Collection[FaultKind]) -> None:
        if isinstance(kinds, str):
            kinds = (kinds,)  # type: ignore[assignment]
        chosen = tuple(kind for kind in ALL_FAULT_KINDS if kind in set(kinds))
        unknown = set(kinds) - set(ALL_FAULT_KINDS)
        if unknown or not chosen:
            raise ValueError(f"fault_kinds must be a non-empty subset of {ALL_FAULT_KINDS} (got {sorted(kinds)})")
        self._fault_kinds = chosen

    @property
    def max_page_size(self) -> int | None:
        """Requests with a larger ``Count`` get their connection reset (``None``: no limit)."""
        return self._max_page_size

    @max_page_size.setter
    def max_page_size(self, value: int | None) -> None:
        if value is not None and value < 1:
            raise ValueError("max_page_size must be >= 1 or None")
        self._max_page_size = value

    @property
    def retry_after(self) -> int:
        """The ``Retry-After`` seconds of injected HTTP 429 answers."""
        return self._retry_after

    @retry_after.setter
    def retry_after(self, value: int) -> None:
        if value < 0:
            raise ValueError("retry_after must be >= 0 seconds")
        self._retry_after = int(value)

    # -- users, clients, tokens -----------------------------------------------------------------------------

    def add_isu(
        self,
        name: str,
        password: str,
        domains: Iterable[str] = ALL_DOMAINS,
        activated: bool = True,
        password_expired: bool = False,
    ) -> Isu:
        """Create (or replace) an Integration System User.

        Args:
            name: The user name without ``@tenant``.
            password: Its password.
            domains: The domains granted (a subset of :data:`ALL_DOMAINS`).
            activated: Whether the security policy changes were activated (if not, no domain takes effect).
            password_expired: Whether the password has expired (log-ins then fail).

        Returns:
            The ISU; log in as ``f"{isu.name}@{tenant.tenant}"``.
        """
        if not name or "@" in name:
            raise ValueError("an ISU name must be non-empty and must not contain '@'")
        if not password:
            raise ValueError("an ISU password must be non-empty")
        isu = Isu(
            name=name,
            password=password,
            domains=frozenset(domains),
            activated=activated,
            password_expired=password_expired,
        )
        with self._lock:
            self._isus[name] = isu
        return isu

    def get_isu(self, name: str) -> Isu:
        """The ISU called ``name`` (``KeyError`` if there is none)."""
        with self._lock:
            return self._isus[name]

    def add_oauth_client(
        self,
        client_id: str,
        client_secret: str,
        isu: str | Isu = DEFAULT_ISU,
        refresh_token: str | None = None,
    ) -> OAuthClient:
        """Register an API Client for Integrations and a refresh token bound to ``isu``.

        Args:
            client_id: The client id.
            client_secret: The client secret.
            isu: The ISU (or its name) the refresh token acts as.
            refresh_token: The refresh token (a random one when omitted).

        Returns:
            The client, with the refresh token to send to :attr:`token_url`.
        """
        isu_name = isu.name if isinstance(isu, Isu) else isu
        with self._lock:
            if isu_name not in self._isus:
                raise ValueError(f"no ISU named {isu_name!r}; add it with add_isu() first")
            client = OAuthClient(
                client_id=client_id,
                client_secret=client_secret,
                refresh_token=refresh_token or secrets.token_urlsafe(30),
                isu=isu_name,
            )
            self._clients[client_id] = client
        return client

    def issue_access_token(self, client: OAuthClient) -> str:
        """Issue an access token for ``client`` as the token endpoint would (expiring after ``token_ttl``)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = _Token(isu=client.isu, expires_at=time.monotonic() + self.token_ttl)
        return token

    def expire_tokens(self) -> None:
        """Make every access token issued so far expire now (refresh tokens stay valid)."""
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = 0.0

    def clear_cache(self) -> None:
        """Forget the cached paging result lists (Workday keeps them about 2 hours) and rendered pages."""
        self.cache.clear()
        self._pages.clear()

    # -- lifecycle ------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the server and close its connections (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        self._thread.join(timeout=5)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> FakeTenant:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self.base_url
        return f"<FakeTenant {self.tenant!r} {state}>"

    # -- used by the request handler ------------------------------------------------------------------------

    def _draw_fault(self) -> FaultKind | None:
        with self._lock:
            if self._fault_rate <= 0.0 or self._rng.random() >= self._fault_rate:
                return None
            return self._rng.choice(self._fault_kinds)

    def _answer(self, request: SoapRequest, isu: Isu, version: str | None) -> bytes:
        """``_operations.handle``; the pages of a pinned past snapshot come from a cache once rendered."""
        key = self._page_key(request, isu, version)
        if key is None:
            return _operations.handle(self, request, isu, version)
        return self._pages.get_or_compute(key, lambda: _operations.handle(self, request, isu, version))

    def _page_key(self, request: SoapRequest, isu: Isu, version: str | None) -> tuple[object, ...] | None:
        """What decides the answer to a cacheable request, or ``None`` when it must be rendered afresh."""
        body = request.body
        if body.tag not in _CACHEABLE_REQUESTS:
            return None
        as_of = parse_datetime(body.findtext(_AS_OF_PATH))
        now = self.dataset.clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.timezone.utc)
        if as_of is None or as_of >= now - dt.timedelta(milliseconds=1):
            return None  # the snapshot may still change
        return (
            etree.tostring(body, method="c14n"),
            request.include_descriptors,
            isu,
            version,
            self._max_page_size,
            now.astimezone(self.dataset.tz).date(),  # the default As_Of_Effective_Date
        )

    def _wsdl_bytes(self) -> bytes:
        if self._wsdl is None:
            self._wsdl = BUNDLED_WSDL.read_bytes()
        return self._wsdl

    def _authenticate_isu(self, username: str | None, password: str | None, password_type: str) -> Isu:
        if not username or password is None or password_type != PASSWORD_TEXT:
            raise authentication_fault()
        name, sep, tenant = username.rpartition("@")
        if not sep or tenant != self.tenant:
            raise authentication_fault()
        with self._lock:
            isu = self._isus.get(name)
        if (
            isu is None
            or not hmac.compare_digest(isu.password.encode("utf-8"), password.encode("utf-8"))
            or isu.password_expired
        ):
            raise authentication_fault()
        return isu

    def _authenticate_bearer(self, token: str) -> Isu | None:
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None or entry.expires_at <= time.monotonic():
                return None
            isu = self._isus.get(entry.isu)
        if isu is None or isu.password_expired:
            return None
        return isu

    def _token_response(self, authorization: str | None, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
        client = self._basic_client(authorization)
        if client is None:
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed."}
        grant = form.get("grant_type", [""])[0]
        if grant != "refresh_token":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Only the refresh_token grant is supported.",
            }
        refresh_token = form.get("refresh_token", [""])[0]
        if not refresh_token or not hmac.compare_digest(refresh_token.encode(), client.refresh_token.encode()):
            return 400, {"error": "invalid_grant", "error_description": "The refresh token is invalid."}
        with self._lock:
            isu = self._isus.get(client.isu)
        if isu is None or isu.password_expired:
            return 400, {
                "error": "invalid_grant",
                "error_description": "The refresh token's user is not valid.",
            }
        access_token = self.issue_access_token(client)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": int(self.token_ttl) if self.token_ttl >= 1 else self.token_ttl,
            "refresh_token": client.refresh_token,
        }

    def _basic_client(self, authorization: str | None) -> OAuthClient | None:
        if not authorization or authorization[:6].lower() != "basic ":
            return None
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, client_secret = decoded.partition(":")
        if not sep:
            return None
        with self._lock:
            client = self._clients.get(client_id)
        if client is None or not hmac.compare_digest(client_secret.encode(), client.client_secret.encode()):
            return None
        return client


def _derived_secret(tenant: str, seed: int, purpose: str, length: int) -> str:
    digest = hashlib.sha256(f"workday-recruiting-fake:{tenant}:{seed}:{purpose}".encode()).digest()
    text = base64.b32encode(digest).decode("ascii").rstrip("=")
    mixed = "".join(ch.lower() if i % 3 == 0 else ch for i, ch in enumerate(text))
    return mixed[:length]


class _Handler(BaseHTTPRequestHandler):
    """One HTTP connection to the fake tenant (HTTP/1.1 keep-alive)."""

    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes: with Nagle's algorithm the body waits for the client's
    # delayed ACK of the headers (~40 ms on Linux), which would add a fake latency to every request.
    disable_nagle_algorithm = True
    server_version = "Workday"
    sys_version = ""
    timeout = _IDLE_TIMEOUT
    server: _HTTPServer

    # -- plumbing -------------------------------------------------------------------------------------------

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.debug("fake tenant %s: " + format, self.server.fake.tenant, *args)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        truncate: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if truncate:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: max(1, len(body) // 2)])
            self.wfile.flush()
            self.close_connection = True
            raise _Aborted("truncated_body", reset=False)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_html(self, status: int, html: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, html.encode("utf-8"), "text/html;charset=UTF-8", headers)

    def _abort(self, reset: bool) -> None:
        """Close the connection without answering (``reset``: with a TCP RST)."""
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.rfile.close()  # drop the makefile reference so close() really closes (and sends the RST)
                self.connection.close()
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering 400/413 (the connection then closes)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            self._refuse(400)
            return None
        if length > MAX_BODY_BYTES:
            self._refuse(413)
            return None
        return self.rfile.read(length)

    def _refuse(self, status: Literal[400, 413]) -> None:
        """Answer a body that cannot be read (400) or is too large (413), and close the connection."""
        self.close_connection = True
        self._record(self.command, status=status)
        title = "400 - Bad Request" if status == 400 else "413 - Request Entity Too Large"
        self._send_html(status, f"<html><body><h1>{title}</h1></body></html>")

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self._refuse(400)
                return None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self._refuse(413)
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    # -- routes ---------------------------------------------------------------------------------------------
    #
    # Each route decides its answer, logs the request, and only then sends: a test reading
    # ``tenant.requests`` right after its call returns always finds the request there.

    def do_GET(self) -> None:
        fake = self.server.fake
        self._sleep()
        url = urlsplit(self.path)
        match = _SERVICE_PATH.match(url.path)
        query_keys = {key.lower() for key in parse_qs(url.query, keep_blank_values=True)}
        if (
            match
            and match["tenant"] == fake.tenant
            and match["service"] == SERVICE
            and match["version"] in (None, API_VERSION)
            and "wsdl" in query_keys
        ):
            self._record("GET", status=200)
            self._send(200, fake._wsdl_bytes(), "text/xml;charset=UTF-8")
        else:
            self._record("GET", status=404)
            self._send_html(404, _NOT_FOUND_HTML)

    def do_HEAD(self) -> None:
        self.close_connection = True
        self._record(self.command, status=405)
        self._send_html(405, "<html><body><h1>405 - Method Not Allowed</h1></body></html>", {"Allow": "GET, POST"})

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD

    def do_POST(self) -> None:
        body = self._read_body()
        if body is None:
            return
        self._sleep()
        path = urlsplit(self.path).path
        token_match = _TOKEN_PATH.match(path)
        if token_match:
            self._token(token_match["tenant"], body)
            return
        match = _SERVICE_PATH.match(path)
        if not match or match["tenant"] != self.server.fake.tenant:
            self._record("POST", status=404, body=body)
            self._send_html(404, _NOT_FOUND_HTML)
            return
        self._soap(match["service"], match["version"], body)

    def _sleep(self) -> None:
        latency = self.server.fake.latency
        if latency > 0:
            time.sleep(latency)

    def _token(self, tenant: str, body: bytes) -> None:
        fake = self.server.fake
        if tenant != fake.tenant:
            self._record("POST", status=404, body=body)
            self._send_html(404, _NOT_FOUND_HTML)
            return
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            form = {}
        status, payload = fake._token_response(self.headers.get("Authorization"), form)
        headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if status == 401:
            headers["WWW-Authenticate"] = f'Basic realm="{fake.tenant}"'
        self._record("POST", status=status, body=body)
        self._send(status, json.dumps(payload).encode(), "application/json;charset=UTF-8", headers)

    def _soap(self, service: str, version: str | None, body: bytes) -> None:
        fake = self.server.fake
        injected = fake._draw_fault()
        operation: str | None = None
        auth_kind: str | None = None
        username: str | None = None
        label: str | None = injected
        answer: Callable[[], None]
        status: int | None = None
        faultcode: str | None = None
        if injected == "dropped_connection":
            answer = functools.partial(self._abort, reset=False)
        elif injected == "too_many_requests":
            status = 429
            answer = functools.partial(self._send_html, 429, _TOO_MANY_HTML, {"Retry-After": str(fake.retry_after)})
        elif injected == "service_unavailable":
            status = 503
            answer = functools.partial(self._send_html, 503, _UNAVAILABLE_HTML)
        else:
            headers: dict[str, str] = {}
            payload = b""
            try:
                if injected == "throttling_fault":
                    raise throttling_fault()
                if service != SERVICE or (version is not None and version != API_VERSION):
                    raise invalid_version_fault()
                request = parse_envelope(body)
                operation = _operation_name(request.body.tag) if isinstance(request.body.tag, str) else None
                username = request.username
                auth_kind, username, isu = self._authenticate(request)
                payload = fake._answer(request, isu, version)
                status = 200
            except SoapFault as fault:
                payload, status, faultcode = fault.to_bytes(), fault.status, fault.faultcode
                if fault.status == 401:
                    headers["WWW-Authenticate"] = f'Bearer realm="{fake.tenant}", error="invalid_token"'
            except _operations.ConnectionReset:
                label = "connection_reset"
            except Exception:
                log.exception("fake tenant: unexpected error while answering a %s request", operation)
                internal = processing_fault("An unexpected error occurred in the fake tenant.")
                payload, status, faultcode = internal.to_bytes(), internal.status, internal.faultcode
            if status is None:
                answer = functools.partial(self._abort, reset=True)
            else:
                answer = functools.partial(
                    self._send,
                    status,
                    payload,
                    "text/xml;charset=UTF-8",
                    headers,
                    truncate=injected == "truncated_body",
                )
        self._record(
            "POST",
            operation=operation,
            auth=auth_kind,
            username=username,
            status=status,
            fault=label,
            faultcode=faultcode,
            body=body,
        )
        with contextlib.suppress(_Aborted):  # a truncated answer: the status line was sent, the body cut
            answer()

    def _authenticate(self, request: SoapRequest) -> tuple[str, str | None, Isu]:
        fake = self.server.fake
        authorization = self.headers.get("Authorization", "")
        if authorization[:7].lower() == "bearer ":
            isu = fake._authenticate_bearer(authorization[7:].strip())
            if isu is None:
                raise attrs.evolve(authentication_fault(), status=401)
            return "bearer", isu.name, isu
        isu = fake._authenticate_isu(request.username, request.password, request.password_type)
        return "isu", request.username, isu

    def _record(
        self,
        method: str,
        *,
        status: int | None,
        operation: str | None = None,
        auth: str | None = None,
        username: str | None = None,
        fault: str | None = None,
        faultcode: str | None = None,
        body: bytes = b"",
    ) -> None:
        self.server.fake.requests.append(
            RequestRecord(
                method=method,
                path=self.path,
                operation=operation,
                auth=auth,
                username=username,
                status=status,
                fault=fault,
                faultcode=faultcode,
                body=body,
                received_at=dt.datetime.now(dt.timezone.utc),
            )
        )

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True


def _operation_name(tag: str) -> str | None:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if namespace != WD:
        return None
    return RECRUITING_REQUEST_ELEMENTS.get(local)
