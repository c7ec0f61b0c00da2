"""What a query becomes when, as typed, it finds too little.

First its unknown words are loosened: a word no item holds (a misspelling, a telex leftover)
also matches the word it spells and the indexed words one edit away. Then, if still nothing
matches, the query is relaxed: an item needs most of the significant words, not all of them
(a citizen's long question rarely has every one of its words in the answer). Both are decided
here from the words' frequencies, so both engines do the same.
"""
from __future__ import annotations

from dataclasses import replace

from services.search.core import (
    COMMON_SHARE,
    RELAXED_SHARE,
    RELAXED_WORDS,
    Frequencies,
    Group,
    QueryText,
    matches_neighbours,
)
from services.search.telex import folded_from_telex

# How the results match the query, as the search answer says it.
ALL_WORDS, SOME_WORDS = "all", "relaxed"


def loosened(text: QueryText, frequencies: Frequencies) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query's words no item holds that may be loosened, each with the indexed word its
    telex keys spell (if any)."""
    found = []
    for term in dict.fromkeys(term for group in text.groups for term in group.terms):
        if frequencies.of.get(term, 0) or not matches_neighbours(term):
            continue
        spelled = folded_from_telex(term)
        found.append((term, (spelled,) if spelled and frequencies.of.get(spelled, 0) else ()))
    return tuple(found)


def relaxed(text: QueryText, frequencies: Frequencies) -> QueryText:
    """The query asking for most of its significant words: each required word (or synonym
    group) on its own, the RELAXED_WORDS rarest of them counted, RELAXED_SHARE of those needed.
    Words in more than COMMON_SHARE of the items, and words no item holds that nothing could
    stand for, only score. Items with every word still come first."""
    words = _words_of(text.required)
    loose = dict(text.loosened)

    def holders(group: Group) -> int:
        return min((frequencies.of.get(term, 0) or (1 if term in loose else 0) for term in group.terms), default=0)

    common = COMMON_SHARE * max(frequencies.items, 1)
    counted = sorted((group for group in words if 0 < holders(group) <= common), key=holders)[:RELAXED_WORDS]
    if not counted:
        counted = [group for group in words if holders(group)] or words
    kept = [group if group in counted else replace(group, optional=True) for group in words]
    minimum = max(1, round(RELAXED_SHARE * len(counted)))
    return replace(text, groups=(*kept, *text.optional), minimum=minimum, complete=text.required)


def _words_of(groups: tuple[Group, ...]) -> list[Group]:
    """Each plain word a group of its own; a synonym group stays whole (it matches as a phrase)."""
    split = []
    for group in groups:
        if group.synonyms or len(group.terms) < 2:
            split.append(group)
        else:
            split.extend(Group(term) for term in group.terms)
    return split


def significant_words(text: QueryText) -> int:
    """How many words or synonym groups of the query must match."""
    return len(_words_of(text.required))
