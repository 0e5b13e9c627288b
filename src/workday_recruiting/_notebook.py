"""Notebook conveniences: HTML tables for models, lists and pagers, ``to_pandas()``, and progress bars.

In Jupyter a model renders as a two-column table of its main fields, a :class:`Records` list (what
``Pager.collect()`` and ``client.interviews.for_application()`` return) as a table with one row per record, and a
:class:`~workday_recruiting.Pager` as a short description (rendering never consumes it: a pager is single use).
Every value is HTML-escaped. ``to_pandas()`` needs the ``pandas`` extra (``pip install 'workday-recruiting[pandas]'``)
and :class:`ProgressBar` the ``progress`` extra (tqdm); without tqdm it does nothing.

How ``to_pandas()`` flattens a model: one column per field; a nested model becomes dotted columns
(``legal_name.first``); a reference becomes ``<field>`` (its first ID, e.g. ``CAND-1187``), ``<field>.descriptor``
and ``<field>.wid``; a tuple of references becomes a list of IDs; other tuples become lists of plain dicts
(``to_dict()``); dates and datetimes stay Python objects (pandas turns uniform ones into datetime columns).
"""

from __future__ import annotations

import html
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import attrs

if TYPE_CHECKING:
    from attrs import AttrsInstance

    from ._paging import Pager
    from .models import Model

__all__ = ["ProgressBar", "Records", "flatten", "model_html", "pager_html", "records_html", "require_pandas"]

T = TypeVar("T")

#: Rows shown by a records table before "... and N more".
MAX_HTML_ROWS: Final = 50
_MAX_TEXT: Final = 160
_MAX_LIST: Final = 5

#: The columns a records table shows per model class (the model's main fields; others: the first 8 fields).
_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "Candidate": ("candidate_id", "name", "primary_email", "primary_phone", "applications"),
    "JobApplication": ("application_id", "candidate", "requisition", "stage", "disposition", "applied_at"),
    "JobRequisition": ("requisition_id", "title", "status", "primary_location", "recruiter", "hiring_manager"),
    "JobPosting": ("posting_id", "title", "requisition", "site", "start_date", "end_date"),
    "Interview": ("reference", "candidate", "requisition", "time_zone", "sessions"),
    "InterviewSession": ("start", "end", "time_zone", "interviewers", "interview_type", "locations"),
    "ScheduledInterview": ("start", "time_zone", "candidate", "requisition", "interviewers", "meeting_url"),
    "Reference": ("id", "descriptor", "wid"),
}


def require_pandas() -> Any:
    """Import pandas, or raise an ImportError that names the extra to install."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_pandas() needs pandas: pip install 'workday-recruiting[pandas]' (or pip install pandas)"
        ) from None
    return pandas


# -- text of values ------------------------------------------------------------------------------------------------


def _is_model(value: object) -> bool:
    from .models import Model

    return isinstance(value, Model)


def label(value: object) -> str:
    """A short, human-readable text for a field value (a reference's descriptor or ID, a model's name...)."""
    from .models import (
        Candidate,
        Interview,
        JobApplication,
        JobRequisition,
        Reference,
        RoleAssignment,
        ScheduledInterview,
    )

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Reference):
        return str(value)
    if isinstance(value, Candidate):
        return " ".join(filter(None, [value.name, f"({value.candidate_id})" if value.candidate_id else None]))
    if isinstance(value, JobApplication):
        return value.application_id or label(value.reference)
    if isinstance(value, JobRequisition):
        return " ".join(filter(None, [value.requisition_id, value.title]))
    if isinstance(value, Interview):
        return label(value.reference)
    if isinstance(value, RoleAssignment):
        return f"{label(value.role)}: {label(value.assignees)}"
    if isinstance(value, ScheduledInterview):
        return f"{label(value.start)} {label(value.candidate)}"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={item}" for key, item in value.items())
    if isinstance(value, (tuple, list)):
        shown = [label(item) for item in value[:_MAX_LIST]]
        more = f" … ({len(value)} in all)" if len(value) > _MAX_LIST else ""
        return ", ".join(shown) + more
    if _is_model(value):
        # A model without its own __str__ would show its attrs repr: name it by its reference, else by its class.
        if type(value).__str__ is not object.__str__:
            return str(value)
        reference = getattr(value, "reference", None)
        return label(reference) if isinstance(reference, Reference) else type(value).__name__
    return str(value)


def _field_names(model: object) -> list[str]:
    cls = cast("type[AttrsInstance]", type(model))
    return [field.name for field in attrs.fields(cls)]


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def summary(model: Model) -> dict[str, str]:
    """The model's fields that hold a value, as ``{name: short text}``: computed extras first, then the fields."""
    out: dict[str, str] = {}
    names = [*getattr(model, "_dict_extras", ()), *_field_names(model)]
    for name in names:
        if name == "raw" or name in out:
            continue
        value = getattr(model, name, None)
        if value is None or value == () or value == "":
            continue
        out[name] = _shorten(label(value))
    return out


