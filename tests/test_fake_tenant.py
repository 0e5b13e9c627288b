"""FakeTenant over real HTTP: hand-written SOAP gets Workday's answers, faults, auth, transport behaviour."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests
from lxml import etree

from fake_soap import NS, PASSWORD_TEXT, SOAPENV, WD, Reply, assert_valid, call, envelope, get_request, post
from workday_recruiting.testing import (
    ALL_DOMAINS,
    ALL_FAULT_KINDS,
    DOMAINS,
    INTERVIEW_INTEGRATIONS,
    JOB_REQUISITION_DATA,
    MANAGE_CANDIDATES,
    OPERATION_DOMAINS,
    PART_DOMAINS,
    FakeTenant,
    FaultSettings,
    Isu,
)
from workday_recruiting.testing._cache import Cache

Factory = Callable[..., FakeTenant]
AUTH_FAULT = ("SOAP-ENV:Client.authenticationError", "invalid username or password")
NOT_AUTHORIZED = ("SOAP-ENV:Server.processingError", "Processing error occurred. The task submitted is not authorized.")
INVALID_VERSION = (
    "SOAP-ENV:Client.validationError",
    "The web service or version is invalid for the requested operation",
)
ONE_PAGE = get_request("Get_Candidates_Request", page=1, count=5)


@pytest.fixture(scope="module")
def tenant() -> Iterator[FakeTenant]:
    """One small tenant shared by the read-only tests of this module."""
    with FakeTenant(candidates=60, seed=3) as fake:
        yield fake


def assert_workday_fault(reply: Reply, expected: tuple[str, str], *, detail: bool) -> None:
    """HTTP 500, text/xml, Workday's envelope shape, the expected code and string, detail or not."""
    assert reply.status == 500
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.fault == expected
    text = reply.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="')
    assert "<faultcode>" in text  # unqualified, as Workday writes it
    assert (reply.body.find("detail") is not None) is detail


# -- a hand-written request ----------------------------------------------------------------------------------


HANDWRITTEN = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:bsvc="urn:com.workday/bsvc">
  <soapenv:Header>
    <wsse:Security soapenv:mustUnderstand="1"
        xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
      <wsse:UsernameToken>
        <wsse:Username>{username}</wsse:Username>
        <wsse:Password Type="{password_type}">{password}</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
    <bsvc:Workday_Common_Header>
      <bsvc:Include_Reference_Descriptors_In_Response>1</bsvc:Include_Reference_Descriptors_In_Response>
    </bsvc:Workday_Common_Header>
  </soapenv:Header>
  <soapenv:Body>
    <bsvc:Get_Candidates_Request bsvc:version="v45.2">
      <bsvc:Request_Criteria>
        <bsvc:Applied_From>2000-01-01T00:00:00-08:00</bsvc:Applied_From>
      </bsvc:Request_Criteria>
      <bsvc:Response_Filter>
        <bsvc:Page>2</bsvc:Page>
        <bsvc:Count>25</bsvc:Count>
      </bsvc:Response_Filter>
      <bsvc:Response_Group>
        <bsvc:Include_Reference>true</bsvc:Include_Reference>
        <bsvc:Exclude_All_Attachments>false</bsvc:Exclude_All_Attachments>
      </bsvc:Response_Group>
    </bsvc:Get_Candidates_Request>
  </soapenv:Body>
