"""The fake tenant's store of edits: entry moments and the version history of every record that changed.

A base record is generated and never stored. The first edit of a record stores two versions: the base one and the
edited one; a record added by a test starts with one. Every edit is stamped with an entry moment from the data
set's clock, in whole milliseconds (the tenant renders its clock to the millisecond), strictly after ``now`` and
after every earlier stamp, so a moment before it sees the old version. The tenant's current moment (``Store.now``)
is the clock to the millisecond but never before the last stamp: every stamp is at or before the server time read
after it, so a transaction-log window ending at that server time holds it.

Reads at an entry moment (``as_of``): the first version counts from its ``created_at``, later ones from their
``updated_at``. The transaction log (``changed``) puts a record in a window ``[lo, hi]`` when its creation or any of
its changes (a base record's ``updated_at`` counts as one) falls inside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Generic, Protocol, TypeVar

import attrs

from ._records import CandidateRecord, InterviewRecord, RequisitionRecord

__all__ = ["History", "Store", "ensure_aware", "floor_ms", "version_at"]

UTC: Final = timezone.utc
_MS: Final = timedelta(milliseconds=1)


class _Versioned(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def updated_at(self) -> datetime: ...


K = TypeVar("K")
V = TypeVar("V", bound=_Versioned)


def ensure_aware(value: datetime, what: str) -> datetime:
    """``value`` in UTC; a naive datetime is refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def version_at(versions: Sequence[V], as_of: datetime | None) -> V | None:
    """The version current at ``as_of``: the first counts from its creation, later ones from their update."""
    if as_of is None:
        return versions[-1]
    for v in reversed(versions[1:]):
        if v.updated_at <= as_of:
            return v
    first = versions[0]
    return first if first.created_at <= as_of else None


def _changed_version(
    versions: Sequence[V], lo: datetime | None, hi: datetime | None, as_of: datetime | None
) -> V | None:
    """The record's version at ``as_of`` if it was created or changed inside ``[lo, hi]``, else None.

    Entries made after ``as_of`` do not count.
    """
    first = versions[0]
    moments = (first.created_at, first.updated_at, *(v.updated_at for v in versions[1:]))
    current = version_at(versions, as_of)
    if current is not None and any(
        (lo is None or t >= lo) and (hi is None or t <= hi) and (as_of is None or t <= as_of) for t in moments
    ):
        return current
    return None


class History(Generic[K, V]):
    """The versions of the records of one kind that were edited or added, keyed by index or WID."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._versions: dict[K, list[V]] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._versions

    def versions(self, key: K) -> Sequence[V] | None:
        """Every version of the record at ``key``, oldest first, or None when it was never edited or added."""
        return self._versions.get(key)

    def at(self, key: K, as_of: datetime | None, base: Callable[[], V | None]) -> V | None:
        """The record's version at ``as_of``: from its history, else ``base()`` if that existed at ``as_of``."""
        versions = self._versions.get(key)
        if versions is not None:
            return version_at(versions, as_of)
        rec = base()
        return rec if rec is None or as_of is None or rec.created_at <= as_of else None

    def add(self, key: K, record: V) -> V:
        """Store a new record (its first version)."""
        self._versions[key] = [record]
        return record

    def edit(self, key: K, current: V, stamp: datetime, changes: dict[str, Any]) -> V:
        """Append ``current`` with ``changes`` as a new version updated at ``stamp``; ``current`` starts the history
        when the record had none."""
        new: V = attrs.evolve(current, **tuplify(changes), updated_at=stamp)  # type: ignore[misc]
        self._versions.setdefault(key, [current]).append(new)
        return new

    def changed(
        self,
        keys: Iterable[K] | None,
        base: Callable[[K], V],
        lo: datetime | None,
        hi: datetime | None,
        as_of: datetime | None,
    ) -> list[V]:
        """Records created or changed in ``[lo, hi]`` (entries after ``as_of`` not counted), in their ``as_of``
        version, in the order of ``keys`` (None: the edited records only, by key)."""
        with self._lock:
            edited = dict(self._versions)
        out: list[V] = []
        for key in sorted(edited) if keys is None else keys:  # type: ignore[type-var]
            versions = edited.get(key)
            current = _changed_version(versions or (base(key),), lo, hi, as_of)
            if current is not None:
                out.append(current)
        return out


class Store:
    """The entry-moment clock and the histories of candidates (by index), requisitions (by index) and interview
    events (by WID), under one lock."""

    def __init__(self, now: datetime, clock: Callable[[], datetime]) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self._last_stamp = floor_ms(now)
        self._stamped = False  # whether an edit has been stamped (the base data's ``now`` is not a stamp)
        self.candidates: History[int, CandidateRecord] = History(self.lock)
        self.requisitions: History[int, RequisitionRecord] = History(self.lock)
        self.interviews: History[str, InterviewRecord] = History(self.lock)
        #: Job_Application_ID -> the WIDs of the interview events added to it, in order.
        self.added_interviews: dict[str, list[str]] = {}

    def stamp(self) -> datetime:
        """The next entry moment: ``clock()`` floored to the millisecond, or one millisecond after the last stamp
        when the clock has not moved past it (so stamps are whole milliseconds, strictly increasing, after ``now``)."""
        with self.lock:
            t = floor_ms(ensure_aware(self.clock(), "clock()"))
            if t <= self._last_stamp:
                t = self._last_stamp + _MS
            self._last_stamp, self._stamped = t, True
            return t

    def now(self) -> datetime:
        """The tenant's current moment, as its server time shows it: ``clock()`` floored to the millisecond (a naive
        clock reads as UTC), and never before the last stamp (stamps run ahead of a clock that has not moved)."""
        t = self.clock()
        t = t.astimezone(UTC) if t.tzinfo is not None and t.utcoffset() is not None else t.replace(tzinfo=UTC)
        with self.lock:
            return max(floor_ms(t), self._last_stamp) if self._stamped else floor_ms(t)


def floor_ms(value: datetime) -> datetime:
    """``value`` without its sub-millisecond part."""
    return value.replace(microsecond=value.microsecond - value.microsecond % 1000)


def tuplify(values: dict[str, Any]) -> dict[str, Any]:
    """Lists given for record fields become tuples (records are immutable)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def reject_identity(changes: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Refuse an edit of a record's identity fields."""
    bad = sorted(set(changes) & set(fields))
    if bad:
        raise ValueError(f"cannot change identity fields: {', '.join(bad)}")
