"""Endpoint parsing: every WSDL URL shape an admin pastes, and clear errors for the rest."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable

import pytest

from workday_recruiting import ConfigurationError, Endpoint, RecruitingClient, RetryPolicy, Timeouts
from workday_recruiting.testing import FakeTenant


@pytest.mark.parametrize(
    ("url", "base", "tenant", "version"),
    [
        (
            "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting",
            "https://wd5-services1.myworkday.com",
            "acme",
            "v45.2",
        ),
        (
            "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting?wsdl",
            "https://wd5-services1.myworkday.com",
            "acme",
            "v45.2",
        ),
        (
            "https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting/",
            "https://wd5-services1.myworkday.com",
            "acme",
            "v45.2",
        ),
        (
            "https://wd2-impl-services1.workday.com/ccx/service/acme_preview/Recruiting/v45.2?wsdl",
            "https://wd2-impl-services1.workday.com",
            "acme_preview",
            "v45.2",
        ),
        (
            "https://impl-services1.wd12.myworkday.com/ccx/service/acme3/Recruiting/v44.0",
            "https://impl-services1.wd12.myworkday.com",
            "acme3",
            "v44.0",
        ),
        (
            "https://services1.myworkday.com/ccx/service/acme/Recruiting/v45.2/",
            "https://services1.myworkday.com",
            "acme",
            "v45.2",
        ),
        (
            "  https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting?WSDL  ",
            "https://wd5-services1.myworkday.com",
            "acme",
            "v45.2",
        ),
        ("http://127.0.0.1:8080/ccx/service/acme/Recruiting?wsdl", "http://127.0.0.1:8080", "acme", "v45.2"),
        ("http://localhost:9/ccx/service/acme/Recruiting", "http://localhost:9", "acme", "v45.2"),
        ("http://[::1]:8080/ccx/service/acme/Recruiting", "http://[::1]:8080", "acme", "v45.2"),
        ("https://[2001:db8::5]/ccx/service/acme/Recruiting?wsdl", "https://[2001:db8::5]", "acme", "v45.2"),
    ],
)
def test_accepts_every_pasted_shape(url: str, base: str, tenant: str, version: str) -> None:
    """Host, tenant and version are derived from any WSDL URL shape seen in the wild."""
    endpoint = Endpoint.from_wsdl_url(url)
    assert (endpoint.base_url, endpoint.tenant, endpoint.version) == (base, tenant, version)
    assert endpoint.service_url == f"{base}/ccx/service/{tenant}/Recruiting/{version}"
    assert endpoint.token_url == f"{base}/ccx/oauth2/{tenant}/token"


def test_an_ipv6_host_keeps_its_brackets_in_urls_and_loses_them_as_a_host() -> None:
    """An IPv6 literal is bracketed in every URL built from it; ``host`` is the bare address."""
    endpoint = Endpoint.from_wsdl_url("http://[::1]:8080/ccx/service/acme/Recruiting/v45.2?wsdl")
    assert endpoint.service_url == "http://[::1]:8080/ccx/service/acme/Recruiting/v45.2"
    assert endpoint.wsdl_url == "http://[::1]:8080/ccx/service/acme/Recruiting/v45.2?wsdl"
    assert endpoint.host == "::1"


def test_plain_http_to_ipv6_loopback_is_allowed_and_to_other_ipv6_hosts_is_not() -> None:
    """``[::1]`` is loopback like 127.0.0.1; any other IPv6 host needs https."""
    assert Endpoint.from_wsdl_url("http://[::1]/ccx/service/acme/Recruiting").base_url == "http://[::1]"
    with pytest.raises(ConfigurationError, match="plain http to 2001:db8::5"):
        Endpoint.from_wsdl_url("http://[2001:db8::5]/ccx/service/acme/Recruiting")


def ipv6_loopback() -> bool:
    """Whether this machine can listen on ::1."""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


class _Relay(socketserver.ThreadingTCPServer):
    """Listens on [::1] and relays every connection to a port of 127.0.0.1 (FakeTenant listens on IPv4 only)."""

    address_family = socket.AF_INET6
    daemon_threads = True

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        super().__init__(("::1", 0), _RelayHandler)


class _RelayHandler(socketserver.BaseRequestHandler):
    server: _Relay

    def handle(self) -> None:
        with socket.create_connection(("127.0.0.1", self.server.target_port)) as upstream:
            pumps = [
                threading.Thread(target=_pump, args=(self.request, upstream), daemon=True),
                threading.Thread(target=_pump, args=(upstream, self.request), daemon=True),
            ]
            for pump in pumps:
                pump.start()
            for pump in pumps:
                pump.join()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


@pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")
def test_a_tenant_reached_over_ipv6_loopback(fake_tenant_factory: Callable[..., FakeTenant]) -> None:
    """A WSDL URL with an IPv6 literal works end to end: the client reads the tenant at http://[::1]:PORT."""
    tenant = fake_tenant_factory(candidates=5)
    with _Relay(tenant.port) as relay:
        threading.Thread(target=relay.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        try:
            url = f"http://[::1]:{relay.server_address[1]}/ccx/service/{tenant.tenant}/Recruiting?wsdl"
            with RecruitingClient(wsdl_url=url, username=tenant.username, password=tenant.password) as client:
                assert [c.candidate_id for c in client.candidates.list(max_results=2)] == ["CAND-1001", "CAND-1002"]
        finally:
            relay.shutdown()


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "empty"),
        ("wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "https://"),
        ("ftp://wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "https://"),
        ("https:///ccx/service/acme/Recruiting", "no host"),
        ("https://wd5-services1.myworkday.com/ccx/service/acme/Human_Resources", "Human_Resources"),
        ("https://wd5-services1.myworkday.com/ccx/service/acme", "not a Workday web service path"),
        ("https://wd5-services1.myworkday.com/ccx/oauth2/acme/token", "not a Workday web service path"),
        ("https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting/45.2", "not a Workday API version"),
        ("https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting/v45.2/extra", "unexpected path"),
        ("https://wd5-services1.myworkday.com/ccx/service/ac me/Recruiting", "tenant"),
        ("https://user:pw@wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "credentials"),
        ("https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting?foo=bar", "query"),
        ("http://wd5-services1.myworkday.com/ccx/service/acme/Recruiting", "plain http"),
        ("http://[::1/ccx/service/acme/Recruiting", "not a valid URL"),
        ("https://wd5-services1.myworkday.com:99999/ccx/service/acme/Recruiting", "not a valid URL"),
        ("https://wd5-services1.myworkday.com:https/ccx/service/acme/Recruiting", "not a valid URL"),
    ],
)
def test_rejects_what_is_not_a_recruiting_url(url: str, fragment: str) -> None:
    """Anything else raises ConfigurationError saying what is wrong."""
    with pytest.raises(ConfigurationError, match=fragment):
        Endpoint.from_wsdl_url(url)


def test_insecure_http_only_when_allowed() -> None:
    """Plain http to a non-loopback host needs an explicit opt-in."""
    endpoint = Endpoint.from_wsdl_url("http://test-host/ccx/service/acme/Recruiting", allow_insecure_http=True)
    assert endpoint.base_url == "http://test-host"


def test_version_support_window() -> None:
    """v34.0 up to the bundled v45.2 are supported; newer and older are not."""
    assert Endpoint("https://h", "t", "v45.2").version_supported
    assert Endpoint("https://h", "t", "v34.0").version_supported
    assert not Endpoint("https://h", "t", "v46.0").version_supported
    assert not Endpoint("https://h", "t", "v30.0").version_supported


def test_username_gets_tenant_suffix() -> None:
    """The ISU name gets @tenant appended unless it already has one; the password never shows in reprs."""
    client = RecruitingClient(
        wsdl_url="https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting",
        username="ISU_Recruiting",
        password="hunter2-secret",
    )
    assert client._auth.username == "ISU_Recruiting@acme"  # type: ignore[attr-defined]
    assert "hunter2-secret" not in repr(client) + repr(client._auth)
    other = RecruitingClient(
        wsdl_url="https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting",
        username="ISU@other",
        password="x",
    )
    assert other._auth.username == "ISU@other"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"username": "", "password": "x"},
        {"username": "isu", "password": ""},
        {"username": "isu", "password": "x", "max_concurrency": 0},
    ],
)
def test_constructor_rejects_bad_arguments(kwargs: dict[str, object]) -> None:
    """Empty credentials and impossible options fail at construction, before any request."""
    with pytest.raises(ConfigurationError):
        RecruitingClient(wsdl_url="https://h.example/ccx/service/acme/Recruiting", **kwargs)  # type: ignore[arg-type]


