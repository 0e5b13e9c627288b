"""What a webhook receiver gets: :class:`DeliveredChange`, the typed form of the payload a delivery carries.

A delivery's body is :meth:`InterviewChange.to_payload() <workday_recruiting.feed.InterviewChange.to_payload>` as
JSON (schema :data:`~workday_recruiting.feed.PAYLOAD_SCHEMA`, documented in ``docs/push.md``). It holds flattened
values, not Workday's XML, so the receiver's model is its own: frozen attrs classes whose fields are the payload's,
typed (aware datetimes, tuples, ``None`` for what the payload leaves out). :meth:`DeliveredChange.from_payload`
reads a payload; :meth:`DeliveredChange.to_payload` writes the same object back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Final, Literal, cast, overload

import attrs

from ..feed._changes import CHANGE_BRIEF, KINDS, PAYLOAD_SCHEMA, ChangeKind, SessionValues, change_label
from ..models._base import Model
from ..models._columns import Column, ModelSpec
from ._secret import WebhookPayloadError

__all__ = [
    "DeliveredCandidate",
    "DeliveredChange",
    "DeliveredLocation",
    "DeliveredPerson",
    "DeliveredRequisition",
]

_SCHEMA_FAMILY: Final = PAYLOAD_SCHEMA.rpartition("/")[0] + "/"


@attrs.frozen(repr=False)
class DeliveredCandidate(Model):
    """The candidate of a delivered change.

    Attributes:
        id: The ``Candidate_ID`` (``CAND-1187``).
        wid: The candidate's WID.
        name: The candidate's name.
        email: The primary email address.
        phone: The primary phone number.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("id", "ID"), Column("name"), Column("email"), Column("phone"), Column("wid", "WID")),
        label=lambda c: c.name or c.id or "",
    )

    id: str | None = None
    wid: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@attrs.frozen(repr=False)
class DeliveredRequisition(Model):
    """The job requisition of a delivered change.

    Attributes:
        id: The ``Job_Requisition_ID`` (``R-00008``).
        wid: The requisition's WID.
        title: The requisition's display name.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("id", "ID"), Column("title"), Column("wid", "WID")),
        label=lambda r: " ".join(part for part in (r.id, r.title) if part),
    )

    id: str | None = None
    wid: str | None = None
    title: str | None = None


@attrs.frozen(repr=False)
class DeliveredPerson(Model):
    """An interviewer of a delivered change.

    Attributes:
        name: The worker's name.
        email: The worker's work email address.
        id: The worker's ID (``Employee_ID``, else WID), when Workday names the worker here.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("name"), Column("email"), Column("id", "ID")),
        label=lambda p: f"{p.name} <{p.email}>" if p.name and p.email else (p.name or p.email or p.id or ""),
    )

    name: str | None = None
    email: str | None = None
    id: str | None = None


