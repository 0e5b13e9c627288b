"""The fake tenant's deterministic data: candidates, applications, requisitions, workers, interviews.

Every base record is a pure function of ``(seed, candidates, now)``: record ``i`` of a kind is generated
on demand from ``random.Random(f"{seed}:{kind}:{i}")``, so a 100,000-candidate tenant costs nothing until
it is read.
WIDs carry their record's index (XOR-masked in the last 8 hex digits), so a WID lookup decodes the index,
regenerates the record and checks the WID matches; business IDs (``CAND-1187``, ``R-00008``,
``JOB_APPLICATION-2-1187``, Employee_ID ``21005``) are parsed the same way.

Time model (Workday's "entry moment"):

- Base candidates are created in index order over the two years before ``now`` (``CAND-n`` grows with time, as
  in a real tenant), base requisitions over the 900 days before ``now``; every base ``created_at`` and
  ``updated_at`` is before ``now``.
- Mutations (``add_*``, ``update_*``) are stamped with ``clock()`` (real UTC time by default), forced strictly
  increasing and after ``now``. Each mutation appends a version; ``as_of`` reads return the version current at
  that entry moment and hide records created after it.
- ``changed_candidates``/``changed_requisitions`` follow the transaction log: a record is in a window when its
  creation or any of its changes (a base record's ``updated_at`` counts as one change) falls inside it.

Interviews: about 60% of applications that reached the Interview stage or later have one interview event with
1-4 sessions; events of applications still in Interview are mostly in the next 14 days, the rest in the past.
An event is "in progress" while any session is still to come (or feedback is pending), else "completed" or
"cancelled"; Get_Interviews has no status element, the status only decides Get_Web_Conference_Interview_Data.

The data is international on purpose (non-ASCII names and cities, local-script names, apostrophes and
ampersands) so that XML escaping and encoding paths are exercised.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import random
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Final, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

import attrs

UTC: Final = timezone.utc
_US: Final = timedelta(microseconds=1)

InterviewStatus = Literal["in_progress", "completed", "cancelled"]


class _Versioned(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def updated_at(self) -> datetime: ...


_V = TypeVar("_V", bound=_Versioned)

# ----------------------------------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------------------------------


@attrs.frozen
class Ref:
    """A Workday reference: WID, typed IDs (``(("Candidate_ID", "CAND-1187"),)``) and a display name."""

    wid: str
    ids: tuple[tuple[str, str], ...] = ()
    descriptor: str | None = None

    def id(self, id_type: str) -> str | None:
        """The value of one ID type (``"WID"`` included), or None."""
        if id_type == "WID":
            return self.wid
        for t, v in self.ids:
            if t == id_type:
                return v
        return None


@attrs.frozen(kw_only=True)
class Phone:
    """A phone number: the country phone code ID (``DEU_49``), the number as typed, the device type."""

    country_phone_code_id: str
    number: str
    device_type_id: str = "Mobile"
    extension: str | None = None


@attrs.frozen(kw_only=True)
class Address:
    """A postal address (country as ISO alpha-2; region as Workday Country_Region_ID such as ``USA-GA``)."""

    country: str
    city: str
    region_id: str | None = None
    postal_code: str | None = None
    lines: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class ApplicationRecord:
    """One job application of a candidate (Workday's Job_Application_Data)."""

    wid: str
    application_id: str
    requisition_id: str
    #: Recruiting_Stage_ID; for dispositioned applications, the last active stage.
    stage_id: str
    #: Recruiting_Disposition_ID, only for rejected or declined applications.
    disposition_id: str | None = None
    #: Workflow_Step_ID within the stage (None when dispositioned).
    workflow_step_id: str | None = None
    applied_at: datetime
    status_at: datetime
    source_id: str
    referred_by_worker_id: str | None = None
    added_by_worker_id: str | None = None


@attrs.frozen(kw_only=True)
class CandidateRecord:
    """One candidate, with 1..3 applications (Workday's Candidate element)."""

    index: int
    wid: str
    candidate_id: str
    first_name: str
    last_name: str
    secondary_last_name: str | None = None
    local_first_name: str | None = None
    local_last_name: str | None = None
    preferred_first_name: str | None = None
    preferred_last_name: str | None = None
    #: Primary first.
    emails: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    addresses: tuple[Address, ...] = ()
    linkedin_url: str | None = None
    language_id: str | None = None
    tags: tuple[str, ...] = ()
    source_id: str = "CAREER_SITE"
    referred_by_worker_id: str | None = None
    referral_relationship_id: str | None = None
    #: Employee_ID when the candidate is an internal worker.
    worker_id: str | None = None
    prospect: bool = False
    prospect_status_id: str | None = None
    withdrawn: bool = False
    do_not_hire: bool = False
    has_resume: bool = False
    has_cover_letter: bool = False
    applications: tuple[ApplicationRecord, ...] = ()
    created_at: datetime
    updated_at: datetime

    @property
    def display_name(self) -> str:
        """The name Workday shows (preferred over legal)."""
        return f"{self.preferred_first_name or self.first_name} {self.preferred_last_name or self.last_name}"

    @property
    def primary_email(self) -> str | None:
        """The public primary email address."""
        return self.emails[0] if self.emails else None

    def application(self, application_id: str) -> ApplicationRecord | None:
        """One of this candidate's applications by Job_Application_ID."""
        for app in self.applications:
            if app.application_id == application_id:
                return app
        return None


@attrs.frozen(kw_only=True)
class WorkerRecord:
    """A worker: recruiter, hiring manager, interviewer or referrer."""

    index: int
    wid: str
    employee_id: str
    first_name: str
    last_name: str
    email: str
    job_title: str

    @property
    def display_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@attrs.frozen(kw_only=True)
class JobPostingRecord:
    """A job posting of a requisition on one job posting site."""

    wid: str
    posting_id: str
    requisition_id: str
    title: str
    description: str
    site_id: str
    external_path: str | None
    external_apply_url: str | None
    location_ids: tuple[str, ...]
    remote_type_id: str | None
    time_type_id: str
    position_worker_type_id: str
    supervisory_org_id: str
    job_family_id: str
    start_date: date
    end_date: date | None
    primary: bool
    created_at: datetime


@attrs.frozen(kw_only=True)
class RequisitionRecord:
    """A job requisition (Workday's Job_Requisition, response shape Job_Requisition_Data_2Type)."""

    index: int
    wid: str
    requisition_id: str
    title: str
    #: Job_Requisition_Status_ID: OPEN, FILLED, FROZEN or CLOSED.
    status_id: str
    positions: int
    positions_available: int
    position_ids: tuple[str, ...]
    #: Primary location first.
    location_ids: tuple[str, ...]
    job_profile_id: str
    supervisory_org_id: str
    worker_type_id: str
    position_worker_type_id: str
    time_type_id: str
    remote_type_id: str | None
    scheduled_weekly_hours: str
    recruiter_ids: tuple[str, ...]
    hiring_manager_ids: tuple[str, ...]
    recruiting_start_date: date
    target_hire_date: date
    target_end_date: date | None = None
    summary: str
    description: str
    spotlight: bool = False
    confidential: bool = False
    postings: tuple[JobPostingRecord, ...] = ()
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class InterviewSessionRecord:
    """One session of an interview event."""

    wid: str
    start: datetime
    end: datetime
    #: Employee_IDs, 1..3.
    interviewer_ids: tuple[str, ...]
    interview_type_id: str
    location_id: str | None = None
    room_name: str | None = None
    room_email: str | None = None
    comment: str | None = None


@attrs.frozen(kw_only=True)
class InterviewRecord:
    """An interview event of one application."""

    wid: str
    application_id: str
    candidate_id: str
    requisition_id: str
    #: IANA name, which is also the Time_Zone_ID.
    time_zone: str
    sessions: tuple[InterviewSessionRecord, ...]
    status: InterviewStatus = "in_progress"
    meeting_id: str | None = None
    meeting_url: str | None = None
    overall_comment: str | None = None
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class ExperienceRecord:
    """One work experience line of a resume."""

    company: str
    title: str
    location: str | None
    start_year: int
    start_month: int
    end_year: int | None
    end_month: int | None


@attrs.frozen(kw_only=True)
class ResumeRecord:
    """Parsed resume data (skills, experience, education)."""

    summary: str | None
    skills: tuple[str, ...]
    experience: tuple[ExperienceRecord, ...]
    school: str
    degree_id: str
    first_year: int
    last_year: int


# ----------------------------------------------------------------------------------------------------
# Reference data (immutable tables)
# ----------------------------------------------------------------------------------------------------

_FOLD: Final = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe"}
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (``"Łukasz O'Brien"`` -> ``"lukaszobrien"``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _split(text: str) -> tuple[str, ...]:
    """``"a|b c|d"`` -> ``("a", "b c", "d")``: compact tables below."""
    return tuple(part.strip() for part in text.split("|"))


@attrs.frozen
class _City:
    name: str
    region_id: str | None
    region_code: str | None
    region_name: str | None
    postal_code: str
    area: str


@attrs.frozen
class _Country:
    alpha2: str
    alpha3: str
    numeric: str
    dial: str
    trunk: str  # national trunk prefix ("0" in most of Europe, "" in NANP)
    local_digits: int
    name: str
    street_format: str  # {n}: house number, {s}: street
    streets: tuple[str, ...]
    line2: tuple[str, ...]
    cities: tuple[_City, ...]

    @property
    def phone_code_id(self) -> str:
        return f"{self.alpha3}_{self.dial}"


def _country(codes: str, name: str, street_format: str, streets: str, line2: str, cities: str) -> _Country:
    """One country from compact text: ``codes`` is "alpha2 alpha3 numeric dial trunk(- for none) digits";
    ``cities`` is "City, Country_Region_ID, ISO 3166-2 code, region name, postal code, area code | ..." (the
    three region fields empty where Workday has no region)."""
    alpha2, alpha3, numeric, dial, trunk, digits = codes.split()
    city_rows = []
    for row in _split(cities):
        city, region_id, region_code, region_name, postal, area = (f.strip() for f in row.split(","))
        city_rows.append(_City(city, region_id or None, region_code or None, region_name or None, postal, area))
    return _Country(
        alpha2, alpha3, numeric, dial, "" if trunk == "-" else trunk, int(digits), name, street_format,
        _split(streets), _split(line2), tuple(city_rows),
    )  # fmt: skip


_COUNTRIES: Final = {
    c.alpha2: c
    for c in (
        _country(
            "US USA 840 1 - 7", "United States of America", "{n} {s}",
            "Peachtree St NE | Congress Ave | Pine St | Broadway | Michigan Ave | Market St",
            "Apt 4B | Suite 210 | Unit 12",
            "Decatur, USA-GA, GA, Georgia, 30030, 404 | Austin, USA-TX, TX, Texas, 78701, 512"
            " | Seattle, USA-WA, WA, Washington, 98101, 206 | New York, USA-NY, NY, New York, 10001, 212"
            " | Chicago, USA-IL, IL, Illinois, 60601, 312"
            " | San Francisco, USA-CA, CA, California, 94105, 415",
        ),
        _country(
            "CA CAN 124 1 - 7", "Canada", "{n} {s}", "Queen St W | Rue Sainte-Catherine"
            " | Granville St", "Apt 1203",
            "Toronto, CAN-ON, ON, Ontario, M5V 2T6, 416 | Montréal, CAN-QC, QC, Quebec, H2X 1Y4, 514"
            " | Vancouver, CAN-BC, BC, British Columbia, V6B 1A1, 604",
        ),
        _country(
            "MX MEX 484 52 - 8", "Mexico", "{s} {n}", "Av. Paseo de la Reforma | Calle Morelos"
            " | Av. Constitución",
            "Col. Juárez | Int. 3",
            "Ciudad de México, MEX-CMX, CMX, Ciudad de México, 06600, 55"
            " | Guadalajara, MEX-JAL, JAL, Jalisco,"
            " 44100, 33 | Monterrey, MEX-NLE, NLE, Nuevo León, 64000, 81",
        ),
        _country(
            "BR BRA 076 55 0 8", "Brazil", "{s}, {n}", "Avenida Paulista | Rua da Assembleia | Rua da Bahia",
            "Apto 52 | Conjunto 1104",
            "São Paulo, BRA-SP, SP, São Paulo, 01310-100, 11 | Rio de Janeiro, BRA-RJ, RJ, Rio de Janeiro,"
            " 20040-002, 21 | Belo Horizonte, BRA-MG, MG, Minas Gerais, 30130-010, 31",
        ),
        _country(
            "GB GBR 826 44 0 8", "United Kingdom", "{n} {s}", "Baker Street | Deansgate | Princes Street",
            "Flat 2 | Flat 14",
            "London, , , , SW1A 1AA, 20 | Manchester, , , , M1 1AE, 161 | Edinburgh, , , , EH1 1YZ, 131",
        ),
        _country(
            "IE IRL 372 353 0 7", "Ireland", "{n} {s}", "Grafton Street | St Patrick's Street"
            " | Merrion Square",
            "Apartment 7",
            "Dublin, IRL-D, D, Dublin, D02 X285, 1 | Cork, IRL-CO, CO, Cork, T12 W8CY, 21",
        ),
        _country(
            "DE DEU 276 49 0 7", "Germany", "{s} {n}", "Friedrichstraße | Hauptstraße"
            " | Schillerstraße | Königsallee",
            "3. OG | Hinterhaus",
            "Berlin, DEU-BE, BE, Berlin, 10115, 30 | München, DEU-BY, BY, Bayern, 80331, 89"
            " | Hamburg, DEU-HH, HH, Hamburg, 20095, 40 | Köln, DEU-NW, NW, Nordrhein-Westfalen, 50667, 221",
        ),
        _country(
            "FR FRA 250 33 0 8", "France", "{n} {s}",
            "rue de Rivoli | rue Saint-Honoré | rue des Écoles | quai de l'Horloge", "Bâtiment B | 3e étage",
            "Paris, FRA-IDF, IDF, Île-de-France, 75002, 1"
            " | Lyon, FRA-ARA, ARA, Auvergne-Rhône-Alpes, 69002, 4"
            " | Toulouse, FRA-OCC, OCC, Occitanie, 31000, 5",
        ),
        _country(
            "PL POL 616 48 - 7", "Poland", "ul. {s} {n}", "Marszałkowska | Floriańska"
            " | Świdnicka", "m. 14 | lok. 3",
            "Warszawa, POL-MZ, MZ, Mazowieckie, 00-001, 22 | Kraków, POL-MA, MA, Małopolskie, 31-042, 12"
            " | Wrocław, POL-DS, DS, Dolnośląskie, 50-001, 71",
        ),
        _country(
            "IN IND 356 91 0 8", "India", "{n}, {s}", "MG Road | Linking Road | Anna Salai | FC Road",
            "2nd Floor | Flat 302",
            "Bengaluru, IND-KA, KA, Karnataka, 560001, 80 | Mumbai, IND-MH, MH, Maharashtra, 400001, 22"
            " | Chennai, IND-TN, TN, Tamil Nadu, 600001, 44 | Pune, IND-MH, MH, Maharashtra, 411001, 20",
        ),
        _country(
            "CN CHN 156 86 0 8", "China", "{n} {s}", "Nanjing Road | Chang'an Avenue | Shennan Boulevard",
            "Room 1801",
            "Shanghai, CHN-SH, SH, Shanghai, 200000, 21 | Beijing, CHN-BJ, BJ, Beijing, 100000, 10"
            " | Shenzhen, CHN-GD, GD, Guangdong, 518000, 755",
        ),
        _country(
            "JP JPN 392 81 0 8", "Japan", "{n} {s}", "Chiyoda | Umeda", "Room 502",
            "Tokyo, JPN-13, 13, Tokyo, 100-0001, 3 | Osaka, JPN-27, 27, Osaka, 530-0001, 6",
        ),
        _country(
            "VN VNM 704 84 0 8", "Viet Nam", "{n} {s}", "Phố Huế | Đường Lê Lợi", "Tầng 5",
            "Hà Nội, VNM-HN, HN, Hà Nội, 100000, 24 | Hồ Chí Minh, VNM-SG, SG, Hồ Chí Minh, 700000, 28",
        ),
        _country(
            "NG NGA 566 234 0 7", "Nigeria", "{n} {s}", "Adeola Odeku Street"
            " | Aminu Kano Crescent", "Block C",
            "Lagos, NGA-LA, LA, Lagos, 100001, 1 | Abuja, NGA-FC, FC, Federal Capital Territory, 900001, 9",
        ),
        _country(
            "AU AUS 036 61 0 8", "Australia", "{n} {s}", "George Street | Collins Street | Queen Street",
            "Unit 5 | Level 12",
            "Sydney, AUS-NSW, NSW, New South Wales, 2000, 2 | Melbourne, AUS-VIC, VIC, Victoria, 3000, 3"
            " | Brisbane, AUS-QLD, QLD, Queensland, 4000, 7",
        ),
    )
}  # fmt: skip


@attrs.frozen
class _Name:
    text: str
    ascii: str
    local: str | None = None


def _names(text: str) -> tuple[_Name, ...]:
    """``"Wei=伟 | Fang=芳"`` -> names with a local-script form; plain ``"Ava | Liam"`` without."""
    out = []
    for item in _split(text):
        latin, _, local = item.partition("=")
        out.append(_Name(latin, ascii_fold(latin), local or None))
    return tuple(out)


@attrs.frozen
class _Culture:
    key: str
    country: str
    language_id: str | None
    weight: int
    firsts: tuple[_Name, ...]
    lasts: tuple[_Name, ...]
    second_lasts: bool = False
    nicknames: tuple[str, ...] = ()


_CULTURES: Final = (
    _Culture(
        "en_US", "US", "en_US", 30,
        _names("James | Mary | Olivia | Liam | Ava | Noah | Emma | Ethan | Sophia | Mason | Harper"
               " | Logan | Evelyn"
               " | Jackson | Abigail | Aiden | Madison | Elijah | Chloe | Lucas | William | Elizabeth"),
        _names("Smith | Johnson | Williams | Brown | Jones | Miller | Davis | Wilson | Anderson"
               " | Taylor | Thomas"
               " | Moore | Jackson | Martin | Lee | Thompson | White | Harris | Clark | Lewis"),
    ),
    _Culture(
        "en_IE", "IE", "en_GB", 4,
        _names("Aoife | Siobhán | Seán | Niamh | Ciarán | Órla | Pádraig | Róisín | Conor | Saoirse"),
        _names("O'Brien | O'Connor | Murphy | Kelly | Byrne | Ryan | O'Sullivan | Walsh | McCarthy"
               " | Ó Súilleabháin"),
    ),
    _Culture(
        "en_GB", "GB", "en_GB", 7,
        _names("Oliver | Amelia | George | Isla | Harry | Zoë | Jack | Poppy | Charlie | Freya"),
        _names("Taylor | Evans | Davies | Roberts | Wright | Walker | Hughes | Green | Hall | Wood"),
    ),
    _Culture(
        "es_MX", "MX", "es_MX", 7,
        _names("José | María José | Juan Pablo | Guadalupe | Alejandro | Ximena | Fernando | Sofía | Andrés"
               " | Valentina"),
        _names("García | Hernández | López | Martínez | González | Pérez | Rodríguez | Sánchez"
               " | Ramírez | Flores"),
        second_lasts=True,
    ),
    _Culture(
        "pt_BR", "BR", "pt_BR", 6,
        _names("João | Ana Clara | Luiz | Conceição | Thiago | Letícia | Gustavo | Beatriz | Rafael"
               " | Camila"),
        _names("Silva | Santos | Oliveira | Souza | Conceição | Pereira | Costa | Rodrigues | Almeida"
               " | Araújo"),
    ),
    _Culture(
        "de_DE", "DE", "de_DE", 8,
        _names("Jürgen | Lukas | Anna | Jörg | Lena | Maximilian | Sophie | Felix | Hannah | Björn"),
        _names("Müller | Schmidt | Schneider | Fischer | Weiß | Meyer | Wagner | Becker | Schäfer | Groß"),
    ),
    _Culture(
        "fr_FR", "FR", "fr_FR", 5,
        _names("Zoë | Hélène | Émile | Chloé | Théo | Léa | François | Inès | Gaël | Maëlle"),
        _names("Martin | Bernard | Dubois | Lefèvre | Moreau | Laurent | Girard | Bonnet | Lemaître"
               " | d'Arcy"),
    ),
    _Culture(
        "pl_PL", "PL", "pl_PL", 5,
        _names("Łukasz | Agnieszka | Paweł | Małgorzata | Michał | Zofia | Wojciech | Katarzyna"
               " | Grzegorz | Żaneta"),
        _names("Wójcik | Kowalczyk | Zieliński | Lewandowski | Kamiński | Szymańska | Dąbrowski"
               " | Nowak | Kozłowski"
               " | Wiśniewska"),
    ),
    _Culture(
        "hi_IN", "IN", "en_US", 10,
        _names("Priya | Aarav | Ananya | Rohan | Diya | Arjun | Isha | Vikram | Kavya | Siddharth"),
        _names("Sharma | Patel | Iyer | Reddy | Nair | Gupta | Singh | Mukherjee | Desai | Menon"),
    ),
    _Culture(
        "zh_CN", "CN", "zh_CN", 6,
        _names("Wei=伟 | Fang=芳 | Xiuying=秀英 | Jun=军 | Li=丽 | Hao=浩 | Jing=静 | Yang=洋"
               " | Min=敏 | Lei=磊"),
        _names("Wang=王 | Li=李 | Zhang=张 | Liu=刘 | Chen=陈 | Yang=杨 | Zhao=赵 | Huang=黄"
               " | Zhou=周 | Wu=吴"),
        nicknames=_split("Kevin | Lily | Vivian | Jason | Grace | Eric"),
    ),
    _Culture(
        "ja_JP", "JP", "ja_JP", 3,
        _names("Haruto=陽翔 | Yui=結衣 | Sota=蒼太 | Aoi=葵 | Ren=蓮 | Hina=陽菜"),
        _names("Sato=佐藤 | Suzuki=鈴木 | Takahashi=高橋 | Tanaka=田中 | Watanabe=渡辺 | Ito=伊藤"),
        nicknames=_split("Ken | Mimi | Tommy"),
    ),
    _Culture(
        "vi_VN", "VN", None, 3,
        _names("Ngọc | Minh | Thảo | Huy | Linh | Đức | Phương | Quân | Trang | Tuấn"),
        _names("Nguyễn | Trần | Lê | Phạm | Hoàng | Vũ | Đặng | Bùi | Đỗ | Hồ"),
    ),
    _Culture(
        "en_NG", "NG", "en_GB", 3,
        _names("Chiamaka | Oluwaseun | Adaeze | Emeka | Ngozi | Tunde | Folake | Chinedu | Yetunde"
               " | Ikechukwu"),
        _names("Adebayo | Okafor | Okonkwo | Balogun | Eze | Adeyemi | Nwosu | Ogunleye | Obi | Afolabi"),
    ),
    _Culture(
        "en_AU", "AU", "en_US", 4,
        _names("Jack | Charlotte | William | Matilda | Cooper | Ruby | Lachlan | Isla | Hamish | Zara"),
        _names("Smith | Jones | Williams | Brown | Wilson | Nguyen | Kelly | Martin | Anderson | White"),
    ),
    _Culture(
        "fr_CA", "CA", "fr_CA", 3,
        _names("Émilie | Mathieu | Geneviève | Olivier | Noémie | Félix | Maxime | Anaïs"),
        _names("Tremblay | Gagnon | Roy | Côté | Bouchard | Gauthier | Morin | Lavoie"),
    ),
)  # fmt: skip

#: (Recruiting_Stage_ID, descriptor, Workflow_Step_ID, step descriptor)
STAGES: Final = (
    ("REVIEW", "Review", "STEP_B__ACTION_7", "Review - Awaiting Recruiter Review"),
    ("SCREEN", "Screen", "STEP_C__ACTION_2", "Screen - Recruiter Phone Screen"),
    ("ASSESSMENT", "Assessment", "STEP_D__ACTION_4", "Assessment - Awaiting Results"),
    ("INTERVIEW", "Interview", "STEP_E__ACTION_5", "Interview - Schedule Interviews"),
    ("REFERENCE_CHECK", "Reference Check", "STEP_F__ACTION_3", "Reference Check - Collect References"),
    ("OFFER", "Offer", "STEP_G__ACTION_6", "Offer - Prepare Offer"),
    (
        "EMPLOYMENT_AGREEMENT",
        "Employment Agreement",
        "STEP_H__ACTION_2",
        "Employment Agreement - Awaiting Signature",
    ),
    ("BACKGROUND_CHECK", "Background Check", "STEP_I__ACTION_8", "Background Check - In Progress"),
    ("READY_FOR_HIRE", "Ready for Hire", "STEP_J__ACTION_1", "Ready for Hire - Awaiting Hire"),
)
STAGE_ORDER: Final = {s[0]: n for n, s in enumerate(STAGES)}
_STEP_FOR_STAGE: Final = {s[0]: s[2] for s in STAGES}
#: Stages from which an application has (usually) been interviewed.
INTERVIEW_STAGES: Final = frozenset(s[0] for s in STAGES[STAGE_ORDER["INTERVIEW"] :])

#: (Recruiting_Disposition_ID, descriptor): rejected by the employer or declined by the candidate.
DISPOSITIONS: Final = (
    ("REJECTED_NOT_QUALIFIED", "Rejected - Does Not Meet Minimum Qualifications"),
    ("REJECTED_MORE_QUALIFIED_CANDIDATE", "Rejected - More Qualified Candidate Selected"),
    ("REJECTED_FAILED_ASSESSMENT", "Rejected - Did Not Pass Assessment"),
    ("REJECTED_POSITION_CLOSED", "Rejected - Position Closed or Filled"),
    ("DECLINED_COMPENSATION", "Declined by Candidate - Compensation"),
    ("DECLINED_ACCEPTED_OTHER_OFFER", "Declined by Candidate - Accepted Another Offer"),
    ("DECLINED_WITHDREW", "Declined by Candidate - Withdrew Application"),
)

#: (Applicant_Source_ID, descriptor, weight)
SOURCES: Final = (
    ("JOB_BOARD_INDEED", "Job Board > Indeed", 18),
    ("JOB_BOARD_STEPSTONE", "Job Board > StepStone", 8),
    ("LINKEDIN", "Social Media > LinkedIn", 20),
    ("EMPLOYEE_REFERRAL", "Referral > Employee Referral", 12),
    ("CAREER_SITE", "Career Site", 26),
    ("AGENCY_HAYS", "Agency > Hays & Partners", 5),
    ("AGENCY_MICHAEL_PAGE", "Agency > Michael Page", 4),
    ("UNIVERSITY_CAREER_FAIR", "Events > University Career Fair", 7),
)
REFERRAL_SOURCE: Final = "EMPLOYEE_REFERRAL"

#: (Candidate_Tag_ID, descriptor)
TAGS: Final = (
    ("SILVER_MEDALIST", "Silver Medalist"),
    ("BILINGUAL", "Bilingual"),
    ("OPEN_TO_RELOCATION", "Open to Relocation"),
    ("HIGH_POTENTIAL", "High Potential"),
    ("BOOMERANG", "Boomerang (Former Employee)"),
    ("VISA_SPONSORSHIP", "Needs Visa Sponsorship"),
    ("R_AND_D_TALENT_POOL", "R&D Talent Pool"),
    ("DIVERSITY_CAREER_FAIR", "Diversity Career Fair 2024"),
)

#: (Job_Profile_ID, title, Job_Family_ID, supervisory org IDs)
_PROFILES: Final = (
    (
        "38600",
        "Software Engineer",
        "Engineering",
        ("Engineering_Platform_supervisory", "Engineering_Apps_supervisory"),
    ),
    (
        "38610",
        "Senior Software Engineer",
        "Engineering",
        ("Engineering_Platform_supervisory", "Engineering_Apps_supervisory"),
    ),
    ("38620", "Staff Engineer", "Engineering", ("Engineering_Platform_supervisory",)),
    ("38700", "Data Scientist", "Data_and_Analytics", ("Data_Science_supervisory",)),
    ("38710", "Data Analyst", "Data_and_Analytics", ("Data_Science_supervisory",)),
    ("41200", "Product Manager", "Product", ("Product_Management_supervisory",)),
    ("41210", "UX Designer", "Product", ("Product_Management_supervisory",)),
    (
        "52100",
        "Account Executive",
        "Sales",
        ("Field_Sales_EMEA_supervisory", "Field_Sales_Americas_supervisory", "Sales_APAC_supervisory"),
    ),
    (
        "52110",
        "Sales Development Representative",
        "Sales",
        ("Field_Sales_EMEA_supervisory", "Field_Sales_Americas_supervisory"),
    ),
    ("52200", "Customer Success Manager", "Customer_Success", ("Customer_Success_supervisory",)),
    ("61300", "Recruiter", "Human_Resources", ("People_Talent_supervisory",)),
    ("61310", "HR Business Partner", "Human_Resources", ("People_Talent_supervisory",)),
    ("70100", "Financial Analyst", "Finance", ("Finance_supervisory",)),
    ("70110", "Accountant", "Finance", ("Finance_supervisory",)),
    ("80100", "Marketing Manager", "Marketing", ("Marketing_supervisory",)),
    ("90100", "Warehouse Associate", "Operations", ("Operations_supervisory",)),
    ("90110", "Customer Service Representative", "Operations", ("Operations_supervisory",)),
)
_SALES_REGION: Final = {
    **dict.fromkeys(("GB", "IE", "DE", "FR", "PL", "NG"), "Field_Sales_EMEA_supervisory"),
    **dict.fromkeys(("IN", "CN", "JP", "VN", "AU"), "Sales_APAC_supervisory"),
}
_PROFILE_BY_ID: Final = {p[0]: p for p in _PROFILES}

_JOB_FAMILIES: Final = (
    ("Engineering", "Engineering"),
    ("Data_and_Analytics", "Data & Analytics"),
    ("Product", "Product"),
    ("Sales", "Sales"),
    ("Customer_Success", "Customer Success"),
    ("Human_Resources", "Human Resources"),
    ("Finance", "Finance"),
    ("Marketing", "Marketing"),
    ("Operations", "Operations"),
)

_SUP_ORGS: Final = (
    ("Engineering_Platform_supervisory", "Platform Engineering"),
    ("Engineering_Apps_supervisory", "Application Engineering"),
    ("Data_Science_supervisory", "Data Science & Analytics"),
    ("Product_Management_supervisory", "Product Management"),
    ("Field_Sales_EMEA_supervisory", "Field Sales EMEA"),
    ("Field_Sales_Americas_supervisory", "Field Sales Americas"),
    ("Sales_APAC_supervisory", "Sales APAC"),
    ("Customer_Success_supervisory", "Customer Success"),
    ("People_Talent_supervisory", "Talent Acquisition"),
    ("Finance_supervisory", "Finance"),
    ("Marketing_supervisory", "Marketing"),
    ("Operations_supervisory", "Operations & Logistics"),
)

#: (Location_ID, name, country alpha-2, time zone, weight)
LOCATIONS: Final = (
    ("San_Francisco_site", "San Francisco", "US", "America/Los_Angeles", 10),
    ("New_York_site", "New York", "US", "America/New_York", 10),
    ("Atlanta_site", "Atlanta", "US", "America/New_York", 5),
    ("Austin_site", "Austin", "US", "America/Chicago", 5),
    ("Toronto_site", "Toronto", "CA", "America/Toronto", 4),
    ("Mexico_City_site", "Ciudad de México", "MX", "America/Mexico_City", 3),
    ("Sao_Paulo_site", "São Paulo", "BR", "America/Sao_Paulo", 4),
    ("London_site", "London", "GB", "Europe/London", 8),
    ("Dublin_site", "Dublin", "IE", "Europe/Dublin", 3),
    ("Berlin_site", "Berlin", "DE", "Europe/Berlin", 6),
    ("Munich_site", "München", "DE", "Europe/Berlin", 3),
    ("Paris_site", "Paris", "FR", "Europe/Paris", 4),
    ("Warsaw_site", "Warszawa", "PL", "Europe/Warsaw", 3),
    ("Lagos_site", "Lagos", "NG", "Africa/Lagos", 2),
    ("Bengaluru_site", "Bengaluru", "IN", "Asia/Kolkata", 8),
    ("Ho_Chi_Minh_City_site", "Hồ Chí Minh City", "VN", "Asia/Ho_Chi_Minh", 2),
    ("Shanghai_site", "Shanghai", "CN", "Asia/Shanghai", 3),
    ("Tokyo_site", "Tokyo", "JP", "Asia/Tokyo", 3),
    ("Sydney_site", "Sydney", "AU", "Australia/Sydney", 4),
)
_LOCATION_BY_ID: Final = {loc[0]: loc for loc in LOCATIONS}

#: (Time_Zone_ID, descriptor)
TIME_ZONES: Final = (
    ("America/Los_Angeles", "GMT-08:00 Pacific Time (Los Angeles)"),
    ("America/Chicago", "GMT-06:00 Central Time (Chicago)"),
    ("America/New_York", "GMT-05:00 Eastern Time (New York)"),
    ("America/Toronto", "GMT-05:00 Eastern Time (Toronto)"),
    ("America/Mexico_City", "GMT-06:00 Central Time (Mexico City)"),
    ("America/Sao_Paulo", "GMT-03:00 Brasília Time (São Paulo)"),
    ("Europe/London", "GMT+00:00 Greenwich Mean Time (London)"),
    ("Europe/Dublin", "GMT+00:00 Greenwich Mean Time (Dublin)"),
    ("Europe/Berlin", "GMT+01:00 Central European Time (Berlin)"),
    ("Europe/Paris", "GMT+01:00 Central European Time (Paris)"),
    ("Europe/Warsaw", "GMT+01:00 Central European Time (Warsaw)"),
    ("Africa/Lagos", "GMT+01:00 West Africa Time (Lagos)"),
    ("Asia/Kolkata", "GMT+05:30 India Standard Time (Kolkata)"),
    ("Asia/Ho_Chi_Minh", "GMT+07:00 Indochina Time (Ho Chi Minh City)"),
    ("Asia/Shanghai", "GMT+08:00 China Standard Time (Shanghai)"),
    ("Asia/Tokyo", "GMT+09:00 Japan Standard Time (Tokyo)"),
    ("Australia/Sydney", "GMT+10:00 Australian Eastern Time (Sydney)"),
    ("UTC", "GMT+00:00 Coordinated Universal Time"),
)

#: (Interview_Type_ID, descriptor, virtual)
INTERVIEW_TYPES: Final = (
    ("PHONE_SCREEN", "Phone Screen", True),
    ("VIDEO", "Video Interview", True),
    ("TECHNICAL", "Technical Interview", True),
    ("ONSITE", "Onsite Interview", False),
    ("PANEL", "Panel Interview", False),
    ("CASE_STUDY", "Case Study Presentation", False),
)
_VIRTUAL_TYPES: Final = frozenset(t[0] for t in INTERVIEW_TYPES if t[2])

_REQ_STATUSES: Final = (("OPEN", "Open"), ("FILLED", "Filled"), ("FROZEN", "Frozen"), ("CLOSED", "Closed"))
_ROLES: Final = (
    ("Primary_Recruiter", "Primary Recruiter"),
    ("Recruiter", "Recruiter"),
    ("Hiring_Manager", "Hiring Manager"),
)
_LANGUAGES: Final = (
    ("en_US", "English (United States)"),
    ("en_GB", "English (United Kingdom)"),
    ("de_DE", "Deutsch (Deutschland)"),
    ("fr_FR", "Français (France)"),
    ("fr_CA", "Français (Canada)"),
    ("es_MX", "Español (México)"),
    ("pt_BR", "Português (Brasil)"),
    ("pl_PL", "Polski (Polska)"),
    ("zh_CN", "中文 (中国)"),
    ("ja_JP", "日本語 (日本)"),
)
_DEGREES: Final = (
    ("BACHELORS", "Bachelor's Degree"),
    ("MASTERS", "Master's Degree"),
    ("PHD", "Doctorate"),
    ("DIPLOMA", "Diploma"),
)
_SCHOOLS: Final = _split(
    "Georgia Institute of Technology | Technische Universität München | Université Paris-Saclay"
    " | Indian Institute of Technology Bombay | Universidade de São Paulo | University of Lagos"
    " | Uniwersytet Warszawski | Tsinghua University | University of Melbourne | Trinity College Dublin"
    " | Tecnológico de Monterrey | University of Toronto | Đại học Quốc gia Hà Nội | King's College London"
)
_COMPANIES: Final = _split(
    "Procter & Gamble | Johnson & Johnson | AT&T | Siemens AG | Infosys | Globex Corporation | Initech"
    " | Müller & Söhne GmbH | Tata Consultancy Services | Banco Itaú | Allegro | Hooli | Vandelay Industries"
    " | Dunder Mifflin | Soylent Corp | Wayne Enterprises | Stark Industries | Nakatomi Trading"
)
_SKILLS: Final = _split(
    "Python | SQL | Stakeholder Management | Kubernetes | Salesforce | Financial Modelling | Figma"
    " | Negotiation"
    " | Java | Machine Learning | Project Management | Deutsch (C1) | Customer Service | C++ | Excel"
    " | Public Speaking | Go | Data Visualization"
)

REFERENCE_KINDS: Final = {
    # kind: (ID type, descriptor table or None)
    "Recruiting_Stage": "Recruiting_Stage_ID",
    "Workflow_Step": "Workflow_Step_ID",
    "Recruiting_Disposition": "Recruiting_Disposition_ID",
    "Applicant_Source": "Applicant_Source_ID",
    "Candidate_Tag": "Candidate_Tag_ID",
    "Job_Profile": "Job_Profile_ID",
    "Job_Family": "Job_Family_ID",
    "Supervisory_Organization": "Organization_Reference_ID",
    "Location": "Location_ID",
    "Time_Zone": "Time_Zone_ID",
    "Interview_Type": "Interview_Type_ID",
    "Job_Requisition_Status": "Job_Requisition_Status_ID",
    "Organization_Role": "Organization_Role_ID",
    "User_Language": "User_Language_ID",
    "Degree": "Degree_ID",
    "Country_Phone_Code": "Country_Phone_Code_ID",
    "Phone_Device_Type": "Phone_Device_Type_ID",
    "Worker_Type": "Worker_Type_ID",
    "Position_Time_Type": "Position_Time_Type_ID",
    "Job_Requisition_Remote_Type": "Job_Requisition_Remote_Type_ID",
    "Job_Posting_Site": "Job_Posting_Site_ID",
    "Social_Network_Type": "Social_Network_Type_ID",
    "Prospect_Status": "Prospect_Status_ID",
    "Prospect_Type": "Prospect_Type_ID",
    "Referral_Relationship": "Referral_Relationship_ID",
    "Mime_Type": "Content_Type_ID",
    "Document_Category": "Document_Category_ID",
    # Multi-ID kinds (built specially): Country, Country_Region, Position_Worker_Type.
}

_MIME_PDF: Final = "application/pdf"
_MIME_DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ----------------------------------------------------------------------------------------------------
# Weighted picks and small helpers
# ----------------------------------------------------------------------------------------------------


class _Weighted:
    """A weighted table for ``pick(u)`` with ``u`` uniform in [0, 1)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, items: Sequence[Any], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        self.cum: list[float] = []
        acc = 0.0
        for w in weights:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def pick(self, u: float) -> Any:
        return self.items[bisect.bisect_right(self.cum, u * self.total)]


_W_CULTURE: Final = _Weighted(_CULTURES, (c.weight for c in _CULTURES))
_W_SOURCE: Final = _Weighted([s[0] for s in SOURCES], (s[2] for s in SOURCES))
_W_LOCATION: Final = _Weighted(LOCATIONS, (loc[4] for loc in LOCATIONS))
# Stage of a live application (index into STAGES).
_W_STAGE: Final = _Weighted(range(len(STAGES)), (30, 15, 8, 20, 5, 7, 2, 4, 4))
_W_APPS: Final = _Weighted((1, 2, 3), (60, 28, 12))
_W_TAGS: Final = _Weighted((0, 1, 2, 3), (55, 30, 12, 3))

_HEX: Final = "0123456789abcdef"
_ALNUM: Final = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _digits(rng: random.Random, n: int) -> str:
    return f"{int(rng.random() * 10**n):0{n}d}"


_M64: Final = (1 << 64) - 1
_M32: Final = (1 << 32) - 1
_P1: Final = 0x9E3779B1  # odd multipliers: invertible modulo 2**32
_P2: Final = 0x85EBCA6B
_P1_INV: Final = pow(_P1, -1, 1 << 32)
_P2_INV: Final = pow(_P2, -1, 1 << 32)


def _permute32(x: int) -> int:
    """An invertible scramble of a 32-bit key, so WID tails of neighbouring records look unrelated."""
    x = (x * _P1) & _M32
    x ^= x >> 16
    x = (x * _P2) & _M32
    return x ^ (x >> 16)


def _unpermute32(x: int) -> int:
    x ^= x >> 16
    x = (x * _P2_INV) & _M32
    x ^= x >> 16
    return (x * _P1_INV) & _M32


def _mix64(x: int) -> int:
    """SplitMix64's finaliser: a cheap, well-spread 64-bit hash."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


@functools.lru_cache(maxsize=256)
def _slug(text: str) -> str:
    """URL path segment: ASCII words joined by hyphens (``"São Paulo"`` -> ``"Sao-Paulo"``)."""
    words = [
        "".join(c for c in unicodedata.normalize("NFKD", w.translate(_FOLD)) if c.isascii() and c.isalnum())
        for w in text.split()
    ]
    return "-".join(w for w in words if w) or "job"


def _article(word: str) -> str:
    vowel = word[:1] in "AEIO" or (word[:1] == "U" and not word[1:2].isupper())
    return "an" if vowel else "a"


def _ensure_aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


# ----------------------------------------------------------------------------------------------------
# The data set
# ----------------------------------------------------------------------------------------------------


class Dataset:
    """The fake tenant's data: deterministic base records plus a versioned log of mutations.

    Args:
        tenant: tenant name (appears in worker emails and posting URLs).
        candidates: number of base candidates (requisitions, workers scale with it).
        seed: any integer; the same ``(seed, candidates, now)`` gives the same data.
        now: the anchor of "past" and "upcoming" (default: current UTC time, rounded down to the minute).
        clock: the entry-moment clock for mutations (default: real UTC time).
    """

    #: The tenant's own time zone (used to render most timestamps and dates, as Workday does).
    tenant_time_zone: str = "America/Los_Angeles"

    def __init__(
        self,
        *,
        tenant: str = "acme",
        candidates: int = 300,
        seed: int = 0,
        now: datetime | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if candidates < 0:
            raise ValueError("candidates must be >= 0")
        self.tenant = tenant
        self.seed = seed
        self.now = _ensure_aware(now, "now") if now is not None else datetime.now(UTC).replace(second=0, microsecond=0)
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self._base_candidates = candidates
        self._base_requisitions = max(10, -(-candidates // 10))
        self._n_workers = max(40, candidates // 40)
        self._n_recruiters = max(5, self._n_workers // 12)
        self.tz = ZoneInfo(self.tenant_time_zone)

        # Time layout of base records.
        self._cand_start = self.now - timedelta(days=730)
        self._cand_step = (timedelta(days=730) - timedelta(hours=1)) / max(1, candidates)
        self._req_start = self.now - timedelta(days=900)
        self._req_step = (timedelta(days=900) - timedelta(days=2)) / self._base_requisitions
        # Requisitions created within this many indices before an application are its candidates.
        self._req_window = max(3, self._base_requisitions * 120 // 900)

        self._lock = threading.RLock()
        self._last_stamp = self.now
        self._kind_salts: dict[str, tuple[int, int, int]] = {}
        self._req_cache: dict[int, RequisitionRecord] = {}
        self._worker_cache: dict[int, WorkerRecord] = {}
        # Version histories (mutated or added records only); the first entry is the base/initial version.
        self._cand_versions: dict[int, list[CandidateRecord]] = {}
        self._n_added_candidates = 0
        self._req_versions: dict[int, list[RequisitionRecord]] = {}
        self._n_added_requisitions = 0
        self._interview_versions: dict[str, list[InterviewRecord]] = {}
        self._added_interviews: dict[str, list[str]] = {}  # application_id -> interview WIDs
        self._n_added_interviews = 0
        self._refs = self._build_references()

    # ----------------------------------------------------------------------------------------------------
    # IDs and WIDs
    # ----------------------------------------------------------------------------------------------------

    def _salts(self, kind: str) -> tuple[int, int, int]:
        salts = self._kind_salts.get(kind)
        if salts is None:
            digest = hashlib.blake2b(f"{self.seed}:{kind}".encode(), digest_size=20).digest()
            salts = (
                int.from_bytes(digest[:8], "big"),
                int.from_bytes(digest[8:16], "big"),
                int.from_bytes(digest[16:], "big"),
            )
            self._kind_salts[kind] = salts
        return salts

    def _wid(self, kind: str, key: int) -> str:
        """A 32-hex WID whose last 8 digits encode ``key`` (XOR-masked per kind); the rest is a keyed hash."""
        s1, s2, mask = self._salts(kind)
        h1 = _mix64(s1 ^ key)
        h2 = _mix64(h1 ^ s2)
        return f"{h1:016x}{h2 >> 32:08x}{_permute32(key) ^ mask:08x}"

    def _unwid(self, kind: str, wid: str) -> int | None:
        if len(wid) != 32:
            return None
        try:
            key = _unpermute32(int(wid[24:], 16) ^ self._salts(kind)[2])
        except ValueError:
            return None
        return key if self._wid(kind, key) == wid else None

    def _ref_wid(self, kind: str, value: str) -> str:
        return hashlib.blake2b(f"{self.seed}:ref:{kind}:{value}".encode(), digest_size=16).hexdigest()

    @staticmethod
    def _candidate_number(index: int) -> int:
        return 1001 + index

    @staticmethod
    def candidate_id_for(index: int) -> str:
        """The Candidate_ID of the candidate at ``index``."""
        return f"CAND-{1001 + index}"

    @staticmethod
    def requisition_id_for(index: int) -> str:
        """The Job_Requisition_ID of the requisition at ``index``."""
        return f"R-{index + 1:05d}"

    @staticmethod
    def _parse_suffix_int(value: str, prefix: str) -> int | None:
        if not value.startswith(prefix):
            return None
        rest = value[len(prefix) :]
        if not rest.isdigit() or not rest.isascii():
            return None
        return int(rest)

    # ----------------------------------------------------------------------------------------------------
    # Reference data
    # ----------------------------------------------------------------------------------------------------

    def _build_references(self) -> dict[tuple[str, str], Ref]:
        refs: dict[tuple[str, str], Ref] = {}

        def add(kind: str, value: str, descriptor: str, extra: tuple[tuple[str, str], ...] = ()) -> None:
            id_type = REFERENCE_KINDS[kind]
            refs[(kind, value)] = Ref(self._ref_wid(kind, value), ((id_type, value), *extra), descriptor)

        for stage_id, label, step_id, step_label in STAGES:
            add("Recruiting_Stage", stage_id, label)
            add("Workflow_Step", step_id, step_label)
        for table, kind in (
            (DISPOSITIONS, "Recruiting_Disposition"),
            (TAGS, "Candidate_Tag"),
            (_JOB_FAMILIES, "Job_Family"),
            (_SUP_ORGS, "Supervisory_Organization"),
            (TIME_ZONES, "Time_Zone"),
            (_REQ_STATUSES, "Job_Requisition_Status"),
            (_ROLES, "Organization_Role"),
            (_LANGUAGES, "User_Language"),
            (_DEGREES, "Degree"),
        ):
            for value, label in table:
                add(kind, value, label)
        for source_id, label, _w in SOURCES:
            add("Applicant_Source", source_id, label)
        for profile_id, title, _f, _o in _PROFILES:
            add("Job_Profile", profile_id, title)
        for loc_id, name, _c, _tz, _w in LOCATIONS:
            add("Location", loc_id, name)
        for type_id, label, _v in INTERVIEW_TYPES:
            add("Interview_Type", type_id, label)
        for kind, rows in (
            ("Phone_Device_Type", (("Mobile", "Mobile"), ("Landline", "Landline"))),
            ("Worker_Type", (("EE", "Employee"), ("CW", "Contingent Worker"))),
            ("Position_Time_Type", (("Full_time", "Full time"), ("Part_time", "Part time"))),
            (
                "Job_Requisition_Remote_Type",
                (("On_Site", "On-site"), ("Hybrid", "Hybrid"), ("Remote", "Remote")),
            ),
            (
                "Job_Posting_Site",
                (
                    ("External_Career_Site", f"{self.tenant.title()} Careers"),
                    ("Internal_Career_Site", "Internal Career Site"),
                    ("LinkedIn_Jobs", "LinkedIn Jobs"),
                ),
            ),
            ("Social_Network_Type", (("LinkedIn", "LinkedIn"),)),
            (
                "Prospect_Status",
                (("Not_Contacted", "Not Contacted"), ("Contacted", "Contacted"), ("Engaged", "Engaged")),
            ),
            ("Prospect_Type", (("Passive", "Passive Candidate"), ("Active", "Active Candidate"))),
            (
                "Referral_Relationship",
                (
                    ("Former_Colleague", "Former Colleague"),
                    ("Friend", "Friend"),
                    ("Family_Member", "Family Member"),
                ),
            ),
            ("Mime_Type", ((_MIME_PDF, "PDF"), (_MIME_DOCX, "Word Document (DOCX)"))),
            ("Document_Category", (("Cover_Letter", "Cover Letter"),)),
        ):
            for value, label in rows:
                add(kind, value, label)
        for value, label in (
            ("Regular", "Regular"),
            ("Fixed_Term", "Fixed Term"),
            ("Temporary", "Temporary"),
        ):
            refs[("Position_Worker_Type", value)] = Ref(
                self._ref_wid("Position_Worker_Type", value), (("Employee_Type_ID", value),), label
            )
        refs[("Position_Worker_Type", "Contractor")] = Ref(
            self._ref_wid("Position_Worker_Type", "Contractor"),
            (("Contingent_Worker_Type_ID", "Contractor"),),
            "Contractor",
        )
        for country in _COUNTRIES.values():
            refs[("Country", country.alpha2)] = Ref(
                self._ref_wid("Country", country.alpha2),
                (
                    ("ISO_3166-1_Alpha-2_Code", country.alpha2),
                    ("ISO_3166-1_Alpha-3_Code", country.alpha3),
                    ("ISO_3166-1_Numeric-3_Code", country.numeric),
                ),
                country.name,
            )
            add("Country_Phone_Code", country.phone_code_id, f"{country.name} (+{country.dial})")
            for city in country.cities:
                if city.region_id and city.region_code and city.region_name:
                    refs[("Country_Region", city.region_id)] = Ref(
                        self._ref_wid("Country_Region", city.region_id),
                        (("Country_Region_ID", city.region_id), ("ISO_3166-2_Code", city.region_code)),
                        city.region_name,
                    )
        return refs

    def reference(self, kind: str, value: str) -> Ref:
        """The reference of a reference-data instance (``reference("Recruiting_Stage", "REVIEW")``).

        Raises:
            KeyError: the kind or value is unknown.
        """
        ref = self._refs.get((kind, value))
        if ref is None:
            raise KeyError(f"unknown {kind} {value!r}")
        return ref

    def find_reference(self, kind: str, id_type: str, value: str) -> Ref | None:
        """A reference-data instance by any of its IDs (WID included), or None."""
        for (k, _v), ref in self._refs.items():
            if k == kind and ref.id(id_type) == value:
                return ref
        return None

    def reference_values(self, kind: str) -> list[str]:
        """The IDs of every instance of a reference-data kind, in table order."""
        return [v for (k, v) in self._refs if k == kind]

    def time_zone_reference(self, name: str) -> Ref:
        """The Time_Zone reference of an IANA name (names outside the table get a derived WID)."""
        ref = self._refs.get(("Time_Zone", name))
        return ref or Ref(self._ref_wid("Time_Zone", name), (("Time_Zone_ID", name),), name)

    def derived_wid(self, kind: str, key: int) -> str:
        """A stable WID for a secondary object (a position, a role assignment) keyed by ``(kind, key)``."""
        return self._wid(f"derived:{kind}", key)

    def location_time_zone(self, location_id: str) -> str:
        """The IANA time zone of a location."""
        return str(_LOCATION_BY_ID[location_id][3])

    # ----------------------------------------------------------------------------------------------------
    # Clock
    # ----------------------------------------------------------------------------------------------------

    def _stamp(self) -> datetime:
        """The next entry moment: ``clock()``, strictly after every earlier stamp and after ``now``."""
        with self._lock:
            t = _ensure_aware(self.clock(), "clock()")
            if t <= self._last_stamp:
                t = self._last_stamp + _US
            self._last_stamp = t
            return t

    # ----------------------------------------------------------------------------------------------------
    # Workers
    # ----------------------------------------------------------------------------------------------------

    def worker_count(self) -> int:
        """Number of workers."""
        return self._n_workers

    def worker_at(self, index: int) -> WorkerRecord:
        """The worker at ``index`` (recruiters come first)."""
        if not 0 <= index < self._n_workers:
            raise IndexError(index)
        rec = self._worker_cache.get(index)
        if rec is None:
            rec = self._gen_worker(index)
            self._worker_cache[index] = rec
        return rec

    def workers(self) -> list[WorkerRecord]:
        """Every worker, recruiters first."""
        return [self.worker_at(i) for i in range(self._n_workers)]

    def recruiters(self) -> list[WorkerRecord]:
        """The workers who act as recruiters."""
        return [self.worker_at(i) for i in range(self._n_recruiters)]

    def find_worker(self, id_type: str, value: str) -> WorkerRecord | None:
        """A worker by ``WID`` or ``Employee_ID``, or None."""
        if id_type == "WID":
            index = self._unwid("worker", value)
        elif id_type == "Employee_ID":
            n = self._parse_suffix_int(value, "")
            index = None if n is None or str(n) != value else n - 21001
        else:
            return None
        if index is None or not 0 <= index < self._n_workers:
            return None
        return self.worker_at(index)

    def _gen_worker(self, w: int) -> WorkerRecord:
        culture = _CULTURES[w % len(_CULTURES)]
        j = w // len(_CULTURES)
        nf, nl = len(culture.firsts), len(culture.lasts)
        first = culture.firsts[j % nf]
        last = culture.lasts[(j // nf + j) % nl]
        suffix = "" if j < nf * nl else str(j // (nf * nl))
        if w < self._n_recruiters:
            title = ("Senior Recruiter", "Talent Acquisition Partner", "Recruiter", "Recruiting Coordinator")[w % 4]
        else:
            title = (
                "Engineering Manager",
                "Director of Sales",
                "Product Lead",
                "Data Science Manager",
                "Staff Engineer",
                "Head of Finance",
                "Customer Success Lead",
                "Marketing Director",
                "Operations Manager",
                "Senior Software Engineer",
                "HR Business Partner",
                "Vice President, R&D",
            )[w % 12]
        return WorkerRecord(
            index=w,
            wid=self._wid("worker", w),
            employee_id=str(21001 + w),
            first_name=first.text,
            last_name=last.text,
            email=f"{first.ascii}.{last.ascii}{suffix}@{self.tenant}.example.com",
            job_title=title,
        )

    # ----------------------------------------------------------------------------------------------------
    # Requisitions
    # ----------------------------------------------------------------------------------------------------

    def requisition_count(self) -> int:
        """Number of requisitions (base plus added)."""
        return self._base_requisitions + self._n_added_requisitions

    def _req_created_at(self, j: int) -> datetime:
        return self._req_base(j).created_at

    def _req_base(self, j: int) -> RequisitionRecord:
        rec = self._req_cache.get(j)
        if rec is None:
            rec = self._gen_requisition(j)
            self._req_cache[j] = rec
        return rec

    def _reqs_created_by(self, t: datetime) -> int:
        """How many base requisitions were created at or before ``t`` (they are a prefix, by index)."""
        n = self._base_requisitions
        j0 = int((t - self._req_start) / self._req_step)
        if j0 < 0:
            return 0
        if j0 >= n:
            return n
        return j0 + 1 if self._req_created_at(j0) <= t else j0

    def requisition_at(self, index: int, as_of: datetime | None = None) -> RequisitionRecord | None:
        """The requisition at ``index`` as of an entry moment (None when not created yet)."""
        if not 0 <= index < self.requisition_count():
            raise IndexError(index)
        versions = self._req_versions.get(index)
        if versions is None:
            rec = self._req_base(index)
            return rec if as_of is None or rec.created_at <= as_of else None
        return _version_at(versions, as_of)

    def iter_requisitions(self, as_of: datetime | None = None) -> Iterator[RequisitionRecord]:
        """Requisitions visible at ``as_of`` (current versions when None), by index."""
        for j in range(self.requisition_count()):
            rec = self.requisition_at(j, as_of)
            if rec is not None:
                yield rec

    def requisitions(self, as_of: datetime | None = None) -> list[RequisitionRecord]:
        """A list of :meth:`iter_requisitions`."""
        return list(self.iter_requisitions(as_of))

    def find_requisition(self, id_type: str, value: str, as_of: datetime | None = None) -> RequisitionRecord | None:
        """A requisition by ``WID`` or ``Job_Requisition_ID``, or None."""
        if id_type == "WID":
            index = self._unwid("req", value)
        elif id_type == "Job_Requisition_ID":
            n = self._parse_suffix_int(value, "R-")
            index = None if n is None or self.requisition_id_for(n - 1) != value else n - 1
        else:
            return None
        if index is None or not 0 <= index < self.requisition_count():
            return None
        return self.requisition_at(index, as_of)

    def _gen_requisition(self, j: int) -> RequisitionRecord:
        rng = random.Random(f"{self.seed}:req:{j}")
        r = rng.random
        now = self.now
        created = self._req_start + self._req_step * (j + r())
        age = (now - created).days
        u = r()
        if age > 365:
            status = "FILLED" if u < 0.6 else "CLOSED"
        elif age > 120:
            status = "OPEN" if u < 0.4 else "FILLED" if u < 0.8 else "FROZEN" if u < 0.9 else "CLOSED"
        else:
            status = "OPEN" if u < 0.85 else "FROZEN"
        profile_id, base_title, family_id, orgs = _PROFILES[int(r() * len(_PROFILES))]
        loc = _W_LOCATION.pick(r())
        locations: tuple[str, ...] = (loc[0],)
        if r() < 0.2:
            other = _W_LOCATION.pick(r())[0]
            if other != loc[0]:
                locations = (loc[0], other)
        country = loc[2]
        title = base_title
        u = r()
        if u < 0.15 and "Senior" not in title and "Staff" not in title:
            title = f"Senior {title}"
        elif u < 0.25:
            title = f"{title} \u2013 {('Payments', 'Growth', 'EMEA', 'Platform', 'Trust & Safety')[int(r() * 5)]}"
        if country == "DE":
            title = f"{title} (m/w/d)"
        elif country == "FR" and r() < 0.5:
            title = f"{title} (H/F)"
        org = orgs[int(r() * len(orgs))]
        if family_id == "Sales":  # sales organisations are regional
            region = _SALES_REGION.get(country, "Field_Sales_Americas_supervisory")
            org = region if region in orgs else orgs[0]
        contingent = r() < 0.1
        worker_type = "CW" if contingent else "EE"
        pwt = "Contractor" if contingent else ("Regular", "Regular", "Regular", "Fixed_Term", "Temporary")[int(r() * 5)]
        part_time = r() < 0.12
        remote = ("On_Site", "Hybrid", "Hybrid", "Remote", None)[int(r() * 5)]
        positions = 1 if r() < 0.8 else 2 + int(r() * 4)
        available = positions if status in ("OPEN", "FROZEN") else 0
        if status == "OPEN" and positions > 1:
            available = 1 + int(r() * positions)
        recruiters = [self.worker_id_at(int(r() * self._n_recruiters))]
        if r() < 0.3:
            second = self.worker_id_at(int(r() * self._n_recruiters))
            if second != recruiters[0]:
                recruiters.append(second)
        hm = self.worker_id_at(self._n_recruiters + int(r() * (self._n_workers - self._n_recruiters)))
        start_date = (created + timedelta(days=int(r() * 7))).astimezone(self.tz).date()
        hire_date = start_date + timedelta(days=30 + int(r() * 60))
        end_date = hire_date + timedelta(days=180 + int(r() * 185)) if pwt in ("Contractor", "Fixed_Term") else None
        updated = created + (now - timedelta(minutes=1) - created) * (r() ** 2)
        loc_name = loc[1]
        org_name = dict(_SUP_ORGS)[org]
        summary = f"{title} in {loc_name}, {org_name}."
        description = (
            f"We are looking for {_article(base_title)} {base_title} to join the {org_name} team in "
            f"{loc_name}. You will work with colleagues across {len(locations) + 2} countries, own outcomes "
            "end to end, and help customers who depend on us every day. Requirements: relevant experience, "
            "clear written communication & a collaborative mindset."
        )
        req_id = self.requisition_id_for(j)
        postings: list[JobPostingRecord] = []
        if status in ("OPEN", "FILLED") or (status == "CLOSED" and r() < 0.5):
            sites = ["External_Career_Site"]
            if r() < 0.5:
                sites.append("Internal_Career_Site")
            if r() < 0.15:
                sites.append("LinkedIn_Jobs")
            post_end = None if status == "OPEN" else min(updated, now).astimezone(self.tz).date()
            for k, site in enumerate(sites):
                path = f"/job/{_slug(loc_name)}/{_slug(base_title)}_{req_id}"
                postings.append(
                    JobPostingRecord(
                        wid=self._wid("posting", j * 4 + k),
                        posting_id=f"JOB_POSTING-{k + 1}-{j + 1}",
                        requisition_id=req_id,
                        title=title,
                        description=description,
                        site_id=site,
                        external_path=path if site == "External_Career_Site" else None,
                        external_apply_url=(
                            f"https://{self.tenant}.wd5.myworkdayjobs.example.com/en-US/External{path}/apply"
                            if site == "External_Career_Site"
                            else None
                        ),
                        location_ids=locations,
                        remote_type_id=remote,
                        time_type_id="Part_time" if part_time else "Full_time",
                        position_worker_type_id=pwt,
                        supervisory_org_id=org,
                        job_family_id=family_id,
                        start_date=start_date,
                        end_date=post_end if post_end is None or post_end >= start_date else start_date,
                        primary=k == 0,
                        created_at=min(created + timedelta(hours=2 + k), now - timedelta(minutes=1)),
                    )
                )
        return RequisitionRecord(
            index=j,
            wid=self._wid("req", j),
            requisition_id=req_id,
            title=title,
            status_id=status,
            positions=positions,
            positions_available=available,
            position_ids=tuple(f"P-{j * 5 + k + 100:05d}" for k in range(min(positions, 5))),
            location_ids=locations,
            job_profile_id=profile_id,
            supervisory_org_id=org,
            worker_type_id=worker_type,
            position_worker_type_id=pwt,
            time_type_id="Part_time" if part_time else "Full_time",
            remote_type_id=remote,
            scheduled_weekly_hours="20" if part_time else ("40", "37.5", "38.5")[int(r() * 3)],
            recruiter_ids=tuple(recruiters),
            hiring_manager_ids=(hm,),
            recruiting_start_date=start_date,
            target_hire_date=hire_date,
            target_end_date=end_date,
            summary=summary,
            description=description,
            spotlight=r() < 0.1,
            confidential=r() < 0.03,
            postings=tuple(postings),
            created_at=created,
            updated_at=updated,
        )

    def worker_id_at(self, index: int) -> str:
        """The Employee_ID of the worker at ``index``."""
        return str(21001 + index)

    # ----------------------------------------------------------------------------------------------------
    # Candidates
    # ----------------------------------------------------------------------------------------------------

    def candidate_count(self) -> int:
        """Number of candidates (base plus added), whatever their creation time."""
        return self._base_candidates + self._n_added_candidates

    def _cand_created_at(self, i: int) -> datetime:
        rng = random.Random(f"{self.seed}:cand:{i}")
        return self._cand_start + self._cand_step * (i + rng.random())

    def count_candidates(self, as_of: datetime | None = None) -> int:
        """How many candidates are visible at ``as_of`` (cheap: base candidates are created in ID order)."""
        base = self._base_candidates
        if as_of is not None and as_of < self.now:
            lo, hi = 0, base  # find the first base index created after as_of
            while lo < hi:
                mid = (lo + hi) // 2
                if self._cand_created_at(mid) <= as_of:
                    lo = mid + 1
                else:
                    hi = mid
            base = lo
        added = sum(
            1
            for i in range(self._base_candidates, self.candidate_count())
            if as_of is None or self._cand_versions[i][0].created_at <= as_of
        )
        return base + added

    def candidate_at(self, index: int, as_of: datetime | None = None) -> CandidateRecord:
        """The candidate at ``index``: its current version, or its version at ``as_of``.

        Raises:
            IndexError: no such index, or the candidate did not exist yet at ``as_of``.
        """
        rec = self._candidate_at(index, as_of)
        if rec is None:
            raise IndexError(f"candidate {index} did not exist at {as_of}")
        return rec

    def _candidate_at(self, index: int, as_of: datetime | None) -> CandidateRecord | None:
        if not 0 <= index < self.candidate_count():
            raise IndexError(index)
        versions = self._cand_versions.get(index)
        if versions is None:
            rec = self._gen_candidate(index)
            return rec if as_of is None or rec.created_at <= as_of else None
        return _version_at(versions, as_of)

    def iter_candidates(
        self, as_of: datetime | None = None, *, start: int = 0, stop: int | None = None
    ) -> Iterator[CandidateRecord]:
        """Candidates visible at ``as_of``, in index order (``start``/``stop`` bound the index range)."""
        end = self.candidate_count() if stop is None else min(stop, self.candidate_count())
        for i in range(max(0, start), end):
            rec = self._candidate_at(i, as_of)
            if rec is not None:
                yield rec

    def find_candidate(self, id_type: str, value: str, as_of: datetime | None = None) -> CandidateRecord | None:
        """A candidate by ``WID`` or ``Candidate_ID`` (its version at ``as_of``), or None."""
        index = self._candidate_index(id_type, value)
        if index is None:
            return None
        return self._candidate_at(index, as_of)

    def _candidate_index(self, id_type: str, value: str) -> int | None:
        if id_type == "WID":
            index = self._unwid("cand", value)
        elif id_type == "Candidate_ID":
            n = self._parse_suffix_int(value, "CAND-")
            index = None if n is None or self.candidate_id_for(n - 1001) != value else n - 1001
        else:
            return None
        if index is None or not 0 <= index < self.candidate_count():
            return None
        return index

    def _application_key(self, id_type: str, value: str) -> tuple[int, int] | None:
        """(candidate index, slot) of an application ID or WID."""
        if id_type == "WID":
            key = self._unwid("app", value)
            if key is None:
                return None
            return key // 16, key % 16
        if id_type != "Job_Application_ID" or not value.startswith("JOB_APPLICATION-"):
            return None
        parts = value[len("JOB_APPLICATION-") :].split("-")
        if len(parts) != 2 or not all(p.isdigit() and p.isascii() for p in parts):
            return None
        slot, number = int(parts[0]) - 1, int(parts[1])
        if not 0 <= slot < 16 or self._application_id(number - 1001, slot) != value:
            return None
        return number - 1001, slot

    @staticmethod
    def _application_id(index: int, slot: int) -> str:
        return f"JOB_APPLICATION-{slot + 1}-{1001 + index}"

    def find_application(
        self, id_type: str, value: str, as_of: datetime | None = None
    ) -> tuple[CandidateRecord, ApplicationRecord] | None:
        """An application (with its candidate) by ``WID`` or ``Job_Application_ID``, or None."""
        key = self._application_key(id_type, value)
        if key is None or not 0 <= key[0] < self.candidate_count():
            return None
        cand = self._candidate_at(key[0], as_of)
        if cand is None:
            return None
        app_id = self._application_id(*key)
        app = cand.application(app_id)
        if app is None:
            return None
        return cand, app

    def find_application_for(
        self, candidate_id: str, requisition_id: str, as_of: datetime | None = None
    ) -> tuple[CandidateRecord, ApplicationRecord] | None:
        """The application of a candidate (Candidate_ID) to a requisition (Job_Requisition_ID), or None."""
        cand = self.find_candidate("Candidate_ID", candidate_id, as_of)
        if cand is None:
            return None
        for app in cand.applications:
            if app.requisition_id == requisition_id:
                return cand, app
        return None

    def _gen_candidate(self, i: int) -> CandidateRecord:
        rng = random.Random(f"{self.seed}:cand:{i}")
        r = rng.random
        now = self.now
        created = self._cand_start + self._cand_step * (i + r())  # first draw: see _cand_created_at
        latest = now - timedelta(hours=1)
        number = 1001 + i
        culture: _Culture = _W_CULTURE.pick(r())
        country = _COUNTRIES[culture.country]
        first = culture.firsts[int(r() * len(culture.firsts))]
        last = culture.lasts[int(r() * len(culture.lasts))]
        second_last = culture.lasts[int(r() * len(culture.lasts))] if culture.second_lasts and r() < 0.7 else None
        worker_id = None
        if r() < 0.04:  # internal candidate: a worker applying
            w = self.worker_at(self._n_recruiters + int(r() * (self._n_workers - self._n_recruiters)))
            worker_id = w.employee_id
            first = _Name(w.first_name, ascii_fold(w.first_name))
            last = _Name(w.last_name, ascii_fold(w.last_name))
            second_last = None
        preferred_first = None
        if r() < 0.1:
            if culture.nicknames:
                preferred_first = culture.nicknames[int(r() * len(culture.nicknames))]
            elif " " in first.text:
                preferred_first = first.text.split(" ")[0]
        # Email addresses derive from the (ASCII-folded) name; the candidate number keeps them unique.
        fa, la = first.ascii or "candidate", last.ascii or "x"
        domain = ("example.com", "example.org", "example.net", "mail.example.com", "post.example.org")[int(r() * 5)]
        form = int(r() * 3)
        local = f"{fa}.{la}{number}" if form == 0 else f"{fa}{la}{number}" if form == 1 else f"{fa[0]}.{la}.{number}"
        emails: tuple[str, ...] = (f"{local}@{domain}",)
        if r() < 0.25:
            emails = (*emails, f"{la}.{fa}.{number}@example.net")
        # Address and phones: usually in the culture's country, sometimes relocated.
        if r() < 0.15:
            country = _COUNTRIES[_CULTURES[int(r() * len(_CULTURES))].country]
        city = country.cities[int(r() * len(country.cities))]
        addresses: tuple[Address, ...] = ()
        if r() < 0.95:
            line1 = country.street_format.format(
                n=1 + int(r() * 220), s=country.streets[int(r() * len(country.streets))]
            )
            lines: tuple[str, ...] = (line1,)
            if r() < 0.3:
                lines = (line1, country.line2[int(r() * len(country.line2))])
            addresses = (
                Address(
                    country=country.alpha2,
                    city=city.name,
                    region_id=city.region_id,
                    postal_code=city.postal_code,
                    lines=lines,
                ),
            )
        phones: tuple[Phone, ...] = ()
        n_phones = 0 if r() < 0.05 else 1 if r() < 0.8 else 2
        for k in range(n_phones):
            local_no = _digits(rng, country.local_digits)
            style = int(r() * 3)
            if country.alpha2 in ("US", "CA"):  # NANP: fictional 555-01xx numbers
                local_no = f"55501{local_no[-2:]}"
                national = f"({city.area}) {local_no[:3]}-{local_no[3:]}"
                digits = f"{city.area}{local_no}"
            else:
                half = len(local_no) // 2
                national = f"{country.trunk}{city.area} {local_no[:half]} {local_no[half:]}"
                digits = f"{city.area}{local_no}"
            number_text = (
                national if style == 0 else digits if style == 1 else f"+{country.dial} {city.area} {local_no}"
            )
            phones = (
                *phones,
                Phone(
                    country_phone_code_id=country.phone_code_id,
                    number=number_text,
                    device_type_id="Mobile" if k == 0 else "Landline",
                    extension=str(100 + int(r() * 900)) if k == 1 and r() < 0.3 else None,
                ),
            )
        linkedin = f"https://linkedin.example.com/in/{fa}-{la}-{number:x}" if r() < 0.4 else None
        language = culture.language_id if r() < 0.5 else None
        n_tags = _W_TAGS.pick(r())
        tags: tuple[str, ...] = ()
        if n_tags:
            first_tag = int(r() * len(TAGS))
            step = 1 + 2 * int(r() * (len(TAGS) // 2))  # odd: coprime with len(TAGS) == 8, so no repeats
            tags = tuple(TAGS[(first_tag + k * step) % len(TAGS)][0] for k in range(n_tags))
        source = _W_SOURCE.pick(r())
        referred_by = relationship = None
        if source == REFERRAL_SOURCE:
            referred_by = self.worker_id_at(int(r() * self._n_workers))
            relationship = ("Former_Colleague", "Friend", "Family_Member")[int(r() * 3)]
        prospect = r() < 0.1
        prospect_status = ("Not_Contacted", "Contacted", "Engaged")[int(r() * 3)] if prospect else None
        withdrawn = r() < 0.04
        do_not_hire = r() < 0.02
        has_resume = r() < 0.45
        has_cover_letter = r() < 0.1
        # Applications: the first one created the candidate; later ones between then and now.
        n_apps = _W_APPS.pick(r())
        apps: list[ApplicationRecord] = []
        used: set[int] = set()
        times = sorted(created + (latest - created) * r() for _ in range(n_apps - 1))
        for slot, applied in enumerate((created, *times)):
            k = self._reqs_created_by(applied)
            if k == 0:
                continue
            j = max(0, k - self._req_window) + int(r() * min(k, self._req_window))
            if j in used:
                continue
            used.add(j)
            req = self._req_base(j)
            status_at = applied + (latest - applied) * r()
            disposition = None
            u = r()
            if withdrawn:
                stage_n = int(r() * 4)
                disposition = "DECLINED_WITHDREW"
            elif do_not_hire:
                stage_n = int(r() * 3)
                disposition = DISPOSITIONS[int(r() * 3)][0]
            elif req.status_id != "OPEN" and u < 0.8:
                stage_n = _W_STAGE.pick(r())
                disposition = (
                    "REJECTED_POSITION_CLOSED"
                    if stage_n < 3
                    else (
                        "REJECTED_MORE_QUALIFIED_CANDIDATE",
                        "DECLINED_ACCEPTED_OTHER_OFFER",
                        "DECLINED_COMPENSATION",
                    )[int(r() * 3)]
                )
            elif u < 0.25:
                stage_n = _W_STAGE.pick(r())
                disposition = DISPOSITIONS[int(r() * (len(DISPOSITIONS) - 1))][0]
            else:
                stage_n = _W_STAGE.pick(r())
            stage_id = STAGES[stage_n][0]
            app_source = source if slot == 0 or r() < 0.7 else "CAREER_SITE"
            added_by = (
                req.recruiter_ids[0] if app_source in ("LINKEDIN", "AGENCY_HAYS", "AGENCY_MICHAEL_PAGE") else None
            )
            apps.append(
                ApplicationRecord(
                    wid=self._wid("app", i * 16 + slot),
                    application_id=self._application_id(i, slot),
                    requisition_id=req.requisition_id,
                    stage_id=stage_id,
                    disposition_id=disposition,
                    workflow_step_id=None if disposition else STAGES[stage_n][2],
                    applied_at=applied,
                    status_at=status_at,
                    source_id=app_source,
                    referred_by_worker_id=referred_by if app_source == REFERRAL_SOURCE else None,
                    added_by_worker_id=added_by,
                )
            )
        last_change = max(a.status_at for a in apps) if apps else created
        updated = last_change + (now - timedelta(minutes=1) - last_change) * (r() ** 3)
        return CandidateRecord(
            index=i,
            wid=self._wid("cand", i),
            candidate_id=f"CAND-{number}",
            first_name=first.text,
            last_name=last.text,
            secondary_last_name=second_last.text if second_last else None,
            local_first_name=first.local,
            local_last_name=last.local,
            preferred_first_name=preferred_first,
            emails=emails,
            phones=phones,
            addresses=addresses,
            linkedin_url=linkedin,
            language_id=language,
            tags=tags,
            source_id=source,
            referred_by_worker_id=referred_by,
            referral_relationship_id=relationship,
            worker_id=worker_id,
            prospect=prospect,
            prospect_status_id=prospect_status,
            withdrawn=withdrawn,
            do_not_hire=do_not_hire,
            has_resume=has_resume,
            has_cover_letter=has_cover_letter,
            applications=tuple(apps),
            created_at=created,
            updated_at=updated,
        )

    def resume_for(self, candidate: CandidateRecord) -> ResumeRecord | None:
        """The parsed resume of a candidate who has one (deterministic; generated on demand)."""
        if not candidate.has_resume:
            return None
        rng = random.Random(f"{self.seed}:resume:{candidate.index}")
        r = rng.random
        year = candidate.created_at.year
        experience = []
        end_year: int | None = None
        end_month: int | None = None
        for k in range(1 + int(r() * 3)):
            start_year = (end_year or year) - 1 - int(r() * 4)
            start_month = 1 + int(r() * 12)
            experience.append(
                ExperienceRecord(
                    company=_COMPANIES[int(r() * len(_COMPANIES))],
                    title=_PROFILES[int(r() * len(_PROFILES))][1],
                    location=None if r() < 0.3 else LOCATIONS[int(r() * len(LOCATIONS))][1],
                    start_year=start_year,
                    start_month=start_month,
                    end_year=None if k == 0 and r() < 0.5 else (end_year or year),
                    end_month=None if k == 0 and end_year is None else (end_month or 1 + int(r() * 12)),
                )
            )
            if experience[-1].end_year is None:
                experience[-1] = attrs.evolve(experience[-1], end_month=None)
            end_year, end_month = start_year, start_month
        last_year = (end_year or year) - int(r() * 2)
        return ResumeRecord(
            summary=None
            if r() < 0.4
            else "Pragmatic, curious & results-driven; I've shipped products on 3 continents.",
            skills=tuple(_SKILLS[k] for k in sorted(rng.sample(range(len(_SKILLS)), 1 + int(r() * 4)))),
            experience=tuple(experience),
            school=_SCHOOLS[int(r() * len(_SCHOOLS))],
            degree_id=_DEGREES[int(r() * len(_DEGREES))][0],
            first_year=last_year - 3 - int(r() * 3),
            last_year=last_year,
        )

    def resume_file(self, candidate: CandidateRecord) -> tuple[str, str, bytes]:
        """(file name, MIME type, content) of a candidate's resume attachment."""
        docx = candidate.index % 3 == 0
        stem = f"{candidate.first_name}_{candidate.last_name}_CV".replace(" ", "_")
        content = (
            f"%PDF-1.4\n% Resume of {candidate.first_name} {candidate.last_name} ({candidate.candidate_id})\n%%EOF\n"
        ).encode()
        if docx:
            return f"{stem}.docx", _MIME_DOCX, b"PK\x03\x04" + content
        return f"{stem}.pdf", _MIME_PDF, content

    # ----------------------------------------------------------------------------------------------------
    # Interviews
    # ----------------------------------------------------------------------------------------------------

    def interviews_for_application(self, application_id: str, as_of: datetime | None = None) -> list[InterviewRecord]:
        """The interview events of an application visible at ``as_of`` (base event first, then added ones)."""
        key = self._application_key("Job_Application_ID", application_id)
        if key is None or not 0 <= key[0] < self.candidate_count():
            return []
        if self._candidate_at(key[0], as_of) is None:
            return []
        out: list[InterviewRecord] = []
        base = self._base_interview(*key)
        if base is not None:
            rec = self._interview_version(base, as_of)
            if rec is not None:
                out.append(rec)
        for wid in self._added_interviews.get(application_id, ()):
            rec = _version_at(self._interview_versions[wid], as_of)
            if rec is not None:
                out.append(rec)
        return out

    def find_interview(self, wid: str, as_of: datetime | None = None) -> InterviewRecord | None:
        """An interview event by WID, or None."""
        versions = self._interview_versions.get(wid)
        if versions is not None:
            return _version_at(versions, as_of)
        key = self._unwid("interview", wid)
        if key is None:
            return None
        index, slot = key // 16, key % 16
        if not 0 <= index < self._base_candidates:
            return None
        base = self._base_interview(index, slot)
        return None if base is None or (as_of is not None and base.created_at > as_of) else base

    def _interview_version(self, base: InterviewRecord, as_of: datetime | None) -> InterviewRecord | None:
        versions = self._interview_versions.get(base.wid)
        if versions is not None:
            return _version_at(versions, as_of)
        return None if as_of is not None and base.created_at > as_of else base

    def _base_interview(self, index: int, slot: int) -> InterviewRecord | None:
        """The generated interview event of a base application, if it has one."""
        if not 0 <= index < self._base_candidates:
            return None
        cand = self._gen_candidate(index)
        app_id = self._application_id(index, slot)
        app = cand.application(app_id)
        if app is None or app.stage_id not in INTERVIEW_STAGES:
            return None
        rng = random.Random(f"{self.seed}:interview:{index}:{slot}")
        r = rng.random
        if r() >= 0.6:
            return None
        now = self.now
        req_index = self._parse_suffix_int(app.requisition_id, "R-")
        if req_index is None or not 0 < req_index <= self._base_requisitions:
            return None
        req = self._req_base(req_index - 1)
        location_id = req.location_ids[0]
        tz_name = self.location_time_zone(location_id) if r() < 0.8 else TIME_ZONES[int(r() * len(TIME_ZONES))][0]
        tz = ZoneInfo(tz_name)
        live = app.stage_id == "INTERVIEW" and app.disposition_id is None
        lo, hi = app.applied_at + timedelta(days=2), now - timedelta(hours=2)
        upcoming = (live and r() < 0.7) or lo >= hi
        # Interviews are held on working days: upcoming ones on one of the next three weeks' working days, past ones
        # moved from a weekend to the Friday before.
        if upcoming:
            today = now.astimezone(tz).date()
            working = [today + timedelta(days=k) for k in range(15) if (today + timedelta(days=k)).weekday() < 5]
            day = working[int(r() * len(working))]
        else:
            day = (lo + (hi - lo) * r()).astimezone(tz).date()
            if day.weekday() >= 5:
                day -= timedelta(days=day.weekday() - 4)
        hour, minute = 8 + int(r() * 8), (0, 15, 30, 45)[int(r() * 4)]
        start = datetime.combine(day, time(hour, minute), tz).astimezone(UTC)
        if upcoming and start <= now:
            start += timedelta(days=1)
        elif not upcoming and start >= hi:
            start -= timedelta(days=1)
        n_sessions = 1 + int(r() * 4)
        sessions: list[InterviewSessionRecord] = []
        event_key = index * 16 + slot
        any_virtual = False
        for k in range(n_sessions):
            if k == 0:
                itype = ("PHONE_SCREEN", "VIDEO", "ONSITE")[int(r() * 3)]
            else:
                itype = ("VIDEO", "TECHNICAL", "ONSITE", "PANEL", "CASE_STUDY")[int(r() * 5)]
            virtual = itype in _VIRTUAL_TYPES
            any_virtual = any_virtual or virtual
            duration = timedelta(minutes=(30, 45, 60, 90)[int(r() * 4)])
            n_interviewers = 1 + int(r() * 3) if itype != "PANEL" else 3
            interviewers = []
            for _ in range(n_interviewers):
                wid_ = self.worker_id_at(int(r() * self._n_workers))
                if wid_ not in interviewers:
                    interviewers.append(wid_)
            if k == n_sessions - 1 and req.hiring_manager_ids[0] not in interviewers:
                interviewers[-1] = req.hiring_manager_ids[0]
            room = None if virtual else f"{('Ada', 'Turing', 'Hopper', 'Lovelace', 'Curie')[int(r() * 5)]} Room"
            sessions.append(
                InterviewSessionRecord(
                    wid=self._wid("session", event_key * 8 + k),
                    start=start,
                    end=start + duration,
                    interviewer_ids=tuple(interviewers),
                    interview_type_id=itype,
                    location_id=None if virtual else location_id,
                    room_name=f"{room} \u2013 {_LOCATION_BY_ID[location_id][1]}" if room else None,
                    room_email=f"{ascii_fold(room)}.{location_id.lower()}@{self.tenant}.example.com" if room else None,
                    comment="Focus on system design & trade-offs." if r() < 0.2 else None,
                )
            )
            gap = timedelta(minutes=(0, 15, 15, 30)[int(r() * 4)])
            start = start + duration + gap
            if r() < 0.15:
                start += timedelta(days=1 + int(r() * 2))
        first_start = sessions[0].start
        last_end = sessions[-1].end
        c_lo = app.applied_at
        c_hi = min(first_start - timedelta(hours=1), now - timedelta(minutes=30))
        created = c_lo + (c_hi - c_lo) * r() if c_hi > c_lo else c_lo + (now - c_lo) / 2
        updated = created + (now - timedelta(minutes=1) - created) * (r() ** 2)
        if last_end > now:
            status: InterviewStatus = "in_progress"
        else:
            u = r()
            status = "completed" if u < 0.7 else "in_progress" if u < 0.9 else "cancelled"
        meeting_id = meeting_url = None
        if any_virtual:
            flavour = int(r() * 3)
            if flavour == 0:
                meeting_id = f"8{_digits(rng, 10)}"
                token = "".join(rng.choices(_ALNUM, k=16))
                meeting_url = f"https://zoom.example.com/j/{meeting_id}?pwd={token}&from=workday"
            elif flavour == 1:
                letters = "".join(rng.choices("abcdefghijkmnopqrstuvwxyz", k=10))
                meeting_id = f"{letters[:3]}-{letters[3:7]}-{letters[7:]}"
                meeting_url = f"https://meet.example.com/{meeting_id}"
            else:
                meeting_id = f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}#"
                thread = "".join(rng.choices(_HEX, k=24))
                meeting_url = f"https://teams.example.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22{self.tenant}%22%7d"
        comment = "Candidate prefers afternoon slots; please don't schedule before 10:00." if r() < 0.1 else None
        return InterviewRecord(
            wid=self._wid("interview", event_key),
            application_id=app_id,
            candidate_id=cand.candidate_id,
            requisition_id=app.requisition_id,
            time_zone=tz_name,
            sessions=tuple(sessions),
            status=status,
            meeting_id=meeting_id,
            meeting_url=meeting_url,
            overall_comment=comment,
            created_at=created,
            updated_at=max(updated, created),
        )

    # ----------------------------------------------------------------------------------------------------
    # Job postings
    # ----------------------------------------------------------------------------------------------------

    def iter_job_postings(self, as_of: datetime | None = None) -> Iterator[JobPostingRecord]:
        """Job postings visible at ``as_of``, by requisition then site."""
        for req in self.iter_requisitions(as_of):
            for posting in req.postings:
                if as_of is None or posting.created_at <= as_of:
                    yield posting

    def find_job_posting(self, id_type: str, value: str, as_of: datetime | None = None) -> JobPostingRecord | None:
        """A job posting by ``WID`` or ``Job_Posting_ID``, or None."""
        index: int | None = None
        if id_type == "WID":
            key = self._unwid("posting", value)
            index = None if key is None else key // 4
        elif id_type == "Job_Posting_ID" and value.startswith("JOB_POSTING-"):
            parts = value[len("JOB_POSTING-") :].split("-")
            if len(parts) == 2 and all(p.isdigit() and p.isascii() for p in parts):
                index = int(parts[1]) - 1
        else:
            return None
        if index is None or not 0 <= index < self.requisition_count():
            return None
        req = self.requisition_at(index, as_of)
        if req is None:
            return None
        for posting in req.postings:
            if posting.wid == value or posting.posting_id == value:
                return posting if as_of is None or posting.created_at <= as_of else None
        return None

    # ----------------------------------------------------------------------------------------------------
    # Mutations (entry moments from the clock)
    # ----------------------------------------------------------------------------------------------------

    def add_candidate(
        self, *, first_name: str, last_name: str, email: str, requisition_id: str | None = None, **more: Any
    ) -> CandidateRecord:
        """Create a candidate (optionally applying to a requisition, stage REVIEW) and return it.

        ``more`` sets any other :class:`CandidateRecord` field (``phones=``, ``tags=``, ``source_id=`` ...).

        Raises:
            KeyError: ``requisition_id`` is unknown.
        """
        with self._lock:
            t = self._stamp()
            index = self.candidate_count()
            apps: tuple[ApplicationRecord, ...] = ()
            source = str(more.get("source_id", "CAREER_SITE"))
            if requisition_id is not None:
                if self.find_requisition("Job_Requisition_ID", requisition_id) is None:
                    raise KeyError(f"unknown requisition {requisition_id!r}")
                apps = (
                    ApplicationRecord(
                        wid=self._wid("app", index * 16),
                        application_id=self._application_id(index, 0),
                        requisition_id=requisition_id,
                        stage_id="REVIEW",
                        workflow_step_id=_STEP_FOR_STAGE["REVIEW"],
                        applied_at=t,
                        status_at=t,
                        source_id=source,
                    ),
                )
            rec = CandidateRecord(
                index=index,
                wid=self._wid("cand", index),
                candidate_id=self.candidate_id_for(index),
                first_name=first_name,
                last_name=last_name,
                emails=(email,),
                applications=apps,
                created_at=t,
                updated_at=t,
            )
            if more:
                rec = attrs.evolve(rec, **_tuplify(more))
            self._cand_versions[index] = [rec]
            self._n_added_candidates += 1
            return rec

    def _append_candidate_version(self, current: CandidateRecord, **changes: Any) -> CandidateRecord:
        versions = self._cand_versions.get(current.index)
        if versions is None:
            versions = self._cand_versions[current.index] = [current]
        new = attrs.evolve(current, **changes)
        versions.append(new)
        return new

    def update_candidate(self, candidate_id: str, /, **changes: Any) -> CandidateRecord:
        """Change fields of a candidate (a new version stamped now) and return the new version.

        Raises:
            KeyError: unknown candidate.
            ValueError: an identity field (index, wid, candidate_id, created_at) was given.
        """
        _reject_identity(changes, ("index", "wid", "candidate_id", "created_at", "updated_at"))
        with self._lock:
            current = self.find_candidate("Candidate_ID", candidate_id)
            if current is None:
                raise KeyError(f"unknown candidate {candidate_id!r}")
            t = self._stamp()
            return self._append_candidate_version(current, **_tuplify(changes), updated_at=t)

    def update_application(self, application_id: str, /, **changes: Any) -> CandidateRecord:
        """Change an application (stage, disposition ...); returns the candidate's new version.

        A new stage without a workflow step gets the stage's default step; a stage or disposition change sets
        ``status_at`` to the entry moment unless given.

        Raises:
            KeyError: unknown application.
        """
        _reject_identity(changes, ("wid", "application_id"))
        with self._lock:
            found = self.find_application("Job_Application_ID", application_id)
            if found is None:
                raise KeyError(f"unknown application {application_id!r}")
            cand, app = found
            t = self._stamp()
            changes = dict(changes)
            if "stage_id" in changes and "workflow_step_id" not in changes:
                disposition = changes.get("disposition_id", app.disposition_id)
                changes["workflow_step_id"] = None if disposition else _STEP_FOR_STAGE.get(changes["stage_id"])
            if "disposition_id" in changes and changes["disposition_id"] and "workflow_step_id" not in changes:
                changes["workflow_step_id"] = None
            if ({"stage_id", "disposition_id"} & changes.keys()) and "status_at" not in changes:
                changes["status_at"] = t
            new_app = attrs.evolve(app, **changes)
            apps = tuple(new_app if a.application_id == application_id else a for a in cand.applications)
            return self._append_candidate_version(cand, applications=apps, updated_at=t)

    def add_application(self, candidate_id: str, requisition_id: str, **more: Any) -> CandidateRecord:
        """Apply an existing candidate to a requisition (stage REVIEW); returns the candidate's new version.

        Raises:
            KeyError: unknown candidate or requisition.
            ValueError: the candidate already has 16 applications.
        """
        with self._lock:
            cand = self.find_candidate("Candidate_ID", candidate_id)
            if cand is None:
                raise KeyError(f"unknown candidate {candidate_id!r}")
            if self.find_requisition("Job_Requisition_ID", requisition_id) is None:
                raise KeyError(f"unknown requisition {requisition_id!r}")
            used = {self._application_key("Job_Application_ID", a.application_id) for a in cand.applications}
            slot = next((s for s in range(16) if (cand.index, s) not in used), None)
            if slot is None:
                raise ValueError("a fake candidate holds at most 16 applications")
            t = self._stamp()
            app = ApplicationRecord(
                wid=self._wid("app", cand.index * 16 + slot),
                application_id=self._application_id(cand.index, slot),
                requisition_id=requisition_id,
                stage_id="REVIEW",
                workflow_step_id=_STEP_FOR_STAGE["REVIEW"],
                applied_at=t,
                status_at=t,
                source_id=cand.source_id,
            )
            if more:
                app = attrs.evolve(app, **_tuplify(more))
            return self._append_candidate_version(cand, applications=(*cand.applications, app), updated_at=t)

    def add_requisition(self, *, title: str, **more: Any) -> RequisitionRecord:
        """Create a requisition (status OPEN unless given) and return it. ``more`` sets other fields."""
        with self._lock:
            t = self._stamp()
            index = self.requisition_count()
            template = self._req_base(0)
            today = t.astimezone(self.tz).date()
            rec = attrs.evolve(
                template,
                index=index,
                wid=self._wid("req", index),
                requisition_id=self.requisition_id_for(index),
                title=title,
                status_id="OPEN",
                positions=1,
                positions_available=1,
                position_ids=(f"P-{index * 5 + 100:05d}",),
                recruiting_start_date=today,
                target_hire_date=today + timedelta(days=60),
                target_end_date=None,
                summary=title,
                description=f"{title}.",
                postings=(),
                created_at=t,
                updated_at=t,
            )
            if more:
                rec = attrs.evolve(rec, **_tuplify(more))
            self._req_versions[index] = [rec]
            self._n_added_requisitions += 1
            return rec

    def update_requisition(self, requisition_id: str, /, **changes: Any) -> RequisitionRecord:
        """Change fields of a requisition (a new version stamped now) and return it.

        Raises:
            KeyError: unknown requisition.
        """
        _reject_identity(changes, ("index", "wid", "requisition_id", "created_at", "updated_at"))
        with self._lock:
            current = self.find_requisition("Job_Requisition_ID", requisition_id)
            if current is None:
                raise KeyError(f"unknown requisition {requisition_id!r}")
            t = self._stamp()
            versions = self._req_versions.get(current.index)
            if versions is None:
                versions = self._req_versions[current.index] = [current]
            new = attrs.evolve(current, **_tuplify(changes), updated_at=t)
            versions.append(new)
            return new

    def add_interview(
        self,
        application_id: str,
        sessions: Sequence[tuple[datetime, datetime, Sequence[str]]],
        *,
        time_zone: str | None = None,
        **more: Any,
    ) -> InterviewRecord:
        """Schedule an interview event for an application; returns it (status in progress, a meeting URL).

        Args:
            application_id: the Job_Application_ID.
            sessions: ``(start, end, interviewer Employee_IDs)`` per session; aware datetimes.
            time_zone: IANA name (default: the requisition's primary location's time zone).
            more: other :class:`InterviewRecord` fields.

        Raises:
            KeyError: unknown application.
            ValueError: no sessions, naive datetimes, end not after start, or no interviewers.
        """
        if not sessions:
            raise ValueError("an interview needs at least one session")
        with self._lock:
            found = self.find_application("Job_Application_ID", application_id)
            if found is None:
                raise KeyError(f"unknown application {application_id!r}")
            cand, app = found
            t = self._stamp()
            n = self._n_added_interviews
            self._n_added_interviews += 1
            wid = self._wid("interview_added", n)
            req = self.find_requisition("Job_Requisition_ID", app.requisition_id)
            tz_name = time_zone or (self.location_time_zone(req.location_ids[0]) if req else "UTC")
            ZoneInfo(tz_name)  # validates the name
            recs = []
            for k, (start, end, interviewers) in enumerate(sessions):
                start_utc, end_utc = _ensure_aware(start, "start"), _ensure_aware(end, "end")
                if end_utc <= start_utc:
                    raise ValueError("a session must end after it starts")
                if not interviewers:
                    raise ValueError("a session needs at least one interviewer")
                recs.append(
                    InterviewSessionRecord(
                        wid=self._wid("session_added", n * 64 + k),
                        start=start_utc,
                        end=end_utc,
                        interviewer_ids=tuple(interviewers),
                        interview_type_id="VIDEO",
                    )
                )
            meeting = f"8{(n * 7919 + 1234567) % 10**10:010d}"
            rec = InterviewRecord(
                wid=wid,
                application_id=application_id,
                candidate_id=cand.candidate_id,
                requisition_id=app.requisition_id,
                time_zone=tz_name,
                sessions=tuple(recs),
                meeting_id=meeting,
                meeting_url=f"https://zoom.example.com/j/{meeting}?pwd=fake{n}",
                created_at=t,
                updated_at=t,
            )
            if more:
                rec = attrs.evolve(rec, **_tuplify(more))
            self._interview_versions[wid] = [rec]
            self._added_interviews.setdefault(application_id, []).append(wid)
            return rec

    def update_interview(self, wid: str, /, **changes: Any) -> InterviewRecord:
        """Change an interview event (e.g. ``status="cancelled"``); returns the new version.

        Raises:
            KeyError: unknown interview.
        """
        _reject_identity(changes, ("wid", "application_id", "created_at", "updated_at"))
        with self._lock:
            current = self.find_interview(wid)
            if current is None:
                raise KeyError(f"unknown interview {wid!r}")
            t = self._stamp()
            versions = self._interview_versions.get(wid)
            if versions is None:
                versions = self._interview_versions[wid] = [current]
            new = attrs.evolve(current, **_tuplify(changes), updated_at=t)
            versions.append(new)
            return new

    # ----------------------------------------------------------------------------------------------------
    # Transaction log
    # ----------------------------------------------------------------------------------------------------

    def changed_candidates(
        self,
        updated_from: datetime | None,
        updated_through: datetime | None,
        as_of: datetime | None = None,
    ) -> list[CandidateRecord]:
        """Candidates created or changed in ``[updated_from, updated_through]`` (as of ``as_of``), by index.

        Changes entered after ``as_of`` do not count, and each record is returned in its ``as_of`` version.
        """
        out: list[CandidateRecord] = []
        scan_base = updated_from is None or updated_from < self.now
        with self._lock:
            mutated = dict(self._cand_versions)
        indices: Iterable[int] = range(self.candidate_count()) if scan_base else sorted(mutated)
        for i in indices:
            current = _changed_version(
                mutated.get(i) or (self._gen_candidate(i),), updated_from, updated_through, as_of
            )
            if current is not None:
                out.append(current)
        return out

    def changed_requisitions(
        self,
        updated_from: datetime | None,
        updated_through: datetime | None,
        as_of: datetime | None = None,
    ) -> list[RequisitionRecord]:
        """Requisitions created or changed in ``[updated_from, updated_through]``; see changed_candidates."""
        out: list[RequisitionRecord] = []
        with self._lock:
            mutated = dict(self._req_versions)
        for j in range(self.requisition_count()):
            current = _changed_version(mutated.get(j) or (self._req_base(j),), updated_from, updated_through, as_of)
            if current is not None:
                out.append(current)
        return out


def _in_window(t: datetime, lo: datetime | None, hi: datetime | None, as_of: datetime | None) -> bool:
    return (lo is None or t >= lo) and (hi is None or t <= hi) and (as_of is None or t <= as_of)


def _changed_version(
    versions: Sequence[_V], lo: datetime | None, hi: datetime | None, as_of: datetime | None
) -> _V | None:
    """The record's version at ``as_of`` if it was created or changed inside ``[lo, hi]``, else None.

    ``versions`` is the record's history (a record never changed is its one base version); entries made after
    ``as_of`` do not count.
    """
    first = versions[0]
    moments = (first.created_at, first.updated_at, *(v.updated_at for v in versions[1:]))
    current = _version_at(versions, as_of)
    if current is not None and any(_in_window(t, lo, hi, as_of) for t in moments):
        return current
    return None


def _version_at(versions: Sequence[_V], as_of: datetime | None) -> _V | None:
    """The version current at ``as_of``: the first counts from its creation, later ones from their update."""
    if as_of is None:
        return versions[-1]
    for v in reversed(versions[1:]):
        if v.updated_at <= as_of:
            return v
    first = versions[0]
    return first if first.created_at <= as_of else None


def _tuplify(values: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def _reject_identity(changes: dict[str, Any], fields: tuple[str, ...]) -> None:
    bad = sorted(set(changes) & set(fields))
    if bad:
        raise ValueError(f"cannot change identity fields: {', '.join(bad)}")


def encode_base64(data: bytes) -> str:
    """Base64 text of ``data`` (Workday's xsd:base64Binary)."""
    return base64.b64encode(data).decode("ascii")
