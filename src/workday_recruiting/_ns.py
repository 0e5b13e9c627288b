"""Namespaces, the API version and other wire constants shared by the client and the fake tenant."""

from __future__ import annotations

from typing import Final

#: Workday's data namespace (``wd:``), qualified for elements and attributes.
WD: Final = "urn:com.workday/bsvc"
#: The Recruiting WSDL's target namespace.
WSDL_TNS: Final = "urn:com.workday/bsvc/Recruiting"
#: SOAP 1.1 envelope namespace.
SOAPENV: Final = "http://schemas.xmlsoap.org/soap/envelope/"
#: WS-Security (OASIS 2004) namespaces.
WSSE: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_TEXT: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"  # noqa: S105 - a URI, not a password

#: The Recruiting API version this SDK is built and tested against (and bundles the schema of).
API_VERSION: Final = "v45.2"
SERVICE: Final = "Recruiting"

NSMAP: Final = {"wd": WD, "soapenv": SOAPENV}


def wd(local: str) -> str:
    """Clark notation for a ``wd:`` name: ``wd("Candidate")`` -> ``{urn:com.workday/bsvc}Candidate``."""
    return f"{{{WD}}}{local}"
