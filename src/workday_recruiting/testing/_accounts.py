"""The fake tenant's accounts: Integration System Users, OAuth API clients and the access tokens they were issued.

:class:`Accounts` checks WS-Security log-ins and bearer tokens and answers the OAuth token endpoint; the
:class:`~workday_recruiting.testing.FakeTenant` methods ``add_isu``, ``add_oauth_client``, ``issue_access_token``
and ``expire_tokens`` are its public face.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Final

import attrs

from .._ns import PASSWORD_TEXT
from ._protocol import authentication_fault
from ._security import ALL_DOMAINS, Isu

__all__ = ["DEFAULT_ISU", "Accounts", "OAuthClient", "derived_secret"]

#: The default ISU's user name (it holds all 8 domains, activated).
DEFAULT_ISU: Final = "ISU_Recruiting"


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


@attrs.define
class _Token:
    isu: str
    expires_at: float


class Accounts:
    """The ISUs, OAuth clients and access tokens of one tenant (thread-safe)."""

    def __init__(self, tenant: str) -> None:
        self.tenant = tenant
        self._lock = threading.Lock()
        self._isus: dict[str, Isu] = {}
        self._clients: dict[str, OAuthClient] = {}
        self._tokens: dict[str, _Token] = {}

    def add_isu(
        self,
        name: str,
        password: str,
        domains: Iterable[str] = ALL_DOMAINS,
        activated: bool = True,
        password_expired: bool = False,
    ) -> Isu:
        """Create (or replace) an ISU (see :meth:`FakeTenant.add_isu`)."""
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
        self, client_id: str, client_secret: str, isu: str | Isu, refresh_token: str | None
    ) -> OAuthClient:
        """Register an API client (see :meth:`FakeTenant.add_oauth_client`)."""
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

    def issue_access_token(self, client: OAuthClient, ttl: float) -> str:
        """A new access token acting as ``client``'s ISU, expiring after ``ttl`` seconds."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = _Token(isu=client.isu, expires_at=time.monotonic() + ttl)
        return token

    def expire_tokens(self) -> None:
        """Make every access token issued so far expire now (refresh tokens stay valid)."""
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = 0.0

    def authenticate_isu(self, username: str | None, password: str | None, password_type: str) -> Isu:
        """The ISU a WS-Security UsernameToken logs in as (``user@tenant``); Workday's fault otherwise."""
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

    def authenticate_bearer(self, token: str) -> Isu | None:
        """The ISU a live access token acts as, or None."""
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None or entry.expires_at <= time.monotonic():
                return None
            isu = self._isus.get(entry.isu)
        if isu is None or isu.password_expired:
            return None
        return isu

    def token_response(
        self,
        authorization: str | None,
        form: dict[str, list[str]],
        issue: Callable[[OAuthClient], str],
        ttl: float,
    ) -> tuple[int, dict[str, object]]:
        """The token endpoint's answer (HTTP status, JSON body) to a ``refresh_token`` grant.

        Args:
            authorization: The ``Authorization`` header (HTTP Basic with the client's id and secret).
            form: The form fields.
            issue: Issues the access token (``FakeTenant.issue_access_token``, which tests may wrap).
            ttl: The token's lifetime (``expires_in``).
        """
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
        access_token = issue(client)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": int(ttl) if ttl >= 1 else ttl,
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


def derived_secret(tenant: str, seed: int, purpose: str, length: int) -> str:
    """A secret that is the same for the same ``(tenant, seed, purpose)``: the fake's default credentials."""
    digest = hashlib.sha256(f"workday-recruiting-fake:{tenant}:{seed}:{purpose}".encode()).digest()
    text = base64.b32encode(digest).decode("ascii").rstrip("=")
    mixed = "".join(ch.lower() if i % 3 == 0 else ch for i, ch in enumerate(text))
    return mixed[:length]
