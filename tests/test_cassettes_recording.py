"""Recording cassettes at the client's default concurrency: every interaction is kept, and replay needs no server.

The client prefetches pages and fans out interview requests ``max_concurrency`` (4) at a time. vcrpy swaps urllib3's
connection classes process-wide and briefly puts the real ones back (``vcr.patch.force_reset``) while one thread
sends a live request; a connection another thread opened in that window bypassed the cassette, so its interaction
was sent but never recorded. These tests record through real threads against FakeTenant, compare what the fake
served with what the cassette holds, close the fake and replay with ``record_mode="none"``.

Recording also logs (vcrpy's ``vcr.*`` loggers at INFO and DEBUG) before the scrubbing hooks have run on the
response: while a cassette made by the SDK's helpers is active, those records hold no secret and no personal data.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import urllib3.connectionpool
import vcr.patch
import yaml

from workday_recruiting import RecruitingClient, RetryPolicy
from workday_recruiting._client import DEFAULT_CONCURRENCY
from workday_recruiting.testing import FakeTenant, OAuthClient
from workday_recruiting.testing.cassettes import make_vcr, use_cassette

Factory = Callable[..., FakeTenant]
#: Where the replaying client points: nothing listens there (the matcher ignores host and port).
REPLAY_URL = "http://127.0.0.1:9/ccx/service/acme/Recruiting?wsdl"
FIXED_NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
RETRY = RetryPolicy(attempts=1)
OPERATIONS = ("Get_Candidates", "Get_Interviews", "Get_Web_Conference_Interview_Data")
POOL_METHODS = ("_get_conn", "_new_conn")
VCR_LOGGERS = ("vcr", "vcr.cassette", "vcr.stubs", "vcr.matchers", "vcr.request", "vcr.patch", "vcr.config")


def interactions(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = data["interactions"]
    return found


def recorded_operations(path: Path) -> Counter[str]:
    """How many interactions of each SOAP operation (or ``"other"``) the cassette holds."""
    counts: Counter[str] = Counter()
    for interaction in interactions(path):
        body = interaction["request"]["body"] or b""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        operation = next((name for name in OPERATIONS if name in text), "other")
        counts[operation] += 1
    return counts


def served_operations(fake: FakeTenant) -> Counter[str]:
    return Counter(record.operation or "other" for record in fake.requests)


def replay_client() -> RecruitingClient:
    return RecruitingClient(wsdl_url=REPLAY_URL, username="ISU_Replay", password="not-the-recorded-one", retry=RETRY)


def live_client(fake: FakeTenant) -> RecruitingClient:
    client = RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=RETRY)
    assert client.max_concurrency == DEFAULT_CONCURRENCY > 1  # the default, concurrent
    return client


# -- every interaction is recorded, and the recording replays ------------------------------------------------------


def test_a_30_page_listing_is_recorded_whole_and_replays(fake_tenant_factory: Factory, tmp_path: Path) -> None:
    """30 pages read with prefetch at the default concurrency: 30 interactions recorded, replayed with no server."""
    path = tmp_path / "listing.yaml"
    fake = fake_tenant_factory(candidates=60, now=FIXED_NOW)
    with use_cassette(path, record_mode="all"), live_client(fake) as client:
        recorded = [c.candidate_id for c in client.candidates.list(page_size=2)]
    served = served_operations(fake)
    fake.close()

    assert len(recorded) == 60
    assert served == Counter({"Get_Candidates": 30})
    assert recorded_operations(path) == served

    with use_cassette(path, record_mode="none"), replay_client() as client:
        assert client.max_concurrency == DEFAULT_CONCURRENCY
        replayed = [c.candidate_id for c in client.candidates.list(page_size=2)]
    assert replayed == recorded


def test_upcoming_is_recorded_whole_and_replays(fake_tenant_factory: Factory, tmp_path: Path) -> None:
    """upcoming()'s full fan-out (``strategy="scan_all"``: one Get_Interviews per application, 4 at a time): every
    request it sent is in the cassette and replays."""
    path = tmp_path / "upcoming.yaml"
    fake = fake_tenant_factory(candidates=60, now=FIXED_NOW)
    window = {"start": FIXED_NOW, "end": FIXED_NOW + timedelta(days=30)}

    def rows(client: RecruitingClient) -> list[tuple[str | None, str, str | None, str | None]]:
        return [
            (s.session.wid, s.start.isoformat(), s.candidate.candidate_id, s.meeting_url)
            for s in client.interviews.upcoming(**window, strategy="scan_all")
        ]

    with use_cassette(path, record_mode="all"), live_client(fake) as client:
        recorded = rows(client)
    served = served_operations(fake)
    fake.close()

    assert recorded, "the window holds no interview"
    assert served["Get_Interviews"] > 50  # one per application: plenty of concurrent requests
    assert recorded_operations(path) == served
    assert len(interactions(path)) == sum(served.values())

    with use_cassette(path, record_mode="none"), replay_client() as client:
        assert rows(client) == recorded


def test_make_vcr_decorator_records_every_page(fake_tenant_factory: Factory, tmp_path: Path) -> None:
    """The VCR from make_vcr (here as a decorator) records and replays concurrent traffic the same way."""
    fake = fake_tenant_factory(candidates=60, now=FIXED_NOW)
    recorder = make_vcr(record_mode="all", cassette_dir=tmp_path)

    @recorder.use_cassette("decorated.yaml")
    def record() -> list[str | None]:
        with live_client(fake) as client:
            return [c.candidate_id for c in client.candidates.list(page_size=2)]

    recorded = record()
    served = served_operations(fake)
    fake.close()
    assert recorded_operations(tmp_path / "decorated.yaml") == served == Counter({"Get_Candidates": 30})

    with make_vcr(cassette_dir=tmp_path).use_cassette("decorated.yaml"), replay_client() as client:
        assert [c.candidate_id for c in client.candidates.list(page_size=2)] == recorded


def patched_state() -> dict[str, Any]:
    """What the cassette helpers patch while a cassette is open (vcrpy's reset, urllib3's pools, vcrpy's loggers)."""
    pools = (urllib3.connectionpool.HTTPConnectionPool, urllib3.connectionpool.HTTPSConnectionPool)
    state: dict[str, Any] = {"force_reset": vcr.patch.force_reset}
    state.update({f"{pool.__name__}.{name}": vars(pool).get(name) for pool in pools for name in POOL_METHODS})
    state.update({name: list(logging.getLogger(name).filters) for name in VCR_LOGGERS})
    return state


def test_nothing_outlives_the_cassette(fake_tenant_factory: Factory, tmp_path: Path) -> None:
    """vcrpy, urllib3 and vcrpy's loggers are as they were once the cassette closes (also when the block raised)."""
    before = patched_state()
    fake = fake_tenant_factory(candidates=5)

    def raising() -> None:
        with use_cassette(tmp_path / "raised.yaml", record_mode="all"):
            assert patched_state()["force_reset"] is not before["force_reset"]
            with live_client(fake) as client:
                client.server_time()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        raising()
    assert patched_state() == before
    with use_cassette(tmp_path / "outer.yaml", record_mode="all"):
        inside = patched_state()
        with use_cassette(tmp_path / "inner.yaml", record_mode="all"), live_client(fake) as client:
            client.server_time()
        assert patched_state() == inside
    assert patched_state() == before
    assert len(interactions(tmp_path / "raised.yaml")) == 1  # vcrpy's record_on_exception still applies
    assert len(interactions(tmp_path / "inner.yaml")) == 1


# -- recording logs no secret and no personal data ---------------------------------------------------------------


class Issued:
    """Every OAuth access token the fake issues."""

    def __init__(self, fake: FakeTenant) -> None:
        self.tokens: list[str] = []
        issue = fake.issue_access_token

        def recording(client: OAuthClient) -> str:
            token = issue(client)
            self.tokens.append(token)
            return token

        fake.issue_access_token = recording  # type: ignore[method-assign]


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Every logger at DEBUG into a buffer on the root logger (message, args and exception text)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    names = ("", *VCR_LOGGERS, "urllib3", "workday_recruiting")
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield buffer
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("kind", ["isu", "oauth"])
def test_recording_logs_no_secret_and_no_personal_data(
    fake_tenant_factory: Factory,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    debug_log: io.StringIO,
    kind: str,
) -> None:
    """Recording (and replaying) at DEBUG: no password, token, client secret, email or name in any log line."""
    caplog.set_level(logging.DEBUG)
    fake = fake_tenant_factory(candidates=20, now=FIXED_NOW)
    issued = Issued(fake)
    oauth = fake.oauth_client
    if kind == "isu":
        client = live_client(fake)
    else:
        client = RecruitingClient.from_oauth(
            wsdl_url=fake.wsdl_url,
            client_id=oauth.client_id,
            client_secret=oauth.client_secret,
            refresh_token=oauth.refresh_token,
            retry=RETRY,
        )
    people = list(fake.dataset.iter_candidates())
    personal = {email for record in people for email in record.emails} | {
        f"{record.first_name} {record.last_name}" for record in people
    }
    path = tmp_path / f"{kind}.yaml"

    def session(client: RecruitingClient) -> list[tuple[str | None, ...]]:
        listed = [(c.candidate_id, c.wid) for c in client.candidates.list(page_size=3)]
        window = {"start": FIXED_NOW, "end": FIXED_NOW + timedelta(days=30)}
        return listed + [(s.session.wid, s.meeting_url) for s in client.interviews.upcoming(**window)]

    with use_cassette(path, record_mode="all"), client:
        recorded = session(client)
    with use_cassette(path, record_mode="none"), replay_client() as replayer:
        assert session(replayer) == recorded

    vcr_records = [record for record in caplog.records if record.name.split(".")[0] == "vcr"]
    assert any("Appending request" in record.getMessage() for record in vcr_records), "vcrpy logged nothing"
    assert any("Playing response" in record.getMessage() for record in vcr_records), "vcrpy logged no replay"
    texts = [caplog.text, debug_log.getvalue(), *(repr(record.args) for record in caplog.records)]
    text = "\n".join(texts)
    secrets = {fake.password, oauth.client_secret, oauth.refresh_token, *issued.tokens}
    assert kind == "isu" or issued.tokens, "no access token was issued"
    assert sorted(secret for secret in secrets if secret in text) == []
    assert sorted(value for value in personal if value and value in text) == []


def test_recorded_searches_replay(
    fake_tenant_factory: Factory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Searches by email and by name replay: a recorded filter is a pseudonym, and matches the live one again.

    vcrpy scrubs every interaction it loads once more, and the matcher scrubs both sides again: pseudonyms are
    their own pseudonyms, so the recorded filter still equals the scrubbed live one. vcrpy's log records of the
    searches hold neither the email nor the name.
    """
    caplog.set_level(logging.DEBUG, logger="vcr")
    fake = fake_tenant_factory(candidates=20, now=FIXED_NOW)
    person = list(fake.dataset.iter_candidates())[3]
    path = tmp_path / "searches.yaml"

    def searches(client: RecruitingClient) -> list[list[str | None]]:
        return [
            [c.candidate_id for c in client.candidates.list(email=person.emails[0])],
            [c.candidate_id for c in client.candidates.list(name=(person.first_name, person.last_name))],
        ]

    with use_cassette(path, record_mode="all"), live_client(fake) as client:
        recorded = searches(client)
    assert recorded[0] and recorded[1]
    with use_cassette(path, record_mode="none"), replay_client() as replayer:
        assert searches(replayer) == recorded
    vcr_text = "\n".join(r.getMessage() for r in caplog.records if r.name.split(".")[0] == "vcr")
    assert "Appending request" in vcr_text
    assert person.emails[0] not in vcr_text and person.last_name not in vcr_text
