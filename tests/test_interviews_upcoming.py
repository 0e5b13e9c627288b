"""interviews.list() and the strategies of interviews.upcoming(): the same sessions as the full fan-out, far cheaper."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree

from workday_recruiting import RecruitingClient, ValidationError
from workday_recruiting._errors import ValidationIssue
from workday_recruiting._ns import wd
from workday_recruiting.testing import FakeTenant, _render

Factory = Callable[..., FakeTenant]
Key = tuple[str | None, Any, str | None, str | None]


def _client(fake: FakeTenant) -> RecruitingClient:
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password)


def _keys(found: list[Any]) -> list[Key]:
    return sorted((s.session.wid, s.start, s.candidate.candidate_id, s.application.application_id) for s in found)


def _ops(fake: FakeTenant) -> Counter[str | None]:
    return Counter(r.operation for r in fake.requests.snapshot())


@pytest.fixture
def names_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake's events also name their candidate and requisition (a second, schema-valid ``Interview_Data``)."""
    original = _render.render_interview

    def render(rec: Any, ds: Any, **kwargs: Any) -> etree._Element:
        element = original(rec, ds, **kwargs)
        data = etree.SubElement(element, wd("Interview_Data"))
        criteria = etree.SubElement(data, wd("Candidate_Interview_Criteria_Data"))
        for tag, id_type, value in (
            ("Candidate_Reference", "Candidate_ID", rec.candidate_id),
            ("Requisition_Reference", "Job_Requisition_ID", rec.requisition_id),
        ):
            reference = etree.SubElement(criteria, wd(tag))
            etree.SubElement(reference, wd("ID"), {wd("type"): id_type}).text = value
        zone = etree.SubElement(data, wd("Timezone_Reference"))
        etree.SubElement(zone, wd("ID"), {wd("type"): "Time_Zone_ID"}).text = rec.time_zone
        return element

    monkeypatch.setattr(_render, "render_interview", render)


def _compare(fake: FakeTenant, **kwargs: Any) -> tuple[list[Key], Counter[str | None], Counter[str | None]]:
    """The full fan-out's sessions, and the requests of each strategy; asserts the default one finds the same."""
    start = fake.dataset.now
    window = {"start": start, "end": start + timedelta(days=14), "meeting_links": False, **kwargs}
    with _client(fake) as client:
        fake.requests.clear()
        full = _keys(client.interviews.upcoming(strategy="scan_all", **window))
        full_ops = _ops(fake)
        fake.requests.clear()
        found = _keys(client.interviews.upcoming(**window))
        ops = _ops(fake)
    assert full, "the data set should have sessions in the window"
    assert found == full
    return full, full_ops, ops


@pytest.mark.parametrize("lists", [True, False])
def test_upcoming_equals_the_full_fan_out(fake_tenant_factory: Factory, lists: bool) -> None:
    """Listing or refusing, upcoming() finds the fan-out's sessions with a fraction of its Get_Interviews."""
    fake = fake_tenant_factory(candidates=300, lists_all_interviews=lists)
    _, full_ops, ops = _compare(fake)
    assert ops["Get_Interviews"] * 4 < full_ops["Get_Interviews"]


def test_a_listing_naming_candidates_sends_no_per_application_request(
    fake_tenant_factory: Factory, names_candidates: None
) -> None:
    """Events naming their candidate: the listing's pages and one batched Get_Candidates, nothing per application."""
    fake = fake_tenant_factory(candidates=300, lists_all_interviews=True)
    _, full_ops, ops = _compare(fake)
    per_application = [r for r in fake.requests.of("Get_Interviews") if b"Request_Criteria" in r.body]
    assert per_application == [] and ops["Get_Interviews"] <= 2
    assert ops["Get_Candidates"] == 1
    assert full_ops["Get_Interviews"] > 100 * ops["Get_Interviews"]


def test_the_listing_filters_by_stage_and_requisition_like_the_scan(
    fake_tenant_factory: Factory, names_candidates: None
) -> None:
    """stage= and requisition= keep what the fan-out over the narrowed candidates keeps."""
    fake = fake_tenant_factory(candidates=300, lists_all_interviews=True)
    _compare(fake, stage="INTERVIEW")


