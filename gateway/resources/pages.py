"""The public portal's news pages, rendered on the server: articles (with a print view and a
saved copy), a category's and a day's articles, and the unit's way to the online public
services. The homes are in gateway/resources/homes.py."""
from __future__ import annotations

import math
import re
from datetime import date, timedelta

import falcon

from gateway.errors import PortalHTTPError
from gateway.paging import page_number, pagination
from gateway.resources.base import Page, unit_frame
from gateway.vietnam_time import iso_date
from services.common.errors import NotFound
from services.common.limits import in_calendar

OTHER_ARTICLES = 5
ARTICLES_PER_PAGE = 20
COVER_WIDTH = 640  # the rendition an article's cover shows by default; srcset offers the others
NATIONAL_PUBLIC_SERVICES = "https://dichvucong.gov.vn"
MAX_TREE_DEPTH = 20  # how far up `parent` is followed before the tree is called broken
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cover_image(services, cover: dict | None) -> dict | None:
    """What an <img> of an article's cover needs. An image is never scaled up, so a small one
    lacks the wide renditions: only those it has are offered. None if the image is gone."""
    if not cover:
        return None
    try:
        media = services.content.get_media(cover["media_id"])
    except NotFound:
        return None
    widths = sorted(int(width) for width in media["renditions"])
    if not widths:
        return None
    shown = max([width for width in widths if width <= COVER_WIDTH] or widths[:1])
    rendition = media["renditions"][str(shown)]
    base = f"/tep/{media['id']}"
    return {"src": f"{base}/{shown}", "srcset": ", ".join(f"{base}/{width} {width}w" for width in widths),
            "width": rendition["width"], "height": rendition["height"],
            "alt": cover["alt"], "caption": cover.get("caption", "")}


