"""Where an interview feed keeps its state: the SQL schema, the SQLite store, and what every store must do.

A store holds, per tenant key:

* ``feed_meta``: the transaction-log watermark, the last poll and the last reconcile;
* ``feed_events``: the interview events the feed tracks (those with a session delivered, or starting in the
  window, or parked ahead of it), with their last ``wd:Interview`` element and web-conference answer;
* ``feed_candidates``: the last ``wd:Candidate`` element of each tracked event's candidate;
* ``feed_sessions``: each delivered session's compared values (:class:`~.SessionValues`) and version;
* ``feed_outbox``: the changes not yet acknowledged, in order (``seq``), each with its payload.

One poll's findings are written in **one transaction** (:meth:`FeedStore.commit`): the new tracked state, the new
changes and the new watermark land together or not at all, so a process killed mid-poll leaves the state as the
previous poll left it, and the next poll finds the same changes again (with the same IDs). The transaction is
fenced by the poll's lease: a poller whose lease was taken over (it stalled past the lease's time to live) cannot
commit.

The SQL is written once, in the dialect SQLite and PostgreSQL share (``ON CONFLICT ... DO UPDATE``); a store for
another database subclasses :class:`SqlFeedStore` with its connection and placeholders.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs

from .._errors import ConfigurationError, WorkdayError
from .._sync import Watermark
from ._changes import SessionValues

__all__ = [
    "SCHEMA_VERSION",
    "EventRow",
    "FeedLockedError",
    "FeedState",
    "FeedStateError",
    "FeedStore",
    "SQLiteFeedStore",
    "SessionRow",
    "SqlFeedStore",
    "StateUpdate",
    "StoredChange",
]

#: The state schema this version of the SDK writes (and the newest it reads).
SCHEMA_VERSION: Final = 1


class FeedStateError(WorkdayError):
    """The feed's state cannot be used: not a state store, corrupt, written by a newer SDK, or another tenant's.

    Nothing is changed or deleted: move the file (or schema) aside to start over; the feed then delivers every
    session of the window again, as ``scheduled``.
    """


class FeedLockedError(WorkdayError):
    """Another poller holds this tenant's feed (its lease has not expired): this one did not poll."""


@attrs.frozen
class EventRow:
    """A tracked interview event, as the state holds it (without its XML)."""

    wid: str
    candidate_id: str
    application_id: str
    next_start: datetime | None
    conference: str


@attrs.frozen
class SessionRow:
    """A delivered session: its event, its version (changes so far) and its compared values."""

    session_wid: str
    event_wid: str
    version: int
    values: SessionValues


@attrs.frozen
class FeedState:
    """What a poll starts from."""

    watermark: Watermark | None
    last_poll: datetime | None
    last_reconcile: datetime | None
    events: dict[str, EventRow]
    sessions: dict[str, SessionRow]


@attrs.frozen
class StoredEvent:
    """A tracked event to write: the row plus its XML and its web-conference answer.

    ``conference_read=False``: the poll did not read the event's web-conference data, and the stored answer is kept
    (``conference_xml`` is then written only for an event new to the state).
    """

    row: EventRow
    interview_xml: bytes
    conference_xml: bytes | None
    conference_read: bool = True


@attrs.frozen
class StoredChange:
    """A change in the outbox: its ID, order, session and serialised body (see ``_codec``)."""

    change_id: str
    event_wid: str
    session_wid: str
    kind: str
    body: bytes
    seq: int = 0
    attempts: int = 0
    last_error: str | None = None
    dead: bool = False


@attrs.frozen
class StateUpdate:
    """One poll's findings, written in one transaction by :meth:`FeedStore.commit`."""

    watermark: Watermark | None
    last_poll: datetime
    last_reconcile: datetime | None = None
    events: Sequence[StoredEvent] = ()
    drop_events: Sequence[str] = ()
    candidates: Sequence[tuple[str, bytes]] = ()
    sessions: Sequence[SessionRow] = ()
    drop_sessions: Sequence[str] = ()
    changes: Sequence[StoredChange] = ()


