"""Candidates: the ``wd:Candidate`` entries of a ``Get_Candidates`` response, with their applications.

A v45.2 candidate carries one public primary email, one phone and one address (``Contact_Data``); the model
keeps them as tuples so that richer sources fit the same shape. Parsing is the SDK's hot path (pages of up to
999 candidates): each reader visits the children of one element, so résumés, attachments and other unread
sections are skipped whole, and comments or processing instructions anywhere change nothing.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import ClassVar, Final

import attrs
from lxml import etree

from .._ns import wd
from .._xml import raw_text, text_of
from ._base import Model, Reference, ReferenceCache, parse_bool
from ._columns import Column, ModelSpec
from .applications import JobApplication, applications_of

__all__ = [
    "Address",
    "Candidate",
    "CandidatePoolMembership",
    "EmailAddress",
    "PersonName",
    "PhoneNumber",
    "Prospect",
    "read_candidates",
]

_PHONE_CODE_IN_DESCRIPTOR: Final = re.compile(r"\+\s*(\d{1,4})")


# ----------------------------------------------------------------------------------------------------
# Value objects
# ----------------------------------------------------------------------------------------------------


@attrs.frozen(repr=False)
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


@attrs.frozen(repr=False)
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


@attrs.frozen(repr=False)
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


@attrs.frozen(repr=False)
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


@attrs.frozen(repr=False)
class Prospect(Model):
    """A candidate's prospect data (``Prospect_Data``): how recruiters track a person not (yet) applying.

    Workday sends it for prospects and for referrals (a worker referring someone to a job or a job area).

    Attributes:
        prospect: Whether the candidate is a prospect (``Prospect``).
        status: The prospect status (``Prospect_Status_Reference``, a ``Recruiting_Prospect_Status``).
        type: The prospect type (``Prospect_Type_Reference``).
        level: The management level the prospect is considered for (``Level_Reference``).
        confidential: Whether the prospect is confidential (``Confidential``); ``None`` when not sent.
        referral_consent_given: Whether the candidate consented to being referred; ``None`` when not sent.
        source: The applicant source of the prospect (``Source_Reference``).
        referred_by: The worker who referred the prospect (``Referred_By_Worker_Reference``).
        referral_jobs: The job requisitions the prospect was referred to (``Referral_Job_Reference``).
        referral_job_areas: The job areas (job families) the prospect was referred to.
        referral_relationship: How the referring worker knows the prospect (``Referral_Relationship_Reference``).
        referral_comment: The referring worker's comment (``Referral_Comment``).
        added_by: The worker who added the prospect (``Added_By_Worker_Reference``).
    """

    prospect: bool = False
    status: Reference | None = None
    type: Reference | None = None
    level: Reference | None = None
    confidential: bool | None = None
    referral_consent_given: bool | None = None
    source: Reference | None = None
    referred_by: Reference | None = None
    referral_jobs: tuple[Reference, ...] = ()
    referral_job_areas: tuple[Reference, ...] = ()
    referral_relationship: Reference | None = None
    referral_comment: str | None = None
    added_by: Reference | None = None


@attrs.frozen(repr=False)
class CandidatePoolMembership(Model):
    """The candidate's place in one static candidate pool (``Candidate_Pool_Membership_Data``).

    Attributes:
        pool: The pool (``Static_Candidate_Pool_Reference``).
        readiness: The candidate's readiness status in that pool (``Readiness_Status_Reference``), when set.
    """

    pool: Reference
    readiness: Reference | None = None


@attrs.frozen(repr=False)
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
        prospect_data: What Workday holds on the candidate as a prospect or referral (``Prospect_Data``: status,
            type, referral jobs, relationship and comment, consent, confidentiality), when it sends any.
        language: The candidate's preferred language for Workday's communication (``Language_Reference``,
            ``User_Language_ID`` such as ``en_US``).
        pools: The static candidate pools the candidate belongs to (``Candidate_Pool_Data``).
        raw: The ``wd:Candidate`` element.
    """

    _dict_extras: ClassVar[tuple[str, ...]] = ("name", "primary_email", "primary_phone")
    _spec: ClassVar[ModelSpec] = ModelSpec(
        label=lambda c: " ".join(filter(None, [c.name, f"({c.candidate_id})" if c.candidate_id else None])),
        brief=(
            Column("candidate_id", "ID"),
            Column("name", "Name"),
            Column("primary_email", "Email"),
            Column("primary_phone", "Phone"),
            Column("applications", "Applications", lambda c: len(c.applications)),
        ),
        columns=(
            Column("candidate_id", "ID"),
            Column("wid", "WID"),
            Column("name", "Name"),
            Column("first_name", read=lambda c: c.legal_name.first if c.legal_name else None),
            Column("last_name", read=lambda c: c.legal_name.last if c.legal_name else None),
            Column("primary_email", "Email"),
            Column("primary_phone", "Phone"),
            Column("emails", read=lambda c: "; ".join(e.address for e in c.emails)),
            Column("phones", read=lambda c: "; ".join(p.formatted for p in c.phones)),
            Column("city", read=lambda c: getattr(c.primary_address, "city", None)),
            Column("region", read=lambda c: getattr(c.primary_address, "region", None)),
            Column("country", read=lambda c: getattr(c.primary_address, "country", None)),
            Column("source"),
            Column("referred_by"),
            Column("prospect"),
            Column("withdrawn"),
            Column("do_not_hire"),
            Column("worker_id", "Worker ID", lambda c: c.worker.id if c.worker is not None else None),
            Column("tags"),
            Column("application_ids", "Applications", lambda c: [a.application_id for a in c.applications]),
            Column("requisition_ids", "Requisitions", lambda c: [a.requisition.id for a in c.applications]),
        ),
    )

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
    prospect_data: Prospect | None = None
    language: Reference | None = None
    pools: tuple[CandidatePoolMembership, ...] = ()
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

    @property
    def primary_address(self) -> Address | None:
        """The primary address (else the first one), or ``None``."""
        return next((a for a in self.addresses if a.primary), self.addresses[0] if self.addresses else None)

    def detached(self) -> Candidate:
        """The same candidate, built again from a copy of its element: it no longer keeps its response page alive.

        Every model's ``raw`` is an element of the page it came from, and an element keeps its whole document in
        memory. Keep detached candidates when holding a few from many pages (a 999-candidate page is tens of MB).
        """
        return self if self.raw is None else Candidate.from_xml(copy.deepcopy(self.raw))

    @classmethod
    def from_xml(cls, el: etree._Element) -> Candidate:
        """Build from a ``wd:Candidate`` element (``Candidate_Reference`` + ``Candidate_Data``).

        A bare ``wd:Candidate_Data`` is accepted too (its reference is then built from ``Candidate_ID``).

        Raises:
            ModelParseError: A value (a flag, a date) cannot be read.
        """
        return _candidate(el, ReferenceCache())


