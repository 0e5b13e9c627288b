"""Interviews: ``Get_Interviews`` events and sessions, ``Get_Web_Conference_Interview_Data`` meeting details,
and :class:`ScheduledInterview`, the joined view the client's ``interviews.upcoming()`` yields.

Shapes (v45.2): each ``wd:Interview`` holds ``Interview_Data`` entries. One ``Interview_Data`` names the
interview by exactly one of an ``Interview_Event_Reference``, a ``Job_Application_Reference`` or a
``Candidate_Interview_Criteria_Data`` (candidate + requisition), then lists ``Interview_Session_Data`` (each
with ``Interview_Session_Details_Data``: interviewers, start, end, locations, type) and the
``Timezone_Reference``.
Workday's ``Time_Zone_ID`` is an IANA name (``America/New_York``); start and end carry offsets. A start or end
without an offset is read in the interview's time zone when it resolves, else in UTC.

Web-conference data gives the meeting ID and URL for the whole interview and, per session, the interviewers'
names and emails and the rooms; its session times are plain strings in the schema and are read leniently.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from .._xml import raw_text, text_of
from ._base import (
    UTC,
    Model,
    ModelParseError,
    Reference,
    parse_datetime,
    ref_of,
    resolve_time_zone,
)
from ._columns import Column, ModelSpec, id_and_name, text
from .applications import JobApplication
from .candidates import Candidate

__all__ = [
    "Interview",
    "InterviewRoom",
    "InterviewSession",
    "Interviewer",
    "ScheduledInterview",
    "WebConference",
    "WebConferenceSession",
]

T_INTERVIEW: Final = wd("Interview")
T_INTERVIEW_DATA: Final = wd("Interview_Data")
T_INTERVIEW_EVENT_REFERENCE: Final = wd("Interview_Event_Reference")
T_JOB_APPLICATION_REFERENCE: Final = wd("Job_Application_Reference")
T_CANDIDATE_INTERVIEW_CRITERIA_DATA: Final = wd("Candidate_Interview_Criteria_Data")
T_CANDIDATE_REFERENCE: Final = wd("Candidate_Reference")
T_REQUISITION_REFERENCE: Final = wd("Requisition_Reference")
T_INTERVIEW_SESSION_DATA: Final = wd("Interview_Session_Data")
T_INTERVIEW_SESSION_REFERENCE: Final = wd("Interview_Session_Reference")
T_INTERVIEW_SESSION_DETAILS_DATA: Final = wd("Interview_Session_Details_Data")
T_INTERVIEWERS_REFERENCE: Final = wd("Interviewers_Reference")
T_INTERVIEW_START_TIME: Final = wd("Interview_Start_Time")
T_INTERVIEW_END_TIME: Final = wd("Interview_End_Time")
T_INTERVIEW_LOCATION_REFERENCE: Final = wd("Interview_Location_Reference")
T_INTERVIEW_TYPE_REFERENCE: Final = wd("Interview_Type_Reference")
T_COMMENT: Final = wd("Comment")
T_OVERALL_COMMENT: Final = wd("Overall_Comment")
T_TIMEZONE_REFERENCE: Final = wd("Timezone_Reference")
# web conference
T_RESPONSE_DATA: Final = wd("Response_Data")
T_WEB_CONFERENCE_INTERVIEW: Final = wd("Web_Conference_Interview")
T_WEB_CONFERENCE_INTERVIEW_DATA: Final = wd("Web_Conference_Interview_Data")
T_INTERVIEW_ID_REFERENCE: Final = wd("Interview_ID_Reference")
T_INTERVIEW_TIME_ZONE_REFERENCE: Final = wd("Interview_Time_Zone_Reference")
T_INTERVIEW_SESSION_START_TIME: Final = wd("Interview_Session_Start_Time")
T_INTERVIEW_SESSION_END_TIME: Final = wd("Interview_Session_End_Time")
T_INTERVIEWER_DATA: Final = wd("Interviewer_Data")
T_INTERVIEWER_NAME: Final = wd("Interviewer_Name")
T_INTERVIEWER_EMAIL_ADDRESS: Final = wd("Interviewer_Email_Address")
T_INTERVIEW_ROOM_DATA: Final = wd("Interview_Room_Data")
T_INTERVIEW_ROOM_NAME: Final = wd("Interview_Room_Name")
T_INTERVIEW_ROOM_EMAIL_ADDRESS: Final = wd("Interview_Room_Email_Address")
T_WEB_CONFERENCE_MEETING_ID: Final = wd("Web_Conference_Meeting_ID")
T_WEB_CONFERENCE_MEETING_URL: Final = wd("Web_Conference_Meeting_URL")


def _ref_values(reference: Reference | None) -> set[str]:
    return reference.values if reference is not None else set()


def _time_zone_id(ref: Reference) -> str | None:
    return ref.ids.get("Time_Zone_ID") or ref.id


# ----------------------------------------------------------------------------------------------------
# Get_Interviews
# ----------------------------------------------------------------------------------------------------


@attrs.frozen(repr=False)
class InterviewSession(Model):
    """One scheduled session of an interview: who interviews, when and where.

    Attributes:
        reference: The session (``Interview_Session_Reference``: WID and/or IID), when Workday sends one.
        event: The interview event the session belongs to, when known.
        application: The job application interviewed for, when known.
        start: Start, timezone-aware.
        end: End, timezone-aware.
        time_zone: The interview's time zone name (``America/New_York``), when given.
        interviewers: The interviewing workers (their descriptors are their names when descriptors are on).
        locations: The interview locations.
        interview_type: The interview type (``Phone_Screen``, ``Panel``).
        comment: The comment for the interviewers.
        raw: The ``wd:Interview_Session_Details_Data`` element.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda s: text(s.local_start),
        brief=(
            Column("start"),
            Column("end"),
            Column("time_zone"),
            Column("interviewers"),
            Column("interview_type"),
            Column("locations"),
        ),
        columns=(
            Column("wid", "WID"),
            Column("start"),
            Column("end"),
            Column("time_zone"),
            Column("local_start"),
            Column("interviewers"),
            Column("interview_type"),
            Column("locations"),
            Column("comment"),
        ),
    )

    start: datetime
    end: datetime
    reference: Reference | None = None
    event: Reference | None = None
    application: Reference | None = None
    time_zone: str | None = None
    interviewers: tuple[Reference, ...] = ()
    locations: tuple[Reference, ...] = ()
    interview_type: Reference | None = None
    comment: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The session's WID."""
        return self.reference.wid if self.reference is not None else None

    @property
    def tzinfo(self) -> tzinfo | None:
        """The interview's time zone as a ``tzinfo``, when its name resolves."""
        return resolve_time_zone(self.time_zone)

    @property
    def local_start(self) -> datetime:
        """The start in the interview's own time zone (unchanged when the zone does not resolve)."""
        zone = self.tzinfo
        return self.start.astimezone(zone) if zone is not None else self.start

    @property
    def local_end(self) -> datetime:
        """The end in the interview's own time zone (unchanged when the zone does not resolve)."""
        zone = self.tzinfo
        return self.end.astimezone(zone) if zone is not None else self.end


