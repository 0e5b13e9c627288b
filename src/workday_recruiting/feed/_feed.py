"""The interview feed: every change to the interview sessions of a window, in requests that grow with the changes.

A steady-state poll asks Workday for:

1. the tenant's clock and the candidates changed since the last poll (``candidates.changes()``: the transaction log);
2. the interview events of those candidates' applications that can hold one (not dispositioned, in an
   interview-holding stage), ``max_concurrency`` at a time;
3. the known events of the window again, by reference, up to 999 a request: this catches moves and cancellations
   that stamp nothing in the transaction log;
4. meeting links (``Get_Web_Conference_Interview_Data``) only for events that are new, changed, or whose candidate
   changed; the rest are kept in the state.

A **reconcile** (the first poll, then every ``reconcile_every``, or ``poll(reconcile=True)``) reads the whole window
the way :meth:`~workday_recruiting.services.interviews.InterviewsService.upcoming` does (the listing where the tenant
answers it, else the stage scan), re-reads every known event, and reads every meeting link again: it catches what
the cheap path cannot see (an event scheduled or moved with nothing in the transaction log). Its findings are ordinary
changes.

The poll's findings, its new watermark and the new changes are committed in one transaction of the store, so a poll
killed midway leaves nothing behind, and the next one finds the same changes. Changes stay in the outbox until
acknowledged.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, overload

import attrs
from lxml import etree

from .._errors import ConfigurationError, NotFoundError, ValidationError
from .._paging import MAX_PAGE_SIZE
from .._sync import Watermark
from .._xml import parse_bytes
from ..models import (
    Candidate,
    Interview,
    InterviewSession,
    JobApplication,
    ScheduledInterview,
    WebConference,
)
from ._changes import InterviewChange, SessionValues
from ._store import (
    EventRow,
    FeedLockedError,
    FeedState,
    FeedStateError,
    FeedStore,
    SessionRow,
    SQLiteFeedStore,
    StateUpdate,
    StoredChange,
    StoredEvent,
    decode_body,
    encode_body,
)

if TYPE_CHECKING:
    from types import TracebackType

    from ..services.candidates import CandidatesService
    from ..services.interviews import ConferenceStatus, InterviewsService, Strategy
    from ..webhooks import Attempt, DeliveryPolicy, DeliveryReport, Sink

__all__ = ["ChangeBatch", "InterviewFeed", "open_store"]

log = logging.getLogger("workday_recruiting")

_FAR: Final = timedelta(days=3650)  # how far ahead a reconcile looks for events to park
_STRATEGIES: Final = ("auto", "listing", "scan", "scan_all")


def open_store(state: str | os.PathLike[str] | FeedStore | None, *, tenant: str) -> FeedStore:
    """The store for ``state``: a path (SQLite), a store (its tenant key must be ``tenant``), or None (memory)."""
    if isinstance(state, FeedStore):
        if state.tenant != tenant:
            raise ConfigurationError(f"the state store is for tenant {state.tenant!r}, not {tenant!r}")
        return state
    if state is None:
        return SQLiteFeedStore(":memory:", tenant=tenant)
    if isinstance(state, (str, os.PathLike)):
        return SQLiteFeedStore(Path(state), tenant=tenant)
    raise ConfigurationError(f"state must be a file path, a FeedStore or None, got {type(state).__name__}")


class ChangeBatch:
    """The changes a poll delivers: every change not acknowledged yet, oldest first.

    Iterate it, then :meth:`ack`; or use it as a context manager, which acknowledges on a clean exit (an exception
    leaves every change pending, delivered again by the next poll). The batch holds the changes as the state keeps
    them (compressed) and builds each :class:`InterviewChange` as it is reached, so iterating a first poll's
    thousands of changes holds one at a time.
    """

    def __init__(
        self, stored: Iterable[StoredChange], store: FeedStore, build: Callable[[StoredChange], InterviewChange]
    ) -> None:
        self._stored = tuple(stored)
        self._store = store
        self._build = build
        self.acked = False

    def __iter__(self) -> Iterator[InterviewChange]:
        return (self._build(stored) for stored in self._stored)

    def __len__(self) -> int:
        return len(self._stored)

    def __bool__(self) -> bool:
        return bool(self._stored)

    @overload
    def __getitem__(self, index: int) -> InterviewChange: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[InterviewChange, ...]: ...

    def __getitem__(self, index: int | slice) -> InterviewChange | tuple[InterviewChange, ...]:
        if isinstance(index, slice):
            return tuple(self._build(stored) for stored in self._stored[index])
        return self._build(self._stored[index])

    @property
    def ids(self) -> tuple[str, ...]:
        """The change IDs, oldest first."""
        return tuple(stored.change_id for stored in self._stored)

    @property
    def changes(self) -> tuple[InterviewChange, ...]:
        """Every change, built at once (a list of thousands holds them all: iterate instead)."""
        return tuple(self)

    def ack(self, changes: Iterable[InterviewChange | str] | None = None) -> int:
        """Acknowledge the batch's changes (or only ``changes``): they are never delivered again.

        Returns:
            How many were still pending (an acknowledged change acknowledged again counts 0).
        """
        ids = self.ids if changes is None else [c.id if isinstance(c, InterviewChange) else c for c in changes]
        removed = self._store.ack(ids)
        if changes is None:
            self.acked = True
        return removed

    def __enter__(self) -> ChangeBatch:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None and not self.acked:
            self.ack()

    def __repr__(self) -> str:
        kinds: dict[str, int] = {}
        for stored in self._stored:
            kinds[stored.kind] = kinds.get(stored.kind, 0) + 1
        shown = ", ".join(f"{k}={n}" for k, n in sorted(kinds.items())) or "empty"
        return f"<ChangeBatch {len(self._stored)} changes ({shown}){' acked' if self.acked else ''}>"


class _Renewal:
    """Renews a poller's lease every third of its time to live while a poll runs (a reconcile of a large tenant can
    take longer than the lease), so that only a poller that stalled or died loses it."""

    def __init__(self, store: FeedStore, owner: str, ttl: float) -> None:
        self._store, self._owner, self._ttl = store, owner, ttl
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workday-feed-lease", daemon=True)

    def __enter__(self) -> _Renewal:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(max(self._ttl / 3, 0.05)):
            try:
                if not self._store.acquire(self._owner, self._ttl):
                    log.warning("the interview feed's lease was taken over during a poll; the poll will not commit")
                    return
            except Exception as exc:  # the commit's fencing decides; the renewal only helps it
                log.warning("could not renew the interview feed's lease (%s); trying again", exc)


@attrs.frozen
class _Seen:
    """An event read in this poll, with what places it (candidate and application, when at hand)."""

    interview: Interview
    candidate_id: str
    application_id: str
    candidate_xml: bytes | None = None


class InterviewFeed:
    """Every change to the interview sessions of the next ``days`` days: :meth:`poll`, then acknowledge.

    Built by :meth:`client.interviews.feed() <workday_recruiting.services.interviews.InterviewsService.feed>`.
    Safe to share between threads (polls are serialised); processes sharing a store take turns through its lease.
    """

    def __init__(
        self,
        interviews: InterviewsService,
        candidates: CandidatesService,
        store: FeedStore,
        *,
        days: float = 14,
        reconcile_every: timedelta | None = timedelta(days=1),
        meeting_links: bool = True,
        stages: set[str],
        strategy: Strategy = "auto",
        lease_ttl: float = 900.0,
    ) -> None:
        if isinstance(days, bool) or not isinstance(days, (int, float)) or not math.isfinite(days) or days <= 0:
            raise ConfigurationError(f"days must be a positive number, got {days!r}")
        if reconcile_every is not None and (
            not isinstance(reconcile_every, timedelta) or reconcile_every <= timedelta(0)
        ):
            raise ConfigurationError(f"reconcile_every must be a positive timedelta or None, got {reconcile_every!r}")
        if strategy not in _STRATEGIES:
            raise ConfigurationError(f"strategy must be one of {', '.join(_STRATEGIES)}, got {strategy!r}")
        if not stages:
            raise ConfigurationError("stages must name at least one recruiting stage")
        if isinstance(lease_ttl, bool) or not isinstance(lease_ttl, (int, float)) or not lease_ttl > 0:
            raise ConfigurationError(f"lease_ttl must be a positive number of seconds, got {lease_ttl!r}")
        self._interviews = interviews
        self._candidates = candidates
        self._store = store
        self.days = float(days)
        self.reconcile_every = reconcile_every
        self.meeting_links = meeting_links
        self._stages = set(stages)
        self._strategy: Strategy = strategy
        self._lease_ttl = lease_ttl
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._lock = threading.Lock()

    @property
    def store(self) -> FeedStore:
        """Where the feed keeps its state."""
        return self._store

    @property
    def tenant(self) -> str:
        """The tenant key the state is kept under."""
        return self._store.tenant

    def __repr__(self) -> str:
        return f"<InterviewFeed tenant={self.tenant!r} days={self.days:g} store={self._store!r}>"

    def __enter__(self) -> InterviewFeed:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the state store (the client stays open)."""
        self._store.close()

    # -- the public calls ------------------------------------------------------------------------------------------

    def poll(self, *, reconcile: bool = False) -> ChangeBatch:
        """Look for changes, then return every change not acknowledged yet (those of earlier polls first).

        Args:
            reconcile: Re-read the whole window now (also done on the first poll and every ``reconcile_every``).

        Raises:
            FeedLockedError: Another poller holds this tenant's feed.
            FeedStateError: The state cannot be used; nothing was changed.
            WorkdayError: Workday failed (after retries); the state is as before, and the next poll tries again.
        """
        with self._lock:
            if not self._store.acquire(self._owner, self._lease_ttl):
                raise FeedLockedError(
                    f"another poller holds the interview feed of tenant {self.tenant!r}; try again after it finishes"
                )
            try:
                with _Renewal(self._store, self._owner, self._lease_ttl):
                    state = self._store.load()
                    update = _Poll(self, state, reconcile).run()
                    self._store.commit(update, owner=self._owner)
            finally:
                self._store.release(self._owner)
        return self.pending()

    def pending(self) -> ChangeBatch:
        """The changes not acknowledged yet, without asking Workday anything."""
        return ChangeBatch(self._store.pending(), self._store, self._change)

    def ack(self, changes: Iterable[InterviewChange | str]) -> int:
        """Acknowledge these changes (or change IDs): they are never delivered again. Returns how many were pending."""
        return self._store.ack(c.id if isinstance(c, InterviewChange) else c for c in changes)

    def deliver(
        self,
        sink: Sink,
        *,
        policy: DeliveryPolicy | None = None,
        wait: float = 0.0,
        should_stop: Callable[[], bool] | None = None,
        on_attempt: Callable[[Attempt], None] | None = None,
    ) -> DeliveryReport:
        """Send the pending changes to ``sink`` (a :class:`~workday_recruiting.webhooks.WebhookSink`, say), in order
        per interview event, and acknowledge each one it accepts; see ``docs/push.md``.

        A change the sink could not take now waits in the outbox for its next attempt (``policy``), across
        restarts; one it refuses for good becomes a dead letter (:meth:`FeedStore.dead_letters`). Runs under the
        feed's lease, like :meth:`poll`.

        Args:
            sink: Where the changes go.
            policy: When failed changes are tried again (default :class:`~workday_recruiting.webhooks.DeliveryPolicy`).
            wait: Keep retrying the changes that failed for up to this many seconds (0: one pass over what is due).
            should_stop: Asked between two changes; True ends the delivery early.
            on_attempt: Told of every attempt (:class:`~workday_recruiting.webhooks.Attempt`).

        Raises:
            FeedLockedError: Another poller holds this tenant's feed.
            FeedStateError: The state cannot be used.
        """
        from ..webhooks._delivery import deliver_pending

        with self._lock:
            return deliver_pending(
                self._store,
                sink,
                self._change,
                owner=self._owner,
                lease_ttl=self._lease_ttl,
                policy=policy,
                wait=wait,
                should_stop=should_stop,
                on_attempt=on_attempt,
            )

    # -- building changes --------------------------------------------------------------------------------------------

    def _change(self, stored: StoredChange) -> InterviewChange:
        body = decode_body(stored.body)
        try:
            scheduled = _scheduled_from(body)
            previous = SessionValues.from_json(body["previous"]) if body.get("previous") else None
            return InterviewChange(
                id=stored.change_id,
                kind=body["kind"],
                scheduled=scheduled,
                previous=previous,
                changed=tuple(body.get("changed", ())),
                detected_at=datetime.fromisoformat(body["detected_at"]),
                tenant=str(body.get("tenant", self.tenant)),
            )
        except (KeyError, TypeError, ValueError, etree.XMLSyntaxError) as exc:
            raise FeedStateError(f"the change {stored.change_id} in the feed's outbox is corrupt ({exc})") from None


