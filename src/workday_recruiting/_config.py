"""Client configuration: the endpoint parsed from the WSDL URL an admin pastes, timeouts and the retry policy."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import attrs

from ._errors import ConfigurationError
from ._ns import API_VERSION, SERVICE

__all__ = ["Endpoint", "RetryPolicy", "Timeouts"]

_VERSION_RE = re.compile(r"^v(\d{1,3})\.(\d{1,2})$")
_TENANT_RE = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
#: The oldest version whose response shapes the parsers read (v34.0 is covered by real captures).
OLDEST_SUPPORTED_VERSION = (34, 0)


def _version_tuple(version: str) -> tuple[int, int]:
    match = _VERSION_RE.match(version)
    if not match:
        raise ConfigurationError(f"{version!r} is not a Workday API version; expected something like {API_VERSION!r}")
    return int(match.group(1)), int(match.group(2))


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (where plain http is allowed by default)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@attrs.frozen
class Endpoint:
    """Where a tenant's Recruiting service lives, derived from its WSDL URL.

    Attributes:
        base_url: Scheme and host, e.g. ``https://wd5-services1.myworkday.com``.
        tenant: The tenant name, e.g. ``acme``.
        version: The API version requests are sent with, e.g. ``v45.2``.
    """

    base_url: str
    tenant: str
    version: str = API_VERSION

    @property
    def service_url(self) -> str:
        """The SOAP endpoint: ``{base}/ccx/service/{tenant}/Recruiting/{version}``."""
        return f"{self.base_url}/ccx/service/{self.tenant}/{SERVICE}/{self.version}"

    @property
    def wsdl_url(self) -> str:
        """The tenant's WSDL for this version."""
        return f"{self.service_url}?wsdl"

    @property
    def token_url(self) -> str:
        """The tenant's OAuth 2.0 token endpoint (``/ccx/oauth2/{tenant}/token``)."""
        return f"{self.base_url}/ccx/oauth2/{self.tenant}/token"

    @property
    def host(self) -> str:
        """The host name, without scheme or port (an IPv6 address without its brackets: ``::1``)."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def version_supported(self) -> bool:
        """Whether this SDK parses responses of this API version (v34.0 up to the bundled v45.2)."""
        return OLDEST_SUPPORTED_VERSION <= _version_tuple(self.version) <= _version_tuple(API_VERSION)

    @classmethod
    def from_wsdl_url(cls, url: str, *, version: str | None = None, allow_insecure_http: bool = False) -> Endpoint:
        """Parse any WSDL URL shape an admin pastes.

        Accepts the URL with or without the version, with or without ``?wsdl``, with a trailing slash, on any
        Workday host (``wd5-services1.myworkday.com``, ``impl-services1.wd12.myworkday.com``, ...).

        Args:
            url: The Recruiting WSDL URL, e.g. ``https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting``.
            version: Override the API version (default: the URL's, else the bundled ``v45.2``).
            allow_insecure_http: Allow ``http://`` to hosts other than loopback.

        Raises:
            ConfigurationError: The URL is not a Workday Recruiting URL; the message says what is wrong.
        """
        if not isinstance(url, str) or not url.strip():
            raise ConfigurationError(
                "wsdl_url is empty; paste the Recruiting WSDL URL from Workday's Public Web Services report"
            )
        raw = url.strip()
        try:
            parts = urlsplit(raw)
            port = parts.port
        except ValueError as exc:  # an unclosed "[", a port that is not a number from 0 to 65535
            raise ConfigurationError(f"wsdl_url is not a valid URL ({exc}): {raw[:80]!r}") from None
        if parts.scheme not in ("https", "http"):
            raise ConfigurationError(
                f"wsdl_url must start with https:// (got {raw[:80]!r}); copy it from the Public Web Services report"
            )
        if not parts.hostname:
            raise ConfigurationError(f"wsdl_url has no host: {raw[:80]!r}")
        if parts.username or parts.password:
            raise ConfigurationError("wsdl_url must not contain credentials; pass username and password separately")
        if parts.scheme == "http" and not (allow_insecure_http or is_loopback(parts.hostname)):
            raise ConfigurationError(
                f"wsdl_url uses plain http to {parts.hostname}; Workday is served over https "
                "(pass allow_insecure_http=True only for a test server you control)"
            )
        if parts.query and parts.query.lower() not in ("wsdl", "wsdl="):
            raise ConfigurationError(f"wsdl_url has an unexpected query {parts.query!r}; expected nothing or '?wsdl'")
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) < 4 or segments[0] != "ccx" or segments[1] != "service":
            raise ConfigurationError(
                f"wsdl_url path {parts.path!r} is not a Workday web service path; expected "
                f"/ccx/service/<tenant>/{SERVICE}[/<version>]"
            )
        tenant, service, rest = segments[2], segments[3], segments[4:]
        if not _TENANT_RE.match(tenant):
            raise ConfigurationError(f"{tenant!r} is not a valid Workday tenant name")
        if service != SERVICE:
            raise ConfigurationError(
                f"wsdl_url points at the {service!r} service; this SDK needs the {SERVICE} service "
                f"(/ccx/service/{tenant}/{SERVICE})"
            )
        url_version: str | None = None
        if len(rest) == 1:
            url_version = rest[0]
            _version_tuple(url_version)
        elif rest:
            raise ConfigurationError(f"wsdl_url has unexpected path segments after the version: {'/'.join(rest[1:])!r}")
        chosen = version or url_version or API_VERSION
        _version_tuple(chosen)
        return cls(base_url=_origin(parts.scheme, parts.hostname, port), tenant=tenant, version=chosen)


def _origin(scheme: str, host: str, port: int | None) -> str:
    """``scheme://host[:port]``, an IPv6 literal in brackets (``http://[::1]:8080``) as a URL needs it."""
    netloc = f"[{host}]" if ":" in host else host
    return f"{scheme}://{netloc}:{port}" if port else f"{scheme}://{netloc}"


def _optional_positive(instance: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is not None and not value > 0:
        raise ValueError(f"'{attribute.name}' must be > 0 or None: {value!r}")


@attrs.frozen
class Timeouts:
    """Timeouts in seconds, applied to every HTTP request (zeep's own default is none).

    Attributes:
        connect: Longest wait for a connection to be made.
        read: Longest wait for the next bytes of a response (between two reads of the socket).
        total: Wall-clock limit of one attempt: connecting, sending, the headers and the whole body. A server that
            trickles a byte at a time never trips ``read``; this cuts it off. Default: ``connect + read``. An attempt
            never runs past the retry policy's ``deadline`` either.
    """

    connect: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    read: float = attrs.field(default=120.0, validator=attrs.validators.gt(0))
    total: float | None = attrs.field(default=None, validator=_optional_positive)

    @property
    def attempt(self) -> float:
        """The wall-clock limit of one attempt: ``total``, or ``connect + read``."""
        return self.total if self.total is not None else self.connect + self.read

    def as_requests(self) -> tuple[float, float]:
        """The ``(connect, read)`` pair requests takes."""
        return (self.connect, self.read)


@attrs.frozen
class RetryPolicy:
    """How transient failures are retried: a value, turned into tenacity settings in one place (``_retry.py``).

    Only transient failures are retried: connection errors, timeouts, HTTP 502/503/504, HTTP 429 (honouring
    ``Retry-After``), truncated responses and Workday's throttling fault. Authentication, permission and validation
    faults never are.

    Attributes:
        attempts: Total tries per request, the first included (1 disables retrying).
        deadline: Total seconds one request may take across all its tries and waits.
        initial_backoff: The first wait, doubled after each try (with jitter).
        max_backoff: The longest single wait.
        jitter: Up to this many seconds of random jitter added to each wait.
        max_retry_after: The longest ``Retry-After`` honoured; longer ones give up at once.
    """

    attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    deadline: float = attrs.field(default=300.0, validator=attrs.validators.gt(0))
    initial_backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_backoff: float = attrs.field(default=30.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_retry_after: float = attrs.field(default=120.0, validator=attrs.validators.ge(0))

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(attempts=1)
