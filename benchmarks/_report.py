"""What every benchmark section shares: the verdicts (:class:`Check`, :class:`Report`), printing, timing and the
description of the machine a run was measured on."""

from __future__ import annotations

import gc
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# -- verdicts ------------------------------------------------------------------------------------------------


@dataclass
class Check:
    """One target: what was measured, against what, and whether it was met."""

    section: str
    name: str
    measured: str
    baseline: str
    ratio: float
    ratio_label: str
    target: str
    passed: bool


@dataclass
class Report:
    """Everything one run measured."""

    machine: dict[str, str]
    quick: bool
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    sections_run: list[str] = field(default_factory=list)

    def check(self, check: Check) -> None:
        self.checks.append(check)
        verdict = "PASS" if check.passed else "FAIL"
        print(f"  -> {check.name}: {check.measured} vs baseline {check.baseline}")
        print(f"     ratio {check.ratio_label} = {check.ratio:.2f}x   target {check.target}   {verdict}")


def heading(title: str) -> None:
    print()
    print(f"== {title} ==", flush=True)


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.2f} s"


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    out: list[float] = []
    start = time.perf_counter()
    yield out
    out.append(time.perf_counter() - start)


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` calls in seconds: collector paused while timing, the result released after it.

    Freeing tens of thousands of objects is not building them, so every contender's result (lxml's tree, the
    models, zeep's objects) is dropped outside the timed region.
    """
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
        del result
    return min(times)


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, Python and library versions."""
    import lxml
    import zeep

    cpu = "unknown"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        for text in Path("/proc/meminfo").read_text().splitlines():
            if text.startswith("MemTotal:"):
                ram = f"{int(text.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "lxml": lxml.__version__,
        "zeep": zeep.__version__,
        "load average at start": load,
    }
