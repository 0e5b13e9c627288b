"""One small cache for the fake tenant: least recently used first out, bounded by a total size, entries expiring."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final, Generic, TypeVar

__all__ = ["Cache"]

#: Workday keeps a paging result about two hours.
TTL: Final = 2 * 3600.0

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Cache(Generic[K, V]):
    """A thread-safe LRU cache holding at most ``max_size`` in total (each value weighs ``size(value)``).

    Args:
        max_size: The total size kept; a single value larger than that is computed but not kept.
        size: The size of one value (``len`` of the bytes, of the id tuple ...).
        max_entries: At most this many entries, whatever their size.
        ttl: Seconds an entry stays valid.
    """

    def __init__(
        self, max_size: int, size: Callable[[V], int], *, max_entries: int | None = None, ttl: float = TTL
    ) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._max_size = max_size
        self._max_entries = max_entries
        self._size_of = size
        self._size = 0
        self._ttl = ttl

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The value kept for ``key``, or ``compute()`` (kept for next time, the oldest entries making room)."""
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and now - hit[0] < self._ttl:
                self._entries.move_to_end(key)
                return hit[1]
        value = compute()  # outside the lock: another thread may compute the same value meanwhile
        size = self._size_of(value)
        if size > self._max_size:
            return value
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= self._size_of(old[1])
            self._entries[key] = (now, value)
            self._size += size
            while self._size > self._max_size or (
                self._max_entries is not None and len(self._entries) > self._max_entries
            ):
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= self._size_of(dropped)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
