"""Render the fake tenant's records as Workday Recruiting v45.2 response XML (``wd:`` elements, lxml).

Each ``render_*`` function builds one ``Response_Data`` child (``wd:Candidate``, ``wd:Job_Requisition``,
``wd:Interview``, ``wd:Web_Conference_Interview``, ``wd:Job_Posting``) in the element order of the v45.2
XSD's sequences, so that a response wrapped around them validates against Workday's schema. Pass
``parent=`` to build the element in place (no repeated namespace declarations); otherwise a standalone
element declaring ``wd`` is returned.

Wire habits copied from real Workday responses: timestamps carry milliseconds and an offset (the tenant's
zone, or the interview's zone for interview times), some dates carry an offset (``2026-03-02-08:00``), and
booleans are ``1``/``0`` for some records and ``true``/``false`` for others (deterministically, by record).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from lxml import etree

from .._ns import WD, wd
from ._dataset import Dataset, encode_base64
from ._knobs import InterviewDataNames
from ._records import (
    ApplicationRecord,
    CandidateRecord,
    InterviewRecord,
    JobPostingRecord,
    Ref,
    RequisitionRecord,
)

__all__ = [
    "PARTS",
    "render_candidate",
    "render_interview",
    "render_job_posting",
    "render_reference",
    "render_requisition",
    "render_web_conference",
]

#: Field-level security parts of a candidate (see :func:`render_candidate`).
PARTS: Final = frozenset({"personal", "applications", "other"})

_NSMAP: Final = {"wd": WD}
_TYPE: Final = wd("type")
_DESCRIPTOR: Final = wd("Descriptor")
_ID: Final = wd("ID")

_Element = etree._Element
#: How long a referrer owns a referred candidate.
_OWNERSHIP: Final = timedelta(days=365)


def _el(parent: _Element | None, local: str) -> _Element:
    if parent is None:
        return etree.Element(wd(local), nsmap=_NSMAP)
    return etree.SubElement(parent, wd(local))


def _text(parent: _Element, local: str, value: str) -> _Element:
    child = etree.SubElement(parent, wd(local))
    child.text = value
    return child


def _bool(value: bool, numeric: bool) -> str:
    if numeric:
        return "1" if value else "0"
    return "true" if value else "false"


def _dt(value: datetime, tz: tzinfo) -> str:
    """xsd:dateTime with milliseconds and the offset of ``tz`` (``2026-11-30T09:00:00.000-08:00``)."""
    return value.astimezone(tz).isoformat(timespec="milliseconds")


def _date(value: date, tz: tzinfo | None) -> str:
    """xsd:date, with the offset ``tz`` has at noon that day when given (``2026-03-02-08:00``)."""
    if tz is None:
        return value.isoformat()
    offset = datetime(value.year, value.month, value.day, 12, tzinfo=tz).strftime("%z")
    return f"{value.isoformat()}{offset[:3]}:{offset[3:]}"


def _ref(parent: _Element, local: str, ref: Ref, descriptors: bool) -> _Element:
    el = etree.SubElement(parent, wd(local))
    if descriptors and ref.descriptor is not None:
        el.set(_DESCRIPTOR, ref.descriptor)
    id_el = etree.SubElement(el, _ID)
    id_el.set(_TYPE, "WID")
    id_el.text = ref.wid
    for id_type, value in ref.ids:
        id_el = etree.SubElement(el, _ID)
        id_el.set(_TYPE, id_type)
        id_el.text = value
    return el


def render_reference(tag_local: str, ref: Ref, *, descriptors: bool, parent: _Element | None = None) -> _Element:
    """``<wd:{tag_local} wd:Descriptor=..><wd:ID wd:type="WID">..</wd:ID><wd:ID wd:type=..>..</wd:ID>..``.

    Args:
        tag_local: the element's local name, such as ``"Candidate_Reference"``.
        ref: the reference.
        descriptors: set ``wd:Descriptor`` (Include_Reference_Descriptors_In_Response).
        parent: build the element as the last child of this element.
    """
    if parent is not None:
        return _ref(parent, tag_local, ref, descriptors)
    holder = etree.Element(wd("_"), nsmap=_NSMAP)
    el = _ref(holder, tag_local, ref, descriptors)
    holder.remove(el)
    return el


# ----------------------------------------------------------------------------------------------------
# References of records
# ----------------------------------------------------------------------------------------------------


def candidate_ref(rec: CandidateRecord) -> Ref:
    """The Candidate reference of a candidate (descriptor: the display name)."""
    return Ref(rec.wid, (("Candidate_ID", rec.candidate_id),), rec.display_name)


def requisition_ref(ds: Dataset, requisition_id: str) -> Ref:
    """The Job_Requisition reference of a requisition ID (descriptor: ``R-00008 Title``)."""
    req = ds.find_requisition("Job_Requisition_ID", requisition_id)
    if req is None:  # a dangling ID: render what is known
        return Ref("0" * 32, (("Job_Requisition_ID", requisition_id),), requisition_id)
    return Ref(req.wid, (("Job_Requisition_ID", req.requisition_id),), f"{req.requisition_id} {req.title}")


def application_ref(ds: Dataset, cand: CandidateRecord, app: ApplicationRecord) -> Ref:
    """The Job_Application reference (descriptor: ``Job Application: Name - R-00008 Title``)."""
    req = requisition_ref(ds, app.requisition_id)
    return Ref(
        app.wid,
        (("Job_Application_ID", app.application_id),),
        f"Job Application: {cand.display_name} - {req.descriptor}",
    )


def worker_ref(ds: Dataset, employee_id: str) -> Ref:
    """The Worker reference of an Employee_ID (descriptor: the worker's name)."""
    worker = ds.find_worker("Employee_ID", employee_id)
    if worker is None:
        return Ref("0" * 32, (("Employee_ID", employee_id),), employee_id)
    return Ref(worker.wid, (("Employee_ID", worker.employee_id),), worker.display_name)


def _process_role_ref(ds: Dataset, employee_id: str) -> Ref:
    return worker_ref(ds, employee_id)


def _wid_ref(wid: str, descriptor: str | None) -> Ref:
    return Ref(wid, (), descriptor)


# ----------------------------------------------------------------------------------------------------
# Candidates
# ----------------------------------------------------------------------------------------------------


def render_candidate(
    rec: CandidateRecord,
    ds: Dataset,
    *,
    descriptors: bool,
    attachments: bool,
    parts: frozenset[str],
    parent: _Element | None = None,
) -> _Element:
    """A ``wd:Candidate`` (Candidate_Reference + Candidate_Data).

    Args:
        rec: the candidate.
        ds: the data set (for requisitions, workers and reference data).
        descriptors: set ``wd:Descriptor`` on references.
        attachments: include base64 resumes and cover letters (false for Exclude_All_Attachments).
        parts: the field-level security parts the caller may see: ``"personal"`` (Name_Data,
            Contact_Data, Social_Media_Account_Data), ``"applications"`` (Job_Application_Data, with resumes)
            and ``"other"`` (Worker_Reference, Status_Data, Prospect_Data, Referral_Data, Language_Reference,
            Candidate_Tag_Reference, Candidate_Attachment_Data). The schema requires none of them, so absent
            parts are omitted entirely; Candidate_Reference and Candidate_ID are always present.
        parent: build the element as the last child of this element.
    """
    numeric = rec.index % 2 == 0
    tz = ds.tz
    cand = _el(parent, "Candidate")
    _ref(cand, "Candidate_Reference", candidate_ref(rec), descriptors)
    data = etree.SubElement(cand, wd("Candidate_Data"))
    _text(data, "Candidate_ID", rec.candidate_id)
    other = "other" in parts
    if other and rec.worker_id is not None:
        _ref(data, "Worker_Reference", worker_ref(ds, rec.worker_id), descriptors)
    if "personal" in parts:
        _render_names(data, rec)
        _render_contact(data, rec, ds, descriptors)
        if rec.linkedin_url:
            social = etree.SubElement(data, wd("Social_Media_Account_Data"))
            _ref(
                social,
                "Social_Network_Type_Reference",
                ds.reference("Social_Network_Type", "LinkedIn"),
                descriptors,
            )
            _text(social, "Social_Network_Account_URL", rec.linkedin_url)
    if other:
        status = etree.SubElement(data, wd("Status_Data"))
        _text(status, "Do_Not_Hire", _bool(rec.do_not_hire, numeric))
        _text(status, "Withdrawn", _bool(rec.withdrawn, numeric))
    if "applications" in parts:
        for slot, app in enumerate(rec.applications):
            _render_application(data, rec, app, ds, descriptors, tz, attachments and slot == 0, numeric)
    if other:
        _render_prospect(data, rec, ds, descriptors, numeric)
        if rec.referred_by_worker_id is not None:
            referral = etree.SubElement(data, wd("Referral_Data"))
            owner = etree.SubElement(referral, wd("Referral_Ownership_Details_Data"))
            _ref(
                owner,
                "Candidate_Owner_Worker_Reference",
                worker_ref(ds, rec.referred_by_worker_id),
                descriptors,
            )
            _text(owner, "Ownership_Start_Date", _dt(rec.created_at, tz))
            _text(owner, "Ownership_End_Date", _dt(rec.created_at + _OWNERSHIP, tz))
        if rec.language_id is not None:
            _ref(data, "Language_Reference", ds.reference("User_Language", rec.language_id), descriptors)
        for tag in rec.tags:
            _ref(data, "Candidate_Tag_Reference", ds.reference("Candidate_Tag", tag), descriptors)
        if attachments and rec.has_cover_letter:
            _render_cover_letter(data, rec, ds, descriptors)
    return cand


def _render_names(data: _Element, rec: CandidateRecord) -> None:
    names = etree.SubElement(data, wd("Name_Data"))
    legal = etree.SubElement(etree.SubElement(names, wd("Legal_Name")), wd("Name_Detail_Data"))
    _text(legal, "First_Name", rec.first_name)
    _text(legal, "Last_Name", rec.last_name)
    if rec.secondary_last_name:
        _text(legal, "Secondary_Last_Name", rec.secondary_last_name)
    if rec.local_first_name or rec.local_last_name:
        local = etree.SubElement(legal, wd("Local_Person_Name"))
        if rec.local_first_name:
            _text(local, "First_Name_-_Local", rec.local_first_name)
        if rec.local_last_name:
            _text(local, "Last_Name_-_Local", rec.local_last_name)
    if rec.preferred_first_name or rec.preferred_last_name:
        preferred = etree.SubElement(etree.SubElement(names, wd("Preferred_Name")), wd("Name_Detail_Data"))
        _text(preferred, "First_Name", rec.preferred_first_name or rec.first_name)
        _text(preferred, "Last_Name", rec.preferred_last_name or rec.last_name)


def _render_contact(data: _Element, rec: CandidateRecord, ds: Dataset, descriptors: bool) -> None:
    if not (rec.phones or rec.emails or rec.addresses):
        return
    contact = etree.SubElement(data, wd("Contact_Data"))
    if rec.phones:
        phone = rec.phones[0]
        _ref(
            contact,
            "Phone_Device_Type_Reference",
            ds.reference("Phone_Device_Type", phone.device_type_id),
            descriptors,
        )
        _ref(
            contact,
            "Country_Phone_Code_Reference",
            ds.reference("Country_Phone_Code", phone.country_phone_code_id),
            descriptors,
        )
        _text(contact, "Phone_Number", phone.number)
        if phone.extension:
            _text(contact, "Phone_Extension", phone.extension)
    if rec.emails:
        _text(contact, "Email_Address", rec.emails[0])
    if rec.addresses:
        address = rec.addresses[0]
        location = etree.SubElement(contact, wd("Location_Data"))
        _ref(location, "Country_Reference", ds.reference("Country", address.country), descriptors)
        for n, line in enumerate(address.lines[:9], start=1):
            _text(location, f"Address_Line_{n}", line)
        _text(location, "City", address.city)
        if address.region_id:
            _ref(
                location,
                "Country_Region_Reference",
                ds.reference("Country_Region", address.region_id),
                descriptors,
            )
        if address.postal_code:
            _text(location, "Postal_Code", address.postal_code)


def _render_application(
    data: _Element,
    cand: CandidateRecord,
    app: ApplicationRecord,
    ds: Dataset,
    descriptors: bool,
    tz: tzinfo,
    with_resume: bool,
    numeric: bool,
) -> None:
    ja = etree.SubElement(data, wd("Job_Application_Data"))
    # v45.2: the reference sits on Job_Application_Data (v34.0 had it inside Job_Applied_To_Data).
    _ref(ja, "Job_Application_Reference", application_ref(ds, cand, app), descriptors)
    applied = etree.SubElement(ja, wd("Job_Applied_To_Data"))
    _text(applied, "Job_Application_ID", app.application_id)
    _ref(applied, "Job_Requisition_Reference", requisition_ref(ds, app.requisition_id), descriptors)
    _text(applied, "Job_Application_Date", _dt(app.applied_at, tz))
    _ref(applied, "Stage_Reference", ds.reference("Recruiting_Stage", app.stage_id), descriptors)
    if app.workflow_step_id:
        _ref(
            applied,
            "Workflow_Step_Reference",
            ds.reference("Workflow_Step", app.workflow_step_id),
            descriptors,
        )
    if app.disposition_id:
        _ref(
            applied,
            "Disposition_Reference",
            ds.reference("Recruiting_Disposition", app.disposition_id),
            descriptors,
        )
    _text(applied, "Status_Timestamp", _dt(app.status_at, tz))
    _ref(applied, "Source_Reference", ds.reference("Applicant_Source", app.source_id), descriptors)
    if app.referred_by_worker_id:
        _ref(applied, "Referred_By_Worker_Reference", worker_ref(ds, app.referred_by_worker_id), descriptors)
    if app.added_by_worker_id:
        _ref(applied, "Added_By_Worker_Reference", _process_role_ref(ds, app.added_by_worker_id), descriptors)
    if not with_resume or not cand.has_resume:
        return
    filename, mime, content = ds.resume_file(cand)
    attachment = etree.SubElement(ja, wd("Resume_Attachment_Data"))
    _text(attachment, "ID", f"RESUME_ATTACHMENT-6-{cand.index + 1001}")
    _text(attachment, "Filename", filename)
    _text(attachment, "File_Content", encode_base64(content))
    _ref(attachment, "Mime_Type_Reference", ds.reference("Mime_Type", mime), descriptors)
    resume = ds.resume_for(cand)
    if resume is None:
        return
    rd = etree.SubElement(ja, wd("Resume_Data"))
    if resume.summary:
        _text(rd, "Summary", resume.summary)
    for skill in resume.skills:
        _text(etree.SubElement(rd, wd("Skill_Data")), "Skill_Name", skill)
    for exp in resume.experience:
        ex = etree.SubElement(rd, wd("Experience_Data"))
        _text(ex, "Company_Name", exp.company)
        _text(ex, "Title", exp.title)
        if exp.location:
            _text(ex, "Location", exp.location)
        _text(ex, "Start_Month", str(exp.start_month))
        _text(ex, "Start_Year", str(exp.start_year))
        if exp.end_month is not None:
            _text(ex, "End_Month", str(exp.end_month))
        if exp.end_year is not None:
            _text(ex, "End_Year", str(exp.end_year))
        _text(ex, "Currently_Work_Here", _bool(exp.end_year is None, numeric))
    edu = etree.SubElement(rd, wd("Education_Data"))
    _text(edu, "School_Name", resume.school)
    _text(edu, "First_Year_Attended", str(resume.first_year))
    _text(edu, "Last_Year_Attended", str(resume.last_year))
    _ref(edu, "Degree_Reference", ds.reference("Degree", resume.degree_id), descriptors)


def _render_prospect(data: _Element, rec: CandidateRecord, ds: Dataset, descriptors: bool, numeric: bool) -> None:
    prospect = etree.SubElement(data, wd("Prospect_Data"))
    _text(prospect, "Prospect", _bool(rec.prospect, numeric))
    if rec.referred_by_worker_id is not None:
        _text(prospect, "Referral_Consent_Given", _bool(True, numeric))
    if rec.prospect_status_id is not None:
        _ref(
            prospect,
            "Prospect_Status_Reference",
            ds.reference("Prospect_Status", rec.prospect_status_id),
            descriptors,
        )
        _ref(
            prospect,
            "Prospect_Type_Reference",
            ds.reference("Prospect_Type", "Passive" if rec.index % 3 else "Active"),
            descriptors,
        )
    _ref(prospect, "Source_Reference", ds.reference("Applicant_Source", rec.source_id), descriptors)
    if rec.referred_by_worker_id is not None:
        _ref(prospect, "Referred_By_Worker_Reference", worker_ref(ds, rec.referred_by_worker_id), descriptors)
        if rec.referral_relationship_id is not None:
            _ref(
                prospect,
                "Referral_Relationship_Reference",
                ds.reference("Referral_Relationship", rec.referral_relationship_id),
                descriptors,
            )
        _text(prospect, "Referral_Comment", "Worked together for 3 years \u2013 strong engineer & great mentor.")


def _render_cover_letter(data: _Element, rec: CandidateRecord, ds: Dataset, descriptors: bool) -> None:
    item = etree.SubElement(data, wd("Candidate_Attachment_Data"))
    file_id = f"CANDIDATE_ATTACHMENT-{rec.index + 1001}"
    _ref(
        item,
        "Candidate_Attachment_Reference",
        Ref(ds.derived_wid("cover_letter", rec.index), (("File_ID", file_id),), "Cover Letter"),
        descriptors,
    )
    attachment = etree.SubElement(item, wd("Attachment_Data"))
    _text(attachment, "ID", file_id)
    _text(attachment, "Filename", f"Cover_Letter_{rec.candidate_id}.pdf")
    body = f"%PDF-1.4\n% Cover letter of {rec.display_name}\n%%EOF\n".encode()
    _text(attachment, "File_Content", encode_base64(body))
    _ref(attachment, "Mime_Type_Reference", ds.reference("Mime_Type", "application/pdf"), descriptors)
    _ref(item, "Document_Category_Reference", ds.reference("Document_Category", "Cover_Letter"), descriptors)


# ----------------------------------------------------------------------------------------------------
# Requisitions and postings
# ----------------------------------------------------------------------------------------------------


def render_requisition(
    rec: RequisitionRecord,
    ds: Dataset,
    *,
    descriptors: bool,
    roles: bool,
    workers_visible: bool,
    definition: bool = True,
    restrictions: bool = True,
    parent: _Element | None = None,
) -> _Element:
    """A ``wd:Job_Requisition`` (Job_Requisition_Reference + Job_Requisition_Data).

    Args:
        rec: the requisition.
        ds: the data set.
        descriptors: set ``wd:Descriptor`` on references.
        roles: Include_Roles: add Role_Assignment_Data (primary recruiter, recruiters, hiring manager).
        workers_visible: the caller may see workers; without it no role assignments are rendered.
        definition: include Job_Requisition_Detail_Data (Include_Job_Requisition_Definition_Data).
        restrictions: include Hiring_Requirement_Data (Include_Job_Requisition_Restrictions_Data).
        parent: build the element as the last child of this element.
    """
    numeric = rec.index % 2 == 1
    tz = ds.tz
    req = _el(parent, "Job_Requisition")
    _ref(req, "Job_Requisition_Reference", requisition_ref(ds, rec.requisition_id), descriptors)
    data = etree.SubElement(req, wd("Job_Requisition_Data"))
    _ref(
        data,
        "Job_Requisition_Status_Reference",
        ds.reference("Job_Requisition_Status", rec.status_id),
        descriptors,
    )
    if definition:
        detail = etree.SubElement(data, wd("Job_Requisition_Detail_Data"))
        _text(detail, "Job_Posting_Title", rec.title)
        _text(detail, "Positions_Allocated", str(rec.positions))
        _text(detail, "Positions_Available", str(rec.positions_available))
        _text(detail, "Job_Description_Summary", rec.summary)
        _text(detail, "Job_Description", rec.description)
        _text(detail, "Available_for_Recruiting", _bool(rec.status_id == "OPEN", numeric))
        _text(detail, "Confidential_Job_Requisition", _bool(rec.confidential, numeric))
    if restrictions:
        _render_restrictions(data, rec, ds, descriptors, numeric, tz)
    if rec.position_ids:
        positions = etree.SubElement(data, wd("Position_Data"))
        for n, position_id in enumerate(rec.position_ids):
            _ref(
                positions,
                "Position_Reference",
                Ref(
                    ds.derived_wid("position", rec.index * 8 + n),
                    (("Position_ID", position_id),),
                    position_id,
                ),
                descriptors,
            )
    _ref(
        data,
        "Supervisory_Organization_Reference",
        ds.reference("Supervisory_Organization", rec.supervisory_org_id),
        descriptors,
    )
    if roles and workers_visible:
        effective = _date(rec.created_at.astimezone(tz).date(), None)
        assignments = [
            ("Primary_Recruiter", rec.recruiter_ids[:1]),
            ("Recruiter", rec.recruiter_ids[1:]),
            ("Hiring_Manager", rec.hiring_manager_ids),
        ]
        for n, (role_id, assignees) in enumerate(assignments):
            if not assignees:
                continue
            ra = etree.SubElement(data, wd("Role_Assignment_Data"))
            _ref(
                ra,
                "Role_Assignment_Reference",
                _wid_ref(ds.derived_wid("role_assignment", rec.index * 4 + n), None),
                descriptors,
            )
            _text(ra, "Effective_Date", effective)
            _ref(ra, "Role_Reference", ds.reference("Organization_Role", role_id), descriptors)
            for employee_id in assignees:
                _ref(
                    etree.SubElement(ra, wd("Role_Assignee")),
                    "Worker_Reference",
                    worker_ref(ds, employee_id),
                    descriptors,
                )
    return req


def _render_restrictions(
    parent: _Element, rec: RequisitionRecord, ds: Dataset, descriptors: bool, numeric: bool, tz: tzinfo
) -> None:
    hr = etree.SubElement(parent, wd("Hiring_Requirement_Data"))
    # Some dates carry the tenant's offset, as real responses do.
    _text(hr, "Recruiting_Start_Date", _date(rec.recruiting_start_date, tz if rec.index % 3 == 0 else None))
    _text(hr, "Target_Hire_Date", _date(rec.target_hire_date, None))
    if rec.target_end_date is not None:
        _text(hr, "Target_End_Date", _date(rec.target_end_date, None))
    _ref(hr, "Job_Profile_Reference", ds.reference("Job_Profile", rec.job_profile_id), descriptors)
    _ref(hr, "Worker_Type_Reference", ds.reference("Worker_Type", rec.worker_type_id), descriptors)
    _ref(
        hr,
        "Position_Worker_Type_Reference",
        ds.reference("Position_Worker_Type", rec.position_worker_type_id),
        descriptors,
    )
    if rec.remote_type_id:
        _ref(
            hr,
            "Remote_Type_Reference",
            ds.reference("Job_Requisition_Remote_Type", rec.remote_type_id),
            descriptors,
        )
    if rec.location_ids:
        primary = ds.reference("Location", rec.location_ids[0])
        _ref(hr, "Primary_Location_Reference", primary, descriptors)
        _ref(hr, "Primary_Job_Posting_Location_Reference", primary, descriptors)
        for location_id in rec.location_ids[1:]:
            _ref(hr, "Additional_Locations_Reference", ds.reference("Location", location_id), descriptors)
    _ref(hr, "Time_Type_Reference", ds.reference("Position_Time_Type", rec.time_type_id), descriptors)
    _text(hr, "Scheduled_Weekly_Hours", rec.scheduled_weekly_hours)
    _text(hr, "Spotlight_Job", _bool(rec.spotlight, numeric))


def render_job_posting(
    rec: JobPostingRecord, ds: Dataset, *, descriptors: bool, parent: _Element | None = None
) -> _Element:
    """A ``wd:Job_Posting`` (Job_Posting_Reference + Job_Posting_Data).

    Args:
        rec: the posting.
        ds: the data set.
        descriptors: set ``wd:Descriptor`` on references.
        parent: build the element as the last child of this element.
    """
    numeric = rec.primary
    tz = ds.tz
    posting = _el(parent, "Job_Posting")
    _ref(
        posting,
        "Job_Posting_Reference",
        Ref(rec.wid, (("Job_Posting_ID", rec.posting_id),), f"{rec.title} ({rec.posting_id})"),
        descriptors,
    )
    data = etree.SubElement(posting, wd("Job_Posting_Data"))
    _text(data, "Job_Posting_ID", rec.posting_id)
    _text(data, "Job_Posting_Title", rec.title)
    _text(data, "Job_Posting_Description", rec.description)
    _ref(data, "Job_Posting_Site_Reference", ds.reference("Job_Posting_Site", rec.site_id), descriptors)
    if rec.external_path:
        _text(data, "External_Job_Path", rec.external_path)
    if rec.external_apply_url:
        _text(data, "External_Apply_URL", rec.external_apply_url)
    _ref(data, "Job_Requisition_Reference", requisition_ref(ds, rec.requisition_id), descriptors)
    _text(data, "Job_Requisition_ID", rec.requisition_id)
    if rec.remote_type_id:
        remote = etree.SubElement(data, wd("Job_Posting_Remote_Type_Data"))
        remote_ref = ds.reference("Job_Requisition_Remote_Type", rec.remote_type_id)
        _ref(remote, "Remote_Type_Reference", remote_ref, descriptors)
        _text(remote, "External_Name", remote_ref.descriptor or rec.remote_type_id)
    if rec.location_ids:
        where = etree.SubElement(data, wd("Job_Posting_Location_Data"))
        primary = ds.reference("Location", rec.location_ids[0])
        _ref(where, "Primary_Location_Reference", primary, descriptors)
        _text(where, "External_Name", primary.descriptor or rec.location_ids[0])
        for location_id in rec.location_ids[1:]:
            extra = etree.SubElement(where, wd("Job_Posting_Additional_Location_Data"))
            location = ds.reference("Location", location_id)
            _ref(extra, "Additional_Location_Reference", location, descriptors)
            _text(extra, "External_Name", location.descriptor or location_id)
    _text(data, "Job_Posting_Start_Date", _date(rec.start_date, tz if not rec.primary else None))
    if rec.end_date is not None:
        _text(data, "Job_Posting_End_Date", _date(rec.end_date, None))
    _text(data, "Primary_Posting", _bool(rec.primary, numeric))
    _ref(data, "Job_Family_Reference", ds.reference("Job_Family", rec.job_family_id), descriptors)
    _ref(data, "Time_Type_Reference", ds.reference("Position_Time_Type", rec.time_type_id), descriptors)
    _ref(
        data,
        "Job_Type_Reference",
        ds.reference("Position_Worker_Type", rec.position_worker_type_id),
        descriptors,
    )
    _ref(
        data,
        "Supervisory_Organization_Reference",
        ds.reference("Supervisory_Organization", rec.supervisory_org_id),
        descriptors,
    )
    return posting


# ----------------------------------------------------------------------------------------------------
# Interviews
# ----------------------------------------------------------------------------------------------------


def _interview_descriptor(rec: InterviewRecord, ds: Dataset) -> str:
    cand = ds.find_candidate("Candidate_ID", rec.candidate_id)
    name = cand.display_name if cand is not None else rec.candidate_id
    return f"Interview: {name} - {rec.requisition_id}"


def render_interview(
    rec: InterviewRecord,
    ds: Dataset,
    *,
    descriptors: bool,
    workers_visible: bool,
    names: InterviewDataNames = "event",
    parent: _Element | None = None,
) -> _Element:
    """A ``wd:Interview``: an Interview_Data naming the event (sessions, time zone), and one naming more if asked.

    ``Interview_Data`` names its interview by a schema choice of exactly one of the event, the job application, or
    the candidate and requisition. The first always names the event (the only place its WID appears) and holds the
    sessions; with ``names="application"`` or ``"candidate"`` a second one, with the time zone the schema requires
    and no sessions, names the job application, or the candidate and requisition.

    Times are in the interview's time zone. Interviewers_Reference is required by the schema; when workers are
    not visible each interviewer is rendered as an empty reference (no IDs, no descriptor).

    Args:
        rec: the interview event.
        ds: the data set.
        descriptors: set ``wd:Descriptor`` on references.
        workers_visible: the caller may see workers.
        names: what the ``wd:Interview`` names besides the event: ``"event"`` (nothing), ``"application"`` or
            ``"candidate"`` (see ``FakeTenant(interview_data_names=...)``).
        parent: build the element as the last child of this element.
    """
    tz = ZoneInfo(rec.time_zone)
    interview = _el(parent, "Interview")
    data = etree.SubElement(interview, wd("Interview_Data"))
    _ref(
        data,
        "Interview_Event_Reference",
        _wid_ref(rec.wid, _interview_descriptor(rec, ds) if descriptors else None),
        descriptors,
    )
    for n, session in enumerate(rec.sessions, start=1):
        sd = etree.SubElement(data, wd("Interview_Session_Data"))
        _ref(sd, "Interview_Session_Reference", _wid_ref(session.wid, f"Interview Session {n}"), descriptors)
        details = etree.SubElement(sd, wd("Interview_Session_Details_Data"))
        for employee_id in session.interviewer_ids:
            if workers_visible:
                _ref(details, "Interviewers_Reference", worker_ref(ds, employee_id), descriptors)
            else:
                etree.SubElement(details, wd("Interviewers_Reference"))
        _text(details, "Interview_Start_Time", _dt(session.start, tz))
        _text(details, "Interview_End_Time", _dt(session.end, tz))
        if session.location_id:
            _ref(
                details,
                "Interview_Location_Reference",
                ds.reference("Location", session.location_id),
                descriptors,
            )
        _ref(
            details,
            "Interview_Type_Reference",
            ds.reference("Interview_Type", session.interview_type_id),
            descriptors,
        )
        if session.comment:
            _text(details, "Comment", session.comment)
    if rec.overall_comment:
        _text(data, "Overall_Comment", rec.overall_comment)
    _ref(data, "Timezone_Reference", _time_zone_ref(ds, rec.time_zone), descriptors)
    if names == "application":
        more = etree.SubElement(interview, wd("Interview_Data"))
        _ref(more, "Job_Application_Reference", _interview_application_ref(rec, ds), descriptors)
        _ref(more, "Timezone_Reference", _time_zone_ref(ds, rec.time_zone), descriptors)
    elif names == "candidate":
        more = etree.SubElement(interview, wd("Interview_Data"))
        criteria = etree.SubElement(more, wd("Candidate_Interview_Criteria_Data"))
        cand = ds.find_candidate("Candidate_ID", rec.candidate_id)
        named = candidate_ref(cand) if cand is not None else Ref("0" * 32, (("Candidate_ID", rec.candidate_id),), None)
        _ref(criteria, "Candidate_Reference", named, descriptors)
        _ref(criteria, "Requisition_Reference", requisition_ref(ds, rec.requisition_id), descriptors)
        _ref(more, "Timezone_Reference", _time_zone_ref(ds, rec.time_zone), descriptors)
    return interview


def _interview_application_ref(rec: InterviewRecord, ds: Dataset) -> Ref:
    found = ds.find_application("Job_Application_ID", rec.application_id)
    if found is None:  # pragma: no cover - an event's application always exists
        return Ref("0" * 32, (("Job_Application_ID", rec.application_id),), rec.application_id)
    return application_ref(ds, *found)


def _time_zone_ref(ds: Dataset, name: str) -> Ref:
    return ds.time_zone_reference(name)


def render_web_conference(
    rec: InterviewRecord, ds: Dataset, *, descriptors: bool, parent: _Element | None = None
) -> _Element:
    """A ``wd:Web_Conference_Interview``: meeting ID and URL; per session, times, interviewers and rooms.

    Args:
        rec: the interview event.
        ds: the data set.
        descriptors: set ``wd:Descriptor`` on references.
        parent: build the element as the last child of this element.
    """
    tz = ZoneInfo(rec.time_zone)
    wci = _el(parent, "Web_Conference_Interview")
    data = etree.SubElement(wci, wd("Web_Conference_Interview_Data"))
    _ref(
        data,
        "Interview_ID_Reference",
        _wid_ref(rec.wid, _interview_descriptor(rec, ds) if descriptors else None),
        descriptors,
    )
    _ref(data, "Interview_Time_Zone_Reference", _time_zone_ref(ds, rec.time_zone), descriptors)
    for n, session in enumerate(rec.sessions, start=1):
        sd = etree.SubElement(data, wd("Interview_Session_Data"))
        _ref(sd, "Interview_Session_Reference", _wid_ref(session.wid, f"Interview Session {n}"), descriptors)
        _text(sd, "Interview_Session_Start_Time", _dt(session.start, tz))
        _text(sd, "Interview_Session_End_Time", _dt(session.end, tz))
        for employee_id in session.interviewer_ids:
            worker = ds.find_worker("Employee_ID", employee_id)
            person = etree.SubElement(sd, wd("Interviewer_Data"))
            _text(person, "Interviewer_Name", worker.display_name if worker else employee_id)
            if worker is not None:
                _text(person, "Interviewer_Email_Address", worker.email)
        if session.room_name:
            room = etree.SubElement(sd, wd("Interview_Room_Data"))
            _text(room, "Interview_Room_Name", session.room_name)
            if session.room_email:
                _text(room, "Interview_Room_Email_Address", session.room_email)
    if rec.meeting_id:
        _text(data, "Web_Conference_Meeting_ID", rec.meeting_id)
    if rec.meeting_url:
        _text(data, "Web_Conference_Meeting_URL", rec.meeting_url)
    return wci
