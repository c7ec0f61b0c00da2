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
    RELAXED_PAIRS,
    RELAXED_SHARE,
    RELAXED_WORDS,
    Frequencies,
    Group,
    QueryText,
    matches_neighbours,
)
from services.search.telex import folded_from_telex
from services.search.text import fold, words

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
    group) on its own, the RELAXED_WORDS rarest of them (as typed: with their accents, if any)
    counted, RELAXED_SHARE of those needed.
    Words in more than COMMON_SHARE of the items, and words no item holds that nothing could
    stand for, only score; in a long query (more than RELAXED_WORDS) they are left out, as they
    would cost more than they tell. Items with every word still come first."""
    words = _words_of(text.required)
    loose = dict(text.loosened)

    def holders(group: Group) -> int:
        return min((frequencies.of.get(typed, 0) or (1 if term in loose else 0)
                    for term, typed in zip(group.terms, group.as_typed)), default=0)

    common = COMMON_SHARE * max(frequencies.items, 1)
    counted = sorted((group for group in words if 0 < holders(group) <= common), key=holders)[:RELAXED_WORDS]
    if not counted:
        counted = [group for group in words if holders(group)] or words
    long = len(words) > RELAXED_WORDS
    kept = [group if group in counted else replace(group, optional=True) for group in words
            if group in counted or not long]
    minimum = max(1, round(RELAXED_SHARE * len(counted)))
    pairs = _pairs_of(text.required, {term for group in counted for term in group.terms})
    return replace(text, groups=(*kept, *text.optional, *pairs), minimum=minimum, complete=text.required)


def _pairs_of(groups: tuple[Group, ...], counted: set[str]) -> list[Group]:
    """Each two adjacent counted words of a group, in order, at most RELAXED_PAIRS: they only
    score (items with 'thường trú' above those with 'thường' and 'trú' apart)."""
    pairs = []
    for group in groups:
        typed = words(group.text)
        pairs.extend(Group(f"{first.text} {second.text}", optional=True, in_order=True)
                     for first, second in zip(typed, typed[1:])
                     if {fold(first.text), fold(second.text)} <= counted)
    return pairs[:RELAXED_PAIRS]


def _words_of(groups: tuple[Group, ...]) -> list[Group]:
    """Each word a group of its own; a word of a phrase with synonyms also matches them (an item
    saying 'căn cước' shares two words with 'căn cước công dân', one saying 'CCCD' all four)."""
    split = []
    for group in groups:
        if len(group.terms) < 2:
            split.append(group)
        else:
            split.extend(Group(word.text, synonyms=group.synonyms) for word in words(group.text))
    return split


def significant_words(text: QueryText) -> int:
    """How many words or synonym groups of the query must match."""
    return len(_words_of(text.required))
