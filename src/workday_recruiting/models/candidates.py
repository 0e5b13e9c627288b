"""Candidates: the ``wd:Candidate`` entries of a ``Get_Candidates`` response, with their applications.

A v45.2 candidate carries one public primary email, one phone and one address (``Contact_Data``); the model
keeps them as tuples so that richer sources fit the same shape.
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from ._base import (
    A_DESCRIPTOR,
    Model,
    Reference,
    first_of,
    parse_bool,
    ref_of,
    text_of,
)
from .applications import JobApplication, applications_from_xml

__all__ = ["Address", "Candidate", "EmailAddress", "PersonName", "PhoneNumber"]

T_CANDIDATE: Final = wd("Candidate")
T_CANDIDATE_REFERENCE: Final = wd("Candidate_Reference")
T_CANDIDATE_DATA: Final = wd("Candidate_Data")
T_CANDIDATE_ID: Final = wd("Candidate_ID")
T_PRE_HIRE_REFERENCE: Final = wd("Pre-Hire_Reference")
T_WORKER_REFERENCE: Final = wd("Worker_Reference")
T_NAME_DATA: Final = wd("Name_Data")
T_LEGAL_NAME: Final = wd("Legal_Name")
T_PREFERRED_NAME: Final = wd("Preferred_Name")
T_NAME_DETAIL_DATA: Final = wd("Name_Detail_Data")
T_CONTACT_DATA: Final = wd("Contact_Data")
T_STATUS_DATA: Final = wd("Status_Data")
T_JOB_APPLICATION_DATA: Final = wd("Job_Application_Data")
T_PROSPECT_DATA: Final = wd("Prospect_Data")
T_CANDIDATE_TAG_REFERENCE: Final = wd("Candidate_Tag_Reference")
# name detail
T_TITLE_REFERENCE: Final = wd("Title_Reference")
T_SALUTATION_SUFFIX_REFERENCE: Final = wd("Salutation_Suffix_Reference")
T_FULL_NAME: Final = wd("Full_Name")
T_FIRST_NAME: Final = wd("First_Name")
T_MIDDLE_NAME: Final = wd("Middle_Name")
T_HEREDITARY_SUFFIX_REFERENCE: Final = wd("Hereditary_Suffix_Reference")
T_LAST_NAME: Final = wd("Last_Name")
T_SECONDARY_LAST_NAME: Final = wd("Secondary_Last_Name")
T_SOCIAL_SUFFIX_REFERENCE: Final = wd("Social_Suffix_Reference")
# contact
T_PHONE_DEVICE_TYPE_REFERENCE: Final = wd("Phone_Device_Type_Reference")
T_COUNTRY_PHONE_CODE_REFERENCE: Final = wd("Country_Phone_Code_Reference")
T_PHONE_NUMBER: Final = wd("Phone_Number")
T_PHONE_EXTENSION: Final = wd("Phone_Extension")
T_EMAIL_ADDRESS: Final = wd("Email_Address")
T_WEBSITE_DATA: Final = wd("Website_Data")
T_URL_ADDRESS: Final = wd("URL_Address")
T_LOCATION_DATA: Final = wd("Location_Data")
T_COUNTRY_REFERENCE: Final = wd("Country_Reference")
T_CITY: Final = wd("City")
T_COUNTRY_REGION_REFERENCE: Final = wd("Country_Region_Reference")
T_POSTAL_CODE: Final = wd("Postal_Code")
_ADDRESS_LINES: Final = {wd(f"Address_Line_{n}"): n for n in range(1, 10)}
# status / prospect
T_DO_NOT_HIRE: Final = wd("Do_Not_Hire")
T_WITHDRAWN: Final = wd("Withdrawn")
T_PROSPECT: Final = wd("Prospect")
T_SOURCE_REFERENCE: Final = wd("Source_Reference")
T_REFERRED_BY_WORKER_REFERENCE: Final = wd("Referred_By_Worker_Reference")

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

    @classmethod
    def from_xml(cls, el: etree._Element) -> PersonName:
        """Build from ``wd:Name_Detail_Data`` (or the ``Legal_Name``/``Preferred_Name`` wrapping it)."""
        for child in el:
            if child.tag == T_NAME_DETAIL_DATA:
                el = child
                break
        return _name_of(el)


def _label(el: etree._Element) -> str | None:
    descriptor = el.get(A_DESCRIPTOR)
    return descriptor if descriptor else ref_of(el).id


def _name_of(el: etree._Element) -> PersonName:
    first = middle = last = secondary = full = prefix = suffix = None
    for child in el:
        tag = child.tag
        if tag == T_FIRST_NAME:
            first = text_of(child)
        elif tag == T_LAST_NAME:
            last = text_of(child)
        elif tag == T_MIDDLE_NAME:
            middle = text_of(child)
        elif tag == T_SECONDARY_LAST_NAME:
            secondary = text_of(child)
        elif tag == T_FULL_NAME:
            full = text_of(child)
        elif tag == T_TITLE_REFERENCE:
            prefix = _label(child)
        elif tag == T_SOCIAL_SUFFIX_REFERENCE or (tag == T_HEREDITARY_SUFFIX_REFERENCE and suffix is None):
            suffix = _label(child)
    return PersonName(first, middle, last, secondary, full, prefix, suffix, el)


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
    number = phone.number
    digits = number.replace("-", "").replace(" ", "").replace(".", "")
    if phone.country_code == "1" and len(digits) == 10 and digits.isdigit():
        number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    elif phone.country_code == "1" and len(digits) == 7 and digits.isdigit():
        number = f"{digits[:3]}-{digits[3:]}"
    text = f"+{phone.country_code} {number}" if phone.country_code else number
    if phone.extension:
        text += f" x{phone.extension}"
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
            others are shown as held), with `` x<extension>`` when there is one.
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


def _address_of(el: etree._Element) -> Address:
    lines: list[tuple[int, str]] = []
    city = postal = None
    region_ref = country_ref = None
    for child in el:
        tag = child.tag
        line_no = _ADDRESS_LINES.get(tag)
        if line_no is not None:
            value = text_of(child)
            if value:
                lines.append((line_no, value))
        elif tag == T_CITY:
            city = text_of(child)
        elif tag == T_POSTAL_CODE:
            postal = text_of(child)
        elif tag == T_COUNTRY_REFERENCE:
            country_ref = ref_of(child)
        elif tag == T_COUNTRY_REGION_REFERENCE:
            region_ref = ref_of(child)
    region = country = None
    if region_ref is not None:
        ids = region_ref.ids
        region = ids.get("ISO_3166-2_Code") or ids.get("Country_Region_ID") or region_ref.descriptor
    if country_ref is not None:
        ids = country_ref.ids
        country = (
            ids.get("ISO_3166-1_Alpha-2_Code") or ids.get("ISO_3166-1_Alpha-3_Code") or country_ref.descriptor
        )
    lines.sort()
    return Address(
        lines=tuple(value for _, value in lines),
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        region_reference=region_ref,
        country_reference=country_ref,
        raw=el,
    )


# ----------------------------------------------------------------------------------------------------
# Candidate
# ----------------------------------------------------------------------------------------------------


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
        reference: Reference | None = None
        data: etree._Element | None = None
        if el.tag == T_CANDIDATE_DATA:
            data = el
        else:
            for child in el:
                tag = child.tag
                if tag == T_CANDIDATE_REFERENCE:
                    reference = ref_of(child)
                elif tag == T_CANDIDATE_DATA:
                    data = child
        if data is None:
            return cls(reference=reference or Reference(), raw=el)
        return _candidate_from_data(data, reference, el)


def _candidate_from_data(data: etree._Element, reference: Reference | None, raw: etree._Element) -> Candidate:
    candidate_id = None
    legal = preferred = None
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[PhoneNumber, ...] = ()
    addresses: tuple[Address, ...] = ()
    websites: list[str] = []
    tags: list[Reference] = []
    app_elements: list[etree._Element] = []
    worker = pre_hire = source = referred_by = None
    prospect = withdrawn = do_not_hire = None
    for child in data:
        tag = child.tag
        if tag == T_JOB_APPLICATION_DATA:
            app_elements.append(child)
        elif tag == T_CONTACT_DATA:
            emails, phones, addresses = _contact_of(child, websites)
        elif tag == T_NAME_DATA:
            for part in child:
                part_tag = part.tag
                if part_tag in (T_LEGAL_NAME, T_PREFERRED_NAME):
                    for detail in part:
                        if detail.tag == T_NAME_DETAIL_DATA:
                            if part_tag == T_LEGAL_NAME:
                                legal = _name_of(detail)
                            else:
                                preferred = _name_of(detail)
        elif tag == T_CANDIDATE_ID:
            candidate_id = text_of(child)
        elif tag == T_STATUS_DATA:
            for flag in child:
                flag_tag = flag.tag
                if flag_tag == T_WITHDRAWN:
                    withdrawn = parse_bool(flag.text, field=flag_tag)
                elif flag_tag == T_DO_NOT_HIRE:
                    do_not_hire = parse_bool(flag.text, field=flag_tag)
        elif tag == T_CANDIDATE_TAG_REFERENCE:
            tags.append(ref_of(child))
        elif tag == T_PROSPECT_DATA:
            for item in child:
                item_tag = item.tag
                if item_tag == T_PROSPECT:
                    prospect = parse_bool(item.text, field=item_tag)
                elif item_tag == T_SOURCE_REFERENCE:
                    source = ref_of(item)
                elif item_tag == T_REFERRED_BY_WORKER_REFERENCE:
                    referred_by = ref_of(item)
        elif tag == T_WORKER_REFERENCE:
            worker = ref_of(child)
        elif tag == T_PRE_HIRE_REFERENCE:
            pre_hire = ref_of(child)
    if reference is None:
        reference = Reference(None, {"Candidate_ID": candidate_id} if candidate_id else {})
    elif candidate_id is None:
        candidate_id = reference.ids.get("Candidate_ID")
    applications: list[JobApplication] = []
    for app_el in app_elements:
        applications.extend(applications_from_xml(app_el, candidate=reference))
    if applications:
        if source is None:
            source = first_of(app.source for app in applications)
        if referred_by is None:
            referred_by = first_of(app.referred_by for app in applications)
    return Candidate(
        reference=reference,
        candidate_id=candidate_id,
        legal_name=legal,
        preferred_name=preferred,
        emails=emails,
        phones=phones,
        addresses=addresses,
        websites=tuple(websites),
        tags=tuple(tags),
        source=source,
        referred_by=referred_by,
        prospect=bool(prospect),
        withdrawn=bool(withdrawn),
        do_not_hire=bool(do_not_hire),
        worker=worker,
        pre_hire=pre_hire,
        applications=tuple(applications),
        raw=raw,
    )


def _contact_of(
    el: etree._Element, websites: list[str]
) -> tuple[tuple[EmailAddress, ...], tuple[PhoneNumber, ...], tuple[Address, ...]]:
    email = number = extension = None
    device = code_ref = None
    address: Address | None = None
    for child in el:
        tag = child.tag
        if tag == T_EMAIL_ADDRESS:
            email = text_of(child)
        elif tag == T_PHONE_NUMBER:
            number = text_of(child)
        elif tag == T_COUNTRY_PHONE_CODE_REFERENCE:
            code_ref = ref_of(child)
        elif tag == T_LOCATION_DATA:
            address = _address_of(child)
        elif tag == T_PHONE_DEVICE_TYPE_REFERENCE:
            device = ref_of(child)
        elif tag == T_PHONE_EXTENSION:
            extension = text_of(child)
        elif tag == T_WEBSITE_DATA:
            for item in child:
                if item.tag == T_URL_ADDRESS:
                    url = text_of(item)
                    if url:
                        websites.append(url)
    emails = (EmailAddress(email),) if email else ()
    phones: tuple[PhoneNumber, ...] = ()
    if number:
        code = _phone_code(code_ref) if code_ref is not None else None
        phones = (
            PhoneNumber(
                number=number,
                country_code=code,
                extension=extension,
                device_type=device,
                country_phone_code=code_ref,
            ),
        )
    return emails, phones, ((address,) if address is not None else ())
