"""Chaos: under 10% transient faults of every kind the client loses and repeats nothing; permanent faults fail fast.

FakeTenant injects throttling faults, HTTP 429 and 503, dropped connections and truncated bodies at ``fault_rate``;
the client retries with a zero-wait policy (so the suite stays fast). Results are compared with the fake's data set
(the ground truth) or with a fault-free run; requests are counted in ``fake.requests``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import tenacity

from workday_recruiting import (
    AuthenticationError,
    PermissionDeniedError,
    RecruitingClient,
    RetryPolicy,
    Timeouts,
    TransportError,
    ValidationError,
)
from workday_recruiting.testing import ALL_DOMAINS, ALL_FAULT_KINDS, MANAGE_CANDIDATES, FakeTenant

Factory = Callable[..., FakeTenant]
#: Zero waits, and enough attempts that ten faults in a row (1e-10 at 10%) are needed to fail a request.
CHAOS_RETRY = RetryPolicy(attempts=10, initial_backoff=0, max_backoff=0, jitter=0, deadline=600)


def chaotic(factory: Factory, candidates: int, **kwargs: Any) -> FakeTenant:
    """A tenant answering 10% of SOAP requests with a transient fault of any kind, slowly."""
    options: dict[str, Any] = {"fault_rate": 0.1, "latency": 0.002, "retry_after": 0, "seed": 6}
    options.update(kwargs)
    return factory(candidates=candidates, **options)


def client_for(fake: FakeTenant, **kwargs: Any) -> RecruitingClient:
    options: dict[str, Any] = {"retry": CHAOS_RETRY}
    options.update(kwargs)
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, **options)


def injected(fake: FakeTenant) -> Counter[str]:
    return Counter(r.fault for r in fake.requests if r.fault is not None)


# -- every record exactly once ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("page_size", "concurrency"), [(100, 4), (999, 1)])
def test_five_thousand_candidates_exactly_once_in_order_under_faults(
    fake_tenant_factory: Factory, page_size: int, concurrency: int
) -> None:
    """A full candidates.list() of 5,000 yields each candidate once, in the tenant's order, through 10% faults."""
    fake = chaotic(fake_tenant_factory, 5000)
    with client_for(fake, max_concurrency=concurrency) as client:
        pager = client.candidates.list(page_size=page_size)
        ids = [c.candidate_id for c in pager]
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    assert pager.total_results == 5000
    faults = injected(fake)
    assert sum(faults.values()) >= 1
    as_of = {r.body.split(b"As_Of_Entry_DateTime>")[1][:40] for r in fake.requests.of("Get_Candidates")}
    assert len(as_of) == 1, "the snapshot moment changed between pages"


def test_all_fault_kinds_were_survived(fake_tenant_factory: Factory) -> None:
    """Over a few hundred requests at 10%, every fault kind is injected and every page still arrives once."""
    fake = chaotic(fake_tenant_factory, 3000)
    with client_for(fake) as client:
        ids = [c.candidate_id for c in client.candidates.list(page_size=10)]
    assert ids == [record.candidate_id for record in fake.dataset.iter_candidates()]
    assert set(injected(fake)) == set(ALL_FAULT_KINDS)


@pytest.mark.slow
def test_upcoming_interviews_under_faults_equal_the_fault_free_result(fake_tenant_factory: Factory) -> None:
    """interviews.upcoming() over 5,000 candidates returns the same sessions with and without 10% faults."""
    fake = chaotic(fake_tenant_factory, 5000, fault_rate=0.0)
    start = fake.dataset.now
    end = start + timedelta(days=7)
    with client_for(fake) as client:
        calm = list(client.interviews.upcoming(start=start, end=end, page_size=500))
        fake.fault_rate = 0.1
        fake.requests.clear()
        stormy = list(client.interviews.upcoming(start=start, end=end, page_size=500))
    assert calm, "the data set has no interviews in the window"
    assert stormy == calm
    assert [s.session.wid for s in stormy] == [s.session.wid for s in calm]
    assert sum(injected(fake).values()) > 10


# -- the retry deadline -----------------------------------------------------------------------------------------


