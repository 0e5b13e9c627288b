"""One column spec per model, and the generic renderers that need nothing but the spec.

Every model says, once, how a person reads it (:class:`ModelSpec`, the ``_spec`` class attribute declared next to
the model):

* ``label``: the short text that stands for the model inside another one (``Alex Tester (CAND-1001)``);
* ``brief``: the few columns of its one-line ``repr()``, of a row in a notebook table and in a CLI table;
* ``columns``: the columns a person reads: ``to_pandas()``, the CSV export and the one-model views (the notebook's
  two-column table, ``workday-recruiting candidates get``).

A :class:`Column` is a name (the key: a pandas column, a CSV header, a JSON key), a header (what a table shows) and
how to read the value from the model. The values stay Python values; each renderer turns them into its own form:
:func:`text` for people (HTML, repr, the CLI), :func:`cell` for pandas and CSV, :func:`json_value` for JSON.
A model without a ``_spec`` gets one from its attrs fields (every field but ``raw``, then its computed extras).

``to_dict()`` stays the complete, JSON-ready form of a model (the "everything" view); this module is the short one.
It imports nothing from the rest of the package, so the models can use it without an import cycle.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

if TYPE_CHECKING:
    from attrs import AttrsInstance

__all__ = [
    "MAX_HTML_ROWS",
    "Column",
    "ModelSpec",
    "cell",
    "columns_of",
    "facts_html",
    "id_and_name",
    "json_value",
    "model_html",
    "one_line",
    "records_html",
    "row",
    "spec_of",
    "summary",
    "table_rows",
    "text",
]

#: Rows shown by a records table before "... and N more".
MAX_HTML_ROWS: Final = 50
_MAX_TEXT: Final = 160
_MAX_REPR_VALUE: Final = 60
_MAX_LIST: Final = 5


def _header(name: str) -> str:
    return name.replace("_", " ").capitalize()


@attrs.frozen
class Column:
    """One column of a model's spec.

    Attributes:
        name: The key: the pandas column, the CSV header, the JSON key, the field name in ``repr()``.
        header: What a table shows above the column (default: the name, ``candidate_id`` -> ``Candidate id``).
        read: How to get the value from a model (default: the attribute of that name).
    """

    name: str
    header: str = attrs.field(default=attrs.Factory(lambda self: _header(self.name), takes_self=True))
    read: Callable[[Any], Any] = attrs.field(
        default=attrs.Factory(lambda self: attrgetter(self.name), takes_self=True), eq=False
    )


def _default_label(model: Any) -> str:
    """A model without its own label: its ``__str__`` when it has one, else its reference's text, else its class."""
    if getattr(type(model), "__str__", None) is not object.__str__:
        return str(model)
    reference = getattr(model, "reference", None)
    return text(reference) if reference is not None else type(model).__name__


@attrs.frozen
class ModelSpec:
    """How a person reads one model class: its label, its brief columns and its columns.

    Attributes:
        columns: The columns a person reads (``to_pandas()``, CSV, the one-model views).
        brief: The few columns of ``repr()`` and of a row in a notebook or CLI table (default: ``columns``).
        label: The short text standing for a model inside another one (default: its ``__str__``, else its
            reference's text, else the class name).
    """

    columns: tuple[Column, ...]
    brief: tuple[Column, ...] = attrs.field(default=attrs.Factory(lambda self: self.columns, takes_self=True))
    label: Callable[[Any], str] = attrs.field(default=_default_label, eq=False)


def _fields_spec(cls: type) -> ModelSpec:
    fields = attrs.fields(_as_attrs(cls))
    names = [field.name for field in fields if field.name != "raw"]
    names += [name for name in getattr(cls, "_dict_extras", ()) if name not in names]
    return ModelSpec(columns=tuple(Column(name) for name in names))


def _as_attrs(cls: type) -> type[AttrsInstance]:
    """``cls`` typed as an attrs class (for ``attrs.fields``)."""
    return cast("type[AttrsInstance]", cls)


def spec_of(model: object) -> ModelSpec | None:
    """The spec of a model (or model class): its declared ``_spec``, else one from its attrs fields; else ``None``."""
    cls = model if isinstance(model, type) else type(model)
    if not attrs.has(cls):
        return None
    declared = getattr(cls, "_spec", None)
    return declared if isinstance(declared, ModelSpec) else _fields_spec(cls)


def columns_of(cls: type) -> tuple[Column, ...]:
    """The columns of a model class (what ``to_pandas()`` and the CSV export show).

    Raises:
        TypeError: ``cls`` is not a model (an attrs class).
    """
    spec = spec_of(cls)
    if spec is None:
        raise TypeError(f"{cls.__name__} is not a model")
    return spec.columns


# -- values as text, cells and JSON -----------------------------------------------------------------------------------


