"""The fake tenant's data set: generated base records, the edits tests make, and lookups by any ID.

:class:`Dataset` is the facade the operations, the renderers and tests use. Behind it:

* :mod:`._records`: the immutable records;
* :mod:`._ids`: WIDs and business IDs (a lookup decodes the record's index from either);
* :mod:`._locale` (with ``locale.json``) and :mod:`._reference`: locale data and the tenant's configuration;
* :mod:`._generate`: the base records, a pure function of ``(tenant, seed, candidates, now)``;
* :mod:`._store`: the entry-moment clock and the version history of every edited or added record.

Time model (Workday's "entry moment"): every base record is created and updated before ``now``. Edits
(``add_*``, ``update_*``) are stamped with ``clock()`` (real UTC time by default) to the millisecond, forced strictly
increasing (one millisecond apart when the clock has not moved) and after ``now``; each appends a version. The
tenant's current moment (:meth:`Dataset.current_moment`, what its server time shows) is never before the last stamp.
``as_of`` reads return the version current at that entry moment and hide records created after it.
``changed_candidates``/``changed_requisitions`` follow the transaction log.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import attrs

from . import _ids, _locale
from ._generate import Generator, location_time_zone
from ._ids import APPLICATION_SLOTS, Wids
from ._records import (
    ApplicationRecord,
    CandidateRecord,
    InterviewRecord,
    InterviewSessionRecord,
    JobPostingRecord,
    Ref,
    RequisitionRecord,
    ResumeRecord,
    WorkerRecord,
)
from ._reference import STEP_FOR_STAGE, build_references
from ._store import Store, ensure_aware, reject_identity, tuplify, version_at

__all__ = ["PROFILES", "CandidateRecord", "Dataset", "InterviewRecord", "Profile", "encode_base64"]

UTC: Final = timezone.utc

#: The shapes of generated data (see :class:`Dataset`).
Profile = Literal["default", "enterprise"]
PROFILES: Final[tuple[Profile, ...]] = ("default", "enterprise")


class Dataset:
    """The fake tenant's data: deterministic base records plus a versioned log of mutations.

    Args:
        tenant: tenant name (appears in worker emails and posting URLs).
        candidates: number of base candidates (requisitions, workers scale with it).
        seed: any integer; the same ``(seed, candidates, now)`` gives the same data.
        now: the anchor of "past" and "upcoming" (default: current UTC time, rounded down to the minute).
        clock: the entry-moment clock for mutations (default: real UTC time).
        profile: ``"default"`` (the data every seed always gave) or ``"enterprise"`` (years of history, most
            applications dispositioned long ago, interview events concentrated in the active pipeline).
        interview_changes_stamp_candidate: whether :meth:`add_interview` and :meth:`update_interview` also enter
            the interview's candidate in the transaction log (a new candidate version stamped at the same moment).
    """

    #: The tenant's own time zone (used to render most timestamps and dates, as Workday does).
    tenant_time_zone: str = "America/Los_Angeles"

    def __init__(
        self,
        *,
        tenant: str = "acme",
        candidates: int = 300,
        seed: int = 0,
        now: datetime | None = None,
        clock: Callable[[], datetime] | None = None,
        profile: Profile = "default",
        interview_changes_stamp_candidate: bool = True,
    ) -> None:
        if candidates < 0:
            raise ValueError("candidates must be >= 0")
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)} (got {profile!r})")
        self.profile: Final[Profile] = profile
        #: Whether interview edits enter the interview's candidate in the transaction log.
        self.interview_changes_stamp_candidate = bool(interview_changes_stamp_candidate)
        self.tenant = tenant
        self.seed = seed
        self.now = ensure_aware(now, "now") if now is not None else datetime.now(UTC).replace(second=0, microsecond=0)
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.tz = ZoneInfo(self.tenant_time_zone)
        self._wids = Wids(seed)
        self._base = Generator(
            tenant=tenant, seed=seed, candidates=candidates, now=self.now, tz=self.tz, wids=self._wids, profile=profile
        )
        self._store = Store(self.now, lambda: self.clock())
        self._n_added_candidates = 0
        self._n_added_requisitions = 0
        self._n_added_interviews = 0
        self._refs = build_references(tenant, self._wids, _locale.load().countries.values())
        #: Called with ``(kind, wid, candidate_id)`` after every edit of an interview (``"interview"``, the event's
        #: WID) or a candidate (``"candidate"``, its WID): FakeTenant's notifications (``_notify``) listen here.
        self.observers: list[Callable[[str, str, str], None]] = []

    def current_moment(self) -> datetime:
        """The tenant's current moment, to the millisecond, as its server time shows it (UTC): ``clock()``, and never
        before the entry moment of the last edit, so a window ending now holds every edit made so far."""
        return self._store.now()

    # -- IDs and reference data -------------------------------------------------------------------------------

    candidate_id_for = staticmethod(_ids.candidate_id)
    requisition_id_for = staticmethod(_ids.requisition_id)
    worker_id_at = staticmethod(_ids.employee_id)
    location_time_zone = staticmethod(location_time_zone)

    def reference(self, kind: str, value: str) -> Ref:
        """The reference of a reference-data instance (``reference("Recruiting_Stage", "REVIEW")``).

        Raises:
            KeyError: the kind or value is unknown.
        """
        ref = self._refs.get((kind, value))
        if ref is None:
            raise KeyError(f"unknown {kind} {value!r}")
        return ref

    def find_reference(self, kind: str, id_type: str, value: str) -> Ref | None:
        """A reference-data instance by any of its IDs (WID included), or None."""
        for (k, _v), ref in self._refs.items():
            if k == kind and ref.id(id_type) == value:
                return ref
        return None

    def reference_values(self, kind: str) -> list[str]:
        """The IDs of every instance of a reference-data kind, in table order."""
        return [v for (k, v) in self._refs if k == kind]

    def time_zone_reference(self, name: str) -> Ref:
        """The Time_Zone reference of an IANA name (names outside the table get a derived WID)."""
        ref = self._refs.get(("Time_Zone", name))
        return ref or Ref(self._wids.reference("Time_Zone", name), (("Time_Zone_ID", name),), name)

    def derived_wid(self, kind: str, key: int) -> str:
        """A stable WID for a secondary object (a position, a role assignment) keyed by ``(kind, key)``."""
        return self._wids.wid(f"derived:{kind}", key)

    # -- workers ----------------------------------------------------------------------------------------------

    def worker_count(self) -> int:
        """Number of workers."""
        return self._base.worker_count

    def worker_at(self, index: int) -> WorkerRecord:
        """The worker at ``index`` (recruiters come first)."""
        if not 0 <= index < self._base.worker_count:
            raise IndexError(index)
        return self._base.worker(index)

    def workers(self) -> list[WorkerRecord]:
        """Every worker, recruiters first."""
        return [self._base.worker(i) for i in range(self._base.worker_count)]

    def recruiters(self) -> list[WorkerRecord]:
        """The workers who act as recruiters."""
        return [self._base.worker(i) for i in range(self._base.recruiter_count)]

    def find_worker(self, id_type: str, value: str) -> WorkerRecord | None:
        """A worker by ``WID`` or ``Employee_ID``, or None."""
        if id_type == "WID":
            index = self._wids.key("worker", value)
        elif id_type == "Employee_ID":
            index = _ids.worker_index(value)
        else:
            return None
        if index is None or not 0 <= index < self._base.worker_count:
            return None
        return self._base.worker(index)

    # -- requisitions -----------------------------------------------------------------------------------------

    def requisition_count(self) -> int:
        """Number of requisitions (base plus added)."""
        return self._base.requisition_count + self._n_added_requisitions

    def requisition_at(self, index: int, as_of: datetime | None = None) -> RequisitionRecord | None:
        """The requisition at ``index`` as of an entry moment (None when not created yet)."""
        if not 0 <= index < self.requisition_count():
            raise IndexError(index)
        return self._store.requisitions.at(index, as_of, lambda: self._base.requisition(index))

    def iter_requisitions(self, as_of: datetime | None = None) -> Iterator[RequisitionRecord]:
        """Requisitions visible at ``as_of`` (current versions when None), by index."""
        for j in range(self.requisition_count()):
            rec = self.requisition_at(j, as_of)
            if rec is not None:
                yield rec

    def requisitions(self, as_of: datetime | None = None) -> list[RequisitionRecord]:
        """A list of :meth:`iter_requisitions`."""
        return list(self.iter_requisitions(as_of))

    def find_requisition(self, id_type: str, value: str, as_of: datetime | None = None) -> RequisitionRecord | None:
        """A requisition by ``WID`` or ``Job_Requisition_ID``, or None."""
        if id_type == "WID":
            index = self._wids.key("req", value)
        elif id_type == "Job_Requisition_ID":
            index = _ids.requisition_index(value)
        else:
            return None
        if index is None or not 0 <= index < self.requisition_count():
            return None
        return self.requisition_at(index, as_of)

    # -- candidates and applications --------------------------------------------------------------------------

    def candidate_count(self) -> int:
        """Number of candidates (base plus added), whatever their creation time."""
        return self._base.candidate_count + self._n_added_candidates

    def count_candidates(self, as_of: datetime | None = None) -> int:
        """How many candidates are visible at ``as_of`` (cheap: base candidates are created in ID order)."""
        base = self._base.candidate_count
        if as_of is not None and as_of < self.now:
            lo, hi = 0, base  # find the first base index created after as_of
            while lo < hi:
                mid = (lo + hi) // 2
                if self._base.candidate_created_at(mid) <= as_of:
                    lo = mid + 1
                else:
                    hi = mid
            base = lo
        added = 0
        for i in range(self._base.candidate_count, self.candidate_count()):
            versions = self._store.candidates.versions(i)
            if versions is not None and (as_of is None or versions[0].created_at <= as_of):
                added += 1
        return base + added

    def candidate_at(self, index: int, as_of: datetime | None = None) -> CandidateRecord:
        """The candidate at ``index``: its current version, or its version at ``as_of``.

        Raises:
            IndexError: no such index, or the candidate did not exist yet at ``as_of``.
        """
        rec = self._candidate_at(index, as_of)
        if rec is None:
            raise IndexError(f"candidate {index} did not exist at {as_of}")
        return rec

    def _candidate_at(self, index: int, as_of: datetime | None) -> CandidateRecord | None:
        if not 0 <= index < self.candidate_count():
            raise IndexError(index)
        return self._store.candidates.at(index, as_of, lambda: self._base.candidate(index))

    def iter_candidates(
        self, as_of: datetime | None = None, *, start: int = 0, stop: int | None = None
    ) -> Iterator[CandidateRecord]:
        """Candidates visible at ``as_of``, in index order (``start``/``stop`` bound the index range)."""
        end = self.candidate_count() if stop is None else min(stop, self.candidate_count())
        for i in range(max(0, start), end):
            rec = self._candidate_at(i, as_of)
            if rec is not None:
                yield rec

    def find_candidate(self, id_type: str, value: str, as_of: datetime | None = None) -> CandidateRecord | None:
        """A candidate by ``WID`` or ``Candidate_ID`` (its version at ``as_of``), or None."""
        if id_type == "WID":
            index = self._wids.key("cand", value)
        elif id_type == "Candidate_ID":
            index = _ids.candidate_index(value)
        else:
            return None
        if index is None or not 0 <= index < self.candidate_count():
            return None
        return self._candidate_at(index, as_of)

    def _application_key(self, id_type: str, value: str) -> tuple[int, int] | None:
        """(candidate index, slot) of an application ID or WID, the index within range."""
        if id_type == "WID":
            key = self._wids.key("app", value)
            found = None if key is None else divmod(key, APPLICATION_SLOTS)
        elif id_type == "Job_Application_ID":
            found = _ids.application_key(value)
        else:
            return None
        return found if found is not None and 0 <= found[0] < self.candidate_count() else None

    def find_application(
        self, id_type: str, value: str, as_of: datetime | None = None
    ) -> tuple[CandidateRecord, ApplicationRecord] | None:
        """An application (with its candidate) by ``WID`` or ``Job_Application_ID``, or None."""
        key = self._application_key(id_type, value)
        if key is None:
            return None
        cand = self._candidate_at(key[0], as_of)
        if cand is None:
            return None
        app = cand.application(_ids.application_id(*key))
        if app is None:
            return None
        return cand, app

    def find_application_for(
        self, candidate_id: str, requisition_id: str, as_of: datetime | None = None
    ) -> tuple[CandidateRecord, ApplicationRecord] | None:
        """The application of a candidate (Candidate_ID) to a requisition (Job_Requisition_ID), or None."""
        cand = self.find_candidate("Candidate_ID", candidate_id, as_of)
        if cand is None:
            return None
        for app in cand.applications:
            if app.requisition_id == requisition_id:
                return cand, app
        return None

    def resume_for(self, candidate: CandidateRecord) -> ResumeRecord | None:
        """The parsed resume of a candidate who has one (deterministic; generated on demand)."""
        return self._base.resume_for(candidate)

    def resume_file(self, candidate: CandidateRecord) -> tuple[str, str, bytes]:
        """(file name, MIME type, content) of a candidate's resume attachment."""
        return self._base.resume_file(candidate)

    # -- interviews and job postings --------------------------------------------------------------------------

    def interviews_for_application(self, application_id: str, as_of: datetime | None = None) -> list[InterviewRecord]:
        """The interview events of an application visible at ``as_of`` (base event first, then added ones)."""
        key = self._application_key("Job_Application_ID", application_id)
        if key is None or self._candidate_at(key[0], as_of) is None:
            return []
        out: list[InterviewRecord] = []
        base = self._base.interview(*key)
        if base is not None:
            rec = self._store.interviews.at(base.wid, as_of, lambda: base)
            if rec is not None:
                out.append(rec)
        for wid in self._store.added_interviews.get(application_id, ()):
            versions = self._store.interviews.versions(wid)
            rec = version_at(versions, as_of) if versions is not None else None
            if rec is not None:
                out.append(rec)
        return out

    def interview_wids(self, as_of: datetime | None = None) -> Iterator[str]:
        """The WIDs of every interview event visible at ``as_of``: by candidate, then application, then event.

        The enterprise profile lists them from an index of the base events (built on the first call, without
        generating a candidate); the default profile reads every candidate.
        """
        keys = self._base.interview_keys()
        if keys is None:
            for candidate in self.iter_candidates(as_of):
                for application in candidate.applications:
                    for interview in self.interviews_for_application(application.application_id, as_of):
                        yield interview.wid
            return
        with self._store.lock:
            added = {app: tuple(wids) for app, wids in self._store.added_interviews.items()}
            added_candidates = set(range(self._base.candidate_count, self.candidate_count()))
        entries: list[tuple[int, int, int, str]] = [
            (key // APPLICATION_SLOTS, key % APPLICATION_SLOTS, 0, self._wids.wid("interview", key)) for key in keys
        ]
        for application_id, wids in added.items():
            found = _ids.application_key(application_id)
            if found is not None:
                entries.extend((found[0], found[1], 1 + n, wid) for n, wid in enumerate(wids))
        entries.sort()
        past = as_of is not None and as_of < self.now
        for index, slot, n, wid in entries:
            # Edited or added candidates, added events and past snapshots are checked; unedited base events of a
            # base candidate exist at every moment from ``now`` on.
            if past or n or index in added_candidates or index in self._store.candidates:
                owner = self._candidate_at(index, as_of) if index < self.candidate_count() else None
                if owner is None or owner.application(_ids.application_id(index, slot)) is None:
                    continue
                if self.find_interview(wid, as_of) is None:
                    continue
            yield wid

    def find_interview(self, wid: str, as_of: datetime | None = None) -> InterviewRecord | None:
        """An interview event by WID, or None."""
        return self._store.interviews.at(wid, as_of, lambda: self._base_interview(wid))

    def _base_interview(self, wid: str) -> InterviewRecord | None:
        key = self._wids.key("interview", wid)
        return None if key is None else self._base.interview(*divmod(key, APPLICATION_SLOTS))

    def iter_job_postings(self, as_of: datetime | None = None) -> Iterator[JobPostingRecord]:
        """Job postings visible at ``as_of``, by requisition then site."""
        for req in self.iter_requisitions(as_of):
            for posting in req.postings:
                if as_of is None or posting.created_at <= as_of:
                    yield posting

    def find_job_posting(self, id_type: str, value: str, as_of: datetime | None = None) -> JobPostingRecord | None:
        """A job posting by ``WID`` or ``Job_Posting_ID``, or None."""
        if id_type == "WID":
            key = self._wids.key("posting", value)
            index = None if key is None else key // 4
        elif id_type == "Job_Posting_ID":
            index = _ids.posting_requisition_index(value)
        else:
            return None
        if index is None or not 0 <= index < self.requisition_count():
            return None
        req = self.requisition_at(index, as_of)
        if req is None:
            return None
        for posting in req.postings:
            if posting.wid == value or posting.posting_id == value:
                return posting if as_of is None or posting.created_at <= as_of else None
        return None

    # -- edits (entry moments from the clock) -----------------------------------------------------------------

    def _new_application(
        self, index: int, slot: int, requisition_id: str, source_id: str, t: datetime
    ) -> ApplicationRecord:
        return ApplicationRecord(
            wid=self._wids.wid("app", index * APPLICATION_SLOTS + slot),
            application_id=_ids.application_id(index, slot),
            requisition_id=requisition_id,
            stage_id="REVIEW",
            workflow_step_id=STEP_FOR_STAGE["REVIEW"],
            applied_at=t,
            status_at=t,
            source_id=source_id,
        )

    def _known_requisition(self, requisition_id: str) -> None:
        if self.find_requisition("Job_Requisition_ID", requisition_id) is None:
            raise KeyError(f"unknown requisition {requisition_id!r}")

    def _current_candidate(self, candidate_id: str) -> CandidateRecord:
        current = self.find_candidate("Candidate_ID", candidate_id)
        if current is None:
            raise KeyError(f"unknown candidate {candidate_id!r}")
        return current

    def add_candidate(
        self, *, first_name: str, last_name: str, email: str, requisition_id: str | None = None, **more: Any
    ) -> CandidateRecord:
        """Create a candidate (optionally applying to a requisition, stage REVIEW) and return it.

        ``more`` sets any other :class:`CandidateRecord` field (``phones=``, ``tags=``, ``source_id=`` ...).

        Raises:
            KeyError: ``requisition_id`` is unknown.
        """
        with self._store.lock:
            t = self._store.stamp()
            index = self.candidate_count()
            apps: tuple[ApplicationRecord, ...] = ()
            if requisition_id is not None:
                self._known_requisition(requisition_id)
                source = str(more.get("source_id", "CAREER_SITE"))
                apps = (self._new_application(index, 0, requisition_id, source, t),)
            rec = CandidateRecord(
                index=index,
                wid=self._wids.wid("cand", index),
                candidate_id=_ids.candidate_id(index),
                first_name=first_name,
                last_name=last_name,
                emails=(email,),
                applications=apps,
                created_at=t,
                updated_at=t,
            )
            rec = self._store.candidates.add(index, attrs.evolve(rec, **tuplify(more)))
            self._n_added_candidates += 1
            self._observed("candidate", rec.wid, rec.candidate_id)
            return rec

    def update_candidate(self, candidate_id: str, /, **changes: Any) -> CandidateRecord:
        """Change fields of a candidate (a new version stamped now) and return the new version.

        Raises:
            KeyError: unknown candidate.
            ValueError: an identity field (index, wid, candidate_id, created_at) was given.
        """
        reject_identity(changes, ("index", "wid", "candidate_id", "created_at", "updated_at"))
        with self._store.lock:
            current = self._current_candidate(candidate_id)
            new = self._store.candidates.edit(current.index, current, self._store.stamp(), changes)
            self._observed("candidate", new.wid, new.candidate_id)
            return new

    def update_application(self, application_id: str, /, **changes: Any) -> CandidateRecord:
        """Change an application (stage, disposition ...); returns the candidate's new version.

        A new stage without a workflow step gets the stage's default step; a stage or disposition change sets
        ``status_at`` to the entry moment unless given.

        Raises:
            KeyError: unknown application.
        """
        reject_identity(changes, ("wid", "application_id"))
        with self._store.lock:
            found = self.find_application("Job_Application_ID", application_id)
            if found is None:
                raise KeyError(f"unknown application {application_id!r}")
            cand, app = found
            t = self._store.stamp()
            changes = dict(changes)
            if "stage_id" in changes and "workflow_step_id" not in changes:
                disposition = changes.get("disposition_id", app.disposition_id)
                changes["workflow_step_id"] = None if disposition else STEP_FOR_STAGE.get(changes["stage_id"])
            if "disposition_id" in changes and changes["disposition_id"] and "workflow_step_id" not in changes:
                changes["workflow_step_id"] = None
            if ({"stage_id", "disposition_id"} & changes.keys()) and "status_at" not in changes:
                changes["status_at"] = t
            new_app = attrs.evolve(app, **changes)
            apps = tuple(new_app if a.application_id == application_id else a for a in cand.applications)
            new = self._store.candidates.edit(cand.index, cand, t, {"applications": apps})
            self._observed("candidate", new.wid, new.candidate_id)
            return new

    def add_application(self, candidate_id: str, requisition_id: str, **more: Any) -> CandidateRecord:
        """Apply an existing candidate to a requisition (stage REVIEW); returns the candidate's new version.

        Raises:
            KeyError: unknown candidate or requisition.
            ValueError: the candidate already has 16 applications.
        """
        with self._store.lock:
            cand = self._current_candidate(candidate_id)
            self._known_requisition(requisition_id)
            used = {_ids.application_key(a.application_id) for a in cand.applications}
            slot = next((s for s in range(APPLICATION_SLOTS) if (cand.index, s) not in used), None)
            if slot is None:
                raise ValueError(f"a fake candidate holds at most {APPLICATION_SLOTS} applications")
            t = self._store.stamp()
            app = attrs.evolve(
                self._new_application(cand.index, slot, requisition_id, cand.source_id, t), **tuplify(more)
            )
            new = self._store.candidates.edit(cand.index, cand, t, {"applications": (*cand.applications, app)})
            self._observed("candidate", new.wid, new.candidate_id)
            return new

    def add_requisition(self, *, title: str, **more: Any) -> RequisitionRecord:
        """Create a requisition (status OPEN unless given) and return it. ``more`` sets other fields."""
        with self._store.lock:
            t = self._store.stamp()
            index = self.requisition_count()
            today = t.astimezone(self.tz).date()
            rec = attrs.evolve(
                self._base.requisition(0),
                index=index,
                wid=self._wids.wid("req", index),
                requisition_id=_ids.requisition_id(index),
                title=title,
                status_id="OPEN",
                positions=1,
                positions_available=1,
                position_ids=(f"P-{index * 5 + 100:05d}",),
                recruiting_start_date=today,
                target_hire_date=today + timedelta(days=60),
                target_end_date=None,
                summary=title,
                description=f"{title}.",
                postings=(),
                created_at=t,
                updated_at=t,
            )
            rec = self._store.requisitions.add(index, attrs.evolve(rec, **tuplify(more)))
            self._n_added_requisitions += 1
            return rec

    def update_requisition(self, requisition_id: str, /, **changes: Any) -> RequisitionRecord:
        """Change fields of a requisition (a new version stamped now) and return it.

        Raises:
            KeyError: unknown requisition.
        """
        reject_identity(changes, ("index", "wid", "requisition_id", "created_at", "updated_at"))
        with self._store.lock:
            current = self.find_requisition("Job_Requisition_ID", requisition_id)
            if current is None:
                raise KeyError(f"unknown requisition {requisition_id!r}")
            return self._store.requisitions.edit(current.index, current, self._store.stamp(), changes)

    def add_interview(
        self,
        application_id: str,
        sessions: Sequence[tuple[datetime, datetime, Sequence[str]]],
        *,
        time_zone: str | None = None,
        **more: Any,
    ) -> InterviewRecord:
        """Schedule an interview event for an application; returns it (status in progress, a meeting URL).

        Args:
            application_id: the Job_Application_ID.
            sessions: ``(start, end, interviewer Employee_IDs)`` per session; aware datetimes.
            time_zone: IANA name (default: the requisition's primary location's time zone).
            more: other :class:`InterviewRecord` fields.

        Raises:
            KeyError: unknown application.
            ValueError: no sessions, naive datetimes, end not after start, or no interviewers.
        """
        if not sessions:
            raise ValueError("an interview needs at least one session")
        with self._store.lock:
            found = self.find_application("Job_Application_ID", application_id)
            if found is None:
                raise KeyError(f"unknown application {application_id!r}")
            cand, app = found
            t = self._store.stamp()
            n = self._n_added_interviews
            self._n_added_interviews += 1
            wid = self._wids.wid("interview_added", n)
            req = self.find_requisition("Job_Requisition_ID", app.requisition_id)
            tz_name = time_zone or (location_time_zone(req.location_ids[0]) if req else "UTC")
            ZoneInfo(tz_name)  # validates the name
            recs = []
            for k, (start, end, interviewers) in enumerate(sessions):
                start_utc, end_utc = ensure_aware(start, "start"), ensure_aware(end, "end")
                if end_utc <= start_utc:
                    raise ValueError("a session must end after it starts")
                if not interviewers:
                    raise ValueError("a session needs at least one interviewer")
                recs.append(
                    InterviewSessionRecord(
                        wid=self._wids.wid("session_added", n * 64 + k),
                        start=start_utc,
                        end=end_utc,
                        interviewer_ids=tuple(interviewers),
                        interview_type_id="VIDEO",
                    )
                )
            meeting = f"8{(n * 7919 + 1234567) % 10**10:010d}"
            rec = InterviewRecord(
                wid=wid,
                application_id=application_id,
                candidate_id=cand.candidate_id,
                requisition_id=app.requisition_id,
                time_zone=tz_name,
                sessions=tuple(recs),
                meeting_id=meeting,
                meeting_url=f"https://zoom.example.com/j/{meeting}?pwd=fake{n}",
                created_at=t,
                updated_at=t,
            )
            rec = self._store.interviews.add(wid, attrs.evolve(rec, **tuplify(more)))
            self._store.added_interviews.setdefault(application_id, []).append(wid)
            self._stamp_candidate(cand.candidate_id, t)
            self._observed("interview", rec.wid, rec.candidate_id)
            return rec

    def update_interview(self, wid: str, /, **changes: Any) -> InterviewRecord:
        """Change an interview event (e.g. ``status="cancelled"``); returns the new version.

        Raises:
            KeyError: unknown interview.
        """
        reject_identity(changes, ("wid", "application_id", "created_at", "updated_at"))
        with self._store.lock:
            current = self.find_interview(wid)
            if current is None:
                raise KeyError(f"unknown interview {wid!r}")
            t = self._store.stamp()
            new = self._store.interviews.edit(wid, current, t, changes)
            self._stamp_candidate(current.candidate_id, t)
            self._observed("interview", new.wid, new.candidate_id)
            return new

    def move_interview(self, wid: str, /, by: timedelta) -> InterviewRecord:
        """Reschedule every session of an interview event by ``by`` (an :meth:`update_interview` of its sessions).

        Raises:
            KeyError: unknown interview.
        """
        with self._store.lock:
            current = self.find_interview(wid)
            if current is None:
                raise KeyError(f"unknown interview {wid!r}")
            sessions = tuple(attrs.evolve(s, start=s.start + by, end=s.end + by) for s in current.sessions)
            return self.update_interview(wid, sessions=sessions)

    def _observed(self, kind: str, wid: str, candidate_id: str) -> None:
        """Tell every observer of an edit (they only queue it: this runs under the store's lock)."""
        for observer in tuple(self.observers):
            observer(kind, wid, candidate_id)

    def _stamp_candidate(self, candidate_id: str, t: datetime) -> None:
        """With ``interview_changes_stamp_candidate``: enter the candidate in the transaction log at ``t``."""
        if not self.interview_changes_stamp_candidate:
            return
        current = self.find_candidate("Candidate_ID", candidate_id)
        if current is not None:
            self._store.candidates.edit(current.index, current, t, {})

    # -- transaction log --------------------------------------------------------------------------------------

    def changed_candidates(
        self,
        updated_from: datetime | None,
        updated_through: datetime | None,
        as_of: datetime | None = None,
    ) -> list[CandidateRecord]:
        """Candidates created or changed in ``[updated_from, updated_through]`` (as of ``as_of``), by index.

        Changes entered after ``as_of`` do not count, and each record is returned in its ``as_of`` version.
        """
        # Base candidates were all created and updated before ``now``: a window after it holds edits only.
        scan_base = updated_from is None or updated_from < self.now
        keys = range(self.candidate_count()) if scan_base else None
        return self._store.candidates.changed(keys, self._base.candidate, updated_from, updated_through, as_of)

    def changed_requisitions(
        self,
        updated_from: datetime | None,
        updated_through: datetime | None,
        as_of: datetime | None = None,
    ) -> list[RequisitionRecord]:
        """Requisitions created or changed in ``[updated_from, updated_through]``; see changed_candidates."""
        keys = range(self.requisition_count())
        return self._store.requisitions.changed(keys, self._base.requisition, updated_from, updated_through, as_of)


def encode_base64(data: bytes) -> str:
    """Base64 text of ``data`` (Workday's xsd:base64Binary)."""
    return base64.b64encode(data).decode("ascii")
