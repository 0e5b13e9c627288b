"""The fake tenant's fault settings: one frozen, validated value (server time, transient faults, page-size limit)."""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from typing import Final, Literal

import attrs

_PAGE_RESULTS: Final = re.compile(rb"<wd:Page_Results>(\d+)</wd:Page_Results>")

__all__ = ["ALL_FAULT_KINDS", "FaultKind", "FaultSettings"]

FaultKind = Literal[
    "throttling_fault", "too_many_requests", "service_unavailable", "dropped_connection", "truncated_body"
]
#: The transient faults ``fault_rate`` draws from.
ALL_FAULT_KINDS: Final[tuple[FaultKind, ...]] = (
    "throttling_fault",
    "too_many_requests",
    "service_unavailable",
    "dropped_connection",
    "truncated_body",
)


def _latency(value: float) -> float:
    if value < 0:
        raise ValueError("latency must be >= 0 seconds")
    return float(value)


def _item_latency(value: float) -> float:
    if value < 0:
        raise ValueError("item_latency must be >= 0 seconds")
    return float(value)


def _fault_rate(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError("fault_rate must be between 0 and 1")
    return float(value)


def _fault_kinds(kinds: Collection[FaultKind] | FaultKind) -> tuple[FaultKind, ...]:
    given: Collection[str] = (kinds,) if isinstance(kinds, str) else kinds
    chosen = tuple(kind for kind in ALL_FAULT_KINDS if kind in set(given))
    if set(given) - set(ALL_FAULT_KINDS) or not chosen:
        raise ValueError(f"fault_kinds must be a non-empty subset of {ALL_FAULT_KINDS} (got {sorted(given)})")
    return chosen


def _max_page_size(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise ValueError("max_page_size must be >= 1 or None")
    return value


def _retry_after(value: int) -> int:
    if value < 0:
        raise ValueError("retry_after must be >= 0 seconds")
    return int(value)


@attrs.frozen(kw_only=True)
class FaultSettings:
    """How a :class:`~workday_recruiting.testing.FakeTenant` misbehaves; every field is checked on creation.

    ``FakeTenant`` exposes each field as a settable attribute (``tenant.fault_rate = 0.1`` replaces its settings
    with an updated copy), and the whole value as ``tenant.faults``.

    Attributes:
        latency: Seconds added to every request.
        item_latency: Seconds added to a SOAP answer per instance it returns (``Page_Results``): with ``latency``,
            the server-time model (a 999-item page costs more than a one-item answer).
        fault_rate: Fraction (0 to 1) of SOAP requests answered with a transient fault drawn from ``fault_kinds``.
        fault_kinds: The transient faults ``fault_rate`` draws from (a non-empty subset of
            :data:`ALL_FAULT_KINDS`, kept in that order).
        retry_after: The ``Retry-After`` seconds of injected HTTP 429 answers.
        max_page_size: Requests with a larger ``Count`` get their connection reset (``None``: no limit).
    """

    latency: float = attrs.field(default=0.0, converter=_latency)
    item_latency: float = attrs.field(default=0.0, converter=_item_latency)
    fault_rate: float = attrs.field(default=0.0, converter=_fault_rate)
    fault_kinds: tuple[FaultKind, ...] = attrs.field(default=ALL_FAULT_KINDS, converter=_fault_kinds)
    retry_after: int = attrs.field(default=1, converter=_retry_after)
    max_page_size: int | None = attrs.field(default=None, converter=_max_page_size)

    def draw(self, rng: random.Random) -> FaultKind | None:
        """The transient fault to inject into one request, or None (draws from ``rng`` only when faults are on)."""
        if self.fault_rate <= 0.0 or rng.random() >= self.fault_rate:
            return None
        return rng.choice(self.fault_kinds)

    def item_delay(self, payload: bytes) -> float:
        """The per-item part of the server-time model: ``item_latency`` per instance of a SOAP answer."""
        if self.item_latency <= 0:
            return 0.0
        found = _PAGE_RESULTS.search(payload)
        return self.item_latency * int(found[1]) if found else 0.0
