"""The fake tenant's request log: every request it received, what it answered and which fault it injected."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import attrs

__all__ = ["RequestLog", "RequestRecord"]


@attrs.frozen
class RequestRecord:
    """One request the fake tenant received.

    Attributes:
        method: ``GET`` or ``POST``.
        path: The URL path and query.
        operation: The Workday operation (``Get_Candidates``) for SOAP requests that named one, else ``None``.
        auth: ``"isu"`` (WS-Security UsernameToken), ``"bearer"`` (OAuth access token) or ``None``.
        username: The WS-Security user name or the bearer token's ISU (``None`` without credentials).
        status: The HTTP status sent; ``None`` when no response was sent (dropped or reset connection).
        fault: The injected transient fault (a :data:`FaultKind`), ``"connection_reset"`` for
            ``max_page_size``, or ``None``.
        faultcode: The SOAP ``faultcode`` sent, if the answer was a SOAP fault.
        body: The raw request body (it holds the WS-Security password; not shown in ``repr``).
        received_at: When the request arrived (UTC).
    """

    method: str
    path: str
    operation: str | None
    auth: str | None
    username: str | None
    status: int | None
    fault: str | None
    faultcode: str | None
    body: bytes = attrs.field(repr=False)
    received_at: dt.datetime


class RequestLog:
    """A thread-safe, append-only log of the requests a :class:`FakeTenant` received."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def append(self, record: RequestRecord) -> None:
        """Record one request (called by the server)."""
        with self._lock:
            self._records.append(record)

    def clear(self) -> None:
        """Forget every recorded request."""
        with self._lock:
            self._records.clear()

    def snapshot(self) -> list[RequestRecord]:
        """The requests so far, oldest first (a copy)."""
        with self._lock:
            return list(self._records)

    def of(self, operation: str) -> list[RequestRecord]:
        """The requests for ``operation`` (e.g. ``"Get_Candidates"``), oldest first."""
        return [record for record in self.snapshot() if record.operation == operation]

    @property
    def last(self) -> RequestRecord | None:
        """The most recent request, or ``None``."""
        with self._lock:
            return self._records[-1] if self._records else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.snapshot())

    def __getitem__(self, index: int) -> RequestRecord:
        with self._lock:
            return self._records[index]

    def __repr__(self) -> str:
        return f"<RequestLog {len(self)} requests>"
