"""Job requisitions: the ``wd:Job_Requisition`` entries of a ``Get_Job_Requisitions`` response.

Responses use ``Job_Requisition_Data_2Type``. The recruiter and hiring manager come from
``Role_Assignment_Data`` (sent when the request's ``Response_Group/Include_Roles`` is true): each entry names
an organization role (``Role_Reference``, ``Organization_Role_ID`` such as ``Recruiter`` or
``Hiring_Manager``) and its assignees.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from .._xml import raw_text, text_of
from ._base import Model, Reference, parse_date, parse_int, ref_of
from ._columns import Column, ModelSpec, id_and_name, text

__all__ = ["JobRequisition", "RoleAssignment"]

T_JOB_REQUISITION_REFERENCE: Final = wd("Job_Requisition_Reference")
T_JOB_REQUISITION_DATA: Final = wd("Job_Requisition_Data")
T_JOB_REQUISITION_STATUS_REFERENCE: Final = wd("Job_Requisition_Status_Reference")
T_JOB_REQUISITION_DETAIL_DATA: Final = wd("Job_Requisition_Detail_Data")
T_JOB_POSTING_TITLE: Final = wd("Job_Posting_Title")
T_POSITIONS_ALLOCATED: Final = wd("Positions_Allocated")
T_POSITIONS_AVAILABLE: Final = wd("Positions_Available")
T_JOB_DESCRIPTION_SUMMARY: Final = wd("Job_Description_Summary")
T_JOB_DESCRIPTION: Final = wd("Job_Description")
T_HIRING_REQUIREMENT_DATA: Final = wd("Hiring_Requirement_Data")
T_RECRUITING_START_DATE: Final = wd("Recruiting_Start_Date")
T_TARGET_HIRE_DATE: Final = wd("Target_Hire_Date")
T_TARGET_END_DATE: Final = wd("Target_End_Date")
T_JOB_PROFILE_REFERENCE: Final = wd("Job_Profile_Reference")
T_WORKER_TYPE_REFERENCE: Final = wd("Worker_Type_Reference")
T_PRIMARY_LOCATION_REFERENCE: Final = wd("Primary_Location_Reference")
T_ADDITIONAL_LOCATIONS_REFERENCE: Final = wd("Additional_Locations_Reference")
T_TIME_TYPE_REFERENCE: Final = wd("Time_Type_Reference")
T_POSITION_DATA: Final = wd("Position_Data")
T_POSITION_REFERENCE: Final = wd("Position_Reference")
T_SUPERVISORY_ORGANIZATION_REFERENCE: Final = wd("Supervisory_Organization_Reference")
T_ROLE_ASSIGNMENT_DATA: Final = wd("Role_Assignment_Data")
T_ROLE_REFERENCE: Final = wd("Role_Reference")
T_EFFECTIVE_DATE: Final = wd("Effective_Date")
T_ROLE_ASSIGNEE: Final = wd("Role_Assignee")
T_ROLE_ASSIGNEE_REFERENCE: Final = wd("Role_Assignee_Reference")
T_WORKER_REFERENCE: Final = wd("Worker_Reference")


@attrs.frozen(repr=False)
class RoleAssignment(Model):
    """An organization role on the requisition and who holds it.

    Attributes:
        role: The role (``Organization_Role_ID`` such as ``Recruiter``, ``Hiring_Manager``).
        assignees: The workers holding it (the position when no worker is named).
        effective_date: When the assignment took effect.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda r: f"{r.role}: {text(r.assignees)}",
        columns=(Column("role"), Column("assignees"), Column("effective_date")),
    )

    role: Reference
    assignees: tuple[Reference, ...] = ()
    effective_date: date | None = None

    def is_role(self, *names: str) -> bool:
        """Whether the role's ID or descriptor is in ``names`` (``Hiring Manager`` matches it too).

        Args:
            names: Lower-case role names such as ``"recruiter"``.
        """
        wanted = {name.lower() for name in names}
        for value in (*self.role.ids.values(), self.role.descriptor):
            if value and value.strip().lower().replace(" ", "_") in wanted:
                return True
        return False


_RECRUITER_ROLES: Final = ("recruiter", "primary_recruiter")
_HIRING_MANAGER_ROLES: Final = ("hiring_manager",)


