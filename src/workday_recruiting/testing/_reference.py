"""The fake tenant's configuration: recruiting stages, dispositions, sources, tags, job profiles, organisations,
locations, time zones, interview types and the other reference data its records point to.

The tables are Python constants because the generators and the operations name their IDs (``"INTERVIEW"``,
``"EMPLOYEE_REFERRAL"``); :func:`build_references` turns them, with the countries of :mod:`._locale`, into the
:class:`~._records.Ref` of every instance, with stable WIDs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from ._ids import Wids
from ._locale import Country
from ._records import Ref

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
STEP_FOR_STAGE: Final = {s[0]: s[2] for s in STAGES}
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
PROFILES: Final = (
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
SALES_REGION: Final = {
    **dict.fromkeys(("GB", "IE", "DE", "FR", "PL", "NG"), "Field_Sales_EMEA_supervisory"),
    **dict.fromkeys(("IN", "CN", "JP", "VN", "AU"), "Sales_APAC_supervisory"),
}
PROFILE_BY_ID: Final = {p[0]: p for p in PROFILES}

JOB_FAMILIES: Final = (
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

SUP_ORGS: Final = (
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
LOCATION_BY_ID: Final = {loc[0]: loc for loc in LOCATIONS}

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
VIRTUAL_TYPES: Final = frozenset(t[0] for t in INTERVIEW_TYPES if t[2])

REQ_STATUSES: Final = (("OPEN", "Open"), ("FILLED", "Filled"), ("FROZEN", "Frozen"), ("CLOSED", "Closed"))
ROLES: Final = (
    ("Primary_Recruiter", "Primary Recruiter"),
    ("Recruiter", "Recruiter"),
    ("Hiring_Manager", "Hiring Manager"),
)
LANGUAGES: Final = (
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
DEGREES: Final = (
    ("BACHELORS", "Bachelor's Degree"),
    ("MASTERS", "Master's Degree"),
    ("PHD", "Doctorate"),
    ("DIPLOMA", "Diploma"),
)

REFERENCE_KINDS: Final = {
    # kind: ID type
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

MIME_PDF: Final = "application/pdf"
MIME_DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build_references(tenant: str, wids: Wids, countries: Iterable[Country]) -> Mapping[tuple[str, str], Ref]:
    """Every reference-data instance of a tenant, keyed by ``(kind, ID)``, in table order."""
    refs: dict[tuple[str, str], Ref] = {}

    def add(kind: str, value: str, descriptor: str, ids: tuple[tuple[str, str], ...] | None = None) -> None:
        refs[(kind, value)] = Ref(wids.reference(kind, value), ids or ((REFERENCE_KINDS[kind], value),), descriptor)

    for stage_id, label, step_id, step_label in STAGES:
        add("Recruiting_Stage", stage_id, label)
        add("Workflow_Step", step_id, step_label)
    for table, kind in (
        (DISPOSITIONS, "Recruiting_Disposition"),
        (TAGS, "Candidate_Tag"),
        (JOB_FAMILIES, "Job_Family"),
        (SUP_ORGS, "Supervisory_Organization"),
        (TIME_ZONES, "Time_Zone"),
        (REQ_STATUSES, "Job_Requisition_Status"),
        (ROLES, "Organization_Role"),
        (LANGUAGES, "User_Language"),
        (DEGREES, "Degree"),
    ):
        for value, label in table:
            add(kind, value, label)
    for source_id, label, _w in SOURCES:
        add("Applicant_Source", source_id, label)
    for profile_id, title, _f, _o in PROFILES:
        add("Job_Profile", profile_id, title)
    for loc_id, name, _c, _tz, _w in LOCATIONS:
        add("Location", loc_id, name)
    for type_id, label, _v in INTERVIEW_TYPES:
        add("Interview_Type", type_id, label)
    for kind, rows in (
        ("Phone_Device_Type", (("Mobile", "Mobile"), ("Landline", "Landline"))),
        ("Worker_Type", (("EE", "Employee"), ("CW", "Contingent Worker"))),
        ("Position_Time_Type", (("Full_time", "Full time"), ("Part_time", "Part time"))),
        ("Job_Requisition_Remote_Type", (("On_Site", "On-site"), ("Hybrid", "Hybrid"), ("Remote", "Remote"))),
        (
            "Job_Posting_Site",
            (
                ("External_Career_Site", f"{tenant.title()} Careers"),
                ("Internal_Career_Site", "Internal Career Site"),
                ("LinkedIn_Jobs", "LinkedIn Jobs"),
            ),
        ),
        ("Social_Network_Type", (("LinkedIn", "LinkedIn"),)),
        ("Prospect_Status", (("Not_Contacted", "Not Contacted"), ("Contacted", "Contacted"), ("Engaged", "Engaged"))),
        ("Prospect_Type", (("Passive", "Passive Candidate"), ("Active", "Active Candidate"))),
        (
            "Referral_Relationship",
            (("Former_Colleague", "Former Colleague"), ("Friend", "Friend"), ("Family_Member", "Family Member")),
        ),
        ("Mime_Type", ((MIME_PDF, "PDF"), (MIME_DOCX, "Word Document (DOCX)"))),
        ("Document_Category", (("Cover_Letter", "Cover Letter"),)),
    ):
        for value, label in rows:
            add(kind, value, label)
    for value, label in (("Regular", "Regular"), ("Fixed_Term", "Fixed Term"), ("Temporary", "Temporary")):
        add("Position_Worker_Type", value, label, (("Employee_Type_ID", value),))
    add("Position_Worker_Type", "Contractor", "Contractor", (("Contingent_Worker_Type_ID", "Contractor"),))
    for country in countries:
        add(
            "Country",
            country.alpha2,
            country.name,
            (
                ("ISO_3166-1_Alpha-2_Code", country.alpha2),
                ("ISO_3166-1_Alpha-3_Code", country.alpha3),
                ("ISO_3166-1_Numeric-3_Code", country.numeric),
            ),
        )
        add("Country_Phone_Code", country.phone_code_id, f"{country.name} (+{country.dial})")
        for city in country.cities:
            if city.region_id and city.region_code and city.region_name:
                add(
                    "Country_Region",
                    city.region_id,
                    city.region_name,
                    (("Country_Region_ID", city.region_id), ("ISO_3166-2_Code", city.region_code)),
                )
    return refs
