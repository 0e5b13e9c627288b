"""Checked by mypy --strict (CI), never run: the public API's types as a user sees them."""

from __future__ import annotations

from datetime import datetime, timezone

from workday_recruiting import (
    Candidate,
    Interview,
    JobApplication,
    JobRequisition,
    Page,
    Pager,
    RecruitingClient,
    RetryPolicy,
    ScheduledInterview,
    Timeouts,
    WorkdayError,
)


def usage(client: RecruitingClient) -> None:
    since = datetime(2026, 1, 1, tzinfo=timezone.utc)
    candidates: Pager[Candidate] = client.candidates.list(updated_from=since, page_size=200, max_results=10)
    for page in candidates.pages:
        first: Page[Candidate] = page
        items: tuple[Candidate, ...] = first.items
        del items
    one: Candidate = client.candidates.get("CAND-1187")
    email: str | None = one.primary_email
    applications: Pager[JobApplication] = client.job_applications.list(requisition="R-00008", stage="REVIEW")
    interviews: list[Interview] = client.interviews.for_application("JOB_APPLICATION-6-253")
    upcoming: list[ScheduledInterview] = list(client.interviews.upcoming(days=7))
    start: datetime = upcoming[0].start
    requisition: JobRequisition = client.requisitions.get("R-00008")
    now: datetime = client.server_time()
    try:
        client.call("Get_Job_Postings", {"Response_Filter": {"Count": 1}})
    except WorkdayError as exc:
        retryable: bool = exc.is_retryable
        del retryable
    del email, applications, interviews, start, requisition, now


def construct() -> RecruitingClient:
    url = "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting"
    with RecruitingClient(wsdl_url=url, username="ISU", password="x", timeouts=Timeouts(read=60)) as client:
        del client
    return RecruitingClient.from_oauth(
        wsdl_url=url, client_id="id", client_secret="s", refresh_token="r", retry=RetryPolicy(attempts=3)
    )