class _Poll:
    """One poll's work: what to read, and the changes it implies against the state."""

    def __init__(self, feed: InterviewFeed, state: FeedState, reconcile: bool) -> None:
        self.feed = feed
        self.state = state
        self.store = feed._store
        self.interviews = feed._interviews
        self.candidates = feed._candidates
        self.full = reconcile or state.watermark is None or self._reconcile_due()
        self.by_event: dict[str, dict[str, SessionRow]] = {}
        for row in state.sessions.values():
            self.by_event.setdefault(row.event_wid, {})[row.session_wid] = row
        self.changed: dict[str, bytes] = {}  # the XML of the candidates read in this poll, by Candidate_ID

    def _reconcile_due(self) -> bool:
        every, last = self.feed.reconcile_every, self.state.last_reconcile
        if every is None:
            return False
        return last is None or last + every <= datetime.now(timezone.utc)

    # -- reading ---------------------------------------------------------------------------------------------------

    def run(self) -> StateUpdate:
        seen: dict[str, _Seen] = {}
        since = self.state.watermark
        if self.full or since is None:
            now = self.interviews._server_time()
            watermark = Watermark("candidates", upper=now)
            self._reconcile(now, seen)
        else:
            change_set = self.candidates.changes(since=since)
            watermark = change_set.next_watermark
            now = watermark.upper
            self._discover(now, list(change_set), seen)
        horizon = now + timedelta(days=self.feed.days)
        reread = [
            wid
            for wid, row in self.state.events.items()
            if wid not in seen and (wid in self.by_event or self.full or (row.next_start and row.next_start < horizon))
        ]
        fresh, gone = self._reread(reread)
        for wid, interview in fresh.items():
            row = self.state.events[wid]
            seen[wid] = _Seen(interview, row.candidate_id, row.application_id, self.changed.get(row.candidate_id))
        return self._diff(now, horizon, watermark, seen, gone)

    def _reconcile(self, now: datetime, seen: dict[str, _Seen]) -> None:
        found = self.interviews.find(now, now + _FAR, stage_ids=self.feed._stages, strategy=self.feed._strategy)
        for candidate, application, interview, _session in found:
            if interview.wid and interview.wid not in seen:
                xml = self._remember(candidate)
                seen[interview.wid] = _Seen(
                    interview, candidate.candidate_id or "", application.application_id or "", xml
                )

    def _discover(self, now: datetime, changed: list[Candidate], seen: dict[str, _Seen]) -> None:
        """The events of the changed candidates' applications that can hold a future interview."""
        stages = self.feed._stages
        pairs: list[tuple[Candidate, JobApplication]] = []
        for candidate in changed:
            self._remember(candidate)
            pairs.extend((candidate, app) for app in candidate.applications if app.open_in(stages))
        for (candidate, application), events in zip(
            pairs, self.interviews.for_applications(app for _, app in pairs), strict=True
        ):
            for interview in events:
                if interview.wid and any(s.start >= now for s in interview.sessions):
                    seen[interview.wid] = _Seen(
                        interview,
                        candidate.candidate_id or "",
                        application.application_id or "",
                        self.changed.get(candidate.candidate_id or ""),
                    )

    def _reread(self, wids: list[str]) -> tuple[dict[str, Interview], set[str]]:
        """Known events read again by reference (999 a request); the WIDs Workday no longer has."""
        found: dict[str, Interview] = {}
        gone: set[str] = set()
        for offset in range(0, len(wids), MAX_PAGE_SIZE):  # one request each: a refused one is halved alone
            self._reread_chunk(wids[offset : offset + MAX_PAGE_SIZE], found, gone)
        return found, gone

    def _reread_chunk(self, wids: list[str], found: dict[str, Interview], gone: set[str]) -> None:
        try:
            read = self.interviews.get_many(wids)
        except ValidationError as exc:
            if not _names_invalid_reference(exc):
                raise
            if len(wids) == 1:
                gone.add(wids[0])  # Workday refuses the reference: the event is gone
                return
            # Which reference Workday refuses is in a message whose wording is not documented: halve the batch.
            middle = len(wids) // 2
            self._reread_chunk(wids[:middle], found, gone)
            self._reread_chunk(wids[middle:], found, gone)
            return
        by_wid = {interview.wid: interview.detached() for interview in read if interview.wid}  # not the page
        for wid in wids:
            if wid in by_wid:
                found[wid] = by_wid[wid]
            else:
                gone.add(wid)  # not in the answer: omitted as cancelled or deleted

    # -- comparing -------------------------------------------------------------------------------------------------

    def _diff(
        self, now: datetime, horizon: datetime, watermark: Watermark, seen: dict[str, _Seen], gone: set[str]
    ) -> StateUpdate:
        state = self.state
        conferences = self._conferences(now, horizon, seen) if self.feed.meeting_links else {}
        dead = set(gone) | {w for w, (status, _) in conferences.items() if status in ("not_in_progress", "unknown")}
        events: list[StoredEvent] = []
        drop_events: list[str] = []
        sessions: list[SessionRow] = []
        drop_sessions: list[str] = []
        pending: list[tuple[str, _Emit]] = []

        for wid, item in seen.items():
            if wid in dead:
                continue
            answer = conferences.get(wid)
            # Not read in this poll: the stored answer, read from the state only if a change needs it.
            conference = answer[1] if answer is not None else _Lazy(functools.partial(self._stored_conference, wid))
            status = answer[0] if answer is not None else (state.events[wid].conference if wid in state.events else "")
            interview = item.interview
            future = [s for s in interview.sessions if s.wid and s.start >= now]
            known = self.by_event.get(wid, {})
            for session in future:
                session_wid = session.wid or ""
                row = state.sessions.get(session_wid)
                meeting_url = _meeting_url(conference, session, row)
                values = SessionValues.from_parts(interview, session, meeting_url)
                if row is not None:
                    differs = values.differs(row.values)
                    if differs:
                        kind = "rescheduled" if {"start", "end"} & set(differs) else "updated"
                        sessions.append(SessionRow(session_wid, wid, row.version + 1, values))
                        pending.append((wid, _Emit(kind, item, session, _get(conference), row.values, differs)))
                elif session.start < horizon:
                    sessions.append(SessionRow(session_wid, wid, 1, values))
                    pending.append((wid, _Emit("scheduled", item, session, _get(conference), None, ())))
            present = {s.wid for s in interview.sessions}
            future_wids = {s.wid for s in future}
            for session_wid, row in known.items():
                if session_wid in future_wids:
                    continue
                drop_sessions.append(session_wid)
                if session_wid not in present and row.values.start >= now:
                    pending.append((wid, _Emit.cancelled(row)))  # the session was removed from the event
            if future:
                events.append(self._stored_event(item, status or "unchecked", conference, future))
            elif wid in state.events:
                drop_events.append(wid)

        for wid in dead:
            for session_wid, row in self.by_event.get(wid, {}).items():
                drop_sessions.append(session_wid)
                if row.values.start >= now:
                    pending.append((wid, _Emit.cancelled(row)))
            if wid in state.events:
                drop_events.append(wid)

        touched = set(seen) | dead
        for session_wid, row in state.sessions.items():
            if row.event_wid not in touched and row.values.start < now:
                drop_sessions.append(session_wid)  # it happened: nothing to deliver
        for wid, event in state.events.items():
            ended = event.next_start is None or event.next_start < now
            if wid not in touched and ended and all(r.values.start < now for r in self.by_event.get(wid, {}).values()):
                drop_events.append(wid)

        changes = [self._stored_change(wid, emit, now) for wid, emit in pending]
        return StateUpdate(
            watermark=watermark,
            last_poll=now,
            last_reconcile=now if self.full else None,
            events=events,
            drop_events=sorted(set(drop_events)),
            candidates=[(cid, xml) for cid, xml in self.changed.items() if cid],
            sessions=sessions,
            drop_sessions=sorted(set(drop_sessions)),
            changes=changes,
        )

    def _conferences(
        self, now: datetime, horizon: datetime, seen: dict[str, _Seen]
    ) -> dict[str, tuple[ConferenceStatus, WebConference | None]]:
        """Read the meeting data of the events that need it: every event in the window on a reconcile; else the
        new, the changed, and those of changed candidates (a cancelled event kept in Get_Interviews shows there)."""
        wanted: list[str] = []
        for wid, item in seen.items():
            in_window = [s for s in item.interview.sessions if s.wid and now <= s.start < horizon]
            if not in_window:
                continue
            known = self.by_event.get(wid, {})
            if self.full or wid not in self.state.events or item.candidate_id in self.changed:
                wanted.append(wid)
                continue
            for session in in_window:
                row = known.get(session.wid or "")
                if row is None or _without_link(SessionValues.from_parts(item.interview, session, None)) != (
                    _without_link(row.values)
                ):
                    wanted.append(wid)
                    break
        return self.interviews.conferences(wanted)

    def _stored_conference(self, wid: str) -> WebConference | None:
        if wid not in self.state.events:
            return None
        stored = self.store.event_xml(wid)
        if stored is None or stored[1] is None:
            return None
        return WebConference.from_xml(parse_bytes(stored[1]))

    def _stored_event(
        self, item: _Seen, status: str, conference: WebConference | _Lazy | None, future: list[InterviewSession]
    ) -> StoredEvent:
        wid = item.interview.wid or ""
        row = EventRow(wid, item.candidate_id, item.application_id, min(s.start for s in future), status)
        if isinstance(conference, _Lazy):  # the stored answer stays as it is
            return StoredEvent(row, _xml(item.interview.raw), None, conference_read=False)
        return StoredEvent(
            row,
            _xml(item.interview.raw),
            _xml(conference.raw) if conference is not None and conference.raw is not None else None,
        )

    def _stored_change(self, wid: str, emit: _Emit, now: datetime) -> StoredChange:
        tenant = self.feed.tenant
        if emit.item is None:  # cancelled: as last seen
            stored = self.store.event_xml(wid)
            if stored is None:
                raise FeedStateError(f"the feed's state lost the last version of interview event {wid}")
            interview_xml, conference_xml, candidate_xml = stored
            row = self.state.events[wid]
            application_id = row.application_id
        else:
            item = emit.item
            interview_xml = _xml(item.interview.raw)
            conference_xml = (
                _xml(emit.conference.raw) if emit.conference is not None and emit.conference.raw is not None else None
            )
            candidate_xml = item.candidate_xml or self._candidate_xml(item.candidate_id, wid)
            application_id = item.application_id
        if candidate_xml is None:
            raise FeedStateError(f"the feed's state has no candidate for interview event {wid}")
        body: dict[str, Any] = {
            "kind": emit.kind,
            "tenant": tenant,
            "detected_at": now.isoformat(),
            "session_wid": emit.session_wid,
            "application_id": application_id,
            "interview_xml": interview_xml.decode("utf-8"),
            "conference_xml": conference_xml.decode("utf-8") if conference_xml else None,
            "candidate_xml": candidate_xml.decode("utf-8"),
            "previous": emit.previous.to_json() if emit.previous is not None else None,
            "changed": list(emit.changed),
        }
        return StoredChange(
            change_id=f"ic_{uuid.uuid4().hex}",
            event_wid=wid,
            session_wid=emit.session_wid,
            kind=emit.kind,
            body=encode_body(body),
        )

    def _remember(self, candidate: Candidate) -> bytes | None:
        """Keep a candidate read in this poll as its XML (not the page it came on); the XML kept."""
        if not candidate.candidate_id or candidate.raw is None:
            return None
        xml = self.changed[candidate.candidate_id] = _xml(candidate.raw)
        return xml

    def _candidate_xml(self, candidate_id: str, wid: str) -> bytes:
        """The XML of a tracked event's candidate: read in this poll, else stored, else read again from Workday."""
        if candidate_id in self.changed:
            return self.changed[candidate_id]
        stored = self.store.event_xml(wid)
        if stored is not None and stored[2]:
            return stored[2]
        found = self.candidates.get_many([candidate_id])
        xml = self._remember(found[0]) if found else None
        if xml is None:
            raise FeedStateError(f"candidate {candidate_id} of interview event {wid} cannot be read")
        return xml


