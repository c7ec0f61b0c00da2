"""Did you mean: the query respelled as the index's own items write it, judged by syllable pairs.

Each word may be replaced by a close word of the indexed titles (by edit distance, a swap of two
neighbours counting once, as many edits as Lucene's fuzzy AUTO allows: none below MIN_WORD
letters, one up to five letters, two beyond; sharing the first letter, as Lucene's
spellcheckers do) or by what its telex keys spell. Which respelling wins is decided by what the
index holds: Vietnamese syllables are short and nearly every misspelling is some other word, so
a single syllable proves little, but two in a row do ('hàng chính' is in no item, 'hành chính'
in many). A word the index holds is replaced only when the pairs say so.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import product

from services.search.core import Frequencies
from services.search.telex import folded_from_telex
from services.search.text import fold, words

MIN_WORD = 3
MAX_WORDS = 10  # a longer query is a question in words, not one to respell
CANDIDATES = 4  # closest title words tried per word, most common first among equals
# How respellings are scored (see _best): a change must be borne out by the index.
PAIR_WEIGHT = 3.0
CHANGE_COST = 0.5
EDIT_COST = 0.5

# A first letter -> ('folded spelled', number of titles) for every title word starting with it.
Vocabulary = Callable[[str], list[tuple[str, int]]]
# Folded words, and pairs of them separated by a space -> how many items hold each.
Counting = Callable[[list[str]], Frequencies]


def correct(query: str, vocabulary: Vocabulary, counting: Counting) -> str | None:
    """The query with its words respelled as the index best bears out, or None when it is best
    as typed. Accents follow the query: a query typed with accents gets accented corrections
    (as the titles spell them), one typed without gets folded ones."""
    found = words(query)
    if len(found) > MAX_WORDS:
        return None
    typed = [fold(word.text) for word in found]
    by_letter: dict[str, dict[str, Counter]] = {}

    def titles(letter: str) -> dict[str, Counter]:
        if letter not in by_letter:
            by_letter[letter] = _spellings(vocabulary(letter), letter)
        return by_letter[letter]

    held = counting(sorted({*typed, *_pairs([[term] for term in typed])})).of
    options = [_options(term, titles) if _suspect(position, typed, held) else [term]
               for position, term in enumerate(typed)]
    if all(len(choices) == 1 for choices in options):
        return None
    held = counting(sorted({*(term for choices in options for term in choices), *_pairs(options)})).of
    best = _best(options, typed, held)
    if best == typed:
        return None
    typed_with_accents = fold(query) != query.lower()
    corrected, position = [], 0
    for word, term, chosen in zip(found, typed, best):
        if chosen != term:
            spelled = titles(chosen[0]).get(chosen)
            replacement = spelled.most_common(1)[0][0] if typed_with_accents and spelled else chosen
            corrected += [query[position:word.start], replacement]
            position = word.end
    return "".join(corrected) + query[position:]


def _suspect(position: int, typed: list[str], held: dict[str, int]) -> bool:
    """Whether a word may be misspelt: no item holds it, or none holds it beside its neighbours."""
    term = typed[position]
    if not held.get(term, 0):
        return True
    pairs = [f"{typed[position - 1]} {term}"] if position else []
    pairs += [f"{term} {typed[position + 1]}"] if position + 1 < len(typed) else []
    return bool(pairs) and not any(held.get(pair, 0) for pair in pairs)


def _options(term: str, titles: Callable[[str], dict[str, Counter]]) -> list[str]:
    """The word as typed first, then what it may have been meant as."""
    if len(term) < MIN_WORD or not term[0].isascii() or not term.isalpha():
        return [term]
    spelled = folded_from_telex(term)
    near = _closest(term, titles(term[0]))[:CANDIDATES]
    return list(dict.fromkeys([term, *([spelled] if spelled else []), *near]))


def _pairs(options: list[list[str]]) -> set[str]:
    """Every pair of words that may stand side by side."""
    return {f"{first} {second}" for left, right in zip(options, options[1:]) for first, second in product(left, right)}


def _best(options: list[list[str]], typed: list[str], held: dict[str, int]) -> list[str]:
    """The respelling with the highest score (Viterbi: the score is a sum over words and pairs).

    Each word the index holds adds the log of how many items hold it, each adjacent pair
    PAIR_WEIGHT times that; each word changed costs CHANGE_COST plus EDIT_COST per edit."""
    def word_score(term: str, was: str) -> float:
        change = 0.0 if term == was else CHANGE_COST + EDIT_COST * edit_distance(term, was)
        return math.log1p(held.get(term, 0)) - change

    best = {term: (word_score(term, typed[0]), [term]) for term in options[0]}
    for choices, was in zip(options[1:], typed[1:]):
        best = {term: max(((score + PAIR_WEIGHT * math.log1p(held.get(f"{last} {term}", 0)) + word_score(term, was),
                            [*path, term]) for last, (score, path) in best.items()), key=lambda entry: entry[0])
                for term in choices}
    return max(best.values(), key=lambda entry: entry[0])[1]


def _spellings(entries: list[tuple[str, int]], letter: str) -> dict[str, Counter]:
    """folded word -> Counter of its spellings in titles."""
    known: dict[str, Counter] = defaultdict(Counter)
    for entry, count in entries:
        folded, _, spelled = entry.partition(" ")
        if folded.startswith(letter) and spelled:
            known[folded][spelled] += count
    return known


def _closest(word: str, known: dict[str, Counter]) -> list[str]:
    """Title words close enough to `word`, closest first, the most common first among equals."""
    allowed = 1 if len(word) <= 5 else 2
    scored = []
    for candidate, spellings in known.items():
        if candidate == word or abs(len(candidate) - len(word)) > allowed:
            continue
        distance = edit_distance(word, candidate)
        if distance <= allowed:
            scored.append((distance, -sum(spellings.values()), candidate))
    return [candidate for _, _, candidate in sorted(scored)]


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