class ArticlePage(Page):
    """`/{unit}/tin-tuc/{slug}`; `?ban-in=1` is its print view (no menus), `?tai-ve=1` the same
    view saved as an .html file, whose links lead back to the portal at `public_url`."""

    def __init__(self, rpc, templates, public_url: str):
        super().__init__(rpc, templates)
        self.public_url = public_url.rstrip("/")

    def on_get(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            article = services.content.get_published_article(unit, slug)
            cover = cover_image(services, article["cover"])
            recent = services.content.latest_articles(unit, OTHER_ARTICLES + 1, with_total=False)["articles"]
        context = {
            "article": article, "cover": cover,
            "category": next((c for c in frame["categories"] if c["slug"] == article["category"]), None),
            "others": [other for other in recent if other["id"] != article["id"]][:OTHER_ARTICLES],
            **frame,
        }
        if req.get_param_as_bool("tai-ve"):
            # The page cache keeps bodies, not headers: a cached copy would lose the attachment.
            resp.context.page_cache = False
            resp.downloadable_as = f"{article['slug']}.html"
            self.render(req, resp, "article_print.html", public_url=self.public_url, saved=True, **context)
        elif req.get_param_as_bool("ban-in"):
            self.render(req, resp, "article_print.html", public_url=self.public_url, saved=False, **context)
        else:
            self.render(req, resp, "article.html", **context)


def latest_page(services, unit: str, number: int, **which) -> dict:
    """Page `number` of the unit's latest articles (`which`: category=, or tag_key=
    for a tag's address), with the total."""
    return services.content.latest_articles(unit, ARTICLES_PER_PAGE, skip=(number - 1) * ARTICLES_PER_PAGE,
                                            with_total=True, **which)


class NewsPage(Page):
    """A page of a unit's news that may list articles a page at a time, or refuse an address."""

    def render_list(self, req, resp, frame: dict, listed: dict, number: int, path: str, **subject):
        """One page of `listed` (latest_articles with its total); a page past the end is a 404."""
        last = max(1, math.ceil(listed["total"] / ARTICLES_PER_PAGE))
        if not 1 <= number <= last:
            raise PortalHTTPError(404, f"Page {number} of {path} does not exist (there are {last})")
        self.render(req, resp, "news_list.html", articles=listed["articles"], total=listed["total"],
                    page=number, pages=pagination(number, ARTICLES_PER_PAGE, listed["total"]), list_path=path,
                    category=subject.get("category"), tag=subject.get("tag"), **frame)

    def render_problem(self, req, resp, frame: dict, problem: str, value: str | None):
        """A 400 page in the unit's frame saying which part of the address means nothing
        (`problem`: "page" or "day") and, for a day, offering the date form again."""
        resp.status = falcon.HTTP_400
        self.render(req, resp, "news_problem.html", problem=problem, value=value or "", **frame)


class CategoryPage(NewsPage):
    """`/{unit}/chuyen-muc/{category}?trang=N`"""

    def on_get(self, req, resp, unit, category):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            chosen = next((c for c in frame["categories"] if c["slug"] == category), None)
            if chosen is None:
                raise PortalHTTPError(404, f"No category {category!r} in unit {unit!r}")
            page = page_number(req)
            if page is None:
                return self.render_problem(req, resp, frame, "page", req.get_param("trang"))
            listed = latest_page(services, unit, page, category=category)
        self.render_list(req, resp, frame, listed, page, f"/{unit}/chuyen-muc/{category}", category=chosen)


class DateArchivePage(NewsPage):
    """`/{unit}/tin-theo-ngay/{yyyy-mm-dd}`: what the unit published that day (Vietnam's time)."""

    def on_get(self, req, resp, unit, day):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            chosen = parse_day(day)
            if chosen is None:
                return self.render_problem(req, resp, frame, "day", day)
            articles = services.content.articles_on_date(unit, chosen.isoformat())
        previous_day, next_day = chosen - timedelta(days=1), chosen + timedelta(days=1)
        self.render(req, resp, "archive.html", articles=articles, day=chosen.isoformat(),
                    previous_day=previous_day.isoformat() if in_calendar(previous_day) else None,
                    next_day=next_day.isoformat() if in_calendar(next_day) else None, **frame)


class DateArchiveForm(NewsPage):
    """`/{unit}/tin-theo-ngay?ngay=`: the "Xem tin theo ngày" form's target, which moves to the
    day's address (302). Takes what `<input type=date>` sends and dd/mm/yyyy typed by hand."""

    def on_get(self, req, resp, unit):
        raw = (req.get_param("ngay") or "").strip()
        chosen = parse_day(iso_date(raw))
        if chosen is not None:
            raise falcon.HTTPFound(f"/{unit}/tin-theo-ngay/{chosen.isoformat()}")
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
        self.render_problem(req, resp, frame, "day", raw)


def parse_day(text: str) -> date | None:
    """The day `text` names as YYYY-MM-DD, if it is one in the platform's calendar."""
    if not _ISO_DAY.match(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if in_calendar(day) else None


class PublicServicesPage(Page):
    """`/{unit}/dich-vu-cong`, in every unit's menu: the unit's own online public services (if it
    has them), the province's portal, the national portal, and the unit's page about them."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            units = {each["slug"]: each for each in services.content.list_units()}
            try:
                about = services.content.get_page(unit, "dich-vu-cong")
            except NotFound:
                about = None
        province = tree_root(units, unit)
        self.render(req, resp, "public_services.html", province=province if province["slug"] != unit else None,
                    national_url=NATIONAL_PUBLIC_SERVICES, about=about, **frame)


def tree_root(units: dict[str, dict], slug: str) -> dict:
    """The top of the units' tree above `slug` (the province), following `parent`."""
    unit = units[slug]
    for _ in range(MAX_TREE_DEPTH):
        if not unit["parent"] or unit["parent"] not in units:
            return unit
        unit = units[unit["parent"]]
    return unit


class Health:
    def on_get(self, req, resp):
        resp.media = {"status": "ok"}
