"""Hostile input: what a broken or malicious endpoint sends gives a clear error, in bounded time and memory, offline.

A tiny local HTTP server plays the tenant and answers with the body under test (XXE, entity bombs, external DTDs,
deep nesting, a 200 MB stream, HTML, junk, the wrong namespace or operation, truncation). A second socket, the
"sentinel", stands where XXE and DTD URLs point: it must never see a connection. Property-based tests then feed the
model parsers mutated Workday XML and the request builder hostile strings.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from workday_recruiting import (
    Candidate,
    ConfigurationError,
    JobPosting,
    JobRequisition,
    RecruitingClient,
    ResponseParseError,
    RetryPolicy,
    Timeouts,
    TransportError,
    WebConference,
    WorkdayError,
)
from workday_recruiting._schema import BUNDLED_WSDL
from workday_recruiting.models import Interview
from workday_recruiting.testing import FakeTenant

pytestmark = pytest.mark.timeout(120)

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WD = "urn:com.workday/bsvc"
DATA = Path(__file__).parent / "data"
PASSWORD = "Hostile-Test-Pa55word"
LIMIT = 1 << 20  # the client's max_response_bytes in these tests
TIMESTAMP = (
    '<wd:Server_Timestamp wd:version="v45.2">'
    "<wd:Server_Timestamp_Data>{}</wd:Server_Timestamp_Data></wd:Server_Timestamp>"
)


def envelope(payload: str, prolog: str = "") -> bytes:
    return (
        f'{prolog}<soapenv:Envelope xmlns:soapenv="{SOAP}" xmlns:wd="{WD}">'
        f"<soapenv:Body>{payload}</soapenv:Body></soapenv:Envelope>"
    ).encode()


GOOD = envelope(TIMESTAMP.format("2026-01-02T03:04:05Z"))


class Hostile:
    """Answers every POST with the configured status and body, every GET with the WSDL.

    A callable body or WSDL is streamed chunk by chunk: with ``declared_length`` as its Content-Length, or chunked.
    """

    def __init__(self) -> None:
        self.status = 200
        self.content_type = "text/xml; charset=utf-8"
        self.body: bytes | Callable[[], Iterator[bytes]] = GOOD
        self.declared_length: int | None = None
        self.wsdl: bytes | Callable[[], Iterator[bytes]] = b""
        self.requests = 0
        self.bytes_sent = 0
        self.wsdl_bytes_sent = 0
        self.lock = threading.Lock()
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_body(hostile.wsdl, "wsdl_bytes_sent")

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hostile.lock:
                    hostile.requests += 1
                self.send_response(hostile.status)
                self.send_header("Content-Type", hostile.content_type)
                self.send_body(hostile.body, "bytes_sent")

            def send_body(self, body: bytes | Callable[[], Iterator[bytes]], counter: str) -> None:
                """End the headers and send ``body``, adding the bytes sent to ``hostile.<counter>``."""
                try:
                    if callable(body):
                        if hostile.declared_length is not None:
                            self.send_header("Content-Length", str(hostile.declared_length))
                        else:
                            self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for chunk in body():
                            framed = (
                                chunk if hostile.declared_length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)
                            )
                            self.wfile.write(framed)
                            setattr(hostile, counter, getattr(hostile, counter) + len(chunk))
                        if hostile.declared_length is None:
                            self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        setattr(hostile, counter, getattr(hostile, counter) + len(body))
                except OSError:  # the client hung up: what it should do with a body over its limit
                    self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def wsdl_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/ccx/service/acme/Recruiting"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Sentinel:
    """A listening socket where hostile URLs point; counts every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.close()


@pytest.fixture
def sentinel() -> Iterator[Sentinel]:
    listener = Sentinel()
    yield listener
    listener.close()
    # A connection attempt would have been accepted while the test ran; none may have been.
    assert listener.connections == 0, "the client (or its XML parser) reached for the network"


