"""The dlt source: ``recruiting_source()``, its five resources, and how each reads only what changed.

``candidates`` and ``job_applications`` come from one read of ``Get_Candidates`` (Workday has no
Get_Job_Applications): a hidden resource, ``candidate_changes``, reads the candidates and both tables are made from
its pages. It and ``requisitions`` follow Workday's transaction log with the SDK's incremental read:

* the first run reads a snapshot (``list()`` pinned to the tenant's clock, ``As_Of_Entry_DateTime``) and seeds a
  :class:`~workday_recruiting.Watermark` at that moment (remembering the versions of the records changed in its last
  ``overlap``, as ``changes()`` does);
* every later run calls ``changes(since=watermark)``, which delivers each record changed since, once, in its latest
  version;
* the watermark (``Watermark.to_json()``) is kept in the resource's dlt state, which dlt commits only when the
  extraction completed and loads to the destination with the data (``_dlt_pipeline_state``). A run that fails or is
  killed before then leaves the state as it was: the next run reads the same window again, and the ``merge`` on the
  primary key absorbs what arrived twice.

The watermark of the candidate read is kept per table (``candidates``, ``job_applications``): a run that selects one
of them moves only that one's watermark on, and a run selecting both reads from the older one.

``interviews`` re-reads the sessions of a forward window each run (``interviews.upcoming()``) and merges them on the
session WID; a session of the previous run that has vanished although it would still be inside the window (cancelled,
or moved out of it) is deleted (dlt's ``hard_delete`` column ``deleted``). ``job_postings`` re-reads the postings
and merges them. Neither has a change feed in Workday.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Generic, TypeVar

import attrs
import dlt
from dlt.extract import DltResource, DltSource
from dlt.extract.exceptions import CurrentSourceNotAvailable

from .._client import DEFAULT_CONCURRENCY, RecruitingClient
from .._errors import ConfigurationError
from .._sync import DEFAULT_OVERLAP, Watermark, fingerprint
from .._sync import _incomplete as incomplete_window
from ..services._base import IncrementalService
from ._rows import CANDIDATES, INTERVIEWS, JOB_APPLICATIONS, JOB_POSTINGS, REQUISITIONS, Row, Table

__all__ = ["DEFAULT_INTERVIEW_DAYS", "DELETED", "RESOURCES", "SOURCE_NAME", "recruiting_source", "vanished_sessions"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")

#: The name of the dlt source (its schema, and the key of its state).
SOURCE_NAME: Final = "workday_recruiting"
#: The resources (tables) of the source, in order.
RESOURCES: Final = ("candidates", "job_applications", "requisitions", "interviews", "job_postings")
#: The forward window of the ``interviews`` resource, in days.
DEFAULT_INTERVIEW_DAYS: Final = 14.0
#: The column whose ``true`` deletes a row of ``interviews`` (dlt's ``hard_delete`` hint).
DELETED: Final = "deleted"
_CANDIDATE_TABLES: Final = ("candidates", "job_applications")


# -- how the source opens its client ----------------------------------------------------------------------------------


@attrs.frozen
class _Connection:
    """How to open a client: the ISU's or the OAuth client's settings (secrets kept out of ``repr``)."""

    wsdl_url: str
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    refresh_token: str | None = attrs.field(default=None, repr=False)
    token_url: str | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict)

    def open(self) -> RecruitingClient:
        if self.client_id is not None:
            return RecruitingClient.from_oauth(
                wsdl_url=self.wsdl_url,
                client_id=self.client_id,
                client_secret=self.client_secret or "",
                refresh_token=self.refresh_token or "",
                token_url=self.token_url,
                **self.options,
            )
        return RecruitingClient(
            wsdl_url=self.wsdl_url, username=self.username or "", password=self.password or "", **self.options
        )


def connection(
    *,
    wsdl_url: str | None,
    username: str | None,
    password: str | None,
    client_id: str | None,
    client_secret: str | None,
    refresh_token: str | None,
    token_url: str | None,
    options: Mapping[str, Any],
) -> _Connection:
    """The settings of an ISU or an OAuth client, checked for what is missing or contradictory.

    Raises:
        ConfigurationError: No ``wsdl_url``, both or neither kind of credentials, or a kind given in part.
    """
    isu = {"username": username, "password": password}
    oauth = {"client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token}
    given_isu = [name for name, value in isu.items() if value is not None]
    given_oauth = [name for name, value in oauth.items() if value is not None]
    if not wsdl_url:
        raise ConfigurationError("wsdl_url is missing: pass the tenant's Recruiting WSDL URL (or client=)")
    if given_isu and given_oauth:
        raise ConfigurationError(
            "pass either username and password (an ISU) or client_id, client_secret and refresh_token (OAuth), not both"
        )
    if not given_isu and not given_oauth:
        raise ConfigurationError(
            "no credentials: pass username and password (an ISU), or client_id, client_secret and refresh_token "
            "(OAuth), or client="
        )
    kind, given = (isu, given_isu) if given_isu else (oauth, given_oauth)
    missing = [name for name in kind if name not in given]
    if missing:
        raise ConfigurationError(f"{' and '.join(missing)} missing (given: {', '.join(given)})")
    return _Connection(
        wsdl_url=wsdl_url,
        username=username,
        password=password,
        client_id=client_id,
        client_secret=client_secret,
        refresh_token=refresh_token,
        token_url=token_url,
        options=dict(options),
    )


class _Clients:
    """The one client a source's resources share while any of them runs (so a tenant's requests stay bounded).

    A client the caller passed is used as it is and never closed; one the source opened is closed when the last
    resource using it finishes (and opened again by a later run of the same source).
    """

    def __init__(self, open_client: Callable[[], RecruitingClient], *, owned: bool) -> None:
        self._open = open_client
        self._owned = owned
        self._lock = threading.Lock()
        self._client: RecruitingClient | None = None
        self._users = 0

    def __repr__(self) -> str:
        return f"<clients of the {SOURCE_NAME} source: {self._users} in use>"

    @contextmanager
    def use(self) -> Iterator[RecruitingClient]:
        with self._lock:
            if self._client is None:
                self._client = self._open()
            client = self._client
            self._users += 1
        try:
            yield client
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._owned:
                    self._client = None
                    client.close()


@attrs.frozen
class _Options:
    tenant: str | None
    interview_days: float
    meeting_links: bool
    page_size: int
    overlap: timedelta
    initial_since: datetime | None


# -- incremental reads ------------------------------------------------------------------------------------------------


class _IncrementalRead(Generic[T]):
    """One incremental read of candidates or requisitions: its pages of records, then :attr:`watermark`."""

    def __init__(
        self,
        client: RecruitingClient,
        service: IncrementalService[T],
        resource: str,
        since: Watermark | None,
        options: _Options,
    ) -> None:
        self._client = client
        self._service = service
        self._resource = resource
        self._since = since
        self._options = options
        #: Where the next read goes on from; set once every page was yielded.
        self.watermark: Watermark | None = None

    def pages(self) -> Iterator[Sequence[T]]:
        """The changed records (every record on the first run), a page at a time."""
        since = self._since if self._since is not None else self._options.initial_since
        if since is None:
            yield from self._snapshot()
            return
        changes = self._service.changes(since=since, overlap=self._options.overlap, page_size=self._options.page_size)
        log.info(
            "%s: %d changed in %s .. %s (%d repeats suppressed)",
            self._resource,
            len(changes),
            changes.window_start.isoformat(),
            changes.window_end.isoformat(),
            changes.repeats_suppressed,
        )
        size = self._options.page_size
        records = changes.records
        for start in range(0, len(records), size):
            yield records[start : start + size]
        self.watermark = changes.next_watermark

    def _snapshot(self) -> Iterator[Sequence[T]]:
        """Every record as of the tenant's clock, then a watermark at that moment (as ``changes()`` would leave)."""
        upper = self._client.server_time().astimezone(timezone.utc)
        size, overlap = self._options.page_size, self._options.overlap
        pager = self._service.list(as_of=upper, page_size=size)
        for page in pager.pages:
            yield page.items
        if pager.complete is not True:
            raise incomplete_window(self._resource, pager)
        seen: dict[str, str] = {}
        if overlap > timedelta(0):
            # The versions changed in the last overlap: the next window reaches back over them and must not repeat
            # them (changes() remembers the same, for the same reason).
            tail = self._service.list(updated_from=upper - overlap, updated_to=upper, as_of=upper, page_size=size)
            for record in tail:
                key = self._service._key(record)
                if key:
                    seen[key] = fingerprint(record)
            if tail.complete is not True:
                raise incomplete_window(self._resource, tail)
        log.info("%s: snapshot as of %s read", self._resource, upper.isoformat())
        self.watermark = Watermark(resource=self._resource, upper=upper, seen=seen)


