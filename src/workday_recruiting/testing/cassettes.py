"""vcrpy cassettes for Workday SOAP traffic: a SOAP-aware matcher and scrubbing of secrets and personal data.

Record a cassette once against :class:`~workday_recruiting.testing.FakeTenant` (or, carefully, a real tenant) and
replay it in CI with no server at all::

    from workday_recruiting.testing.cassettes import use_cassette

    with use_cassette("tests/cassettes/candidates.yaml", record_mode="none"):
        client = RecruitingClient(wsdl_url=..., username=..., password=...)
        list(client.candidates.list(max_results=5))

What the helpers do:

* **Matching** (``soap``): two requests match when they have the same method, the same service path (host and port
  ignored, so a fake tenant's random port does not matter), the same SOAP operation and the same body after
  normalising: the SOAP header (WS-Security, with the password) is ignored, ``As_Of_Entry_DateTime`` (a fresh "now"
  on every run) is ignored, and personal data is scrubbed on both sides before comparing.
* **Scrubbing** before anything is written: the ``wsse:Password``, ``Authorization`` headers, OAuth refresh tokens,
  client secrets and access tokens are replaced by ``REDACTED``; with ``scrub_personal_data`` (the default) names,
  emails, phone numbers, addresses and person display names in requests and responses are replaced by stable
  pseudonyms (the same input gives the same pseudonym, so IDs and joins keep working; a pseudonym is its own
  pseudonym, so a recorded search by email or name matches again on replay).
* **Several requests in flight** (the client's default ``max_concurrency``): every interaction is recorded and
  replayed. vcrpy briefly puts urllib3's real connection classes back, process-wide, while a thread opens a
  connection or sends a live request; a connection another thread picked meanwhile bypassed the cassette. While a
  cassette made here is open, one lock serialises those moments with the picking of connections.
* **Quiet logs**: while a cassette made here is open, vcrpy's own log records (which quote raw responses, URLs and
  matcher failures) are rewritten to hold no payload, secret or email. Every patch and filter is removed when the
  cassette closes.

vcrpy is a test dependency: install ``workday-recruiting[test]``.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Final
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml import etree

from .._ns import SOAPENV, WD, WSSE
from .._xml import parse_bytes

__all__ = [
    "PERSONAL_ELEMENTS",
    "REDACTED",
    "make_vcr",
    "scrub_request",
    "scrub_response",
    "soap_matcher",
    "use_cassette",
]

REDACTED: Final = "REDACTED"

#: Elements whose text is personal data (local names in the ``wd:`` namespace).
PERSONAL_ELEMENTS: Final = frozenset(
    {
        "First_Name",
        "Middle_Name",
        "Last_Name",
        "Secondary_Last_Name",
        "Local_First_Name",
        "Local_Last_Name",
        "Formatted_Name",
        "Reporting_Name",
        "Email_Address",
        "Candidate_Email_Address",
        "Phone_Number",
        "Formatted_Phone",
        "Formatted_Phone_Number",
        "International_Formatted_Phone",
        "Complete_Phone_Number",
        "Tenant_Formatted_Phone",
        "Phone_Extension",
        "Address_Line_Data",
        "Formatted_Address",
        "Postal_Code",
        "Municipality",
        "Web_Address",
        "Url",
        "Interviewer_Name",
        "Interviewer_Email",
        "Name",
        "Email",
        "File",
        "File_Name",
        "Filename",
        "Comment",
    }
)
#: References whose ``wd:Descriptor`` is or holds a person's name (Workday names job applications and interview
#: events after the candidate: "Job Application: Ava White - R-00001 ...", "Interview: Ava White - R-00001").
_PERSON_REFERENCE = re.compile(
    r"(Candidate|Worker|Interview|Person|Recruiter|Manager|Referr|Prospect|Applica|Employee)"
)
_DESCRIPTOR = f"{{{WD}}}Descriptor"
_HEADER = f"{{{SOAPENV}}}Header"
_BODY = f"{{{SOAPENV}}}Body"
_AS_OF = f"{{{WD}}}As_Of_Entry_DateTime"
_SECRET_FORM_FIELDS: Final = frozenset({"refresh_token", "client_secret", "password", "access_token", "code"})
_SECRET_JSON_FIELDS: Final = frozenset({"access_token", "refresh_token", "id_token", "client_secret"})


def _pseudonym_pattern(kind: str) -> re.Pattern[str]:
    if "Email" in kind:
        return re.compile(r"person-[0-9a-f]{10}@example\.invalid")
    if "Phone" in kind:
        return re.compile(r"555-[0-9]{7}")
    return re.compile(re.escape(kind.split("_")[0].lower()) + r"-[0-9a-f]{10}")


_PSEUDONYM_PATTERNS: Final = {kind: _pseudonym_pattern(kind) for kind in (*PERSONAL_ELEMENTS, "Descriptor")}


def _pseudonym(value: str, kind: str) -> str:
    """A stable pseudonym of ``value``; a pseudonym is its own pseudonym.

    vcrpy runs the scrubbing hooks again on every interaction it loads from a cassette, and the matcher scrubs both
    requests once more: without the fixed point a recorded filter (``Candidate_Email_Address``) would be compared
    as a pseudonym of a pseudonym, and never match the live request again.
    """
    pattern = _PSEUDONYM_PATTERNS.get(kind) or _pseudonym_pattern(kind)
    if pattern.fullmatch(value):
        return value
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:10]
    if "Email" in kind:
        return f"person-{digest}@example.invalid"
    if "Phone" in kind:
        return f"555-{int(digest[:7], 16) % 10_000_000:07d}"
    return f"{kind.split('_')[0].lower()}-{digest}"


def _scrub_tree(root: etree._Element, *, personal: bool) -> None:
    for element in root.iter(etree.Element):  # elements only: no comments or processing instructions
        if element.tag == f"{{{WSSE}}}Password":
            element.text = REDACTED
            continue
        if not personal:
            continue
        local = etree.QName(element).localname
        if local in PERSONAL_ELEMENTS and element.text and element.text.strip():
            element.text = _pseudonym(element.text, local)
        descriptor = element.get(_DESCRIPTOR)
        if descriptor and _PERSON_REFERENCE.search(local):
            element.set(_DESCRIPTOR, _pseudonym(descriptor, "Descriptor"))


def _scrub_xml(data: bytes, *, personal: bool) -> bytes:
    try:
        root = parse_bytes(data)
    except etree.XMLSyntaxError:
        return data
    _scrub_tree(root, personal=personal)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    if hasattr(body, "read"):
        data: bytes = body.read()
        return data
    return bytes(body)


def _scrub_form(data: bytes) -> bytes:
    try:
        pairs = parse_qsl(data.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return data
    return urlencode([(k, REDACTED if k in _SECRET_FORM_FIELDS else v) for k, v in pairs]).encode()


def _scrub_json(data: bytes) -> bytes:
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        return data
    if isinstance(payload, dict):
        payload = {k: (REDACTED if k in _SECRET_JSON_FIELDS else v) for k, v in payload.items()}
    return json.dumps(payload).encode()


def scrub_request(request: Any, *, personal: bool = True) -> Any:
    """vcrpy ``before_record_request`` hook: no password, token, secret (or, by default, personal data) is kept."""
    for header in list(request.headers):
        if header.lower() in ("authorization", "cookie", "proxy-authorization"):
            request.headers[header] = REDACTED
    body = _as_bytes(request.body)
    if body.lstrip().startswith(b"<"):
        request.body = _scrub_xml(body, personal=personal)
    elif body:
        request.body = _scrub_form(body)
    return request


def scrub_response(response: dict[str, Any], *, personal: bool = True) -> dict[str, Any]:
    """vcrpy ``before_record_response`` hook: tokens and (by default) personal data are replaced."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in ("set-cookie", "authorization"):
            headers[name] = [REDACTED]
    body = response.get("body", {})
    data = _as_bytes(body.get("string"))
    if data.lstrip().startswith(b"<"):
        data = _scrub_xml(data, personal=personal)
    elif data.lstrip().startswith(b"{"):
        data = _scrub_json(data)
    body["string"] = data
    for name in list(headers):
        if name.lower() == "content-length":
            headers[name] = [str(len(data))]
    return response


