"""A griffe extension for the docs build: render the Sphinx roles found in the docstrings as links.

The docstrings use Google sections (which mkdocstrings reads) but also Sphinx cross-reference roles such as
``:class:`Pager``` and reST literal-block markers (``text::``). mkdocstrings renders Markdown, where those show up
verbatim. This extension rewrites them, in memory and only for the docs site: a role becomes an optional autorefs
cross-reference to the object it names (resolved in the docstring's own scope, as Sphinx would), shown as code; it
links where that object is documented and stays plain code where it is not (a private helper). ``text::`` becomes
``text:``.

Doctest examples are shown as Python code, never as Markdown's nested blockquotes (``>>>`` is three ``>``):
an ``Example:`` section is read as griffe's ``Examples:`` section (which renders each ``>>>`` run as ``pycon`` code),
and a ``>>>`` run standing in the text outside any section is fenced as ``pycon``. It changes no source file and
needs no network.
"""

from __future__ import annotations

import html
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const):`(~?)([^`]+)`")
_LITERAL = re.compile(r"(?m)^([ \t]*)::[ \t]*$|(?<=\S)::[ \t]*$")
#: A Google ``Example:`` heading followed by a doctest: griffe parses only the plural as an examples section.
_EXAMPLE = re.compile(r"(?m)^([ \t]*)Example:[ \t]*\n(?=\1[ \t]+>>> )")
#: A doctest at the left margin (its ``>>>`` and ``...`` lines, and the output up to a blank line).
_DOCTEST = re.compile(r"(?m)^>>> .*\n?(?:^(?!\s*$).*\n?)*")


def _resolve(scope: griffe.Object | None, target: str) -> str | None:
    """The full path ``target`` names as seen from ``scope`` (``Pager.pages``, ``call``, a dotted path), if any."""
    if scope is None:
        return None
    head, dot, rest = target.partition(".")
    for candidate, tail in ((target, ""), (head, rest)):
        try:
            path = scope.resolve(candidate)
        except griffe.NameResolutionError:
            continue
        return f"{path}.{tail}" if dot and tail else path
    return target if target.startswith("workday_recruiting.") else None


def convert(text: str, scope: griffe.Object | None = None) -> str:
    """Rewrite Sphinx roles as cross-references (plain code when they cannot be resolved), ``::`` as ``:``, doctests.

    ``Example:`` followed by a doctest becomes ``Examples:``; a doctest at the left margin is fenced as ``pycon``.
    """

    def role(match: re.Match[str]) -> str:
        tilde, target = match.group(1), match.group(2).strip().lstrip(".")
        shown = target.rsplit(".", 1)[-1] if tilde else target
        path = _resolve(scope, target)
        if path is None:
            return f"`{shown}`"
        return f'<autoref identifier="{html.escape(path)}" optional><code>{html.escape(shown)}</code></autoref>'

    text = _EXAMPLE.sub(r"\1Examples:\n", text)
    text = _DOCTEST.sub(lambda m: f"```pycon\n{m.group(0).rstrip()}\n```\n", text)
    return _LITERAL.sub(_literal, _ROLE.sub(role, text))


def _literal(match: re.Match[str]) -> str:
    return "" if match.group(1) is not None else ":"


def _walk(obj: griffe.Object, seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if obj.docstring is not None:
        obj.docstring.value = convert(obj.docstring.value, obj)
    for member in obj.members.values():
        if not member.is_alias:
            _walk(member, seen)  # type: ignore[arg-type]


class SphinxRoles(griffe.Extension):
    """Convert Sphinx roles in every docstring of a loaded package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """griffe 2: called once the package is loaded."""
        _walk(pkg, set())

    def on_package_loaded(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """griffe 1: the same hook under its older name."""
        _walk(pkg, set())
