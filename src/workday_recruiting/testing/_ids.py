"""The fake tenant's identifiers: WIDs that encode their record's index, and Workday-style business IDs.

A WID is 32 hex digits: a keyed hash of ``(seed, kind, key)`` followed by the key itself, scrambled and XOR-masked
per kind in the last 8 digits. A WID lookup decodes the key, regenerates the WID and checks that it matches, so a
100,000-candidate tenant needs no index. Business IDs carry the index in plain sight: ``CAND-1187`` (candidate
1186), ``R-00008`` (requisition 7), ``JOB_APPLICATION-2-1187`` (slot 1 of candidate 1186), ``JOB_POSTING-1-8``
(site 0 of requisition 7), Employee_ID ``21005`` (worker 4).
"""

from __future__ import annotations

import hashlib
from typing import Final

__all__ = [
    "APPLICATION_SLOTS",
    "Wids",
    "application_id",
    "application_key",
    "candidate_id",
    "candidate_index",
    "employee_id",
    "posting_id",
    "posting_requisition_index",
    "requisition_id",
    "requisition_index",
    "worker_index",
]

#: Applications per candidate the ID scheme has room for (``key = index * 16 + slot``).
APPLICATION_SLOTS: Final = 16

_M64: Final = (1 << 64) - 1
_M32: Final = (1 << 32) - 1
_P1: Final = 0x9E3779B1  # odd multipliers: invertible modulo 2**32
_P2: Final = 0x85EBCA6B
_P1_INV: Final = pow(_P1, -1, 1 << 32)
_P2_INV: Final = pow(_P2, -1, 1 << 32)


def _permute32(x: int) -> int:
    """An invertible scramble of a 32-bit key, so WID tails of neighbouring records look unrelated."""
    x = (x * _P1) & _M32
    x ^= x >> 16
    x = (x * _P2) & _M32
    return x ^ (x >> 16)


def _unpermute32(x: int) -> int:
    x ^= x >> 16
    x = (x * _P2_INV) & _M32
    x ^= x >> 16
    return (x * _P1_INV) & _M32


def _mix64(x: int) -> int:
    """SplitMix64's finaliser: a cheap, well-spread 64-bit hash."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


class Wids:
    """The WIDs of one data set (``seed``): ``wid(kind, key)`` and its inverse ``key(kind, wid)``."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._salts: dict[str, tuple[int, int, int]] = {}

    def _salt(self, kind: str) -> tuple[int, int, int]:
        salts = self._salts.get(kind)
        if salts is None:
            digest = hashlib.blake2b(f"{self.seed}:{kind}".encode(), digest_size=20).digest()
            salts = (
                int.from_bytes(digest[:8], "big"),
                int.from_bytes(digest[8:16], "big"),
                int.from_bytes(digest[16:], "big"),
            )
            self._salts[kind] = salts  # idempotent: a race computes the same value twice
        return salts

    def wid(self, kind: str, key: int) -> str:
        """A 32-hex WID whose last 8 digits encode ``key`` (XOR-masked per kind); the rest is a keyed hash."""
        s1, s2, mask = self._salt(kind)
        h1 = _mix64(s1 ^ key)
        h2 = _mix64(h1 ^ s2)
        return f"{h1:016x}{h2 >> 32:08x}{_permute32(key) ^ mask:08x}"

    def key(self, kind: str, wid: str) -> int | None:
        """The key a WID of ``kind`` encodes, or None when ``wid`` is not one."""
        if len(wid) != 32:
            return None
        try:
            key = _unpermute32(int(wid[24:], 16) ^ self._salt(kind)[2])
        except ValueError:
            return None
        return key if self.wid(kind, key) == wid else None

    def reference(self, kind: str, value: str) -> str:
        """The WID of a reference-data instance (``("Recruiting_Stage", "REVIEW")``)."""
        return hashlib.blake2b(f"{self.seed}:ref:{kind}:{value}".encode(), digest_size=16).hexdigest()


def _suffix_int(value: str, prefix: str) -> int | None:
    if not value.startswith(prefix):
        return None
    rest = value[len(prefix) :]
    if not rest.isdigit() or not rest.isascii():
        return None
    return int(rest)


def _two_numbers(value: str, prefix: str) -> tuple[int, int] | None:
    """``"JOB_APPLICATION-2-1187"`` with prefix ``"JOB_APPLICATION-"`` -> ``(2, 1187)``."""
    if not value.startswith(prefix):
        return None
    parts = value[len(prefix) :].split("-")
    if len(parts) != 2 or not all(p.isdigit() and p.isascii() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def candidate_id(index: int) -> str:
    """The Candidate_ID of the candidate at ``index``."""
    return f"CAND-{1001 + index}"


def candidate_index(value: str) -> int | None:
    """The index a Candidate_ID names (not range-checked), or None."""
    n = _suffix_int(value, "CAND-")
    return None if n is None or candidate_id(n - 1001) != value else n - 1001


def requisition_id(index: int) -> str:
    """The Job_Requisition_ID of the requisition at ``index``."""
    return f"R-{index + 1:05d}"


def requisition_index(value: str) -> int | None:
    """The index a Job_Requisition_ID names (not range-checked), or None."""
    n = _suffix_int(value, "R-")
    return None if n is None or requisition_id(n - 1) != value else n - 1


def employee_id(index: int) -> str:
    """The Employee_ID of the worker at ``index``."""
    return str(21001 + index)


def worker_index(value: str) -> int | None:
    """The index an Employee_ID names (not range-checked), or None."""
    n = _suffix_int(value, "")
    return None if n is None or str(n) != value else n - 21001


def application_id(index: int, slot: int) -> str:
    """The Job_Application_ID of application ``slot`` of the candidate at ``index``."""
    return f"JOB_APPLICATION-{slot + 1}-{1001 + index}"


def application_key(value: str) -> tuple[int, int] | None:
    """``(candidate index, slot)`` of a Job_Application_ID (the index not range-checked), or None."""
    numbers = _two_numbers(value, "JOB_APPLICATION-")
    if numbers is None:
        return None
    slot, number = numbers[0] - 1, numbers[1]
    if not 0 <= slot < APPLICATION_SLOTS or application_id(number - 1001, slot) != value:
        return None
    return number - 1001, slot


def posting_id(requisition_index: int, site: int) -> str:
    """The Job_Posting_ID of the posting of a requisition on its ``site``-th site."""
    return f"JOB_POSTING-{site + 1}-{requisition_index + 1}"


def posting_requisition_index(value: str) -> int | None:
    """The requisition index a Job_Posting_ID names (not range-checked), or None."""
    numbers = _two_numbers(value, "JOB_POSTING-")
    return None if numbers is None else numbers[1] - 1