_TABLES: Final = (
    """CREATE TABLE IF NOT EXISTS feed_schema (version INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS feed_meta (
        tenant TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tenant, key))""",
    """CREATE TABLE IF NOT EXISTS feed_events (
        tenant TEXT NOT NULL, wid TEXT NOT NULL, candidate_id TEXT NOT NULL, application_id TEXT NOT NULL,
        next_start TEXT, conference TEXT NOT NULL, interview_xml {blob} NOT NULL, conference_xml {blob},
        PRIMARY KEY (tenant, wid))""",
    """CREATE TABLE IF NOT EXISTS feed_candidates (
        tenant TEXT NOT NULL, candidate_id TEXT NOT NULL, xml {blob} NOT NULL, PRIMARY KEY (tenant, candidate_id))""",
    """CREATE TABLE IF NOT EXISTS feed_sessions (
        tenant TEXT NOT NULL, session_wid TEXT NOT NULL, event_wid TEXT NOT NULL, version INTEGER NOT NULL,
        value_json TEXT NOT NULL, PRIMARY KEY (tenant, session_wid))""",
    """CREATE TABLE IF NOT EXISTS feed_outbox (
        tenant TEXT NOT NULL, seq BIGINT NOT NULL, change_id TEXT NOT NULL, event_wid TEXT NOT NULL,
        session_wid TEXT NOT NULL, kind TEXT NOT NULL, body {blob} NOT NULL, created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt DOUBLE PRECISION NOT NULL DEFAULT 0, last_error TEXT,
        dead INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant, seq), UNIQUE (tenant, change_id))""",
    """CREATE TABLE IF NOT EXISTS feed_lease (
        tenant TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires DOUBLE PRECISION NOT NULL)""",
)


