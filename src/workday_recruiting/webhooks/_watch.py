"""Keeping a feed going: :class:`Watcher` polls every ``interval``, and at once when Workday sends a notification.

What ``workday-recruiting interviews watch`` runs. Each round:

1. **poll**, when the interval is up or a notification arrived (notifications arriving meanwhile are coalesced
   into one more poll). A notification naming a WID the feed does not track is read first
   (``Get_Interviews`` by that reference): if it is an interview event with a session in the window, the poll
   re-reads the whole window (a *reconcile*), since the cheap path sees only events whose candidate the transaction
   log lists; at most one such reconcile per ``reconcile_gap`` seconds, later ones are deferred, never dropped.
   A WID the feed tracks (an event or a session) needs nothing more: every poll re-reads the tracked events;
2. hand the batch to ``on_batch`` (the command prints each change and acknowledges the batch), or
3. **deliver** the outbox to the ``sink`` (:meth:`InterviewFeed.deliver`), changes waiting for a retry included;
4. sleep until the next poll or the next retry is due, or a notification or :meth:`Watcher.stop` wakes it.

A poll that fails on something transient (the network, Workday busy) or because another process holds the feed is
reported to ``on_error`` and tried again later (a holder on this machine that is gone, killed while it held the
feed, is released at once: :func:`~._delivery.reclaim_stale_lease`); any other failure ends :meth:`Watcher.run`.
:meth:`Watcher.stop` is safe to call from a signal handler: it only sets a flag, seen between two requests.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Final

from .._errors import ConfigurationError, WorkdayError
from ..feed._store import FeedLockedError
from ._delivery import Attempt, DeliveryPolicy, DeliveryReport, reclaim_stale_lease
from ._listener import Notification
from ._sink import Sink

if TYPE_CHECKING:
    from ..feed._feed import ChangeBatch, InterviewFeed
    from ..services.interviews import InterviewsService

__all__ = ["Watcher"]

log = logging.getLogger("workday_recruiting")

#: How long a failed poll waits before the next try, at most.
_RETRY_POLL: Final = 30.0
#: Unknown WIDs of one round looked up, at most.
_MAX_LOOKUPS: Final = 10
#: The longest single sleep, so a stop request is seen soon.
_TICK: Final = 0.25


class Watcher:
    """Runs an :class:`~workday_recruiting.feed.InterviewFeed`: poll, hand over or deliver, sleep (see the module).

    Args:
        feed: The feed.
        interval: Seconds between two polls (a notification brings the next one forward).
        on_batch: Called with each poll's batch (every change not acknowledged yet); it acknowledges what it took.
        sink: Deliver the outbox there after each poll (and whenever a retry is due).
        policy: The retry schedule of the deliveries.
        interviews: The client's interviews service, to read the WIDs a notification names; without it a
            notification only brings the next poll forward.
        on_attempt: Told of every delivery attempt.
        on_error: Told of each failed poll or delivery that the watcher survives.
        reconcile_gap: Seconds between two reconciles that notifications ask for.

    Raises:
        ConfigurationError: A malformed argument, or neither ``on_batch`` nor ``sink``.
    """

    def __init__(
        self,
        feed: InterviewFeed,
        *,
        interval: float = 60.0,
        on_batch: Callable[[ChangeBatch], None] | None = None,
        sink: Sink | None = None,
        policy: DeliveryPolicy | None = None,
        interviews: InterviewsService | None = None,
        on_attempt: Callable[[Attempt], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        reconcile_gap: float = 60.0,
    ) -> None:
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not math.isfinite(interval):
            raise ConfigurationError(f"interval must be a number of seconds, got {interval!r}")
        if interval <= 0:
            raise ConfigurationError("interval must be above 0 seconds")
        if on_batch is None and sink is None:
            raise ConfigurationError("a watcher needs on_batch or a sink: what should it do with the changes?")
        self.feed = feed
        self.interval = float(interval)
        self._on_batch = on_batch
        self._sink = sink
        self._policy = policy
        self._interviews = interviews
        self._on_attempt = on_attempt
        self._on_error = on_error
        self._reconcile_gap = float(reconcile_gap)
        self._stopping = False
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._hinted = False
        self._hint_wids: dict[str, None] = {}
        self._reconcile_wanted = False
        self._last_hint_reconcile = -math.inf
        #: The number of polls run so far.
        self.polls = 0
        #: The last delivery's report.
        self.last_report: DeliveryReport | None = None

    def __repr__(self) -> str:
        return f"<Watcher {self.feed!r} interval={self.interval:g}s{' stopping' if self._stopping else ''}>"

    # -- from other threads ----------------------------------------------------------------------------------------

    def notify(self, notification: Notification | None = None) -> None:
        """A notification arrived (or, without one, just poll now): bring the next poll forward. Thread-safe."""
        with self._lock:
            self._hinted = True
            if notification is not None:
                for wid in notification.wids:
                    self._hint_wids.setdefault(wid)
        self._wake.set()

    def stop(self) -> None:
        """Finish the request in hand and return from :meth:`run`. Safe from a signal handler (sets a flag only)."""
        self._stopping = True

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stopping

    # -- the loop --------------------------------------------------------------------------------------------------

    def run(self, *, once: bool = False) -> None:
        """Poll, hand over or deliver, sleep; until :meth:`stop` (or after one round with ``once``).

        Raises:
            WorkdayError: A failure that waiting does not cure (credentials, permissions, a corrupt state); with
                ``once``, any failure.
        """
        next_poll = time.monotonic()
        while not self._stopping:
            hinted, wids = self._take_hints()
            if hinted or self._reconcile_wanted or time.monotonic() >= next_poll:
                next_poll = self._poll(wids, once)
            next_due = self._deliver(once) if self._sink is not None and not self._stopping else None
            if once:
                return
            wake = next_poll
            if next_due is not None:
                wake = min(wake, time.monotonic() + max(0.0, next_due - time.time()))
            if self._reconcile_wanted:
                wake = min(wake, self._last_hint_reconcile + self._reconcile_gap)
            self._sleep_until(wake)

    def _take_hints(self) -> tuple[bool, list[str]]:
        with self._lock:
            self._wake.clear()
            hinted, wids = self._hinted, list(self._hint_wids)
            self._hinted = False
            self._hint_wids.clear()
        return hinted, wids

    def _sleep_until(self, wake: float) -> None:
        while not self._stopping and not self._wake.is_set():
            left = wake - time.monotonic()
            if left <= 0:
                return
            self._wake.wait(min(_TICK, left))

    def _poll(self, wids: list[str], once: bool) -> float:
        """One poll (a reconcile if the hints ask for one); returns when the next one is due."""
        try:
            reconcile = self._reconcile_for(wids)
            try:
                batch = self.feed.poll(reconcile=reconcile)
            except FeedLockedError:
                if not reclaim_stale_lease(self.feed.store):
                    raise
                batch = self.feed.poll(reconcile=reconcile)  # the holder was a process that is gone
        except WorkdayError as exc:
            if once or not (isinstance(exc, FeedLockedError) or exc.is_retryable):
                raise
            self._report(exc)
            return time.monotonic() + min(self.interval, _RETRY_POLL)
        self.polls += 1
        if self._on_batch is not None:
            self._on_batch(batch)
        return time.monotonic() + self.interval

    def _deliver(self, once: bool) -> float | None:
        assert self._sink is not None  # noqa: S101 - checked by the caller
        try:
            report = self.feed.deliver(
                self._sink, policy=self._policy, should_stop=lambda: self._stopping, on_attempt=self._on_attempt
            )
        except FeedLockedError as exc:
            if once:
                raise
            self._report(exc)
            return time.time() + min(self.interval, _RETRY_POLL)
        self.last_report = report
        return report.next_attempt

    def _report(self, exc: Exception) -> None:
        log.warning("the interview watcher carries on after: %s", exc)
        if self._on_error is not None:
            self._on_error(exc)

    def _reconcile_for(self, wids: list[str]) -> bool:
        """Whether this poll should re-read the window: a notification named an event the feed does not track."""
        gap_over = time.monotonic() - self._last_hint_reconcile >= self._reconcile_gap
        if self._reconcile_wanted and gap_over:
            return self._reconciling()
        if not wids or self._interviews is None:
            return False
        state = self.feed.store.load()
        known = set(state.events) | set(state.sessions)
        unknown = [wid for wid in wids if wid not in known][:_MAX_LOOKUPS]
        now = datetime.now(timezone.utc)
        horizon = now + timedelta(days=self.feed.days)
        for wid in unknown:
            try:
                events = self._interviews.get_many([wid])
            except WorkdayError as exc:  # not an interview event's WID (or Workday would not say)
                log.debug("the notification's WID %s is not an interview event: %s", wid, exc)
                continue
            if any(now <= session.start < horizon for event in events for session in event.sessions):
                log.info("a notification names interview event %s, which the feed does not track: re-reading", wid)
                if gap_over:
                    return self._reconciling()
                self._reconcile_wanted = True  # deferred to the end of the gap
                return False
        return False

    def _reconciling(self) -> bool:
        self._reconcile_wanted = False
        self._last_hint_reconcile = time.monotonic()
        return True