</soapenv:Envelope>
"""


def test_handwritten_request_gets_a_schema_valid_page(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """A Get_Candidates request typed by hand (valid against Workday's XSD) gets a valid page of candidates."""
    text = HANDWRITTEN.format(username=tenant.username, password=tenant.password, password_type=PASSWORD_TEXT)
    request_body = etree.fromstring(text.encode()).find(f"{{{SOAPENV}}}Body/{{{WD}}}Get_Candidates_Request")
    assert request_body is not None
    assert_valid(full_xsd, request_body)

    reply = post(tenant.endpoint, text.encode())

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert reply.body.tag == f"{{{WD}}}Get_Candidates_Response"
    assert reply.body.get(f"{{{WD}}}version") == "v45.2"
    assert_valid(full_xsd, reply.body)
    assert reply.results() == {"Total_Results": 60, "Total_Pages": 3, "Page_Results": 25, "Page": 2}
    candidate_ids = reply.ids("wd:Response_Data/wd:Candidate/wd:Candidate_Reference", "Candidate_ID")
    assert candidate_ids == [f"CAND-{1001 + i}" for i in range(25, 50)]
    first = reply.body.find("wd:Response_Data/wd:Candidate/wd:Candidate_Reference", NS)
    assert first is not None and first.get(f"{{{WD}}}Descriptor")


def test_success_envelope_uses_workdays_env_prefix(tenant: FakeTenant) -> None:
    """Successful answers come in an ``env:Envelope`` whose body element declares ``xmlns:wd``."""
    reply = call(tenant, get_request("Server_Timestamp_Get"))
    text = reply.content.decode()
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?><env:Envelope xmlns:env=")
    assert '<wd:Server_Timestamp xmlns:wd="urn:com.workday/bsvc" wd:version="v45.2">' in text


# -- authentication ------------------------------------------------------------------------------------------


def test_wrong_password_gets_the_authentication_fault(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """A wrong password gets ``Client.authenticationError`` / ``invalid username or password``, no detail."""
    reply = call(tenant, ONE_PAGE, password="not-the-password")
    assert_workday_fault(reply, AUTH_FAULT, detail=False)


@pytest.mark.parametrize(
    ("username", "password_type"),
    [
        ("ISU_Recruiting@other", PASSWORD_TEXT),
        ("ISU_Recruiting", PASSWORD_TEXT),
        ("ISU_Nobody@acme", PASSWORD_TEXT),
        (
            "ISU_Recruiting@acme",
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest",
        ),
    ],
    ids=["wrong-tenant-suffix", "no-tenant-suffix", "unknown-user", "password-digest"],
)
def test_bad_login_gets_the_authentication_fault(tenant: FakeTenant, username: str, password_type: str) -> None:
    """Wrong tenant suffix, missing suffix, unknown user and PasswordDigest all fail as bad credentials."""
    text = HANDWRITTEN.format(username=username, password=tenant.password, password_type=password_type)
    assert_workday_fault(post(tenant.endpoint, text.encode()), AUTH_FAULT, detail=False)


def test_missing_security_header_gets_the_authentication_fault(tenant: FakeTenant) -> None:
    """A request without WS-Security (and without a bearer token) is refused as bad credentials."""
    assert_workday_fault(post(tenant.endpoint, ONE_PAGE), AUTH_FAULT, detail=False)


def test_expired_password_gets_the_authentication_fault(fake_tenant_factory: Factory) -> None:
    """An ISU whose password expired cannot log in."""
    fake = fake_tenant_factory(candidates=5)
    fake.add_isu("ISU_Expired", "s3cret-Pa55", password_expired=True)
    reply = post(fake.endpoint, ONE_PAGE, username="ISU_Expired@acme", password="s3cret-Pa55")
    assert_workday_fault(reply, AUTH_FAULT, detail=False)


def test_password_is_never_in_reprs(tenant: FakeTenant) -> None:
    """ISU, OAuth client and request records keep secrets out of their repr."""
    call(tenant, ONE_PAGE)
    record = tenant.requests.last
    assert record is not None
    for shown in (repr(tenant.isu), repr(tenant.oauth_client), repr(record), repr(tenant)):
        assert tenant.password not in shown
        assert tenant.oauth_client.client_secret not in shown
        assert tenant.oauth_client.refresh_token not in shown


# -- security domains ----------------------------------------------------------------------------------------

OPERATION_REQUESTS = {
    "Get_Candidates": get_request("Get_Candidates_Request", count=5),
    "Get_Job_Requisitions": get_request("Get_Job_Requisitions_Request", count=5),
    "Get_Job_Postings": get_request("Get_Job_Postings_Request", count=5),
    "Get_Interviews": get_request("Get_Interviews_Request", count=5),
    "Get_Web_Conference_Interview_Data": get_request(
        "Get_Web_Conference_Interview_Data_Request",
        "<wd:Request_References><wd:Interview_ID_Reference>0123</wd:Interview_ID_Reference></wd:Request_References>",
    ),
    "Get_Server_Timestamp": get_request("Server_Timestamp_Get"),
}


def test_the_eight_domains_are_the_setup_guides() -> None:
    """The 8 domain names are exactly the setup guide's, and every mapping uses only them."""
    assert set(DOMAINS) == ALL_DOMAINS and len(DOMAINS) == 8
    assert {
        "Candidate Data: Job Application",
        "Candidate Data: Personal Information",
        "Candidate Data: Interview Schedule",
        "Candidate Data: Other Information",
        "Job Requisition Data",
        "Manage: Candidates",
        "Worker Data: Public Worker Reports",
        "Interview Integrations",
    } == ALL_DOMAINS
    assert set(OPERATION_DOMAINS) == set(OPERATION_REQUESTS)
    assert all(domains <= ALL_DOMAINS for domains in OPERATION_DOMAINS.values())
    assert set(PART_DOMAINS.values()) <= ALL_DOMAINS


def test_unknown_domain_names_are_refused() -> None:
    """add_isu refuses a misspelt domain instead of silently granting nothing."""
    with pytest.raises(ValueError, match="unknown security domain"):
        Isu(name="x", password="y", domains=frozenset({"Manage Candidates"}))


@pytest.mark.parametrize("operation", sorted(op for op, needed in OPERATION_DOMAINS.items() if needed))
def test_missing_domain_gets_the_not_authorized_fault(tenant: FakeTenant, operation: str) -> None:
    """An ISU lacking the operation's domain gets Workday's exact not-authorized fault."""
    name = f"ISU_Without_{operation}"
    tenant.add_isu(name, "pw-123456", domains=ALL_DOMAINS - OPERATION_DOMAINS[operation])
    reply = post(tenant.endpoint, OPERATION_REQUESTS[operation], username=f"{name}@acme", password="pw-123456")
    assert_workday_fault(reply, NOT_AUTHORIZED, detail=False)


def test_isu_not_activated_holds_no_domain(tenant: FakeTenant) -> None:
    """A non-activated ISU logs in but is not authorized for anything except Get_Server_Timestamp."""
    tenant.add_isu("ISU_Pending", "pw-pending", activated=False)
    for operation, body in OPERATION_REQUESTS.items():
        reply = post(tenant.endpoint, body, username="ISU_Pending@acme", password="pw-pending")
        if operation == "Get_Server_Timestamp":
            assert reply.status == 200
        else:
            assert_workday_fault(reply, NOT_AUTHORIZED, detail=False)


def test_isu_with_only_the_needed_domain_is_authorized(tenant: FakeTenant) -> None:
    """Holding exactly an operation's domain is enough (parts may then be hidden, the call succeeds)."""
    for name, domains, body in (
        ("ISU_Candidates_Only", {MANAGE_CANDIDATES}, OPERATION_REQUESTS["Get_Candidates"]),
        ("ISU_Reqs_Only", {JOB_REQUISITION_DATA}, OPERATION_REQUESTS["Get_Job_Postings"]),
        ("ISU_Interviews_Only", {INTERVIEW_INTEGRATIONS}, OPERATION_REQUESTS["Get_Server_Timestamp"]),
    ):
        tenant.add_isu(name, "pw-only", domains=domains)
        assert post(tenant.endpoint, body, username=f"{name}@acme", password="pw-only").status == 200


# -- validation faults ---------------------------------------------------------------------------------------


def test_page_zero_gets_workdays_validation_fault(tenant: FakeTenant, full_xsd: etree.XMLSchema) -> None:
    """Page 0 gets ``Validation error occurred. Page Number cannot be zero.`` with a schema-valid detail."""
    reply = call(tenant, get_request("Get_Candidates_Request", page=0, count=10))
    assert_workday_fault(
        reply,
        ("SOAP-ENV:Client.validationError", "Validation error occurred. Page Number cannot be zero."),
        detail=True,
    )
    assert reply.validation_errors == [
        {
            "Message": "Page Number cannot be zero.",
            "Detail_Message": "Page Number cannot be zero.",
            "Xpath": "/wd:Get_Candidates_Request/wd:Response_Filter/wd:Page",
        }
    ]
    fault_detail = reply.body.find("detail/wd:Validation_Fault", NS)
    assert fault_detail is not None
    assert_valid(full_xsd, fault_detail)


@pytest.mark.parametrize("count", [1000, 0, -1])
def test_count_outside_1_to_999_gets_a_validation_fault(tenant: FakeTenant, count: int) -> None:
    """Count 1000 breaks the schema (totalDigits 3); 0 and negatives are refused as well."""
    reply = call(tenant, get_request("Get_Candidates_Request", page=1, count=count))
    assert_workday_fault(reply, ("SOAP-ENV:Client.validationError", reply.fault[1] if reply.fault else ""), detail=True)
    assert reply.fault is not None and reply.fault[1].startswith("Validation error occurred. ")
    assert reply.validation_errors[0]["Xpath"] == "/wd:Get_Candidates_Request/wd:Response_Filter/wd:Count"


def test_count_1000_names_the_total_digits_facet(tenant: FakeTenant) -> None:
    """The Count 1000 fault says what is wrong with the value."""
    reply = call(tenant, get_request("Get_Candidates_Request", count=1000))
    assert reply.fault is not None
    assert "totalDigits" in reply.fault[1] and "'1000'" in reply.fault[1]


def test_first_name_without_last_name_gets_workdays_validation(tenant: FakeTenant) -> None:
    """``Last Name is required if First Name is entered.`` (Get_Candidates_Request validation)."""
    reply = call(
        tenant,
        get_request(
            "Get_Candidates_Request", "<wd:Request_Criteria><wd:First_Name>Ava</wd:First_Name></wd:Request_Criteria>"
        ),
    )
    assert reply.fault == (
        "SOAP-ENV:Client.validationError",
        "Validation error occurred. Last Name is required if First Name is entered.",
    )


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            "<wd:Updated_From>2024-01-01T00:00:00Z</wd:Updated_From>",
            "If one of Updated From or Updated Through contains a value, both are Required!",
        ),
        (
            "<wd:Updated_From>2024-02-01T00:00:00Z</wd:Updated_From><wd:Updated_Through>2024-01-01T00:00:00Z</wd:Updated_Through>",
            "Updated From must be less than or equal to Updated Through!",
        ),
        (
            "<wd:Updated_From>2024-02-01T00:00:00Z</wd:Updated_From><wd:Updated_Through>2999-01-01T00:00:00Z</wd:Updated_Through>",
            "Updated Through must be less than or equal to Current Moment!",
        ),
    ],
)
def test_transaction_log_dates_get_workdays_validations(tenant: FakeTenant, dates: str, message: str) -> None:
    """Transaction log windows are checked with the messages of Effective_And_Updated_DateTime_DataType."""
    criteria = (
        "<wd:Request_Criteria><wd:Transaction_Log_Criteria_Data><wd:Transaction_Date_Range_Data>"
        f"{dates}</wd:Transaction_Date_Range_Data></wd:Transaction_Log_Criteria_Data></wd:Request_Criteria>"
    )
    reply = call(tenant, get_request("Get_Candidates_Request", criteria))
    assert reply.fault == ("SOAP-ENV:Client.validationError", f"Validation error occurred. {message}")