class FeedStore:
    """What an interview feed needs of its state store (see :class:`SqlFeedStore` for the SQL one).

    Every method is safe to call from any thread. :meth:`commit` is one transaction, fenced by the lease.
    """

    tenant: str

    def load(self) -> FeedState:  # pragma: no cover - interface
        """The state a poll starts from."""
        raise NotImplementedError

    def commit(self, update: StateUpdate, *, owner: str) -> list[StoredChange]:  # pragma: no cover - interface
        """Write a poll's findings in one transaction, if ``owner`` still holds the lease; the changes, numbered.

        Raises:
            FeedLockedError: ``owner`` no longer holds the lease (nothing is written).
        """
        raise NotImplementedError

    def pending(self, *, include_dead: bool = False) -> list[StoredChange]:  # pragma: no cover - interface
        """The changes not acknowledged yet, in order."""
        raise NotImplementedError

    def ack(self, change_ids: Iterable[str]) -> int:  # pragma: no cover - interface
        """Remove these changes from the outbox (acknowledged); how many were there."""
        raise NotImplementedError

    # -- delivery (the outbox's attempts, next_attempt, last_error and dead columns) ---------------------------------

    def due(self, now: float, *, limit: int = 100) -> list[StoredChange]:  # pragma: no cover - interface
        """The changes a delivery may send at ``now`` (``time.time()``), oldest first, at most ``limit``.

        A change is due when it is pending, not a dead letter, its next attempt is not after ``now``, and it is the
        oldest live change of its interview event: an event's changes are sent one at a time, in order, while
        the changes of different events do not wait for each other.
        """
        raise NotImplementedError

    def next_due(self) -> float | None:  # pragma: no cover - interface
        """When the earliest change :meth:`due` would return becomes due (``time.time()`` seconds); None if none."""
        raise NotImplementedError

    def record_failure(self, change_id: str, error: str, next_attempt: float) -> None:  # pragma: no cover
        """Count a failed attempt of a pending change, keep ``error`` (never a secret) and try again at
        ``next_attempt``."""
        raise NotImplementedError

    def dead_letter(self, change_id: str, reason: str) -> bool:  # pragma: no cover - interface
        """Park a pending change as a dead letter (the receiver refused it for good); False if it is not pending."""
        raise NotImplementedError

    def dead_letters(self) -> list[StoredChange]:  # pragma: no cover - interface
        """The dead letters, oldest first."""
        raise NotImplementedError

    def requeue(self, change_ids: Iterable[str]) -> int:  # pragma: no cover - interface
        """Make these pending changes (dead letters or waiting) due now, their attempts counted from zero again;
        how many were pending."""
        raise NotImplementedError

    def event_xml(self, wid: str) -> tuple[bytes, bytes | None, bytes | None] | None:  # pragma: no cover
        """A tracked event's ``wd:Interview``, web-conference and candidate XML."""
        raise NotImplementedError

    def acquire(self, owner: str, ttl: float) -> bool:  # pragma: no cover - interface
        """Take (or renew) the tenant's lease for ``ttl`` seconds; False if another owner holds it."""
        raise NotImplementedError

    def lease_holder(self) -> tuple[str, float] | None:  # pragma: no cover - interface
        """Who holds the tenant's lease and until when (``time.time()``), or None; expired leases included."""
        raise NotImplementedError

    def release(self, owner: str) -> None:  # pragma: no cover - interface
        """Give the lease back (a no-op when ``owner`` does not hold it)."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        """Release resources (the connection)."""


class SqlFeedStore(FeedStore):
    """A :class:`FeedStore` over a DB-API connection, in the SQL SQLite and PostgreSQL share.

    Subclasses give the connection (:meth:`_connect`), the placeholder (``?`` or ``%s``), the binary column type,
    and how a write transaction starts.
    """

    _placeholder = "?"
    _blob = "BLOB"
    _begin = "BEGIN IMMEDIATE"

    def __init__(self, *, tenant: str, where: str) -> None:
        if not tenant or not isinstance(tenant, str):
            raise ConfigurationError("a feed state store needs a tenant key (the tenant's name)")
        self.tenant = tenant
        self._where = where  # how errors name the store (a path, or a redacted DSN)
        self._lock = threading.RLock()
        self._conn: Any = None

    # -- subclass hooks ------------------------------------------------------------------------------------------

    def _connect(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def _is_db_error(self, exc: BaseException) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    #: The schema version this store writes, and the statements taking a state from version ``n - 1`` to ``n``
    #: (applied in order, in the migration's transaction, when an older state is opened).
    _schema_version: int = SCHEMA_VERSION
    _upgrades: Mapping[int, Sequence[str]] = MappingProxyType({})

    def _before_migrate(self, cur: Any) -> None:
        """Run first in the migration's transaction (PostgreSQL: an advisory lock, so workers starting together
        migrate one after the other; SQLite's ``BEGIN IMMEDIATE`` already does)."""

    def _clock(self, cur: Any) -> float:
        """Now, in seconds since the epoch, for leases and attempts (PostgreSQL: the database's clock)."""
        return time.time()

    def _check_lease(self, cur: Any, owner: str) -> None:
        """Inside :meth:`commit`'s transaction: raise :class:`FeedLockedError` unless ``owner`` holds the lease."""
        cur.execute(self._sql("SELECT owner, expires FROM feed_lease WHERE tenant = ?"), (self.tenant,))
        row = cur.fetchone()
        if row is None or row[0] != owner or row[1] < self._clock(cur):
            raise FeedLockedError(
                "this poller's lease on the feed expired or was taken over before it could commit; nothing "
                "was written (the next poll finds the same changes again)"
            )

    # -- plumbing ------------------------------------------------------------------------------------------------

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._placeholder) if self._placeholder != "?" else statement

    def _open(self) -> Any:
        if self._conn is None:
            try:
                self._conn = self._connect()
                self._migrate(self._conn)
            except FeedStateError:
                self._drop_connection()
                raise
            except Exception as exc:
                self._drop_connection()
                if self._is_db_error(exc):
                    raise self._state_error(exc) from None
                raise
        return self._conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # closing a broken connection must not mask the real error
                conn.close()

    def _state_error(self, exc: BaseException) -> FeedStateError:
        return FeedStateError(
            f"the feed state {self._where} cannot be read ({type(exc).__name__}: {exc}); nothing was changed. "
            "Move it aside to start over: the feed then delivers every session of the window again, as scheduled"
        )

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._lock:
            conn = self._open()
            cur = conn.cursor()
            try:
                cur.execute(self._begin)
                yield cur
                cur.execute("COMMIT")
            except BaseException as exc:
                try:
                    cur.execute("ROLLBACK")
                except Exception:
                    self._drop_connection()
                if self._is_db_error(exc):
                    raise self._state_error(exc) from None
                raise
            finally:
                cur.close()

    def _migrate(self, conn: Any) -> None:
        cur = conn.cursor()
        try:
            cur.execute(self._begin)
            self._before_migrate(cur)
            for statement in _TABLES:  # the current tables; an older state's are brought up by ``_upgrades``
                cur.execute(statement.format(blob=self._blob))
            cur.execute("SELECT version FROM feed_schema")
            rows = cur.fetchall()
            version = self._schema_version
            if not rows:
                cur.execute(self._sql("INSERT INTO feed_schema (version) VALUES (?)"), (version,))
            elif len(rows) != 1 or not isinstance(rows[0][0], int):
                raise FeedStateError(f"the feed state {self._where} has a malformed schema version; nothing changed")
            elif rows[0][0] > version:
                raise FeedStateError(
                    f"the feed state {self._where} was written by a newer workday-recruiting (state schema "
                    f"{rows[0][0]}; this version reads up to {version}): upgrade the SDK; nothing was changed"
                )
            elif rows[0][0] < version:
                for step in range(rows[0][0] + 1, version + 1):
                    for statement in self._upgrades.get(step, ()):
                        cur.execute(statement.format(blob=self._blob))
                cur.execute(self._sql("UPDATE feed_schema SET version = ?"), (version,))
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()

    # -- the interface ---------------------------------------------------------------------------------------------

    def load(self) -> FeedState:
        with self._transaction() as cur:
            cur.execute(self._sql("SELECT key, value FROM feed_meta WHERE tenant = ?"), (self.tenant,))
            meta = dict(cur.fetchall())
            cur.execute(
                self._sql(
                    "SELECT wid, candidate_id, application_id, next_start, conference FROM feed_events WHERE tenant = ?"
                ),
                (self.tenant,),
            )
            events_rows = cur.fetchall()
            cur.execute(
                self._sql("SELECT session_wid, event_wid, version, value_json FROM feed_sessions WHERE tenant = ?"),
                (self.tenant,),
            )
            session_rows = cur.fetchall()
        try:
            watermark = Watermark.from_json(meta["watermark"]) if "watermark" in meta else None
            events = {
                wid: EventRow(wid, cand, app, datetime.fromisoformat(nxt) if nxt else None, conference)
                for wid, cand, app, nxt, conference in events_rows
            }
            sessions = {
                wid: SessionRow(wid, event, int(version), SessionValues.from_json(values))
                for wid, event, version, values in session_rows
            }
            return FeedState(
                watermark=watermark,
                last_poll=_moment(meta.get("last_poll")),
                last_reconcile=_moment(meta.get("last_reconcile")),
                events=events,
                sessions=sessions,
            )
        except (ValueError, KeyError, TypeError, ConfigurationError) as exc:
            raise FeedStateError(
                f"the feed state {self._where} holds a value this SDK cannot read ({exc}); nothing was changed. "
                "Move it aside to start over: the feed then delivers every session of the window again"
            ) from None

    def commit(self, update: StateUpdate, *, owner: str) -> list[StoredChange]:
        t = self.tenant
        with self._transaction() as cur:
            self._check_lease(cur, owner)
            meta: dict[str, str] = {"last_poll": update.last_poll.isoformat()}
            if update.watermark is not None:
                meta["watermark"] = update.watermark.to_json()
            if update.last_reconcile is not None:
                meta["last_reconcile"] = update.last_reconcile.isoformat()
            cur.executemany(
                self._sql(
                    "INSERT INTO feed_meta (tenant, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value"
                ),
                [(t, key, value) for key, value in meta.items()],
            )
            cur.executemany(
                self._sql("DELETE FROM feed_events WHERE tenant = ? AND wid = ?"), [(t, w) for w in update.drop_events]
            )
            cur.executemany(
                self._sql(
                    "INSERT INTO feed_events (tenant, wid, candidate_id, application_id, next_start, conference, "
                    "interview_xml, conference_xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (tenant, wid) DO UPDATE SET candidate_id = excluded.candidate_id, "
                    "application_id = excluded.application_id, "
                    "next_start = excluded.next_start, conference = excluded.conference, "
                    "interview_xml = excluded.interview_xml, "
                    "conference_xml = CASE WHEN ? THEN excluded.conference_xml ELSE feed_events.conference_xml END"
                ),
                [
                    (
                        t,
                        e.row.wid,
                        e.row.candidate_id,
                        e.row.application_id,
                        e.row.next_start.isoformat() if e.row.next_start else None,
                        e.row.conference,
                        e.interview_xml,
                        e.conference_xml,
                        e.conference_read,
                    )
                    for e in update.events
                ],
            )
            cur.executemany(
                self._sql(
                    "INSERT INTO feed_candidates (tenant, candidate_id, xml) VALUES (?, ?, ?) "
                    "ON CONFLICT (tenant, candidate_id) DO UPDATE SET xml = excluded.xml"
                ),
                [(t, cid, xml) for cid, xml in update.candidates],
            )
            # Candidates no tracked event needs any more.
            cur.execute(
                self._sql(
                    "DELETE FROM feed_candidates WHERE tenant = ? AND candidate_id NOT IN "
                    "(SELECT candidate_id FROM feed_events WHERE tenant = ?)"
                ),
                (t, t),
            )
            cur.executemany(
                self._sql("DELETE FROM feed_sessions WHERE tenant = ? AND session_wid = ?"),
                [(t, s) for s in update.drop_sessions],
            )
            cur.executemany(
                self._sql(
                    "INSERT INTO feed_sessions (tenant, session_wid, event_wid, version, value_json) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, session_wid) DO UPDATE SET "
                    "event_wid = excluded.event_wid, version = excluded.version, value_json = excluded.value_json"
                ),
                [(t, s.session_wid, s.event_wid, s.version, s.values.to_json()) for s in update.sessions],
            )
            cur.execute(self._sql("SELECT COALESCE(MAX(seq), 0) FROM feed_outbox WHERE tenant = ?"), (t,))
            seq = int(cur.fetchone()[0])
            numbered: list[StoredChange] = []
            created = update.last_poll.isoformat()
            for change in update.changes:
                seq += 1
                numbered.append(attrs.evolve(change, seq=seq))
            # A change already in the outbox (the same ID: a poll repeated) is not queued twice.
            cur.executemany(
                self._sql(
                    "INSERT INTO feed_outbox (tenant, seq, change_id, event_wid, session_wid, kind, body, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, change_id) DO NOTHING"
                ),
                [(t, c.seq, c.change_id, c.event_wid, c.session_wid, c.kind, c.body, created) for c in numbered],
            )
        return numbered

    def pending(self, *, include_dead: bool = False) -> list[StoredChange]:
        query = (
            "SELECT change_id, event_wid, session_wid, kind, body, seq, attempts, last_error, dead "
            "FROM feed_outbox WHERE tenant = ?" + ("" if include_dead else " AND dead = 0") + " ORDER BY seq"
        )
        with self._transaction() as cur:
            cur.execute(self._sql(query), (self.tenant,))
            rows = cur.fetchall()
        return [_stored_row(row) for row in rows]

    def ack(self, change_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(change_ids))
        if not ids:
            return 0
        removed = 0
        with self._transaction() as cur:
            for cid in ids:
                cur.execute(self._sql("DELETE FROM feed_outbox WHERE tenant = ? AND change_id = ?"), (self.tenant, cid))
                removed += max(cur.rowcount, 0)
        return removed

    # -- delivery ------------------------------------------------------------------------------------------------

    #: The live (not dead) head of each interview event's queue: the oldest change a delivery may send for it.
    _HEADS: Final = (
        "FROM feed_outbox o JOIN (SELECT event_wid, MIN(seq) AS head FROM feed_outbox WHERE tenant = ? AND dead = 0 "
        "GROUP BY event_wid) h ON o.event_wid = h.event_wid AND o.seq = h.head WHERE o.tenant = ?"
    )

    def due(self, now: float, *, limit: int = 100) -> list[StoredChange]:
        query = (
            f"SELECT o.change_id, o.event_wid, o.session_wid, o.kind, o.body, o.seq, o.attempts, o.last_error, o.dead "
            f"{self._HEADS} AND o.next_attempt <= ? ORDER BY o.seq LIMIT ?"
        )
        with self._transaction() as cur:
            cur.execute(self._sql(query), (self.tenant, self.tenant, float(now), int(limit)))
            rows = cur.fetchall()
        return [_stored_row(row) for row in rows]

    def next_due(self) -> float | None:
        with self._transaction() as cur:
            cur.execute(self._sql(f"SELECT MIN(o.next_attempt) {self._HEADS}"), (self.tenant, self.tenant))
            row = cur.fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def record_failure(self, change_id: str, error: str, next_attempt: float) -> None:
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "UPDATE feed_outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ? "
                    "WHERE tenant = ? AND change_id = ? AND dead = 0"
                ),
                (error[:_MAX_ERROR], float(next_attempt), self.tenant, change_id),
            )

    def dead_letter(self, change_id: str, reason: str) -> bool:
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "UPDATE feed_outbox SET dead = 1, attempts = attempts + 1, last_error = ? "
                    "WHERE tenant = ? AND change_id = ? AND dead = 0"
                ),
                (reason[:_MAX_ERROR], self.tenant, change_id),
            )
            return int(cur.rowcount) > 0

    def dead_letters(self) -> list[StoredChange]:
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "SELECT change_id, event_wid, session_wid, kind, body, seq, attempts, last_error, dead "
                    "FROM feed_outbox WHERE tenant = ? AND dead = 1 ORDER BY seq"
                ),
                (self.tenant,),
            )
            rows = cur.fetchall()
        return [_stored_row(row) for row in rows]

    def requeue(self, change_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(change_ids))
        count = 0
        with self._transaction() as cur:
            for cid in ids:
                cur.execute(
                    self._sql(
                        "UPDATE feed_outbox SET dead = 0, attempts = 0, next_attempt = 0 "
                        "WHERE tenant = ? AND change_id = ?"
                    ),
                    (self.tenant, cid),
                )
                count += max(cur.rowcount, 0)
        return count

    def event_xml(self, wid: str) -> tuple[bytes, bytes | None, bytes | None] | None:
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "SELECT e.interview_xml, e.conference_xml, c.xml FROM feed_events e LEFT JOIN feed_candidates c "
                    "ON c.tenant = e.tenant AND c.candidate_id = e.candidate_id WHERE e.tenant = ? AND e.wid = ?"
                ),
                (self.tenant, wid),
            )
            row = cur.fetchone()
        if row is None:
            return None
        return bytes(row[0]), _bytes(row[1]), _bytes(row[2])

    def acquire(self, owner: str, ttl: float) -> bool:
        with self._transaction() as cur:
            now = self._clock(cur)
            cur.execute(self._sql("SELECT owner, expires FROM feed_lease WHERE tenant = ?"), (self.tenant,))
            row = cur.fetchone()
            if row is not None and row[0] != owner and row[1] >= now:
                return False
            cur.execute(
                self._sql(
                    "INSERT INTO feed_lease (tenant, owner, expires) VALUES (?, ?, ?) "
                    "ON CONFLICT (tenant) DO UPDATE SET owner = excluded.owner, expires = excluded.expires"
                ),
                (self.tenant, owner, now + ttl),
            )
        return True

    def release(self, owner: str) -> None:
        with self._transaction() as cur:
            cur.execute(self._sql("DELETE FROM feed_lease WHERE tenant = ? AND owner = ?"), (self.tenant, owner))

    def lease_holder(self) -> tuple[str, float] | None:
        with self._transaction() as cur:
            cur.execute(self._sql("SELECT owner, expires FROM feed_lease WHERE tenant = ?"), (self.tenant,))
            row = cur.fetchone()
        return None if row is None else (str(row[0]), float(row[1]))

    def close(self) -> None:
        with self._lock:
            self._drop_connection()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._where} tenant={self.tenant!r}>"


