"""``workday_recruiting.dlt``: a tenant's recruiting data into DuckDB with dlt, incrementally, one tenant or many.

Every load here goes from a FakeTenant on loopback into a DuckDB file in the test's folder, with dlt's telemetry off
(there is no network) and its working files (``pipelines_dir``) in the test's folder too.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import dlt
import duckdb
import pytest
import requests

import workday_recruiting.dlt as wd_dlt
from workday_recruiting import (
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    PermissionDeniedError,
    RecruitingClient,
    RetryPolicy,
    Watermark,
)
from workday_recruiting.cli import main
from workday_recruiting.dlt import RESOURCES, Tenant, TenantLoad, load_tenant, load_tenants, recruiting_source
from workday_recruiting.dlt._rows import CANDIDATES, INTERVIEWS, TABLES
from workday_recruiting.dlt._source import vanished_sessions
from workday_recruiting.models._columns import columns_of
from workday_recruiting.testing import ALL_DOMAINS, JOB_REQUISITION_DATA, FakeTenant

Factory = Callable[..., FakeTenant]
ROOT = Path(__file__).resolve().parents[1]
#: No waiting between retries, and one attempt only for what a test makes fail on purpose.
NO_WAIT = RetryPolicy(initial_backoff=0, jitter=0, max_retry_after=0)
ONE_TRY = RetryPolicy(attempts=1, initial_backoff=0, jitter=0, max_retry_after=0)


@pytest.fixture(autouse=True)
def offline_dlt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """dlt without telemetry (no network in the tests), and every file it writes in the test's folder."""
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path / "dlt-data"))  # dlt's default working folders
    monkeypatch.chdir(tmp_path)


def tenant_of(fake: FakeTenant, name: str | None = None, **changes: Any) -> Tenant:
    """The :class:`Tenant` of a FakeTenant's default ISU (retries without waiting)."""
    settings: dict[str, Any] = {
        "name": name or fake.tenant,
        "wsdl_url": fake.wsdl_url,
        "username": fake.username,
        "password": fake.password,
        "client_options": {"retry": NO_WAIT},
    }
    return Tenant(**{**settings, **changes})


def load(tenant: Tenant, tmp_path: Path, **options: Any) -> TenantLoad:
    """One load of ``tenant`` into ``tmp_path/recruiting.duckdb`` (its own dataset), dlt's files under ``tmp_path``."""
    options.setdefault("destination", dlt.destinations.duckdb(str(tmp_path / "recruiting.duckdb")))
    return load_tenant(tenant, pipelines_dir=tmp_path / "pipelines", **options)


@pytest.fixture
def query(tmp_path: Path) -> Callable[..., list[tuple[Any, ...]]]:
    """``query(sql, *parameters)``: the rows of a query on ``tmp_path/recruiting.duckdb`` (opened read-only)."""

    def run(sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(tmp_path / "recruiting.duckdb"), read_only=True) as db:
            return db.execute(sql, list(parameters)).fetchall()

    return run


def count(query: Callable[..., list[tuple[Any, ...]]], table: str, dataset: str = "recruiting_acme") -> int:
    return int(query(f"select count(*) from {dataset}.{table}")[0][0])  # noqa: S608 - the test's own tables


def applications_of(fake: FakeTenant) -> int:
    return sum(len(candidate.applications) for candidate in fake.dataset.iter_candidates())


def state_of(tenant: Tenant, tmp_path: Path) -> dict[str, Any]:
    """The tenant's pipeline state (its sources' part), as dlt keeps it in the working folder."""
    pipeline = dlt.attach(tenant.pipeline_name, pipelines_dir=str(tmp_path / "pipelines"))
    return json.loads(json.dumps(pipeline.state.get("sources", {})))