def _normalised_body(request: Any) -> bytes:
    data = _as_bytes(request.body)
    if not data.lstrip().startswith(b"<"):
        return _scrub_form(data)
    try:
        root = parse_bytes(data)
    except etree.XMLSyntaxError:
        return data
    header = root.find(_HEADER)
    if header is not None:
        for child in list(header):
            if child.tag == f"{{{WSSE}}}Security":
                header.remove(child)
    for element in root.iter(_AS_OF):
        element.text = "*"
    _scrub_tree(root, personal=True)
    body = root.find(_BODY)
    target = body if body is not None else root
    return etree.tostring(target, method="c14n")


def _operation(request: Any) -> str | None:
    data = _as_bytes(request.body)
    if not data.lstrip().startswith(b"<"):
        return None
    try:
        body = parse_bytes(data).find(_BODY)
    except etree.XMLSyntaxError:
        return None
    first = next(iter(body), None) if body is not None else None
    return etree.QName(first).localname if first is not None else None


def soap_matcher(r1: Any, r2: Any) -> None:
    """vcrpy matcher: same method, path, SOAP operation and normalised body (raises AssertionError otherwise)."""
    if r1.method != r2.method:
        raise AssertionError(f"method {r1.method} != {r2.method}")
    p1, p2 = urlsplit(r1.uri).path, urlsplit(r2.uri).path
    if p1 != p2:
        raise AssertionError(f"path {p1} != {p2}")
    o1, o2 = _operation(r1), _operation(r2)
    if o1 != o2:
        raise AssertionError(f"operation {o1} != {o2}")
    if _normalised_body(r1) != _normalised_body(r2):
        raise AssertionError(f"{o1 or 'request'} bodies differ")


