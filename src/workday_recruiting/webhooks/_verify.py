"""The receiving side: :func:`verify` checks a delivery's Standard Webhooks signature and returns the typed change.

It works with any framework: give it the raw body (bytes, before any JSON parsing), the request's headers in any
shape (a mapping, a list of pairs as ASGI has them, even a WSGI ``environ``) and the secret. See ``docs/push.md``
for receivers under WSGI and ASGI.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, Final

from .._errors import ConfigurationError
from ._payload import DeliveredChange
from ._secret import WebhookSecret, WebhookVerificationError, _library

__all__ = ["MAX_BODY_BYTES", "TOLERANCE", "verify"]

#: The largest body :func:`verify` accepts by default; a change's payload is a few kilobytes.
MAX_BODY_BYTES: Final = 256 * 1024
#: The replay window: a delivery whose ``webhook-timestamp`` is further than this from the receiver's clock is
#: refused. Five minutes is the Standard Webhooks recommendation, and the ``standardwebhooks`` library's own limit.
TOLERANCE: Final = timedelta(minutes=5)
_HEADERS: Final = ("webhook-id", "webhook-timestamp", "webhook-signature")

HeaderSource = Mapping[Any, Any] | Iterable[tuple[Any, Any]]


def verify(
    body: bytes | bytearray | memoryview | str,
    headers: HeaderSource,
    secret: str | WebhookSecret | Sequence[str | WebhookSecret],
    *,
    max_bytes: int = MAX_BODY_BYTES,
    tolerance: timedelta = TOLERANCE,
) -> DeliveredChange:
    """Check a webhook delivery and return its change; raise :class:`WebhookVerificationError` if it is not genuine.

    The checks, in order: the body's size, the three Standard Webhooks headers, the timestamp's replay window,
    the HMAC-SHA256 signature (by the ``standardwebhooks`` library, in constant time), and last the payload (only a
    signed body is parsed). A genuine delivery can still arrive twice (the sender retries until it sees a 2xx):
    deduplicate on :attr:`DeliveredChange.id`.

    Args:
        body: The request body exactly as received (read at most ``max_bytes + 1`` bytes of it).
        headers: The request headers: a mapping (any case), a list of ``(name, value)`` pairs (ASGI's bytes too), or
            a WSGI ``environ`` (``HTTP_WEBHOOK_ID`` ...).
        secret: The ``whsec_...`` secret, or several (while rotating secrets: any one that matches).
        max_bytes: The largest body accepted.
        tolerance: The replay window, at most 5 minutes (the library's limit).

    Returns:
        The change, typed.

    Raises:
        WebhookVerificationError: The delivery is refused (answer HTTP 400); :attr:`~WebhookVerificationError.reason`
            says why.
        ConfigurationError: A malformed secret or argument (a fault of the receiver, not of the delivery).
    """
    keys = _secrets(secret)
    if not timedelta(0) < tolerance <= TOLERANCE:
        raise ConfigurationError(f"tolerance must be above 0 and at most {TOLERANCE} (the library's limit)")
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    if len(raw) > max_bytes:
        raise WebhookVerificationError(
            f"the body is {len(raw):,} bytes, over the {max_bytes:,}-byte limit", reason="too_large"
        )
    found = _normalised(headers)
    missing = [name for name in _HEADERS if not found.get(name)]
    if missing:
        raise WebhookVerificationError(
            f"not a Standard Webhooks delivery: the {', '.join(missing)} header(s) are missing", reason="headers"
        )
    stamp = found["webhook-timestamp"].strip()
    if not stamp.isdigit() or len(stamp) > 12:
        raise WebhookVerificationError("webhook-timestamp is not a number of seconds", reason="timestamp")
    skew = int(stamp) - time.time()
    window = tolerance.total_seconds()
    if skew < -window:
        raise WebhookVerificationError(
            f"the delivery is {-skew:.0f} s old, outside the {window:.0f}-second replay window (a replay, or the "
            "sender's clock is off)",
            reason="stale",
        )
    if skew > window:
        raise WebhookVerificationError(
            f"the delivery's timestamp is {skew:.0f} s in the future, outside the {window:.0f}-second window "
            "(a clock is off)",
            reason="future",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookVerificationError(
            "the body is not UTF-8, so no signature matches it", reason="signature"
        ) from None
    wanted = {name: found[name] for name in _HEADERS}
    library = _library()
    for key in keys:
        try:
            key.webhook().verify(text, wanted, json_parse=False)
        except library.WebhookVerificationError as exc:
            message = str(exc).lower()
            if "too old" in message:
                raise WebhookVerificationError("the delivery is outside the replay window", reason="stale") from None
            if "too new" in message:
                raise WebhookVerificationError("the delivery's timestamp is in the future", reason="future") from None
            continue
        except (ValueError, TypeError):  # a malformed webhook-signature ("v1" without a comma, bad base64)
            raise WebhookVerificationError("webhook-signature is malformed", reason="headers") from None
        break
    else:
        raise WebhookVerificationError(
            "no signature matches: the body or headers were altered, or it was signed with another secret",
            reason="signature",
        )
    change = DeliveredChange.from_json(text)
    if change.id != wanted["webhook-id"]:
        raise WebhookVerificationError("the webhook-id header is not the payload's change id", reason="payload")
    return change


def _secrets(secret: str | WebhookSecret | Sequence[str | WebhookSecret]) -> list[WebhookSecret]:
    if isinstance(secret, (str, WebhookSecret)):
        return [WebhookSecret(secret)]
    keys = [WebhookSecret(item) for item in secret]
    if not keys:
        raise ConfigurationError("verify() needs at least one webhook secret")
    return keys


def _normalised(headers: HeaderSource) -> dict[str, str]:
    """Header name (lower case, ``-``, without a WSGI ``HTTP_`` prefix) -> value, from any of the shapes above."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in pairs:
        key = (name.decode("latin-1") if isinstance(name, (bytes, bytearray)) else str(name)).lower()
        key = key.replace("_", "-").removeprefix("http-")
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("latin-1")
        if isinstance(value, str) and key not in out:
            out[key] = value
    return out
