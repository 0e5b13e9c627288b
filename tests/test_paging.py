"""The Pager against a scripted fetch function: snapshot pinning, exactly-once, max_results, splitting, resuming."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import attrs
import pytest

from workday_recruiting import ConnectError, Pager, ResponseParseError, ValidationError
from workday_recruiting._paging import PageResult, _aligned_half

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


class Server:
    """A scripted Workday: records 0..n-1, optionally refusing pages above a size."""

    def __init__(self, n: int, *, max_count: int | None = None, fail_once: set[int] | None = None) -> None:
        self.n = n
        self.max_count = max_count
        self.fail_once = set(fail_once or ())
        self.calls: list[tuple[int, int, datetime]] = []
        self.lock = threading.Lock()

    def __call__(self, page: int, count: int, as_of: datetime) -> PageResult[int]:
        with self.lock:
            self.calls.append((page, count, as_of))
            if page in self.fail_once:
                self.fail_once.discard(page)
                raise ConnectError("dropped")
        if self.max_count is not None and count > self.max_count:
            raise ConnectError("the server closed the connection without a response")
        start = (page - 1) * count
        items = list(range(start, min(start + count, self.n)))
        total_pages = -(-self.n // count)
        return PageResult(total_results=self.n, total_pages=total_pages, page_results=len(items), items=items)


def test_yields_every_record_once_in_order() -> None:
    """Every record is yielded exactly once, in order, across pages."""
    server = Server(250)
    assert list(Pager(server, page_size=100, as_of=AS_OF)) == list(range(250))
    assert [c[0] for c in server.calls] == [1, 2, 3]


def test_as_of_pinned_on_every_page() -> None:
    """The same As_Of_Entry_DateTime goes with every page; without one, the first request's moment is pinned."""
    server = Server(30)
    pager = Pager(server, page_size=10)
    list(pager)
    moments = {c[2] for c in server.calls}
    assert len(moments) == 1 and pager.as_of in moments and pager.as_of is not None and pager.as_of.tzinfo


def test_pages_report_counters() -> None:
    """Page objects carry number, size, total pages and total results."""
    pages = list(Pager(Server(25), page_size=10, as_of=AS_OF).pages)
    assert [(p.number, len(p.items), p.total_pages, p.total_results) for p in pages] == [
        (1, 10, 3, 25),
        (2, 10, 3, 25),
        (3, 5, 3, 25),
    ]


def test_empty_result() -> None:
    """An empty result yields nothing after one request."""
    server = Server(0)
    assert list(Pager(server, page_size=10, as_of=AS_OF)) == []
    assert len(server.calls) == 1


def test_max_results_stops_early_and_asks_small() -> None:
    """max_results stops the walk; below one page it asks Workday for just that many."""
    server = Server(1000)
    assert list(Pager(server, page_size=100, max_results=7, as_of=AS_OF)) == list(range(7))
    assert server.calls == [(1, 7, AS_OF)]
    server = Server(1000)
    assert len(list(Pager(server, page_size=100, max_results=150, as_of=AS_OF))) == 150
    assert [c[0] for c in server.calls] == [1, 2]
    assert list(Pager(Server(10), max_results=0, as_of=AS_OF)) == []


def test_single_use() -> None:
    """A pager iterates once."""
    pager = Pager(Server(5), page_size=2, as_of=AS_OF)
    list(pager)
    with pytest.raises(RuntimeError, match="only once"):
        list(pager)


def test_resume_from_a_page() -> None:
    """A later pager resumes from next_page with the same snapshot and repeats nothing."""
    first = Pager(Server(95), page_size=10, as_of=AS_OF)
    seen = []
    for page in first.pages:
        seen.extend(page.items)
        if page.number == 4:
            break
    assert first.next_page == 5
    rest = list(Pager(Server(95), page_size=10, start_page=first.next_page, as_of=first.as_of))
    assert seen + rest == list(range(95))


def test_oversized_pages_are_split_without_loss() -> None:
    """A page Workday aborts is fetched again at half the size: nothing lost, nothing repeated."""
    server = Server(1000, max_count=250)
    assert list(Pager(server, page_size=800, as_of=AS_OF)) == list(range(1000))
    sizes = [c[1] for c in server.calls]
    assert sizes[:3] == [800, 400, 200]
    assert set(sizes[3:]) == {200}


def test_split_of_an_odd_size_keeps_alignment() -> None:
    """Splitting an odd Count picks a size that starts exactly at the failed offset."""
    assert _aligned_half(0, 999) == 499
    assert _aligned_half(999, 999) == 333
    server = Server(3000, max_count=500)
    assert list(Pager(server, page_size=999, as_of=AS_OF)) == list(range(3000))


def test_single_record_pages_do_not_split() -> None:
    """At Count 1 there is nothing left to split: the error surfaces."""
    with pytest.raises(ConnectError):
        list(Pager(Server(10, max_count=0), page_size=1, as_of=AS_OF))


