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
* **Every page checked against the first.** A page must echo the ``Page`` asked for (when it echoes one), keep the
  first page's ``Total_Results`` and ``Total_Pages`` (at the same ``Count``), carry ``Response_Results``, hold no
  more records than ``Count`` (or than ``Total_Results`` leaves for it), not be empty while ``Total_Results``
  promises records for it, and not repeat a record of the page before it, of any earlier page as a whole (records
  known by their own ``*_Reference``), or of itself. A page that breaks a rule is asked for again under the retry
  policy, like a transient failure (never at a smaller size); if it keeps breaking it,
  :class:`~workday_recruiting.PageIntegrityError` names the page and what disagreed. Two pages swapped with their
  echoes rewritten to match, or a record moved to a later page, cannot be told from the truth by counters and are
  not detected.
* **A short page is announced.** A page holding fewer records than ``Count`` that is not the last (or a last page
  short of what ``Total_Results`` promised) is not retried: a WARNING gives the counts, :attr:`Pager.missing` and
  :attr:`Pager.short_pages` add it up, and :attr:`Pager.complete` is false at the end of the walk. A walk that
  ends with ``complete`` true delivered every record ``Total_Results`` promised (from ``start_page`` on, up to
  ``max_results``), each once.
* **Bounded concurrency.** With ``concurrency`` above 1, once the first page has told how many pages there are,
  the next pages are fetched ahead in parallel (at most ``concurrency`` in flight) and yielded in order. Memory stays
  bounded by that window; a fetch may hold a page that waits as its response's bytes (``PageResult.unpack``), read
  and checked in the walking thread when its turn comes, and fetched again there if it fails.
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
from typing import Any, Generic, TypeVar

import attrs
from lxml import etree

from ._config import RetryPolicy
from ._errors import PageIntegrityError, ResponseParseError, TransportError, WorkdayError
from ._ns import WD
from ._records import Columns, Records, iterate_with_progress, require_pandas
from ._retry import call_with_retries
from ._xml import text_of
from .models._columns import facts_html

__all__ = ["MAX_PAGE_SIZE", "Page", "PageResult", "Pager", "read_page", "read_results"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")
MAX_PAGE_SIZE = 999

_RESULTS = f"{{{WD}}}Response_Results"
_DATA = f"{{{WD}}}Response_Data"
_ECHO = f"{{{WD}}}Page"
_FIRST_CHILDREN = etree.XPath("*/*[1]")  # each record's first child: its own reference, when it has one
_TEXT = etree.XPath("string()", smart_strings=False)  # plain str: a "smart" one would keep its tree alive
_MAX_COUNTER = Decimal(10**15)  # far above any tenant; "1e999999999" must not become a billion-digit int
_COUNTERS = {f"{{{WD}}}{name}": name for name in ("Total_Results", "Total_Pages", "Page_Results")}


@attrs.frozen
class PageResult(Generic[T]):
    """What one fetched page holds: Workday's counters and the page's items (:func:`read_page` reads a response).

    Attributes:
        total_results: ``Total_Results``.
        total_pages: ``Total_Pages``.
        page_results: ``Page_Results``.
        items: The page's items.
        raw: The response body element.
        page: The ``Page`` the response echoes (``None``: none echoed, not checked).
        has_results: Whether the response carried ``Response_Results`` at all.
        records: The record elements in ``Response_Data`` (``None``: not counted; ``page_results`` stands for it).
        keys: Each record's own reference (its IDs), in order (``None``: unknown; repeats are then not checked).
        unpack: Set on a page fetched ahead and held compactly (its response's bytes, not its tree) while it waits
            for its turn: reads it into the complete result, in the walking thread, when its turn comes. The
            counters of a held page are not read yet (zero).
    """

    total_results: int
    total_pages: int
    page_results: int
    items: Sequence[T]
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)
    page: int | None = None
    has_results: bool = True
    records: int | None = None
    keys: tuple[str, ...] | None = attrs.field(default=None, eq=False, repr=False)
    unpack: Callable[[], PageResult[T]] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def held(self) -> int:
        """The records the page holds: the ``Response_Data`` records when counted, else ``Page_Results``."""
        return self.page_results if self.records is None else self.records


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
            value = text_of(child) if name is not None else None  # a comment inside the number is left out
            if name is not None and value is not None:
                values[name] = _count(name, value)
    return values["Total_Results"], values["Total_Pages"], values["Page_Results"]


