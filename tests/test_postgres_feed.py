"""The interview feed on PostgreSQL: end to end against FakeTenant, and what PostgreSQL adds to the store's
contract (``tests/test_feed_store_contract.py`` holds what both stores share): a lease that lives with its
holder's session, a server restart mid-run, a worker killed mid-poll, and a DSN whose password never shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest

from _postgres import REQUIRE_ENV, PostgresCluster, _unavailable
from workday_recruiting import ConfigurationError, RecruitingClient
from workday_recruiting.feed import (
    FeedStateError,
    FeedStoreUnavailableError,
    InterviewFeed,
    PostgresFeedStore,
)
from workday_recruiting.feed._postgres import redact_dsn, tenant_lock_key
from workday_recruiting.feed._store import StateUpdate
from workday_recruiting.testing import FakeTenant

REPO_ROOT = Path(__file__).resolve().parents[1]


def move(tenant: FakeTenant, wid: str, hours: float) -> None:
    """Reschedule every session of an interview event by ``hours`` (a change the feed must deliver)."""
    record = tenant.dataset.find_interview(wid)
    assert record is not None
    delta = timedelta(hours=hours)
    sessions = tuple(attrs.evolve(s, start=s.start + delta, end=s.end + delta) for s in record.sessions)
    tenant.dataset.update_interview(wid, sessions=sessions)


def client_for(tenant: FakeTenant) -> RecruitingClient:
    return RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password)


@pytest.fixture(scope="module")
def acme() -> Iterator[FakeTenant]:
    with FakeTenant(candidates=300, tenant="acme") as tenant:
        yield tenant


def _feed(tenant: FakeTenant, dsn: str, schema: str) -> tuple[RecruitingClient, InterviewFeed]:
    client = client_for(tenant)
    return client, client.interviews.feed(PostgresFeedStore(dsn, tenant=tenant.tenant, schema=schema), days=14)


def test_the_feed_on_postgres_delivers_the_window_then_each_change_once(
    postgres_dsn: str, postgres_schema: str
) -> None:
    """First poll: every upcoming session as scheduled; after a move: only the moved sessions, as rescheduled;
    a new feed process on the same database sees nothing pending once acknowledged."""
    with FakeTenant(candidates=300, tenant="acme") as tenant:
        client, feed = _feed(tenant, postgres_dsn, postgres_schema)
        with client, feed:
            upcoming = client.interviews.upcoming(days=14)
            with feed.poll() as batch:
                assert {c.kind for c in batch} == {"scheduled"}
                assert {c.session_wid for c in batch} == {s.session.wid for s in upcoming}
            event = upcoming[0].interview.wid or ""
            move(tenant, event, 2)
            with feed.poll() as batch:
                moved = list(batch)
            assert {c.kind for c in moved} == {"rescheduled"}
            assert {c.scheduled.interview.wid for c in moved} == {event}
            assert feed.poll().changes == ()
        _, again = _feed(tenant, postgres_dsn, postgres_schema)
        with again:
            assert again.pending().changes == ()


def test_two_tenants_share_one_database_apart(postgres_dsn: str, postgres_schema: str) -> None:
    """Two tenants' feeds in one schema: each delivers its own sessions, and acknowledging one leaves the other."""
    with FakeTenant(candidates=120, tenant="acme") as acme, FakeTenant(candidates=120, tenant="globex", seed=5) as gx:
        (ca, fa), (cg, fg) = _feed(acme, postgres_dsn, postgres_schema), _feed(gx, postgres_dsn, postgres_schema)
        with ca, cg, fa, fg:
            acme_batch, globex_batch = fa.poll(), fg.poll()
            assert {c.tenant for c in acme_batch} == {"acme"} and {c.tenant for c in globex_batch} == {"globex"}
            acme_batch.ack()
            assert fa.pending().changes == ()
            assert len(fg.pending()) == len(globex_batch) > 0


