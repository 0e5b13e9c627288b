"""The FakeTenant's data set (determinism, size, snapshots, transaction log) and its v45.2 rendering."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from workday_recruiting._ns import WD, wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.testing import Dataset
from workday_recruiting.testing._records import CandidateRecord, InterviewRecord
from workday_recruiting.testing._reference import DISPOSITIONS, INTERVIEW_STAGES, REFERRAL_SOURCE, STAGES
from workday_recruiting.testing._render import (
    PARTS,
    render_candidate,
    render_interview,
    render_job_posting,
    render_reference,
    render_requisition,
    render_web_conference,
)

UTC = timezone.utc
NOW = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
WID_RE = re.compile(r"^[0-9a-f]{32}$")
DESCRIPTOR = wd("Descriptor")


class SteppingClock:
    """A clock that starts after NOW and advances one minute per reading (or stays put when frozen)."""

    def __init__(self, start: datetime = NOW + timedelta(hours=1), *, step: timedelta = timedelta(minutes=1)):
        self.t = start
        self.step = step

    def __call__(self) -> datetime:
        t = self.t
        self.t += self.step
        return t


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """A 300-candidate data set anchored at NOW (read-only: tests that mutate build their own)."""
    return Dataset(candidates=300, seed=7, now=NOW)


@pytest.fixture(scope="module")
def candidates(ds: Dataset) -> list[CandidateRecord]:
    """Every candidate of the shared data set."""
    return list(ds.iter_candidates())


@pytest.fixture(scope="module")
def interviews(ds: Dataset, candidates: list[CandidateRecord]) -> list[InterviewRecord]:
    """Every interview event of the shared data set."""
    return [iv for c in candidates for a in c.applications for iv in ds.interviews_for_application(a.application_id)]


def mutable(**kwargs: object) -> Dataset:
    """A fresh 300-candidate data set with a stepping clock, for tests that mutate."""
    return Dataset(candidates=300, seed=7, now=NOW, clock=SteppingClock(), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Determinism and size
# ---------------------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_records() -> None:
    """The same seed, size and anchor give identical candidates, requisitions, workers and interviews."""
    a, b = Dataset(candidates=120, seed=3, now=NOW), Dataset(candidates=120, seed=3, now=NOW)
    assert list(a.iter_candidates()) == list(b.iter_candidates())
    assert a.requisitions() == b.requisitions()
    assert a.workers() == b.workers()
    apps = [app.application_id for c in a.iter_candidates() for app in c.applications]
    assert [a.interviews_for_application(x) for x in apps] == [b.interviews_for_application(x) for x in apps]


def test_different_seed_gives_different_records() -> None:
    """A different seed changes names, WIDs and applications."""
    a, b = Dataset(candidates=50, seed=1, now=NOW), Dataset(candidates=50, seed=2, now=NOW)
    pairs = list(zip(a.iter_candidates(), b.iter_candidates(), strict=False))
    assert all(x.wid != y.wid for x, y in pairs)
    assert sum(x.emails != y.emails for x, y in pairs) > 40


def test_record_generation_does_not_depend_on_access_order() -> None:
    """Reading candidate 200 first or last yields the same record (records are generated independently)."""
    a, b = Dataset(candidates=300, seed=5, now=NOW), Dataset(candidates=300, seed=5, now=NOW)
    late = b.candidate_at(200)
    list(a.iter_candidates())
    assert a.candidate_at(200) == late


def test_default_now_is_current_utc_minute() -> None:
    """Without ``now`` the anchor is the current UTC time rounded down to the minute."""
    before = datetime.now(UTC)
    ds = Dataset(candidates=1)
    assert ds.now.tzinfo is not None
    assert ds.now.utcoffset() == timedelta(0)
    assert ds.now.second == 0
    assert ds.now.microsecond == 0
    assert before - timedelta(minutes=1) < ds.now <= datetime.now(UTC)


def test_naive_now_is_rejected() -> None:
    """A naive anchor is a programming error."""
    with pytest.raises(ValueError, match="timezone-aware"):
        Dataset(now=datetime(2026, 1, 1))


def test_hundred_thousand_candidates_are_generated_on_demand() -> None:
    """A 100,000-candidate tenant constructs without generating records; its last candidate is reachable."""
    big = Dataset(candidates=100_000, now=NOW)
    assert big.candidate_count() == 100_000
    last = big.candidate_at(99_999)
    assert last.candidate_id == "CAND-101000"
    assert big.find_candidate("WID", last.wid) == last
    assert big.requisition_count() == 10_000
    with pytest.raises(IndexError):
        big.candidate_at(100_000)


def test_locale_data_is_read_from_its_file_on_first_use() -> None:
    """The locale tables are package data (locale.json), read when the first data set needs them, not at import."""
    code = (
        "from workday_recruiting.testing import _locale, Dataset\n"
        "assert _locale.load.cache_info().currsize == 0\n"
        "Dataset(candidates=1)\n"
        "assert _locale.load.cache_info().currsize == 1\n"
        "assert len(_locale.load().countries) == 15 and len(_locale.load().cultures) == 15\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_small_tenants_still_have_ten_requisitions() -> None:
    """Requisitions scale with candidates (one per ten) but never drop below ten."""
    assert Dataset(candidates=5, now=NOW).requisition_count() == 10
    assert Dataset(candidates=300, now=NOW).requisition_count() == 30


# ---------------------------------------------------------------------------------------------------------
# Shape of the data
# ---------------------------------------------------------------------------------------------------------


def test_ids_and_wids_are_unique_and_well_formed(
    ds: Dataset, candidates: list[CandidateRecord], interviews: list[InterviewRecord]
) -> None:
    """Every WID is 32 lower-case hex digits and unique across all kinds; business IDs are unique per kind."""
    apps = [a for c in candidates for a in c.applications]
    reqs = ds.requisitions()
    postings = list(ds.iter_job_postings())
    sessions = [s for iv in interviews for s in iv.sessions]
    wids = [
        *(c.wid for c in candidates),
        *(a.wid for a in apps),
        *(r.wid for r in reqs),
        *(w.wid for w in ds.workers()),
        *(iv.wid for iv in interviews),
        *(s.wid for s in sessions),
        *(p.wid for p in postings),
    ]
    assert all(WID_RE.match(w) for w in wids)
    assert len(set(wids)) == len(wids)
    for ids in (
        [c.candidate_id for c in candidates],
        [a.application_id for a in apps],
        [r.requisition_id for r in reqs],
        [w.employee_id for w in ds.workers()],
        [p.posting_id for p in postings],
        [c.emails[0] for c in candidates],
    ):
        assert len(set(ids)) == len(ids)


def test_business_ids_follow_workday_formats(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Candidate, application and requisition IDs look like real ones (CAND-1187, JOB_APPLICATION-6-253)."""
    assert all(re.fullmatch(r"CAND-\d+", c.candidate_id) for c in candidates)
    assert all(re.fullmatch(r"JOB_APPLICATION-\d+-\d+", a.application_id) for c in candidates for a in c.applications)
    assert all(re.fullmatch(r"R-\d{5}", r.requisition_id) for r in ds.requisitions())