# -- recording through several threads -----------------------------------------------------------------------------
#
# vcrpy replaces urllib3's connection classes process-wide, and while one thread creates a connection or sends a live
# request it puts the real classes back for a moment (``vcr.patch.force_reset``), process-wide too. A connection that
# another thread's pool created (or took from its pool) inside that window was a real one: its exchange bypassed the
# cassette, sent to the server and never recorded (or, on replay, sent to a server that is not there). The client's
# prefetch and fan-out (``max_concurrency`` requests in flight) hit that window on most runs.
#
# While a cassette made here is open, one lock makes those windows exclusive with the code that picks the connection
# class: every ``force_reset`` window, and urllib3's ``_new_conn`` and (for non-blocking pools) ``_get_conn``. The
# cassette's own bookkeeping (recording an interaction, marking one played) is made atomic as well. Waiting for a
# response and reading it stay outside the lock, so requests still overlap while recording.

#: Held by every ``force_reset`` window and every connection pick while a cassette made here is open (re-entrant:
#: urllib3 creates a connection inside ``_get_conn``, and vcrpy resets inside the connection's constructor).
_WIRE_LOCK: Final = threading.RLock()


def _locked(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _WIRE_LOCK:
            return function(*args, **kwargs)

    return locked


def _locked_get_conn(get_conn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(get_conn)
    def locked_get_conn(pool: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(pool, "block", False):
            # A blocking pool may wait for a connection another thread holds: never wait while holding the lock
            # (that thread may need it to finish). Creating a connection still takes it (``_new_conn``).
            return get_conn(pool, *args, **kwargs)
        with _WIRE_LOCK:
            return get_conn(pool, *args, **kwargs)

    return locked_get_conn


def _locked_force_reset(force_reset: Callable[[], Any]) -> Callable[[], Any]:
    @contextmanager
    def locked_force_reset() -> Iterator[None]:
        with _WIRE_LOCK, force_reset():
            yield

    return locked_force_reset


def _serialising_patches() -> list[Any]:
    """``mock.patch`` objects that take ``_WIRE_LOCK`` around vcrpy's reset windows and urllib3's connection picks.

    Built (and entered) after vcrpy's own patches, so they wrap vcrpy's versions of ``_get_conn`` and ``_new_conn``.
    """
    patches: list[Any] = []
    try:
        import vcr.patch
    except ImportError:  # pragma: no cover - depends on the environment
        return patches
    if callable(getattr(vcr.patch, "force_reset", None)):
        patches.append(mock.patch.object(vcr.patch, "force_reset", _locked_force_reset(vcr.patch.force_reset)))
    try:
        import urllib3.connectionpool as cpool
    except ImportError:  # pragma: no cover - depends on the environment
        return patches
    for pool_class in (cpool.HTTPConnectionPool, cpool.HTTPSConnectionPool):
        if "_get_conn" in vars(pool_class):
            patches.append(mock.patch.object(pool_class, "_get_conn", _locked_get_conn(pool_class._get_conn)))
        if "_new_conn" in vars(pool_class):
            patches.append(mock.patch.object(pool_class, "_new_conn", _locked(pool_class._new_conn)))
    return patches


# -- vcrpy's log records ---------------------------------------------------------------------------------------------
#
# vcrpy logs at INFO and DEBUG as it records and replays: "Appending request %s and response %s" carries the raw
# response (access tokens, personal data) before the before_record_response hook has scrubbed it, request URLs carry
# their query strings, and a failed match carries every matcher's message (vcrpy's body matcher quotes bodies). While
# a cassette made here is open, a filter on vcrpy's loggers rewrites each record before any handler sees it.

_VCR_LOGGERS: Final = (
    "vcr",
    "vcr.cassette",
    "vcr.config",
    "vcr.errors",
    "vcr.filters",
    "vcr.matchers",
    "vcr.patch",
    "vcr.persisters.filesystem",
    "vcr.request",
    "vcr.serialize",
    "vcr.stubs",
    "vcr.stubs.aiohttp_stubs",
    "vcr.stubs.httpx_stubs",
    "vcr.stubs.requests_stubs",
    "vcr.stubs.urllib3_stubs",
)
_URL_QUERY = re.compile(r"(?P<url>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'?#]*)\?(?P<query>[^\s<>\"'#]*)")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
_SECRET_PAIR = re.compile(
    r"(?i)\b(password|passwd|secret|client_secret|refresh_token|access_token|id_token|token|code|authorization)"
    r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s&,;)\]}>]+)"
)
_FAILURE_DETAILS = "Failure details:"


