"""Text rules for the content service: sanitised HTML, slugs from Vietnamese folded to plain ASCII
words (services/common/vietnamese.py), and the white space and characters people's text is kept with."""
import re
import unicodedata

import nh3

from services.common.vietnamese import folded_key, folded_words
from services.content.pasted import plain_structure

# The content service's documents, schemas and keys fold through here, as they always have.
__all__ = ["folded_key", "folded_words", "one_line", "paragraphs", "printable", "sanitise_html", "single_spaced",
           "slugify"]

# Everything an article body legitimately needs; scripts, event handlers, styles and
# javascript: URLs never survive (nh3 drops them by default).
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "q",
    "h2", "h3", "h4", "ul", "ol", "li", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "span",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def sanitise_html(html: str) -> str:
    """Only what a body may hold; what a word processor pasted keeps its headings, lists, tables,
    bold, italic and links (services/content/pasted.py)."""
    return nh3.clean(plain_structure(html), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"})


def slugify(text: str, max_length: int = 100) -> str:
    """'Thừa Thiên Huế: Đổi mới' -> 'thua-thien-hue-doi-moi'."""
    return folded_key(text)[:max_length].rstrip("-") or "bai-viet"


def single_spaced(text: str) -> str:
    """Composed (NFC: keyboards send Vietnamese marks decomposed or not), each run of white space
    one space, none at the ends."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def printable(text: str) -> str:
    """NFC, every line break a newline, control and format characters (which hide or garble text) as spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch if ch in "\n\t" or not unicodedata.category(ch).startswith("C") else " " for ch in text)


# The two below take whatever a form sent: anything but text goes on unchanged to be refused by type.

def one_line(value):
    return single_spaced(printable(value)) if isinstance(value, str) else value


def paragraphs(value):
    """Lines kept, spaces inside each collapsed, at most one blank line between paragraphs."""
    if not isinstance(value, str):
        return value
    lines = (_SPACES.sub(" ", line).strip() for line in printable(value).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
