"""News through the API: a unit's published articles and its categories, for anyone; its
editorial board's drafts, each step of the workflow, revisions, royalty points and the month's
royalties, for the unit's staff."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.api.revisions import FROM_TO, versions_compared

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 80}
# Filters of the published list; the content service checks them with its PublishedListing.
PUBLISHED_FILTERS = (
    Param("category", SLUG, "only the articles filed under this category (its slug)"),
    Param("tag", {"type": "string", "minLength": 1, "maxLength": 50}, "only the articles with this tag"),
    Param("featured", {"type": "boolean"}, "only the featured articles (true), or only the others (false)"),
    Param("day", {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
          "only the articles first published on this day, in Vietnam's time (YYYY-MM-DD)"),
)
STATUS = Param("status", {"$ref": "#/components/schemas/ArticleStatus"}, "only the articles in this state")
# A stale version, or a step the article's state does not allow.
CHANGE_ERRORS = (409,)
# Publication's accessibility gate, as the routes that publish describe it.
NOT_ACCESSIBLE = (
    "Refused (422, \"Not accessible: …\") while the article fails an accessibility check (Circular 32): "
    "an image in the body without alt text, a skipped heading level (the body starts at h2), link text that "
    "says nothing (\"xem thêm\", \"tại đây\"), a table without header cells, a paragraph in capitals, a body "
    "empty once sanitised, or no summary. The error's `fields` names each problem in Vietnamese, the first of a "
    "field under its name (`body_html`, `summary`) and more under the name and their rank (`body_html.2`). "
    "Force publishing, with a reason, is not refused.")
# A new item in a dissolved unit (410), or at an address the unit already has (409).
CREATE_ERRORS = (409, 410)


class UnitArticles(Api):
    @operation("A unit's published articles, newest first", tag="news", auth=None, lists="Article",
               sorts=("-published_at", "published_at"), params=PUBLISHED_FILTERS)
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        listing = {"skip": query.skip, "limit": query.fetch, "sort": query.sort,
                   **{param.name: req.get_param(param.name) for param in PUBLISHED_FILTERS}}
        with self.services(req) as services:
            articles = services.content.published_articles(unit, listing)
        resp.media = self.list_page(req, query, articles)

    @operation("Write a new article (a draft)", tag="news", body="ArticleInput", answers={201: "Article"},
               errors=CREATE_ERRORS)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_article", unit)
        resp.status = falcon.HTTP_201


class PublishedArticle(Api):
    @operation("A unit's published article, by its address", tag="news", auth=None, answers={200: "Article"})
    def on_get(self, req, resp, unit, slug):
        with self.services(req) as services:
            resp.media = services.content.get_published_article(unit, slug)


class EditorialArticles(Api):
    @operation("A unit's articles in any state, as its editorial board sees them (an author: their own)",
               tag="news", lists="Article", sorts=("-updated_at", "updated_at"), params=(STATUS,))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            articles = services.content.editorial_list(self.actor(req, services), unit, req.get_param("status"),
                                                       limit=query.fetch, skip=query.skip, sort=query.sort)
        resp.media = self.list_page(req, query, articles)


class Article(Api):
    @operation("An article in any state, for its unit's staff", tag="news", answers={200: "Article"})
    def on_get(self, req, resp, article_id):
        with self.services(req) as services:
            resp.media = services.content.get_article(self.actor(req, services), article_id)

    @operation("Change an article: all its fields, with the version the change is based on", tag="news",
               body="ArticleChange", answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_put(self, req, resp, article_id):
        resp.media = self.change(req, "update_article", article_id)


class ArticleStep(Api):
    """One step of the editorial workflow; each step is its own route and class below, so that
    each documents the body it takes."""

    step = ""

    def move(self, req, resp, article_id):
        options = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.move_article(self.actor(req, services), article_id, self.step, options)


class SubmitArticle(ArticleStep):
    step = "submit"

    @operation("Submit a draft for review", tag="news", body="StepVersion", answers={200: "Article"},
               errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class ApproveArticle(ArticleStep):
    step = "approve"

    @operation("Approve a submitted article", tag="news", body="StepVersion", answers={200: "Article"},
               errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class RejectArticle(ArticleStep):
    step = "reject"

    @operation("Send a submitted or approved article back to its author as a draft, saying why", tag="news",
               body="StepComment", answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class PublishArticle(ArticleStep):
    step = "publish"

    @operation("Publish an approved (or withdrawn) article, now or at a later time", tag="news",
               description=NOT_ACCESSIBLE, body="PublishOptions", answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class ForcePublishArticle(ArticleStep):
    step = "force_publish"

    @operation("Publish an article at once from any unpublished state, saying why (editor-in-chief)",
               tag="news", body="StepComment", answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class UnpublishArticle(ArticleStep):
    step = "unpublish"

    @operation("Withdraw a published article, now or at a later time", tag="news", body="PublishOptions",
               answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class ArchiveArticle(ArticleStep):
    step = "archive"

    @operation("Archive a published or withdrawn article", tag="news", body="StepVersion",
               answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        self.move(req, resp, article_id)


class ArticleRevisions(Api):
    @operation("An article's revisions, oldest first", tag="news", lists="Revision", sorts=("version",))
    def on_get(self, req, resp, article_id):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            revisions = services.content.article_history(self.actor(req, services), article_id,
                                                         skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, revisions)


class ArticleDiff(Api):
    @operation("Two revisions of an article compared, field by field", tag="news", answers={200: "RevisionDiff"},
               params=FROM_TO)
    def on_get(self, req, resp, article_id):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.article_diff(self.actor(req, services), article_id, first, second)


class ArticleRollback(Api):
    @operation("Restore an earlier revision's fields as the article's next version", tag="news",
               body="Rollback", answers={200: "Article"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, article_id):
        resp.media = self.change(req, "rollback_article", article_id)


class ArticleRoyalty(Api):
    @operation("Give an article its royalty points (editor-in-chief)", tag="news", body="RoyaltyPoints",
               answers={200: "ArticlePoints"})
    def on_put(self, req, resp, article_id):
        resp.media = self.change(req, "assign_royalty_points", article_id)


class Categories(Api):
    @operation("A unit's news categories, in menu order", tag="news", auth=None, lists="Category",
               sorts=("order",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            categories = services.content.list_categories(unit, skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, categories)

    @operation("Add a news category to the unit's menu", tag="news", body="CategoryInput",
               answers={201: "Category"}, errors=CREATE_ERRORS)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "create_category", unit)
        resp.status = falcon.HTTP_201


class Category(Api):
    @operation("Rename a category or move it in the menu, with the version the change is based on", tag="news",
               body="CategoryChange", answers={200: "Category"}, errors=CHANGE_ERRORS)
    def on_put(self, req, resp, unit, category):
        resp.media = self.change(req, "update_category", unit, category)

    @operation("Delete a category no article is filed under (409 while one is)", tag="news",
               answers={204: None}, errors=(409,))
    def on_delete(self, req, resp, unit, category):
        with self.services(req) as services:
            services.content.delete_category(self.actor(req, services), unit, category)
        resp.status = falcon.HTTP_204


class CategoryRevisions(Api):
    @operation("A category's revisions, oldest first (a deleted one's too, once its slug is used again)",
               tag="news", lists="Revision", sorts=("version",))
    def on_get(self, req, resp, unit, category):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            revisions = services.content.category_history(self.actor(req, services), unit, category,
                                                          skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, revisions)


class CategoryDiff(Api):
    @operation("Two revisions of a category compared, field by field", tag="news", answers={200: "RevisionDiff"},
               params=FROM_TO)
    def on_get(self, req, resp, unit, category):
        first, second = versions_compared(req)
        with self.services(req) as services:
            resp.media = services.content.category_diff(self.actor(req, services), unit, category, first, second)


class CategoryRollback(Api):
    @operation("Restore an earlier revision's names and menu place as the category's next version", tag="news",
               body="Rollback", answers={200: "Category"}, errors=CHANGE_ERRORS,
               description="Announced as any change of the unit's menu is; its slug never changes.")
    def on_post(self, req, resp, unit, category):
        resp.media = self.change(req, "rollback_category", unit, category)


class RoyaltyReport(Api):
    @operation("The month's royalties: per author, the articles first published that month and their points",
               tag="news", answers={200: "RoyaltyReport"})
    def on_get(self, req, resp, unit, month):
        with self.services(req) as services:
            resp.media = services.content.royalty_report(self.actor(req, services), unit, month)


class RoyaltyCsv(Api):
    @operation("The month's royalties as a CSV file for Excel (UTF-8 with a byte order mark)", tag="news",
               answers={200: {"type": "string"}}, media="text/csv")
    def on_get(self, req, resp, unit, month):
        with self.services(req) as services:
            resp.text = services.content.royalty_csv(self.actor(req, services), unit, month)
        resp.content_type = "text/csv; charset=utf-8"
        resp.downloadable_as = f"nhuan-but-{unit}-{month}.csv"
