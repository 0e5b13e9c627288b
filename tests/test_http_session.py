"""The session a client owns: proxies and CA bundles from the environment as requests reads them (once per host), and
never credentials from ``~/.netrc``."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from workday_recruiting import RecruitingClient, RetryPolicy, TransportError
from workday_recruiting._http import ClientSession
from workday_recruiting.testing import FakeTenant

NO_RETRY = RetryPolicy(attempts=1)
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class _Proxy(http.server.ThreadingHTTPServer):
    """A stand-in HTTP proxy: records each request line and answers 502, as a proxy that cannot reach the host."""

    def __init__(self) -> None:
        self.request_lines: list[str] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                owner.request_lines.append(self.requestline)
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def serving(server: http.server.ThreadingHTTPServer) -> Iterator[None]:
    """Serve ``server`` in a thread for the block."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    server = _Proxy()
    with serving(server):
        yield server


def _client(fake: FakeTenant) -> RecruitingClient:
    return RecruitingClient(wsdl_url=fake.wsdl_url, username=fake.username, password=fake.password, retry=NO_RETRY)


def test_requests_go_through_the_proxy_the_environment_names(
    fake_tenant: FakeTenant, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY is honoured as requests honours it: the SOAP request goes to the proxy, with the full URL."""
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with _client(fake_tenant) as client, pytest.raises(TransportError) as info:
        client.server_time()
    assert info.value.http_status == 502
    assert proxy.request_lines == [f"POST {fake_tenant.endpoint} HTTP/1.1"]


def test_no_proxy_sends_the_host_direct(
    fake_tenant: FakeTenant, proxy: _Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with _client(fake_tenant) as client:
        client.server_time()
    assert proxy.request_lines == []


def test_the_environment_is_read_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings equal requests' own for each host; a later change of the environment is not seen for a host already
    used, while another host still gets its own (NO_PROXY applies host by host)."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy-one.internal:3128")
    monkeypatch.setenv("NO_PROXY", "direct.example.com")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/corporate.pem")
    session = ClientSession()
    plain = requests.Session()
    tenant = "https://wd2-impl-services1.workday.com/ccx/service/acme/Recruiting/v45.2"
    direct = "https://direct.example.com/ccx/oauth2/acme/token"
    for url in (tenant, direct):
        assert session.merge_environment_settings(url, {}, None, None, None) == plain.merge_environment_settings(
            url, {}, None, None, None
        )
    assert session.merge_environment_settings(tenant, {}, None, None, None)["proxies"]["https"] == (
        "http://proxy-one.internal:3128"
    )
    assert session.merge_environment_settings(direct, {}, None, None, None)["proxies"] == {}
    assert session.merge_environment_settings(tenant, {}, None, None, None)["verify"] == "/etc/ssl/corporate.pem"

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy-two.internal:3128")
    assert session.merge_environment_settings(tenant, {}, None, None, None)["proxies"]["https"] == (
        "http://proxy-one.internal:3128"
    )
    other = "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting/v45.2"
    assert session.merge_environment_settings(other, {}, None, None, None)["proxies"]["https"] == (
        "http://proxy-two.internal:3128"
    )


@pytest.mark.parametrize("verify", [False, "/etc/ssl/tenant-ca.pem"])
def test_the_clients_verify_argument_beats_a_ca_bundle_variable(
    monkeypatch: pytest.MonkeyPatch, verify: bool | str
) -> None:
    """requests lets REQUESTS_CA_BUNDLE override a session's verify=False or CA path; the client's own argument wins.
    Left at its default (True), the variable applies, as in requests."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/corporate.pem")
    url = "https://wd2.example.com/x"
    plain = requests.Session()
    plain.verify = verify
    assert plain.merge_environment_settings(url, {}, None, None, None)["verify"] == "/etc/ssl/corporate.pem"
    session = ClientSession()
    session.verify = verify
    assert session.merge_environment_settings(url, {}, None, None, None)["verify"] == verify
    session = ClientSession()
    assert session.merge_environment_settings(url, {}, None, None, None)["verify"] == "/etc/ssl/corporate.pem"


def test_a_netrc_entry_for_the_tenant_host_is_never_sent(
    fake_tenant: FakeTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests would replace the OAuth bearer token with Basic credentials from ~/.netrc; the client's session does
    not read it."""
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    endpoint = fake_tenant.endpoint
    plain = requests.Session().prepare_request(
        requests.Request("POST", endpoint, headers={"Authorization": "Bearer x"})
    )
    assert plain.headers["Authorization"].startswith("Basic "), "requests itself applies the .netrc entry"

    oauth = fake_tenant.add_oauth_client("integration-client", "client-secret-1")
    with RecruitingClient.from_oauth(
        wsdl_url=fake_tenant.wsdl_url,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        refresh_token=oauth.refresh_token,
        retry=NO_RETRY,
    ) as client:
        client.server_time()
    assert {r.auth for r in fake_tenant.requests if r.operation} == {"bearer"}


def test_the_session_says_nothing_of_credentials_in_its_repr() -> None:
    assert repr(ClientSession().auth) == "<no netrc>"


class _Redirector(http.server.ThreadingHTTPServer):
    """Answers /start with a redirect to the same server under another host name; records /target's Authorization."""

    def __init__(self) -> None:
        self.authorization: list[str | None] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/start":
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{owner.server_address[1]}/target")
                else:
                    owner.authorization.append(self.headers.get("Authorization"))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def test_a_redirect_picks_up_no_netrc_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """requests adds ~/.netrc credentials for the host a redirect leads to; the client's session does not."""
    server = _Redirector()
    with serving(server):
        netrc = tmp_path / ".netrc"
        netrc.write_text("machine localhost login someone password netrc-password\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        monkeypatch.setenv("NO_PROXY", "*")
        start = f"http://127.0.0.1:{server.server_address[1]}/start"
        requests.Session().get(start, timeout=10)
        with ClientSession() as session:
            session.get(start, timeout=10)
    plain, ours = server.authorization
    assert plain is not None and plain.startswith("Basic "), "requests itself applies the .netrc entry on a redirect"
    assert ours is None