# -- the module and the source ---------------------------------------------------------------------------------------


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "RUNTIME__DLTHUB_TELEMETRY": "false", **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def test_importing_the_sdk_and_its_command_line_imports_no_dlt() -> None:
    """``import workday_recruiting`` and its command line leave dlt unimported: only workday_recruiting.dlt needs it."""
    done = _python("import sys, workday_recruiting, workday_recruiting.cli; print('dlt' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_dlt_the_module_and_the_load_command_name_the_extra() -> None:
    """With dlt missing, importing workday_recruiting.dlt says to install the [dlt] extra; so does `load` (exit 2)."""
    code = (
        "import sys\n"
        "sys.modules['dlt'] = None  # as if dlt were not installed\n"
        "try:\n"
        "    import workday_recruiting.dlt\n"
        "except ImportError as exc:\n"
        "    print('import:', exc)\n"
        "from workday_recruiting.cli import main\n"
        "print('exit:', main(['load', '--demo']))\n"
    )
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert "import: workday_recruiting.dlt needs dlt: pip install 'workday-recruiting[dlt]'" in done.stdout
    assert "exit: 2" in done.stdout
    assert "workday-recruiting[dlt]" in done.stderr


def test_inside_the_package_import_dlt_is_the_real_dlt() -> None:
    """``import dlt`` in workday_recruiting/dlt/ is the dlt library (an absolute import), not the module itself."""
    assert wd_dlt._source.dlt is dlt
    assert dlt.__name__ == "dlt"
    assert wd_dlt.__name__ == "workday_recruiting.dlt"


def test_the_source_has_five_tables_each_merged_on_its_primary_key(fake_tenant_factory: Factory) -> None:
    """candidates, job_applications, requisitions, interviews, job_postings: write_disposition merge, a key each."""
    fake = fake_tenant_factory(candidates=5)
    source = tenant_of(fake).source()
    assert source.name == "workday_recruiting"
    assert tuple(source.selected_resources) == RESOURCES
    keys = {}
    for name in RESOURCES:
        schema = source.resources[name].compute_table_schema()
        assert schema["write_disposition"] == "merge", name
        keys[name] = [column for column, hints in schema["columns"].items() if hints.get("primary_key")]
    assert keys == {
        "candidates": ["candidate_id"],
        "job_applications": ["application_id"],
        "requisitions": ["requisition_id"],
        "interviews": ["session_wid"],
        "job_postings": ["posting_id"],
    }
    assert len(fake.requests) == 0  # building a source sends nothing


def test_the_sql_columns_are_the_models_column_specs() -> None:
    """Each table's columns are its model's spec columns (to_pandas and the CSV export show the same), in order."""
    for table in TABLES.values():
        spec = [column.name for column in columns_of(table.model) if column.name not in table.exclude]
        assert table.column_names == tuple(table.rename.get(name, name) for name in spec), table.name
    # `end` is reserved in SQL: the interviews' times read starts_at / ends_at.
    assert INTERVIEWS.column_names[:2] == ("starts_at", "ends_at")
    assert "application_ids" not in CANDIDATES.column_names  # the applications are a table of their own


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"username": "u", "password": "p"}, "wsdl_url is missing"),
        ({"wsdl_url": "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting"}, "no credentials"),
        ({"wsdl_url": "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "username": "u"}, "password"),
        (
            {
                "wsdl_url": "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting",
                "username": "u",
                "password": "p",
                "client_id": "c",
            },
            "not both",
        ),
        ({"wsdl_url": "not a url", "username": "u", "password": "p"}, "https://"),
        ({"client": "filled below", "username": "u"}, "either client= or"),
        ({"wsdl_url": "https://h/ccx/service/acme/Recruiting", "username": "u", "password": "p", "page_size": 0}, "1"),
    ],
)
def test_missing_or_contradictory_settings_are_refused_before_any_request(
    settings: dict[str, Any], message: str
) -> None:
    """A source with settings missing, malformed or contradictory raises ConfigurationError naming the problem."""
    if settings.get("client") == "filled below":
        settings["client"] = RecruitingClient(
            wsdl_url="https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting", username="u", password="p"
        )
    with pytest.raises(ConfigurationError, match=message):
        recruiting_source(**settings)


def test_a_tenant_name_must_fit_a_pipeline_name() -> None:
    """A Tenant's name becomes part of pipeline and dataset names: lower-case letters, digits and _ only."""
    with pytest.raises(ConfigurationError, match="lower-case"):
        Tenant("Acme Prod", wsdl_url="https://h/ccx/service/acme/Recruiting", username="u", password="p")
    tenant = Tenant("acme_impl", wsdl_url="https://h/ccx/service/acme/Recruiting", username="u", password="p")
    assert (tenant.pipeline_name, tenant.dataset_name()) == ("workday_recruiting_acme_impl", "recruiting_acme_impl")
    assert tenant.dataset_name(layout="column") == "recruiting"


