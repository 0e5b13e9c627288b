"""Notebook conveniences: HTML rendering (escaped), Records, to_pandas, progress bars, and the example notebook."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from workday_recruiting import (
    Candidate,
    PersonName,
    ProgressBar,
    Records,
    RecruitingClient,
    Reference,
)
from workday_recruiting.testing import FakeTenant

Factory = Callable[..., FakeTenant]
NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "quickstart.ipynb"
HOSTILE = '<script>alert("x")</script>&'


@pytest.fixture
def tenant(fake_tenant_factory: Factory) -> FakeTenant:
    """A tenant of 30 candidates."""
    return fake_tenant_factory(candidates=30)


@pytest.fixture
def client(tenant: FakeTenant) -> Any:
    """A client of the tenant's default ISU."""
    with RecruitingClient(wsdl_url=tenant.wsdl_url, username=tenant.username, password=tenant.password) as c:
        yield c


def hostile_candidate() -> Candidate:
    """A candidate whose every text field holds markup."""
    return Candidate(
        reference=Reference.of("Candidate_ID", HOSTILE, descriptor=HOSTILE),
        candidate_id=HOSTILE,
        legal_name=PersonName(first=HOSTILE, last="Doe"),
    )


# -- HTML ----------------------------------------------------------------------------------------------------------


def test_model_html_is_a_two_column_table(client: Any) -> None:
    """A model renders as a table of field/value rows holding its main fields."""
    candidate = client.candidates.get("CAND-1002")
    page = candidate._repr_html_()
    assert page.startswith("<table>") and "<caption" in page and ">Candidate</caption>" in page
    assert "<th" in page and "candidate_id" in page and "CAND-1002" in page and candidate.name in page
    assert page.count("<tr>") == page.count("</th>")  # one header cell per row: two columns


def test_model_html_escapes_markup() -> None:
    """Every value is HTML-escaped: markup in the data cannot inject into the notebook."""
    page = hostile_candidate()._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page


def test_records_html_escapes_and_limits_rows() -> None:
    """A Records table escapes values, shows at most 50 rows and says how many more there are."""
    records = Records([hostile_candidate()] * 60)
    page = records._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count("<tr>") == 51 and "… and 10 more" in page


def test_pager_html_describes_without_fetching(tenant: FakeTenant, client: Any) -> None:
    """Rendering a pager sends no request and leaves it iterable (a pager is single use)."""
    pager = client.candidates.list(page_size=7)
    tenant.requests.clear()
    page = pager._repr_html_()
    assert "Get_Candidates" in page and "not started" in page and "7" in page
    assert len(tenant.requests) == 0
    assert len(list(pager)) == 30
    assert "started (already iterated)" in pager._repr_html_() and "30" in pager._repr_html_()


# -- Records and pandas ----------------------------------------------------------------------------------------------


def test_collect_and_for_application_return_records(client: Any) -> None:
    """Pager.collect() and interviews.for_application() return Records, a list with the notebook helpers."""
    candidates = client.candidates.list().collect()
    assert isinstance(candidates, Records) and isinstance(candidates, list) and len(candidates) == 30
    application = next(a for c in candidates for a in c.applications)
    interviews = client.interviews.for_application(application)
    assert isinstance(interviews, Records)


def test_collect_reports_progress(client: Any) -> None:
    """collect(progress=...) reports items so far against the total, ending at the total."""
    calls: list[tuple[int, int | None]] = []
    records = client.candidates.list(page_size=10).collect(progress=lambda done, total: calls.append((done, total)))
    assert len(records) == 30 and calls[-1] == (30, 30)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_to_pandas_gives_the_columns_a_person_reads(client: Any) -> None:
    """to_pandas() gives one row per record in the record's columns: names and IDs, not nested references."""
    pytest.importorskip("pandas")
    frame = client.candidates.list().to_pandas()
    assert len(frame) == 30 and len(frame.columns) <= 25
    assert {"candidate_id", "name", "primary_email", "primary_phone", "source", "application_ids"} <= set(frame.columns)
    assert not any("." in column for column in frame.columns)
    assert frame.loc[0, "candidate_id"] == "CAND-1001"
    requisitions = client.requisitions.list().collect().to_pandas()
    assert list(requisitions["requisition_id"])[:2] == ["R-00001", "R-00002"]
    assert all(isinstance(text, str) for text in requisitions["recruiters"])  # several names joined with "; "


def test_scheduled_interviews_to_pandas_is_about_fifteen_readable_columns(client: Any) -> None:
    """Ten scheduled interviews give about 15 columns (106 before), no cell a screen long (3,213 characters before)."""
    pytest.importorskip("pandas")
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    sessions = Records(list(client.interviews.upcoming(start=start, days=3650))[:10])
    frame = sessions.to_pandas()
    assert len(frame) == 10 and 12 <= len(frame.columns) <= 16
    for column in ("start", "candidate_id", "candidate_name", "requisition", "interviewers", "meeting_url"):
        assert column in frame.columns
    assert max(len(str(value)) for value in frame.to_numpy().ravel()) <= 500
    assert len(sessions.to_pandas(columns="all").columns) > 50  # everything, on request


