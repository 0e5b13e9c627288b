"""The retry policy turned into tenacity settings, in one place.

Only errors whose ``is_retryable`` is true are retried. Waits are exponential with jitter; a ``Retry-After``
from a :class:`ThrottledError` replaces the computed wait. The policy's ``deadline`` bounds the whole call: no
wait is started that would end after it. Each retry is logged at INFO; the last error is re-raised unchanged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ._config import RetryPolicy
from ._errors import ThrottledError, WorkdayError

if TYPE_CHECKING:
    import tenacity  # imported on the first call, not with the package (see docs/performance.md)

__all__ = ["call_with_retries"]

log = logging.getLogger("workday_recruiting")
T = TypeVar("T")


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, WorkdayError) and exc.is_retryable


def _make_wait(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], float]:
    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, ThrottledError) and exc.retry_after is not None:
            return min(float(exc.retry_after), policy.max_retry_after)
        backoff = policy.initial_backoff * (2 ** (state.attempt_number - 1))
        jitter: float = random.uniform(0, policy.jitter)  # noqa: S311 - jitter, not crypto
        return float(min(policy.max_backoff, backoff)) + jitter

    return wait


def _make_stop(
    policy: RetryPolicy, wait: Callable[[tenacity.RetryCallState], float]
) -> Callable[[tenacity.RetryCallState], bool]:
    def stop(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= policy.attempts:
            return True
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, ThrottledError) and exc.retry_after is not None and exc.retry_after > policy.max_retry_after:
            return True
        upcoming = state.upcoming_sleep if state.upcoming_sleep else wait(state)
        return (state.seconds_since_start or 0.0) + upcoming > policy.deadline

    return stop


def _log_retry(operation: str) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        log.info(
            "retrying %s in %.2fs after attempt %d failed: %s",
            operation,
            state.upcoming_sleep,
            state.attempt_number,
            exc,
        )

    return before_sleep


def call_with_retries(
    policy: RetryPolicy,
    operation: str,
    func: Callable[[], T],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``func`` and retry it under ``policy`` while it raises retryable :class:`WorkdayError`.

    Args:
        policy: Attempts, deadline and backoff.
        operation: Named in the retry log lines.
        func: The call to make; it must be safe to repeat (every wrapped operation is a read).
        sleep: Replaced in tests to make waits instant.
    """
    import tenacity

    wait = _make_wait(policy)
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(_is_retryable),
        wait=wait,
        stop=_make_stop(policy, wait),
        before_sleep=_log_retry(operation),
        reraise=True,
        sleep=sleep,
    )
    return retrying(func)