# -- a load, and the next one ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_first_load_holds_every_record_and_the_next_one_exactly_what_changed(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """2,000 candidates: the tables hold what the fake holds; after 30 candidates and 5 requisitions change, the
    next load brings exactly those (in their new version, with no row twice), and the one after that none.

    (The later loads leave out the interviews, which every load reads again anyway: they are the slow part of a
    FakeTenant this size. The interviews are checked against the SDK on a smaller tenant, below.)"""
    fake = fake_tenant_factory(candidates=2000)
    tenant = tenant_of(fake)
    first = load(tenant, tmp_path)
    expected = {
        "candidates": fake.dataset.candidate_count(),
        "job_applications": applications_of(fake),
        "requisitions": fake.dataset.requisition_count(),
        "job_postings": len(list(fake.dataset.iter_job_postings())),
    }
    tables = list(expected)
    assert expected["candidates"] == 2000
    assert {table: first.rows[table] for table in tables} == expected
    assert {table: count(query, table) for table in tables} == expected
    assert count(query, "interviews") == first.rows["interviews"] > 0

    changed = [f"CAND-{1001 + 61 * i}" for i in range(30)]
    for candidate_id in changed:
        fake.dataset.update_candidate(candidate_id, last_name="Changed")
    requisitions = [f"R-{2 + 17 * i:05d}" for i in range(5)]
    for requisition_id in requisitions:
        fake.dataset.update_requisition(requisition_id, title="Changed title")
    second = load(tenant, tmp_path, resources=tables)

    assert second.rows["candidates"] == 30
    assert second.rows["requisitions"] == 5
    changed_applications = sum(len(fake.dataset.find_candidate("Candidate_ID", c).applications) for c in changed)
    assert second.rows["job_applications"] == changed_applications
    assert {table: count(query, table) for table in tables} == expected  # merged: nothing twice
    renamed = query("select candidate_id from recruiting_acme.candidates where last_name = 'Changed'")
    assert sorted(row[0] for row in renamed) == sorted(changed)
    retitled = query("select requisition_id from recruiting_acme.requisitions where title = 'Changed title'")
    assert sorted(row[0] for row in retitled) == sorted(requisitions)

    third = load(tenant, tmp_path, resources=tables)
    assert set(third.rows) == {"job_postings"}  # re-read each load (no change feed), merged
    assert {table: count(query, table) for table in tables} == expected


def test_a_record_changed_just_before_the_first_load_is_not_loaded_again(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """The first load's watermark remembers the versions of its last overlap, as changes() does: a candidate changed
    a moment before it is not delivered again by the next load (and one changed after it is)."""
    fake = fake_tenant_factory(candidates=30)
    fake.dataset.update_candidate("CAND-1003", last_name="Before")
    tenant = tenant_of(fake)
    load(tenant, tmp_path)
    assert "candidates" not in load(tenant, tmp_path).rows
    fake.dataset.update_candidate("CAND-1003", last_name="After")
    assert load(tenant, tmp_path).rows["candidates"] == 1


def test_the_watermarks_are_the_sdks_kept_in_dlts_state(fake_tenant_factory: Factory, tmp_path: Path) -> None:
    """The candidates' (per table) and the requisitions' watermarks are Watermark.to_json() texts in the state."""
    fake = fake_tenant_factory(candidates=10)
    tenant = tenant_of(fake)
    load(tenant, tmp_path)
    resources = state_of(tenant, tmp_path)["workday_recruiting"]["resources"]
    marks = resources["candidate_changes"]["watermarks"]
    assert set(marks) == {"candidates", "job_applications"}
    assert Watermark.from_json(marks["candidates"]).resource == "candidates"
    assert Watermark.from_json(resources["requisitions"]["watermark"]).resource == "requisitions"
    assert marks["candidates"] == marks["job_applications"]


def test_initial_since_starts_from_the_changes_instead_of_a_snapshot(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """With initial_since, the first load reads only what changed since then."""
    fake = fake_tenant_factory(candidates=30)
    since = fake.dataset.current_moment()
    for candidate_id in ("CAND-1002", "CAND-1004", "CAND-1008"):
        fake.dataset.update_candidate(candidate_id, last_name="Recent")
    result = load(tenant_of(fake), tmp_path, resources=["candidates"], initial_since=since, overlap=timedelta(0))
    assert result.rows["candidates"] == 3


def test_a_table_selected_alone_moves_only_its_own_watermark(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """candidates and job_applications share one read: loading candidates alone leaves the applications' watermark
    where it was, so a later load of both still brings every application."""
    fake = fake_tenant_factory(candidates=20)
    tenant = tenant_of(fake)
    load(tenant, tmp_path, resources=["candidates"])
    marks = state_of(tenant, tmp_path)["workday_recruiting"]["resources"]["candidate_changes"]["watermarks"]
    assert set(marks) == {"candidates"}
    load(tenant, tmp_path, resources=["candidates", "job_applications"])
    assert count(query, "job_applications") == applications_of(fake)
    assert count(query, "candidates") == 20  # delivered again with them, merged


# -- the tables as SQL reads them ------------------------------------------------------------------------------------


def test_a_candidate_is_a_row_of_its_own_fields_and_its_lists_are_child_tables(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """candidates has tens of typed columns (a reference as its name and its ID); tags are candidates__tags."""
    fake = fake_tenant_factory(candidates=40)
    load(tenant_of(fake), tmp_path)
    columns = dict(
        query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'recruiting_acme' and table_name = 'candidates'"
        )
    )
    own = {name for name in columns if not name.startswith("_dlt")}
    assert 15 <= len(own) <= 40
    assert {"candidate_id", "name", "primary_email", "source", "source_id", "withdrawn"} <= own
    assert columns["withdrawn"] == "BOOLEAN"
    assert not any("__" in name for name in own)  # nothing flattened into the row
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        tagged = next(c for c in client.candidates.list() if c.tags)
    row = query(
        "select name, primary_email, source_id, _dlt_id from recruiting_acme.candidates where candidate_id = ?",
        tagged.candidate_id,
    )[0]
    assert row[:3] == (tagged.name, tagged.primary_email, tagged.source.id if tagged.source else None)
    tags = query(
        "select id, descriptor from recruiting_acme.candidates__tags where _dlt_parent_id = ? order by _dlt_list_idx",
        row[3],
    )
    assert tags == [(tag.id, tag.descriptor) for tag in tagged.tags]


def test_times_are_timestamps_with_time_zone_and_local_times_without(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """interviews holds the sessions of the next 14 days; applied_at and starts_at are timestamps with time zone,
    local_starts_at the wall-clock time in the interview's zone; dates are dates; the interviewers of a session are
    interviews__interviewers."""
    fake = fake_tenant_factory(candidates=100)
    load(tenant_of(fake), tmp_path)
    types = dict(
        query(
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'recruiting_acme'"
        )
    )
    assert types["job_applications.applied_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["interviews.starts_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["interviews.local_starts_at"] == "TIMESTAMP"
    assert types["requisitions.target_hire_date"] == "DATE"
    assert types["requisitions.positions_allocated"] == "BIGINT"
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        sessions = client.interviews.upcoming(start=client.server_time(), days=14)
    assert count(query, "interviews") == len(sessions) > 0  # the sessions of the next 14 days, as the SDK lists them
    session = sessions[0]
    row = query(
        "select timezone('UTC', starts_at), local_starts_at, time_zone, _dlt_id from recruiting_acme.interviews "
        "where session_wid = ?",
        session.session.wid,
    )[0]
    assert row[0] == session.start.astimezone(timezone.utc).replace(tzinfo=None)
    assert row[1:3] == (session.session.local_start.replace(tzinfo=None), session.time_zone)
    people = query("select name from recruiting_acme.interviews__interviewers where _dlt_root_id = ?", row[3])
    assert sorted(name for (name,) in people) == sorted(person.name for person in session.interviewers)


def test_a_column_no_record_fills_yet_exists_with_its_type(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """The columns typed by the models' annotations exist from the first load, even all NULL."""
    fake = fake_tenant_factory(candidates=1)
    load(tenant_of(fake), tmp_path, resources=["candidates"])
    columns = {
        name
        for (name,) in query(
            "select column_name from information_schema.columns "
            "where table_schema = 'recruiting_acme' and table_name = 'candidates'"
        )
    }
    assert set(CANDIDATES.hints) <= columns
    assert {"referred_by", "referred_by_id", "do_not_hire"} <= columns