@pytest.fixture
def client(hostile: Hostile) -> Iterator[RecruitingClient]:
    with RecruitingClient(
        wsdl_url=hostile.wsdl_url,
        username="ISU_Hostile",
        password=PASSWORD,
        retry=RetryPolicy(attempts=2, initial_backoff=0, jitter=0, max_backoff=0, deadline=30),
        timeouts=Timeouts(connect=5, read=20),
        max_response_bytes=LIMIT,
    ) as c:
        yield c


def passwd_secret() -> str | None:
    """A line of /etc/passwd (what an XXE would try to read), if the file exists."""
    try:
        lines = [line for line in Path("/etc/passwd").read_text().splitlines() if line.strip()]
    except OSError:
        return None
    return lines[0] if lines else None


def billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [{"".join(entities)}]>'


def hostile_bodies(port: int) -> dict[str, bytes]:
    """Each hostile body by name; ``port`` is the sentinel's."""
    sentinel_url = f"http://127.0.0.1:{port}"
    return {
        "xxe_file": envelope(
            TIMESTAMP.format("&xxe;"),
            '<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
        "xxe_http_port_1": envelope(
            TIMESTAMP.format("&xxe;"),
            '<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/">]>',
        ),
        "xxe_http_sentinel": envelope(
            TIMESTAMP.format("&xxe;"),
            f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "{sentinel_url}/xxe">]>',
        ),
        "xxe_parameter_entity": envelope(
            TIMESTAMP.format("2026-01-02T03:04:05Z"),
            f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [<!ENTITY % remote SYSTEM "{sentinel_url}/p.dtd">'
            "%remote;]>",
        ),
        "external_dtd": envelope(
            TIMESTAMP.format("2026-01-02T03:04:05Z"),
            f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope SYSTEM "{sentinel_url}/evil.dtd">',
        ),
        "billion_laughs": envelope(TIMESTAMP.format("&lol9;"), billion_laughs()),
        "quadratic_blowup": envelope(
            TIMESTAMP.format("&big;" * 20_000),
            f'<?xml version="1.0"?><!DOCTYPE soapenv:Envelope [<!ENTITY big "{"x" * 50_000}">]>',
        ),
        "deep_nesting": envelope("<a>" * 100_000 + "</a>" * 100_000),
        "html_maintenance_page": (
            b"<!DOCTYPE html><html><head><title>Workday is down for maintenance</title></head>"
            b"<body><h1>Scheduled maintenance</h1></body></html>"
        ),
        "non_xml_bytes": bytes(range(256)) * 64,
        "json": json.dumps({"error": "maintenance"}).encode(),
        "wrong_namespace": envelope(
            '<x:Server_Timestamp xmlns:x="urn:com.workday/bsvc/Evil">'
            "<x:Server_Timestamp_Data>2026-01-02T03:04:05Z</x:Server_Timestamp_Data></x:Server_Timestamp>"
        ),
        "soap_1_2_envelope": GOOD.replace(SOAP.encode(), b"http://www.w3.org/2003/05/soap-envelope"),
        "not_an_envelope": TIMESTAMP.replace("<wd:Server_Timestamp ", f'<wd:Server_Timestamp xmlns:wd="{WD}" ')
        .format("2026-01-02T03:04:05Z")
        .encode(),
        "another_operations_response": envelope(
            '<wd:Get_Job_Requisitions_Response wd:version="v45.2"><wd:Response_Results>'
            "<wd:Total_Results>0</wd:Total_Results></wd:Response_Results></wd:Get_Job_Requisitions_Response>"
        ),
        "empty_body_element": envelope(""),
        "truncated_xml": GOOD[: len(GOOD) - 40],
        "empty": b"",
    }


#: name -> (the error, whether it is retryable, how many requests it takes with attempts=2)
EXPECTED: dict[str, tuple[type[WorkdayError], bool]] = {
    "xxe_file": (ResponseParseError, False),
    "xxe_http_port_1": (ResponseParseError, False),
    "xxe_http_sentinel": (ResponseParseError, False),
    "xxe_parameter_entity": (ResponseParseError, False),
    "external_dtd": (ResponseParseError, False),
    "billion_laughs": (ResponseParseError, False),
    "quadratic_blowup": (ResponseParseError, False),
    "deep_nesting": (ResponseParseError, False),
    "html_maintenance_page": (ResponseParseError, False),
    "non_xml_bytes": (ResponseParseError, False),
    "json": (ResponseParseError, False),
    "wrong_namespace": (ResponseParseError, False),
    "soap_1_2_envelope": (ResponseParseError, False),
    "not_an_envelope": (ResponseParseError, False),
    "another_operations_response": (ResponseParseError, False),
    "empty_body_element": (ResponseParseError, False),
    "truncated_xml": (ResponseParseError, True),
    "empty": (ResponseParseError, True),
}


def test_every_hostile_case_has_an_expectation() -> None:
    """The table of expected errors covers every hostile body (no case silently untested)."""
    assert set(EXPECTED) == set(hostile_bodies(1))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_body_gives_a_clear_error_offline(
    name: str,
    hostile: Hostile,
    sentinel: Sentinel,
    client: RecruitingClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each hostile body raises the expected error (retried only if transient), reads no file, touches no network."""
    caplog.set_level(logging.DEBUG)
    hostile.body = hostile_bodies(sentinel.port)[name]
    error, retryable = EXPECTED[name]
    tracemalloc.start()
    try:
        with pytest.raises(WorkdayError) as info:
            client.server_time()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(info.value) is error, info.value
    assert info.value.is_retryable is retryable
    assert hostile.requests == (2 if retryable else 1)
    assert peak < 64 * 1024 * 1024, f"{peak:,} bytes allocated"
    leaked = passwd_secret()
    shown = f"{info.value!s} {info.value!r} {caplog.text}"
    assert leaked is None or leaked not in shown
    assert PASSWORD not in shown


def test_xinclude_is_inert(hostile: Hostile, sentinel: Sentinel, client: RecruitingClient) -> None:
    """An xi:include in a response is never processed: the parser does not fetch it and the value still reads."""
    hostile.body = envelope(
        TIMESTAMP.format(
            "2026-01-02T03:04:05Z"
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://127.0.0.1:{sentinel.port}/x"/>'
        )
    )
    assert client.server_time() == datetime.fromisoformat("2026-01-02T03:04:05+00:00")


@pytest.mark.parametrize("status", [200, 503])
def test_html_maintenance_page_by_status(status: int, hostile: Hostile, client: RecruitingClient) -> None:
    """An HTML maintenance page is a parse error at HTTP 200 and a retried TransportError at 503; the title shows."""
    hostile.status = status
    hostile.content_type = "text/html"
    hostile.body = hostile_bodies(1)["html_maintenance_page"]
    expected = ResponseParseError if status == 200 else TransportError
    with pytest.raises(expected) as info:
        client.server_time()
    assert type(info.value) is expected
    assert "down for maintenance" in str(info.value) and info.value.http_status == status
    assert hostile.requests == (1 if status == 200 else 2)


#: 200 MB, sent 64 KiB at a time by :func:`huge_body`: far over :data:`LIMIT`.
HUGE_BODY = 200 * 1024 * 1024


def huge_body() -> Iterator[bytes]:
    """:data:`HUGE_BODY` bytes of junk XML, streamed."""
    chunk = b"<" + b"a" * (64 * 1024 - 1)
    for _ in range(HUGE_BODY // len(chunk)):
        yield chunk


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
def test_a_200_mb_body_stops_at_max_response_bytes(declared: bool, hostile: Hostile, client: RecruitingClient) -> None:
    """A 200 MB body is cut off at the client's max_response_bytes: bounded memory, most of it never sent."""
    total, stream = HUGE_BODY, huge_body
    hostile.body = stream
    hostile.declared_length = total if declared else None
    tracemalloc.start()
    try:
        with pytest.raises(ResponseParseError, match="limit") as info:
            client.server_time()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not info.value.is_retryable and hostile.requests == 1
    assert peak < 16 * LIMIT, f"{peak:,} bytes allocated for a {LIMIT:,}-byte limit"
    assert hostile.bytes_sent < total // 4, "the client kept reading after its limit"


def test_bom_and_utf16_responses_still_parse(hostile: Hostile, client: RecruitingClient) -> None:
    """A UTF-8 byte order mark or a UTF-16 document is XML, not 'a non-XML body'."""
    hostile.body = b"\xef\xbb\xbf" + GOOD
    assert client.server_time().year == 2026
    hostile.body = ('<?xml version="1.0" encoding="UTF-16"?>' + GOOD.decode()).encode("utf-16")
    assert client.server_time().year == 2026


def hostile_wsdls(port: int) -> dict[str, bytes]:
    """The bundled WSDL made hostile in each way, by name; ``port`` is the sentinel's."""
    wsdl = BUNDLED_WSDL.read_bytes()
    cut = wsdl.index(b"?>") + 2 if wsdl.startswith(b"<?xml") else 0
    head, rest = wsdl[:cut], wsdl[cut:]
    return {
        "xxe_file": head + b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rest,
        "xxe_http": head + f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/e">]>'.encode() + rest,
        "external_dtd": head + f'<!DOCTYPE x SYSTEM "http://127.0.0.1:{port}/d.dtd">'.encode() + rest,
        "entity_bomb": head + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>' + rest,
        "html_page": b"<html><head><title>Sign in</title></head><body>Workday</body></html>",
        "not_xml": b"Service Unavailable",
    }


@pytest.mark.parametrize("name", ["xxe_file", "xxe_http", "external_dtd", "entity_bomb", "html_page", "not_xml"])
def test_hostile_tenant_wsdl_is_a_configuration_error_offline(name: str, hostile: Hostile, sentinel: Sentinel) -> None:
    """With wsdl="tenant", a hostile or wrong WSDL is a ConfigurationError; nothing is fetched, no file is read."""
    hostile.wsdl = hostile_wsdls(sentinel.port)[name]
    client = RecruitingClient(wsdl_url=hostile.wsdl_url, username="ISU", password=PASSWORD, wsdl="tenant")
    with pytest.raises(ConfigurationError) as info:
        client.server_time()
    leaked = passwd_secret()
    assert leaked is None or leaked not in str(info.value)
    assert hostile.requests == 0  # refused before any SOAP request


@pytest.mark.parametrize("declared", [False, True], ids=["chunked", "content-length"])
def test_a_200_mb_tenant_wsdl_stops_at_max_response_bytes(declared: bool, hostile: Hostile) -> None:
    """With wsdl="tenant", a 200 MB WSDL is refused at max_response_bytes: a ConfigurationError naming the URL and
    the limit, bounded memory, most of it never sent (zeep's own loader would read it whole)."""
    total, stream = HUGE_BODY, huge_body
    hostile.wsdl = stream
    hostile.declared_length = total if declared else None
    client = RecruitingClient(
        wsdl_url=hostile.wsdl_url, username="ISU", password=PASSWORD, wsdl="tenant", max_response_bytes=LIMIT
    )
    tracemalloc.start()
    try:
        with client, pytest.raises(ConfigurationError) as info:
            client.server_time()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert type(info.value) is ConfigurationError and "did not serve a usable WSDL" not in message
    assert f"the WSDL document {client.endpoint.wsdl_url} " in message
    assert f"the {LIMIT:,}-byte limit (max_response_bytes)" in message
    assert (f"is {total:,} bytes, over" in message) is declared  # the declared length is refused up front
    assert hostile.requests == 0  # refused before any SOAP request
    assert peak < 16 * LIMIT, f"{peak:,} bytes allocated for a {LIMIT:,}-byte limit"
    assert hostile.wsdl_bytes_sent < total // 4, "the client kept reading after its limit"


def test_tenant_wsdl_within_max_response_bytes_still_loads(tenant: FakeTenant) -> None:
    """FakeTenant's WSDL (about 240 kB) loads under a 1 MiB limit and works; under a 100 kB limit it is refused."""
    size = len(BUNDLED_WSDL.read_bytes())  # what FakeTenant serves
    assert 100_000 < size < LIMIT
    settings: dict[str, Any] = {"username": tenant.username, "password": tenant.password, "wsdl": "tenant"}
    with RecruitingClient(wsdl_url=tenant.wsdl_url, max_response_bytes=LIMIT, **settings) as client:
        assert len(list(client.candidates.list(max_results=5))) == 5
    small = RecruitingClient(wsdl_url=tenant.wsdl_url, max_response_bytes=100_000, **settings)
    with small, pytest.raises(ConfigurationError, match=f"is {size:,} bytes, over the 100,000-byte limit"):
        small.server_time()


# -- property-based: the model parsers ---------------------------------------------------------------------------


def _sample(file: str, local: str) -> etree._Element:
    root = etree.parse(str(DATA / file)).getroot()
    found = root.find(f".//{{{WD}}}{local}")
    assert found is not None
    return found


PARSERS: dict[str, tuple[etree._Element, Callable[[etree._Element], Any]]] = {
    "candidate": (_sample("get_candidates_v45.2.xml", "Candidate"), Candidate.from_xml),
    "requisition": (_sample("get_job_requisitions_v45.2.xml", "Job_Requisition"), JobRequisition.from_xml),
    "interview": (_sample("get_interviews_v45.2.xml", "Interview"), Interview.from_xml),
    "posting": (_sample("get_job_postings_v45.2.xml", "Job_Posting"), JobPosting.from_xml),
    "web_conference": (_sample("get_web_conference_interview_data_v45.2.xml", "Response_Data"), WebConference.from_xml),
}
#: Text a Workday element could hold, and text it should not: dates, booleans, numbers, junk, XML-legal unicode.
XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"), max_size=40
).filter(lambda s: all(c in "\t\n\r" or ord(c) >= 0x20 for c in s))
NASTY_TEXT = st.one_of(
    XML_TEXT,
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "true",
            "maybe",
            "-1",
            "1e309",
            "NaN",
            "2026-13-45",
            "2026-02-30T25:61:61Z",
            "2026-01-01T00:00:00+99:99",
            "24:00:00",
            "9999-12-31T23:59:59.9999999999-14:00",
            "0000-00-00",
            "Z",
            "CAND-1",
            "x" * 5000,
        ]
    ),
)
MUTATION = st.one_of(
    st.tuples(st.just("text"), st.integers(0, 10_000), NASTY_TEXT),
    st.tuples(st.just("drop"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("attribute"), st.integers(0, 10_000), NASTY_TEXT),
    st.tuples(st.just("move"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("rename"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("foreign"), st.integers(0, 10_000)),
)


def mutate(original: etree._Element, mutations: list[tuple[Any, ...]]) -> etree._Element:
    """A copy of ``original`` with each mutation applied (indices wrap around the current elements)."""
    root = copy.deepcopy(original)
    names = sorted({el.tag for el in original.iter() if isinstance(el.tag, str)})
    for kind, index, *rest in mutations:
        elements = [el for el in root.iter() if isinstance(el.tag, str)]
        el = elements[index % len(elements)]
        parent = el.getparent()
        if kind == "text":
            el.text = rest[0]
        elif kind == "drop" and parent is not None:
            parent.remove(el)
        elif kind == "duplicate" and parent is not None:
            el.addnext(copy.deepcopy(el))
        elif kind == "attribute":
            el.set(f"{{{WD}}}type", rest[0])
        elif kind == "move" and parent is not None:
            target = elements[rest[0] % len(elements)]
            if el not in list(target.iterancestors()) and target is not el:
                target.append(el)
        elif kind == "rename":
            el.tag = names[rest[0] % len(names)]
        elif kind == "foreign":
            etree.SubElement(el, "{urn:example:unexpected}Surprise").text = "?"
    return root


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=8))
def test_mutated_workday_xml_parses_or_raises_response_parse_error(kind: str, mutations: list[tuple[Any, ...]]) -> None:
    """Whatever is done to a Workday element, a parser returns a model (JSON-ready) or raises ResponseParseError."""
    sample, parse = PARSERS[kind]
    element = mutate(sample, mutations)
    try:
        model = parse(element)
    except ResponseParseError:
        return
    json.dumps(model.to_dict())


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), st.builds(lambda cut: GOOD[:cut], st.integers(0, len(GOOD)))))
def test_any_bytes_give_an_element_or_a_workday_error(data: bytes) -> None:
    """The response reader turns any bytes into the body element or a WorkdayError, never another exception."""
    from workday_recruiting._soap import SoapTransport

    interpret = SoapTransport._interpret
    with contextlib.suppress(WorkdayError):
        interpret(None, "Get_Server_Timestamp", 200, "text/xml", None, data)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    status=st.sampled_from([200, 401, 429, 500, 502, 503, 504]),
    code=NASTY_TEXT,
    string=NASTY_TEXT,
    details=st.lists(st.tuples(st.sampled_from(["Message", "Detail_Message", "Xpath", "Code", "Junk"]), NASTY_TEXT)),
    fault_kind=st.sampled_from(["Validation_Fault", "Processing_Fault", "Other_Fault"]),
)
def test_any_soap_fault_becomes_a_workday_error(
    status: int, code: str, string: str, details: list[tuple[str, str]], fault_kind: str
) -> None:
    """A Fault with any code, string and detail is raised as a WorkdayError carrying them, never another exception."""
    from workday_recruiting._soap import SoapTransport

    fault = etree.Element(f"{{{SOAP}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = string
    holder = etree.SubElement(etree.SubElement(fault, "detail"), f"{{{WD}}}{fault_kind}")
    error = etree.SubElement(holder, f"{{{WD}}}Validation_Error")
    for name, text in details:
        etree.SubElement(error, f"{{{WD}}}{name}").text = text
    env = etree.Element(f"{{{SOAP}}}Envelope")
    etree.SubElement(env, f"{{{SOAP}}}Body").append(fault)
    with pytest.raises(WorkdayError) as info:
        SoapTransport._interpret(None, "Get_Candidates", status, "text/xml", None, etree.tostring(env))  # type: ignore[arg-type]
    if status not in (401, 429):  # those statuses are answered from the status line
        assert info.value.fault_string == string.strip()


@settings(max_examples=300, deadline=None)
@given(
    counters=st.lists(
        st.tuples(
            st.sampled_from(["Total_Results", "Total_Pages", "Page_Results", "Page"]),
            st.one_of(NASTY_TEXT, st.from_regex(r"\A[+-]?\d{0,30}(\.\d{0,5})?([eE][+-]?\d{1,12})?\Z")),
        ),
        max_size=6,
    )
)
def test_response_results_give_sane_counts_or_a_parse_error(counters: list[tuple[str, str]]) -> None:
    """Any Response_Results counters read as non-negative whole numbers of a sane size, or raise ResponseParseError."""
    from workday_recruiting._paging import read_results

    body = etree.Element(f"{{{WD}}}Get_Candidates_Response")
    block = etree.SubElement(body, f"{{{WD}}}Response_Results")
    for name, text in counters:
        etree.SubElement(block, f"{{{WD}}}{name}").text = text
    try:
        counts = read_results(body)
    except ResponseParseError:
        return
    assert all(isinstance(n, int) and 0 <= n <= 10**15 for n in counts)


# -- property-based: request building --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tenant() -> Iterator[FakeTenant]:
    with FakeTenant(candidates=20) as fake:
        yield fake


@pytest.fixture(scope="module")
def fake_client(tenant: FakeTenant) -> Iterator[RecruitingClient]:
    with RecruitingClient(
        wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password, max_concurrency=1
    ) as c:
        yield c


def shape(root: etree._Element) -> list[str]:
    """The element structure of a request body (tags in document order), without text."""
    body = root.find(f"{{{SOAP}}}Body")
    assert body is not None
    return [el.tag for el in body.iter() if isinstance(el.tag, str)]


def last_request(tenant: FakeTenant) -> etree._Element:
    record = tenant.requests.last
    assert record is not None and record.operation == "Get_Candidates"
    return etree.fromstring(record.body, etree.XMLParser(resolve_entities=False, no_network=True))


HOSTILE_STRINGS = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "a&b<c>d\"e'f",
            "]]>",
            "<![CDATA[x]]>",
            "</wd:Candidate_Email_Address><wd:Page>999</wd:Page>",
            "&xxe;",
            "&#0;",
            "ünïcødé 𝄞 中文 العربية",
            "line\r\nbreak",
            "a\x00b",
            "\x1b[31m",
            "\ud800",
            "\ufffe",
        ]
    ),
)


