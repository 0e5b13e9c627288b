"""Watch a fleet of tenants with Celery: one task polls (and pushes) one tenant, one beat entry per tenant.

Install the extras (``pip install 'workday-recruiting[celery,postgres]'``), then in the application's Celery
module::

    import functools
    from celery import Celery
    from workday_recruiting import RecruitingClient
    from workday_recruiting.celery import FleetTenant, register

    app = Celery("watcher", broker="redis://...")

    def tenants() -> dict[str, FleetTenant]:             # the application's lookup: its database, its vault
        return {
            row.key: FleetTenant(
                client=functools.partial(RecruitingClient, wsdl_url=row.wsdl_url, username=row.isu,
                                         password=vault.read(row.secret_ref)),
                sink=webhook_for(row),                      # optional: where the changes go
            )
            for row in customer_tenants()
        }

    fleet = register(app, tenants=tenants, state="postgresql://feed@db.internal/recruiting")

and run ``celery -A watcher worker`` on as many machines as needed, and one
``celery -A watcher beat -S workday_recruiting.celery:FleetScheduler``.

What travels: a task's only argument is the tenant key. The worker looks the tenant up (``tenants``, or
``lookup``) when the task runs, so credentials never sit in the broker, in the task's arguments or in the result
backend; the result is a small JSON summary (:func:`Fleet.poll`). The state (``state``: a PostgreSQL DSN, or a
function returning a :class:`~workday_recruiting.feed.FeedStore` for a tenant key) is shared by every worker.

Each run of ``poll_tenant(key)``:

1. waits (at most ``slot_wait``) for ``per_tenant_concurrency`` of the worker's ``max_requests_in_flight`` request
   slots, else returns ``busy``;
2. takes the tenant's lease (another worker holding it: ``skipped``, nothing polled);
3. skips while the tenant backs off after a failure (``backing_off``);
4. builds the client (``client(max_concurrency=per_tenant_concurrency)``), polls, delivers through the tenant's
   sink, and acknowledges what the sink took; then gives the lease back.

A tenant that fails (bad password, missing domain, Workday down, its webhook down) is marked failing in the state
store with the SDK's typed error and backs off on its own (``retry_after_failure`` doubling up to
``max_backoff``; an authentication, permission or configuration error waits ``max_backoff`` straight away). Its
feed state is untouched and nobody else waits for it. See ``docs/fleet.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import celery
import celery.beat
import celery.schedules

from ._errors import (
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    WorkdayError,
)
from .feed import (
    FeedLockedError,
    FeedStateError,
    FeedStore,
    FeedStoreUnavailableError,
    PostgresFeedStore,
    SqlFeedStore,
)
from .services.interviews import INTERVIEW_HOLDING_STAGES

if TYPE_CHECKING:
    from . import RecruitingClient
    from ._requests import Ids
    from .feed import ChangeBatch, InterviewFeed
    from .feed._store import StateUpdate, StoredChange
    from .services.interviews import Strategy

__all__ = [
    "POLL_TASK",
    "Fleet",
    "FleetScheduler",
    "FleetSettings",
    "FleetTenant",
    "TenantHealth",
    "register",
    "staggered",
]

log = logging.getLogger("workday_recruiting")

#: The default name of the polling task.
POLL_TASK: Final = "workday_recruiting.poll_tenant"
#: The prefix of each tenant's beat entry (``workday-recruiting:acme``).
BEAT_PREFIX: Final = "workday-recruiting:"
_HEALTH_KEYS: Final = ("fleet.failures", "fleet.next_attempt", "fleet.error", "fleet.failing_since")
#: Errors a retry soon will not fix: the tenant waits ``max_backoff`` before the next try.
_SLOW: Final = (AuthenticationError, PermissionDeniedError, ConfigurationError)

Status = Literal["ok", "skipped", "backing_off", "busy", "failing", "unknown_tenant", "store_unavailable"]


@attrs.frozen
class FleetTenant:
    """One watched tenant, as the application's lookup returns it (built when a task runs, never sent anywhere).

    Attributes:
        client: Builds the tenant's client; called as ``client(max_concurrency=n)``, so
            ``functools.partial(RecruitingClient, wsdl_url=..., username=..., password=...)`` (or
            ``RecruitingClient.from_oauth``) fits. The fleet closes the client after each run. Never shown.
        sink: Where the changes go, or None (they wait in the outbox for :meth:`InterviewFeed.pending`). Either an
            object with ``send(change)`` (a ``workday_recruiting.webhooks.WebhookSink``: delivered by the feed's
            ``deliver(sink)``, with its retries and dead letters), or a callable ``sink(change)``: returning means
            delivered (acknowledged at once), raising means not (that change and the later ones stay pending and
            the tenant backs off). The application owns it (the fleet never closes it). Never shown.
        every: Seconds between two polls of this tenant (default: the fleet's).
        enabled: False pauses the tenant: no beat entry, and a task that still arrives does nothing.
        days: The feed's window (see :meth:`~workday_recruiting.services.interviews.InterviewsService.feed`).
        reconcile_every: How often a poll re-reads the whole window.
        meeting_links: Whether the feed reads meeting links.
        stages: The stages whose applications can hold an interview.
        strategy: How a reconcile finds the events.
    """

    client: Callable[..., RecruitingClient] = attrs.field(repr=False)
    sink: Any = attrs.field(default=None, repr=False)
    every: float | None = None
    enabled: bool = True
    days: float = 14
    reconcile_every: timedelta | None = timedelta(days=1)
    meeting_links: bool = True
    stages: Ids = INTERVIEW_HOLDING_STAGES
    strategy: Strategy = "auto"


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen
class FleetSettings:
    """How a fleet polls: defaults that are safe for a tenant and for the machines.

    Attributes:
        every: Seconds between two polls of a tenant (its beat entry's period).
        per_tenant_concurrency: Requests in flight to one tenant at most (the client's ``max_concurrency``).
        max_requests_in_flight: Requests in flight from one worker process at most: a poll takes
            ``per_tenant_concurrency`` of these slots before it starts.
        slot_wait: Seconds a task waits for its slots before it gives up (``busy``; the next beat tick tries again).
        lease_ttl: The lease's time to live in seconds: with SQLite, how long a dead worker's tenant stays taken
            (with PostgreSQL the lock dies with the worker's session, and this only dates the lease row).
        retry_after_failure: Seconds a tenant waits after its first failure; doubled after each further one.
        max_backoff: The longest wait between two tries of a failing tenant, and the wait after an
            authentication, permission or configuration error (revoked credentials are retried slowly).
        time_limit: Seconds a run may take before Celery kills it (its lease dies with it); soft limit 30 s before.
        queue: The Celery queue the tasks go to (None: the default queue).
        task_name: The polling task's name (two fleets on one app need two names).
    """

    every: float = attrs.field(default=60.0, validator=_positive)
    per_tenant_concurrency: int = attrs.field(default=2, validator=_positive)
    max_requests_in_flight: int = attrs.field(default=16, validator=_positive)
    slot_wait: float = attrs.field(default=30.0, validator=attrs.validators.ge(0))
    lease_ttl: float = attrs.field(default=900.0, validator=_positive)
    retry_after_failure: float = attrs.field(default=60.0, validator=_positive)
    max_backoff: float = attrs.field(default=3600.0, validator=_positive)
    time_limit: float = attrs.field(default=600.0, validator=_positive)
    queue: str | None = None
    task_name: str = POLL_TASK


@attrs.frozen
class TenantHealth:
    """Whether a tenant's last runs failed, as the state store keeps it (``feed_meta``, keys ``fleet.*``).

    Attributes:
        failures: Failed runs in a row (0: healthy).
        next_attempt: When the next run may poll (seconds since the epoch), while failing.
        error_type: The last failure's exception type (``AuthenticationError``).
        error: The last failure's message (the SDK's errors hold no secret; for other exceptions only the type).
        failing_since: When the first failure of the row happened.
    """

    failures: int = 0
    next_attempt: float | None = None
    error_type: str | None = None
    error: str | None = None
    failing_since: datetime | None = None

    @property
    def failing(self) -> bool:
        """True after a failed run, until a run succeeds."""
        return self.failures > 0


class _Slots:
    """A counting semaphore of request slots (the worker's cap on requests in flight)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._free = total
        self._cond = threading.Condition()

    def take(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._free < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            self._free -= count
            return True

    def give(self, count: int) -> None:
        with self._cond:
            self._free += count
            self._cond.notify_all()


class Fleet:
    """The tenants of a fleet, their state and the polling task (built by :func:`register`)."""

    def __init__(
        self,
        *,
        tenants: Callable[[], Mapping[str, FleetTenant]],
        state: str | Callable[[str], FeedStore],
        settings: FleetSettings,
        lookup: Callable[[str], FleetTenant | None] | None = None,
    ) -> None:
        if not callable(tenants):
            raise ConfigurationError("tenants must be a function returning {tenant key: FleetTenant}")
        if isinstance(state, str):
            dsn = state
            self._open: Callable[[str], FeedStore] = lambda key: PostgresFeedStore(dsn, tenant=key)
            self._state_repr = repr(PostgresFeedStore(dsn, tenant="-"))
        elif callable(state):
            self._open = state
            self._state_repr = "a store function"
        else:
            raise ConfigurationError("state must be a PostgreSQL DSN or a function of the tenant key returning a store")
        self._tenants = tenants
        self._lookup = lookup
        self.settings = settings
        slots = min(settings.per_tenant_concurrency, settings.max_requests_in_flight)
        self._need = slots
        self._slots = _Slots(settings.max_requests_in_flight)
        self.task: Any = None  # the registered Celery task

    def __repr__(self) -> str:
        return f"<Fleet task={self.settings.task_name!r} state={self._state_repr}>"

    # -- the tenants ---------------------------------------------------------------------------------------------

    def tenants(self) -> dict[str, FleetTenant]:
        """The application's tenants, enabled or not, by key."""
        found = dict(self._tenants())
        for key, tenant in found.items():
            if not isinstance(key, str) or not key or not isinstance(tenant, FleetTenant):
                raise ConfigurationError("tenants() must return {tenant key (a string): FleetTenant}")
        return found

    def tenant(self, key: str) -> FleetTenant | None:
        """One tenant's settings (``lookup`` if given, else ``tenants()[key]``); None if the application has none."""
        return self._lookup(key) if self._lookup is not None else self.tenants().get(key)

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        """One beat entry per enabled tenant: ``poll_tenant(key)`` every ``every`` seconds, at a per-tenant offset
        within the period (the fleet is spread over the minute), each message expiring after one period."""
        entries: dict[str, dict[str, Any]] = {}
        for key, tenant in sorted(self.tenants().items()):
            if not tenant.enabled:
                continue
            every = float(tenant.every or self.settings.every)
            options: dict[str, Any] = {"expires": every}
            if self.settings.queue:
                options["queue"] = self.settings.queue
            entries[BEAT_PREFIX + key] = {
                "task": self.settings.task_name,
                "schedule": staggered(every, _offset(key, every)),
                "args": (key,),
                "options": options,
            }
        return entries

    def health(self, key: str) -> TenantHealth:
        """A tenant's health, read from the state store."""
        store = self._open(key)
        try:
            return _read_health(store)
        finally:
            store.close()

    # -- one run ---------------------------------------------------------------------------------------------

    def poll(self, key: str) -> dict[str, Any]:
        """Poll one tenant and deliver its changes (what the task runs); a JSON-safe summary, never a secret.

        The summary: ``tenant``, ``status`` (``ok``, ``skipped``: another worker holds the tenant, ``backing_off``,
        ``busy``: no request slots, ``failing``: this run failed, ``unknown_tenant``, ``store_unavailable``),
        ``reason``, ``pending`` (changes waiting after the run), ``delivered``, ``error`` (``{"type", "message"}``),
        ``failures``, ``next_attempt`` (ISO time), ``started_at`` and ``finished_at`` (seconds since the epoch), and
        ``held``: ``[from, to]``, a span inside the time this run held the tenant (all its polling and delivery
        happened in it), or None when it did not get the tenant.
        """
        started = time.time()
        summary: dict[str, Any] = {"tenant": key, "status": "ok", "reason": "", "pending": None, "delivered": 0}
        try:
            tenant = self.tenant(key)
        except Exception as exc:  # the application's lookup: reported, never raised into Celery
            return self._done(summary, started, "unknown_tenant", f"the tenant lookup failed ({type(exc).__name__})")
        if tenant is None or not tenant.enabled:
            reason = "the application has no such tenant" if tenant is None else "the tenant is paused"
            return self._done(summary, started, "unknown_tenant", reason)
        if not self._slots.take(self._need, self.settings.slot_wait):
            return self._done(summary, started, "busy", "no request slots free in this worker; the next tick retries")
        try:
            return self._run(key, tenant, summary, started)
        finally:
            self._slots.give(self._need)

    def _run(self, key: str, tenant: FleetTenant, summary: dict[str, Any], started: float) -> dict[str, Any]:
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        try:
            store = self._open(key)
        except FeedStateError as exc:
            return self._done(summary, started, "store_unavailable", _describe(exc))
        try:
            if not store.acquire(owner, self.settings.lease_ttl):
                return self._done(summary, started, "skipped", "another worker is polling this tenant")
            held_from = time.time()
            try:
                health = _read_health(store)
                if health.failing and health.next_attempt is not None and health.next_attempt > time.time():
                    summary.update(failures=health.failures, next_attempt=_iso(health.next_attempt))
                    summary["error"] = {"type": health.error_type, "message": health.error}
                    return self._done(summary, started, "backing_off", "the tenant failed; waiting before a retry")
                try:
                    summary.update(self._poll_and_deliver(key, tenant, _TaskLease(store, owner)))
                except FeedStoreUnavailableError:
                    raise
                except FeedLockedError as exc:  # taken over mid-run (a dropped connection): nothing was written
                    return self._done(summary, started, "skipped", _describe(exc))
                except Exception as exc:
                    health = self._failed(store, health, exc)
                    summary.update(failures=health.failures, next_attempt=_iso(health.next_attempt))
                    summary["error"] = {"type": health.error_type, "message": health.error}
                    return self._done(summary, started, "failing", "the run failed; the tenant backs off")
                if health.failing:
                    _write_health(store, None)
                    log.info("tenant %s recovered after %d failed runs", key, health.failures)
                return self._done(summary, started, "ok", "")
            finally:
                summary["held"] = [held_from, time.time()]
                with contextlib.suppress(FeedStoreUnavailableError):  # the lock dies with the session anyway
                    store.release(owner)
        except FeedStoreUnavailableError as exc:
            return self._done(summary, started, "store_unavailable", _describe(exc))
        except FeedStateError as exc:  # a newer schema, a damaged state, a permission refused: nothing was changed
            summary["error"] = {"type": type(exc).__name__, "message": _describe(exc)}
            return self._done(summary, started, "failing", "the tenant's state cannot be used; nothing was changed")
        finally:
            store.close()

    def _poll_and_deliver(self, key: str, tenant: FleetTenant, store: FeedStore) -> dict[str, Any]:
        client = tenant.client(max_concurrency=self.settings.per_tenant_concurrency)
        try:
            feed = client.interviews.feed(
                state=store,
                tenant=key,
                days=tenant.days,
                reconcile_every=tenant.reconcile_every,
                meeting_links=tenant.meeting_links,
                stages=tenant.stages,
                strategy=tenant.strategy,
            )
            batch = feed.poll()
            delivered = _deliver(feed, batch, tenant.sink) if tenant.sink is not None else 0
            return {"delivered": delivered, "pending": len(feed.pending())}
        finally:
            client.close()

    def _failed(self, store: FeedStore, health: TenantHealth, exc: Exception) -> TenantHealth:
        failures = health.failures + 1
        if isinstance(exc, _SLOW) or (isinstance(exc, FeedStateError) and not exc.is_retryable):
            wait = self.settings.max_backoff
        else:
            wait = min(self.settings.max_backoff, self.settings.retry_after_failure * 2 ** (failures - 1))
            wait *= random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not cryptography
        now = time.time()
        updated = TenantHealth(
            failures=failures,
            next_attempt=now + wait,
            error_type=type(exc).__name__,
            error=_describe(exc),
            failing_since=health.failing_since or datetime.fromtimestamp(now, timezone.utc),
        )
        _write_health(store, updated)
        log.warning(
            "tenant %s failed (%s, %d in a row); next try in %.0f s",
            store.tenant,
            updated.error_type,
            failures,
            wait,
        )
        log.debug("tenant %s failure", store.tenant, exc_info=exc)
        return updated

    @staticmethod
    def _done(summary: dict[str, Any], started: float, status: Status, reason: str) -> dict[str, Any]:
        summary.setdefault("error", None)
        summary.setdefault("failures", 0)
        summary.setdefault("next_attempt", None)
        summary.setdefault("held", None)
        summary.update(status=status, reason=reason, started_at=started, finished_at=time.time())
        return summary


def _deliver(feed: InterviewFeed, batch: ChangeBatch, sink: Any) -> int:
    """Hand the pending changes to the tenant's sink; how many it took (and were acknowledged)."""
    deliver = getattr(feed, "deliver", None)
    if callable(getattr(sink, "send", None)) and callable(deliver):
        report = deliver(sink)  # the webhooks' delivery: retries, dead letters, acknowledgements
        return len(getattr(report, "delivered", ()))
    if not callable(sink):
        raise ConfigurationError("a tenant's sink must be callable as sink(change) or have send(change)")
    delivered = 0
    for change in batch:
        sink(change)  # raising stops here: this change and the later ones stay pending
        batch.ack([change])
        delivered += 1
    return delivered


def _describe(exc: BaseException) -> str:
    """What the summary and the state keep of a failure: the SDK's message (secret-free), else the type only."""
    if isinstance(exc, WorkdayError):
        return str(exc)[:1000]
    return f"{type(exc).__name__} (details in the worker's log at DEBUG)"


def _iso(moment: float | None) -> str | None:
    return None if moment is None else datetime.fromtimestamp(moment, timezone.utc).isoformat()


def _offset(key: str, period: float) -> float:
    """A tenant's stable offset within its period (so a fleet does not poll all at once)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") % 1_000_000) / 1_000_000 * period


# -- health, in the state store's feed_meta -----------------------------------------------------------------------


def _sql_store(store: FeedStore) -> SqlFeedStore:
    inner = store._store if isinstance(store, _TaskLease) else store
    if not isinstance(inner, SqlFeedStore):
        raise ConfigurationError("the fleet keeps tenant health in a SqlFeedStore (PostgreSQL or SQLite)")
    return inner


def _read_health(store: FeedStore) -> TenantHealth:
    sql = _sql_store(store)
    marks = ", ".join("?" for _ in _HEALTH_KEYS)
    with sql._transaction() as cur:
        cur.execute(
            sql._sql(f"SELECT key, value FROM feed_meta WHERE tenant = ? AND key IN ({marks})"),  # noqa: S608 - marks only
            (sql.tenant, *_HEALTH_KEYS),
        )
        values = dict(cur.fetchall())
    if not values:
        return TenantHealth()
    try:
        error = json.loads(values.get("fleet.error", "{}"))
        since = values.get("fleet.failing_since")
        return TenantHealth(
            failures=int(values.get("fleet.failures", "0")),
            next_attempt=float(values["fleet.next_attempt"]) if "fleet.next_attempt" in values else None,
            error_type=error.get("type"),
            error=error.get("message"),
            failing_since=datetime.fromisoformat(since) if since else None,
        )
    except (ValueError, TypeError, AttributeError):
        log.warning("tenant %s: unreadable health in the state store; treated as healthy", sql.tenant)
        return TenantHealth()


def _write_health(store: FeedStore, health: TenantHealth | None) -> None:
    """Record ``health`` (None: healthy again) under the tenant's ``fleet.*`` keys; the feed's own keys stay."""
    sql = _sql_store(store)
    with sql._transaction() as cur:
        cur.executemany(
            sql._sql("DELETE FROM feed_meta WHERE tenant = ? AND key = ?"), [(sql.tenant, k) for k in _HEALTH_KEYS]
        )
        if health is None:
            return
        values = {
            "fleet.failures": str(health.failures),
            "fleet.next_attempt": repr(float(health.next_attempt or 0.0)),
            "fleet.error": json.dumps({"type": health.error_type, "message": health.error}),
            "fleet.failing_since": health.failing_since.isoformat() if health.failing_since else "",
        }
        cur.executemany(
            sql._sql("INSERT INTO feed_meta (tenant, key, value) VALUES (?, ?, ?)"),
            [(sql.tenant, k, v) for k, v in values.items()],
        )


class _TaskLease(FeedStore):
    """A tenant's store as its feed sees it during one run: the run holds the lease from before the poll until
    after the delivery, and the feed's own takes and releases of the lease fold into the run's."""

    def __init__(self, store: FeedStore, owner: str) -> None:
        self._store = store
        self._owner = owner
        self.tenant = store.tenant

    def __repr__(self) -> str:
        return f"<run lease on {self._store!r}>"

    def acquire(self, owner: str, ttl: float) -> bool:
        return self._store.acquire(self._owner, ttl)  # renews the run's lease

    def release(self, owner: str) -> None:
        """The run gives the lease back after its delivery."""

    def lease_holder(self) -> tuple[str, float] | None:
        return self._store.lease_holder()

    def close(self) -> None:
        """The run closes the store."""

    def commit(self, update: StateUpdate, *, owner: str) -> list[StoredChange]:
        return self._store.commit(update, owner=self._owner)

    def load(self) -> Any:
        return self._store.load()

    def pending(self, *, include_dead: bool = False) -> list[StoredChange]:
        return self._store.pending(include_dead=include_dead)

    def ack(self, change_ids: Iterable[str]) -> int:
        return self._store.ack(change_ids)

    def event_xml(self, wid: str) -> tuple[bytes, bytes | None, bytes | None] | None:
        return self._store.event_xml(wid)

    def due(self, now: float, *, limit: int = 100) -> list[StoredChange]:
        return self._store.due(now, limit=limit)

    def next_due(self) -> float | None:
        return self._store.next_due()

    def record_failure(self, change_id: str, error: str, next_attempt: float) -> None:
        self._store.record_failure(change_id, error, next_attempt)

    def dead_letter(self, change_id: str, reason: str) -> bool:
        return self._store.dead_letter(change_id, reason)

    def dead_letters(self) -> list[StoredChange]:
        return self._store.dead_letters()

    def requeue(self, change_ids: Iterable[str]) -> int:
        return self._store.requeue(change_ids)


# -- Celery ----------------------------------------------------------------------------------------------------


def register(
    app: celery.Celery,
    *,
    tenants: Callable[[], Mapping[str, FleetTenant]],
    state: str | Callable[[str], FeedStore],
    settings: FleetSettings | None = None,
    lookup: Callable[[str], FleetTenant | None] | None = None,
) -> Fleet:
    """Register the polling task on ``app``; the :class:`Fleet` (its ``task``, ``beat_schedule()``, ``poll()``).

    Args:
        app: The application's Celery app.
        tenants: Returns every tenant, ``{key: FleetTenant}``: the beat schedule is built from it, and a task looks
            its tenant up in it (unless ``lookup``). Called when needed, never at registration.
        state: A PostgreSQL DSN (``PostgresFeedStore(dsn, tenant=key)`` for each run), or a function of the tenant
            key returning a new :class:`~workday_recruiting.feed.FeedStore` (closed after each run).
        settings: Cadence, concurrency, backoff and time limits (:class:`FleetSettings`).
        lookup: Returns one tenant's :class:`FleetTenant` (or None), when ``tenants()`` is too costly per task.

    The task, ``settings.task_name`` (default ``"workday_recruiting.poll_tenant"``), takes the tenant key; its
    result is :meth:`Fleet.poll`'s summary. For the schedule, run beat with
    ``-S workday_recruiting.celery:FleetScheduler`` (tenants added or removed are picked up within a minute), or
    put ``fleet.beat_schedule()`` into ``app.conf.beat_schedule`` yourself.
    """
    fleet = Fleet(tenants=tenants, state=state, settings=settings or FleetSettings(), lookup=lookup)
    limit = fleet.settings.time_limit

    def poll_tenant(tenant_key: str) -> dict[str, Any]:
        return fleet.poll(tenant_key)

    poll_tenant.__doc__ = "Poll one tenant of the fleet and deliver its changes (see workday_recruiting.celery)."
    options: dict[str, Any] = {
        "name": fleet.settings.task_name,
        "time_limit": limit,
        "soft_time_limit": max(1.0, limit - 30.0),
        "acks_late": False,  # a lost run is not redone: the next beat tick polls again
        "shared": False,  # this app's task only (a shared task would reach every app's fleet)
        "workday_fleet": fleet,
    }
    if fleet.settings.queue:
        options["queue"] = fleet.settings.queue
    fleet.task = app.task(**options)(poll_tenant)
    return fleet


class staggered(celery.schedules.schedule):  # type: ignore[misc]  # noqa: N801 - named like celery's schedules
    """Every ``run_every`` seconds, at ``offset`` seconds into each period (``time % run_every == offset``).

    A fleet's tenants get different offsets, so a thousand tenants polled every minute are spread over it.
    """

    def __init__(
        self, run_every: float, offset: float = 0.0, app: Any = None, nowfun: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__(run_every=timedelta(seconds=run_every), app=app, nowfun=nowfun)
        self.offset = float(offset) % float(run_every)

    def is_due(self, last_run_at: datetime) -> Any:
        period = self.run_every.total_seconds()
        now = self.now().timestamp()
        slot = math.floor((now - self.offset) / period) * period + self.offset
        wait = max(0.0, slot + period - now)
        due = self.maybe_make_aware(last_run_at).timestamp() < slot
        return celery.schedules.schedstate(due, wait)

    def __reduce__(self) -> tuple[Any, ...]:
        return self.__class__, (self.run_every.total_seconds(), self.offset)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, staggered) and self.run_every == other.run_every and self.offset == other.offset

    def __hash__(self) -> int:
        return hash((self.run_every, self.offset))

    def __repr__(self) -> str:
        return f"<staggered every {self.run_every.total_seconds():g}s at +{self.offset:.1f}s>"


def fleets_of(app: celery.Celery) -> list[Fleet]:
    """The fleets :func:`register` put on ``app``."""
    found = [getattr(task, "workday_fleet", None) for task in app.tasks.values()]
    return [fleet for fleet in found if isinstance(fleet, Fleet)]


class FleetScheduler(celery.beat.PersistentScheduler):  # type: ignore[misc]
    """Celery beat's scheduler plus one entry per tenant of every fleet on the app, re-read every
    ``refresh_every`` seconds: a tenant added is polled from its next slot on, a tenant removed or paused is
    dropped (``celery -A app beat -S workday_recruiting.celery:FleetScheduler``)."""

    refresh_every: float = 60.0

    def setup_schedule(self) -> None:
        super().setup_schedule()
        self._refreshed = -math.inf
        self.refresh()

    def tick(self, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() - self._refreshed >= self.refresh_every:
            self.refresh()
        return super().tick(*args, **kwargs)

    def refresh(self) -> None:
        """Merge the fleets' entries with ``beat_schedule``; a tenant lookup failing keeps the entries as they are."""
        self._refreshed = time.monotonic()
        wanted: dict[str, Any] = dict(self.app.conf.beat_schedule or {})
        try:
            for fleet in fleets_of(self.app):
                wanted.update(fleet.beat_schedule())
        except Exception as exc:  # the application's lookup: keep polling what we had
            log.warning("beat: the fleet's tenants could not be read (%s); the schedule is unchanged", exc)
            return
        defaults = {name: entry for name, entry in self.schedule.items() if name.startswith("celery.")}
        self.merge_inplace(wanted)
        with contextlib.suppress(Exception):
            self.schedule.update({k: v for k, v in defaults.items() if k not in self.schedule})
