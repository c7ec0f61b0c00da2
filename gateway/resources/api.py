"""The JSON API. Reading published material and subscribing are open to anyone; everything
else names its user with `Authorization: Bearer <token>`, and the content service decides
what that user may do."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.errors import PortalHTTPError


class Levels(Api):
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = {"levels": services.content.list_levels()}

    def on_post(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.create_level(self.actor(req, services), data)
        resp.status = falcon.HTTP_201


class Units(Api):
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = {"units": services.content.list_units()}

    def on_post(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.create_unit(self.actor(req, services), data)
        resp.status = falcon.HTTP_201


class Unit(Api):
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = services.content.get_unit(unit)

    def on_put(self, req, resp, unit):
        fields, version = self.split_version(self.body(req))
        with self.services(req) as services:
            resp.media = services.content.update_unit_profile(self.actor(req, services), unit, fields, version)


class UnitChange(Api):
    """POST /api/units/{unit}/merge {"successor"}, /dissolve, /place {"level", "parent"}."""

    def on_post(self, req, resp, unit, change):
        fields, version = self.split_version(self.optional_body(req))
        with self.services(req) as services:
            actor = self.actor(req, services)
            if change == "merge":
                resp.media = services.content.merge_unit(actor, unit, fields.get("successor"), version)
            elif change == "dissolve":
                resp.media = services.content.dissolve_unit(actor, unit, version)
            elif change == "place":
                resp.media = services.content.place_unit(actor, unit, fields, version)
            else:
                raise PortalHTTPError(404, f"No change {change!r}; use merge, dissolve or place")


class UnitHistory(Api):
    """POST /api/units/{unit}/history {"items": [...]}: an old site's archive (platform admins)."""

    def on_post(self, req, resp, unit):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.import_history(self.actor(req, services), unit, data.get("items"))


class AuditLog(Api):
    def on_get(self, req, resp, unit):
        limit = req.get_param_as_int("limit", min_value=1, max_value=500, default=100)
        with self.services(req) as services:
            resp.media = {"entries": services.content.audit_log(self.actor(req, services), unit, limit)}


class Users(Api):
    def on_post(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.create_user(self.actor(req, services), data)
        resp.status = falcon.HTTP_201


class UserRoles(Api):
    def on_post(self, req, resp, username):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.grant_role(self.actor(req, services), username, data.get("unit"),
                                                     data.get("role"))

    def on_delete(self, req, resp, username):
        with self.services(req) as services:
            resp.media = services.content.revoke_role(self.actor(req, services), username,
                                                      req.get_param("unit", required=True),
                                                      req.get_param("role", required=True))


class Categories(Api):
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = {"categories": services.content.list_categories(unit)}

    def on_post(self, req, resp, unit):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.create_category(self.actor(req, services), unit, data)
        resp.status = falcon.HTTP_201


class UnitArticles(Api):
    def on_get(self, req, resp, unit):
        """Published articles; with ?status= (or any state) as the editorial board sees them."""
        limit = req.get_param_as_int("limit", min_value=1, max_value=100, default=20)
        with self.services(req) as services:
            if req.get_header("Authorization"):
                resp.media = {"articles": services.content.editorial_list(
                    self.actor(req, services), unit, req.get_param("status"), limit)}
            else:
                resp.media = services.content.latest_articles(unit, limit)

    def on_post(self, req, resp, unit):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.create_article(self.actor(req, services), unit, data)
        resp.status = falcon.HTTP_201


class Article(Api):
    def on_get(self, req, resp, article_id):
        with self.services(req) as services:
            resp.media = services.content.get_article(self.actor(req, services), article_id)

    def on_put(self, req, resp, article_id):
        fields, version = self.split_version(self.body(req))
        if version is None:
            raise PortalHTTPError(422, "version is required: the version your change is based on",
                                  {"version": "required"})
        with self.services(req) as services:
            resp.media = services.content.update_article(self.actor(req, services), article_id, fields, version)


class ArticleStep(Api):
    """POST /api/articles/{id}/{step}: submit, approve, reject, publish, force_publish,
    unpublish, archive; body {"version", "comment", "at"} as the step needs."""

    def on_post(self, req, resp, article_id, step):
        options = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.move_article(self.actor(req, services), article_id, step, options)


class ArticleRevisions(Api):
    def on_get(self, req, resp, article_id):
        with self.services(req) as services:
            resp.media = {"revisions": services.content.article_history(self.actor(req, services), article_id)}


class ArticleDiff(Api):
    def on_get(self, req, resp, article_id):
        first = req.get_param_as_int("from", required=True, min_value=1)
        second = req.get_param_as_int("to", required=True, min_value=1)
        with self.services(req) as services:
            resp.media = services.content.article_diff(self.actor(req, services), article_id, first, second)


class ArticleRollback(Api):
    def on_post(self, req, resp, article_id):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.rollback_article(self.actor(req, services), article_id,
                                                           data.get("to_version"), data.get("version"))


class ArticleRoyalty(Api):
    def on_put(self, req, resp, article_id):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.content.assign_royalty_points(self.actor(req, services), article_id, data)


class Subscriptions(Api):
    def on_post(self, req, resp):
        data = self.body(req)
        with self.services(req) as services:
            resp.media = services.notify.subscribe(data.get("email"), data.get("unit"))
        resp.status = falcon.HTTP_202


class RoyaltyReport(Api):
    """GET /api/units/{unit}/royalties/{month}: JSON, or CSV with ?format=csv (for Excel)."""

    def on_get(self, req, resp, unit, month):
        with self.services(req) as services:
            actor = self.actor(req, services)
            if req.get_param("format") == "csv":
                resp.content_type = "text/csv; charset=utf-8"
                resp.downloadable_as = f"nhuan-but-{unit}-{month}.csv"
                resp.text = services.content.royalty_csv(actor, unit, month)
            else:
                resp.media = services.content.royalty_report(actor, unit, month)