@attrs.frozen(repr=False)
class Interview(Model):
    """An interview event from ``Get_Interviews``, with its sessions.

    Attributes:
        reference: The interview event (``Interview_Event_Reference``), when the response names it so.
        application: The job application, when the response names it or the caller supplied it.
        candidate: The candidate, when the response or the caller supplied it.
        requisition: The job requisition, when the response or the caller supplied it.
        time_zone: The interview's time zone name (``Time_Zone_ID``, an IANA name), when given.
        sessions: The sessions, one per ``Interview_Session_Details_Data``, in document order.
        comment: The overall comment for the interview team.
        raw: The ``wd:Interview`` (or ``wd:Interview_Data``) element.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda i: text(i.reference) or "Interview",
        brief=(
            Column("wid", "WID"),
            Column("candidate"),
            Column("requisition"),
            Column("start", read=lambda i: i.sessions[0].start if i.sessions else None),
            Column("time_zone"),
            Column("sessions", read=lambda i: len(i.sessions)),
        ),
        columns=(
            Column("wid", "WID"),
            Column("application_id", "Application ID", lambda i: i.application.id if i.application else None),
            Column("candidate_id", "Candidate ID", lambda i: i.candidate.id if i.candidate else None),
            Column("candidate"),
            Column("requisition_id", "Requisition ID", lambda i: i.requisition.id if i.requisition else None),
            Column("requisition"),
            Column("start", read=lambda i: i.sessions[0].start if i.sessions else None),
            Column("time_zone"),
            Column("sessions", read=lambda i: len(i.sessions)),
            Column("interviewers", read=lambda i: tuple(dict.fromkeys(r for s in i.sessions for r in s.interviewers))),
            Column("comment"),
        ),
    )

    reference: Reference | None = None
    application: Reference | None = None
    candidate: Reference | None = None
    requisition: Reference | None = None
    time_zone: str | None = None
    sessions: tuple[InterviewSession, ...] = ()
    comment: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The interview event's WID."""
        return self.reference.wid if self.reference is not None else None

    @property
    def tzinfo(self) -> tzinfo | None:
        """The interview's time zone as a ``tzinfo``, when its name resolves."""
        return resolve_time_zone(self.time_zone)

    def detached(self) -> Interview:
        """The same event, built again from a copy of its element, so it no longer keeps its response page alive."""
        if self.raw is None:
            return self
        return Interview.from_xml(
            copy.deepcopy(self.raw),
            application=self.application,
            candidate=self.candidate,
            requisition=self.requisition,
        )

    def placed(self, application: JobApplication) -> Interview:
        """The event with its application, candidate and requisition filled in from ``application`` where unnamed.

        What :meth:`~workday_recruiting.services.interviews.InterviewsService.for_application` returns for an event
        of that application; a listed or re-read event may name only itself.
        """
        reference = self.application or application.reference
        sessions = tuple(
            s if s.application is not None else attrs.evolve(s, application=reference) for s in self.sessions
        )
        return attrs.evolve(
            self,
            application=reference,
            candidate=self.candidate or application.candidate,
            requisition=self.requisition or application.requisition,
            sessions=sessions,
        )

    def application_in(self, applications: Iterable[JobApplication]) -> JobApplication | None:
        """Which of a candidate's applications the event belongs to: the one it names, else the one for its
        requisition (of several applications to one requisition, the live one), else ``None``."""
        apps = list(applications)
        if self.application is not None:
            named = _ref_values(self.application)
            for app in apps:
                if _ref_values(app.reference) & named:
                    return app
        if self.requisition is not None:
            wanted = _ref_values(self.requisition)
            matching = [a for a in apps if _ref_values(a.requisition) & wanted]
            live = [a for a in matching if a.disposition is None]
            return (live or matching)[0] if matching else None
        return None

    @classmethod
    def from_xml(
        cls,
        el: etree._Element,
        *,
        application: Reference | None = None,
        candidate: Reference | None = None,
        requisition: Reference | None = None,
    ) -> Interview:
        """Build from a ``wd:Interview`` element (or a single ``wd:Interview_Data``).

        Several ``Interview_Data`` entries in one ``wd:Interview`` are read as one event: the first
        reference of each kind wins and the sessions are concatenated.

        Args:
            el: The element.
            application: The application the caller asked about; used when the response does not name it.
            candidate: The candidate, likewise.
            requisition: The requisition, likewise.

        Raises:
            ModelParseError: A session lacks its start or end, or a time cannot be read.
        """
        datas = [el] if el.tag == T_INTERVIEW_DATA else [c for c in el if c.tag == T_INTERVIEW_DATA]
        event: Reference | None = None
        app_ref: Reference | None = None
        cand_ref: Reference | None = None
        req_ref: Reference | None = None
        zone_name: str | None = None
        comment: str | None = None
        session_groups: list[etree._Element] = []
        for data in datas:
            for child in data:
                tag = child.tag
                if tag == T_INTERVIEW_SESSION_DATA:
                    session_groups.append(child)
                elif tag == T_INTERVIEW_EVENT_REFERENCE:
                    event = event or ref_of(child)
                elif tag == T_JOB_APPLICATION_REFERENCE:
                    app_ref = app_ref or ref_of(child)
                elif tag == T_CANDIDATE_INTERVIEW_CRITERIA_DATA:
                    for item in child:
                        if item.tag == T_CANDIDATE_REFERENCE:
                            cand_ref = cand_ref or ref_of(item)
                        elif item.tag == T_REQUISITION_REFERENCE:
                            req_ref = req_ref or ref_of(item)
                elif tag == T_TIMEZONE_REFERENCE:
                    zone_name = zone_name or _time_zone_id(ref_of(child))
                elif tag == T_OVERALL_COMMENT:
                    comment = comment or text_of(child)
        app_ref = app_ref or application
        zone = resolve_time_zone(zone_name) or UTC
        sessions: list[InterviewSession] = []
        for group in session_groups:
            session_ref: Reference | None = None
            for child in group:
                tag = child.tag
                if tag == T_INTERVIEW_SESSION_REFERENCE:
                    session_ref = ref_of(child)
                elif tag == T_INTERVIEW_SESSION_DETAILS_DATA:
                    sessions.append(_session_of(child, session_ref, event, app_ref, zone_name, zone))
        return cls(
            reference=event,
            application=app_ref,
            candidate=cand_ref or candidate,
            requisition=req_ref or requisition,
            time_zone=zone_name,
            sessions=tuple(sessions),
            comment=comment,
            raw=el,
        )


