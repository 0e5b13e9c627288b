"""Push delivery, the signed POST and its receiving side: ``WebhookSink`` signs per Standard Webhooks, ``verify``
returns the typed change and refuses what is not genuine, and no secret shows anywhere.

Signatures are checked by the independent ``standardwebhooks`` library on a real loopback receiver (the
:class:`Receiver` below, which the other ``test_webhooks_*`` modules use too).
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import pytest
import standardwebhooks

from workday_recruiting import ConfigurationError, RecruitingClient
from workday_recruiting.feed import PAYLOAD_SCHEMA, InterviewChange, SessionValues
from workday_recruiting.testing import FakeTenant
from workday_recruiting.webhooks import (
    DeliveredChange,
    WebhookPayloadError,
    WebhookSecret,
    WebhookSink,
    WebhookVerificationError,
    generate_secret,
    verify,
)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the Standard Webhooks specification's example secret


# -- a webhook receiver on loopback (used by the other test_webhooks_* modules) -----------------------------------


@attrs.define
class Received:
    """One request the receiver got: what it was, and how it was answered."""

    id: str
    body: bytes
    headers: dict[str, str]
    verified: bool
    behaviour: str
    status: int | None = None
    #: A 2xx was written in full before the sender gave up: the sender has seen it (its ack may still be lost to a
    #: crash of the sender).
    acknowledged: bool = False
    at: float = 0.0
    answered_at: float = 0.0

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


class Receiver:
    """A webhook receiver: verifies each delivery with ``standardwebhooks`` and answers as ``behave`` says.

    ``behave(n, change_id)`` returns ``"ok"`` (204), ``"slow"`` (0.2 s, then 200), ``"late"`` (an answer after
    ``late_after`` seconds: past the sender's timeout, so never an acknowledgement), ``"reset"`` (the connection
    closed with a TCP reset, no answer), ``"hold"`` (wait for :attr:`release`, then 200), ``"echo"`` (400, the
    request's headers as the body), ``"redirect:URL"`` (307) or a status like ``"503"`` / ``"429:7"`` (with
    ``Retry-After: 7``).
    """

    def __init__(self, secret: str = SECRET, behave: Callable[[int, str], str] | None = None) -> None:
        self.secret = secret
        self.behave = behave or (lambda n, change_id: "ok")
        self.late_after = 1.5
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                receiver._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/workday"

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def acknowledged_ids(self) -> list[str]:
        """The change IDs answered with a 2xx, in the order of their first acknowledgement."""
        return list(dict.fromkeys(r.id for r in self.snapshot() if r.acknowledged))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in handler.headers.items()}
        try:
            standardwebhooks.Webhook(self.secret).verify(body, headers)
            verified = True
        except standardwebhooks.WebhookVerificationError:
            verified = False
        with self.lock:
            number = len(self.received)
            record = Received(headers.get("webhook-id", ""), body, headers, verified, "", at=time.monotonic())
            self.received.append(record)
        behaviour = self.behave(number, record.id) if verified else "401"
        record.behaviour = behaviour
        if behaviour == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            return
        status, extra, content = 204, {}, b""
        if behaviour == "slow":
            time.sleep(0.2)
            status = 200
        elif behaviour == "late":
            time.sleep(self.late_after)
            status = 200
        elif behaviour == "hold":
            self.holding.set()
            self.release.wait(30)
            status = 200
        elif behaviour == "echo":
            status, content = 400, json.dumps(headers).encode()
        elif behaviour.startswith("redirect:"):
            status, extra = 307, {"Location": behaviour.removeprefix("redirect:")}
        elif behaviour != "ok":
            code, _, retry_after = behaviour.partition(":")
            status = int(code)
            if retry_after:
                extra["Retry-After"] = retry_after
        try:
            handler.send_response(status)
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            handler.wfile.write(content)
            handler.wfile.flush()
        except OSError:
            return
        record.status = status
        record.answered_at = time.monotonic()
        record.acknowledged = 200 <= status < 300 and behaviour != "late"


# -- fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTenant]:
    with FakeTenant(candidates=300) as tenant:
        yield tenant


@pytest.fixture(scope="module")
def changes(fake: FakeTenant) -> dict[str, InterviewChange]:
    """One change of each kind, from a feed over the module's tenant (scheduled, rescheduled, updated, cancelled)."""
    with RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password) as client:
        feed = client.interviews.feed(None, days=14)
        first = feed.poll()
        first.ack()
        by_event: dict[str, list[InterviewChange]] = {}
        for change in first:
            by_event.setdefault(change.interview_wid or "", []).append(change)
        moved, renamed, cancelled = list(by_event)[:3]
        record = fake.dataset.find_interview(moved)
        assert record is not None
        later = tuple(
            attrs.evolve(s, start=s.start + timedelta(hours=2), end=s.end + timedelta(hours=2)) for s in record.sessions
        )
        fake.dataset.update_interview(moved, sessions=later)
        record = fake.dataset.find_interview(renamed)
        assert record is not None
        other = next(
            w.employee_id for w in fake.dataset.workers() if w.employee_id not in record.sessions[0].interviewer_ids
        )
        fake.dataset.update_interview(
            renamed, sessions=(attrs.evolve(record.sessions[0], interviewer_ids=(other,)), *record.sessions[1:])
        )
        fake.dataset.update_interview(cancelled, status="cancelled")
        second = feed.poll()
        found = {"scheduled": first[0]}
        for change in second:
            found.setdefault(change.kind, change)
        assert set(found) == {"scheduled", "rescheduled", "updated", "cancelled"}, [c.kind for c in second]
        return found


