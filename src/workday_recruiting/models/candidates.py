"""Candidates: the ``wd:Candidate`` entries of a ``Get_Candidates`` response, with their applications.

A v45.2 candidate carries one public primary email, one phone and one address (``Contact_Data``); the model
keeps them as tuples so that richer sources fit the same shape. Parsing is the SDK's hot path (pages of up to
999 candidates): sections are visited as children, and each section the models read is walked once by
:func:`~workday_recruiting.models._scan.stream`; résumés, attachments and other unread sections are skipped.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from ._base import Model, Reference, parse_bool, ref_of
from ._scan import K_BAG, K_DROP, K_EL, K_REF, K_TEXT, K_TEXTS, Table, fast_constructor, stream
from .applications import JobApplication, applications_of

__all__ = ["Address", "Candidate", "EmailAddress", "PersonName", "PhoneNumber"]

_PHONE_CODE_IN_DESCRIPTOR: Final = re.compile(r"\+\s*(\d{1,4})")


# ----------------------------------------------------------------------------------------------------
# Value objects
# ----------------------------------------------------------------------------------------------------


@attrs.frozen
class PersonName(Model):
    """A person's name as Workday splits it.

    Attributes:
        first: Given name.
        middle: Middle name.
        last: Family name.
        secondary_last: Secondary family name (used in some countries).
        full_name: Workday's ``Full_Name`` (Malaysia and Singapore enter the whole legal name here).
        prefix: Title (``Mr.``, ``Dr.``) as its descriptor or ID.
        suffix: Social or hereditary suffix (``Jr.``) as its descriptor or ID.
        raw: The ``wd:Name_Detail_Data`` element.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("formatted",)

    first: str | None = None
    middle: str | None = None
    last: str | None = None
    secondary_last: str | None = None
    full_name: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def formatted(self) -> str:
        """The name for display: ``Full_Name`` when given, else the parts joined by spaces."""
        if self.full_name:
            return self.full_name
        parts = (self.prefix, self.first, self.middle, self.last, self.secondary_last, self.suffix)
        return " ".join(part for part in parts if part)

    def __str__(self) -> str:
        return self.formatted


@attrs.frozen
class EmailAddress(Model):
    """An email address.

    Attributes:
        address: The address itself.
        primary: Whether it is the candidate's primary address (the v45.2 candidate email always is).
        public: Whether it is a public (work/contact) address rather than a private one.
        usage: Workday's usage type (``HOME``, ``WORK``), when the source says.
    """

    address: str
    primary: bool = True
    public: bool = True
    usage: str | None = None

    def __str__(self) -> str:
        return self.address


def _format_phone(phone: PhoneNumber) -> str:
    return _formatted(phone.number, phone.country_code, phone.extension)


def _formatted(number: str, country_code: str | None, extension: str | None) -> str:
    if number.startswith("+"):  # typed in international form already
        country_code = None
    elif country_code == "1":
        digits = number.replace("-", "").replace(" ", "").replace(".", "").replace("(", "").replace(")", "")
        if len(digits) == 10 and digits.isdigit():
            number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        elif len(digits) == 7 and digits.isdigit():
            number = f"{digits[:3]}-{digits[3:]}"
    elif country_code and country_code != "39" and number.startswith("0"):
        number = number[1:].lstrip()  # the national trunk prefix is not dialled from abroad (Italy keeps it)
    text = f"+{country_code} {number}" if country_code else number
    if extension:
        text += f" x{extension}"
    return text


@attrs.frozen
class PhoneNumber(Model):
    """A phone number.

    Attributes:
        number: The number as Workday holds it, without the country code (``4045550100``).
        country_code: The international dialling code, digits only (``1``), when known.
        extension: The extension.
        device_type: The device type (``Mobile``, ``Landline``) as a reference.
        country_phone_code: The ``Country_Phone_Code_Reference`` (``USA_1``) the code came from.
        primary: Whether it is the primary number (the v45.2 candidate phone always is).
        formatted: The number for display: ``+1 404-555-0100`` (North American numbers are grouped;
            others are shown as held; a number typed with its ``+`` code is not prefixed again), with
            `` x<extension>`` when there is one.
    """

    number: str
    country_code: str | None = None
    extension: str | None = None
    device_type: Reference | None = None
    country_phone_code: Reference | None = None
    primary: bool = True
    formatted: str = attrs.field(default=attrs.Factory(_format_phone, takes_self=True))

    def __str__(self) -> str:
        return self.formatted


