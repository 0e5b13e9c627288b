"""Hand-written SOAP for the FakeTenant tests.

Requests are plain strings typed here, not built by the SDK, so the fake tenant is tested as any SOAP
tool would use it; replies are parsed with lxml into a small :class:`Reply`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from lxml import etree

WD = "urn:com.workday/bsvc"
SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS = {"wd": WD, "env": SOAPENV}
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def envelope(
    body: str,
    *,
    username: str | None = None,
    password: str | None = None,
    descriptors: bool | None = None,
    password_type: str = PASSWORD_TEXT,
) -> bytes:
    """A SOAP 1.1 envelope around ``body`` (which uses the ``wd`` prefix), with WS-Security when ``username``."""
    header = ""
    if username is not None:
        header += (
            f'<wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="{WSSE}">'
            f"<wsse:UsernameToken><wsse:Username>{username}</wsse:Username>"
            f'<wsse:Password Type="{password_type}">{password}</wsse:Password>'
            "</wsse:UsernameToken></wsse:Security>"
        )
    if descriptors is not None:
        flag = "true" if descriptors else "false"
        header += (
            "<wd:Workday_Common_Header><wd:Include_Reference_Descriptors_In_Response>"
            f"{flag}</wd:Include_Reference_Descriptors_In_Response></wd:Workday_Common_Header>"
        )
    text = (
        f'<soapenv:Envelope xmlns:soapenv="{SOAPENV}" xmlns:wd="{WD}">'
        f"<soapenv:Header>{header}</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
    return text.encode("utf-8")


def get_request(
    operation_element: str,
    inner: str = "",
    *,
    page: int | None = None,
    count: int | None = None,
    as_of: str | None = None,
    group: str = "",
    version: str = "v45.2",
) -> str:
    """``<wd:{operation_element} wd:version=...>`` with references/criteria, a Response_Filter and a Response_Group."""
    response_filter = ""
    if page is not None or count is not None or as_of is not None:
        response_filter = "<wd:Response_Filter>"
        if as_of is not None:
            response_filter += f"<wd:As_Of_Entry_DateTime>{as_of}</wd:As_Of_Entry_DateTime>"
        if page is not None:
            response_filter += f"<wd:Page>{page}</wd:Page>"
        if count is not None:
            response_filter += f"<wd:Count>{count}</wd:Count>"
        response_filter += "</wd:Response_Filter>"
    if group:
        group = f"<wd:Response_Group>{group}</wd:Response_Group>"
    return f'<wd:{operation_element} wd:version="{version}">{inner}{response_filter}{group}</wd:{operation_element}>'


def ref(tag: str, **ids: str) -> str:
    """``<wd:{tag}><wd:ID wd:type="...">...</wd:ID>...</wd:{tag}>`` (ID types as keyword arguments)."""
    inner = "".join(f'<wd:ID wd:type="{id_type}">{value}</wd:ID>' for id_type, value in ids.items())
    return f"<wd:{tag}>{inner}</wd:{tag}>"


@dataclass
class Reply:
    """A parsed HTTP answer of the fake tenant."""

    status: int
    headers: Any
    content: bytes
    root: etree._Element | None

    @property
    def body(self) -> etree._Element:
        """The only child of the SOAP Body (a response element or ``SOAP-ENV:Fault``)."""
        assert self.root is not None, self.content[:300]
        children = self.root.find(f"{{{SOAPENV}}}Body")
        assert children is not None and len(children) == 1
        return children[0]

    @property
    def fault(self) -> tuple[str, str] | None:
        """(faultcode, faultstring) when the answer is a SOAP fault."""
        if self.root is None or self.body.tag != f"{{{SOAPENV}}}Fault":
            return None
        return self.body.findtext("faultcode") or "", self.body.findtext("faultstring") or ""

    @property
    def validation_errors(self) -> list[dict[str, str]]:
        """The fault's wd:Validation_Error entries as dicts of Message / Detail_Message / Xpath."""
        return [
            {child.tag.split("}")[1]: child.text or "" for child in error}
            for error in self.body.iterfind("detail/wd:Validation_Fault/wd:Validation_Error", NS)
        ]

    def results(self) -> dict[str, int]:
        """Response_Results as a dict (absent entries are left out)."""
        results = self.body.find("wd:Response_Results", NS)
        assert results is not None
        return {child.tag.split("}")[1]: int(child.text or "0") for child in results}

    def ids(self, path: str, id_type: str) -> list[str]:
        """The ``id_type`` IDs of the references at ``path`` (relative to the response element)."""
        return [
            id_el.text or ""
            for reference in self.body.iterfind(path, NS)
            for id_el in reference.iterfind("wd:ID", NS)
            if id_el.get(f"{{{WD}}}type") == id_type
        ]


def post(
    url: str,
    body: str | bytes,
    *,
    username: str | None = None,
    password: str | None = None,
    descriptors: bool | None = None,
    headers: dict[str, str] | None = None,
    session: requests.Session | None = None,
) -> Reply:
    """POST ``body`` (a request element, or raw bytes sent as they are) and parse the answer."""
    data = (
        body
        if isinstance(body, bytes)
        else envelope(body, username=username, password=password, descriptors=descriptors)
    )
    sender = session or requests
    response = sender.post(
        url, data=data, headers={"Content-Type": "text/xml;charset=UTF-8", **(headers or {})}, timeout=30
    )
    root = None
    if response.headers.get("Content-Type", "").startswith("text/xml"):
        root = etree.fromstring(response.content, _PARSER)
    return Reply(response.status_code, response.headers, response.content, root)


def call(tenant: Any, body: str, **kwargs: Any) -> Reply:
    """POST ``body`` to the tenant's endpoint as its default ISU."""
    kwargs.setdefault("username", tenant.username)
    kwargs.setdefault("password", tenant.password)
    return post(tenant.endpoint, body, **kwargs)


def assert_valid(schema: etree.XMLSchema, element: etree._Element) -> None:
    """``element`` (copied into a document of its own) validates against ``schema``."""
    document = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    if not schema.validate(document):
        errors = "\n".join(str(schema.error_log).splitlines()[:10])
        raise AssertionError(f"{etree.QName(element).localname} is not valid:\n{errors}")
