"""What every feed state store does, checked against SQLite and PostgreSQL alike (one suite, two databases).

Each test gets a fresh database: a SQLite file of its own, or a PostgreSQL schema of its own in the session's
throwaway server (see ``tests/_postgres.py``). ``db.store(tenant)`` opens another store on the same database (as
another worker would), ``db.execute(sql)`` changes it behind the stores' backs (corruption, a newer SDK).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from workday_recruiting._sync import Watermark
from workday_recruiting.feed import (
    SCHEMA_VERSION,
    FeedLockedError,
    FeedStateError,
    PostgresFeedStore,
    SessionValues,
    SqlFeedStore,
    SQLiteFeedStore,
)
from workday_recruiting.feed._store import EventRow, SessionRow, StateUpdate, StoredChange, StoredEvent

NOW = datetime(2031, 5, 6, 9, 0, tzinfo=timezone.utc)


@attrs.define
class Database:
    """One test's database, and how to open stores on it."""

    kind: str
    open_store: Callable[..., SqlFeedStore]
    execute: Callable[[str], list[tuple[Any, ...]]]
    #: What makes a lease's holder count as gone: its lease expired (SQLite), its session ended (PostgreSQL).
    lose_lease: Callable[[SqlFeedStore, str], None]
    opened: list[SqlFeedStore] = attrs.Factory(list)

    def store(self, tenant: str = "acme", **kwargs: Any) -> SqlFeedStore:
        store = self.open_store(tenant=tenant, **kwargs)
        self.opened.append(store)
        return store


