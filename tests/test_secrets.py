"""Secret hygiene: no password, token or client secret in logs, stdout, reprs, errors, tracebacks, pickles or cassettes.

Every logger (root, zeep, urllib3, requests, workday_recruiting) is at DEBUG and ``http.client`` debug printing is
switched on, then a full ISU session, a full OAuth session and every error path run against FakeTenant. What they
leave behind is searched for each secret (and the HTTP Basic form of the client credentials). Recorded cassettes
are searched for the secrets and for the personal data of the candidates they hold.
"""

from __future__ import annotations

import base64
import http.client
import io
import logging
import pickle
import traceback
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from workday_recruiting import (
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    PermissionDeniedError,
    RecruitingClient,
    ResponseParseError,
    RetryPolicy,
    ThrottledError,
    Timeout,
    Timeouts,
    TransportError,
    ValidationError,
    WorkdayError,
)
from workday_recruiting._auth import Secret
from workday_recruiting.testing import ALL_DOMAINS, MANAGE_CANDIDATES, FakeTenant, OAuthClient
from workday_recruiting.testing.cassettes import use_cassette

Factory = Callable[..., FakeTenant]
RETRY = RetryPolicy(attempts=2, initial_backoff=0, max_backoff=0, jitter=0, deadline=60)
LOGGERS = ("", "zeep", "urllib3", "requests", "workday_recruiting", "workday_recruiting.testing")


class Secrets:
    """Every secret a test handed out or the fake issued (access tokens are recorded as the fake issues them)."""

    def __init__(self, fake: FakeTenant) -> None:
        self.values: set[str] = set()
        self.add_fake(fake)

    def add_fake(self, fake: FakeTenant) -> None:
        self.add(fake.password, fake.oauth_client.client_secret, fake.oauth_client.refresh_token)
        self.add_basic(fake.oauth_client)
        issue = fake.issue_access_token

        def recording(client: OAuthClient) -> str:
            token = issue(client)
            self.add(token)
            return token

        fake.issue_access_token = recording  # type: ignore[method-assign]

    def add(self, *values: str) -> None:
        self.values.update(values)

    def add_basic(self, client: OAuthClient) -> None:
        pair = f"{client.client_id}:{client.client_secret}".encode()
        self.values.add(base64.b64encode(pair).decode())

    def found_in(self, text: str) -> list[str]:
        return sorted(secret for secret in self.values if secret in text)


class Loud:
    """Every logger at DEBUG into one buffer, and http.client printing its wire debug output."""

    def __init__(self, capfd: pytest.CaptureFixture[str]) -> None:
        self.capfd = capfd
        self.buffer = io.StringIO()
        self.handler = logging.StreamHandler(self.buffer)
        self.handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.handler.setLevel(logging.DEBUG)
        self.levels = {name: logging.getLogger(name).level for name in LOGGERS}
        self.debuglevel = http.client.HTTPConnection.debuglevel

    def __enter__(self) -> Loud:
        for name in LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self.handler)
        http.client.HTTPConnection.debuglevel = 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        http.client.HTTPConnection.debuglevel = self.debuglevel
        logging.getLogger().removeHandler(self.handler)
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)

    def text(self) -> str:
        out, err = self.capfd.readouterr()
        return "\n".join([self.buffer.getvalue(), out, err])


@pytest.fixture
def loud(capfd: pytest.CaptureFixture[str]) -> Iterator[Loud]:
    with Loud(capfd) as capture:
        yield capture


def exception_texts(exc: BaseException) -> list[str]:
    """Everything an exception shows: str, repr, attributes, formatted tracebacks (with locals), chain, pickle."""
    texts = [
        "".join(traceback.format_exception(exc)),
        "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format()),
    ]
    seen: set[int] = set()
    current: BaseException | None = exc
    pending = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), repr(vars(current)) if hasattr(current, "__dict__") else ""]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    texts.append(pickle.dumps(exc).decode("latin-1"))  # errors must pickle (multiprocessing, task queues)
    return texts


def catch(action: Callable[[], object]) -> WorkdayError:
    """Run ``action`` and return the WorkdayError it raises (the test fails if it raises none)."""
    try:
        action()
    except WorkdayError as exc:
        return exc
    pytest.fail("the error path raised nothing")


