"""Push delivery's durable outbox: a change is acknowledged only after a 2xx, retried with backoff across restarts,
in order per interview event, parked as a dead letter when refused, and never lost, not even to ``kill -9``.

The receiver is :class:`test_webhooks.Receiver` (signatures checked by the independent ``standardwebhooks``); the
tenant is a FakeTenant; the ``kill -9`` test runs the real ``workday-recruiting interviews watch`` as a process.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from test_webhooks import SECRET, Receiver
from workday_recruiting import ConfigurationError, RecruitingClient, Timeouts
from workday_recruiting.feed import FeedLockedError, FeedStore, InterviewFeed, SQLiteFeedStore
from workday_recruiting.feed._store import StateUpdate, StoredChange, encode_body
from workday_recruiting.testing import FakeTenant
from workday_recruiting.webhooks import DeliveryPolicy, WebhookSink

Factory = Callable[..., FakeTenant]
#: Retries without waiting to speak of (the schedule itself is tested on DeliveryPolicy).
FAST = DeliveryPolicy(initial_backoff=0.02, max_backoff=0.2, jitter=0.02)


@pytest.fixture
def fake(fake_tenant_factory: Factory) -> FakeTenant:
    return fake_tenant_factory(candidates=300)


@pytest.fixture
def client(fake: FakeTenant) -> Iterator[RecruitingClient]:
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as c:
        yield c


@pytest.fixture
def feed(client: RecruitingClient, tmp_path: Path) -> Iterator[InterviewFeed]:
    with client.interviews.feed(tmp_path / "feed.sqlite", days=14) as f:
        yield f


# -- the outbox in the store ---------------------------------------------------------------------------------------


OpenStore = Callable[[], FeedStore]


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenStore]:
    """Opens the same outbox each call: a SQLite file, or a PostgreSQL schema (the SQL both share)."""
    opened: list[FeedStore] = []

    def sqlite() -> FeedStore:
        return SQLiteFeedStore(tmp_path / "outbox.sqlite", tenant="acme")

    opener: OpenStore = sqlite
    if request.param == "postgres":
        from workday_recruiting.feed import PostgresFeedStore

        dsn, schema = request.getfixturevalue("postgres_dsn"), request.getfixturevalue("postgres_schema")

        def postgres() -> FeedStore:
            return PostgresFeedStore(dsn, tenant="acme", schema=schema)

        opener = postgres

    def open_one() -> FeedStore:
        store = opener()
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


def _store(open_store: OpenStore, rows: list[tuple[str, str]]) -> FeedStore:
    """A store whose outbox holds ``(change_id, event_wid)`` rows, in that order."""
    store = open_store()
    assert store.acquire("test", 60)
    changes = [StoredChange(cid, event, f"session-{cid}", "scheduled", encode_body({})) for cid, event in rows]
    store.commit(StateUpdate(watermark=None, last_poll=datetime.now(timezone.utc), changes=changes), owner="test")
    store.release("test")
    return store


def _ids(rows: list[StoredChange]) -> list[str]:
    return [row.change_id for row in rows]


ROWS = [("a1", "E1"), ("a2", "E1"), ("b1", "E2"), ("a3", "E1"), ("c1", "E3")]


def test_due_changes_are_the_oldest_of_each_event_in_order(open_store: OpenStore) -> None:
    """One change per interview event at a time, the oldest first; events do not wait for each other."""
    store = _store(open_store, ROWS)
    assert _ids(store.due(time.time())) == ["a1", "b1", "c1"]
    assert _ids(store.due(time.time(), limit=2)) == ["a1", "b1"]
    store.ack(["a1"])
    assert _ids(store.due(time.time())) == ["a2", "b1", "c1"]


def test_a_failed_change_holds_back_its_event_until_its_next_attempt(open_store: OpenStore) -> None:
    """After a failure the change waits for its next attempt, and its event's later changes wait behind it."""
    store = _store(open_store, ROWS)
    now = time.time()
    store.record_failure("a1", "HTTP 503", now + 100)
    assert _ids(store.due(now)) == ["b1", "c1"]
    assert _ids(store.due(now + 101)) == ["a1", "b1", "c1"]
    store.ack(["b1", "c1"])
    assert store.next_due() == pytest.approx(now + 100)
    (row,) = [r for r in store.pending() if r.change_id == "a1"]
    assert (row.attempts, row.last_error, row.dead) == (1, "HTTP 503", False)


