"""Notebook conveniences: HTML tables for models, lists and pagers, ``to_pandas()``, and progress bars.

In Jupyter a model renders as a two-column table of its columns that hold a value, a :class:`Records` list (what
``Pager.collect()`` and ``client.interviews.for_application()`` return) as a table with one row per record (its
brief columns: the fields of its one-line ``repr()``), and a :class:`~workday_recruiting.Pager` as a short
description (rendering never consumes it: a pager is single use). Every value is HTML-escaped. ``to_pandas()``
needs the ``pandas`` extra (``pip install 'workday-recruiting[pandas]'``) and :class:`ProgressBar` the
``progress`` extra (tqdm); without tqdm it does nothing.

What ``to_pandas()`` gives: the columns a person reads, the same as the CSV export's where there is one (about 15
per record: ``candidate_id``, ``name``, ``primary_email``... for candidates; ``start``, ``candidate_name``,
``requisition``, ``interviewers``, ``meeting_url``... for scheduled interviews). A reference is its display name or
ID (beside an ``..._id`` column where a filter needs the ID), several values are joined with ``"; "``, and dates
and datetimes stay Python objects (pandas turns uniform ones into datetime columns).

``to_pandas(columns="all")`` gives everything instead, as flat columns: one column per field; a nested model becomes
dotted columns (``legal_name.first``); a reference becomes ``<field>`` (its first ID, e.g. ``CAND-1187``),
``<field>.descriptor`` and ``<field>.wid``; a tuple of references becomes a list of IDs; other tuples become lists of
plain dicts (``to_dict()``). ``to_dict()`` is the complete JSON-ready form of one model.

The tables, ``repr()``, ``to_pandas()``, the CSV export and the command line's tables all read a model through its
one column spec (``workday_recruiting.models._columns``).
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

from ._records import Records, flatten, require_pandas
from .models._columns import model_html, records_html, summary
from .models._columns import text as label

__all__ = ["ProgressBar", "Records", "flatten", "label", "model_html", "records_html", "require_pandas", "summary"]


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
