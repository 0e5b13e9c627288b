"""The fake tenant's generated records: every base record is a pure function of the data set's parameters.

Record ``i`` of a kind comes from ``random.Random(f"{seed}:{kind}:{i}")``, so a 100,000-candidate tenant costs
nothing until it is read, and records do not depend on the order they are read in.

Time layout (Workday's "entry moment"): base candidates are created in index order over the two years before
``now`` (``CAND-n`` grows with time, as in a real tenant), base requisitions over the 900 days before ``now``; every
base ``created_at`` and ``updated_at`` is before ``now``.

Interviews: about 60% of applications that reached the Interview stage or later have one interview event with 1-4
sessions; events of applications still in Interview are mostly in the next 14 days, the rest in the past. An event
is "in progress" while any session is still to come (or feedback is pending), else "completed" or "cancelled";
Get_Interviews has no status element, the status only decides Get_Web_Conference_Interview_Data.

The enterprise profile (``profile="enterprise"``) keeps every candidate field but draws its applications from a
skeleton generator of their own (:meth:`Generator.enterprise_skeleton`: cheap, so that listing every interview event
scans skeletons, never candidates): six years of candidates, one requisition per forty candidates, applications
older than 120 days (or on a requisition no longer open) nearly all dispositioned, the active pipeline in the recent
ones, upcoming interview events only for live applications in Interview. The default profile's draws are unchanged.

The data is international on purpose (non-ASCII names and cities, local-script names, apostrophes and ampersands)
so that XML escaping and encoding paths are exercised. Phone numbers are held as Workday holds them: the country
code in the country phone code reference, the number in a national form.
"""

from __future__ import annotations

import functools
import random
import threading
from datetime import datetime, time, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from . import _locale
from ._enterprise import ENTERPRISE_HISTORY_DAYS, MASK64, W_APPS, Mix, Skeleton, Weighted, draw_skeleton
from ._ids import (
    APPLICATION_SLOTS,
    Wids,
    application_id,
    candidate_id,
    employee_id,
    posting_id,
    requisition_id,
    requisition_index,
)
from ._locale import Culture, Name, ascii_fold, ascii_words
from ._records import (
    Address,
    ApplicationRecord,
    CandidateRecord,
    ExperienceRecord,
    InterviewRecord,
    InterviewSessionRecord,
    InterviewStatus,
    JobPostingRecord,
    Phone,
    RequisitionRecord,
    ResumeRecord,
    WorkerRecord,
)
from ._reference import (
    DEGREES,
    DISPOSITIONS,
    INTERVIEW_STAGES,
    LOCATION_BY_ID,
    LOCATIONS,
    MIME_DOCX,
    MIME_PDF,
    PROFILES,
    REFERRAL_SOURCE,
    SALES_REGION,
    SOURCES,
    STAGES,
    SUP_ORGS,
    TAGS,
    TIME_ZONES,
    VIRTUAL_TYPES,
)

__all__ = ["Generator"]

UTC: Final = timezone.utc


_W_SOURCE: Final = Weighted([s[0] for s in SOURCES], (s[2] for s in SOURCES))
_W_LOCATION: Final = Weighted(LOCATIONS, (loc[4] for loc in LOCATIONS))
# Stage of a live application (index into STAGES).
_W_STAGE: Final = Weighted(range(len(STAGES)), (30, 15, 8, 20, 5, 7, 2, 4, 4))
_W_TAGS: Final = Weighted((0, 1, 2, 3), (55, 30, 12, 3))

_HEX: Final = "0123456789abcdef"
_ALNUM: Final = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_RECRUITER_TITLES: Final = ("Senior Recruiter", "Talent Acquisition Partner", "Recruiter", "Recruiting Coordinator")
_MANAGER_TITLES: Final = (
    "Engineering Manager",
    "Director of Sales",
    "Product Lead",
    "Data Science Manager",
    "Staff Engineer",
    "Head of Finance",
    "Customer Success Lead",
    "Marketing Director",
    "Operations Manager",
    "Senior Software Engineer",
    "HR Business Partner",
    "Vice President, R&D",
)


def _digits(rng: random.Random, n: int) -> str:
    return f"{int(rng.random() * 10**n):0{n}d}"


@functools.lru_cache(maxsize=256)
def _slug(text: str) -> str:
    """URL path segment: ASCII words joined by hyphens (``"São Paulo"`` -> ``"Sao-Paulo"``)."""
    return "-".join(w for w in ascii_words(text) if w) or "job"