def _delivery(
    change: InterviewChange, *, secret: str = SECRET, at: datetime | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers a WebhookSink sends for ``change`` (signed at ``at``, default now)."""
    sink = WebhookSink("http://127.0.0.1:9/unused", secret)
    body = change.to_json()
    return body.encode(), sink.signed_headers(change.id, body, timestamp=at)


# -- signing ---------------------------------------------------------------------------------------------------------


def test_each_change_is_one_post_signed_per_standard_webhooks(changes: dict[str, InterviewChange]) -> None:
    """A delivery is one JSON POST whose headers the independent standardwebhooks library accepts; its id is the
    change id."""
    change = changes["rescheduled"]
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink:
        result = sink.send(change)
    assert result.outcome == "accepted" and result.status == 204
    (got,) = receiver.received
    assert got.verified
    assert got.headers["webhook-id"] == change.id
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-signature"].startswith("v1,")
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 60
    assert got.payload == change.to_payload()


def test_a_retry_keeps_the_id_and_signs_its_own_timestamp(changes: dict[str, InterviewChange]) -> None:
    """The same change sent twice has the same webhook-id (receivers deduplicate on it), each send its own
    signature over its own timestamp."""
    change = changes["scheduled"]
    with Receiver() as receiver, WebhookSink(receiver.url, SECRET) as sink:
        sink.send(change)
        sink.post(change.id, change.to_json(), timestamp=datetime.now(timezone.utc) - timedelta(seconds=30))
    first, second = receiver.received
    assert first.id == second.id == change.id
    assert first.verified and second.verified
    assert first.headers["webhook-timestamp"] != second.headers["webhook-timestamp"]
    assert first.headers["webhook-signature"] != second.headers["webhook-signature"]


def test_a_secret_of_another_receiver_does_not_verify() -> None:
    """The signature depends on the secret: a receiver holding another secret refuses the delivery (independent
    library)."""
    body = json.dumps({"hello": "world"})
    headers = WebhookSink("http://127.0.0.1:9/", SECRET).signed_headers("msg_1", body)
    standardwebhooks.Webhook(SECRET).verify(body, headers)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(generate_secret()).verify(body, headers)


# -- verify(): the receiving side --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["scheduled", "rescheduled", "updated", "cancelled"])
def test_verify_returns_the_typed_change(changes: dict[str, InterviewChange], kind: str) -> None:
    """verify() returns a DeliveredChange whose fields are the change's: id, kind, tenant, times with offsets and
    zone, candidate, requisition, interviewers, locations, meeting, and the old values where there are any."""
    change = changes[kind]
    body, headers = _delivery(change)

    got = verify(body, headers, SECRET)

    assert isinstance(got, DeliveredChange)
    assert (got.id, got.kind, got.type, got.tenant) == (change.id, kind, f"interview.{kind}", change.tenant)
    assert got.timestamp == change.detected_at
    assert (got.interview_wid, got.session_wid) == (change.interview_wid, change.session_wid)
    assert (got.start, got.end) == (change.start, change.end)
    assert got.start.utcoffset() is not None and got.time_zone == change.scheduled.time_zone
    assert got.local_start is not None and got.local_start == change.start
    assert str(got.local_start.utcoffset()) == str(change.start.astimezone(change.session.tzinfo).utcoffset())
    assert got.candidate.id == change.candidate.candidate_id and got.candidate.name == change.candidate.name
    assert got.candidate.email == change.candidate.primary_email
    assert got.requisition is not None and change.requisition is not None
    assert got.requisition.id == change.requisition.id
    assert [p.email for p in got.interviewers] == [p.email for p in change.scheduled.interviewers]
    assert [place.id for place in got.locations] == list(change.values.locations)
    assert got.meeting_url == change.scheduled.meeting_url
    assert got.application_id == change.application.application_id
    assert got.changed == change.changed
    assert got.previous == change.previous
    assert (got.previous is None) == (kind in ("scheduled", "cancelled"))
    assert got.schema == PAYLOAD_SCHEMA
    assert got.to_payload() == change.to_payload()


def test_a_rescheduled_change_carries_the_old_times(changes: dict[str, InterviewChange]) -> None:
    """For a reschedule the receiver reads the old start and end beside the new ones."""
    body, headers = _delivery(changes["rescheduled"])
    got = verify(body, headers, SECRET)
    assert got.previous is not None and isinstance(got.previous, SessionValues)
    assert got.start - got.previous.start == timedelta(hours=2)
    assert got.values.differs(got.previous) == ("start", "end")


def test_verify_takes_headers_in_any_shape(changes: dict[str, InterviewChange]) -> None:
    """The headers may be a mapping in any case, ASGI's list of byte pairs, or a WSGI environ."""
    body, headers = _delivery(changes["scheduled"])
    asgi = [(name.encode(), value.encode()) for name, value in headers.items()]
    environ = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    shouting = {name.upper(): value for name, value in headers.items()}
    for shape in (asgi, environ, shouting):
        assert verify(body, shape, SECRET).id == changes["scheduled"].id


def test_verify_accepts_any_of_several_secrets_while_rotating(changes: dict[str, InterviewChange]) -> None:
    """A receiver rotating its secret lists the new and the old one; a delivery signed with either verifies."""
    body, headers = _delivery(changes["scheduled"])
    assert verify(body, headers, [generate_secret(), SECRET]).id == changes["scheduled"].id


def _refused(body: bytes, headers: dict[str, str], secret: str | list[str] = SECRET, **kwargs: Any) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, headers, secret, **kwargs)
    assert SECRET not in str(caught.value) and headers.get("webhook-signature", "~") not in str(caught.value)
    return caught.value.reason