def test_schema_violations_are_listed_one_error_each(tenant: FakeTenant) -> None:
    """Several schema violations give one Validation_Error each, with an Xpath."""
    body = (
        '<wd:Get_Candidates_Request wd:version="v45.2"><wd:Response_Filter><wd:Page>x</wd:Page>'
        "<wd:Count>abc</wd:Count></wd:Response_Filter><wd:Bogus/></wd:Get_Candidates_Request>"
    )
    reply = call(tenant, body)
    assert reply.fault is not None and reply.fault[0] == "SOAP-ENV:Client.validationError"
    assert len(reply.validation_errors) >= 2
    assert all(error["Xpath"].startswith("/wd:Get_Candidates_Request") for error in reply.validation_errors)


# -- version and operation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<wd:Get_Candidates_Request><wd:Response_Filter><wd:Count>5</wd:Count></wd:Response_Filter></wd:Get_Candidates_Request>",
        get_request("Get_Candidates_Request", count=5, version="v44.0"),
        get_request("Get_Candidates_Request", count=5, version="v99.9"),
    ],
    ids=["no-version", "older-version", "unknown-version"],
)
def test_missing_or_other_version_gets_the_invalid_version_fault(tenant: FakeTenant, body: str) -> None:
    """A request element without ``wd:version="v45.2"`` gets Workday's wrong-service-or-version fault."""
    assert_workday_fault(call(tenant, body), INVALID_VERSION, detail=False)


