"""Workday's notifications as a trigger: the listener takes an authenticated notification as a hint (401 and nothing
else for wrong credentials), FakeTenant sends one on every interview or candidate edit, and a change made in the fake
reaches the webhook receiver within seconds although the watcher polls only every 300 s.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from _interviews import open_interview_application
from test_webhooks import SECRET, Receiver
from workday_recruiting import ConfigurationError, RecruitingClient
from workday_recruiting.testing import FakeTenant
from workday_recruiting.webhooks import Notification, NotificationListener, Watcher, WebhookSink, read_notification
from workday_recruiting.webhooks._listener import parse_address

Factory = Callable[..., FakeTenant]
USER, PASSWORD = "ISU_Workday_Notifications", "n0t1fy-Pa55word!"
WID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def listener() -> Iterator[tuple[NotificationListener, list[Notification]]]:
    got: list[Notification] = []
    with NotificationListener(got.append, user=USER, password=PASSWORD) as server:
        yield server, got


def _post(
    server: NotificationListener,
    body: bytes = b"",
    *,
    credentials: tuple[str, str] | None = (USER, PASSWORD),
    method: str = "POST",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    sent = dict(headers or {})
    if credentials is not None:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode()
        sent["Authorization"] = f"Basic {token}"
    try:
        connection.request(method, "/workday", body=body or None, headers=sent)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


# -- the listener ------------------------------------------------------------------------------------------------


NOTIFICATION = (
    b'<?xml version="1.0"?><wd:Notification xmlns:wd="urn:com.workday/bsvc">'
    b'<wd:Subject_Reference><wd:ID wd:type="WID">' + WID.encode() + b"</wd:ID></wd:Subject_Reference>"
    b'<wd:Candidate_Reference><wd:ID wd:type="Candidate_ID">CAND-1187</wd:ID></wd:Candidate_Reference>'
    b"</wd:Notification>"
)


def test_an_authenticated_notification_is_a_hint_with_the_wids_it_names(
    listener: tuple[NotificationListener, list[Notification]],
) -> None:
    """Right credentials: 202, and the callback gets the WIDs and typed IDs found in the body."""
    server, got = listener
    status, _, body = _post(server, NOTIFICATION)
    assert (status, body) == (202, b"")
    (notification,) = got
    assert notification.wids == (WID,) and notification.ids == (("Candidate_ID", "CAND-1187"),)
    assert notification.format == "xml" and notification.size == len(NOTIFICATION)


@pytest.mark.parametrize(
    "credentials", [(USER, "wrong"), ("someone", PASSWORD), (USER, PASSWORD + "x"), ("", ""), None], ids=str
)
def test_wrong_credentials_get_401_and_nothing_else(
    listener: tuple[NotificationListener, list[Notification]], credentials: tuple[str, str] | None
) -> None:
    """Wrong or missing credentials: 401 with a Basic challenge and an empty body; nothing is triggered."""
    server, got = listener
    status, headers, body = _post(server, NOTIFICATION, credentials=credentials)
    assert (status, body) == (401, b"")
    assert headers["www-authenticate"].startswith("Basic ")
    assert got == [] and server.refused == 1 and server.received == 0


def test_malformed_authorization_headers_get_401(listener: tuple[NotificationListener, list[Notification]]) -> None:
    """Not Basic, not base64, no colon: each is a 401."""
    server, got = listener
    for value in ["Bearer abc", "Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Basic"]:
        status, _, _ = _post(server, NOTIFICATION, credentials=None, headers={"Authorization": value})
        assert status == 401, value
    assert got == []


def test_wrong_credentials_are_refused_before_the_method_or_the_size_is_looked_at(
    listener: tuple[NotificationListener, list[Notification]],
) -> None:
    """A GET or an oversized body with wrong credentials is a 401 too; with the right ones, 405 and 413."""
    server, got = listener
    huge = b"<x>" + b"a" * (server.max_body_bytes + 1) + b"</x>"
    assert _post(server, method="GET", credentials=("x", "y"))[0] == 401
    assert _post(server, huge, credentials=("x", "y"))[0] == 401
    assert _post(server, method="GET")[0] == 405
    assert _post(server, huge)[0] == 413
    assert got == []


def test_any_body_is_parsed_safely_and_still_a_hint(listener: tuple[NotificationListener, list[Notification]]) -> None:
    """Malformed XML, an entity bomb or an external entity, JSON, plain text, nothing: each is a 202 and a hint;
    no entity is expanded and no file is read."""
    server, got = listener
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + WID.encode() + b'"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY file SYSTEM "file:///etc/passwd">]><x>&b;&file;</x>'
    )
    bodies = [b"<unclosed", bomb, json.dumps({"event": {"wid": WID}}).encode(), f"wid={WID}".encode(), b""]
    for body in bodies:
        assert _post(server, body)[0] == 202
    malformed, entities, as_json, text, empty = got
    assert malformed.format == "other" and malformed.wids == ()
    assert entities.wids in ((), (WID,)) and "root:" not in repr(entities)
    assert as_json.format == "json" and as_json.wids == (WID,)
    assert text.wids == (WID,) and empty.size == 0


def test_a_chunked_body_is_refused_and_a_short_one_dropped(
    listener: tuple[NotificationListener, list[Notification]],
) -> None:
    """No Content-Length (chunked) gets 411; nothing is triggered."""
    server, got = listener
    assert _post(server, headers={"Transfer-Encoding": "chunked"})[0] == 411
    assert got == []


def test_the_listener_binds_loopback_and_keeps_no_password() -> None:
    """By default it listens on 127.0.0.1 only; its repr and attributes hold neither credential."""
    with NotificationListener(lambda n: None, user=USER, password=PASSWORD) as server:
        assert server.host == "127.0.0.1" and server.loopback and server.url.startswith("http://127.0.0.1:")
        assert PASSWORD not in repr(server) and PASSWORD not in repr(vars(server))
    with pytest.raises(ConfigurationError):
        NotificationListener(lambda n: None, user=USER, password="")
    with pytest.raises(ConfigurationError):
        NotificationListener(lambda n: None, user="", password=PASSWORD)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("8080", ("127.0.0.1", 8080)),
        (":8080", ("127.0.0.1", 8080)),
        ("0.0.0.0:9", ("0.0.0.0", 9)),  # noqa: S104 - parsed, not bound
        ("[::1]:80", ("::1", 80)),
    ],
)
def test_listen_addresses(text: str, address: tuple[str, int]) -> None:
    """[HOST:]PORT, loopback unless a host is given."""
    assert parse_address(text) == address


@pytest.mark.parametrize("text", ["", "host", "1.2.3.4:", "1.2.3.4:99999", "[::1"])
def test_malformed_listen_addresses_are_refused(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_address(text)


def test_reading_a_notification_keeps_each_wid_once_and_at_most_fifty() -> None:
    """Repeated WIDs count once; a body naming thousands keeps the first fifty."""
    many = " ".join(f"{n:032x}" for n in range(1000)).encode()
    assert len(read_notification(many).wids) == 50
    assert read_notification(f"{WID} {WID}".encode()).wids == (WID,)
    assert read_notification(b"A" + WID.encode()).wids == ()  # part of a longer hex string: not a WID


# -- FakeTenant.subscribe -----------------------------------------------------------------------------------------


def test_the_fake_tenant_notifies_subscribers_of_every_interview_and_candidate_edit(
    fake_tenant_factory: Factory, listener: tuple[NotificationListener, list[Notification]]
) -> None:
    """After subscribe(), each edit of an interview or a candidate is POSTed once, with Basic credentials and an
    invented XML body naming the changed record's WID and its candidate; a wrong password is logged as a 401."""
    server, got = listener
    fake = fake_tenant_factory(candidates=60)
    fake.subscribe(server.url, USER, PASSWORD)
    wrong = fake.subscribe(server.url, USER, "wrong")
    candidate = next(iter(fake.dataset.iter_candidates()))
    interview_wid = next(iter(fake.dataset.interview_wids()))
    interview = fake.dataset.find_interview(interview_wid)
    assert interview is not None

    fake.dataset.update_candidate(candidate.candidate_id, first_name="Zed")
    fake.dataset.update_interview(interview_wid, status="cancelled")
    assert fake.wait_for_notifications(10)

    assert [n.wids[0] for n in got] == [candidate.wid, interview_wid]
    assert ("Candidate_ID", interview.candidate_id) in got[1].ids
    sent = fake.notifications
    assert [(n.kind, n.status) for n in sent if n.subscription != wrong.id] == [("candidate", 202), ("interview", 202)]
    assert [n.status for n in sent if n.subscription == wrong.id] == [401, 401]
    assert server.refused == 2
    fake.unsubscribe(wrong)
    fake.dataset.update_candidate(candidate.candidate_id, first_name="Zoe")
    assert fake.wait_for_notifications(10)
    assert len(fake.notifications) == 5 and len(got) == 3
    assert "wrong" not in repr(wrong)


