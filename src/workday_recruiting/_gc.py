"""Pause CPython's cyclic garbage collector while a page of models is built.

A 999-candidate ``Get_Candidates`` page becomes some 60,000 objects, and they all survive: they are the page. The
collector runs every 700 new container objects, so it scans the page again and again while it is being built, and
each full collection walks every live object in the process (the pages in flight included). Measured on such a
page: 76 young, 7 middle and, every other page, one full collection, which together nearly doubled the time to
build the page (see ``docs/performance.md``). With the collector paused for the build, the page costs one young
collection afterwards. Reference counting is untouched, so everything is freed as usual; only cycles wait.

The collector's switch is process-wide, so concurrent builds (prefetching threads) share one pause: the first to
start disables the collector if it was enabled, the last to finish enables it again. A program that disables the
collector itself while a page is being built will find it enabled again afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


class _Pause:
    """The shared pause: how many builds are running, and whether the collector was enabled before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.restore = False


_PAUSE = _Pause()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block (re-enabled when the last concurrent block ends)."""
    pause = _PAUSE
    with pause.lock:
        if pause.depth == 0:
            pause.restore = gc.isenabled()
            if pause.restore:
                gc.disable()
        pause.depth += 1
    try:
        yield
    finally:
        with pause.lock:
            pause.depth -= 1
            if pause.depth == 0 and pause.restore:
                gc.enable()