def test_a_server_restart_mid_poll_commits_nothing_and_the_next_poll_delivers(
    private_postgres_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL restarts while a poll reads Workday: the poll fails with the retryable FeedStoreUnavailableError,
    the state is as before; the next poll reconnects and delivers the change. A restart between delivery and
    acknowledgement: the ack fails, the same change (same ID) comes again, is acknowledged once, and is gone."""
    cluster = private_postgres_cluster
    with FakeTenant(candidates=300, tenant="acme") as tenant:
        client, feed = _feed(tenant, cluster.dsn, "feed")
        with client, feed:
            feed.poll().ack()
            event = client.interviews.upcoming(days=14)[0].interview.wid or ""
            move(tenant, event, 3)
            before = feed.store.load()
            real_changes = client.candidates.changes

            def changes_with_a_restart(*args: Any, **kwargs: Any) -> Any:
                cluster.restart()  # the poll holds its lease and has loaded its state: mid-poll
                return real_changes(*args, **kwargs)

            monkeypatch.setattr(client.candidates, "changes", changes_with_a_restart)
            with pytest.raises(FeedStoreUnavailableError) as caught:
                feed.poll()
            assert caught.value.is_retryable
            monkeypatch.setattr(client.candidates, "changes", real_changes)
            assert feed.store.load() == before
            assert feed.pending().changes == ()

            batch = feed.poll()
            ids = [c.id for c in batch]
            assert ids and {c.kind for c in batch} == {"rescheduled"}
            cluster.restart()
            with pytest.raises(FeedStoreUnavailableError):
                batch.ack()
            again = feed.poll()
            assert [c.id for c in again] == ids
            assert again.ack() == len(ids)
            assert feed.ack(ids) == 0  # nothing is acknowledged twice
            assert feed.pending().changes == ()


def test_a_live_holder_keeps_its_tenant_however_long_its_poll_takes(postgres_dsn: str, postgres_schema: str) -> None:
    """The advisory lock, not the clock, decides: a holder whose lease row has expired but whose session lives
    still holds the tenant, and its commit is not refused for being slow."""
    slow = PostgresFeedStore(postgres_dsn, tenant="acme", schema=postgres_schema)
    other = PostgresFeedStore(postgres_dsn, tenant="acme", schema=postgres_schema)
    try:
        assert slow.acquire("slow", ttl=-60)  # its row says it expired a minute ago
        assert not other.acquire("other", ttl=60)
        slow.commit(StateUpdate(watermark=None, last_poll=datetime.now(timezone.utc)), owner="slow")
        slow.release("slow")
        assert other.acquire("other", ttl=60)
    finally:
        slow.close()
        other.close()


def test_two_feeds_sharing_one_store_object_take_turns(postgres_dsn: str, postgres_schema: str) -> None:
    """Two owners on one store (one session): the advisory lock is re-entrant there, the owner check is not."""
    store = PostgresFeedStore(postgres_dsn, tenant="acme", schema=postgres_schema)
    try:
        assert store.acquire("a", 60)
        assert not store.acquire("b", 60)
        store.release("a")
        assert store.acquire("b", 60)
    finally:
        store.close()


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from workday_recruiting.feed import PostgresFeedStore
    store = PostgresFeedStore(sys.argv[1], tenant="acme", schema=sys.argv[2])
    assert store.acquire("doomed-worker", ttl=3600)
    print("holding", flush=True)
    time.sleep(600)
    """
)


