"""Incremental sync: changes() reads the transaction log up to the tenant's clock, misses nothing, repeats nothing.

The fake tenant's clock is replaced by a manual one (``fake.dataset.clock``: both the server's "now" and the entry
moment of every mutation), so each scenario places changes exactly before, inside or after the overlap.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import pytest
import requests
from lxml import etree

from workday_recruiting import (
    Candidate,
    ChangeSet,
    ConfigurationError,
    JobRequisition,
    RecruitingClient,
    RetryPolicy,
    Watermark,
)
from workday_recruiting.testing import FakeTenant

WD = "urn:com.workday/bsvc"
FAST_RETRY = RetryPolicy(attempts=6, initial_backoff=0, jitter=0, max_backoff=0, deadline=60)
OVERLAP = timedelta(minutes=5)


class ManualClock:
    """The tenant's clock, moved only by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def fake(fake_tenant_factory: Callable[..., FakeTenant]) -> FakeTenant:
    return fake_tenant_factory(candidates=120)


@pytest.fixture
def clock(fake: FakeTenant) -> ManualClock:
    manual = ManualClock(fake.dataset.now + timedelta(hours=2))
    fake.dataset.clock = manual
    return manual


@pytest.fixture
def client(fake: FakeTenant) -> Iterator[RecruitingClient]:
    with RecruitingClient(
        wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=FAST_RETRY
    ) as c:
        yield c


def ids(changes: ChangeSet[Candidate]) -> list[str | None]:
    return [c.candidate_id for c in changes]


def candidate_windows(fake: FakeTenant) -> list[tuple[str, str, str]]:
    """(Updated_From, Updated_Through, As_Of_Entry_DateTime) of each Get_Candidates request received."""
    found = []
    for record in fake.requests.of("Get_Candidates"):
        root = etree.fromstring(record.body)
        found.append(
            (
                root.findtext(f".//{{{WD}}}Updated_From") or "",
                root.findtext(f".//{{{WD}}}Updated_Through") or "",
                root.findtext(f".//{{{WD}}}As_Of_Entry_DateTime") or "",
            )
        )
    return found


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- the window ---------------------------------------------------------------------------------------------------