def test_a_forged_or_altered_delivery_is_refused(changes: dict[str, InterviewChange]) -> None:
    """A changed body, a changed id, a signature made with another secret, or a made-up signature: refused."""
    change = changes["scheduled"]
    body, headers = _delivery(change)
    assert _refused(body.replace(b'"scheduled"', b'"cancelled"'), headers) == "signature"
    assert _refused(body, {**headers, "webhook-id": "ic_" + "0" * 32}) == "signature"
    assert _refused(body, headers, generate_secret()) == "signature"
    assert _refused(body, {**headers, "webhook-signature": "v1,bm90IGEgc2lnbmF0dXJl"}) == "signature"
    forged_body, forged = _delivery(change, secret=generate_secret())
    assert _refused(forged_body, forged) == "signature"


def test_a_replayed_delivery_is_refused_once_outside_the_window(changes: dict[str, InterviewChange]) -> None:
    """A genuine delivery captured and sent again later (its timestamp 10 minutes old) is refused as stale; one
    dated 10 minutes ahead as from the future."""
    change = changes["scheduled"]
    now = datetime.now(timezone.utc)
    body, captured = _delivery(change, at=now - timedelta(minutes=10))
    assert _refused(body, captured) == "stale"
    body, ahead = _delivery(change, at=now + timedelta(minutes=10))
    assert _refused(body, ahead) == "future"
    body, recent = _delivery(change, at=now - timedelta(minutes=2))
    assert verify(body, recent, SECRET).id == change.id
    assert _refused(body, recent, tolerance=timedelta(minutes=1)) == "stale"


