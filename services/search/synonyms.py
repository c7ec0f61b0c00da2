"""Synonyms for the abbreviations of government text ('UBND' = 'ủy ban nhân dân'), kept as data
in synonyms.txt and expanded at query time by the core, so both engines behave the same and a
change to the list needs no reindexing."""
from __future__ import annotations

from pathlib import Path

from services.search.text import fold, words

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")

Spelling = tuple[str, ...]  # folded words


class Synonyms:
    def __init__(self, groups: list[list[str]]):
        # each spelling (folded words) -> the other spellings of its group, as written
        self._others: dict[Spelling, tuple[str, ...]] = {}
        for group in groups:
            for entry in group:
                spelling = _spelling(entry)
                if not spelling:
                    raise ValueError(f"synonym {entry!r} has no words")
                if spelling in self._others:
                    raise ValueError(f"synonym {entry!r} is in more than one group")
                self._others[spelling] = tuple(other for other in group if _spelling(other) != spelling)
        self._longest = max((len(spelling) for spelling in self._others), default=0)

    @classmethod
    def load(cls, path: Path = SYNONYMS_FILE) -> Synonyms:
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> Synonyms:
        """One group per line, spellings separated by commas; '#' starts a comment."""
        groups = []
        for line in text.splitlines():
            entries = [entry.strip() for entry in line.split("#", 1)[0].split(",")]
            entries = [entry for entry in entries if entry]
            if len(entries) > 1:
                groups.append(entries)
            elif entries:
                raise ValueError(f"synonym line {line!r} names one spelling only")
        return cls(groups)

    def match(self, folded: list[str], start: int) -> tuple[int, tuple[str, ...]] | None:
        """The longest spelling beginning at folded[start]: (how many words it spans, the other
        ways of saying it); None when no spelling begins there.

        The other ways are its group's other spellings and the spelling with a shorter one
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


def _spelling(entry: str) -> Spelling:
    return tuple(fold(word.text) for word in words(entry))