def _candidate_consumers() -> tuple[str, ...]:
    """The candidate tables the running extraction selected (both when it cannot tell)."""
    try:
        selected = dlt.current.source().selected_resources
    except CurrentSourceNotAvailable:  # pragma: no cover - the resource always runs inside a source
        return _CANDIDATE_TABLES
    chosen = tuple(name for name in _CANDIDATE_TABLES if name in selected)
    return chosen or _CANDIDATE_TABLES


def _oldest(saved: Sequence[str | None]) -> Watermark | None:
    """The watermark to read from: ``None`` (a snapshot) if any consumer has none, else the earliest."""
    if not saved or any(text is None for text in saved):
        return None
    marks = [Watermark.from_json(text) for text in saved if text is not None]
    return min(marks, key=lambda mark: mark.upper)


def vanished_sessions(previous: Mapping[str, str], current: Iterable[str], begin: datetime, end: datetime) -> list[str]:
    """The sessions of the previous run (WID -> start) missing now although their start is inside ``[begin, end)``.

    A session whose start has passed left the window by itself and stays in the table; one still ahead that is no
    longer listed was cancelled, or moved out of the window (it comes back when it enters it again).
    """
    listed = set(current)
    return sorted(
        wid for wid, start in previous.items() if wid not in listed and begin <= datetime.fromisoformat(start) < end
    )


