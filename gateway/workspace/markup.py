"""The light markup an article's body is typed in when the browser runs no editor: CommonMark
with tables, as the help block on the article form documents it. It becomes HTML here; the
content service then sanitises that HTML as it does any body, so its rules stay the last word.

Raw HTML typed into the markup is shown as text (never passed through), and headings keep to
the levels an article body may use under its title: `#` becomes h2 as `##` does, and `#####`
or deeper h4.
"""
from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

MARKUP = "markup"
HTML = "html"
FORMATS = (MARKUP, HTML)
HEADING_LEVELS = (2, 4)  # h1 is the article's title; the sanitiser keeps h2 to h4

_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def _adjusted(tokens) -> None:
    """Headings within the body's levels; every header cell of a table a column header."""
    low, high = HEADING_LEVELS
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1:]), low), high)}"
        elif token.type == "th_open":
            token.attrSet("scope", "col")


def to_html(text: str) -> str:
    """The HTML of `text` written in the markup."""
    tokens = _parser.parse(text.replace("\r\n", "\n"))
    _adjusted(tokens)
    return _parser.renderer.render(tokens, _parser.options, {})


def body_html(body: str, body_format: str) -> str:
    """The body as HTML, whichever way it was written (the editor sends HTML)."""
    return body if body_format == HTML else to_html(body)


def previewable(html: str) -> str:
    """HTML not yet through the content service, made safe to show in a preview: nothing that
    runs survives. The service's own rules, applied when the article is saved, are narrower."""
    return nh3.clean(html)