def test_to_pandas_all_flattens_every_field(client: Any) -> None:
    """to_pandas(columns="all"): nested models become dotted columns, references id/descriptor/wid."""
    pytest.importorskip("pandas")
    frame = client.candidates.list().to_pandas(columns="all")
    assert len(frame) == 30
    for column in ("candidate_id", "name", "primary_email", "legal_name.first", "reference", "reference.wid"):
        assert column in frame.columns
    assert frame.loc[0, "candidate_id"] == "CAND-1001"
    assert frame.loc[0, "reference"] == "CAND-1001"
    requisitions = client.requisitions.list().collect().to_pandas(columns="all")
    assert list(requisitions["requisition_id"])[:2] == ["R-00001", "R-00002"]
    assert isinstance(requisitions.loc[0, "recruiters"], list)
    with pytest.raises(ValueError, match="'main' or 'all'"):
        Records([hostile_candidate()]).to_pandas(columns="everything")  # type: ignore[arg-type]


def test_to_pandas_without_pandas_names_the_extra(
    client: Any, tenant: FakeTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, to_pandas() raises an ImportError naming the extra, before fetching anything."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    pager = client.candidates.list()
    tenant.requests.clear()
    with pytest.raises(ImportError, match=r"workday-recruiting\[pandas\]"):
        pager.to_pandas()
    assert len(tenant.requests) == 0
    with pytest.raises(ImportError, match="pandas"):
        Records([hostile_candidate()]).to_pandas()


# -- progress --------------------------------------------------------------------------------------------------------


def test_progress_bar_draws_with_tqdm() -> None:
    """ProgressBar draws a tqdm bar of done/total on its stream."""
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    with ProgressBar("Scanning", unit="candidates", file=stream) as bar:
        bar(0, None)
        bar(5, 10)
        bar(10, 10)
    assert "Scanning" in stream.getvalue() and "10/10" in stream.getvalue()


def test_progress_bar_disabled_or_without_tqdm_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    """A disabled bar writes nothing, and without tqdm installed the bar quietly does nothing."""
    quiet = io.StringIO()
    with ProgressBar("x", enabled=False, file=quiet) as bar:
        bar(1, 2)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    missing = io.StringIO()
    with ProgressBar("x", file=missing) as bar:
        bar(1, 2)
        bar(2, 2)
    assert quiet.getvalue() == "" and missing.getvalue() == "" and bar.done == 2 and not bar.enabled


def test_upcoming_reports_what_it_reads_out_of_workdays_total(client: Any) -> None:
    """interviews.upcoming(progress=...) reports what it reads out of Workday's total: the candidates scanned by a
    scan, the events listed by the listing."""
    calls: list[tuple[int, int | None]] = []
    list(
        client.interviews.upcoming(
            days=7, strategy="scan_all", progress=lambda done, total: calls.append((done, total))
        )
    )
    assert calls[-1] == (30, 30) and {total for _, total in calls} == {30}
    calls.clear()
    listed = client.interviews.list().collect()
    list(
        client.interviews.upcoming(days=7, strategy="listing", progress=lambda done, total: calls.append((done, total)))
    )
    assert calls[-1] == (len(listed), len(listed)) and {total for _, total in calls} == {len(listed)}


# -- the example notebook --------------------------------------------------------------------------------------------


def outputs_of(cell: Any) -> tuple[str, str]:
    """(HTML, plain text) of a code cell's outputs, concatenated."""
    page, text = [], []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        page.append(data.get("text/html", ""))
        text.append(data.get("text/plain", "") + output.get("text", ""))
    return "".join(page), "".join(text)


@pytest.mark.slow
def test_example_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/notebooks/quickstart.ipynb runs top to bottom in a python3 kernel and shows its tables."""
    pytest.importorskip("ipykernel", reason="ipykernel is needed to run the example notebook (the test extra)")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # no migration warning from jupyter_core
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=240, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(output.get("output_type") != "error" for cell in cells for output in cell.get("outputs", []))
    by_source = {cell.source.splitlines()[0]: outputs_of(cell) for cell in cells}
    candidates_html, _ = by_source["candidates = client.candidates.list(max_results=8).collect()"]
    assert (
        "8 Candidate records" in candidates_html
        and "CAND-1001" in candidates_html
        and "CAND-1009" not in candidates_html
    )
    one_html, _ = by_source["candidates[0]"]
    assert ">Candidate</caption>" in one_html and "primary_email" in one_html
    _, one_repr = by_source["print(repr(candidates[0]))"]
    assert one_repr.startswith("Candidate(candidate_id='CAND-1001'") and one_repr.count("\n") == 1
    pager_html, _ = by_source["requisitions = client.requisitions.list(page_size=50)"]
    assert "Get_Job_Requisitions" in pager_html and "not started" in pager_html
    upcoming_html, _ = by_source['with ProgressBar("Scanning candidates", unit="candidates") as bar:']
    assert "ScheduledInterview records" in upcoming_html and "meeting_url" in upcoming_html
    frame_html, _ = by_source["frame = client.candidates.list().to_pandas()"]
    assert "<table" in frame_html and "primary_email" in frame_html and "CAND-1001" in frame_html
    _, widths = by_source['everything = client.candidates.list(max_results=20).to_pandas(columns="all")']
    main_width, all_width = (int(n) for n in widths.strip("()\n").split(","))
    assert main_width < all_width
    check_html, _ = by_source["client.check_setup()"]
    assert "all checks passed" in check_html