def isu_client(fake: FakeTenant, **kwargs: Any) -> RecruitingClient:
    options: dict[str, Any] = {"retry": RETRY}
    options.update(kwargs)
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, **options)


def oauth_client(fake: FakeTenant, **kwargs: Any) -> RecruitingClient:
    options: dict[str, Any] = {
        "client_id": fake.oauth_client.client_id,
        "client_secret": fake.oauth_client.client_secret,
        "refresh_token": fake.oauth_client.refresh_token,
        "retry": RETRY,
    }
    options.update(kwargs)
    return RecruitingClient.from_oauth(wsdl_url=fake.wsdl_url, **options)


def full_session(client: RecruitingClient, fake: FakeTenant) -> list[str]:
    """Use every service; returns the reprs of the client and its parts."""
    start = fake.dataset.now
    candidates = list(client.candidates.list(page_size=7))
    first = candidates[0].candidate_id or ""
    client.candidates.get(first)
    list(client.candidates.list(email=candidates[1].primary_email or "x@example.com"))
    list(client.job_applications.list(page_size=20, max_results=10))
    list(client.requisitions.list(page_size=5))
    list(client.interviews.upcoming(start=start, end=start + timedelta(days=10), page_size=50))
    client.server_time()
    client.candidates.changes(since=start - timedelta(days=1))
    client.call("Get_Server_Timestamp")
    return [
        repr(client),
        repr(client._auth),
        repr(client._transport),
        repr(vars(client)),
        repr(vars(client._transport)),
        repr(client.candidates),
        repr(client.endpoint),
    ]


# -- sessions ----------------------------------------------------------------------------------------------------


def test_isu_session_leaves_no_secret(fake_tenant_factory: Factory, loud: Loud) -> None:
    """A full ISU session at DEBUG everywhere (http.client debug on) shows no password anywhere."""
    fake = fake_tenant_factory(candidates=40)
    secrets = Secrets(fake)
    with isu_client(fake) as client:
        reprs = full_session(client, fake)
    with isu_client(fake, wsdl="tenant") as client:  # the tenant's own WSDL, fetched through the same session
        client.server_time()
    text = loud.text()
    assert "workday_recruiting DEBUG" in text and "urllib3" in text, "the capture saw nothing"
    assert "request body" in text  # our DEBUG body log ran (without the security header)
    assert secrets.found_in(text + "\n".join(reprs)) == []


def test_oauth_session_leaves_no_secret(fake_tenant_factory: Factory, loud: Loud) -> None:
    """A full OAuth session, with a token renewal, shows no client secret, refresh token or access token."""
    fake = fake_tenant_factory(candidates=40)
    secrets = Secrets(fake)
    with oauth_client(fake) as client:
        reprs = full_session(client, fake)
        fake.expire_tokens()
        client.server_time()  # 401, renewed token, success
    issued = len(secrets.values) - 4
    assert issued == 2, "expected an access token and its renewal to be issued"
    assert secrets.found_in(loud.text() + "\n".join(reprs)) == []


# -- error paths -------------------------------------------------------------------------------------------------


class WrongCredentials:
    """Wrong credentials for the error paths; module-level and repr-less so no test frame shows their values."""

    password = "Wrong-Password-789"
    client_secret = "Wrong-Client-Secret-123"
    refresh_token = "Wrong-Refresh-Token-456"
    partial_password = "Partial-Pass-111"

    def __repr__(self) -> str:
        return "<wrong credentials>"


WRONG = WrongCredentials()


