"""The enterprise profile's applications, drawn without generating their candidates (see ``_generate``).

Listing every interview event of an enterprise tenant scans these skeletons, never candidates: their own small
generator (splitmix64) makes one cheaper than seeding ``random.Random``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

import attrs

from ._records import RequisitionRecord
from ._reference import INTERVIEW_STAGES, STAGES

__all__ = [
    "ENTERPRISE_HISTORY_DAYS",
    "MASK64",
    "W_APPS",
    "Mix",
    "Skeleton",
    "SkeletonSource",
    "Weighted",
    "draw_skeleton",
]


class Weighted:
    """A weighted table for ``pick(u)`` with ``u`` uniform in [0, 1)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[Any], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        self.cum: list[float] = []
        acc = 0.0
        for w in weights:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def pick(self, u: float) -> Any:
        return self.items[bisect.bisect_right(self.cum, u * self.total)]


#: How many applications a candidate makes (shared with the default profile).
W_APPS: Final = Weighted((1, 2, 3), (60, 28, 12))
# The enterprise profile (see the module docstring): the stage an application was dispositioned at (a funnel), and
# the stage of a live one.
ENTERPRISE_HISTORY_DAYS: Final = 6 * 365
_ENTERPRISE_RECENT: Final = timedelta(days=120)
_W_STAGE_CLOSED: Final = Weighted(range(len(STAGES)), (45, 24, 9, 14, 3, 3, 1, 1, 0))
_W_STAGE_LIVE: Final = Weighted(range(len(STAGES)), (40, 22, 12, 12, 4, 4, 2, 2, 2))
_EARLY_DISPOSITIONS: Final = ("REJECTED_NOT_QUALIFIED", "REJECTED_POSITION_CLOSED", "DECLINED_WITHDREW")
_LATE_DISPOSITIONS: Final = (
    "REJECTED_MORE_QUALIFIED_CANDIDATE",
    "REJECTED_FAILED_ASSESSMENT",
    "DECLINED_ACCEPTED_OTHER_OFFER",
    "DECLINED_COMPENSATION",
    "DECLINED_WITHDREW",
)

MASK64: Final = (1 << 64) - 1


class Mix:
    """A small, fast generator (splitmix64) for the enterprise skeletons: seeding ``random.Random`` costs more than
    drawing a whole skeleton."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def random(self) -> float:
        self.state = z = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return ((z ^ (z >> 31)) >> 11) * 2.0**-53


@attrs.frozen
class Skeleton:
    """An enterprise application as drawn by :func:`draw_skeleton`."""

    slot: int
    applied: datetime
    requisition: int
    stage: int
    disposition: str | None
    status_at: datetime
    source_draw: float
    has_event: bool


class SkeletonSource(Protocol):
    """What :func:`draw_skeleton` reads of the generator."""

    skeleton_seed: int
    now: datetime
    cand_start: datetime
    cand_step: timedelta
    req_window: int

    def requisitions_created_by(self, t: datetime) -> int: ...

    def requisition(self, j: int) -> RequisitionRecord: ...


def draw_skeleton(gen: SkeletonSource, i: int) -> tuple[Skeleton, ...]:
    """The applications of enterprise candidate ``i``, drawn without generating the candidate.

    Each is (slot, applied, requisition index, stage index, disposition, status_at, app-source draw, has an
    interview event). Their own generator keeps them cheap: listing every interview event scans these only.
    """
    r = Mix(gen.skeleton_seed + i * 0x100000001B3).random
    now = gen.now
    created = gen.cand_start + gen.cand_step * (i + r())  # first draw: see candidate_created_at
    latest = now - timedelta(hours=1)
    n_apps = W_APPS.pick(r())
    # Candidates come back: later applications within two years of the first one.
    horizon = min(latest, created + timedelta(days=730))
    times = sorted(created + (horizon - created) * r() for _ in range(n_apps - 1))
    out: list[Skeleton] = []
    used: set[int] = set()
    for slot, applied in enumerate((created, *times)):
        k = gen.requisitions_created_by(applied)
        if k == 0:
            continue
        j = max(0, k - gen.req_window) + int(r() * min(k, gen.req_window))
        if j in used:
            continue
        used.add(j)
        req = gen.requisition(j)
        age = now - applied
        disposition: str | None = None
        u = r()
        if age > _ENTERPRISE_RECENT or req.status_id != "OPEN":
            # Decided long ago: nearly always dispositioned within weeks; a few hires, a few stale ones.
            if u < 0.02:
                stage_n = len(STAGES) - 1  # hired: Ready for Hire, no disposition
            elif u < 0.03:
                stage_n = 0  # forgotten in Review
            else:
                stage_n = _W_STAGE_CLOSED.pick(r())
                pool = _EARLY_DISPOSITIONS if stage_n < 2 else _LATE_DISPOSITIONS
                disposition = pool[int(r() * len(pool))]
            decided = applied + timedelta(days=2 + 60 * r() * r())
            status_at = min(decided, applied + (latest - applied) * r())
        else:
            # The active pipeline: the older the application, the likelier it was dispositioned.
            if u < 0.1 + 0.6 * (age / _ENTERPRISE_RECENT):
                stage_n = _W_STAGE_CLOSED.pick(r())
                pool = _EARLY_DISPOSITIONS if stage_n < 2 else _LATE_DISPOSITIONS
                disposition = pool[int(r() * len(pool))]
            else:
                stage_n = _W_STAGE_LIVE.pick(r())
            status_at = applied + (latest - applied) * r()
        stage_id: str = STAGES[stage_n][0]
        interviewed = stage_id in INTERVIEW_STAGES
        live_interview = disposition is None and stage_id == "INTERVIEW"
        # An application dispositioned in its first days has had no time for an interview.
        has_event = interviewed and r() < (0.85 if live_interview else 0.6) and (disposition is None or age.days > 3)
        out.append(Skeleton(slot, applied, j, stage_n, disposition, status_at, r(), has_event))
    return tuple(out)