# ----------------------------------------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------------------------------------
#
# Each reader visits the children of one element and picks the tags it knows; every other child (an unread
# section such as a résumé, a comment, a processing instruction) is passed over without being descended into.
# Candidate_Data's children are a sequence in which each tag below occurs once (Candidate_Tag_Reference and
# Job_Application_Data may repeat).

T_CANDIDATE_REFERENCE: Final = wd("Candidate_Reference")
T_CANDIDATE_DATA: Final = wd("Candidate_Data")
T_CANDIDATE_ID: Final = wd("Candidate_ID")
T_WORKER_REFERENCE: Final = wd("Worker_Reference")
T_PRE_HIRE_REFERENCE: Final = wd("Pre-Hire_Reference")
T_NAME_DATA: Final = wd("Name_Data")
T_CONTACT_DATA: Final = wd("Contact_Data")
T_STATUS_DATA: Final = wd("Status_Data")
T_JOB_APPLICATION_DATA: Final = wd("Job_Application_Data")
T_PROSPECT_DATA: Final = wd("Prospect_Data")
T_LANGUAGE_REFERENCE: Final = wd("Language_Reference")
T_CANDIDATE_TAG_REFERENCE: Final = wd("Candidate_Tag_Reference")
T_CANDIDATE_POOL_DATA: Final = wd("Candidate_Pool_Data")
# Name_Data
T_LEGAL_NAME: Final = wd("Legal_Name")
T_PREFERRED_NAME: Final = wd("Preferred_Name")
T_NAME_DETAIL_DATA: Final = wd("Name_Detail_Data")
T_FIRST_NAME: Final = wd("First_Name")
T_MIDDLE_NAME: Final = wd("Middle_Name")
T_LAST_NAME: Final = wd("Last_Name")
T_SECONDARY_LAST_NAME: Final = wd("Secondary_Last_Name")
T_FULL_NAME: Final = wd("Full_Name")
T_TITLE_REFERENCE: Final = wd("Title_Reference")
T_SOCIAL_SUFFIX_REFERENCE: Final = wd("Social_Suffix_Reference")
T_HEREDITARY_SUFFIX_REFERENCE: Final = wd("Hereditary_Suffix_Reference")
# Contact_Data
T_PHONE_DEVICE_TYPE_REFERENCE: Final = wd("Phone_Device_Type_Reference")
T_COUNTRY_PHONE_CODE_REFERENCE: Final = wd("Country_Phone_Code_Reference")
T_PHONE_NUMBER: Final = wd("Phone_Number")
T_PHONE_EXTENSION: Final = wd("Phone_Extension")
T_EMAIL_ADDRESS: Final = wd("Email_Address")
T_WEBSITE_DATA: Final = wd("Website_Data")
T_URL_ADDRESS: Final = wd("URL_Address")
T_LOCATION_DATA: Final = wd("Location_Data")
T_COUNTRY_REFERENCE: Final = wd("Country_Reference")
T_COUNTRY_REGION_REFERENCE: Final = wd("Country_Region_Reference")
T_CITY: Final = wd("City")
T_POSTAL_CODE: Final = wd("Postal_Code")
_ADDRESS_LINES: Final = {wd(f"Address_Line_{n}"): n for n in range(1, 10)}
# Status_Data
T_DO_NOT_HIRE: Final = wd("Do_Not_Hire")
T_WITHDRAWN: Final = wd("Withdrawn")
# Prospect_Data
T_PROSPECT: Final = wd("Prospect")
T_CONFIDENTIAL: Final = wd("Confidential")
T_REFERRAL_CONSENT_GIVEN: Final = wd("Referral_Consent_Given")
T_LEVEL_REFERENCE: Final = wd("Level_Reference")
T_PROSPECT_STATUS_REFERENCE: Final = wd("Prospect_Status_Reference")
T_PROSPECT_TYPE_REFERENCE: Final = wd("Prospect_Type_Reference")
T_SOURCE_REFERENCE: Final = wd("Source_Reference")
T_REFERRED_BY_WORKER_REFERENCE: Final = wd("Referred_By_Worker_Reference")
T_REFERRAL_JOB_REFERENCE: Final = wd("Referral_Job_Reference")
T_REFERRAL_JOB_AREA_REFERENCE: Final = wd("Referral_Job_Area_Reference")
T_REFERRAL_RELATIONSHIP_REFERENCE: Final = wd("Referral_Relationship_Reference")
T_REFERRAL_COMMENT: Final = wd("Referral_Comment")
T_ADDED_BY_WORKER_REFERENCE: Final = wd("Added_By_Worker_Reference")
# Candidate_Pool_Data
T_CANDIDATE_POOL_MEMBERSHIP_DATA: Final = wd("Candidate_Pool_Membership_Data")
T_STATIC_CANDIDATE_POOL_REFERENCE: Final = wd("Static_Candidate_Pool_Reference")
T_READINESS_STATUS_REFERENCE: Final = wd("Readiness_Status_Reference")


