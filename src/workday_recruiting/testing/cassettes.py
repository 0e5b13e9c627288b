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
  pseudonyms (the same input gives the same pseudonym, so IDs and joins keep working).

vcrpy is a test dependency: install ``workday-recruiting[test]``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final
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


def _pseudonym(value: str, kind: str) -> str:
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


def make_vcr(
    *, record_mode: str = "none", scrub_personal_data: bool = True, cassette_dir: str | Path | None = None
) -> Any:
    """A ``vcr.VCR`` configured for Workday SOAP: the ``soap`` matcher and the scrubbing hooks.

    Args:
        record_mode: vcrpy's record mode; ``"none"`` (replay only) is right for CI.
        scrub_personal_data: Replace names, emails, phones and addresses with pseudonyms when recording.
        cassette_dir: Where relative cassette paths live.
    """
    try:
        import vcr
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("cassettes need vcrpy: pip install 'workday-recruiting[test]'") from exc

    recorder = vcr.VCR(
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