def test_a_dead_letter_is_set_aside_and_its_event_moves_on(open_store: OpenStore) -> None:
    """A dead letter is not due, not pending, listed among the dead letters; the event's next change is due."""
    store = _store(open_store, ROWS)
    assert store.dead_letter("a1", "HTTP 410: gone")
    assert not store.dead_letter("a1", "again")  # only a pending, live change becomes one
    assert _ids(store.due(time.time())) == ["a2", "b1", "c1"]
    assert "a1" not in _ids(store.pending()) and "a1" in _ids(store.pending(include_dead=True))
    (letter,) = store.dead_letters()
    assert (letter.change_id, letter.last_error, letter.dead, letter.attempts) == ("a1", "HTTP 410: gone", True, 1)


def test_requeued_changes_are_due_at_once_and_in_their_place(open_store: OpenStore) -> None:
    """A requeued dead letter (or waiting change) is due now, attempts from zero, ahead of its event's later ones."""
    store = _store(open_store, ROWS)
    store.dead_letter("a1", "HTTP 400")
    store.record_failure("b1", "HTTP 503", time.time() + 3600)
    assert store.requeue(["a1", "b1", "nope"]) == 2
    assert _ids(store.due(time.time())) == ["a1", "b1", "c1"]
    assert store.dead_letters() == []
    assert all(row.attempts == 0 for row in store.pending())


def test_the_outbox_survives_the_process(open_store: OpenStore) -> None:
    """Attempts, errors, next attempts and dead letters are in the store: another store on it sees them."""
    store = _store(open_store, ROWS)
    store.record_failure("a1", "x" * 5000, time.time() + 50)
    store.dead_letter("c1", "HTTP 404")
    store.close()
    again = open_store()
    (a1,) = [r for r in again.pending() if r.change_id == "a1"]
    assert a1.attempts == 1 and a1.last_error is not None and len(a1.last_error) == 1000
    assert _ids(again.due(time.time())) == ["b1"]
    assert _ids(again.dead_letters()) == ["c1"]
    assert again.lease_holder() is None
    assert again.acquire("me", 60)
    holder = again.lease_holder()
    assert holder is not None and holder[0] == "me"


# -- the retry schedule --------------------------------------------------------------------------------------------


def test_the_backoff_doubles_up_to_its_cap_and_honours_retry_after() -> None:
    """Exponential waits, capped; a Retry-After replaces them, within its own cap."""
    policy = DeliveryPolicy(initial_backoff=1, max_backoff=10, jitter=0, max_retry_after=60)
    assert [policy.wait(n) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]
    assert policy.wait(3, retry_after=7) == 7
    assert policy.wait(3, retry_after=3600) == 60
    jittered = DeliveryPolicy(initial_backoff=1, jitter=0.5)
    assert all(2 <= jittered.wait(2) <= 2.5 for _ in range(20))


@pytest.mark.parametrize(
    "kwargs", [{"initial_backoff": -1}, {"jitter": float("nan")}, {"max_attempts": 0}, {"max_backoff": "1"}]
)
def test_a_malformed_policy_is_refused(kwargs: dict[str, Any]) -> None:
    """Negative or non-finite waits and fewer than one attempt are configuration errors."""
    with pytest.raises(ConfigurationError):
        DeliveryPolicy(**kwargs)


# -- deliver() against a receiver ----------------------------------------------------------------------------------


def test_deliver_sends_what_is_pending_and_acknowledges_what_was_accepted(feed: InterviewFeed) -> None:
    """Every pending change is POSTed once and acknowledged; the feed has nothing pending after."""
    batch = feed.poll()
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink:
        report = feed.deliver(sink)
    assert set(report.delivered) == {c.id for c in batch} == set(receiver.acknowledged_ids())
    assert len(receiver.received) == len(batch) and all(r.verified for r in receiver.received)
    assert (report.retrying, report.dead_lettered, report.next_attempt) == ((), (), None)
    assert len(feed.pending()) == 0