class SQLiteFeedStore(SqlFeedStore):
    """The feed's state in one SQLite file (WAL, synchronous commits), or in memory with ``path=":memory:"``.

    Several processes may share the file: the lease lets one poll at a time, the others get
    :class:`FeedLockedError` (or wait, see :meth:`InterviewFeed.poll`).
    """

    def __init__(self, path: str | os.PathLike[str], *, tenant: str) -> None:
        self.path = str(path) if str(path) == ":memory:" else str(Path(path))
        super().__init__(tenant=tenant, where=self.path)

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            target = Path(self.path)
            if target.is_dir():
                raise FeedStateError(f"the feed state {self.path} is a directory; give a file path")
            if not target.parent.is_dir():
                raise FeedStateError(f"the feed state's directory {target.parent} does not exist")
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            if self.path != ":memory:":
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":  # pragma: no cover - a file system without WAL
                    conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA quick_check").fetchall()
        except BaseException:
            conn.close()
            raise
        return conn

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.Error)


#: The longest ``last_error`` an outbox row keeps.
_MAX_ERROR: Final = 1000


def _stored_row(row: Sequence[Any]) -> StoredChange:
    """An outbox row (change_id, event_wid, session_wid, kind, body, seq, attempts, last_error, dead)."""
    cid, event, session, kind, body, seq, attempts, error, dead = row
    return StoredChange(
        change_id=cid,
        event_wid=event,
        session_wid=session,
        kind=kind,
        body=bytes(body),
        seq=int(seq),
        attempts=int(attempts),
        last_error=error,
        dead=bool(dead),
    )


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _bytes(value: object) -> bytes | None:
    return None if value is None else bytes(value)  # type: ignore[call-overload]


# -- the outbox body ------------------------------------------------------------------------------------------------


def encode_body(data: dict[str, Any]) -> bytes:
    """A change's body as stored: compact JSON, zlib-compressed."""
    return zlib.compress(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), 6)


def decode_body(body: bytes) -> dict[str, Any]:
    """The body :func:`encode_body` wrote.

    Raises:
        FeedStateError: The body is not one (a corrupt row).
    """
    try:
        data = json.loads(zlib.decompress(body).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise FeedStateError(f"a change in the feed's outbox is corrupt ({exc})") from None
    if not isinstance(data, dict):
        raise FeedStateError("a change in the feed's outbox is corrupt (not an object)")
    return data
