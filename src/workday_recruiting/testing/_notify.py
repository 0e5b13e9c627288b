"""FakeTenant's outbound notifications: what Workday's External Endpoints subscriptions do, with an invented body.

A tenant can push a notification to a subscriber URL when a business process or a transaction happens (Edit
Subscriptions -> External Endpoints, or ``Put_Subscription``: a subscriber URL, a user name and a password). Workday
does not publish the body of those notifications, so the fake sends one of its own invention, shaped like Workday's
XML, and a client must treat it as a hint (as ``workday_recruiting.webhooks`` does)::

    <wd:Notification xmlns:wd="urn:com.workday/bsvc" wd:Tenant="acme">
      <wd:Notification_ID>acme-notification-000001</wd:Notification_ID>
      <wd:Sent_Moment>2026-12-01T09:30:00.123+00:00</wd:Sent_Moment>
      <wd:Transaction_Type>Interview Event Changed</wd:Transaction_Type>
      <wd:Subject_Reference><wd:ID wd:type="WID">(the event's or candidate's WID)</wd:ID></wd:Subject_Reference>
      <wd:Candidate_Reference>
        <wd:ID wd:type="WID">(the candidate's WID)</wd:ID><wd:ID wd:type="Candidate_ID">CAND-1187</wd:ID>
      </wd:Candidate_Reference>
    </wd:Notification>

Every edit of an interview or a candidate through :attr:`FakeTenant.dataset` (``add_interview``,
``update_interview``, ``add_candidate``, ``update_candidate``, ``add_application``, ``update_application``) is
sent, once, to every subscription, from one background thread in the order of the edits, as an HTTP ``POST`` with
Basic credentials (the fake's own client, ``urllib.request``: no redirect followed, no proxy, a 5-second timeout).
A failed notification is not retried (whether Workday retries is not documented); each outcome is logged in
:attr:`FakeTenant.notifications`.
"""

from __future__ import annotations

import base64
import itertools
import queue
import threading
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Final, Protocol
from xml.sax.saxutils import escape, quoteattr

import attrs

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["Notifications", "SentNotification", "Subscription"]

_TIMEOUT: Final = 5.0
_TYPES: Final = {"interview": "Interview Event Changed", "candidate": "Candidate Changed"}


@attrs.frozen
class Subscription:
    """An external endpoint subscribed to the fake tenant's notifications (the password is never shown)."""

    id: str
    url: str
    user: str
    password: str = attrs.field(repr=False)


@attrs.frozen
class SentNotification:
    """One notification the fake tenant sent.

    Attributes:
        subscription: The subscription's id.
        url: Where it was sent.
        kind: ``"interview"`` or ``"candidate"``.
        subject_wid: The WID of what changed (the interview event, or the candidate).
        status: The HTTP status the endpoint answered, or ``None`` when it did not answer.
        error: Why there was no answer (refused, timed out), else ``None``.
        sent_at: When it was sent.
    """

    subscription: str
    url: str
    kind: str
    subject_wid: str
    status: int | None
    error: str | None
    sent_at: datetime


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect answer is recorded as its status, never followed


