"""The delivery loop: the feed's outbox handed to a :class:`~._sink.Sink`, one change at a time, nothing lost.

:meth:`InterviewFeed.deliver() <workday_recruiting.feed.InterviewFeed.deliver>` runs :func:`deliver_pending` under
the feed's lease (so two processes sharing a state never send the same change at once). Each pass:

1. asks the store for the changes **due** now (:meth:`FeedStore.due`): pending, not dead letters, whose next
   attempt has come, and each the oldest live change of its interview event, so an event's changes go in order,
   one at a time, while other events' changes do not wait for it;
2. hands each to the sink, once per pass, and records the answer in the same store, at once:

   * accepted: the change is acknowledged (removed from the outbox), and the event's next change becomes due;
   * retry: the attempt is counted, the error kept (``last_error``, never a secret), and the next attempt set
     after an exponential backoff with jitter (tenacity's wait strategies, from the attempts so far), or after the
     receiver's ``Retry-After``; with :attr:`DeliveryPolicy.max_attempts` reached it becomes a dead letter;
   * refused: the change becomes a dead letter (``workday-recruiting interviews dead-letters`` lists them,
     ``interviews redeliver`` queues them again).

Everything is in the store, so a process killed at any point loses nothing: a change is acknowledged only after
the sink accepted it, and the one in flight at the crash is sent again (with the same ``webhook-id``).
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Literal

import attrs

from .._errors import ConfigurationError, WorkdayError
from ..feed._store import FeedLockedError, FeedStateError, FeedStore, StoredChange
from ._sink import SendResult, Sink

if TYPE_CHECKING:
    import tenacity

    from ..feed._changes import InterviewChange

__all__ = ["Attempt", "DeliveryPolicy", "DeliveryReport", "deliver_pending", "reclaim_stale_lease"]

log = logging.getLogger("workday_recruiting")

#: How often the lease is renewed while a delivery runs (seconds).
_RENEW_EVERY: Final = 30.0
#: Changes asked of the store at a time.
_BATCH: Final = 100


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ConfigurationError(f"{attribute.name} must be a number of seconds, 0 or more (got {value!r})")


def _attempts(instance: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ConfigurationError(f"max_attempts must be None or 1 or more (got {value!r})")


@attrs.frozen
class DeliveryPolicy:
    """When a change the receiver did not accept is sent again.

    The wait after the n-th failed attempt is ``initial_backoff * 2 ** (n - 1)``, at most ``max_backoff``, plus up to
    ``jitter`` seconds at random; a ``Retry-After`` from the receiver replaces it (at most ``max_retry_after``).

    Attributes:
        initial_backoff: The wait after the first failure, in seconds.
        max_backoff: The longest computed wait.
        jitter: Up to this many random seconds added to each wait (so many watchers do not retry in step).
        max_retry_after: The longest ``Retry-After`` honoured (a longer one waits this long).
        max_attempts: Attempts after which a change still not accepted becomes a dead letter; ``None`` (the
            default): retry until the receiver accepts it, so nothing is lost.
    """

    initial_backoff: float = attrs.field(default=1.0, validator=_non_negative)
    max_backoff: float = attrs.field(default=600.0, validator=_non_negative)
    jitter: float = attrs.field(default=1.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=3600.0, validator=_non_negative)
    max_attempts: int | None = attrs.field(default=None, validator=_attempts)

    def wait(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (``Retry-After`` first, when given)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return float(self._strategy()(_attempt_state(failures)))

    def _strategy(self) -> Callable[[tenacity.RetryCallState], float]:
        import tenacity

        exponential = tenacity.wait_exponential(multiplier=self.initial_backoff, max=self.max_backoff)
        if not self.jitter:
            return exponential
        return exponential + tenacity.wait_random(0, self.jitter)


def _attempt_state(attempt_number: int) -> tenacity.RetryCallState:
    """A tenacity call state at ``attempt_number`` (what its wait strategies read)."""
    import tenacity

    state = tenacity.RetryCallState(tenacity.Retrying(), None, (), {})
    state.attempt_number = max(1, attempt_number)
    return state


@attrs.frozen
class Attempt:
    """One attempt at one change, as :func:`deliver_pending` reports it to its ``on_attempt`` callback.

    Attributes:
        change_id: The change (the delivery's ``webhook-id``).
        kind: The change's kind.
        outcome: ``"delivered"`` (acknowledged), ``"retry"`` (waiting for its next attempt) or ``"dead"`` (a dead
            letter now).
        detail: The sink's account (``HTTP 503``, ``127.0.0.1 refused the connection``).
        attempts: The change's attempts so far, this one included.
        next_attempt: When it is tried again (``time.time()``), for ``"retry"``.
    """

    change_id: str
    kind: str
    outcome: Literal["delivered", "retry", "dead"]
    detail: str
    attempts: int
    next_attempt: float | None = None


@attrs.frozen
class DeliveryReport:
    """What one :meth:`InterviewFeed.deliver` did.

    Attributes:
        delivered: The changes the sink accepted (now acknowledged), in the order sent.
        retrying: The changes that failed and wait for their next attempt.
        dead_lettered: The changes that became dead letters.
        next_attempt: When the earliest pending change becomes due (``time.time()``), or ``None`` when nothing is
            pending (dead letters aside).
        stopped: The delivery stopped early because it was asked to.
    """

    delivered: tuple[str, ...] = ()
    retrying: tuple[str, ...] = ()
    dead_lettered: tuple[str, ...] = ()
    next_attempt: float | None = None
    stopped: bool = False

    def __str__(self) -> str:
        waiting = f"; next attempt in {max(0.0, self.next_attempt - time.time()):.1f}s" if self.next_attempt else ""
        return (
            f"{len(self.delivered)} delivered, {len(set(self.retrying))} waiting to be retried, "
            f"{len(self.dead_lettered)} dead letter{'' if len(self.dead_lettered) == 1 else 's'}{waiting}"
        )


def deliver_pending(
    store: FeedStore,
    sink: Sink,
    build: Callable[[StoredChange], InterviewChange],
    *,
    owner: str,
    lease_ttl: float,
    policy: DeliveryPolicy | None = None,
    wait: float = 0.0,
    should_stop: Callable[[], bool] | None = None,
    on_attempt: Callable[[Attempt], None] | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Send the due changes of ``store`` to ``sink`` (see the module docstring); the feed's ``deliver`` calls this.

    Args:
        store: The feed's state store (its outbox).
        sink: Where the changes go.
        build: Turns an outbox row into its change (the feed's own reader).
        owner: The lease owner (the feed's).
        lease_ttl: The lease's time to live.
        policy: The retry schedule (default :class:`DeliveryPolicy`).
        wait: Keep going for up to this many seconds while changes wait for a retry (0: one pass over what is due).
        should_stop: Asked between two changes; True ends the delivery (the change in hand is finished first).
        on_attempt: Told of every attempt.
        clock: ``time.time``, or a test's clock.
        sleep: ``time.sleep``, or a test's.

    Raises:
        FeedLockedError: Another process holds the feed's lease.
        FeedStateError: The store cannot be used.
    """
    run = _Run(store, sink, build, policy or DeliveryPolicy(), should_stop or (lambda: False), on_attempt, clock)
    until = clock() + max(0.0, wait)
    lease = _Lease(store, owner, lease_ttl, clock)
    try:
        while not run.one_pass(lease):
            due = store.next_due()
            if due is None or due > until:
                break
            # Sleep in short steps, so a stop request is seen soon.
            while not run.stopped and clock() < due:
                sleep(min(0.25, max(0.0, due - clock())))
                lease.renew_if_due()
                run.stopped = run.should_stop()
            if run.stopped:
                break
    finally:
        store.release(owner)
    return DeliveryReport(
        tuple(run.outcomes["delivered"]),
        tuple(run.outcomes["retry"]),
        tuple(run.outcomes["dead"]),
        store.next_due(),
        run.stopped,
    )


class _Lease:
    """The feed's lease, taken at the start and renewed every :data:`_RENEW_EVERY` seconds."""

    def __init__(self, store: FeedStore, owner: str, ttl: float, clock: Callable[[], float]) -> None:
        self._store, self._owner, self._ttl, self._clock = store, owner, ttl, clock
        self._renewed = 0.0
        self._take()

    def _take(self) -> None:
        if not self._store.acquire(self._owner, self._ttl) and not (
            reclaim_stale_lease(self._store) and self._store.acquire(self._owner, self._ttl)
        ):
            raise FeedLockedError(
                f"another process holds the interview feed of tenant {self._store.tenant!r}; it delivers the changes"
            )
        self._renewed = self._clock()

    def renew_if_due(self) -> None:
        if self._clock() - self._renewed > _RENEW_EVERY:
            self._take()


def reclaim_stale_lease(store: FeedStore) -> bool:
    """Release the feed's lease if its holder is a process of this machine that is gone (``kill -9``, a crash).

    A lease is held as ``host:pid:token`` (the feed's owner). Without this, a poller killed while holding it would
    lock its successor out until the lease's time to live passes; a holder on another machine still waits for it.
    POSIX only (elsewhere, whether a process exists is not asked). Returns whether a lease was released.
    """
    holder = store.lease_holder()
    if holder is None or os.name != "posix":
        return False
    owner = holder[0]
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid() or _alive(pid):
        return False
    store.release(owner)
    log.warning("released the interview feed's lease held by process %d, which is gone", pid)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: is there such a process (POSIX)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and is another user's
        return True
    return True


class _Run:
    """One delivery's state: what it sends to, and what came of each attempt."""

    def __init__(
        self,
        store: FeedStore,
        sink: Sink,
        build: Callable[[StoredChange], InterviewChange],
        policy: DeliveryPolicy,
        should_stop: Callable[[], bool],
        on_attempt: Callable[[Attempt], None] | None,
        clock: Callable[[], float],
    ) -> None:
        self.store, self.sink, self.build, self.policy = store, sink, build, policy
        self.should_stop, self.on_attempt, self.clock = should_stop, on_attempt, clock
        self.outcomes: dict[str, list[str]] = {"delivered": [], "retry": [], "dead": []}
        self.stopped = False

    def one_pass(self, lease: _Lease) -> bool:
        """Try each change due now once (an event's next change as soon as the one before it is accepted); return
        whether the delivery was asked to stop."""
        tried: set[str] = set()
        while True:
            due = self.store.due(self.clock(), limit=len(tried) + _BATCH)
            rows = [row for row in due if row.change_id not in tried]
            if not rows:
                return False
            for row in rows:
                if self.should_stop():
                    self.stopped = True
                    return True
                lease.renew_if_due()
                tried.add(row.change_id)
                attempt = _one(self.store, self.sink, self.build, row, self.policy, self.clock)
                self.outcomes[attempt.outcome].append(row.change_id)
                if self.on_attempt is not None:
                    self.on_attempt(attempt)


def _one(
    store: FeedStore,
    sink: Sink,
    build: Callable[[StoredChange], InterviewChange],
    row: StoredChange,
    policy: DeliveryPolicy,
    clock: Callable[[], float],
) -> Attempt:
    """Send one change and record what the sink made of it."""
    attempts = row.attempts + 1
    try:
        change = build(row)
    except FeedStateError as exc:
        store.dead_letter(row.change_id, f"unreadable in the outbox: {exc}")
        return Attempt(row.change_id, row.kind, "dead", str(exc), attempts)
    try:
        result = sink.send(change)
    except WorkdayError as exc:
        if not exc.is_retryable:
            raise
        result = SendResult("retry", str(exc))
    if result.outcome == "accepted":
        store.ack([row.change_id])
        log.debug("delivered change %s (%s): %s", row.change_id, row.kind, result.detail)
        return Attempt(row.change_id, row.kind, "delivered", result.detail, attempts)
    if result.outcome == "retry" and (policy.max_attempts is None or attempts < policy.max_attempts):
        when = clock() + policy.wait(attempts, result.retry_after)
        store.record_failure(row.change_id, result.detail, when)
        log.info(
            "change %s not delivered (attempt %d, %s); next attempt in %.1fs",
            row.change_id,
            attempts,
            result.detail,
            when - clock(),
        )
        return Attempt(row.change_id, row.kind, "retry", result.detail, attempts, when)
    reason = result.detail if result.outcome == "refused" else f"gave up after {attempts} attempts: {result.detail}"
    store.dead_letter(row.change_id, reason)
    log.warning("change %s is a dead letter: %s", row.change_id, reason)
    return Attempt(row.change_id, row.kind, "dead", reason, attempts)
