"""Typed, immutable models of Workday Recruiting responses, built straight from lxml elements.

Each model has a ``from_xml(element)`` named constructor, keeps its source element in ``raw`` (out of ``repr``
and equality) and converts to JSON-ready data with ``to_dict()``.
"""

from __future__ import annotations

from ._base import (
    Model,
    ModelParseError,
    Reference,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    resolve_time_zone,
)
from .applications import JobApplication
from .candidates import Address, Candidate, CandidatePoolMembership, EmailAddress, PersonName, PhoneNumber, Prospect
from .interviews import (
    Interview,
    Interviewer,
    InterviewRoom,
    InterviewSession,
    ScheduledInterview,
    WebConference,
    WebConferenceSession,
)
from .postings import JobPosting
from .requisitions import JobRequisition, RoleAssignment

__all__ = [
    "Address",
    "Candidate",
    "CandidatePoolMembership",
    "EmailAddress",
    "Interview",
    "InterviewRoom",
    "InterviewSession",
    "Interviewer",
    "JobApplication",
    "JobPosting",
    "JobRequisition",
    "Model",
    "ModelParseError",
    "PersonName",
    "PhoneNumber",
    "Prospect",
    "Reference",
    "RoleAssignment",
    "ScheduledInterview",
    "WebConference",
    "WebConferenceSession",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_int",
    "resolve_time_zone",
]