def test_every_candidate_has_one_to_three_applications_to_distinct_existing_requisitions(
    ds: Dataset, candidates: list[CandidateRecord]
) -> None:
    """Each candidate has 1..3 applications, to distinct requisitions created before the application."""
    counts = {len(c.applications) for c in candidates}
    assert counts == {1, 2, 3}
    for c in candidates:
        req_ids = [a.requisition_id for a in c.applications]
        assert len(set(req_ids)) == len(req_ids)
        for app in c.applications:
            req = ds.find_requisition("Job_Requisition_ID", app.requisition_id)
            assert req is not None
            assert req.created_at <= app.applied_at <= app.status_at < NOW


def test_dispositions_only_mark_rejected_or_declined_applications(candidates: list[CandidateRecord]) -> None:
    """A disposition is a rejection or a decline and replaces the workflow step; stages are Workday's."""
    known_dispositions = {d[0] for d in DISPOSITIONS}
    stages = {s[0] for s in STAGES}
    apps = [a for c in candidates for a in c.applications]
    assert {a.stage_id for a in apps} == stages
    for app in apps:
        if app.disposition_id is None:
            assert app.workflow_step_id is not None
        else:
            assert app.disposition_id in known_dispositions
            assert app.disposition_id.startswith(("REJECTED_", "DECLINED_"))
            assert app.workflow_step_id is None
    assert any(a.disposition_id is None for a in apps)
    assert any(a.disposition_id for a in apps)


def test_withdrawn_candidates_have_declined_applications(candidates: list[CandidateRecord]) -> None:
    """Withdrawn candidates exist and every one of their applications is declined by the candidate."""
    withdrawn = [c for c in candidates if c.withdrawn]
    assert withdrawn
    assert all(a.disposition_id == "DECLINED_WITHDREW" for c in withdrawn for a in c.applications)


