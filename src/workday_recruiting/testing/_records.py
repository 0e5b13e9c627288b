"""The fake tenant's records: immutable attrs values, one per Workday object the fake serves.

A record is what the data set generates or a test enters; :mod:`._render` turns it into v45.2 XML. Records never
change: an edit makes a new version (see :mod:`._store`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import attrs

__all__ = [
    "Address",
    "ApplicationRecord",
    "CandidateRecord",
    "ExperienceRecord",
    "InterviewRecord",
    "InterviewSessionRecord",
    "InterviewStatus",
    "JobPostingRecord",
    "Phone",
    "Ref",
    "RequisitionRecord",
    "ResumeRecord",
    "WorkerRecord",
]

InterviewStatus = Literal["in_progress", "completed", "cancelled"]


@attrs.frozen
class Ref:
    """A Workday reference: WID, typed IDs (``(("Candidate_ID", "CAND-1187"),)``) and a display name."""

    wid: str
    ids: tuple[tuple[str, str], ...] = ()
    descriptor: str | None = None

    def id(self, id_type: str) -> str | None:
        """The value of one ID type (``"WID"`` included), or None."""
        if id_type == "WID":
            return self.wid
        for t, v in self.ids:
            if t == id_type:
                return v
        return None


@attrs.frozen(kw_only=True)
class Phone:
    """A phone number as Workday's Candidate_Contact_Data holds it.

    The country code lives in the ``Country_Phone_Code_Reference`` (``country_phone_code_id``, e.g. ``DEU_49``);
    ``number`` is the rest, in one of the national forms people type (``030 1234567``, ``301234567``,
    ``(404) 555-0123``), never with a ``+`` code.
    """

    country_phone_code_id: str
    number: str
    device_type_id: str = "Mobile"
    extension: str | None = None


@attrs.frozen(kw_only=True)
class Address:
    """A postal address (country as ISO alpha-2; region as Workday Country_Region_ID such as ``USA-GA``)."""

    country: str
    city: str
    region_id: str | None = None
    postal_code: str | None = None
    lines: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ApplicationRecord:
    """One job application of a candidate (Workday's Job_Application_Data)."""

    wid: str
    application_id: str
    requisition_id: str
    #: Recruiting_Stage_ID; for dispositioned applications, the last active stage.
    stage_id: str
    #: Recruiting_Disposition_ID, only for rejected or declined applications.
    disposition_id: str | None = None
    #: Workflow_Step_ID within the stage (None when dispositioned).
    workflow_step_id: str | None = None
    applied_at: datetime
    status_at: datetime
    source_id: str
    referred_by_worker_id: str | None = None
    added_by_worker_id: str | None = None


@attrs.frozen(kw_only=True)
class CandidateRecord:
    """One candidate, with 1..3 applications (Workday's Candidate element)."""

    index: int
    wid: str
    candidate_id: str
    first_name: str
    last_name: str
    secondary_last_name: str | None = None
    local_first_name: str | None = None
    local_last_name: str | None = None
    preferred_first_name: str | None = None
    preferred_last_name: str | None = None
    #: Primary first.
    emails: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    addresses: tuple[Address, ...] = ()
    linkedin_url: str | None = None
    language_id: str | None = None
    tags: tuple[str, ...] = ()
    source_id: str = "CAREER_SITE"
    referred_by_worker_id: str | None = None
    referral_relationship_id: str | None = None
    #: Employee_ID when the candidate is an internal worker.
    worker_id: str | None = None
    prospect: bool = False
    prospect_status_id: str | None = None
    withdrawn: bool = False
    do_not_hire: bool = False
    has_resume: bool = False
    has_cover_letter: bool = False
    applications: tuple[ApplicationRecord, ...] = ()
    created_at: datetime
    updated_at: datetime

    @property
    def display_name(self) -> str:
        """The name Workday shows (preferred over legal)."""
        return f"{self.preferred_first_name or self.first_name} {self.preferred_last_name or self.last_name}"

    @property
    def primary_email(self) -> str | None:
        """The public primary email address."""
        return self.emails[0] if self.emails else None

    def application(self, application_id: str) -> ApplicationRecord | None:
        """One of this candidate's applications by Job_Application_ID."""
        for app in self.applications:
            if app.application_id == application_id:
                return app
        return None


@attrs.frozen(kw_only=True)
class WorkerRecord:
    """A worker: recruiter, hiring manager, interviewer or referrer."""

    index: int
    wid: str
    employee_id: str
    first_name: str
    last_name: str
    email: str
    job_title: str

    @property
    def display_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen(kw_only=True)
class JobPostingRecord:
    """A job posting of a requisition on one job posting site."""

    wid: str
    posting_id: str
    requisition_id: str
    title: str
    description: str
    site_id: str
    external_path: str | None
    external_apply_url: str | None
    location_ids: tuple[str, ...]
    remote_type_id: str | None
    time_type_id: str
    position_worker_type_id: str
    supervisory_org_id: str
    job_family_id: str
    start_date: date
    end_date: date | None
    primary: bool
    created_at: datetime


@attrs.frozen(kw_only=True)
class RequisitionRecord:
    """A job requisition (Workday's Job_Requisition, response shape Job_Requisition_Data_2Type)."""

    index: int
    wid: str
    requisition_id: str
    title: str
    #: Job_Requisition_Status_ID: OPEN, FILLED, FROZEN or CLOSED.
    status_id: str
    positions: int
    positions_available: int
    position_ids: tuple[str, ...]
    #: Primary location first.
    location_ids: tuple[str, ...]
    job_profile_id: str
    supervisory_org_id: str
    worker_type_id: str
    position_worker_type_id: str
    time_type_id: str
    remote_type_id: str | None
    scheduled_weekly_hours: str
    recruiter_ids: tuple[str, ...]
    hiring_manager_ids: tuple[str, ...]
    recruiting_start_date: date
    target_hire_date: date
    target_end_date: date | None = None
    summary: str
    description: str
    spotlight: bool = False
    confidential: bool = False
    postings: tuple[JobPostingRecord, ...] = ()
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class InterviewSessionRecord:
    """One session of an interview event."""

    wid: str
    start: datetime
    end: datetime
    #: Employee_IDs, 1..3.
    interviewer_ids: tuple[str, ...]
    interview_type_id: str
    location_id: str | None = None
    room_name: str | None = None
    room_email: str | None = None
    comment: str | None = None


@attrs.frozen(kw_only=True)
class InterviewRecord:
    """An interview event of one application."""

    wid: str
    application_id: str
    candidate_id: str
    requisition_id: str
    #: IANA name, which is also the Time_Zone_ID.
    time_zone: str
    sessions: tuple[InterviewSessionRecord, ...]
    status: InterviewStatus = "in_progress"
    meeting_id: str | None = None
    meeting_url: str | None = None
    overall_comment: str | None = None
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class ExperienceRecord:
    """One work experience line of a resume."""

    company: str
    title: str
    location: str | None
    start_year: int
    start_month: int
    end_year: int | None
    end_month: int | None


@attrs.frozen(kw_only=True)
class ResumeRecord:
    """Parsed resume data (skills, experience, education)."""

    summary: str | None
    skills: tuple[str, ...]
    experience: tuple[ExperienceRecord, ...]
    school: str
    degree_id: str
    first_year: int
    last_year: int