@attrs.frozen
class _Emit:
    kind: str
    item: _Seen | None
    session: InterviewSession | None
    conference: WebConference | None
    previous: SessionValues | None
    changed: tuple[str, ...]
    cancelled_session: str = ""

    @property
    def session_wid(self) -> str:
        return self.session.wid or "" if self.session is not None else self.cancelled_session

    @classmethod
    def cancelled(cls, row: SessionRow) -> _Emit:
        return cls("cancelled", None, None, None, None, (), row.session_wid)


def _scheduled_from(body: dict[str, Any]) -> ScheduledInterview:
    """The ScheduledInterview a stored change describes, rebuilt from its XML."""
    candidate = Candidate.from_xml(parse_bytes(body["candidate_xml"].encode("utf-8")))
    interview = Interview.from_xml(parse_bytes(body["interview_xml"].encode("utf-8")))
    conference_xml = body.get("conference_xml")
    conference = WebConference.from_xml(parse_bytes(conference_xml.encode("utf-8"))) if conference_xml else None
    application = next(
        (a for a in candidate.applications if a.application_id == body["application_id"]), None
    ) or interview.application_in(candidate.applications)
    if application is None:
        raise ValueError(f"candidate {candidate.candidate_id} has no application {body['application_id']}")
    interview = interview.placed(application)
    session = next((s for s in interview.sessions if s.wid == body["session_wid"]), None)
    if session is None:
        raise ValueError(f"interview {interview.wid} has no session {body['session_wid']}")
    return ScheduledInterview(
        candidate=candidate,
        application=application,
        requisition=application.requisition,
        interview=interview,
        session=session,
        meeting=conference.session_for(session) if conference is not None else None,
    )


