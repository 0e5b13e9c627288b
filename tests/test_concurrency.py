"""Concurrency: one client shared by 8 threads gives each thread exactly what one thread alone gets.

Each thread lists candidates and requisitions and reads upcoming interviews through the same client (one session,
one connection pool, one page-prefetch pool, one OAuth token), started together behind a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from workday_recruiting import RecruitingClient, RetryPolicy
from workday_recruiting.testing import FakeTenant

THREADS = 8
RETRY = RetryPolicy(attempts=10, initial_backoff=0, max_backoff=0, jitter=0, deadline=120)
Factory = Callable[..., FakeTenant]
Job = Callable[[RecruitingClient], list[Any]]


def jobs(fake: FakeTenant) -> dict[str, Job]:
    start = fake.dataset.now
    end = start + timedelta(days=10)
    return {
        "candidates": lambda c: list(c.candidates.list(page_size=25)),
        "requisitions": lambda c: list(c.requisitions.list(page_size=4)),
        "upcoming": lambda c: list(c.interviews.upcoming(start=start, end=end, page_size=40)),
    }


def run_in_threads(client: RecruitingClient, work: dict[str, Job]) -> list[dict[str, list[Any]]]:
    """Run every job in each of THREADS threads (each in a different order), all released at once."""
    barrier = threading.Barrier(THREADS)
    results: list[dict[str, list[Any]]] = [{} for _ in range(THREADS)]
    errors: list[BaseException] = []
    names = list(work)

    def thread(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            order = names[index % len(names) :] + names[: index % len(names)]
            for name in order:
                results[index][name] = work[name](client)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not errors, errors
    assert all(not t.is_alive() for t in threads)
    return results


@pytest.mark.parametrize("fault_rate", [0.0, 0.1])
def test_eight_threads_sharing_one_client_see_what_one_thread_sees(
    fake_tenant_factory: Factory, fault_rate: float
) -> None:
    """Candidates, requisitions and upcoming interviews read by 8 threads at once equal a single thread's reads."""
    fake = fake_tenant_factory(candidates=150, retry_after=0)
    work = jobs(fake)
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=RETRY) as one:
        alone = {name: job(one) for name, job in work.items()}
    assert all(alone.values()), "a job found nothing: the comparison would prove little"
    fake.fault_rate = fault_rate
    with RecruitingClient(
        wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=RETRY, max_concurrency=4
    ) as shared:
        together = run_in_threads(shared, work)
    for result in together:
        assert result == alone
    assert [c.candidate_id for c in together[3]["candidates"]] == [
        r.candidate_id for r in fake.dataset.iter_candidates()
    ]
    if fault_rate:
        assert any(r.fault for r in fake.requests)


def test_threads_sharing_an_oauth_client_fetch_one_token(fake_tenant_factory: Factory) -> None:
    """8 threads starting together on one OAuth client cause one token request, and read the same data."""
    fake = fake_tenant_factory(candidates=60)
    work = {name: job for name, job in jobs(fake).items() if name != "upcoming"}
    with RecruitingClient.from_oauth(
        wsdl_url=fake.wsdl_url,
        client_id=fake.oauth_client.client_id,
        client_secret=fake.oauth_client.client_secret,
        refresh_token=fake.oauth_client.refresh_token,
        retry=RETRY,
    ) as shared:
        together = run_in_threads(shared, work)
    token_requests = [r for r in fake.requests if r.path.endswith("/token")]
    assert len(token_requests) == 1
    assert all(r.auth == "bearer" for r in fake.requests if r.operation)
    for result in together[1:]:
        assert result == together[0]
    assert len(together[0]["candidates"]) == 60
