"""A FakeTenant in a child process, driven over a pipe, for the benchmarks.

In the benchmark's own process the fake's request handling would share the interpreter lock with the client under
test, and its CPU time would count against the client (more so with many requests in flight). A real tenant is
another machine; a child process is the closest loopback equivalent. Every client measured talks to the same
instance.
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any


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
