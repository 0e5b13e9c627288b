"""``client.job_postings``: job postings (``Get_Job_Postings``)."""

from __future__ import annotations

from datetime import datetime

from .._ns import WD
from .._paging import Pager
from ..models import JobPosting
from ._base import Service, response_items

__all__ = ["JobPostingsService"]

_POSTING = f"{{{WD}}}Job_Posting"


class JobPostingsService(Service):
    """Job postings (``Get_Job_Postings``)."""

    def list(
        self, *, page_size: int = 100, max_results: int | None = None, as_of: datetime | None = None
    ) -> Pager[JobPosting]:
        """Every job posting, lazily."""
        return self._requestor.pager(
            "Get_Job_Postings",
            {},
            lambda body: [JobPosting.from_xml(el) for el in response_items(body, _POSTING)],
            page_size=page_size,
            max_results=max_results,
            start_page=1,
            as_of=as_of,
        )
