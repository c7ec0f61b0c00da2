"""A unit's articles in the workspace (`/quan-tri/{unit}/bai-viet`): the list, each workflow
step's button, and the private preview through the public article page. The form that writes
an article is articles_form.py; the steps a person may take, article_steps.py."""
from __future__ import annotations

from datetime import datetime, timezone

import falcon

from gateway.forms import see_other
from gateway.resources.base import unit_frame
from gateway.resources.pages import OTHER_ARTICLES, cover_image
from gateway.workspace.article_schedule import SCHEDULABLE, typed_schedule
from gateway.workspace.article_steps import Step
from gateway.workspace.articles_form import (
    ArticleForms,
    article_path,
    base_path,
    tags_of,
    typed_fields,
    unit_article,
    version_of,
)
from gateway.workspace.base import Workspace
from gateway.workspace.markup import body_html, previewable
from services.common.errors import Conflict, Forbidden, InvalidInput

PER_PAGE = 20
LISTED_STATES = ("draft", "submitted", "approved", "published", "rejected", "unpublished", "archived")
REJECTED = "rejected"  # not a state of its own: a draft sent back with the reviewer's comment
BATCH = 100  # the most articles one editorial_list call returns
MOST_EXAMINED = 1000  # drafts looked through for the rejected ones
MIN_COMMENT = 3  # the shortest reason the content service accepts
BACK_TO_FORM = "sua"  # a preview's button that goes back to the form with the fields as typed


class ArticleList(Workspace):
    """`/quan-tri/{unit}/bai-viet?trang-thai=draft&trang=2`: newest change first."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            state = req.get_param("trang-thai") or ""
            if state not in LISTED_STATES:
                state = ""
            page = max(1, req.get_param_as_int("trang", default=1) or 1) if _numeric(req.get_param("trang")) else 1
            articles, more = self._page(services, staff, unit, state, page)
        self.render(req, resp, "workspace/article_list.html", staff=staff, unit=unit, section="bai-viet",
                    articles=articles, state=state, states=LISTED_STATES, page=page, more=more,
                    may_create=staff.can("article.create", unit["slug"]), base=base_path(unit))

    def _page(self, services, staff, unit, state, page) -> tuple[list[dict], bool]:
        skip = (page - 1) * PER_PAGE
        if state != REJECTED:
            found = services.content.editorial_list(staff.actor, unit["slug"], status=state or None,
                                                    limit=PER_PAGE + 1, skip=skip)
            return found[:PER_PAGE], len(found) > PER_PAGE
        rejected = []
        for start in range(0, MOST_EXAMINED, BATCH):
            batch = services.content.editorial_list(staff.actor, unit["slug"], status="draft", limit=BATCH,
                                                    skip=start)
            rejected += [article for article in batch if article["review_comment"]]
            if len(batch) < BATCH or len(rejected) > skip + PER_PAGE:
                break
        return rejected[skip:skip + PER_PAGE], len(rejected) > skip + PER_PAGE


def _numeric(value: str | None) -> bool:
    return value is not None and value.isdigit() and len(value) <= 6


def _numeric(value: str | None) -> bool:
    return value is not None and value.isdigit() and len(value) <= 6


class ArticleStep(ArticleForms):
    """`POST /quan-tri/{unit}/bai-viet/{article_id}/{step.slug}` with the version shown (and a
    comment where the step needs one). A refused step shows the article's page again, saying why."""

    def __init__(self, rpc, templates, settings, step: Step):
        super().__init__(rpc, templates, settings)
        self.step = step

    def on_post(self, req, resp, unit, article_id):
        step = self.step
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            article = unit_article(services, staff, unit, article_id)
            form = self.submitted(req)
            options = {"version": version_of(form)}
            if step.needs_comment:
                options["comment"] = form.get("comment").strip()
            # Publish and unpublish may be for later: the day and time typed, in Vietnam's time.
            schedule = typed_schedule(step.name, form) if step.name in SCHEDULABLE else None
            if schedule and schedule.at:
                options["at"] = schedule.at
            problem, status = None, falcon.HTTP_422
            if not form.trusted:
                problem, status = {"form": "expired"}, falcon.HTTP_403
            elif step.needs_comment and len(options["comment"]) < MIN_COMMENT:
                problem = {"comment": step.name}
            elif schedule and schedule.problem:
                problem = {"at": schedule.problem}
            else:
                try:
                    services.content.move_article(staff.actor, article["id"], step.name, options)
                except Forbidden:
                    problem, status = {"refused": step.name}, falcon.HTTP_403
                except Conflict:
                    problem, status = {"stale": step.name}, falcon.HTTP_409
                    article = unit_article(services, staff, unit, article_id)
                except InvalidInput as error:
                    problem = {"comment": step.name} if "comment" in (error.fields or {}) else (
                        error.fields or {"other": error.message})
                    if "at" in problem:  # beyond the calendar the service keeps
                        problem = {"at": "Thời điểm hẹn quá xa; chọn một ngày gần hơn."}
            if problem:
                resp.status = status
                return self.show_form(req, resp, services, staff, unit, article, step_problems=problem,
                                      comment=options.get("comment", ""), schedule=schedule, tried=step.name)
        done = f"hen-{step.slug}" if "at" in options else step.slug
        see_other(resp, f"{article_path(unit, article)}?da={done}")


