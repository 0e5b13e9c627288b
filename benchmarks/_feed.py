"""Section 6: the interview feed and ``upcoming()`` on enterprise-shaped tenants, against the per-application fan-out.

At each size (20,000 and 200,000 candidates; 5,000 with ``--quick``) a worker process of its own (so that its peak
resident set is the client's alone) drives a FakeTenant in a third process (``RemoteTenant``, enterprise profile)
answering in ``LATENCY`` seconds a request, and measures the requests and the wall time of:

* the full fan-out (``upcoming(strategy="scan_all")``): one ``Get_Candidates`` page per 100 candidates and one
  ``Get_Interviews`` per application ever made. It is counted, not run: at the smallest size the worker reads every
  candidate once (without latency) and counts their applications; a larger size is extrapolated from that count
  per candidate (running it would take hours at the modelled latency);
* ``upcoming()`` (the default strategy, 7 days);
* the feed's first poll (a reconcile of 14 days), the poll after it (its transaction-log window reaches back by the
  overlap before the reconcile's clock, where the tenant's own recent changes are), a poll with nothing changed,
  and a poll after 50 random changes (scheduled, moved, cancelled, another interviewer), injected in the fake's
  process.

Request counts do not depend on the machine; wall times do (the fake sleeps the latency, the client overlaps
``max_concurrency`` requests). The peak RSS is the worker's high-water mark (``VmHWM``) after the polls, then after
``upcoming()``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from _report import Check, Report, heading, line, secs

LATENCY = 0.3  # seconds a request
DAYS = 14
CHANGES = {"new": 15, "moved": 15, "cancelled": 10, "swapped": 10, "edits": 0}

_WORKER = r"""
import json, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from _remote import RemoteTenant
from workday_recruiting import RecruitingClient

def hwm():  # this process's own high-water mark (ru_maxrss would carry the parent's across exec)
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

size, latency, days, count_fan_out = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
changes = json.loads(sys.argv[6])
out = {"size": size, "before_mib": None}
with RemoteTenant(candidates=size, profile="enterprise") as fake:
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        if count_fan_out:  # in a run of its own: reading every candidate would weigh on the peak measured below
            applications = candidates = 0
            for candidate in client.candidates.list(page_size=100):
                candidates += 1
                applications += len(candidate.applications)
            print(json.dumps({"fan_out": {"candidates": candidates, "applications": applications}}))
            sys.exit(0)
        out["before_mib"] = hwm()

        def measured(name, work):
            fake.clear_requests()
            started = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - started
            counts = fake.counts()
            out[name] = {"requests": sum(counts.values()), "ops": dict(counts), "seconds": seconds}
            return result

        fake.set_latency(latency)
        feed = client.interviews.feed(tempfile.mkdtemp() + "/feed.sqlite", days=days)
        first = measured("first_poll", feed.poll)
        out["first_poll"]["changes"] = len(first)
        first.ack()
        # The first poll after a reconcile reads the transaction log from the overlap before the reconcile's clock
        # (the tenant's own recent changes): settle once, so the next poll is a steady poll with nothing changed.
        settle = measured("settle_poll", feed.poll)
        out["settle_poll"]["changes"] = len(settle)
        settle.ack()
        idle = measured("idle_poll", feed.poll)
        out["idle_poll"]["changes"] = len(idle)
        fake.set_latency(0.0)
        out["injected"] = fake.inject(days=days, seed=7, **changes)
        fake.set_latency(latency)
        busy = measured("busy_poll", feed.poll)
        out["busy_poll"]["changes"] = len(busy)
        kinds = {}
        events = set()
        for change in busy:
            kinds[change.kind] = kinds.get(change.kind, 0) + 1
            events.add(change.interview_wid)
        out["busy_poll"]["kinds"] = kinds
        out["busy_poll"]["events"] = len(events)
        busy.ack()
        feed.close()
        out["polls_peak_mib"] = hwm()
        sessions = measured("upcoming", lambda: client.interviews.upcoming(days=7))
        out["upcoming"]["sessions"] = len(sessions)
        out["peak_mib"] = hwm()
