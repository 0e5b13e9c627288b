"""The documentation's examples run: each ```python block marked ``<!-- run -->`` in docs/ and README.md.

The blocks of one page run in order in one namespace, as a reader following the page would run them. The namespace
starts with ``fake`` (a running FakeTenant of 100 candidates) and ``client`` (a RecruitingClient logged in to it,
retrying without waiting); a page may define its own. Blocks without the marker (real-tenant examples, endless
loops, shell commands) are not run. The current directory is a fresh temporary one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workday_recruiting import RecruitingClient, RetryPolicy
from workday_recruiting.testing import FakeTenant

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- run -->"
_BLOCK = re.compile(r"<!-- run -->[ \t]*\n```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def _pages() -> list[Path]:
    docs = sorted((ROOT / "docs").rglob("*.md")) if (ROOT / "docs").is_dir() else []
    readme = ROOT / "README.md"
    return [page for page in [readme, *docs] if page.is_file()]


def _blocks(text: str) -> list[tuple[int, str]]:
    """``(line number of the first code line, code)`` for every marked block, in page order."""
    return [(text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in _BLOCK.finditer(text)]


RUNNABLE = [page for page in _pages() if _blocks(page.read_text(encoding="utf-8"))]


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def test_the_docs_have_runnable_examples() -> None:
    """The quickstart is among the pages whose examples are run (so this module checks something)."""
    assert "docs/quickstart.md" in [_name(page) for page in RUNNABLE]


@pytest.mark.parametrize("page", _pages(), ids=_name)
def test_every_run_marker_precedes_a_python_block(page: Path) -> None:
    """A ``<!-- run -->`` marker is directly followed by a ```python block (a typo would silently skip it)."""
    text = page.read_text(encoding="utf-8")
    assert text.count(MARKER) == len(_blocks(text))


@pytest.mark.parametrize("page", RUNNABLE, ids=_name)
def test_page_examples_run(
    page: Path,
    fake_tenant_factory: Callable[..., FakeTenant],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every marked example of the page runs without error against a FakeTenant."""
    monkeypatch.chdir(tmp_path)
    fake = fake_tenant_factory(candidates=100)
    client = RecruitingClient(
        wsdl_url=fake.wsdl_url,
        username=fake.username,
        password=fake.password,
        retry=RetryPolicy(initial_backoff=0, jitter=0, max_retry_after=0),
    )
    namespace: dict[str, Any] = {"__name__": "docs_example", "fake": fake, "client": client}
    try:
        for line, code in _blocks(page.read_text(encoding="utf-8")):
            # Pad so that a traceback points at the line in the Markdown file.
            compiled = compile("\n" * (line - 1) + code, str(page), "exec")
            exec(compiled, namespace)  # noqa: S102 - the project's own documentation
    finally:
        for value in [*namespace.values(), client]:
            if isinstance(value, (RecruitingClient, FakeTenant)):
                value.close()
