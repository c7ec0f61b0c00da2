"""Accessibility as a publishing gate (Circular 32/2017/TT-BTTTT, built to WCAG 2.1 AA).

What a unit publishes as HTML (an article's body and summary, a static page, an answer to a
citizen) is checked here, once sanitised, before it goes public; the same checks are shown to
staff as warnings while they write. Each problem is {"code", "field", "message", "where"}:
`message` is Vietnamese and says where the problem is, `where` quotes a short excerpt.

A refusal is InvalidInput("Not accessible: …", fields) whose fields name each problem in the
order a reader meets them: the first of a field under the field's name ("body_html"), any more
under the name and their rank ("body_html.2", "body_html.3"), so a form can point at the
field's control and list every problem beneath it.
"""
from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

from pydantic import Field

from services.common.errors import InvalidInput
from services.common.vietnamese import folded_phrase
from services.content.text import sanitise_html
from services.content.validation import Input

# Link text that tells a screen reader's user nothing about where it leads, folded (no marks,
# lower case, single spaces, no punctuation).
VAGUE_LINK_TEXTS = frozenset({
    "bam vao day", "nhan vao day", "bam day", "tai day", "xem them", "xem tiep", "chi tiet", "xem chi tiet",
    "day", "link", "lien ket", "click here", "click", "here", "read more", "more",
})
MIN_CAPITALS_WORDS = 4  # a heading-like line of a few words in capitals is not a paragraph
CAPITALS_SHARE = 0.9  # "nearly all": an abbreviation or two in lower case does not excuse it
EXCERPT = 60
# The blocks a paragraph of text lives in.
PARAGRAPHS = frozenset({"p", "li", "blockquote", "figcaption", "caption"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class AccessibilityCheck(Input):
    """Text to check before it is saved: a summary of None stands for a kind that has none."""
    body_html: str = Field(max_length=500_000)
    summary: str | None = Field(default=None, max_length=2000)


def excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1].rstrip() + "…"


def in_capitals(text: str) -> bool:
    """A paragraph of at least MIN_CAPITALS_WORDS words whose letters (Vietnamese ones too) are
    nearly all upper case."""
    text = unicodedata.normalize("NFC", text)
    if sum(1 for word in text.split() if any(ch.isalpha() for ch in word)) < MIN_CAPITALS_WORDS:
        return False
    upper = sum(1 for ch in text if ch.isupper())
    lower = sum(1 for ch in text if ch.islower())
    return upper >= CAPITALS_SHARE * (upper + lower)


def problem(code: str, field: str, message: str, where: str) -> dict:
    return {"code": code, "field": field, "message": message, "where": where}


class _Reader(HTMLParser):
    """One walk of sanitised HTML, noting each problem as it is met."""

    def __init__(self, field: str):
        super().__init__(convert_charrefs=True)
        self.field = field
        self.problems: list[dict] = []
        self.counts = {"img": 0, "a": 0, "table": 0}
        self.text_seen = False
        self.images_seen = False
        self.heading_level = 1  # the title is the page's h1; the body starts at h2
        self.heading: tuple[int, list[str]] | None = None
        self.links: list[list[str]] = []  # the text of each open link (nested ones are invalid, yet parsed)
        self.tables: list[dict] = []
        self.blocks: list[list[str]] = []

    def note(self, code: str, message: str, where: str):
        self.problems.append(problem(code, self.field, message, where))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images_seen = True
            self.counts["img"] += 1
            alt = (attributes.get("alt") or "").strip()
            if not alt:
                self.note("image_without_alt", f"Ảnh thứ {self.counts['img']} trong nội dung chưa có mô tả (alt)",
                          excerpt(attributes.get("src") or ""))
            for text in self.links:
                text.append(alt)
        elif tag in HEADINGS:
            self.heading = (HEADINGS[tag], [])
        elif tag == "a":
            self.counts["a"] += 1
            self.links.append([])
        elif tag == "table":
            self.counts["table"] += 1
            self.tables.append({"number": self.counts["table"], "headers": False, "text": []})
        elif tag == "th" and self.tables:
            self.tables[-1]["headers"] = True
        elif tag in PARAGRAPHS:
            self.blocks.append([])
        elif tag == "br":
            self.handle_data(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HEADINGS and self.heading is not None:
            level, text = self.heading
            self.heading = None
            if level > self.heading_level + 1:
                before = ("tiêu đề của bài là cấp 1" if self.heading_level == 1
                          else f"tiêu đề trước nó là cấp {self.heading_level}")
                self.note("skipped_heading", f"Tiêu đề cấp {level} «{excerpt(''.join(text))}» bỏ qua cấp "
                                             f"{self.heading_level + 1} ({before})", excerpt("".join(text)))
            self.heading_level = level
        elif tag == "a" and self.links:
            number = self.counts["a"]
            text = "".join(self.links.pop())
            if not text.strip():
                self.note("link_text", f"Liên kết thứ {number} không có chữ nào cho biết nó dẫn đến đâu", "")
            elif folded_phrase(text) in VAGUE_LINK_TEXTS:
                self.note("link_text", f"Liên kết thứ {number} «{excerpt(text)}» không cho biết nó dẫn đến đâu",
                          excerpt(text))
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            if not table["headers"]:
                self.note("table_without_headers",
                          f"Bảng thứ {table['number']} trong nội dung chưa có ô tiêu đề (th)",
                          excerpt("".join(table["text"])))
        elif tag in PARAGRAPHS and self.blocks:
            text = "".join(self.blocks.pop())
            if in_capitals(text):
                self.note("capitals", f"Đoạn văn «{excerpt(text)}» viết toàn chữ in hoa", excerpt(text))

    def handle_data(self, data):
        if data.strip():
            self.text_seen = True
        for text in (*self.links, *(table["text"] for table in self.tables[-1:]), *self.blocks[-1:]):
            text.append(data)
        if self.heading is not None:
            self.heading[1].append(data)


def body_problems(html: str, field: str = "body_html") -> list[dict]:
    """The problems of an HTML body as it will be stored (sanitised here first), in reading order."""
    reader = _Reader(field)
    reader.feed(sanitise_html(html or ""))
    reader.close()
    if not reader.text_seen and not reader.images_seen:
        return [problem("empty_body", field, "Nội dung trống: không còn chữ hay ảnh nào sau khi làm sạch", "")]
    return reader.problems


def summary_problems(summary: str | None, field: str = "summary") -> list[dict]:
    if summary and summary.strip():
        return []
    return [problem("missing_summary", field, "Chưa có tóm tắt (sapo) cho bài viết", "")]


def problems(body_html: str, summary: str | None = None) -> list[dict]:
    """The problems in the order a form shows the fields: the summary (unless the kind has none:
    None), then the body."""
    return ([] if summary is None else summary_problems(summary)) + body_problems(body_html)


def refusal_fields(problems: list[dict]) -> dict[str, str]:
    """{"body_html": first, "body_html.2": second, …, "summary": …}: see the module's docstring."""
    fields: dict[str, str] = {}
    counts: dict[str, int] = {}
    for found in problems:
        counts[found["field"]] = counts.get(found["field"], 0) + 1
        rank = counts[found["field"]]
        fields[found["field"] if rank == 1 else f"{found['field']}.{rank}"] = found["message"]
    return fields


def require_accessible(problems: list[dict]) -> None:
    """Refuse publication (InvalidInput) if any problem was found."""
    if problems:
        codes = ", ".join(dict.fromkeys(f"{found['code']} ({found['field']})" for found in problems))
        raise InvalidInput(f"Not accessible: {codes}", refusal_fields(problems))