def _sqlite_database(path: Path) -> Database:
    def execute(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as conn:
            return conn.execute(sql).fetchall()

    def open_store(*, tenant: str, cls: type[SQLiteFeedStore] = SQLiteFeedStore) -> SqlFeedStore:
        return cls(path, tenant=tenant)

    def lose_lease(store: SqlFeedStore, owner: str) -> None:
        assert store.acquire(owner, ttl=-1.0)  # renewed into the past: expired

    return Database("sqlite", open_store, execute, lose_lease)


def _postgres_database(dsn: str, schema: str) -> Database:
    import psycopg

    def execute(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def open_store(*, tenant: str, cls: type[PostgresFeedStore] = PostgresFeedStore) -> SqlFeedStore:
        return cls(dsn, tenant=tenant, schema=schema)

    def lose_lease(store: SqlFeedStore, owner: str) -> None:
        store.close()  # the session ends: its advisory lock goes with it

    return Database("postgres", open_store, execute, lose_lease)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh database of each kind."""
    if request.param == "sqlite":
        database = _sqlite_database(tmp_path / "feed.sqlite")
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        database = _postgres_database(dsn, request.getfixturevalue("postgres_schema"))
    try:
        yield database
    finally:
        for store in database.opened:
            store.close()


def _values(hour: int, url: str | None = None) -> SessionValues:
    start = NOW + timedelta(hours=hour)
    return SessionValues(start=start, end=start + timedelta(hours=1), time_zone="Europe/London", meeting_url=url)


def _change(n: int, event: str = "ev1") -> StoredChange:
    return StoredChange(change_id=f"ic_{n:032x}", event_wid=event, session_wid=f"s{n}", kind="scheduled", body=b"x")


def _update(changes: tuple[StoredChange, ...] = (), **kwargs: Any) -> StateUpdate:
    return StateUpdate(watermark=Watermark("candidates", upper=NOW), last_poll=NOW, changes=changes, **kwargs)


def _commit(store: SqlFeedStore, update: StateUpdate, owner: str = "poller") -> list[StoredChange]:
    assert store.acquire(owner, 60)
    try:
        return store.commit(update, owner=owner)
    finally:
        store.release(owner)


def test_a_new_store_starts_empty(db: Database) -> None:
    """A store on an empty database creates its schema and loads an empty state."""
    state = db.store().load()
    assert (state.watermark, state.last_poll, state.last_reconcile, state.events, state.sessions) == (
        None,
        None,
        None,
        {},
        {},
    )
    assert db.store().pending() == []
    assert db.execute("SELECT version FROM feed_schema") == [(SCHEMA_VERSION,)]


def test_a_commit_is_loaded_back_as_written(db: Database) -> None:
    """Watermark, poll times, tracked events (with their XML), candidates and sessions come back as committed."""
    row = EventRow("ev1", "CAND-1", "APP-1", NOW + timedelta(hours=3), "ok")
    update = _update(
        last_reconcile=NOW,
        events=[StoredEvent(row, b"<wd:Interview/>", b"<wd:Conference/>")],
        candidates=[("CAND-1", b"<wd:Candidate/>")],
        sessions=[SessionRow("s1", "ev1", 1, _values(3, "https://meet/1"))],
    )
    _commit(db.store(), update)
    state = db.store().load()  # another worker's store sees the same
    assert state.watermark == update.watermark
    assert (state.last_poll, state.last_reconcile) == (NOW, NOW)
    assert state.events == {"ev1": row}
    assert state.sessions == {"s1": SessionRow("s1", "ev1", 1, _values(3, "https://meet/1"))}
    assert db.store().event_xml("ev1") == (b"<wd:Interview/>", b"<wd:Conference/>", b"<wd:Candidate/>")
    assert db.store().event_xml("nope") is None


def test_an_event_written_without_its_conference_keeps_the_stored_one(db: Database) -> None:
    """A poll that did not read an event's web-conference data rewrites the event but leaves that answer as it was."""
    row = EventRow("ev1", "CAND-1", "APP-1", NOW + timedelta(hours=3), "ok")
    stored = StoredEvent(row, b"<wd:Interview/>", b"<wd:Conference/>")
    _commit(db.store(), _update(events=[stored], candidates=[("CAND-1", b"<wd:Candidate/>")]))
    moved = attrs.evolve(row, next_start=NOW + timedelta(hours=4))
    unread = StoredEvent(moved, b"<wd:Interview a='moved'/>", None, conference_read=False)
    new = StoredEvent(EventRow("ev2", "CAND-1", "APP-1", NOW, "unchecked"), b"<wd:Interview/>", None, False)

    _commit(db.store(), _update(events=[unread, new]))

    assert db.store().load().events["ev1"] == moved
    assert db.store().event_xml("ev1") == (b"<wd:Interview a='moved'/>", b"<wd:Conference/>", b"<wd:Candidate/>")
    assert db.store().event_xml("ev2") == (b"<wd:Interview/>", None, b"<wd:Candidate/>")


def test_dropped_events_and_sessions_are_gone_and_unneeded_candidates_with_them(db: Database) -> None:
    """A later commit's drops remove the rows; a candidate no tracked event names is deleted too."""
    row = EventRow("ev1", "CAND-1", "APP-1", NOW, "ok")
    store = db.store()
    _commit(
        store,
        _update(
            events=[StoredEvent(row, b"<i/>", None)],
            candidates=[("CAND-1", b"<c/>")],
            sessions=[SessionRow("s1", "ev1", 1, _values(1))],
        ),
    )
    _commit(store, _update(drop_events=["ev1"], drop_sessions=["s1"]))
    state = store.load()
    assert (state.events, state.sessions) == ({}, {})
    assert db.execute("SELECT COUNT(*) FROM feed_candidates") == [(0,)]


def test_changes_are_numbered_in_order_and_a_repeated_change_is_queued_once(db: Database) -> None:
    """The outbox numbers changes in commit order; a change ID already queued (a repeated poll) is not added."""
    store = db.store()
    first = _commit(store, _update((_change(1), _change(2))))
    assert [c.seq for c in first] == [1, 2]
    _commit(store, _update((_change(2), _change(3))))
    pending = store.pending()
    assert [c.change_id for c in pending] == [_change(1).change_id, _change(2).change_id, _change(3).change_id]
    assert [c.seq for c in pending] == sorted(c.seq for c in pending)
    assert pending[0].body == b"x" and isinstance(pending[0].body, bytes)


def test_an_acknowledged_change_is_gone_and_acknowledging_it_again_removes_nothing(db: Database) -> None:
    """ack() removes the changes and counts them once: a second ack (another worker's) counts 0."""
    store = db.store()
    _commit(store, _update((_change(1), _change(2))))
    assert store.ack([_change(1).change_id, _change(1).change_id]) == 1
    assert db.store().ack([_change(1).change_id, "ic_unknown"]) == 0
    assert [c.change_id for c in store.pending()] == [_change(2).change_id]


def test_a_commit_without_the_lease_writes_nothing(db: Database) -> None:
    """commit() refuses an owner that does not hold the lease (FeedLockedError), and nothing lands."""
    store = db.store()
    with pytest.raises(FeedLockedError):
        store.commit(_update((_change(1),)), owner="nobody")
    assert store.pending() == []
    assert store.load().watermark is None


def test_one_lease_holder_at_a_time(db: Database) -> None:
    """While one owner holds the lease another is refused; the holder renews; after release the other gets it."""
    mine, theirs = db.store(), db.store()
    assert mine.acquire("a", 60)
    assert not theirs.acquire("b", 60)
    holder = theirs.lease_holder()
    assert holder is not None and holder[0] == "a" and holder[1] > time.time()
    assert mine.acquire("a", 60)  # renewal
    theirs.release("b")  # not the holder: a no-op
    assert not theirs.acquire("b", 60)
    mine.release("a")
    assert theirs.acquire("b", 60)
    assert not mine.acquire("a", 60)


def test_a_poller_whose_lease_was_taken_over_cannot_commit(db: Database) -> None:
    """The commit is fenced: once another owner has taken over a lease whose holder was gone, the old holder's
    commit is refused and writes nothing, and the new holder's commit lands."""
    old, new = db.store(), db.store()
    assert old.acquire("old", 60)
    db.lose_lease(old, "old")
    assert new.acquire("new", 60)
    with pytest.raises(FeedLockedError):
        old.commit(_update((_change(1),)), owner="old")
    assert new.pending() == []
    new.commit(_update((_change(2),)), owner="new")
    assert [c.change_id for c in old.pending()] == [_change(2).change_id]


def test_exactly_one_of_many_concurrent_pollers_gets_the_lease(db: Database) -> None:
    """Eight workers asking for the same tenant at the same moment: one gets it, seven are refused."""
    stores = [db.store() for _ in range(8)]
    for store in stores:
        store.load()  # connected and migrated, so the race below is on the lease alone
    barrier = threading.Barrier(len(stores))
    results: list[bool] = []
    lock = threading.Lock()

    def ask(index: int) -> None:
        barrier.wait()
        got = stores[index].acquire(f"worker-{index}", 60)
        with lock:
            results.append(got)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_workers_starting_together_migrate_once(db: Database) -> None:
    """Eight stores opening a fresh database at once: all succeed, and there is one schema version row."""
    stores = [db.store(f"tenant-{i}") for i in range(8)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def open_it(store: SqlFeedStore) -> None:
        barrier.wait()
        try:
            store.load()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.execute("SELECT version FROM feed_schema") == [(SCHEMA_VERSION,)]


def test_tenants_sharing_a_database_never_see_each_other(db: Database) -> None:
    """Two tenants in one database: their state, outbox, acknowledgements and leases are apart."""
    acme, globex = db.store("acme"), db.store("globex")
    _commit(acme, _update((_change(1),), sessions=[SessionRow("s1", "ev1", 1, _values(1))]))
    assert globex.load().sessions == {}
    assert globex.pending() == []
    assert globex.ack([_change(1).change_id]) == 0  # globex cannot acknowledge acme's change
    assert [c.change_id for c in acme.pending()] == [_change(1).change_id]
    assert acme.acquire("a", 60)
    assert globex.acquire("g", 60)  # one tenant's lease does not hold another
    _commit(globex, _update((_change(1),)), owner="g")  # the same change ID in another tenant is its own
    assert len(globex.pending()) == 1 and len(acme.pending()) == 1


def test_a_state_schema_newer_than_the_sdk_is_refused_and_left_as_it_is(db: Database) -> None:
    """A state written by a newer SDK (schema version above SCHEMA_VERSION) is refused with a clear error."""
    db.store().load()
    db.execute(f"UPDATE feed_schema SET version = {SCHEMA_VERSION + 1}")  # noqa: S608 - a number
    with pytest.raises(FeedStateError, match=r"newer workday-recruiting .*upgrade the SDK"):
        db.store().load()
    assert db.execute("SELECT version FROM feed_schema") == [(SCHEMA_VERSION + 1,)]


def test_a_malformed_schema_version_is_refused(db: Database) -> None:
    """Two version rows (a damaged state) are refused, not guessed at."""
    db.store().load()
    db.execute("INSERT INTO feed_schema (version) VALUES (1)")
    with pytest.raises(FeedStateError, match="malformed schema version"):
        db.store().load()


def test_an_older_state_is_upgraded_in_place_and_then_refused_by_the_older_sdk(db: Database) -> None:
    """A store of the next schema version runs its upgrade on an older state, keeps the data, records the version;
    the older store then refuses the state as newer."""
    old = db.store()
    _commit(old, _update((_change(1),)))
    old.close()
    base: type[SqlFeedStore] = SQLiteFeedStore if db.kind == "sqlite" else PostgresFeedStore

    class NextStore(base):  # type: ignore[valid-type, misc]
        _schema_version = SCHEMA_VERSION + 1
        _upgrades = MappingProxyType({SCHEMA_VERSION + 1: ("ALTER TABLE feed_outbox ADD COLUMN receiver TEXT",)})

    upgraded = db.store(cls=NextStore)
    assert [c.change_id for c in upgraded.pending()] == [_change(1).change_id]
    assert db.execute("SELECT version FROM feed_schema") == [(SCHEMA_VERSION + 1,)]
    assert db.execute("SELECT receiver FROM feed_outbox") == [(None,)]
    with pytest.raises(FeedStateError, match="newer"):
        db.store().load()


def test_a_corrupt_value_in_the_state_is_refused_without_changing_anything(db: Database) -> None:
    """A session row whose values are not JSON makes load() raise FeedStateError; the row is left alone."""
    _commit(db.store(), _update(sessions=[SessionRow("s1", "ev1", 1, _values(1))]))
    db.execute("UPDATE feed_sessions SET value_json = 'not json'")
    with pytest.raises(FeedStateError, match="cannot read"):
        db.store().load()
    assert db.execute("SELECT value_json FROM feed_sessions") == [("not json",)]


def test_times_are_kept_to_the_subsecond(db: Database) -> None:
    """Epoch times (lease expiry, next attempts) are 8-byte floats in both databases: nothing rounds them."""
    store = db.store()
    assert store.acquire("a", 1.25)
    (expires,) = db.execute("SELECT expires FROM feed_lease")[0]
    assert expires % 1 != 0  # a 4-byte REAL would round an epoch to 128 seconds
    _commit(store, _update((_change(1),)), owner="a")
    store.record_failure(_change(1).change_id, "HTTP 503", 2_000_000_000.5)
    assert db.execute("SELECT next_attempt FROM feed_outbox") == [(2_000_000_000.5,)]
