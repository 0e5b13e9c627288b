"""A fleet of tenants on Celery: real workers (``celery.contrib.testing``, an in-memory broker), the feed's state in
the session's PostgreSQL server, FakeTenants as the tenants.

What is specified here: a task polls and pushes one tenant and says what it did in a small, secret-free summary;
two workers never poll one tenant at once; a failing tenant is marked failing with the SDK's typed error, backs
off on its own (slowly when its credentials are revoked), keeps its state, and delays nobody; the beat schedule has
one staggered entry per tenant, follows tenants added and removed; requests in flight are capped per worker.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish

from workday_recruiting import RecruitingClient, RetryPolicy
from workday_recruiting.celery import (
    BEAT_PREFIX,
    POLL_TASK,
    Fleet,
    FleetScheduler,
    FleetSettings,
    FleetTenant,
    TenantHealth,
    _TaskLease,
    _write_health,
    register,
    staggered,
)
from workday_recruiting.feed import FeedStore, InterviewChange, InterviewFeed, PostgresFeedStore
from workday_recruiting.testing import FakeTenant

ISU = "ISU_Recruiting"


class Tenants:
    """The application's side: its tenants (FakeTenants), their sinks, and the lookup the fleet calls."""

    def __init__(self) -> None:
        self.fakes: dict[str, FakeTenant] = {}
        self.received: dict[str, list[InterviewChange]] = {}
        self.passwords: dict[str, str] = {}
        self.paused: set[str] = set()
        self.client_calls: list[dict[str, Any]] = []
        self.sink_gate: dict[str, threading.Event] = {}
        self.sink_entered: dict[str, threading.Event] = {}

    def add(self, fake: FakeTenant) -> None:
        self.fakes[fake.tenant] = fake
        self.received[fake.tenant] = []
        self.passwords[fake.tenant] = fake.password

    def _client(self, key: str, **options: Any) -> RecruitingClient:
        self.client_calls.append({"tenant": key, **options})
        fake = self.fakes[key]
        return RecruitingClient(
            wsdl_url=fake.wsdl_url,
            username=fake.username,
            password=self.passwords[key],
            retry=RetryPolicy(attempts=2, initial_backoff=0, jitter=0),  # a tenant that is down fails fast
            **options,
        )

    def _sink(self, key: str, change: InterviewChange) -> None:
        if key in self.sink_gate:
            self.sink_entered[key].set()
            assert self.sink_gate[key].wait(60), "the test never opened the sink's gate"
        self.received[key].append(change)

    def __call__(self) -> dict[str, FleetTenant]:
        return {
            key: FleetTenant(
                client=functools.partial(self._client, key),
                sink=functools.partial(self._sink, key),
                enabled=key not in self.paused,
                every=30 if key == "globex" else None,
            )
            for key in self.fakes
        }


@pytest.fixture(scope="module")
def fakes() -> Iterator[dict[str, FakeTenant]]:
    with FakeTenant(candidates=150, tenant="acme") as acme, FakeTenant(candidates=150, tenant="globex", seed=3) as gx:
        yield {"acme": acme, "globex": gx}


@pytest.fixture
def tenants(fakes: dict[str, FakeTenant]) -> Tenants:
    app_tenants = Tenants()
    for fake in fakes.values():
        fake.add_isu(ISU, app_tenants.passwords.get(fake.tenant) or fake.password)  # undo a revocation
        app_tenants.add(fake)
    return app_tenants


@pytest.fixture
def state(postgres_dsn: str, postgres_schema: str) -> Callable[[str], FeedStore]:
    return lambda key: PostgresFeedStore(postgres_dsn, tenant=key, schema=postgres_schema)


