"""The services hanging off a client (``client.candidates``, ``client.interviews``...), one module each.

Each service is built on a :class:`Requestor` (call an operation, open a pager), never on the whole client;
request bodies come from the one builder, :mod:`workday_recruiting._requests`.
"""

from __future__ import annotations

from ._base import IncrementalService, Service, server_time
from ._requestor import Requestor, bounded_map
from .candidates import CandidatesService
from .interviews import InterviewsService
from .job_applications import JobApplicationsService
from .job_postings import JobPostingsService
from .requisitions import RequisitionsService

__all__ = [
    "CandidatesService",
    "IncrementalService",
    "InterviewsService",
    "JobApplicationsService",
    "JobPostingsService",
    "Requestor",
    "RequisitionsService",
    "Service",
    "bounded_map",
    "server_time",
]
