"""A throwaway PostgreSQL cluster for the tests (and the fleet benchmark), and the pytest fixtures over it.

``PostgresCluster.start()`` runs ``initdb`` in a fresh temporary folder, then ``pg_ctl start`` with the server
listening on ``127.0.0.1`` on a free port (trust authentication for one role, ``feedtest``; no TCP from
elsewhere). As root, both run as the ``postgres`` user (``initdb`` refuses root). ``restart()`` is a real
``pg_ctl restart``: every connection is dropped. ``stop()`` stops the server and deletes the folder.

Where the binaries are: ``WORKDAY_RECRUITING_POSTGRES_BIN``, else ``pg_config --bindir``, else the newest
``/usr/lib/postgresql/*/bin``, else ``$PATH``. A cluster that cannot start makes the fixtures skip with the reason,
unless ``WORKDAY_RECRUITING_REQUIRE_POSTGRES=1`` (set by ``.ci/run``): then they fail, so CI never passes on a skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REQUIRE_ENV = "WORKDAY_RECRUITING_REQUIRE_POSTGRES"
BIN_ENV = "WORKDAY_RECRUITING_POSTGRES_BIN"
ROLE = "feedtest"


class PostgresUnavailableError(RuntimeError):
    """The cluster could not be started (the message says why)."""


def find_bindir() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):
        candidates.append(Path(os.environ[BIN_ENV]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10)
            candidates.append(Path(out.stdout.strip()))
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise PostgresUnavailableError(
        "PostgreSQL's initdb/pg_ctl/postgres were not found (looked in $"
        f"{BIN_ENV}, pg_config --bindir, /usr/lib/postgresql/*/bin and $PATH)"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """A PostgreSQL server of its own, in a temporary folder, on ``127.0.0.1:port``."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.port = 0
        self.root: Path | None = None
        self._as_postgres = os.geteuid() == 0

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        assert self.root is not None, "the cluster is not started"
        return self.root / "data"

    @property
    def dsn(self) -> str:
        """A libpq connection string for the test role's database."""
        return f"host=127.0.0.1 port={self.port} user={ROLE} dbname={ROLE} connect_timeout=10"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, cwd="/")
        if done.returncode != 0:
            raise PostgresUnavailableError(
                f"{args[0]} failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}"
            )
        return done

    def start(self) -> None:
        """initdb, then start the server and create the test role's database."""
        self.root = Path(tempfile.mkdtemp(prefix="wr-postgres-"))
        if self._as_postgres:
            try:
                shutil.chown(self.root, user="postgres", group="postgres")
            except (LookupError, OSError) as exc:
                raise PostgresUnavailableError(
                    f"running as root, and the postgres user cannot own {self.root}: {exc}"
                ) from None
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-locale")
        self.port = free_port()
        self._start_server()
        import psycopg

        with psycopg.connect(self.dsn.replace(f"dbname={ROLE}", "dbname=postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {ROLE}")

    def _start_server(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-o", options, "start")

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart``: every open connection is dropped, the data is kept."""
        log = str(self.data / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-m", mode, "-w", "restart")

    def stop(self) -> None:
        """Stop the server (if it runs) and delete its folder."""
        if self.root is None:
            return
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(PostgresUnavailableError, subprocess.SubprocessError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def schema_name(self) -> str:
        """A fresh, unused schema name (each test keeps its tables in its own schema)."""
        return f"t_{uuid.uuid4().hex[:16]}"


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL cannot be started: {reason}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1: the PostgreSQL tests must run here)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL server for the whole session; skips (or fails, under CI) when it cannot start."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    cluster: PostgresCluster | None = None
    try:
        cluster = PostgresCluster()
        cluster.start()
    except (PostgresUnavailableError, OSError, subprocess.SubprocessError) as exc:
        if cluster is not None:
            cluster.stop()
        _unavailable(str(exc))
    assert cluster is not None
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgres_dsn(postgres_cluster: PostgresCluster) -> str:
    """The session's PostgreSQL DSN."""
    return postgres_cluster.dsn


@pytest.fixture
def postgres_schema(postgres_cluster: PostgresCluster) -> str:
    """A schema of the test's own in the session's database (its tables never meet another test's)."""
    return postgres_cluster.schema_name()


@pytest.fixture
def private_postgres_cluster(postgres_cluster: PostgresCluster) -> Iterator[PostgresCluster]:
    """A PostgreSQL server of the test's own, for tests that restart it (the session's server stays up)."""
    cluster = PostgresCluster()
    try:
        cluster.start()
    except (PostgresUnavailableError, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        _unavailable(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()