class ArticlePreview(ArticleForms):
    """`/quan-tri/{unit}/bai-viet/{article_id}/xem-truoc`: the article through the public article
    page, at an address only the board reaches and no cache keeps. GET shows it as saved; a POST
    from the form (here, or at `/moi/xem-truoc` for a new article) shows it as typed, unsaved."""

    def on_get(self, req, resp, unit, article_id=None):
        if article_id is None:
            raise falcon.HTTPMethodNotAllowed(["POST"])  # an unsaved article is previewed from its form
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            article = unit_article(services, staff, unit, article_id)
            self.show_preview(req, resp, services, staff, unit, article)

    def on_post(self, req, resp, unit, article_id=None):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            article = unit_article(services, staff, unit, article_id) if article_id else None
            form = self.submitted(req)
            fields = typed_fields(form)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show_form(req, resp, services, staff, unit, article, fields, {"form": "expired"})
            if form.get(BACK_TO_FORM):
                return self.show_form(req, resp, services, staff, unit, article, fields)
            moment = datetime.now(timezone.utc).isoformat()
            typed = {
                "id": "", "updated_at": moment, "author": staff.user["username"], "author_name": staff.name,
                **(article or {}),
                "title": fields["title"].strip(), "summary": fields["summary"].strip(),
                "body_html": previewable(body_html(fields["body"], fields["body_format"])),
                "category": fields["category"] or None, "tags": tags_of(fields["tags"]),
                "cover": {"media_id": fields["cover_media_id"], "alt": fields["cover_alt"].strip(),
                          "caption": fields["cover_caption"].strip()}
                if fields["cover_media_id"] and not fields["remove_cover"] else None,
            }
            try:
                typed["accessibility"] = services.content.check_accessibility(typed["body_html"], typed["summary"])
            except InvalidInput:
                typed["accessibility"] = []  # too long to check; saving says so
            self.show_preview(req, resp, services, staff, unit, typed, fields=fields)

    def show_preview(self, req, resp, services, staff, unit, article, fields: dict | None = None):
        """`fields`: the form as typed, carried by the page back to the form or to be saved (None
        for the article as saved)."""
        frame = unit_frame(services, unit["slug"], req)
        recent = services.content.latest_articles(unit["slug"], OTHER_ARTICLES + 1, with_total=False)["articles"]
        resp.set_header("X-Robots-Tag", "noindex")
        path = article_path(unit, article) if article["id"] else f"{base_path(unit)}/moi"
        self.render(req, resp, "workspace/article_preview.html", staff=staff, article=article, fields=fields,
                    back=path, preview_path=f"{path}/xem-truoc", back_field=BACK_TO_FORM,
                    cover=cover_image(services, article["cover"]),
                    category=next((c for c in frame["categories"] if c["slug"] == article["category"]), None),
                    others=[other for other in recent if other["id"] != article["id"]][:OTHER_ARTICLES], **frame)
