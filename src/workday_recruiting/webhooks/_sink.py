"""Where delivered changes go: the :class:`Sink` protocol, and :class:`WebhookSink`, a signed POST per change.

:class:`WebhookSink` sends each change as one ``POST`` of its JSON payload through the SDK's one seam to the wire
(:class:`~workday_recruiting._http.Wire`: no redirect followed, the answer's body capped, every attempt bounded in
time), signed per the Standard Webhooks specification by the ``standardwebhooks`` library:

* ``webhook-id``: the change ID (the same on every retry, so a receiver deduplicates on it);
* ``webhook-timestamp``: the attempt's time, in seconds;
* ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body`` under the secret.

What the receiver's answer means (:class:`SendResult`): a 2xx accepts the change; a connection error, a timeout,
408, 429 and 5xx ask for a retry (``Retry-After`` honoured); any other answer (another 4xx, a redirect) refuses it
for good, and the change becomes a dead letter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Final, Literal, Protocol
from urllib.parse import urlsplit

import attrs

from .._config import Timeouts, is_loopback
from .._errors import ConfigurationError, RedirectError, TransportError, WorkdayError
from .._http import ClientSession, Wire, parse_retry_after
from ._secret import WebhookSecret

if TYPE_CHECKING:
    from ..feed._changes import InterviewChange

__all__ = ["DEFAULT_TIMEOUTS", "SendResult", "Sink", "WebhookSink"]

log = logging.getLogger("workday_recruiting")

#: How long a receiver may take: to accept the connection, between bytes, and in all.
DEFAULT_TIMEOUTS: Final = Timeouts(connect=5.0, read=20.0, total=30.0)
#: How much of a receiver's answer is read (the rest is ignored: only the status matters).
_ANSWER_BYTES: Final = 16 * 1024
#: Statuses that ask for a retry besides 5xx.
_RETRY_STATUSES: Final = frozenset({408, 429})
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]+")


@attrs.frozen
class SendResult:
    """What a sink made of one change.

    Attributes:
        outcome: ``"accepted"`` (acknowledge it), ``"retry"`` (send it again later) or ``"refused"`` (never:
            park it as a dead letter).
        detail: What happened, for the outbox's ``last_error`` and the logs (``HTTP 503: ...``); never a secret.
        status: The receiver's HTTP status, when it answered.
        retry_after: The receiver's ``Retry-After``, in seconds, when it sent one.
    """

    outcome: Literal["accepted", "retry", "refused"]
    detail: str
    status: int | None = None
    retry_after: float | None = None


class Sink(Protocol):
    """Anything that takes changes one at a time: :meth:`InterviewFeed.deliver` hands it each change in order.

    ``send`` returns a :class:`SendResult`; a retryable :class:`~workday_recruiting.WorkdayError` it raises counts as
    ``"retry"``, any other exception stops the delivery (the change stays pending).
    """

    def send(self, change: InterviewChange) -> SendResult:
        """Deliver one change."""
        ...


class WebhookSink:
    """POST each change, signed per Standard Webhooks, to a receiver's URL.

    Args:
        url: The receiver (``https://``; plain ``http://`` only to a loopback host, or with ``allow_insecure_http``).
            No user name or password in it: the signature authenticates the sender.
        secret: The signing secret, ``whsec_`` and base64 (see :func:`generate_secret`); shown nowhere.
        allow_insecure_http: Allow ``http://`` to a host that is not loopback (a test receiver you control).
        timeouts: Connect, read and per-attempt limits (default :data:`DEFAULT_TIMEOUTS`).
        headers: Extra request headers (an API gateway's key, say; not ``webhook-*``, ``Content-Type`` or ``Host``).

    Raises:
        ConfigurationError: A malformed URL or secret, plain http where it is not allowed, or a refused header.

    Example:
        >>> from workday_recruiting.webhooks import WebhookSink
        >>> with WebhookSink("https://hooks.example.com/workday", secret) as sink:  # doctest: +SKIP
        ...     report = feed.deliver(sink)
    """

    def __init__(
        self,
        url: str,
        secret: str | WebhookSecret,
        *,
        allow_insecure_http: bool = False,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = check_url(url, allow_insecure_http=allow_insecure_http)
        self._secret = WebhookSecret(secret)
        self._signer = self._secret.webhook()
        extra = dict(headers or {})
        refused = [
            name
            for name in extra
            if name.lower().startswith("webhook-") or name.lower() in ("content-type", "content-length", "host")
        ]
        if refused:
            raise ConfigurationError(f"the webhook sink sets these headers itself: {', '.join(sorted(refused))}")
        self._headers = extra
        self._session = ClientSession()
        self._wire = Wire(self._session, timeouts, max_bytes=_ANSWER_BYTES)

    def __repr__(self) -> str:
        return f"<WebhookSink {self.url} secret=********>"

    def __enter__(self) -> WebhookSink:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the sink's connections."""
        self._session.close()

    def send(self, change: InterviewChange) -> SendResult:
        """POST ``change`` (its :meth:`~workday_recruiting.feed.InterviewChange.to_json`), signed; see the module."""
        return self.post(change.id, change.to_json())

    def signed_headers(self, message_id: str, body: str, *, timestamp: datetime | None = None) -> dict[str, str]:
        """The headers of a delivery of ``body`` under ``message_id``: ``webhook-id``, ``-timestamp``, ``-signature``.

        ``timestamp`` defaults to now; it is sent (and signed) in whole seconds.
        """
        moment = (timestamp or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        return {
            "webhook-id": message_id,
            "webhook-timestamp": str(int(moment.timestamp())),
            "webhook-signature": self._signer.sign(message_id, moment, body),
        }

    def post(self, message_id: str, body: str, *, timestamp: datetime | None = None) -> SendResult:
        """POST one JSON ``body`` signed under ``message_id`` and say what the answer means (never raises for an
        answer, a refused connection or a timeout).

        Raises:
            ConfigurationError: The request cannot be sent at all (a header HTTP cannot carry).
        """
        headers = {
            **self._headers,
            "Content-Type": "application/json",
            **self.signed_headers(message_id, body, timestamp=timestamp),
        }
        try:
            answer = self._wire.send(
                "POST",
                self.url,
                operation="webhook",
                data=body.encode("utf-8"),
                headers=headers,
                truncate=True,
                what="the receiver's answer",
            )
        except RedirectError as exc:
            where = f" to {exc.location}" if exc.location else ""
            return SendResult(
                "refused", f"HTTP {exc.http_status} redirect{where}: not followed", status=exc.http_status
            )
        except ConfigurationError:
            raise
        except TransportError as exc:
            return SendResult("retry", _clean(exc.message))
        except WorkdayError as exc:  # an answer that cannot be read (a broken Content-Encoding)
            return SendResult("retry" if exc.is_retryable else "refused", _clean(exc.message))
        status = answer.status
        snippet = _clean(answer.content[:200].decode("utf-8", "replace"))
        detail = f"HTTP {status}" + (f": {snippet}" if snippet else "")
        if 200 <= status < 300:
            return SendResult("accepted", f"HTTP {status}", status=status)
        if status in _RETRY_STATUSES or 500 <= status < 600:
            return SendResult(
                "retry", detail, status=status, retry_after=parse_retry_after(answer.header("Retry-After"))
            )
        return SendResult("refused", detail, status=status)


def check_url(url: str, *, allow_insecure_http: bool = False) -> str:
    """``url`` if it is a usable webhook URL, else :class:`ConfigurationError` saying why.

    A webhook URL is ``https://`` (or ``http://`` to a loopback host, or anywhere with ``allow_insecure_http``), has a
    host, and carries no user name, password or fragment.
    """
    if not isinstance(url, str) or not url.strip():
        raise ConfigurationError("the webhook URL is empty")
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise ConfigurationError("the webhook URL is malformed") from None
    if parts.scheme not in ("https", "http"):
        raise ConfigurationError(f"the webhook URL must be https:// (got {parts.scheme or 'no'} scheme)")
    if not parts.hostname:
        raise ConfigurationError("the webhook URL has no host")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(
            "the webhook URL must not hold a user name or password (the signature authenticates the sender)"
        )
    if parts.fragment:
        raise ConfigurationError("the webhook URL must not have a #fragment")
    if parts.scheme == "http" and not (allow_insecure_http or is_loopback(parts.hostname)):
        raise ConfigurationError(
            f"the webhook URL {url} is plain http to a host that is not loopback: use https, or pass "
            "allow_insecure_http=True only for a test receiver you control"
        )
    return url


def _clean(text: str) -> str:
    """One line of at most 200 characters, no control characters."""
    line = _CONTROL.sub(" ", text).strip()
    return line if len(line) <= 200 else line[:199] + "…"
