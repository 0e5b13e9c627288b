"""FakeTenant as an enterprise tenant: the profile's shape, its interview index, start-up, the server-time model."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from lxml import etree

from fake_soap import assert_valid, call, get_request, ref
from workday_recruiting.testing import Dataset, FakeTenant

Factory = Callable[..., FakeTenant]
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
INTERVIEW_REFS = "wd:Response_Data/wd:Interview/wd:Interview_Data/wd:Interview_Event_Reference"


@pytest.fixture(scope="module")
def enterprise() -> Iterator[FakeTenant]:
    """A 3,000-candidate enterprise tenant shared by the read-only tests of this module."""
    with FakeTenant(candidates=3000, seed=4, profile="enterprise", now=NOW) as fake:
        yield fake


def slow_interview_wids(ds: Dataset, as_of: dt.datetime | None = None) -> list[str]:
    """Every interview event, read candidate by candidate (what the enterprise index must equal)."""
    return [
        interview.wid
        for candidate in ds.iter_candidates(as_of)
        for application in candidate.applications
        for interview in ds.interviews_for_application(application.application_id, as_of)
    ]


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="profile must be one of"):
        Dataset(candidates=10, profile="huge")  # type: ignore[arg-type]


def test_default_profile_is_unchanged_by_the_enterprise_one() -> None:
    """The default profile still spans two years; the enterprise one six, with fewer requisitions per candidate."""
    default = Dataset(candidates=1000, seed=4, now=NOW)
    big = Dataset(candidates=1000, seed=4, now=NOW, profile="enterprise")
    assert default.profile == "default" and big.profile == "enterprise"
    assert NOW - default.candidate_at(0).created_at < dt.timedelta(days=731)
    assert NOW - big.candidate_at(0).created_at > dt.timedelta(days=5 * 365)
    assert big.requisition_count() < default.requisition_count()


def test_most_applications_were_dispositioned_long_ago(enterprise: FakeTenant) -> None:
    """Years of history: nearly every old application carries a disposition; a realistic funnel of stages."""
    old = live = 0
    old_dispositioned = 0
    stages: Counter[str] = Counter()
    live_stages: Counter[str] = Counter()
    for candidate in enterprise.dataset.iter_candidates():
        for application in candidate.applications:
            stages[application.stage_id] += 1
            if NOW - application.applied_at > dt.timedelta(days=365):
                old += 1
                old_dispositioned += application.disposition_id is not None
            if application.disposition_id is None:
                live += 1
                live_stages[application.stage_id] += 1
    assert old > 2000
    assert old_dispositioned / old > 0.9
    assert live < 0.15 * sum(stages.values())
    assert stages["REVIEW"] > stages["SCREEN"] > stages["INTERVIEW"] > stages["OFFER"]
    assert len(live_stages) >= 6  # the active pipeline spans the stages


def test_interview_events_concentrate_in_the_active_pipeline(enterprise: FakeTenant) -> None:
    """Upcoming sessions belong to live applications; past events to old ones; the upcoming ones are few."""
    ds = enterprise.dataset
    upcoming_events = 0
    for wid in ds.interview_wids():
        interview = ds.find_interview(wid)
        assert interview is not None
        found = ds.find_application("Job_Application_ID", interview.application_id)
        assert found is not None
        application = found[1]
        if any(session.start > NOW for session in interview.sessions):
            upcoming_events += 1
            assert application.disposition_id is None
            assert all(session.start < NOW + dt.timedelta(days=21) for session in interview.sessions)
    assert 3 <= upcoming_events <= 60


def test_the_interview_index_equals_reading_every_candidate(enterprise: FakeTenant) -> None:
    """The enterprise listing (from its index) equals, in order, the one read candidate by candidate."""
    ds = enterprise.dataset
    assert list(ds.interview_wids()) == slow_interview_wids(ds)
    past = NOW - dt.timedelta(days=400)
    assert list(ds.interview_wids(past)) == slow_interview_wids(ds, past)


def test_the_index_follows_edits(fake_tenant_factory: Factory) -> None:
    """Added, moved and cancelled events and changed applications are listed as candidate by candidate."""
    fake = fake_tenant_factory(candidates=800, seed=5, profile="enterprise", now=NOW)
    ds = fake.dataset
    before = list(ds.interview_wids())
    live = next(
        (c, a)
        for c in ds.iter_candidates()
        for a in c.applications
        if a.disposition_id is None and not ds.interviews_for_application(a.application_id)
    )
    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    added = ds.add_interview(live[1].application_id, [(soon, soon + dt.timedelta(hours=1), ["E-1001"])])
    ds.update_interview(before[0], status="cancelled")
    newcomer = ds.add_candidate(first_name="Ana", last_name="Lima", email="ana@example.org", requisition_id="R-00001")
    extra = ds.add_interview(
        newcomer.applications[0].application_id, [(soon, soon + dt.timedelta(hours=1), ["E-1001"])]
    )
    listed = list(ds.interview_wids())
    assert listed == slow_interview_wids(ds)
    assert added.wid in listed and extra.wid in listed and before[0] in listed
    assert len(listed) == len(before) + 2


def test_criteria_less_get_interviews_pages_the_whole_index(enterprise: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Get_Interviews without criteria lists the enterprise events, paged at 999, XSD-valid, as the index."""
    expected = list(enterprise.dataset.interview_wids())
    reply = call(enterprise, get_request("Get_Interviews_Request", count=999))
    assert reply.status == 200
    assert_valid(full_xsd, reply.body)
    results = reply.results()
    assert results["Total_Results"] == len(expected)
    assert reply.ids(INTERVIEW_REFS, "WID") == expected[:999]
    sample = random.Random(1).sample(expected, 150)
    references = "".join(ref("Interview_Reference", WID=wid) for wid in sample)
    batch = call(
        enterprise,
        get_request(
            "Get_Interviews_Request", f"<wd:Request_References>{references}</wd:Request_References>", count=999
        ),
    )
    assert batch.ids(INTERVIEW_REFS, "WID") == sample
    assert_valid(full_xsd, batch.body)


