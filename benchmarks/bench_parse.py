"""Benchmark: building models from a 999-candidate Get_Candidates page, against lxml alone and against zeep.

Run from the repository root::

    .venv/bin/python benchmarks/bench_parse.py [--candidates 999] [--repeat 7] [--page faketenant|sample]
                                               [--no-descriptors] [--no-zeep]

Pages:

* ``faketenant`` (default): rendered by the FakeTenant (``workday_recruiting.testing``) exactly as it answers
  ``Get_Candidates`` with ``Exclude_All_Attachments`` and reference descriptors on (the client's defaults):
  names, contact data, status, applications with résumés, prospect and referral data, tags.
* ``sample``: the candidates of ``tests/data/get_candidates_v45.2.xml`` repeated under fresh IDs: no résumés,
  nearly every element is one the models read (the worst case for the ratio).

It prints the best-of-N times of:

* ``lxml``: ``etree.fromstring`` plus a full ``root.iter()`` walk (the floor any parser pays);
* ``models``: the hardened parse plus ``Candidate.from_xml`` for every ``wd:Candidate`` (what the client does);
* ``zeep``: zeep's deserialisation of the already-parsed ``Get_Candidates_Response`` with the bundled schema.

Each is run ``repeat`` times in a row and its result is released outside the timed region (freeing tens of
thousands of objects is not "building" them). The issue's targets: models within ~2x of lxml, and zeep at
least 20x slower than the models.
"""

from __future__ import annotations

import argparse
import copy
import gc
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from workday_recruiting._ns import WD, wd
from workday_recruiting._xml import parse_bytes
from workday_recruiting.models import Candidate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "get_candidates_v45.2.xml"
BUNDLED_WSDL = ROOT / "src" / "workday_recruiting" / "schema" / "Recruiting_v45.2.wsdl"

RESPONSE_DATA = wd("Response_Data")
CANDIDATE = wd("Candidate")


def faketenant_page(count: int, *, descriptors: bool) -> bytes:
    """A Get_Candidates_Response of ``count`` candidates as the FakeTenant renders them."""
    from workday_recruiting.testing import _render
    from workday_recruiting.testing._dataset import Dataset

    dataset = Dataset(candidates=count, seed=1, now=datetime(2024, 5, 1, tzinfo=timezone.utc))
    root = etree.Element(wd("Get_Candidates_Response"), nsmap={"wd": WD})
    root.set(wd("version"), "v45.2")
    results = etree.SubElement(root, wd("Response_Results"))
    for name, value in (("Total_Results", count), ("Total_Pages", 1), ("Page_Results", count), ("Page", 1)):
        etree.SubElement(results, wd(name)).text = str(value)
    data = etree.SubElement(root, RESPONSE_DATA)
    parts = frozenset({"personal", "applications", "other"})
    for index in range(count):
        _render.render_candidate(
            dataset.candidate_at(index),
            dataset,
            descriptors=descriptors,
            attachments=False,
            parts=parts,
            parent=data,
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def sample_page(count: int) -> bytes:
    """The sample's first two candidates repeated ``count`` times, each with its own IDs and WIDs."""
    root = etree.parse(str(SAMPLE)).getroot()
    data = root.find(RESPONSE_DATA)
    assert data is not None
    templates = [child for child in data if child.tag == CANDIDATE][:2]
    for child in list(data):
        data.remove(child)
    for n in range(count):
        candidate = copy.deepcopy(templates[n % len(templates)])
        for id_el in candidate.iter(wd("ID")):
            if id_el.get(wd("type")) == "WID":
                id_el.text = f"{n:08x}{(id_el.text or '')[8:]}"
            elif id_el.get(wd("type")) == "Candidate_ID":
                id_el.text = f"CAND-{100000 + n}"
        for candidate_id in candidate.iter(wd("Candidate_ID")):
            candidate_id.text = f"CAND-{100000 + n}"
        data.append(candidate)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` consecutive runs, in seconds (garbage collection paused while timing)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
        del result  # released outside the timed region
    return min(times)


def bare_lxml(data: bytes) -> etree._Element:
    """Parse and visit every element."""
    root = etree.fromstring(data)
    for _ in root.iter():
        pass
    return root


def models(data: bytes) -> list[Candidate]:
    """What the client does with a page: the hardened parse, then one Candidate per wd:Candidate."""
    root = parse_bytes(data)
    response_data = root.find(RESPONSE_DATA)
    if response_data is None:
        return []
    return [Candidate.from_xml(el) for el in response_data if el.tag == CANDIDATE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=999)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page", choices=("faketenant", "sample"), default="faketenant")
    parser.add_argument("--no-descriptors", action="store_true", help="FakeTenant page without wd:Descriptor")
    parser.add_argument("--no-zeep", action="store_true", help="skip the (slow) zeep comparison")
    args = parser.parse_args()

    if args.page == "faketenant":
        data = faketenant_page(args.candidates, descriptors=not args.no_descriptors)
    else:
        data = sample_page(args.candidates)
    built = models(data)
    assert len(built) == args.candidates, len(built)
    elements = sum(1 for _ in etree.fromstring(data).iter())
    print(f"page ({args.page}): {args.candidates} candidates, {len(data) / 1024:.0f} KiB, {elements} elements")

    t_lxml = best_of(args.repeat, lambda: bare_lxml(data))
    t_parse = best_of(args.repeat, lambda: parse_bytes(data))
    t_models = best_of(args.repeat, lambda: models(data))
    print(f"lxml parse + walk      : {t_lxml * 1000:8.1f} ms")
    print(f"  (hardened parse only : {t_parse * 1000:8.1f} ms)")
    print(f"models (parse included): {t_models * 1000:8.1f} ms   models/lxml = {t_models / t_lxml:.2f}x")

    if args.no_zeep:
        return
    import zeep
    from zeep.transports import Transport

    client = zeep.Client(str(BUNDLED_WSDL), transport=Transport())
    element = client.get_element("ns0:Get_Candidates_Response")
    tree = etree.fromstring(data)
    t_zeep = best_of(max(1, args.repeat // 3), lambda: element.parse(tree, client.wsdl.types))
    print(
        f"zeep deserialisation   : {t_zeep * 1000:8.1f} ms   zeep/lxml = {t_zeep / t_lxml:.1f}x, "
        f"zeep/models = {t_zeep / t_models:.1f}x"
    )


if __name__ == "__main__":
    main()
