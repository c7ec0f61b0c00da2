"""Which words of a citizen's query need not match: question words, politeness and particles
("cho tôi hỏi", "làm thế nào", "có … không", "ạ"), kept as data in fillers.txt.

A filler is recognised with its accents, because many fold into real words ('thì' is 'thi', an
exam, once folded); typed without accents, only the spellings the file marks as meaning nothing
else count. Validated when read, so a bad line is named at start-up."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from services.search.text import Word, fold, words

FILLERS_FILE = Path(__file__).with_name("fillers.txt")

_ALSO_UNACCENTED = "also unaccented"
_GAP = "..."


@dataclass(frozen=True)
class Filler:
    words: tuple[str, ...]  # lowercase, with accents
    also_unaccented: bool = False  # typed without accents it is still a filler
    closing: bool = False  # only as the question's last words
    opener: tuple[str, ...] = ()  # closing fillers only: the words that open the question with them

    def fits(self, typed: Sequence[str], accented_query: bool) -> bool:
        """Whether the lowercase words `typed` are this filler: as written, in a query typed with
        accents; or, for a filler also unaccented, typed without accents and equal once folded."""
        return _fits(self.words, typed, accented_query, self.also_unaccented)

    def opens(self, typed: Sequence[str], accented_query: bool) -> bool:
        return _fits(self.opener, typed, accented_query, self.also_unaccented)


def _fits(phrase: tuple[str, ...], typed: Sequence[str], accented_query: bool, also_unaccented: bool) -> bool:
    if len(typed) != len(phrase):
        return False
    if accented_query and tuple(typed) == phrase:
        return True
    return also_unaccented and all(fold(word) == word for word in typed) and \
        tuple(typed) == tuple(fold(word) for word in phrase)


class Fillers:
    def __init__(self, fillers: list[Filler]):
        # Longest first, so 'làm thế nào để' wins over 'làm thế nào' and 'để'.
        ordered = sorted(fillers, key=lambda filler: -len(filler.words))
        inner = [filler for filler in ordered if not filler.closing]
        # Looked up by their words rather than tried one by one: a pasted paragraph has hundreds.
        self._as_written = {filler.words: filler for filler in inner}
        self._unaccented = {tuple(fold(word) for word in filler.words): filler
                            for filler in inner if filler.also_unaccented}
        self._lengths = sorted({len(filler.words) for filler in inner}, reverse=True)
        # Closers with an opener first: 'có … không' marks both words when it can.
        self._closing = sorted((filler for filler in ordered if filler.closing), key=lambda filler: not filler.opener)

    @classmethod
    def load(cls, path: Path = FILLERS_FILE) -> Fillers:
        return cls.parse(path.read_text(encoding="utf-8"))

    @classmethod
    def parse(cls, text: str) -> Fillers:
        """One phrase per line ('#' comments); see fillers.txt for the forms."""
        fillers, seen = [], {}
        for number, line in enumerate(text.splitlines(), start=1):
            content = line.split("#", 1)[0].strip()
            if not content:
                continue
            filler = _filler(number, content)
            key = (filler.opener, filler.words, filler.closing)
            if key in seen:
                raise ValueError(f"fillers line {number}: {content!r} repeats line {seen[key]}")
            seen[key] = number
            fillers.append(filler)
        return cls(fillers)

    def positions(self, typed: Sequence[str | Word]) -> set[int]:
        """The indices of the words (as typed, or text.Word) that are fillers; none at all when
        every word would be one, since such a query means its words."""
        lowered = [unicodedata.normalize("NFC", _text(word)).lower() for word in typed]
        accented_query = any(fold(word) != word for word in lowered)
        found = self._inner_positions(lowered, accented_query)
        found |= self._closing_positions(lowered, found, accented_query)
        return set() if len(found) >= len(lowered) else found

    def _inner_positions(self, lowered: list[str], accented_query: bool) -> set[int]:
        """Fillers anywhere, the longest first: as written in a query typed with accents, or
        typed without accents where the filler is also one unaccented."""
        unaccented = [fold(word) == word for word in lowered]
        found: set[int] = set()
        start = 0
        while start < len(lowered):
            length = next((length for length in self._lengths if self._fits_at(lowered, unaccented, start, length,
                                                                                  accented_query)), 0)
            found.update(range(start, start + length))
            start += length or 1
        return found

    def _fits_at(self, lowered: list[str], unaccented: list[bool], start: int, length: int,
                 accented_query: bool) -> bool:
        typed = tuple(lowered[start:start + length])
        if len(typed) < length:
            return False
        if accented_query and typed in self._as_written:
            return True
        return all(unaccented[start:start + length]) and typed in self._unaccented

    def _closing_positions(self, lowered: list[str], inner: set[int], accented_query: bool) -> set[int]:
        """The closing words of a yes/no question ('… không'), and the first opener before them
        ('có'). They end the question, or come just before its trailing fillers ('không ạ'),
        and may be part of one ('có … được không')."""
        ends = [len(lowered)]
        while ends[-1] and ends[-1] - 1 in inner:
            ends.append(ends[-1] - 1)
        for end in ends:
            for filler in self._closing:
                start = end - len(filler.words)
                if start < 0 or not filler.fits(lowered[start:end], accented_query):
                    continue
                if not filler.opener:
                    return set(range(start, end))
                for opener_start in range(start - len(filler.opener) + 1):
                    opener = range(opener_start, opener_start + len(filler.opener))
                    if not inner.intersection(opener) and filler.opens([lowered[i] for i in opener], accented_query):
                        return set(range(start, end)) | set(opener)
        return set()


def _filler(number: int, content: str) -> Filler:
    phrase, _, marker = (part.strip() for part in content.partition("|"))
    if marker and marker != _ALSO_UNACCENTED:
        raise ValueError(f"fillers line {number}: unknown marker {marker!r} (only '| {_ALSO_UNACCENTED}')")
    opener, gap, closing = (part.strip() for part in phrase.partition(_GAP))
    if gap and not closing:
        raise ValueError(f"fillers line {number}: {phrase!r}: '{_GAP}' must be followed by the closing words")
    if not gap:
        return Filler(words=_phrase_words(number, phrase), also_unaccented=bool(marker))
    return Filler(words=_phrase_words(number, closing), also_unaccented=bool(marker), closing=True,
                  opener=_phrase_words(number, opener) if opener else ())


def _phrase_words(number: int, phrase: str) -> tuple[str, ...]:
    """The phrase's words, lowercase with accents; refused unless it is words and spaces only."""
    found = tuple(unicodedata.normalize("NFC", word.text).lower() for word in words(phrase))
    if not found:
        raise ValueError(f"fillers line {number}: no words where a phrase should be")
    if " ".join(found) != " ".join(unicodedata.normalize("NFC", phrase).lower().split()):
        raise ValueError(f"fillers line {number}: {phrase!r} must be words and spaces only")
    return found


def _text(word: str | Word) -> str:
    return word if isinstance(word, str) else word.text
