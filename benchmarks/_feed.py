"""Section 6: the interview feed on an enterprise-shaped tenant, against the one-request-per-application fan-out.

What is counted is requests (the cost a real tenant answers in about a second each); the wall time of the steady
polls is measured with the fake answering in ``LATENCY`` seconds a request. The fan-out's cost is counted, not run:
it sends one ``Get_Candidates`` page per 100 candidates and one ``Get_Interviews`` per application ever made, so
the benchmark reads every candidate once and counts their applications (running it at 20,000 candidates would
take most of an hour at the modelled latency).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _remote import RemoteTenant
from _report import Check, Report, heading, line, secs, timer

from workday_recruiting import RecruitingClient

LATENCY = 0.3  # seconds a request, for the timed steady polls
DAYS = 14

_RSS_SCRIPT = r"""
import json, resource, sys, tempfile
sys.path.insert(0, sys.argv[1])
def hwm():  # this process's own high-water mark (ru_maxrss would carry the parent's across exec)
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from _remote import RemoteTenant
from workday_recruiting import RecruitingClient
with RemoteTenant(candidates=int(sys.argv[2]), profile="enterprise") as fake:
    before = hwm()
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        feed = client.interviews.feed(tempfile.mkdtemp() + "/feed.sqlite", days=14)
        batch = feed.poll()
        batch.ack()
        again = feed.poll()
        counts = fake.counts()
    peak = hwm()
print(json.dumps({"peak_kib": peak, "before_kib": before, "changes": len(batch), "second": len(again),
                  "requests": sum(counts.values())}))
"""


def _client(fake: RemoteTenant) -> RecruitingClient:
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password)


def _fan_out_requests(client: RecruitingClient) -> tuple[int, int, int]:
    """(candidates, applications, requests) of ``upcoming(strategy="scan_all")``, counted from one candidate read."""
    pages = 0
    candidates = applications = 0
    pager = client.candidates.list(page_size=100)
    for candidate in pager:
        candidates += 1
        applications += len(candidate.applications)
    pages = -(-candidates // 100)
    return candidates, applications, pages + applications + 1  # + the listing probe upcoming() sends first


def _poll(fake: RemoteTenant, feed: Any) -> tuple[int, Any, float, dict[str, int]]:
    fake.clear_requests()
    with timer() as t:
        batch = feed.poll()
    counts = fake.counts()
    batch.ack()
    return sum(counts.values()), batch, t[0], dict(counts)


def section_feed(report: Report, quick: bool) -> None:
    size = 5_000 if quick else 20_000
    big = 5_000 if quick else 200_000
    heading(f"6. Interview feed on an enterprise tenant of {size:,} candidates (steady polls at {LATENCY}s a request)")
    with RemoteTenant(candidates=size, profile="enterprise") as fake, _client(fake) as client:
        candidates, applications, fan_out = _fan_out_requests(client)
        line("fan-out (one Get_Interviews per application), counted", f"{fan_out:,} requests ({applications:,} apps)")
        state = Path(tempfile.mkdtemp()) / "feed.sqlite"
        feed = client.interviews.feed(state, days=DAYS)
        first_n, first, first_s, first_ops = _poll(fake, feed)
        line(
            "first poll (reconcile: the window, all scheduled)",
            f"{len(first)} changes, {first_n} requests, {secs(first_s)}",
        )
        fake.set_latency(LATENCY)
        idle_n, idle, idle_s, idle_ops = _poll(fake, feed)
        line("steady poll, nothing changed", f"{len(idle)} changes, {idle_n} requests {idle_ops}, {secs(idle_s)}")
        fake.set_latency(0.0)
        mixed = fake.inject(new=10, moved=6, cancelled=4, edits=30, days=DAYS, seed=1)
        fake.set_latency(LATENCY)
        mixed_n, mixed_batch, mixed_s, mixed_ops = _poll(fake, feed)
        line(f"50 tenant changes {mixed}", f"{len(mixed_batch)} changes, {mixed_n} requests, {secs(mixed_s)}")
        fake.set_latency(0.0)
        heavy = fake.inject(new=20, moved=20, cancelled=10, edits=0, days=DAYS, seed=2)
        fake.set_latency(LATENCY)
        heavy_n, heavy_batch, heavy_s, heavy_ops = _poll(fake, feed)
        line(
            f"50 interview changes {heavy}",
            f"{len(heavy_batch)} changes, {heavy_n} requests {heavy_ops}, {secs(heavy_s)}",
        )
        feed.close()
    kinds = {k: sum(1 for c in heavy_batch if c.kind == k) for k in ("scheduled", "rescheduled", "cancelled")}
    interviews_hit = {c.interview_wid for c in heavy_batch}
    line("interview events in the 50-interview-change batch", f"{len(interviews_hit)} events, kinds {kinds}")
    assert len(interviews_hit) == heavy["new"] + heavy["moved"] + heavy["cancelled"], "a change was missed"
    report.figures["feed"] = {
        "candidates": candidates,
        "applications": applications,
        "fan_out_requests": fan_out,
        "first_poll": {"requests": first_n, "changes": len(first), "seconds": first_s, "ops": first_ops},
        "idle_poll": {"requests": idle_n, "seconds": idle_s, "ops": idle_ops},
        "mixed_poll": {"requests": mixed_n, "changes": len(mixed_batch), "seconds": mixed_s, "ops": mixed_ops},
        "interview_poll": {"requests": heavy_n, "changes": len(heavy_batch), "seconds": heavy_s, "ops": heavy_ops},
    }
    report.check(
        Check(
            "6",
            f"steady poll vs fan-out at {size:,}",
            f"{idle_n} requests",
            f"{fan_out:,} requests",
            fan_out / max(idle_n, 1),
            "fan-out/poll",
            ">= 50x",
            fan_out / max(idle_n, 1) >= 50,
        )
    )
    report.check(
        Check("6", "no-change poll", f"{idle_n} requests", "5 requests", idle_n / 5, "poll/5", "<= 1x", idle_n <= 5)
    )
    report.check(
        Check(
            "6",
            "poll after 50 interview changes",
            f"{heavy_n} requests",
            "60 requests",
            heavy_n / 60,
            "poll/60",
            "<= 1x",
            heavy_n <= 60,
        )
    )
    here = str(Path(__file__).resolve().parent)
    with timer() as t:
        out = subprocess.run(
            [sys.executable, "-c", _RSS_SCRIPT, here, str(big)], check=True, capture_output=True, text=True
        ).stdout
    rss = json.loads(out.strip().splitlines()[-1])
    peak_mib = rss["peak_kib"] / 1024
    line("the same process before the poll (interpreter, SDK)", f"{rss['before_kib'] / 1024:.1f} MiB")
    line(
        f"first poll at {big:,} candidates (client process peak RSS)",
        f"{peak_mib:.1f} MiB, {rss['requests']} requests, {secs(t[0])} in all",
    )
    report.figures["feed"]["rss"] = {**rss, "candidates": big, "seconds": t[0]}
    report.check(
        Check(
            "6",
            f"client peak RSS, first poll at {big:,}",
            f"{peak_mib:.1f} MiB",
            "150 MiB",
            peak_mib / 150,
            "peak/150 MiB",
            "<= 1x",
            peak_mib <= 150,
        )
    )
