"""``client.interviews``: interview events and sessions, meeting links, and the upcoming-interviews join."""

from __future__ import annotations

import builtins
import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import attrs
from lxml import etree

from .._errors import ConfigurationError, NotFoundError, PermissionDeniedError, ProcessingError, ValidationError
from .._ns import WD
from .._paging import MAX_PAGE_SIZE, Pager
from .._requests import (
    Ids,
    check_range,
    id_values,
    instant,
    interview_criteria,
    interview_listing,
    interview_references,
    ref,
)
from ..models import (
    Candidate,
    Interview,
    InterviewSession,
    JobApplication,
    Reference,
    ScheduledInterview,
    WebConference,
    WebConferenceSession,
)
from ._base import Service, response_data, response_items
from ._requestor import Requestor
from .candidates import CandidatesService

if TYPE_CHECKING:
    from ..feed import FeedStore, InterviewFeed

__all__ = [
    "INTERVIEW_HOLDING_STAGES",
    "LISTING_PAGE_SIZE",
    "ConferenceStatus",
    "Found",
    "InterviewsService",
    "Strategy",
    "Window",
]

log = logging.getLogger("workday_recruiting")
_INTERVIEW = f"{{{WD}}}Interview"
T = TypeVar("T")

#: How :meth:`InterviewsService.upcoming` finds the events (see its docstring and ``docs/interviews.md``).
Strategy = Literal["auto", "listing", "scan", "scan_all"]
_STRATEGIES: Final = ("auto", "listing", "scan", "scan_all")

#: The recruiting stages whose applications can hold a future interview, by Workday's Workday-owned stage IDs:
#: Interview and every later stage before hire (interviews scheduled in Interview stay when the candidate moves on).
INTERVIEW_HOLDING_STAGES: Final = (
    "INTERVIEW",
    "REFERENCE_CHECK",
    "OFFER",
    "EMPLOYMENT_AGREEMENT",
    "BACKGROUND_CHECK",
    "READY_FOR_HIRE",
)


#: Events per page when :meth:`InterviewsService.upcoming` and the feed list every event. Interview events are heavy
#: (sessions, interviewers, locations): a parsed page of 999 held about 90 MiB more in a client than a page of 250
#: (measured listing 10,747 events), for four times fewer requests; the listing runs once per call or reconcile.
LISTING_PAGE_SIZE: Final = 250