def test_upper_bound_is_the_tenants_clock_and_pins_as_of(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """Each page's Updated_Through and As_Of_Entry_DateTime are the tenant's clock; the window opens since-overlap."""
    since = clock.now - timedelta(hours=1)
    for n in range(7):
        clock.advance(seconds=1)
        fake.dataset.update_candidate(f"CAND-{1001 + n}", first_name=f"Edited{n}")
    clock.advance(minutes=1)
    changes = client.candidates.changes(since=since, overlap=OVERLAP, page_size=2)
    assert changes.window_end == clock.now and changes.window_start == since - OVERLAP
    assert changes.next_watermark.upper == clock.now
    windows = candidate_windows(fake)
    assert len(windows) >= 4  # two parts, several pages
    assert {moment(as_of) for _, _, as_of in windows} == {clock.now}
    assert {moment(through) for _, through, _ in windows} <= {clock.now, clock.now - OVERLAP}
    assert min(moment(lower) for lower, _, _ in windows) == since - OVERLAP
    assert len(fake.requests.of("Get_Server_Timestamp")) == 1


def test_first_call_returns_exactly_the_transaction_log(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """Every record the tenant's transaction log holds for the window comes back, once, in its current version."""
    since = clock.now
    clock.advance(minutes=1)
    fake.dataset.update_candidate("CAND-1003", first_name="Zed")
    clock.advance(minutes=1)
    added = fake.dataset.add_candidate(first_name="Nova", last_name="Quinn", email="nova@example.com")
    clock.advance(minutes=1)
    fake.dataset.update_application(fake.dataset.candidate_at(9).applications[0].application_id, stage_id="OFFER")
    clock.advance(minutes=1)
    changes = client.candidates.changes(since=since, overlap=OVERLAP)
    truth = fake.dataset.changed_candidates(changes.window_start, changes.window_end, as_of=changes.window_end)
    assert sorted(ids(changes)) == sorted(r.candidate_id for r in truth)
    assert set(ids(changes)) == {"CAND-1003", added.candidate_id, fake.dataset.candidate_at(9).candidate_id}
    by_id = {c.candidate_id: c for c in changes}
    assert by_id["CAND-1003"].legal_name is not None and by_id["CAND-1003"].legal_name.first == "Zed"


def test_each_later_change_is_delivered_by_the_next_call(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """Changed, added and re-staged candidates made between calls are all in the next change set."""
    first = client.candidates.changes(since=clock.now - timedelta(days=1), overlap=OVERLAP)
    clock.advance(minutes=2)
    fake.dataset.update_candidate("CAND-1010", last_name="Changed")
    added = fake.dataset.add_candidate(first_name="Ada", last_name="Byron", email="ada@example.com")
    application = fake.dataset.candidate_at(20).applications[0].application_id
    fake.dataset.update_application(application, stage_id="INTERVIEW")
    clock.advance(minutes=30)
    second = client.candidates.changes(since=first.next_watermark, overlap=OVERLAP)
    assert set(ids(second)) == {"CAND-1010", added.candidate_id, fake.dataset.candidate_at(20).candidate_id}
    stages = {a.stage.get("Recruiting_Stage_ID") for c in second for a in c.applications if a.stage}
    assert "INTERVIEW" in stages


def test_requisition_changes(client: RecruitingClient, fake: FakeTenant, clock: ManualClock) -> None:
    """requisitions.changes() delivers added and updated requisitions, and refuses a candidates watermark."""
    first = client.requisitions.changes(since=clock.now, overlap=OVERLAP)
    assert len(first) == 0
    clock.advance(minutes=1)
    added = fake.dataset.add_requisition(title="Staff Engineer")
    existing = fake.dataset.requisitions()[3].requisition_id
    fake.dataset.update_requisition(existing, title="Principal Engineer")
    clock.advance(minutes=10)
    second = client.requisitions.changes(since=first.next_watermark, overlap=OVERLAP)
    assert isinstance(second.records[0], JobRequisition)
    assert {r.requisition_id for r in second} == {added.requisition_id, existing}
    assert {r.title for r in second} == {"Staff Engineer", "Principal Engineer"}
    with pytest.raises(ConfigurationError, match="candidates"):
        client.candidates.changes(since=second.next_watermark)


# -- repeats and de-duplication ----------------------------------------------------------------------------------


def test_repeats_happen_only_inside_the_overlap_and_are_suppressed(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """A change inside the overlap is remembered by the watermark and not delivered again; one before it never is."""
    start = clock.now
    clock.advance(minutes=1)
    fake.dataset.update_candidate("CAND-1001", first_name="Early")  # 9 minutes before the upper bound
    clock.advance(minutes=7)
    fake.dataset.update_candidate("CAND-1002", first_name="Late")  # 2 minutes before: inside the overlap
    clock.advance(minutes=2)
    first = client.candidates.changes(since=start, overlap=OVERLAP)
    assert set(ids(first)) == {"CAND-1001", "CAND-1002"}
    assert set(first.next_watermark.seen_versions) == {"CAND-1002"}

    clock.advance(minutes=1)
    again = client.candidates.changes(since=first.next_watermark, overlap=OVERLAP)
    assert ids(again) == [] and again.repeats_suppressed == 1

    # Without the watermark's memory (a bare datetime), the repeat shows, and only the record inside the overlap.
    bare = client.candidates.changes(since=first.next_watermark.upper, overlap=OVERLAP)
    assert ids(bare) == ["CAND-1002"]

    # A record of the overlap that changes again is a new version: delivered.
    clock.advance(seconds=30)
    fake.dataset.update_candidate("CAND-1002", first_name="Later")
    clock.advance(seconds=30)
    third = client.candidates.changes(since=again.next_watermark, overlap=OVERLAP)
    assert ids(third) == ["CAND-1002"]
    assert third.records[0].legal_name is not None and third.records[0].legal_name.first == "Later"


def test_a_record_logged_again_after_the_watermark_is_delivered_even_unchanged(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """A transaction after the watermark's upper bound is a change, even when it leaves the record as it was.

    Workday may log a candidate when one of its interviews is scheduled; the interview feed relies on seeing it.
    """
    start = clock.now
    clock.advance(minutes=1)
    fake.dataset.update_candidate("CAND-1003", first_name="Once")
    clock.advance(minutes=1)
    first = client.candidates.changes(since=start, overlap=OVERLAP)
    assert set(first.next_watermark.seen_versions) == {"CAND-1003"}

    clock.advance(seconds=30)
    fake.dataset.update_candidate("CAND-1003")  # logged again, nothing changed
    clock.advance(seconds=30)
    again = client.candidates.changes(since=first.next_watermark, overlap=OVERLAP)

    assert ids(again) == ["CAND-1003"] and again.repeats_suppressed == 0


def test_a_record_changed_many_times_comes_once_in_its_last_version(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """Changes before and inside the overlap to one record give one record, the latest version."""
    start = clock.now
    for minute, name in enumerate(["One", "Two", "Three", "Four"]):
        clock.advance(minutes=3)
        fake.dataset.update_candidate("CAND-1005", first_name=name)
        assert minute < 4
    clock.advance(minutes=1)
    changes = client.candidates.changes(since=start, overlap=OVERLAP, page_size=1)
    assert ids(changes) == ["CAND-1005"]
    assert changes.records[0].legal_name is not None and changes.records[0].legal_name.first == "Four"
    # The record was listed by both parts of the window (before and inside the overlap), and delivered once.
    through = {t for _, t, _ in candidate_windows(fake)}
    assert len(through) == 2


def test_a_change_landing_while_paging_shows_in_the_next_window(fake: FakeTenant, clock: ManualClock) -> None:
    """As_Of_Entry_DateTime is pinned: a change entered between two pages is not in this window, and not lost."""
    start = clock.now
    for n in range(6):
        clock.advance(seconds=10)
        fake.dataset.update_candidate(f"CAND-{1030 + n}", first_name=f"Batch{n}")
    clock.advance(minutes=1)
    landed: list[str] = []

    def land_a_change(response: requests.Response, *args: object, **kwargs: object) -> None:
        if b"Get_Candidates_Response" in response.content and not landed:
            clock.advance(seconds=1)
            fake.dataset.update_candidate("CAND-1031", first_name="DuringPaging")
            fake.dataset.update_candidate("CAND-1090", first_name="AlsoDuringPaging")
            landed.append("yes")

    session = requests.Session()
    session.hooks["response"].append(land_a_change)
    with RecruitingClient(
        wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=FAST_RETRY, session=session
    ) as client:
        first = client.candidates.changes(since=start, overlap=OVERLAP, page_size=2)
        assert landed
        assert "CAND-1090" not in ids(first)
        names = {c.candidate_id: c.legal_name.first if c.legal_name else None for c in first}
        assert names["CAND-1031"] == "Batch1"  # the version as of the window's upper bound
        clock.advance(minutes=1)
        second = client.candidates.changes(since=first.next_watermark, overlap=OVERLAP)
    names = {c.candidate_id: c.legal_name.first if c.legal_name else None for c in second}
    assert names == {"CAND-1031": "DuringPaging", "CAND-1090": "AlsoDuringPaging"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_deliver_every_version_once(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock, seed: int
) -> None:
    """Over random changes and polls, each record's last version before a poll is delivered once, none missed."""
    rng = random.Random(seed)
    watermark: Watermark | datetime = clock.now
    delivered: list[tuple[str, str]] = []
    current: dict[str, str] = {}  # candidate -> first name of its latest version
    for poll in range(8):
        changed_since_poll: set[str] = set()
        for change in range(rng.randint(0, 5)):
            clock.advance(seconds=rng.uniform(0, 240))
            candidate = f"CAND-{1001 + rng.randrange(40)}"
            name = f"P{poll}C{change}"
            fake.dataset.update_candidate(candidate, first_name=name)
            current[candidate] = name
            changed_since_poll.add(candidate)
        clock.advance(seconds=rng.uniform(0, 400))
        changes = client.candidates.changes(since=watermark, overlap=OVERLAP, page_size=rng.choice([1, 3, 100]))
        got = {c.candidate_id or "": (c.legal_name.first if c.legal_name else "") or "" for c in changes}
        assert len(got) == len(changes), "a record came twice in one change set"
        for candidate in changed_since_poll:
            assert got.get(candidate) == current[candidate], f"poll {poll} missed the latest {candidate}"
        delivered.extend(got.items())
        watermark = changes.next_watermark
    assert len(delivered) == len(set(delivered)), "a version was delivered twice"


# -- the watermark ------------------------------------------------------------------------------------------------


def test_watermark_round_trips_through_json(client: RecruitingClient, fake: FakeTenant, clock: ManualClock) -> None:
    """to_json()/from_json() give an equal, hashable watermark that works as since."""
    clock.advance(minutes=1)
    fake.dataset.update_candidate("CAND-1001", first_name="Json")
    clock.advance(minutes=1)
    changes = client.candidates.changes(since=clock.now - timedelta(minutes=10), overlap=OVERLAP)
    text = changes.next_watermark.to_json()
    restored = Watermark.from_json(text)
    assert restored == changes.next_watermark and hash(restored) == hash(changes.next_watermark)
    assert restored.to_json() == text and restored.upper.tzinfo is not None
    assert restored.seen_versions.keys() == {"CAND-1001"}
    clock.advance(minutes=1)
    assert len(client.candidates.changes(since=restored, overlap=OVERLAP)) == 0


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": 99, "resource": "candidates", "upper": "2026-01-01T00:00:00+00:00", "seen": {}}',
        '{"format": 1, "resource": "workers", "upper": "2026-01-01T00:00:00+00:00", "seen": {}}',
        '{"format": 1, "resource": "candidates", "upper": "yesterday", "seen": {}}',
        '{"format": 1, "resource": "candidates", "upper": "2026-01-01T00:00:00", "seen": {}}',
        '{"format": 1, "resource": "candidates", "upper": "2026-01-01T00:00:00+00:00", "seen": {"C": 5}}',
    ],
)
def test_a_damaged_watermark_is_a_configuration_error(text: str) -> None:
    """from_json() refuses anything but a watermark it wrote, with a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        Watermark.from_json(text)


@pytest.mark.parametrize(
    ("since", "overlap", "match"),
    [
        (datetime(2026, 1, 1), OVERLAP, "timezone-aware"),
        ("2026-01-01", OVERLAP, "datetime or a Watermark"),
        (datetime(2026, 1, 1, tzinfo=timezone.utc), timedelta(minutes=-1), "overlap"),
    ],
)
def test_bad_arguments_fail_before_any_request(
    client: RecruitingClient, fake: FakeTenant, since: object, overlap: timedelta, match: str
) -> None:
    """A naive since, a non-datetime or a negative overlap is a ConfigurationError, and nothing is sent."""
    with pytest.raises(ConfigurationError, match=match):
        client.candidates.changes(since=since, overlap=overlap)  # type: ignore[arg-type]
    assert len(fake.requests) == 0


def test_since_after_the_tenants_clock_reads_an_empty_window(
    client: RecruitingClient, fake: FakeTenant, clock: ManualClock
) -> None:
    """A since ahead of the tenant (our clock runs fast) is clamped to the tenant's clock, not sent as a bad range."""
    changes = client.candidates.changes(since=clock.now + timedelta(hours=3), overlap=OVERLAP)
    assert len(changes) == 0 and changes.window_start == changes.window_end == clock.now
