"""Paging integrity: a listing returns every record Total_Results promised, exactly once, in order, or says it did not.

A mutating proxy on 127.0.0.1 stands in front of a FakeTenant and rewrites its Get_Candidates pages, case by case:
Total_Results shrinking from page 3, an empty page 5, page 5 short by 30 records, page 1 without Response_Results,
page 6 answered with page 5 (its echoed ``Page`` rewritten to 6, or not), pages 3 and 4 swapped. Each case runs with
``max_concurrency`` 1 and 4, with the damage on every answer (persistent) and on each page's first answer only
(transient). The guarantee under test, for every case:

* a transient inconsistency is retried like a transient failure (at the same page size) and gives the exact result;
* a persistent one raises :class:`PageIntegrityError` naming the page and what disagreed, after delivering only an
  exact prefix of the result (nothing repeated, nothing out of order);
* a short page is announced (a WARNING with the counts, ``pager.complete`` false, ``pager.missing``): the rest of
  the records arrive once, in order;
* ``changes()`` through the proxy never hands out a ``next_watermark`` for a window that lost anything.

Not detectable, hence not tested: two pages swapped with their echoes rewritten to match (every counter agrees and no
record repeats), and a record replaced by one of a page that is neither the page before nor a whole earlier page.
"""

from __future__ import annotations

import http.client
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

from workday_recruiting import PageIntegrityError, Pager, RecruitingClient, RetryPolicy
from workday_recruiting._paging import PageResult
from workday_recruiting.testing import FakeTenant

pytestmark = pytest.mark.timeout(300)

WD = "urn:com.workday/bsvc"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CANDIDATES = 700  # 7 pages at 100 a page: enough for every case (page 6 and a page after it), and quick
PAGE_SIZE = 100
#: Zero waits; 4 tries per page, so a transient inconsistency (one bad answer per page) is always recovered.
RETRY = RetryPolicy(attempts=4, initial_backoff=0, max_backoff=0, jitter=0, deadline=120)


def wd(name: str) -> str:
    return f"{{{WD}}}{name}"


# -- the mutating proxy -------------------------------------------------------------------------------------------


Mutation = Callable[[int, etree._Element], None]


@dataclass
class Case:
    """How the proxy damages Get_Candidates pages.

    Attributes:
        affects: Which requested pages are damaged.
        route: Requested page -> the page asked of the tenant instead (a repeat or a swap).
        rewrite_echo: Set the answer's echoed ``Page`` back to the page requested (hiding a re-route).
        mutate: Rewrites the response element of a damaged page, given the requested page.
    """

    affects: Callable[[int], bool]
    route: dict[int, int] = field(default_factory=dict)
    rewrite_echo: bool = False
    mutate: Mutation | None = None


def set_counter(response: etree._Element, name: str, value: int) -> None:
    element = response.find(f"{wd('Response_Results')}/{wd(name)}")
    assert element is not None
    element.text = str(value)


