"""FakeTenant: a real local HTTP server that behaves as a Workday tenant's Recruiting service.

The server is a :class:`http.server.ThreadingHTTPServer` (daemon threads, HTTP/1.1 keep-alive) on
``127.0.0.1`` and a free port. It starts when the :class:`FakeTenant` is constructed and stops on
:meth:`FakeTenant.close` (or leaving a ``with`` block). Routes:

* ``GET /ccx/service/{tenant}/Recruiting?wsdl`` and ``.../Recruiting/v45.2?wsdl``: the bundled WSDL;
* ``POST /ccx/service/{tenant}/Recruiting/v45.2``: the SOAP endpoint (also ``.../Recruiting``, where the
  request element's ``wd:version`` decides);
* ``POST /ccx/oauth2/{tenant}/token``: the OAuth 2.0 token endpoint (``refresh_token`` grant);
* anything else, or another tenant: a 404 HTML page.

This module is the HTTP side (routes, bodies, injected faults) and the tenant's lifecycle. SOAP requests are
answered by :mod:`._operations` (with :mod:`._criteria` and :mod:`._render`) from the data set of
:mod:`._dataset`; the wire format and Workday's faults are in :mod:`._protocol`; ISUs, OAuth clients and tokens in
:mod:`._accounts`, domains in :mod:`._security`; the fault settings in :mod:`._faults`, the settable attributes
and the knobs for undocumented behaviours in :mod:`._knobs`; the request log in :mod:`._log`. The user-facing
guide is ``docs/fake-tenant.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import random
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Collection, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Final, Literal
from urllib.parse import parse_qs, urlsplit

import attrs
from lxml import etree

from .._config import Endpoint
from .._ns import API_VERSION, SERVICE, WD
from .._schema import BUNDLED_WSDL
from . import _operations
from ._accounts import DEFAULT_ISU, Accounts, OAuthClient, derived_secret
from ._cache import Cache
from ._dataset import Dataset, Profile
from ._faults import ALL_FAULT_KINDS, FaultKind, FaultSettings
from ._knobs import (
    CANCELLED_INTERVIEWS,
    INTERVIEW_DATA_NAMES,
    CancelledInterviews,
    InterviewDataNames,
    Knob,
    Setting,
)
from ._log import RequestLog, RequestRecord
from ._notify import Notifications
from ._protocol import (
    NOT_FOUND_HTML,
    RECRUITING_REQUEST_ELEMENTS,
    TOO_MANY_HTML,
    UNAVAILABLE_HTML,
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

__all__ = [
    "ALL_FAULT_KINDS",
    "DEFAULT_ISU",
    "MAX_BODY_BYTES",
    "FakeTenant",
    "FaultKind",
    "FaultSettings",
    "OAuthClient",
    "RequestLog",
    "RequestRecord",
]

log = logging.getLogger("workday_recruiting.testing")

#: Request bodies above this size are refused with HTTP 413 (and the connection is closed).
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
_IDLE_TIMEOUT: Final = 30.0
#: Bytes of rendered pages a fake tenant keeps (``FakeTenant._pages``).
_PAGE_CACHE_BYTES: Final = 192 * 1024 * 1024
#: Matching id lists a fake tenant keeps (``FakeTenant.cache``): at most this many lists, and ids in all.
_RESULT_CACHE_ENTRIES: Final = 64
_RESULT_CACHE_IDS: Final = 1_000_000
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

_SERVICE_PATH: Final = re.compile(r"^/ccx/service/(?P<tenant>[^/]+)/(?P<service>[^/]+)(?:/(?P<version>[^/]+))?/?$")
_TOKEN_PATH: Final = re.compile(r"^/ccx/oauth2/(?P<tenant>[^/]+)/token/?$")


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


class FakeTenant(Notifications):
    """A local Workday tenant serving the Recruiting web service (v45.2) over real HTTP.

    The server starts when the object is constructed and runs until :meth:`close` (also called when
    a ``with`` block ends). Everything is deterministic given ``seed`` except the port.

    Args:
        tenant: The tenant name (in URLs and in ``user@tenant`` log-ins).
        candidates: How many candidates the generated data set holds.
        seed: Seed of the data set, the ISU password and the fault-injection random numbers.
        latency: Seconds added to every request (settable at runtime).
        item_latency: Seconds added to a SOAP answer per instance it returns, its ``Page_Results`` (settable at
            runtime): with ``latency``, a server-time model where a 999-item page costs more than a one-item answer.
        profile: The shape of the generated data: ``"default"`` (a small, busy tenant: every seed gives the data
            it always gave) or ``"enterprise"`` (years of history, most applications dispositioned long ago,
            interview events concentrated in the active pipeline). See ``docs/fake-tenant.md``.
        lists_all_interviews: Whether a ``Get_Interviews`` request with neither ``Request_References`` nor
            ``Request_Criteria`` lists every interview event, paged (``True``), or is refused with a validation
            fault (``False``). Workday does not document which; settable at runtime.
        interview_changes_stamp_candidate: Whether scheduling, moving or cancelling an interview through
            :attr:`dataset` enters its candidate in the transaction log (``Get_Candidates`` with
            ``Transaction_Log_Criteria_Data``). Workday does not document which; settable at runtime.
        interview_data_names: What each ``wd:Interview`` of a ``Get_Interviews`` answer names besides its event (an
            ``Interview_Data`` naming the event always comes first, with the sessions): nothing (``"event"``), its
            job application (``"application"``) or its candidate and requisition (``"candidate"``), each in a second
            ``Interview_Data``. Workday does not document which; settable at runtime.
        cancelled_interviews: Whether ``Get_Interviews`` still answers a cancelled event (``"kept"``) or leaves it
            out (``"omitted"``: no listing or criteria answer holds it, and by reference it is an unknown WID).
            Workday does not document which; settable at runtime.
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

    latency: Setting[float, float] = Setting()
    """Seconds added to every request."""
    item_latency: Setting[float, float] = Setting()
    """Seconds added to a SOAP answer per instance it returns."""
    fault_rate: Setting[float, float] = Setting()
    """Fraction of SOAP requests answered with a transient fault."""
    fault_kinds: Setting[tuple[FaultKind, ...], Collection[FaultKind]] = Setting()
    """The transient faults ``fault_rate`` draws from."""
    retry_after: Setting[int, int] = Setting()
    """The ``Retry-After`` seconds of injected HTTP 429 answers."""
    max_page_size: Setting[int | None, int | None] = Setting()
    """Requests with a larger ``Count`` get their connection reset (``None``: no limit)."""
    interview_data_names: Knob[InterviewDataNames] = Knob(INTERVIEW_DATA_NAMES)
    """What a ``wd:Interview`` names besides its event: ``"event"`` (nothing), ``"application"`` or ``"candidate"``."""
    cancelled_interviews: Knob[CancelledInterviews] = Knob(CANCELLED_INTERVIEWS)
    """Whether ``Get_Interviews`` answers cancelled events (``"kept"``) or leaves them out (``"omitted"``)."""

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
        item_latency: float = 0.0,
        profile: Profile = "default",
        lists_all_interviews: bool = True,
        interview_changes_stamp_candidate: bool = True,
        interview_data_names: InterviewDataNames = "application",
        cancelled_interviews: CancelledInterviews = "kept",
    ) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,128}", tenant):
            raise ValueError(f"tenant must be letters, digits, '_', '.' or '-' (got {tenant!r})")
        if candidates < 0:
            raise ValueError("candidates must be >= 0")
        if token_ttl <= 0:
            raise ValueError("token_ttl must be > 0 seconds")
        self.tenant: Final = tenant
        self.seed: Final = seed
        self.token_ttl = float(token_ttl)
        self._lock = threading.RLock()
        self._rng = random.Random(f"faults:{seed}")
        #: The fault settings, one frozen value: assign a new :class:`FaultSettings` to change several at once.
        self.faults = FaultSettings(
            latency=latency,
            item_latency=item_latency,
            fault_rate=fault_rate,
            fault_kinds=fault_kinds,
            retry_after=retry_after,
            max_page_size=max_page_size,
        )

        clock: Callable[[], dt.datetime] | None = None
        if now is not None:
            if now.tzinfo is None:
                raise ValueError("now must be timezone-aware (e.g. datetime(..., tzinfo=timezone.utc))")
            started, anchor = time.monotonic(), now
            clock = lambda: anchor + dt.timedelta(seconds=time.monotonic() - started)  # noqa: E731
        self.dataset: Final[Dataset] = Dataset(
            tenant=tenant,
            candidates=candidates,
            seed=seed,
            now=now,
            clock=clock,
            profile=profile,
            interview_changes_stamp_candidate=interview_changes_stamp_candidate,
        )
        #: Whether a ``Get_Interviews`` without references or criteria lists every event (else a validation fault).
        self.lists_all_interviews = bool(lists_all_interviews)
        self.interview_data_names = interview_data_names
        self.cancelled_interviews = cancelled_interviews
        self.requests: Final = RequestLog()
        #: Matching id lists per (operation, criteria, As_Of_Entry_DateTime), as Workday's paging cache.
        self.cache: Final[Cache[tuple[object, ...], tuple[str, ...]]] = Cache(
            _RESULT_CACHE_IDS, len, max_entries=_RESULT_CACHE_ENTRIES
        )
        # Rendered envelopes of pinned past snapshots: the same request from the same ISU gets the same bytes, and
        # rendering them again would only hide the speed of the client under test.
        self._pages: Cache[tuple[object, ...], bytes] = Cache(_PAGE_CACHE_BYTES, len)
        self._accounts = Accounts(tenant)
        self._wsdl: bytes | None = None

        password = derived_secret(tenant, seed, "isu-password", 24)
        self.isu: Final = self.add_isu(DEFAULT_ISU, password)
        self.oauth_client: Final = self.add_oauth_client(
            f"{tenant}-integrations-{derived_secret(tenant, seed, 'client-id', 8)}",
            derived_secret(tenant, seed, "client-secret", 32),
            isu=DEFAULT_ISU,
            refresh_token=derived_secret(tenant, seed, "refresh-token", 40),
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
        return self._accounts.add_isu(name, password, domains, activated, password_expired)

    def get_isu(self, name: str) -> Isu:
        """The ISU called ``name`` (``KeyError`` if there is none)."""
        return self._accounts.get_isu(name)

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
        return self._accounts.add_oauth_client(client_id, client_secret, isu, refresh_token)

    def issue_access_token(self, client: OAuthClient) -> str:
        """Issue an access token for ``client`` as the token endpoint would (expiring after ``token_ttl``)."""
        return self._accounts.issue_access_token(client, self.token_ttl)

    def expire_tokens(self) -> None:
        """Make every access token issued so far expire now (refresh tokens stay valid)."""
        self._accounts.expire_tokens()

    @property
    def profile(self) -> Profile:
        """The data set's profile (``"default"`` or ``"enterprise"``)."""
        return self.dataset.profile

    @property
    def interview_changes_stamp_candidate(self) -> bool:
        """Whether interview edits through :attr:`dataset` enter the candidate in the transaction log."""
        return self.dataset.interview_changes_stamp_candidate

    @interview_changes_stamp_candidate.setter
    def interview_changes_stamp_candidate(self, value: bool) -> None:
        self.dataset.interview_changes_stamp_candidate = bool(value)

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
        self._close_notifications()
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
            return self.faults.draw(self._rng)

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
            self.faults.max_page_size,
            self.lists_all_interviews,
            self.interview_data_names,
            self.cancelled_interviews,
            now.astimezone(self.dataset.tz).date(),  # the default As_Of_Effective_Date
        )

    def _wsdl_bytes(self) -> bytes:
        if self._wsdl is None:
            self._wsdl = BUNDLED_WSDL.read_bytes()
        return self._wsdl


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
            self._send_html(404, NOT_FOUND_HTML)

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
            self._send_html(404, NOT_FOUND_HTML)
            return
        self._soap(match["service"], match["version"], body)

    def _sleep(self) -> None:
        latency = self.server.fake.faults.latency
        if latency > 0:
            time.sleep(latency)

    def _token(self, tenant: str, body: bytes) -> None:
        fake = self.server.fake
        if tenant != fake.tenant:
            self._record("POST", status=404, body=body)
            self._send_html(404, NOT_FOUND_HTML)
            return
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            form = {}
        status, payload = fake._accounts.token_response(
            self.headers.get("Authorization"), form, fake.issue_access_token, fake.token_ttl
        )
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
            answer = functools.partial(
                self._send_html, 429, TOO_MANY_HTML, {"Retry-After": str(fake.faults.retry_after)}
            )
        elif injected == "service_unavailable":
            status = 503
            answer = functools.partial(self._send_html, 503, UNAVAILABLE_HTML)
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
                time.sleep(fake.faults.item_delay(payload))  # the per-item part of the server-time model
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
            isu = fake._accounts.authenticate_bearer(authorization[7:].strip())
            if isu is None:
                raise attrs.evolve(authentication_fault(), status=401)
            return "bearer", isu.name, isu
        isu = fake._accounts.authenticate_isu(request.username, request.password, request.password_type)
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