@attrs.frozen(repr=False)
class JobRequisition(Model):
    """A job requisition.

    Attributes:
        reference: The requisition (``Job_Requisition_ID`` such as ``R-00008``, and WID).
        requisition_id: The ``Job_Requisition_ID``.
        title: The job posting title.
        status: The status (``Job_Requisition_Status_ID`` such as ``OPEN``, ``FILLED``).
        positions_allocated: Positions made available by the requisition.
        positions_available: Openings still to fill.
        positions: The positions (``Position_ID``) the requisition fills.
        primary_location: The primary location.
        locations: The primary location followed by the additional ones.
        job_profile: The job profile.
        worker_type: The worker type (``EE`` employee, ``CW`` contingent).
        time_type: Full or part time.
        supervisory_organization: The supervisory organization.
        roles: Every role assignment sent (needs ``Include_Roles``).
        recruiters: Holders of the ``Recruiter``/``Primary_Recruiter`` roles.
        hiring_managers: Holders of the ``Hiring_Manager`` role.
        recruiting_start_date: When recruiting opens (the schema has no separate created or opened date).
        target_hire_date: The target hire (start) date.
        target_end_date: The target end date (fixed-term roles).
        description: The job description (rich text, as sent).
        description_summary: The plain-text description summary.
        raw: The ``wd:Job_Requisition`` element.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda r: " ".join(filter(None, [r.requisition_id, r.title])),
        brief=(
            Column("requisition_id", "ID"),
            Column("title", "Title"),
            Column("status", "Status", lambda r: id_and_name(r.status)),  # --status takes the ID
            Column("primary_location", "Location"),
            Column("hiring_manager", "Hiring manager"),
        ),
        columns=(
            Column("requisition_id", "ID"),
            Column("wid", "WID"),
            Column("title"),
            Column("status_id", "Status ID", lambda r: r.status.id if r.status is not None else None),
            Column("status"),
            Column("positions_allocated"),
            Column("positions_available"),
            Column("primary_location"),
            Column("locations"),
            Column("job_profile"),
            Column("worker_type"),
            Column("time_type"),
            Column("supervisory_organization"),
            Column("recruiters"),
            Column("hiring_managers"),
            Column("recruiting_start_date"),
            Column("target_hire_date"),
            Column("target_end_date"),
        ),
    )

    reference: Reference
    requisition_id: str | None = None
    title: str | None = None
    status: Reference | None = None
    positions_allocated: int | None = None
    positions_available: int | None = None
    positions: tuple[Reference, ...] = ()
    primary_location: Reference | None = None
    locations: tuple[Reference, ...] = ()
    job_profile: Reference | None = None
    worker_type: Reference | None = None
    time_type: Reference | None = None
    supervisory_organization: Reference | None = None
    roles: tuple[RoleAssignment, ...] = ()
    recruiters: tuple[Reference, ...] = ()
    hiring_managers: tuple[Reference, ...] = ()
    recruiting_start_date: date | None = None
    target_hire_date: date | None = None
    target_end_date: date | None = None
    description: str | None = None
    description_summary: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The requisition's WID."""
        return self.reference.wid

    @property
    def recruiter(self) -> Reference | None:
        """The first recruiter, if any."""
        return self.recruiters[0] if self.recruiters else None

    @property
    def hiring_manager(self) -> Reference | None:
        """The first hiring manager, if any."""
        return self.hiring_managers[0] if self.hiring_managers else None

    @classmethod
    def from_xml(cls, el: etree._Element) -> JobRequisition:
        """Build from a ``wd:Job_Requisition`` (``Job_Requisition_Reference`` + ``Job_Requisition_Data``).

        Raises:
            ModelParseError: A date or count cannot be read.
        """
        reference: Reference | None = None
        data: etree._Element | None = None
        for child in el:
            if child.tag == T_JOB_REQUISITION_REFERENCE:
                reference = ref_of(child)
            elif child.tag == T_JOB_REQUISITION_DATA:
                data = child
        return _requisition_of(reference or Reference(), data, el)


