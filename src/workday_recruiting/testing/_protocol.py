"""The fake tenant's wire format: SOAP 1.1 request parsing, response envelopes and Workday's faults.

Workday answers every SOAP fault with HTTP 500 and an envelope in the ``SOAP-ENV`` prefix whose
``faultcode`` and ``faultstring`` are unqualified, exactly as captured from real tenants::

    <?xml version="1.0" encoding="utf-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="..."><SOAP-ENV:Body>
    <SOAP-ENV:Fault xmlns:SOAP-ENV="..." xmlns:wd="urn:com.workday/bsvc">
      <faultcode>SOAP-ENV:Client.validationError</faultcode>
      <faultstring>Validation error occurred. Page Number cannot be zero.</faultstring>
      <detail><wd:Validation_Fault><wd:Validation_Error>
        <wd:Message>...</wd:Message><wd:Detail_Message>...</wd:Detail_Message><wd:Xpath>...</wd:Xpath>
      </wd:Validation_Error></wd:Validation_Fault></detail>
    </SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>

Successful responses use the ``env`` prefix Workday uses for them, with the response element (which
declares ``xmlns:wd``) as the only child of ``env:Body``.

Handlers raise :class:`SoapFault`; the server turns it into bytes with :meth:`SoapFault.to_bytes`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape

import attrs
from lxml import etree

from .._ns import PASSWORD_TEXT, SOAPENV, WD, WSSE, wd
from .._xml import parse_bytes

SOAP12_ENV: Final = "http://www.w3.org/2003/05/soap-envelope"

AUTHENTICATION_ERROR: Final = "SOAP-ENV:Client.authenticationError"
VALIDATION_ERROR: Final = "SOAP-ENV:Client.validationError"
PROCESSING_ERROR: Final = "SOAP-ENV:Server.processingError"

INVALID_CREDENTIALS: Final = "invalid username or password"
NOT_AUTHORIZED: Final = "Processing error occurred. The task submitted is not authorized."
INVALID_SERVICE_OR_VERSION: Final = "The web service or version is invalid for the requested operation"
VALIDATION_PREFIX: Final = "Validation error occurred. "
PROCESSING_PREFIX: Final = "Processing error occurred. "
#: The fake tenant's throttling fault (Workday does not document one; see docs/fake-tenant.md).
THROTTLED: Final = "Processing error occurred. The request has been throttled. Please try again later."
THROTTLED_DETAIL: Final = "Too many requests for this tenant. The request has been throttled. Please try again later."

#: Every operation of Recruiting v45.2 except the two below (their request element is ``{name}_Request``).
_RECRUITING_OPERATIONS: Final = """
Get_Applicants Put_Applicant Create_Position Get_Positions Get_Organizations
Edit_Position_Restrictions Edit_Job_Requisition Get_Job_Requisitions Put_Candidate Get_Candidates
Unpost_Job Post_Job Update_Job_Posting Close_Job_Requisition Put_Candidate_Attachment
Get_Candidate_Attachments Get_Job_Posting_Sites Put_Job_Posting_Site Put_Candidate_Photo
Get_Candidate_Photos Put_Background_Check_Package Get_Background_Check_Packages
Manage_Job_Requisition_Freeze Put_Background_Check Get_Background_Check Get_Job_Postings
Get_Questionnaires Get_Assess_Candidate Assess_Candidate Create_Evergreen_Requisition
Get_Evergreen_Requisitions Edit_Evergreen_Requisition Close_Evergreen_Requisition
Move_Job_Requisition Edit_Position_Restrictions_Additional_Data Edit_Job_Requisition_Additional_Data
Get_Recruiting_Agency_Users Put_Recruiting_Agency_User Move_Candidate_to_Linked_Job_Requisition
Put_Primary_Posting Move_Candidate_to_Linked_Evergreen_Requisition
Get_Job_Application_Additional_Data Put_Job_Application_Additional_Data Get_Recruiting_Agencies
Put_Recruiting_Agency Submit_Recruiting_Agency_Candidate Move_Candidate
Get_Recruiting_Agency_Additional_Data Put_Recruiting_Agency_Additional_Data
Get_Job_Requisition_Interview_Settings Put_Job_Requisition_Interview_Settings Put_Interview
Get_Interviews Refer_a_Candidate Put_Interview_Feedback Get_Interview_Feedbacks Put_Veteran_Status
Get_Veteran_Statuses Put_Undo_Move_from_Hire Get_Recruiting_Self-Schedule_Calendar_Types
Put_Recruiting_Self-Schedule_Calendar_Type Get_Assign_Recruiting_Self-Schedule_Calendars
Assign_Recruiting_Self-Schedule_Calendar Get_Recruiting_Self-Schedule_Calendars
Put_Recruiting_Self-Schedule_Calendar Get_Recruiting_Assessment_Categories
Put_Recruiting_Assessment_Category Get_Recruiting_Assessment_Category_Security_Segments
Put_Recruiting_Assessment_Category_Security_Segment Offer Put_Maintain_Candidate_List_Assignment
Get_Maintain_Candidate_List_Assignment Put_Site_Brand Employment_Agreement Get_Site_Brands
Put_Job_Application_Template_Translation Get_Job_Application_Template_Translation
Get_Masked_Recruiting_Configurations Put_Masked_Recruiting_Configuration
Get_Masked_Job_Requisition_Defaults Put_Masked_Job_Requisition_Default Get_Referees Put_Referee
Put_External_Reference Get_External_Reference Get_Web_Conference_Interview_Data
Put_Web_Conference_Interview_Data Get_Candidate_Rating_Templates Put_Candidate_Rating_Template
Get_Rating_Data_Mappings Put_Rating_Data_Mapping Get_Candidate_Ranking_Templates
Get_Ranking_Data_Mappings Put_Ranking_Data_Mapping Put_Candidate_Ranking_Template
Get_Regions_for_Recruiting Put_Region_for_Recruiting Get_Candidate_Availability_Templates
Put_Candidate_Availability_Template Put_Job_Requisition_Candidate_Availability_Defaults
Get_Job_Requisition_Candidate_Availability_Defaults Import_Applicant Bulk_Import_Put_Candidate
""".split()  # noqa: SIM905 - a word list reads better than 103 quoted strings
#: Every operation of Recruiting v45.2 -> its request element (``wd:`` local name).
RECRUITING_REQUEST_ELEMENTS: Final[dict[str, str]] = {name + "_Request": name for name in _RECRUITING_OPERATIONS} | {
    "Server_Timestamp_Get": "Get_Server_Timestamp",
    "Create_Requisition_Request": "Create_Job_Requisition",
}


@attrs.frozen
class ValidationError:
    """One ``wd:Validation_Error`` of a validation fault."""

    message: str
    xpath: str = ""
    detail_message: str | None = None


@attrs.frozen
class SoapFault(Exception):  # noqa: N818 - named after the SOAP construct it is
    """A Workday SOAP fault, raised by request handling and sent as HTTP 500.

    Attributes:
        faultcode: For example :data:`VALIDATION_ERROR`.
        faultstring: For example :data:`INVALID_CREDENTIALS`.
        validation_errors: The ``wd:Validation_Fault`` detail (validation faults only).
        processing_detail: The ``wd:Processing_Fault/wd:Detail_Message`` detail, if any.
        status: The HTTP status (Workday sends 500 for every fault).
    """

    faultcode: str
    faultstring: str
    validation_errors: tuple[ValidationError, ...] = ()
    processing_detail: str | None = None
    status: int = 500

    def __str__(self) -> str:
        return f"{self.faultcode}: {self.faultstring}"

    def to_bytes(self) -> bytes:
        """The fault envelope, shaped exactly as Workday's."""
        detail = ""
        if self.validation_errors:
            errors = "".join(
                "<wd:Validation_Error>"
                f"<wd:Message>{escape(error.message)}</wd:Message>"
                f"<wd:Detail_Message>{escape(error.detail_message or error.message)}</wd:Detail_Message>"
                f"<wd:Xpath>{escape(error.xpath)}</wd:Xpath>"
                "</wd:Validation_Error>"
                for error in self.validation_errors
            )
            detail = f"<detail><wd:Validation_Fault>{errors}</wd:Validation_Fault></detail>"
        elif self.processing_detail is not None:
            detail = (
                "<detail><wd:Processing_Fault>"
                f"<wd:Detail_Message>{escape(self.processing_detail)}</wd:Detail_Message>"
                "</wd:Processing_Fault></detail>"
            )
        text = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAPENV}"><SOAP-ENV:Body>'
            f'<SOAP-ENV:Fault xmlns:SOAP-ENV="{SOAPENV}" xmlns:wd="{WD}">'
            f"<faultcode>{escape(self.faultcode)}</faultcode>"
            f"<faultstring>{escape(self.faultstring)}</faultstring>"
            f"{detail}</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"
        )
        return text.encode("utf-8")