class _Notifier:
    """The subscriptions, the queue of edits and the thread sending them."""

    def __init__(self, dataset: Dataset, tenant: str) -> None:
        self._dataset = dataset
        self._tenant = tenant
        self._lock = threading.Lock()
        self._subscriptions: dict[str, Subscription] = {}
        self._ids = itertools.count(1)
        self._queue: queue.Queue[tuple[str, str, str] | threading.Event | None] = queue.Queue()
        self._sent: list[SentNotification] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())
        dataset.observers.append(self._edited)

    def subscribe(self, url: str, user: str, password: str) -> Subscription:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"a subscriber URL is http(s), got {url!r}")
        with self._lock:
            if self._closed:
                raise RuntimeError("the fake tenant is closed")
            subscription = Subscription(f"{self._tenant}-subscription-{next(self._ids)}", url, user, password)
            self._subscriptions[subscription.id] = subscription
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name=f"FakeTenant-{self._tenant}-notifications", daemon=True
                )
                self._thread.start()
        return subscription

    def unsubscribe(self, subscription: Subscription | str) -> None:
        key = subscription.id if isinstance(subscription, Subscription) else subscription
        with self._lock:
            self._subscriptions.pop(key, None)

    @property
    def sent(self) -> tuple[SentNotification, ...]:
        with self._lock:
            return tuple(self._sent)

    def drain(self, timeout: float) -> bool:
        """Wait until every edit so far was sent (True), or ``timeout`` seconds passed (False)."""
        with self._lock:
            if self._thread is None:
                return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
        if self._edited in self._dataset.observers:
            self._dataset.observers.remove(self._edited)
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=_TIMEOUT + 1)

    # -- the thread ----------------------------------------------------------------------------------------------

    def _edited(self, kind: str, wid: str, candidate_id: str) -> None:
        with self._lock:
            if self._closed or not self._subscriptions:
                return
        self._queue.put((kind, wid, candidate_id))

    def _run(self) -> None:
        numbers = itertools.count(1)
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, threading.Event):  # drain(): everything before it was sent
                item.set()
                continue
            kind, wid, candidate_id = item
            body = self._body(next(numbers), kind, wid, candidate_id)
            with self._lock:
                targets = list(self._subscriptions.values())
            for subscription in targets:
                self._send(subscription, kind, wid, body)

    def _body(self, number: int, kind: str, wid: str, candidate_id: str) -> bytes:
        candidate = self._dataset.find_candidate("Candidate_ID", candidate_id) if candidate_id else None
        moment = self._dataset.current_moment().astimezone(timezone.utc).isoformat(timespec="milliseconds")
        candidate_ids = ""
        if candidate is not None:
            candidate_ids = (
                f'<wd:ID wd:type="WID">{escape(candidate.wid)}</wd:ID>'
                f'<wd:ID wd:type="Candidate_ID">{escape(candidate.candidate_id)}</wd:ID>'
            )
        text = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<wd:Notification xmlns:wd="urn:com.workday/bsvc" wd:Tenant={quoteattr(self._tenant)}>'
            f"<wd:Notification_ID>{escape(self._tenant)}-notification-{number:06d}</wd:Notification_ID>"
            f"<wd:Sent_Moment>{moment}</wd:Sent_Moment>"
            f"<wd:Transaction_Type>{escape(_TYPES.get(kind, kind))}</wd:Transaction_Type>"
            f'<wd:Subject_Reference><wd:ID wd:type="WID">{escape(wid)}</wd:ID></wd:Subject_Reference>'
            f"<wd:Candidate_Reference>{candidate_ids}</wd:Candidate_Reference>"
            "</wd:Notification>"
        )
        return text.encode("utf-8")

    def _send(self, subscription: Subscription, kind: str, wid: str, body: bytes) -> None:
        credentials = base64.b64encode(f"{subscription.user}:{subscription.password}".encode()).decode("ascii")
        request = urllib.request.Request(  # noqa: S310 - the subscriber URL is http(s), checked on subscribe
            subscription.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/xml; charset=utf-8", "Authorization": f"Basic {credentials}"},
        )
        status: int | None = None
        error: str | None = None
        try:
            with self._opener.open(request, timeout=_TIMEOUT) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as exc:
            status = int(exc.code)
            exc.close()
        except (urllib.error.URLError, OSError) as exc:
            error = type(exc).__name__ if not str(exc) else str(exc)[:200]
        record = SentNotification(
            subscription.id, subscription.url, kind, wid, status, error, datetime.now(timezone.utc)
        )
        with self._lock:
            self._sent.append(record)


class _Tenant(Protocol):
    """What the notifications need of the tenant they are mixed into."""

    _notifier: _Notifier | None

    @property
    def dataset(self) -> Dataset: ...

    @property
    def tenant(self) -> str: ...


#: Guards the first subscription of every tenant (creating its notifier).
_FIRST: Final = threading.Lock()


class Notifications:
    """FakeTenant's subscriptions to its outbound notifications (mixed into :class:`FakeTenant`; see the module)."""

    _notifier: _Notifier | None = None

    def subscribe(self: _Tenant, url: str, user: str, password: str) -> Subscription:
        """Subscribe an external endpoint: every later edit of an interview or a candidate through :attr:`dataset`
        is POSTed to ``url`` with HTTP Basic ``user`` and ``password`` (an invented body: see ``docs/push.md``).

        Raises:
            ValueError: ``url`` is not http(s).
        """
        with _FIRST:
            if self._notifier is None:
                self._notifier = _Notifier(self.dataset, self.tenant)
        return self._notifier.subscribe(url, user, password)

    def unsubscribe(self: _Tenant, subscription: Subscription | str) -> None:
        """Stop sending to a subscription (or a subscription id)."""
        if self._notifier is not None:
            self._notifier.unsubscribe(subscription)

    @property
    def notifications(self: _Tenant) -> tuple[SentNotification, ...]:
        """Every notification sent so far, in order, with the endpoint's answer."""
        return self._notifier.sent if self._notifier is not None else ()

    def wait_for_notifications(self: _Tenant, timeout: float = 10.0) -> bool:
        """Wait until every edit made so far was sent to every subscription; False if ``timeout`` passed first."""
        return self._notifier.drain(timeout) if self._notifier is not None else True

    def _close_notifications(self: _Tenant) -> None:
        if self._notifier is not None:
            self._notifier.close()