def _app() -> Celery:
    app = Celery("fleet-test", broker="memory://", backend="cache+memory://", set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    return app


def _fleet(tenants: Tenants, state: Callable[[str], FeedStore], **settings: Any) -> tuple[Celery, Fleet]:
    app = _app()
    return app, register(app, tenants=tenants, state=state, settings=FleetSettings(**settings))


def _health_rows(dsn: str, schema: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return conn.execute(
            "SELECT tenant, key, value FROM feed_meta WHERE key LIKE 'fleet.%' ORDER BY 1, 2"
        ).fetchall()


def test_a_task_polls_and_pushes_its_tenant_and_returns_a_secret_free_summary(
    tenants: Tenants, state: Callable[[str], FeedStore]
) -> None:
    """poll_tenant("acme") on a real worker: the sink gets acme's upcoming sessions, they are acknowledged, and
    the result is a JSON summary; the password is in no task message, no result, no state row."""
    app, fleet = _fleet(tenants, state)
    published: list[str] = []

    def capture(body: Any = None, headers: Any = None, **_: Any) -> None:
        published.append(repr(body) + repr(headers))

    before_task_publish.connect(capture, weak=False)
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
            result = fleet.task.delay("acme")
            summary = result.get(timeout=120)
            stored = app.backend.get_task_meta(result.id)
    finally:
        before_task_publish.disconnect(capture)
    upcoming = tenants._client("acme").interviews.upcoming(days=14)
    assert summary["status"] == "ok" and summary["tenant"] == "acme"
    assert summary["delivered"] == len(upcoming) > 0 and summary["pending"] == 0
    assert {c.session_wid for c in tenants.received["acme"]} == {s.session.wid for s in upcoming}
    assert tenants.received["globex"] == []
    assert tenants.client_calls[0] == {"tenant": "acme", "max_concurrency": 2}
    password = tenants.passwords["acme"]
    assert published and all(password not in text for text in published)
    assert password not in json.dumps(summary) and password not in repr(stored)
    store = state("acme")
    try:
        assert store.pending() == []
    finally:
        store.close()


def test_two_workers_never_poll_one_tenant_at_once(tenants: Tenants, state: Callable[[str], FeedStore]) -> None:
    """Four runs for one tenant on two workers: while the first holds the tenant (its sink is kept busy), the
    other three skip it without polling; the holder then finishes and delivers."""
    app, fleet = _fleet(tenants, state)
    gate, entered = threading.Event(), threading.Event()
    tenants.sink_gate["acme"], tenants.sink_entered["acme"] = gate, entered
    fake = tenants.fakes["acme"]
    with (
        start_worker(app, pool="threads", concurrency=4, perform_ping_check=False, loglevel="WARNING"),
        start_worker(app, pool="threads", concurrency=4, perform_ping_check=False, loglevel="WARNING"),
    ):
        first = fleet.task.delay("acme")
        assert entered.wait(120), "the first run never reached the sink"
        requests_while_held = len(fake.requests)
        others = [fleet.task.delay("acme") for _ in range(3)]
        skipped = [r.get(timeout=120) for r in others]
        assert len(fake.requests) == requests_while_held  # the skipped runs asked Workday nothing
        gate.set()
        done = first.get(timeout=120)
    assert [s["status"] for s in skipped] == ["skipped"] * 3
    assert all(s["reason"] == "another worker is polling this tenant" for s in skipped)
    assert done["status"] == "ok" and done["delivered"] > 0


def test_revoked_credentials_mark_the_tenant_failing_retried_slowly_with_its_state_untouched(
    tenants: Tenants, state: Callable[[str], FeedStore], postgres_dsn: str, postgres_schema: str
) -> None:
    """The ISU's password changes: the run reports AuthenticationError, the tenant waits max_backoff (not the
    short first retry), its feed state is exactly as before, later runs back off without a request, the other
    tenant is polled meanwhile, and no secret is written. Restored credentials (once due) bring it back."""
    _, fleet = _fleet(tenants, state, retry_after_failure=5, max_backoff=3600)
    assert fleet.poll("acme")["status"] == "ok"
    store = state("acme")
    before = store.load()
    fake = tenants.fakes["acme"]
    fake.add_isu(ISU, "a-new-password-the-app-does-not-know")

    failed = fleet.poll("acme")
    assert failed["status"] == "failing" and failed["error"]["type"] == "AuthenticationError"
    assert failed["failures"] == 1
    wait = datetime.fromisoformat(failed["next_attempt"]).timestamp() - time.time()
    assert 3500 < wait <= 3600
    assert store.load() == before
    health = fleet.health("acme")
    assert health.failing and health.error_type == "AuthenticationError"

    requests = len(fake.requests)
    backing_off = fleet.poll("acme")
    assert backing_off["status"] == "backing_off" and backing_off["error"]["type"] == "AuthenticationError"
    assert len(fake.requests) == requests
    assert fleet.poll("globex")["status"] == "ok"
    rows = _health_rows(postgres_dsn, postgres_schema)
    assert {r[0] for r in rows} == {"acme"}
    assert all(tenants.passwords["acme"] not in value for _, _, value in rows)

    fake.add_isu(ISU, tenants.passwords["acme"])
    _write_health(store, due_now(health))
    recovered = fleet.poll("acme")
    assert recovered["status"] == "ok" and recovered["failures"] == 0
    assert not fleet.health("acme").failing
    store.close()


def due_now(health: TenantHealth) -> TenantHealth:
    """The same health, due now (as if its backoff had passed)."""
    return attrs.evolve(health, next_attempt=time.time() - 1)


def test_a_tenant_whose_workday_is_down_backs_off_alone_and_its_waits_grow(
    tenants: Tenants, state: Callable[[str], FeedStore]
) -> None:
    """Workday unreachable for one tenant: ConnectError, first retry after about retry_after_failure, the next
    after about twice that; the other tenant's runs in between are unaffected."""
    _, fleet = _fleet(tenants, state, retry_after_failure=100, max_backoff=10_000)
    with FakeTenant(candidates=20, tenant="initech") as initech:
        tenants.add(initech)
    # initech's server is gone now: every request is refused.
    first = fleet.poll("initech")
    assert first["status"] == "failing" and first["error"]["type"] == "ConnectError"
    first_wait = datetime.fromisoformat(first["next_attempt"]).timestamp() - first["finished_at"]
    assert 89 <= first_wait <= 111
    assert fleet.poll("acme")["status"] == "ok"
    store = state("initech")
    _write_health(store, due_now(fleet.health("initech")))
    second = fleet.poll("initech")
    second_wait = datetime.fromisoformat(second["next_attempt"]).timestamp() - second["finished_at"]
    assert second["failures"] == 2 and 179 <= second_wait <= 221
    assert store.load().watermark is None  # never polled: nothing invented
    store.close()


def test_a_sink_that_fails_keeps_the_rest_pending_and_the_tenant_backs_off(
    tenants: Tenants, state: Callable[[str], FeedStore]
) -> None:
    """The receiver is down after two changes: those two are acknowledged, the rest stay pending for the next
    run, and the tenant is failing with the exception's type only (its message may hold the receiver's URL)."""
    calls: list[InterviewChange] = []

    def flaky(change: InterviewChange) -> None:
        if len(calls) == 2:
            raise OSError("https://hooks.example/secret-token refused")
        calls.append(change)

    base = tenants()

    def with_flaky_sink() -> dict[str, FleetTenant]:
        return {"acme": attrs.evolve(base["acme"], sink=flaky)}

    app = _app()
    fleet = register(app, tenants=with_flaky_sink, state=state)
    summary = fleet.poll("acme")
    assert summary["status"] == "failing" and summary["error"]["type"] == "OSError"
    assert "secret-token" not in json.dumps(summary)
    store = state("acme")
    try:
        pending = store.pending()
        assert len(calls) == 2 and pending
        assert {c.change_id for c in pending}.isdisjoint({c.id for c in calls})
    finally:
        store.close()


def test_unknown_and_paused_tenants_do_nothing(tenants: Tenants, state: Callable[[str], FeedStore]) -> None:
    """A key the application no longer has, or a paused tenant: the run reports it and touches nothing."""
    _, fleet = _fleet(tenants, state)
    tenants.paused.add("acme")
    assert fleet.poll("nobody")["status"] == "unknown_tenant"
    paused = fleet.poll("acme")
    assert paused["status"] == "unknown_tenant" and paused["reason"] == "the tenant is paused"
    assert tenants.client_calls == []


def test_an_unreachable_state_store_is_reported_and_not_blamed_on_the_tenant(tenants: Tenants) -> None:
    """PostgreSQL down: the run says store_unavailable; no client is built, no tenant marked failing."""
    _, fleet = _fleet(tenants, lambda key: PostgresFeedStore("host=127.0.0.1 port=1 connect_timeout=2", tenant=key))
    summary = fleet.poll("acme")
    assert summary["status"] == "store_unavailable" and "cannot be reached" in summary["reason"]
    assert tenants.client_calls == []


def test_requests_in_flight_are_capped_per_worker(tenants: Tenants, state: Callable[[str], FeedStore]) -> None:
    """With room for one tenant's requests only, a second tenant's run waits for the slots, then reports busy;
    once the first run ends, the slots are free again."""
    _, fleet = _fleet(tenants, state, per_tenant_concurrency=3, max_requests_in_flight=4, slot_wait=0.2)
    gate, entered = threading.Event(), threading.Event()
    tenants.sink_gate["acme"], tenants.sink_entered["acme"] = gate, entered
    results: dict[str, Any] = {}
    runner = threading.Thread(target=lambda: results.update(acme=fleet.poll("acme")))
    runner.start()
    try:
        assert entered.wait(120)
        busy = fleet.poll("globex")
    finally:
        gate.set()
        runner.join()
    assert busy["status"] == "busy"
    assert results["acme"]["status"] == "ok"
    assert fleet.poll("globex")["status"] == "ok"
    assert {call["max_concurrency"] for call in tenants.client_calls} == {3}


def test_the_beat_schedule_has_one_staggered_entry_per_enabled_tenant(
    tenants: Tenants, state: Callable[[str], FeedStore]
) -> None:
    """Each enabled tenant: poll_tenant(key) every `every` seconds (its own or the fleet's), expiring after one
    period, at its own offset; a paused tenant has no entry; no entry holds anything but the key."""
    _, fleet = _fleet(tenants, state, every=60)
    tenants.paused.add("initech")
    schedule = fleet.beat_schedule()
    assert set(schedule) == {BEAT_PREFIX + "acme", BEAT_PREFIX + "globex"}
    acme, globex = schedule[BEAT_PREFIX + "acme"], schedule[BEAT_PREFIX + "globex"]
    assert (acme["task"], acme["args"], acme["options"]) == (POLL_TASK, ("acme",), {"expires": 60.0})
    assert globex["schedule"].run_every == timedelta(seconds=30)
    assert acme["schedule"].offset != globex["schedule"].offset
    assert tenants.passwords["acme"] not in repr(schedule)


def test_staggered_fires_once_a_period_at_its_offset() -> None:
    """Every 60 s at +15 s: due once the slot at :15 has passed since the last run, then not until the next."""
    now = datetime(2031, 1, 1, 12, 0, 20, tzinfo=timezone.utc)
    every = staggered(60, 15, nowfun=lambda: now)
    due, wait = every.is_due(now - timedelta(seconds=10))  # last ran at 12:00:10, before the 12:00:15 slot
    assert due and wait == pytest.approx(55)
    due, wait = every.is_due(now - timedelta(seconds=4))  # ran at 12:00:16: done for this period
    assert not due and wait == pytest.approx(55)
    assert staggered(60, 75).offset == 15 and staggered(60, 15) == staggered(60, 15) != staggered(60, 16)


def test_the_fleet_scheduler_follows_tenants_added_and_removed(
    tenants: Tenants, state: Callable[[str], FeedStore], tmp_path: Path
) -> None:
    """Beat with FleetScheduler: the tenants' entries beside the app's own; a refresh adds a new tenant and drops
    a removed one; a lookup that fails keeps the schedule as it was."""
    app, fleet = _fleet(tenants, state)
    app.conf.beat_schedule = {"app-own": {"task": "app.cleanup", "schedule": 3600.0}}
    scheduler = FleetScheduler(app=app, schedule_filename=str(tmp_path / "beat"))
    try:
        assert set(scheduler.schedule) >= {"app-own", BEAT_PREFIX + "acme", BEAT_PREFIX + "globex"}
        with FakeTenant(candidates=10, tenant="initech") as initech:
            tenants.add(initech)
        del tenants.fakes["acme"]
        scheduler.refresh()
        names = set(scheduler.schedule)
        assert {"app-own", BEAT_PREFIX + "globex", BEAT_PREFIX + "initech"} <= names
        assert BEAT_PREFIX + "acme" not in names
        tenants.fakes = None  # type: ignore[assignment]  # the lookup now fails
        scheduler.refresh()
        assert set(scheduler.schedule) == names
    finally:
        scheduler.close()
    assert isinstance(fleet, Fleet)


def test_the_run_lease_passes_every_store_method_through() -> None:
    """The store the feed sees during a run overrides every public FeedStore method (a method added to the
    interface must be passed through, not fall back to the interface's NotImplementedError)."""
    public = {name for name in vars(FeedStore) if not name.startswith("_") and callable(getattr(FeedStore, name))}
    assert public <= set(vars(_TaskLease))


@pytest.mark.skipif(not hasattr(InterviewFeed, "deliver"), reason="InterviewFeed.deliver(sink) is not there yet")
def test_a_sink_with_send_is_delivered_through_the_feeds_own_delivery(
    tenants: Tenants, state: Callable[[str], FeedStore]
) -> None:
    """A sink with ``send(change)`` (a WebhookSink) goes through ``feed.deliver(sink)``: every change accepted
    is acknowledged."""
    from workday_recruiting.webhooks import SendResult

    sent: list[InterviewChange] = []

    class Receiver:
        def send(self, change: InterviewChange) -> SendResult:
            sent.append(change)
            return SendResult("accepted", "HTTP 204")

    base = tenants()
    fleet = register(_app(), tenants=lambda: {"acme": attrs.evolve(base["acme"], sink=Receiver())}, state=state)
    summary = fleet.poll("acme")
    assert summary["status"] == "ok" and summary["delivered"] == len(sent) > 0 and summary["pending"] == 0
