"""Retries: transient failures only, Retry-After honoured, attempts and the deadline respected, each retry logged."""

from __future__ import annotations

import logging

import pytest

from workday_recruiting import (
    AuthenticationError,
    ConnectError,
    PermissionDeniedError,
    ResponseParseError,
    RetryPolicy,
    ThrottledError,
    TransportError,
    ValidationError,
)
from workday_recruiting._retry import call_with_retries


class Script:
    """Raises the scripted errors in turn, then returns "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def no_jitter(**kwargs: float) -> RetryPolicy:
    return RetryPolicy(jitter=0.0, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        ConnectError("reset"),
        TransportError("HTTP 503", http_status=503),
        ThrottledError("429", retry_after=0.0, http_status=429),
        ThrottledError("throttled fault", http_status=500),
        ResponseParseError("truncated", retryable=True),
    ],
)
def test_transient_failures_are_retried(error: Exception) -> None:
    """Connection errors, 5xx gateways, throttling and truncated bodies are retried."""
    sleeps: list[float] = []
    script = Script(error, error)
    assert call_with_retries(no_jitter(), "Get_Candidates", script, sleep=sleeps.append) == "ok"
    assert script.calls == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    "error",
    [
        AuthenticationError("bad password"),
        PermissionDeniedError("not authorized"),
        ValidationError("bad request"),
        ResponseParseError("html page"),
    ],
)
def test_permanent_failures_are_not_retried(error: Exception) -> None:
    """Authentication, permission, validation and parse faults raise at once, after one request."""
    script = Script(error)
    with pytest.raises(type(error)):
        call_with_retries(no_jitter(), "Get_Candidates", script, sleep=lambda s: None)
    assert script.calls == 1


def test_attempts_cap_and_original_error_reraised() -> None:
    """After the last attempt the original exception is re-raised unchanged."""
    error = ConnectError("reset")
    script = Script(*[error] * 10)
    with pytest.raises(ConnectError) as info:
        call_with_retries(no_jitter(attempts=3), "Get_Candidates", script, sleep=lambda s: None)
    assert info.value is error and script.calls == 3


def test_backoff_is_exponential_and_capped() -> None:
    """Waits double from initial_backoff and stop growing at max_backoff."""
    sleeps: list[float] = []
    script = Script(*[ConnectError("x")] * 5)
    call_with_retries(
        no_jitter(attempts=6, initial_backoff=1, max_backoff=4, deadline=1000),
        "op",
        script,
        sleep=sleeps.append,
    )
    assert sleeps == [1, 2, 4, 4, 4]


def test_retry_after_replaces_backoff() -> None:
    """A Retry-After from HTTP 429 is the wait."""
    sleeps: list[float] = []
    call_with_retries(
        no_jitter(initial_backoff=9),
        "op",
        Script(ThrottledError("429", retry_after=2.5)),
        sleep=sleeps.append,
    )
    assert sleeps == [2.5]


def test_retry_after_beyond_the_cap_gives_up() -> None:
    """A Retry-After longer than max_retry_after is not waited for."""
    script = Script(ThrottledError("429", retry_after=3600))
    with pytest.raises(ThrottledError):
        call_with_retries(no_jitter(max_retry_after=60), "op", script, sleep=lambda s: None)
    assert script.calls == 1


def test_deadline_is_respected() -> None:
    """No wait starts that would end after the deadline, whatever the attempts left."""
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    script = Script(*[ConnectError("x")] * 50)
    with pytest.raises(ConnectError):
        call_with_retries(
            no_jitter(attempts=50, initial_backoff=1, max_backoff=1, deadline=0.5), "op", script, sleep=sleep
        )
    assert script.calls == 1


def test_each_retry_logged_at_info(caplog: pytest.LogCaptureFixture) -> None:
    """Each retry is one INFO line naming the operation and the error."""
    caplog.set_level(logging.INFO, logger="workday_recruiting")
    call_with_retries(
        no_jitter(),
        "Get_Candidates",
        Script(ConnectError("reset"), ConnectError("reset")),
        sleep=lambda s: None,
    )
    lines = [r for r in caplog.records if r.name == "workday_recruiting" and "retrying" in r.getMessage()]
    assert len(lines) == 2 and all(r.levelno == logging.INFO for r in lines)
    assert "Get_Candidates" in lines[0].getMessage()
