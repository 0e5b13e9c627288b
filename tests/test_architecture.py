"""The shape of the package: no import cycle anywhere in ``src/``, and no file that has grown into a grab-bag.

The import graph is read from the source (``ast``), not by importing: every ``import`` and ``from ... import``
of a ``workday_recruiting`` module counts, at module level or inside a function, except those under
``if TYPE_CHECKING:`` (they never run). ``from .models import Reference`` is an edge to ``models`` (its
``__init__``); ``from . import _paging`` is an edge to ``_paging``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "workday_recruiting"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE
#: About 800 lines: a file longer than this holds more than one thing.
MAX_LINES = 800
#: The bundled Workday schema is Workday's, not ours.
EXEMPT = {ROOT / "schema"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: anywhere in the tree but the body of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        yield from _imports(node)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The package modules an import statement loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    submodules = {f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in known}
    # ``from . import _schema`` loads the submodule only (its package is already loaded: it is the importer's
    # parent); any other name is read from the package's ``__init__``.
    names_from_package = len(submodules) < len(node.names)
    return submodules | ({source} if names_from_package and source in known else set())


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (TYPE_CHECKING-only imports left out)."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in _imports(tree):
            edges |= _targets(node, name, is_package, known)
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as one concrete cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_one_cycle(graph, component) for component in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module (breadth-first), closed: ``[a, b, ..., a]``."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & component):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a component always has one


def _short(name: str) -> str:
    return name.removeprefix(f"{PACKAGE}.") if name != PACKAGE else PACKAGE


def _describe(found: list[list[str]], graph: dict[str, set[str]] | None = None) -> str:
    """One line per cycle (``a -> b -> a``), with the other modules caught in the same knot, if any."""
    lines = [f"{len(found)} import cycle(s) in src/{PACKAGE} (break each at one arrow):"]
    for cycle in found:
        lines.append("  " + " -> ".join(_short(name) for name in cycle))
        if graph is not None:
            knot = _component_of(graph, cycle[0]) - set(cycle)
            if knot:
                lines.append("    also in this knot: " + ", ".join(sorted(_short(name) for name in knot)))
    return "\n".join(lines)


def _component_of(graph: dict[str, set[str]], start: str) -> set[str]:
    def reachable(edges: dict[str, set[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for target in edges.get(todo.pop(), set()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    reverse: dict[str, set[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    return reachable(graph) & reachable(reverse)


def test_the_package_has_no_import_cycle() -> None:
    """No module imports, directly or through others, a module that imports it (TYPE_CHECKING imports aside)."""
    graph = import_graph()
    found = cycles(graph)
    assert not found, _describe(found, graph)


def test_the_cycle_finder_finds_and_names_a_cycle() -> None:
    """The check above can fail: a three-module cycle is found and shown as one closed path."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert "a -> b -> c -> a" in _describe(cycles(graph))
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_level_imports_but_not_type_checking_ones() -> None:
    """A function-level import is an edge; one under ``if TYPE_CHECKING:`` is not (read from real source text)."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ._client import RecruitingClient\n"
        "def f():\n    from ._paging import Pager\n"
    )
    names = {node.module for node in _imports(tree) if isinstance(node, ast.ImportFrom)}
    assert names == {"typing", "_paging"}


def test_importing_a_submodule_from_its_package_is_an_edge_to_the_submodule_only() -> None:
    """``from . import _schema`` in ``_soap`` loads ``_schema``, not the package's ``__init__`` (already loading)."""
    known = {PACKAGE, f"{PACKAGE}._schema", f"{PACKAGE}._soap"}
    (submodule,) = _imports(ast.parse("from . import _schema"))
    (name,) = _imports(ast.parse("from . import RecruitingClient"))
    assert isinstance(submodule, ast.ImportFrom) and isinstance(name, ast.ImportFrom)
    assert _targets(submodule, f"{PACKAGE}._soap", False, known) == {f"{PACKAGE}._schema"}
    assert _targets(name, f"{PACKAGE}._soap", False, known) == {PACKAGE}


def test_the_graph_knows_the_client_and_its_services() -> None:
    """The walk really covers the package: the client imports the services, and they import the builder."""
    graph = import_graph()
    assert f"{PACKAGE}.services" in graph[f"{PACKAGE}._client"]
    assert f"{PACKAGE}._requests" in graph[f"{PACKAGE}.services.candidates"]


def _source_files() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*"))
        if path.is_file()
        and path.suffix not in {".pyc", ".typed"}
        and "__pycache__" not in path.parts
        and not any(exempt in path.parents for exempt in EXEMPT)
    ]


@pytest.mark.parametrize("path", _source_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_file_is_a_grab_bag(path: Path) -> None:
    """No file in the package (the bundled Workday schema aside) is over about 800 lines."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT.parent)} has {lines} lines (limit {MAX_LINES}): split it"


def _runtime_imports_of(path: Path) -> set[str]:
    """The top-level names of the modules ``path`` imports at run time (``if TYPE_CHECKING:`` left out)."""
    names: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_wire_talks_http() -> None:
    """One seam to the wire: no module but ``_http`` imports requests or urllib3 (the fake tenant's server and the
    cassettes, which patch urllib3 for vcrpy, are test tooling, not the client)."""
    tooling = {ROOT / "testing"}
    talking = sorted(
        str(path.relative_to(ROOT))
        for path in _source_files()
        if path.name != "_http.py"
        and not any(part in path.parents for part in tooling)
        and _runtime_imports_of(path) & {"requests", "urllib3"}
    )
    assert talking == [], f"modules importing requests/urllib3 outside _http.py: {talking}"