def read_candidates(elements: Iterable[etree._Element]) -> list[Candidate]:
    """The candidates of a page of ``wd:Candidate`` elements, equal references shared across the page.

    One :class:`~workday_recruiting.models._base.ReferenceCache` serves the whole call and is dropped with it.
    """
    refs = ReferenceCache()
    return [_candidate(el, refs) for el in elements]


def _label(ref: Reference | None) -> str | None:
    return None if ref is None else (ref.descriptor or ref.id)


def _flag(el: etree._Element) -> bool:
    return bool(parse_bool(raw_text(el), field=el.tag))


def _person(el: etree._Element | None, refs: ReferenceCache) -> PersonName:
    """A ``Legal_Name``/``Preferred_Name`` from its ``Name_Detail_Data`` (all parts ``None`` without one)."""
    first = middle = last = secondary_last = full_name = None
    prefix = social_suffix = hereditary_suffix = None
    for child in el if el is not None else ():
        tag = child.tag
        if tag == T_FIRST_NAME:
            first = text_of(child)
        elif tag == T_LAST_NAME:
            last = text_of(child)
        elif tag == T_MIDDLE_NAME:
            middle = text_of(child)
        elif tag == T_SECONDARY_LAST_NAME:
            secondary_last = text_of(child)
        elif tag == T_FULL_NAME:
            full_name = text_of(child)
        elif tag == T_TITLE_REFERENCE:
            prefix = refs.read(child)
        elif tag == T_SOCIAL_SUFFIX_REFERENCE:
            social_suffix = refs.read(child)
        elif tag == T_HEREDITARY_SUFFIX_REFERENCE:
            hereditary_suffix = refs.read(child)
        # Local_Person_Name (the name in local script) is not read.
    return PersonName(
        first=first,
        middle=middle,
        last=last,
        secondary_last=secondary_last,
        full_name=full_name,
        prefix=_label(prefix),
        suffix=_label(social_suffix or hereditary_suffix),
        raw=el,
    )


