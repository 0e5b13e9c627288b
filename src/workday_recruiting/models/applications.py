"""Job applications: the ``wd:Job_Application_Data`` entries of a ``Get_Candidates`` response.

Workday has no ``Get_Job_Applications`` operation; applications arrive inside each candidate. The shape
differs by version: in v34.0 ``Job_Application_Reference`` sits inside ``Job_Applied_To_Data``; in v45.2 it
sits beside it, directly in ``Job_Application_Data``. Both are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import attrs
from lxml import etree

from .._ns import wd
from ._base import Model, ModelParseError, Reference, parse_datetime, ref_of, text_of
from ._scan import K_REF, K_TEXT, Table, fast_constructor, stream

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


@attrs.frozen
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
    if el.tag == T_JOB_APPLIED_TO_DATA:
        return [_application(stream(el, _APPLIED_TO), None, candidate, el)]
    return applications_of(el, candidate)


_APPLIED_TO: Final[Table] = {
    T_JOB_APPLICATION_REFERENCE: (K_REF, "reference"),  # v34.0 only
    T_JOB_APPLICATION_ID: (K_TEXT, "application_id"),
    T_JOB_REQUISITION_REFERENCE: (K_REF, "requisition"),
    T_JOB_APPLICATION_DATE: (K_TEXT, "applied_at"),
    T_STAGE_REFERENCE: (K_REF, "stage"),
    T_WORKFLOW_STEP_REFERENCE: (K_REF, "workflow_step"),
    T_DISPOSITION_REFERENCE: (K_REF, "disposition"),
    T_STATUS_TIMESTAMP: (K_TEXT, "status_at"),
    T_SOURCE_REFERENCE: (K_REF, "source"),
    T_REFERRED_BY_WORKER_REFERENCE: (K_REF, "referred_by"),
}

_new_application = fast_constructor(JobApplication)


def applications_of(el: etree._Element, candidate: Reference | None) -> list[JobApplication]:
    """The applications of a ``wd:Job_Application_Data`` (its résumé and attachments are skipped)."""
    outer: Reference | None = None
    found: list[JobApplication] = []
    for child in el:
        tag = child.tag
        if tag == T_JOB_APPLIED_TO_DATA:
            found.append(_application(stream(child, _APPLIED_TO), outer, candidate, el))
        elif tag == T_JOB_APPLICATION_REFERENCE:  # v45.2: beside the Job_Applied_To_Data entries, first
            outer = ref_of(child)
    return found


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


def _application(
    bag: dict[str, Any], outer: Reference | None, candidate: Reference | None, raw: etree._Element
) -> JobApplication:
    get = bag.get
    requisition: Reference | None = get("requisition")
    stage: Reference | None = get("stage")
    if requisition is None:
        raise ModelParseError("Job_Applied_To_Data has no Job_Requisition_Reference")
    if stage is None:
        raise ModelParseError("Job_Applied_To_Data has no Stage_Reference")
    application_id = _clean(get("application_id"))
    reference: Reference | None = get("reference") or outer
    if reference is None:
        reference = Reference(None, {"Job_Application_ID": application_id} if application_id else {})
    elif application_id is None:
        application_id = reference.ids.get("Job_Application_ID")
    applied_at = get("applied_at")
    status_at = get("status_at")
    return _new_application(
        reference,
        requisition,
        stage,
        application_id,
        candidate,
        get("disposition"),
        get("workflow_step"),
        None if applied_at is None else parse_datetime(applied_at, field=T_JOB_APPLICATION_DATE),
        None if status_at is None else parse_datetime(status_at, field=T_STATUS_TIMESTAMP),
        get("source"),
        get("referred_by"),
        raw,
    )