def _keyed(table: Table, models: Sequence[object], tenant: str | None) -> list[Row]:
    rows, keyless = table.rows(models, tenant)
    if keyless:
        log.warning("%s: %d records without a %s were left out", table.name, keyless, table.key)
    return rows


# -- the source -------------------------------------------------------------------------------------------------------


def _table_hints(table: Table, options: _Options, **columns: Any) -> dict[str, Any]:
    """The dlt hints of a table: its name, its primary key, ``merge``, its column types and its child tables'."""
    tenant = {"tenant": {"data_type": "text", "nullable": False}} if options.tenant is not None else {}
    return {
        "name": table.name,
        "primary_key": ("tenant", table.key) if options.tenant is not None else table.key,
        "write_disposition": "merge",
        "columns": {**tenant, **table.hints, **columns},
        "nested_hints": {
            name: {"columns": {column: {"name": column, **hint} for column, hint in hints.items()}}
            for name, hints in table.nested_hints.items()
        },
    }


@dlt.source(name=SOURCE_NAME, max_table_nesting=1)
def _recruiting(clients: _Clients, options: _Options) -> list[DltResource]:
    """The resources (``clients`` and ``options`` have no defaults: dlt injects nothing from its config)."""
    tenant = options.tenant

    def candidate_changes() -> Iterator[Sequence[Any]]:
        state = dlt.current.resource_state()
        marks: dict[str, str] = state.setdefault("watermarks", {})
        consumers = _candidate_consumers()
        with clients.use() as client:
            read = _IncrementalRead(
                client, client.candidates, "candidates", _oldest([marks.get(name) for name in consumers]), options
            )
            yield from read.pages()
        if read.watermark is not None:
            for name in consumers:
                marks[name] = read.watermark.to_json()

    changes = dlt.resource(candidate_changes, name="candidate_changes", selected=False)

    def candidates(page: Sequence[Any]) -> Iterator[list[Row]]:
        yield _keyed(CANDIDATES, page, tenant)

    def job_applications(page: Sequence[Any]) -> Iterator[list[Row]]:
        yield _keyed(JOB_APPLICATIONS, [app for candidate in page for app in candidate.applications], tenant)

    def requisitions() -> Iterator[list[Row]]:
        state = dlt.current.resource_state()
        saved = state.get("watermark")
        with clients.use() as client:
            since = Watermark.from_json(saved) if saved is not None else None
            read = _IncrementalRead(client, client.requisitions, "requisitions", since, options)
            for page in read.pages():
                yield _keyed(REQUISITIONS, page, tenant)
        if read.watermark is not None:
            state["watermark"] = read.watermark.to_json()

    def interviews() -> Iterator[list[Row]]:
        state = dlt.current.resource_state()
        with clients.use() as client:
            begin = client.server_time().astimezone(timezone.utc)  # the tenant's clock, as for the change windows
            end = begin + timedelta(days=options.interview_days)
            sessions = client.interviews.upcoming(
                start=begin, end=end, meeting_links=options.meeting_links, page_size=options.page_size
            )
        rows = {row[INTERVIEWS.key]: row for row in _keyed(INTERVIEWS, sessions, tenant)}
        gone = vanished_sessions(state.get("sessions", {}), rows.keys(), begin, end)
        if gone:
            log.info("interviews: %d sessions of the window are gone (cancelled or moved out): deleted", len(gone))
        extra = {"tenant": tenant} if tenant is not None else {}
        yield [*rows.values(), *({**extra, INTERVIEWS.key: wid, DELETED: True} for wid in gone)]
        state["sessions"] = {wid: row["starts_at"].isoformat() for wid, row in rows.items()}

    def job_postings() -> Iterator[list[Row]]:
        with clients.use() as client:
            for page in client.job_postings.list(page_size=options.page_size).pages:
                yield _keyed(JOB_POSTINGS, page.items, tenant)

    deleted = {DELETED: {"data_type": "bool", "hard_delete": True}}
    return [
        changes,
        dlt.transformer(candidates, data_from=changes, **_table_hints(CANDIDATES, options)),
        dlt.transformer(job_applications, data_from=changes, **_table_hints(JOB_APPLICATIONS, options)),
        dlt.resource(requisitions, **_table_hints(REQUISITIONS, options)),
        dlt.resource(interviews, **_table_hints(INTERVIEWS, options, **deleted)),
        dlt.resource(job_postings, **_table_hints(JOB_POSTINGS, options)),
    ]


