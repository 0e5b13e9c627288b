"""``RecruitingClient`` and the small services hanging off it."""

from __future__ import annotations

import builtins
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import requests
from lxml import etree

from ._auth import Auth, OAuthRefreshTokenAuth, Secret, UsernameTokenAuth, check_secret
from ._config import Endpoint, RetryPolicy, Timeouts
from ._errors import (
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    ProcessingError,
    ResponseParseError,
    ValidationError,
)
from ._gc import paused_gc
from ._http import ClientSession, Wire
from ._ns import WD
from ._paging import MAX_PAGE_SIZE, Pager, PageResult, read_page
from ._soap import DEFAULT_MAX_RESPONSE_BYTES, SoapTransport
from ._sync import DEFAULT_OVERLAP, ChangeSet, Watermark, collect_changes
from .models import (
    Candidate,
    Interview,
    JobApplication,
    JobPosting,
    JobRequisition,
    Reference,
    ScheduledInterview,
    WebConference,
)

if TYPE_CHECKING:
    from ._setup_check import SetupReport

__all__ = ["RecruitingClient"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")
R = TypeVar("R")

_WID_RE = re.compile(r"^[0-9a-fA-F]{32}$")
_RESPONSE_DATA = f"{{{WD}}}Response_Data"
_CANDIDATE = f"{{{WD}}}Candidate"
_REQUISITION = f"{{{WD}}}Job_Requisition"
_INTERVIEW = f"{{{WD}}}Interview"
_POSTING = f"{{{WD}}}Job_Posting"
_TIMESTAMP_DATA = f"{{{WD}}}Server_Timestamp_Data"
#: Concurrent requests per client by default: parallel enough to hide latency, gentle enough for a tenant. Workday
#: publishes no concurrency limit (its throttling is per tenant, shared by every integration of the tenant, and
#: answered with HTTP 500, 429 or 503); four requests in flight per client is 3x+ faster on latency-bound work and
#: leaves room for the customer's other integrations. Raise ``max_concurrency`` per tenant where that is known to
#: be safe (see docs/performance.md).
DEFAULT_CONCURRENCY = 4


# -- argument helpers --------------------------------------------------------------------------------------------


def _ref(value: str | Reference, id_type: str) -> dict[str, Any]:
    """A zeep reference dict: a WID-looking value is sent as a WID, anything else as ``id_type``."""
    if isinstance(value, Reference):
        if value.wid:
            return {"ID": [{"_value_1": value.wid, "type": "WID"}]}
        typed = value.get(id_type)
        if typed is None:
            raise ConfigurationError(f"the reference {value!r} has neither a WID nor a {id_type}")
        return {"ID": [{"_value_1": typed, "type": id_type}]}
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"expected a {id_type} or WID string, got {value!r}")
    value = value.strip()
    kind = "WID" if _WID_RE.match(value) else id_type
    return {"ID": [{"_value_1": value, "type": kind}]}


def _refs(values: str | Reference | Iterable[str | Reference] | None, id_type: str) -> list[dict[str, Any]]:
    if values is None:
        return []
    if isinstance(values, (str, Reference)):
        values = [values]
    return [_ref(v, id_type) for v in values]


