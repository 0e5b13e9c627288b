"""Fault translation: every Workday fault becomes its exception, classified by content, never by status alone."""

from __future__ import annotations

import pytest
from lxml import etree

from workday_recruiting import (
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    NotFoundError,
    PermissionDeniedError,
    ProcessingError,
    ResponseParseError,
    ThrottledError,
    Timeout,
    TransportError,
    ValidationError,
    WorkdayError,
)
from workday_recruiting._soap import translate_fault

ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def fault(code: str, string: str, detail: str = "") -> etree._Element:
    text = (
        f'<SOAP-ENV:Fault xmlns:SOAP-ENV="{ENV}" xmlns:wd="urn:com.workday/bsvc">'
        f"<faultcode>{code}</faultcode><faultstring>{string}</faultstring>{detail}</SOAP-ENV:Fault>"
    )
    return etree.fromstring(text)


def test_bad_credentials() -> None:
    """Workday's authentication fault is an AuthenticationError, not retryable."""
    exc = translate_fault(
        fault("SOAP-ENV:Client.authenticationError", "invalid username or password"),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, AuthenticationError)
    assert not exc.is_retryable
    assert exc.fault_code == "SOAP-ENV:Client.authenticationError"
    assert exc.http_status == 500 and exc.operation == "Get_Candidates"


def test_not_authorized_names_the_domains() -> None:
    """The not-authorized processing fault is a PermissionDeniedError naming the setup guide's domain."""
    exc = translate_fault(
        fault(
            "SOAP-ENV:Server.processingError",
            "Processing error occurred. The task submitted is not authorized.",
        ),
        operation="Get_Interviews",
        http_status=500,
    )
    assert isinstance(exc, PermissionDeniedError)
    assert exc.domains == ("Candidate Data: Interview Schedule",)
    assert "Candidate Data: Interview Schedule" in str(exc)
    assert not exc.is_retryable


def test_not_authorized_matched_on_text_whatever_the_code() -> None:
    """A third-party fixture used SOAP-ENV:Client for the same text: still a permission error."""
    exc = translate_fault(
        fault("SOAP-ENV:Client", "Processing error occurred. The task submitted is not authorized."),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, PermissionDeniedError)
    assert exc.domains == ("Manage: Candidates",)


def test_validation_keeps_every_error() -> None:
    """Every Validation_Error's message, detail, xpath and code is kept."""
    detail = (
        "<detail><wd:Validation_Fault>"
        "<wd:Validation_Error><wd:Message>Page Number cannot be zero.</wd:Message>"
        "<wd:Detail_Message>Page Number cannot be zero.</wd:Detail_Message>"
        "<wd:Xpath>/wd:Get_Candidates_Request/wd:Response_Filter/wd:Page</wd:Xpath></wd:Validation_Error>"
        "<wd:Validation_Error><wd:Message>Second</wd:Message><wd:Code>X1</wd:Code></wd:Validation_Error>"
        "</wd:Validation_Fault></detail>"
    )
    exc = translate_fault(
        fault(
            "SOAP-ENV:Client.validationError",
            "Validation error occurred. Page Number cannot be zero.",
            detail,
        ),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, ValidationError)
    assert [i.message for i in exc.issues] == ["Page Number cannot be zero.", "Second"]
    assert exc.issues[0].xpath == "/wd:Get_Candidates_Request/wd:Response_Filter/wd:Page"
    assert exc.issues[1].code == "X1"


def test_validation_with_loose_detail_message() -> None:
    """The trimmed shape seen in the wild (Detail_Message straight under Validation_Fault) is read too."""
    detail = (
        "<detail><wd:Validation_Fault><wd:Detail_Message>Invalid ID value.</wd:Detail_Message>"
        "</wd:Validation_Fault></detail>"
    )
    exc = translate_fault(
        fault("SOAP-ENV:Client.validationError", "Validation error occurred. Invalid ID value.", detail),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, ValidationError)
    assert exc.issues[0].detail == "Invalid ID value."


def test_processing_error_detail() -> None:
    """Other processing errors keep Processing_Fault's detail and code."""
    detail = (
        "<detail><wd:Processing_Fault><wd:Detail_Message>Boom</wd:Detail_Message><wd:Code>P7</wd:Code>"
        "</wd:Processing_Fault></detail>"
    )
    exc = translate_fault(
        fault("SOAP-ENV:Server.processingError", "Processing error occurred. Boom", detail),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, ProcessingError)
    assert (exc.detail, exc.code) == ("Boom", "P7")
    assert not exc.is_retryable


def test_throttling_fault_is_retryable() -> None:
    """A throttling fault (HTTP 500, no Retry-After) is a retryable ThrottledError."""
    exc = translate_fault(
        fault("SOAP-ENV:Server.processingError", "Processing error occurred. The request has been throttled."),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, ThrottledError)
    assert exc.is_retryable and exc.retry_after is None


def test_invalid_version_is_validation() -> None:
    """The wrong-service-or-version fault is a ValidationError carrying Workday's text."""
    exc = translate_fault(
        fault(
            "SOAP-ENV:Client.validationError",
            "The web service or version is invalid for the requested operation",
        ),
        operation="Get_Candidates",
        http_status=500,
    )
    assert isinstance(exc, ValidationError)
    assert "version is invalid" in str(exc)


def test_tree() -> None:
    """The exception tree is the documented one."""
    assert issubclass(ConnectError, TransportError) and issubclass(Timeout, TransportError)
    assert issubclass(NotFoundError, ValidationError)
    assert issubclass(ConfigurationError, ValueError)
    for cls in (
        AuthenticationError,
        PermissionDeniedError,
        ValidationError,
        ProcessingError,
        ThrottledError,
        ResponseParseError,
        TransportError,
        ConfigurationError,
    ):
        assert issubclass(cls, WorkdayError)
    assert TransportError("x").is_retryable and not ValidationError("x").is_retryable
    assert ResponseParseError("x", retryable=True).is_retryable and not ResponseParseError("x").is_retryable


def test_str_reads_like_a_sentence() -> None:
    """str() names the operation and the HTTP status."""
    exc = AuthenticationError("Workday refused the credentials", operation="Get_Candidates", http_status=500)
    assert str(exc) == "Get_Candidates: Workday refused the credentials (HTTP 500)"
    assert repr(exc).startswith("AuthenticationError(")


@pytest.mark.parametrize("code", ["SOAP-ENV:Client", "weird"])
def test_unknown_fault_is_still_a_workday_error(code: str) -> None:
    """An unrecognised fault still becomes a WorkdayError with its code and string."""
    exc = translate_fault(fault(code, "Something odd"), operation="Get_Candidates", http_status=500)
    assert isinstance(exc, WorkdayError)
    assert exc.fault_string == "Something odd"