def _error_paths(fake: FakeTenant, secrets: Secrets) -> dict[str, tuple[Callable[[], object], type[WorkdayError]]]:
    secrets.add(WRONG.password, WRONG.client_secret, WRONG.refresh_token, WRONG.partial_password)
    fake.add_isu("ISU_Partial", WRONG.partial_password, domains=[d for d in ALL_DOMAINS if d != MANAGE_CANDIDATES])
    closed = "http://127.0.0.1:9/ccx/service/acme/Recruiting"
    return {
        "bad_password": (
            lambda: RecruitingClient(
                wsdl_url=fake.wsdl_url, username=fake.username, password=WRONG.password, retry=RETRY
            ).server_time(),
            AuthenticationError,
        ),
        "bad_client_secret": (
            lambda: oauth_client(fake, client_secret=WRONG.client_secret).server_time(),
            AuthenticationError,
        ),
        "bad_refresh_token": (
            lambda: oauth_client(fake, refresh_token=WRONG.refresh_token).server_time(),
            AuthenticationError,
        ),
        "permission": (
            lambda: list(
                RecruitingClient(
                    wsdl_url=fake.wsdl_url, username="ISU_Partial", password=WRONG.partial_password, retry=RETRY
                ).candidates.list()
            ),
            PermissionDeniedError,
        ),
        "validation": (lambda: list(isu_client(fake).candidates.list(requisition="R-NOPE")), ValidationError),
        "connection_refused": (
            lambda: RecruitingClient(
                wsdl_url=closed, username="ISU", password=fake.password, retry=RETRY
            ).server_time(),
            ConnectError,
        ),
        "oauth_connection_refused": (
            lambda: RecruitingClient.from_oauth(
                wsdl_url=closed,
                client_id="id",
                client_secret=fake.oauth_client.client_secret,
                refresh_token=fake.oauth_client.refresh_token,
                retry=RETRY,
            ).server_time(),
            ConnectError,
        ),
        "response_too_large": (
            lambda: list(isu_client(fake, max_response_bytes=2000).candidates.list()),
            ResponseParseError,
        ),
        "unsendable_character": (lambda: list(isu_client(fake).candidates.list(email="a\x00b")), ConfigurationError),
    }


@pytest.mark.parametrize(
    "path",
    [
        "bad_password",
        "bad_client_secret",
        "bad_refresh_token",
        "permission",
        "validation",
        "connection_refused",
        "oauth_connection_refused",
        "response_too_large",
        "unsendable_character",
    ],
)
def test_error_paths_leave_no_secret(fake_tenant_factory: Factory, loud: Loud, path: str) -> None:
    """Each error path: the error (str, repr, chain, traceback with locals, pickle) and the logs hold no secret."""
    fake = fake_tenant_factory(candidates=20)
    secrets = Secrets(fake)
    action, expected = _error_paths(fake, secrets)[path]
    error = catch(action)
    assert isinstance(error, expected), repr(error)
    texts = exception_texts(error)
    assert secrets.found_in("\n".join(texts)) == []
    assert secrets.found_in(loud.text()) == []


@pytest.mark.parametrize("kind", ["isu", "oauth"])
def test_timeouts_leave_no_secret(fake_tenant_factory: Factory, loud: Loud, kind: str) -> None:
    """A read timeout (on the SOAP call, or on the token endpoint for OAuth) shows no secret."""
    fake = fake_tenant_factory(candidates=5, latency=0.5)
    secrets = Secrets(fake)
    make = isu_client if kind == "isu" else oauth_client
    error = catch(lambda: make(fake, timeouts=Timeouts(connect=5, read=0.05)).server_time())
    assert isinstance(error, Timeout)
    assert secrets.found_in("\n".join(exception_texts(error)) + loud.text()) == []


@pytest.mark.parametrize(
    "fault", ["throttling_fault", "too_many_requests", "service_unavailable", "dropped_connection", "truncated_body"]
)
@pytest.mark.parametrize("kind", ["isu", "oauth"])
def test_transient_faults_leave_no_secret(fake_tenant_factory: Factory, loud: Loud, fault: str, kind: str) -> None:
    """A transient fault that outlasts the retries (logged at INFO on each retry) shows no secret."""
    fake = fake_tenant_factory(candidates=5, fault_rate=1.0, fault_kinds=[fault], retry_after=0)
    secrets = Secrets(fake)
    make = isu_client if kind == "isu" else oauth_client
    error = catch(lambda: make(fake).server_time())
    assert isinstance(error, (TransportError, ThrottledError, ResponseParseError))
    text = loud.text()
    assert "retrying Get_Server_Timestamp" in text
    assert secrets.found_in("\n".join(exception_texts(error)) + text) == []


