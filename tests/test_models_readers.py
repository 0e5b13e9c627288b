"""The model readers: comments and processing instructions change nothing, wherever they sit; prospect data is read;
equal references are shared within one parse and never beyond it."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from workday_recruiting._ns import wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.models import (
    Candidate,
    Interview,
    JobPosting,
    JobRequisition,
    Reference,
    WebConference,
)
from workday_recruiting.models.candidates import CandidatePoolMembership, Prospect, read_candidates

DATA = Path(__file__).parent / "data"
SHARED_CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "workday" / "captures"

#: How each response's items become models (every reader the client uses on a page).
_READERS: dict[str, Callable[[etree._Element], list[Any]]] = {
    "Candidate": lambda data: read_candidates(c for c in data if c.tag == wd("Candidate")),
    "Job_Requisition": lambda data: [JobRequisition.from_xml(c) for c in data if c.tag == wd("Job_Requisition")],
    "Job_Posting": lambda data: [JobPosting.from_xml(c) for c in data if c.tag == wd("Job_Posting")],
    "Interview": lambda data: [Interview.from_xml(c) for c in data if c.tag == wd("Interview")],
    "Web_Conference_Interview": lambda data: [WebConference.from_xml(data)],
}


def _documents() -> list[Path]:
    paths = sorted(DATA.glob("*.xml"))
    if SHARED_CAPTURES.is_dir():
        paths += sorted(SHARED_CAPTURES.glob("*.xml"))
    return paths


def _models(root: etree._Element) -> list[Any]:
    """Every model of the document, in document order."""
    data = root.find(wd("Response_Data"))
    if data is None:
        return []
    found: list[Any] = []
    for kind in dict.fromkeys(child.tag for child in data if isinstance(child.tag, str)):
        found.extend(_READERS[etree.QName(kind).localname](data))
    return found


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _junk(kind: str, n: int) -> etree._Element:
    if kind == "comment":
        return etree.Comment(f" note {n} <wd:ID wd:type='WID'>not-an-id</wd:ID> ")
    return etree.ProcessingInstruction("workday-trace", f"step={n}")


def _between_children(root: etree._Element, kind: str) -> None:
    """A comment (or PI) before every child of every element and after its last one: inside references, between
    IDs, first in a section, last in a section."""
    for n, el in enumerate(_elements(root)):
        for index in reversed(range(len(el) + 1)):
            el.insert(index, _junk(kind, n))


def _inside_text(root: etree._Element, kind: str) -> None:
    """Every text split in two by a comment (or PI): ``CAND-1187`` becomes ``CAND-<!-- -->1187``."""
    for n, el in enumerate(_elements(root)):
        text = el.text
        if text and text.strip():
            middle = len(text) // 2
            junk = _junk(kind, n)
            el.text, junk.tail = text[:middle], text[middle:]
            el.insert(0, junk)


def _everywhere(root: etree._Element) -> None:
    for kind in ("comment", "pi"):
        _inside_text(root, kind)
        _between_children(root, kind)


_MUTATIONS: dict[str, Callable[[etree._Element], None]] = {
    "comments between children": lambda root: _between_children(root, "comment"),
    "PIs between children": lambda root: _between_children(root, "pi"),
    "comments inside text": lambda root: _inside_text(root, "comment"),
    "PIs inside text": lambda root: _inside_text(root, "pi"),
    "comments and PIs everywhere": _everywhere,
}


def _reparsed(root: etree._Element) -> etree._Element:
    """The mutated tree serialized and read back with the SDK's parser, as a response would be."""
    return parse_bytes(etree.tostring(root))


@pytest.mark.parametrize("mutation", list(_MUTATIONS))
@pytest.mark.parametrize("path", _documents(), ids=lambda path: path.name)
def test_comments_and_processing_instructions_change_no_model(path: Path, mutation: str) -> None:
    """Real captures and the test documents read the same with comments or PIs inserted anywhere."""
    clean = parse_bytes(path.read_bytes())
    expected = _models(clean)
    noisy = copy.deepcopy(clean)
    _MUTATIONS[mutation](noisy)
    got = _models(_reparsed(noisy))
    assert got == expected
    assert [model.to_dict() for model in got] == [model.to_dict() for model in expected]


def _positions(root: etree._Element) -> Iterator[tuple[etree._Element, int]]:
    for el in _elements(root):
        for index in range(len(el) + 1):
            yield el, index


