"""Units a query names: 'khai sinh xã Hương Toàn', 'lịch tiếp dân TP Huế', 'hương toàn khai sinh'.

A unit is named by its whole name ('Xã Hương Toàn'), by its name with the level written
short ('TP Huế', 'TX Hương Trà', 'P. Vỹ Dạ'), after its committee ('UBND xã Hương Toàn') or,
for a local government whose own name has two syllables or more, by that name alone ('Hương
Toàn'). Departments are named only whole ('Sở Y tế'): their names without 'Sở' are topics
('y tế'). Words are compared folded, so 'huong toan' names Xã Hương Toàn too; two units
sharing a name are both named.
"""
from __future__ import annotations

from collections.abc import Iterable

from services.search.documents import LOCAL_GOVERNMENTS, UnitRecord
from services.search.text import fold, words

Words = tuple[str, ...]

# How each local-government level is written short (folded words).
_SHORT_LEVELS: dict[Words, tuple[Words, ...]] = {
    ("thanh", "pho"): (("tp",),),
    ("thi", "xa"): (("tx",),),
    ("thi", "tran"): (("tt",),),
    ("huyen",): (("h",),),
    ("phuong",): (("p",),),
    ("quan",): (("q",),),
    ("tinh",): (),
    ("xa",): (),
}


def _folded(text: str) -> Words:
    return tuple(fold(word.text) for word in words(text))


_LOCAL_LEVELS = tuple(sorted((_folded(level) for level in LOCAL_GOVERNMENTS), key=len, reverse=True))
_COMMITTEE = (("ubnd",), ("uy", "ban", "nhan", "dan"))
_SHORT_LEVEL_WORDS = {short[0] for shorts in _SHORT_LEVELS.values() for short in shorts}
# A bare name this short is a common word as often as a place ('Huế' is also 'huế' in 'ca Huế').
_BARE_NAME_MIN_WORDS = 2


class UnitNames:
    def __init__(self, units: Iterable[UnitRecord]):
        self._units = {unit.slug: unit for unit in units}
        self._children: dict[str, list[str]] = {}
        for unit in self._units.values():
            if unit.parent:
                self._children.setdefault(unit.parent, []).append(unit.slug)
        self._named: dict[Words, set[str]] = {}  # a way of naming -> the units it names
        for unit in self._units.values():
            for spelling in _spellings(unit.name):
                self._named.setdefault(spelling, set()).add(unit.slug)
        self._longest = max(map(len, self._named), default=0)

    def spans(self, folded: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """Where the folded query words name units: (start, end, the units' slugs), longest
        names first, never overlapping."""
        found, position = [], 0
        while position < len(folded):
            for length in range(min(self._longest, len(folded) - position), 0, -1):
                slugs = self._named.get(tuple(folded[position:position + length]))
                if slugs:
                    found.append((position, position + length, tuple(sorted(slugs))))
                    position += length
                    break
            else:
                position += 1
        return found

    def name(self, slug: str) -> str:
        return self._units[slug].name

    def with_units_under(self, slugs: Iterable[str]) -> tuple[str, ...]:
        """The units and every unit under them (a district and its communes), sorted."""
        found, waiting = set(), list(slugs)
        while waiting:
            slug = waiting.pop()
            if slug not in found:
                found.add(slug)
                waiting.extend(self._children.get(slug, ()))
        return tuple(sorted(found))


def _spellings(name: str) -> set[Words]:
    whole = _folded(name)
    if not whole:
        return set()
    spellings = {whole}
    level = next((level for level in _LOCAL_LEVELS if whole[:len(level)] == level and len(whole) > len(level)), None)
    if level is None:
        return spellings
    own = whole[len(level):]
    spellings.update(short + own for short in _SHORT_LEVELS.get(level, ()))
    if len(own) >= _BARE_NAME_MIN_WORDS:
        spellings.add(own)
    # 'UBND xã Phú Mậu', 'Ủy ban nhân dân xã Phú Mậu': the local government by its committee.
    spellings.update(committee + spelling for committee in _COMMITTEE for spelling in list(spellings)
                     if spelling[:len(level)] == level or spelling[0] in _SHORT_LEVEL_WORDS)
    return spellings
