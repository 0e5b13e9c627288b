"""``client.requisitions``: job requisitions (``Get_Job_Requisitions``), with recruiter and hiring-manager roles."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date, datetime

from lxml import etree

from .._errors import NotFoundError
from .._ns import WD
from .._paging import Pager
from .._requests import Ids, get_body, ref, request_references, requisition_criteria
from ..models import JobRequisition, Reference
from ._base import IncrementalService, response_items

__all__ = ["RequisitionsService"]

_REQUISITION = f"{{{WD}}}Job_Requisition"
_GROUP: Mapping[str, bool] = {
    "Include_Reference": True,
    "Include_Job_Requisition_Definition_Data": True,
    "Include_Job_Requisition_Restrictions_Data": True,
    "Include_Qualifications": False,
    "Include_Job_Requisition_Attachments": False,
    "Include_Organizations": True,
    "Include_Roles": True,
}


def _parse(body: etree._Element) -> builtins.list[JobRequisition]:
    return [JobRequisition.from_xml(el) for el in response_items(body, _REQUISITION)]


class RequisitionsService(IncrementalService[JobRequisition]):
    """Job requisitions (``Get_Job_Requisitions``), with recruiter and hiring-manager roles."""

    _RESOURCE = "requisitions"

    def list(
        self,
        *,
        status: Ids = None,
        updated_from: datetime | date | None = None,
        updated_to: datetime | date | None = None,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
    ) -> Pager[JobRequisition]:
        """Job requisitions, optionally by status (``OPEN``, ``FILLED``...) and change window, lazily."""
        criteria, u_from, u_to = requisition_criteria(status=status, updated_from=updated_from, updated_to=updated_to)
        return self._requestor.pager(
            "Get_Job_Requisitions",
            get_body(self._server_time, criteria, u_from, u_to, _GROUP),
            _parse,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=as_of,
        )

    @staticmethod
    def _key(record: JobRequisition) -> str | None:
        return record.requisition_id or record.reference.wid

    def get(self, requisition_id: str | Reference) -> JobRequisition:
        """One job requisition by ``Job_Requisition_ID`` (``R-00008``) or WID.

        Raises:
            NotFoundError: No such requisition.
        """
        body = request_references("Job_Requisition_Reference", [ref(requisition_id, "Job_Requisition_ID")], _GROUP)
        pager = self._requestor.pager(
            "Get_Job_Requisitions", body, _parse, page_size=1, max_results=1, start_page=1, as_of=None
        )
        found = builtins.list(pager)
        if not found:
            raise NotFoundError(f"no job requisition {requisition_id!s}", operation="Get_Job_Requisitions")
        return found[0]
