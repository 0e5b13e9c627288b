"""The interview feed's state in PostgreSQL: every tenant of a fleet in one database, its workers on many machines.

Install the extra (``pip install 'workday-recruiting[postgres]'``, psycopg 3), then::

    from workday_recruiting.feed import PostgresFeedStore

    store = PostgresFeedStore("postgresql://feed@db.internal/recruiting", tenant="acme", schema="workday_feed")
    feed = client.interviews.feed(state=store)

The schema, the SQL and the guarantees are :class:`~workday_recruiting.feed.SqlFeedStore`'s, the same as the
SQLite store's (one contract test suite runs against both); every row carries its tenant key, so one database
holds the whole fleet. What PostgreSQL adds:

* **One poller per tenant, across machines.** :meth:`PostgresFeedStore.acquire` takes a session-level advisory
  lock on the tenant (``pg_try_advisory_lock``), then writes the lease row. Another worker asking for the same
  tenant gets ``False`` at once (the feed raises :class:`~workday_recruiting.feed.FeedLockedError`): it skips,
  it never polls. The lock lives as long as the holder's database session, however long its poll takes; a worker
  that dies frees its tenants when the server ends its session: at once when the process exits or is killed,
  within the TCP keepalive (about a minute, set per session) when its machine vanishes.
* **Commits fenced by the lease row.** :meth:`~FeedStore.commit` locks the lease row (``SELECT ... FOR UPDATE``)
  and writes only while its poller still owns it, so a poller whose connection dropped mid-poll and whose tenant
  another worker took meanwhile writes nothing. The row lock also serialises the outbox's sequence numbers.
* **The database's clock** (``clock_timestamp()``) for lease times: the workers' clocks do not matter.
* **Migrations one at a time**: the schema is created (or upgraded) under a transaction-level advisory lock, so
  workers starting together do not race; a state schema newer than the SDK is refused.
* **A dropped connection** (a server restart, a failover) fails the current call with
  :class:`FeedStoreUnavailableError` (retryable) and commits nothing; the next call reconnects.

The DSN's password is never shown: the store's ``repr``, its errors and the logs name the server as
``postgresql://user@host:port/dbname``. Give a DSN, or ``connect=`` a function returning a psycopg connection
(a pool's, a secret manager's). The advisory lock needs a session of its own: connect directly or through a
session-mode pooler, not a transaction-mode one.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from .._auth import Secret
from .._errors import ConfigurationError
from ._store import FeedLockedError, FeedStateError, SqlFeedStore

if TYPE_CHECKING:
    import psycopg

__all__ = ["FeedStoreUnavailableError", "PostgresFeedStore", "redact_dsn"]

#: The advisory-lock key every migration takes (``pg_advisory_xact_lock``): "workday-recruiting feed schema".
_MIGRATION_KEY: Final = 0x7752_6665_6564_0001
#: Session settings: the server notices a vanished client within about a minute (idle 30 s, then 3 probes 10 s
#: apart), a lock wait never hangs a worker, and "relation already exists" notices stay quiet.
_SESSION: Final = (
    "SET client_min_messages = warning",
    "SET tcp_keepalives_idle = 30",
    "SET tcp_keepalives_interval = 10",
    "SET tcp_keepalives_count = 3",
    "SET lock_timeout = '30s'",
    "SET idle_in_transaction_session_timeout = '120s'",
)


class FeedStoreUnavailableError(FeedStateError):
    """The state store cannot be reached right now (the connection dropped, the server restarts or is down).

    Nothing was committed; the state is as the last successful call left it. Unlike its parent, this is
    transient (``is_retryable``): the next call reconnects. Nothing needs moving aside.
    """

    retryable = True


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
        raise ConfigurationError(
            "the PostgreSQL feed store needs psycopg 3: pip install 'workday-recruiting[postgres]'"
        ) from None
    return psycopg


def redact_dsn(dsn: str) -> str:
    """A DSN as the store shows it: ``postgresql://user@host:port/dbname``, never the password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:  # an unreadable DSN is shown as such, never echoed
        return "postgresql://(a DSN that cannot be parsed)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = str(parts.get("host") or parts.get("hostaddr") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname') or ''}"


