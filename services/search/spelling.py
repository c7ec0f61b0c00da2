"""Did you mean: a query's unknown words replaced by the closest words of the indexed titles.

Words are compared folded, by edit distance (a swap of two neighbours counts once), allowing
as many edits as Lucene's fuzzy AUTO does: none below MIN_WORD letters, one up to five letters,
two beyond. Candidates share the first letter, as in Lucene's spellcheckers: typos rarely hit
it, and it keeps the vocabulary fetched small. Among equally close words the most common wins.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable

from services.search.text import fold, words

MIN_WORD = 3

# A first letter -> ('folded spelled', number of titles) for every title word starting with it.
Vocabulary = Callable[[str], list[tuple[str, int]]]


def correct(query: str, vocabulary: Vocabulary) -> str | None:
    """The query with each word no title contains replaced by the closest one that some title
    does; None when nothing could be corrected. Accents follow the query: a query typed with
    accents gets accented corrections, one typed without gets folded ones."""
    typed_with_accents = fold(query) != query.lower()
    by_letter: dict[str, dict[str, Counter]] = {}
    corrected, position, changed = [], 0, False
    for word in words(query):
        folded = fold(word.text)
        if len(folded) < MIN_WORD or not folded[0].isascii() or not folded.isalpha():
            continue
        letter = folded[0]
        if letter not in by_letter:
            by_letter[letter] = _spellings(vocabulary(letter), letter)
        known = by_letter[letter]
        if folded in known:
            continue
        best = _closest(folded, known)
        if best is None:
            continue
        replacement = known[best].most_common(1)[0][0] if typed_with_accents else best
        corrected += [query[position:word.start], replacement]
        position, changed = word.end, True
    if not changed:
        return None
    return "".join(corrected) + query[position:]


def _spellings(entries: list[tuple[str, int]], letter: str) -> dict[str, Counter]:
    """folded word -> Counter of its spellings in titles."""
    known: dict[str, Counter] = defaultdict(Counter)
    for entry, count in entries:
        folded, _, spelled = entry.partition(" ")
        if folded.startswith(letter) and spelled:
            known[folded][spelled] += count
    return known


def _closest(word: str, known: dict[str, Counter]) -> str | None:
    allowed = 1 if len(word) <= 5 else 2
    scored = []
    for candidate, spellings in known.items():
        if abs(len(candidate) - len(word)) > allowed:
            continue
        distance = edit_distance(word, candidate)
        if distance <= allowed:
            scored.append((distance, -sum(spellings.values()), candidate))
    return min(scored)[2] if scored else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance where swapping two neighbouring letters costs one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]
