"""``client.candidates``: candidates and their job applications (``Get_Candidates``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import date, datetime

from lxml import etree

from .._errors import NotFoundError
from .._ns import WD
from .._paging import MAX_PAGE_SIZE, Pager
from .._requests import CANDIDATE_GROUP, Ids, candidate_criteria, get_body, refs, request_references
from ..models import Candidate, Reference
from ..models.candidates import read_candidates
from ._base import IncrementalService, response_items

__all__ = ["CandidatesService", "parse_candidates"]

_CANDIDATE = f"{{{WD}}}Candidate"


def parse_candidates(body: etree._Element) -> builtins.list[Candidate]:
    """The candidates of a ``Get_Candidates`` response (equal references on the page shared, for this page only)."""
    return read_candidates(response_items(body, _CANDIDATE))


class CandidatesService(IncrementalService[Candidate]):
    """Candidates and their job applications (``Get_Candidates``)."""

    _RESOURCE = "candidates"

    def list(
        self,
        *,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        email: str | None = None,
        name: str | tuple[str, str] | None = None,
        requisition: Ids = None,
        stage: Ids = None,
        applied_from: datetime | date | None = None,
        applied_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
        attachments: bool = False,
    ) -> Pager[Candidate]:
        """Candidates matching every given filter (all candidates when none is given), lazily, page by page.

        Args:
            updated_from: Changed at or after this moment (Workday's transaction log). A date means its start, UTC.
            updated_to: Changed at or before this moment. A date means its end, UTC.
            email: The candidate's primary email address.
            name: ``"First Last"`` or ``("First", "Last")``; Workday matches both.
            requisition: Applied to this job requisition (``R-00008`` or a WID), or any of several.
            stage: Has an application in this recruiting stage (``REVIEW``, ``INTERVIEW``...), or any of several.
            applied_from: Applied at or after this moment.
            applied_to: Applied at or before this moment.
            page_size: Records per request, 1 to 999.
            max_results: Stop after this many candidates.
            start_page: Resume from this page (with the ``as_of`` of the pager being resumed).
            as_of: The ``As_Of_Entry_DateTime`` snapshot (default: now).
            attachments: Include base64 resumes and other attachments (large; off by default).

        Raises:
            ConfigurationError: Contradictory or malformed arguments (before any request).
        """
        criteria, u_from, u_to = candidate_criteria(
            updated_from=updated_from,
            updated_to=updated_to,
            email=email,
            name=name,
            requisition=requisition,
            stage=stage,
            applied_from=applied_from,
            applied_to=applied_to,
        )
        group = {**CANDIDATE_GROUP, "Exclude_All_Attachments": not attachments}
        return self._requestor.pager(
            "Get_Candidates",
            get_body(self._server_time, criteria, u_from, u_to, group),
            parse_candidates,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )

    @staticmethod
    def _key(record: Candidate) -> str | None:
        return record.candidate_id or record.reference.wid

    def get(self, candidate_id: str | Reference, *, attachments: bool = False) -> Candidate:
        """One candidate by ``Candidate_ID`` (``CAND-1187``) or WID.

        Raises:
            NotFoundError: No such candidate.
        """
        found = self.get_many([candidate_id], attachments=attachments)
        if not found:
            raise NotFoundError(f"no candidate {candidate_id!s}", operation="Get_Candidates")
        return found[0]

    def get_many(
        self, candidate_ids: Iterable[str | Reference], *, attachments: bool = False
    ) -> builtins.list[Candidate]:
        """The candidates with these IDs or WIDs that exist, in Workday's order (unknown ones are skipped)."""
        references = refs(builtins.list(candidate_ids), "Candidate_ID")
        if not references:
            return []
        group = {**CANDIDATE_GROUP, "Exclude_All_Attachments": not attachments}
        pager = self._requestor.pager(
            "Get_Candidates",
            request_references("Candidate_Reference", references, group),
            parse_candidates,
            page_size=min(MAX_PAGE_SIZE, max(1, len(references))),
            max_results=None,
            start_page=1,
            as_of=None,
        )
        return pager.collect()
