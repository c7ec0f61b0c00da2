"""The public portal pages, rendered on the server."""
from __future__ import annotations

import falcon

from gateway.errors import PortalHTTPError

LATEST_ON_HOME = 10


def current_unit(services, slug: str, req) -> dict:
    """The unit, if it still stands; a merged unit's address moves to its successor's (301),
    a dissolved unit's is gone (410)."""
    unit = services.content.get_unit(slug)
    if unit["status"] == "merged":
        successor = services.content.resolve_unit(slug)["slug"]
        raise falcon.HTTPMovedPermanently("/" + successor + req.path[len(slug) + 1:])
    if unit["status"] == "dissolved":
        raise PortalHTTPError(410, f"Unit {slug!r} was dissolved")
    return unit


class Page:
    def __init__(self, rpc, templates):
        self.rpc = rpc
        self.templates = templates

    def render(self, resp, template: str, **context):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.templates.get_template(template).render(**context)


class HomePage(Page):
    def on_get(self, req, resp):
        with self.rpc.services() as services:
            units = services.content.list_units()
            latest = services.content.latest_articles(None, LATEST_ON_HOME, with_total=False)["articles"]
        names = {unit["slug"]: unit["name"] for unit in units}
        self.render(resp, "home.html", units=units, latest=latest, unit_names=names)


class UnitPage(Page):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            unit_data = current_unit(services, unit, req)
            latest = services.content.latest_articles(unit, LATEST_ON_HOME, with_total=False)["articles"]
            counters = services.ranking.visit_counters(unit)
        self.render(resp, "unit.html", unit=unit_data, latest=latest, counters=counters)


class ArticlePage(Page):
    def on_get(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            unit_data = current_unit(services, unit, req)
            article = services.content.get_published_article(unit, slug)
            counters = services.ranking.record_visit(unit, req.remote_addr, req.user_agent or "")
            recent = services.content.latest_articles(unit, 6, with_total=False)["articles"]
            others = [a for a in recent if a["id"] != article["id"]][:5]
        self.render(resp, "article.html", unit=unit_data, article=article, counters=counters, others=others)


class SubscriptionLinkPage(Page):
    """The links in subscription emails: confirm (`confirm`) or cancel (`unsubscribe`)."""

    def __init__(self, rpc, templates, action: str):
        super().__init__(rpc, templates)
        self.action = action

    def on_get(self, req, resp):
        token = req.get_param("token")
        if not token:
            raise PortalHTTPError(404, "Missing subscription token")
        with self.rpc.services() as services:
            subscription = getattr(services.notify, self.action)(token)
            unit = services.content.get_unit(subscription["unit"])
        self.render(resp, f"subscription_{self.action}.html", subscription=subscription, unit=unit)


class Health:
    def on_get(self, req, resp):
        resp.media = {"status": "ok"}
