"""The hot path: read a section of a response in one ``iter()`` walk, driven by a table of the tags it wants.

Why: with lxml, visiting children through nested ``for child in element`` loops costs about four times as much
per element as one ``element.iter()`` walk (each loop builds an iterator and a tag matcher). A 999-candidate
``Get_Candidates`` page has ~55,000 elements, 40% of them ``wd:ID``; a parser of nested loops ran ~5x slower
than a bare parse and walk. So the models iterate children only at the top (a candidate's ~10 sections, which
also lets them skip whole subtrees such as résumés), and read each section with :func:`stream`.

How :func:`stream` stays correct without knowing each element's parent:

* ``wd:ID`` elements only occur inside references, and a reference holds nothing but ``wd:ID`` children, so
  the IDs met after a reference starts belong to it, and the first non-ID element after them ends it.
  References the table does not name start nothing, so their IDs are dropped.
* A section's table only names tags that occur once within that section's type (checked against the v45.2
  XSD), or that are told apart by a marker met earlier in document order (``Legal_Name`` /
  ``Preferred_Name`` switch where the name parts go).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
from lxml import etree

from ._base import A_DESCRIPTOR, A_TYPE, T_ID, shared_reference

__all__ = ["K_BAG", "K_DROP", "K_EL", "K_REF", "K_REFS", "K_TEXT", "K_TEXTS", "fast_constructor", "stream"]

#: Table kinds: what :func:`stream` does with an element of a tag.
K_REF: Final = 0  # a reference: bag[key] = Reference
K_TEXT: Final = 1  # a value: bag[key] = text (unstripped, ``None`` when empty)
K_REFS: Final = 2  # a repeated reference: bag[key] is a list of References
K_TEXTS: Final = 3  # a repeated value: bag[key] is a list of (tag, text)
K_BAG: Final = 4  # a wrapper: values from here on go to a new dict at out[key] (its "_el" is the wrapper)
K_DROP: Final = 5  # a wrapper whose values are not read: values from here on are dropped
K_EL: Final = 6  # the element itself: bag[key] = element

Table = Mapping[str, tuple[int, str]]


def stream(el: etree._Element, table: Table) -> dict[str, Any]:
    """Walk ``el`` and its descendants once, collecting what ``table`` names.

    Args:
        el: The section element (it is walked too, so a table may name its tag).
        table: Clark tag -> (kind, key).

    Returns:
        The collected values; wrappers of kind :data:`K_BAG` add nested dicts.
    """
    out: dict[str, Any] = {}
    bag = out
    # The pending reference: its IDs, WID and descriptor, and where it goes.
    ids: dict[str, str] | None = None
    wid: str | None = None
    descriptor: str | None = None
    target = out
    key = ""
    many = False
    for e in el.iter():
        tag = e.tag
        if tag == T_ID:
            if ids is not None:
                value = e.text
                if value is not None:
                    id_attributes: list[str] = e.values()  # type: ignore[assignment]  # see id_type_of
                    id_type = id_attributes[0] if len(id_attributes) == 1 else (e.get(A_TYPE) or e.get("type"))
                    if id_type == "WID":
                        wid = value.strip()
                    elif id_type is not None and id_type not in ids:
                        ids[id_type] = value.strip()
            continue
        if ids is not None:  # any other element ends the pending reference
            ref = shared_reference(wid, ids, descriptor)
            if many:
                refs = target.get(key)
                if refs is None:
                    target[key] = [ref]
                else:
                    refs.append(ref)
            else:
                target[key] = ref
            ids = None
        entry = table.get(tag)
        if entry is None:
            continue
        kind, name = entry
        if kind == K_TEXT:
            bag[name] = e.text
        elif kind in (K_REF, K_REFS):
            ids = {}
            wid = None
            attributes: list[str] = e.values()  # type: ignore[assignment]  # see descriptor_of
            if not attributes:
                descriptor = None
            elif len(attributes) == 1:
                descriptor = attributes[0]
            else:
                descriptor = e.get(A_DESCRIPTOR)
            target = bag
            key = name
            many = kind == K_REFS
        elif kind == K_TEXTS:
            texts = bag.get(name)
            if texts is None:
                bag[name] = [(tag, e.text)]
            else:
                texts.append((tag, e.text))
        elif kind == K_BAG:
            bag = out[name] = {"_el": e}
        elif kind == K_DROP:
            bag = {}
        else:  # K_EL
            bag[name] = e
    if ids is not None:
        ref = shared_reference(wid, ids, descriptor)
        if many:
            target.setdefault(key, []).append(ref)
        else:
            target[key] = ref
    return out


T = TypeVar("T")


def fast_constructor(cls: type[T]) -> Callable[..., T]:
    """A positional constructor taking every attrs field of ``cls`` in order, for parsers' hot paths.

    It sets the slots directly, skipping the frozen class's ``__init__`` (which goes through
    ``object.__setattr__`` for each field, about three times slower) and therefore its defaults and
    converters: callers pass every value, final (tuples, read-only mappings).
    """
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    self = _new(_cls)"]
    for name in names:
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        lines.append(f"    _set_{name}(self, {name})")
    lines.append("    return self")
    exec(compile("\n".join(lines), f"<fast constructor {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - generated from attrs field names, like attrs' own __init__
    make: Callable[..., T] = namespace["make"]
    return make