class FakeClock:
    """Virtual time for tenacity: advanced by each wait and by each attempt (as if every one took the read timeout)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.attempt_starts: list[float] = []
        self.waits: list[tuple[float, float]] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append((self.now, seconds))
        self.now += seconds


@pytest.mark.parametrize(
    ("deadline", "read", "backoff", "expected_attempts"),
    [(30.0, 10.0, 1.0, 3), (5.0, 10.0, 0.0, 1), (100.0, 1.0, 8.0, 12), (1000.0, 1.0, 0.0, 50)],
)
def test_retry_deadline_bounds_the_call(
    fake_tenant_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    deadline: float,
    read: float,
    backoff: float,
    expected_attempts: int,
) -> None:
    """Against an always-failing tenant no attempt starts after the deadline: the call ends by deadline + one read."""
    fake = fake_tenant_factory(candidates=10, fault_rate=1.0, fault_kinds=["service_unavailable"])
    clock = FakeClock()
    monkeypatch.setattr(tenacity, "time", SimpleNamespace(monotonic=clock.monotonic))
    policy = RetryPolicy(attempts=50, deadline=deadline, initial_backoff=backoff, max_backoff=backoff, jitter=0)
    client = client_for(fake, retry=policy, timeouts=Timeouts(read=read))
    transport = client._transport
    send = transport._send

    def slow_send(operation: str, envelope: Any, *rest: Any) -> Any:
        clock.attempt_starts.append(clock.now)
        clock.now += read  # the worst case: every attempt runs into the read timeout
        return send(operation, envelope, *rest)

    monkeypatch.setattr(transport, "_send", slow_send)
    monkeypatch.setattr(transport, "_sleep", clock.sleep)
    with pytest.raises(TransportError):
        client.server_time()
    assert len(fake.requests) == len(clock.attempt_starts) == expected_attempts
    assert all(start <= deadline for start in clock.attempt_starts)
    assert all(at + wait <= deadline for at, wait in clock.waits)
    assert clock.now <= deadline + read


# -- permanent faults: at once, no retry --------------------------------------------------------------------------


def test_wrong_password_fails_at_once_even_amid_transient_faults(fake_tenant_factory: Factory) -> None:
    """Transient faults are retried, but the first authentication fault ends the call: one request reached it."""
    fake = chaotic(fake_tenant_factory, 50, fault_rate=0.5, seed=2)
    client = RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password="wrong", retry=CHAOS_RETRY)
    with pytest.raises(AuthenticationError):
        list(client.candidates.list())
    answered = [r for r in fake.requests if r.fault is None]
    assert len(answered) == 1 and answered[0].faultcode == "SOAP-ENV:Client.authenticationError"
    assert fake.requests.last == answered[0] and len(fake.requests) > 1  # transient faults came first


@pytest.mark.parametrize(
    "failure",
    ["bad_password", "expired_password", "missing_domain", "policy_not_activated", "invalid_reference", "page_zero"],
)
def test_permanent_faults_are_sent_once(fake_tenant_factory: Factory, failure: str) -> None:
    """Authentication, permission and validation faults raise after exactly one request, through the high-level API."""
    fake = fake_tenant_factory(candidates=30)
    username, password = fake.username, fake.password
    if failure == "bad_password":
        password = "not-the-password"
    elif failure == "expired_password":
        fake.add_isu("ISU_Expired", "Expired-pass-1", password_expired=True)
        username, password = "ISU_Expired", "Expired-pass-1"
    elif failure == "missing_domain":
        fake.add_isu("ISU_Partial", "Partial-pass-1", domains=[d for d in ALL_DOMAINS if d != MANAGE_CANDIDATES])
        username, password = "ISU_Partial", "Partial-pass-1"
    elif failure == "policy_not_activated":
        fake.add_isu("ISU_Pending", "Pending-pass-1", activated=False)
        username, password = "ISU_Pending", "Pending-pass-1"
    expected: type[Exception] = {
        "bad_password": AuthenticationError,
        "expired_password": AuthenticationError,
        "missing_domain": PermissionDeniedError,
        "policy_not_activated": PermissionDeniedError,
        "invalid_reference": ValidationError,
        "page_zero": ValidationError,
    }[failure]
    actions: dict[str, Callable[[RecruitingClient], object]] = {
        "invalid_reference": lambda c: list(c.candidates.list(requisition="R-NO-SUCH-REQUISITION")),
        "page_zero": lambda c: c.call("Get_Candidates", {"Response_Filter": {"Page": 0, "Count": 5}}),
    }
    action = actions.get(failure, lambda c: list(c.candidates.list(page_size=5)))
    client = RecruitingClient(wsdl_url=fake.wsdl_url, username=username, password=password, retry=CHAOS_RETRY)
    with client, pytest.raises(expected):
        action(client)
    assert len(fake.requests) == 1


def test_refused_oauth_client_is_not_retried(fake_tenant_factory: Factory) -> None:
    """A token endpoint refusing the client secret raises AuthenticationError after one token request, no SOAP."""
    fake = fake_tenant_factory(candidates=10)
    client = RecruitingClient.from_oauth(
        wsdl_url=fake.wsdl_url,
        client_id=fake.oauth_client.client_id,
        client_secret="not-the-secret",
        refresh_token=fake.oauth_client.refresh_token,
        retry=CHAOS_RETRY,
    )
    with pytest.raises(AuthenticationError):
        client.server_time()
    assert [r.path.split("/")[-1] for r in fake.requests] == ["token"]


def test_expired_access_token_is_renewed_once_then_fails(fake_tenant_factory: Factory) -> None:
    """An expired bearer token is renewed once; if the renewal is refused too, the error is raised (no loop)."""
    fake = fake_tenant_factory(candidates=10)
    with RecruitingClient.from_oauth(
        wsdl_url=fake.wsdl_url,
        client_id=fake.oauth_client.client_id,
        client_secret=fake.oauth_client.client_secret,
        refresh_token=fake.oauth_client.refresh_token,
        retry=CHAOS_RETRY,
    ) as client:
        client.server_time()
        fake.expire_tokens()
        client.server_time()  # renewed after one 401
        kinds = [("token" if r.path.endswith("token") else r.status) for r in fake.requests]
        assert kinds == ["token", 200, 401, "token", 200]
        fake.requests.clear()
        fake.expire_tokens()
        fake.add_isu(fake.isu.name, fake.password, password_expired=True)  # the refresh token's user now fails
        with pytest.raises(AuthenticationError):
            client.server_time()
        kinds = [("token" if r.path.endswith("token") else r.status) for r in fake.requests]
        assert kinds == [401, "token"]
