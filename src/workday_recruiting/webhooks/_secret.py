"""The signing secret of Standard Webhooks (``whsec_`` and base64), and the errors of webhook delivery and receipt.

The secret is held by :class:`WebhookSecret`, whose ``repr()`` and ``str()`` never show it: a traceback's locals, a
log line or an error message cannot leak it. The signing itself is the ``standardwebhooks`` package's (the
``webhooks`` extra: ``pip install 'workday-recruiting[webhooks]'``), imported on first use only.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from typing import TYPE_CHECKING, Any, Final, Literal

from .._errors import ConfigurationError, WorkdayError

if TYPE_CHECKING:
    from standardwebhooks import Webhook

__all__ = [
    "SECRET_PREFIX",
    "VerificationFailure",
    "WebhookPayloadError",
    "WebhookSecret",
    "WebhookVerificationError",
    "generate_secret",
]

#: The prefix of a Standard Webhooks secret.
SECRET_PREFIX: Final = "whsec_"  # noqa: S105 - the prefix, not a secret
#: The key sizes the Standard Webhooks specification allows (bytes, after base64 decoding).
_MIN_KEY: Final = 24
_MAX_KEY: Final = 64

#: Why :func:`~workday_recruiting.webhooks.verify` refused a delivery.
VerificationFailure = Literal["too_large", "headers", "timestamp", "stale", "future", "signature", "payload"]


class WebhookVerificationError(WorkdayError):
    """A webhook delivery was refused by :func:`~workday_recruiting.webhooks.verify`: answer it with HTTP 400.

    The message says why, and never repeats the secret, the signature or the body.

    Attributes:
        reason: ``"too_large"`` (the body is over the cap), ``"headers"`` (a Standard Webhooks header is missing or
            malformed), ``"timestamp"`` (``webhook-timestamp`` is not a number), ``"stale"`` or ``"future"`` (the
            timestamp is outside the replay window), ``"signature"`` (no signature matches: forged, altered, or
            signed with another secret) or ``"payload"`` (signed, but not a change this SDK reads).
    """

    def __init__(self, message: str, *, reason: VerificationFailure) -> None:
        super().__init__(message)
        self.reason: VerificationFailure = reason


class WebhookPayloadError(WebhookVerificationError):
    """A payload that is not an interview change of a schema this SDK reads (``reason="payload"``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="payload")


def generate_secret(size: int = 32) -> str:
    """A new random signing secret: ``whsec_`` and the base64 of ``size`` random bytes (24 to 64).

    Give the same value to the watcher (``WORKDAY_WEBHOOK_SECRET``) and to the receiver.
    """
    if not _MIN_KEY <= size <= _MAX_KEY:
        raise ConfigurationError(f"a webhook secret is {_MIN_KEY} to {_MAX_KEY} bytes, not {size}")
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(size)).decode("ascii")


class WebhookSecret:
    """A Standard Webhooks signing secret: ``whsec_`` followed by the base64 of 24 to 64 bytes.

    Its value shows nowhere: ``repr()`` and ``str()`` are ``<WebhookSecret ********>``, and no error message repeats
    it. Two secrets compare equal in constant time.

    Args:
        value: The secret (``whsec_...``), or another :class:`WebhookSecret`.

    Raises:
        ConfigurationError: ``value`` is not such a secret (the message does not repeat it).
    """

    __slots__ = ("_key", "_value")

    def __init__(self, value: str | WebhookSecret) -> None:
        if isinstance(value, WebhookSecret):
            self._value: str = value._value
            self._key: bytes = value._key
            return
        if not isinstance(value, str):
            raise ConfigurationError(f"a webhook secret is a string (whsec_...), not {type(value).__name__}")
        text = value.strip()
        if not text.startswith(SECRET_PREFIX):
            raise ConfigurationError(
                "the webhook secret must start with 'whsec_' followed by base64 (Standard Webhooks); make one with "
                "workday_recruiting.webhooks.generate_secret() (the value given is not repeated here)"
            )
        encoded = text[len(SECRET_PREFIX) :]
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ConfigurationError(
                "the webhook secret is not 'whsec_' followed by valid base64 (the value given is not repeated here)"
            ) from None
        if not _MIN_KEY <= len(key) <= _MAX_KEY:
            raise ConfigurationError(
                f"the webhook secret holds {len(key)} bytes; Standard Webhooks secrets hold {_MIN_KEY} to {_MAX_KEY} "
                "(make one with workday_recruiting.webhooks.generate_secret())"
            )
        self._value = text
        self._key = key

    def reveal(self) -> str:
        """The secret itself (``whsec_...``), to hand to the receiver's configuration. Never log it."""
        return self._value

    def webhook(self) -> Webhook:
        """The ``standardwebhooks.Webhook`` of this secret, which signs and verifies.

        Raises:
            ConfigurationError: The ``standardwebhooks`` package is not installed.
        """
        return _library().Webhook(self._key)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WebhookSecret):
            return NotImplemented
        return hmac.compare_digest(self._key, other._key)

    def __hash__(self) -> int:
        return hash((WebhookSecret, len(self._key)))

    def __repr__(self) -> str:
        return "<WebhookSecret ********>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a WebhookSecret is not pickled (it would write the secret out)")


def _library() -> Any:
    try:
        import standardwebhooks
    except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
        raise ConfigurationError(
            "webhook signing needs the standardwebhooks package: pip install 'workday-recruiting[webhooks]'"
        ) from None
    return standardwebhooks
