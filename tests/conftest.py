"""Shared fixtures: where the repository and Workday's reference material (../shared/workday) are."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

# A throwaway PostgreSQL server for the feed-store and fleet tests (see tests/_postgres.py).
from _postgres import postgres_cluster, postgres_dsn, postgres_schema, private_postgres_cluster  # noqa: F401
from workday_recruiting._xml import SAFE_PARSER

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Workday's reference WSDL/XSD, next to the project (absent in a plain checkout; tests needing it skip).
SHARED_WORKDAY = REPO_ROOT.parent / "shared" / "workday"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding pyproject.toml)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_workday_dir() -> Path:
    """../shared/workday (Workday's full v45.2 WSDL and XSD, captures); skips the test when absent."""
    if not (SHARED_WORKDAY / "Recruiting_v45.2.xsd").is_file():
        pytest.skip(f"reference material not found at {SHARED_WORKDAY}")
    return SHARED_WORKDAY


@pytest.fixture(scope="session")
def full_xsd(shared_workday_dir: Path) -> etree.XMLSchema:
    """Workday's full Recruiting v45.2 schema, compiled once per session; skips when absent."""
    return etree.XMLSchema(etree.parse(str(shared_workday_dir / "Recruiting_v45.2.xsd"), SAFE_PARSER))