# -- interviews --------------------------------------------------------------------------------------------------------


def test_a_session_no_longer_in_the_window_is_deleted_and_the_others_stay(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """An interview moved beyond the window is deleted from interviews (with its interviewers) on the next load."""
    fake = fake_tenant_factory(candidates=100)
    tenant = tenant_of(fake)
    load(tenant, tmp_path, resources=["interviews"])
    before = count(query, "interviews")
    (event_wid,) = query("select interview_wid from recruiting_acme.interviews order by starts_at limit 1")[0]
    event = fake.dataset.find_interview(event_wid)
    assert event is not None
    moved = tuple(
        attrs.evolve(s, start=s.start + timedelta(days=60), end=s.end + timedelta(days=60)) for s in event.sessions
    )
    fake.dataset.update_interview(event_wid, sessions=moved)
    load(tenant, tmp_path, resources=["interviews"])
    assert count(query, "interviews") == before - len(event.sessions)
    assert query("select count(*) from recruiting_acme.interviews where interview_wid = ?", event_wid) == [(0,)]
    orphans = query(
        "select count(*) from recruiting_acme.interviews__interviewers i left join "
        "recruiting_acme.interviews s on i._dlt_root_id = s._dlt_id where s._dlt_id is null"
    )
    assert orphans == [(0,)]


def test_only_a_vanished_session_still_ahead_in_the_window_counts_as_gone() -> None:
    """A session that has started (left the window by itself) stays; one still ahead and not listed is gone."""
    begin = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
    end = begin + timedelta(days=14)
    previous = {
        "passed": (begin - timedelta(hours=1)).isoformat(),
        "cancelled": (begin + timedelta(days=2)).isoformat(),
        "listed": (begin + timedelta(days=3)).isoformat(),
        "beyond": (end + timedelta(days=1)).isoformat(),
    }
    assert vanished_sessions(previous, ["listed", "new"], begin, end) == ["cancelled"]


# -- killed runs ---------------------------------------------------------------------------------------------------

_KILLED_RUN = """
import os, signal, sys
import dlt
from workday_recruiting.dlt import Tenant, load_tenant
from workday_recruiting.dlt._tenants import run_load, tenant_pipeline

tenant = Tenant("acme", wsdl_url=os.environ["WSDL"], username=os.environ["ISU"], password=os.environ["ISU_PASSWORD"])
destination = dlt.destinations.duckdb(os.environ["DATABASE"])
pipeline = tenant_pipeline(tenant, destination=destination, pipelines_dir=os.environ["PIPELINES"])
source = tenant.source(page_size=50)
if os.environ["KILL"] == "reading":
    seen = []

    def die_midway(row):
        seen.append(row)
        if len(seen) == 120:  # rows of candidates extracted: kill -9 in the middle of the read
            os.kill(os.getpid(), signal.SIGKILL)
        return row

    source.resources["candidates"].add_map(die_midway)
    run_load(pipeline, source, tenant="acme")
else:  # "loading": everything extracted and normalized, then killed before the load step
    pipeline.run()
    pipeline.extract(source)
    pipeline.normalize()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed(fake: FakeTenant, tmp_path: Path, when: str) -> None:
    done = _python(
        _KILLED_RUN,
        WSDL=fake.wsdl_url,
        ISU=fake.username,
        ISU_PASSWORD=fake.password,
        DATABASE=str(tmp_path / "recruiting.duckdb"),
        PIPELINES=str(tmp_path / "pipelines"),
        KILL=when,
    )
    assert done.returncode == -9, done.stderr[-2000:]


def test_a_run_killed_while_reading_loses_nothing_and_repeats_nothing_when_run_again(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """kill -9 in the middle of the first read: no state was kept, so the next run reads everything again, and
    every candidate is there once."""
    fake = fake_tenant_factory(candidates=300)
    _killed(fake, tmp_path, "reading")
    tenant = tenant_of(fake)
    assert (
        state_of(tenant, tmp_path).get("workday_recruiting", {}).get("resources", {}).get("candidate_changes") is None
    )
    result = load(tenant, tmp_path)
    assert result.rows["candidates"] == 300
    assert query("select count(*), count(distinct candidate_id) from recruiting_acme.candidates") == [(300, 300)]
    assert count(query, "job_applications") == applications_of(fake)


def test_a_run_killed_before_loading_is_finished_by_the_next_run_which_also_reads_on(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """kill -9 after extracting 10 changes but before loading them: the next run loads them, then reads and loads
    the 5 changes made since, in one go, with no row twice."""
    fake = fake_tenant_factory(candidates=100)
    tenant = tenant_of(fake)
    load(tenant, tmp_path)
    for i in range(10):
        fake.dataset.update_candidate(f"CAND-{1001 + i}", last_name="Killed")
    _killed(fake, tmp_path, "loading")
    for i in range(5):
        fake.dataset.update_candidate(f"CAND-{1050 + i}", last_name="Later")
    result = load(tenant, tmp_path)
    assert result.pending_packages == 1  # the killed run's, loaded first
    assert result.rows["candidates"] == 5  # then this run's own read
    assert query(
        "select last_name, count(*) from recruiting_acme.candidates where last_name in ('Killed', 'Later') "
        "group by last_name order by last_name"
    ) == [("Killed", 10), ("Later", 5)]
    assert query("select count(*), count(distinct candidate_id) from recruiting_acme.candidates") == [(100, 100)]


# -- bad input: the tenant's load fails with the SDK's typed error, its state untouched -----------------------------


def unused_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tables_and_state(tenant: Tenant, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]) -> Any:
    return {table: count(query, table) for table in RESOURCES}, state_of(tenant, tmp_path)


@pytest.mark.parametrize("failure", ["wrong password", "missing domain", "tenant down"])
def test_a_failing_tenant_raises_the_sdks_error_and_keeps_its_state_and_tables(
    failure: str, fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """After a good load, a wrong password (AuthenticationError), a missing domain (PermissionDeniedError) or a
    tenant that is down (ConnectError) fails the next load with that error; the state and the tables stay as they
    were, and a later good load goes on from there."""
    fake = fake_tenant_factory(candidates=30)
    tenant = tenant_of(fake)
    load(tenant, tmp_path)
    before = _tables_and_state(tenant, tmp_path, query)
    fake.dataset.update_candidate("CAND-1005", last_name="Pending")
    expected: type[Exception]
    if failure == "wrong password":
        broken, expected = attrs.evolve(tenant, password="not-the-password"), AuthenticationError
    elif failure == "missing domain":
        fake.add_isu("ISU_No_Requisitions", "s3cret-Pw", domains=ALL_DOMAINS - {JOB_REQUISITION_DATA})
        broken, expected = (
            attrs.evolve(tenant, username="ISU_No_Requisitions", password="s3cret-Pw"),
            PermissionDeniedError,
        )
    else:
        url = f"http://127.0.0.1:{unused_port()}/ccx/service/acme/Recruiting"
        broken = attrs.evolve(tenant, wsdl_url=url, client_options={"retry": ONE_TRY})
        expected = ConnectError
    with pytest.raises(expected):
        load(broken, tmp_path)
    assert _tables_and_state(tenant, tmp_path, query) == before
    assert load(tenant, tmp_path).rows["candidates"] == 1  # the change is not lost: the next good load brings it


# -- many tenants ------------------------------------------------------------------------------------------------------


class CountingSession(requests.Session):
    """A session that counts the requests in flight, per tenant and across tenants."""

    def __init__(self, tenant: str, board: dict[str, Any]) -> None:
        super().__init__()
        self.tenant = tenant
        self.board = board

    def request(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        board = self.board
        with board["lock"]:
            board["open"][self.tenant] = board["open"].get(self.tenant, 0) + 1
            board["most"][self.tenant] = max(board["most"].get(self.tenant, 0), board["open"][self.tenant])
            busy = sum(1 for value in board["open"].values() if value)
            board["tenants"] = max(board["tenants"], busy)
        try:
            return super().request(*args, **kwargs)
        finally:
            with board["lock"]:
                board["open"][self.tenant] -= 1


@pytest.mark.slow
def test_ten_tenants_load_in_parallel_each_bounded_and_a_failing_one_alone_fails(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """Ten tenants, three at a time, two requests each at most: the eight good ones are loaded (a DuckDB file
    each, by default), the two bad ones fail with the SDK's typed error, and no more than three tenants and two
    requests per tenant were ever in flight."""
    board: dict[str, Any] = {"lock": threading.Lock(), "open": {}, "most": {}, "tenants": 0}
    tenants = []
    for i in range(10):
        fake = fake_tenant_factory(tenant=f"t{i}", candidates=10 + i, latency=0.002)
        name = f"tenant_{i}"
        options = {"retry": ONE_TRY, "session": CountingSession(name, board)}
        tenant = tenant_of(fake, name, max_concurrency=2, client_options=options)
        if i == 3:
            tenant = attrs.evolve(tenant, password="wrong")
        if i == 7:
            fake.close()  # down
        tenants.append(tenant)
    results = load_tenants(tenants, max_parallel=3, pipelines_dir=tmp_path / "pipelines")

    assert [result.tenant for result in results] == [tenant.name for tenant in tenants]
    assert isinstance(results[3].error, AuthenticationError)
    assert isinstance(results[7].error, ConnectError)
    for i, result in enumerate(results):
        if i in (3, 7):
            assert not result.ok and result.rows == {}
            continue
        assert result.ok, result.error
        assert result.rows["candidates"] == 10 + i
        database = tmp_path / f"workday_recruiting_tenant_{i}.duckdb"
        with duckdb.connect(str(database), read_only=True) as db:
            table = f"recruiting_tenant_{i}.candidates"
            assert db.sql(f"select count(*) from {table}").fetchall() == [(10 + i,)]  # noqa: S608 - our tables
    assert max(board["most"].values()) <= 2
    assert board["tenants"] <= 3


def test_in_the_column_layout_tenants_share_one_dataset_keyed_by_tenant(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """layout="column": two tenants in one dataset, each row carrying its tenant's name; the same Candidate_ID in
    both tenants is two rows (the tenant is part of every primary key)."""
    acme = tenant_of(fake_tenant_factory(tenant="acme", candidates=12), "acme_prod")
    globex = tenant_of(fake_tenant_factory(tenant="globex", candidates=8), "globex_eu")
    # The dataset is not named like the file (DuckDB's catalog): "recruiting" in recruiting.duckdb is ambiguous.
    destination = dlt.destinations.duckdb(str(tmp_path / "recruiting.duckdb"))
    results = load_tenants(
        [acme, globex], layout="column", dataset_name="hr", destination=destination, pipelines_dir=tmp_path / "p"
    )
    assert all(result.ok for result in results), [result.error for result in results]
    rows = query("select tenant, count(*) from hr.candidates group by tenant order by tenant")
    assert rows == [("acme_prod", 12), ("globex_eu", 8)]
    assert query("select count(*) from hr.candidates where candidate_id = 'CAND-1001'") == [(2,)]
    schema = acme.source(layout="column").resources["candidates"].compute_table_schema()
    assert [name for name, column in schema["columns"].items() if column.get("primary_key")] == [
        "tenant",
        "candidate_id",
    ]


def test_two_tenants_with_one_name_are_refused(fake_tenant_factory: Factory) -> None:
    """Each tenant names a pipeline: load_tenants refuses two of the same name before loading any."""
    fake = fake_tenant_factory(candidates=1)
    with pytest.raises(ConfigurationError, match="distinct"):
        load_tenants([tenant_of(fake, "acme"), tenant_of(fake, "acme")])
    assert len(fake.requests) == 0


# -- the orchestrators' task functions -------------------------------------------------------------------------------


def test_the_airflow_task_group_s_run_restores_the_state_from_the_destination(
    fake_tenant_factory: Factory, tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]
) -> None:
    """What docs/dlt.md's DAG runs per tenant (PipelineTasksGroup.add_run: tenant_pipeline and Tenant.source, with
    the local working folder wiped after each task): the second run restores the watermarks from the destination
    and loads only what changed."""
    fake = fake_tenant_factory(candidates=40)
    tenant = tenant_of(fake)
    destination = dlt.destinations.duckdb(str(tmp_path / "recruiting.duckdb"))

    def task() -> dlt.Pipeline:
        working = tmp_path / "airflow-task"  # PipelineTasksGroup(wipe_local_data=True): a fresh folder each run
        pipeline = wd_dlt.tenant_pipeline("acme", destination=destination, pipelines_dir=working)
        data = lambda: tenant.source()  # noqa: E731 - the DAG's callable, evaluated when the task runs
        pipeline.run(data())
        shutil.rmtree(working)  # what wipe_local_data does after the task
        return pipeline

    task()
    assert count(query, "candidates") == 40
    fake.dataset.update_candidate("CAND-1010", last_name="Restored")
    pipeline = task()
    assert pipeline.last_trace is not None
    assert pipeline.last_trace.last_normalize_info.row_counts["candidates"] == 1


def test_the_per_tenant_task_raises_so_that_the_orchestrator_marks_it_failed(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """load_tenant (the Dagster op's and the Airflow @task's body) raises the SDK's error, not dlt's wrapper."""
    fake = fake_tenant_factory(candidates=3)
    with pytest.raises(AuthenticationError) as caught:
        load(attrs.evolve(tenant_of(fake), password="wrong"), tmp_path)
    assert "wrong" not in str(caught.value)


# -- secrets -------------------------------------------------------------------------------------------------------


def _everything_written(tmp_path: Path, query: Callable[..., list[tuple[Any, ...]]]) -> str:
    """Every text dlt wrote: each table's rows, the decoded state, and every file of the working folder."""
    texts = []
    for schema, table in query("select table_schema, table_name from information_schema.tables"):
        texts.append(repr(query(f'select * from "{schema}"."{table}"')))  # noqa: S608 - every table dlt wrote
    for path in (tmp_path / "pipelines").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            with contextlib.suppress(OSError):  # a gzip-compressed file of a load package
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_no_secret_is_in_reprs_logs_state_or_tables(
    fake_tenant_factory: Factory,
    tmp_path: Path,
    query: Callable[..., list[tuple[Any, ...]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An OAuth load: the client secret and the refresh token are in no repr, no log line, no state, no table and
    no file of dlt's working folder; neither is an ISU's password after a failed login."""
    caplog.set_level("DEBUG")
    fake = fake_tenant_factory(candidates=20)
    oauth = fake.oauth_client
    tenant = Tenant(
        "acme",
        wsdl_url=fake.wsdl_url,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        refresh_token=oauth.refresh_token,
        client_options={"retry": NO_WAIT},
    )
    source = tenant.source()
    load(tenant, tmp_path)
    with pytest.raises(AuthenticationError) as caught:
        load(tenant_of(fake, password="Wrong-Secret-42"), tmp_path)
    secrets = [oauth.client_secret, oauth.refresh_token, fake.password, "Wrong-Secret-42"]
    shown = "\n".join(
        [
            repr(tenant),
            repr(source),
            repr(list(source.resources.values())),
            caplog.text,
            str(caught.value),
            repr(caught.value.args),
            json.dumps(state_of(tenant, tmp_path)),
            _everything_written(tmp_path, query),
        ]
    )
    for secret in secrets:
        assert secret not in shown


# -- the command line ----------------------------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    code = main(list(argv), environ=environ or {"XDG_CONFIG_HOME": "config-home"}, stdin=io.StringIO(""))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_load_writes_a_duckdb_file_by_default(
    fake_tenant_factory: Factory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`workday-recruiting load` with a tenant's settings writes workday_recruiting_<tenant>.duckdb, dataset
    recruiting, and says what it loaded; run again, it loads only what changed."""
    fake = fake_tenant_factory(candidates=25)
    environ = {
        "WORKDAY_WSDL_URL": fake.wsdl_url,
        "WORKDAY_USERNAME": fake.username,
        "WORKDAY_PASSWORD": fake.password,
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }
    code, out, err = _cli(capsys, "load", "--pipelines-dir", "pipelines", environ=environ)
    assert code == 0, err
    database = tmp_path / "workday_recruiting_acme.duckdb"
    assert f"Loaded acme into duckdb dataset recruiting in {database}: 25 candidates" in err
    with duckdb.connect(str(database), read_only=True) as db:
        assert db.sql("select count(*) from recruiting.candidates").fetchall() == [(25,)]
    fake.dataset.update_candidate("CAND-1001", last_name="Again")
    code, out, err = _cli(capsys, "load", "--pipelines-dir", "pipelines", "--json", environ=environ)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["rows"]["candidates"] == 1
    assert (summary["tenant"], summary["dataset"], summary["database"]) == ("acme", "recruiting", str(database))


def test_load_demo_loads_an_embedded_fake_tenant_from_scratch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`load --demo` needs no tenant: an embedded FakeTenant into the file and dataset asked for, anew each time."""
    for _ in range(2):
        code, _out, err = _cli(
            capsys,
            "load",
            "--demo",
            "--candidates",
            "15",
            "--output",
            "demo.duckdb",
            "--dataset",
            "hr",
            "--resources",
            "candidates,requisitions",
            "--pipelines-dir",
            "pipelines",
        )
        assert code == 0, err
        assert "15 candidates" in err
    with duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True) as db:
        assert db.sql("select count(*) from hr.candidates").fetchall() == [(15,)]
        tables = {
            name
            for (name,) in db.sql(
                "select table_name from information_schema.tables where table_schema = 'hr'"
            ).fetchall()
        }
    assert "job_applications" not in tables


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (["load", "--resources", "candidates,resumes"], 2, "unknown resumes"),
        (["load", "--destination", "postgres", "--output", "x.duckdb"], 2, "--destination duckdb only"),
    ],
)
def test_load_refuses_bad_flags_in_one_line(
    argv: list[str], code: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown table or a DuckDB file for another destination: exit 2, one line saying why."""
    got, _out, err = _cli(capsys, *argv, "--demo")
    assert got == code
    assert says in err and len(err.strip().splitlines()) == 1


def test_load_with_a_wrong_password_exits_3_in_one_line(
    fake_tenant_factory: Factory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused login is the command line's authentication exit code (3), in one line without the password."""
    fake = fake_tenant_factory(candidates=2)
    environ = {
        "WORKDAY_WSDL_URL": fake.wsdl_url,
        "WORKDAY_USERNAME": fake.username,
        "WORKDAY_PASSWORD": "Not-The-Password-9",
        "XDG_CONFIG_HOME": str(tmp_path / "config-home"),
    }
    code, _out, err = _cli(capsys, "load", "--pipelines-dir", "pipelines", environ=environ)
    assert code == 3
    assert len(err.strip().splitlines()) == 1 and "Not-The-Password-9" not in err


# -- the docs page ---------------------------------------------------------------------------------------------------

_DOC_BLOCK = re.compile(r"<!-- run-dlt -->[ \t]*\n```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def test_the_docs_page_examples_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/dlt.md's examples marked ``<!-- run-dlt -->`` run in order, as a reader would (here, where dlt's
    telemetry is off: tests/test_docs_snippets.py runs the ``<!-- run -->`` ones, without that)."""
    page = ROOT / "docs" / "dlt.md"
    text = page.read_text(encoding="utf-8")
    blocks = [(text.count("\n", 0, match.start(1)), match.group(1)) for match in _DOC_BLOCK.finditer(text)]
    assert len(blocks) == text.count("<!-- run-dlt -->") >= 2
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    try:
        for line, code in blocks:
            exec(compile("\n" * line + code, str(page), "exec"), namespace)  # noqa: S102 - the project's own docs
    finally:
        for value in namespace.values():
            if isinstance(value, FakeTenant):
                value.close()
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "1"  # the second run loaded the one candidate that changed
    assert (tmp_path / "workday_recruiting_acme.duckdb").is_file()
    assert any((tmp_path / "dlt-data").rglob("workday_recruiting_acme"))  # dlt's working folder, not ~/.dlt
