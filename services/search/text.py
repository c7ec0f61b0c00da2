"""Vietnamese text as the search service receives it: normalised before it is indexed or queried.

Folding accents away ('Huế' -> 'hue', 'đ' -> 'd') while indexing is left to each engine's
analyzer (tantivy's `ascii_fold`, Elasticsearch's `asciifolding`): both fold 'đ', which
Python's NFD-and-strip does not. What the analyzers cannot do is join decomposed characters, so
everything is NFC first: an NFD 'ế' is a letter plus combining marks that a tokenizer splits or
drops. Where the core compares words itself (synonyms, spelling, autocomplete prefixes) it uses
`fold`, Vietnamese folded as everywhere on the platform (services/common/vietnamese.py), which
gives what those analyzers index for Vietnamese (tests/search/test_text.py checks).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from services.common.vietnamese import fold

__all__ = ["Word", "fold", "html_to_text", "normalise", "words"]

_WHITESPACE = re.compile(r"\s+")
# What the engines' tokenizers keep: runs of letters and digits (an underscore splits words).
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """NFC, trimmed, runs of whitespace collapsed to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # where it is in the text it came from, so a run of words keeps what lay between
    end: int


def words(text: str) -> list[Word]:
    return [Word(match.group(), match.start(), match.end()) for match in _WORD.finditer(text)]


def html_to_text(html: str) -> str:
    """The readable text of an article body, for indexing and highlighting."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return normalise("".join(extractor.parts))


class _TextExtractor(HTMLParser):
    _INVISIBLE = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._invisible_depth = 0

    # Every tag becomes a space so '<p>Huế</p><p>Đà Nẵng</p>' does not index 'HuếĐà';
    # the rare tag inside a word is the price of not listing every block element.
    def handle_starttag(self, tag, attrs):
        if tag in self._INVISIBLE:
            self._invisible_depth += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self._INVISIBLE and self._invisible_depth:
            self._invisible_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._invisible_depth:
            self.parts.append(data)