def _session_of(
    el: etree._Element,
    session_ref: Reference | None,
    event: Reference | None,
    application: Reference | None,
    zone_name: str | None,
    zone: tzinfo,
) -> InterviewSession:
    start = end = None
    interviewers: list[Reference] = []
    locations: list[Reference] = []
    interview_type = None
    comment = None
    for child in el:
        tag = child.tag
        if tag == T_INTERVIEWERS_REFERENCE:
            interviewers.append(ref_of(child))
        elif tag == T_INTERVIEW_START_TIME:
            start = parse_datetime(raw_text(child), field=tag, naive_tz=zone)
        elif tag == T_INTERVIEW_END_TIME:
            end = parse_datetime(raw_text(child), field=tag, naive_tz=zone)
        elif tag == T_INTERVIEW_LOCATION_REFERENCE:
            locations.append(ref_of(child))
        elif tag == T_INTERVIEW_TYPE_REFERENCE:
            interview_type = ref_of(child)
        elif tag == T_COMMENT:
            comment = text_of(child)
    if start is None or end is None:
        raise ModelParseError("Interview_Session_Details_Data lacks Interview_Start_Time or Interview_End_Time")
    return InterviewSession(
        start=start,
        end=end,
        reference=session_ref,
        event=event,
        application=application,
        time_zone=zone_name,
        interviewers=tuple(interviewers),
        locations=tuple(locations),
        interview_type=interview_type,
        comment=comment,
        raw=el,
    )


