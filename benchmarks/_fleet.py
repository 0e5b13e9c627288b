"""Section 7 of the benchmarks: a fleet of FakeTenants watched by Celery workers on shared PostgreSQL state.

200 small FakeTenants (threads of this process, on loopback) are the customers' tenants. A throwaway PostgreSQL
server (``tests/_postgres.py``) holds every feed's state; four ``celery worker`` processes (threads pool) and one
``celery beat`` with :class:`~workday_recruiting.celery.FleetScheduler` run ``benchmarks/_fleet_app.py``, over
kombu's filesystem broker. Once every tenant has had its first poll, interview events are moved at random (each
move is a change to every session of the event) for a few minutes; then the run waits for the last deliveries.

Reported: every change delivered (matched on tenant, session and new start), duplicates, no tenant held by two
runs at once (each run reports a span inside its hold of the tenant: no two spans of a tenant may overlap), the
lag from a move to its delivery (the slowest tenant's, and the median), the requests each poll made (counted by
the FakeTenants), and the runs' outcomes. Needs PostgreSQL 15's binaries (see ``tests/_postgres.py``).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
from _report import Check, Report, heading, line, secs

from workday_recruiting.testing import FakeTenant

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
from _postgres import PostgresCluster  # noqa: E402

#: Full run: tenants, worker processes, threads each, poll period (s), injection time (s), moves per second.
FULL = {"tenants": 200, "workers": 4, "threads": 8, "every": 30.0, "inject": 150.0, "rate": 3.0}
QUICK = {"tenants": 20, "workers": 2, "threads": 4, "every": 10.0, "inject": 30.0, "rate": 1.0}


def _read(folder: Path, prefix: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob(f"{prefix}-*.jsonl")):
        for text in path.read_text(encoding="utf-8").splitlines():
            if text.strip():
                rows.append(json.loads(text))
    return rows


def _moment(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "_fleet_app", *args],
            cwd=HERE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _overlaps(polls: list[dict[str, Any]]) -> int:
    """Pairs of runs whose holds of one tenant overlap (each span lies inside its run's hold)."""
    spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for poll in polls:
        if poll.get("held"):
            spans[poll["tenant"]].append((poll["held"][0], poll["held"][1]))
    count = 0
    for tenant_spans in spans.values():
        tenant_spans.sort()
        for (_, end), (start, _) in itertools.pairwise(tenant_spans):
            count += start < end
    return count


def section_fleet(report: Report, quick: bool) -> None:
    size = QUICK if quick else FULL
    n, every = int(size["tenants"]), float(size["every"])
    heading(
        f"7. Fleet: {n} FakeTenants, {int(size['workers'])} Celery workers x {int(size['threads'])} threads, "
        f"PostgreSQL state, a poll every {every:g} s"
    )
    work = Path(tempfile.mkdtemp(prefix="wr-fleet-"))
    (work / "broker").mkdir()
    (work / "out").mkdir()
    cluster = PostgresCluster()
    fakes: dict[str, FakeTenant] = {}
    processes: list[subprocess.Popen[bytes]] = []
    rng = random.Random(7)
    try:
        cluster.start()
        for i in range(n):
            fake = FakeTenant(candidates=100, tenant=f"tenant{i:03d}", seed=i)
            fakes[fake.tenant] = fake
        config = {
            "dsn": cluster.dsn,
            "every": every,
            "out": str(work / "out"),
            "broker": str(work / "broker"),
            "tenants": {
                key: {"wsdl_url": f.wsdl_url, "username": f.username, "password": f.password}
                for key, f in fakes.items()
            },
        }
        (work / "fleet.json").write_text(json.dumps(config))
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE)]),
            "FLEET_CONFIG": str(work / "fleet.json"),
        }
        started = time.time()
        for w in range(int(size["workers"])):
            worker = [
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                str(int(size["threads"])),
                "--hostname",
                f"w{w}@bench",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
            ]
            processes.append(_spawn(worker, env, work / f"worker{w}.log"))
        beat = ["beat", "-S", "workday_recruiting.celery:FleetScheduler", "--schedule", str(work / "beat")]
        processes.append(_spawn([*beat, "--loglevel", "WARNING"], env, work / "beat.log"))

        # Warm-up: every tenant's first poll (a reconcile of its window).
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            done = {p["tenant"] for p in _read(work / "out", "polls") if p["status"] == "ok"}
            if len(done) == n:
                break
            if any(p.poll() is not None for p in processes):
                raise RuntimeError(f"a Celery process exited; see the logs in {work}")
            time.sleep(1)
        else:
            raise RuntimeError(f"not every tenant was polled within 10 minutes; see the logs in {work}")
        warm = time.time()
        warm_requests = {key: len(f.requests) for key, f in fakes.items()}
        line("start-up to every tenant's first poll (the reconcile)", secs(warm - started))

        # The events each feed knows (delivered as scheduled in the first poll), by tenant.
        known: dict[str, set[str]] = defaultdict(set)
        first = _read(work / "out", "deliveries")
        sessions_of: dict[tuple[str, str], str] = {}
        for key, fake in fakes.items():
            for wid in fake.dataset.interview_wids():
                record = fake.dataset.find_interview(wid)
                for session in record.sessions if record is not None else ():
                    sessions_of[(key, session.wid)] = wid
        for delivery in first:
            event = sessions_of.get((delivery["tenant"], delivery["session"]))
            if event is not None:
                known[delivery["tenant"]].add(event)
        delivered_first = {(d["tenant"], d["session"]) for d in first}
        movable = sorted((key, wid) for key, wids in known.items() for wid in wids)
        expected: dict[tuple[str, str, int], float] = {}  # (tenant, session, new start) -> moved at
        last_move: dict[tuple[str, str], float] = {}
        # The application also asks for polls of its own (a user pressing "refresh"): two at once for a tenant,
        # on top of beat's, so runs do contend for tenants; all but one of each must skip.
        os.environ["FLEET_CONFIG"] = env["FLEET_CONFIG"]
        import _fleet_app

        stop_at = time.monotonic() + float(size["inject"])
        while time.monotonic() < stop_at:
            contended = rng.choice(sorted(fakes))
            for _ in range(2):
                _fleet_app.fleet.task.delay(contended)
            for _ in range(max(1, round(float(size["rate"])))):
                key, wid = rng.choice(movable)
                if time.monotonic() - last_move.get((key, wid), -1e9) < 3 * every:
                    continue  # a second move before the feed saw the first would hide the first
                record = fakes[key].dataset.find_interview(wid)
                if record is None or min(s.start for s in record.sessions) < datetime.now(timezone.utc) + timedelta(
                    hours=2
                ):
                    continue
                delta = timedelta(minutes=30)
                moved = tuple(attrs.evolve(s, start=s.start + delta, end=s.end + delta) for s in record.sessions)
                fakes[key].dataset.update_interview(wid, sessions=moved)
                now = time.time()
                last_move[(key, wid)] = time.monotonic()
                horizon = datetime.now(timezone.utc) + timedelta(days=13.9)  # the feed's window is 14 days
                for session in moved:
                    if (key, session.wid) in delivered_first and session.start < horizon:
                        expected[(key, session.wid, round(session.start.timestamp()))] = now
            time.sleep(1)

        # Drain: wait for the last moves to be delivered (a few poll periods at most).
        drain_until = time.monotonic() + 4 * every + 60
        while time.monotonic() < drain_until:
            got = {(d["tenant"], d["session"], round(_moment(d["start"]))) for d in _read(work / "out", "deliveries")}
            if all(k in got for k in expected):
                break
            time.sleep(1)
        ended = time.time()
    finally:
        _stop(processes)
        for fake in fakes.values():
            fake.close()
        cluster.stop()

    deliveries = _read(work / "out", "deliveries")
    polls = _read(work / "out", "polls")
    delivered_at: dict[tuple[str, str, int], float] = {}
    ids: dict[str, int] = defaultdict(int)
    for d in deliveries:
        ids[d["id"]] += 1
        k = (d["tenant"], d["session"], round(_moment(d["start"])))
        delivered_at[k] = min(delivered_at.get(k, d["at"]), d["at"])
    matched = {k: delivered_at[k] - moved for k, moved in expected.items() if k in delivered_at}
    lags_by_tenant: dict[str, float] = defaultdict(float)
    for (tenant, _, _), lag in matched.items():
        lags_by_tenant[tenant] = max(lags_by_tenant[tenant], lag)
    lags = sorted(matched.values())
    statuses: dict[str, int] = defaultdict(int)
    for p in polls:
        statuses[p["status"]] += 1
    ok_after_warm = [p for p in polls if p["status"] == "ok" and p["held"] and p["held"][0] >= warm]
    steady_requests = sum(len(fakes[k].requests) - warm_requests[k] for k in fakes)
    per_poll = steady_requests / max(1, len(ok_after_warm))
    per_tenant = [
        (len(fakes[k].requests) - warm_requests[k]) / max(1, sum(1 for p in ok_after_warm if p["tenant"] == k))
        for k in fakes
    ]
    overlaps = _overlaps(polls)
    duplicates = sum(count - 1 for count in ids.values() if count > 1)
    slowest = max(lags_by_tenant.values()) if lags_by_tenant else float("nan")

    line("sessions moved in the window / their changes delivered", f"{len(expected)} / {len(matched)}")
    for tenant, session, start in [k for k in expected if k not in matched][:5]:
        seen = [(d["kind"], d["start"]) for d in deliveries if d["tenant"] == tenant and d["session"] == session]
        line(f"  not delivered: {tenant} session {session} at {start}", f"delivered for it: {seen}")
    line("deliveries of a change already delivered (at least once)", str(duplicates))
    line("runs: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), f"{len(polls)} in all")
    line("runs holding one tenant at the same time (pairs)", str(overlaps))
    if lags:
        line(
            "lag move -> delivery: median / p95",
            f"{secs(statistics.median(lags))} / {secs(lags[int(len(lags) * 0.95)])}",
        )
    line("lag of the slowest tenant (its worst change)", secs(slowest))
    line(
        "requests per tenant per poll, steady state: mean / max over tenants", f"{per_poll:.2f} / {max(per_tenant):.2f}"
    )
    line("polls per tenant per minute (steady state)", f"{len(ok_after_warm) / n / max(1e-9, (ended - warm) / 60):.2f}")
    report.figures["fleet"] = {
        **size,
        "injected": len(expected),
        "delivered": len(matched),
        "duplicates": duplicates,
        "statuses": dict(statuses),
        "overlaps": overlaps,
        "lag_median_s": statistics.median(lags) if lags else None,
        "lag_slowest_tenant_s": slowest,
        "requests_per_poll": per_poll,
        "requests_per_poll_max_tenant": max(per_tenant),
        "warm_up_s": warm - started,
    }
    report.check(
        Check(
            "7",
            "every change delivered",
            f"{len(matched)}/{len(expected)}",
            "all",
            len(matched) / max(1, len(expected)),
            "delivered/injected",
            "== 1",
            len(matched) == len(expected) > 0,
        )
    )
    report.check(
        Check(
            "7",
            "no tenant polled by two runs at once",
            str(overlaps),
            "0",
            float(overlaps),
            "overlapping pairs",
            "== 0",
            overlaps == 0,
        )
    )
    if len(matched) == len(expected) and overlaps == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        line("the workers' and beat's logs, and what they recorded", str(work))
    report.check(
        Check(
            "7",
            "slowest tenant's lag",
            secs(slowest),
            f"period {every:g} s",
            slowest / every,
            "lag/period",
            "< 3 periods",
            slowest < 3 * every,
        )
    )
