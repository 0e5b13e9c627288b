"""``RecruitingClient``: composes the wire, the transport, the requestor and the services; owns their lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lxml import etree

from ._auth import Auth, OAuthRefreshTokenAuth, Secret, UsernameTokenAuth, check_secret
from ._config import Endpoint, RetryPolicy, Timeouts
from ._errors import ConfigurationError
from ._http import ClientSession, Wire
from ._setup_probes import SetupTarget, run_checks
from ._soap import DEFAULT_MAX_RESPONSE_BYTES, Held, SoapTransport
from .services import (
    CandidatesService,
    InterviewsService,
    JobApplicationsService,
    JobPostingsService,
    Requestor,
    RequisitionsService,
    server_time,
)

if TYPE_CHECKING:
    import requests

    from ._setup_report import SetupReport

__all__ = ["RecruitingClient"]

#: Concurrent requests per client by default: parallel enough to hide latency, gentle enough for a tenant. Workday
#: publishes no concurrency limit (its throttling is per tenant, shared by every integration of the tenant, and
#: answered with HTTP 500, 429 or 503); four requests in flight per client hide most of the latency of paged and
#: fanned-out reads (docs/performance.md has the figures) and leave room for the customer's other integrations.
#: Raise ``max_concurrency`` per tenant where that is known to be safe.
DEFAULT_CONCURRENCY = 4


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
        self._requestor = Requestor(
            self._send, retry=retry or RetryPolicy(), max_concurrency=max_concurrency, send_held=self._send_held
        )
        self.endpoint = endpoint
        self.timeouts = timeouts or Timeouts()
        self.retry = self._requestor.retry
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
        owner = repr(self)
        self.candidates = CandidatesService(self._requestor, owner=owner)
        self.job_applications = JobApplicationsService(self._requestor, owner=owner)
        self.interviews = InterviewsService(self._requestor, self.candidates, owner=owner, tenant=endpoint.tenant)
        self.requisitions = RequisitionsService(self._requestor, owner=owner)
        self.job_postings = JobPostingsService(self._requestor, owner=owner)

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def __enter__(self) -> RecruitingClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool and worker threads. Idempotent."""
        if self._requestor.closed:
            return
        self._requestor.close()
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

    @property
    def max_concurrency(self) -> int:
        """Requests in flight at once for page prefetch and fan-out (the constructor's ``max_concurrency``)."""
        return self._requestor.max_concurrency

    # -- calls -----------------------------------------------------------------------------------------------------

    def _send(self, operation: str, body: Mapping[str, Any]) -> etree._Element:
        return self._transport.call(operation, body).body

    def _send_held(self, operation: str, body: Mapping[str, Any]) -> Held:
        return self._transport.call_held(operation, body)

    def call(self, operation: str, request: Mapping[str, Any] | None = None) -> etree._Element:
        """Call any operation of the loaded WSDL: the escape hatch for operations not wrapped yet.

        The request is given as zeep would take it (element names as keys, references as
        ``{"ID": [{"_value_1": "CAND-1", "type": "Candidate_ID"}]}``); the version attribute and credentials are
        added. With the bundled schema only the wrapped operations exist: pass ``wsdl="tenant"`` to the client for
        the rest.

        Returns:
            The response body element (for example ``wd:Get_Candidates_Response``), for lxml.
        """
        return self._requestor.call(operation, dict(request or {}))

    def server_time(self) -> datetime:
        """The tenant's current time (``Get_Server_Timestamp``): the right upper bound for incremental windows."""
        return server_time(self._requestor)

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
        target = SetupTarget(endpoint=self.endpoint, auth=self._auth, wire=self._wire, requestor=self._requestor)
        return run_checks(target, max_clock_skew=max_clock_skew)


def _check_token_url(url: str, allow_insecure_http: bool) -> None:
    from urllib.parse import urlsplit

    from ._config import is_loopback

    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"token_url {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not (allow_insecure_http or is_loopback(parts.hostname)):
        raise ConfigurationError(f"token_url uses plain http to {parts.hostname}; use https")
