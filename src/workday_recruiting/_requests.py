"""The one request builder: typed arguments to request bodies in zeep's dict dialect.

Every request the SDK sends is built here, and nowhere else: references (``{"ID": [{"_value_1": ..., "type": ...}]}``),
``Request_Criteria``, change windows, ``Response_Group`` and ``Response_Filter``. The services and the setup check
pass typed values (strings, :class:`~workday_recruiting.Reference`, datetimes) and get plain dicts back; nothing
reads these dicts back (filters compare the typed values, see :func:`id_values`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from ._errors import ConfigurationError
from .models import Reference

__all__ = [
    "CANDIDATE_GROUP",
    "INTERVIEW_GROUP",
    "LOG_EPOCH",
    "Ids",
    "candidate_criteria",
    "check_range",
    "get_body",
    "id_value",
    "id_values",
    "instant",
    "interview_criteria",
    "interview_listing",
    "interview_references",
    "log_window",
    "page_filter",
    "ref",
    "refs",
    "request_references",
    "requisition_criteria",
    "split_name",
    "typed_ref",
]

#: One ID or reference, several, or none: what every ``requisition=``/``stage=``/``status=`` argument takes.
Ids = str | Reference | Iterable[str | Reference] | None

_WID_RE = re.compile(r"^[0-9a-fA-F]{32}$")

#: The lower bound sent when only an upper one is given (Workday requires both or neither).
LOG_EPOCH = datetime(1900, 1, 1, tzinfo=timezone.utc)

#: ``Get_Candidates``' response group: the reference, no attachments (base64 resumes are large).
CANDIDATE_GROUP: Mapping[str, bool] = {"Include_Reference": True, "Exclude_All_Attachments": True}

#: ``Get_Interviews``' response group: the event reference.
INTERVIEW_GROUP: Mapping[str, bool] = {"Include_Reference": True}


# -- values ------------------------------------------------------------------------------------------------------


def id_value(value: str | Reference, id_type: str) -> tuple[str, str]:
    """``(id, type)`` for one argument: a WID-looking value (or a reference's WID) is a WID, anything else ``id_type``.

    Raises:
        ConfigurationError: An empty value, not a string, or a reference with neither a WID nor an ``id_type``.
    """
    if isinstance(value, Reference):
        if value.wid:
            return value.wid, "WID"
        typed = value.get(id_type)
        if typed is None:
            raise ConfigurationError(f"the reference {value!r} has neither a WID nor a {id_type}")
        return typed, id_type
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"expected a {id_type} or WID string, got {value!r}")
    value = value.strip()
    return value, "WID" if _WID_RE.match(value) else id_type


def _listed(values: Ids) -> list[str | Reference]:
    if values is None:
        return []
    if isinstance(values, (str, Reference)):
        return [values]
    return list(values)


def id_values(values: Ids, id_type: str) -> set[str]:
    """The IDs (or WIDs) an argument names, for filtering client-side what Workday cannot filter."""
    return {id_value(value, id_type)[0] for value in _listed(values)}


def instant(value: datetime | date | None, name: str, *, end: bool = False) -> datetime | None:
    """An aware datetime from a datetime or a date (a date means its start in UTC, or its end when ``end``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ConfigurationError(
                f"{name} must be timezone-aware, e.g. datetime(2026, 1, 1, tzinfo=timezone.utc); got {value!r}"
            )
        return value
    if isinstance(value, date):
        moment = datetime.combine(value, time.min, tzinfo=timezone.utc)
        return moment + timedelta(days=1) - timedelta(microseconds=1) if end else moment
    raise ConfigurationError(f"{name} must be a datetime or a date, got {type(value).__name__}")


def check_range(lower: datetime | None, upper: datetime | None, names: str) -> None:
    """Refuse a window whose start is after its end (before any request)."""
    if lower is not None and upper is not None and lower > upper:
        raise ConfigurationError(f"{names}: the start is after the end")


def split_name(name: str | tuple[str, str]) -> tuple[str, str]:
    """``(first, last)`` from ``"First Last"`` or a tuple; Workday matches on both."""
    if isinstance(name, tuple):
        if len(name) != 2 or not all(isinstance(p, str) and p.strip() for p in name):
            raise ConfigurationError("name must be 'First Last' or a (first, last) tuple")
        return name[0].strip(), name[1].strip()
    parts = name.strip().rsplit(None, 1)
    if len(parts) != 2:
        raise ConfigurationError(
            f"name {name!r} needs a first and a last name (Workday requires both); pass ('First', 'Last')"
        )
    return parts[0], parts[1]


# -- request parts -----------------------------------------------------------------------------------------------


def typed_ref(value: str, id_type: str) -> dict[str, Any]:
    """A reference by an ID known to be of ``id_type``: ``{"ID": [{"_value_1": value, "type": id_type}]}``."""
    return {"ID": [{"_value_1": value, "type": id_type}]}


def ref(value: str | Reference, id_type: str) -> dict[str, Any]:
    """A reference to what an argument names: a WID, or an ``id_type`` ID (see :func:`id_value`)."""
    return typed_ref(*id_value(value, id_type))


def refs(values: Ids, id_type: str) -> list[dict[str, Any]]:
    """One reference per value (none for ``None``)."""
    return [ref(value, id_type) for value in _listed(values)]


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None and value != []}


def page_filter(page: int, count: int, as_of: datetime | None = None) -> dict[str, Any]:
    """``Response_Filter``: the page, its size and (for a pinned snapshot) ``As_Of_Entry_DateTime``."""
    if as_of is None:
        return {"Page": page, "Count": count}
    return {"As_Of_Entry_DateTime": as_of, "Page": page, "Count": count}


def request_references(name: str, references: list[dict[str, Any]], group: Mapping[str, Any]) -> dict[str, Any]:
    """A Get by references (``name`` is e.g. ``Candidate_Reference``), unknown ones skipped."""
    return {
        "Request_References": {name: references, "Skip_Non_Existing_Instances": True},
        "Response_Group": dict(group),
    }


def candidate_criteria(
    *,
    updated_from: datetime | date | None = None,
    updated_to: datetime | date | None = None,
    email: str | None = None,
    name: str | tuple[str, str] | None = None,
    requisition: Ids = None,
    stage: Ids = None,
    applied_from: datetime | date | None = None,
    applied_to: datetime | date | None = None,
) -> tuple[dict[str, Any], datetime | None, datetime | None]:
    """Validated ``Get_Candidates`` ``Request_Criteria`` without the change window, and the window's bounds."""
    u_from = instant(updated_from, "updated_from")
    u_to = instant(updated_to, "updated_to", end=True)
    a_from = instant(applied_from, "applied_from")
    a_to = instant(applied_to, "applied_to", end=True)
    check_range(u_from, u_to, "updated_from/updated_to")
    check_range(a_from, a_to, "applied_from/applied_to")
    first, last = split_name(name) if name is not None else (None, None)
    if email is not None and (not isinstance(email, str) or not email.strip()):
        raise ConfigurationError("email must be a non-empty string")
    criteria = _present(
        First_Name=first,
        Last_Name=last,
        Candidate_Email_Address=email.strip() if email else None,
        Job_Requisition_Reference=refs(requisition, "Job_Requisition_ID"),
        Recruiting_Stage_Reference=refs(stage, "Recruiting_Stage_ID"),
        Applied_From=a_from,
        Applied_Through=a_to,
    )
    return criteria, u_from, u_to


def requisition_criteria(
    *, status: Ids = None, updated_from: datetime | date | None = None, updated_to: datetime | date | None = None
) -> tuple[dict[str, Any], datetime | None, datetime | None]:
    """Validated ``Get_Job_Requisitions`` ``Request_Criteria`` without the change window, and the window's bounds."""
    u_from = instant(updated_from, "updated_from")
    u_to = instant(updated_to, "updated_to", end=True)
    check_range(u_from, u_to, "updated_from/updated_to")
    return _present(Job_Requisition_Status_Reference=refs(status, "Job_Requisition_Status_ID")), u_from, u_to


def log_window(
    server_time: Callable[[], datetime], updated_from: datetime | None, updated_to: datetime | None
) -> list[dict[str, Any]]:
    """``Transaction_Log_Criteria_Data`` for a change window; empty when neither bound is given.

    Workday requires both bounds and refuses an upper bound after its own current moment, so a missing upper bound
    is the tenant's clock (``server_time``, i.e. ``Get_Server_Timestamp``) and a missing lower one is 1900-01-01.
    """
    if updated_from is None and updated_to is None:
        return []
    upper = updated_to if updated_to is not None else server_time()
    lower = updated_from if updated_from is not None else LOG_EPOCH
    check_range(lower, upper, "updated_from/updated_to")
    return [{"Transaction_Date_Range_Data": {"Updated_From": lower, "Updated_Through": upper}}]


def get_body(
    server_time: Callable[[], datetime],
    criteria: Mapping[str, Any],
    updated_from: datetime | None,
    updated_to: datetime | None,
    group: Mapping[str, Any],
) -> dict[str, Any] | Callable[[], dict[str, Any]]:
    """A Get request body; with a change window, a builder run at the first page (it may ask the tenant's clock)."""
    if updated_from is None and updated_to is None:
        if criteria:
            return {"Request_Criteria": dict(criteria), "Response_Group": dict(group)}
        return {"Response_Group": dict(group)}

    def build() -> dict[str, Any]:
        window = log_window(server_time, updated_from, updated_to)
        return {
            "Request_Criteria": {**criteria, "Transaction_Log_Criteria_Data": window},
            "Response_Group": dict(group),
        }

    return build


def interview_criteria(criteria: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Get_Interviews`` body by criteria (one application, or candidate plus requisition)."""
    return {"Request_Criteria": dict(criteria), "Response_Group": dict(INTERVIEW_GROUP)}


def interview_listing() -> dict[str, Any]:
    """A ``Get_Interviews`` body with neither references nor criteria: every interview event, where tenants list them.

    Schema-valid (both are optional); whether a tenant answers it or refuses it with a validation fault is not
    documented, so the interviews service probes it once per client.
    """
    return {"Response_Group": dict(INTERVIEW_GROUP)}


def interview_references(wids: Iterable[str | Reference]) -> dict[str, Any]:
    """A ``Get_Interviews`` body re-reading interview events by WID (``Interview_Reference`` [1..*]).

    The schema's ``Interview_Request_ReferencesType`` has no ``Skip_Non_Existing_Instances``.
    """
    references = [typed_ref(id_value(wid, "WID")[0], "WID") for wid in wids]
    if not references:
        raise ConfigurationError("interview_references needs at least one interview WID")
    return {"Request_References": {"Interview_Reference": references}, "Response_Group": dict(INTERVIEW_GROUP)}