def test_a_failing_receiver_gets_the_changes_again_once_they_are_due(feed: InterviewFeed) -> None:
    """A 503 leaves the change pending with its error, and its event's later changes wait behind it; nothing is sent
    before the next attempt is due; then everything is."""
    batch = feed.poll()
    heads = list({c.interview_wid: c.id for c in reversed(batch.changes)}.values())
    slow = DeliveryPolicy(initial_backoff=3600, max_backoff=7200, jitter=0)
    with Receiver(behave=lambda n, i: "503") as receiver, WebhookSink(receiver.url, SECRET) as sink:
        report = feed.deliver(sink, policy=slow)
        assert report.delivered == () and sorted(report.retrying) == sorted(heads)
        assert report.next_attempt is not None and report.next_attempt > time.time() + 3000
        assert feed.deliver(sink).retrying == ()  # nothing due yet: nothing sent
        assert len(receiver.received) == len(heads)
        pending = feed.store.pending()
        assert len(pending) == len(batch)
        assert all(row.attempts == 1 and row.last_error == "HTTP 503" for row in pending if row.change_id in heads)
        assert all(row.attempts == 0 for row in pending if row.change_id not in heads)
        receiver.behave = lambda n, i: "ok"
        feed.store.requeue(_ids(pending))
        assert len(feed.deliver(sink).delivered) == len(batch)
    assert len(feed.pending()) == 0


def test_retry_after_sets_the_next_attempt(feed: InterviewFeed) -> None:
    """A 429 with Retry-After: 7 is tried again in 7 seconds, not on the computed backoff."""
    feed.poll()
    with Receiver(behave=lambda n, i: "429:7") as receiver, WebhookSink(receiver.url, SECRET) as sink:
        before = time.time()
        feed.deliver(sink, policy=DeliveryPolicy(initial_backoff=1000, max_backoff=1000, jitter=0))
    due = feed.store.next_due()
    assert due is not None and before + 6 <= due <= time.time() + 7.5


def test_refused_changes_become_dead_letters_and_can_be_sent_again(feed: InterviewFeed) -> None:
    """A 4xx parks each change as a dead letter (error kept); requeued, they are delivered."""
    batch = feed.poll()
    with Receiver(behave=lambda n, i: "422") as receiver, WebhookSink(receiver.url, SECRET) as sink:
        report = feed.deliver(sink)
        assert set(report.dead_lettered) == {c.id for c in batch} and report.next_attempt is None
        assert len(feed.pending()) == 0
        letters = feed.store.dead_letters()
        assert len(letters) == len(batch) and all(row.last_error == "HTTP 422" for row in letters)
        receiver.behave = lambda n, i: "ok"
        assert feed.store.requeue(_ids(letters)) == len(batch)
        assert set(feed.deliver(sink).delivered) == {c.id for c in batch}
    assert feed.store.dead_letters() == [] and len(feed.pending()) == 0


def test_a_change_retried_max_attempts_times_becomes_a_dead_letter(feed: InterviewFeed) -> None:
    """With max_attempts, a change still not accepted after that many attempts is given up as a dead letter."""
    batch = feed.poll()
    policy = DeliveryPolicy(initial_backoff=0, jitter=0, max_attempts=3)
    with Receiver(behave=lambda n, i: "500") as receiver, WebhookSink(receiver.url, SECRET) as sink:
        feed.deliver(sink, policy=policy, wait=30)
    assert len(receiver.received) == 3 * len(batch)
    letters = feed.store.dead_letters()
    assert len(letters) == len(batch)
    assert all(row.attempts == 3 and (row.last_error or "").startswith("gave up after 3 attempts") for row in letters)


def test_a_corrupt_change_is_set_aside_and_the_rest_delivered(feed: InterviewFeed, tmp_path: Path) -> None:
    """An outbox row that cannot be read becomes a dead letter; it does not stop the others."""
    batch = feed.poll()
    import sqlite3

    with sqlite3.connect(tmp_path / "feed.sqlite") as conn:
        conn.execute("UPDATE feed_outbox SET body = ? WHERE change_id = ?", (b"garbage", batch[0].id))
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink:
        report = feed.deliver(sink)
    assert report.dead_lettered == (batch[0].id,)
    assert set(report.delivered) == {c.id for c in batch[1:]}


