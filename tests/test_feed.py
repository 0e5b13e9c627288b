"""The interview feed: every change to the sessions of the window, at least once until acknowledged, never after.

Against a FakeTenant: the first poll delivers the window as ``scheduled``; later polls deliver what changed
(rescheduled, cancelled, updated, newly scheduled), at a cost that grows with the changes; the state survives the
process, a failed poll leaves it untouched, and a corrupt or foreign state file is refused without being touched.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from _interviews import open_interview_application
from workday_recruiting import ConfigurationError, RecruitingClient, ScheduledInterview
from workday_recruiting.feed import (
    PAYLOAD_SCHEMA,
    SCHEMA_VERSION,
    FeedLockedError,
    FeedStateError,
    InterviewChange,
    InterviewFeed,
    SQLiteFeedStore,
)
from workday_recruiting.testing import FakeTenant

Factory = Callable[..., FakeTenant]


def _client(fake: FakeTenant) -> RecruitingClient:
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password)


@pytest.fixture
def fake(fake_tenant_factory: Factory) -> FakeTenant:
    return fake_tenant_factory(candidates=300)


@pytest.fixture
def client(fake: FakeTenant) -> Iterator[RecruitingClient]:
    with _client(fake) as c:
        yield c


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "feed.sqlite"


def _ops(fake: FakeTenant, since: int) -> Counter[str | None]:
    return Counter(r.operation for r in fake.requests.snapshot()[since:])


def _upcoming(client: RecruitingClient, days: float = 14) -> list[ScheduledInterview]:
    return client.interviews.upcoming(days=days)


def _settled(client: RecruitingClient, state: Path | None, **kwargs: Any) -> InterviewFeed:
    """A feed whose first poll (the window, all scheduled) is acknowledged."""
    feed = client.interviews.feed(state, **kwargs)
    feed.poll().ack()
    return feed


# -- the first poll ----------------------------------------------------------------------------------------------


def test_the_first_poll_delivers_every_session_of_the_window_as_scheduled(
    client: RecruitingClient, state: Path
) -> None:
    expected = {s.session.wid for s in _upcoming(client)}
    assert expected, "the fake should have interviews in the next 14 days"

    batch = client.interviews.feed(state, days=14).poll()

    assert {c.kind for c in batch} == {"scheduled"}
    assert {c.session_wid for c in batch} == expected
    assert len({c.id for c in batch}) == len(batch)
    change = batch[0]
    assert change.previous is None and change.changed == ()
    assert change.candidate.candidate_id and change.requisition is not None
    assert change.session in change.interview.sessions


def test_a_poll_with_nothing_changed_delivers_nothing_and_costs_a_handful_of_requests(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    before = len(fake.requests)

    batch = feed.poll()

    assert len(batch) == 0
    ops = _ops(fake, before)
    assert sum(ops.values()) <= 5, ops
    assert ops["Get_Server_Timestamp"] == 1
    assert ops["Get_Web_Conference_Interview_Data"] == 0


# -- what a later poll sees --------------------------------------------------------------------------------------


def test_a_moved_interview_is_delivered_as_rescheduled_with_its_old_times(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    target = _upcoming(client)[0]
    fake.dataset.move_interview(target.interview.wid or "", timedelta(hours=3))

    batch = feed.poll()

    mine = [c for c in batch if c.interview_wid == target.interview.wid]
    assert mine and {c.kind for c in mine} == {"rescheduled"}
    first = next(c for c in mine if c.session_wid == target.session.wid)
    assert first.previous is not None
    assert first.previous.start == target.start
    assert first.start == target.start + timedelta(hours=3)
    assert first.changed == ("start", "end")
    assert len(batch) == len(mine)


def test_a_move_that_stamps_nothing_is_found_by_re_reading_the_known_events(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    fake.interview_changes_stamp_candidate = False
    feed = _settled(client, state, reconcile_every=None)
    target = _upcoming(client)[0]
    fake.dataset.move_interview(target.interview.wid or "", timedelta(minutes=30))
    before = len(fake.requests)

    batch = feed.poll()

    assert {c.kind for c in batch} == {"rescheduled"}
    assert {c.interview_wid for c in batch} == {target.interview.wid}
    assert _ops(fake, before)["Get_Candidates"] <= 2  # the transaction log only: no scan


def test_new_interviewers_are_delivered_as_updated_naming_the_field(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    target = _upcoming(client)[0]
    record = fake.dataset.find_interview(target.interview.wid or "")
    assert record is not None
    at = next(i for i, s in enumerate(record.sessions) if s.wid == target.session.wid)
    other = next(
        w.employee_id for w in fake.dataset.workers() if w.employee_id not in record.sessions[at].interviewer_ids
    )
    sessions = list(record.sessions)
    sessions[at] = attrs.evolve(sessions[at], interviewer_ids=(other,))
    fake.dataset.update_interview(record.wid, sessions=tuple(sessions))

    batch = feed.poll()

    assert [(c.kind, c.changed) for c in batch] == [("updated", ("interviewers",))]
    assert batch[0].previous is not None and other not in batch[0].previous.interviewers
    assert other in batch[0].values.interviewers


def test_a_newly_scheduled_interview_is_delivered_with_its_candidate(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    start = (fake.dataset.clock() + timedelta(days=3)).replace(microsecond=0)
    record = fake.dataset.add_interview(
        open_interview_application(fake), [(start, start + timedelta(hours=1), ["21001"])], time_zone="Europe/Paris"
    )

    batch = feed.poll()

    assert [(c.kind, c.interview_wid) for c in batch] == [("scheduled", record.wid)]
    change = batch[0]
    assert change.candidate.candidate_id == record.candidate_id
    assert change.start == start
    assert change.scheduled.time_zone == "Europe/Paris"
    assert change.scheduled.meeting_url == record.meeting_url


def test_a_cancelled_interview_is_delivered_as_cancelled_as_it_was_last_seen(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    target = _upcoming(client)[0]
    sessions = {s.session.wid for s in _upcoming(client) if s.interview.wid == target.interview.wid}
    fake.dataset.update_interview(target.interview.wid or "", status="cancelled")

    batch = feed.poll()

    assert {c.kind for c in batch} == {"cancelled"}
    assert {c.session_wid for c in batch} == sessions
    assert batch[0].candidate.candidate_id == target.candidate.candidate_id
    assert feed.poll().changes == batch.changes  # not acknowledged yet: delivered again


def test_a_session_removed_from_an_event_is_cancelled_alone(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    multi = next(
        (s for s in _upcoming(client) if len([x for x in s.interview.sessions if x.start > s.start]) >= 1), None
    )
    if multi is None:
        pytest.skip("no interview with two upcoming sessions in this data set")
    feed = _settled(client, state)
    record = fake.dataset.find_interview(multi.interview.wid or "")
    assert record is not None
    kept, dropped = record.sessions[:-1], record.sessions[-1]
    fake.dataset.update_interview(record.wid, sessions=kept)

    batch = feed.poll()

    assert [(c.kind, c.session_wid) for c in batch] == [("cancelled", dropped.wid)]


def test_a_reconcile_finds_what_the_cheap_path_cannot_see(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    fake.interview_changes_stamp_candidate = False
    feed = _settled(client, state, reconcile_every=None)
    start = fake.dataset.clock() + timedelta(days=2)
    record = fake.dataset.add_interview(
        open_interview_application(fake), [(start, start + timedelta(hours=1), ["21001"])]
    )

    assert len(feed.poll()) == 0  # nothing in the transaction log, and the event is not known yet
    batch = feed.poll(reconcile=True)

    assert [(c.kind, c.interview_wid) for c in batch] == [("scheduled", record.wid)]


def test_an_interview_beyond_the_window_is_delivered_once_it_enters_it(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    _settled(client, state, days=14).close()
    start = fake.dataset.clock() + timedelta(days=20)
    record = fake.dataset.add_interview(
        open_interview_application(fake), [(start, start + timedelta(hours=1), ["21001"])]
    )
    near = client.interviews.feed(state, days=14)
    assert len(near.poll()) == 0  # parked: known, not delivered
    near.close()

    wider = client.interviews.feed(state, days=21, reconcile_every=None)  # the window reaches it
    batch = wider.poll()

    entering = {s.session.wid for s in _upcoming(client, days=21)} - {s.session.wid for s in _upcoming(client)}
    assert record.sessions[0].wid in entering
    assert {c.kind for c in batch} == {"scheduled"}
    assert {c.session_wid for c in batch} == entering


@pytest.mark.parametrize("lists_all", [True, False], ids=["listing", "scan"])
def test_the_feed_delivers_the_sessions_upcoming_returns_in_every_fake_mode(
    fake_tenant_factory: Factory, tmp_path: Path, lists_all: bool
) -> None:
    fake = fake_tenant_factory(candidates=300, lists_all_interviews=lists_all)
    with _client(fake) as client:
        expected = {(s.session.wid, s.start, s.meeting_url) for s in _upcoming(client)}
        batch = client.interviews.feed(tmp_path / "f.sqlite").poll()
    assert {(c.session_wid, c.start, c.scheduled.meeting_url) for c in batch} == expected


# -- delivery guarantees -----------------------------------------------------------------------------------------


def test_changes_are_delivered_again_until_acknowledged_then_never(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    first = client.interviews.feed(state).poll()
    again = client.interviews.feed(state).poll()  # another feed on the same file: a new process would do the same
    assert [c.id for c in again] == [c.id for c in first]

    assert again.ack() == len(first)
    assert first.ack() == 0  # the same changes, already acknowledged
    assert len(client.interviews.feed(state).poll()) == 0
    assert len(client.interviews.feed(state).pending()) == 0


def test_leaving_the_with_block_acknowledges_and_an_exception_does_not(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = client.interviews.feed(state)

    def consume_and_fail() -> list[str]:
        with feed.poll() as batch:
            seen = [change.id for change in batch]
            raise RuntimeError(f"the consumer failed after {len(seen)} changes")

    with pytest.raises(RuntimeError, match=r"failed after [1-9]"):
        consume_and_fail()
    assert len(feed.pending()) > 0  # nothing was acknowledged

    with feed.poll() as batch:
        pass
    assert batch.acked
    assert len(feed.pending()) == 0


def test_a_partial_acknowledgement_leaves_the_rest_pending(client: RecruitingClient, state: Path) -> None:
    feed = client.interviews.feed(state)
    batch = feed.poll()
    done = list(batch)[:2]

    assert batch.ack(done) == 2

    assert [c.id for c in feed.pending()] == [c.id for c in list(batch)[2:]]


def test_a_poll_that_fails_midway_leaves_the_state_as_it_was(
    fake: FakeTenant, client: RecruitingClient, state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = _settled(client, state)
    target = _upcoming(client)[0]
    fake.dataset.move_interview(target.interview.wid or "", timedelta(hours=1))

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("killed between reading Workday and committing")

    with monkeypatch.context() as patch:
        patch.setattr(SQLiteFeedStore, "commit", crash)
        with pytest.raises(ConnectionError):
            feed.poll()
    assert len(feed.pending()) == 0

    batch = client.interviews.feed(state).poll()  # as a restarted process would
    assert batch and {c.kind for c in batch} == {"rescheduled"}
    assert len({c.session_wid for c in batch}) == len(batch)


def test_a_second_poller_on_the_same_state_is_refused_while_the_first_polls(
    client: RecruitingClient, state: Path
) -> None:
    holder = SQLiteFeedStore(state, tenant=client.tenant)
    assert holder.acquire("another-worker", ttl=60)
    feed = client.interviews.feed(state)

    with pytest.raises(FeedLockedError, match="another poller"):
        feed.poll()

    holder.release("another-worker")
    assert len(feed.poll()) > 0


def test_an_expired_lease_is_taken_over_and_the_stale_poller_cannot_commit(
    client: RecruitingClient, state: Path
) -> None:
    stale = SQLiteFeedStore(state, tenant=client.tenant)
    assert stale.acquire("stalled-worker", ttl=-1)  # already expired: the worker died mid-poll
    feed = client.interviews.feed(state)
    assert len(feed.poll()) > 0  # taken over

    assert stale.acquire("stalled-worker", ttl=60)
    with pytest.raises(FeedLockedError):
        feed.poll()


def test_a_poll_longer_than_the_lease_renews_it_and_commits(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    fake.latency = 0.05  # the first poll's ~15 requests outlast a 0.3 s lease several times over
    feed = client.interviews.feed(state, lease_ttl=0.3)

    batch = feed.poll()

    assert len(batch) > 0  # committed: without renewal the lease would have expired before the commit
    assert SQLiteFeedStore(state, tenant=client.tenant).lease_holder() is None  # and released after


def test_state_in_memory_works_within_the_process(client: RecruitingClient) -> None:
    feed = client.interviews.feed(None)
    assert len(feed.poll()) > 0
    feed.pending().ack()
    assert len(feed.poll()) == 0


# -- bad state ---------------------------------------------------------------------------------------------------


def test_a_corrupt_state_file_is_refused_and_left_untouched(client: RecruitingClient, state: Path) -> None:
    state.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    before = state.read_bytes()

    with pytest.raises(FeedStateError, match="cannot be read") as caught:
        client.interviews.feed(state).poll()

    assert "Move it aside" in str(caught.value)
    assert state.read_bytes() == before


def test_a_state_written_by_a_newer_sdk_is_refused(client: RecruitingClient, state: Path) -> None:
    client.interviews.feed(state).poll()
    with sqlite3.connect(state) as conn:
        conn.execute("UPDATE feed_schema SET version = ?", (SCHEMA_VERSION + 1,))
    conn.close()

    with pytest.raises(FeedStateError, match="newer"):
        client.interviews.feed(state).poll()


def test_a_corrupt_change_in_the_outbox_is_a_clear_error(client: RecruitingClient, state: Path) -> None:
    client.interviews.feed(state).poll()
    with sqlite3.connect(state) as conn:
        conn.execute("UPDATE feed_outbox SET body = ? WHERE seq = 1", (b"garbage",))
    conn.close()

    pending = client.interviews.feed(state).pending()
    assert len(pending) > 1
    with pytest.raises(FeedStateError, match="outbox is corrupt"):
        pending[0]
    assert pending[1].kind == "scheduled"  # the others are still readable


def test_another_tenants_store_is_refused(client: RecruitingClient, state: Path) -> None:
    with pytest.raises(ConfigurationError, match="tenant"):
        client.interviews.feed(SQLiteFeedStore(state, tenant="globex"))


def test_a_state_path_in_a_missing_directory_is_a_clear_error(client: RecruitingClient, tmp_path: Path) -> None:
    with pytest.raises(FeedStateError, match="does not exist"):
        client.interviews.feed(tmp_path / "nowhere" / "feed.sqlite").poll()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "days"),
        ({"days": float("nan")}, "days"),
        ({"reconcile_every": timedelta(0)}, "reconcile_every"),
        ({"strategy": "psychic"}, "strategy"),
        ({"stages": []}, "stages"),
        ({"lease_ttl": 0}, "lease_ttl"),
    ],
)
def test_malformed_arguments_are_refused_before_any_request(
    fake: FakeTenant, client: RecruitingClient, kwargs: dict[str, Any], message: str
) -> None:
    before = len(fake.requests)
    with pytest.raises(ConfigurationError, match=message):
        client.interviews.feed(None, **kwargs)
    assert len(fake.requests) == before


# -- what a change carries ---------------------------------------------------------------------------------------


def test_the_payload_is_versioned_json_with_offsets_and_no_secret(
    fake: FakeTenant, client: RecruitingClient, state: Path
) -> None:
    feed = _settled(client, state)
    target = _upcoming(client)[0]
    fake.dataset.move_interview(target.interview.wid or "", timedelta(hours=1))
    change: InterviewChange = feed.poll()[0]

    payload = change.to_payload()

    assert payload["schema"] == PAYLOAD_SCHEMA
    assert payload["id"] == change.id and payload["type"] == "interview.rescheduled"
    assert payload["tenant"] == client.tenant
    data = payload["data"]
    assert datetime.fromisoformat(data["start"]).utcoffset() is not None
    assert data["previous"]["start"] == target.start.isoformat()
    assert data["changed"] == ["start", "end"]
    assert data["candidate"]["id"] == target.candidate.candidate_id
    assert data["interviewers"] and all("name" in p for p in data["interviewers"])
    text = change.to_json()
    assert fake.password not in text and "\n" not in text
    assert repr(change).startswith("InterviewChange(") or "rescheduled" in repr(change)


# -- both undocumented behaviours of Workday -------------------------------------------------------------------


@pytest.mark.parametrize("stamps", [True, False], ids=["logged", "not-logged"])
def test_a_cancellation_omitted_from_get_interviews_is_found_by_the_re_read(
    fake_tenant_factory: Factory, tmp_path: Path, stamps: bool
) -> None:
    fake = fake_tenant_factory(candidates=300, cancelled_interviews="omitted", interview_changes_stamp_candidate=stamps)
    with _client(fake) as client:
        feed = _settled(client, tmp_path / "f.sqlite", reconcile_every=None)
        target = _upcoming(client)[0]
        fake.dataset.update_interview(target.interview.wid or "", status="cancelled")
        before = len(fake.requests)

        batch = feed.poll()

    assert {c.kind for c in batch} == {"cancelled"}
    assert {c.interview_wid for c in batch} == {target.interview.wid}
    if not stamps:  # nothing logged: the batched re-read alone saw it (halving the refused batch)
        assert _ops(fake, before)["Get_Web_Conference_Interview_Data"] == 0


def test_a_cancellation_kept_in_get_interviews_and_not_logged_waits_for_the_reconcile(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    fake = fake_tenant_factory(candidates=300, cancelled_interviews="kept", interview_changes_stamp_candidate=False)
    with _client(fake) as client:
        feed = _settled(client, tmp_path / "f.sqlite", reconcile_every=None)
        target = _upcoming(client)[0]
        fake.dataset.update_interview(target.interview.wid or "", status="cancelled")

        assert len(feed.poll()) == 0  # Workday shows it nowhere the cheap path looks
        batch = feed.poll(reconcile=True)

    assert {c.kind for c in batch} == {"cancelled"}
    assert {c.interview_wid for c in batch} == {target.interview.wid}


@pytest.mark.parametrize("names", ["event", "application", "candidate"])
def test_the_feed_places_events_whatever_the_listing_names(
    fake_tenant_factory: Factory, tmp_path: Path, names: str
) -> None:
    fake = fake_tenant_factory(candidates=300, interview_data_names=names)
    with _client(fake) as client:
        expected = {(s.session.wid, s.candidate.candidate_id) for s in _upcoming(client)}
        batch = client.interviews.feed(tmp_path / "f.sqlite").poll()
    assert {(c.session_wid, c.candidate.candidate_id) for c in batch} == expected


# -- against the fake's own ground truth -----------------------------------------------------------------------


def _truth(fake: FakeTenant, days: float, margin: timedelta) -> dict[str, tuple[datetime, datetime, tuple[str, ...]]]:
    """What the fake holds: every session of an event in progress starting in the window (read from its data set)."""
    ds = fake.dataset
    now = ds.clock() + margin
    horizon = ds.clock() + timedelta(days=days)
    truth = {}
    for wid in ds.interview_wids():
        record = ds.find_interview(wid)
        if record is None or record.status != "in_progress":
            continue
        for s in record.sessions:
            if now <= s.start < horizon:
                truth[s.wid] = (s.start, s.end, tuple(sorted(s.interviewer_ids)))
    return truth


def _apply(view: dict[str, tuple[datetime, datetime, tuple[str, ...]]], batch: Any) -> None:
    """Apply a batch of changes to a consumer's view, as a consumer would."""
    for change in batch:
        if change.kind == "cancelled":
            view.pop(change.session_wid or "", None)
        else:
            view[change.session_wid or ""] = (change.start, change.end, change.values.interviewers)
    batch.ack()


