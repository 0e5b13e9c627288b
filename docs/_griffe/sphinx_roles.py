"""A griffe extension for the docs build: render the Sphinx roles found in the docstrings as Markdown code.

The docstrings use Google sections (which mkdocstrings reads) but also Sphinx cross-reference roles such as
``:class:`Pager``` and reST literal-block markers (``text::``). mkdocstrings renders Markdown, where those show up
verbatim. This extension rewrites them, in memory and only for the docs site, to ```Pager``` and ``text:``.
It changes no source file and needs no network.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const):`(~?)([^`]+)`")
_LITERAL = re.compile(r"(?m)^([ \t]*)::[ \t]*$|(?<=\S)::[ \t]*$")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.group(1), match.group(2).strip()
    if tilde:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _literal(match: re.Match[str]) -> str:
    return "" if match.group(1) is not None else ":"


def convert(text: str) -> str:
    """Rewrite Sphinx roles as inline code and ``::`` literal markers as a plain colon."""
    return _LITERAL.sub(_literal, _ROLE.sub(_role, text))


def _walk(obj: griffe.Object, seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if obj.docstring is not None:
        obj.docstring.value = convert(obj.docstring.value)
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