def _requisition_of(reference: Reference, data: etree._Element | None, raw: etree._Element) -> JobRequisition:
    title = description = summary = None
    status = profile = worker_type = time_type = org = primary = None
    allocated = available = None
    start_date = hire_date = end_date = None
    positions: list[Reference] = []
    roles: list[RoleAssignment] = []
    additional: list[Reference] = []
    for child in data if data is not None else ():
        tag = child.tag
        if tag == T_JOB_REQUISITION_STATUS_REFERENCE:
            status = ref_of(child)
        elif tag == T_JOB_REQUISITION_DETAIL_DATA:
            for item in child:
                item_tag = item.tag
                if item_tag == T_JOB_POSTING_TITLE:
                    title = text_of(item)
                elif item_tag == T_POSITIONS_ALLOCATED:
                    allocated = parse_int(raw_text(item), field=item_tag)
                elif item_tag == T_POSITIONS_AVAILABLE:
                    available = parse_int(raw_text(item), field=item_tag)
                elif item_tag == T_JOB_DESCRIPTION:
                    description = text_of(item)
                elif item_tag == T_JOB_DESCRIPTION_SUMMARY:
                    summary = text_of(item)
        elif tag == T_HIRING_REQUIREMENT_DATA:
            for item in child:
                item_tag = item.tag
                if item_tag == T_RECRUITING_START_DATE:
                    start_date = parse_date(raw_text(item), field=item_tag)
                elif item_tag == T_TARGET_HIRE_DATE:
                    hire_date = parse_date(raw_text(item), field=item_tag)
                elif item_tag == T_TARGET_END_DATE:
                    end_date = parse_date(raw_text(item), field=item_tag)
                elif item_tag == T_JOB_PROFILE_REFERENCE:
                    profile = ref_of(item)
                elif item_tag == T_WORKER_TYPE_REFERENCE:
                    worker_type = ref_of(item)
                elif item_tag == T_TIME_TYPE_REFERENCE:
                    time_type = ref_of(item)
                elif item_tag == T_PRIMARY_LOCATION_REFERENCE:
                    primary = ref_of(item)
                elif item_tag == T_ADDITIONAL_LOCATIONS_REFERENCE:
                    additional.append(ref_of(item))
        elif tag == T_POSITION_DATA:
            positions.extend(ref_of(item) for item in child if item.tag == T_POSITION_REFERENCE)
        elif tag == T_SUPERVISORY_ORGANIZATION_REFERENCE:
            org = ref_of(child)
        elif tag == T_ROLE_ASSIGNMENT_DATA:
            role = _role_of(child)
            if role is not None:
                roles.append(role)
    locations = ([primary] if primary is not None else []) + additional
    recruiters = [person for role in roles if role.is_role(*_RECRUITER_ROLES) for person in role.assignees]
    managers = [person for role in roles if role.is_role(*_HIRING_MANAGER_ROLES) for person in role.assignees]
    return JobRequisition(
        reference=reference,
        requisition_id=reference.ids.get("Job_Requisition_ID"),
        title=title,
        status=status,
        positions_allocated=allocated,
        positions_available=available,
        positions=tuple(positions),
        primary_location=primary,
        locations=tuple(dict.fromkeys(locations)),
        job_profile=profile,
        worker_type=worker_type,
        time_type=time_type,
        supervisory_organization=org,
        roles=tuple(roles),
        recruiters=tuple(dict.fromkeys(recruiters)),
        hiring_managers=tuple(dict.fromkeys(managers)),
        recruiting_start_date=start_date,
        target_hire_date=hire_date,
        target_end_date=end_date,
        description=description,
        description_summary=summary,
        raw=raw,
    )


def _role_of(el: etree._Element) -> RoleAssignment | None:
    role: Reference | None = None
    effective = None
    assignees: list[Reference] = []
    for child in el:
        tag = child.tag
        if tag == T_ROLE_REFERENCE:
            role = ref_of(child)
        elif tag == T_ROLE_ASSIGNEE:
            worker = None
            rolee = None
            for item in child:
                if item.tag == T_WORKER_REFERENCE:
                    worker = ref_of(item)
                elif item.tag == T_ROLE_ASSIGNEE_REFERENCE and rolee is None:
                    rolee = ref_of(item)
            chosen = worker or rolee
            if chosen is not None:
                assignees.append(chosen)
        elif tag == T_EFFECTIVE_DATE:
            effective = parse_date(raw_text(child), field=tag)
    if role is None:
        return None
    return RoleAssignment(role=role, assignees=tuple(assignees), effective_date=effective)