def test_unknown_version_path_gets_the_invalid_version_fault(tenant: FakeTenant) -> None:
    """POST to ``/Recruiting/v30.0`` gets the wrong-service-or-version fault."""
    url = tenant.endpoint.replace("v45.2", "v30.0")
    reply = post(url, ONE_PAGE, username=tenant.username, password=tenant.password)
    assert_workday_fault(reply, INVALID_VERSION, detail=False)


def test_other_service_path_gets_the_invalid_version_fault(tenant: FakeTenant) -> None:
    """POST to another web service of the tenant (Human_Resources) gets the wrong-service fault."""
    url = tenant.endpoint.replace("Recruiting", "Human_Resources")
    assert_workday_fault(post(url, ONE_PAGE), INVALID_VERSION, detail=False)


def test_versionless_endpoint_uses_the_request_elements_version(tenant: FakeTenant) -> None:
    """POST to ``.../Recruiting`` answers when the element says v45.2 and refuses other versions."""
    url = tenant.endpoint.rsplit("/", 1)[0]
    ok = post(url, ONE_PAGE, username=tenant.username, password=tenant.password)
    assert ok.status == 200 and ok.results()["Page_Results"] == 5
    old = post(
        url, get_request("Get_Candidates_Request", version="v44.0"), username=tenant.username, password=tenant.password
    )
    assert_workday_fault(old, INVALID_VERSION, detail=False)


def test_operation_of_another_service_gets_the_invalid_version_fault(tenant: FakeTenant) -> None:
    """Get_Workers (a Human_Resources operation) sent to Recruiting is an invalid operation for the service."""
    assert_workday_fault(call(tenant, get_request("Get_Workers_Request")), INVALID_VERSION, detail=False)


def test_recruiting_operation_the_fake_does_not_implement_says_so(tenant: FakeTenant) -> None:
    """Put_Candidate is a real Recruiting operation the fake does not answer: the fault's detail says so."""
    reply = call(tenant, get_request("Put_Candidate_Request"))
    assert_workday_fault(reply, INVALID_VERSION, detail=True)
    assert "does not implement Put_Candidate" in reply.validation_errors[0]["Message"]


# -- malformed requests --------------------------------------------------------------------------------------

_EMAIL_CRITERIA = (
    '<wd:Get_Candidates_Request wd:version="v45.2"><wd:Request_Criteria>'
    "<wd:Candidate_Email_Address>{}</wd:Candidate_Email_Address></wd:Request_Criteria></wd:Get_Candidates_Request>"
)
GARBAGE = {
    "empty": b"",
    "not-xml": b"hello workday",
    "truncated": envelope(ONE_PAGE)[:-40],
    "soap-1.2": b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>',
    "no-envelope": ONE_PAGE.encode(),
    "no-body": f'<s:Envelope xmlns:s="{SOAPENV}"><s:Header/></s:Envelope>'.encode(),
    "empty-body": f'<s:Envelope xmlns:s="{SOAPENV}"><s:Body/></s:Envelope>'.encode(),
    "two-body-elements": envelope(ONE_PAGE + ONE_PAGE),
    "wrong-namespace": envelope(ONE_PAGE).replace(b'xmlns:wd="urn:com.workday/bsvc"', b'xmlns:wd="urn:example"'),
    "entity-expansion": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + envelope(_EMAIL_CRITERIA.format("&c;"))
    ),
    "external-entity": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + envelope(_EMAIL_CRITERIA.format("&e;"))
    ),
    "binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_malformed_requests_get_a_fault_never_a_crash(tenant: FakeTenant, name: str) -> None:
    """Garbage, truncated XML, wrong envelopes and entity tricks get a SOAP fault; the server keeps serving."""
    body = GARBAGE[name]
    if name not in ("entity-expansion", "external-entity"):
        reply = post(tenant.endpoint, body)
    else:
        reply = post(tenant.endpoint, body.replace(b"<soapenv:Header>", _security_header(tenant), 1))
    assert reply.status == 500
    assert reply.fault is not None
    assert reply.fault[0] in ("SOAP-ENV:Client.validationError", "SOAP-ENV:Client.authenticationError")
    assert b"root:" not in reply.content  # no external entity was read
    assert call(tenant, ONE_PAGE).status == 200


