"""The JSON API: editors write through it; anyone may read published material and subscribe."""
from __future__ import annotations

import hmac

import falcon

from gateway.errors import PortalHTTPError
from gateway.media import optional_version, read_json


class Api:
    def __init__(self, rpc, settings):
        self.rpc = rpc
        self.settings = settings

    def body(self, req) -> dict:
        return read_json(req, self.settings.MAX_BODY_BYTES)

    def require_editor(self, req):
        # One shared editor token until the editorial workflow brings per-user roles.
        supplied = (req.get_header("Authorization") or "").removeprefix("Bearer ").strip()
        if not supplied or not hmac.compare_digest(supplied, self.settings.EDITOR_API_TOKEN):
            raise PortalHTTPError(401, "Missing or wrong editor token (Authorization: Bearer …)")


class Units(Api):
    def on_get(self, req, resp):
        with self.rpc.services() as services:
            resp.media = {"units": services.content.list_units()}

    def on_post(self, req, resp):
        self.require_editor(req)
        data = self.body(req)
        with self.rpc.services() as services:
            resp.media = services.content.create_unit(data)
        resp.status = falcon.HTTP_201


class Unit(Api):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            resp.media = services.content.get_unit(unit)


class UnitArticles(Api):
    def on_get(self, req, resp, unit):
        limit = req.get_param_as_int("limit", min_value=1, max_value=100, default=20)
        with self.rpc.services() as services:
            resp.media = {"articles": services.content.latest_articles(unit, limit)}

    def on_post(self, req, resp, unit):
        self.require_editor(req)
        data = self.body(req)
        with self.rpc.services() as services:
            resp.media = services.content.create_article(unit, data)
        resp.status = falcon.HTTP_201


class Article(Api):
    def on_get(self, req, resp, article_id):
        self.require_editor(req)  # drafts are not public
        with self.rpc.services() as services:
            resp.media = services.content.get_article(article_id)

    def on_put(self, req, resp, article_id):
        self.require_editor(req)
        data = self.body(req)
        version = optional_version(data)
        if version is None:
            raise PortalHTTPError(422, "version is required: the version your change is based on",
                                  {"version": "required"})
        fields = {key: value for key, value in data.items() if key != "version"}
        with self.rpc.services() as services:
            resp.media = services.content.update_article(article_id, fields, version)


class ArticleTransition(Api):
    """POST /api/articles/{id}/publish or /unpublish, optionally with {"version": n}."""

    def __init__(self, rpc, settings, method: str):
        super().__init__(rpc, settings)
        self.method = method

    def on_post(self, req, resp, article_id):
        self.require_editor(req)
        version = optional_version(self.body(req)) if req.content_length else None
        with self.rpc.services() as services:
            resp.media = getattr(services.content, self.method)(article_id, version)


class Search(Api):
    def on_get(self, req, resp):
        query = req.get_param("q", required=True)
        page = req.get_param_as_int("page", default=1)
        per_page = req.get_param_as_int("per_page", default=10)
        with self.rpc.services() as services:
            resp.media = services.search.search(query, unit=req.get_param("unit"), page=page, per_page=per_page)


class Subscriptions(Api):
    def on_post(self, req, resp):
        data = self.body(req)
        with self.rpc.services() as services:
            resp.media = services.notify.subscribe(data.get("email"), data.get("unit"))
        resp.status = falcon.HTTP_202
