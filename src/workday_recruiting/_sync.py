"""Incremental sync: read what changed since the last read, missing nothing, with a serialisable watermark.

``client.candidates.changes(since=...)`` and ``client.requisitions.changes(since=...)`` read Workday's transaction
log (``Transaction_Log_Criteria_Data`` / ``Updated_From`` / ``Updated_Through``)::

    changes = client.candidates.changes(since=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for candidate in changes:            # each changed record once, in its latest version
        upsert(candidate)
    store(changes.next_watermark.to_json())
    ...
    changes = client.candidates.changes(since=Watermark.from_json(load()))

How one call works:

* **The upper bound is the tenant's clock** (``Get_Server_Timestamp``), never ours, so clock skew cannot hide a
  change, and ``As_Of_Entry_DateTime`` is pinned to that same moment on every page: a change that lands while the
  pages are read belongs to the *next* window and is not lost.
* **The lower bound reaches back by ``overlap``** (5 minutes by default) before ``since``, to catch changes whose
  entry moment is earlier than the moment they became visible.
* **Repeats are suppressed.** The window is read in parts: before the last ``overlap`` of the window, the last
  ``overlap`` itself, and (when resuming a watermark) cut at the previous upper bound. The records of the last
  ``overlap`` go into the watermark as ``(ID, fingerprint)`` pairs; the next call, whose window starts ``overlap``
  before this upper bound, drops a record found only *before* that bound whose ID and fingerprint match (the same
  version read again). A record that changed again has a new fingerprint and is delivered, and so is a record with a
  transaction *after* the bound even when its content is unchanged (Workday may log a candidate for an interview
  scheduled, which changes nothing in the candidate's record). So the watermark stays small (only the records of the
  overlap) and each version read again through the overlap is delivered once.
* **De-duplicated by ID**: a record in both parts is delivered once, in its last version.
* **No watermark for an incomplete window.** Each part is a checked listing (see ``_paging``): a page that
  contradicts the first raises :class:`~workday_recruiting.PageIntegrityError` out of ``changes()``, and so does a
  part whose pages came short of what ``Total_Results`` promised. Either way no :class:`ChangeSet` (and no
  ``next_watermark``) is returned, so storing the watermark can never skip a lost record: call ``changes()`` again
  with the same ``since``.

Keep the same ``overlap`` between calls: a larger one reaches back further than the watermark remembers, and the
records of the extra stretch are delivered again (harmless for an upsert, but a repeat).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, TypeVar

import attrs
from lxml import etree

from ._errors import ConfigurationError, PageIntegrityError
from ._paging import Pager

__all__ = ["DEFAULT_OVERLAP", "ChangeSet", "Watermark", "collect_changes"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")

#: How far each window reaches back before the previous upper bound, by default.
DEFAULT_OVERLAP = timedelta(minutes=5)
_FORMAT = 1


def _aware_utc(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise ConfigurationError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ConfigurationError(
            f"{name} must be timezone-aware, e.g. datetime(2026, 1, 1, tzinfo=timezone.utc); got {value!r}"
        )
    return value.astimezone(timezone.utc)


def _upper_bound(value: datetime) -> datetime:
    return _aware_utc(value, "Watermark.upper")


def _seen_pairs(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    out: dict[str, str] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
            raise ConfigurationError(f"a watermark's seen entries are (ID, fingerprint) string pairs, got {pair!r}")
        out[pair[0]] = pair[1]
    return tuple(sorted(out.items()))


@attrs.frozen
class Watermark:
    """Where an incremental read ended: pass it as ``since`` to the next ``changes()`` call.

    A frozen, hashable value; :meth:`to_json` and :meth:`from_json` store and restore it.

    Attributes:
        resource: What it tracks: ``"candidates"`` or ``"requisitions"`` (a watermark is refused by the other).
        upper: The window's upper bound: the tenant's clock when the read began (UTC).
        seen: ``(ID, fingerprint)`` of the records changed in the last ``overlap`` of the window, sorted by ID: the
            next read drops these versions when it meets them again.
    """

    resource: str = attrs.field(validator=attrs.validators.in_(("candidates", "requisitions")))
    upper: datetime = attrs.field(converter=_upper_bound)
    seen: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_seen_pairs)

    @property
    def seen_versions(self) -> dict[str, str]:
        """``seen`` as a dict from record ID to fingerprint."""
        return dict(self.seen)

    def to_json(self) -> str:
        """The watermark as a JSON string (stable: the same watermark always gives the same text)."""
        return json.dumps(
            {
                "format": _FORMAT,
                "resource": self.resource,
                "upper": self.upper.isoformat(),
                "seen": dict(self.seen),
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Watermark:
        """Restore a watermark saved by :meth:`to_json`.

        Raises:
            ConfigurationError: The text is not a watermark this version of the SDK wrote.
        """
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            raise ConfigurationError("the watermark is not valid JSON; pass the text to_json() returned") from None
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise ConfigurationError(f"not a workday-recruiting watermark (expected an object with format {_FORMAT})")
        upper, seen, resource = data.get("upper"), data.get("seen", {}), data.get("resource")
        if not isinstance(upper, str) or not isinstance(seen, dict) or not isinstance(resource, str):
            raise ConfigurationError("the watermark needs 'resource', 'upper' and 'seen'")
        try:
            moment = datetime.fromisoformat(upper)
        except ValueError:
            raise ConfigurationError(f"the watermark's upper bound is not a datetime: {upper[:40]!r}") from None
        try:
            return cls(resource=resource, upper=moment, seen=seen)
        except ValueError as exc:  # attrs' validator for an unknown resource
            raise ConfigurationError(f"the watermark is not valid: {exc}") from None


@attrs.frozen
class ChangeSet(Generic[T]):
    """The records that changed in one window, each once in its latest version, and the watermark to go on from.

    Iterate it (or use :attr:`records`); store :attr:`next_watermark` once every record is processed.

    Attributes:
        records: The changed records, de-duplicated by ID, in the order Workday listed them.
        window_start: The window's lower bound (``since`` minus the overlap).
        window_end: The window's upper bound (the tenant's clock), also the ``As_Of_Entry_DateTime`` of every page.
        next_watermark: Pass as ``since`` to the next call.
        repeats_suppressed: Records left out because the previous call already delivered that version.
    """

    records: tuple[T, ...]
    window_start: datetime
    window_end: datetime
    next_watermark: Watermark
    repeats_suppressed: int = 0

    def __iter__(self) -> Iterator[T]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def fingerprint(record: object) -> str:
    """A short digest of a record's content: the canonical XML of its source element (or its ``to_dict``)."""
    raw = getattr(record, "raw", None)
    if isinstance(raw, etree._Element):
        data = etree.tostring(raw, method="c14n", exclusive=True, with_comments=False)
    else:
        to_dict: Callable[[], Any] = getattr(record, "to_dict")  # noqa: B009 - every model has it
        data = json.dumps(to_dict(), sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:24]


