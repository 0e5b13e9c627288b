"""Contract tests: cassettes recorded from FakeTenant, replayed with no server (replay-only unless re-recording).

Re-record with ``WORKDAY_RECORD_CASSETTES=1 pytest tests/test_contract.py``. The cassettes are scrubbed: no password,
token or personal data is written (see ``workday_recruiting.testing.cassettes``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workday_recruiting import AuthenticationError, NotFoundError, RecruitingClient, RetryPolicy
from workday_recruiting.testing import FakeTenant
from workday_recruiting.testing.cassettes import use_cassette

CASSETTES = Path(__file__).parent / "cassettes"
RECORD = os.environ.get("WORKDAY_RECORD_CASSETTES") == "1"
#: Where the replayed client points: nothing listens there; the matcher ignores host and port.
REPLAY_URL = "http://127.0.0.1:9/ccx/service/acme/Recruiting?wsdl"
FIXED_NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
RECORDED_PASSWORD = "Recorded-Pa55word!"


@pytest.fixture
def contract(
    request: pytest.FixtureRequest, fake_tenant_factory: Callable[..., FakeTenant]
) -> Iterator[Callable[..., RecruitingClient]]:
    """Yields a client factory whose traffic goes to (or comes from) this test's cassette."""
    path = CASSETTES / f"{request.node.name}.yaml"
    if RECORD:
        fake = fake_tenant_factory(candidates=30, seed=11, now=FIXED_NOW)
        fake.add_isu("ISU_Contract", RECORDED_PASSWORD)
        url, mode = fake.wsdl_url, "all"
    else:
        if not path.exists():
            pytest.fail(f"missing cassette {path.name}: record it with WORKDAY_RECORD_CASSETTES=1")
        url, mode = REPLAY_URL, "none"

    def make(password: str = RECORDED_PASSWORD) -> RecruitingClient:
        return RecruitingClient(
            wsdl_url=url,
            username="ISU_Contract",
            password=password,
            max_concurrency=1,
            retry=RetryPolicy(attempts=1),
        )

    with use_cassette(path, record_mode=mode):
        yield make


def test_candidates_page(contract: Callable[..., RecruitingClient]) -> None:
    """A page of candidates parses to typed models; personal data in the cassette is pseudonymous."""
    with contract() as client:
        pager = client.candidates.list(page_size=5, max_results=5)
        candidates = list(pager)
    assert [c.candidate_id for c in candidates] == [f"CAND-{n}" for n in range(1001, 1006)]
    assert pager.total_results == 30
    for candidate in candidates:
        assert candidate.applications
        if RECORD:
            continue  # the live response is real; only what is written to the cassette is scrubbed
        assert candidate.primary_email is None or candidate.primary_email.endswith("@example.invalid")
        assert candidate.legal_name is not None and candidate.legal_name.first is not None
        assert candidate.legal_name.first.startswith("first-")


def test_candidate_by_id_and_missing(contract: Callable[..., RecruitingClient]) -> None:
    """get() by Candidate_ID replays; an unknown ID is NotFoundError."""
    with contract() as client:
        candidate = client.candidates.get("CAND-1003")
        assert candidate.candidate_id == "CAND-1003"
        with pytest.raises(NotFoundError):
            client.candidates.get("CAND-999999")


def test_requisitions(contract: Callable[..., RecruitingClient]) -> None:
    """Requisitions with roles replay into typed models."""
    with contract() as client:
        requisitions = list(client.requisitions.list(page_size=10))
    assert requisitions
    assert all(r.requisition_id and r.requisition_id.startswith("R-") for r in requisitions)
    assert any(r.recruiters for r in requisitions) and any(r.hiring_managers for r in requisitions)


def test_interviews_of_a_requisition(contract: Callable[..., RecruitingClient]) -> None:
    """Interview events of a requisition's applications replay with aware session times."""
    with contract() as client:
        applications = list(client.job_applications.list(requisition="R-00001"))
        events = [event for app in applications for event in client.interviews.for_application(app)]
    assert applications
    assert all(s.start.tzinfo is not None for e in events for s in e.sessions)


def test_bad_password_fault(contract: Callable[..., RecruitingClient]) -> None:
    """Workday's authentication fault replays as AuthenticationError."""
    with contract(password="definitely-wrong") as client, pytest.raises(AuthenticationError):
        client.server_time()


def test_cassettes_hold_no_secrets() -> None:
    """No recorded cassette holds the password, and every password element is redacted."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CASSETTES.glob("*.yaml"))]
    assert texts, "no cassettes recorded"
    for text in texts:
        assert RECORDED_PASSWORD not in text
        assert "definitely-wrong" not in text
        if "Password" in text:
            assert "REDACTED" in text