def read_page(body: etree._Element, items: Sequence[T]) -> PageResult[T]:
    """One page of a paged read: its counters, its echoed ``Page``, its records and their keys, and ``items``.

    Raises:
        ResponseParseError: A counter or the echoed ``Page`` is not a whole number.
    """
    block = body.find(_RESULTS)
    total, pages, results = read_results(body)
    echo: int | None = None
    if block is not None:
        element = block.find(_ECHO)
        value = text_of(element) if element is not None else None
        if value is not None:
            echo = _count("Page", value)
    data = body.find(_DATA)
    records = 0 if data is None else sum(1 for child in data if isinstance(child.tag, str))
    return PageResult(
        total_results=total,
        total_pages=pages,
        page_results=results,
        items=items,
        raw=body,
        page=echo,
        has_results=block is not None,
        records=records,
        keys=_keys(data, records),
    )


def _keys(data: etree._Element | None, records: int) -> tuple[str, ...] | None:
    """Each record's identity: the text (its IDs) of its own reference, its first child (``Candidate_Reference``...).

    ``None`` when a record has no such reference (``Include_Reference`` off, or a type without one, as interviews).
    One XPath finds the references in C, rather than a Python loop over the records.
    """
    if data is None or not records:
        return None
    references = _FIRST_CHILDREN(data)
    if not isinstance(references, list) or len(references) != records:
        return None
    keys: list[str] = []
    for reference in references:
        if not isinstance(reference, etree._Element) or not str(reference.tag).endswith("_Reference"):
            return None
        text = _TEXT(reference)
        if not isinstance(text, str) or not text.strip():
            return None
        keys.append(text)
    return tuple(keys)


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
    if not exc.is_retryable or isinstance(exc, PageIntegrityError):
        return False  # a page that contradicts the first is no bigger at half the size
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


def _promised(number: int, size: int, total: int) -> int:
    """How many records ``Total_Results`` leaves for page ``number`` at ``size`` a page."""
    return max(0, min(size, total - (number - 1) * size))


@attrs.frozen
class _Baseline:
    """What the first page said, which every later page must repeat."""

    total_results: int
    total_pages: int | None  # at the current size; None after a split, until the first page at the new size