def recruiting_source(
    *,
    wsdl_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    refresh_token: str | None = None,
    token_url: str | None = None,
    client: RecruitingClient | None = None,
    tenant_column: bool | str = False,
    interview_days: float = DEFAULT_INTERVIEW_DAYS,
    meeting_links: bool = True,
    page_size: int = 100,
    overlap: timedelta = DEFAULT_OVERLAP,
    initial_since: datetime | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    **client_options: Any,
) -> DltSource:
    """A dlt source of one tenant's recruiting data: five tables, merged on their keys, loaded incrementally.

    Give the ISU's settings (``wsdl_url``, ``username``, ``password``), or the OAuth client's (``wsdl_url``,
    ``client_id``, ``client_secret``, ``refresh_token``, optionally ``token_url``), or a ``client`` of your own.
    Building the source touches no network; the settings are checked at once. Nothing is read from dlt's config
    or secrets implicitly: pass ``dlt.secrets["..."]`` yourself where you keep them there.

    Resources (tables), each ``write_disposition="merge"`` on its primary key:

    ``candidates`` (``candidate_id``), ``job_applications`` (``application_id``), ``requisitions``
    (``requisition_id``), ``interviews`` (``session_wid``: the sessions of the next ``interview_days``, with their
    interviewers) and ``job_postings`` (``posting_id``). Candidates, applications and requisitions follow Workday's
    transaction log from run to run (see the module docstring); interviews and postings are re-read each run.

    Example:
        >>> pipeline = dlt.pipeline("workday_recruiting_acme", destination="duckdb", dataset_name="recruiting")
        >>> pipeline.run(recruiting_source(wsdl_url=url, username="ISU_Recruiting", password=password))

    Args:
        wsdl_url: The tenant's Recruiting WSDL URL.
        username: The ISU's user name.
        password: The ISU's password.
        client_id: The OAuth API client's id.
        client_secret: The OAuth API client's secret.
        refresh_token: The OAuth refresh token.
        token_url: The OAuth token endpoint (default: derived from the WSDL URL).
        client: A client to read with instead (you keep it open and close it; the settings above must be absent).
        tenant_column: Add a ``tenant`` column to every table and to its primary key, so that several tenants can
            share one dataset: ``True`` for the tenant's name in the WSDL URL, or the name to use.
        interview_days: The forward window of ``interviews``, in days.
        meeting_links: Read the interviews' meeting links (one more request per interview event).
        page_size: Records per request, 1 to 999.
        overlap: How far each change window reaches back (see ``Watermark``); keep it the same between runs.
        initial_since: On the first run, read the changes since this moment instead of a snapshot of everything.
        max_concurrency: Requests in flight at once to this tenant (for the client the source opens).
        client_options: Other keyword arguments of :class:`~workday_recruiting.RecruitingClient` (``timeouts``,
            ``retry``, ``allow_insecure_http`` ...) for the client the source opens.

    Raises:
        ConfigurationError: Missing or contradictory settings (before any request).
    """
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 999:
        raise ConfigurationError(f"page_size must be 1 to 999, got {page_size!r}")
    if not interview_days > 0:
        raise ConfigurationError(f"interview_days must be above 0, got {interview_days!r}")
    if not isinstance(overlap, timedelta) or overlap < timedelta(0):
        raise ConfigurationError(f"overlap must be a timedelta of zero or more, got {overlap!r}")
    if initial_since is not None and (initial_since.tzinfo is None or initial_since.utcoffset() is None):
        raise ConfigurationError("initial_since must be timezone-aware, e.g. datetime(2026, 1, 1, tzinfo=timezone.utc)")
    settings = (wsdl_url, username, password, client_id, client_secret, refresh_token, token_url)
    if client is not None:
        if any(value is not None for value in settings) or client_options:
            raise ConfigurationError(
                "pass either client= or the connection settings (wsdl_url, credentials, client options), not both"
            )
        clients = _Clients(lambda: client, owned=False)
        tenant = client.tenant
    else:
        settings_ = connection(
            wsdl_url=wsdl_url,
            username=username,
            password=password,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            token_url=token_url,
            options={**client_options, "max_concurrency": max_concurrency},
        )
        with settings_.open() as checked:  # the client's own checks (URL, credentials' form), no request
            tenant = checked.tenant
        clients = _Clients(settings_.open, owned=True)
    if isinstance(tenant_column, str) and not tenant_column.strip():
        raise ConfigurationError("tenant_column is an empty name; pass True (the WSDL URL's tenant) or a name")
    options = _Options(
        tenant=tenant_column if isinstance(tenant_column, str) else (tenant if tenant_column else None),
        interview_days=float(interview_days),
        meeting_links=meeting_links,
        page_size=page_size,
        overlap=overlap,
        initial_since=initial_since,
    )
    return _recruiting(clients, options)