def _article(word: str) -> str:
    vowel = word[:1] in "AEIO" or (word[:1] == "U" and not word[1:2].isupper())
    return "an" if vowel else "a"


def location_time_zone(location_id: str) -> str:
    """The IANA time zone of a location."""
    return str(LOCATION_BY_ID[location_id][3])


class Generator:
    """The base records of one data set: ``(tenant, seed, candidates, now)`` decide every one of them.

    Workers and requisitions are kept once generated (there are few of them, and candidates read them often);
    candidates and interviews are generated afresh on every read.
    """

    def __init__(
        self,
        *,
        tenant: str,
        seed: int,
        candidates: int,
        now: datetime,
        tz: tzinfo,
        wids: Wids,
        profile: str = "default",
    ) -> None:
        self.tenant = tenant
        self.profile = profile
        self.seed = seed
        self.now = now
        self.tz = tz
        self.wids = wids
        self.candidate_count = candidates
        self._enterprise = profile == "enterprise"
        # The enterprise profile: six years of candidates, about 60 applications per requisition.
        history = ENTERPRISE_HISTORY_DAYS if self._enterprise else 730
        req_days = history + 170
        self.requisition_count = max(10, -(-candidates // (40 if self._enterprise else 10)))
        self.worker_count = max(40, candidates // 40)
        self.recruiter_count = max(5, self.worker_count // 12)
        self._locale = _locale.load()
        self._w_culture = Weighted(self._locale.cultures, (c.weight for c in self._locale.cultures))
        self.cand_start = now - timedelta(days=history)
        self.cand_step = (timedelta(days=history) - timedelta(hours=1)) / max(1, candidates)
        self._req_start = now - timedelta(days=req_days)
        self._req_step = (timedelta(days=req_days) - timedelta(days=2)) / self.requisition_count
        # Requisitions created within this many indices before an application are its candidates.
        self.req_window = max(3, self.requisition_count * 120 // req_days)
        self._req_cache: dict[int, RequisitionRecord] = {}
        self._worker_cache: dict[int, WorkerRecord] = {}
        # Recently read candidates: an interview event, its application and its renderer all read the candidate.
        self._candidate_cache = functools.lru_cache(maxsize=2048)(self._gen_candidate)
        self.skeleton_seed = (seed * 0x9E3779B1 + 0x5EED) & MASK64
        self._skeleton_cache = functools.lru_cache(maxsize=4096)(functools.partial(draw_skeleton, self))
        self._interview_keys: tuple[int, ...] | None = None
        self._interview_keys_lock = threading.Lock()

    # -- workers ----------------------------------------------------------------------------------------------

    def worker(self, index: int) -> WorkerRecord:
        """The worker at ``index`` (recruiters come first)."""
        rec = self._worker_cache.get(index)
        if rec is None:
            rec = self._worker_cache[index] = self._gen_worker(index)
        return rec

    def _gen_worker(self, w: int) -> WorkerRecord:
        culture = self._locale.cultures[w % len(self._locale.cultures)]
        j = w // len(self._locale.cultures)
        nf, nl = len(culture.firsts), len(culture.lasts)
        first = culture.firsts[j % nf]
        last = culture.lasts[(j // nf + j) % nl]
        suffix = "" if j < nf * nl else str(j // (nf * nl))
        title = _RECRUITER_TITLES[w % 4] if w < self.recruiter_count else _MANAGER_TITLES[w % 12]
        return WorkerRecord(
            index=w,
            wid=self.wids.wid("worker", w),
            employee_id=employee_id(w),
            first_name=first.text,
            last_name=last.text,
            email=f"{first.ascii}.{last.ascii}{suffix}@{self.tenant}.example.com",
            job_title=title,
        )

    # -- requisitions -----------------------------------------------------------------------------------------

    def requisition(self, j: int) -> RequisitionRecord:
        """The base requisition at ``j``."""
        rec = self._req_cache.get(j)
        if rec is None:
            rec = self._req_cache[j] = self._gen_requisition(j)
        return rec

    def requisitions_created_by(self, t: datetime) -> int:
        """How many base requisitions were created at or before ``t`` (they are a prefix, by index)."""
        n = self.requisition_count
        j0 = int((t - self._req_start) / self._req_step)
        if j0 < 0:
            return 0
        if j0 >= n:
            return n
        return j0 + 1 if self.requisition(j0).created_at <= t else j0

    def _gen_requisition(self, j: int) -> RequisitionRecord:
        rng = random.Random(f"{self.seed}:req:{j}")
        r = rng.random
        now = self.now
        created = self._req_start + self._req_step * (j + r())
        age = (now - created).days
        u = r()
        if age > 365:
            status = "FILLED" if u < 0.6 else "CLOSED"
        elif age > 120:
            status = "OPEN" if u < 0.4 else "FILLED" if u < 0.8 else "FROZEN" if u < 0.9 else "CLOSED"
        else:
            status = "OPEN" if u < 0.85 else "FROZEN"
        profile_id, base_title, family_id, orgs = PROFILES[int(r() * len(PROFILES))]
        loc = _W_LOCATION.pick(r())
        locations: tuple[str, ...] = (loc[0],)
        if r() < 0.2:
            other = _W_LOCATION.pick(r())[0]
            if other != loc[0]:
                locations = (loc[0], other)
        country = loc[2]
        title = base_title
        u = r()
        if u < 0.15 and "Senior" not in title and "Staff" not in title:
            title = f"Senior {title}"
        elif u < 0.25:
            title = f"{title} \u2013 {('Payments', 'Growth', 'EMEA', 'Platform', 'Trust & Safety')[int(r() * 5)]}"
        if country == "DE":
            title = f"{title} (m/w/d)"
        elif country == "FR" and r() < 0.5:
            title = f"{title} (H/F)"
        org = orgs[int(r() * len(orgs))]
        if family_id == "Sales":  # sales organisations are regional
            region = SALES_REGION.get(country, "Field_Sales_Americas_supervisory")
            org = region if region in orgs else orgs[0]
        contingent = r() < 0.1
        worker_type = "CW" if contingent else "EE"
        pwt = "Contractor" if contingent else ("Regular", "Regular", "Regular", "Fixed_Term", "Temporary")[int(r() * 5)]
        part_time = r() < 0.12
        remote = ("On_Site", "Hybrid", "Hybrid", "Remote", None)[int(r() * 5)]
        positions = 1 if r() < 0.8 else 2 + int(r() * 4)
        available = positions if status in ("OPEN", "FROZEN") else 0
        if status == "OPEN" and positions > 1:
            available = 1 + int(r() * positions)
        recruiters = [employee_id(int(r() * self.recruiter_count))]
        if r() < 0.3:
            second = employee_id(int(r() * self.recruiter_count))
            if second != recruiters[0]:
                recruiters.append(second)
        hm = employee_id(self.recruiter_count + int(r() * (self.worker_count - self.recruiter_count)))
        start_date = (created + timedelta(days=int(r() * 7))).astimezone(self.tz).date()
        hire_date = start_date + timedelta(days=30 + int(r() * 60))
        end_date = hire_date + timedelta(days=180 + int(r() * 185)) if pwt in ("Contractor", "Fixed_Term") else None
        updated = created + (now - timedelta(minutes=1) - created) * (r() ** 2)
        loc_name = loc[1]
        org_name = dict(SUP_ORGS)[org]
        summary = f"{title} in {loc_name}, {org_name}."
        description = (
            f"We are looking for {_article(base_title)} {base_title} to join the {org_name} team in "
            f"{loc_name}. You will work with colleagues across {len(locations) + 2} countries, own outcomes "
            "end to end, and help customers who depend on us every day. Requirements: relevant experience, "
            "clear written communication & a collaborative mindset."
        )
        req_id = requisition_id(j)
        postings: list[JobPostingRecord] = []
        if status in ("OPEN", "FILLED") or (status == "CLOSED" and r() < 0.5):
            sites = ["External_Career_Site"]
            if r() < 0.5:
                sites.append("Internal_Career_Site")
            if r() < 0.15:
                sites.append("LinkedIn_Jobs")
            post_end = None if status == "OPEN" else min(updated, now).astimezone(self.tz).date()
            for k, site in enumerate(sites):
                path = f"/job/{_slug(loc_name)}/{_slug(base_title)}_{req_id}"
                postings.append(
                    JobPostingRecord(
                        wid=self.wids.wid("posting", j * 4 + k),
                        posting_id=posting_id(j, k),
                        requisition_id=req_id,
                        title=title,
                        description=description,
                        site_id=site,
                        external_path=path if site == "External_Career_Site" else None,
                        external_apply_url=(
                            f"https://{self.tenant}.wd5.myworkdayjobs.example.com/en-US/External{path}/apply"
                            if site == "External_Career_Site"
                            else None
                        ),
                        location_ids=locations,
                        remote_type_id=remote,
                        time_type_id="Part_time" if part_time else "Full_time",
                        position_worker_type_id=pwt,
                        supervisory_org_id=org,
                        job_family_id=family_id,
                        start_date=start_date,
                        end_date=post_end if post_end is None or post_end >= start_date else start_date,
                        primary=k == 0,
                        created_at=min(created + timedelta(hours=2 + k), now - timedelta(minutes=1)),
                    )
                )
        return RequisitionRecord(
            index=j,
            wid=self.wids.wid("req", j),
            requisition_id=req_id,
            title=title,
            status_id=status,
            positions=positions,
            positions_available=available,
            position_ids=tuple(f"P-{j * 5 + k + 100:05d}" for k in range(min(positions, 5))),
            location_ids=locations,
            job_profile_id=profile_id,
            supervisory_org_id=org,
            worker_type_id=worker_type,
            position_worker_type_id=pwt,
            time_type_id="Part_time" if part_time else "Full_time",
            remote_type_id=remote,
            scheduled_weekly_hours="20" if part_time else ("40", "37.5", "38.5")[int(r() * 3)],
            recruiter_ids=tuple(recruiters),
            hiring_manager_ids=(hm,),
            recruiting_start_date=start_date,
            target_hire_date=hire_date,
            target_end_date=end_date,
            summary=summary,
            description=description,
            spotlight=r() < 0.1,
            confidential=r() < 0.03,
            postings=tuple(postings),
            created_at=created,
            updated_at=updated,
        )

    # -- candidates -------------------------------------------------------------------------------------------

    def candidate_created_at(self, i: int) -> datetime:
        """When the base candidate at ``i`` was created (cheap: the first draw of its generator)."""
        if self._enterprise:
            return self.cand_start + self.cand_step * (i + Mix(self.skeleton_seed + i * 0x100000001B3).random())
        rng = random.Random(f"{self.seed}:cand:{i}")
        return self.cand_start + self.cand_step * (i + rng.random())

    def candidate(self, i: int) -> CandidateRecord:
        """The base candidate at ``i``."""
        return self._candidate_cache(i)

    def _gen_candidate(self, i: int) -> CandidateRecord:
        rng = random.Random(f"{self.seed}:cand:{i}")
        r = rng.random
        now = self.now
        created = self.cand_start + self.cand_step * (i + r())  # first draw: see candidate_created_at
        if self._enterprise:
            created = self.candidate_created_at(i)
        latest = now - timedelta(hours=1)
        number = 1001 + i
        culture: Culture = self._w_culture.pick(r())
        country = self._locale.countries[culture.country]
        first = culture.firsts[int(r() * len(culture.firsts))]
        last = culture.lasts[int(r() * len(culture.lasts))]
        second_last = culture.lasts[int(r() * len(culture.lasts))] if culture.second_lasts and r() < 0.7 else None
        worker_id = None
        if r() < 0.04:  # internal candidate: a worker applying
            w = self.worker(self.recruiter_count + int(r() * (self.worker_count - self.recruiter_count)))
            worker_id = w.employee_id
            first = Name(w.first_name, ascii_fold(w.first_name))
            last = Name(w.last_name, ascii_fold(w.last_name))
            second_last = None
        preferred_first = None
        if r() < 0.1:
            if culture.nicknames:
                preferred_first = culture.nicknames[int(r() * len(culture.nicknames))]
            elif " " in first.text:
                preferred_first = first.text.split(" ")[0]
        # Email addresses derive from the (ASCII-folded) name; the candidate number keeps them unique.
        fa, la = first.ascii or "candidate", last.ascii or "x"
        domain = ("example.com", "example.org", "example.net", "mail.example.com", "post.example.org")[int(r() * 5)]
        form = int(r() * 3)
        local = f"{fa}.{la}{number}" if form == 0 else f"{fa}{la}{number}" if form == 1 else f"{fa[0]}.{la}.{number}"
        emails: tuple[str, ...] = (f"{local}@{domain}",)
        if r() < 0.25:
            emails = (*emails, f"{la}.{fa}.{number}@example.net")
        # Address and phones: usually in the culture's country, sometimes relocated.
        if r() < 0.15:
            country = self._locale.countries[self._locale.cultures[int(r() * len(self._locale.cultures))].country]
        city = country.cities[int(r() * len(country.cities))]
        addresses: tuple[Address, ...] = ()
        if r() < 0.95:
            line1 = country.street_format.format(
                n=1 + int(r() * 220), s=country.streets[int(r() * len(country.streets))]
            )
            lines: tuple[str, ...] = (line1,)
            if r() < 0.3:
                lines = (line1, country.line2[int(r() * len(country.line2))])
            addresses = (
                Address(
                    country=country.alpha2,
                    city=city.name,
                    region_id=city.region_id,
                    postal_code=city.postal_code,
                    lines=lines,
                ),
            )
        phones: tuple[Phone, ...] = ()
        n_phones = 0 if r() < 0.05 else 1 if r() < 0.8 else 2
        for k in range(n_phones):
            local_no = _digits(rng, country.local_digits)
            style = int(r() * 3)
            if country.alpha2 in ("US", "CA"):  # NANP: fictional 555-01xx numbers
                local_no = f"55501{local_no[-2:]}"
                national = f"({city.area}) {local_no[:3]}-{local_no[3:]}"
                digits = f"{city.area}{local_no}"
            else:
                half = len(local_no) // 2
                national = f"{country.trunk}{city.area} {local_no[:half]} {local_no[half:]}"
                digits = f"{city.area}{local_no}"
            # As people type it, but without the country code: that is the Country_Phone_Code_Reference.
            number_text = national if style == 0 else digits if style == 1 else f"{city.area} {local_no}"
            phones = (
                *phones,
                Phone(
                    country_phone_code_id=country.phone_code_id,
                    number=number_text,
                    device_type_id="Mobile" if k == 0 else "Landline",
                    extension=str(100 + int(r() * 900)) if k == 1 and r() < 0.3 else None,
                ),
            )
        linkedin = f"https://linkedin.example.com/in/{fa}-{la}-{number:x}" if r() < 0.4 else None
        language = culture.language_id if r() < 0.5 else None
        n_tags = _W_TAGS.pick(r())
        tags: tuple[str, ...] = ()
        if n_tags:
            first_tag = int(r() * len(TAGS))
            step = 1 + 2 * int(r() * (len(TAGS) // 2))  # odd: coprime with len(TAGS) == 8, so no repeats
            tags = tuple(TAGS[(first_tag + k * step) % len(TAGS)][0] for k in range(n_tags))
        source = _W_SOURCE.pick(r())
        referred_by = relationship = None
        if source == REFERRAL_SOURCE:
            referred_by = employee_id(int(r() * self.worker_count))
            relationship = ("Former_Colleague", "Friend", "Family_Member")[int(r() * 3)]
        prospect = r() < 0.1
        prospect_status = ("Not_Contacted", "Contacted", "Engaged")[int(r() * 3)] if prospect else None
        withdrawn = r() < 0.04
        do_not_hire = r() < 0.02
        has_resume = r() < 0.45
        has_cover_letter = r() < 0.1
        # Applications: the first one created the candidate; later ones between then and now.
        apps: list[ApplicationRecord]
        if self._enterprise:
            apps = self._enterprise_applications(i, created, source, referred_by)
        else:
            n_apps = W_APPS.pick(r())
            apps = []
            used: set[int] = set()
            times = sorted(created + (latest - created) * r() for _ in range(n_apps - 1))
            for slot, applied in enumerate((created, *times)):
                k = self.requisitions_created_by(applied)
                if k == 0:
                    continue
                j = max(0, k - self.req_window) + int(r() * min(k, self.req_window))
                if j in used:
                    continue
                used.add(j)
                req = self.requisition(j)
                status_at = applied + (latest - applied) * r()
                disposition = None
                u = r()
                if withdrawn:
                    stage_n = int(r() * 4)
                    disposition = "DECLINED_WITHDREW"
                elif do_not_hire:
                    stage_n = int(r() * 3)
                    disposition = DISPOSITIONS[int(r() * 3)][0]
                elif req.status_id != "OPEN" and u < 0.8:
                    stage_n = _W_STAGE.pick(r())
                    disposition = (
                        "REJECTED_POSITION_CLOSED"
                        if stage_n < 3
                        else (
                            "REJECTED_MORE_QUALIFIED_CANDIDATE",
                            "DECLINED_ACCEPTED_OTHER_OFFER",
                            "DECLINED_COMPENSATION",
                        )[int(r() * 3)]
                    )
                elif u < 0.25:
                    stage_n = _W_STAGE.pick(r())
                    disposition = DISPOSITIONS[int(r() * (len(DISPOSITIONS) - 1))][0]
                else:
                    stage_n = _W_STAGE.pick(r())
                stage_id = STAGES[stage_n][0]
                app_source = source if slot == 0 or r() < 0.7 else "CAREER_SITE"
                added_by = (
                    req.recruiter_ids[0] if app_source in ("LINKEDIN", "AGENCY_HAYS", "AGENCY_MICHAEL_PAGE") else None
                )
                apps.append(
                    ApplicationRecord(
                        wid=self.wids.wid("app", i * APPLICATION_SLOTS + slot),
                        application_id=application_id(i, slot),
                        requisition_id=req.requisition_id,
                        stage_id=stage_id,
                        disposition_id=disposition,
                        workflow_step_id=None if disposition else STAGES[stage_n][2],
                        applied_at=applied,
                        status_at=status_at,
                        source_id=app_source,
                        referred_by_worker_id=referred_by if app_source == REFERRAL_SOURCE else None,
                        added_by_worker_id=added_by,
                    )
                )
        last_change = max(a.status_at for a in apps) if apps else created
        updated = last_change + (now - timedelta(minutes=1) - last_change) * (r() ** 3)
        return CandidateRecord(
            index=i,
            wid=self.wids.wid("cand", i),
            candidate_id=candidate_id(i),
            first_name=first.text,
            last_name=last.text,
            secondary_last_name=second_last.text if second_last else None,
            local_first_name=first.local,
            local_last_name=last.local,
            preferred_first_name=preferred_first,
            emails=emails,
            phones=phones,
            addresses=addresses,
            linkedin_url=linkedin,
            language_id=language,
            tags=tags,
            source_id=source,
            referred_by_worker_id=referred_by,
            referral_relationship_id=relationship,
            worker_id=worker_id,
            prospect=prospect,
            prospect_status_id=prospect_status,
            withdrawn=withdrawn,
            do_not_hire=do_not_hire,
            has_resume=has_resume,
            has_cover_letter=has_cover_letter,
            applications=tuple(apps),
            created_at=created,
            updated_at=updated,
        )

    def resume_for(self, candidate: CandidateRecord) -> ResumeRecord | None:
        """The parsed resume of a candidate who has one (deterministic; generated on demand)."""
        if not candidate.has_resume:
            return None
        rng = random.Random(f"{self.seed}:resume:{candidate.index}")
        skills = self._locale.skills
        r = rng.random
        year = candidate.created_at.year
        experience = []
        end_year: int | None = None
        end_month: int | None = None
        for k in range(1 + int(r() * 3)):
            start_year = (end_year or year) - 1 - int(r() * 4)
            start_month = 1 + int(r() * 12)
            experience.append(
                ExperienceRecord(
                    company=self._locale.companies[int(r() * len(self._locale.companies))],
                    title=PROFILES[int(r() * len(PROFILES))][1],
                    location=None if r() < 0.3 else LOCATIONS[int(r() * len(LOCATIONS))][1],
                    start_year=start_year,
                    start_month=start_month,
                    end_year=None if k == 0 and r() < 0.5 else (end_year or year),
                    end_month=None if k == 0 and end_year is None else (end_month or 1 + int(r() * 12)),
                )
            )
            if experience[-1].end_year is None:
                experience[-1] = attrs.evolve(experience[-1], end_month=None)
            end_year, end_month = start_year, start_month
        last_year = (end_year or year) - int(r() * 2)
        return ResumeRecord(
            summary=None
            if r() < 0.4
            else "Pragmatic, curious & results-driven; I've shipped products on 3 continents.",
            skills=tuple(skills[k] for k in sorted(rng.sample(range(len(skills)), 1 + int(r() * 4)))),
            experience=tuple(experience),
            school=self._locale.schools[int(r() * len(self._locale.schools))],
            degree_id=DEGREES[int(r() * len(DEGREES))][0],
            first_year=last_year - 3 - int(r() * 3),
            last_year=last_year,
        )

    def resume_file(self, candidate: CandidateRecord) -> tuple[str, str, bytes]:
        """(file name, MIME type, content) of a candidate's resume attachment."""
        docx = candidate.index % 3 == 0
        stem = f"{candidate.first_name}_{candidate.last_name}_CV".replace(" ", "_")
        content = (
            f"%PDF-1.4\n% Resume of {candidate.first_name} {candidate.last_name} ({candidate.candidate_id})\n%%EOF\n"
        ).encode()
        if docx:
            return f"{stem}.docx", MIME_DOCX, b"PK\x03\x04" + content
        return f"{stem}.pdf", MIME_PDF, content

    # -- the enterprise profile -------------------------------------------------------------------------------

    def enterprise_skeleton(self, i: int) -> tuple[Skeleton, ...]:
        """The applications of enterprise candidate ``i`` (``_enterprise.draw_skeleton``), recently read ones cached."""
        return self._skeleton_cache(i)

    def _enterprise_applications(
        self, i: int, created: datetime, source: str, referred_by: str | None
    ) -> list[ApplicationRecord]:
        apps = []
        for sk in self.enterprise_skeleton(i):
            req = self.requisition(sk.requisition)
            app_source = source if sk.slot == 0 or sk.source_draw < 0.7 else "CAREER_SITE"
            added_by = (
                req.recruiter_ids[0] if app_source in ("LINKEDIN", "AGENCY_HAYS", "AGENCY_MICHAEL_PAGE") else None
            )
            apps.append(
                ApplicationRecord(
                    wid=self.wids.wid("app", i * APPLICATION_SLOTS + sk.slot),
                    application_id=application_id(i, sk.slot),
                    requisition_id=req.requisition_id,
                    stage_id=STAGES[sk.stage][0],
                    disposition_id=sk.disposition,
                    workflow_step_id=None if sk.disposition else STAGES[sk.stage][2],
                    applied_at=sk.applied,
                    status_at=sk.status_at,
                    source_id=app_source,
                    referred_by_worker_id=referred_by if app_source == REFERRAL_SOURCE else None,
                    added_by_worker_id=added_by,
                )
            )
        return apps

    def interview_keys(self) -> tuple[int, ...] | None:
        """``index * APPLICATION_SLOTS + slot`` of every base application with an interview event, in order.

        Enterprise profile only (``None`` otherwise): computed on the first call, from the skeletons.
        """
        if not self._enterprise:
            return None
        with self._interview_keys_lock:
            if self._interview_keys is None:
                keys: list[int] = []
                for i in range(self.candidate_count):
                    keys.extend(i * APPLICATION_SLOTS + sk.slot for sk in draw_skeleton(self, i) if sk.has_event)
                self._interview_keys = tuple(keys)
            return self._interview_keys

    # -- interviews -------------------------------------------------------------------------------------------

    def interview(self, index: int, slot: int) -> InterviewRecord | None:
        """The generated interview event of a base application, if it has one."""
        if not 0 <= index < self.candidate_count:
            return None
        cand = self.candidate(index)
        app_id = application_id(index, slot)
        app = cand.application(app_id)
        if app is None or app.stage_id not in INTERVIEW_STAGES:
            return None
        rng = random.Random(f"{self.seed}:interview:{index}:{slot}")
        r = rng.random
        if self._enterprise:
            if not any(sk.slot == slot and sk.has_event for sk in self.enterprise_skeleton(index)):
                return None
        elif r() >= 0.6:
            return None
        now = self.now
        req_index = requisition_index(app.requisition_id)
        if req_index is None or not 0 <= req_index < self.requisition_count:
            return None
        req = self.requisition(req_index)
        location_id = req.location_ids[0]
        tz_name = location_time_zone(location_id) if r() < 0.8 else TIME_ZONES[int(r() * len(TIME_ZONES))][0]
        tz = ZoneInfo(tz_name)
        live = app.stage_id == "INTERVIEW" and app.disposition_id is None
        lo, hi = app.applied_at + timedelta(days=2), now - timedelta(hours=2)
        if self._enterprise and app.disposition_id is not None:
            # A dispositioned application was interviewed before its disposition, and at least a day ago.
            lo = app.applied_at + timedelta(days=1)
            hi = min(now - timedelta(days=1), max(app.status_at, lo + timedelta(days=1)))
        upcoming = (live and r() < (0.75 if self._enterprise else 0.7)) or lo >= hi
        # Interviews are held on working days: upcoming ones on one of the next three weeks' working days, past ones
        # moved from a weekend to the Friday before.
        if upcoming:
            today = now.astimezone(tz).date()
            working = [today + timedelta(days=k) for k in range(15) if (today + timedelta(days=k)).weekday() < 5]
            day = working[int(r() * len(working))]
        else:
            day = (lo + (hi - lo) * r()).astimezone(tz).date()
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
        hour, minute = 8 + int(r() * 8), (0, 15, 30, 45)[int(r() * 4)]
        start = datetime.combine(day, time(hour, minute), tz).astimezone(UTC)
        if upcoming and start <= now:
            start += timedelta(days=1)
        elif not upcoming and start >= hi:
            start -= timedelta(days=1)
        n_sessions = 1 + int(r() * 4)
        sessions: list[InterviewSessionRecord] = []
        event_key = index * APPLICATION_SLOTS + slot
        any_virtual = False
        for k in range(n_sessions):
            if k == 0:
                itype = ("PHONE_SCREEN", "VIDEO", "ONSITE")[int(r() * 3)]
            else:
                itype = ("VIDEO", "TECHNICAL", "ONSITE", "PANEL", "CASE_STUDY")[int(r() * 5)]
            virtual = itype in VIRTUAL_TYPES
            any_virtual = any_virtual or virtual
            duration = timedelta(minutes=(30, 45, 60, 90)[int(r() * 4)])
            n_interviewers = 1 + int(r() * 3) if itype != "PANEL" else 3
            interviewers = []
            for _ in range(n_interviewers):
                wid_ = employee_id(int(r() * self.worker_count))
                if wid_ not in interviewers:
                    interviewers.append(wid_)
            if k == n_sessions - 1 and req.hiring_manager_ids[0] not in interviewers:
                interviewers[-1] = req.hiring_manager_ids[0]
            room = None if virtual else f"{('Ada', 'Turing', 'Hopper', 'Lovelace', 'Curie')[int(r() * 5)]} Room"
            sessions.append(
                InterviewSessionRecord(
                    wid=self.wids.wid("session", event_key * 8 + k),
                    start=start,
                    end=start + duration,
                    interviewer_ids=tuple(interviewers),
                    interview_type_id=itype,
                    location_id=None if virtual else location_id,
                    room_name=f"{room} \u2013 {LOCATION_BY_ID[location_id][1]}" if room else None,
                    room_email=f"{ascii_fold(room)}.{location_id.lower()}@{self.tenant}.example.com" if room else None,
                    comment="Focus on system design & trade-offs." if r() < 0.2 else None,
                )
            )
            gap = timedelta(minutes=(0, 15, 15, 30)[int(r() * 4)])
            start = start + duration + gap
            if r() < 0.15 and (upcoming or not self._enterprise):
                start += timedelta(days=1 + int(r() * 2))
        first_start = sessions[0].start
        last_end = sessions[-1].end
        c_lo = app.applied_at
        c_hi = min(first_start - timedelta(hours=1), now - timedelta(minutes=30))
        created = c_lo + (c_hi - c_lo) * r() if c_hi > c_lo else c_lo + (now - c_lo) / 2
        updated = created + (now - timedelta(minutes=1) - created) * (r() ** 2)
        if last_end > now:
            status: InterviewStatus = "in_progress"
        else:
            u = r()
            status = "completed" if u < 0.7 else "in_progress" if u < 0.9 else "cancelled"
        meeting_id = meeting_url = None
        if any_virtual:
            flavour = int(r() * 3)
            if flavour == 0:
                meeting_id = f"8{_digits(rng, 10)}"
                token = "".join(rng.choices(_ALNUM, k=16))
                meeting_url = f"https://zoom.example.com/j/{meeting_id}?pwd={token}&from=workday"
            elif flavour == 1:
                letters = "".join(rng.choices("abcdefghijkmnopqrstuvwxyz", k=10))
                meeting_id = f"{letters[:3]}-{letters[3:7]}-{letters[7:]}"
                meeting_url = f"https://meet.example.com/{meeting_id}"
            else:
                meeting_id = f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}#"
                thread = "".join(rng.choices(_HEX, k=24))
                meeting_url = f"https://teams.example.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22{self.tenant}%22%7d"
        comment = "Candidate prefers afternoon slots; please don't schedule before 10:00." if r() < 0.1 else None
        return InterviewRecord(
            wid=self.wids.wid("interview", event_key),
            application_id=app_id,
            candidate_id=cand.candidate_id,
            requisition_id=app.requisition_id,
            time_zone=tz_name,
            sessions=tuple(sessions),
            status=status,
            meeting_id=meeting_id,
            meeting_url=meeting_url,
            overall_comment=comment,
            created_at=created,
            updated_at=max(updated, created),
        )