@attrs.frozen(repr=False)
class DeliveredLocation(Model):
    """A location of a delivered change's session.

    Attributes:
        id: The location's ID (what :attr:`SessionValues.locations` lists).
        name: Its display name.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        columns=(Column("id", "ID"), Column("name")), label=lambda p: p.name or p.id or ""
    )

    id: str | None = None
    name: str | None = None


@attrs.frozen(repr=False)
class DeliveredChange(Model):
    """One interview change as a webhook receiver gets it: what :func:`~workday_recruiting.webhooks.verify` returns.

    Attributes:
        id: The change ID (``ic_`` and 32 hex digits), also the delivery's ``webhook-id``: the same on every retry,
            so deduplicate on it.
        kind: ``"scheduled"``, ``"rescheduled"``, ``"cancelled"`` or ``"updated"`` (see
            :class:`~workday_recruiting.feed.InterviewChange`).
        tenant: The tenant key of the feed that saw the change.
        timestamp: When the feed saw the change (the tenant's clock), aware; ``None`` if the payload has none.
        interview_wid: The interview event's WID.
        session_wid: The session's WID.
        start: The session's start, aware (with the UTC offset Workday gave it).
        end: The session's end, aware.
        local_start: The start in the interview's time zone (its offset then), if the zone is known.
        local_end: The end in the interview's time zone.
        time_zone: The interview's time zone name (``America/New_York``).
        candidate: The candidate (ID, WID, name, email, phone).
        application_id: The job application's ID.
        requisition: The job requisition, or ``None`` when the payload names none.
        interviewers: The interviewers (name, email, and ID where Workday gives one), as Workday lists them.
        interviewer_ids: The interviewers' worker IDs, sorted: the form of ``previous.interviewers``.
        locations: The session's locations (ID and name).
        meeting_url: The web-conference link, when Workday has one.
        meeting_id: The web-conference meeting ID.
        changed: The names of the values that changed (:attr:`SessionValues.FIELDS`); empty for ``"scheduled"`` and
            ``"cancelled"``.
        previous: The values before the change (``"rescheduled"`` and ``"updated"``), else ``None``.
        schema: The payload's schema (:data:`~workday_recruiting.feed.PAYLOAD_SCHEMA`).
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("type",)
    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=change_label,
        brief=CHANGE_BRIEF,
        columns=(
            Column("id"),
            Column("kind"),
            Column("tenant"),
            Column("start"),
            Column("end"),
            Column("time_zone"),
            Column("local_start"),
            Column("candidate_id", "Candidate ID", lambda c: c.candidate.id),
            Column("candidate_name", "Candidate", lambda c: c.candidate.name),
            Column("requisition", read=lambda c: c.requisition.title if c.requisition else None),
            Column("interviewers", read=lambda c: c.interviewers),
            Column("meeting_url"),
            Column("changed"),
            Column("session_wid", "Session WID"),
            Column("interview_wid", "Interview WID"),
        ),
    )

    id: str
    kind: ChangeKind = attrs.field(validator=attrs.validators.in_(KINDS))
    tenant: str
    timestamp: datetime | None
    interview_wid: str | None
    session_wid: str | None
    start: datetime
    end: datetime
    local_start: datetime | None = None
    local_end: datetime | None = None
    time_zone: str | None = None
    candidate: DeliveredCandidate = attrs.field(factory=DeliveredCandidate)
    application_id: str | None = None
    requisition: DeliveredRequisition | None = None
    interviewers: tuple[DeliveredPerson, ...] = ()
    interviewer_ids: tuple[str, ...] = ()
    locations: tuple[DeliveredLocation, ...] = ()
    meeting_url: str | None = None
    meeting_id: str | None = None
    changed: tuple[str, ...] = ()
    previous: SessionValues | None = None
    schema: str = PAYLOAD_SCHEMA

    @property
    def type(self) -> str:
        """The event type of the payload: ``interview.scheduled``, ``interview.rescheduled`` ..."""
        return f"interview.{self.kind}"

    @property
    def values(self) -> SessionValues:
        """The session's compared values now, from the payload (compare with :attr:`previous`)."""
        return SessionValues(
            start=self.start,
            end=self.end,
            time_zone=self.time_zone,
            interviewers=self.interviewer_ids,
            locations=tuple(sorted({place.id for place in self.locations if place.id})),
            meeting_url=self.meeting_url,
        )

    # -- reading and writing the payload ---------------------------------------------------------------------------

    @classmethod
    def from_json(cls, body: bytes | str) -> DeliveredChange:
        """Read a delivery's body (JSON) without checking its signature: use :func:`verify` on a received one.

        Raises:
            WebhookPayloadError: Not JSON, or not an interview change this SDK reads.
        """
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise WebhookPayloadError("the body is not JSON") from None
        return cls.from_payload(data)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> DeliveredChange:
        """Read the JSON object :meth:`InterviewChange.to_payload` writes (parsed already).

        Fields this SDK does not know are ignored (a later minor version may add some); a payload of another schema
        major version is refused.

        Raises:
            WebhookPayloadError: Not an interview change of schema ``.../1``, or a value of the wrong type.
        """
        reader = _Reader(payload, "the payload")
        schema = reader.text("schema", required=True)
        if schema != PAYLOAD_SCHEMA:
            if schema.startswith(_SCHEMA_FAMILY):
                raise WebhookPayloadError(
                    f"the payload's schema is {schema!r}; this version of workday-recruiting reads "
                    f"{PAYLOAD_SCHEMA!r}: upgrade the receiver's SDK"
                )
            raise WebhookPayloadError(f"the payload is not an interview change (schema {schema!r})")
        data = reader.child("data")
        kind = data.text("kind", required=True)
        if kind not in KINDS:
            raise WebhookPayloadError(f"data.kind {kind!r} is not one of {', '.join(KINDS)}")
        kind_type = reader.text("type")
        if kind_type is not None and kind_type != f"interview.{kind}":
            raise WebhookPayloadError(f"type {kind_type!r} does not match data.kind {kind!r}")
        candidate = data.child("candidate")
        requisition = data.child("requisition", optional=True)
        meeting = data.child("meeting", optional=True)
        previous = data.child("previous", optional=True)
        delivered_requisition = (
            DeliveredRequisition(requisition.text("id"), requisition.text("wid"), requisition.text("title"))
            if requisition is not None
            else None
        )
        if delivered_requisition == DeliveredRequisition():
            delivered_requisition = None
        return cls(
            id=reader.text("id", required=True),
            kind=cast("ChangeKind", kind),
            tenant=reader.text("tenant") or "",
            timestamp=reader.moment("timestamp"),
            interview_wid=data.text("interview_wid"),
            session_wid=data.text("session_wid"),
            start=data.moment("start", required=True),
            end=data.moment("end", required=True),
            local_start=data.moment("local_start"),
            local_end=data.moment("local_end"),
            time_zone=data.text("time_zone"),
            candidate=DeliveredCandidate(
                id=candidate.text("id"),
                wid=candidate.text("wid"),
                name=candidate.text("name"),
                email=candidate.text("email"),
                phone=candidate.text("phone"),
            ),
            application_id=data.text("application_id"),
            requisition=delivered_requisition,
            interviewers=tuple(
                DeliveredPerson(name=p.text("name"), email=p.text("email"), id=p.text("id"))
                for p in data.children("interviewers")
            ),
            interviewer_ids=data.texts("interviewer_ids"),
            locations=tuple(
                DeliveredLocation(id=place.text("id"), name=place.text("name")) for place in data.children("locations")
            ),
            meeting_url=meeting.text("url") if meeting is not None else None,
            meeting_id=meeting.text("id") if meeting is not None else None,
            changed=data.texts("changed"),
            previous=_previous(previous) if previous is not None else None,
        )

    def to_payload(self) -> dict[str, Any]:
        """The payload this change was read from (the same JSON object :meth:`InterviewChange.to_payload` writes)."""
        requisition = self.requisition or DeliveredRequisition()
        previous = self.previous
        data: dict[str, Any] = {
            "kind": self.kind,
            "interview_wid": self.interview_wid,
            "session_wid": self.session_wid,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "local_start": self.local_start.isoformat() if self.local_start else None,
            "local_end": self.local_end.isoformat() if self.local_end else None,
            "time_zone": self.time_zone,
            "candidate": attrs.asdict(self.candidate),
            "application_id": self.application_id,
            "requisition": {"id": requisition.id, "wid": requisition.wid, "title": requisition.title},
            "interviewers": [attrs.asdict(person) for person in self.interviewers],
            "interviewer_ids": list(self.interviewer_ids),
            "locations": [attrs.asdict(place) for place in self.locations],
            "meeting": {"url": self.meeting_url, "id": self.meeting_id},
            "changed": list(self.changed),
            "previous": None
            if previous is None
            else {
                "start": previous.start.isoformat(),
                "end": previous.end.isoformat(),
                "time_zone": previous.time_zone,
                "interviewers": list(previous.interviewers),
                "locations": list(previous.locations),
                "meeting_url": previous.meeting_url,
            },
        }
        return {
            "schema": self.schema,
            "id": self.id,
            "type": self.type,
            "tenant": self.tenant,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "data": data,
        }