def _row_values(item: object, columns: Iterable[str]) -> list[str]:
    return [_shorten(label(getattr(item, column, None))) for column in columns]


def _columns_for(items: list[Any]) -> tuple[str, ...]:
    first = items[0]
    name = type(first).__name__
    if name in _COLUMNS:
        return _COLUMNS[name]
    if _is_model(first):
        return tuple(list(summary(first))[:8])
    return ()


# -- HTML ------------------------------------------------------------------------------------------------------------

_STYLE: Final = ' style="text-align:left;vertical-align:top"'


def model_html(model: Model) -> str:
    """A compact two-column table (field, value) of a model's main fields; every value is HTML-escaped."""
    rows = "".join(
        f"<tr><th{_STYLE}>{html.escape(name)}</th><td{_STYLE}>{html.escape(text)}</td></tr>"
        for name, text in summary(model).items()
    )
    caption = html.escape(type(model).__name__)
    return f"<table><caption{_STYLE}>{caption}</caption><tbody>{rows}</tbody></table>"


def records_html(items: list[Any], *, title: str | None = None) -> str:
    """A table with one row per record (the main fields of its class), at most :data:`MAX_HTML_ROWS` rows."""
    count = len(items)
    kind = type(items[0]).__name__ if items else "records"
    caption = title or f"{count} {kind}{'' if count == 1 else ' records'}"
    if not items:
        return f"<p>{html.escape(title or 'No records')}</p>"
    shown = items[:MAX_HTML_ROWS]
    columns = _columns_for(shown)
    if not columns:
        body = "".join(f"<tr><td{_STYLE}>{html.escape(_shorten(label(item)))}</td></tr>" for item in shown)
        head = ""
    else:
        head = "<thead><tr>" + "".join(f"<th{_STYLE}>{html.escape(c)}</th>" for c in columns) + "</tr></thead>"
        body = "".join(
            "<tr>" + "".join(f"<td{_STYLE}>{html.escape(v)}</td>" for v in _row_values(item, columns)) + "</tr>"
            for item in shown
        )
    more = f"<p>… and {count - len(shown)} more</p>" if count > len(shown) else ""
    return f"<table><caption{_STYLE}>{html.escape(caption)}</caption>{head}<tbody>{body}</tbody></table>{more}"


def pager_html(pager: Pager[Any]) -> str:
    """Describe a pager without fetching anything (it is single use): its operation, size, snapshot and state."""
    operation = getattr(pager, "operation", None)
    facts = {
        "operation": operation or "(not named)",
        "page size": str(pager.page_size),
        "max results": "all" if pager.max_results is None else str(pager.max_results),
        "start page": str(pager.start_page),
        "as of": pager.as_of.isoformat() if pager.as_of is not None else "pinned at the first request",
        "state": "started (already iterated)" if pager._started else "not started",
    }
    if pager.total_results is not None:
        facts["total results"] = str(pager.total_results)
    rows = "".join(
        f"<tr><th{_STYLE}>{html.escape(k)}</th><td{_STYLE}>{html.escape(v)}</td></tr>" for k, v in facts.items()
    )
    hint = "Iterate it, or call .collect() or .to_pandas(); a pager can be iterated once."
    return f"<table><caption{_STYLE}>Pager</caption><tbody>{rows}</tbody></table><p>{html.escape(hint)}</p>"