def test_malformed_deliveries_are_refused_with_a_reason(changes: dict[str, InterviewChange]) -> None:
    """Missing headers, a timestamp that is no number, a malformed signature header, and an oversized body."""
    body, headers = _delivery(changes["scheduled"])
    assert _refused(body, {k: v for k, v in headers.items() if k != "webhook-signature"}) == "headers"
    assert _refused(body, {}) == "headers"
    assert _refused(body, {**headers, "webhook-timestamp": "yesterday"}) == "timestamp"
    assert _refused(body, {**headers, "webhook-signature": "garbage"}) == "headers"
    assert _refused(body, headers, max_bytes=len(body) - 1) == "too_large"
    assert _refused(b"\xff" * 10, headers) == "signature"


def test_a_signed_body_that_is_not_a_change_is_refused(changes: dict[str, InterviewChange]) -> None:
    """Signed, but not JSON, not an interview change, of a newer schema, or under another id: refused as payload."""
    sink = WebhookSink("http://127.0.0.1:9/", SECRET)
    change = changes["scheduled"]

    def signed(text: str, message_id: str = change.id) -> tuple[bytes, dict[str, str]]:
        return text.encode(), sink.signed_headers(message_id, text)

    assert _refused(*signed("not json")) == "payload"
    assert _refused(*signed('{"schema": "something-else/1", "id": "x"}', "x")) == "payload"
    newer = {**change.to_payload(), "schema": "workday-recruiting.interview-change/2"}
    with pytest.raises(WebhookPayloadError, match="upgrade"):
        verify(*signed(json.dumps(newer)), SECRET)
    assert _refused(*signed(change.to_json(), "ic_other")) == "payload"
    broken = change.to_payload()
    broken["data"]["start"] = "tomorrow"
    assert _refused(*signed(json.dumps(broken))) == "payload"


def test_a_payload_with_fields_added_later_still_reads(changes: dict[str, InterviewChange]) -> None:
    """Fields a later minor version adds are ignored, so receivers need not upgrade in step."""
    payload = changes["updated"].to_payload()
    payload["extra"] = {"anything": 1}
    payload["data"]["new_field"] = "x"
    got = DeliveredChange.from_payload(payload)
    assert got.id == changes["updated"].id and got.changed == changes["updated"].changed


# -- the sink's rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://hooks.example.com/x", "ftp://127.0.0.1/x", "https://user:pw@hooks.example.com/x", "https:///x", ""],
)
def test_unsafe_or_malformed_webhook_urls_are_refused(url: str) -> None:
    """Plain http beyond loopback, other schemes, credentials in the URL, no host: refused before anything is sent."""
    with pytest.raises(ConfigurationError) as caught:
        WebhookSink(url, SECRET)
    assert "pw" not in str(caught.value)


def test_plain_http_is_allowed_on_loopback_or_when_asked() -> None:
    """http:// to loopback is fine; to another host only with allow_insecure_http."""
    WebhookSink("http://127.0.0.1:8080/x", SECRET).close()
    WebhookSink("http://localhost:8080/x", SECRET).close()
    WebhookSink("http://hooks.internal:8080/x", SECRET, allow_insecure_http=True).close()
    WebhookSink("https://hooks.example.com/x", SECRET).close()