def _is_xml_char(c: str) -> bool:
    n = ord(c)
    return n in (9, 10, 13) or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or n >= 0x10000


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE_STRINGS)
def test_hostile_email_is_escaped_never_injected(text: str, tenant: FakeTenant, fake_client: RecruitingClient) -> None:
    """Any email string reaches Workday as that exact text, in the same request structure, or is refused up front."""
    before = len(tenant.requests)
    if not text.strip():
        with pytest.raises(ConfigurationError):
            fake_client.candidates.list(email=text)
        return
    if not all(_is_xml_char(c) for c in text.strip()):  # the client strips surrounding whitespace first
        with pytest.raises(ConfigurationError, match=r"XML 1\.0"):
            list(fake_client.candidates.list(email=text))
        assert len(tenant.requests) == before, "a request was sent with an unsendable string"
        return
    list(fake_client.candidates.list(email=text))
    sent = last_request(tenant)
    list(fake_client.candidates.list(email="someone@example.com"))
    baseline = last_request(tenant)
    assert shape(sent) == shape(baseline)
    assert sent.findtext(f".//{{{WD}}}Candidate_Email_Address") == text.strip()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=HOSTILE_STRINGS, last=HOSTILE_STRINGS)
def test_hostile_names_are_escaped_never_injected(
    first: str, last: str, tenant: FakeTenant, fake_client: RecruitingClient
) -> None:
    """First and last names travel as text in their own elements, or are refused before any request."""
    if not first.strip() or not last.strip():
        with pytest.raises(ConfigurationError):
            fake_client.candidates.list(name=(first, last))
        return
    if not all(_is_xml_char(c) for c in first.strip() + last.strip()):
        with pytest.raises(ConfigurationError, match=r"XML 1\.0"):
            list(fake_client.candidates.list(name=(first, last)))
        return
    list(fake_client.candidates.list(name=(first, last)))
    sent = last_request(tenant)
    assert sent.findtext(f".//{{{WD}}}First_Name") == first.strip()
    assert sent.findtext(f".//{{{WD}}}Last_Name") == last.strip()
    assert [t.rsplit("}", 1)[-1] for t in shape(sent)].count("First_Name") == 1


def test_control_character_error_names_the_field(fake_client: RecruitingClient) -> None:
    """An unsendable character is a ConfigurationError naming the field and code point, not an lxml crash."""
    with pytest.raises(ConfigurationError) as info:
        list(fake_client.candidates.list(email="bad\x07bell@example.com"))
    assert "Candidate_Email_Address" in str(info.value) and "U+0007" in str(info.value)