_CANDIDATES = parse_bytes((DATA / "get_candidates_v45.2.xml").read_bytes())
_CANDIDATE_POSITIONS = len(list(_positions(_CANDIDATES)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(
        st.tuples(st.integers(0, _CANDIDATE_POSITIONS - 1), st.sampled_from(["comment", "pi"]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_any_mix_of_comments_and_pis_leaves_candidates_unchanged(picks: list[tuple[int, str, bool]]) -> None:
    """Comments and PIs at any chosen places, as siblings or splitting the text there, read as the clean page."""
    expected = _models(_CANDIDATES)
    noisy = copy.deepcopy(_CANDIDATES)
    positions = list(_positions(noisy))
    for number, (at, kind, split_text) in enumerate(picks):
        el, index = positions[at]
        junk = _junk(kind, number)
        if split_text and el.text and len(el) == 0:
            middle = len(el.text) // 2
            el.text, junk.tail = el.text[:middle], el.text[middle:]
            el.insert(0, junk)
        else:
            el.insert(min(index, len(el)), junk)
    assert _models(_reparsed(noisy)) == expected


def test_a_comment_inside_a_reference_keeps_its_ids() -> None:
    """Workday's own samples put comments inside references: the stage, requisition and phone code keep their IDs,
    so the client-side stage and requisition filters and the phone's country code still work."""
    xml = b"""<wd:Candidate xmlns:wd="urn:com.workday/bsvc">
      <wd:Candidate_Reference>
        <!-- the candidate --><wd:ID wd:type="Candidate_ID">CAND-1</wd:ID>
      </wd:Candidate_Reference>
      <wd:Candidate_Data>
        <wd:Contact_Data>
          <wd:Country_Phone_Code_Reference>
            <!-- optional --><wd:ID wd:type="Country_Phone_Code_ID">GBR_44</wd:ID>
          </wd:Country_Phone_Code_Reference>
          <wd:Phone_Number>20 7946 0958</wd:Phone_Number>
        </wd:Contact_Data>
        <wd:Job_Application_Data>
          <wd:Job_Applied_To_Data>
            <wd:Job_Requisition_Reference>
              <wd:ID wd:type="WID">8f26e6993e724011ae7cf2251627fa26</wd:ID>
              <!-- Optional: --><?trace here?>
              <wd:ID wd:type="Job_Requisition_ID">R-00<!-- split -->008</wd:ID>
            </wd:Job_Requisition_Reference>
            <wd:Stage_Reference>
              <!-- Optional: --><wd:ID wd:type="Recruiting_Stage_ID">REVIEW</wd:ID>
            </wd:Stage_Reference>
          </wd:Job_Applied_To_Data>
        </wd:Job_Application_Data>
      </wd:Candidate_Data>
    </wd:Candidate>"""
    candidate = Candidate.from_xml(parse_bytes(xml))
    assert candidate.candidate_id == "CAND-1"
    (application,) = candidate.applications
    assert application.stage.id == "REVIEW"
    assert application.requisition.get("Job_Requisition_ID") == "R-00008"
    assert application.requisition.wid == "8f26e6993e724011ae7cf2251627fa26"
    assert candidate.phones[0].country_code == "44"
    assert candidate.primary_phone == "+44 20 7946 0958"


# -- prospect data -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prospects() -> list[Candidate]:
    data = parse_bytes((DATA / "get_candidates_prospects_v45.2.xml").read_bytes()).find(wd("Response_Data"))
    assert data is not None
    return read_candidates(data)


def test_the_prospect_fixture_is_valid_v45_2(full_xsd: etree.XMLSchema) -> None:
    """The prospect document is a schema-valid Get_Candidates response."""
    assert full_xsd.validate(etree.parse(str(DATA / "get_candidates_prospects_v45.2.xml"))), full_xsd.error_log


def test_a_referred_prospect_is_modelled(prospects: list[Candidate]) -> None:
    """Status, type, level, referral jobs and areas, relationship, comment, consent and confidentiality are fields."""
    prospect = prospects[0].prospect_data
    assert isinstance(prospect, Prospect)
    assert prospect.prospect is True
    assert prospect.status is not None
    assert (prospect.status.get("Prospect_Status_ID"), prospect.status.descriptor) == ("CONTACTED", "Contacted")
    assert prospect.type is not None and prospect.type.id == "PASSIVE"
    assert prospect.level is not None and prospect.level.id == "INDIVIDUAL_CONTRIBUTOR"
    assert [job.id for job in prospect.referral_jobs] == ["R-00112", "R-00118"]
    assert [area.id for area in prospect.referral_job_areas] == ["ENGINEERING"]
    assert prospect.referral_relationship is not None
    assert prospect.referral_relationship.descriptor == "Former Colleague"
    assert prospect.referral_comment == "Worked with Priya for three years; strong on streaming pipelines."
    assert (prospect.confidential, prospect.referral_consent_given) == (True, True)
    assert prospect.referred_by is not None and prospect.referred_by.get("Employee_ID") == "21007"
    assert prospect.added_by is not None and prospect.added_by.wid == "5a1f0c9e2b7d4e11a3c6f00000000201"
    assert prospect.source is not None and prospect.source.id == "EMPLOYEE_REFERRAL"


def test_the_candidate_keeps_its_prospect_summary_fields(prospects: list[Candidate]) -> None:
    """prospect, source and referred_by on the candidate still come from the prospect data."""
    candidate = prospects[0]
    assert candidate.prospect is True
    assert candidate.source == candidate.prospect_data.source if candidate.prospect_data else False
    assert candidate.referred_by is not None and candidate.referred_by.descriptor == "Jordan Ellis"


def test_language_and_candidate_pools_are_modelled(prospects: list[Candidate]) -> None:
    """The preferred language and the static pools (with readiness) are fields of the candidate."""
    candidate = prospects[0]
    assert candidate.language is not None and candidate.language.get("User_Language_ID") == "en_US"
    assert candidate.pools == (
        CandidatePoolMembership(
            pool=Reference.of("Candidate_Pool_ID", "DATA_TALENT_2026", descriptor="Data Talent 2026"),
            readiness=Reference.of("Readiness_Status_ID", "READY_NOW", descriptor="Ready Now"),
        ),
        CandidatePoolMembership(
            pool=Reference.of("Candidate_Pool_ID", "SILVER_MEDALISTS", descriptor="Silver Medalists")
        ),
    )


def test_a_plain_prospect_reads_0_1_flags(prospects: list[Candidate]) -> None:
    """A prospect with nothing but its flags: unset references are None, unset lists empty."""
    candidate = prospects[1]
    assert candidate.prospect is True
    assert candidate.prospect_data == Prospect(prospect=True, confidential=False)
    assert (candidate.language, candidate.pools) == (None, ())


def test_a_candidate_without_prospect_data_has_none(prospects: list[Candidate]) -> None:
    """No Prospect_Data: no prospect value and not a prospect."""
    (element,) = [
        c
        for c in parse_bytes((DATA / "get_candidates_v45.2.xml").read_bytes()).iter(wd("Candidate"))
        if c.findtext(f"{wd('Candidate_Reference')}/{wd('ID')}") == "CAND-2003"
    ]
    candidate = Candidate.from_xml(element)
    assert (candidate.prospect, candidate.prospect_data) == (False, None)


def test_prospect_data_is_in_to_dict(prospects: list[Candidate]) -> None:
    """The new fields are part of the complete JSON form."""
    data = prospects[0].to_dict()
    assert data["prospect_data"]["status"]["ids"] == {"Prospect_Status_ID": "CONTACTED"}
    assert data["language"]["ids"] == {"User_Language_ID": "en_US"}
    assert [pool["pool"]["ids"]["Candidate_Pool_ID"] for pool in data["pools"]] == [
        "DATA_TALENT_2026",
        "SILVER_MEDALISTS",
    ]


# -- shared references --------------------------------------------------------------------------------------------


def test_equal_references_are_one_object_within_a_parse() -> None:
    """One read of a page shares its repeated references (the same stage, source, requisition)."""
    data = _CANDIDATES.find(wd("Response_Data"))
    assert data is not None
    candidates = read_candidates(list(data) * 3)
    firsts = [c.reference for c in candidates[:3]]
    assert all(c.reference is firsts[i % 3] for i, c in enumerate(candidates) if c.reference.wid is not None)


def test_no_reference_is_shared_between_parses() -> None:
    """Two parses (two clients, two tenants, two threads) never hand each other objects: nothing is process-wide."""
    data = _CANDIDATES.find(wd("Response_Data"))
    assert data is not None
    results: list[list[Candidate]] = []
    threads = [threading.Thread(target=lambda: results.append(read_candidates(data))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    one, two = results
    assert one == two
    assert all(a.reference is not b.reference for a, b in zip(one, two, strict=True))


def test_page_counters_ignore_comments_and_processing_instructions() -> None:
    """``Response_Results`` counters and the echoed ``Page`` read whole numbers around comments and PIs."""
    from workday_recruiting._paging import read_page

    body = etree.fromstring(
        '<wd:Get_Candidates_Response xmlns:wd="urn:com.workday/bsvc"><wd:Response_Results>'
        "<wd:Total_Results>1<!-- x -->20</wd:Total_Results><wd:Total_Pages>1<?pi?>2</wd:Total_Pages>"
        "<wd:Page_Results>10</wd:Page_Results><wd:Page><!-- first -->3</wd:Page>"
        "</wd:Response_Results></wd:Get_Candidates_Response>"
    )
    page = read_page(body, [])
    assert (page.total_results, page.total_pages, page.page_results, page.page) == (120, 12, 10, 3)
