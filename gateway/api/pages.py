"""A unit's static pages (its introduction, functions and duties, organisation, leaders,
contacts, and pages of its own) through the JSON API, in Vietnamese (vi) and English (en): the
menu and each live page for anyone; writing, withdrawing and revisions for the unit's administrator."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared

TAG = "pages"

# A page is live once saved: it is held to publication's accessibility gate at every save.
NOT_ACCESSIBLE = ("Refused (422, \"Not accessible: …\") while the body fails an accessibility check (Circular 32): "
                  "an image without alt text, a skipped heading level (the body starts at h2), link text that says "
                  "nothing, a table without header cells, a paragraph in capitals, or nothing left once sanitised; "
                  "`fields` names each problem in Vietnamese (`body_html`, then `body_html.2`, …).")


class UnitPages(Api):
    @operation("A unit's live pages in one language, in menu order", tag=TAG, auth=None, lists="StaticPageSummary",
               sorts=("order",),
               params=(Param("lang", {"type": "string", "enum": ["vi", "en"], "default": "vi"}, "the language"),))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.list_pages(
                unit, req.get_param("lang") or "vi", query.skip, query.fetch))

    @operation("Create a page (or bring a withdrawn one back)", tag=TAG, body="PageInput", answers={201: "StaticPage"},
               errors=(409,), description="Markup that could run script is removed. 409 if the page exists in "
                                          "that language: change it instead. " + NOT_ACCESSIBLE)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_page", unit)
        resp.status = falcon.HTTP_201


class UnitPage(Api):
    @operation("A live page", tag=TAG, auth=None, answers={200: "PublishedStaticPage"})
    def on_get(self, req, resp, unit, lang, key):
        with self.services(req) as services:
            resp.media = services.content.get_page(unit, key, lang)

    @operation("Change a live page", tag=TAG, body="PageChange", answers={200: "StaticPage"}, errors=(409,),
               description="Its title, body and (if given) menu order, with the `version` the change is based on. "
                           + NOT_ACCESSIBLE)
    def on_put(self, req, resp, unit, lang, key):
        resp.media = self.change(req, "update_page", unit, key, lang)


class PageWithdrawal(Api):
    @operation("Withdraw a page", tag=TAG, body="PageWithdrawal", answers={200: "StaticPage"}, errors=(409,),
               description="It leaves the site and its menu but keeps its history; creating it again brings it back.")
    def on_post(self, req, resp, unit, lang, key):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.withdraw_page(self.actor(req, services), unit, key, lang, data=data)


class PageRevisions(Api):
    @operation("A page's revisions, oldest first", tag=TAG, lists="Revision", sorts=("version",))
    def on_get(self, req, resp, unit, lang, key):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.page_history(
                self.actor(req, services), unit, key, lang, query.skip, query.fetch))


class PageDiff(Api):
    @operation("Two revisions of a page compared", tag=TAG, params=FROM_TO, answers={200: "RevisionDiff"})
    def on_get(self, req, resp, unit, lang, key):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.page_diff(self.actor(req, services), unit, key, lang, first, second)


class PageRollback(Api):
    @operation("Restore a revision's content as a live page's next version", tag=TAG, body="Rollback",
               answers={200: "StaticPage"}, errors=(409,), description=NOT_ACCESSIBLE)
    def on_post(self, req, resp, unit, lang, key):
        resp.media = self.change(req, "rollback_page", unit, key, lang)
