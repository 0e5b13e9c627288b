"""``client.job_applications``: job applications, read from candidates (Workday has no Get_Job_Applications)."""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from .._paging import Pager
from .._requests import CANDIDATE_GROUP, Ids, candidate_criteria, get_body, id_values, instant
from ..models import JobApplication, Reference
from ._base import Service
from .candidates import parse_candidates

__all__ = ["JobApplicationsService"]


def _matches(reference: Reference | None, wanted: set[str]) -> bool:
    if reference is None:
        return False
    return bool(({reference.wid} | set(reference.ids.values())) & wanted)


class JobApplicationsService(Service):
    """Job applications. Workday has no Get_Job_Applications: they are read from candidates (``Get_Candidates``)."""

    def list(
        self,
        *,
        requisition: Ids = None,
        stage: Ids = None,
        applied_from: datetime | date | None = None,
        applied_to: datetime | date | None = None,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[JobApplication]:
        """Job applications matching every given filter; each page holds the applications of one page of candidates.

        Workday filters candidates, not applications: a candidate matches when any of their applications does. This
        method then keeps only the applications that match the requisition, stage and applied filters themselves.
        ``Page.total_results`` counts candidates.
        """
        criteria, u_from, u_to = candidate_criteria(
            updated_from=updated_from,
            updated_to=updated_to,
            requisition=requisition,
            stage=stage,
            applied_from=applied_from,
            applied_to=applied_to,
        )
        wanted_requisitions = id_values(requisition, "Job_Requisition_ID")
        wanted_stages = id_values(stage, "Recruiting_Stage_ID")
        a_from = instant(applied_from, "applied_from")
        a_to = instant(applied_to, "applied_to", end=True)

        def keep(application: JobApplication) -> bool:
            if wanted_requisitions and not _matches(application.requisition, wanted_requisitions):
                return False
            if wanted_stages and not _matches(application.stage, wanted_stages):
                return False
            if a_from is not None and (application.applied_at is None or application.applied_at < a_from):
                return False
            return not (a_to is not None and (application.applied_at is None or application.applied_at > a_to))

        def parse(body: etree._Element) -> list[JobApplication]:
            return [app for candidate in parse_candidates(body) for app in candidate.applications if keep(app)]

        return self._requestor.pager(
            "Get_Candidates",
            get_body(self._server_time, criteria, u_from, u_to, CANDIDATE_GROUP),
            parse,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )
