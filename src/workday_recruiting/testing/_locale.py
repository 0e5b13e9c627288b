"""The fake tenant's locale data: countries (addresses, phone numbering), name cultures and resume vocabulary.

The data is ``locale.json`` beside this module (package data, shipped in the wheel), read with the standard library
the first time a data set needs it (:func:`load`) and kept as immutable values. Its shape:

* ``countries``: ISO alpha-2 code -> ``name``, ``alpha3``, ``numeric``, ``dial`` (the international calling code),
  ``trunk`` (the national trunk prefix, ``""`` where there is none), ``local_digits`` (subscriber number length),
  ``street_format`` (``{n}`` house number, ``{s}`` street), ``streets``, ``line2`` and ``cities`` (each with its
  Workday ``region_id``, ISO 3166-2 ``region_code`` and ``region_name``, all ``null`` where Workday has no region,
  a ``postal_code`` and the phone ``area`` code);
* ``cultures``: naming cultures with their country, user language, weight in the population, ``first_names`` and
  ``last_names`` (a name is a string, or ``{"name": ..., "local": ...}`` with its local-script form), whether
  people carry a second last name, and the Western nicknames some use as preferred names;
* ``schools``, ``companies``, ``skills``: words for parsed resumes.

The seeded generators index into these lists: reordering or inserting changes every generated data set, so
append only.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

import attrs

__all__ = ["City", "Country", "Culture", "Locale", "Name", "ascii_fold", "ascii_words", "load"]

_FOLD: Final = str.maketrans(
    {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe"}
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (``"Łukasz O'Brien"`` -> ``"lukaszobrien"``)."""
    return "".join(c for c in _decompose(text) if c.isascii() and c.isalnum()).lower()


def _decompose(text: str) -> str:
    return unicodedata.normalize("NFKD", text.translate(_FOLD))


def ascii_words(text: str) -> list[str]:
    """The ASCII letters and digits of each word of ``text``, case kept (``"São Paulo"`` -> ``["Sao", "Paulo"]``)."""
    return ["".join(c for c in _decompose(word) if c.isascii() and c.isalnum()) for word in text.split()]


@attrs.frozen
class City:
    """A city: its Workday region (``USA-GA``; None where Workday has none), a postal code and the area code."""

    name: str
    region_id: str | None
    region_code: str | None
    region_name: str | None
    postal_code: str
    area: str


@attrs.frozen
class Country:
    """A country: ISO codes, phone numbering, street format, streets and cities."""

    alpha2: str
    alpha3: str
    numeric: str
    dial: str
    #: The national trunk prefix ("0" in most of Europe, "" in the North American Numbering Plan).
    trunk: str
    local_digits: int
    name: str
    #: ``{n}``: house number, ``{s}``: street.
    street_format: str
    streets: tuple[str, ...]
    line2: tuple[str, ...]
    cities: tuple[City, ...]

    @property
    def phone_code_id(self) -> str:
        """The Country_Phone_Code_ID (``DEU_49``)."""
        return f"{self.alpha3}_{self.dial}"


@attrs.frozen
class Name:
    """A given or family name: as written, ASCII-folded (for emails), and in a local script when there is one."""

    text: str
    ascii: str
    local: str | None = None


@attrs.frozen
class Culture:
    """A naming culture: where its people live, their language and their names."""

    key: str
    country: str
    language_id: str | None
    weight: int
    firsts: tuple[Name, ...]
    lasts: tuple[Name, ...]
    second_lasts: bool = False
    nicknames: tuple[str, ...] = ()


@attrs.frozen(eq=False)
class Locale:
    """Everything in ``locale.json``, as immutable values (countries keyed by ISO alpha-2, in file order)."""

    countries: Mapping[str, Country]
    cultures: tuple[Culture, ...]
    schools: tuple[str, ...]
    companies: tuple[str, ...]
    skills: tuple[str, ...]


def _name(item: str | dict[str, str]) -> Name:
    if isinstance(item, str):
        return Name(item, ascii_fold(item))
    return Name(item["name"], ascii_fold(item["name"]), item.get("local"))


def _country(alpha2: str, row: dict[str, Any]) -> Country:
    return Country(
        alpha2=alpha2,
        alpha3=row["alpha3"],
        numeric=row["numeric"],
        dial=row["dial"],
        trunk=row["trunk"],
        local_digits=row["local_digits"],
        name=row["name"],
        street_format=row["street_format"],
        streets=tuple(row["streets"]),
        line2=tuple(row["line2"]),
        cities=tuple(City(**city) for city in row["cities"]),
    )


def _culture(row: dict[str, Any]) -> Culture:
    return Culture(
        key=row["key"],
        country=row["country"],
        language_id=row["language_id"],
        weight=row["weight"],
        firsts=tuple(map(_name, row["first_names"])),
        lasts=tuple(map(_name, row["last_names"])),
        second_lasts=row.get("second_last_names", False),
        nicknames=tuple(row.get("nicknames", ())),
    )


@functools.cache
def load() -> Locale:
    """The locale data (read once, on first use; immutable afterwards)."""
    text = resources.files(__package__).joinpath("locale.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Locale(
        countries=MappingProxyType({alpha2: _country(alpha2, row) for alpha2, row in data["countries"].items()}),
        cultures=tuple(map(_culture, data["cultures"])),
        schools=tuple(data["schools"]),
        companies=tuple(data["companies"]),
        skills=tuple(data["skills"]),
    )