# -- pandas ----------------------------------------------------------------------------------------------------------


def flatten(item: object, prefix: str = "") -> dict[str, Any]:
    """One flat ``{column: value}`` row for a model (see the module docstring for the rules)."""
    from .models import Reference

    if not _is_model(item):
        if isinstance(item, Mapping):
            return {f"{prefix}{key}": value for key, value in item.items()}
        return {prefix.rstrip(".") or "value": item}
    row: dict[str, Any] = {}
    names = [*(n for n in _field_names(item) if n != "raw"), *getattr(item, "_dict_extras", ())]
    for name in names:
        value = getattr(item, name)
        column = f"{prefix}{name}"
        if isinstance(value, Reference):
            row[column] = value.id
            row[f"{column}.descriptor"] = value.descriptor
            row[f"{column}.wid"] = value.wid
        elif _is_model(value):
            row.update(flatten(value, f"{column}."))
        elif isinstance(value, tuple):
            if value and all(isinstance(v, Reference) for v in value):
                row[column] = [v.id for v in value]
            else:
                row[column] = [v.to_dict() if _is_model(v) else v for v in value]
        else:
            row[column] = value
    return row


def to_pandas(items: Iterable[Any]) -> Any:
    """A ``pandas.DataFrame`` with one flattened row per item."""
    pandas = require_pandas()
    return pandas.DataFrame.from_records([flatten(item) for item in items])


class Records(list[T]):
    """A list of records that renders as a table in Jupyter and converts to a pandas DataFrame.

    It is a plain ``list`` otherwise (``Pager.collect()`` and ``client.interviews.for_application()`` return one).
    """

    def _repr_html_(self) -> str:
        return records_html(list(self))

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per record (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed; the message names the extra.
        """
        return to_pandas(self)


# -- progress --------------------------------------------------------------------------------------------------------


def _tqdm(total: int | None, desc: str, unit: str, leave: bool, file: Any) -> Any:
    """A tqdm bar that works in notebooks (tqdm.auto) and terminals; ``None`` when tqdm is not installed."""
    try:
        with warnings.catch_warnings():
            # In Jupyter without ipywidgets, tqdm.auto warns and falls back to the text bar, which is fine here.
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None
    try:
        return tqdm(total=total, desc=desc, unit=unit, leave=leave, file=file)
    except ImportError:  # tqdm.notebook without ipywidgets: fall back to the text bar
        from tqdm.std import tqdm as text_tqdm

        return text_tqdm(total=total, desc=desc, unit=unit, leave=leave, file=file)


class ProgressBar:
    """A progress callback ``(done, total)`` drawn with tqdm (in notebooks too), usable as a context manager.

    Pass it where the SDK takes ``progress=``::

        with ProgressBar("Scanning candidates") as bar:
            sessions = list(client.interviews.upcoming(days=7, progress=bar))

    Without tqdm installed (the ``progress`` extra) or with ``enabled=False`` it does nothing.

    Args:
        desc: The bar's label.
        unit: What is counted.
        enabled: Draw the bar (default: True).
        leave: Keep the finished bar on screen.
        file: Where the text bar goes (default: stderr).
    """

    def __init__(
        self,
        desc: str = "",
        *,
        unit: str = "it",
        enabled: bool = True,
        leave: bool = True,
        file: Any = None,
    ) -> None:
        self.desc = desc
        self.unit = unit
        self.enabled = enabled
        self.leave = leave
        self.file = file if file is not None else sys.stderr
        self._bar: Any = None
        self.done = 0
        self.total: int | None = None

    def __call__(self, done: int, total: int | None) -> None:
        """Report progress: ``done`` of ``total`` (``None`` while unknown)."""
        self.done, self.total = done, total
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = _tqdm(total, self.desc, self.unit, self.leave, self.file)
            if self._bar is None:
                self.enabled = False
                return
        if total is not None and self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()
        if done != self._bar.n:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        """Finish the bar (idempotent)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