def test_oauth_requires_every_part() -> None:
    """from_oauth needs client id, secret and refresh token, and an https token URL."""
    url = "https://h.example/ccx/service/acme/Recruiting"
    with pytest.raises(ConfigurationError, match="client_secret"):
        RecruitingClient.from_oauth(wsdl_url=url, client_id="id", client_secret="", refresh_token="r")
    with pytest.raises(ConfigurationError, match="plain http"):
        RecruitingClient.from_oauth(
            wsdl_url=url,
            client_id="id",
            client_secret="s",
            refresh_token="r",
            token_url="http://h.example/token",
        )
    client = RecruitingClient.from_oauth(wsdl_url=url, client_id="id", client_secret="s3cret", refresh_token="r3fresh")
    assert "s3cret" not in repr(client._auth) and "r3fresh" not in repr(client._auth)
    assert client._auth.token_url == "https://h.example/ccx/oauth2/acme/token"  # type: ignore[attr-defined]


def test_values_validate() -> None:
    """Timeouts and retry policies refuse impossible values."""
    with pytest.raises(ValueError, match="connect"):
        Timeouts(connect=0)
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    assert RetryPolicy.disabled().attempts == 1


def test_construction_touches_no_network(socket_disabled: None) -> None:
    """Building a client opens no socket (the bundled schema is used, lazily)."""
    client = RecruitingClient(wsdl_url="https://h.example/ccx/service/acme/Recruiting", username="u", password="p")
    client.close()
    client.close()
