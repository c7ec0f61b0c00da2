"""An item's revisions in the workspace: who changed it, when and how; two versions side by side;
and restoring one as the item's next version.

One page serves every versioned kind: a `RevisedKind` names the content RPCs of its kind (read,
history, diff, rollback), how the URL's ids become their arguments, and the fields compared in
the order its form shows them. The diff RPCs answer a unified diff per field that changed; the
page lays each out in two columns with difflib, the HTML fields as the text a reader sees, and
marks what went and what came with <del> and <ins> beside a text label, never colour alone.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup, escape

from gateway.errors import PortalHTTPError
from gateway.forms import see_other
from gateway.resources.base import whole_number
from gateway.workspace.base import Workspace
from gateway.workspace.items import form_version, owned
from services.common.errors import Conflict

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
# Where a block of an HTML body ends a line of its text.
BLOCKS = frozenset({"p", "br", "li", "h2", "h3", "h4", "blockquote", "figure", "figcaption", "tr", "caption",
                    "table", "hr"})
WORDS = re.compile(r"\s+|[^\s]+")
VERSION = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() would also take '٣' and '３'


@dataclass(frozen=True)
class RevisedKind:
    """A versioned kind as the revisions page shows it.

    `read`, `history`, `diff` and `rollback` are content RPCs taking (actor, *ids, …), with ids as
    `ids(unit, params)` gives them from the route's parameters; what `read` answers names its
    "unit" (another unit's item is a 404); `fields` are compared in this order,
    `html_fields` as their text; `section` is the workspace menu entry; `back` the item's form.
    `read` may instead be a function of the content service, the actor and the ids.
    """

    read: str | Callable  # an RPC's name, or (content, actor, *ids) -> the item, for a kind without one
    history: str
    diff: str
    rollback: str
    ids: Callable[[str, dict], tuple]
    fields: tuple[str, ...]
    html_fields: frozenset[str]
    section: str
    back: Callable[[str, dict], str]
    permission: str
    noun: str  # the template's key for the kind's name ("bai-viet")
    view: str | None = None  # what it takes to see the page, when its edit page asks for more than a read
    said: Callable[[str, str], str] | None = None  # (field, a line of its diff) -> the line as people read it


ARTICLE = RevisedKind(
    read="get_article", history="article_history", diff="article_diff", rollback="rollback_article",
    ids=lambda unit, params: (params["article_id"],),
    fields=("title", "summary", "body_html", "tags", "category", "slug", "featured", "cover", "author"),
    html_fields=frozenset({"body_html"}), section="bai-viet",
    back=lambda unit, params: f"/quan-tri/{unit}/bai-viet/{params['article_id']}",
    permission="article.rollback", noun="bai-viet",
)


class _Text(HTMLParser):
    """An HTML body as the lines of text a reader sees; an image as its text alternative."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "img":
            self.parts.append(f"[{dict(attrs).get('alt') or '—'}]")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_lines(lines: list[str], is_html: bool) -> list[str]:
    if not is_html:
        return lines
    reader = _Text()
    reader.feed("\n".join(lines))
    reader.close()
    return [" ".join(line.split()) for line in "".join(reader.parts).split("\n") if line.strip()]


def hunks(unified: str) -> list[tuple[list[str], list[str]]]:
    """The old and the new lines of each hunk of a unified diff (context lines on both sides)."""
    found: list[tuple[list[str], list[str]]] = []
    for line in unified.splitlines():
        if HUNK.match(line):
            found.append(([], []))
        elif not found or line.startswith(("---", "+++", "\\")):
            continue
        elif line.startswith("-"):
            found[-1][0].append(line[1:])
        elif line.startswith("+"):
            found[-1][1].append(line[1:])
        else:
            found[-1][0].append(line[1:])
            found[-1][1].append(line[1:])
    return found


def _marked(words: list[str], tag: str) -> Markup:
    """Words in <del> or <ins>, with the spaces around them left outside."""
    text = "".join(words)
    core = text.strip()
    if not core:
        return escape(text)
    start = text.index(core)
    return Markup("{0}<{1}>{2}</{1}>{3}").format(text[:start], tag, core, text[start + len(core):])


def changed_line(old: str, new: str) -> tuple[Markup, Markup]:
    """One line changed into another: the words that went in <del>, those that came in <ins>."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape("".join(before[i1:i2])))
            right.append(escape("".join(after[j1:j2])))
            continue
        if i2 > i1:
            left.append(_marked(before[i1:i2], "del"))
        if j2 > j1:
            right.append(_marked(after[j1:j2], "ins"))
    return Markup("").join(left), Markup("").join(right)


def side_by_side(unified: str, is_html: bool = False, said: Callable[[str], str] | None = None) -> list[dict]:
    """Rows of two cells ("old", "new") and what happened ("same", "changed", "removed", "added",
    or "gap" between hunks), from one field's unified diff; `said` words each line for people."""
    rows: list[dict] = []
    for number, (old_lines, new_lines) in enumerate(hunks(unified)):
        if number:
            rows.append({"change": "gap", "old": Markup(""), "new": Markup("")})
        old, new = text_lines(old_lines, is_html), text_lines(new_lines, is_html)
        if said:
            old, new = [said(line) for line in old], [said(line) for line in new]
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                rows += [{"change": "same", "old": escape(line), "new": escape(line)} for line in old[i1:i2]]
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                left, right = changed_line(old[i1 + k], new[j1 + k])
                rows.append({"change": "changed", "old": left, "new": right})
            rows += [{"change": "removed", "old": _marked([line], "del"), "new": Markup("")}
                     for line in old[i1 + paired:i2]]
            rows += [{"change": "added", "old": Markup(""), "new": _marked([line], "ins")}
                     for line in new[j1 + paired:j2]]
    return rows


class Revisions(Workspace):
    """/quan-tri/{unit}/…/phien-ban: the revisions of one item of `kind`."""

    def __init__(self, rpc, templates, settings, kind: RevisedKind):
        super().__init__(rpc, templates, settings)
        self.kind = kind

    def on_get(self, req, resp, unit, **params):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            if self.kind.view:
                self.require(staff, self.kind.view, unit["slug"])
            self._show(req, resp, services, staff, unit, params)

    def on_post(self, req, resp, unit, **params):
        kind = self.kind
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            if kind.view:
                self.require(staff, kind.view, unit["slug"])
            form = self.submitted(req)
            item = self._item(services, staff, unit, params)
            self.require(staff, kind.permission, unit["slug"])
            to_version, version = _number(form.get("to_version")), form_version(form)
            if not form.trusted or to_version is None or version is None:
                resp.status = "403 Forbidden" if not form.trusted else "422 Unprocessable Entity"
                return self._show(req, resp, services, staff, unit, params, item=item,
                                  refused="form" if not form.trusted else "version")
            try:
                restored = getattr(services.content, kind.rollback)(
                    staff.actor, *kind.ids(unit["slug"], params), {"to_version": to_version, "version": version})
            except Conflict as conflict:
                resp.status = "409 Conflict"
                return self._show(req, resp, services, staff, unit, params, refused="stale",
                                  stale={"tried": version, "current": conflict.current_version})
        see_other(resp, f"{req.path}?khoi-phuc={to_version}&thanh={restored['version']}")

    def _item(self, services, staff, unit: dict, params: dict) -> dict:
        """The item, as its kind's read gives it: another unit's, or one this person may not read, is a 404."""
        kind, ids = self.kind, self.kind.ids(unit["slug"], params)
        if callable(kind.read):
            return owned(unit, kind.noun, lambda: kind.read(services.content, staff.actor, *ids))
        return owned(unit, kind.noun, lambda: getattr(services.content, kind.read)(staff.actor, *ids))

    def _show(self, req, resp, services, staff, unit, params, item=None, refused=None, stale=None):
        kind = self.kind
        ids = kind.ids(unit["slug"], params)
        item = item or self._item(services, staff, unit, params)
        revisions = getattr(services.content, kind.history)(staff.actor, *ids)
        versions = [revision["version"] for revision in revisions]
        older, newer = _chosen(req, versions)
        compared = None
        if older is not None:
            diff = getattr(services.content, kind.diff)(staff.actor, *ids, older, newer)
            compared = {"from": older, "to": newer, "fields": [
                {"name": name, "rows": side_by_side(diff["fields"][name], name in kind.html_fields,
                                                    kind.said and (lambda line, name=name: kind.said(name, line)))}
                for name in (*kind.fields, *sorted(set(diff["fields"]) - set(kind.fields))) if name in diff["fields"]]}
        order = {name: position for position, name in enumerate(kind.fields)}
        for revision in revisions:  # the fields a revision changed, in the order the form shows them
            revision["changed"] = sorted(revision["changed"], key=lambda name: (order.get(name, len(order)), name))
        self.render(req, resp, "workspace/revisions.html", staff=staff, unit=unit, kind=kind, item=item,
                    revisions=list(reversed(revisions)), versions=versions, compared=compared,
                    back=kind.back(unit["slug"], params), may_restore=staff.can(kind.permission, unit["slug"]),
                    refused=refused, stale=stale, restored=_restored(req))


def _number(value: str) -> int | None:
    return int(value) if VERSION.fullmatch(value) else None


def _chosen(req, versions: list[int]) -> tuple[int | None, int | None]:
    """The two versions compared: those asked for (?truoc=&sau=) if they exist, else the last two."""
    if len(versions) < 2:
        return None, None
    try:
        older, newer = whole_number(req, "truoc"), whole_number(req, "sau")
    except PortalHTTPError:
        older = newer = None
    if older not in versions or newer not in versions or older == newer:
        return versions[-2], versions[-1]
    return min(older, newer), max(older, newer)


def _restored(req) -> dict | None:
    try:
        restored, became = whole_number(req, "khoi-phuc"), whole_number(req, "thanh")
    except PortalHTTPError:
        return None
    return {"from": restored, "to": became} if restored and became else None

