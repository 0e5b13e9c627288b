"""Authentication: the ISU's WS-Security UsernameToken, and OAuth 2.0 refresh-token bearer tokens.

Secrets live in :class:`Secret`, whose ``repr`` and ``str`` never show the value; only the code that puts them on the
wire calls :meth:`Secret.reveal`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Protocol

import attrs
import requests
from lxml import etree

from ._errors import AuthenticationError, ConnectError, ResponseParseError, Timeout, TransportError, WorkdayError
from ._ns import PASSWORD_TEXT, SOAPENV, WSSE

__all__ = ["Auth", "OAuthRefreshTokenAuth", "Secret", "UsernameTokenAuth"]

log = logging.getLogger("workday_recruiting")


class Secret:
    """A string that never shows itself in reprs, logs or exception messages."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise TypeError("a secret must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        """The secret value; call only where it goes on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("secrets are not picklable")


class Auth(Protocol):
    """How a request is authenticated."""

    kind: str

    def apply(self, envelope: etree._Element, headers: MutableMapping[str, str]) -> None:
        """Add credentials to an outgoing SOAP envelope or its HTTP headers."""

    def renew(self) -> bool:
        """Forget cached credentials after an authentication failure; True if trying again may succeed."""


@attrs.define(repr=False)
class UsernameTokenAuth:
    """WS-Security UsernameToken with PasswordText, as Workday's ISUs use.

    Args:
        username: ``user@tenant`` (the client appends ``@tenant`` when missing).
        password: The ISU's password.
    """

    username: str
    password: Secret
    kind: str = "isu"

    def apply(self, envelope: etree._Element, headers: MutableMapping[str, str]) -> None:
        header = envelope.find(f"{{{SOAPENV}}}Header")
        if header is None:
            header = etree.Element(f"{{{SOAPENV}}}Header")
            envelope.insert(0, header)
        security = etree.SubElement(
            header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE}, attrib={f"{{{SOAPENV}}}mustUnderstand": "1"}
        )
        token = etree.SubElement(security, f"{{{WSSE}}}UsernameToken")
        etree.SubElement(token, f"{{{WSSE}}}Username").text = self.username
        password = etree.SubElement(token, f"{{{WSSE}}}Password", Type=PASSWORD_TEXT)
        password.text = self.password.reveal()

    def renew(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"UsernameTokenAuth(username={self.username!r}, password=********)"


@attrs.define(repr=False)
class _Token:
    value: Secret
    expires_at: float


class OAuthRefreshTokenAuth:
    """OAuth 2.0 bearer tokens from Workday's token endpoint, by the refresh-token grant.

    The access token is cached, renewed ``leeway`` seconds before it expires, and renewed once more when Workday
    answers a request with an authentication fault or HTTP 401. Thread-safe.
    """

    kind = "oauth"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        token_url: str,
        session: requests.Session,
        timeout: tuple[float, float],
        leeway: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self.token_url = token_url
        self._session = session
        self._timeout = timeout
        self._leeway = leeway
        self._clock = clock
        self._lock = threading.Lock()
        self._token: _Token | None = None

    def __repr__(self) -> str:
        return f"OAuthRefreshTokenAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def apply(self, envelope: etree._Element, headers: MutableMapping[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.access_token().reveal()}"

    def renew(self) -> bool:
        with self._lock:
            self._token = None
        return True

    def access_token(self) -> Secret:
        """A valid access token, fetched or renewed as needed."""
        with self._lock:
            token = self._token
            if token is None or self._clock() >= token.expires_at - self._leeway:
                token = self._token = self._fetch()
            return token.value

    def _fetch(self) -> _Token:
        log.info("requesting an OAuth access token from %s", self.token_url)
        failure: WorkdayError | None = None
        try:
            response = self._session.post(
                self.token_url,
                data={"grant_type": "refresh_token", "refresh_token": self._refresh_token.reveal()},
                auth=(self.client_id, self._client_secret.reveal()),
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except requests.Timeout:
            failure = Timeout("the OAuth token endpoint did not answer in time", operation="oauth_token")
        except requests.RequestException as exc:
            failure = ConnectError(
                f"could not reach the OAuth token endpoint ({type(exc).__name__})", operation="oauth_token"
            )
        if failure is not None:
            # Raised outside the except block: requests' exception holds the prepared request (refresh token, client
            # secret) and must not ride along as __context__.
            raise failure
        status = response.status_code
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if status in (400, 401, 403):
            error = payload.get("error") if isinstance(payload, dict) else None
            raise AuthenticationError(
                f"the OAuth token endpoint refused the credentials ({error or 'no error code'}); check the client id, "
                "client secret and refresh token, and that the API client is enabled for the ISU",
                operation="oauth_token",
                http_status=status,
            )
        if status >= 500 or status == 429:
            raise TransportError(
                f"the OAuth token endpoint failed with HTTP {status}",
                operation="oauth_token",
                http_status=status,
            )
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
            raise ResponseParseError(
                "the OAuth token endpoint did not return a JSON access_token",
                operation="oauth_token",
                http_status=status,
            )
        expires_in = payload.get("expires_in", 3600)
        try:
            lifetime = float(expires_in)
        except (TypeError, ValueError):
            lifetime = 3600.0
        return _Token(value=Secret(payload["access_token"]), expires_at=self._clock() + lifetime)