def test_an_unreachable_subscriber_is_logged_not_retried(fake_tenant_factory: Factory) -> None:
    """A subscriber URL nobody listens on: the notification is logged with its error, and the fake carries on."""
    fake = fake_tenant_factory(candidates=20)
    with pytest.raises(ValueError, match="http"):
        fake.subscribe("ftp://127.0.0.1/", USER, PASSWORD)
    fake.subscribe("http://127.0.0.1:9/", USER, PASSWORD)
    fake.dataset.update_candidate(next(iter(fake.dataset.iter_candidates())).candidate_id, first_name="Q")
    assert fake.wait_for_notifications(10)
    (sent,) = fake.notifications
    assert sent.status is None and sent.error


# -- a notification triggers a poll ----------------------------------------------------------------------------------


def test_a_notification_naming_an_event_the_feed_cannot_see_re_reads_the_window(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """With a tenant whose interview edits stamp nothing in the transaction log, a new interview is invisible to a
    cheap poll; the notification naming its WID makes the watcher read it and reconcile, so it is delivered."""
    fake = fake_tenant_factory(candidates=300, interview_changes_stamp_candidate=False)
    with (
        RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client,
        client.interviews.feed(tmp_path / "feed.sqlite", days=14, reconcile_every=None) as feed,
        Receiver() as receiver,
        WebhookSink(receiver.url, SECRET) as sink,
    ):
        watcher = Watcher(feed, interval=300, sink=sink, interviews=client.interviews)
        runner = threading.Thread(target=watcher.run, daemon=True)
        with NotificationListener(watcher.notify, user=USER, password=PASSWORD) as server:
            runner.start()
            try:
                _wait(lambda: watcher.polls == 1 and not feed.store.pending(), 30, "the first sync")
                fake.subscribe(server.url, USER, PASSWORD)
                start = datetime.now(timezone.utc) + timedelta(days=2)
                employee = fake.dataset.workers()[0].employee_id
                added = fake.dataset.add_interview(
                    open_interview_application(fake), [(start, start + timedelta(hours=1), [employee])]
                )
                _wait(lambda: _kinds(receiver, added.wid) == {"interview.scheduled"}, 20, "the new interview")
            finally:
                watcher.stop()
                runner.join(30)
        assert not runner.is_alive()
        assert watcher.polls == 2


def _kinds(receiver: Receiver, interview_wid: str) -> set[str]:
    return {
        r.payload["type"]
        for r in receiver.snapshot()
        if r.acknowledged and r.payload["data"]["interview_wid"] == interview_wid
    }


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_end_to_end_a_change_in_the_fake_reaches_the_webhook_within_seconds_not_at_the_next_poll(
    fake_tenant_factory: Factory, tmp_path: Path
) -> None:
    """``interviews watch --interval 300 --listen ... --webhook-url ...``: the fake notifies the listener of a moved
    interview, the watcher polls at once, and the receiver gets the reschedule (bound: 20 s, not 300)."""
    fake = fake_tenant_factory(candidates=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKDAY_")}
    env.update(
        WORKDAY_WSDL_URL=fake.wsdl_url,
        WORKDAY_USERNAME=fake.username,
        WORKDAY_PASSWORD=fake.password,
        WORKDAY_WEBHOOK_SECRET=SECRET,
        WORKDAY_NOTIFICATION_PASSWORD=PASSWORD,
        XDG_CONFIG_HOME=str(tmp_path / "no-config"),
    )
    with Receiver() as receiver:
        argv = [
            sys.executable, "-m", "workday_recruiting", "interviews", "watch", "--state", str(tmp_path / "feed.sqlite"),
            "--interval", "300", "--webhook-url", receiver.url, "--listen", "127.0.0.1:0", "--notification-user", USER,
        ]  # fmt: skip
        process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        lines: list[str] = []
        assert process.stderr is not None
        reader = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
        reader.start()
        try:
            _wait(lambda: any("notifications on http://" in line for line in lines), 60, "the listener")
            url = re.search(r"notifications on (http://\S+/)", "".join(lines))
            assert url is not None
            first_sync = len({s.session.wid for s in _upcoming(fake)})
            _wait(lambda: len(receiver.acknowledged_ids()) >= first_sync, 30, "the first sync")
            fake.subscribe(url.group(1), USER, PASSWORD)
            target = next(iter(r.payload["data"]["interview_wid"] for r in receiver.snapshot()))
            record = fake.dataset.find_interview(target)
            assert record is not None
            later = tuple(
                attrs.evolve(s, start=s.start + timedelta(hours=1), end=s.end + timedelta(hours=1))
                for s in record.sessions
            )
            fake.dataset.update_interview(target, sessions=later)
            _wait(lambda: "interview.rescheduled" in _kinds(receiver, target), 20, "the reschedule at the receiver")
            assert [n.status for n in fake.notifications] == [202]
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)
            reader.join(5)
            process.stderr.close()
            assert process.stdout is not None
            process.stdout.close()
    assert code == 0, "".join(lines)
    assert SECRET not in "".join(lines) and PASSWORD not in "".join(lines)


def _upcoming(fake: FakeTenant) -> list[object]:
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        return list(client.interviews.upcoming(days=14))
