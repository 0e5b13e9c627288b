"""Developer tasks: ``nox -s tests lint typecheck docs build bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (network blocked except loopback; cassettes replay only)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "tools", "benchmarks", "docs/_griffe", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "tools", "benchmarks", "docs/_griffe", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", session.create_tmp() + "/site")


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and wheel, and check the wheel ships the bundled schema and py.typed."""
    session.install("build")
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run(
        "python",
        "-c",
        "import glob, zipfile; names = zipfile.ZipFile(sorted(glob.glob('dist/*.whl'))[-1]).namelist(); "
        "assert 'workday_recruiting/py.typed' in names; "
        "assert any(n.endswith('Recruiting_v45.2.wsdl') for n in names); print('wheel ok')",
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks against FakeTenant and print ratios (see docs/performance.md)."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/run.py", *session.posargs)
