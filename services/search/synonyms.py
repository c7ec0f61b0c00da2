"""Synonyms for the abbreviations of government text ('UBND' = 'ủy ban nhân dân'), kept as data
in abbreviations.toml, each with the official text it comes from, and expanded at query time by
the core, so both engines behave the same and a change to the list needs no reindexing.

The file is validated when the search service starts: a bad entry stops it with a message
naming the entry, rather than quietly expanding nothing (or the wrong thing) for months."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from services.search.text import fold, words

ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.toml")

Spelling = tuple[str, ...]  # folded words

_REQUIRED_KEYS = {"short", "means", "source"}
_KEYS = _REQUIRED_KEYS | {"note"}


@dataclass(frozen=True)
class Abbreviation:
    short: tuple[str, ...]  # as written: 'UBND', 'KT-XH'
    means: tuple[str, ...]  # what it stands for, as written in full
    source: str  # the official text it comes from
    note: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        return self.short + self.means


class Synonyms:
    def __init__(self, entries: list[Abbreviation]):
        self._entries = tuple(entries)
        # each spelling (folded words) -> the other spellings of its entry, as written
        self._others: dict[Spelling, tuple[str, ...]] = {}
        owner: dict[Spelling, str] = {}
        for number, entry in enumerate(self._entries, start=1):
            name = _name(number, entry.short)
            for written in entry.spellings:
                spelling = _spelling(written)
                if not spelling:
                    raise ValueError(f"{name}: {written!r} has no words")
                if owner.get(spelling) == name:
                    raise ValueError(f"{name}: {written!r} is given twice")
                if spelling in owner:
                    raise ValueError(f"{name}: {written!r} is also in {owner[spelling]}; a spelling stands in "
                                     f"one entry only")
                others = tuple(other for other in entry.spellings if _spelling(other) != spelling)
                owner[spelling], self._others[spelling] = name, others
                if written in entry.short:
                    # 'ĐBQH' typed with telex keys the keyboard did not turn into 'Đ': 'ddbqh'.
                    self._others.setdefault(_telex_spelling(written), others)
        self._longest = max((len(spelling) for spelling in self._others), default=0)

    @classmethod
    def load(cls, path: Path = ABBREVIATIONS_FILE) -> Synonyms:
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> Synonyms:
        """TOML: one [[abbreviation]] table per entry, with `short`, `means` (lists of
        spellings), `source` (required, not empty) and an optional `note`."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"abbreviations file is not valid TOML: {error}") from None
        unknown = set(data) - {"abbreviation"}
        if unknown:
            raise ValueError(f"abbreviations file: unknown table(s) {sorted(unknown)}; only [[abbreviation]] entries")
        tables = data.get("abbreviation", [])
        if not isinstance(tables, list):
            raise ValueError("abbreviations file: 'abbreviation' must be [[abbreviation]] entries")
        return cls([_entry(number, table) for number, table in enumerate(tables, start=1)])

    def entries(self) -> tuple[Abbreviation, ...]:
        """Every abbreviation with what it means and its source, in the file's order."""
        return self._entries

    def match(self, folded: list[str], start: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest spelling beginning at folded[start]: (how many words it spans, the other
        ways of saying it); None when no spelling begins there.

        The other ways are its entry's other spellings and the spelling with a shorter one
        inside it replaced ('dịch vụ công trực tuyến' is also 'dvc trực tuyến')."""
        for length in range(min(self._longest, len(folded) - start), 0, -1):
            spelling = tuple(folded[start:start + length])
            others = self._others.get(spelling)
            if others is not None:
                return length, others + self._inner_replacements(spelling)
        return None

    def _inner_replacements(self, spelling: Spelling) -> tuple[str, ...]:
        replaced = []
        for start in range(len(spelling)):
            for end in range(len(spelling), start, -1):
                if end - start == len(spelling):
                    continue
                for other in self._others.get(spelling[start:end], ()):
                    replaced.append(" ".join([*spelling[:start], other, *spelling[end:]]))
        return tuple(replaced)


def _entry(number: int, table) -> Abbreviation:
    if not isinstance(table, dict):
        raise ValueError(f"abbreviation {number}: not a table")
    name = _name(number, table.get("short"))
    missing = _REQUIRED_KEYS - set(table)
    if missing:
        raise ValueError(f"{name}: missing {', '.join(sorted(missing))}")
    unknown = set(table) - _KEYS
    if unknown:
        raise ValueError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    source, note = table["source"], table.get("note", "")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{name}: no source; say which official text uses or defines it")
    if not isinstance(note, str):
        raise ValueError(f"{name}: note must be text")
    short, means = _spellings(name, "short", table["short"]), _spellings(name, "means", table["means"])
    for written in short:
        # Folded, one letter is any lone letter ('P.' phường is also 'P. Tư pháp', a phòng).
        if len("".join(_spelling(written))) < 2:
            raise ValueError(f"{name}: {written!r} is too short to stand for anything on its own")
    return Abbreviation(short=short, means=means, source=source.strip(), note=note.strip())


def _spellings(name: str, key: str, value) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{name}: {key} must be a list of one or more spellings")
    return tuple(item.strip() for item in value)


def _name(number: int, short) -> str:
    """How a message names an entry: its place in the file and, when readable, its first short form."""
    if isinstance(short, list | tuple) and short and isinstance(short[0], str):
        return f"abbreviation {number} ({short[0]})"
    return f"abbreviation {number}"


def _spelling(entry: str) -> Spelling:
    return tuple(fold(word.text) for word in words(entry))


def _telex_spelling(short: str) -> Spelling:
    """A short form as telex types it, 'đ' as 'dd' ('HĐND' -> 'hddnd'); the short forms carry
    no other marks."""
    return _spelling(short.lower().replace("đ", "dd"))