def _query_redacted(match: re.Match[str]) -> str:
    pairs = [part.split("=", 1)[0] + ("=" + REDACTED if "=" in part else "") for part in match["query"].split("&")]
    return f"{match['url']}?{'&'.join(pairs)}"


def _redact_text(text: str) -> str:
    """Query values, emails, bearer and basic credentials and ``secret=value`` pairs in free text."""
    text = _URL_QUERY.sub(_query_redacted, text)
    text = _BEARER.sub(lambda m: f"{m[1]} {REDACTED}", text)
    text = _SECRET_PAIR.sub(lambda m: f"{m[1]}{m[2]}{REDACTED}", text)
    return _EMAIL.sub(REDACTED, text)


def _request_summary(request: Any) -> str:
    parts = urlsplit(str(request.uri))
    return f"<Request ({request.method}) {parts.scheme}://{parts.netloc}{parts.path}>"


def _summary(value: Any) -> Any:
    """A log argument with no payload: requests as method and URL, responses as status and size."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if hasattr(value, "method") and hasattr(value, "uri"):
        return _request_summary(value)
    if isinstance(value, dict) and "status" in value:
        status = value.get("status") or {}
        body = (value.get("body") or {}).get("string") if isinstance(value.get("body"), dict) else None
        size = len(body) if isinstance(body, (bytes, bytearray, str)) else 0
        return f"<Response {status.get('code', '?')} {status.get('message', '')}, {size} bytes>"
    return f"<{type(value).__name__}>"


def _failure_details(text: str) -> str:
    """vcrpy's ``[(matcher, message), ...]``: the SOAP matcher's messages (no payload) kept, others' withheld."""
    try:
        failures = ast.literal_eval(text.strip())
        return "; ".join(
            f"{name}: {message if name == soap_matcher.__name__ else 'differs'}" for name, message in failures
        )
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "withheld"


class _VcrLogRedactor(logging.Filter):
    """Rewrites a vcrpy log record so that it holds no request or response payload, no secret and no email."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_workday_redacted", False):
            return True
        try:
            args = record.args
            text = str(record.msg)
            if isinstance(args, Mapping):
                text = text % {key: _summary(value) for key, value in args.items()}
            elif args:
                text = text % tuple(_summary(value) for value in args)
            head, found, details = text.partition(_FAILURE_DETAILS)
            if found:
                text = f"{head}{found} {_failure_details(details)}"
            message = _redact_text(text)
        except Exception:  # a log filter must never raise: the record is then withheld whole
            message = "vcrpy log record withheld"
        if record.exc_info and record.exc_info[0] is not None:
            message = f"{message} ({record.exc_info[0].__name__})"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._workday_redacted = True
        return True


class _LogGuard:
    """Adds one redacting filter to vcrpy's loggers, and removes it from exactly those loggers."""

    def __init__(self) -> None:
        self._filter = _VcrLogRedactor()
        self._loggers: list[logging.Logger] = []

    def attach(self) -> None:
        """Filter every vcrpy logger (call again after vcrpy imported more of its modules)."""
        names = {*_VCR_LOGGERS, *(name for name in list(logging.root.manager.loggerDict) if name.startswith("vcr."))}
        for name in sorted(names):
            logger = logging.getLogger(name)
            if logger not in self._loggers:
                logger.addFilter(self._filter)
                self._loggers.append(logger)

    def detach(self) -> None:
        for logger in self._loggers:
            logger.removeFilter(self._filter)
        self._loggers.clear()