def _security_header(tenant: FakeTenant) -> bytes:
    header = envelope("", username=tenant.username, password=tenant.password)
    start = header.index(b"<soapenv:Header>")
    end = header.index(b"</soapenv:Header>")
    return header[start:end]


def test_non_xml_and_non_soap_bodies_are_validation_faults(tenant: FakeTenant) -> None:
    """A body that is not a SOAP 1.1 envelope is refused with ``Client.validationError``, before authentication."""
    for name in ("not-xml", "truncated", "soap-1.2", "no-envelope", "empty-body", "two-body-elements"):
        reply = post(tenant.endpoint, GARBAGE[name])
        assert reply.fault is not None and reply.fault[0] == "SOAP-ENV:Client.validationError", name


def test_oversized_body_gets_413_and_the_connection_closed(tenant: FakeTenant) -> None:
    """A body above the size limit is refused with HTTP 413 without being read."""
    big = b"<x>" + b"a" * (5 * 1024 * 1024) + b"</x>"
    response = requests.post(tenant.endpoint, data=big, timeout=30)
    assert response.status_code == 413
    assert response.headers.get("Connection") == "close"


def test_huge_page_number_is_an_empty_page(tenant: FakeTenant) -> None:
    """A page far beyond the last gets Page_Results 0 and no Response_Data (never a crash)."""
    reply = call(tenant, get_request("Get_Candidates_Request", page=999999999999, count=999))
    assert reply.status == 200
    assert reply.results() == {"Total_Results": 60, "Total_Pages": 1, "Page_Results": 0, "Page": 999999999999}
    assert reply.body.find("wd:Response_Data", NS) is None


# -- WSDL and routes -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix",
    [
        "/ccx/service/acme/Recruiting?wsdl",
        "/ccx/service/acme/Recruiting/v45.2?wsdl",
        "/ccx/service/acme/Recruiting?WSDL",
    ],
)
def test_wsdl_is_served(tenant: FakeTenant, suffix: str) -> None:
    """The bundled WSDL is served with and without the version."""
    response = requests.get(f"http://127.0.0.1:{tenant.port}{suffix}", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.tag == "{http://schemas.xmlsoap.org/wsdl/}definitions"


def test_served_wsdl_loads_in_zeep(tenant: FakeTenant) -> None:
    """zeep builds a client from the served WSDL URL, with the six operations."""
    zeep = pytest.importorskip("zeep")
    client = zeep.Client(tenant.wsdl_url)
    operations = set(client.service._binding._operations)
    assert {"Get_Candidates", "Get_Job_Requisitions", "Get_Interviews", "Get_Job_Postings"} <= operations


@pytest.mark.parametrize(
    "path",
    [
        "/ccx/service/other/Recruiting?wsdl",
        "/ccx/service/acme/Recruiting/v30.0?wsdl",
        "/ccx/service/acme/Recruiting",
        "/",
        "/ccx/oauth2/acme/token",
    ],
)
def test_unknown_pages_get_a_404_html_page(tenant: FakeTenant, path: str) -> None:
    """Another tenant, a version without a WSDL, a GET without ``?wsdl`` and other paths are 404 HTML pages."""
    response = requests.get(f"{tenant.base_url}{path}", timeout=30)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_post_to_another_tenant_is_404(tenant: FakeTenant) -> None:
    """SOAP to ``/ccx/service/other/Recruiting/v45.2`` is answered with the 404 page."""
    reply = post(
        tenant.endpoint.replace("/acme/", "/other/"), ONE_PAGE, username=tenant.username, password=tenant.password
    )
    assert reply.status == 404 and reply.root is None


# -- OAuth ---------------------------------------------------------------------------------------------------


def _basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _token(
    tenant: FakeTenant, client_id: str, secret: str, refresh_token: str, grant: str = "refresh_token"
) -> requests.Response:
    return requests.post(
        tenant.token_url,
        data={"grant_type": grant, "refresh_token": refresh_token},
        headers=_basic(client_id, secret),
        timeout=30,
    )


def test_refresh_grant_issues_a_bearer_token_that_works(tenant: FakeTenant) -> None:
    """The refresh_token grant answers Workday's JSON, and the access token authenticates SOAP calls."""
    client = tenant.oauth_client
    response = _token(tenant, client.client_id, client.client_secret, client.refresh_token)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    payload = response.json()
    assert payload["token_type"] == "Bearer"
    assert payload["expires_in"] == 3600
    assert payload["access_token"]
    reply = post(tenant.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {payload['access_token']}"})
    assert reply.status == 200
    record = tenant.requests.last
    assert record is not None and record.auth == "bearer" and record.username == "ISU_Recruiting"


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "nobody"}, 401, "invalid_client"),
        ({"refresh_token": "stale"}, 400, "invalid_grant"),
        ({"grant": "client_credentials"}, 400, "unsupported_grant_type"),
    ],
)
def test_token_endpoint_errors_are_oauth_json(
    tenant: FakeTenant, change: dict[str, str], status: int, error: str
) -> None:
    """A bad client, refresh token or grant type gets the OAuth JSON error and status."""
    client = tenant.oauth_client
    args = {
        "client_id": client.client_id,
        "secret": client.client_secret,
        "refresh_token": client.refresh_token,
        "grant": "refresh_token",
    }
    args.update(change)
    response = _token(tenant, args["client_id"], args["secret"], args["refresh_token"], args["grant"])
    assert response.status_code == status
    assert response.json()["error"] == error