def test_referrals_name_an_existing_referring_worker(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Candidates sourced by referral carry a referring worker; no one else does."""
    referred = [c for c in candidates if c.source_id == REFERRAL_SOURCE]
    assert referred
    for c in candidates:
        assert (c.referred_by_worker_id is not None) == (c.source_id == REFERRAL_SOURCE)
        if c.referred_by_worker_id is not None:
            assert ds.find_worker("Employee_ID", c.referred_by_worker_id) is not None


def test_population_mixes_flags_sources_and_countries(candidates: list[CandidateRecord]) -> None:
    """The population mixes prospects, do-not-hire, tagged and untagged, all sources, many countries."""
    assert any(c.prospect for c in candidates)
    assert not all(c.prospect for c in candidates)
    assert any(c.do_not_hire for c in candidates)
    assert any(c.tags for c in candidates)
    assert any(not c.tags for c in candidates)
    assert {"LINKEDIN", "CAREER_SITE", REFERRAL_SOURCE} <= {c.source_id for c in candidates}
    assert any(s.startswith("JOB_BOARD") for s in (c.source_id for c in candidates))
    assert any(s.startswith("AGENCY") for s in (c.source_id for c in candidates))
    countries = {addr.country for c in candidates for addr in c.addresses}
    assert len(countries) >= 10
    assert all(p.country_phone_code_id.count("_") == 1 for c in candidates for p in c.phones)


def test_phone_numbers_leave_the_country_code_to_its_reference(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """As in Workday's Candidate_Contact_Data, the country code is the Country_Phone_Code_Reference: the number is
    national (``030 1234567``, ``301234567``, ``(404) 555-0123``), never ``+49 ...``."""
    phones = [(c, p) for c in candidates for p in c.phones]
    assert phones
    assert [p.number for _c, p in phones if not set(p.number) <= set("0123456789 ()-")] == []
    assert {"digits", "spaced", "parenthesised"} == {
        "digits" if p.number.isdigit() else "parenthesised" if "(" in p.number else "spaced" for _c, p in phones
    }
    candidate, phone = phones[0]
    contact = render_candidate(candidate, ds, descriptors=False, attachments=False, parts=PARTS).find(
        f"{wd('Candidate_Data')}/{wd('Contact_Data')}"
    )
    assert contact is not None
    assert contact.findtext(wd("Phone_Number")) == phone.number
    code = contact.find(f"{wd('Country_Phone_Code_Reference')}/{wd('ID')}[@{wd('type')}='Country_Phone_Code_ID']")
    assert code is not None and code.text == phone.country_phone_code_id


def test_names_are_international_and_emails_ascii(candidates: list[CandidateRecord]) -> None:
    """Names include non-ASCII letters, local-script names and apostrophes; emails are ASCII."""
    names = [f"{c.first_name} {c.last_name}" for c in candidates]
    assert any(not n.isascii() for n in names)
    assert any(c.local_last_name for c in candidates)
    assert all(e.isascii() and e.count("@") == 1 for c in candidates for e in c.emails)
    bigger = Dataset(candidates=2000, seed=7, now=NOW)
    assert any("'" in c.last_name for c in bigger.iter_candidates())


def test_base_records_are_timestamped_before_now(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Base created_at <= updated_at < now, all aware UTC; candidates are created in ID order."""
    stamps = [(r.created_at, r.updated_at) for r in candidates] + [
        (r.created_at, r.updated_at) for r in ds.requisitions()
    ]
    for created_at, updated_at in stamps:
        assert created_at.utcoffset() == timedelta(0)
        assert created_at <= updated_at < NOW
    created = [c.created_at for c in candidates]
    assert created == sorted(created)


def test_interview_events_have_one_to_four_sessions_past_and_upcoming(
    ds: Dataset, interviews: list[InterviewRecord]
) -> None:
    """Events have 1..4 sessions of 1..3 interviewers; some sessions past, some in the next 14 days."""
    assert interviews
    assert {len(iv.sessions) for iv in interviews} == {1, 2, 3, 4}
    sessions = [s for iv in interviews for s in iv.sessions]
    assert any(s.start < NOW for s in sessions)
    upcoming = [s for s in sessions if s.start > NOW]
    assert upcoming
    assert all(s.start < NOW + timedelta(days=15) for s in upcoming)
    for s in sessions:
        assert s.start.utcoffset() == timedelta(0)
        assert s.end > s.start
        assert 1 <= len(s.interviewer_ids) <= 3
        assert all(ds.find_worker("Employee_ID", w) is not None for w in s.interviewer_ids)


def test_interview_status_follows_session_times(interviews: list[InterviewRecord]) -> None:
    """An event with a session still to come is in progress; finished ones are completed or cancelled."""
    for iv in interviews:
        if iv.sessions[-1].end > NOW:
            assert iv.status == "in_progress"
    assert {iv.status for iv in interviews} == {"in_progress", "completed", "cancelled"}


def test_interviews_belong_to_applications_that_reached_the_interview_stage(
    ds: Dataset, interviews: list[InterviewRecord]
) -> None:
    """Every base interview event belongs to an application at Interview or a later stage."""
    for iv in interviews:
        found = ds.find_application("Job_Application_ID", iv.application_id)
        assert found is not None
        cand, app = found
        assert app.stage_id in INTERVIEW_STAGES
        assert (cand.candidate_id, app.requisition_id) == (iv.candidate_id, iv.requisition_id)
        assert iv.created_at >= app.applied_at


def test_time_zones_vary_across_interviews(interviews: list[InterviewRecord]) -> None:
    """Interviews are scheduled in several IANA time zones."""
    assert len({iv.time_zone for iv in interviews}) >= 5


# ---------------------------------------------------------------------------------------------------------
# Lookups
# ---------------------------------------------------------------------------------------------------------


def test_lookups_round_trip_by_every_id_type(
    ds: Dataset, candidates: list[CandidateRecord], interviews: list[InterviewRecord]
) -> None:
    """Records are found by WID and by their business ID."""
    for c in candidates[:40]:
        assert ds.find_candidate("WID", c.wid) == c
        assert ds.find_candidate("Candidate_ID", c.candidate_id) == c
        for app in c.applications:
            assert ds.find_application("WID", app.wid) == (c, app)
            assert ds.find_application("Job_Application_ID", app.application_id) == (c, app)
            assert ds.find_application_for(c.candidate_id, app.requisition_id) == (c, app)
    for req in ds.requisitions():
        assert ds.find_requisition("WID", req.wid) == req
        assert ds.find_requisition("Job_Requisition_ID", req.requisition_id) == req
    for worker in ds.workers():
        assert ds.find_worker("WID", worker.wid) == worker
        assert ds.find_worker("Employee_ID", worker.employee_id) == worker
    for iv in interviews:
        assert ds.find_interview(iv.wid) == iv
    for posting in ds.iter_job_postings():
        assert ds.find_job_posting("WID", posting.wid) == posting
        assert ds.find_job_posting("Job_Posting_ID", posting.posting_id) == posting


@pytest.mark.parametrize(
    ("id_type", "value"),
    [
        ("Candidate_ID", "CAND-1"),
        ("Candidate_ID", "CAND-99999"),
        ("Candidate_ID", "CAND-01001"),
        ("Candidate_ID", "cand-1001"),
        ("Candidate_ID", ""),
        ("WID", "0" * 32),
        ("WID", "not-a-wid"),
        ("Employee_ID", "CAND-1001"),
    ],
)
def test_unknown_candidate_ids_find_nothing(ds: Dataset, id_type: str, value: str) -> None:
    """Malformed, out-of-range or wrongly typed IDs return None rather than raising."""
    assert ds.find_candidate(id_type, value) is None


def test_a_wid_of_another_kind_finds_nothing(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """A candidate WID is not an application, requisition, worker or interview WID."""
    wid = candidates[0].wid
    assert ds.find_application("WID", wid) is None
    assert ds.find_requisition("WID", wid) is None
    assert ds.find_worker("WID", wid) is None
    assert ds.find_interview(wid) is None


def test_reference_data_is_found_by_any_id(ds: Dataset) -> None:
    """Reference-data instances are found by their ID or WID, with the ID types the XSD names."""
    review = ds.reference("Recruiting_Stage", "REVIEW")
    assert review.id("Recruiting_Stage_ID") == "REVIEW"
    assert ds.find_reference("Recruiting_Stage", "WID", review.wid) == review
    assert ds.find_reference("Country", "ISO_3166-1_Alpha-3_Code", "DEU") == ds.reference("Country", "DE")
    with pytest.raises(KeyError):
        ds.reference("Recruiting_Stage", "NOPE")


# ---------------------------------------------------------------------------------------------------------
# Mutations, snapshots and the transaction log
# ---------------------------------------------------------------------------------------------------------


def test_mutation_stamps_are_strictly_increasing_even_with_a_frozen_clock() -> None:
    """Stamps are the clock floored to the millisecond; two changes reading the same clock value are 1 ms apart."""
    reading = NOW + timedelta(hours=1, microseconds=123_456)
    frozen = Dataset(candidates=10, now=NOW, clock=SteppingClock(reading, step=timedelta(0)))
    first = frozen.update_candidate("CAND-1001", tags=("BILINGUAL",))
    second = frozen.update_candidate("CAND-1002", tags=("BILINGUAL",))
    assert first.updated_at == NOW + timedelta(hours=1, milliseconds=123)
    assert second.updated_at - first.updated_at == timedelta(milliseconds=1)
    assert first.updated_at > NOW


def test_the_current_moment_is_never_before_the_last_stamp() -> None:
    """The tenant's current moment is the clock to the millisecond, and never before an edit already stamped."""
    reading = NOW + timedelta(hours=1, microseconds=700)
    frozen = Dataset(candidates=10, now=NOW, clock=SteppingClock(reading, step=timedelta(0)))
    assert frozen.current_moment() == NOW + timedelta(hours=1)
    stamps = [frozen.update_candidate(f"CAND-{1001 + n}", tags=("BILINGUAL",)).updated_at for n in range(3)]
    assert stamps == [NOW + timedelta(hours=1, milliseconds=n) for n in range(3)]
    assert frozen.current_moment() == stamps[-1]


def test_stamps_of_an_anchor_with_microseconds_are_whole_milliseconds_after_it() -> None:
    """An anchor between two milliseconds: the first edit is stamped at the next whole millisecond after it."""
    anchor = NOW + timedelta(microseconds=400)
    lagging = Dataset(candidates=10, now=anchor, clock=lambda: anchor)
    first = lagging.update_candidate("CAND-1001", tags=("BILINGUAL",))
    assert first.updated_at == NOW + timedelta(milliseconds=1) > anchor


def test_mutations_are_stamped_after_now_even_if_the_clock_lags() -> None:
    """A clock behind the anchor cannot place a change before the base data."""
    lagging = Dataset(candidates=10, now=NOW, clock=lambda: NOW - timedelta(days=1))
    rec = lagging.add_candidate(first_name="Zoë", last_name="O'Brien", email="zoe.obrien@example.com")
    assert rec.created_at > NOW


def test_added_candidate_is_invisible_before_its_creation() -> None:
    """A candidate added after ``as_of`` is absent from that snapshot and present afterwards."""
    ds = mutable()
    before = ds.clock()
    rec = ds.add_candidate(
        first_name="Łukasz", last_name="Müller & Sons", email="lukasz@example.com", requisition_id="R-00001"
    )
    assert rec.candidate_id == "CAND-1301"
    assert ds.candidate_count() == 301
    assert ds.find_candidate("Candidate_ID", rec.candidate_id, as_of=before) is None
    assert ds.find_candidate("Candidate_ID", rec.candidate_id, as_of=rec.created_at) == rec
    assert ds.find_candidate("WID", rec.wid) == rec
    assert rec not in list(ds.iter_candidates(as_of=before))
    assert list(ds.iter_candidates())[-1] == rec
    assert ds.count_candidates(before) == 300
    assert ds.count_candidates() == 301
    assert rec.applications[0].stage_id == "REVIEW"
    assert ds.find_application("Job_Application_ID", rec.applications[0].application_id) == (
        rec,
        rec.applications[0],
    )


def test_updated_candidate_shows_its_old_version_at_an_old_as_of() -> None:
    """After an update, a snapshot taken before it still shows the earlier version."""
    ds = mutable()
    old = ds.candidate_at(10)
    between = ds.clock()
    new = ds.update_candidate(old.candidate_id, emails=["new.address@example.com"], tags=("SILVER_MEDALIST",))
    assert new.emails == ("new.address@example.com",)
    assert new.updated_at > between
    assert ds.find_candidate("Candidate_ID", old.candidate_id, as_of=between) == old
    assert ds.find_candidate("Candidate_ID", old.candidate_id) == new
    assert ds.candidate_at(10, as_of=NOW) == old


def test_identity_fields_cannot_be_updated() -> None:
    """WIDs, IDs and creation times are not editable."""
    ds = mutable()
    with pytest.raises(ValueError, match="identity"):
        ds.update_candidate("CAND-1001", candidate_id="CAND-1")
    with pytest.raises(KeyError):
        ds.update_candidate("CAND-9", tags=())


def test_update_application_moves_the_stage_and_restamps_the_status() -> None:
    """Moving an application to a new stage sets its default workflow step and status time."""
    ds = mutable()
    cand = ds.candidate_at(3)
    app = cand.applications[0]
    new_cand = ds.update_application(app.application_id, stage_id="OFFER", disposition_id=None)
    new_app = new_cand.application(app.application_id)
    assert new_app is not None
    assert new_app.stage_id == "OFFER"
    assert new_app.workflow_step_id == "STEP_G__ACTION_6"
    assert new_app.status_at == new_cand.updated_at > NOW
    rejected = ds.update_application(app.application_id, disposition_id="REJECTED_NOT_QUALIFIED")
    assert rejected.applications[0].workflow_step_id is None


def test_add_application_and_requisition() -> None:
    """A new requisition can be applied to by an existing candidate; both show up as changes."""
    ds = mutable()
    start = ds.clock()
    req = ds.add_requisition(title="Staff Data Engineer \u2013 Zürich")
    cand = ds.add_application("CAND-1005", req.requisition_id)
    assert req.requisition_id == "R-00031"
    assert req.status_id == "OPEN"
    assert cand.applications[-1].requisition_id == req.requisition_id
    assert ds.changed_requisitions(start, None) == [req]
    assert [c.candidate_id for c in ds.changed_candidates(start, None)] == ["CAND-1005"]
    with pytest.raises(KeyError):
        ds.add_application("CAND-1005", "R-99999")


def test_changed_candidates_in_a_past_window_match_base_timestamps(
    ds: Dataset, candidates: list[CandidateRecord]
) -> None:
    """A window over base history returns exactly the candidates created or updated inside it, by index."""
    lo, hi = NOW - timedelta(days=60), NOW - timedelta(days=20)
    expected = [c for c in candidates if lo <= c.created_at <= hi or lo <= c.updated_at <= hi]
    assert expected
    assert ds.changed_candidates(lo, hi) == expected


def test_changed_candidates_after_now_are_only_the_mutated_ones() -> None:
    """An incremental window after the initial sync holds exactly the candidates changed or added in it."""
    ds = mutable()
    t0 = ds.clock()
    ds.update_candidate("CAND-1020", tags=("BILINGUAL",))
    added = ds.add_candidate(first_name="José", last_name="García", email="jose@example.com")
    t1 = ds.clock()
    ds.update_candidate("CAND-1030", tags=("BOOMERANG",))
    t2 = ds.clock()
    assert [c.candidate_id for c in ds.changed_candidates(t0, t1)] == ["CAND-1020", added.candidate_id]
    assert [c.candidate_id for c in ds.changed_candidates(t1, t2)] == ["CAND-1030"]
    assert [c.candidate_id for c in ds.changed_candidates(t0, None, as_of=t1)] == [
        "CAND-1020",
        added.candidate_id,
    ]
    assert ds.changed_candidates(t2, None) == []


def test_changed_candidates_return_the_as_of_version() -> None:
    """A candidate changed twice is returned in the version current at ``as_of``."""
    ds = mutable()
    t0 = ds.clock()
    first = ds.update_candidate("CAND-1040", tags=("BILINGUAL",))
    t1 = ds.clock()
    ds.update_candidate("CAND-1040", tags=("BOOMERANG",))
    assert ds.changed_candidates(t0, None, as_of=t1) == [first]


def test_updated_requisition_keeps_its_history() -> None:
    """Requisition updates are versioned like candidates and appear in the transaction log."""
    ds = mutable()
    old = ds.requisition_at(4)
    assert old is not None
    t0 = ds.clock()
    new = ds.update_requisition(old.requisition_id, status_id="FROZEN")
    assert ds.find_requisition("Job_Requisition_ID", old.requisition_id, as_of=t0) == old
    assert ds.find_requisition("Job_Requisition_ID", old.requisition_id) == new
    assert ds.changed_requisitions(t0, None) == [new]


def test_count_candidates_matches_iteration_in_the_past(ds: Dataset) -> None:
    """The cheap visible-count agrees with iterating the snapshot."""
    for days in (0, 1, 100, 400, 729, 731):
        as_of = NOW - timedelta(days=days)
        assert ds.count_candidates(as_of) == sum(1 for _ in ds.iter_candidates(as_of))


def test_added_interview_is_versioned_and_snapshot_aware() -> None:
    """A scheduled interview appears for its application after creation, and can later be cancelled."""
    ds = mutable()
    cand = ds.candidate_at(2)
    app = cand.applications[0]
    before = ds.clock()
    start = NOW + timedelta(days=3)
    iv = ds.add_interview(
        app.application_id,
        [(start, start + timedelta(minutes=45), ["21001", "21002"])],
        time_zone="Asia/Kolkata",
    )
    assert iv.status == "in_progress"
    assert iv.meeting_url
    assert iv.time_zone == "Asia/Kolkata"
    assert iv in ds.interviews_for_application(app.application_id)
    assert iv not in ds.interviews_for_application(app.application_id, as_of=before)
    assert ds.find_interview(iv.wid) == iv
    cancelled = ds.update_interview(iv.wid, status="cancelled")
    assert ds.find_interview(iv.wid) == cancelled
    assert ds.find_interview(iv.wid, as_of=cancelled.updated_at - timedelta(microseconds=1)) == iv


def test_add_interview_rejects_bad_sessions() -> None:
    """Sessions need aware times, an end after the start, and interviewers."""
    ds = mutable()
    app_id = ds.candidate_at(0).applications[0].application_id
    start = NOW + timedelta(days=1)
    with pytest.raises(ValueError, match="after it starts"):
        ds.add_interview(app_id, [(start, start, ["21001"])])
    with pytest.raises(ValueError, match="timezone-aware"):
        ds.add_interview(app_id, [(datetime(2026, 5, 1), datetime(2026, 5, 2), ["21001"])])
    with pytest.raises(ValueError, match="interviewer"):
        ds.add_interview(app_id, [(start, start + timedelta(hours=1), [])])
    with pytest.raises(KeyError):
        ds.add_interview("JOB_APPLICATION-1-99999", [(start, start + timedelta(hours=1), ["21001"])])


# ---------------------------------------------------------------------------------------------------------
# Rendering: schema validity
# ---------------------------------------------------------------------------------------------------------


def response(operation: str, rendered: Iterable[etree._Element] | None = None, *, results: int = 1) -> etree._Element:
    """A ``Get_*_Response`` with Response_Results and (when rendered is given) Response_Data."""
    root = etree.Element(wd(f"{operation}_Response"), nsmap={"wd": WD})
    root.set(wd("version"), "v45.2")
    rr = etree.SubElement(root, wd("Response_Results"))
    counts = [("Total_Results", results), ("Total_Pages", 1 if results else 0), ("Page_Results", results)]
    if results:
        counts.append(("Page", 1))
    for name, value in counts:
        etree.SubElement(rr, wd(name)).text = str(value)
    if rendered is not None:
        data = etree.SubElement(root, wd("Response_Data"))
        for element in rendered:
            data.append(element)
    return root


def assert_valid(schema: etree.XMLSchema, root: etree._Element) -> None:
    """Validate, showing the first schema errors on failure."""
    ok = schema.validate(root)
    errors = str(schema.error_log).splitlines()[:5]
    assert ok, "\n".join(errors)


CANDIDATE_PARTS = [
    PARTS,
    frozenset(),
    frozenset({"personal"}),
    frozenset({"applications"}),
    frozenset({"other"}),
    frozenset({"personal", "applications"}),
]


@pytest.mark.needs_full_schema
@pytest.mark.parametrize("descriptors", [True, False])
@pytest.mark.parametrize("attachments", [True, False])
@pytest.mark.parametrize("parts", CANDIDATE_PARTS, ids=lambda p: "+".join(sorted(p)) or "none")
def test_every_candidate_renders_schema_valid(
    full_xsd: etree.XMLSchema,
    ds: Dataset,
    candidates: list[CandidateRecord],
    descriptors: bool,
    attachments: bool,
    parts: frozenset[str],
) -> None:
    """All 300 candidates, in a Get_Candidates_Response, validate for each descriptor/attachment/part mix."""
    root = response("Get_Candidates", results=len(candidates))
    data = etree.SubElement(root, wd("Response_Data"))
    for c in candidates:
        render_candidate(c, ds, descriptors=descriptors, attachments=attachments, parts=parts, parent=data)
    assert_valid(full_xsd, root)


@pytest.mark.needs_full_schema
def test_mutated_and_added_candidates_render_schema_valid(full_xsd: etree.XMLSchema) -> None:
    """Candidates created or edited through the mutation API (sparse fields) still validate."""
    ds = mutable()
    added = ds.add_candidate(first_name="Ngọc", last_name="Trần", email="ngoc@example.com", requisition_id="R-00002")
    bare = ds.add_candidate(first_name="A", last_name="B", email="ab@example.com")
    moved = ds.update_application(ds.candidate_at(1).applications[0].application_id, stage_id="READY_FOR_HIRE")
    cleared = ds.update_candidate("CAND-1003", phones=(), addresses=(), emails=())
    elements = [
        render_candidate(c, ds, descriptors=True, attachments=True, parts=PARTS) for c in (added, bare, moved, cleared)
    ]
    assert_valid(full_xsd, response("Get_Candidates", elements, results=4))


@pytest.mark.needs_full_schema
def test_empty_candidates_response_is_schema_valid(full_xsd: etree.XMLSchema) -> None:
    """Zero results: totals 0, no Page, no Response_Data."""
    root = response("Get_Candidates", None, results=0)
    assert root.find(f"{wd('Response_Results')}/{wd('Page')}") is None
    assert_valid(full_xsd, root)


@pytest.mark.needs_full_schema
@pytest.mark.parametrize(("descriptors", "roles", "workers_visible"), list(itertools.product([True, False], repeat=3)))
def test_every_requisition_renders_schema_valid(
    full_xsd: etree.XMLSchema, ds: Dataset, descriptors: bool, roles: bool, workers_visible: bool
) -> None:
    """All requisitions, wrapped in Get_Job_Requisitions_Response, validate for each flag combination."""
    reqs = ds.requisitions()
    elements = [
        render_requisition(r, ds, descriptors=descriptors, roles=roles, workers_visible=workers_visible) for r in reqs
    ]
    assert_valid(full_xsd, response("Get_Job_Requisitions", elements, results=len(reqs)))


@pytest.mark.needs_full_schema
def test_requisitions_without_optional_groups_render_schema_valid(full_xsd: etree.XMLSchema, ds: Dataset) -> None:
    """Leaving out definition and restriction data keeps the requisition valid."""
    elements = [
        render_requisition(
            r, ds, descriptors=True, roles=True, workers_visible=True, definition=False, restrictions=False
        )
        for r in ds.requisitions()
    ]
    assert_valid(full_xsd, response("Get_Job_Requisitions", elements, results=len(elements)))


@pytest.mark.needs_full_schema
@pytest.mark.parametrize(("descriptors", "workers_visible"), list(itertools.product([True, False], repeat=2)))
def test_every_interview_renders_schema_valid(
    full_xsd: etree.XMLSchema,
    ds: Dataset,
    interviews: list[InterviewRecord],
    descriptors: bool,
    workers_visible: bool,
) -> None:
    """All interview events, wrapped in Get_Interviews_Response, validate."""
    elements = [render_interview(iv, ds, descriptors=descriptors, workers_visible=workers_visible) for iv in interviews]
    assert_valid(full_xsd, response("Get_Interviews", elements, results=len(interviews)))


@pytest.mark.needs_full_schema
@pytest.mark.parametrize("descriptors", [True, False])
def test_every_web_conference_renders_schema_valid(
    full_xsd: etree.XMLSchema, ds: Dataset, interviews: list[InterviewRecord], descriptors: bool
) -> None:
    """Web conference data of every event, in a Get_Web_Conference_Interview_Data_Response, validates."""
    elements = [render_web_conference(iv, ds, descriptors=descriptors) for iv in interviews]
    assert_valid(full_xsd, response("Get_Web_Conference_Interview_Data", elements, results=len(interviews)))


@pytest.mark.needs_full_schema
@pytest.mark.parametrize("descriptors", [True, False])
def test_every_job_posting_renders_schema_valid(full_xsd: etree.XMLSchema, ds: Dataset, descriptors: bool) -> None:
    """All job postings, wrapped in Get_Job_Postings_Response, validate."""
    postings = list(ds.iter_job_postings())
    assert postings
    elements = [render_job_posting(p, ds, descriptors=descriptors) for p in postings]
    assert_valid(full_xsd, response("Get_Job_Postings", elements, results=len(postings)))


@pytest.mark.needs_full_schema
def test_added_interview_renders_schema_valid(full_xsd: etree.XMLSchema) -> None:
    """An interview created through the mutation API validates in both interview responses."""
    ds = mutable()
    app_id = ds.candidate_at(0).applications[0].application_id
    start = NOW + timedelta(days=2)
    iv = ds.add_interview(app_id, [(start, start + timedelta(hours=1), ["21003"])], time_zone="Pacific/Auckland")
    assert_valid(
        full_xsd,
        response("Get_Interviews", [render_interview(iv, ds, descriptors=True, workers_visible=True)]),
    )
    assert_valid(
        full_xsd,
        response("Get_Web_Conference_Interview_Data", [render_web_conference(iv, ds, descriptors=True)]),
    )


# ---------------------------------------------------------------------------------------------------------
# Rendering: content
# ---------------------------------------------------------------------------------------------------------


def local_names(element: etree._Element) -> set[str]:
    """Local names of every descendant element."""
    return {etree.QName(e).localname for e in element.iter() if isinstance(e.tag, str)}


def test_candidate_parts_control_which_groups_appear(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Personal, application and other data appear only when their part is granted; the ID always does."""
    rich = next(c for c in candidates if c.tags and c.phones and c.addresses)
    full = local_names(render_candidate(rich, ds, descriptors=False, attachments=False, parts=PARTS))
    assert {
        "Name_Data",
        "Contact_Data",
        "Job_Application_Data",
        "Status_Data",
        "Candidate_Tag_Reference",
    } <= full
    none = local_names(render_candidate(rich, ds, descriptors=False, attachments=False, parts=frozenset()))
    assert none == {"Candidate", "Candidate_Reference", "ID", "Candidate_Data", "Candidate_ID"}
    personal = local_names(
        render_candidate(rich, ds, descriptors=False, attachments=False, parts=frozenset({"personal"}))
    )
    assert "Name_Data" in personal
    assert "Job_Application_Data" not in personal
    assert "Status_Data" not in personal
    apps = local_names(
        render_candidate(rich, ds, descriptors=False, attachments=False, parts=frozenset({"applications"}))
    )
    assert "Job_Application_Data" in apps
    assert "Name_Data" not in apps
    assert "Candidate_Tag_Reference" not in apps


def test_attachments_are_included_only_when_asked(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Resume content (base64) appears with attachments=True and never without."""
    with_resume = [c for c in candidates if c.has_resume]
    assert with_resume
    on = [render_candidate(c, ds, descriptors=False, attachments=True, parts=PARTS) for c in with_resume]
    off = [render_candidate(c, ds, descriptors=False, attachments=False, parts=PARTS) for c in with_resume]
    assert all("File_Content" in local_names(e) for e in on)
    assert not any("File_Content" in local_names(e) for e in off)


def test_descriptors_are_set_only_when_requested(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """wd:Descriptor carries display names with descriptors=True and is absent otherwise."""
    c = candidates[0]
    on = render_candidate(c, ds, descriptors=True, attachments=False, parts=PARTS)
    off = render_candidate(c, ds, descriptors=False, attachments=False, parts=PARTS)
    assert on.find(wd("Candidate_Reference")).get(DESCRIPTOR) == c.display_name  # type: ignore[union-attr]
    assert not any(e.get(DESCRIPTOR) for e in off.iter())


def test_v45_application_reference_sits_on_job_application_data(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """In v45.2 Job_Application_Reference is a child of Job_Application_Data, not of Job_Applied_To_Data."""
    el = render_candidate(candidates[0], ds, descriptors=False, attachments=False, parts=PARTS)
    ja = el.find(f"{wd('Candidate_Data')}/{wd('Job_Application_Data')}")
    assert ja is not None
    assert ja.find(wd("Job_Application_Reference")) is not None
    assert ja.find(f"{wd('Job_Applied_To_Data')}/{wd('Job_Application_Reference')}") is None


def test_role_assignments_need_roles_and_worker_visibility(ds: Dataset) -> None:
    """Recruiter and hiring manager assignments are rendered only with Include_Roles and worker access."""
    req = ds.requisitions()[0]
    names = [
        "Role_Assignment_Data"
        in local_names(render_requisition(req, ds, descriptors=False, roles=r, workers_visible=w))
        for r, w in itertools.product([True, False], repeat=2)
    ]
    assert names == [True, False, False, False]


def test_interviewers_are_anonymous_without_worker_visibility(ds: Dataset, interviews: list[InterviewRecord]) -> None:
    """Without worker access each interviewer is an empty reference; with it, a WID and Employee_ID."""
    iv = interviews[0]
    hidden = render_interview(iv, ds, descriptors=True, workers_visible=False)
    shown = render_interview(iv, ds, descriptors=True, workers_visible=True)
    refs_hidden = list(hidden.iter(wd("Interviewers_Reference")))
    refs_shown = list(shown.iter(wd("Interviewers_Reference")))
    assert len(refs_hidden) == len(refs_shown) == sum(len(s.interviewer_ids) for s in iv.sessions)
    assert all(len(r) == 0 and r.get(DESCRIPTOR) is None for r in refs_hidden)
    assert all(len(r) == 2 for r in refs_shown)


def test_interview_times_carry_the_interview_time_zone_offset(ds: Dataset, interviews: list[InterviewRecord]) -> None:
    """Session times are rendered with milliseconds in the event's own zone (e.g. +05:30 for Kolkata)."""
    iv = next(i for i in interviews if i.time_zone == "Asia/Kolkata")
    el = render_interview(iv, ds, descriptors=False, workers_visible=True)
    start = el.find(f".//{wd('Interview_Start_Time')}")
    assert start is not None
    assert start.text is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+05:30", start.text)
    assert datetime.fromisoformat(start.text) == iv.sessions[0].start


def test_booleans_and_dates_use_both_wire_styles(ds: Dataset, candidates: list[CandidateRecord]) -> None:
    """Booleans appear as 1/0 and true/false across records; some dates carry an offset."""
    texts = {
        e.text
        for c in candidates[:20]
        for e in render_candidate(c, ds, descriptors=False, attachments=False, parts=PARTS).iter(wd("Withdrawn"))
    }
    assert {"0", "false"} <= texts
    starts = {
        e.text
        for r in ds.requisitions()
        for e in render_requisition(r, ds, descriptors=False, roles=False, workers_visible=False).iter(
            wd("Recruiting_Start_Date")
        )
    }
    assert any(s and re.fullmatch(r"\d{4}-\d\d-\d\d[+-]\d\d:\d\d", s) for s in starts)
    assert any(s and re.fullmatch(r"\d{4}-\d\d-\d\d", s) for s in starts)


def test_special_characters_survive_serialisation(ds: Dataset) -> None:
    """Apostrophes, ampersands and non-ASCII text round-trip through serialised XML unchanged."""
    mut = mutable()
    rec = mut.add_candidate(first_name="Zoë", last_name="O'Brien & Søn", email="zoe@example.com")
    el = render_candidate(rec, mut, descriptors=True, attachments=False, parts=PARTS)
    parsed = parse_bytes(etree.tostring(el, encoding="utf-8"))
    last = parsed.find(f".//{wd('Last_Name')}")
    assert last is not None
    assert last.text == "O'Brien & Søn"
    ref = parsed.find(wd("Candidate_Reference"))
    assert ref is not None
    assert ref.get(DESCRIPTOR) == "Zoë O'Brien & Søn"
    source = ds.reference("Applicant_Source", "AGENCY_HAYS")
    assert "&" in (source.descriptor or "")


def test_render_reference_builds_typed_ids(ds: Dataset) -> None:
    """A standalone reference lists the WID first, then the typed IDs, with an optional descriptor."""
    ref = ds.reference("Country", "DE")
    el = render_reference("Country_Reference", ref, descriptors=True)
    assert el.tag == wd("Country_Reference")
    assert el.get(DESCRIPTOR) == "Germany"
    assert [(i.get(wd("type")), i.text) for i in el] == [
        ("WID", ref.wid),
        ("ISO_3166-1_Alpha-2_Code", "DE"),
        ("ISO_3166-1_Alpha-3_Code", "DEU"),
        ("ISO_3166-1_Numeric-3_Code", "276"),
    ]
    assert render_reference("Country_Reference", ref, descriptors=False).get(DESCRIPTOR) is None


def test_moving_an_interview_shifts_every_session_and_stamps_a_new_version() -> None:
    ds = Dataset(candidates=60)
    wid = next(ds.interview_wids())
    before = ds.find_interview(wid)
    assert before is not None

    after = ds.move_interview(wid, by=timedelta(minutes=90))

    assert [s.start - b.start for s, b in zip(after.sessions, before.sessions, strict=True)] == [
        timedelta(minutes=90)
    ] * len(before.sessions)
    assert [s.end - s.start for s in after.sessions] == [s.end - s.start for s in before.sessions]
    assert after.updated_at > before.updated_at
    with pytest.raises(KeyError):
        ds.move_interview("no-such-wid", by=timedelta(hours=1))
