"""Shared building blocks of the models: :class:`Reference`, the scalar parsers and the generic ``to_dict``.

Every model is built straight from an lxml element in one pass over its children (no zeep, no XPath). The
helpers here are the only places that turn Workday's lexical forms into Python values:

* booleans: ``0``, ``1``, ``true``, ``false`` (any case, surrounding whitespace ignored);
* ``xsd:date``: ``1960-01-01``, with or without an offset (``1960-01-01-07:00``, ``1960-01-01Z``); the
  offset is dropped and the calendar date is kept as written;
* ``xsd:dateTime``: ``Z``, ``+hh:mm``/``-hh:mm`` offsets, any number of fractional digits (kept to the
  microsecond), and ``24:00:00`` (the next midnight). A value **without** an offset is read in the time zone
  the caller names, which is UTC unless a model knows better (interviews use the interview's time zone).
  Every ``datetime`` a model holds is therefore timezone-aware.

Absent optional data gives ``None`` (or an empty tuple); a value that is present but cannot be read raises
:class:`ModelParseError`, a :class:`~workday_recruiting.ResponseParseError` that is also a ``ValueError``.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final, cast

import attrs
from lxml import etree

from .._errors import ResponseParseError
from .._ns import WD, wd
from .._xml import raw_text
from ._columns import Column, ModelSpec, model_html, one_line

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = [
    "ModelParseError",
    "Reference",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "resolve_time_zone",
]

UTC: Final = timezone.utc

# Clark names used by every module (precomputed once).
T_ID: Final = wd("ID")
A_TYPE: Final = wd("type")
A_DESCRIPTOR: Final = wd("Descriptor")
_PREFIX: Final = f"{{{WD}}}"


class ModelParseError(ResponseParseError, ValueError):
    """A response element holds a value that cannot be read (``"maybe"`` as a boolean, say).

    Raised while building models; it is a :class:`~workday_recruiting.ResponseParseError` (so callers catching
    the SDK's errors see it) and a ``ValueError``. The message names the element and shows the bad value.
    """

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(message, operation=operation)


def _local(tag: object) -> str:
    text = str(tag)
    return text[len(_PREFIX) :] if text.startswith(_PREFIX) else text


def _bad(kind: str, text: str, field: object) -> ModelParseError:
    where = f" in {_local(field)}" if field is not None else ""
    shown = text if len(text) <= 60 else text[:57] + "..."
    return ModelParseError(f"invalid {kind}{where}: {shown!r}")


# ----------------------------------------------------------------------------------------------------
# Scalar parsers
# ----------------------------------------------------------------------------------------------------

_BOOLS: Final = {"1": True, "0": False, "true": True, "false": False}


def parse_bool(text: str | None, *, field: object = None) -> bool | None:
    """Read a Workday boolean (``0``/``1``/``true``/``false``, any case, whitespace tolerated).

    Args:
        text: The element text; ``None`` or blank means the value is absent.
        field: The element's tag, used only in the error message.

    Returns:
        The boolean, or ``None`` when absent.

    Raises:
        ModelParseError: The text is not a boolean.
    """
    if text is None:
        return None
    value = _BOOLS.get(text)
    if value is not None:
        return value
    stripped = text.strip()
    if not stripped:
        return None
    value = _BOOLS.get(stripped.lower())
    if value is None:
        raise _bad("boolean", text, field)
    return value


_OFFSET: Final = r"(Z|[+-]\d{2}:\d{2})?"
_DATE_RE: Final = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})" + _OFFSET + r"\s*\Z", re.ASCII)
_DATETIME_RE: Final = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?" + _OFFSET + r"\s*\Z", re.ASCII
)


@functools.lru_cache(maxsize=128)
def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59 or (hours == 14 and minutes):
        raise ValueError(text)
    delta = timedelta(hours=hours, minutes=minutes)
    if not delta:
        return UTC
    return timezone(-delta if text[0] == "-" else delta)


def parse_date(text: str | None, *, field: object = None) -> date | None:
    """Read an ``xsd:date``; an offset (``1960-01-01-07:00``) is accepted and dropped.

    Args:
        text: The element text; ``None`` or blank means the value is absent.
        field: The element's tag, used only in the error message.

    Returns:
        The calendar date as written, or ``None`` when absent.

    Raises:
        ModelParseError: The text is not an ``xsd:date`` (or names an impossible day).
    """
    if text is None:
        return None
    match = _DATE_RE.match(text)
    if match is None:
        if not text.strip():
            return None
        raise _bad("date", text, field)
    year, month, day, off = match.groups()
    try:
        if off is not None:
            _offset(off)
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _bad("date", text, field) from None


#: The canonical xsd:dateTime shapes :func:`_fast_datetime` hands to ``fromisoformat``: seconds always present, any
#: number of fractional digits, and no offset, ``Z`` or an offset of at most 14 hours (xsd's range).
_CANONICAL_DATETIME: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?", re.ASCII
)


def _fast_datetime(text: str) -> datetime | None:
    """``datetime.fromisoformat`` (written in C, so cheaper than the regex path) for canonical xsd:dateTime text.

    Only text shaped exactly ``YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]`` (offset within 14 hours) is tried, so both
    paths accept the same inputs on every Python version; anything else (or a fromisoformat refusal: ``24:00:00``,
    ``Z`` on 3.10) returns ``None`` and the regex path decides.
    """
    if _canonical_datetime(text) is None:
        return None
    try:
        return _fromisoformat(text)
    except ValueError:
        return None


_canonical_datetime: Final = _CANONICAL_DATETIME.fullmatch
_fromisoformat: Final = datetime.fromisoformat


def parse_datetime(text: str | None, *, field: object = None, naive_tz: tzinfo = UTC) -> datetime | None:
    """Read an ``xsd:dateTime`` into an aware ``datetime``.

    Args:
        text: The element text; ``None`` or blank means the value is absent.
        field: The element's tag, used only in the error message.
        naive_tz: The zone a value without an offset is read in (UTC by default).

    Returns:
        An aware datetime (fractional seconds kept to the microsecond), or ``None`` when absent.

    Raises:
        ModelParseError: The text is not an ``xsd:dateTime`` (or names an impossible moment).
    """
    if text is None:
        return None
    fast = _fast_datetime(text)
    if fast is not None:
        return fast if fast.tzinfo is not None else fast.replace(tzinfo=naive_tz)
    return _regex_datetime(text, field, naive_tz)


def _regex_datetime(text: str, field: object, naive_tz: tzinfo) -> datetime | None:
    """The complete xsd:dateTime reader (the fast path's fallback and its reference in the tests)."""
    match = _DATETIME_RE.match(text)
    if match is None:
        if not text.strip():
            return None
        raise _bad("dateTime", text, field)
    year, month, day, hour, minute, second, fraction, off = match.groups()
    try:
        tz = naive_tz if off is None else _offset(off)
        micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
        hour_i = int(hour)
        if hour_i == 24:  # xsd allows 24:00:00 for the end of a day
            if minute != "00" or second != "00" or micro:
                raise ValueError(text)
            return datetime(int(year), int(month), int(day), tzinfo=tz) + timedelta(days=1)
        return datetime(int(year), int(month), int(day), hour_i, int(minute), int(second), micro, tzinfo=tz)
    except (ValueError, OverflowError):
        raise _bad("dateTime", text, field) from None


def parse_int(text: str | None, *, field: object = None) -> int | None:
    """Read an integral ``xsd:decimal`` (``3``, ``3.00``); absent or blank gives ``None``.

    Raises:
        ModelParseError: The text is not a number, or has a fractional part.
    """
    if text is None:
        return None
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isdigit() and stripped.isascii():
        return int(stripped)
    try:
        number = Decimal(stripped)
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(text)
        return int(number)
    except (InvalidOperation, ValueError):
        raise _bad("integer", text, field) from None


def parse_decimal(text: str | None, *, field: object = None) -> Decimal | None:
    """Read an ``xsd:decimal``; absent or blank gives ``None``.

    Raises:
        ModelParseError: The text is not a finite decimal number.
    """
    if text is None or not text.strip():
        return None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise _bad("decimal", text, field) from None
    if not number.is_finite():
        raise _bad("decimal", text, field)
    return number


_TZ_KEY_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*\Z", re.ASCII)


@functools.lru_cache(maxsize=256)
def resolve_time_zone(name: str | None) -> tzinfo | None:
    """Turn a Workday ``Time_Zone_ID`` (an IANA name such as ``America/New_York``) into a ``tzinfo``.

    Returns:
        The zone, or ``None`` when the name is absent or not a zone this machine knows.
    """
    if not name or not _TZ_KEY_RE.match(name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


# ----------------------------------------------------------------------------------------------------
# Model base: generic to_dict
# ----------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tzinfo):
        return str(value)
    raise TypeError(f"cannot convert {type(value).__name__} to a JSON value")


class Model:
    """Base of every model: a generic, JSON-ready :meth:`to_dict` built from the attrs fields, and its views.

    Subclasses are ``@attrs.frozen(repr=False)`` (slotted, immutable; the one-line ``repr`` is this class's).
    ``raw`` (the source element) is never part of ``to_dict``, equality or ``repr``. ``_dict_extras`` names
    computed properties that ``to_dict`` adds. ``_spec`` is the model's column spec (:class:`ModelSpec`: its label,
    its brief columns, its columns), read by ``repr()``, the notebook tables, ``to_pandas()``, the CSV export and
    the command line; a model without one is read through its attrs fields.
    """

    __slots__ = ()

    _dict_extras: ClassVar[tuple[str, ...]] = ()
    _spec: ClassVar[ModelSpec | None] = None

    def to_dict(self) -> dict[str, Any]:
        """Return the model as plain JSON-ready data.

        Datetimes and dates become ISO-8601 strings, references and nested models become dicts, tuples
        become lists; ``raw`` is left out.
        """
        cls = cast("type[AttrsInstance]", type(self))
        out = {f.name: _plain(getattr(self, f.name)) for f in attrs.fields(cls) if f.name != "raw"}
        for name in self._dict_extras:
            out[name] = _plain(getattr(self, name))
        return out

    def __repr__(self) -> str:
        """One line of the model's brief columns: IDs and names, never nested references."""
        return one_line(self)

    def _repr_html_(self) -> str:
        """A compact two-column table of the columns that hold a value, for Jupyter (every value HTML-escaped)."""
        return model_html(self)


def _freeze_ids(ids: Mapping[str, str] | Iterable[tuple[str, str]]) -> Mapping[str, str]:
    if isinstance(ids, MappingProxyType):
        return cast("Mapping[str, str]", ids)
    return MappingProxyType(dict(ids))


def _ids_key(ids: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(ids.items())


@attrs.frozen(repr=False)
class Reference(Model):
    """A Workday reference: an object's WID, its other typed IDs and (when asked for) its display name.

    ``<wd:Candidate_Reference wd:Descriptor="Alex Tester"><wd:ID wd:type="WID">cf1c…</wd:ID>
    <wd:ID wd:type="Candidate_ID">CAND-1187</wd:ID></wd:Candidate_Reference>`` becomes
    ``Reference(wid="cf1c…", ids={"Candidate_ID": "CAND-1187"}, descriptor="Alex Tester")``.

    Attributes:
        wid: The Workday ID, if the reference carries one.
        ids: The other IDs, ID type to value, in document order (``WID`` is never in here). Read-only.
        descriptor: The display name Workday sent (only when descriptors were requested), else ``None``.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("id", "ID"), Column("descriptor", "Name"), Column("wid", "WID")), label=str
    )

    wid: str | None = None
    ids: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze_ids, eq=_ids_key)
    descriptor: str | None = None

    @property
    def id(self) -> str | None:
        """The first non-WID ID (``"CAND-1187"``), or the WID when there is no other."""
        for value in self.ids.values():
            return value
        return self.wid

    @property
    def values(self) -> set[str]:
        """Every value that identifies the instance: its WID and its other IDs (to match two references)."""
        found = set(self.ids.values())
        if self.wid:
            found.add(self.wid)
        return found

    def get(self, id_type: str) -> str | None:
        """The value of the ID of type ``id_type`` (``"WID"`` included), or ``None``."""
        if id_type == "WID":
            return self.wid
        return self.ids.get(id_type)

    def __str__(self) -> str:
        return self.descriptor or self.id or ""

    def __repr__(self) -> str:
        parts = []
        if self.wid is not None:
            parts.append(f"wid={self.wid!r}")
        if self.ids:
            parts.append(f"ids={dict(self.ids)!r}")
        if self.descriptor is not None:
            parts.append(f"descriptor={self.descriptor!r}")
        return f"Reference({', '.join(parts)})"

    @classmethod
    def from_xml(cls, el: etree._Element) -> Reference:
        """Build a reference from a ``*_Reference`` element (any ``*ObjectType``)."""
        return ref_of(el)

    @classmethod
    def of(cls, id_type: str, value: str, *, descriptor: str | None = None) -> Reference:
        """A reference with a single typed ID: ``Reference.of("Candidate_ID", "CAND-1187")``."""
        if id_type == "WID":
            return cls(value, {}, descriptor)
        return cls(None, {id_type: value}, descriptor)


_new_object = object.__new__
_set_wid = Reference.__dict__["wid"].__set__
_set_ids = Reference.__dict__["ids"].__set__
_set_descriptor = Reference.__dict__["descriptor"].__set__


def _reference_values(el: etree._Element) -> tuple[str | None, dict[str, str], str | None]:
    """The WID, the other IDs (first of each type wins) and the descriptor of a reference element.

    Only ``wd:ID`` children count, so comments and processing instructions between or inside the IDs change nothing.
    ``wd:type`` and ``wd:Descriptor`` are namespace-qualified (the schema's ``attributeFormDefault``); an unqualified
    ``type`` is accepted too.
    """
    wid: str | None = None
    ids: dict[str, str] = {}
    for child in el:
        if child.tag != T_ID:
            continue
        value = child.text if len(child) == 0 else raw_text(child)
        if value is None:
            continue
        # id_type_of and descriptor_of, inlined: this runs for every reference of every page.
        types: list[str] = child.values()  # type: ignore[assignment]  # str on Python 3
        id_type = types[0] if len(types) == 1 else (child.get(A_TYPE) or child.get("type"))
        if id_type == "WID":
            wid = value.strip()
        elif id_type is not None and id_type not in ids:
            ids[id_type] = value.strip()
    attributes: list[str] = el.values()  # type: ignore[assignment]
    if not attributes:
        return wid, ids, None
    return wid, ids, attributes[0] if len(attributes) == 1 else el.get(A_DESCRIPTOR)


def ref_of(el: etree._Element) -> Reference:
    """Build a :class:`Reference` from a reference element (a new object each time; see :class:`ReferenceCache`)."""
    wid, ids, descriptor = _reference_values(el)
    return new_reference(wid, MappingProxyType(ids), descriptor)


def id_type_of(el: etree._Element) -> str | None:
    """The ``wd:type`` of a ``wd:ID`` element.

    ``values()`` is cheaper than ``get()`` (no Clark-name parsing); an ID with a single attribute has only its
    (required) type. IDs that also carry ``parent_id``/``parent_type`` take the ``get()`` path.
    """
    values: list[str] = el.values()  # type: ignore[assignment]  # str on Python 3
    if len(values) == 1:
        return values[0]
    return el.get(A_TYPE) or el.get("type")


def descriptor_of(el: etree._Element) -> str | None:
    """The ``wd:Descriptor`` of a reference element: its only attribute in Workday's ``*ObjectType``."""
    values: list[str] = el.values()  # type: ignore[assignment]  # str on Python 3
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return el.get(A_DESCRIPTOR)


class ReferenceCache:
    """The references read during one parse, so that equal ones are one object.

    A page repeats the same stage, source, country and requisition thousands of times; one shared immutable object is
    cheaper to build, to keep and for the garbage collector to scan than thousands of equal ones. Make one per parse
    (``read_candidates`` and each ``from_xml`` do) and drop it with the parse: it belongs to the thread that parses,
    so it needs no lock, and nothing outlives the page, whichever client or tenant the page came from.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str | None], Reference] = {}

    def read(self, el: etree._Element) -> Reference:
        """The :class:`Reference` of a reference element: one read before in this parse when equal, else a new one.

        References are shared by (WID, descriptor) and only when their IDs are equal too; a reference without a WID
        has no identity to share by and is always new.
        """
        wid, ids, descriptor = _reference_values(el)
        if wid is None:
            return new_reference(None, MappingProxyType(ids), descriptor)
        key = (wid, descriptor)
        ref = self._seen.get(key)
        if ref is None or ref.ids != ids:
            ref = new_reference(wid, MappingProxyType(ids), descriptor)
            self._seen[key] = ref
        return ref

    def optional(self, el: etree._Element | None) -> Reference | None:
        """:meth:`read` for an element that may be absent."""
        return None if el is None else self.read(el)


def new_reference(wid: str | None, ids: MappingProxyType[str, str], descriptor: str | None) -> Reference:
    """Make a :class:`Reference` from final values, skipping the attrs ``__init__`` and its converter.

    Every reference a parser reads is built here. ``ids`` must already be read-only.
    """
    ref: Reference = _new_object(Reference)
    _set_wid(ref, wid)
    _set_ids(ref, ids)
    _set_descriptor(ref, descriptor)
    return ref