def _instant(value: datetime | date | None, name: str, *, end: bool = False) -> datetime | None:
    """An aware datetime from a datetime or a date (a date means its start in UTC, or its end when ``end``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ConfigurationError(
                f"{name} must be timezone-aware, e.g. datetime(2026, 1, 1, tzinfo=timezone.utc); got {value!r}"
            )
        return value
    if isinstance(value, date):
        moment = datetime.combine(value, time.min, tzinfo=timezone.utc)
        return moment + timedelta(days=1) - timedelta(microseconds=1) if end else moment
    raise ConfigurationError(f"{name} must be a datetime or a date, got {type(value).__name__}")


def _check_range(lower: datetime | None, upper: datetime | None, names: str) -> None:
    if lower is not None and upper is not None and lower > upper:
        raise ConfigurationError(f"{names}: the start is after the end")


#: The lower bound sent when only an upper one is given (Workday requires both or neither).
_LOG_EPOCH = datetime(1900, 1, 1, tzinfo=timezone.utc)


def _log_window(
    client: RecruitingClient, updated_from: datetime | None, updated_to: datetime | None
) -> list[dict[str, Any]]:
    """``Transaction_Log_Criteria_Data`` for a change window; empty when neither bound is given.

    Workday requires both bounds and refuses an upper bound after its own current moment, so a missing upper bound
    is the tenant's clock (``Get_Server_Timestamp``) and a missing lower one is 1900-01-01.
    """
    if updated_from is None and updated_to is None:
        return []
    upper = updated_to if updated_to is not None else client.server_time()
    lower = updated_from if updated_from is not None else _LOG_EPOCH
    _check_range(lower, upper, "updated_from/updated_to")
    return [{"Transaction_Date_Range_Data": {"Updated_From": lower, "Updated_Through": upper}}]


def _split_name(name: str | tuple[str, str]) -> tuple[str, str]:
    if isinstance(name, tuple):
        if len(name) != 2 or not all(isinstance(p, str) and p.strip() for p in name):
            raise ConfigurationError("name must be 'First Last' or a (first, last) tuple")
        return name[0].strip(), name[1].strip()
    parts = name.strip().rsplit(None, 1)
    if len(parts) != 2:
        raise ConfigurationError(
            f"name {name!r} needs a first and a last name (Workday requires both); pass ('First', 'Last')"
        )
    return parts[0], parts[1]


def _response_items(body: etree._Element, tag: str) -> list[etree._Element]:
    data = body.find(_RESPONSE_DATA)
    return [] if data is None else [child for child in data if child.tag == tag]


def _filter(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None and value != []}


def _bounded_map(
    executor: ThreadPoolExecutor | None, limit: int, func: Callable[[T], R], items: Iterable[T]
) -> Iterator[R]:
    """``map(func, items)`` with at most ``limit`` calls in flight, results in input order; lazy over ``items``."""
    if executor is None or limit <= 1:
        yield from map(func, items)
        return
    window: deque[Future[R]] = deque()
    try:
        for item in items:
            window.append(executor.submit(func, item))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        for future in window:
            future.cancel()


class _Deferred(Sequence[T]):
    """A page's items, built from its response on first use, in the thread that uses them.

    A prefetching thread fetches and parses the XML (lxml lets other threads run meanwhile); the models are built
    when the pager hands the page over, in the caller's thread. Building them in the prefetching threads made
    several threads contend for the interpreter lock and spread the pages over as many allocator arenas.
    """

    __slots__ = ("_items", "_operation", "_parse", "_response")

    def __init__(
        self, parse: Callable[[etree._Element], Sequence[T]], response: etree._Element, operation: str
    ) -> None:
        self._parse: Callable[[etree._Element], Sequence[T]] | None = parse
        self._response: etree._Element | None = response
        self._operation = operation
        self._items: Sequence[T] = ()

    def _built(self) -> Sequence[T]:
        parse, response = self._parse, self._response
        if parse is not None and response is not None:
            try:
                with paused_gc():  # tens of thousands of objects that all survive: see _gc
                    self._items = parse(response)
            except ResponseParseError as exc:
                exc.operation = exc.operation or self._operation
                raise
            self._parse = self._response = None
        return self._items

    def __len__(self) -> int:
        return len(self._built())

    def __getitem__(self, index: Any) -> Any:
        return self._built()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._built())


# -- the client --------------------------------------------------------------------------------------------------


class RecruitingClient:
    """A client for one tenant's Workday Recruiting web service.

    Construct it with the ISU's credentials (or :meth:`from_oauth`); nothing touches the network until the first
    call. It is a context manager and is safe to share between threads.

    Example:
        >>> with RecruitingClient(wsdl_url=url, username="ISU_Recruiting", password=pw) as client:
        ...     for candidate in client.candidates.list(updated_from=yesterday):
        ...         print(candidate.name, candidate.primary_email)

    Args:
        wsdl_url: The Recruiting WSDL URL from the tenant's Public Web Services report (any shape: with or without
            version, ``?wsdl``, trailing slash).
        username: The ISU's user name; ``@tenant`` is appended unless present.
        password: The ISU's password.
        timeouts: Connect and read timeouts for every request.
        retry: How transient failures are retried.
        session: A ``requests.Session`` to use (default: a pooled one owned by the client).
        verify: TLS verification: ``True``, or a CA bundle path. Never disable it against a real tenant.
        allow_insecure_http: Allow ``http://`` to hosts other than loopback.
        include_descriptors: Ask Workday for display names on references
            (``Include_Reference_Descriptors_In_Response``).
        wsdl: ``"bundled"`` (default: the schema shipped in the package, no network) or ``"tenant"`` to load the
            tenant's own WSDL (needed by :meth:`call` for operations the SDK does not wrap), or a path or URL.
        max_concurrency: Requests in flight at once for page prefetch and interview fan-out (1: sequential).
        max_response_bytes: Larger responses raise :class:`ResponseParseError`; a larger tenant WSDL
            (``wsdl="tenant"``), :class:`ConfigurationError`.
        version: Override the API version derived from the URL.
    """

    def __init__(
        self,
        *,
        wsdl_url: str,
        username: str,
        password: str,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        verify: bool | str = True,
        allow_insecure_http: bool = False,
        include_descriptors: bool = True,
        wsdl: Literal["bundled", "tenant"] | str | Path = "bundled",
        max_concurrency: int = DEFAULT_CONCURRENCY,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        version: str | None = None,
    ) -> None:
        if not isinstance(username, str) or not username.strip():
            raise ConfigurationError("username is empty; pass the ISU's user name")
        if not isinstance(password, str) or not password:
            raise ConfigurationError("password is empty; pass the ISU's password")
        check_secret("username", username, carrier="xml")
        check_secret("password", password, carrier="xml")
        endpoint = Endpoint.from_wsdl_url(wsdl_url, version=version, allow_insecure_http=allow_insecure_http)
        user = username.strip()
        if "@" not in user:
            user = f"{user}@{endpoint.tenant}"
        self._setup(
            endpoint=endpoint,
            auth_factory=lambda _wire: UsernameTokenAuth(username=user, password=Secret(password)),
            timeouts=timeouts,
            retry=retry,
            session=session,
            verify=verify,
            include_descriptors=include_descriptors,
            wsdl=wsdl,
            max_concurrency=max_concurrency,
            max_response_bytes=max_response_bytes,
        )

    @classmethod
    def from_oauth(
        cls,
        *,
        wsdl_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        token_url: str | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        verify: bool | str = True,
        allow_insecure_http: bool = False,
        include_descriptors: bool = True,
        wsdl: Literal["bundled", "tenant"] | str | Path = "bundled",
        max_concurrency: int = DEFAULT_CONCURRENCY,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        version: str | None = None,
    ) -> RecruitingClient:
        """A client authenticated by OAuth 2.0 bearer tokens (an API Client for Integrations and a refresh token).

        Args:
            wsdl_url: The Recruiting WSDL URL.
            client_id: The API client's id.
            client_secret: The API client's secret.
            refresh_token: The non-expiring refresh token bound to the ISU.
            token_url: The token endpoint (default: ``https://{host}/ccx/oauth2/{tenant}/token``).
            timeouts: As for the constructor; the other options too.
            retry: As for the constructor.
            session: As for the constructor.
            verify: As for the constructor.
            allow_insecure_http: As for the constructor; also applies to ``token_url``.
            include_descriptors: As for the constructor.
            wsdl: As for the constructor.
            max_concurrency: As for the constructor.
            max_response_bytes: As for the constructor.
            version: As for the constructor.
        """
        for name, value in (
            ("client_id", client_id),
            ("client_secret", client_secret),
            ("refresh_token", refresh_token),
        ):
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{name} is empty")
        check_secret("client_id", client_id.strip(), carrier="header")
        check_secret("client_secret", client_secret, carrier="header")
        endpoint = Endpoint.from_wsdl_url(wsdl_url, version=version, allow_insecure_http=allow_insecure_http)
        url = token_url or endpoint.token_url
        _check_token_url(url, allow_insecure_http)
        self = cls.__new__(cls)
        self._setup(
            endpoint=endpoint,
            auth_factory=lambda wire: OAuthRefreshTokenAuth(
                client_id=client_id.strip(),
                client_secret=Secret(client_secret),
                refresh_token=Secret(refresh_token),
                token_url=url,
                wire=wire,
            ),
            timeouts=timeouts,
            retry=retry,
            session=session,
            verify=verify,
            include_descriptors=include_descriptors,
            wsdl=wsdl,
            max_concurrency=max_concurrency,
            max_response_bytes=max_response_bytes,
        )
        return self

    def _setup(
        self,
        *,
        endpoint: Endpoint,
        auth_factory: Callable[[Wire], Auth],
        timeouts: Timeouts | None,
        retry: RetryPolicy | None,
        session: requests.Session | None,
        verify: bool | str,
        include_descriptors: bool,
        wsdl: Literal["bundled", "tenant"] | str | Path,
        max_concurrency: int,
        max_response_bytes: int,
    ) -> None:
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ConfigurationError(f"max_concurrency must be 1 or more, got {max_concurrency!r}")
        self.endpoint = endpoint
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self._owns_session = session is None
        if session is None:
            session = ClientSession(max_concurrency=max_concurrency)
        session.verify = verify
        self._session = session
        self._wire = Wire(session, self.timeouts, max_bytes=max_response_bytes)
        self._auth = auth_factory(self._wire)
        wsdl_source: str | Path | None
        if wsdl == "bundled":
            wsdl_source = None
        elif wsdl == "tenant":
            wsdl_source = endpoint.wsdl_url
        else:
            wsdl_source = wsdl
        self._transport = SoapTransport(
            endpoint=endpoint,
            auth=self._auth,
            wire=self._wire,
            retry=self.retry,
            descriptors=include_descriptors,
            wsdl=wsdl_source,
            max_response_bytes=max_response_bytes,
        )
        self._executor: ThreadPoolExecutor | None = None
        self._executor_lock = threading.Lock()
        self._closed = False
        self.candidates = CandidatesService(self)
        self.job_applications = JobApplicationsService(self)
        self.interviews = InterviewsService(self)
        self.requisitions = RequisitionsService(self)
        self.job_postings = JobPostingsService(self)

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def __enter__(self) -> RecruitingClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool and worker threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        if self._owns_session:
            self._session.close()

    def __repr__(self) -> str:
        endpoint, auth = getattr(self, "endpoint", None), getattr(self, "_auth", None)
        if endpoint is None or auth is None:
            return "<RecruitingClient (not set up)>"  # a constructor's frame, shown in a traceback with its locals
        return (
            f"<RecruitingClient tenant={endpoint.tenant!r} host={endpoint.host!r} "
            f"version={endpoint.version!r} auth={auth.kind}>"
        )

    @property
    def tenant(self) -> str:
        """The tenant name from the WSDL URL."""
        return self.endpoint.tenant

    def _pool(self) -> ThreadPoolExecutor | None:
        if self.max_concurrency <= 1:
            return None
        with self._executor_lock:
            if self._closed:
                raise ConfigurationError("the client is closed")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_concurrency, thread_name_prefix="workday-recruiting"
                )
            return self._executor

    # -- calls -----------------------------------------------------------------------------------------------------

    def _call(self, operation: str, body: Mapping[str, Any]) -> etree._Element:
        if self._closed:
            raise ConfigurationError("the client is closed")
        return self._transport.call(operation, body).body

    def call(self, operation: str, request: Mapping[str, Any] | None = None) -> etree._Element:
        """Call any operation of the loaded WSDL: the escape hatch for operations not wrapped yet.

        The request is given as zeep would take it (element names as keys, references as
        ``{"ID": [{"_value_1": "CAND-1", "type": "Candidate_ID"}]}``); the version attribute and credentials are
        added. With the bundled schema only the wrapped operations exist: pass ``wsdl="tenant"`` to the client for
        the rest.

        Returns:
            The response body element (for example ``wd:Get_Candidates_Response``), for lxml.
        """
        return self._call(operation, dict(request or {}))

    def server_time(self) -> datetime:
        """The tenant's current time (``Get_Server_Timestamp``): the right upper bound for incremental windows."""
        body = self._call("Get_Server_Timestamp", {})
        element = body.find(_TIMESTAMP_DATA)
        if element is None or not element.text:
            raise ResponseParseError("Server_Timestamp has no Server_Timestamp_Data", operation="Get_Server_Timestamp")
        try:
            moment = datetime.fromisoformat(element.text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ResponseParseError(
                f"Server_Timestamp_Data is not a dateTime: {element.text.strip()[:40]!r}",
                operation="Get_Server_Timestamp",
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def check_setup(self, *, max_clock_skew: timedelta = timedelta(minutes=2)) -> SetupReport:
        """Probe each step of the Workday integration setup and say which one to fix.

        Checks that the WSDL is reachable and its API version supported, that the credentials are accepted, that
        each of the 8 security domains is granted and active (the cheapest read that needs it; probes run
        concurrently), and that the tenant's clock is within ``max_clock_skew`` of ours. Never raises for a setup
        problem: each becomes a FAIL row naming the Workday task that fixes it.

        Example:
            >>> report = client.check_setup()
            >>> report.ok, [row.title for row in report.failures]

        Returns:
            A :class:`SetupReport`; ``report.ok`` is true when no row FAILs.
        """
        from ._setup_check import run_checks

        return run_checks(self, max_clock_skew=max_clock_skew)

    def _pager(
        self,
        operation: str,
        body: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
        parse: Callable[[etree._Element], Sequence[T]],
        *,
        page_size: int,
        max_results: int | None,
        start_page: int,
        as_of: datetime | None,
    ) -> Pager[T]:
        if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ConfigurationError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size!r}")
        resolved: list[dict[str, Any]] = [] if callable(body) else [dict(body)]
        lock = threading.Lock()

        def request_body() -> dict[str, Any]:
            # A body that needs a request of its own (the tenant's clock) is built at the first page, once.
            with lock:
                if not resolved:
                    resolved.append(dict(body() if callable(body) else body))
                return resolved[0]

        def fetch(page: int, count: int, moment: datetime) -> PageResult[T]:
            request = dict(request_body())
            request["Response_Filter"] = {"As_Of_Entry_DateTime": moment, "Page": page, "Count": count}
            response = self._call(operation, request)
            try:
                return read_page(response, _Deferred(parse, response, operation))
            except ResponseParseError as exc:
                exc.operation = exc.operation or operation
                raise

        concurrency = self.max_concurrency
        return Pager(
            fetch,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=_instant(as_of, "as_of"),
            concurrency=concurrency,
            executor=self._pool(),
            operation=operation,
            retry=self.retry,
        )


def _check_token_url(url: str, allow_insecure_http: bool) -> None:
    from urllib.parse import urlsplit

    from ._config import is_loopback

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"token_url {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not (allow_insecure_http or is_loopback(parts.hostname)):
        raise ConfigurationError(f"token_url uses plain http to {parts.hostname}; use https")


# -- services ----------------------------------------------------------------------------------------------------


class _Service:
    def __init__(self, client: RecruitingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


def _candidate_criteria(
    *,
    updated_from: datetime | date | None,
    updated_to: datetime | date | None,
    email: str | None,
    name: str | tuple[str, str] | None,
    requisition: str | Reference | Iterable[str | Reference] | None,
    stage: str | Reference | Iterable[str | Reference] | None,
    applied_from: datetime | date | None,
    applied_to: datetime | date | None,
) -> tuple[dict[str, Any], datetime | None, datetime | None]:
    """Validated ``Request_Criteria`` without the change window, and the window's bounds (see :func:`_body`)."""
    u_from = _instant(updated_from, "updated_from")
    u_to = _instant(updated_to, "updated_to", end=True)
    a_from = _instant(applied_from, "applied_from")
    a_to = _instant(applied_to, "applied_to", end=True)
    _check_range(u_from, u_to, "updated_from/updated_to")
    _check_range(a_from, a_to, "applied_from/applied_to")
    first, last = _split_name(name) if name is not None else (None, None)
    if email is not None and (not isinstance(email, str) or not email.strip()):
        raise ConfigurationError("email must be a non-empty string")
    criteria = _filter(
        First_Name=first,
        Last_Name=last,
        Candidate_Email_Address=email.strip() if email else None,
        Job_Requisition_Reference=_refs(requisition, "Job_Requisition_ID"),
        Recruiting_Stage_Reference=_refs(stage, "Recruiting_Stage_ID"),
        Applied_From=a_from,
        Applied_Through=a_to,
    )
    return criteria, u_from, u_to


def _body(
    client: RecruitingClient,
    criteria: dict[str, Any],
    updated_from: datetime | None,
    updated_to: datetime | None,
    group: dict[str, Any],
) -> dict[str, Any] | Callable[[], dict[str, Any]]:
    """A Get request body; with a change window, a builder run at the first page (it may ask the tenant's clock)."""
    if updated_from is None and updated_to is None:
        return {"Request_Criteria": criteria, "Response_Group": group} if criteria else {"Response_Group": group}

    def build() -> dict[str, Any]:
        window = _log_window(client, updated_from, updated_to)
        return {"Request_Criteria": {**criteria, "Transaction_Log_Criteria_Data": window}, "Response_Group": group}

    return build


_CANDIDATE_GROUP = {"Include_Reference": True, "Exclude_All_Attachments": True}


def _parse_candidates(body: etree._Element) -> list[Candidate]:
    return [Candidate.from_xml(el) for el in _response_items(body, _CANDIDATE)]


class CandidatesService(_Service):
    """Candidates and their job applications (``Get_Candidates``)."""

    def list(
        self,
        *,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        email: str | None = None,
        name: str | tuple[str, str] | None = None,
        requisition: str | Reference | Iterable[str | Reference] | None = None,
        stage: str | Reference | Iterable[str | Reference] | None = None,
        applied_from: datetime | date | None = None,
        applied_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
        attachments: bool = False,
    ) -> Pager[Candidate]:
        """Candidates matching every given filter (all candidates when none is given), lazily, page by page.

        Args:
            updated_from: Changed at or after this moment (Workday's transaction log). A date means its start, UTC.
            updated_to: Changed at or before this moment. A date means its end, UTC.
            email: The candidate's primary email address.
            name: ``"First Last"`` or ``("First", "Last")``; Workday matches both.
            requisition: Applied to this job requisition (``R-00008`` or a WID), or any of several.
            stage: Has an application in this recruiting stage (``REVIEW``, ``INTERVIEW``...), or any of several.
            applied_from: Applied at or after this moment.
            applied_to: Applied at or before this moment.
            page_size: Records per request, 1 to 999.
            max_results: Stop after this many candidates.
            start_page: Resume from this page (with the ``as_of`` of the pager being resumed).
            as_of: The ``As_Of_Entry_DateTime`` snapshot (default: now).
            attachments: Include base64 resumes and other attachments (large; off by default).

        Raises:
            ConfigurationError: Contradictory or malformed arguments (before any request).
        """
        criteria, u_from, u_to = _candidate_criteria(
            updated_from=updated_from,
            updated_to=updated_to,
            email=email,
            name=name,
            requisition=requisition,
            stage=stage,
            applied_from=applied_from,
            applied_to=applied_to,
        )
        group = {**_CANDIDATE_GROUP, "Exclude_All_Attachments": not attachments}
        return self._client._pager(
            "Get_Candidates",
            _body(self._client, criteria, u_from, u_to, group),
            _parse_candidates,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )

    def changes(
        self, *, since: datetime | Watermark, overlap: timedelta = DEFAULT_OVERLAP, page_size: int = 100
    ) -> ChangeSet[Candidate]:
        """Candidates created or changed since ``since``, each once in its latest version, and the next watermark.

        Reads Workday's transaction log up to the tenant's clock (``Get_Server_Timestamp``), with
        ``As_Of_Entry_DateTime`` pinned to it, reaching back ``overlap`` before ``since``; versions the previous
        call already delivered (from its watermark) are left out. See ``docs/reliability.md``.

        Args:
            since: A timezone-aware datetime (first call) or the previous call's ``next_watermark``.
            overlap: How far the window reaches back before ``since``; keep it the same between calls.
            page_size: Records per request, 1 to 999.

        Raises:
            ConfigurationError: ``since`` is naive or another resource's watermark (before any request).
        """
        return collect_changes(
            resource="candidates",
            since=since,
            overlap=overlap,
            page_size=page_size,
            server_time=self._client.server_time,
            fetch=lambda lower, upper, as_of, size: self.list(
                updated_from=lower, updated_to=upper, as_of=as_of, page_size=size
            ),
            key=lambda candidate: candidate.candidate_id or candidate.reference.wid,
        )

    def get(self, candidate_id: str | Reference, *, attachments: bool = False) -> Candidate:
        """One candidate by ``Candidate_ID`` (``CAND-1187``) or WID.

        Raises:
            NotFoundError: No such candidate.
        """
        found = self.get_many([candidate_id], attachments=attachments)
        if not found:
            raise NotFoundError(f"no candidate {candidate_id!s}", operation="Get_Candidates")
        return found[0]

    def get_many(
        self, candidate_ids: Iterable[str | Reference], *, attachments: bool = False
    ) -> builtins.list[Candidate]:
        """The candidates with these IDs or WIDs that exist, in Workday's order (unknown ones are skipped)."""
        refs = _refs(builtins.list(candidate_ids), "Candidate_ID")
        if not refs:
            return []
        body = {
            "Request_References": {"Candidate_Reference": refs, "Skip_Non_Existing_Instances": True},
            "Response_Group": {**_CANDIDATE_GROUP, "Exclude_All_Attachments": not attachments},
        }
        pager = self._client._pager(
            "Get_Candidates",
            body,
            _parse_candidates,
            page_size=min(MAX_PAGE_SIZE, max(1, len(refs))),
            max_results=None,
            start_page=1,
            as_of=None,
        )
        return pager.collect()


class JobApplicationsService(_Service):
    """Job applications. Workday has no Get_Job_Applications: they are read from candidates (``Get_Candidates``)."""

    def list(
        self,
        *,
        requisition: str | Reference | Iterable[str | Reference] | None = None,
        stage: str | Reference | Iterable[str | Reference] | None = None,
        applied_from: datetime | date | None = None,
        applied_to: datetime | date | None = None,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[JobApplication]:
        """Job applications matching every given filter; each page holds the applications of one page of candidates.

        Workday filters candidates, not applications: a candidate matches when any of their applications does. This
        method then keeps only the applications that match the requisition, stage and applied filters themselves.
        ``Page.total_results`` counts candidates.
        """
        criteria, u_from, u_to = _candidate_criteria(
            updated_from=updated_from,
            updated_to=updated_to,
            email=None,
            name=None,
            requisition=requisition,
            stage=stage,
            applied_from=applied_from,
            applied_to=applied_to,
        )
        wanted_requisitions = {_ref(r, "Job_Requisition_ID")["ID"][0]["_value_1"] for r in _iter_ids(requisition)}
        wanted_stages = {_ref(s, "Recruiting_Stage_ID")["ID"][0]["_value_1"] for s in _iter_ids(stage)}
        a_from = _instant(applied_from, "applied_from")
        a_to = _instant(applied_to, "applied_to", end=True)

        def keep(application: JobApplication) -> bool:
            if wanted_requisitions and not _matches(application.requisition, wanted_requisitions):
                return False
            if wanted_stages and not _matches(application.stage, wanted_stages):
                return False
            if a_from is not None and (application.applied_at is None or application.applied_at < a_from):
                return False
            return not (a_to is not None and (application.applied_at is None or application.applied_at > a_to))

        def parse(body: etree._Element) -> list[JobApplication]:
            return [app for candidate in _parse_candidates(body) for app in candidate.applications if keep(app)]

        return self._client._pager(
            "Get_Candidates",
            _body(self._client, criteria, u_from, u_to, dict(_CANDIDATE_GROUP)),
            parse,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )


def _iter_ids(values: str | Reference | Iterable[str | Reference] | None) -> list[str | Reference]:
    if values is None:
        return []
    if isinstance(values, (str, Reference)):
        return [values]
    return list(values)


def _matches(reference: Reference | None, wanted: set[str]) -> bool:
    if reference is None:
        return False
    return bool(({reference.wid} | set(reference.ids.values())) & wanted)


class InterviewsService(_Service):
    """Interview events and sessions (``Get_Interviews``), meeting links (``Get_Web_Conference_Interview_Data``)."""

    def for_application(self, application: str | Reference | JobApplication) -> list[Interview]:
        """The interview events of one job application (``JOB_APPLICATION-6-253`` or a WID)."""
        if isinstance(application, JobApplication):
            context = {
                "application": application.reference,
                "candidate": application.candidate,
                "requisition": application.requisition,
            }
            ref: str | Reference = application.reference
        else:
            context = {"application": application if isinstance(application, Reference) else None}
            ref = application
        return self._get({"Job_Application_Reference": _ref(ref, "Job_Application_ID")}, context)

    def for_candidate(self, candidate: str | Reference, requisition: str | Reference) -> list[Interview]:
        """The interview events of a candidate for one requisition."""
        criteria = {
            "Candidate_Interview_Criteria_Data": {
                "Candidate_Reference": _ref(candidate, "Candidate_ID"),
                "Requisition_Reference": _ref(requisition, "Job_Requisition_ID"),
            }
        }
        return self._get(criteria, {})

    def _get(self, criteria: dict[str, Any], context: Mapping[str, Reference | None]) -> list[Interview]:
        pager = self._client._pager(
            "Get_Interviews",
            {"Request_Criteria": criteria, "Response_Group": {"Include_Reference": True}},
            lambda body: [Interview.from_xml(el, **context) for el in _response_items(body, _INTERVIEW)],
            page_size=100,
            max_results=None,
            start_page=1,
            as_of=None,
        )
        return pager.collect()

    def web_conference(self, interview: str | Interview) -> WebConference | None:
        """Meeting ids, URLs and interviewer contacts of an interview event, or None when Workday has none.

        Workday answers only for events in progress; for others this returns None.
        """
        wid = interview.wid if isinstance(interview, Interview) else interview
        if not wid:
            return None
        try:
            body = self._client._call(
                "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": wid}}
            )
        except (ValidationError, ProcessingError) as exc:
            if isinstance(exc, NotFoundError):
                raise
            log.debug("no web conference data for interview %s: %s", wid, exc)
            return None
        data = body.find(_RESPONSE_DATA)
        return WebConference.from_xml(data) if data is not None and len(data) else None

    def upcoming(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        days: float = 7,
        stage: str | Reference | Iterable[str | Reference] | None = None,
        requisition: str | Reference | Iterable[str | Reference] | None = None,
        meeting_links: bool = True,
        page_size: int = 100,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> Iterator[ScheduledInterview]:
        """Every interview session starting inside ``[start, end)``, with candidate, application, interviewers and link.

        Workday's Get_Interviews has no date filter, so this reads candidates (optionally narrowed by ``stage`` or
        ``requisition``), asks for the interviews of each application (``max_concurrency`` at a time), keeps the
        sessions inside the window and adds each event's web-conference data. Sessions come sorted by start time.

        Args:
            start: Window start (default: now).
            end: Window end (default: ``start + days``).
            days: Window length when ``end`` is not given.
            stage: Only applications of candidates in this recruiting stage (fewer requests on large tenants).
            requisition: Only candidates who applied to this requisition.
            meeting_links: Fetch meeting ids and links (one more request per interview event in the window). An ISU
                without the "Interview Integrations" domain gets the sessions without links, and a WARNING is logged.
            page_size: Candidates per page while scanning.
            progress: Called as ``progress(scanned, total)`` while candidates are scanned: the candidates whose
                applications were sent for, and Workday's total (``None`` until the first page arrives).
        """
        begin = _instant(start, "start") or datetime.now(timezone.utc)
        finish = _instant(end, "end") or begin + timedelta(days=days)
        _check_range(begin, finish, "start/end")
        client = self._client
        candidates = client.candidates.list(stage=stage, requisition=requisition, page_size=page_size)
        # Every application, whatever its stage or disposition: Workday keeps the events of dispositioned ones until
        # someone cancels them, and "exactly the sessions in the window" is what callers need.
        scanned = 0

        def counted() -> Iterator[Candidate]:
            nonlocal scanned
            for candidate in candidates:
                yield candidate
                scanned += 1
                if progress is not None:
                    progress(scanned, candidates.total_results)

        pairs = ((candidate, application) for candidate in counted() for application in candidate.applications)

        def interviews_of(
            pair: tuple[Candidate, JobApplication],
        ) -> tuple[Candidate, JobApplication, list[Interview]]:
            return pair[0], pair[1], self.for_application(pair[1])

        found: list[tuple[Candidate, JobApplication, Interview, Any]] = []
        pool = client._pool()
        for candidate, application, interviews in _bounded_map(pool, client.max_concurrency, interviews_of, pairs):
            for interview in interviews:
                for session in interview.sessions:
                    if session.start is not None and begin <= session.start < finish:
                        found.append((candidate, application, interview, session))
        if progress is not None:
            progress(scanned, candidates.total_results if candidates.total_results is not None else scanned)
        events = list({interview.wid: interview for _, _, interview, _ in found if interview.wid}.values())
        meetings: dict[str, WebConference | None] = {}
        if meeting_links and events:
            try:
                meetings[events[0].wid or ""] = self.web_conference(events[0])
            except PermissionDeniedError as exc:
                # Meeting links need "Interview Integrations"; without it the schedule is still worth having.
                log.warning("interviews come without meeting links: %s", exc)
            else:
                rest = events[1:]
                for interview, conference in zip(
                    rest, _bounded_map(pool, client.max_concurrency, self.web_conference, rest), strict=True
                ):
                    meetings[interview.wid or ""] = conference
        results = [
            ScheduledInterview(
                candidate=candidate,
                application=application,
                requisition=application.requisition,
                interview=interview,
                session=session,
                meeting=_meeting_for(meetings.get(interview.wid or ""), session),
            )
            for candidate, application, interview, session in found
        ]
        results.sort(key=lambda s: (s.session.start, s.candidate.candidate_id or "", s.session.wid or ""))
        return iter(results)


def _meeting_for(conference: WebConference | None, session: Any) -> Any:
    if conference is None:
        return None
    return conference.session_for(session)


class RequisitionsService(_Service):
    """Job requisitions (``Get_Job_Requisitions``), with recruiter and hiring-manager roles."""

    _GROUP: ClassVar[dict[str, bool]] = {
        "Include_Reference": True,
        "Include_Job_Requisition_Definition_Data": True,
        "Include_Job_Requisition_Restrictions_Data": True,
        "Include_Qualifications": False,
        "Include_Job_Requisition_Attachments": False,
        "Include_Organizations": True,
        "Include_Roles": True,
    }

    @staticmethod
    def _parse(body: etree._Element) -> builtins.list[JobRequisition]:
        return [JobRequisition.from_xml(el) for el in _response_items(body, _REQUISITION)]

    def list(
        self,
        *,
        status: str | Reference | Iterable[str | Reference] | None = None,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[JobRequisition]:
        """Job requisitions, optionally by status (``OPEN``, ``FILLED``...) and change window, lazily."""
        u_from = _instant(updated_from, "updated_from")
        u_to = _instant(updated_to, "updated_to", end=True)
        _check_range(u_from, u_to, "updated_from/updated_to")
        criteria = _filter(Job_Requisition_Status_Reference=_refs(status, "Job_Requisition_Status_ID"))
        return self._client._pager(
            "Get_Job_Requisitions",
            _body(self._client, criteria, u_from, u_to, dict(self._GROUP)),
            self._parse,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )

    def changes(
        self, *, since: datetime | Watermark, overlap: timedelta = DEFAULT_OVERLAP, page_size: int = 100
    ) -> ChangeSet[JobRequisition]:
        """Requisitions created or changed since ``since``, each once in its latest version, and the next watermark.

        Works as :meth:`CandidatesService.changes` (transaction log up to the tenant's clock, ``As_Of_Entry_DateTime``
        pinned to it, ``overlap`` before ``since``, repeats of the previous call's versions left out).

        Args:
            since: A timezone-aware datetime (first call) or the previous call's ``next_watermark``.
            overlap: How far the window reaches back before ``since``; keep it the same between calls.
            page_size: Records per request, 1 to 999.

        Raises:
            ConfigurationError: ``since`` is naive or another resource's watermark (before any request).
        """
        return collect_changes(
            resource="requisitions",
            since=since,
            overlap=overlap,
            page_size=page_size,
            server_time=self._client.server_time,
            fetch=lambda lower, upper, as_of, size: self.list(
                updated_from=lower, updated_to=upper, as_of=as_of, page_size=size
            ),
            key=lambda requisition: requisition.requisition_id or requisition.reference.wid,
        )

    def get(self, requisition_id: str | Reference) -> JobRequisition:
        """One job requisition by ``Job_Requisition_ID`` (``R-00008``) or WID.

        Raises:
            NotFoundError: No such requisition.
        """
        body = {
            "Request_References": {
                "Job_Requisition_Reference": [_ref(requisition_id, "Job_Requisition_ID")],
                "Skip_Non_Existing_Instances": True,
            },
            "Response_Group": dict(self._GROUP),
        }
        found = builtins.list(
            self._client._pager(
                "Get_Job_Requisitions",
                body,
                self._parse,
                page_size=1,
                max_results=1,
                start_page=1,
                as_of=None,
            )
        )
        if not found:
            raise NotFoundError(f"no job requisition {requisition_id!s}", operation="Get_Job_Requisitions")
        return found[0]


class JobPostingsService(_Service):
    """Job postings (``Get_Job_Postings``)."""

    def list(
        self, *, page_size: int = 100, max_results: int | None = None, as_of: datetime | None = None
    ) -> Pager[JobPosting]:
        """Every job posting, lazily."""
        return self._client._pager(
            "Get_Job_Postings",
            {},
            lambda body: [JobPosting.from_xml(el) for el in _response_items(body, _POSTING)],
            page_size=page_size,
            max_results=max_results,
            start_page=1,
            as_of=as_of,
        )