def shrink_total(page: int, response: etree._Element) -> None:
    set_counter(response, "Total_Results", CANDIDATES * 2 // 3)
    set_counter(response, "Total_Pages", -(-(CANDIDATES * 2 // 3) // PAGE_SIZE))


def empty_page(page: int, response: etree._Element) -> None:
    data = response.find(wd("Response_Data"))
    if data is not None:
        response.remove(data)
    set_counter(response, "Page_Results", 0)


def drop_last_30(page: int, response: etree._Element) -> None:
    data = response.find(wd("Response_Data"))
    assert data is not None
    for candidate in list(data)[-30:]:
        data.remove(candidate)


def short_by_30(page: int, response: etree._Element) -> None:
    drop_last_30(page, response)
    set_counter(response, "Page_Results", PAGE_SIZE - 30)


def drop_results(page: int, response: etree._Element) -> None:
    block = response.find(wd("Response_Results"))
    assert block is not None
    response.remove(block)


#: Every case whose damage the pager must refuse: the field PageIntegrityError names, and the page.
REFUSED: dict[str, tuple[Case, str, int]] = {
    "total_results_shrinks_from_page_3": (Case(lambda p: p >= 3, mutate=shrink_total), "Total_Results", 3),
    "page_5_empty": (Case(lambda p: p == 5, mutate=empty_page), "Page_Results", 5),
    "page_1_without_response_results": (Case(lambda p: p == 1, mutate=drop_results), "Response_Results", 1),
    "page_6_answered_with_page_5_echo_rewritten": (
        Case(lambda p: p == 6, route={6: 5}, rewrite_echo=True),
        "Response_Data",
        6,
    ),
    "page_6_answered_with_page_5": (Case(lambda p: p == 6, route={6: 5}), "Page", 6),
    "pages_3_and_4_swapped": (Case(lambda p: p in (3, 4), route={3: 4, 4: 3}), "Page", 3),
}

#: Cases where page 5 arrives 30 records short: announced, not refused.
SHORT: dict[str, Case] = {
    "page_5_short_by_30": Case(lambda p: p == 5, mutate=short_by_30),
    "page_5_short_by_30_page_results_unchanged": Case(lambda p: p == 5, mutate=drop_last_30),
}


class MutatingProxy:
    """Forwards every request to the tenant; damages the Get_Candidates pages ``case`` affects.

    With ``times`` set, each page is damaged on its first ``times`` answers only (a transient fault); with None, on
    every answer. ``asked`` counts the (page, Count) pairs the client requested.
    """

    def __init__(self, tenant: FakeTenant, case: Case, times: int | None) -> None:
        self.tenant = tenant
        self.case = case
        self.times = times
        self.damaged: Counter[int] = Counter()
        self.asked: Counter[tuple[int, int]] = Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, content_type, answer = proxy.exchange(self.path, body, dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def wsdl_url(self) -> str:
        return self.tenant.wsdl_url.replace(f":{self.tenant.port}/", f":{self.server.server_address[1]}/")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def exchange(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """Forward one POST, damaging it (request and answer) when the case says so."""
        root = etree.fromstring(body)
        page_element = root.find(f".//{wd('Get_Candidates_Request')}/{wd('Response_Filter')}/{wd('Page')}")
        requested = int(page_element.text or "1") if page_element is not None else None
        if page_element is not None and requested is not None:
            count = root.findtext(f".//{wd('Get_Candidates_Request')}/{wd('Response_Filter')}/{wd('Count')}")
            with self.lock:
                self.asked[(requested, int(count or "0"))] += 1
                damage = self.case.affects(requested) and (self.times is None or self.damaged[requested] < self.times)
                if damage:
                    self.damaged[requested] += 1
        else:
            damage = False
        if damage and requested is not None and page_element is not None and requested in self.case.route:
            page_element.text = str(self.case.route[requested])
            body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
        status, content_type, answer = self.forward(path, body, headers)
        if not damage or requested is None or status != 200:
            return status, content_type, answer
        envelope = etree.fromstring(answer)
        response = envelope.find(f"{{{SOAP}}}Body/{wd('Get_Candidates_Response')}")
        assert response is not None
        if self.case.mutate is not None:
            self.case.mutate(requested, response)
        if self.case.rewrite_echo:
            echo = response.find(f"{wd('Response_Results')}/{wd('Page')}")
            if echo is not None:
                echo.text = str(requested)
        return status, content_type, etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

    def forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection(self.tenant.host, self.tenant.port, timeout=60)
        try:
            passed = {k: v for k, v in headers.items() if k.lower() in ("content-type", "soapaction", "authorization")}
            connection.request("POST", path, body=body, headers=passed)
            reply = connection.getresponse()
            return reply.status, reply.getheader("Content-Type", "text/xml"), reply.read()
        finally:
            connection.close()


# -- fixtures -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tenant() -> Iterator[FakeTenant]:
    with FakeTenant(candidates=CANDIDATES) as fake:
        yield fake


@pytest.fixture(scope="module")
def truth(tenant: FakeTenant) -> list[str]:
    return [record.candidate_id for record in tenant.dataset.iter_candidates()]


@pytest.fixture
def through(tenant: FakeTenant) -> Iterator[Callable[..., tuple[MutatingProxy, RecruitingClient]]]:
    """``through(case, times, concurrency)``: a proxy damaging pages per ``case`` and a client that talks to it."""
    opened: list[tuple[MutatingProxy, RecruitingClient]] = []

    def make(case: Case, times: int | None, concurrency: int) -> tuple[MutatingProxy, RecruitingClient]:
        proxy = MutatingProxy(tenant, case, times)
        client = RecruitingClient(
            wsdl_url=proxy.wsdl_url,
            username=tenant.username,
            password=tenant.password,
            retry=RETRY,
            max_concurrency=concurrency,
        )
        opened.append((proxy, client))
        return proxy, client

    yield make
    for proxy, client in opened:
        client.close()
        proxy.close()


def never_split(proxy: MutatingProxy) -> None:
    """An integrity violation is retried at the same size: the pager never halves the page because of one."""
    assert {count for _, count in proxy.asked} == {PAGE_SIZE}


CONCURRENCY = pytest.mark.parametrize("concurrency", [1, 4])


# -- listings -----------------------------------------------------------------------------------------------------


@CONCURRENCY
def test_an_honest_proxy_changes_nothing(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]], truth: list[str], concurrency: int
) -> None:
    """Through the proxy with no damage, the listing is the tenant's, complete, one request per page."""
    proxy, client = through(Case(lambda p: False), None, concurrency)
    pager = client.candidates.list(page_size=PAGE_SIZE)
    assert [c.candidate_id for c in pager] == truth
    assert pager.complete is True and pager.missing == 0 and pager.short_pages == []
    assert sorted(proxy.asked) == [(page, PAGE_SIZE) for page in range(1, CANDIDATES // PAGE_SIZE + 1)]
    assert set(proxy.asked.values()) == {1}


@CONCURRENCY
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_transient_inconsistency_is_retried_and_gives_the_exact_result(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]],
    truth: list[str],
    name: str,
    concurrency: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A page that contradicts the first (once) is asked for again, at the same size: every record once, in order."""
    case, disagreed, page = REFUSED[name]
    proxy, client = through(case, 1, concurrency)
    with caplog.at_level(logging.WARNING, logger="workday_recruiting"):
        pager = client.candidates.list(page_size=PAGE_SIZE)
        ids = [c.candidate_id for c in pager]
    assert ids == truth
    assert pager.complete is True and pager.missing == 0
    assert proxy.damaged[page] == 1 and proxy.asked[(page, PAGE_SIZE)] == 2, "the damaged page was asked for again"
    never_split(proxy)
    assert f"page {page} " in caplog.text and disagreed in caplog.text, "the retried violation was not logged"


@CONCURRENCY
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_persistent_inconsistency_raises_page_integrity_error_after_an_exact_prefix(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]],
    truth: list[str],
    name: str,
    concurrency: int,
) -> None:
    """A page that keeps contradicting the first raises PageIntegrityError naming it; what came before is exact."""
    case, disagreed, page = REFUSED[name]
    proxy, client = through(case, None, concurrency)
    pager = client.candidates.list(page_size=PAGE_SIZE)
    delivered: list[str | None] = []
    with pytest.raises(PageIntegrityError) as info:  # noqa: PT012 - the records before the error are checked too
        for candidate in pager:
            delivered.append(candidate.candidate_id)
    error = info.value
    assert (error.page, error.field) == (page, disagreed), str(error)
    assert error.operation == "Get_Candidates"
    assert f"page {page}" in str(error)
    assert delivered == truth[: (page - 1) * PAGE_SIZE], "records before the bad page were lost, repeated or reordered"
    assert pager.complete is None, "a walk that failed does not claim to be complete"
    assert proxy.asked[(page, PAGE_SIZE)] == RETRY.attempts, "the bad page was retried under the policy"
    never_split(proxy)


@CONCURRENCY
@pytest.mark.parametrize("times", [1, None], ids=["transient", "persistent"])
@pytest.mark.parametrize("name", sorted(SHORT))
def test_a_short_page_is_announced_and_the_rest_arrives_once_in_order(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]],
    truth: list[str],
    name: str,
    times: int | None,
    concurrency: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Page 5 short by 30: a WARNING gives the counts, the pager counts 30 missing, nothing else is lost or repeated."""
    proxy, client = through(SHORT[name], times, concurrency)
    with caplog.at_level(logging.WARNING, logger="workday_recruiting"):
        pager = client.candidates.list(page_size=PAGE_SIZE)
        ids = [c.candidate_id for c in pager]
    lost = truth[470:500]  # the last 30 of page 5
    assert ids == [i for i in truth if i not in lost]
    assert pager.complete is False
    assert pager.missing == 30
    assert pager.short_pages == [(5, 100, 70)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("page 5 " in m and "holds 70 records" in m and "promises 100" in m for m in warnings), warnings
    assert any("incomplete" in m and "30" in m for m in warnings), warnings
    never_split(proxy)


def test_a_listing_stopped_by_max_results_is_complete_when_nothing_came_short(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]], truth: list[str]
) -> None:
    """max_results ends the walk early: complete, nothing missing (short pages past the stop are never fetched)."""
    _, client = through(SHORT["page_5_short_by_30"], None, 1)
    pager = client.candidates.list(page_size=PAGE_SIZE, max_results=250)
    assert [c.candidate_id for c in pager] == truth[:250]
    assert pager.complete is True and pager.missing == 0


# -- changes() ----------------------------------------------------------------------------------------------------


ALL_DAMAGE = {**{name: case for name, (case, _, _) in REFUSED.items()}, **SHORT}


@CONCURRENCY
@pytest.mark.parametrize("name", sorted(ALL_DAMAGE))
def test_changes_never_returns_a_watermark_for_a_damaged_window(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]],
    tenant: FakeTenant,
    name: str,
    concurrency: int,
) -> None:
    """changes() through persistent damage raises PageIntegrityError: no ChangeSet, so no next_watermark to store."""
    _, client = through(ALL_DAMAGE[name], None, concurrency)
    since = tenant.dataset.now - timedelta(days=3 * 366)  # every candidate's creation is in the window
    with pytest.raises(PageIntegrityError) as info:
        client.candidates.changes(since=since)
    assert info.value.page is not None
    assert "Get_Candidates" in str(info.value)


@CONCURRENCY
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_changes_through_a_transient_inconsistency_is_exact(
    through: Callable[..., tuple[MutatingProxy, RecruitingClient]],
    tenant: FakeTenant,
    name: str,
    concurrency: int,
) -> None:
    """A transient inconsistency in a changes() window is retried away: the same records as the tenant's own log."""
    proxy, client = through(REFUSED[name][0], 1, concurrency)
    since = tenant.dataset.now - timedelta(days=3 * 366)
    changes = client.candidates.changes(since=since)
    truth = tenant.dataset.changed_candidates(changes.window_start, changes.window_end, as_of=changes.window_end)
    assert [c.candidate_id for c in changes] == [r.candidate_id for r in truth]
    assert len(changes) == CANDIDATES
    assert changes.next_watermark.upper == changes.window_end
    never_split(proxy)


# -- the pager on its own -----------------------------------------------------------------------------------------


def test_a_bare_pager_checks_its_fetch_too() -> None:
    """The checks live in the Pager, not in the client: a scripted fetch that echoes the wrong page once is re-asked."""
    calls: list[int] = []

    def fetch(page: int, count: int, as_of: datetime) -> PageResult[int]:
        calls.append(page)
        echo = page + 1 if calls.count(page) == 1 and page == 2 else page  # page 2's first answer is page 3's
        items = list(range((echo - 1) * count, min(echo * count, 35)))
        return PageResult(total_results=35, total_pages=4, page_results=len(items), items=items, page=echo)

    pager = Pager(fetch, page_size=10, as_of=datetime(2026, 1, 1, tzinfo=timezone.utc), retry=RETRY)
    assert list(pager) == list(range(35))
    assert calls == [1, 2, 2, 3, 4]
    assert pager.complete is True