def authentication_fault() -> SoapFault:
    """Workday's bad-credentials fault (also sent for a missing or unusable WS-Security header)."""
    return SoapFault(AUTHENTICATION_ERROR, INVALID_CREDENTIALS)


def not_authorized_fault() -> SoapFault:
    """Workday's fault for an ISU lacking a domain the operation needs."""
    return SoapFault(PROCESSING_ERROR, NOT_AUTHORIZED)


def invalid_version_fault(detail: str | None = None) -> SoapFault:
    """Workday's wrong-service-or-version fault (``detail``: a ``Validation_Fault`` for the fake's cases)."""
    errors = (ValidationError(detail),) if detail else ()
    return SoapFault(VALIDATION_ERROR, INVALID_SERVICE_OR_VERSION, validation_errors=errors)


def validation_fault(errors: Sequence[ValidationError]) -> SoapFault:
    """A validation fault: the faultstring repeats the first error's message."""
    if not errors:
        raise ValueError("a validation fault needs at least one error")
    return SoapFault(VALIDATION_ERROR, VALIDATION_PREFIX + errors[0].message, validation_errors=tuple(errors))


def validation(message: str, xpath: str = "", detail_message: str | None = None) -> SoapFault:
    """A validation fault with one error."""
    return validation_fault([ValidationError(message, xpath, detail_message)])