def _names(el: etree._Element, refs: ReferenceCache) -> tuple[PersonName | None, PersonName | None]:
    """The legal and the preferred name of a ``Name_Data``."""
    legal = preferred = None
    for child in el:
        tag = child.tag
        if tag in (T_LEGAL_NAME, T_PREFERRED_NAME):
            detail = None
            for item in child:
                if item.tag == T_NAME_DETAIL_DATA:
                    detail = item
            if tag == T_LEGAL_NAME:
                legal = _person(detail, refs)
            else:
                preferred = _person(detail, refs)
    return legal, preferred


def _address(el: etree._Element, refs: ReferenceCache) -> Address:
    """A ``Location_Data``: lines in their numbered order (blanks dropped), city, region, postal code, country."""
    numbered: list[tuple[int, str]] = []
    city = postal_code = None
    region_ref = country_ref = None
    for child in el:
        tag = child.tag
        line_number = _ADDRESS_LINES.get(tag)
        if line_number is not None:
            line = text_of(child)
            if line:
                numbered.append((line_number, line))
        elif tag == T_CITY:
            city = text_of(child)
        elif tag == T_POSTAL_CODE:
            postal_code = text_of(child)
        elif tag == T_COUNTRY_REFERENCE:
            country_ref = refs.read(child)
        elif tag == T_COUNTRY_REGION_REFERENCE:
            region_ref = refs.read(child)
    region = country = None
    if region_ref is not None:
        ids = region_ref.ids
        region = ids.get("ISO_3166-2_Code") or ids.get("Country_Region_ID") or region_ref.descriptor
    if country_ref is not None:
        ids = country_ref.ids
        country = ids.get("ISO_3166-1_Alpha-2_Code") or ids.get("ISO_3166-1_Alpha-3_Code") or country_ref.descriptor
    return Address(
        lines=tuple(line for _, line in sorted(numbered)),
        city=city,
        region=region,
        postal_code=postal_code,
        country=country,
        region_reference=region_ref,
        country_reference=country_ref,
        primary=True,
        raw=el,
    )


