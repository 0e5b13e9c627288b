"""Job applications: the ``wd:Job_Application_Data`` entries of a ``Get_Candidates`` response.

Workday has no ``Get_Job_Applications`` operation; applications arrive inside each candidate. The shape
differs by version: in v34.0 ``Job_Application_Reference`` sits inside ``Job_Applied_To_Data``; in v45.2 it
sits beside it, directly in ``Job_Application_Data``. Both are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from .._xml import raw_text, text_of
from ._base import Model, ModelParseError, Reference, ReferenceCache, parse_datetime, ref_of
from ._columns import Column, ModelSpec, id_and_name

__all__ = ["JobApplication"]

T_JOB_APPLICATION_DATA: Final = wd("Job_Application_Data")
T_JOB_APPLICATION_REFERENCE: Final = wd("Job_Application_Reference")
T_JOB_APPLIED_TO_DATA: Final = wd("Job_Applied_To_Data")
T_JOB_APPLICATION_ID: Final = wd("Job_Application_ID")
T_JOB_REQUISITION_REFERENCE: Final = wd("Job_Requisition_Reference")
T_JOB_APPLICATION_DATE: Final = wd("Job_Application_Date")
T_STAGE_REFERENCE: Final = wd("Stage_Reference")
T_WORKFLOW_STEP_REFERENCE: Final = wd("Workflow_Step_Reference")
T_DISPOSITION_REFERENCE: Final = wd("Disposition_Reference")
T_STATUS_TIMESTAMP: Final = wd("Status_Timestamp")
T_SOURCE_REFERENCE: Final = wd("Source_Reference")
T_REFERRED_BY_WORKER_REFERENCE: Final = wd("Referred_By_Worker_Reference")
T_CANDIDATE_REFERENCE: Final = wd("Candidate_Reference")
T_CANDIDATE_DATA: Final = wd("Candidate_Data")
T_CANDIDATE_ID: Final = wd("Candidate_ID")


@attrs.frozen(repr=False)
class JobApplication(Model):
    """A candidate's application to one job requisition.

    Attributes:
        reference: The application (``Job_Application_ID`` such as ``JOB_APPLICATION-6-253``, and WID).
        application_id: The ``Job_Application_ID``, if known.
        candidate: The candidate who applied (from the enclosing ``wd:Candidate``), if known.
        requisition: The job requisition applied to.
        stage: The recruiting stage (``Recruiting_Stage_ID`` such as ``REVIEW``).
        disposition: The disposition, once the application is dispositioned.
        workflow_step: The workflow step within the stage.
        applied_at: When the application was made (``Job_Application_Date``).
        status_at: When the stage or disposition last changed (``Status_Timestamp``).
        source: The applicant source.
        referred_by: The worker who referred the candidate.
        raw: The ``wd:Job_Application_Data`` element.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda a: a.application_id or str(a.reference),
        brief=(
            Column("application_id", "Application"),
            Column("candidate", "Candidate"),
            Column("requisition", "Requisition", lambda a: id_and_name(a.requisition)),
            Column("stage", "Stage", lambda a: id_and_name(a.stage)),  # --stage takes the ID
            Column("applied", "Applied", lambda a: a.applied_at.date() if a.applied_at else None),
            Column("disposition", "Disposition"),
        ),
        columns=(
            Column("application_id", "Application"),
            Column("wid", "WID"),
            Column("candidate_id", "Candidate ID", lambda a: a.candidate.id if a.candidate is not None else None),
            Column("candidate", "Candidate"),
            Column("requisition_id", "Requisition ID", lambda a: a.requisition.id),
            Column("requisition", "Requisition"),
            Column("stage_id", "Stage ID", lambda a: a.stage.id),
            Column("stage", "Stage"),
            Column("disposition_id", "Disposition ID", lambda a: a.disposition.id if a.disposition else None),
            Column("disposition", "Disposition"),
            Column("workflow_step"),
            Column("applied_at", "Applied"),
            Column("status_at", "Status changed"),
            Column("source"),
            Column("referred_by"),
        ),
    )

    reference: Reference
    requisition: Reference
    stage: Reference
    application_id: str | None = None
    candidate: Reference | None = None
    disposition: Reference | None = None
    workflow_step: Reference | None = None
    applied_at: datetime | None = None
    status_at: datetime | None = None
    source: Reference | None = None
    referred_by: Reference | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The application's WID."""
        return self.reference.wid

    def open_in(self, stages: set[str]) -> bool:
        """Not dispositioned and in one of ``stages`` (recruiting stage IDs or WIDs): it can hold a future interview."""
        return self.disposition is None and self.stage is not None and bool(self.stage.values & stages)

    @classmethod
    def from_xml(cls, el: etree._Element, *, candidate: Reference | None = None) -> JobApplication:
        """Build the application from a ``wd:Job_Application_Data`` element (v34.0 or v45.2 shape).

        Args:
            el: The ``wd:Job_Application_Data`` element (a bare ``wd:Job_Applied_To_Data`` is accepted too).
            candidate: The candidate's reference; when omitted it is read from the enclosing ``wd:Candidate``.

        Raises:
            ModelParseError: The element has no ``Job_Applied_To_Data``, or a value cannot be read.
        """
        apps = applications_from_xml(el, candidate=candidate)
        if not apps:
            raise ModelParseError("Job_Application_Data has no Job_Applied_To_Data")
        return apps[0]