def test_token_endpoint_needs_basic_client_authentication(tenant: FakeTenant) -> None:
    """Client credentials in the form body instead of HTTP Basic are refused as invalid_client."""
    client = tenant.oauth_client
    response = requests.post(
        tenant.token_url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": client.refresh_token,
            "client_id": client.client_id,
            "client_secret": client.client_secret,
        },
        timeout=30,
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_expired_or_unknown_token_gets_401_with_an_authentication_fault(fake_tenant_factory: Factory) -> None:
    """Expired or unknown bearer tokens get HTTP 401 (+ the auth fault body); a refresh then works again."""
    fake = fake_tenant_factory(candidates=5)
    client = fake.add_oauth_client("client-2", "secret-2", isu=fake.isu, refresh_token="refresh-2")
    token = _token(fake, "client-2", "secret-2", "refresh-2").json()["access_token"]
    assert post(fake.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {token}"}).status == 200

    fake.expire_tokens()
    expired = post(fake.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {token}"})
    unknown = post(fake.endpoint, ONE_PAGE, headers={"Authorization": "Bearer made-up"})
    for reply in (expired, unknown):
        assert reply.status == 401
        assert reply.fault == AUTH_FAULT
        assert 'error="invalid_token"' in reply.headers["WWW-Authenticate"]

    fresh = _token(fake, client.client_id, client.client_secret, client.refresh_token).json()["access_token"]
    assert post(fake.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {fresh}"}).status == 200


def test_tokens_expire_after_token_ttl(fake_tenant_factory: Factory) -> None:
    """An access token stops working once ``token_ttl`` seconds have passed."""
    fake = fake_tenant_factory(candidates=5, token_ttl=0.2)
    client = fake.oauth_client
    token = _token(fake, client.client_id, client.client_secret, client.refresh_token).json()["access_token"]
    time.sleep(0.3)
    assert post(fake.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {token}"}).status == 401


def test_bearer_token_carries_its_isus_domains(fake_tenant_factory: Factory) -> None:
    """A token bound to an ISU without Manage: Candidates gets the not-authorized fault."""
    fake = fake_tenant_factory(candidates=5)
    isu = fake.add_isu("ISU_Reqs", "pw-reqs", domains={JOB_REQUISITION_DATA})
    fake.add_oauth_client("reqs-client", "reqs-secret", isu=isu, refresh_token="reqs-refresh")
    token = _token(fake, "reqs-client", "reqs-secret", "reqs-refresh").json()["access_token"]
    reply = post(fake.endpoint, ONE_PAGE, headers={"Authorization": f"Bearer {token}"})
    assert reply.fault == NOT_AUTHORIZED


# -- fault injection, latency, max_page_size -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_FAULT_KINDS)
def test_each_injected_fault_kind_is_observable(fake_tenant_factory: Factory, kind: str) -> None:
    """With fault_rate 1 each fault kind shows as what a client would see, and is logged."""
    fake = fake_tenant_factory(candidates=5, fault_rate=1.0, fault_kinds=[kind], retry_after=0)
    if kind in ("dropped_connection", "truncated_body"):
        with pytest.raises(
            requests.exceptions.ConnectionError
            if kind == "dropped_connection"
            else requests.exceptions.ChunkedEncodingError
        ):
            call(fake, ONE_PAGE)
    else:
        reply = call(fake, ONE_PAGE)
        if kind == "throttling_fault":
            assert reply.status == 500
            assert reply.fault == (
                "SOAP-ENV:Server.processingError",
                "Processing error occurred. The request has been throttled. Please try again later.",
            )
        elif kind == "too_many_requests":
            assert reply.status == 429 and reply.headers["Retry-After"] == "0"
        else:
            assert reply.status == 503 and reply.headers["Content-Type"].startswith("text/html")
    record = fake.requests.last
    assert record is not None and record.fault == kind


def test_fault_rate_is_seeded_and_settable_at_runtime(fake_tenant_factory: Factory) -> None:
    """The same seed injects the same faults in the same order; setting fault_rate 0 stops them."""

    def pattern(fake: FakeTenant) -> list[int]:
        return [call(fake, get_request("Server_Timestamp_Get")).status for _ in range(20)]

    kinds = ["throttling_fault", "too_many_requests", "service_unavailable"]
    first = fake_tenant_factory(candidates=1, seed=11, fault_rate=0.5, fault_kinds=kinds, retry_after=0)
    second = fake_tenant_factory(candidates=1, seed=11, fault_rate=0.5, fault_kinds=kinds, retry_after=0)
    seen = pattern(first)
    assert seen == pattern(second)
    assert {500, 200} <= set(seen)
    first.fault_rate = 0.0
    assert set(pattern(first)) == {200}


def test_knobs_refuse_nonsense() -> None:
    """Negative latency, fault rates outside 0..1 and unknown fault kinds raise ValueError."""
    with FakeTenant(candidates=1) as fake:
        for name, value in (("latency", -1), ("fault_rate", 1.5), ("fault_kinds", ["gremlins"]), ("max_page_size", 0)):
            with pytest.raises(ValueError, match=name):
                setattr(fake, name, value)


def test_fault_settings_are_one_frozen_value(fake_tenant_factory: Factory) -> None:
    """The knobs read and replace one FaultSettings value: a refused setting leaves it as it was."""
    fake = fake_tenant_factory(candidates=1, fault_rate=0.2, retry_after=0)
    before = fake.faults
    fake.fault_rate = 0.5
    fake.fault_kinds = "too_many_requests"  # one kind may be given alone
    assert (before.fault_rate, before.fault_kinds) == (0.2, ALL_FAULT_KINDS)
    assert fake.faults == FaultSettings(fault_rate=0.5, fault_kinds=["too_many_requests"], retry_after=0)
    with pytest.raises(ValueError, match="retry_after"):
        fake.retry_after = -1
    assert fake.retry_after == 0
    fake.faults = FaultSettings(max_page_size=5)
    assert (fake.fault_rate, fake.fault_kinds, fake.max_page_size, fake.retry_after) == (0.0, ALL_FAULT_KINDS, 5, 1)


def test_the_cache_keeps_the_most_recently_used_within_its_size() -> None:
    """One cache class serves both of the fake's caches: bounded by total size (and entries), LRU out first."""
    cache: Cache[str, bytes] = Cache(10, len, max_entries=3)
    computed: list[str] = []

    def value(key: str, size: int) -> bytes:
        def compute() -> bytes:
            computed.append(key)
            return b"x" * size

        return cache.get_or_compute(key, compute)

    for key in ("a", "b", "a", "c", "a", "b"):  # "c" makes 12 > 10: "b", the least recently used, goes
        value(key, 4)
    assert computed == ["a", "b", "c", "b"]
    value("huge", 11)  # larger than the whole cache: computed, not kept
    assert len(cache) == 2 and "huge" in computed
    cache.clear()
    assert len(cache) == 0


def test_latency_delays_every_request(fake_tenant_factory: Factory) -> None:
    """With latency set, no answer comes sooner than that (a lower bound, so it cannot flake)."""
    fake = fake_tenant_factory(candidates=1)
    fake.latency = 0.3
    started = time.monotonic()
    assert call(fake, get_request("Server_Timestamp_Get")).status == 200
    assert requests.get(fake.wsdl_url, timeout=30).status_code == 200
    assert time.monotonic() - started >= 0.6


def test_count_above_max_page_size_resets_the_connection(fake_tenant_factory: Factory) -> None:
    """Workday aborts requests returning too much: Count above max_page_size gets the connection reset."""
    fake = fake_tenant_factory(candidates=30, max_page_size=10)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(fake, get_request("Get_Candidates_Request", count=11))
    record = fake.requests.last
    assert record is not None and record.fault == "connection_reset" and record.status is None
    assert call(fake, get_request("Get_Candidates_Request", count=10)).results()["Page_Results"] == 10
    fake.max_page_size = None
    assert call(fake, get_request("Get_Candidates_Request", count=30)).results()["Page_Results"] == 30


# -- request log, concurrency, keep-alive, lifecycle ---------------------------------------------------------


def test_request_log_records_operation_auth_status_and_body(fake_tenant_factory: Factory) -> None:
    """Every request is logged with its operation, auth kind, status, faultcode and raw body."""
    fake = fake_tenant_factory(candidates=5)
    call(fake, ONE_PAGE)
    call(fake, ONE_PAGE, password="wrong")
    requests.get(fake.wsdl_url, timeout=30)
    records = list(fake.requests)
    assert [(r.method, r.operation, r.auth, r.status, r.faultcode) for r in records] == [
        ("POST", "Get_Candidates", "isu", 200, None),
        ("POST", "Get_Candidates", None, 500, "SOAP-ENV:Client.authenticationError"),
        ("GET", None, None, 200, None),
    ]
    assert b"Get_Candidates_Request" in records[0].body
    assert len(fake.requests.of("Get_Candidates")) == 2
    fake.requests.clear()
    assert len(fake.requests) == 0


def test_keep_alive_serves_many_requests_on_one_connection(tenant: FakeTenant) -> None:
    """A pooled session reuses one HTTP/1.1 connection across requests."""
    with requests.Session() as session:
        for _ in range(5):
            assert call(tenant, ONE_PAGE, session=session).status == 200
            assert call(tenant, ONE_PAGE, password="x", session=session).status == 500
        adapter = session.get_adapter(tenant.endpoint)
        pools = list(adapter.poolmanager.pools._container.values())  # type: ignore[attr-defined]
        assert pools and pools[0].num_connections == 1


def test_concurrent_clients_get_consistent_pages(tenant: FakeTenant) -> None:
    """Eight threads paging at once get the same answers as one thread would."""
    expected = call(tenant, get_request("Get_Candidates_Request", page=2, count=20)).content.split(
        b"<wd:Response_Results>"
    )[1]
    failures: list[str] = []

    def worker() -> None:
        with requests.Session() as session:
            for _ in range(5):
                reply = call(tenant, get_request("Get_Candidates_Request", page=2, count=20), session=session)
                if reply.status != 200 or reply.content.split(b"<wd:Response_Results>")[1] != expected:
                    failures.append(f"{reply.status}")

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures


def test_close_is_idempotent_and_stops_serving() -> None:
    """close() stops the server (connections are refused) and can be called again."""
    fake = FakeTenant(candidates=1)
    with requests.Session() as session:
        assert session.get(fake.wsdl_url, timeout=30).status_code == 200
        fake.close()
        fake.close()
        assert fake.closed
        with pytest.raises(requests.exceptions.ConnectionError):
            session.get(fake.wsdl_url, timeout=5)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", fake.port)) != 0


def test_urls_and_default_isu(tenant: FakeTenant) -> None:
    """The URLs follow Workday's layout and the default ISU holds all 8 domains, activated."""
    base = f"http://127.0.0.1:{tenant.port}"
    assert tenant.wsdl_url == f"{base}/ccx/service/acme/Recruiting?wsdl"
    assert tenant.endpoint == f"{base}/ccx/service/acme/Recruiting/v45.2"
    assert tenant.token_url == f"{base}/ccx/oauth2/acme/token"
    assert tenant.username == "ISU_Recruiting@acme"
    assert tenant.isu.domains == ALL_DOMAINS and tenant.isu.activated


def test_password_is_deterministic_per_seed() -> None:
    """The same seed gives the same ISU password; another seed another one."""
    with (
        FakeTenant(candidates=1, seed=5) as a,
        FakeTenant(candidates=1, seed=5) as b,
        FakeTenant(candidates=1, seed=6) as c,
    ):
        assert a.password == b.password != c.password
        assert len(a.password) >= 16


# -- pytest plugin -------------------------------------------------------------------------------------------


@pytest.mark.fake_tenant(candidates=7, tenant="globex")
def test_fake_tenant_fixture_takes_marker_arguments(fake_tenant: FakeTenant) -> None:
    """The ``fake_tenant`` fixture is a running tenant built with the marker's keyword arguments."""
    assert fake_tenant.tenant == "globex"
    assert call(fake_tenant, ONE_PAGE.replace("<wd:Count>5", "<wd:Count>50")).results()["Total_Results"] == 7


def test_plugin_module_imports_without_starting_anything() -> None:
    """Importing the pytest plugin starts no server thread and opens no socket."""
    code = (
        "import gc, socket, threading, workday_recruiting.testing.pytest_plugin as p;"
        "assert threading.active_count() == 1;"
        "assert not [o for o in gc.get_objects() if isinstance(o, socket.socket)]; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "ok", result.stderr


# -- python -m workday_recruiting.testing --------------------------------------------------------------------


def test_module_runs_a_tenant_in_the_foreground() -> None:
    """``python -m workday_recruiting.testing`` prints a WSDL URL and login that answer, and stops cleanly."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "workday_recruiting.testing", "--candidates", "12", "--tenant", "initech"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            text = "".join(process.stdout.readline() for _ in range(6))
            wsdl_url = re.search(r"WSDL URL:\s+(\S+)", text)
            endpoint = re.search(r"SOAP endpoint:\s+(\S+)", text)
            user = re.search(r"ISU user name:\s+(\S+)", text)
            password = re.search(r"ISU password:\s+(\S+)", text)
            assert wsdl_url and endpoint and user and password, text
            assert requests.get(wsdl_url.group(1), timeout=30).status_code == 200
            reply = post(endpoint.group(1), ONE_PAGE, username=user.group(1), password=password.group(1))
            assert user.group(1) == "ISU_Recruiting@initech"
            assert reply.results()["Total_Results"] == 12
        finally:
            process.terminate()
            output, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert "FakeTenant stopped." in output