def processing_fault(message: str, detail: str | None = None) -> SoapFault:
    """A processing fault (``Processing error occurred. <message>``) with a ``Processing_Fault`` detail."""
    return SoapFault(PROCESSING_ERROR, PROCESSING_PREFIX + message, processing_detail=detail or message)


def throttling_fault() -> SoapFault:
    """The fake tenant's throttling fault (see the fault catalogue in docs/fake-tenant.md)."""
    return SoapFault(PROCESSING_ERROR, THROTTLED, processing_detail=THROTTLED_DETAIL)


def response_envelope(body: etree._Element) -> bytes:
    """Wrap a response element in Workday's success envelope."""
    payload = etree.tostring(body, encoding="unicode")
    text = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f'<env:Envelope xmlns:env="{SOAPENV}"><env:Body>{payload}</env:Body></env:Envelope>'
    )
    return text.encode("utf-8")


@attrs.frozen
class SoapRequest:
    """What the fake tenant reads from a SOAP request envelope.

    Attributes:
        body: The request element (the only element child of ``soapenv:Body``).
        username: The WS-Security ``Username`` (``None`` when there is no UsernameToken).
        password: The WS-Security ``Password`` text (never shown in ``repr``).
        password_type: The password's ``Type`` attribute (PasswordText when absent).
        common_header: The ``wd:Workday_Common_Header`` element, if sent.
    """

    body: etree._Element
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    password_type: str = PASSWORD_TEXT
    common_header: etree._Element | None = None

    @property
    def include_descriptors(self) -> bool:
        """The header's ``Include_Reference_Descriptors_In_Response`` flag."""
        if self.common_header is None:
            return False
        flag = self.common_header.find(wd("Include_Reference_Descriptors_In_Response"))
        return flag is not None and parse_boolean(flag.text) is True


