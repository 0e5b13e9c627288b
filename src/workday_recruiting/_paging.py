"""Lazy paging over Workday's ``Response_Filter`` / ``Response_Results``.

Workday pages every Get operation: the request names a ``Page`` (from 1) and a ``Count`` (1 to 999), the response
says ``Total_Results``, ``Total_Pages``, ``Page_Results`` and ``Page``. A :class:`Pager` hides that::

    for candidate in client.candidates.list(page_size=200):      # items, fetched a page at a time
        ...
    for page in client.candidates.list().pages:                   # or page objects
        print(page.number, page.total_pages, len(page.items))

What it guarantees:

* **A stable snapshot.** Workday's rule is to send the same ``As_Of_Entry_DateTime`` on every page, or the result
  set may shift between pages. The pager pins it (``pager.as_of``) on the first request and sends it on every page.
* **Nothing lost, nothing repeated.** The pager walks records by offset. When Workday aborts a page because it
  would return too much data (a reset connection or a timeout after the retries), the same records are fetched
  again with half the ``Count`` (page *p* of size *c* is pages *2p-1* and *2p* of size *c/2*), and later pages keep
  the smaller size.
* **Bounded concurrency.** With ``concurrency`` above 1, once the first page has told how many pages there are,
  the next pages are fetched ahead in parallel (at most ``concurrency`` in flight) and yielded in order. Memory stays
  bounded by that window.
* **Single use, resumable.** A pager iterates once. ``pager.next_page`` and ``pager.as_of`` let a later call resume
  (``list(..., start_page=pager.next_page, as_of=pager.as_of)``).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
from lxml import etree

from ._errors import ResponseParseError, TransportError, WorkdayError
from ._ns import WD

if TYPE_CHECKING:
    from ._notebook import Records

__all__ = ["MAX_PAGE_SIZE", "Page", "PageResult", "Pager", "read_results"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")
MAX_PAGE_SIZE = 999

_RESULTS = f"{{{WD}}}Response_Results"
_MAX_COUNTER = Decimal(10**15)  # far above any tenant; "1e999999999" must not become a billion-digit int
_COUNTERS = {f"{{{WD}}}{name}": name for name in ("Total_Results", "Total_Pages", "Page_Results")}


@attrs.frozen
class PageResult(Generic[T]):
    """What one fetched page holds: Workday's counters and the page's items."""

    total_results: int
    total_pages: int
    page_results: int
    items: Sequence[T]
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Page(Generic[T]):
    """One page of results.

    Attributes:
        number: The page number, at ``size`` records a page.
        size: The ``Count`` the page was requested with.
        total_pages: Workday's ``Total_Pages`` at that size.
        total_results: Workday's ``Total_Results`` for the whole (snapshot) result set.
        items: The page's items (after ``max_results``).
        as_of: The ``As_Of_Entry_DateTime`` sent with every page.
        raw: The response body element.
    """

    number: int
    size: int
    total_pages: int
    total_results: int
    items: tuple[T, ...]
    as_of: datetime
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)


def read_results(body: etree._Element) -> tuple[int, int, int]:
    """``(Total_Results, Total_Pages, Page_Results)`` of a response body; an absent block reads as an empty result.

    Raises:
        ResponseParseError: A counter is not a whole number.
    """
    block = body.find(_RESULTS)
    values = {"Total_Results": 0, "Total_Pages": 0, "Page_Results": 0}
    if block is not None:
        for child in block:
            name = _COUNTERS.get(child.tag)
            if name is not None and child.text is not None:
                values[name] = _count(name, child.text)
    return values["Total_Results"], values["Total_Pages"], values["Page_Results"]


def _count(name: str, text: str) -> int:
    """A counter's value: a whole, non-negative number (``12`` or ``12.0``) of a sane size."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= _MAX_COUNTER or number != number.to_integral_value():
        raise ResponseParseError(f"Response_Results/{name} is not a whole number: {text.strip()[:40]!r}")
    return int(number)


FetchPage = Callable[[int, int, datetime], PageResult[T]]