def _in_window(view: dict[str, Any], fake: FakeTenant, margin: timedelta) -> dict[str, Any]:
    now = fake.dataset.clock() + margin
    return {wid: v for wid, v in view.items() if v[0] >= now}


MODES = [
    pytest.param(
        {"lists_all_interviews": la, "interview_changes_stamp_candidate": st, "cancelled_interviews": ca},
        id=f"{'listing' if la else 'scan'}-{'logged' if st else 'unlogged'}-{ca}",
    )
    for la in (True, False)
    for st in (True, False)
    for ca in ("kept", "omitted")
] + [pytest.param({"interview_data_names": names}, id=f"names-{names}") for names in ("event", "candidate")]


@pytest.mark.parametrize("mode", MODES)
def test_the_feed_equals_the_fakes_ground_truth_after_every_kind_of_change_across_restarts(
    fake_tenant_factory: Factory, tmp_path: Path, mode: dict[str, Any]
) -> None:
    fake = fake_tenant_factory(candidates=200, **mode)
    logged = mode.get("interview_changes_stamp_candidate", True)
    omitted = mode.get("cancelled_interviews", "kept") == "omitted"
    margin, days, state = timedelta(minutes=5), 14.0, tmp_path / "feed.sqlite"
    view: dict[str, tuple[datetime, datetime, tuple[str, ...]]] = {}
    ds = fake.dataset

    def poll(*, visible: bool) -> None:
        with _client(fake) as client:  # a new client and a new feed each time: a restarted process
            feed = client.interviews.feed(state, days=days, reconcile_every=None)
            _apply(view, feed.poll(reconcile=not visible))  # what the cheap path cannot see waits for a reconcile
            feed.close()
        assert _in_window(view, fake, margin) == _truth(fake, days, margin)

    poll(visible=False)  # the first poll is a reconcile anyway
    events = sorted(
        {
            w
            for w in ds.interview_wids()
            if (r := ds.find_interview(w))
            and r.status == "in_progress"
            and any(s.start > ds.clock() + margin for s in r.sessions)
        }
    )
    assert len(events) >= 4, "the fake should hold a few upcoming events"

    start = (ds.clock() + timedelta(days=2)).replace(microsecond=0)
    ds.add_interview(open_interview_application(fake), [(start, start + timedelta(hours=1), ["21001"])])
    poll(visible=logged)  # scheduled

    fake.dataset.move_interview(events[0], timedelta(hours=2))
    poll(visible=True)  # rescheduled: the re-read sees it

    record = ds.find_interview(events[1])
    assert record is not None
    swapped = tuple(attrs.evolve(s, interviewer_ids=("21002",)) for s in record.sessions)
    ds.update_interview(record.wid, sessions=swapped)
    poll(visible=True)  # updated (interviewers)

    ds.update_interview(events[2], status="cancelled")
    poll(visible=logged or omitted)  # cancelled