@functools.cache
def _soap_vcr_class() -> type[Any]:
    """vcrpy's ``VCR``, ``Cassette`` and cassette context, with the thread safety and log redaction above."""
    try:
        import vcr
        from vcr.cassette import Cassette, CassetteContextDecorator
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("cassettes need vcrpy: pip install 'workday-recruiting[test]'") from exc

    class SoapCassette(Cassette):  # type: ignore[misc]
        """A cassette whose recording and playing of interactions is atomic (several threads use it at once)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._workday_lock = threading.RLock()
            super().__init__(*args, **kwargs)

        def append(self, request: Any, response: Any) -> None:
            with self._workday_lock:
                super().append(request, response)

        def play_response(self, request: Any) -> Any:
            with self._workday_lock:
                return super().play_response(request)

        def can_play_response_for(self, request: Any) -> Any:
            with self._workday_lock:
                return super().can_play_response_for(request)

    class SoapCassetteContext(CassetteContextDecorator):  # type: ignore[misc]
        """vcrpy's cassette context (also used by the decorator) with the serialising patches and the log filter.

        The log filter is on before the cassette loads and off after it is saved; the serialising patches go on
        after vcrpy's patches and come off before them. Nothing outlives the cassette.
        """

        def __enter__(self) -> Any:
            logs = _LogGuard()
            logs.attach()
            patches = ExitStack()
            try:
                cassette = super().__enter__()
                try:
                    logs.attach()  # loggers of the stubs vcrpy imported while patching
                    for patcher in _serialising_patches():
                        patches.enter_context(patcher)
                except BaseException:
                    patches.close()
                    super().__exit__(*sys.exc_info())
                    raise
            except BaseException:
                logs.detach()
                raise
            self._workday_guards = (logs, patches)
            return cassette

        def __exit__(self, *exc_info: Any) -> None:
            logs, patches = self._workday_guards
            try:
                patches.close()
                super().__exit__(*exc_info)
            finally:
                logs.detach()

    class SoapVCR(vcr.VCR):  # type: ignore[misc]
        """``vcr.VCR`` whose cassettes are :class:`SoapCassette` in a :class:`SoapCassetteContext`."""

        def _use_cassette(self, with_current_defaults: bool = False, **kwargs: Any) -> Any:
            if with_current_defaults:
                return SoapCassetteContext.from_args(SoapCassette, **self.get_merged_config(**kwargs))
            # As vcrpy: the configuration is read each time a cassette opens (a decorator sees later changes).
            return SoapCassetteContext(SoapCassette, functools.partial(self.get_merged_config, **kwargs))

    return SoapVCR


def make_vcr(
    *, record_mode: str = "none", scrub_personal_data: bool = True, cassette_dir: str | Path | None = None
) -> Any:
    """A ``vcr.VCR`` configured for Workday SOAP: the ``soap`` matcher and the scrubbing hooks.

    Its cassettes (as a context manager or a decorator) record every interaction of a client with several requests
    in flight (the default ``max_concurrency``), and while one is open vcrpy's own log records carry no request or
    response payload, secret or email address.

    Args:
        record_mode: vcrpy's record mode; ``"none"`` (replay only) is right for CI.
        scrub_personal_data: Replace names, emails, phones and addresses with pseudonyms when recording.
        cassette_dir: Where relative cassette paths live.
    """
    recorder = _soap_vcr_class()(
        record_mode=record_mode,
        match_on=["soap"],
        before_record_request=lambda request: scrub_request(request, personal=scrub_personal_data),
        before_record_response=lambda response: scrub_response(response, personal=scrub_personal_data),
        decode_compressed_response=True,
        cassette_library_dir=str(cassette_dir) if cassette_dir is not None else None,
    )
    recorder.register_matcher("soap", soap_matcher)
    return recorder


@contextmanager
def use_cassette(path: str | Path, *, record_mode: str = "none", scrub_personal_data: bool = True) -> Iterator[Any]:
    """Record or replay Workday traffic in ``path`` (see :func:`make_vcr`)."""
    recorder = make_vcr(record_mode=record_mode, scrub_personal_data=scrub_personal_data)
    with recorder.use_cassette(str(path)) as cassette:
        yield cassette
