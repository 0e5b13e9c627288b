"""What the interview feed delivers: :class:`InterviewChange`, the values it compares, and its JSON payload."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Final, Literal

import attrs

from ..models import (
    Candidate,
    Interview,
    InterviewSession,
    JobApplication,
    Reference,
    ScheduledInterview,
)
from ..models._base import Model
from ..models._columns import Column, ModelSpec, text

__all__ = ["PAYLOAD_SCHEMA", "ChangeKind", "InterviewChange", "SessionValues"]

#: What happened to an interview session, as the feed saw it.
ChangeKind = Literal["scheduled", "rescheduled", "cancelled", "updated"]
KINDS: Final = ("scheduled", "rescheduled", "cancelled", "updated")

#: The ``schema`` of :meth:`InterviewChange.to_payload`; a breaking change of the payload gets a new number.
PAYLOAD_SCHEMA: Final = "workday-recruiting.interview-change/1"


def _key(reference: Reference) -> str:
    """A reference's stable identity: its first typed ID, else its WID, else its descriptor."""
    return reference.id or reference.wid or reference.descriptor or ""


@attrs.frozen(repr=False)
class SessionValues(Model):
    """The values of one session the feed compares between polls; a change in any is a change delivered.

    Attributes:
        start: The session's start (aware, UTC).
        end: The session's end (aware, UTC).
        time_zone: The interview's time zone name.
        interviewers: The interviewers' worker IDs (``Employee_ID``, else WID), sorted.
        locations: The session's location IDs, sorted.
        meeting_url: The web-conference URL, when Workday has one.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda v: text(v.start),
        columns=(
            Column("start"),
            Column("end"),
            Column("time_zone"),
            Column("interviewers"),
            Column("locations"),
            Column("meeting_url"),
        ),
    )
    #: The names of the compared values, as :attr:`InterviewChange.changed` lists them.
    FIELDS: ClassVar[tuple[str, ...]] = ("start", "end", "time_zone", "interviewers", "locations", "meeting_url")

    start: datetime
    end: datetime
    time_zone: str | None = None
    interviewers: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    meeting_url: str | None = None

    @classmethod
    def of(cls, scheduled: ScheduledInterview) -> SessionValues:
        """The compared values of a scheduled session."""
        return cls.from_parts(scheduled.interview, scheduled.session, scheduled.meeting_url)

    @classmethod
    def from_parts(cls, interview: Interview, session: InterviewSession, meeting_url: str | None) -> SessionValues:
        """The compared values of ``session`` of ``interview``, with the meeting URL read for it."""
        return cls(
            start=session.start,
            end=session.end,
            time_zone=session.time_zone or interview.time_zone,
            interviewers=tuple(sorted({_key(r) for r in session.interviewers} - {""})),
            locations=tuple(sorted({_key(r) for r in session.locations} - {""})),
            meeting_url=meeting_url,
        )

    def differs(self, other: SessionValues) -> tuple[str, ...]:
        """The names of the values that differ from ``other``, in :attr:`FIELDS` order."""
        return tuple(name for name in self.FIELDS if getattr(self, name) != getattr(other, name))

    def to_json(self) -> str:
        """The values as compact, stable JSON (what the state store keeps)."""
        data = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "time_zone": self.time_zone,
            "interviewers": list(self.interviewers),
            "locations": list(self.locations),
            "meeting_url": self.meeting_url,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SessionValues:
        """Restore values written by :meth:`to_json` (``ValueError`` or ``KeyError`` on anything else)."""
        data = json.loads(text)
        return cls(
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            time_zone=data.get("time_zone"),
            interviewers=tuple(str(v) for v in data.get("interviewers", ())),
            locations=tuple(str(v) for v in data.get("locations", ())),
            meeting_url=data.get("meeting_url"),
        )


def change_label(change: Any) -> str:
    """How a change (sent or received) stands inside another view: its kind, start and candidate."""
    return f"{change.kind} {text(change.start)} {text(change.candidate)}"


#: The brief columns of a change, sent (:class:`InterviewChange`) or received (``webhooks.DeliveredChange``).
CHANGE_BRIEF: Final = (
    Column("kind"),
    Column("start"),
    Column("candidate", read=lambda c: c.candidate),
    Column("changed"),
    Column("id"),
)


@attrs.frozen(repr=False)
class InterviewChange(Model):
    """One change to one interview session: scheduled, rescheduled, cancelled, or updated.

    Attributes:
        id: Stable across redeliveries (``ic_`` and 32 hex digits): deduplicate on it.
        kind: ``"scheduled"`` (a session the feed had not delivered: new, or entering the window),
            ``"rescheduled"`` (its start or end moved; :attr:`previous` holds the old times), ``"cancelled"`` (the
            event or the session is gone, or Workday says the event is no longer in progress) or ``"updated"``
            (interviewers, locations, time zone or meeting link changed; :attr:`changed` names which).
        scheduled: The session as it is now, with candidate, application, requisition, interviewers and meeting
            (for ``"cancelled"``: as it was last seen).
        previous: The values before the change (``"rescheduled"`` and ``"updated"``), else ``None``.
        changed: The names of the values that changed (:attr:`SessionValues.FIELDS`): empty for ``"scheduled"``
            and ``"cancelled"``.
        detected_at: The tenant's clock at the poll that saw the change.
        tenant: The feed's tenant key.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("session_wid", "interview_wid", "start", "end")
    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=change_label,
        brief=CHANGE_BRIEF,
        columns=(
            Column("id"),
            Column("kind"),
            Column("start"),
            Column("end"),
            Column("time_zone", read=lambda c: c.scheduled.time_zone),
            Column("candidate_id", "Candidate ID", lambda c: c.candidate.candidate_id),
            Column("candidate_name", "Candidate", lambda c: c.candidate.name),
            Column("requisition", read=lambda c: c.requisition.descriptor if c.requisition else None),
            Column("changed"),
            Column("session_wid", "Session WID"),
            Column("interview_wid", "Interview WID"),
        ),
    )

    id: str
    kind: ChangeKind = attrs.field(validator=attrs.validators.in_(KINDS))
    scheduled: ScheduledInterview
    previous: SessionValues | None = None
    changed: tuple[str, ...] = ()
    detected_at: datetime | None = None
    tenant: str = ""

    @property
    def session(self) -> InterviewSession:
        """The interview session (times, interviewers, locations)."""
        return self.scheduled.session

    @property
    def interview(self) -> Interview:
        """The interview event the session belongs to."""
        return self.scheduled.interview

    @property
    def candidate(self) -> Candidate:
        """The candidate."""
        return self.scheduled.candidate

    @property
    def application(self) -> JobApplication:
        """The job application."""
        return self.scheduled.application

    @property
    def requisition(self) -> Reference | None:
        """The job requisition."""
        return self.scheduled.requisition

    @property
    def session_wid(self) -> str | None:
        """The session's WID."""
        return self.scheduled.session.wid

    @property
    def interview_wid(self) -> str | None:
        """The interview event's WID."""
        return self.scheduled.interview.wid

    @property
    def start(self) -> datetime:
        """The session's start (aware)."""
        return self.scheduled.start

    @property
    def end(self) -> datetime:
        """The session's end (aware)."""
        return self.scheduled.end

    @property
    def values(self) -> SessionValues:
        """The compared values of the session now (for ``"cancelled"``: as last seen)."""
        return SessionValues.of(self.scheduled)

    def to_payload(self) -> dict[str, Any]:
        """The change as the documented JSON object (``docs/push.md``, "The payload"; schema :data:`PAYLOAD_SCHEMA`).

        Used by ``workday-recruiting interviews watch`` (one line each) and by webhook delivery (one POST each).
        """
        scheduled = self.scheduled
        candidate = scheduled.candidate
        requisition = scheduled.requisition
        zone = scheduled.session.tzinfo
        data: dict[str, Any] = {
            "kind": self.kind,
            "interview_wid": self.interview_wid,
            "session_wid": self.session_wid,
            "start": _iso(scheduled.start),
            "end": _iso(scheduled.end),
            "local_start": _iso(scheduled.start.astimezone(zone)) if zone else None,
            "local_end": _iso(scheduled.end.astimezone(zone)) if zone else None,
            "time_zone": scheduled.time_zone,
            "candidate": {
                "id": candidate.candidate_id,
                "wid": candidate.reference.wid,
                "name": candidate.name,
                "email": candidate.primary_email,
                "phone": candidate.primary_phone,
            },
            "application_id": scheduled.application.application_id,
            "requisition": {
                "id": requisition.id if requisition else None,
                "wid": requisition.wid if requisition else None,
                "title": requisition.descriptor if requisition else None,
            },
            "interviewers": [
                {
                    "name": person.name,
                    "email": person.email,
                    "id": _key(person.reference) if person.reference is not None else None,
                }
                for person in scheduled.interviewers
            ],
            # The interviewers' worker IDs, in the form of previous.interviewers (compare the two for "updated").
            "interviewer_ids": list(SessionValues.of(scheduled).interviewers),
            "locations": [{"id": _key(place), "name": place.descriptor} for place in scheduled.session.locations],
            "meeting": {
                "url": scheduled.meeting_url,
                "id": scheduled.meeting.meeting_id if scheduled.meeting is not None else None,
            },
            "changed": list(self.changed),
            "previous": _previous(self.previous),
        }
        return {
            "schema": PAYLOAD_SCHEMA,
            "id": self.id,
            "type": f"interview.{self.kind}",
            "tenant": self.tenant,
            "timestamp": _iso(self.detected_at) if self.detected_at else None,
            "data": data,
        }

    def to_json(self) -> str:
        """:meth:`to_payload` as compact JSON (one line, UTF-8 safe)."""
        return json.dumps(self.to_payload(), separators=(",", ":"), ensure_ascii=False)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _previous(values: SessionValues | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        "start": _iso(values.start),
        "end": _iso(values.end),
        "time_zone": values.time_zone,
        "interviewers": list(values.interviewers),
        "locations": list(values.locations),
        "meeting_url": values.meeting_url,
    }
