"""The light markup an article's body is typed in when the browser runs no editor: CommonMark
with tables, as the help block on the article form documents it. It becomes HTML here; the
content service then sanitises that HTML as it does any body, so its rules stay the last word.

Raw HTML typed into the markup is shown as text (never passed through), and headings keep to
the levels an article body may use under its title: `#` becomes h2 as `##` does, and `#####`
or deeper h4.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

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


# Back from HTML: a saved body shown in the markup again, for those who edit without JavaScript.

_CONVERTIBLE = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td"}
_SAME = {"b": "strong", "i": "em"}
_KEPT_ATTRIBUTES = ("href", "scope")
_ESCAPED = re.compile(r"([\\*_\[\]`<>|])")
_LINE_START = re.compile(r"^([#>+\-=])")  # what would begin a heading, quotation or list
_ORDINAL = re.compile(r"^(\d+)([.)])")  # what would begin a numbered list
_SPACES = re.compile(r"\s+")
_BLOCK_TAG = re.compile(r" ?(</?(?:p|h2|h3|h4|ul|ol|li|blockquote|table|thead|tbody|tr|th|td|br)\b[^>]*>) ?")


class _Node:
    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []


class _Tree(HTMLParser):
    """The HTML as nodes (text as str), or `convertible` False at the first tag the markup lacks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("", {})
        self.open = [self.root]
        self.convertible = True

    def handle_starttag(self, tag, attrs):
        if tag not in _CONVERTIBLE:
            self.convertible = False
            return
        node = _Node(_SAME.get(tag, tag), dict(attrs))
        self.open[-1].children.append(node)
        if tag != "br":
            self.open.append(node)

    def handle_endtag(self, tag):
        if len(self.open) > 1 and self.open[-1].tag == _SAME.get(tag, tag):
            self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)


class _Unconvertible(Exception):
    pass


def _inline(nodes) -> str:
    """The markup of a block's content: one line, or several where the HTML breaks it (<br>)."""
    lines = _phrase(nodes).split("\n")
    return "\n".join(_ORDINAL.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", line.strip())) for line in lines)


def _phrase(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_ESCAPED.sub(r"\\\1", _SPACES.sub(" ", node)))
        elif node.tag == "br":
            out.append("\n")
        elif node.tag in ("strong", "em"):
            mark = "**" if node.tag == "strong" else "*"
            inner = _phrase(node.children)
            # Spaces go outside the marks, where the markup expects them.
            before, after = (" " if inner[:1] == " " else ""), (" " if inner[-1:] == " " else "")
            out.append(f"{before}{mark}{inner.strip()}{mark}{after}")
        elif node.tag == "a" and re.fullmatch(r"[^\s()<>]+", node.attrs.get("href") or ""):
            out.append(f"[{_phrase(node.children).strip()}]({node.attrs['href']})")
        else:
            raise _Unconvertible(node.tag)
    return "".join(out)


def _blocks(nodes) -> list[str]:
    blocks = []
    for node in nodes:
        if isinstance(node, str):
            if node.strip():
                raise _Unconvertible("text outside a block")
        elif node.tag == "p":
            blocks.append(_inline(node.children))
        elif node.tag in ("h2", "h3", "h4"):
            blocks.append("#" * int(node.tag[1]) + " " + _inline(node.children))
        elif node.tag in ("ul", "ol"):
            items = [child for child in node.children if not isinstance(child, str) or child.strip()]
            if not items or any(isinstance(item, str) or item.tag != "li" for item in items):
                raise _Unconvertible("list")
            blocks.append("\n".join(f"{f'{number}.' if node.tag == 'ol' else '-'} {_inline(item.children)}"
                                    for number, item in enumerate(items, 1)))
        elif node.tag == "blockquote":
            blocks.append("\n>\n".join("> " + block.replace("\n", "\n> ") for block in _blocks(node.children)))
        elif node.tag == "table":
            blocks.append(_table(node))
        else:
            raise _Unconvertible(node.tag)
    return blocks


def _table(table: _Node) -> str:
    rows = [row for part in table.children if not isinstance(part, str)
            for row in (part.children if part.tag in ("thead", "tbody") else [part])
            if not isinstance(row, str)]
    if not rows or any(row.tag != "tr" for row in rows):
        raise _Unconvertible("table")
    cells = [[cell for cell in row.children if not isinstance(cell, str)] for row in rows]
    if [cell.tag for cell in cells[0]] != ["th"] * len(cells[0]):
        raise _Unconvertible("a table without its header row")
    lines = ["| " + " | ".join(_inline(cell.children) for cell in row) + " |" for row in cells]
    lines.insert(1, "|" + "---|" * len(cells[0]))
    return "\n".join(lines)


def _shape(html: str) -> str:
    """What a reader meets in `html`: its tags (with the attributes that matter) and its words,
    with white space as a browser shows it."""
    parts: list[str] = []

    class Shape(HTMLParser):
        def handle_starttag(self, tag, attrs):
            kept = "".join(f' {name}="{value}"' for name, value in sorted(attrs) if name in _KEPT_ATTRIBUTES)
            parts.append(f"<{_SAME.get(tag, tag)}{kept}>")

        def handle_endtag(self, tag):
            if tag != "br":  # <br /> is read as a start and an end
                parts.append(f"</{_SAME.get(tag, tag)}>")

        def handle_data(self, data):
            parts.append(data)

    Shape(convert_charrefs=True).feed(html)
    return _BLOCK_TAG.sub(r"\1", _SPACES.sub(" ", "".join(parts))).strip()


def to_markup(html: str) -> str | None:
    """`html` written in the markup, or None when the markup cannot say all of it (an image, a
    cell spanning columns…): then it is edited as HTML. Only a conversion that gives back the
    very same headings, lists, tables, links and words is offered."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    if not tree.convertible:
        return None
    try:
        markup = "\n\n".join(_blocks(tree.root.children))
    except _Unconvertible:
        return None
    return markup if _shape(to_html(markup)) == _shape(html) else None