def test_non_transient_errors_surface() -> None:
    """A validation fault is not split or swallowed."""

    def fetch(page: int, count: int, as_of: datetime) -> PageResult[int]:
        raise ValidationError("bad")

    with pytest.raises(ValidationError):
        list(Pager(fetch, page_size=10, as_of=AS_OF))


def test_concurrent_prefetch_keeps_order() -> None:
    """With concurrency, pages are fetched ahead but yielded in order, each record once."""
    with ThreadPoolExecutor(4) as pool:
        server = Server(2000)
        assert list(Pager(server, page_size=100, as_of=AS_OF, concurrency=4, executor=pool)) == list(range(2000))
        assert sorted(c[0] for c in server.calls) == list(range(1, 21))


def test_concurrent_prefetch_with_max_results_fetches_only_what_is_needed() -> None:
    """Prefetch never goes past the pages max_results needs."""
    with ThreadPoolExecutor(4) as pool:
        server = Server(2000)
        assert (
            len(list(Pager(server, page_size=100, max_results=250, as_of=AS_OF, concurrency=4, executor=pool))) == 250
        )
        assert sorted(c[0] for c in server.calls) == [1, 2, 3]


def test_concurrent_split() -> None:
    """A refused page in a concurrent walk still yields everything once, in order."""
    with ThreadPoolExecutor(4) as pool:
        server = Server(1500, max_count=150)
        assert list(Pager(server, page_size=300, as_of=AS_OF, concurrency=4, executor=pool)) == list(range(1500))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"page_size": 0},
        {"page_size": 1000},
        {"max_results": -1},
        {"start_page": 0},
        {"as_of": datetime(2026, 1, 1)},
        {"concurrency": 2},
    ],
)
def test_arguments_checked(kwargs: dict[str, object]) -> None:
    """Impossible paging arguments are refused up front."""
    with pytest.raises(ValueError, match=r"must|needs"):
        Pager(Server(1), **kwargs)  # type: ignore[arg-type]


def test_resume_after_stopping_mid_page_repeats_but_never_skips() -> None:
    """Stopping half-way through a page's items leaves next_page on that page, so nothing is skipped."""
    first = Pager(Server(50), page_size=10, as_of=AS_OF)
    seen = []
    for item in first:
        seen.append(item)
        if item == 14:  # half-way through page 2
            break
    assert first.next_page == 2
    rest = list(Pager(Server(50), page_size=10, start_page=first.next_page, as_of=first.as_of))
    assert set(seen) | set(rest) == set(range(50))
    assert rest[0] == 10


# -- pages fetched ahead and held compactly -------------------------------------------------------------------------


class HeldServer(Server):
    """Fetches ahead answer held pages (``unpack`` set), read when their turn comes; some read wrongly once."""

    def __init__(self, n: int, *, unreadable_once: set[int] = frozenset(), wrong_once: set[int] = frozenset()) -> None:
        super().__init__(n)
        self.unreadable_once = set(unreadable_once)
        self.wrong_once = set(wrong_once)
        self.read_in: list[str] = []

    def ahead(self, page: int, count: int, as_of: datetime) -> PageResult[int]:
        def unpack() -> PageResult[int]:
            self.read_in.append(threading.current_thread().name)
            if page in self.unreadable_once:
                self.unreadable_once.discard(page)
                raise ResponseParseError("the response is not well-formed XML (truncated)", retryable=True)
            result = self(page, count, as_of)
            if page in self.wrong_once:
                self.wrong_once.discard(page)
                return attrs.evolve(result, total_results=result.total_results + 1)
            return result

        return PageResult(total_results=0, total_pages=0, page_results=0, items=(), unpack=unpack)


def _held_walk(server: HeldServer) -> list[int]:
    with ThreadPoolExecutor(max_workers=3) as pool:
        pager = Pager(server, page_size=10, as_of=AS_OF, concurrency=3, executor=pool, prefetch=server.ahead)
        return list(pager)


def test_held_pages_are_read_in_the_walking_thread_in_order() -> None:
    """Pages fetched ahead may wait as they came (bytes); each is read once, by the walking thread, in its turn."""
    server = HeldServer(50)
    assert _held_walk(server) == list(range(50))
    assert server.read_in == [threading.current_thread().name] * 4  # pages 2-5; page 1 was fetched in order


def test_a_held_page_that_cannot_be_read_is_fetched_again() -> None:
    """A held page that turns out truncated when read (a retryable failure) is asked for again; nothing is lost."""
    server = HeldServer(50, unreadable_once={3})
    assert _held_walk(server) == list(range(50))
    assert [call[0] for call in server.calls].count(3) == 1  # the held copy was never read: one fetch, by fetch()


def test_a_held_page_that_breaks_an_integrity_rule_is_fetched_again() -> None:
    """A held page is checked against the first when read; one that disagrees is fetched again, not delivered."""
    server = HeldServer(50, wrong_once={4})
    assert _held_walk(server) == list(range(50))
    assert [call[0] for call in server.calls].count(4) == 2