def _candidate_of(el: etree._Element) -> Reference | None:
    data = el.getparent()
    if data is not None and data.tag == T_JOB_APPLICATION_DATA:  # el is a Job_Applied_To_Data
        data = data.getparent()
    if data is None or data.tag != T_CANDIDATE_DATA:
        return None
    candidate = data.getparent()
    if candidate is not None:
        for child in candidate:
            if child.tag == T_CANDIDATE_REFERENCE:
                return ref_of(child)
    for child in data:
        if child.tag == T_CANDIDATE_ID:
            value = text_of(child)
            return None if value is None else Reference(None, {"Candidate_ID": value})
    return None


def applications_from_xml(el: etree._Element, *, candidate: Reference | None = None) -> list[JobApplication]:
    """Every application in one ``wd:Job_Application_Data`` (one per ``Job_Applied_To_Data``).

    Args:
        el: The ``wd:Job_Application_Data`` (or a bare ``wd:Job_Applied_To_Data``) element.
        candidate: The candidate's reference; when omitted it is read from the enclosing ``wd:Candidate``.

    Raises:
        ModelParseError: An entry lacks its requisition or stage, or a value cannot be read.
    """
    if candidate is None:
        candidate = _candidate_of(el)
    refs = ReferenceCache()
    if el.tag == T_JOB_APPLIED_TO_DATA:
        return [_application(el, None, candidate, el, refs)]
    return applications_of(el, candidate, refs)


def applications_of(el: etree._Element, candidate: Reference | None, refs: ReferenceCache) -> list[JobApplication]:
    """The applications of a ``wd:Job_Application_Data`` (its résumé and attachments are skipped)."""
    outer: Reference | None = None
    found: list[JobApplication] = []
    for child in el:
        tag = child.tag
        if tag == T_JOB_APPLIED_TO_DATA:
            found.append(_application(child, outer, candidate, el, refs))
        elif tag == T_JOB_APPLICATION_REFERENCE:  # v45.2: beside the Job_Applied_To_Data entries, first
            outer = refs.read(child)
    return found


def _application(
    el: etree._Element,
    outer: Reference | None,
    candidate: Reference | None,
    raw: etree._Element,
    refs: ReferenceCache,
) -> JobApplication:
    """One ``Job_Applied_To_Data``; ``outer`` is the v45.2 ``Job_Application_Reference`` beside it."""
    reference = requisition = stage = workflow_step = disposition = source = referred_by = None
    application_id = applied_at = status_at = None
    for child in el:
        tag = child.tag
        if tag == T_STAGE_REFERENCE:
            stage = refs.read(child)
        elif tag == T_JOB_REQUISITION_REFERENCE:
            requisition = refs.read(child)
        elif tag == T_JOB_APPLICATION_DATE:
            applied_at = parse_datetime(raw_text(child), field=tag)
        elif tag == T_STATUS_TIMESTAMP:
            status_at = parse_datetime(raw_text(child), field=tag)
        elif tag == T_WORKFLOW_STEP_REFERENCE:
            workflow_step = refs.read(child)
        elif tag == T_DISPOSITION_REFERENCE:
            disposition = refs.read(child)
        elif tag == T_SOURCE_REFERENCE:
            source = refs.read(child)
        elif tag == T_REFERRED_BY_WORKER_REFERENCE:
            referred_by = refs.read(child)
        elif tag == T_JOB_APPLICATION_REFERENCE:  # v34.0 only
            reference = refs.read(child)
        elif tag == T_JOB_APPLICATION_ID:
            application_id = text_of(child)
    if requisition is None:
        raise ModelParseError("Job_Applied_To_Data has no Job_Requisition_Reference")
    if stage is None:
        raise ModelParseError("Job_Applied_To_Data has no Stage_Reference")
    reference = reference or outer
    if reference is None:
        reference = Reference(None, {"Job_Application_ID": application_id} if application_id else {})
    elif application_id is None:
        application_id = reference.ids.get("Job_Application_ID")
    return JobApplication(
        reference=reference,
        requisition=requisition,
        stage=stage,
        application_id=application_id,
        candidate=candidate,
        disposition=disposition,
        workflow_step=workflow_step,
        applied_at=applied_at,
        status_at=status_at,
        source=source,
        referred_by=referred_by,
        raw=raw,
    )
