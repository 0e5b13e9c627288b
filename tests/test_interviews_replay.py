"""upcoming() on its default strategy records into a cassette and replays, in both listing modes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from test_cassettes_recording import (
    FIXED_NOW,
    Factory,
    interactions,
    live_client,
    recorded_operations,
    replay_client,
    served_operations,
)
from workday_recruiting import RecruitingClient
from workday_recruiting.testing.cassettes import use_cassette


@pytest.mark.parametrize("lists", [True, False])
def test_upcoming_with_the_probe_is_recorded_whole_and_replays(
    fake_tenant_factory: Factory, tmp_path: Path, lists: bool
) -> None:
    """The probe, its fallback and the batched reads are all in the cassette; replaying gives the same sessions."""
    path = tmp_path / "upcoming.yaml"
    fake = fake_tenant_factory(candidates=60, now=FIXED_NOW, lists_all_interviews=lists)
    window = {"start": FIXED_NOW, "end": FIXED_NOW + timedelta(days=30)}

    def rows(client: RecruitingClient) -> list[tuple[str | None, str, str | None, str | None]]:
        return [
            (s.session.wid, s.start.isoformat(), s.candidate.candidate_id, s.meeting_url)
            for s in client.interviews.upcoming(**window)  # type: ignore[arg-type]
        ]

    with use_cassette(path, record_mode="all"), live_client(fake) as client:
        recorded = rows(client)
    served = served_operations(fake)
    fake.close()

    assert recorded, "the window holds no interview"
    assert recorded_operations(path) == served
    assert len(interactions(path)) == sum(served.values())
    with use_cassette(path, record_mode="none"), replay_client() as client:
        assert rows(client) == recorded
