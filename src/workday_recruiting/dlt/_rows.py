"""Table rows from models: each model's column spec (``models/_columns.py``) read for SQL, its lists as child tables.

The columns of a table are the columns of its model's spec, the same that ``to_pandas()`` and the CSV export show,
with these rules for the values (nothing here imports dlt):

* numbers, text, booleans, dates and datetimes stay as they are (an aware datetime is a ``timestamp with time
  zone``); a column whose name starts with ``local_`` holds the wall-clock time in the record's own zone, without
  an offset (a ``timestamp``);
* a reference in column ``X`` becomes ``X`` (its display name, else its ID) and ``X_id`` (its ID), unless the spec
  already has an ``X_id`` column;
* a list becomes a child table (``candidates__tags``): a list of references or models gives one row per item with
  the item's own columns (a reference's are ``id``, ``descriptor`` and ``wid``), a list of plain values one
  ``value`` column;
* any other value is its short text (the label the notebook and the CLI show).

A value that is ``None`` is left out of its row (it loads as ``NULL``). The column types come from the models'
annotations (a field or property read as it is, such as ``applied_at: datetime | None``), so that a column exists,
typed, before any record holds a value in it; a column read by a function of its own is typed by dlt from its values.

A :class:`Table` also names the key column (the table's primary key) and may leave out or rename a spec column:
``end`` is a reserved word in SQL, so the interviews' ``start``/``end`` become ``starts_at``/``ends_at``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Final, Union

import attrs

from ..models import Candidate, JobApplication, JobPosting, JobRequisition, Reference, ScheduledInterview
from ..models._columns import Column, columns_of, spec_of, text

__all__ = [
    "CANDIDATES",
    "INTERVIEWS",
    "JOB_APPLICATIONS",
    "JOB_POSTINGS",
    "REQUISITIONS",
    "TABLES",
    "Row",
    "Table",
]

#: One row of a table: column name to value (a list is a child table).
Row = dict[str, Any]
#: A column's dlt hints (``{"data_type": "text"}``).
Hint = dict[str, Any]

_PLAIN: Final = (str, int, float, Decimal, date)  # bool is an int, datetime a date
_LOCAL_PREFIX: Final = "local_"
_LOCAL_TIME: Final[Hint] = {"data_type": "timestamp", "timezone": False}
#: Python type -> dlt data type (checked in order: bool before int, datetime before date).
_DATA_TYPES: Final = (
    (bool, "bool"),
    (int, "bigint"),
    (float, "double"),
    (Decimal, "decimal"),
    (datetime, "timestamp"),
    (date, "date"),
    (str, "text"),
)


# -- values ------------------------------------------------------------------------------------------------------------


def _local_time(value: object) -> object:
    """The wall-clock time of an aware datetime in its own zone, without the offset."""
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


@attrs.frozen
class _Columns:
    """Columns read from a model: ``(column name, how to read it)`` in order, and the set of their names."""

    read: tuple[tuple[str, Callable[[Any], Any]], ...]
    names: frozenset[str]

    @classmethod
    def of(cls, columns: Iterable[tuple[str, Column]]) -> _Columns:
        chosen = tuple((name, column.read) for name, column in columns)
        return cls(chosen, frozenset(name for name, _ in chosen))

    @classmethod
    def of_spec(cls, model: type) -> _Columns | None:
        spec = spec_of(model)
        return None if spec is None else cls.of((column.name, column) for column in spec.columns)

    def fill(self, row: Row, model: object, items: Mapping[type, _Columns], *, nested: bool) -> Row:
        """Set the columns of ``model`` in ``row`` (``items``: the columns of the child rows' model classes)."""
        names = self.names
        for name, read in self.read:
            value = read(model)
            if value is None:
                continue
            if isinstance(value, _PLAIN):
                row[name] = _local_time(value) if name.startswith(_LOCAL_PREFIX) else value
            elif isinstance(value, Reference):
                label = str(value)
                if label:
                    row[name] = label
                if value.id is not None and f"{name}_id" not in names:
                    row[f"{name}_id"] = value.id
            elif isinstance(value, (tuple, list)):
                # A child table; inside a child row, a list is one text cell (no grandchild tables).
                row[name] = (
                    "; ".join(filter(None, (text(item) for item in value)))
                    if nested
                    else [_item(item, items) for item in value]
                )
            else:
                row[name] = text(value)
        return row


def _item(value: object, items: Mapping[type, _Columns]) -> object:
    """One row of a child table: a plain value as it is (dlt gives it a ``value`` column), a model as its columns."""
    if value is None or isinstance(value, _PLAIN):
        return value
    columns = items.get(type(value)) or _Columns.of_spec(type(value))
    return str(value) if columns is None else columns.fill({}, value, items, nested=True)


# -- types ---------------------------------------------------------------------------------------------------------


def _field_types(cls: type) -> Mapping[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # pragma: no cover - every model's annotations resolve
        return {}


def _annotation(cls: type, column: Column) -> Any:
    """The annotated type of a column read as an attribute (a field or a property) of ``cls``, else ``None``."""
    if not (isinstance(column.read, attrgetter) and repr(column.read) == f"operator.attrgetter({column.name!r})"):
        return None  # read by a function of its own: its type is known from its values only
    member = getattr(cls, column.name, None)
    if isinstance(member, property) and member.fget is not None:
        return typing.get_type_hints(member.fget).get("return")
    return _field_types(cls).get(column.name)


def _without_none(annotation: Any) -> Any:
    """``X`` of ``X | None`` (``None`` when more than one type remains)."""
    if typing.get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else None
    return annotation


def _hints(
    cls: type, columns: Iterable[tuple[str, Column]], *, nested: bool
) -> tuple[dict[str, Hint], dict[str, type]]:
    """The column hints of a table of ``cls`` and, by column, the model class of each child table."""
    names = frozenset(name for name, _ in columns)
    hints: dict[str, Hint] = {}
    children: dict[str, type] = {}
    for name, column in columns:
        if name.startswith(_LOCAL_PREFIX):
            hints[name] = dict(_LOCAL_TIME)
            continue
        kind = _without_none(_annotation(cls, column))
        if kind is None:
            continue
        if typing.get_origin(kind) is tuple:
            item = typing.get_args(kind)[0] if typing.get_args(kind) else None
            if nested:
                hints[name] = {"data_type": "text"}
            elif isinstance(item, type) and spec_of(item) is not None:
                children[name] = item
            continue
        if kind is Reference:
            hints[name] = {"data_type": "text"}
            if f"{name}_id" not in names:
                hints[f"{name}_id"] = {"data_type": "text"}
            continue
        if isinstance(kind, type):
            found = next((data_type for python, data_type in _DATA_TYPES if issubclass(kind, python)), None)
            hints[name] = {"data_type": found or "text"}
    return hints, children


@attrs.frozen
class Table:
    """How the models of one class become the rows of one table.

    Attributes:
        name: The table (and dlt resource) name.
        model: The model class whose spec gives the columns.
        key: The column that identifies a row (the primary key, with ``tenant`` in the tenant-column layout).
        exclude: Spec columns left out (what another table of the source holds).
        rename: Spec column name to SQL column name.
        hints: dlt's column hints of the table (the types known from the model's annotations).
        nested_hints: dlt's hints of each child table, by the column it comes from.
    """

    name: str
    model: type
    key: str
    exclude: frozenset[str] = frozenset()
    rename: Mapping[str, str] = attrs.field(factory=dict)
    hints: Mapping[str, Hint] = attrs.field(init=False)
    nested_hints: Mapping[str, Mapping[str, Hint]] = attrs.field(init=False)
    _columns: _Columns = attrs.field(init=False)
    _items: Mapping[type, _Columns] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        chosen = [(self.rename.get(c.name, c.name), c) for c in columns_of(self.model) if c.name not in self.exclude]
        hints, children = _hints(self.model, chosen, nested=False)
        nested: dict[str, Mapping[str, Hint]] = {}
        items: dict[type, _Columns] = {}
        for name, item in children.items():
            columns = _Columns.of_spec(item)
            if columns is not None:
                items[item] = columns
                spec = spec_of(item)
                nested[name] = _hints(item, [(c.name, c) for c in spec.columns] if spec else [], nested=True)[0]
        object.__setattr__(self, "hints", hints)
        object.__setattr__(self, "nested_hints", nested)
        object.__setattr__(self, "_columns", _Columns.of(chosen))
        object.__setattr__(self, "_items", items)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The table's columns from the spec, in order (a reference's ``*_id`` companions and child tables aside)."""
        return tuple(name for name, _ in self._columns.read)

    def row(self, model: object, tenant: str | None = None) -> Row:
        """The row of one model (``tenant`` first when given: the tenant-column layout)."""
        return self._columns.fill({} if tenant is None else {"tenant": tenant}, model, self._items, nested=False)

    def rows(self, models: Iterable[object], tenant: str | None = None) -> tuple[list[Row], int]:
        """The rows of ``models`` that have a key, and how many had none (left out)."""
        out: list[Row] = []
        keyless = 0
        for model in models:
            row = self.row(model, tenant)
            if row.get(self.key):
                out.append(row)
            else:
                keyless += 1
        return out, keyless


CANDIDATES: Final = Table(
    "candidates",
    Candidate,
    key="candidate_id",
    # The applications are a table of their own (job_applications, with candidate_id).
    exclude=frozenset({"application_ids", "requisition_ids"}),
)
JOB_APPLICATIONS: Final = Table("job_applications", JobApplication, key="application_id")
REQUISITIONS: Final = Table("requisitions", JobRequisition, key="requisition_id")
INTERVIEWS: Final = Table(
    "interviews",
    ScheduledInterview,
    key="session_wid",
    rename={"start": "starts_at", "end": "ends_at", "local_start": "local_starts_at"},
)
JOB_POSTINGS: Final = Table("job_postings", JobPosting, key="posting_id")
#: Every table of the source, by name, in the source's order.
TABLES: Final = {table.name: table for table in (CANDIDATES, JOB_APPLICATIONS, REQUISITIONS, INTERVIEWS, JOB_POSTINGS)}
