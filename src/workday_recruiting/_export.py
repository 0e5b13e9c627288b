"""Streamed, resumable export of one record family to JSON Lines or CSV (``workday-recruiting export``).

Records are written a page at a time and never held all in memory. After every page the output is flushed to
disk and a small state file beside it (``<output>.state.json``) records the snapshot moment
(``As_Of_Entry_DateTime``), the next page and the output's size. An interrupted export resumes with
``resume=True``: the output is cut back to the size of the last complete page and the same snapshot is read on
from the next page, so nothing is lost or repeated. The state file is removed when the export completes.

Families and what one line or row is:

============  ===================================  ==================================================
family        JSON Lines: one line per             CSV: one row per
============  ===================================  ==================================================
candidates    candidate (``Candidate.to_dict()``)  candidate
applications  job application                      job application
requisitions  job requisition                      job requisition
interviews    interview event (with its sessions)  interview session
============  ===================================  ==================================================

JSON Lines carry every field (``to_dict()``). CSV has fixed columns per family (:data:`CSV_COLUMNS`), the columns
of the record's spec (the same as ``to_pandas()``): a reference becomes its ID (``requisition_id``) and, where
useful, its display name (``requisition``); several values in one cell are joined with ``"; "``; datetimes are
ISO 8601 with their offset; booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from ._errors import ConfigurationError
from .models import Candidate, Interview, InterviewSession, JobApplication, JobRequisition
from .models._columns import Column, cell, columns_of

if TYPE_CHECKING:
    from ._client import RecruitingClient
    from ._paging import Pager

__all__ = ["CSV_COLUMNS", "FAMILIES", "FORMATS", "ExportResult", "export", "state_path"]

#: The record families that can be exported.
FAMILIES: Final = ("candidates", "applications", "requisitions", "interviews")
#: The output formats.
FORMATS: Final = ("jsonl", "csv")
_STATE_VERSION: Final = 1


# -- CSV columns -----------------------------------------------------------------------------------------------------
# A CSV row is a record's column spec (the same columns as to_pandas()); an interview event gives one row per session.


def _on(column: Column, side: int) -> Column:
    """``column`` of a model, reading it from side ``side`` of an ``(interview, session)`` pair."""
    return attrs.evolve(column, read=lambda pair: column.read(pair[side]))


def _picked(cls: type, side: int, *names: str) -> tuple[Column, ...]:
    columns = {column.name: column for column in columns_of(cls)}
    return tuple(_on(columns[name], side) for name in names)


#: One row per session: ``(interview, session)``.
_SESSION_COLUMNS: Final[tuple[Column, ...]] = (
    Column("interview_wid", read=lambda pair: pair[0].wid),
    Column("session_wid", read=lambda pair: pair[1].wid),
    *_picked(Interview, 0, "application_id", "candidate_id", "candidate", "requisition_id", "requisition"),
    *_picked(InterviewSession, 1, "start", "end"),
    Column("time_zone", read=lambda pair: pair[1].time_zone or pair[0].time_zone),
    *_picked(InterviewSession, 1, "local_start", "interviewers", "interview_type", "locations"),
)

_GETTERS: Final[Mapping[str, tuple[Column, ...]]] = {
    "candidates": columns_of(Candidate),
    "applications": columns_of(JobApplication),
    "requisitions": columns_of(JobRequisition),
    "interviews": _SESSION_COLUMNS,
}
#: Family -> the CSV header, in order.
CSV_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    family: tuple(column.name for column in columns) for family, columns in _GETTERS.items()
}


def _text(value: Any) -> str:
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def csv_rows(family: str, item: Any) -> list[list[str]]:
    """The CSV rows of one record (one, or one per session for an interview event)."""
    columns = _GETTERS[family]
    subjects: list[Any] = [(item, session) for session in item.sessions] if family == "interviews" else [item]
    return [[_text(column.read(subject)) for column in columns] for subject in subjects]


def json_line(item: Any) -> str:
    """One JSON Lines line (``to_dict()``), newline included."""
    return json.dumps(item.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


# -- state -----------------------------------------------------------------------------------------------------------


def state_path(output: Path) -> Path:
    """The state file of an export to ``output``: ``<output>.state.json`` beside it."""
    return output.with_name(output.name + ".state.json")


@attrs.frozen
class _State:
    family: str
    format: str
    filters: dict[str, Any]
    page_size: int
    as_of: str | None
    next_page: int
    bytes: int
    records: int
    version: int = _STATE_VERSION

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(attrs.asdict(self), indent=2), encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> _State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != _STATE_VERSION:
                raise ValueError("unknown version")
            return cls(**data)
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"the export state file {path} cannot be read ({exc}); delete it to start over"
            ) from None


@attrs.frozen
class ExportResult:
    """What an export wrote.

    Attributes:
        path: The output file (``None`` for stdout).
        family: The record family.
        format: ``jsonl`` or ``csv``.
        records: Records written in all (including those of an earlier run, when resumed).
        pages: Pages read by this run.
        resumed: Whether this run continued an interrupted export.
    """

    path: Path | None
    family: str
    format: str
    records: int
    pages: int
    resumed: bool


# -- the export ------------------------------------------------------------------------------------------------------


def _plain_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in sorted(filters.items()):
        if value is None:
            continue
        out[key] = value.isoformat() if isinstance(value, (datetime, date)) else value
    return out


def _pager(client: RecruitingClient, family: str, filters: Mapping[str, Any], **paging: Any) -> Pager[Any]:
    if family == "candidates":
        return client.candidates.list(**filters, **paging)
    if family == "applications":
        return client.job_applications.list(**filters, **paging)
    if family == "requisitions":
        return client.requisitions.list(**filters, **paging)
    return client.candidates.list(**filters, **paging)  # interviews: read candidate by candidate


def _interviews_of(client: RecruitingClient, candidates: Iterable[Candidate]) -> Iterator[Interview]:
    applications: list[JobApplication] = [app for candidate in candidates for app in candidate.applications]
    for interviews in client.interviews.for_applications(applications):
        yield from interviews


def export(
    client: RecruitingClient,
    family: str,
    fmt: str,
    output: Path | None,
    *,
    filters: Mapping[str, Any] | None = None,
    page_size: int = 100,
    resume: bool = False,
    overwrite: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ExportResult:
    """Export every record of ``family`` to ``output`` (``None``: stdout), a page at a time.

    Args:
        client: The client to read with.
        family: One of :data:`FAMILIES`.
        fmt: ``jsonl`` or ``csv``.
        output: The file to write, or ``None`` for stdout (not resumable).
        filters: Keyword arguments for the family's ``list`` method (``updated_from``, ``requisition``...).
        page_size: Records per request.
        resume: Continue an interrupted export to ``output`` from its state file.
        overwrite: Replace an existing ``output`` instead of refusing.
        progress: Called as ``progress(records read, total)`` after every page.

    Raises:
        ConfigurationError: Unknown family or format, an existing output without ``resume``/``overwrite``, or a
            state file that does not match the request.
    """
    if family not in FAMILIES:
        raise ConfigurationError(f"unknown family {family!r}; choose one of {', '.join(FAMILIES)}")
    if fmt not in FORMATS:
        raise ConfigurationError(f"unknown format {fmt!r}; choose jsonl or csv")
    filters = dict(filters or {})
    plain = _plain_filters(filters)
    if output is None:
        if resume:
            raise ConfigurationError("an export to stdout cannot be resumed; pass --output FILE")
        import sys

        return _run(client, family, fmt, sys.stdout, None, None, filters, page_size, None, 1, 0, progress)
    state_file = state_path(output)
    if resume:
        if not state_file.exists():
            hint = "it completed, or was started without this tool" if output.exists() else "nothing was exported yet"
            raise ConfigurationError(f"no export state file {state_file} to resume from ({hint})")
        state = _State.load(state_file)
        wanted = {"family": family, "format": fmt, "filters": plain, "page_size": page_size}
        found = {"family": state.family, "format": state.format, "filters": state.filters, "page_size": state.page_size}
        if wanted != found:
            diff = ", ".join(f"{k}: {found[k]!r} (now {wanted[k]!r})" for k in wanted if wanted[k] != found[k])
            raise ConfigurationError(f"the interrupted export was started with other settings ({diff})")
        if not output.exists() or output.stat().st_size < state.bytes:
            raise ConfigurationError(f"{output} is shorter than the state file says; delete {state_file} to start over")
        with output.open("r+b") as handle:
            handle.truncate(state.bytes)
        as_of = datetime.fromisoformat(state.as_of) if state.as_of else None
        with output.open("a", encoding="utf-8", newline="") as stream:
            return _run(
                client,
                family,
                fmt,
                stream,
                output,
                state_file,
                filters,
                page_size,
                as_of,
                state.next_page,
                state.records,
                progress,
                resumed=True,
            )
    if output.exists() and not overwrite:
        raise ConfigurationError(
            f"{output} exists; pass --resume to continue an interrupted export or --overwrite to replace it"
        )
    with output.open("w", encoding="utf-8", newline="") as stream:
        return _run(client, family, fmt, stream, output, state_file, filters, page_size, None, 1, 0, progress)


def _run(
    client: RecruitingClient,
    family: str,
    fmt: str,
    stream: IO[str],
    output: Path | None,
    state_file: Path | None,
    filters: dict[str, Any],
    page_size: int,
    as_of: datetime | None,
    start_page: int,
    records: int,
    progress: Callable[[int, int | None], None] | None,
    *,
    resumed: bool = False,
) -> ExportResult:
    if fmt == "csv" and not resumed:
        csv.writer(stream, lineterminator="\n").writerow(CSV_COLUMNS[family])
    plain = _plain_filters(filters)

    def checkpoint(next_page: int, moment: datetime | None) -> None:
        stream.flush()
        if output is None or state_file is None:
            return
        os.fsync(stream.fileno())
        _State(
            family=family,
            format=fmt,
            filters=plain,
            page_size=page_size,
            as_of=moment.isoformat() if moment is not None else None,
            next_page=next_page,
            bytes=output.stat().st_size,
            records=records,
        ).save(state_file)

    checkpoint(start_page, as_of)
    pager = _pager(client, family, filters, page_size=page_size, start_page=start_page, as_of=as_of)
    pages = 0
    for page in pager.pages:
        items: Iterable[Any] = _interviews_of(client, page.items) if family == "interviews" else page.items
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for item in items:
            if fmt == "csv":
                rows = csv_rows(family, item)
                writer.writerows(rows)
                records += len(rows)
            else:
                buffer.write(json_line(item))
                records += 1
        stream.write(buffer.getvalue())
        pages += 1
        checkpoint(pager.next_page, page.as_of)
        if progress is not None:
            progress(min((pager.next_page - 1) * page_size, page.total_results), page.total_results)
    if state_file is not None:
        state_file.unlink(missing_ok=True)
    return ExportResult(path=output, family=family, format=fmt, records=records, pages=pages, resumed=resumed)
