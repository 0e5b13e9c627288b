"""The seam to the wire: every HTTP request of the SDK goes through one function, which follows no redirect with
credentials, reads every body through one cap, bounds each attempt's wall-clock time, and leaks no secret.

Each test stands a loopback server where Workday would be: a redirecting front with a "beyond" server that must
receive nothing, a server trickling one byte every 0.5 s, a token endpoint answering 512 MiB or a gzip bomb, a WSDL
importing local files. Every loop in these servers is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from workday_recruiting import (
    AuthenticationError,
    ConfigurationError,
    RecruitingClient,
    RedirectError,
    ResponseParseError,
    RetryPolicy,
    Timeout,
    Timeouts,
    WorkdayError,
)
from workday_recruiting._http import _same_origin
from workday_recruiting.testing import FakeTenant

pytestmark = pytest.mark.timeout(120)

PASSWORD = "Seam-Test-Pa55word"
CLIENT_SECRET = "seam-client-secret-0123456789"
REFRESH_TOKEN = "seam-refresh-token-9876543210"
FAST_RETRY = RetryPolicy(attempts=3, initial_backoff=0, max_backoff=0, jitter=0, deadline=30)
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TIMESTAMP = (
    f'<soapenv:Envelope xmlns:soapenv="{SOAP}" xmlns:wd="urn:com.workday/bsvc"><soapenv:Body>'
    '<wd:Server_Timestamp wd:version="v45.2"><wd:Server_Timestamp_Data>2026-01-02T03:04:05Z'
    "</wd:Server_Timestamp_Data></wd:Server_Timestamp></soapenv:Body></soapenv:Envelope>"
).encode()


class Server(http.server.ThreadingHTTPServer):
    """A loopback HTTP server whose every request is answered by ``respond(handler)``; it records what it got."""

    daemon_threads = True

    def __init__(self, respond: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None) -> None:
        self.respond = respond or (lambda handler: None)
        self.received: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                outer.received.append((self.command, self.path, dict(self.headers), body))
                with contextlib.suppress(OSError):  # the client hung up on purpose
                    outer.respond(self)

            do_GET = do_POST = _any

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def everything_received(self) -> str:
        return "\n".join(f"{m} {p} {h} {b!r}" for m, p, h, b in self.received)

    def close(self) -> None:
        self.shutdown()
        self.server_close()


@pytest.fixture
def servers() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(respond: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None) -> Server:
        server = Server(respond)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def answer(handler: http.server.BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def redirecting_to(target: str, status: int) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        answer(handler, status, b"", Location=target + handler.path)

    return respond


def wsdl_url(base: str) -> str:
    return f"{base}/ccx/service/acme/Recruiting/v45.2"


def isu(base: str, **kwargs: Any) -> RecruitingClient:
    return RecruitingClient(wsdl_url=wsdl_url(base), username="ISU", password=PASSWORD, retry=FAST_RETRY, **kwargs)


def oauth(base: str, token_url: str | None = None, **kwargs: Any) -> RecruitingClient:
    return RecruitingClient.from_oauth(
        wsdl_url=wsdl_url(base),
        client_id="seam-client",
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        token_url=token_url,
        retry=FAST_RETRY,
        **kwargs,
    )


def shows_no_secret(exc: BaseException, *secrets: str, frames: bool = True) -> bool:
    """Nothing an exception shows holds one of ``secrets``: its str, repr, args, notes, attributes, its chain, and
    (``frames``) its traceback formatted with every frame's locals (the SDK's frames, not this file's: the test holds
    them; and not for a constructor, whose own arguments are the secrets)."""
    import traceback

    texts: list[str] = []
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        tb = current.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next
        stack = traceback.StackSummary.extract(traceback.walk_tb(tb), capture_locals=True)
        texts += ["".join(stack.format()) if frames else "", str(current), repr(current), repr(current.args)]
        texts += [repr(getattr(current, "__notes__", "")), repr(vars(current))]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return not any(secret in text for secret in secrets for text in texts)


# -- redirects ---------------------------------------------------------------------------------------------------

REDIRECTS = [301, 302, 303, 307, 308]


@pytest.mark.parametrize("status", REDIRECTS)
def test_a_redirected_soap_call_sends_nothing_beyond_and_raises(servers: Callable[..., Server], status: int) -> None:
    """A 3xx to the SOAP POST is a RedirectError naming the Location, not retried; the password goes nowhere else."""
    beyond = servers(lambda h: answer(h, 200, TIMESTAMP, Content_Type="text/xml"))
    front = servers(redirecting_to(beyond.url, status))
    with isu(front.url) as client, pytest.raises(RedirectError) as info:
        client.server_time()  # before the fix: 307/308 re-sent the envelope beyond; 301-303 returned beyond's time
    assert beyond.received == []
    assert len(front.received) == 1, "a redirect is not a transient failure"
    assert info.value.location == beyond.url + front.received[0][1]
    assert info.value.http_status == status and not info.value.is_retryable
    assert beyond.url in str(info.value) and "nothing was sent there" in str(info.value)
    assert shows_no_secret(info.value, PASSWORD)


@pytest.mark.parametrize("status", REDIRECTS)
def test_a_redirected_token_request_sends_no_refresh_token_beyond(servers: Callable[..., Server], status: int) -> None:
    """The OAuth token POST follows no redirect: the refresh token and client secret reach only the token URL."""
    beyond = servers(lambda h: answer(h, 200, b'{"access_token":"forged","expires_in":3600}'))
    front = servers(redirecting_to(beyond.url, status))
    with oauth(front.url) as client, pytest.raises(RedirectError) as info:
        client.server_time()
    assert beyond.received == [] and len(front.received) == 1
    assert info.value.operation == "oauth_token"
    assert shows_no_secret(info.value, CLIENT_SECRET, REFRESH_TOKEN)


def test_the_tenant_wsdl_follows_a_same_origin_redirect_only(servers: Callable[..., Server]) -> None:
    """A GET of the WSDL may follow a few redirects on the same scheme, host and port; to another port it raises."""
    with FakeTenant(candidates=5) as tenant:
        real = tenant.wsdl_url

        def same_origin(handler: http.server.BaseHTTPRequestHandler) -> None:
            if handler.path.endswith("?wsdl") and "hop" not in handler.path:
                answer(handler, 302, b"", Location=handler.path.replace("?wsdl", "?wsdl&hop=1"))
            else:
                with contextlib.suppress(Exception):
                    import urllib.request

                    with urllib.request.urlopen(real) as upstream:  # noqa: S310 - the loopback fake
                        answer(handler, 200, upstream.read(), Content_Type="text/xml")

        front = servers(same_origin)
        with isu(front.url, wsdl="tenant") as client:
            client._transport._binding()  # the WSDL loads through the same-origin redirect
        assert [p for m, p, _, _ in front.received if m == "GET"][-1].endswith("hop=1")

    beyond = servers(lambda h: answer(h, 200, b"<definitions/>"))
    front = servers(redirecting_to(beyond.url, 301))
    with isu(front.url, wsdl="tenant") as client, pytest.raises(RedirectError, match="another scheme, host or port"):
        client.server_time()
    assert beyond.received == []


def test_a_redirect_loop_on_the_wsdl_stops_after_three_hops(servers: Callable[..., Server]) -> None:
    front = servers(lambda h: answer(h, 302, b"", Location=h.path + "x"))
    with isu(front.url, wsdl="tenant") as client, pytest.raises(RedirectError, match="more than 3 redirects"):
        client.server_time()
    assert len(front.received) == 4


def test_https_to_http_is_never_the_same_origin() -> None:
    assert not _same_origin("https://wd5.myworkday.com/a", "http://wd5.myworkday.com/a")
    assert not _same_origin("https://wd5.myworkday.com/a", "https://wd5.myworkday.com:8443/a")
    assert _same_origin("https://WD5.myworkday.com/a", "https://wd5.myworkday.com:443/b") is False  # port named
    assert _same_origin("https://wd5.myworkday.com/a", "https://wd5.myworkday.com/b?wsdl")


def test_the_setup_check_reports_a_redirect_without_following_it(servers: Callable[..., Server]) -> None:
    beyond = servers(lambda h: answer(h, 200, b"<definitions/>"))
    front = servers(redirecting_to(beyond.url, 301))
    with isu(front.url) as client:
        report = client.check_setup()
    row = report["wsdl_reachable"]
    assert row.status.name == "FAIL" and beyond.url in row.detail
    assert beyond.received == []


# -- time: a server that trickles ---------------------------------------------------------------------------------

TRICKLE_SECONDS = 30.0  # the server gives up by itself after this


def trickle(stage: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    """One byte every 0.5 s, in the headers or in a chunked body, for at most TRICKLE_SECONDS."""

    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        out = handler.wfile
        ends = time.monotonic() + TRICKLE_SECONDS
        if stage == "headers":
            out.write(b"HTTP/1.1 200 OK\r\n")
            while time.monotonic() < ends:
                out.write(b"X-Slow: a\r\n")
                out.flush()
                time.sleep(0.5)
            return
        out.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n")
        while time.monotonic() < ends:
            out.write(b"1\r\n \r\n")
            out.flush()
            time.sleep(0.5)

    return respond


@pytest.mark.parametrize("stage", ["headers", "body"])
@pytest.mark.parametrize("where", ["soap", "token"])
def test_a_trickling_server_is_cut_off_by_the_deadline(servers: Callable[..., Server], stage: str, where: str) -> None:
    """Timeouts(read=2), RetryPolicy(deadline=5): a byte every 0.5 s never trips the read timeout, and the call
    still ends as a Timeout within deadline + read and a little (it ran as long as the server kept going)."""
    slow = servers(trickle(stage))
    settings: dict[str, Any] = {
        "timeouts": Timeouts(connect=2, read=2),
        "retry": RetryPolicy(attempts=5, initial_backoff=0, max_backoff=0, jitter=0, deadline=5),
    }
    if where == "soap":
        client = RecruitingClient(wsdl_url=wsdl_url(slow.url), username="ISU", password=PASSWORD, **settings)
    else:
        client = RecruitingClient.from_oauth(
            wsdl_url=wsdl_url(slow.url), client_id="c", client_secret=CLIENT_SECRET, refresh_token=REFRESH_TOKEN,
            **settings,
        )  # fmt: skip
    started = time.monotonic()
    with client, pytest.raises(Timeout) as info:
        client.server_time()
    elapsed = time.monotonic() - started
    assert elapsed < 5 + 2 + 1.5, f"the call took {elapsed:.1f}s"
    assert "within" in str(info.value)


def test_timeouts_total_bounds_one_attempt(servers: Callable[..., Server]) -> None:
    """Timeouts(total=1.5) cuts each attempt at 1.5 s; the retries go on within the deadline."""
    slow = servers(trickle("body"))
    retry = RetryPolicy(attempts=2, initial_backoff=0, max_backoff=0, jitter=0, deadline=60)
    client = RecruitingClient(
        wsdl_url=wsdl_url(slow.url),
        username="ISU",
        password=PASSWORD,
        timeouts=Timeouts(read=5, total=1.5),
        retry=retry,
    )
    started = time.monotonic()
    with client, pytest.raises(Timeout, match=r"within 1\.5s"):
        client.server_time()
    assert 2.9 < time.monotonic() - started < 5.5
    assert len(slow.received) == 2


def test_timeouts_refuse_a_non_positive_total() -> None:
    with pytest.raises(ValueError, match="total"):
        Timeouts(total=0)


# -- bytes: a huge body or a gzip bomb ----------------------------------------------------------------------------


def streamed(
    chunks: Callable[[], Iterator[bytes]], **headers: str
) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Transfer-Encoding", "chunked")
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        for chunk in chunks():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    return respond


def half_a_gigabyte() -> Iterator[bytes]:
    block = b'{"access_token":"' + b"a" * (1 << 20)
    for _ in range(512):
        yield block


def gzip_bomb() -> Iterator[bytes]:
    """3 GiB of zeros, gzip-compressed as they are sent (a few MB on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    for _ in range(3 * 1024):
        chunk = compressor.compress(zeros)
        if chunk:  # an empty chunk would end the chunked body
            yield chunk
    yield compressor.flush()


def peak_allocation(action: Callable[[], object]) -> int:
    """The most memory Python held at once while ``action`` ran (tracemalloc), in bytes."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refused(client: RecruitingClient, match: str) -> None:
    with client, pytest.raises(ResponseParseError, match=match):
        client.server_time()


@pytest.mark.parametrize("body", ["512 MiB", "gzip bomb"])
def test_a_huge_token_response_is_refused_in_bounded_memory(servers: Callable[..., Server], body: str) -> None:
    """The token endpoint's answer is read through the same cap as every body, counted after decompression."""
    chunks, headers = (half_a_gigabyte, {}) if body == "512 MiB" else (gzip_bomb, {"Content_Encoding": "gzip"})
    token = servers(streamed(chunks, **headers))
    peak = peak_allocation(lambda: refused(oauth(token.url), "over the 1,048,576-byte limit"))
    assert peak < 100 * 1024 * 1024, f"{peak:,} bytes allocated"


def test_a_gzip_bomb_soap_response_stops_at_max_response_bytes(servers: Callable[..., Server]) -> None:
    bomb = servers(streamed(gzip_bomb, Content_Encoding="gzip"))
    peak = peak_allocation(lambda: refused(isu(bomb.url, max_response_bytes=4 << 20), "over the 4,194,304-byte limit"))
    assert peak < 64 * 1024 * 1024, f"{peak:,} bytes allocated"


def test_a_gzip_soap_response_within_the_limit_parses(servers: Callable[..., Server]) -> None:
    server = servers(lambda h: answer(h, 200, gzip.compress(TIMESTAMP), Content_Encoding="gzip"))
    with isu(server.url) as client:
        assert client.server_time().year == 2026


# -- the tenant WSDL loads nothing else ---------------------------------------------------------------------------


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The paths opened while the test runs (an audit hook: it stays installed, but records only while active)."""
    opened: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        reading = len(args) < 2 or args[1] is None or "r" in str(args[1])
        if active[0] and event == "open" and isinstance(args[0], str) and reading:
            opened.append(args[0])

    sys.addaudithook(hook)
    yield opened
    active[0] = False


def importing(location: str, kind: str) -> bytes:
    if kind == "wsdl":
        inner = f'<wsdl:import namespace="urn:x" location="{location}"/>'
    else:
        inner = (
            '<wsdl:types><xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:y">'
            f'<xsd:import namespace="urn:x" schemaLocation="{location}"/></xsd:schema></wsdl:types>'
        )
    return (
        '<?xml version="1.0"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" '
        f'targetNamespace="urn:com.workday/bsvc/Recruiting">{inner}</wsdl:definitions>'
    ).encode()


@pytest.mark.parametrize("kind", ["wsdl", "xsd"])
@pytest.mark.parametrize("target", ["file:///dev/zero", "/dev/zero", "file://{secret}", "{secret}", "http"])
def test_a_network_wsdl_imports_nothing(
    servers: Callable[..., Server], opened_files: list[str], tmp_path: Path, kind: str, target: str
) -> None:
    """wsdl="tenant": an import of a local file, /dev/zero or another URL is a ConfigurationError; nothing is read."""
    secret = tmp_path / "local.xsd"
    secret.write_text("<xsd:schema xmlns:xsd='http://www.w3.org/2001/XMLSchema'/>")
    elsewhere = servers(lambda h: answer(h, 200, b"<xsd:schema xmlns:xsd='http://www.w3.org/2001/XMLSchema'/>"))
    location = elsewhere.url + "/x.xsd" if target == "http" else target.format(secret=secret)
    server = servers(lambda h: answer(h, 200, importing(location, kind), Content_Type="text/xml"))
    with isu(server.url, wsdl="tenant") as client, pytest.raises(ConfigurationError, match="another document"):
        client.server_time()
    assert elsewhere.received == []
    assert not [path for path in opened_files if path in ("/dev/zero", str(secret))]


# -- secrets the wire cannot carry ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["client_id", "client_secret"])
def test_a_secret_http_cannot_carry_is_refused_at_construction_by_name(field: str) -> None:
    """A pasted typographic character: ConfigurationError naming the field, never the value; no request made."""
    values = {"client_id": "seam-client", "client_secret": CLIENT_SECRET, field: "pasted\u2019value-1234"}
    with pytest.raises(ConfigurationError) as info:
        RecruitingClient.from_oauth(
            wsdl_url=wsdl_url("http://127.0.0.1:9"), refresh_token=REFRESH_TOKEN, **values
        )  # fmt: skip
    assert field in str(info.value)
    assert shows_no_secret(info.value, "pasted\u2019value-1234", "value-1234", frames=False)


def test_a_password_xml_cannot_carry_is_refused_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="password holds a character XML cannot carry") as info:
        RecruitingClient(wsdl_url=wsdl_url("http://127.0.0.1:9"), username="ISU", password="pa\x00ss-secret-77")
    assert shows_no_secret(info.value, "pa\x00ss-secret-77", "ss-secret-77", frames=False)


def test_a_typographic_password_is_fine_it_travels_in_xml() -> None:
    with FakeTenant(candidates=3) as tenant:
        tenant.add_isu("ISU_Unicode", password="pässwörd\u2019-ok")
        with RecruitingClient(wsdl_url=tenant.wsdl_url, username="ISU_Unicode", password="pässwörd\u2019-ok") as c:
            assert c.server_time() is not None


@pytest.mark.parametrize("token", ["t\u00f6ken\u2019-with-typography", "token with spaces", "tok\r\nX-Injected: 1"])
def test_an_access_token_http_cannot_carry_leaks_nothing(servers: Callable[..., Server], token: str) -> None:
    body = json.dumps({"access_token": token, "expires_in": 3600}).encode()
    endpoint = servers(lambda h: answer(h, 200, body, Content_Type="application/json"))
    with oauth(endpoint.url) as client, pytest.raises(ResponseParseError, match="cannot be sent") as info:
        client.server_time()
    assert shows_no_secret(info.value, token, CLIENT_SECRET, REFRESH_TOKEN)
    assert len(endpoint.received) == 1  # the token request only: no SOAP request went out with it


def test_a_token_endpoint_error_page_leaks_nothing(servers: Callable[..., Server]) -> None:
    page = b"<html><title>Bad request</title>" + REFRESH_TOKEN.encode() + b"</html>"
    endpoint = servers(lambda h: answer(h, 400, page, Content_Type="text/html"))
    with oauth(endpoint.url) as client, pytest.raises(AuthenticationError) as info:
        client.server_time()
    assert shows_no_secret(info.value, REFRESH_TOKEN, CLIENT_SECRET)


# -- token storms ----------------------------------------------------------------------------------------------------


def test_a_30_second_token_serves_21_requests_with_one_token_request() -> None:
    """A fixed 60 s leeway renewed a 30 s token on every request; the leeway is now a tenth of the lifetime."""
    with FakeTenant(candidates=3, token_ttl=30) as tenant:
        client = RecruitingClient.from_oauth(
            wsdl_url=tenant.wsdl_url,
            client_id=tenant.oauth_client.client_id,
            client_secret=tenant.oauth_client.client_secret,
            refresh_token=tenant.oauth_client.refresh_token,
        )
        with client:
            for _ in range(21):
                client.server_time()
        assert client._transport.auth.requests == 1  # type: ignore[attr-defined]


def test_sixteen_threads_with_two_second_tokens_make_about_one_token_request_per_lifetime() -> None:
    """Single flight: one token request in flight per client; the others keep the current token meanwhile."""
    seconds = 6.0
    with FakeTenant(candidates=3, token_ttl=2) as tenant:
        client = RecruitingClient.from_oauth(
            wsdl_url=tenant.wsdl_url,
            client_id=tenant.oauth_client.client_id,
            client_secret=tenant.oauth_client.client_secret,
            refresh_token=tenant.oauth_client.refresh_token,
            max_concurrency=16,
        )
        failures: list[BaseException] = []
        ends = time.monotonic() + seconds

        def work() -> None:
            while time.monotonic() < ends:
                try:
                    client.server_time()
                except WorkdayError as exc:  # pragma: no cover - reported below
                    failures.append(exc)
                    return

        with client:
            threads = [threading.Thread(target=work) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        lifetimes = seconds / 2
        assert failures == []
        assert client._transport.auth.requests <= lifetimes * 1.2 + 2, client._transport.auth.requests  # type: ignore[attr-defined]
