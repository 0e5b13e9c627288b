"""Large pages: when Workday resets the connection for a big Count, the pager halves it, losing and repeating nothing.

FakeTenant's ``max_page_size`` resets the connection of any request whose ``Count`` is above it, as Workday aborts
requests that would return too much data. The pager's promise (``_paging.py``): after the transport's retries, page
*p* of size *c* is fetched again as pages *2p-1* and *2p* of size *c/2* (aligned to the same first record), with the
same ``As_Of_Entry_DateTime``, and later pages keep the smaller size.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from lxml import etree

from workday_recruiting import ConnectError, Pager, RecruitingClient, RetryPolicy, Timeout, TransportError
from workday_recruiting._paging import PageResult
from workday_recruiting.testing import FakeTenant

WD = "urn:com.workday/bsvc"
ATTEMPTS = 2
RETRY = RetryPolicy(attempts=ATTEMPTS, initial_backoff=0, max_backoff=0, jitter=0, deadline=120)
Factory = Callable[..., FakeTenant]


def sent_pages(fake: FakeTenant, *, every: bool = False) -> list[tuple[int, int, str]]:
    """(Page, Count, As_Of_Entry_DateTime) of every Get_Candidates request (``every``: and injected faults)."""
    pages = []
    for record in fake.requests if every else fake.requests.of("Get_Candidates"):
        root = etree.fromstring(record.body)
        pages.append(
            (
                int(root.findtext(f".//{{{WD}}}Page") or 0),
                int(root.findtext(f".//{{{WD}}}Count") or 0),
                root.findtext(f".//{{{WD}}}As_Of_Entry_DateTime") or "",
            )
        )
    return pages


def client_for(fake: FakeTenant, concurrency: int) -> RecruitingClient:
    return RecruitingClient(
        wsdl_url=fake.wsdl_url,
        username=fake.username,
        password=fake.password,
        retry=RETRY,
        max_concurrency=concurrency,
    )


def test_page_size_999_against_a_limit_of_200_halves_to_124(fake_tenant_factory: Factory) -> None:
    """Count 999 (reset), 499 (reset), 249 (reset), then 124 a page: 2,000 candidates once each, one As_Of."""
    fake = fake_tenant_factory(candidates=2000, max_page_size=200)
    with client_for(fake, concurrency=1) as client:
        pager = client.candidates.list(page_size=999)
        ids = [c.candidate_id for c in pager]
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    pages = sent_pages(fake)
    expected = [(1, 999)] * ATTEMPTS + [(1, 499)] * ATTEMPTS + [(1, 249)] * ATTEMPTS
    expected += [(page, 124) for page in range(1, -(-2000 // 124) + 1)]
    assert [(page, count) for page, count, _ in pages] == expected
    assert len({as_of for _, _, as_of in pages}) == 1
    assert {r.fault for r in fake.requests.of("Get_Candidates") if r.status is None} == {"connection_reset"}
    assert pager.page_size == 999 and pager.total_results == 2000


def test_prefetching_pager_also_gets_every_record_once(fake_tenant_factory: Factory) -> None:
    """With four pages in flight the halving still yields every record once, in order, all at one As_Of."""
    fake = fake_tenant_factory(candidates=2000, max_page_size=200)
    with client_for(fake, concurrency=4) as client:
        ids = [c.candidate_id for c in client.candidates.list(page_size=999)]
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    pages = sent_pages(fake)
    served = sorted(page for page, count, _ in pages if count == 124)
    assert served == list(range(1, 18))
    assert len({as_of for _, _, as_of in pages}) == 1


def test_a_limit_met_mid_stream_splits_page_p_into_2p_minus_1_and_2p(fake_tenant_factory: Factory) -> None:
    """Page 3 of 300 refused: pages 5 and 6 of 150 are asked for; refused again: pages 9 and 10 of 75 onwards."""
    fake = fake_tenant_factory(candidates=1000)
    with client_for(fake, concurrency=1) as client:
        pager = client.candidates.list(page_size=300)
        ids = []
        for page in pager.pages:
            ids.extend(c.candidate_id for c in page.items)
            if page.number == 2:
                fake.max_page_size = 100  # the tenant starts refusing big pages after two were served
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    asked = [(page, count) for page, count, _ in sent_pages(fake)]
    assert asked[:2] == [(1, 300), (2, 300)]
    assert asked[2:] == [(3, 300)] * ATTEMPTS + [(5, 150)] * ATTEMPTS + [(p, 75) for p in range(9, 14 + 1)]


@pytest.mark.parametrize(("limit", "size"), [(1, 7), (37, 999), (500, 640)])
def test_any_limit_any_size_exactly_once(fake_tenant_factory: Factory, limit: int, size: int) -> None:
    """Any limit, any page size: every record once, in order; once a size is served, no bigger one is tried."""
    fake = fake_tenant_factory(candidates=150 if limit == 1 else 1200, max_page_size=limit)
    with client_for(fake, concurrency=2) as client:
        ids = [c.candidate_id for c in client.candidates.list(page_size=size)]
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    counts = [count for _, count, _ in sent_pages(fake)]
    statuses = [r.status for r in fake.requests.of("Get_Candidates")]
    first_served = statuses.index(200)
    assert all(count <= limit for count in counts[first_served:]), "a refused size was asked for again"


def test_a_tenant_in_maintenance_is_not_halved_down_to_pages_of_one(fake_tenant_factory: Factory) -> None:
    """HTTP 503 on every request fails after one retry budget: a 503 says nothing about the page size."""
    fake = fake_tenant_factory(candidates=50, fault_rate=1.0, fault_kinds=["service_unavailable"])
    with client_for(fake, concurrency=1) as client, pytest.raises(TransportError) as info:
        list(client.candidates.list(page_size=100))
    assert info.value.http_status == 503
    assert [(page, count) for page, count, _ in sent_pages(fake, every=True)] == [(1, 100)] * ATTEMPTS


@pytest.mark.parametrize(
    ("failure", "halves"),
    [
        (ConnectError("the server closed the connection without a response"), True),
        (Timeout("no response within the read timeout"), True),
        (TransportError("Workday answered HTTP 504", http_status=504), True),
        (TransportError("Workday answered HTTP 503", http_status=503), False),
        (TransportError("Workday answered HTTP 502", http_status=502), False),
    ],
)
def test_only_size_like_failures_halve_the_page(failure: Exception, halves: bool) -> None:
    """Resets, timeouts and 504s (what a too-big page causes) halve the Count; a 502/503 is raised as it is."""
    asked: list[int] = []

    def fetch(page: int, count: int, as_of: datetime) -> PageResult[int]:
        asked.append(count)
        if count > 10:
            raise failure
        start = (page - 1) * count
        items = list(range(start, min(start + count, 40)))
        return PageResult(total_results=40, total_pages=-(-40 // count), page_results=len(items), items=items)

    pager = Pager(fetch, page_size=40, as_of=datetime(2026, 1, 1, tzinfo=timezone.utc))
    if halves:
        assert list(pager) == list(range(40))
        assert asked[:3] == [40, 20, 10]
    else:
        with pytest.raises(TransportError):
            list(pager)
        assert asked == [40]


def test_a_candidate_with_a_large_resume_attachment_is_read(
    fake_tenant_factory: Callable[..., FakeTenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A résumé of 9 MB is a base64 text node of 12 MB, over libxml2's 10 MB default limit for one text node: the
    client parses the page all the same (the response size cap still bounds it)."""
    from workday_recruiting.testing._dataset import Dataset

    real = Dataset.resume_file
    big = b"%PDF-1.4\n" + bytes(range(256)) * (9 * 1024 * 4)  # 9 MiB

    def large_first_resume(self: Dataset, candidate: object) -> tuple[str, str, bytes]:
        name, mime, content = real(self, candidate)  # type: ignore[arg-type]
        return (name, mime, big) if getattr(candidate, "index", None) == first else (name, mime, content)

    fake = fake_tenant_factory(candidates=30)
    first = next(c.index for c in fake.dataset.iter_candidates() if c.has_resume and c.applications)
    monkeypatch.setattr(Dataset, "resume_file", large_first_resume)
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        pager = client.candidates.list(attachments=True, page_size=30)
        page = next(pager.pages)
    assert len(page.items) == 30
    assert page.raw is not None
    sizes = [len(el.text or "") for el in page.raw.iter("{urn:com.workday/bsvc}File_Content")]
    assert max(sizes) > 10_000_000
    assert [c.candidate_id for c in page.items] == [r.candidate_id for r in fake.dataset.iter_candidates()]


def test_the_raised_limits_still_refuse_absurd_nesting() -> None:
    """Only a document that hits a resource limit is parsed again with the limits raised, and nesting deeper than
    2048 levels is refused even then."""
    from workday_recruiting._xml import parse_bytes

    assert len(parse_bytes(b"<a>" + b"x" * 11_000_000 + b"</a>").text or "") == 11_000_000
    with pytest.raises(etree.XMLSyntaxError):
        parse_bytes(b"<a>" * 5000 + b"</a>" * 5000)
    with pytest.raises(etree.XMLSyntaxError):
        parse_bytes(b"<a><b></a>")
