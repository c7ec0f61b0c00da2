"""The public portal pages, rendered on the server."""
from __future__ import annotations

from gateway.errors import PortalHTTPError
from gateway.resources.base import Page, unit_frame

LATEST_ON_HOME = 10


class HomePage(Page):
    def on_get(self, req, resp):
        with self.rpc.services() as services:
            units = services.content.list_units()
            latest = services.content.latest_articles(None, LATEST_ON_HOME, with_total=False)["articles"]
        names = {unit["slug"]: unit["name"] for unit in units}
        self.render(req, resp, "home.html", units=units, latest=latest, unit_names=names)


class UnitPage(Page):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            latest = services.content.latest_articles(unit, LATEST_ON_HOME, with_total=False)["articles"]
        self.render(req, resp, "unit.html", latest=latest, **frame)


class ArticlePage(Page):
    def on_get(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            article = services.content.get_published_article(unit, slug)
            recent = services.content.latest_articles(unit, 6, with_total=False)["articles"]
            others = [a for a in recent if a["id"] != article["id"]][:5]
        self.render(req, resp, "article.html", article=article, others=others, **frame)


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
        self.render(req, resp, f"subscription_{self.action}.html", subscription=subscription, unit=unit)


class Health:
    def on_get(self, req, resp):
        resp.media = {"status": "ok"}
