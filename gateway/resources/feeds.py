"""What machines read: RSS 2.0 and Atom 1.0 feeds of a unit's news (and of each of its
categories), XML sitemaps (sitemaps.org) of each unit and their index, and robots.txt.

Every document is a Jinja2 template (gateway/templates/*.xml, autoescaped like the pages)
rather than built with the feedgen library: feeds and sitemaps are a handful of fixed
elements, a template shows the whole document at a glance beside the pages' own, the
escaping is the one every page already relies on, and feedgen would bring lxml into the
gateway for feeds alone while covering neither sitemaps nor robots.txt. The one thing
escaping cannot do, dropping the control characters XML 1.0 forbids even as references,
`MachineReadable.render` does for the whole document.

Every address is absolute, built on the PUBLIC_URL setting: feed readers and search engines
fetch them from elsewhere.
"""
from __future__ import annotations

import re
from datetime import datetime

from gateway.errors import PortalHTTPError
from gateway.resources.base import current_unit
from gateway.resources.static_pages import LANGUAGES

FEED_SIZE = 20
MAX_SITEMAP_URLS = 50_000  # the most one sitemap file may list (sitemaps.org)
ARTICLE_BATCH = 100  # the most articles one content list returns
# Sections of a unit's site listed in its sitemap besides home, pages, categories and articles.
# The schedule (/lich-cong-tac) is left out: it redirects to the current week.
SITEMAP_SECTIONS = ("van-ban", "hoi-dap", "dich-vu-cong", "cong-khai", "du-thao", "thu-tuc-hanh-chinh",
                    "danh-muc-thong-tin", "tuan-thu", "so-do-trang")

# Characters XML 1.0 does not allow anywhere, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def last_modified(article: dict) -> datetime:
    """When a published article last changed: its publication, or a later edit."""
    return max(datetime.fromisoformat(article[name]) for name in ("published_at", "updated_at") if article[name])


def published_articles(services, unit: str, most: int) -> list[dict]:
    """Up to `most` of the unit's published articles, newest first, fetched a batch at a time.
    An article published meanwhile shifts the batches by one, so addresses seen twice count once."""
    by_path: dict[str, dict] = {}
    skip = 0
    while len(by_path) < most:
        batch = services.content.latest_articles(unit, ARTICLE_BATCH, skip=skip, with_total=False)["articles"]
        for article in batch:
            by_path.setdefault(article["path"], article)
        skip += len(batch)
        if len(batch) < ARTICLE_BATCH:
            break
    return list(by_path.values())[:most]


class MachineReadable:
    """A resource answering with a document rendered from a template, in UTF-8."""

    def __init__(self, rpc, templates, settings):
        self.rpc = rpc
        self.templates = templates
        self.public_url = settings.PUBLIC_URL.rstrip("/")

    def render(self, resp, template: str, media_type: str, **context):
        resp.content_type = f"{media_type}; charset=utf-8"
        text = self.templates.get_template(template).render(public_url=self.public_url, **context)
        resp.text = _NOT_XML.sub("", text)


class Feed(MachineReadable):
    """The unit's latest articles, `/{unit}/rss` or `/{unit}/atom`, or one category's,
    `/{unit}/chuyen-muc/{category}/rss` or `/atom`."""

    FORMATS = {"rss": ("feed_rss.xml", "application/rss+xml"), "atom": ("feed_atom.xml", "application/atom+xml")}

    def __init__(self, rpc, templates, settings, kind: str):
        super().__init__(rpc, templates, settings)
        self.kind = kind
        self.template, self.media_type = self.FORMATS[kind]

    def on_get(self, req, resp, unit, category=None):
        with self.rpc.services() as services:
            unit_doc = current_unit(services, unit, req)
            categories = services.content.list_categories(unit)
            chosen = next((c for c in categories if c["slug"] == category), None)
            if category is not None and chosen is None:
                raise PortalHTTPError(404, f"No category {category!r} in unit {unit!r}")
            articles = services.content.latest_articles(unit, FEED_SIZE, category=category,
                                                        with_total=False)["articles"]
        articles = [{**article, "last_modified": last_modified(article)} for article in articles]
        page_path = f"/{unit}/chuyen-muc/{category}" if chosen else f"/{unit}"
        self.render(resp, self.template, self.media_type, unit=unit_doc, category=chosen, articles=articles,
                    category_names={c["slug"]: c["name"] for c in categories},
                    updated=max((a["last_modified"] for a in articles), default=unit_doc["updated_at"]),
                    page_path=page_path, feed_path=f"{page_path}/{self.kind}")


class UnitSitemap(MachineReadable):
    """`/{unit}/sitemap.xml`: home, sections, static pages in both languages, categories and
    published articles, within the 50,000 addresses one sitemap may hold."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            unit_doc = current_unit(services, unit, req)
            categories = services.content.list_categories(unit)
            pages = {lang: services.content.list_pages(unit, lang) for lang in LANGUAGES}
            listed = 1 + len(SITEMAP_SECTIONS) + len(categories) + sum(len(p) for p in pages.values())
            articles = published_articles(services, unit, MAX_SITEMAP_URLS - listed)
        articles = [{**article, "last_modified": last_modified(article)} for article in articles]
        newest: dict[str | None, datetime] = {}  # per category; articles come newest first
        for article in articles:
            newest.setdefault(article["category"], article["last_modified"])
        self.render(resp, "sitemap.xml", "application/xml", unit=unit_doc, sections=SITEMAP_SECTIONS,
                    pages=pages, categories=categories, articles=articles,
                    category_lastmod={slug: moment for slug, moment in newest.items() if slug},
                    home_lastmod=articles[0]["last_modified"] if articles else None)


class SitemapIndex(MachineReadable):
    """`/sitemap.xml`: the sitemap of every unit still standing."""

    def on_get(self, req, resp):
        with self.rpc.services() as services:
            units = [unit for unit in services.content.list_units() if unit["status"] == "active"]
        self.render(resp, "sitemap_index.xml", "application/xml", units=units)


class Robots(MachineReadable):
    def on_get(self, req, resp):
        self.render(resp, "robots.txt", "text/plain")