def parse_envelope(data: bytes) -> SoapRequest:
    """Read a SOAP 1.1 request envelope.

    Args:
        data: The HTTP request body.

    Returns:
        The request element and the header fields the fake tenant uses.

    Raises:
        SoapFault: A validation fault when ``data`` is not a SOAP 1.1 envelope with one body element.
    """
    try:
        root = parse_bytes(data)
    except (etree.XMLSyntaxError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "empty document"
        raise validation(f"The request is not well-formed XML: {message}", "/") from None
    docinfo = root.getroottree().docinfo
    internal_subset: object = docinfo.internalDTD  # None without one (the stubs say otherwise)
    if internal_subset is not None or docinfo.public_id or getattr(docinfo, "system_url", None):
        raise validation("A SOAP message must not contain a document type declaration.", "/")
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise validation("SOAP 1.2 is not supported; send a SOAP 1.1 envelope.", "/")
    if root.tag != f"{{{SOAPENV}}}Envelope":
        raise validation(f"The request is not a SOAP 1.1 envelope (root element {_display(root)}).", "/")
    body = root.find(f"{{{SOAPENV}}}Body")
    if body is None:
        raise validation("The SOAP envelope has no Body.", "/soapenv:Envelope")
    children = [child for child in body if isinstance(child.tag, str)]
    if len(children) != 1:
        raise validation(
            f"The SOAP Body must hold exactly one request element; it holds {len(children)}.",
            "/soapenv:Envelope/soapenv:Body",
        )
    username = password = None
    password_type = PASSWORD_TEXT
    common_header = None
    header = root.find(f"{{{SOAPENV}}}Header")
    if header is not None:
        token = header.find(f"{{{WSSE}}}Security/{{{WSSE}}}UsernameToken")
        if token is not None:
            user_el = token.find(f"{{{WSSE}}}Username")
            password_el = token.find(f"{{{WSSE}}}Password")
            username = (user_el.text or "").strip() if user_el is not None else ""
            password = (password_el.text or "") if password_el is not None else None
            if password_el is not None:
                password_type = password_el.get("Type") or PASSWORD_TEXT
        common_header = header.find(wd("Workday_Common_Header"))
    return SoapRequest(
        body=children[0],
        username=username,
        password=password,
        password_type=password_type,
        common_header=common_header,
    )


def _display(element: etree._Element) -> str:
    qname = etree.QName(element)
    return f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname


_CLARK_WD: Final = re.compile(r"\{" + re.escape(WD) + r"\}")


def readable_message(message: str) -> str:
    """A libxml2 message with ``{urn:com.workday/bsvc}X`` shortened to ``wd:X``."""
    return _CLARK_WD.sub("wd:", message)


def parse_boolean(text: str | None) -> bool | None:
    """An ``xsd:boolean`` (``1``/``0``/``true``/``false``); ``None`` when absent or not a boolean."""
    value = (text or "").strip()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    return None


_DATETIME: Final = re.compile(
    r"^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$",
)
_DATE: Final = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$")


def _offset(text: str | None) -> dt.tzinfo:
    if not text or text == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_datetime(text: str | None) -> dt.datetime | None:
    """An ``xsd:dateTime`` as an aware datetime (UTC when it has no offset); ``None`` if it is not one."""
    match = _DATETIME.match((text or "").strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or ".0")[1:7].ljust(6, "0"))
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            micro,
            tzinfo=_offset(offset),
        )
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """An ``xsd:date`` (an offset, if any, is ignored); ``None`` if it is not one."""
    match = _DATE.match((text or "").strip())
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def format_datetime(value: dt.datetime) -> str:
    """An aware datetime as ``xsd:dateTime`` with milliseconds and an offset, as Workday writes them."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat(timespec="milliseconds")


# -- the HTML pages Workday's gateway answers with (no SOAP) ------------------------------------------------------

NOT_FOUND_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Workday - Page Not Found</title></head><body>"
    "<h1>404 - Not Found</h1><p>The page you requested could not be found.</p></body></html>"
)
UNAVAILABLE_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Workday is currently unavailable</title></head><body>"
    "<h1>503 - Service Unavailable</h1><p>Workday is currently unavailable. Please try again later.</p>"
    "</body></html>"
)
TOO_MANY_HTML: Final = (
    "<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body>"
    "<h1>429 - Too Many Requests</h1><p>The rate limit for this tenant was exceeded.</p></body></html>"
)