def _contact(
    el: etree._Element, refs: ReferenceCache
) -> tuple[tuple[EmailAddress, ...], tuple[PhoneNumber, ...], tuple[Address, ...], tuple[str, ...]]:
    """A ``Contact_Data``: the public primary email, phone and address, and the web sites."""
    email = number = extension = None
    device_type = code_ref = None
    addresses: tuple[Address, ...] = ()
    websites: list[str] = []
    for child in el:
        tag = child.tag
        if tag == T_EMAIL_ADDRESS:
            email = text_of(child)
        elif tag == T_PHONE_NUMBER:
            number = text_of(child)
        elif tag == T_PHONE_EXTENSION:
            extension = text_of(child)
        elif tag == T_PHONE_DEVICE_TYPE_REFERENCE:
            device_type = refs.read(child)
        elif tag == T_COUNTRY_PHONE_CODE_REFERENCE:
            code_ref = refs.read(child)
        elif tag == T_LOCATION_DATA:
            addresses = (_address(child, refs),)
        elif tag == T_WEBSITE_DATA:
            for item in child:
                if item.tag == T_URL_ADDRESS:
                    url = text_of(item)
                    if url:
                        websites.append(url)
    emails = (EmailAddress(address=email, primary=True, public=True, usage=None),) if email else ()
    phones: tuple[PhoneNumber, ...] = ()
    if number:
        code = _phone_code(code_ref) if code_ref is not None else None
        phones = (
            PhoneNumber(
                number=number,
                country_code=code,
                extension=extension,
                device_type=device_type,
                country_phone_code=code_ref,
                primary=True,
                formatted=_formatted(number, code, extension),
            ),
        )
    return emails, phones, addresses, tuple(websites)


def _prospect(el: etree._Element, refs: ReferenceCache) -> Prospect:
    """A ``Prospect_Data`` (its résumé and attachments are not read)."""
    prospect = False
    confidential = consent = None
    status = kind = level = source = referred_by = relationship = added_by = None
    comment = None
    jobs: list[Reference] = []
    areas: list[Reference] = []
    for child in el:
        tag = child.tag
        if tag == T_PROSPECT:
            prospect = _flag(child)
        elif tag == T_PROSPECT_STATUS_REFERENCE:
            status = refs.read(child)
        elif tag == T_SOURCE_REFERENCE:
            source = refs.read(child)
        elif tag == T_REFERRED_BY_WORKER_REFERENCE:
            referred_by = refs.read(child)
        elif tag == T_REFERRAL_JOB_REFERENCE:
            jobs.append(refs.read(child))
        elif tag == T_REFERRAL_JOB_AREA_REFERENCE:
            areas.append(refs.read(child))
        elif tag == T_REFERRAL_RELATIONSHIP_REFERENCE:
            relationship = refs.read(child)
        elif tag == T_REFERRAL_COMMENT:
            comment = text_of(child)
        elif tag == T_CONFIDENTIAL:
            confidential = parse_bool(raw_text(child), field=tag)
        elif tag == T_REFERRAL_CONSENT_GIVEN:
            consent = parse_bool(raw_text(child), field=tag)
        elif tag == T_PROSPECT_TYPE_REFERENCE:
            kind = refs.read(child)
        elif tag == T_LEVEL_REFERENCE:
            level = refs.read(child)
        elif tag == T_ADDED_BY_WORKER_REFERENCE:
            added_by = refs.read(child)
    return Prospect(
        prospect=prospect,
        status=status,
        type=kind,
        level=level,
        confidential=confidential,
        referral_consent_given=consent,
        source=source,
        referred_by=referred_by,
        referral_jobs=tuple(jobs),
        referral_job_areas=tuple(areas),
        referral_relationship=relationship,
        referral_comment=comment,
        added_by=added_by,
    )


