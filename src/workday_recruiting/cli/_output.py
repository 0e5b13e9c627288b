"""What the commands print: streamed tables, JSON Lines, one record as name/value lines, interview sessions.

The columns of each table are together below, one small list per table kind, and each kind has one function taking
the records (:func:`candidates`, :func:`applications`, :func:`requisitions`): the seam where the tables can take
their columns from the models' column specs. Where a filter flag takes a Workday ID (``--stage``, ``--status``,
``--requisition``), the column shows the ID beside the name (``INTERVIEW Interview``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, TextIO

import attrs

from ..models import Candidate, JobApplication, JobRequisition, ScheduledInterview
from ..models._columns import columns_of, id_and_name, json_value, spec_of, summary, text


@attrs.frozen
class Column:
    """One column of a table: its header, its width (the last column is never cut) and how to read a record's cell."""

    header: str
    width: int
    cell: Callable[[Any], object]


def ref_text(ref: Any) -> str:
    """``R-00026 Senior Recruiter``: the ID and the display name, without repeating the ID."""
    return id_and_name(ref)


#: The widths of each table's columns; the columns themselves are the model's brief ones (its ``repr`` and its row in
#: a notebook table), so a column added to a model's spec shows here too.
_WIDTHS: Final[Mapping[type, Sequence[int]]] = {
    Candidate: (12, 28, 36, 22, 12),
    JobApplication: (24, 24, 34, 26, 10, 20),
    JobRequisition: (10, 34, 18, 24, 24),
}


def columns_for(model: type) -> tuple[Column, ...]:
    """The table columns of a model class: its spec's brief columns, at this table's widths (20 where none is set)."""
    spec = spec_of(model)
    assert spec is not None  # noqa: S101 - only models have tables
    widths = _WIDTHS.get(model, ())
    return tuple(
        Column(c.header, widths[i] if i < len(widths) else 20, _text_of(c.read)) for i, c in enumerate(spec.brief)
    )


def _text_of(read: Callable[[Any], object]) -> Callable[[Any], str]:
    return lambda record: text(read(record))


CANDIDATE_COLUMNS: Final[Sequence[Column]] = columns_for(Candidate)
APPLICATION_COLUMNS: Final[Sequence[Column]] = columns_for(JobApplication)
REQUISITION_COLUMNS: Final[Sequence[Column]] = columns_for(JobRequisition)


@attrs.define
class Output:
    """Where a command writes: records on ``out`` (a table, or JSON Lines with ``--json``), counts on ``err``."""

    out: TextIO
    err: TextIO
    as_json: bool = False

    def emit(self, record: Mapping[str, Any]) -> None:
        """One JSON Lines record."""
        self.out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")

    def listing(self, records: Iterable[Any], columns: Sequence[Column], noun: str) -> int:
        """Stream records: JSON Lines of ``to_dict()`` with ``--json``, else a table and a count line on stderr."""
        if self.as_json:
            for record in records:
                self.emit(record.to_dict())
            return 0
        count = self.table(([c.cell(record) for c in columns] for record in records), columns)
        self.err.write(f"{count} {noun}{'' if count == 1 else 's'}\n")
        return count

    def table(self, rows: Iterable[Sequence[object]], columns: Sequence[Column]) -> int:
        """Print a streamed table with fixed column widths (the last column is not cut); return the row count.

        The header is printed with the first row (or at the end when there is none), so an error before any record
        arrives leaves stdout empty.
        """
        widths = [c.width for c in columns]

        def line(cells: Sequence[object]) -> str:
            parts = [_cut(c, w).ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True)]
            return "  ".join([*parts, "" if cells[-1] is None else str(cells[-1])]).rstrip()

        header = line([c.header for c in columns])
        count = 0
        for row in rows:
            if count == 0:
                self.out.write(header + "\n")
            self.out.write(line(row) + "\n")
            count += 1
        if count == 0:
            self.out.write(header + "\n")
        return count

    def record(self, record: Any, extra: Iterable[tuple[str, str]] = ()) -> None:
        """One record: its ``to_dict()`` with ``--json``, else its summary as aligned name/value lines."""
        if self.as_json:
            self.emit(record.to_dict())
            return
        rows = [(name.replace("_", " ").capitalize(), text) for name, text in summary(record).items()]
        rows += extra
        width = max(len(name) for name, _ in rows) if rows else 10
        for name, value in rows:
            self.out.write(f"{name:<{width}}  {value}\n")

    def sessions(self, sessions: Sequence[Any], days: float) -> None:
        """Upcoming interview sessions: JSON Lines of :func:`session_record`, else a block each and a count line."""
        if self.as_json:
            for item in sessions:
                self.emit(session_record(item))
            return
        for item in sessions:
            self.out.write(session_text(item))
        span = f"{days:g} day{'' if days == 1 else 's'}"
        self.out.write(f"{len(sessions)} interview session{'' if len(sessions) == 1 else 's'} in the next {span}.\n")


# -- one function per table kind (the seam for the models' column specs) ---------------------------------------------


def candidates(output: Output, records: Iterable[Any]) -> int:
    """The candidates table (or JSON Lines); return the count."""
    return output.listing(records, CANDIDATE_COLUMNS, "candidate")


def applications(output: Output, records: Iterable[Any]) -> int:
    """The job applications table (or JSON Lines); return the count."""
    return output.listing(records, APPLICATION_COLUMNS, "application")


def requisitions(output: Output, records: Iterable[Any]) -> int:
    """The job requisitions table (or JSON Lines); return the count."""
    return output.listing(records, REQUISITION_COLUMNS, "requisition")


def candidate_applications(candidate: Any) -> list[tuple[str, str]]:
    """The lines ``candidates get`` adds under a candidate: one per application, with requisition and stage IDs."""
    return [
        (
            f"Application {a.application_id or a.wid}",
            f"{ref_text(a.requisition)} · {ref_text(a.stage)}" + (f" · {a.disposition}" if a.disposition else ""),
        )
        for a in candidate.applications
    ]


# -- interview sessions ----------------------------------------------------------------------------------------------


def session_record(item: Any) -> dict[str, Any]:
    """The JSON form of one upcoming interview session (a :class:`ScheduledInterview`): its spec's columns."""
    return {column.name: json_value(column.read(item)) for column in columns_of(ScheduledInterview)}


def session_text(item: Any) -> str:
    """One upcoming interview session as a block of lines (and a blank line)."""
    session = item.session
    candidate = item.candidate
    interviewers = ", ".join(str(i) for i in item.interviewers) or "(none listed)"
    lines = [
        _local_when(session.local_start, session.local_end, item.time_zone),
        f"  Candidate     {candidate.name or '(no name)'} ({candidate.candidate_id or candidate.wid})",
        f"  Email         {candidate.primary_email or '-'}",
        f"  Phone         {candidate.primary_phone or '-'}",
        f"  Requisition   {ref_text(item.requisition) or '-'}",
        f"  Interviewers  {interviewers}",
        f"  Meeting       {item.meeting_url or '-'}",
    ]
    return "\n".join(lines) + "\n\n"


def _local_when(start: datetime, end: datetime, zone: str | None) -> str:
    offset = start.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = f"{zone} ({offset})" if zone else offset
    return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {name}"


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for a stream that cannot tell)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _cut(text: object, width: int) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"