def test_no_delivery_while_another_process_holds_the_feed(feed: InterviewFeed) -> None:
    """Delivery runs under the feed's lease: while another owner holds it, nothing is sent."""
    feed.poll()
    assert feed.store.acquire("someone-else", 60)
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink, pytest.raises(FeedLockedError):
        feed.deliver(sink)
    assert receiver.received == []


def test_a_stop_request_ends_the_delivery_between_two_changes(feed: InterviewFeed) -> None:
    """should_stop is asked between changes: the change in hand is finished, the rest stay pending."""
    batch = feed.poll()
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink:
        report = feed.deliver(sink, should_stop=lambda: len(receiver.received) >= 3)
    assert report.stopped and len(report.delivered) == 3
    assert len(feed.pending()) == len(batch) - 3


def test_through_a_chaotic_receiver_every_change_arrives_once_acknowledged_and_in_order_per_event(
    fake: FakeTenant, feed: InterviewFeed
) -> None:
    """A receiver failing 30% of the time (5xx, 429, resets), often slow, now and then answering after the sender
    gave up: every change is acknowledged, none is sent again after its 2xx, and an event's changes are accepted
    in the order they were found, the next one sent only after the one before it was accepted."""
    first = feed.poll()
    events = list(dict.fromkeys(c.interview_wid or "" for c in first))
    for wid in events[:3]:
        fake.dataset.move_interview(wid, timedelta(hours=1))
    fake.dataset.move_interview(events[0], timedelta(hours=1))
    fake.dataset.update_interview(events[3], status="cancelled")
    pending = feed.poll()
    order: dict[str, list[str]] = defaultdict(list)
    for change in pending:
        order[change.interview_wid or ""].append(change.id)
    assert max(len(ids) for ids in order.values()) >= 3
    rng = random.Random(30)

    def chaos(n: int, change_id: str) -> str:
        r = rng.random()
        if r < 0.30:
            return rng.choice(["500", "503", "502", "reset", "reset", "429:0"])
        if r < 0.34:
            return "late"
        return "slow" if r < 0.5 else "ok"

    with Receiver(behave=chaos) as receiver:
        receiver.late_after = 1.2
        with WebhookSink(receiver.url, SECRET, timeouts=Timeouts(connect=1, read=0.8, total=1)) as sink:
            report = feed.deliver(sink, policy=FAST, wait=120)
        received = receiver.snapshot()

    assert len(feed.pending()) == 0 and feed.store.dead_letters() == []
    assert set(report.delivered) == {c.id for c in pending}
    assert all(r.verified for r in received)
    assert {"reset", "late", "slow"} <= {r.behaviour for r in received}
    accepted_at = {}
    for record in received:
        if record.acknowledged:
            accepted_at.setdefault(record.id, record.answered_at)
    assert set(accepted_at) == {c.id for c in pending}
    again = [r for r in received if r.id in accepted_at and r.at > accepted_at[r.id]]
    assert again == [], "a change was sent again after the receiver acknowledged it"
    for ids in order.values():
        assert sorted(ids, key=accepted_at.__getitem__) == ids
        for earlier, later in itertools.pairwise(ids):
            first_sent = min(r.at for r in received if r.id == later)
            assert first_sent >= accepted_at[earlier], "an event's next change was sent before the last was accepted"


# -- kill -9 -------------------------------------------------------------------------------------------------------