def _may_be_too_large(exc: WorkdayError) -> bool:
    """Whether a failure (after the retries) may mean the page was too big: a reset or cut connection, a timeout.

    A gateway's 502/503 (maintenance, overload) says nothing about the page size: halving then would only repeat
    the whole retry budget at every size down to 1.
    """
    if not exc.is_retryable:
        return False
    if isinstance(exc, TransportError) and exc.http_status is not None:
        return exc.http_status == 504
    return True


def _aligned_half(offset: int, size: int) -> int:
    """The largest page size not above ``size // 2`` that starts a page exactly at ``offset``."""
    candidate = max(1, size // 2)
    while offset % candidate:
        candidate -= 1
    return candidate


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Pager(Generic[T]):
    """A lazy, single-use iterator over every item of a paged Workday read.

    Built by the client's ``list`` methods; iterate it for items, or use :attr:`pages` for :class:`Page` objects.

    Args:
        fetch: Fetches one page: ``fetch(page_number, count, as_of)``.
        page_size: ``Count`` per request, 1 to 999.
        max_results: Stop after this many items (``None``: all).
        start_page: Resume at this page (at ``page_size`` records a page).
        as_of: Pin this ``As_Of_Entry_DateTime`` (default: now, at the first request).
        concurrency: Pages fetched ahead in parallel once the page count is known (1: one at a time).
        executor: The thread pool for concurrent fetches (required when ``concurrency`` > 1).
        operation: The Workday operation being paged, for display.
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        page_size: int = 100,
        max_results: int | None = None,
        start_page: int = 1,
        as_of: datetime | None = None,
        concurrency: int = 1,
        executor: ThreadPoolExecutor | None = None,
        operation: str | None = None,
    ) -> None:
        if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size!r}")
        if max_results is not None and (not isinstance(max_results, int) or max_results < 0):
            raise ValueError(f"max_results must be a non-negative integer or None, got {max_results!r}")
        if not isinstance(start_page, int) or start_page < 1:
            raise ValueError(f"start_page must be 1 or more, got {start_page!r}")
        if as_of is not None and as_of.tzinfo is None:
            raise ValueError("as_of must be timezone-aware (for example datetime.now(timezone.utc))")
        if concurrency < 1:
            raise ValueError("concurrency must be 1 or more")
        if concurrency > 1 and executor is None:
            raise ValueError("a pager with concurrency above 1 needs an executor")
        self._fetch = fetch
        self.page_size = page_size
        self.max_results = max_results
        self.start_page = start_page
        self.as_of = as_of
        self._concurrency = concurrency
        self._executor = executor
        self._started = False
        self._lock = threading.Lock()
        self._offset = (start_page - 1) * page_size
        self._items_mode = False
        #: Workday's ``Total_Results``, known after the first page.
        self.total_results: int | None = None
        #: The Workday operation paged (``"Get_Candidates"``), when the client named it.
        self.operation = operation

    def __repr__(self) -> str:
        state = "started" if self._started else "not started"
        return f"<Pager page_size={self.page_size} max_results={self.max_results} as_of={self.as_of} {state}>"

    def _repr_html_(self) -> str:
        from ._notebook import pager_html

        return pager_html(self)

    def collect(self, *, progress: Callable[[int, int | None], None] | None = None) -> Records[T]:
        """Every item, in a :class:`~workday_recruiting.Records` list (a table in Jupyter, ``.to_pandas()``).

        Args:
            progress: Called as ``progress(items so far, total results)`` (see :class:`ProgressBar`).
        """
        from ._notebook import Records, iterate_with_progress

        if progress is None:
            return Records(self)
        return Records(iterate_with_progress(self, progress, self._expected))

    def to_pandas(self, *, progress: Callable[[int, int | None], None] | None = None) -> Any:
        """Every item as a ``pandas.DataFrame``, one flattened row per item (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed; the message names the extra.
        """
        from ._notebook import require_pandas

        require_pandas()  # fail before fetching anything
        return self.collect(progress=progress).to_pandas()

    def _expected(self) -> int | None:
        if self.total_results is None:
            return None
        remaining = max(0, self.total_results - (self.start_page - 1) * self.page_size)
        return remaining if self.max_results is None else min(remaining, self.max_results)

    @property
    def next_page(self) -> int:
        """The page (at ``page_size``) to resume from: the first one not wholly consumed yet.

        Iterating by items, a page counts once every item of it was yielded; by pages, once the page was handed over.
        After the pager split pages (see above) this rounds down to a whole page of ``page_size``: resuming may then
        repeat a few records, never skip one.
        """
        return self._offset // self.page_size + 1

    def __iter__(self) -> Iterator[T]:
        self._items_mode = True
        pages = self.pages
        while True:
            page = next(pages, None)
            if page is None:
                return
            items = page.items
            del page  # drop this page before the next one is built: one page of models at a time, not two
            yield from items
            del items

    @property
    def pages(self) -> Iterator[Page[T]]:
        """The pages, lazily; a pager can be iterated once, by items or by pages."""
        with self._lock:
            if self._started:
                raise RuntimeError("a Pager can be iterated only once; call list() again for a fresh one")
            self._started = True
        return self._walk(self._offset)

    def _walk(self, offset: int) -> Iterator[Page[T]]:
        """Walk the records from ``offset``; ``self._offset`` follows what the caller has consumed."""
        if self.as_of is None:
            self.as_of = _now()
        as_of = self.as_of
        remaining = self.max_results
        size = self.page_size
        if remaining is not None:
            if remaining == 0:
                return
            if offset == 0 and remaining < size:
                size = remaining  # one small request instead of a full page
        window: deque[tuple[int, Future[PageResult[T]]]] = deque()
        known_pages: int | None = None
        try:
            while True:
                number = offset // size + 1
                try:
                    if window and window[0][0] == number:
                        result = window.popleft()[1].result()
                    else:
                        result = self._fetch(number, size, as_of)
                except (TransportError, ResponseParseError) as exc:
                    if not _may_be_too_large(exc) or size == 1:
                        raise
                    smaller = _aligned_half(offset, size)
                    log.warning(
                        "page %d of %d records failed (%s); fetching the same records %d at a time",
                        number,
                        size,
                        exc,
                        smaller,
                    )
                    _cancel(window)
                    known_pages = None
                    size = smaller
                    continue
                total, total_pages, _ = result.total_results, result.total_pages, result.page_results
                self.total_results = total
                items: Sequence[T] = result.items
                if remaining is not None and len(items) > remaining:
                    items = items[:remaining]
                if remaining is not None:
                    remaining -= len(items)
                offset = number * size
                last = offset >= total or result.page_results == 0 or (remaining is not None and remaining <= 0)
                if not last and self._concurrency > 1 and self._executor is not None:
                    # Queue the next pages before handing this one over: they load while the caller works.
                    if known_pages is None:
                        known_pages = total_pages
                    last_wanted = known_pages
                    if remaining is not None:
                        last_wanted = min(last_wanted, number + -(-remaining // size))
                    next_to_queue = window[-1][0] + 1 if window else number + 1
                    while len(window) < self._concurrency and next_to_queue <= last_wanted:
                        window.append((next_to_queue, self._executor.submit(self._fetch, next_to_queue, size, as_of)))
                        next_to_queue += 1
                page = Page(
                    number=number,
                    size=size,
                    total_pages=total_pages,
                    total_results=total,
                    items=tuple(items),
                    as_of=as_of,
                    raw=result.raw,
                )
                del result, items  # the caller decides how long the page lives
                if not self._items_mode:
                    self._offset = offset  # handed over: consumed
                yield page
                del page
                self._offset = offset  # the caller came back for more: every item of the page was consumed
                if last:
                    return
        finally:
            _cancel(window)


def _cancel(window: deque[tuple[int, Future[Any]]]) -> None:
    while window:
        _, future = window.popleft()
        if not future.cancel():
            # Already running: let it finish in the background, but do not leave its error unobserved.
            future.add_done_callback(_swallow)


def _swallow(future: Future[Any]) -> None:
    exc = future.exception()
    if exc is not None and not isinstance(exc, WorkdayError):
        log.debug("a prefetched page failed after it was no longer needed: %r", exc)
