"""Helpers the interview tests share (a module of the test suite, not a test file)."""

from __future__ import annotations

from workday_recruiting.testing import FakeTenant


def open_interview_application(fake: FakeTenant) -> str:
    """An open application in the Interview stage of ``fake``, to schedule a new interview on."""
    for candidate in fake.dataset.iter_candidates():
        for app in candidate.applications:
            if app.stage_id == "INTERVIEW" and app.disposition_id is None:
                return app.application_id
    raise AssertionError("the fake has no open application in Interview")