class _Lazy:
    """A stored web-conference answer, read from the state the first time it is asked for."""

    def __init__(self, read: Callable[[], WebConference | None]) -> None:
        self._read: Callable[[], WebConference | None] | None = read
        self._value: WebConference | None = None

    def get(self) -> WebConference | None:
        if self._read is not None:
            self._value, self._read = self._read(), None
        return self._value


def _get(conference: WebConference | _Lazy | None) -> WebConference | None:
    return conference.get() if isinstance(conference, _Lazy) else conference


def _meeting_url(
    conference: WebConference | _Lazy | None, session: InterviewSession, row: SessionRow | None
) -> str | None:
    """The session's meeting URL: from a conference read in this poll, else as stored with the session."""
    if isinstance(conference, _Lazy) and row is not None:
        return row.values.meeting_url
    resolved = _get(conference)
    meeting = resolved.session_for(session) if resolved is not None else None
    return meeting.meeting_url if meeting is not None else None


def _without_link(values: SessionValues) -> SessionValues:
    return attrs.evolve(values, meeting_url=None)


def _names_invalid_reference(exc: ValidationError) -> bool:
    """A validation fault refusing a reference ("Invalid ID value", or the SDK's NotFoundError)."""
    if isinstance(exc, NotFoundError):
        return True
    texts = [exc.message, *(t for issue in exc.issues for t in (issue.message, issue.detail) if t)]
    return any("invalid id" in text.lower() or "not a valid id" in text.lower() for text in texts)


def _xml(el: etree._Element | None) -> bytes:
    if el is None:
        raise FeedStateError("an interview record has no source element to keep")
    return etree.tostring(el, encoding="utf-8")