def test_expired_token_with_refused_renewal_leaves_no_secret(fake_tenant_factory: Factory, loud: Loud) -> None:
    """A 401 on an expired token whose renewal is refused raises AuthenticationError without any token in it."""
    fake = fake_tenant_factory(candidates=5)
    secrets = Secrets(fake)
    client = oauth_client(fake)
    client.server_time()
    fake.expire_tokens()
    fake.add_isu(fake.isu.name, fake.password, password_expired=True)
    error = catch(client.server_time)
    assert isinstance(error, AuthenticationError)
    assert secrets.found_in("\n".join(exception_texts(error)) + loud.text()) == []


# -- reprs and pickles -------------------------------------------------------------------------------------------


def test_secrets_refuse_pickling_and_hide_in_reprs(fake_tenant_factory: Factory) -> None:
    """Secret, the auth objects and the clients cannot be pickled, and no repr shows a secret."""
    fake = fake_tenant_factory(candidates=5)
    secrets = Secrets(fake)
    secret = Secret(fake.password)
    assert fake.password not in f"{secret!r} {secret!s} {[secret]!r} { ({'p': secret})!r}"
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    for client in (isu_client(fake), oauth_client(fake)):
        client.server_time()
        for thing in (client, client._auth):
            assert secrets.found_in(repr(thing)) == []
            with pytest.raises((TypeError, pickle.PicklingError, AttributeError)):
                pickle.dumps(thing)


# -- cassettes -------------------------------------------------------------------------------------------------------


def cassette_text(path: Path) -> str:
    """The cassette file and every string in it, decoded (bodies may be stored as binary)."""
    raw = path.read_text(encoding="utf-8")
    parts = [raw]

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, bytes):
            parts.append(node.decode("utf-8", "replace"))
        elif isinstance(node, str):
            parts.append(node)

    walk(yaml.safe_load(raw))
    return "\n".join(parts)


def personal_data(fake: FakeTenant, count: int) -> set[str]:
    """Emails and full names of the first ``count`` candidates of the fake's data set."""
    found: set[str] = set()
    for record in list(fake.dataset.iter_candidates())[:count]:
        found.update(record.emails)
        found.add(record.display_name)
        found.add(f"{record.first_name} {record.last_name}")
    return {value for value in found if value and len(value) > 5}


@pytest.mark.parametrize("kind", ["isu", "oauth"])
def test_recorded_cassettes_hold_no_secret_and_no_personal_data(
    fake_tenant_factory: Factory, tmp_path: Path, kind: str
) -> None:
    """A cassette recorded against FakeTenant (record_mode="all") holds no secret and no candidate's name or email."""
    fake = fake_tenant_factory(candidates=15)
    secrets = Secrets(fake)
    path = tmp_path / f"{kind}.yaml"
    people = personal_data(fake, 15)
    with use_cassette(path, record_mode="all"):
        client = isu_client(fake, max_concurrency=1) if kind == "isu" else oauth_client(fake, max_concurrency=1)
        with client:
            full_session(client, fake)
            first = next(iter(fake.dataset.iter_candidates()))
            list(client.candidates.list(name=(first.first_name, first.last_name)))
    text = cassette_text(path)
    assert "Get_Candidates_Response" in text, "nothing was recorded"
    assert secrets.found_in(text) == []
    assert sorted(value for value in people if value in text) == []


def test_token_endpoint_failure_carries_no_request() -> None:
    """An unreachable token endpoint raises ConnectError with no chained exception holding the request's secrets."""
    from workday_recruiting import ConnectError, RecruitingClient, RetryPolicy

    client = RecruitingClient.from_oauth(
        wsdl_url="http://127.0.0.1:9/ccx/service/acme/Recruiting",
        client_id="chain-client",
        client_secret="chain-secret-value",
        refresh_token="chain-refresh-value",
        retry=RetryPolicy(attempts=1),
    )
    with pytest.raises(ConnectError) as info:
        client.server_time()
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    text = "".join(traceback.format_exception(info.value))
    assert "chain-secret-value" not in text and "chain-refresh-value" not in text