def _previous(previous: _Reader) -> SessionValues:
    return SessionValues(
        start=previous.moment("start", required=True),
        end=previous.moment("end", required=True),
        time_zone=previous.text("time_zone"),
        interviewers=previous.texts("interviewers"),
        locations=previous.texts("locations"),
        meeting_url=previous.text("meeting_url"),
    )


class _Reader:
    """Typed reads of one JSON object, each failure a :class:`WebhookPayloadError` naming the field."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, Mapping):
            raise WebhookPayloadError(f"{where} is not a JSON object")
        self._data: Mapping[str, Any] = value
        self._where = where

    def _name(self, key: str) -> str:
        return key if self._where == "the payload" else f"{self._where}.{key}"

    @overload
    def text(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, *, required: bool = False) -> str | None: ...
    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._data.get(key)
        if value is None:
            if required:
                raise WebhookPayloadError(f"{self._name(key)} is missing")
            return None
        if not isinstance(value, str):
            raise WebhookPayloadError(f"{self._name(key)} is not a string")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._data.get(key)
        if values is None:
            return ()
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise WebhookPayloadError(f"{self._name(key)} is not a list of strings")
        return tuple(values)

    @overload
    def moment(self, key: str, *, required: Literal[True]) -> datetime: ...
    @overload
    def moment(self, key: str, *, required: bool = False) -> datetime | None: ...
    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
        except ValueError:
            raise WebhookPayloadError(f"{self._name(key)} is not an ISO 8601 datetime") from None
        if moment.tzinfo is None:
            raise WebhookPayloadError(f"{self._name(key)} has no UTC offset")
        return moment

    @overload
    def child(self, key: str) -> _Reader: ...
    @overload
    def child(self, key: str, *, optional: Literal[True]) -> _Reader | None: ...
    def child(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self._data.get(key)
        if value is None and optional:
            return None
        return _Reader(value, self._name(key))

    def children(self, key: str) -> list[_Reader]:
        values = self._data.get(key)
        if values is None:
            return []
        if not isinstance(values, list):
            raise WebhookPayloadError(f"{self._name(key)} is not a list")
        return [_Reader(value, f"{self._name(key)}[{index}]") for index, value in enumerate(values)]