# ----------------------------------------------------------------------------------------------------
# Get_Web_Conference_Interview_Data
# ----------------------------------------------------------------------------------------------------


@attrs.frozen(repr=False)
class Interviewer(Model):
    """An interviewer as a person: name and email (from web-conference data) and/or the worker reference.

    Attributes:
        name: Display name.
        email: Email address.
        reference: The worker, when known (from ``Get_Interviews``).
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        brief=(Column("name"), Column("email")), columns=(Column("name"), Column("email"), Column("reference"))
    )

    name: str | None = None
    email: str | None = None
    reference: Reference | None = None

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or (str(self.reference) if self.reference else "")


@attrs.frozen(repr=False)
class InterviewRoom(Model):
    """A room booked for a session (from web-conference data)."""

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("name"), Column("email")), label=lambda r: r.name or r.email or "InterviewRoom"
    )

    name: str | None = None
    email: str | None = None


@attrs.frozen(repr=False)
class WebConferenceSession(Model):
    """One session's meeting details from ``Get_Web_Conference_Interview_Data``.

    Attributes:
        reference: The interview session.
        start: Start, when the schema's free-text time reads as an ``xsd:dateTime`` (aware), else ``None``.
        end: End, likewise.
        start_text: The start exactly as sent.
        end_text: The end exactly as sent.
        interviewers: Interviewers' names and emails.
        rooms: Rooms' names and emails.
        meeting_id: The web-conference meeting ID (of the interview the session belongs to).
        meeting_url: The web-conference meeting URL (likewise).
        raw: The ``wd:Interview_Session_Data`` element.
    """

    reference: Reference | None = None
    start: datetime | None = None
    end: datetime | None = None
    start_text: str | None = None
    end_text: str | None = None
    interviewers: tuple[Interviewer, ...] = ()
    rooms: tuple[InterviewRoom, ...] = ()
    meeting_id: str | None = None
    meeting_url: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(repr=False)
class WebConference(Model):
    """The web-conference data of one interview event.

    Attributes:
        reference: The interview (``Interview_ID_Reference``).
        time_zone: The interview's time zone name.
        meeting_id: The meeting ID.
        meeting_url: The meeting URL.
        sessions: Per-session details (each also carries the meeting ID and URL).
        raw: The element it was built from.
    """

    reference: Reference | None = None
    time_zone: str | None = None
    meeting_id: str | None = None
    meeting_url: str | None = None
    sessions: tuple[WebConferenceSession, ...] = ()
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    def session_for(self, session: InterviewSession | Reference | None) -> WebConferenceSession | None:
        """The meeting session matching ``session`` (by WID or IID); else, when there is one only, it."""
        ref = session.reference if isinstance(session, InterviewSession) else session
        if ref is not None:
            keys = {value for value in (ref.wid, ref.ids.get("IID")) if value}
            for item in self.sessions:
                other = item.reference
                if other is not None and keys & {v for v in (other.wid, other.ids.get("IID")) if v}:
                    return item
        if len(self.sessions) == 1:
            return self.sessions[0]
        return None

    @classmethod
    def from_xml(cls, el: etree._Element) -> WebConference:
        """Build from ``Get_Web_Conference_Interview_Data`` response content.

        Accepts the ``wd:Response_Data`` element, a ``wd:Web_Conference_Interview`` or a
        ``wd:Web_Conference_Interview_Data``. Several entries are merged: the first ID, zone, meeting ID and
        URL win and the sessions are concatenated (each keeps its own entry's meeting ID and URL).

        Raises:
            ModelParseError: Never for the free-text session times; only for malformed references.
        """
        if el.tag == T_WEB_CONFERENCE_INTERVIEW_DATA:
            datas = [el]
        elif el.tag == T_WEB_CONFERENCE_INTERVIEW:
            datas = [c for c in el if c.tag == T_WEB_CONFERENCE_INTERVIEW_DATA]
        else:
            datas = [
                d
                for c in el
                if c.tag == T_WEB_CONFERENCE_INTERVIEW
                for d in c
                if d.tag == T_WEB_CONFERENCE_INTERVIEW_DATA
            ]
        reference: Reference | None = None
        zone_name: str | None = None
        meeting_id: str | None = None
        meeting_url: str | None = None
        sessions: list[WebConferenceSession] = []
        for data in datas:
            entry_ref = entry_zone = entry_id = entry_url = None
            groups: list[etree._Element] = []
            for child in data:
                tag = child.tag
                if tag == T_INTERVIEW_SESSION_DATA:
                    groups.append(child)
                elif tag == T_INTERVIEW_ID_REFERENCE:
                    entry_ref = ref_of(child)
                elif tag == T_INTERVIEW_TIME_ZONE_REFERENCE:
                    entry_zone = _time_zone_id(ref_of(child))
                elif tag == T_WEB_CONFERENCE_MEETING_ID:
                    entry_id = text_of(child)
                elif tag == T_WEB_CONFERENCE_MEETING_URL:
                    entry_url = text_of(child)
            zone = resolve_time_zone(entry_zone) or UTC
            sessions.extend(_web_session_of(group, entry_id, entry_url, zone) for group in groups)
            reference = reference or entry_ref
            zone_name = zone_name or entry_zone
            meeting_id = meeting_id or entry_id
            meeting_url = meeting_url or entry_url
        return cls(
            reference=reference,
            time_zone=zone_name,
            meeting_id=meeting_id,
            meeting_url=meeting_url,
            sessions=tuple(sessions),
            raw=el,
        )


def _lenient_datetime(text: str | None, zone: tzinfo) -> datetime | None:
    try:
        return parse_datetime(text, naive_tz=zone)
    except ModelParseError:
        return None


def _web_session_of(
    el: etree._Element, meeting_id: str | None, meeting_url: str | None, zone: tzinfo
) -> WebConferenceSession:
    reference = None
    start_text = end_text = None
    interviewers: list[Interviewer] = []
    rooms: list[InterviewRoom] = []
    for child in el:
        tag = child.tag
        if tag == T_INTERVIEWER_DATA:
            name = email = None
            for item in child:
                if item.tag == T_INTERVIEWER_NAME:
                    name = text_of(item)
                elif item.tag == T_INTERVIEWER_EMAIL_ADDRESS:
                    email = text_of(item)
            interviewers.append(Interviewer(name=name, email=email))
        elif tag == T_INTERVIEW_ROOM_DATA:
            room_name = room_email = None
            for item in child:
                if item.tag == T_INTERVIEW_ROOM_NAME:
                    room_name = text_of(item)
                elif item.tag == T_INTERVIEW_ROOM_EMAIL_ADDRESS:
                    room_email = text_of(item)
            rooms.append(InterviewRoom(name=room_name, email=room_email))
        elif tag == T_INTERVIEW_SESSION_REFERENCE:
            reference = ref_of(child)
        elif tag == T_INTERVIEW_SESSION_START_TIME:
            start_text = text_of(child)
        elif tag == T_INTERVIEW_SESSION_END_TIME:
            end_text = text_of(child)
    return WebConferenceSession(
        reference=reference,
        start=_lenient_datetime(start_text, zone),
        end=_lenient_datetime(end_text, zone),
        start_text=start_text,
        end_text=end_text,
        interviewers=tuple(interviewers),
        rooms=tuple(rooms),
        meeting_id=meeting_id,
        meeting_url=meeting_url,
        raw=el,
    )


# ----------------------------------------------------------------------------------------------------
# The joined view
# ----------------------------------------------------------------------------------------------------


@attrs.frozen(repr=False)
class ScheduledInterview(Model):
    """One upcoming interview session with everything a scheduler needs, joined by the client.

    Attributes:
        candidate: The candidate (name, emails, phones).
        application: The job application.
        requisition: The job requisition.
        interview: The interview event.
        session: The session (times, interviewers, locations).
        meeting: The session's web-conference details, when Workday has them.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("start", "end", "time_zone", "interviewers", "meeting_url")
    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda s: f"{text(s.start)} {text(s.candidate)}",
        brief=(
            Column("start"),
            Column("time_zone"),
            Column("candidate"),
            Column("requisition", read=lambda s: id_and_name(s.requisition)),
            Column("interviewers"),
            Column("meeting_url", "Meeting"),
        ),
        # The JSON of `workday-recruiting interviews upcoming --json` too: keep the names stable.
        columns=(
            Column("start"),
            Column("end"),
            Column("time_zone"),
            Column("local_start", read=lambda s: s.session.local_start),
            Column("candidate_id", "Candidate ID", lambda s: s.candidate.candidate_id),
            Column("candidate_name", "Candidate", lambda s: s.candidate.name),
            Column("email", read=lambda s: s.candidate.primary_email),
            Column("phone", read=lambda s: s.candidate.primary_phone),
            Column("application_id", "Application ID", lambda s: s.application.application_id),
            Column("requisition_id", "Requisition ID", lambda s: s.requisition.id if s.requisition else None),
            Column("requisition", read=lambda s: s.requisition.descriptor if s.requisition else None),
            Column("interviewers"),
            Column("meeting_url", "Meeting"),
            Column("meeting_id", "Meeting ID", lambda s: s.meeting.meeting_id if s.meeting is not None else None),
            Column("interview_wid", "Interview WID", lambda s: s.interview.wid),
            Column("session_wid", "Session WID", lambda s: s.session.wid),
        ),
    )

    candidate: Candidate
    application: JobApplication
    requisition: Reference | None
    interview: Interview
    session: InterviewSession
    meeting: WebConferenceSession | None = None

    @property
    def start(self) -> datetime:
        """The session's start (aware)."""
        return self.session.start

    @property
    def end(self) -> datetime:
        """The session's end (aware)."""
        return self.session.end

    @property
    def time_zone(self) -> str | None:
        """The interview's time zone name."""
        return self.session.time_zone or self.interview.time_zone

    @property
    def interviewers(self) -> tuple[Interviewer, ...]:
        """The interviewers: names and emails from the meeting data when it has them, else the workers."""
        if self.meeting is not None and self.meeting.interviewers:
            return self.meeting.interviewers
        return tuple(Interviewer(name=ref.descriptor, reference=ref) for ref in self.session.interviewers)

    @property
    def meeting_url(self) -> str | None:
        """The web-conference URL, when there is one."""
        return self.meeting.meeting_url if self.meeting is not None else None