def test_no_redirect_is_followed(changes: dict[str, InterviewChange]) -> None:
    """A 307 to another receiver is not followed: that receiver gets nothing and the change is refused."""
    with Receiver() as other, Receiver(behave=lambda n, i: f"redirect:{other.url}") as first:
        with WebhookSink(first.url, SECRET) as sink:
            result = sink.send(changes["scheduled"])
        assert result.outcome == "refused" and "redirect" in result.detail and result.status == 307
        assert other.received == []


@pytest.mark.parametrize(
    ("behaviour", "outcome"),
    [
        ("200", "accepted"),
        ("202", "accepted"),
        ("204", "accepted"),
        ("408", "retry"),
        ("429", "retry"),
        ("500", "retry"),
        ("502", "retry"),
        ("503", "retry"),
        ("504", "retry"),
        ("reset", "retry"),
        ("400", "refused"),
        ("401", "refused"),
        ("404", "refused"),
        ("410", "refused"),
        ("422", "refused"),
    ],
)
def test_what_an_answer_means(changes: dict[str, InterviewChange], behaviour: str, outcome: str) -> None:
    """2xx accepts; resets, 408, 429 and 5xx ask for a retry; any other 4xx refuses for good."""
    with Receiver(behave=lambda n, i: behaviour) as receiver, WebhookSink(receiver.url, SECRET) as sink:
        assert sink.send(changes["scheduled"]).outcome == outcome


def test_retry_after_and_unreachable_receivers(changes: dict[str, InterviewChange]) -> None:
    """A 429's Retry-After is read; a receiver that is not there asks for a retry, saying so."""
    with Receiver(behave=lambda n, i: "429:7") as receiver, WebhookSink(receiver.url, SECRET) as sink:
        result = sink.send(changes["scheduled"])
    assert (result.outcome, result.retry_after) == ("retry", 7.0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with WebhookSink(f"http://127.0.0.1:{port}/x", SECRET) as sink:
        result = sink.send(changes["scheduled"])
    assert result.outcome == "retry" and "refused" in result.detail


# -- secrets -------------------------------------------------------------------------------------------------------


def test_the_secret_shows_nowhere(changes: dict[str, InterviewChange]) -> None:
    """Not in the sink's or the secret's repr, not in what a receiver sees (it echoes every header), not in the
    refusal's detail."""
    secret = WebhookSecret(SECRET)
    assert SECRET not in repr(secret) and SECRET not in str(secret)
    key = SECRET.removeprefix("whsec_")
    with Receiver(behave=lambda n, i: "echo") as receiver, WebhookSink(receiver.url, secret) as sink:
        assert SECRET not in repr(sink)
        result = sink.send(changes["scheduled"])
    assert result.outcome == "refused"
    assert key not in result.detail and key not in receiver.received[0].body.decode() + json.dumps(
        receiver.received[0].headers
    )


@pytest.mark.parametrize(
    "value", ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not*base64!", "whsec_c2hvcnQ=", "whsec_", "  "]
)
def test_a_malformed_secret_is_refused_without_being_repeated(value: str) -> None:
    """No whsec_ prefix, not base64, too short: refused, and the message does not repeat what was given."""
    with pytest.raises(ConfigurationError) as caught:
        WebhookSecret(value)
    given = value.strip().removeprefix("whsec_")
    assert not given or given not in str(caught.value)


def test_generated_secrets_are_valid_and_distinct() -> None:
    """generate_secret() makes whsec_ secrets the library reads, a new one each time."""
    one, two = generate_secret(), generate_secret()
    assert one != two and one.startswith("whsec_")
    standardwebhooks.Webhook(one)
    assert WebhookSecret(one) == WebhookSecret(one) and WebhookSecret(one) != WebhookSecret(two)


def test_importing_the_sdk_does_not_import_standardwebhooks() -> None:
    """The signing library is an extra: neither ``import workday_recruiting`` nor importing the webhooks package
    loads it; signing does."""
    code = (
        "import sys, workday_recruiting, workday_recruiting.webhooks as w\n"
        "assert 'standardwebhooks' not in sys.modules, 'imported too early'\n"
        "w.WebhookSink('http://127.0.0.1:9/', w.generate_secret())\n"
        "assert 'standardwebhooks' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