class InterviewsService(Service):
    """Interview events and sessions (``Get_Interviews``), meeting links (``Get_Web_Conference_Interview_Data``).

    Args:
        requestor: Sends the requests.
        candidates: The candidates service :meth:`upcoming` scans.
        owner: As for every service.
        tenant: The tenant's name: the key :meth:`feed` keeps its state under.
    """

    def __init__(
        self, requestor: Requestor, candidates: CandidatesService, *, owner: str = "", tenant: str = ""
    ) -> None:
        super().__init__(requestor, owner=owner)
        self._candidates = candidates
        self._tenant = tenant
        self._probe_lock = threading.Lock()
        self._lists_all: bool | None = None  # whether the tenant lists events without criteria; None: not probed

    def for_application(self, application: str | Reference | JobApplication) -> builtins.list[Interview]:
        """The interview events of one job application (``JOB_APPLICATION-6-253`` or a WID)."""
        if isinstance(application, JobApplication):
            context = {
                "application": application.reference,
                "candidate": application.candidate,
                "requisition": application.requisition,
            }
            reference: str | Reference = application.reference
        else:
            context = {"application": application if isinstance(application, Reference) else None}
            reference = application
        return self._get({"Job_Application_Reference": ref(reference, "Job_Application_ID")}, context)

    def for_applications(
        self, applications: Iterable[str | Reference | JobApplication]
    ) -> Iterator[builtins.list[Interview]]:
        """The interview events of each application, in order: :meth:`for_application`, ``max_concurrency`` at a time.

        Lazy over ``applications``: at most ``max_concurrency`` requests are in flight at once.
        """
        return self._requestor.map(self.for_application, applications)

    def for_candidate(self, candidate: str | Reference, requisition: str | Reference) -> builtins.list[Interview]:
        """The interview events of a candidate for one requisition."""
        criteria = {
            "Candidate_Interview_Criteria_Data": {
                "Candidate_Reference": ref(candidate, "Candidate_ID"),
                "Requisition_Reference": ref(requisition, "Job_Requisition_ID"),
            }
        }
        return self._get(criteria, {})

    def _get(self, criteria: dict[str, Any], context: Mapping[str, Reference | None]) -> builtins.list[Interview]:
        pager = self._requestor.pager(
            "Get_Interviews",
            interview_criteria(criteria),
            lambda body: [Interview.from_xml(el, **context) for el in response_items(body, _INTERVIEW)],
            page_size=100,
            max_results=None,
            start_page=1,
            as_of=None,
        )
        return pager.collect()

    def web_conference(self, interview: str | Interview) -> WebConference | None:
        """Meeting ids, URLs and interviewer contacts of an interview event, or None when Workday has none.

        Workday answers only for events in progress; for others (a validation or processing fault) this returns None.
        """
        wid = interview.wid if isinstance(interview, Interview) else interview
        return self.conference_status(wid)[1] if wid else None

    def conference_status(self, wid: str) -> tuple[ConferenceStatus, WebConference | None]:
        """An event's web-conference data, and what Workday said of the event.

        The status is ``"ok"`` (the data), ``"none"`` (no web-conference data, or a refusal that says nothing
        about the event), ``"not_in_progress"`` (Workday's validation "Interview Event is not in progress.": the
        event is completed or cancelled) or ``"unknown"`` ("You specified an invalid WID ...": no such event). The
        two validation messages are Workday's, from the schema's documentation of this operation.

        Raises:
            PermissionDeniedError: The ISU lacks the "Interview Integrations" domain.
        """
        try:
            body = self._requestor.call(
                "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": wid}}
            )
        except (ValidationError, ProcessingError) as exc:
            log.debug("no web conference data for interview %s: %s", wid, exc)
            texts = " ".join([exc.message, *(i.message or "" for i in getattr(exc, "issues", ()))]).lower()
            if "not in progress" in texts:
                return "not_in_progress", None
            if "invalid wid" in texts:
                return "unknown", None
            return "none", None
        data = response_data(body)
        has_children = data is not None and any(isinstance(child.tag, str) for child in data)  # comments aside
        return ("ok", WebConference.from_xml(data)) if data is not None and has_children else ("none", None)

    def list(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[Interview]:
        """Every interview event of the tenant, lazily, page by page, on one pinned ``As_Of_Entry_DateTime``.

        A ``Get_Interviews`` with neither references nor criteria. Whether a tenant lists its events for it, or
        refuses it with a validation fault, is not documented: where it refuses, iterating raises
        :class:`~workday_recruiting.ValidationError` (see :meth:`lists_all`). The events carry what the tenant
        names in them (the event, and the application or candidate and requisition when it names them).

        Args:
            page_size: Events per request, 1 to 999.
            max_results: Stop after this many events.
            start_page: Resume from this page (with the ``as_of`` of the pager being resumed).
            as_of: The ``As_Of_Entry_DateTime`` snapshot (default: now).
        """
        return self._requestor.pager(
            "Get_Interviews",
            interview_listing(),
            _parse_interviews,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )

    def get_many(self, interviews: Iterable[str | Reference | Interview]) -> builtins.list[Interview]:
        """Re-read interview events by WID, up to 999 in one request (``Request_References``), in Workday's order."""
        wids: builtins.list[str | Reference] = []
        for item in interviews:
            wid = item.wid if isinstance(item, Interview) else item
            if wid:
                wids.append(wid)
        found: builtins.list[Interview] = []
        for chunk in _chunks(builtins.list(dict.fromkeys(wids)), MAX_PAGE_SIZE):
            pager = self._requestor.pager(
                "Get_Interviews",
                interview_references(chunk),
                _parse_interviews,
                page_size=len(chunk),
                max_results=None,
                start_page=1,
                as_of=None,
            )
            found.extend(pager.collect())
        return found

    @property
    def lists_all(self) -> bool | None:
        """Whether this client's tenant lists interview events without criteria: ``None`` until probed.

        :meth:`upcoming` probes it on its first call (the listing's first page) and remembers the answer for the
        client's lifetime.
        """
        with self._probe_lock:
            return self._lists_all

    def upcoming(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        days: float = 7,
        stage: Ids = None,
        requisition: Ids = None,
        meeting_links: bool = True,
        page_size: int = 100,
        progress: Callable[[int, int | None], None] | None = None,
        strategy: Strategy = "auto",
        stages: Ids = INTERVIEW_HOLDING_STAGES,
    ) -> builtins.list[ScheduledInterview]:
        """Every interview session starting inside ``[start, end)``, with candidate, application, interviewers and link.

        Workday's Get_Interviews has no date filter. The cheapest way the tenant allows is used (see
        ``docs/interviews.md``):

        - ``"listing"``: list every interview event (``Get_Interviews`` without criteria, paged), keep those with a
          session in the window, then read their candidates by reference, up to 999 a request.
        - ``"scan"``: read the candidates with an application in one of ``stages`` (``Get_Candidates`` criteria),
          and ask for the interviews of each such application that is not dispositioned (``max_concurrency`` at a
          time). Events of dispositioned applications, or of applications in other stages, are not seen.
        - ``"auto"`` (default): the listing where the tenant answers it, else the scan. The first call probes the
          listing; a refusal (a validation fault saying criteria are required) is remembered for the client's
          lifetime and logged once at INFO.
        - ``"scan_all"``: the full fan-out, one ``Get_Interviews`` per application ever made; slow on any real tenant,
          kept to check the other strategies against.

        It returns a list, sorted by start time (then candidate ID, then session WID).

        Args:
            start: Window start (default: now).
            end: Window end (default: ``start + days``).
            days: Window length when ``end`` is not given.
            stage: Only candidates with an application in this recruiting stage.
            requisition: Only candidates who applied to this requisition.
            meeting_links: Fetch meeting ids and links (one more request per interview event in the window). An ISU
                without the "Interview Integrations" domain gets the sessions without links, and a WARNING is logged.
            page_size: Candidates per page while scanning (the listing reads :data:`LISTING_PAGE_SIZE` events a page).
            progress: Called as ``progress(done, total)``: the events listed (listing) or the candidates whose
                applications were sent for (scans), and Workday's total (``None`` until the first page arrives).
            strategy: ``"auto"``, ``"listing"``, ``"scan"`` or ``"scan_all"`` (above).
            stages: The recruiting stages whose applications can hold a future interview, for ``"scan"``
                (default :data:`INTERVIEW_HOLDING_STAGES`: Interview and every later stage before hire).

        Raises:
            ConfigurationError: An unknown ``strategy``, an empty ``stages``, or a malformed window.
            ValidationError: ``strategy="listing"`` on a tenant that refuses the listing.
        """
        if strategy not in _STRATEGIES:
            raise ConfigurationError(f"strategy must be one of {', '.join(_STRATEGIES)}, got {strategy!r}")
        stage_ids = id_values(stages, "Recruiting_Stage_ID")
        if strategy == "scan" and not stage_ids:
            raise ConfigurationError("stages must name at least one recruiting stage")
        begin = instant(start, "start") or datetime.now(timezone.utc)
        finish = instant(end, "end") or begin + timedelta(days=days)
        check_range(begin, finish, "start/end")
        found = self.find(
            begin,
            finish,
            stage=stage,
            requisition=requisition,
            stage_ids=stage_ids,
            page_size=page_size,
            progress=progress,
            strategy=strategy,
        )
        return self._scheduled(found, meeting_links)

    def feed(
        self,
        state: str | os.PathLike[str] | FeedStore | None = None,
        *,
        days: float = 14,
        reconcile_every: timedelta | None = timedelta(days=1),
        meeting_links: bool = True,
        stages: Ids = INTERVIEW_HOLDING_STAGES,
        strategy: Strategy = "auto",
        tenant: str | None = None,
        lease_ttl: float = 900.0,
    ) -> InterviewFeed:
        """A feed of every change to the interview sessions of the next ``days`` days: see ``docs/interviews.md``.

        ``feed.poll()`` returns the changes not acknowledged yet (:class:`~workday_recruiting.feed.ChangeBatch`);
        ``batch.ack()``, or leaving ``with feed.poll() as batch:`` without an exception, acknowledges them. Until
        then every later poll, in this process or another, delivers them again.

        Args:
            state: Where the feed keeps its state: a SQLite file path (created if missing), a
                :class:`~workday_recruiting.feed.FeedStore`, or ``None`` (in memory, lost with the process).
            days: The window: sessions starting between the tenant's now and ``days`` later are delivered.
            reconcile_every: How often a poll also re-reads the whole window (the listing or the stage scan of
                :meth:`upcoming`) to catch what the cheap path cannot see; ``None``: only when asked.
            meeting_links: Read meeting links (one request per new or changed event). Without them, a tenant that
                keeps cancelled events in ``Get_Interviews`` shows their cancellation to no request.
            stages: The recruiting stages whose applications can hold a future interview (as for :meth:`upcoming`).
            strategy: How the reconcile finds the events (as for :meth:`upcoming`).
            tenant: The key the state is kept under (default: the tenant's name from the WSDL URL).
            lease_ttl: Seconds a poller's lease on the state lasts without renewal (a running poll renews it every
                third of that): a poller that died frees the tenant after at most this long.

        Raises:
            ConfigurationError: A malformed argument.
            FeedStateError: The state cannot be used (corrupt, newer, or another tenant's); nothing is changed.
        """
        from ..feed import InterviewFeed, open_store

        key = tenant or self._tenant
        if not key:
            raise ConfigurationError("the feed needs a tenant key: pass tenant='...'")
        return InterviewFeed(
            self,
            self._candidates,
            open_store(state, tenant=key),
            days=days,
            reconcile_every=reconcile_every,
            meeting_links=meeting_links,
            stages=id_values(stages, "Recruiting_Stage_ID"),
            strategy=strategy,
            lease_ttl=lease_ttl,
        )

    def find(
        self,
        start: datetime,
        end: datetime,
        *,
        stage: Ids = None,
        requisition: Ids = None,
        stage_ids: set[str],
        page_size: int = 100,
        progress: Callable[[int, int | None], None] | None = None,
        strategy: Strategy = "auto",
    ) -> Found:
        """The sessions starting in ``[start, end)``, with candidates, applications and events, as :meth:`upcoming`.

        One ``(candidate, application, interview, session)`` per session (what the feed's reconcile reads).
        """
        window = Window(start, end)
        found: Found | None = None
        if strategy in ("auto", "listing") and (strategy == "listing" or self.lists_all is not False):
            found = self._by_listing(
                window, stage, requisition, stage_ids, page_size, progress, strict=strategy == "listing"
            )
        if found is None and strategy == "scan_all":
            found = self._by_scan(window, stage, requisition, None, page_size, progress)
        elif found is None:
            found = self._by_scan(window, stage, requisition, stage_ids, page_size, progress)
        return found

    # -- strategies -------------------------------------------------------------------------------------------

    def _probe_refused(self, exc: ValidationError) -> bool:
        """Whether ``exc`` is the tenant refusing the criteria-less listing; remembered, logged once at INFO."""
        if isinstance(exc, NotFoundError) or not _says_criteria_required(exc):
            return False
        with self._probe_lock:
            first = self._lists_all is not False
            self._lists_all = False
        if first:
            log.info(
                "the tenant does not list interview events without criteria (%s); upcoming() scans the "
                "applications in interview-holding stages instead",
                exc.message,
            )
        return True

    def _by_listing(
        self,
        window: Window,
        stage: Ids,
        requisition: Ids,
        stage_ids: set[str],
        page_size: int,
        progress: Callable[[int, int | None], None] | None,
        *,
        strict: bool,
    ) -> Found | None:
        if stage is not None or requisition is not None:
            # Filtered client-side below; one one-record read has Workday check the IDs (a name is refused).
            builtins.list(self._candidates.list(stage=stage, requisition=requisition, page_size=1, max_results=1))
        pager = self.list(page_size=LISTING_PAGE_SIZE)
        in_window: builtins.list[Interview] = []
        listed = 0
        try:
            for interview in pager:
                listed += 1
                if progress is not None:
                    progress(listed, pager.total_results)
                if any(window.holds(session) for session in interview.sessions):
                    in_window.append(interview.detached())  # not the whole page of 999 events
        except ValidationError as exc:
            if listed or strict or not self._probe_refused(exc):
                raise
            return None
        with self._probe_lock:
            self._lists_all = True
        if progress is not None:
            progress(listed, pager.total_results if pager.total_results is not None else listed)
        owners = self._owners(in_window, stage_ids, page_size)
        wanted_stages = id_values(stage, "Recruiting_Stage_ID")
        wanted_requisitions = id_values(requisition, "Job_Requisition_ID")
        found: Found = []
        for interview in in_window:
            owner = owners.get(interview.wid or "")
            if owner is None:
                continue
            candidate, application = owner
            if wanted_stages and not any(_names(app.stage, wanted_stages) for app in candidate.applications):
                continue
            if wanted_requisitions and not any(
                _names(app.requisition, wanted_requisitions) for app in candidate.applications
            ):
                continue
            event = interview.placed(application)
            found.extend(
                (candidate, application, event, session) for session in event.sessions if window.holds(session)
            )
        return found

    def _owners(
        self, interviews: builtins.list[Interview], stage_ids: set[str], page_size: int
    ) -> dict[str, tuple[Candidate, JobApplication]]:
        """The candidate and application of each listed event (by event WID), read in batches by reference."""
        owners: dict[str, tuple[Candidate, JobApplication]] = {}
        named = [i for i in interviews if i.wid and i.candidate is not None]
        if named:
            refs_by_key = {_key(i.candidate): i.candidate for i in named if i.candidate is not None}
            by_key: dict[str, Candidate] = {}
            for read in self._candidates.get_many(refs_by_key.values()):
                kept = read.detached()
                for value in _values(kept.reference):
                    by_key[value] = kept
            for interview in named:
                candidate = next((by_key[v] for v in _values(interview.candidate) if v in by_key), None)
                application = interview.application_in(candidate.applications) if candidate is not None else None
                if candidate is not None and application is not None:
                    owners[interview.wid or ""] = (candidate, application)
        missing = [i for i in interviews if i.wid and i.wid not in owners]
        if missing:
            # The tenant names no candidate on these events: find them among the applications a scan can see.
            log.info("%d listed interview events name no candidate; finding them by a stage scan", len(missing))
            self._owners_by_scan(missing, stage_ids, page_size, owners)
            rest = [i for i in missing if i.wid not in owners]
            if rest:
                # Events of dispositioned applications, or of other stages (a past window, a forgotten event): the
                # listing saw them, so they are delivered too, found among every application (stopping once all are).
                log.info("%d listed interview events are outside the stage scan; scanning every application", len(rest))
                self._owners_by_scan(rest, None, page_size, owners)
            unfound = [i.wid for i in missing if i.wid not in owners]
            if unfound:
                log.warning(
                    "%d listed interview events belong to no application of the tenant's candidates; left out: %s",
                    len(unfound),
                    ", ".join(str(w) for w in unfound[:5]),
                )
        return owners

    def _owners_by_scan(
        self,
        missing: builtins.list[Interview],
        stage_ids: set[str] | None,
        page_size: int,
        owners: dict[str, tuple[Candidate, JobApplication]],
    ) -> None:
        """Find the owners of ``missing`` among the open applications in ``stage_ids`` (``None``: every application).

        Streams the candidates: an event naming its application is placed as its candidate passes. Only events that
        name no application need the scan read again, asking for the interviews of each application until every one
        is placed. No more than the owners found is kept (each detached from its page).
        """
        by_application: dict[str, builtins.list[Interview]] = {}
        for interview in missing:
            for value in _values(interview.application):
                by_application.setdefault(value, []).append(interview)
        wanted = {i.wid for i in missing if i.wid}
        unnamed = {i.wid for i in missing if i.wid and i.application is None}

        def scan() -> Iterator[tuple[Candidate, JobApplication]]:
            candidates = self._candidates.list(
                stage=builtins.list(stage_ids) if stage_ids else None, page_size=page_size
            )
            for candidate in candidates:
                for application in candidate.applications:
                    if stage_ids is None or application.open_in(stage_ids):
                        yield candidate, application

        def place(wid: str, candidate: Candidate, application: JobApplication) -> None:
            owners[wid] = _detached(candidate, application)
            wanted.discard(wid)
            unnamed.discard(wid)

        for candidate, application in scan():
            hits = {i.wid: i for v in _values(application.reference) for i in by_application.get(v, ())}
            for wid in hits:
                if wid in wanted:
                    place(wid, candidate, application)
            if not wanted:
                return
        if not unnamed:
            return  # the events left name an application this scan does not hold: asking each one would not help
        stream = self._requestor.map(lambda pair: (pair, self.for_application(pair[1])), scan())
        for (candidate, application), interviews in stream:
            for interview in interviews:
                if interview.wid in unnamed:
                    place(interview.wid, candidate, application)
            if not unnamed:
                break

    def _by_scan(
        self,
        window: Window,
        stage: Ids,
        requisition: Ids,
        stage_ids: set[str] | None,
        page_size: int,
        progress: Callable[[int, int | None], None] | None,
    ) -> Found:
        """The scan: candidates (narrowed to ``stage_ids`` unless None: every application) and their interviews."""
        narrowed = stage if stage is not None else (builtins.list(stage_ids) if stage_ids else None)
        candidates = self._candidates.list(stage=narrowed, requisition=requisition, page_size=page_size)
        scanned = 0

        def counted() -> Iterator[Candidate]:
            nonlocal scanned
            for candidate in candidates:
                yield candidate
                scanned += 1
                if progress is not None:
                    progress(scanned, candidates.total_results)

        pairs = (
            (candidate, application)
            for candidate in counted()
            for application in candidate.applications
            if stage_ids is None or application.open_in(stage_ids)
        )

        def interviews_of(
            pair: tuple[Candidate, JobApplication],
        ) -> tuple[Candidate, JobApplication, builtins.list[Interview]]:
            return pair[0], pair[1], self.for_application(pair[1])

        found: Found = []
        for candidate, application, interviews in self._requestor.map(interviews_of, pairs):
            sessions = [(i, s) for i in interviews for s in i.sessions if window.holds(s)]
            if sessions:  # kept: detached from the candidates' page
                kept = candidate.detached()
                own = next(
                    (a for a in kept.applications if a.application_id == application.application_id), application
                )
                found.extend((kept, own, interview, session) for interview, session in sessions)
        if progress is not None:
            progress(scanned, candidates.total_results if candidates.total_results is not None else scanned)
        return found

    def conferences(self, wids: Iterable[str]) -> dict[str, tuple[ConferenceStatus, WebConference | None]]:
        """:meth:`conference_status` of each event, ``max_concurrency`` at a time.

        An ISU without the "Interview Integrations" domain gets ``("denied", None)`` for every event, after one
        request, and a WARNING is logged: the schedule is still worth having without meeting links.
        """
        events = builtins.list(dict.fromkeys(w for w in wids if w))
        out: dict[str, tuple[ConferenceStatus, WebConference | None]] = {}
        if not events:
            return out
        try:
            out[events[0]] = self.conference_status(events[0])
        except PermissionDeniedError as exc:
            log.warning("interviews come without meeting links: %s", exc)
            return dict.fromkeys(events, ("denied", None))
        rest = events[1:]
        for wid, answer in zip(rest, self._requestor.map(self.conference_status, rest), strict=True):
            out[wid] = answer
        return out

    def _scheduled(self, found: Found, meeting_links: bool) -> builtins.list[ScheduledInterview]:
        wids = builtins.list({interview.wid: None for _, _, interview, _ in found if interview.wid})
        meetings = self.conferences(wids) if meeting_links else {}
        # An event Workday says is not in progress is completed or cancelled: its sessions still to come are
        # cancelled (a window in the past keeps the sessions of completed events). One it no longer knows is gone.
        now = datetime.now(timezone.utc)
        ended = {wid for wid, (status, _) in meetings.items() if status == "not_in_progress"}
        gone = {wid for wid, (status, _) in meetings.items() if status == "unknown"}
        found = [
            item for item in found if item[2].wid not in gone and not (item[2].wid in ended and item[3].start > now)
        ]
        results = [
            ScheduledInterview(
                candidate=candidate,
                application=application,
                requisition=application.requisition,
                interview=interview,
                session=session,
                meeting=_meeting_for(meetings.get(interview.wid or "", ("none", None))[1], session),
            )
            for candidate, application, interview, session in found
        ]
        results.sort(key=lambda s: (s.session.start, s.candidate.candidate_id or "", s.session.wid or ""))
        return results


#: One session found in a window: its candidate, application, placed event and the session.
Found = builtins.list[tuple[Candidate, JobApplication, Interview, InterviewSession]]

#: What :meth:`InterviewsService.conference_status` says of an event.
ConferenceStatus = Literal["ok", "none", "not_in_progress", "unknown", "denied"]


@attrs.frozen
class Window:
    """The moments ``[begin, finish)`` a session must start in."""

    begin: datetime
    finish: datetime

    def holds(self, session: InterviewSession) -> bool:
        return session.start is not None and self.begin <= session.start < self.finish


def _parse_interviews(body: etree._Element) -> builtins.list[Interview]:
    return [Interview.from_xml(el) for el in response_items(body, _INTERVIEW)]


def _chunks(items: builtins.list[T], size: int) -> Iterator[builtins.list[T]]:
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]


def _values(reference: Reference | None) -> set[str]:
    return reference.values if reference is not None else set()


def _key(reference: Reference | None) -> str:
    return min(_values(reference)) if _values(reference) else ""


def _names(reference: Reference | None, wanted: set[str]) -> bool:
    return bool(_values(reference) & wanted)


def _detached(candidate: Candidate, application: JobApplication) -> tuple[Candidate, JobApplication]:
    """The candidate detached from its page (:meth:`Candidate.detached`), and its copy of ``application``."""
    kept = candidate.detached()
    own = next((a for a in kept.applications if a.application_id == application.application_id), application)
    return kept, own


_REFUSAL = re.compile(r"criteria|request[ _]?references", re.IGNORECASE)


def _says_criteria_required(exc: ValidationError) -> bool:
    """A validation fault that says the request needs references or criteria (Workday's wording is not documented)."""
    texts = [exc.message, *(t for issue in exc.issues for t in (issue.message, issue.detail) if t)]
    return any(_REFUSAL.search(text) for text in texts)


def _meeting_for(conference: WebConference | None, session: InterviewSession) -> WebConferenceSession | None:
    if conference is None:
        return None
    return conference.session_for(session)
