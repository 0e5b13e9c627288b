"""Workday security as the fake tenant applies it: the 8 domains, ISUs, and who may see what.

A customer's Workday admin grants an Integration System User (ISU) *Get* access on eight domain
security policies (the setup table in Workday's Recruiting integration guide) and activates the
pending security policy changes. :class:`FakeTenant` models exactly that:

* an :class:`Isu` holds a subset of :data:`ALL_DOMAINS` and is *activated* or not; a non-activated
  ISU behaves as holding no domain at all (its login still works);
* :data:`OPERATION_DOMAINS` says which domains an operation needs. Missing one gives Workday's
  not-authorized fault (``SOAP-ENV:Server.processingError`` / ``Processing error occurred. The task
  submitted is not authorized.``, HTTP 500, no detail);
* :data:`PART_DOMAINS` says which domain each *part* of a response needs. A missing part-level domain
  does not fail the request: that part is left out (Workday's field-level security).

====================================  ==========================================================
operation                             domains needed
====================================  ==========================================================
Get_Candidates                        Manage: Candidates
Get_Job_Requisitions                  Job Requisition Data
Get_Job_Postings                      Job Requisition Data
Get_Interviews                        Candidate Data: Interview Schedule
Get_Web_Conference_Interview_Data     Interview Integrations
Get_Server_Timestamp                  (none)
====================================  ==========================================================

====================  ======================================  ===============================================
part                  domain                                  what is left out without it
====================  ======================================  ===============================================
``personal``          Candidate Data: Personal Information    candidate name and contact data
``applications``      Candidate Data: Job Application         ``Job_Application_Data`` (applications)
``other``             Candidate Data: Other Information       tags, source, referral and other information
``workers``           Worker Data: Public Worker Reports      worker references: interviewers, recruiter and
                                                              hiring-manager roles, referrers
====================  ======================================  ===============================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

CANDIDATE_JOB_APPLICATION: Final = "Candidate Data: Job Application"
CANDIDATE_PERSONAL_INFORMATION: Final = "Candidate Data: Personal Information"
CANDIDATE_INTERVIEW_SCHEDULE: Final = "Candidate Data: Interview Schedule"
CANDIDATE_OTHER_INFORMATION: Final = "Candidate Data: Other Information"
JOB_REQUISITION_DATA: Final = "Job Requisition Data"
MANAGE_CANDIDATES: Final = "Manage: Candidates"
WORKER_PUBLIC_REPORTS: Final = "Worker Data: Public Worker Reports"
INTERVIEW_INTEGRATIONS: Final = "Interview Integrations"

#: The 8 domain security policies of the setup guide, in the guide's order.
DOMAINS: Final[tuple[str, ...]] = (
    CANDIDATE_JOB_APPLICATION,
    CANDIDATE_PERSONAL_INFORMATION,
    CANDIDATE_INTERVIEW_SCHEDULE,
    CANDIDATE_OTHER_INFORMATION,
    JOB_REQUISITION_DATA,
    MANAGE_CANDIDATES,
    WORKER_PUBLIC_REPORTS,
    INTERVIEW_INTEGRATIONS,
)
#: The same 8 domains as a set (the default for :meth:`FakeTenant.add_isu`).
ALL_DOMAINS: Final[frozenset[str]] = frozenset(DOMAINS)

#: Operation -> the domains an ISU must hold (all of them) to call it.
OPERATION_DOMAINS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "Get_Candidates": frozenset({MANAGE_CANDIDATES}),
        "Get_Job_Requisitions": frozenset({JOB_REQUISITION_DATA}),
        "Get_Job_Postings": frozenset({JOB_REQUISITION_DATA}),
        "Get_Interviews": frozenset({CANDIDATE_INTERVIEW_SCHEDULE}),
        "Get_Web_Conference_Interview_Data": frozenset({INTERVIEW_INTEGRATIONS}),
        "Get_Server_Timestamp": frozenset(),
    }
)

#: Response part -> the domain an ISU must hold to see it (without it the part is omitted).
PART_DOMAINS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "personal": CANDIDATE_PERSONAL_INFORMATION,
        "applications": CANDIDATE_JOB_APPLICATION,
        "other": CANDIDATE_OTHER_INFORMATION,
        "workers": WORKER_PUBLIC_REPORTS,
    }
)

#: The candidate parts (a subset of :data:`PART_DOMAINS`' keys) passed to the candidate renderer.
CANDIDATE_PARTS: Final[tuple[str, ...]] = ("personal", "applications", "other")


def check_domains(domains: Iterable[str]) -> frozenset[str]:
    """Return ``domains`` as a frozenset, refusing names that are not one of the 8 domains.

    Args:
        domains: Domain security policy names, e.g. :data:`MANAGE_CANDIDATES`.

    Returns:
        The same names, as a frozenset.

    Raises:
        ValueError: A name is not in :data:`ALL_DOMAINS` (the message lists the valid names).
    """
    if isinstance(domains, str):
        raise TypeError("domains must be a collection of domain names, not one string")
    result = frozenset(domains)
    unknown = sorted(result - ALL_DOMAINS)
    if unknown:
        valid = "; ".join(DOMAINS)
        raise ValueError(f"unknown security domain(s) {unknown}; the 8 domains are: {valid}")
    return result


@attrs.frozen
class Isu:
    """An Integration System User of the fake tenant.

    Attributes:
        name: The user name without the tenant (log in as ``f"{name}@{tenant}"``).
        password: The password (never shown in ``repr``).
        domains: The domain security policies granted to the ISU's security group.
        activated: Whether the pending security policy changes were activated; when not, the ISU
            behaves as holding no domain.
        password_expired: Whether the password has expired (logins then fail as bad credentials).
    """

    name: str
    password: str = attrs.field(repr=False)
    domains: frozenset[str] = attrs.field(converter=check_domains, default=ALL_DOMAINS)
    activated: bool = True
    password_expired: bool = False

    @property
    def effective_domains(self) -> frozenset[str]:
        """The domains that take effect: :attr:`domains` when activated, else none."""
        return self.domains if self.activated else frozenset()

    def may_call(self, operation: str) -> bool:
        """Whether the ISU holds every domain ``operation`` needs (see :data:`OPERATION_DOMAINS`)."""
        needed = OPERATION_DOMAINS.get(operation)
        return needed is not None and needed <= self.effective_domains

    def sees(self, part: str) -> bool:
        """Whether the ISU may see a response part (a key of :data:`PART_DOMAINS`)."""
        return PART_DOMAINS[part] in self.effective_domains

    @property
    def candidate_parts(self) -> frozenset[str]:
        """The candidate parts (:data:`CANDIDATE_PARTS`) this ISU may see."""
        return frozenset(part for part in CANDIDATE_PARTS if self.sees(part))

    @property
    def workers_visible(self) -> bool:
        """Whether worker references (interviewers, roles, referrers) are shown to this ISU."""
        return self.sees("workers")
