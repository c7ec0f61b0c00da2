"""Vietnamese text as the search service receives it: normalised before it is indexed or queried.

Folding accents away ('Huế' -> 'hue', 'đ' -> 'd') is left to each engine's analyzer (tantivy's
`ascii_fold`, Elasticsearch's `asciifolding`): both fold 'đ', which Python's NFD-and-strip does
not. What the analyzers cannot do is join decomposed characters, so everything is NFC first:
an NFD 'ế' is a letter plus combining marks that a tokenizer splits or drops.
"""
import re
import unicodedata
from html.parser import HTMLParser

_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, trimmed, runs of whitespace collapsed to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


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