def _phone_code(ref: Reference) -> str | None:
    """``USA_1`` -> ``1``; else ``... (+44)`` in the descriptor -> ``44``."""
    code_id = ref.ids.get("Country_Phone_Code_ID")
    if code_id:
        tail = code_id.rpartition("_")[2]
        if tail.isdigit():
            return tail
    if ref.descriptor:
        match = _PHONE_CODE_IN_DESCRIPTOR.search(ref.descriptor)
        if match:
            return match.group(1)
    return None


@attrs.frozen
class Address(Model):
    """A postal address.

    Attributes:
        lines: Address lines 1..9, in order, blanks dropped.
        city: City.
        region: Region code: ``ISO_3166-2_Code`` (``GA``), else ``Country_Region_ID``, else the descriptor.
        postal_code: Postal code.
        country: ISO 3166-1 alpha-2 code (``US``), else alpha-3, else the descriptor, when known.
        region_reference: The full ``Country_Region_Reference``.
        country_reference: The full ``Country_Reference``.
        primary: Whether it is the primary address (the v45.2 candidate address always is).
        raw: The ``wd:Location_Data`` element.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("formatted",)

    lines: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    region_reference: Reference | None = None
    country_reference: Reference | None = None
    primary: bool = True
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def formatted(self) -> str:
        """One line for display: ``100 Example Ave, Decatur, GA 30030, US``."""
        region_postal = " ".join(part for part in (self.region, self.postal_code) if part)
        parts = (*self.lines, self.city, region_postal, self.country)
        return ", ".join(part for part in parts if part)

    def __str__(self) -> str:
        return self.formatted


@attrs.frozen
class Candidate(Model):
    """A candidate with their contact details, flags and job applications.

    Attributes:
        reference: The candidate (``Candidate_ID`` such as ``CAND-1187``, and WID).
        candidate_id: The ``Candidate_ID``.
        legal_name: The legal name.
        preferred_name: The preferred name, when it differs from the legal one.
        emails: Email addresses (v45.2 sends the public primary one).
        phones: Phone numbers (v45.2 sends the public primary one).
        addresses: Addresses (v45.2 sends the candidate's location).
        websites: Web site URLs.
        tags: Candidate tags.
        source: The applicant source: the prospect's, else the first application's that has one.
        referred_by: The referring worker: the prospect's, else the first application's that has one.
        prospect: Whether the candidate is a prospect.
        withdrawn: Whether the candidate is withdrawn.
        do_not_hire: Whether the candidate is marked "Do Not Hire".
        worker: The worker the candidate is (internal candidates).
        pre_hire: The pre-hire the candidate is.
        applications: The candidate's job applications.
        raw: The ``wd:Candidate`` element.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("name", "primary_email", "primary_phone")

    reference: Reference
    candidate_id: str | None = None
    legal_name: PersonName | None = None
    preferred_name: PersonName | None = None
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[PhoneNumber, ...] = ()
    addresses: tuple[Address, ...] = ()
    websites: tuple[str, ...] = ()
    tags: tuple[Reference, ...] = ()
    source: Reference | None = None
    referred_by: Reference | None = None
    prospect: bool = False
    withdrawn: bool = False
    do_not_hire: bool = False
    worker: Reference | None = None
    pre_hire: Reference | None = None
    applications: tuple[JobApplication, ...] = ()
    raw: etree._Element | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def wid(self) -> str | None:
        """The candidate's WID."""
        return self.reference.wid

    @property
    def name(self) -> str | None:
        """The display name: the preferred name, else the legal name, else the reference's descriptor."""
        for person in (self.preferred_name, self.legal_name):
            if person is not None:
                text = person.formatted
                if text:
                    return text
        return self.reference.descriptor

    @property
    def primary_email(self) -> str | None:
        """The primary email address (else the first one), or ``None``."""
        for email in self.emails:
            if email.primary:
                return email.address
        return self.emails[0].address if self.emails else None

    @property
    def primary_phone(self) -> str | None:
        """The primary phone number, formatted (``+1 404-555-0100``), or ``None``."""
        for phone in self.phones:
            if phone.primary:
                return phone.formatted
        return self.phones[0].formatted if self.phones else None

    @classmethod
    def from_xml(cls, el: etree._Element) -> Candidate:
        """Build from a ``wd:Candidate`` element (``Candidate_Reference`` + ``Candidate_Data``).

        A bare ``wd:Candidate_Data`` is accepted too (its reference is then built from ``Candidate_ID``).

        Raises:
            ModelParseError: A value (a flag, a date) cannot be read.
        """
        return _candidate(el)


# ----------------------------------------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------------------------------------

_new_person = fast_constructor(PersonName)
_new_email = fast_constructor(EmailAddress)
_new_phone = fast_constructor(PhoneNumber)
_new_address = fast_constructor(Address)
_new_candidate = fast_constructor(Candidate)

T_CANDIDATE_REFERENCE: Final = wd("Candidate_Reference")
T_CANDIDATE_DATA: Final = wd("Candidate_Data")
T_PROSPECT: Final = wd("Prospect")
T_SOURCE_REFERENCE: Final = wd("Source_Reference")
T_REFERRED_BY_WORKER_REFERENCE: Final = wd("Referred_By_Worker_Reference")

# Candidate_Data's children (a sequence; every tag below occurs once in Candidate_DataType).
_S_ID: Final = 1
_S_WORKER: Final = 2
_S_PRE_HIRE: Final = 3
_S_NAME: Final = 4
_S_CONTACT: Final = 5
_S_STATUS: Final = 6
_S_APPLICATION: Final = 7
_S_PROSPECT: Final = 8
_S_TAG: Final = 9
_SECTIONS: Final[dict[str, int]] = {
    wd("Candidate_ID"): _S_ID,
    wd("Worker_Reference"): _S_WORKER,
    wd("Pre-Hire_Reference"): _S_PRE_HIRE,
    wd("Name_Data"): _S_NAME,
    wd("Contact_Data"): _S_CONTACT,
    wd("Status_Data"): _S_STATUS,
    wd("Job_Application_Data"): _S_APPLICATION,
    wd("Prospect_Data"): _S_PROSPECT,
    wd("Candidate_Tag_Reference"): _S_TAG,
}

_NAME_PARTS: Final[Table] = {
    wd("Legal_Name"): (K_BAG, "legal"),
    wd("Preferred_Name"): (K_BAG, "preferred"),
    wd("Local_Person_Name"): (K_DROP, ""),  # the name in local script: its parts have other tags anyway
    wd("Name_Detail_Data"): (K_EL, "raw"),
    wd("First_Name"): (K_TEXT, "first"),
    wd("Middle_Name"): (K_TEXT, "middle"),
    wd("Last_Name"): (K_TEXT, "last"),
    wd("Secondary_Last_Name"): (K_TEXT, "secondary_last"),
    wd("Full_Name"): (K_TEXT, "full_name"),
    wd("Title_Reference"): (K_REF, "prefix"),
    wd("Social_Suffix_Reference"): (K_REF, "suffix"),
    wd("Hereditary_Suffix_Reference"): (K_REF, "hereditary_suffix"),
}
_CONTACT: Final[Table] = {
    wd("Phone_Device_Type_Reference"): (K_REF, "device_type"),
    wd("Country_Phone_Code_Reference"): (K_REF, "country_phone_code"),
    wd("Phone_Number"): (K_TEXT, "phone"),
    wd("Phone_Extension"): (K_TEXT, "extension"),
    wd("Email_Address"): (K_TEXT, "email"),
    wd("URL_Address"): (K_TEXTS, "websites"),
    wd("Location_Data"): (K_BAG, "location"),  # the last child of Contact_Data: the rest is the address
    wd("Country_Reference"): (K_REF, "country_reference"),
    wd("Country_Region_Reference"): (K_REF, "region_reference"),
    wd("City"): (K_TEXT, "city"),
    wd("Postal_Code"): (K_TEXT, "postal_code"),
    **{wd(f"Address_Line_{n}"): (K_TEXTS, "lines") for n in range(1, 10)},
}
_STATUS: Final[Table] = {
    wd("Do_Not_Hire"): (K_TEXT, "do_not_hire"),
    wd("Withdrawn"): (K_TEXT, "withdrawn"),
}
_LINE_NUMBER: Final = {wd(f"Address_Line_{n}"): n for n in range(1, 10)}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


def _label(ref: Reference | None) -> str | None:
    return None if ref is None else (ref.descriptor or ref.id)


def _person(bag: dict[str, Any] | None) -> PersonName | None:
    if bag is None:
        return None
    get = bag.get
    return _new_person(
        _clean(get("first")),
        _clean(get("middle")),
        _clean(get("last")),
        _clean(get("secondary_last")),
        _clean(get("full_name")),
        _label(get("prefix")),
        _label(get("suffix") or get("hereditary_suffix")),
        get("raw"),
    )


def _address(bag: dict[str, Any], raw: etree._Element) -> Address:
    lines: tuple[str, ...] = ()
    found = bag.get("lines")
    if found:
        numbered = sorted((_LINE_NUMBER[tag], text.strip()) for tag, text in found if text and text.strip())
        lines = tuple(text for _, text in numbered)
    region_ref: Reference | None = bag.get("region_reference")
    country_ref: Reference | None = bag.get("country_reference")
    region = country = None
    if region_ref is not None:
        ids = region_ref.ids
        region = ids.get("ISO_3166-2_Code") or ids.get("Country_Region_ID") or region_ref.descriptor
    if country_ref is not None:
        ids = country_ref.ids
        country = ids.get("ISO_3166-1_Alpha-2_Code") or ids.get("ISO_3166-1_Alpha-3_Code") or country_ref.descriptor
    return _new_address(
        lines,
        _clean(bag.get("city")),
        region,
        _clean(bag.get("postal_code")),
        country,
        region_ref,
        country_ref,
        True,
        raw,
    )


def _contact(
    el: etree._Element,
) -> tuple[tuple[EmailAddress, ...], tuple[PhoneNumber, ...], tuple[Address, ...], tuple[str, ...]]:
    found = stream(el, _CONTACT)
    email = _clean(found.get("email"))
    emails = (_new_email(email, True, True, None),) if email else ()
    phones: tuple[PhoneNumber, ...] = ()
    number = _clean(found.get("phone"))
    if number:
        code_ref: Reference | None = found.get("country_phone_code")
        code = _phone_code(code_ref) if code_ref is not None else None
        extension = _clean(found.get("extension"))
        phones = (
            _new_phone(
                number,
                code,
                extension,
                found.get("device_type"),
                code_ref,
                True,
                _formatted(number, code, extension),
            ),
        )
    location = found.get("location")
    addresses = (_address(location, location["_el"]),) if location is not None else ()
    websites = found.get("websites")
    urls = tuple(url for url in (_clean(text) for _, text in websites) if url) if websites else ()
    return emails, phones, addresses, urls


def _flag(text: str | None, field: str) -> bool:
    return False if text is None else bool(parse_bool(text, field=field))


def _candidate(el: etree._Element) -> Candidate:
    reference: Reference | None = None
    data = el if el.tag == T_CANDIDATE_DATA else None
    if data is None:
        for child in el:
            tag = child.tag
            if tag == T_CANDIDATE_REFERENCE:
                reference = ref_of(child)
            elif tag == T_CANDIDATE_DATA:
                data = child
    candidate_id = worker = pre_hire = source = referred_by = None
    legal = preferred = None
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[PhoneNumber, ...] = ()
    addresses: tuple[Address, ...] = ()
    websites: tuple[str, ...] = ()
    tags: list[Reference] = []
    application_data: list[etree._Element] = []
    prospect = withdrawn = do_not_hire = False
    for child in data if data is not None else ():
        section = _SECTIONS.get(child.tag)
        if section is None:
            continue
        if section == _S_APPLICATION:
            application_data.append(child)
        elif section == _S_CONTACT:
            emails, phones, addresses, websites = _contact(child)
        elif section == _S_NAME:
            names = stream(child, _NAME_PARTS)
            legal = _person(names.get("legal"))
            preferred = _person(names.get("preferred"))
        elif section == _S_STATUS:
            status = stream(child, _STATUS)
            withdrawn = _flag(status.get("withdrawn"), "Withdrawn")
            do_not_hire = _flag(status.get("do_not_hire"), "Do_Not_Hire")
        elif section == _S_TAG:
            tags.append(ref_of(child))
        elif section == _S_ID:
            candidate_id = _clean(child.text)
        elif section == _S_WORKER:
            worker = ref_of(child)
        elif section == _S_PRE_HIRE:
            pre_hire = ref_of(child)
        else:  # _S_PROSPECT: few children, then a résumé and attachments not read
            for item in child:
                tag = item.tag
                if tag == T_PROSPECT:
                    prospect = _flag(item.text, "Prospect")
                elif tag == T_SOURCE_REFERENCE:
                    source = ref_of(item)
                elif tag == T_REFERRED_BY_WORKER_REFERENCE:
                    referred_by = ref_of(item)
    if reference is None:
        reference = Reference(None, {"Candidate_ID": candidate_id} if candidate_id else {})
    elif candidate_id is None:
        candidate_id = reference.ids.get("Candidate_ID")
    applications: list[JobApplication] = []
    for app_el in application_data:
        applications.extend(applications_of(app_el, reference))
    for application in applications:
        if source is None:
            source = application.source
        if referred_by is None:
            referred_by = application.referred_by
    return _new_candidate(
        reference,
        candidate_id,
        legal,
        preferred,
        emails,
        phones,
        addresses,
        websites,
        tuple(tags),
        source,
        referred_by,
        prospect,
        withdrawn,
        do_not_hire,
        worker,
        pre_hire,
        tuple(applications),
        el,
    )
