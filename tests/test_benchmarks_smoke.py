"""The benchmark script runs end to end at reduced sizes. It judges its own targets; this test does not (machines
are noisy), it only checks that every section ran and reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SECTIONS = (
    "== 1. Parsing",
    "== 2. Full read",
    "== 3. Latency-bound work",
    "== 4. Many tenants",
    "== 5. Memory",
    "== 6. Interview feed",
    "== 8. Load into DuckDB",
    "== Summary ==",
)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_quick_benchmark_run_completes_and_reports_every_section(tmp_path: Path) -> None:
    """`benchmarks/run.py --quick` exits 0 and prints every section (the fleet, 7, runs on request), each with a
    verdict, and the summary."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=580,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for heading in SECTIONS:
        assert heading in done.stdout, heading
    verdicts = [text for text in done.stdout.splitlines() if text.rstrip().endswith(("PASS", "FAIL"))]
    assert {text.split()[0] for text in verdicts if text.split()[0].isdigit()} == {"1", "2", "3", "4", "5", "6", "8"}
    assert (tmp_path / "out.json").is_file()
