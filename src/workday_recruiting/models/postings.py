"""Job postings: the ``wd:Job_Posting`` entries of a ``Get_Job_Postings`` response."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from .._xml import raw_text, text_of
from ._base import Model, Reference, parse_bool, parse_date, ref_of
from ._columns import Column, ModelSpec, id_and_name

__all__ = ["JobPosting"]

T_JOB_POSTING_REFERENCE: Final = wd("Job_Posting_Reference")
T_JOB_POSTING_DATA: Final = wd("Job_Posting_Data")
T_JOB_POSTING_ID: Final = wd("Job_Posting_ID")
T_JOB_POSTING_TITLE: Final = wd("Job_Posting_Title")
T_JOB_POSTING_DESCRIPTION: Final = wd("Job_Posting_Description")
T_JOB_POSTING_SITE_REFERENCE: Final = wd("Job_Posting_Site_Reference")
T_EXTERNAL_JOB_PATH: Final = wd("External_Job_Path")
T_EXTERNAL_APPLY_URL: Final = wd("External_Apply_URL")
T_JOB_REQUISITION_REFERENCE: Final = wd("Job_Requisition_Reference")
T_JOB_REQUISITION_ID: Final = wd("Job_Requisition_ID")
T_JOB_POSTING_LOCATION_DATA: Final = wd("Job_Posting_Location_Data")
T_PRIMARY_LOCATION_REFERENCE: Final = wd("Primary_Location_Reference")
T_JOB_POSTING_START_DATE: Final = wd("Job_Posting_Start_Date")
T_JOB_POSTING_END_DATE: Final = wd("Job_Posting_End_Date")
T_PRIMARY_POSTING: Final = wd("Primary_Posting")


@attrs.frozen(repr=False)
class JobPosting(Model):
    """A job posting of a requisition on a career site.

    Attributes:
        reference: The posting (``Job_Posting_Reference``, or built from ``Job_Posting_ID``).
        posting_id: The ``Job_Posting_ID``.
        title: The posting title.
        requisition: The job requisition posted (its reference, or built from ``Job_Requisition_ID``).
        site: The job posting site (internal or external career site).
        start_date: First day of the posting.
        end_date: Last day of the posting, when it has one.
        primary_location: The posting's primary location.
        external_url: The external apply URL, for external postings.
        external_path: The external site path.
        primary_posting: Whether this is the requisition's default posting.
        description: The posting description (rich text, as sent).
        raw: The ``wd:Job_Posting`` element.
    """

    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda p: " ".join(filter(None, [p.posting_id, p.title])) or str(p.reference),
        brief=(
            Column("posting_id", "ID"),
            Column("title", "Title"),
            Column("requisition", "Requisition", lambda p: id_and_name(p.requisition)),
            Column("site", "Site"),
            Column("start_date", "From"),
            Column("end_date", "To"),
        ),
        columns=(
            Column("posting_id", "ID"),
            Column("wid", "WID"),
            Column("title"),
            Column("requisition_id", "Requisition ID", lambda p: p.requisition.id if p.requisition else None),
            Column("requisition"),
            Column("site"),
            Column("start_date"),
            Column("end_date"),
            Column("primary_location"),
            Column("primary_posting"),
            Column("external_url", "External URL"),
        ),
    )

    reference: Reference
    posting_id: str | None = None
    title: str | None = None
    requisition: Reference | None = None
    site: Reference | None = None
    start_date: date | None = None
    end_date: date | None = None
    primary_location: Reference | None = None
    external_url: str | None = None
    external_path: str | None = None
    primary_posting: bool = False
    description: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The posting's WID."""
        return self.reference.wid

    @classmethod
    def from_xml(cls, el: etree._Element) -> JobPosting:
        """Build from a ``wd:Job_Posting`` element (a bare ``wd:Job_Posting_Data`` is accepted too).

        Raises:
            ModelParseError: A date or flag cannot be read.
        """
        reference: Reference | None = None
        data: etree._Element | None = None
        if el.tag == T_JOB_POSTING_DATA:
            data = el
        else:
            for child in el:
                if child.tag == T_JOB_POSTING_REFERENCE:
                    reference = ref_of(child)
                elif child.tag == T_JOB_POSTING_DATA:
                    data = child
        posting_id = title = description = url = path = req_id = None
        requisition = site = location = None
        start = end = None
        primary = None
        for child in data if data is not None else ():
            tag = child.tag
            if tag == T_JOB_POSTING_ID:
                posting_id = text_of(child)
            elif tag == T_JOB_POSTING_TITLE:
                title = text_of(child)
            elif tag == T_JOB_REQUISITION_REFERENCE:
                requisition = ref_of(child)
            elif tag == T_JOB_REQUISITION_ID:
                req_id = text_of(child)
            elif tag == T_JOB_POSTING_SITE_REFERENCE:
                site = ref_of(child)
            elif tag == T_JOB_POSTING_START_DATE:
                start = parse_date(raw_text(child), field=tag)
            elif tag == T_JOB_POSTING_END_DATE:
                end = parse_date(raw_text(child), field=tag)
            elif tag == T_JOB_POSTING_LOCATION_DATA:
                for item in child:
                    if item.tag == T_PRIMARY_LOCATION_REFERENCE:
                        location = ref_of(item)
            elif tag == T_EXTERNAL_APPLY_URL:
                url = text_of(child)
            elif tag == T_EXTERNAL_JOB_PATH:
                path = text_of(child)
            elif tag == T_PRIMARY_POSTING:
                primary = parse_bool(raw_text(child), field=tag)
            elif tag == T_JOB_POSTING_DESCRIPTION:
                description = text_of(child)
        if reference is None:
            reference = Reference(None, {"Job_Posting_ID": posting_id} if posting_id else {})
        if requisition is None and req_id:
            requisition = Reference(None, {"Job_Requisition_ID": req_id})
        return cls(
            reference=reference,
            posting_id=posting_id or reference.ids.get("Job_Posting_ID"),
            title=title,
            requisition=requisition,
            site=site,
            start_date=start,
            end_date=end,
            primary_location=location,
            external_url=url,
            external_path=path,
            primary_posting=bool(primary),
            description=description,
            raw=el,
        )