class _Watch:
    """``workday-recruiting interviews watch --webhook-url ...`` as a process, its stderr collected."""

    def __init__(self, fake: FakeTenant, state: Path, url: str, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WORKDAY_")}
        env.update(
            WORKDAY_WSDL_URL=fake.wsdl_url,
            WORKDAY_USERNAME=fake.username,
            WORKDAY_PASSWORD=fake.password,
            WORKDAY_WEBHOOK_SECRET=SECRET,
            XDG_CONFIG_HOME=str(tmp_path / "no-config"),
        )
        argv = ["interviews", "watch", "--state", str(state), "--webhook-url", url, "--interval", "1"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workday_recruiting", *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.close()

    def close(self) -> int:
        code = self.process.wait(30)
        self._reader.join(5)
        assert self.process.stderr is not None
        self.process.stderr.close()
        return code


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_kill_9_mid_delivery_then_restart_loses_nothing(
    fake: FakeTenant, client: RecruitingClient, tmp_path: Path
) -> None:
    """The watcher is killed (SIGKILL) while a receiver that fails 30% of the time holds a delivery; changes keep
    happening; a new watcher on the same state delivers every change, and sends again only the one in flight."""
    state = tmp_path / "feed.sqlite"
    window = {s.session.wid for s in client.interviews.upcoming(days=14)}
    rng = random.Random(9)
    hold_at = 6

    def chaos(n: int, change_id: str) -> str:
        if n == hold_at:
            return "hold"
        r = rng.random()
        return "503" if r < 0.15 else "reset" if r < 0.3 else "slow" if r < 0.45 else "ok"

    with Receiver(behave=chaos) as receiver:
        first = _Watch(fake, state, receiver.url, tmp_path)
        try:
            assert receiver.holding.wait(90), "the watcher never reached the receiver"
        finally:
            first.process.kill()  # SIGKILL, mid-delivery: the receiver holds request number hold_at
        assert first.close() == -signal.SIGKILL
        in_flight = receiver.snapshot()[hold_at].id
        receiver.release.set()  # its 200 goes to a sender that is gone
        moved = next(iter({r.payload["data"]["interview_wid"] for r in receiver.snapshot() if r.acknowledged}))
        fake.dataset.move_interview(moved, timedelta(hours=3))  # a change while no watcher runs

        second = _Watch(fake, state, receiver.url, tmp_path)
        outbox = SQLiteFeedStore(state, tenant=fake.tenant)

        def settled() -> bool:
            kinds = {
                (r.payload["data"]["session_wid"], r.payload["type"]) for r in receiver.snapshot() if r.acknowledged
            }
            rescheduled = {s for s, kind in kinds if kind == "interview.rescheduled"}
            scheduled = {s for s, kind in kinds if kind == "interview.scheduled"}
            return window <= scheduled and bool(rescheduled) and not outbox.pending(include_dead=True)

        try:
            _wait_for(settled, 120, "every change to be delivered after the restart")
        finally:
            code = second.stop()
        assert code == 0, "".join(second.lines)
        received = receiver.snapshot()

    assert all(r.verified for r in received)
    accepted_at: dict[str, float] = {}
    for record in received:
        if record.acknowledged:
            accepted_at.setdefault(record.id, record.answered_at)
    assert in_flight in accepted_at, "the change in flight at the crash was never delivered"
    again = {r.id for r in received if r.id in accepted_at and r.at > accepted_at[r.id]}
    assert again <= {in_flight}, f"acknowledged changes sent again: {again - {in_flight}}"
    moved_sessions = {r.payload["data"]["session_wid"] for r in received if r.payload["data"]["interview_wid"] == moved}
    for session in moved_sessions:
        scheduled = [
            accepted_at[r.id]
            for r in received
            if r.id in accepted_at
            and r.payload["data"]["session_wid"] == session
            and r.payload["type"] == "interview.scheduled"
        ]
        rescheduled = [
            accepted_at[r.id]
            for r in received
            if r.id in accepted_at
            and r.payload["data"]["session_wid"] == session
            and r.payload["type"] == "interview.rescheduled"
        ]
        assert scheduled and rescheduled and min(scheduled) < min(rescheduled)


def test_a_lease_left_by_a_killed_process_of_this_machine_is_released(tmp_path: Path) -> None:
    """The lease of a process that is gone (killed while holding it) is released; a live holder's, or another
    machine's, is not."""
    import socket

    from workday_recruiting.webhooks._delivery import reclaim_stale_lease

    store = SQLiteFeedStore(tmp_path / "lease.sqlite", tenant="acme")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(30)
    host = socket.gethostname()
    for owner, released in [
        (f"{host}:{gone.pid}:abc", True),
        (f"{host}:{os.getpid()}:abc", False),
        (f"{host}:1:abc", False),  # init: alive
        (f"elsewhere:{gone.pid}:abc", False),
    ]:
        assert store.acquire(owner, 600)
        assert reclaim_stale_lease(store) is released, owner
        assert (store.lease_holder() is None) is released
        store.release(owner)