def test_a_worker_killed_mid_poll_frees_its_tenant(postgres_dsn: str, postgres_schema: str) -> None:
    """A worker process killed (SIGKILL) while it holds a tenant: the server ends its session, and another worker
    gets the tenant, long before the dead worker's hour-long lease row would have expired."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, postgres_dsn, postgres_schema], stdout=subprocess.PIPE, text=True, env=env
    )
    store = PostgresFeedStore(postgres_dsn, tenant="acme", schema=postgres_schema)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert not store.acquire("survivor", ttl=60)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        _wait_until_lock_free(postgres_dsn, tenant_lock_key("acme"))
        assert store.acquire("survivor", ttl=60)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
        store.close()


def _wait_until_lock_free(dsn: str, key: int) -> None:
    """Until the server has ended the dead session (it notices the closed socket at once; bounded at 30 s)."""
    deadline = time.monotonic() + 30
    with psycopg.connect(dsn, autocommit=True) as conn:
        while time.monotonic() < deadline:
            held = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND ((classid::bigint << 32) | objid::bigint) = (%s::bigint & x'ffffffffffffffff'::bigint)",
                (key,),
            ).fetchone()
            if held is not None and held[0] == 0:
                return
            time.sleep(0.05)


def test_the_password_never_shows(postgres_cluster: PostgresCluster) -> None:
    """A DSN's password is not in the store's repr, nor in the error when the server cannot be reached."""
    secret = "s3cr3t-pa55word"
    dead_port = f"postgresql://feedtest:{secret}@127.0.0.1:1/feedtest?connect_timeout=2"
    store = PostgresFeedStore(dead_port, tenant="acme")
    assert secret not in repr(store)
    assert repr(store) == "<PostgresFeedStore postgresql://feedtest@127.0.0.1:1/feedtest tenant='acme'>"
    with pytest.raises(FeedStoreUnavailableError) as caught:
        store.load()
    assert secret not in str(caught.value) and secret not in repr(caught.value.args)
    assert "postgresql://feedtest@127.0.0.1:1/feedtest" in str(caught.value)
    assert redact_dsn(f"host=db user=u password={secret} dbname=d port=6432") == "postgresql://u@db:6432/d"


def test_a_connect_function_is_used_as_given(postgres_dsn: str, postgres_schema: str) -> None:
    """``connect=`` a function returning a psycopg connection (not in autocommit): the store uses it."""
    made: list[Any] = []

    def connect() -> Any:
        conn = psycopg.connect(postgres_dsn)
        made.append(conn)
        return conn

    store = PostgresFeedStore(connect=connect, tenant="acme", schema=postgres_schema)
    try:
        assert store.pending() == []
        assert len(made) == 1 and made[0].autocommit
        assert "connect function" in repr(store)
    finally:
        store.close()


def test_a_table_the_role_may_not_read_is_a_state_error_not_a_transient_one(
    postgres_dsn: str, postgres_schema: str
) -> None:
    """A permission problem is a FeedStateError that is not retryable (nothing to wait for), not 'unavailable'."""
    store = PostgresFeedStore(postgres_dsn, tenant="acme", schema=postgres_schema)
    try:
        store.load()
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            if not _role_exists(conn, "reader"):
                conn.execute("CREATE ROLE reader LOGIN")
            conn.execute(f'GRANT USAGE ON SCHEMA "{postgres_schema}" TO reader')
        denied = PostgresFeedStore(
            postgres_dsn.replace("user=feedtest", "user=reader"), tenant="acme", schema=postgres_schema
        )
        with pytest.raises(FeedStateError) as caught:
            denied.pending()
        assert not isinstance(caught.value, FeedStoreUnavailableError) and not caught.value.is_retryable
        denied.close()
    finally:
        store.close()


def _role_exists(conn: Any, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None


def test_an_unreachable_server_is_retryable_and_a_bad_argument_is_refused() -> None:
    """Nothing listening: FeedStoreUnavailableError (retryable); no DSN and no connect function: refused."""
    store = PostgresFeedStore("host=127.0.0.1 port=1 dbname=x connect_timeout=2", tenant="acme")
    with pytest.raises(FeedStoreUnavailableError) as caught:
        store.acquire("a", 60)
    assert caught.value.is_retryable
    with pytest.raises(ConfigurationError, match="dsn or a connect function"):
        PostgresFeedStore(tenant="acme")
    with pytest.raises(ConfigurationError, match="DSN is empty"):
        PostgresFeedStore(" ", tenant="acme")


def test_a_server_that_cannot_start_skips_with_its_reason_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures skip, saying why, when PostgreSQL cannot start; with WORKDAY_RECRUITING_REQUIRE_POSTGRES=1
    (what .ci/run sets) the same reason fails the test instead, so CI never passes on a skip."""
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL cannot be started: initdb failed"):
        _unavailable("initdb failed")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=r"initdb failed .*must run here"):
        _unavailable("initdb failed")
    ci_script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_ENV}=1" in ci_script