def test_candidates_of_every_profile_page_validly(enterprise: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    reply = call(enterprise, get_request("Get_Candidates_Request", count=200))
    assert reply.status == 200
    assert_valid(full_xsd, reply.body)


def test_a_million_candidates_start_fast() -> None:
    """Data is generated on demand: a 1,000,000-candidate enterprise tenant starts in well under a second."""
    started = time.perf_counter()
    with FakeTenant(candidates=1_000_000, profile="enterprise") as fake:
        elapsed = time.perf_counter() - started
        reply = call(fake, get_request("Get_Candidates_Request", count=5))
    assert reply.status == 200
    assert reply.results()["Total_Results"] == 1_000_000
    assert elapsed < 5.0  # well under 1 s on a quiet machine; loose for a shared one


def test_item_latency_makes_big_pages_cost_more(fake_tenant_factory: Factory) -> None:
    """The server-time model: latency per request plus item_latency per returned instance."""
    fake = fake_tenant_factory(candidates=300, latency=0.0, item_latency=0.002)
    assert fake.item_latency == 0.002 and fake.faults.item_latency == 0.002

    def timed(count: int) -> float:
        started = time.perf_counter()
        reply = call(
            fake,
            get_request(
                "Get_Candidates_Request",
                count=count,
                group="<wd:Exclude_All_Attachments>true</wd:Exclude_All_Attachments>",
            ),
        )
        assert reply.status == 200
        return time.perf_counter() - started

    timed(1)  # warm up
    small, big = timed(1), timed(250)
    assert big - small > 0.4  # 249 more items at 2 ms each
    fake.item_latency = 0.0
    assert timed(250) < big
    with pytest.raises(ValueError, match="item_latency"):
        fake.item_latency = -1


def test_requests_keep_each_operation(enterprise: FakeTenant) -> None:
    """``tenant.requests`` records the operation of every request."""
    call(enterprise, get_request("Server_Timestamp_Get"))
    call(enterprise, get_request("Get_Interviews_Request", count=1))
    operations = [record.operation for record in enterprise.requests][-2:]
    assert operations == ["Get_Server_Timestamp", "Get_Interviews"]
