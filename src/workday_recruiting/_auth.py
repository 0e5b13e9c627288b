"""Authentication: the ISU's WS-Security UsernameToken, and OAuth 2.0 refresh-token bearer tokens.

Secrets live in :class:`Secret`, whose ``repr`` and ``str`` never show the value; only the code that puts them on the
wire calls :meth:`Secret.reveal`.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

import attrs
from lxml import etree

from ._errors import (
    AuthenticationError,
    ConfigurationError,
    ResponseParseError,
    Timeout,
    TransportError,
    WorkdayError,
)
from ._http import RedactedHeaders, Withheld
from ._ns import PASSWORD_TEXT, SOAPENV, WSSE
from ._xml import NOT_XML_CHAR

if TYPE_CHECKING:
    from ._http import HttpResponse, Wire

__all__ = ["Auth", "OAuthRefreshTokenAuth", "Secret", "UsernameTokenAuth", "check_secret"]

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


#: An access token as RFC 6750 allows it in an ``Authorization: Bearer`` header (``b64token``).
_BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
#: The largest token endpoint answer read (a token response is a few hundred bytes).
MAX_TOKEN_RESPONSE_BYTES = 1 << 20


def check_secret(name: str, value: str, *, carrier: str) -> None:
    """Refuse, naming the field and never the value, a credential the wire cannot carry.

    Args:
        name: The argument's name (``"client_secret"``).
        value: Its value.
        carrier: ``"header"`` (HTTP Basic: Latin-1 only, no control characters) or ``"xml"`` (XML 1.0 characters).

    Raises:
        ConfigurationError: The value holds a character the carrier cannot send.
    """
    if carrier == "header":
        bad = not value.isprintable() or any(ord(c) > 0xFF for c in value)
        what = "HTTP authentication cannot carry (outside Latin-1, or a control character)"
    else:
        bad = NOT_XML_CHAR.search(value) is not None
        what = "XML cannot carry (a control character)"
    if bad:
        raise ConfigurationError(
            f"{name} holds a character {what}; was it pasted with a typographic quote, dash or space? "
            f"Copy {name} again from where it was issued"
        )


class Auth(Protocol):
    """How a request is authenticated."""

    kind: str

    def apply(
        self, envelope: etree._Element, headers: MutableMapping[str, str], *, deadline: float | None = None
    ) -> object:
        """Add credentials to an outgoing SOAP envelope or its HTTP headers; return what was used (for renew)."""

    def renew(self, used: object) -> bool:
        """Forget ``used`` after an authentication failure; True if trying again may succeed."""


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

    def __attrs_post_init__(self) -> None:
        check_secret("username", self.username, carrier="xml")
        check_secret("password", self.password.reveal(), carrier="xml")

    def apply(
        self, envelope: etree._Element, headers: MutableMapping[str, str], *, deadline: float | None = None
    ) -> object:
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
        return None

    def renew(self, used: object) -> bool:
        return False

    def __repr__(self) -> str:
        return f"UsernameTokenAuth(username={self.username!r}, password=********)"


@attrs.define(repr=False, eq=False)
class _Token:
    value: Secret
    renew_at: float
    expires_at: float


def renewal_leeway(lifetime: float) -> float:
    """How long before its expiry a token of ``lifetime`` seconds is renewed: a tenth of it, at most 60 s.

    A fixed 60 s would renew a 30 s token on every request; a tenth keeps a 2 s token for 1.8 s.
    """
    return min(60.0, lifetime / 10)


class OAuthRefreshTokenAuth:
    """OAuth 2.0 bearer tokens from Workday's token endpoint, by the refresh-token grant.

    The access token is cached and renewed a tenth of its lifetime (at most 60 s) before it expires, and renewed once
    more when Workday answers a request with an authentication fault or HTTP 401. Thread-safe, with one token request
    in flight at a time (single flight): while it runs, other threads keep using the current token if it has not
    expired, or wait for the new one (no longer than their own deadline).
    """

    kind = "oauth"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        token_url: str,
        wire: Wire,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        check_secret("client_id", client_id, carrier="header")
        check_secret("client_secret", client_secret.reveal(), carrier="header")
        self.client_id = client_id
        self._basic = Secret(
            "Basic " + base64.b64encode(f"{client_id}:{client_secret.reveal()}".encode("latin-1")).decode("ascii")
        )
        self._refresh_token = refresh_token
        self.token_url = token_url
        self._wire = wire
        self._clock = clock
        self._cond = threading.Condition()
        self._token: _Token | None = None
        self._fetching = False
        #: Token requests sent so far (for tests and metrics).
        self.requests = 0

    def __repr__(self) -> str:
        return f"OAuthRefreshTokenAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def apply(
        self, envelope: etree._Element, headers: MutableMapping[str, str], *, deadline: float | None = None
    ) -> object:
        token = self._current(deadline)
        headers["Authorization"] = f"Bearer {token.value.reveal()}"
        return token

    def renew(self, used: object) -> bool:
        with self._cond:
            if used is None or self._token is used:  # not when another thread has renewed it already
                self._token = None
        return True

    def access_token(self, *, deadline: float | None = None) -> Secret:
        """A valid access token, fetched or renewed as needed."""
        return self._current(deadline).value

    def _current(self, deadline: float | None) -> _Token:
        with self._cond:
            while True:
                token, now = self._token, self._clock()
                if token is not None and now < token.renew_at:
                    return token
                if not self._fetching:
                    self._fetching = True
                    break
                if token is not None and now < token.expires_at:
                    return token  # another thread is renewing it; this one is still good
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    raise Timeout("waited for the OAuth access token past the call's deadline", operation="oauth_token")
                self._cond.wait(wait)
        fresh: _Token | None = None
        try:
            fresh = self._fetch(deadline)
            return fresh
        finally:
            with self._cond:
                self._fetching = False
                if fresh is not None:
                    self._token = fresh
                self._cond.notify_all()

    def _fetch(self, deadline: float | None) -> _Token:
        log.info("requesting an OAuth access token from %s", self.token_url)
        with self._cond:
            self.requests += 1
        response = self._wire.send(
            "POST",
            self.token_url,
            operation="oauth_token",
            # Encoded here and withheld from reprs: a traceback formatted with its frames' locals shows the wire's.
            data=Withheld(urlencode({"grant_type": "refresh_token", "refresh_token": self._refresh_token.reveal()})),
            headers=RedactedHeaders(
                {
                    "Authorization": self._basic.reveal(),
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
            ),
            max_bytes=MAX_TOKEN_RESPONSE_BYTES,
            deadline=deadline,
            what="the OAuth token endpoint's answer",
        )
        outcome = _read_token(response, self._clock)
        if isinstance(outcome, WorkdayError):
            raise outcome  # from this frame, whose locals hold no token (a traceback may be shown with its locals)
        return outcome


def _read_token(response: HttpResponse, clock: Callable[[], float]) -> _Token | WorkdayError:
    """The token in the endpoint's answer, or the error to raise (returned, so that no frame holding the answer is
    part of the error's traceback)."""
    status = response.status
    payload: object = None
    try:
        payload = json.loads(response.content)
    except (ValueError, RecursionError):
        payload = None  # not JSON; JSONDecodeError holds the whole document, so it is dropped here
    if status in (400, 401, 403):
        error = payload.get("error") if isinstance(payload, dict) else None
        shown = error if isinstance(error, str) and _BEARER_TOKEN.fullmatch(error[:40]) else "no error code"
        return AuthenticationError(
            f"the OAuth token endpoint refused the credentials ({shown}); check the client id, "
            "client secret and refresh token, and that the API client is enabled for the ISU",
            operation="oauth_token",
            http_status=status,
        )
    if status >= 500 or status == 429:
        return TransportError(
            f"the OAuth token endpoint failed with HTTP {status}", operation="oauth_token", http_status=status
        )
    value = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(value, str) or status >= 300:
        return ResponseParseError(
            f"the OAuth token endpoint did not return a JSON access_token (HTTP {status})",
            operation="oauth_token",
            http_status=status,
        )
    if not _BEARER_TOKEN.fullmatch(value):
        return ResponseParseError(
            "the OAuth token endpoint returned an access token that cannot be sent in an HTTP header "
            "(characters outside RFC 6750's token alphabet)",
            operation="oauth_token",
            http_status=status,
        )
    lifetime = _lifetime(payload.get("expires_in", 3600) if isinstance(payload, dict) else 3600)
    now = clock()
    return _Token(value=Secret(value), renew_at=now + lifetime - renewal_leeway(lifetime), expires_at=now + lifetime)


def _lifetime(value: object) -> float:
    """``expires_in`` in seconds: a positive, finite number, else the usual hour."""
    try:
        lifetime = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return 3600.0
    return lifetime if 0 < lifetime < 10**9 else 3600.0
