"""The public surface: a curated, sorted __all__ that matches what the package exposes."""

from __future__ import annotations

import importlib.metadata

import workday_recruiting
import workday_recruiting.testing


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted, every name in it exists, and every public attribute is in it."""
    names = workday_recruiting.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(workday_recruiting, name), name
    public = {n for n in vars(workday_recruiting) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(workday_recruiting, n)).__name__ == "module"}
    assert public - modules - {"annotations", "logging"} == set(names) - {"__version__"}


def test_testing_exports_exist() -> None:
    """Everything workday_recruiting.testing promises is importable."""
    for name in workday_recruiting.testing.__all__:
        assert hasattr(workday_recruiting.testing, name), name


def test_version_matches_metadata() -> None:
    """__version__ is the installed distribution's version."""
    assert workday_recruiting.__version__ == importlib.metadata.version("workday-recruiting")
