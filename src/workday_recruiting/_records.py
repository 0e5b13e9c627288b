"""Lists of records: :class:`Records` (a table in Jupyter, ``to_pandas()``) and the flattening of the "all" view.

Part of the core: it needs the models and their column specs (:mod:`workday_recruiting.models._columns`) and
nothing of the presentation layer, so :class:`~workday_recruiting.Pager` can return it.

``to_pandas()`` gives, by default, the columns a person reads: each record's spec columns (about 15 per record,
references as their display name or ID, several values joined with ``"; "``, dates and datetimes as Python
objects). ``to_pandas(columns="all")`` gives every field instead: one column per field; a nested model becomes
dotted columns (``legal_name.first``); a reference becomes ``<field>`` (its first ID, e.g. ``CAND-1187``),
``<field>.descriptor`` and ``<field>.wid``; a tuple of references becomes a list of IDs; other tuples become lists
of plain dicts (``to_dict()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import attrs

from .models import Model, Reference
from .models._columns import records_html, row

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = ["Columns", "Records", "flatten", "iterate_with_progress", "require_pandas", "to_pandas"]

T = TypeVar("T")

#: What ``to_pandas(columns=...)`` takes: ``"main"`` (the columns a person reads) or ``"all"`` (every field).
Columns = Literal["main", "all"]


def require_pandas() -> Any:
    """Import pandas, or raise an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_pandas() needs pandas: pip install 'workday-recruiting[pandas]' (or pip install pandas)"
        ) from None
    return pandas


def flatten(item: object, prefix: str = "") -> dict[str, Any]:
    """Every field of a model as one flat ``{column: value}`` row (the ``columns="all"`` view; see the module)."""
    if not isinstance(item, Model):
        if isinstance(item, Mapping):
            return {f"{prefix}{key}": value for key, value in item.items()}
        return {prefix.rstrip(".") or "value": item}
    out: dict[str, Any] = {}
    fields = attrs.fields(cast("type[AttrsInstance]", type(item)))  # every Model subclass is an attrs class
    names = [*(field.name for field in fields if field.name != "raw"), *item._dict_extras]
    for name in names:
        value = getattr(item, name)
        column = f"{prefix}{name}"
        if isinstance(value, Reference):
            out[column] = value.id
            out[f"{column}.descriptor"] = value.descriptor
            out[f"{column}.wid"] = value.wid
        elif isinstance(value, Model):
            out.update(flatten(value, f"{column}."))
        elif isinstance(value, tuple):
            if value and all(isinstance(v, Reference) for v in value):
                out[column] = [v.id for v in value]
            else:
                out[column] = [v.to_dict() if isinstance(v, Model) else v for v in value]
        else:
            out[column] = value
    return out


def _check_columns(columns: str) -> None:
    if columns not in ("main", "all"):
        raise ValueError(f"columns must be 'main' or 'all', not {columns!r}")


def to_pandas(items: Iterable[Any], *, columns: Columns = "main") -> Any:
    """A ``pandas.DataFrame``, one row per item: the columns a person reads, or every field with ``columns="all"``."""
    _check_columns(columns)
    pandas = require_pandas()
    if columns == "all":
        return pandas.DataFrame.from_records([flatten(item) for item in items])
    return pandas.DataFrame.from_records([row(item) if isinstance(item, Model) else flatten(item) for item in items])


class Records(list[T]):
    """A list of records that renders as a table in Jupyter and converts to a pandas DataFrame.

    It is a plain ``list`` otherwise (``Pager.collect()`` and ``client.interviews.for_application()`` return one).
    The table shows each record's brief columns (the fields of its ``repr()``), at most 50 rows.
    """

    def _repr_html_(self) -> str:
        return records_html(self)

    def to_pandas(self, *, columns: Columns = "main") -> Any:
        """A ``pandas.DataFrame``, one row per record (needs the ``pandas`` extra).

        Args:
            columns: ``"main"`` (default): the columns a person reads, the same as the CSV export's (about 15 per
                record; references as their name or ID, several values joined with ``"; "``). ``"all"``: every
                field, nested models and references flattened into dotted columns (``legal_name.first``,
                ``reference.wid``).

        Raises:
            ImportError: pandas is not installed; the message names the extra.
            ValueError: ``columns`` is neither ``"main"`` nor ``"all"``.
        """
        return to_pandas(self, columns=columns)


def iterate_with_progress(
    items: Iterable[T], progress: Callable[[int, int | None], None], total: Callable[[], int | None]
) -> Iterator[T]:
    """Yield ``items``, calling ``progress(count, total())`` after each one (and once at the end)."""
    count = 0
    for item in items:
        yield item
        count += 1
        progress(count, total())
    progress(count, total() if total() is not None else count)