print(json.dumps(out))
"""


def _run(size: int, count_fan_out: bool) -> dict[str, Any]:
    here = str(Path(__file__).resolve().parent)
    args = [sys.executable, "-c", _WORKER, here, str(size), str(LATENCY), str(DAYS), "1" if count_fan_out else "0"]
    done = subprocess.run([*args, json.dumps(CHANGES)], check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def section_feed(report: Report, quick: bool) -> None:
    sizes = (5_000,) if quick else (20_000, 200_000)
    heading(
        f"6. Interview feed and upcoming() on enterprise tenants of {', '.join(f'{s:,}' for s in sizes)} candidates "
        f"({LATENCY} s a request)"
    )
    per_candidate = 0.0
    figures: dict[str, Any] = {}
    for n, size in enumerate(sizes):
        result = _run(size, count_fan_out=False)
        if n == 0:
            fan = _run(size, count_fan_out=True)["fan_out"]
            per_candidate = (fan["applications"] + fan["candidates"] / 100) / fan["candidates"]
            fan_out, how = fan["applications"] + -(-fan["candidates"] // 100), "counted"
        else:
            fan_out, how = round(per_candidate * size), f"extrapolated from {sizes[0]:,}"
        result["fan_out_requests"] = fan_out
        figures[str(size)] = result
        at = f"at {size:,}"
        line(f"{at}: full fan-out ({how})", f"{fan_out:,} requests, {secs(fan_out * LATENCY / 4)} at 4 in flight")
        for key, label in (
            ("upcoming", "upcoming(), 7 days"),
            ("first_poll", "feed: first poll (a reconcile, 14 days)"),
            ("settle_poll", "feed: the poll after it (the overlap before it)"),
            ("idle_poll", "feed: poll, nothing changed"),
            ("busy_poll", "feed: poll after 50 changes"),
        ):
            row = result[key]
            extra = f", {row['changes']} changes" if "changes" in row else f", {row.get('sessions', 0)} sessions"
            line(f"{at}: {label}", f"{row['requests']:,} requests, {secs(row['seconds'])}{extra}")
        busy = result["busy_poll"]
        line(f"{at}: the 50 changes injected", f"{result['injected']}")
        line(f"{at}: what the busy poll delivered", f"{busy['kinds']} over {busy['events']} events; {busy['ops']}")
        line(
            f"{at}: peak RSS after the polls / with upcoming()",
            f"{result['polls_peak_mib']:.1f} / {result['peak_mib']:.1f} MiB ({result['before_mib']:.1f} before)",
        )
        if n == 0:
            up = result["upcoming"]["requests"]
            report.check(
                Check(
                    "6",
                    f"upcoming() vs the fan-out {at}",
                    f"{up:,} requests",
                    f"{fan_out:,} requests",
                    fan_out / max(up, 1),
                    "fan-out/upcoming",
                    ">= 50x",
                    fan_out / max(up, 1) >= 50,
                )
            )
        idle, busy_n = result["idle_poll"]["requests"], busy["requests"]
        report.check(
            Check(
                "6",
                f"feed poll, no change, {at}",
                f"{idle} requests",
                "5 requests",
                idle / 5,
                "poll/5",
                "<= 1x",
                idle <= 5,
            )
        )
        report.check(
            Check(
                "6",
                f"feed poll after 50 changes, {at}",
                f"{busy_n} requests",
                "60 requests",
                busy_n / 60,
                "poll/60",
                "<= 1x",
                busy_n <= 60,
            )
        )
        if size == sizes[-1]:
            peak = result["polls_peak_mib"]
            report.check(
                Check(
                    "6",
                    f"client peak RSS of the polls {at}",
                    f"{peak:.1f} MiB",
                    "150 MiB",
                    peak / 150,
                    "peak/150 MiB",
                    "<= 1x",
                    peak <= 150,
                )
            )
    report.figures["feed"] = figures
