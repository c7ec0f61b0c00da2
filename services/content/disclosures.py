"""The disclosure sections ("công khai"): the lists of documents the law asks each level's site
to publish (budget estimates and settlements, plans, procurement, ...), read from the
`[[disclosure]]` entries of required_sections.toml, which is the one place they are named.

A legal document is filed under at most one of them (its `section`); a unit's level decides
which it owes. The file is checked when this module is imported, so a slip in it stops the
service at start rather than showing a broken page later.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SOURCE_FILE = Path(__file__).with_name("required_sections.toml")
# The key is the last part of the section's address, /{unit}/cong-khai/{key}.
KEY_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Disclosure:
    key: str
    title: str
    title_en: str
    levels: tuple[str, ...]
    source: str  # the legal text that requires it

    def owed_by(self, level: str) -> bool:
        return level in self.levels


def load(path: Path = SOURCE_FILE) -> tuple[Disclosure, ...]:
    """The sections in the file's order; ValueError naming the first entry that is wrong."""
    with open(path, "rb") as file:
        entries = tomllib.load(file).get("disclosure", [])
    sections = []
    for position, entry in enumerate(entries, start=1):
        try:
            section = Disclosure(key=entry["key"], title=entry["title"], title_en=entry["title_en"],
                                 levels=tuple(entry["levels"]), source=entry["source"])
        except KeyError as missing:
            raise ValueError(f"disclosure {position} in {path.name} has no {missing}") from None
        if not KEY_SHAPE.fullmatch(section.key):
            raise ValueError(f"disclosure key {section.key!r} in {path.name} is not slug-shaped")
        if any(known.key == section.key for known in sections):
            raise ValueError(f"disclosure key {section.key!r} appears twice in {path.name}")
        if not section.levels or not all(isinstance(level, str) and level for level in section.levels):
            raise ValueError(f"disclosure {section.key!r} in {path.name} names no levels")
        sections.append(section)
    return tuple(sections)


SECTIONS = load()
KEYS = tuple(section.key for section in SECTIONS)
_BY_KEY = {section.key: section for section in SECTIONS}


def get(key: str) -> Disclosure | None:
    return _BY_KEY.get(key) if isinstance(key, str) else None


def for_level(level: str) -> tuple[Disclosure, ...]:
    """The sections a unit of this level owes, in the file's order."""
    return tuple(section for section in SECTIONS if section.owed_by(level))