#: ``fetch(updated_from, updated_through, as_of, page_size)``: every record changed in the window, as of ``as_of``.
Fetch = Callable[[datetime, datetime, datetime, int], Pager[T]]


def _incomplete(resource: str, pager: Pager[Any]) -> PageIntegrityError:
    """The error for a part of the window whose pages did not hold every record ``Total_Results`` promised."""
    page, promised, held = pager.short_pages[0] if pager.short_pages else (None, None, None)
    where = f"; page {page} held {held} of {promised}" if page is not None else ""
    return PageIntegrityError(
        f"{resource}.changes(): {pager.missing} of the {pager.total_results} records Total_Results promised for the "
        f"window did not arrive{where}. No watermark is returned: call changes() again with the same since",
        page=page,
        field="Page_Results",
        expected=promised,
        received=held,
        operation=pager.operation,
    )


def collect_changes(
    *,
    resource: str,
    since: datetime | Watermark,
    overlap: timedelta,
    page_size: int,
    server_time: Callable[[], datetime],
    fetch: Fetch[T],
    key: Callable[[T], str | None],
) -> ChangeSet[T]:
    """Read one incremental window (see the module docstring); the services' ``changes()`` call this.

    Raises:
        ConfigurationError: ``since`` is naive, of the wrong type or another resource's watermark, or ``overlap``
            is negative (before any request).
        PageIntegrityError: A page contradicted the first page of its part, or a part's pages held fewer records
            than ``Total_Results`` promised: no watermark is returned for a window that lost anything.
    """
    if not isinstance(overlap, timedelta) or overlap < timedelta(0):
        raise ConfigurationError(f"overlap must be a timedelta of zero or more, got {overlap!r}")
    if not isinstance(page_size, int) or isinstance(page_size, bool):
        raise ConfigurationError(f"page_size must be an integer, got {page_size!r}")
    previous: dict[str, str]
    if isinstance(since, Watermark):
        if since.resource != resource:
            raise ConfigurationError(
                f"this watermark tracks {since.resource}; {resource}.changes() needs a {resource} watermark"
            )
        start, previous = since.upper, since.seen_versions
    elif isinstance(since, datetime):
        start, previous = _aware_utc(since, "since"), {}
    else:
        raise ConfigurationError(f"since must be a timezone-aware datetime or a Watermark, got {type(since).__name__}")

    upper = server_time().astimezone(timezone.utc)
    lower = start - overlap
    if lower > upper:
        log.warning(
            "%s.changes(): the window would start at %s, after the tenant's clock (%s); starting at the clock",
            resource,
            lower.isoformat(),
            upper.isoformat(),
        )
        lower = upper
    split = max(lower, upper - overlap)
    # The parts: cut at the tail (its records go into the watermark) and, when a watermark is resumed, at its upper
    # bound: a record changed after it has a new transaction and is delivered even when its content is unchanged
    # (Workday logs a candidate for an interview scheduled, which changes nothing in the candidate's record).
    cuts = sorted({lower, split, upper} | ({start} if previous and lower < start < upper else set()))
    parts = list(itertools.pairwise(cuts)) or [(lower, upper)]

    merged: dict[str, T] = {}
    tail_ids: set[str] = set()
    fresh_ids: set[str] = set()
    for part_from, part_to in parts:
        pager = fetch(part_from, part_to, upper, page_size)
        for record in pager:
            record_id = key(record)
            if not record_id:
                log.warning("%s.changes(): a record without an ID was skipped", resource)
                continue
            merged[record_id] = record  # the last version wins; the first position is kept
            if part_from >= split:
                tail_ids.add(record_id)
            if part_from >= start:
                fresh_ids.add(record_id)
        if pager.complete is not True:  # a short page: the window lost records, so it must not move on
            raise _incomplete(resource, pager)

    fingerprints = {record_id: fingerprint(record) for record_id, record in merged.items()}
    delivered = tuple(
        record
        for record_id, record in merged.items()
        if record_id in fresh_ids or previous.get(record_id) != fingerprints[record_id]
    )
    watermark = Watermark(
        resource=resource, upper=upper, seen={record_id: fingerprints[record_id] for record_id in tail_ids}
    )
    suppressed = len(merged) - len(delivered)
    log.debug(
        "%s.changes(): window %s .. %s: %d changed, %d repeats suppressed",
        resource,
        lower.isoformat(),
        upper.isoformat(),
        len(delivered),
        suppressed,
    )
    return ChangeSet(
        records=delivered,
        window_start=lower,
        window_end=upper,
        next_watermark=watermark,
        repeats_suppressed=suppressed,
    )