def tenant_lock_key(tenant: str) -> int:
    """The advisory-lock key (a signed 64-bit integer) of a tenant's feed: the same in every worker and version."""
    digest = hashlib.blake2b(b"workday-recruiting feed\0" + tenant.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresFeedStore(SqlFeedStore):
    """A tenant's feed state in a PostgreSQL database shared by the fleet (see the module's docs).

    Args:
        dsn: A libpq connection string or URI (``postgresql://user:password@host/dbname``). Never shown.
        tenant: The tenant key every row is kept under.
        connect: Instead of ``dsn``: a function returning a new ``psycopg.Connection`` (set to autocommit here;
            the store runs its own transactions).
        schema: The PostgreSQL schema holding the feed's tables (created if missing; default: the connection's
            ``search_path``, normally ``public``).
        connect_timeout: Seconds to wait for the server when connecting with ``dsn``.

    Raises:
        ConfigurationError: Neither or both of ``dsn`` and ``connect``; psycopg is not installed.
    """

    _placeholder = "%s"
    _blob = "BYTEA"
    _begin = "BEGIN"

    def __init__(
        self,
        dsn: str | None = None,
        *,
        tenant: str,
        connect: Callable[[], psycopg.Connection[Any]] | None = None,
        schema: str | None = None,
        connect_timeout: float = 10.0,
    ) -> None:
        if (dsn is None) == (connect is None):
            raise ConfigurationError("give the PostgreSQL feed store a dsn or a connect function (one of them)")
        if dsn is not None and (not isinstance(dsn, str) or not dsn.strip()):
            raise ConfigurationError("the PostgreSQL DSN is empty")
        if schema is not None and (not isinstance(schema, str) or not schema or "\0" in schema):
            raise ConfigurationError(f"schema must be a non-empty name, got {schema!r}")
        _psycopg()
        where = redact_dsn(dsn) if dsn is not None else "postgresql (connect function)"
        super().__init__(tenant=tenant, where=where + (f" schema {schema}" if schema else ""))
        self._dsn = Secret(dsn) if dsn is not None else None
        self._factory = connect
        self._schema = schema
        self._connect_timeout = connect_timeout
        self._lock_key = tenant_lock_key(tenant)
        self._holder: str | None = None  # the owner holding the tenant's advisory lock on this store's session
        self._holder_conn: Any = None

    # -- hooks -----------------------------------------------------------------------------------------------

    def _connect(self) -> Any:
        psycopg = _psycopg()
        conn = self._factory() if self._factory is not None else self._connect_dsn()
        try:
            if not conn.autocommit:
                conn.autocommit = True
            for statement in _SESSION:
                conn.execute(statement)
            if self._schema is not None:
                conn.execute(psycopg.sql.SQL("SET search_path TO {}").format(psycopg.sql.Identifier(self._schema)))
        except BaseException:
            with contextlib.suppress(Exception):
                conn.close()
            raise
        self._holder = self._holder_conn = None  # a new session holds no advisory lock
        return conn

    def _connect_dsn(self) -> Any:
        dsn = self._dsn.reveal() if self._dsn is not None else ""
        return _psycopg().connect(
            dsn,
            autocommit=True,
            connect_timeout=max(1, round(self._connect_timeout)),
            application_name="workday-recruiting feed",
        )

    def _is_db_error(self, exc: BaseException) -> bool:
        return isinstance(exc, _psycopg().Error)

    def _state_error(self, exc: BaseException) -> FeedStateError:
        psycopg = _psycopg()
        transient = (psycopg.OperationalError, psycopg.InterfaceError)  # dropped, refused, shut down, deadlock
        if isinstance(exc, transient):
            return FeedStoreUnavailableError(
                f"the feed state {self._where} cannot be reached ({type(exc).__name__}: {self._scrub(exc)}); "
                "nothing was committed, and the next call reconnects"
            )
        return FeedStateError(
            f"the feed state {self._where} cannot be used ({type(exc).__name__}: {self._scrub(exc)}); "
            "nothing was changed"
        )

    def _scrub(self, exc: BaseException) -> str:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if self._dsn is not None:
            from psycopg.conninfo import conninfo_to_dict

            with contextlib.suppress(Exception):
                password = conninfo_to_dict(self._dsn.reveal()).get("password")
                if password:
                    text = text.replace(str(password), "********")
        return text

    def _before_migrate(self, cur: Any) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_KEY,))
        if self._schema is not None:
            psycopg = _psycopg()
            cur.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(psycopg.sql.Identifier(self._schema)))

    def _clock(self, cur: Any) -> float:
        cur.execute("SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8")
        return float(cur.fetchone()[0])

    def _check_lease(self, cur: Any, owner: str) -> None:
        # The row lock fences the commit against a takeover (which waits for it) and serialises the outbox's
        # numbering. Its expiry does not matter here: the advisory lock, not the clock, decides a takeover.
        cur.execute("SELECT owner FROM feed_lease WHERE tenant = %s FOR UPDATE", (self.tenant,))
        row = cur.fetchone()
        if row is None or row[0] != owner:
            raise FeedLockedError(
                "another worker took this tenant's feed over before this poller could commit (its connection "
                "to the state dropped); nothing was written, and the next poll finds the same changes again"
            )

    # -- the lease -------------------------------------------------------------------------------------------

    def _holds_lock(self) -> bool:
        return self._holder is not None and self._conn is not None and self._holder_conn is self._conn

    def acquire(self, owner: str, ttl: float) -> bool:
        """Take the tenant's advisory lock and lease row for ``owner`` (or renew them); False if another session
        (or another owner on this store) holds them. ``ttl`` sets the row's ``expires`` (for operators: who holds
        which tenant until when); the lock lasts as long as this store's session."""
        with self._lock:
            held = self._holds_lock()
            if held and self._holder != owner:
                return False
            locked_here = False
            conn: Any = None
            try:
                with self._transaction() as cur:
                    conn = self._conn
                    if not held:
                        cur.execute("SELECT pg_try_advisory_lock(%s)", (self._lock_key,))
                        if not cur.fetchone()[0]:
                            return False
                        locked_here = True
                    cur.execute(
                        "INSERT INTO feed_lease (tenant, owner, expires) "
                        "VALUES (%s, %s, EXTRACT(EPOCH FROM clock_timestamp())::float8 + %s) "
                        "ON CONFLICT (tenant) DO UPDATE SET owner = excluded.owner, expires = excluded.expires",
                        (self.tenant, owner, float(ttl)),
                    )
            except BaseException:
                if locked_here:
                    self._unlock(conn)
                raise
            self._holder, self._holder_conn = owner, conn
            return True

    def release(self, owner: str) -> None:
        """Delete ``owner``'s lease row and free the advisory lock (a no-op for an owner that holds neither)."""
        with self._lock:
            mine = self._holds_lock() and self._holder == owner
            try:
                with self._transaction() as cur:
                    cur.execute("DELETE FROM feed_lease WHERE tenant = %s AND owner = %s", (self.tenant, owner))
                    if mine and self._conn is self._holder_conn:
                        cur.execute("SELECT pg_advisory_unlock(%s)", (self._lock_key,))
            finally:
                if self._holder == owner:
                    self._holder = self._holder_conn = None

    def _unlock(self, conn: Any) -> None:
        if conn is not None and conn is self._conn:
            with contextlib.suppress(Exception):  # a dead session has freed the lock already
                conn.execute("SELECT pg_advisory_unlock(%s)", (self._lock_key,))

    def close(self) -> None:
        with self._lock:
            super().close()
            self._holder = self._holder_conn = None
