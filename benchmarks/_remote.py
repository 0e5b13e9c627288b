"""A FakeTenant in a child process, driven over a pipe, for the benchmarks.

In the benchmark's own process the fake's request handling would share the interpreter lock with the client under
test, and its CPU time would count against the client (more so with many requests in flight). A real tenant is
another machine; a child process is the closest loopback equivalent. Every client measured talks to the same
instance.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from datetime import timedelta
from multiprocessing.connection import Connection
from typing import Any


def inject_changes(
    fake: Any,
    *,
    new: int,
    moved: int,
    cancelled: int,
    edits: int,
    days: float,
    seed: int,
    swapped: int = 0,
) -> dict[str, int]:
    """Make changes in ``fake``'s data set: interviews scheduled, moved, cancelled and given another interviewer in
    the window, candidates edited.

    Returns how many of each were made (the events are drawn from the live pipeline, reproducibly from ``seed``).
    """
    import attrs

    ds = fake.dataset
    rng = random.Random(seed)
    now = ds.clock()
    horizon = now + timedelta(days=days)
    upcoming: list[str] = []
    for wid in ds.interview_wids():
        record = ds.find_interview(wid)
        if (
            record is not None
            and record.status == "in_progress"
            and any(now < s.start < horizon for s in record.sessions)
        ):
            upcoming.append(wid)
    rng.shuffle(upcoming)
    open_apps: list[str] = []
    edited: list[str] = []
    for index in range(ds.candidate_count() - 1, -1, -1):  # the newest candidates hold the live pipeline
        candidate = ds.candidate_at(index)
        if len(edited) < edits and rng.random() < 0.5:
            edited.append(candidate.candidate_id)
        open_apps.extend(
            a.application_id for a in candidate.applications if a.stage_id == "INTERVIEW" and a.disposition_id is None
        )
        if (len(open_apps) >= new * 3 and len(edited) >= edits) or index < ds.candidate_count() - 50_000:
            break
    for candidate_id in edited:
        ds.update_candidate(candidate_id, last_name="Edited")
    for wid in upcoming[:moved]:
        ds.move_interview(wid, timedelta(hours=1))
    for wid in upcoming[moved : moved + cancelled]:
        ds.update_interview(wid, status="cancelled")
    workers = [w.employee_id for w in ds.workers()]
    swaps = upcoming[moved + cancelled : moved + cancelled + swapped]
    for wid in swaps:
        record = ds.find_interview(wid)
        sessions = tuple(
            attrs.evolve(s, interviewer_ids=(next(w for w in workers if w not in s.interviewer_ids),))
            for s in record.sessions
        )
        ds.update_interview(wid, sessions=sessions)
    interviewer = ds.workers()[0].employee_id
    new = min(new, len(open_apps))
    for k, application_id in enumerate(rng.sample(open_apps, new)):
        start = (now + timedelta(days=1 + k % 10, hours=k % 7)).replace(minute=0, second=0, microsecond=0)
        ds.add_interview(application_id, [(start, start + timedelta(hours=1), [interviewer])])
    return {
        "edits": len(edited),
        "moved": min(moved, len(upcoming)),
        "cancelled": min(cancelled, max(0, len(upcoming) - moved)),
        "new": new,
        "swapped": len(swaps),
    }


def _serve(conn: Connection, options: dict[str, Any]) -> None:
    from workday_recruiting.testing import FakeTenant

    fake = FakeTenant(**options)
    conn.send(
        {
            "wsdl_url": fake.wsdl_url,
            "endpoint": fake.endpoint,
            "username": fake.username,
            "password": fake.password,
            "tenant": fake.tenant,
        }
    )
    try:
        while True:
            command, argument = conn.recv()
            if command == "close":
                break
            if command == "latency":
                fake.latency = argument
                conn.send(None)
            elif command == "count":
                conn.send(len(fake.requests.of(argument)))
            elif command == "clear_requests":
                fake.requests.clear()
                conn.send(None)
            elif command == "clear_cache":
                fake.clear_cache()
                conn.send(None)
            elif command == "counts":
                conn.send(dict(Counter(r.operation or "" for r in fake.requests.snapshot())))
            elif command == "inject":
                try:
                    conn.send(inject_changes(fake, **argument))
                except Exception as exc:
                    conn.send(exc)
            else:
                conn.send(ValueError(f"unknown command {command!r}"))
    finally:
        fake.close()
        conn.send(None)


class RemoteTenant:
    """``FakeTenant(**options)`` running in a child process; the few knobs the benchmarks turn, over a pipe."""

    def __init__(self, **options: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, options), daemon=True, name="FakeTenant")
        self._process.start()
        deadline = time.monotonic() + 120
        while not self._conn.poll(0.2):
            if not self._process.is_alive() or time.monotonic() > deadline:
                self._process.kill()
                raise RuntimeError(f"the fake tenant's process did not start (exit code {self._process.exitcode})")
        info = self._conn.recv()
        self.wsdl_url: str = info["wsdl_url"]
        self.endpoint: str = info["endpoint"]
        self.username: str = info["username"]
        self.password: str = info["password"]
        self.tenant: str = info["tenant"]

    def _ask(self, command: str, argument: Any = None) -> Any:
        self._conn.send((command, argument))
        answer = self._conn.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def set_latency(self, seconds: float) -> None:
        """Seconds the fake waits before answering each request."""
        self._ask("latency", seconds)

    def count(self, operation: str) -> int:
        """How many requests for ``operation`` the fake received since the last :meth:`clear_requests`."""
        return int(self._ask("count", operation))

    def clear_requests(self) -> None:
        """Forget the request log."""
        self._ask("clear_requests")

    def clear_cache(self) -> None:
        """Forget the fake's paging and page caches."""
        self._ask("clear_cache")

    def counts(self) -> Counter[str]:
        """Requests per operation since the last :meth:`clear_requests`."""
        return Counter(self._ask("counts"))

    def inject(self, **spec: Any) -> dict[str, int]:
        """:func:`inject_changes` in the fake's process."""
        return dict(self._ask("inject", spec))

    def close(self) -> None:
        """Stop the fake and its process."""
        if self._process.is_alive():
            self._ask("close")
            self._process.join(timeout=10)
        self._conn.close()

    def __enter__(self) -> RemoteTenant:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
