"""HTML as word processors put it on the clipboard, turned into the plain structure a body keeps.

Word and Google Docs say most of what matters in styles, which the sanitiser drops: bold and
italic are `<span style="font-weight:700">`, Google Docs wraps a whole paste in a
`<b style="font-weight:normal">`, Word's lists are paragraphs styled `mso-list` with the bullet
as text. Before sanitising, this turns them into what they mean (strong, em, ul/ol with li),
and headings into the levels a body may use (the title is the page's h1: h1 becomes h2, h5 and
h6 become h4). Whatever else they carry (classes, styles, Office tags, conditional comments)
the sanitiser then drops.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}
VOID = {"br", "img", "hr", "col", "meta", "link", "input", "area", "base", "wbr", "source"}
_BOLD = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)
_NOT_BOLD = re.compile(r"font-weight\s*:\s*(normal|[1-4]00)", re.I)
_ITALIC = re.compile(r"font-style\s*:\s*italic", re.I)
_WORD_LIST = re.compile(r"mso-list\s*:\s*(?!ignore)", re.I)
_WORD_LIST_MARK = re.compile(r"mso-list\s*:\s*ignore", re.I)
_NUMBERED = re.compile(r"^\s*(\d+|[a-z]|[ivxlc]+)[.)]", re.I)


def plain_structure(html: str) -> str:
    """`html` with word processors' styling turned into tags; anything else passes unchanged."""
    if not isinstance(html, str) or ("style=" not in html and "<h1" not in html.lower()
                                     and "<h5" not in html.lower() and "<h6" not in html.lower()):
        return html
    rewriter = _Rewriter()
    rewriter.feed(html)
    rewriter.close()
    return rewriter.result()


class _Rewriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.closing: list[tuple[str, str]] = []  # (tag as opened, what closes it)
        self.list_kind: str | None = None  # a Word list being built from its paragraphs
        self.pending_item: list[str] | None = None  # a Word list paragraph: its text waits for its mark
        self.skipping = 0  # inside a span Word uses for a list's bullet or number
        self.mark = ""

    def handle_starttag(self, tag, attrs):
        style = dict(attrs).get("style") or ""
        if self.skipping:
            if tag not in VOID:
                self.skipping += 1
            return
        if tag == "span" and _WORD_LIST_MARK.search(style):
            self.skipping = 1
            return
        if tag == "p" and _WORD_LIST.search(style):
            self.pending_item = []
            self.closing.append((tag, "</li>"))
            self.mark = ""
            return
        if tag == "p" or tag in HEADING_LEVELS or re.fullmatch(r"h[2-4]|table|ul|ol|div", tag):
            self._end_word_list()
        if tag in HEADING_LEVELS:
            self._emit(f"<{HEADING_LEVELS[tag]}>")
            self.closing.append((tag, f"</{HEADING_LEVELS[tag]}>"))
            return
        if tag == "b" and _NOT_BOLD.search(style):
            self.closing.append((tag, ""))  # Google Docs' wrapper around a whole paste
            return
        if tag == "span" and (_BOLD.search(style) or _ITALIC.search(style)):
            opened = ("<strong>" if _BOLD.search(style) else "") + ("<em>" if _ITALIC.search(style) else "")
            self._emit(opened)
            self.closing.append((tag, ("</em>" if _ITALIC.search(style) else "") +
                                 ("</strong>" if _BOLD.search(style) else "")))
            return
        self._emit(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID:
            self.closing.append((tag, f"</{tag}>"))

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self._emit(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        for index in range(len(self.closing) - 1, -1, -1):
            if self.closing[index][0] == tag:
                for _, closer in reversed(self.closing[index + 1:]):
                    self._emit(closer)
                _, closer = self.closing[index]
                del self.closing[index:]
                if closer == "</li>" and self.pending_item is not None:
                    self._open_item()
                self._emit(closer)
                return
        # An end tag nothing opened: dropped, as a browser would.

    def handle_data(self, data):
        if self.skipping:
            self.mark += data
        else:
            self._emit(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")

    def handle_comment(self, data):
        pass  # Word's conditional comments and the like

    def handle_decl(self, decl):
        pass

    def unknown_decl(self, data):
        pass

    def result(self) -> str:
        for _, closer in reversed(self.closing):
            if closer == "</li>" and self.pending_item is not None:
                self._open_item()
            self._emit(closer)
        self.closing = []
        self._end_word_list()
        return "".join(self.out)

    def _open_item(self):
        """A Word list paragraph ends: its list starts (numbered if its mark is) and the item goes in."""
        kind = "ol" if _NUMBERED.match(self.mark.replace("\xa0", " ").replace("&nbsp;", " ")) else "ul"
        text, self.pending_item = "".join(self.pending_item), None
        if self.list_kind != kind:
            self._end_word_list()
            self.out.append(f"<{kind}>")
            self.list_kind = kind
        self.out.append("<li>" + text)

    def _end_word_list(self):
        if self.list_kind:
            self.out.append(f"</{self.list_kind}>")
            self.list_kind = None

    def _emit(self, text: str):
        if self.pending_item is not None:
            self.pending_item.append(text)
        else:
            self.out.append(text)