def _pools(el: etree._Element, refs: ReferenceCache) -> list[CandidatePoolMembership]:
    """A ``Candidate_Pool_Data``: one membership per ``Candidate_Pool_Membership_Data`` that names its pool."""
    found: list[CandidatePoolMembership] = []
    for child in el:
        if child.tag != T_CANDIDATE_POOL_MEMBERSHIP_DATA:
            continue
        pool = readiness = None
        for item in child:
            if item.tag == T_STATIC_CANDIDATE_POOL_REFERENCE:
                pool = refs.read(item)
            elif item.tag == T_READINESS_STATUS_REFERENCE:
                readiness = refs.read(item)
        if pool is not None:
            found.append(CandidatePoolMembership(pool=pool, readiness=readiness))
    return found


def _candidate(el: etree._Element, refs: ReferenceCache) -> Candidate:
    reference: Reference | None = None
    data = el if el.tag == T_CANDIDATE_DATA else None
    if data is None:
        for child in el:
            tag = child.tag
            if tag == T_CANDIDATE_REFERENCE:
                reference = refs.read(child)
            elif tag == T_CANDIDATE_DATA:
                data = child
    candidate_id = worker = pre_hire = language = None
    legal = preferred = None
    emails: tuple[EmailAddress, ...] = ()
    phones: tuple[PhoneNumber, ...] = ()
    addresses: tuple[Address, ...] = ()
    websites: tuple[str, ...] = ()
    tags: list[Reference] = []
    pools: list[CandidatePoolMembership] = []
    application_data: list[etree._Element] = []
    prospect: Prospect | None = None
    withdrawn = do_not_hire = False
    for child in data if data is not None else ():
        tag = child.tag
        if tag == T_JOB_APPLICATION_DATA:
            application_data.append(child)
        elif tag == T_CONTACT_DATA:
            emails, phones, addresses, websites = _contact(child, refs)
        elif tag == T_NAME_DATA:
            legal, preferred = _names(child, refs)
        elif tag == T_STATUS_DATA:
            for item in child:
                if item.tag == T_WITHDRAWN:
                    withdrawn = _flag(item)
                elif item.tag == T_DO_NOT_HIRE:
                    do_not_hire = _flag(item)
        elif tag == T_CANDIDATE_TAG_REFERENCE:
            tags.append(refs.read(child))
        elif tag == T_CANDIDATE_ID:
            candidate_id = text_of(child)
        elif tag == T_WORKER_REFERENCE:
            worker = refs.read(child)
        elif tag == T_PRE_HIRE_REFERENCE:
            pre_hire = refs.read(child)
        elif tag == T_PROSPECT_DATA:
            prospect = _prospect(child, refs)
        elif tag == T_LANGUAGE_REFERENCE:
            language = refs.read(child)
        elif tag == T_CANDIDATE_POOL_DATA:
            pools.extend(_pools(child, refs))
    if reference is None:
        reference = Reference(None, {"Candidate_ID": candidate_id} if candidate_id else {})
    elif candidate_id is None:
        candidate_id = reference.ids.get("Candidate_ID")
    applications: list[JobApplication] = []
    for app_el in application_data:
        applications.extend(applications_of(app_el, reference, refs))
    source = prospect.source if prospect is not None else None
    referred_by = prospect.referred_by if prospect is not None else None
    for application in applications:
        if source is None:
            source = application.source
        if referred_by is None:
            referred_by = application.referred_by
    return Candidate(
        reference=reference,
        candidate_id=candidate_id,
        legal_name=legal,
        preferred_name=preferred,
        emails=emails,
        phones=phones,
        addresses=addresses,
        websites=websites,
        tags=tuple(tags),
        source=source,
        referred_by=referred_by,
        prospect=prospect is not None and prospect.prospect,
        withdrawn=withdrawn,
        do_not_hire=do_not_hire,
        worker=worker,
        pre_hire=pre_hire,
        applications=tuple(applications),
        prospect_data=prospect,
        language=language,
        pools=tuple(pools),
        raw=el,
    )
