"""``client.interviews``: interview events and sessions, meeting links, and the upcoming-interviews join."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from .._errors import PermissionDeniedError, ProcessingError, ValidationError
from .._ns import WD
from .._requests import Ids, check_range, instant, ref
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

__all__ = ["InterviewsService"]

log = logging.getLogger("workday_recruiting")
_INTERVIEW = f"{{{WD}}}Interview"


class InterviewsService(Service):
    """Interview events and sessions (``Get_Interviews``), meeting links (``Get_Web_Conference_Interview_Data``).

    Args:
        requestor: Sends the requests.
        candidates: The candidates service :meth:`upcoming` scans.
        owner: As for every service.
    """

    def __init__(self, requestor: Requestor, candidates: CandidatesService, *, owner: str = "") -> None:
        super().__init__(requestor, owner=owner)
        self._candidates = candidates

    def for_application(self, application: str | Reference | JobApplication) -> list[Interview]:
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

    def for_applications(self, applications: Iterable[str | Reference | JobApplication]) -> Iterator[list[Interview]]:
        """The interview events of each application, in order: :meth:`for_application`, ``max_concurrency`` at a time.

        Lazy over ``applications``: at most ``max_concurrency`` requests are in flight at once.
        """
        return self._requestor.map(self.for_application, applications)

    def for_candidate(self, candidate: str | Reference, requisition: str | Reference) -> list[Interview]:
        """The interview events of a candidate for one requisition."""
        criteria = {
            "Candidate_Interview_Criteria_Data": {
                "Candidate_Reference": ref(candidate, "Candidate_ID"),
                "Requisition_Reference": ref(requisition, "Job_Requisition_ID"),
            }
        }
        return self._get(criteria, {})

    def _get(self, criteria: dict[str, Any], context: Mapping[str, Reference | None]) -> list[Interview]:
        pager = self._requestor.pager(
            "Get_Interviews",
            {"Request_Criteria": criteria, "Response_Group": {"Include_Reference": True}},
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
        if not wid:
            return None
        try:
            body = self._requestor.call(
                "Get_Web_Conference_Interview_Data", {"Request_References": {"Interview_ID_Reference": wid}}
            )
        except (ValidationError, ProcessingError) as exc:
            log.debug("no web conference data for interview %s: %s", wid, exc)
            return None
        data = response_data(body)
        has_children = data is not None and any(isinstance(child.tag, str) for child in data)  # comments aside
        return WebConference.from_xml(data) if data is not None and has_children else None

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
    ) -> list[ScheduledInterview]:
        """Every interview session starting inside ``[start, end)``, with candidate, application, interviewers and link.

        Workday's Get_Interviews has no date filter, so this reads candidates (optionally narrowed by ``stage`` or
        ``requisition``), asks for the interviews of each application (``max_concurrency`` at a time), keeps the
        sessions inside the window and adds each event's web-conference data. It returns a list, sorted by start
        time: the order is known only once every candidate has been scanned, so nothing could be handed over
        earlier.

        Args:
            start: Window start (default: now).
            end: Window end (default: ``start + days``).
            days: Window length when ``end`` is not given.
            stage: Only applications of candidates in this recruiting stage (fewer requests on large tenants).
            requisition: Only candidates who applied to this requisition.
            meeting_links: Fetch meeting ids and links (one more request per interview event in the window). An ISU
                without the "Interview Integrations" domain gets the sessions without links, and a WARNING is logged.
            page_size: Candidates per page while scanning.
            progress: Called as ``progress(scanned, total)`` while candidates are scanned: the candidates whose
                applications were sent for, and Workday's total (``None`` until the first page arrives).
        """
        begin = instant(start, "start") or datetime.now(timezone.utc)
        finish = instant(end, "end") or begin + timedelta(days=days)
        check_range(begin, finish, "start/end")
        requestor = self._requestor
        candidates = self._candidates.list(stage=stage, requisition=requisition, page_size=page_size)
        # Every application, whatever its stage or disposition: Workday keeps the events of dispositioned ones until
        # someone cancels them, and "exactly the sessions in the window" is what callers need.
        scanned = 0

        def counted() -> Iterator[Candidate]:
            nonlocal scanned
            for candidate in candidates:
                yield candidate
                scanned += 1
                if progress is not None:
                    progress(scanned, candidates.total_results)

        pairs = ((candidate, application) for candidate in counted() for application in candidate.applications)

        def interviews_of(
            pair: tuple[Candidate, JobApplication],
        ) -> tuple[Candidate, JobApplication, list[Interview]]:
            return pair[0], pair[1], self.for_application(pair[1])

        found: list[tuple[Candidate, JobApplication, Interview, InterviewSession]] = []
        for candidate, application, interviews in requestor.map(interviews_of, pairs):
            for interview in interviews:
                for session in interview.sessions:
                    if session.start is not None and begin <= session.start < finish:
                        found.append((candidate, application, interview, session))
        if progress is not None:
            progress(scanned, candidates.total_results if candidates.total_results is not None else scanned)
        events = list({interview.wid: interview for _, _, interview, _ in found if interview.wid}.values())
        meetings: dict[str, WebConference | None] = {}
        if meeting_links and events:
            try:
                meetings[events[0].wid or ""] = self.web_conference(events[0])
            except PermissionDeniedError as exc:
                # Meeting links need "Interview Integrations"; without it the schedule is still worth having.
                log.warning("interviews come without meeting links: %s", exc)
            else:
                rest = events[1:]
                for interview, conference in zip(rest, requestor.map(self.web_conference, rest), strict=True):
                    meetings[interview.wid or ""] = conference
        results = [
            ScheduledInterview(
                candidate=candidate,
                application=application,
                requisition=application.requisition,
                interview=interview,
                session=session,
                meeting=_meeting_for(meetings.get(interview.wid or ""), session),
            )
            for candidate, application, interview, session in found
        ]
        results.sort(key=lambda s: (s.session.start, s.candidate.candidate_id or "", s.session.wid or ""))
        return results


def _meeting_for(conference: WebConference | None, session: InterviewSession) -> WebConferenceSession | None:
    if conference is None:
        return None
    return conference.session_for(session)