def _shorten(value: str, limit: int = _MAX_TEXT) -> str:
    value = " ".join(value.split()) if "\n" in value or "\r" in value else value
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text(value: object) -> str:
    """A short, human-readable text for a value: a model's label, a date in ISO form, ``yes``/``no``, a list joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        shown = [text(item) for item in value[:_MAX_LIST]]
        more = f" … ({len(value)} in all)" if len(value) > _MAX_LIST else ""
        return ", ".join(shown) + more
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={item}" for key, item in value.items())
    spec = spec_of(value)
    if spec is not None:
        return spec.label(value)
    return str(value)


def id_and_name(reference: Any) -> str:
    """``R-00026 Senior Recruiter``: a reference's ID and display name, the ID not repeated (filters take the ID)."""
    if reference is None:
        return ""
    ident, name = reference.id or "", reference.descriptor or ""
    if not ident or name.startswith(ident):
        return name or ident
    return f"{ident} {name}".strip()


_SCALARS: Final = (str, int, float, Decimal, date)


def cell(value: object) -> Any:
    """A value for a pandas or CSV cell: scalars, dates and datetimes as they are; anything else as :func:`text`.

    Several values (a tuple) are joined with ``"; "``.
    """
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, (tuple, list)):
        return "; ".join(filter(None, (text(item) for item in value)))
    return text(value)


def json_value(value: object) -> Any:
    """A JSON-ready value: datetimes and dates in ISO 8601, a model as its brief columns, lists as lists."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [json_value(item) for item in value]
    spec = spec_of(value)
    if spec is not None:
        return {column.name: json_value(column.read(value)) for column in spec.brief}
    return str(value)


def row(model: object, *, brief: bool = False) -> dict[str, Any]:
    """``{column name: cell}`` of a model's columns (its brief ones with ``brief=True``): a pandas or CSV row."""
    spec = spec_of(model)
    if spec is None:
        return {"value": model}
    return {column.name: cell(column.read(model)) for column in (spec.brief if brief else spec.columns)}


def table_rows(models: Iterable[Any], columns: Sequence[Column] | None = None) -> Iterable[list[str]]:
    """The text cells of each model for a text table (a CLI listing): ``columns``, else each model's brief ones."""
    for model in models:
        spec = spec_of(model)
        shown = columns if columns is not None else (spec.brief if spec is not None else ())
        yield [text(column.read(model)) for column in shown]


def summary(model: object) -> dict[str, str]:
    """The model's columns that hold a value, as ``{name: short text}`` (the one-model views)."""
    spec = spec_of(model)
    if spec is None:
        return {"value": _shorten(text(model))}
    out: dict[str, str] = {}
    for column in spec.columns:
        shown = text(column.read(model))
        if shown:
            out[column.name] = _shorten(shown)
    return out


def _repr_value(value: object) -> str:
    if isinstance(value, (bool, int, float)):
        return repr(value)
    return repr(_shorten(text(value), _MAX_REPR_VALUE))


def one_line(model: object) -> str:
    """The one-line ``repr()`` of a model: ``Candidate(candidate_id='CAND-1001', name='Alex Tester', ...)``.

    Its brief columns that hold a value, each as its short text (IDs and names, never nested references).
    """
    spec = spec_of(model)
    if spec is None:
        return repr(model)
    parts = []
    for column in spec.brief:
        value = column.read(model)
        if value is None or value == "" or value == ():
            continue
        parts.append(f"{column.name}={_repr_value(value)}")
    return f"{type(model).__name__}({', '.join(parts)})"


# -- HTML ------------------------------------------------------------------------------------------------------------

_STYLE: Final = ' style="text-align:left;vertical-align:top"'


def facts_html(caption: str, facts: Mapping[str, str], note: str | None = None) -> str:
    """A two-column table (name, value) under a caption; every text HTML-escaped."""
    rows = "".join(
        f"<tr><th{_STYLE}>{html.escape(name)}</th><td{_STYLE}>{html.escape(value)}</td></tr>"
        for name, value in facts.items()
    )
    after = f"<p>{html.escape(note)}</p>" if note else ""
    return f"<table><caption{_STYLE}>{html.escape(caption)}</caption><tbody>{rows}</tbody></table>{after}"


def model_html(model: object) -> str:
    """A compact two-column table (column, value) of a model's :func:`summary`, for Jupyter."""
    return facts_html(type(model).__name__, summary(model))


def records_html(items: Sequence[Any], *, title: str | None = None) -> str:
    """A table with one row per record (the brief columns of its class), at most :data:`MAX_HTML_ROWS` rows."""
    count = len(items)
    if not items:
        return f"<p>{html.escape(title or 'No records')}</p>"
    kind = type(items[0]).__name__
    caption = title or f"{count} {kind}{'' if count == 1 else ' records'}"
    shown = items[:MAX_HTML_ROWS]
    spec = spec_of(shown[0])
    if spec is None:
        head = ""
        body = "".join(f"<tr><td{_STYLE}>{html.escape(_shorten(text(item)))}</td></tr>" for item in shown)
    else:
        head = "<thead><tr>" + "".join(f"<th{_STYLE}>{html.escape(c.name)}</th>" for c in spec.brief) + "</tr></thead>"
        body = "".join(
            "<tr>" + "".join(f"<td{_STYLE}>{html.escape(_shorten(cells))}</td>" for cells in values) + "</tr>"
            for values in table_rows(shown, spec.brief)
        )
    more = f"<p>… and {count - len(shown)} more</p>" if count > len(shown) else ""
    return f"<table><caption{_STYLE}>{html.escape(caption)}</caption>{head}<tbody>{body}</tbody></table>{more}"