@pytest.mark.parametrize("lists", [True, False])
def test_upcoming_equals_the_full_fan_out_on_an_enterprise_tenant(fake_tenant_factory: Factory, lists: bool) -> None:
    """On years of history, the narrowed scan and the listing find what the fan-out finds."""
    fake = fake_tenant_factory(candidates=2_000, profile="enterprise", lists_all_interviews=lists)
    _, full_ops, ops = _compare(fake)
    assert ops["Get_Interviews"] * 10 < full_ops["Get_Interviews"]


def test_the_refusal_is_probed_once_and_logged_once_at_info(
    fake_tenant_factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    """A refusing tenant: the first call probes, falls back and says so once; later calls do not ask again."""
    fake = fake_tenant_factory(candidates=100, lists_all_interviews=False)
    start = fake.dataset.now
    with _client(fake) as client, caplog.at_level(logging.INFO, logger="workday_recruiting"):
        before = client.interviews.lists_all
        first = client.interviews.upcoming(start=start, days=14, meeting_links=False)
        assert before is None and client.interviews.lists_all is False
        fake.requests.clear()
        second = client.interviews.upcoming(start=start, days=14, meeting_links=False)
        probes = [r for r in fake.requests.of("Get_Interviews") if b"Request_Criteria" not in r.body]
        assert probes == []
        with pytest.raises(ValidationError):
            list(client.interviews.list())
    assert _keys(first) == _keys(second)
    notes = [r for r in caplog.records if "does not list interview events" in r.getMessage()]
    assert len(notes) == 1 and notes[0].levelno == logging.INFO


def test_a_listing_tenant_is_remembered(fake_tenant_factory: Factory) -> None:
    """list() pages every event, pinned; upcoming() marks the tenant as listing."""
    fake = fake_tenant_factory(candidates=100, lists_all_interviews=True)
    with _client(fake) as client:
        events = list(client.interviews.list(page_size=10))
        assert len({e.wid for e in events}) == len(events) > 10
        client.interviews.upcoming(days=14, meeting_links=False)
        assert client.interviews.lists_all is True
        again = client.interviews.get_many(events[:3])
        assert [e.wid for e in again] == [e.wid for e in events[:3]]


def test_another_validation_fault_is_not_taken_for_a_refusal(
    fake_tenant_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validation fault that does not say criteria are required propagates, and the tenant stays unprobed."""
    fake = fake_tenant_factory(candidates=50, lists_all_interviews=True)
    with _client(fake) as client:
        service = client.interviews

        def refuse(**_: Any) -> Any:
            raise ValidationError(
                "Validation error occurred. Invalid page number.",
                issues=(ValidationIssue(message="Invalid page number.", xpath="/Response_Filter/Page"),),
            )

        monkeypatch.setattr(service, "list", refuse)
        with pytest.raises(ValidationError, match="Invalid page number"):
            service.upcoming(days=14, meeting_links=False)
        assert service.lists_all is None


def test_strategy_listing_on_a_refusing_tenant_raises(fake_tenant_factory: Factory) -> None:
    """strategy="listing" never falls back: the refusal is the caller's to see."""
    fake = fake_tenant_factory(candidates=50, lists_all_interviews=False)
    with _client(fake) as client, pytest.raises(ValidationError):
        client.interviews.upcoming(days=14, strategy="listing", meeting_links=False)


def test_an_application_with_two_listed_events_has_both_placed_by_the_stage_scan(
    fake_tenant_factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    """Events naming their application are placed as the stage scan passes it, however many one application has."""
    fake = fake_tenant_factory(candidates=300, interview_data_names="application")
    with _client(fake) as client:
        first = client.interviews.upcoming(days=14, meeting_links=False)[0]
        application = first.application.application_id or ""
        start = (fake.dataset.clock() + timedelta(days=3)).replace(microsecond=0)
        second = fake.dataset.add_interview(application, [(start, start + timedelta(hours=1), ["21001"])])
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="workday_recruiting"):
            found = client.interviews.upcoming(days=14, meeting_links=False, strategy="listing")

    events = {s.interview.wid for s in found if s.application.application_id == application}
    assert {first.interview.wid, second.wid} <= events
    assert not any("scanning every application" in r.getMessage() for r in caplog.records)
