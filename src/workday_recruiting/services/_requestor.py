"""The seam every service is built on: call one operation, or open a pager over a paged Get.

A :class:`Requestor` is what a service needs from the client and nothing more: a way to send one request
(``call``) and a way to page through a Get operation (``pager``), plus the bounded worker pool used for page
prefetch and fan-out. The client builds one from its transport; a test can build one from any callable.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any, TypeVar

from lxml import etree

from .._config import RetryPolicy
from .._errors import ConfigurationError, ResponseParseError
from .._paging import MAX_PAGE_SIZE, Pager, PageResult, read_page
from .._requests import instant
from .._soap import Held

__all__ = ["Call", "HeldCall", "Requestor", "bounded_map"]

T = TypeVar("T")
R = TypeVar("R")

#: Sends one request: the operation's name and its body in zeep's dict dialect, to the response body element.
Call = Callable[[str, Mapping[str, Any]], etree._Element]
#: Sends one request and keeps a successful answer as its bytes, parsed by ``Held.read`` (``SoapTransport.call_held``).
HeldCall = Callable[[str, Mapping[str, Any]], Held]


def bounded_map(
    executor: ThreadPoolExecutor | None, limit: int, func: Callable[[T], R], items: Iterable[T]
) -> Iterator[R]:
    """``map(func, items)`` with at most ``limit`` calls in flight, results in input order; lazy over ``items``.

    Stopped early (the caller breaks off, or a call raises), the calls not started are cancelled and the running
    ones are waited for: no request outlives the fan-out that sent it (a cassette closed after it, or a client
    closed after it, sees no straggler).
    """
    if executor is None or limit <= 1:
        yield from map(func, items)
        return
    window: deque[Future[R]] = deque()
    try:
        for item in items:
            window.append(executor.submit(func, item))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        running = [future for future in window if not future.cancel()]
        if running:
            wait(running)


class _Deferred(Sequence[T]):
    """A page's items, built from its response element on first use, in the thread that uses them.

    The pager hands a page over after queueing the next ones, so the models are built while those load; building
    them in the prefetching threads made several threads contend for the interpreter lock.
    """

    __slots__ = ("_items", "_operation", "_parse", "_response")

    def __init__(
        self, parse: Callable[[etree._Element], Sequence[T]], response: etree._Element, operation: str
    ) -> None:
        self._parse: Callable[[etree._Element], Sequence[T]] | None = parse
        self._response: etree._Element | None = response
        self._operation = operation
        self._items: Sequence[T] = ()

    def _built(self) -> Sequence[T]:
        parse, response = self._parse, self._response
        if parse is not None and response is not None:
            try:
                self._items = parse(response)
            except ResponseParseError as exc:
                exc.operation = exc.operation or self._operation
                raise
            self._parse = self._response = None
        return self._items

    def __len__(self) -> int:
        return len(self._built())

    def __getitem__(self, index: Any) -> Any:
        return self._built()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._built())


class Requestor:
    """Calls and pagers over one transport, with the worker pool shared by prefetch and fan-out.

    Args:
        send: Sends one request (the transport's ``call``, returning the response body element).
        send_held: Sends one request and holds the answer as bytes (the transport's ``call_held``): pages fetched
            ahead wait in that form, parsed when their turn comes. Without it they are parsed as they arrive.
        retry: The retry policy the pager applies to a page that breaks an integrity rule.
        max_concurrency: Requests in flight at once (1: sequential, no worker threads).
    """

    def __init__(
        self, send: Call, *, retry: RetryPolicy, max_concurrency: int, send_held: HeldCall | None = None
    ) -> None:
        if not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ConfigurationError(f"max_concurrency must be 1 or more, got {max_concurrency!r}")
        self._send = send
        self._send_held = send_held
        self.retry = retry
        self.max_concurrency = max_concurrency
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"<Requestor max_concurrency={self.max_concurrency}>"

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Stop the worker threads (queued work is cancelled) and refuse further calls. Idempotent."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def pool(self) -> ThreadPoolExecutor | None:
        """The worker pool (created on first use), or None when ``max_concurrency`` is 1."""
        if self.max_concurrency <= 1:
            return None
        with self._lock:
            if self._closed:
                raise ConfigurationError("the client is closed")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_concurrency, thread_name_prefix="workday-recruiting"
                )
            return self._executor

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(func, items)`` on the pool, ``max_concurrency`` at a time, in input order (see :func:`bounded_map`)."""
        return bounded_map(self.pool(), self.max_concurrency, func, items)

    def call(self, operation: str, body: Mapping[str, Any]) -> etree._Element:
        """Send one request; the response body element."""
        if self._closed:
            raise ConfigurationError("the client is closed")
        return self._send(operation, body)

    def pager(
        self,
        operation: str,
        body: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
        parse: Callable[[etree._Element], Sequence[T]],
        *,
        page_size: int,
        max_results: int | None,
        start_page: int,
        as_of: datetime | None,
    ) -> Pager[T]:
        """A lazy :class:`Pager` over a paged Get; a callable ``body`` is built once, at the first page."""
        if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ConfigurationError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size!r}")
        resolved: list[dict[str, Any]] = [] if callable(body) else [dict(body)]
        lock = threading.Lock()

        def request_body() -> dict[str, Any]:
            # A body that needs a request of its own (the tenant's clock) is built at the first page, once.
            with lock:
                if not resolved:
                    resolved.append(dict(body() if callable(body) else body))
                return resolved[0]

        def request(page: int, count: int, moment: datetime) -> dict[str, Any]:
            body = dict(request_body())
            body["Response_Filter"] = {"As_Of_Entry_DateTime": moment, "Page": page, "Count": count}
            return body

        def read(response: etree._Element) -> PageResult[T]:
            try:
                return read_page(response, _Deferred(parse, response, operation))
            except ResponseParseError as exc:
                exc.operation = exc.operation or operation
                raise

        def fetch(page: int, count: int, moment: datetime) -> PageResult[T]:
            return read(self.call(operation, request(page, count, moment)))

        def fetch_ahead(page: int, count: int, moment: datetime) -> PageResult[T]:
            # Held as bytes while it waits for its turn (a sixth of its parsed tree), read in the walking thread.
            if self._send_held is None:
                return fetch(page, count, moment)
            if self._closed:
                raise ConfigurationError("the client is closed")
            held = self._send_held(operation, request(page, count, moment))
            return PageResult(
                total_results=0, total_pages=0, page_results=0, items=(), unpack=lambda: read(held.read())
            )

        concurrency = self.max_concurrency
        return Pager(
            fetch,
            page_size=page_size,
            max_results=max_results,
            start_page=start_page,
            as_of=instant(as_of, "as_of"),
            concurrency=concurrency,
            executor=self.pool(),
            operation=operation,
            retry=self.retry,
            prefetch=fetch_ahead,
        )