class _Failed(Exception):  # noqa: N818 - not an error of its own: carries the fetch's, past the integrity retries
    """A failure of the fetch itself: its own retries are done, so the integrity retries must not repeat them."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _check_page(
    result: PageResult[Any], number: int, size: int, baseline: _Baseline | None, operation: str | None
) -> PageIntegrityError | None:
    """What is wrong with page ``number`` on its own and against the first page, or None."""

    def broken(
        field: str, message: str, expected: int | None = None, received: int | None = None
    ) -> PageIntegrityError:
        return PageIntegrityError(
            f"page {number} (at {size} a page): {message}",
            page=number,
            field=field,
            expected=expected,
            received=received,
            operation=operation,
        )

    if not result.has_results:
        return broken("Response_Results", "the response has no Response_Results, so nothing in it can be checked")
    if result.page is not None and result.page != number:
        return broken("Page", f"the response is page {result.page}, not the page asked for", number, result.page)
    total = result.total_results
    if baseline is not None:
        if total != baseline.total_results:
            return broken(
                "Total_Results",
                f"Total_Results is {total}, but the first page said {baseline.total_results}",
                baseline.total_results,
                total,
            )
        if baseline.total_pages is not None and result.total_pages != baseline.total_pages:
            return broken(
                "Total_Pages",
                f"Total_Pages is {result.total_pages}, but the first page said {baseline.total_pages}",
                baseline.total_pages,
                result.total_pages,
            )
    promised, held = _promised(number, size, total), result.held
    if promised and not held:
        return broken(
            "Page_Results",
            f"the page holds no records (Page_Results {result.page_results}), "
            f"but Total_Results {total} promises {promised} on it",
            promised,
            0,
        )
    if held > promised:
        return broken(
            "Page_Results",
            f"the page holds {held} records, but Total_Results {total} leaves {promised} for it",
            promised,
            held,
        )
    if result.keys is not None and len(set(result.keys)) != len(result.keys):
        return broken("Response_Data", "the page lists a record twice")
    return None


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
        retry: How often a page that fails the integrity checks is asked for again (default: ``RetryPolicy()``).
            Failures of ``fetch`` itself are not retried here: ``fetch`` retries them.
        prefetch: Fetches a page ahead, in a worker thread (default: ``fetch``). It may return the page held
            compactly (:attr:`PageResult.unpack` set), to be read and checked when its turn comes; a held page that
            fails then is fetched again with ``fetch``.
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
        retry: RetryPolicy | None = None,
        prefetch: FetchPage[T] | None = None,
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
        self._prefetch = prefetch
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
        self._retry = retry if retry is not None else RetryPolicy()
        #: Records ``Total_Results`` promised that short pages did not hold (announced by a WARNING each).
        self.missing = 0
        #: ``(page, records promised, records held)`` of each short page, in walk order.
        self.short_pages: list[tuple[int, int, int]] = []
        #: ``None`` until the walk reaches its end; then whether every promised record arrived (``missing == 0``).
        self.complete: bool | None = None
        self._baseline: _Baseline | None = None
        self._page_digests: dict[int, tuple[int, int]] = {}  # hash of a page's keys -> (page, size) it came as
        self._previous_keys: frozenset[str] = frozenset()
        self._held = 0

    def __repr__(self) -> str:
        state = "started" if self._started else "not started"
        return f"<Pager page_size={self.page_size} max_results={self.max_results} as_of={self.as_of} {state}>"

    def _repr_html_(self) -> str:
        """Describe the pager without fetching anything (it is single use): its operation, size, snapshot, state."""
        facts = {
            "operation": self.operation or "(not named)",
            "page size": str(self.page_size),
            "max results": "all" if self.max_results is None else str(self.max_results),
            "start page": str(self.start_page),
            "as of": self.as_of.isoformat() if self.as_of is not None else "pinned at the first request",
            "state": "started (already iterated)" if self._started else "not started",
        }
        if self.total_results is not None:
            facts["total results"] = str(self.total_results)
        hint = "Iterate it, or call .collect() or .to_pandas(); a pager can be iterated once."
        return facts_html("Pager", facts, hint)

    def collect(self, *, progress: Callable[[int, int | None], None] | None = None) -> Records[T]:
        """Every item, in a :class:`~workday_recruiting.Records` list (a table in Jupyter, ``.to_pandas()``).

        Args:
            progress: Called as ``progress(items so far, total results)`` (see :class:`ProgressBar`).
        """
        if progress is None:
            return Records(self)
        return Records(iterate_with_progress(self, progress, self._expected))

    def to_pandas(self, *, columns: Columns = "main", progress: Callable[[int, int | None], None] | None = None) -> Any:
        """Every item as a ``pandas.DataFrame``, one row per item (needs the ``pandas`` extra).

        Args:
            columns: ``"main"`` (default): the columns a person reads; ``"all"``: every field, flattened (see
                :meth:`Records.to_pandas <workday_recruiting.Records.to_pandas>`).
            progress: Called as ``progress(items so far, total results)`` (see :class:`ProgressBar`).

        Raises:
            ImportError: pandas is not installed; the message names the extra (before anything is fetched).
        """
        require_pandas()  # fail before fetching anything
        return self.collect(progress=progress).to_pandas(columns=columns)

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

    def _fetch_checked(
        self, number: int, size: int, as_of: datetime, baseline: _Baseline | None, *, repeats: bool, spent: int = 0
    ) -> PageResult[T]:
        """Fetch page ``number`` and check it, fetching it again (under the retry policy) while a check fails.

        ``repeats`` adds the checks against the pages already delivered (only in the walking thread); ``spent``
        attempts of the policy were already made for this page (a prefetched answer refused in order).
        """
        label = self.operation or "page"
        policy = self._retry
        if spent:
            policy = attrs.evolve(policy, attempts=max(1, policy.attempts - spent))

        def attempt() -> PageResult[T]:
            try:
                result = self._fetch(number, size, as_of)
            except Exception as exc:  # its own retries are spent: pass it through untouched
                raise _Failed(exc) from None
            problem = _check_page(result, number, size, baseline, self.operation)
            if problem is None and repeats:
                problem = self._repeats(result, number, size)
            if problem is not None:
                log.warning("%s (%s disagreed); asking for the page again", problem, problem.field)
                raise problem
            return result

        try:
            return call_with_retries(policy, label, attempt)
        except _Failed as failed:
            error = failed.error
        raise error

    def _fetch_ahead(self, number: int, size: int, as_of: datetime, baseline: _Baseline | None) -> PageResult[T]:
        """Fetch page ``number`` ahead, in a worker thread: checked here, or as it came from ``prefetch`` (checked,
        and read if held, in its turn by :meth:`_take`)."""
        if self._prefetch is None:
            return self._fetch_checked(number, size, as_of, baseline, repeats=False)
        return self._prefetch(number, size, as_of)

    def _take(self, future: Future[PageResult[T]], number: int, size: int, as_of: datetime) -> PageResult[T]:
        """A page fetched ahead, in its turn: read (if held) and checked; fetched again, one attempt spent, if not.

        A held page is read here, in the walking thread, so that it waited as bytes rather than as its tree.
        """
        result = future.result()  # a failure of the fetch itself, after its own retries, is raised as it is
        problem: WorkdayError | None
        try:
            if result.unpack is not None:
                result = result.unpack()
        except WorkdayError as exc:
            if not exc.is_retryable:
                raise
            problem = exc
        else:  # checked (again, if its thread did): the repeats need the pages before it, so only now, in order
            problem = _check_page(result, number, size, self._baseline, self.operation) or self._repeats(
                result, number, size
            )
        if problem is None:
            return result
        if isinstance(problem, PageIntegrityError):
            log.warning("%s (%s disagreed); asking for the page again", problem, problem.field)
        else:
            log.warning("page %d: %s; asking for the page again", number, problem)
        return self._fetch_checked(number, size, as_of, self._baseline, repeats=True, spent=1)

    def _repeats(self, result: PageResult[T], number: int, size: int) -> PageIntegrityError | None:
        """Whether page ``number`` repeats records already delivered: a whole earlier page, or the page before."""
        keys = result.keys
        if not keys:
            return None
        earlier = self._page_digests.get(hash(keys))
        if earlier is not None:
            message = f"the page holds the very records of page {earlier[0]} (at {earlier[1]} a page)"
        else:
            again = len(self._previous_keys.intersection(keys))
            if not again:
                return None
            message = f"{again} of its records were already delivered on the page before"
        return PageIntegrityError(
            f"page {number} (at {size} a page): {message}", page=number, field="Response_Data", operation=self.operation
        )

    def _accept(self, result: PageResult[T], number: int, size: int) -> None:
        """Take page ``number`` as checked: later pages are checked against it; a short one is announced."""
        if self._baseline is None or self._baseline.total_pages is None:
            self._baseline = _Baseline(total_results=result.total_results, total_pages=result.total_pages)
        if result.keys:
            self._page_digests[hash(result.keys)] = (number, size)
            self._previous_keys = frozenset(result.keys)
        else:
            self._previous_keys = frozenset()
        promised, held = _promised(number, size, result.total_results), result.held
        self._held += held
        if held < promised:
            self.missing += promised - held
            self.short_pages.append((number, promised, held))
            log.warning(
                "%s: page %d (at %d a page) holds %d records (Page_Results %d), but Total_Results %d promises %d "
                "on it: %d records of this listing are missing",
                self.operation or "paged read",
                number,
                size,
                held,
                result.page_results,
                result.total_results,
                promised,
                promised - held,
            )

    def _finish(self, start: int, walked_to_the_end: bool) -> None:
        """At the end of the walk: reconcile the records held with those promised, and say whether all came."""
        baseline = self._baseline
        if walked_to_the_end and baseline is not None:
            unaccounted = max(0, baseline.total_results - start) - self._held - self.missing
            if unaccounted > 0:
                self.missing += unaccounted
        self.complete = self.missing == 0
        if self.missing:
            log.warning(
                "%s: the listing is incomplete: %d of the records Total_Results promised did not arrive "
                "(short pages: %s); pager.complete is False",
                self.operation or "paged read",
                self.missing,
                ", ".join(f"{page} ({held} of {promised})" for page, promised, held in self.short_pages) or "none",
            )

    def _walk(self, offset: int) -> Iterator[Page[T]]:
        """Walk the records from ``offset``; ``self._offset`` follows what the caller has consumed."""
        if self.as_of is None:
            self.as_of = _now()
        as_of = self.as_of
        start = offset
        remaining = self.max_results
        size = self.page_size
        if remaining is not None:
            if remaining == 0:
                self.complete = True
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
                        result = self._take(window.popleft()[1], number, size, as_of)
                    else:
                        result = self._fetch_checked(number, size, as_of, self._baseline, repeats=True)
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
                    if self._baseline is not None:
                        self._baseline = attrs.evolve(self._baseline, total_pages=None)  # Total_Pages is per Count
                    size = smaller
                    continue
                self._accept(result, number, size)
                total, total_pages, held = result.total_results, result.total_pages, result.held
                self.total_results = total
                raw, items = result.raw, result.items
                del result
                if remaining is not None and len(items) > remaining:
                    items = items[:remaining]
                if remaining is not None:
                    remaining -= len(items)
                offset = number * size
                stopped = remaining is not None and remaining <= 0
                last = offset >= total or held == 0 or stopped
                if last:
                    self._finish(start, walked_to_the_end=not stopped)
                if not last and self._concurrency > 1 and self._executor is not None:
                    # Queue the next pages before handing this one over: they load while the caller works.
                    if known_pages is None:
                        known_pages = total_pages
                    last_wanted = known_pages
                    if remaining is not None:
                        last_wanted = min(last_wanted, number + -(-remaining // size))
                    next_to_queue = window[-1][0] + 1 if window else number + 1
                    while len(window) < self._concurrency and next_to_queue <= last_wanted:
                        window.append(
                            (
                                next_to_queue,
                                self._executor.submit(self._fetch_ahead, next_to_queue, size, as_of, self._baseline),
                            )
                        )
                        next_to_queue += 1
                page = Page(
                    number=number,
                    size=size,
                    total_pages=total_pages,
                    total_results=total,
                    items=tuple(items),
                    as_of=as_of,
                    raw=raw,
                )
                del raw, items  # the caller decides how long the page lives
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
