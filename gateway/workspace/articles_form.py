"""The article form of the workspace, which writes an article with its cover image, and the page
that settles a stale save.

The form works without JavaScript: the body is typed in the light markup of markup.py (or, for
an article saved before, as HTML), and the editor of workspace-editor.js, when it runs, sends
HTML instead; the hidden `body_format` says which. The cover image travels in the same
multipart form and is uploaded through the content service's media library before the article
is saved; a save that fails for the article's fields deletes that upload again, so nothing is
left half-saved. A save based on an older version is never lost: the conflict page shows both
versions and carries the person's own in hidden fields, ready to be saved again.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import falcon

from gateway.errors import PortalHTTPError
from gateway.forms import see_other
from gateway.resources.pages import cover_image
from gateway.workspace.article_steps import BY_SLUG, allowed_steps
from gateway.workspace.base import Staff, Workspace
from gateway.workspace.markup import FORMATS, HTML, MARKUP, body_html, to_markup
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound

# The form's fields; `version` is the one the form was based on, carried until it is saved.
FIELDS = ("title", "summary", "category", "tags", "body", "body_format", "cover_media_id", "cover_alt",
          "cover_caption", "remove_cover", "version")
MIN_TEXT = 3  # the shortest title and image description the content service accepts
SAVED = "luu"  # ?da=luu: the notice after saving

# The content service's field names, as the form names its controls' problems.
SERVICE_FIELDS = {"title": "title", "slug": "title", "summary": "summary", "body_html": "body",
                  "category": "category", "tags": "tags", "cover": "cover_file", "cover.media_id": "cover_file",
                  "cover.alt": "cover_alt", "cover.caption": "cover_caption", "author": "author"}
UPLOAD_FIELDS = {"alt": "cover_alt", "caption": "cover_caption", "filename": "cover_file_name"}


def base_path(unit: dict) -> str:
    return f"/quan-tri/{unit['slug']}/bai-viet"


def article_path(unit: dict, article: dict) -> str:
    return f"{base_path(unit)}/{article['id']}"


def unit_article(services, staff: Staff, unit: dict, article_id: str) -> dict:
    """The article, if it is the unit's and this person may read it; 404 otherwise, so that a
    guessed id of another unit's article tells nothing."""
    try:
        article = services.content.get_article_draft(staff.actor, article_id)
    except (NotFound, Forbidden):
        article = None
    if article is None or article["unit"] != unit["slug"]:
        raise PortalHTTPError(404, f"No article {article_id!r} in unit {unit['slug']!r} for {staff.user['username']}")
    return article


def may_edit(staff: Staff, unit: dict, article: dict | None) -> bool:
    """As the content service judges it: editors change any article, authors their own drafts."""
    if article is None:
        return staff.can("article.create", unit["slug"])
    if staff.can("article.edit", unit["slug"]):
        return True
    return (staff.can("article.edit_own", unit["slug"]) and article["status"] == "draft"
            and article["author"] == staff.user["username"])


def fields_of(article: dict | None) -> dict:
    """The form's fields for a saved article (or a new one): the body in the markup, or as its
    HTML where the markup cannot say all of it."""
    if article is None:
        return {name: "" for name in FIELDS} | {"body_format": MARKUP}
    cover = article["cover"] or {}
    markup = to_markup(article["body_html"])
    body = {"body": article["body_html"], "body_format": HTML} if markup is None else {
        "body": markup, "body_format": MARKUP}
    return {"title": article["title"], "summary": article["summary"], "category": article["category"] or "",
            "tags": ", ".join(article["tags"]), **body,
            "cover_media_id": cover.get("media_id", ""), "cover_alt": cover.get("alt", ""),
            "cover_caption": cover.get("caption", ""), "remove_cover": "", "version": str(article["version"])}


def typed_fields(form) -> dict:
    fields = {name: form.get(name) for name in FIELDS}
    if fields["body_format"] not in FORMATS:
        fields["body_format"] = MARKUP
    return fields


def tags_of(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def first_problems(fields: dict, file: dict | None) -> dict:
    """What can be told before anything is sent: so no image is uploaded for a form that fails."""
    problems = {}
    if len(fields["title"].strip()) < MIN_TEXT:
        problems["title"] = "required"
    if not fields["body"].strip():
        problems["body"] = "required"
    has_cover = file is not None or (fields["cover_media_id"] and not fields["remove_cover"])
    if has_cover and len(fields["cover_alt"].strip()) < MIN_TEXT:
        problems["cover_alt"] = "required"
    if file is not None and file["too_big"]:
        problems["cover_file_size"] = "too large"
    return problems


def service_problems(error: InvalidInput, names: dict) -> dict:
    """The form's problems for the fields a service refused (named as `names` maps them)."""
    problems = {}
    for field, reason in (error.fields or {"": error.message}).items():
        name = names.get(field) or names.get(field.split(".")[0])
        problems[name or "other"] = reason
    return problems


@dataclass
class Saving:
    """One save of the article form: the person, their unit, the article as saved before (None
    for a new one), and the form as typed."""

    staff: Staff
    unit: dict
    article: dict | None
    fields: dict
    file: dict | None

    def upload_cover(self, services) -> dict:
        """The new cover image uploaded; problems named by the form's fields if it is refused."""
        try:
            media = services.content.upload_media(
                self.staff.actor, self.unit["slug"], self.file["filename"],
                base64.b64encode(self.file["data"]).decode("ascii"), self.file["content_type"],
                self.fields["cover_alt"].strip(), self.fields["cover_caption"].strip())
        except InvalidInput as error:
            fields = error.fields or {}
            if fields.get("file") == "too large":
                raise Refused({"cover_file_size": "too large"}) from None
            raise Refused({"cover_file_type": "not an image"} if "file" in fields
                          else service_problems(error, UPLOAD_FIELDS)) from None
        if media["kind"] != "image":
            services.content.delete_media(self.staff.actor, media["id"])  # a document is no cover
            raise Refused({"cover_file_type": "not an image"})
        return media

    def data(self, media_id: str) -> dict:
        fields = self.fields
        cover = None
        if media_id:
            cover = {"media_id": media_id, "alt": fields["cover_alt"].strip(),
                     "caption": fields["cover_caption"].strip()}
        data = {"title": fields["title"].strip(), "summary": fields["summary"].strip(),
                "body_html": body_html(fields["body"], fields["body_format"]),
                "category": fields["category"] or None, "tags": tags_of(fields["tags"]), "cover": cover}
        if self.article is not None:
            # What the form does not show stays as it is.
            data.update(slug=self.article["slug"], featured=self.article["featured"], author=self.article["author"])
        return data

    def save(self, services, version: int | None) -> dict:
        """The article created or changed. Refused for its fields, or Conflict for a stale
        version, the image uploaded for it is deleted again unless the conflict page carries it."""
        media = self.upload_cover(services) if self.file is not None else None
        before = self.fields["cover_media_id"]
        if media is not None:
            self.fields["cover_media_id"] = media["id"]  # carried by the conflict page, if it comes to that
        media_id = "" if self.fields["remove_cover"] and media is None else self.fields["cover_media_id"]
        try:
            if self.article is None:
                return services.content.create_article(self.staff.actor, self.unit["slug"], self.data(media_id))
            return services.content.update_article(self.staff.actor, self.article["id"],
                                                   {**self.data(media_id), "version": version})
        except InvalidInput as error:
            if media is not None:
                services.content.delete_media(self.staff.actor, media["id"])
                self.fields["cover_media_id"] = before
            raise Refused(service_problems(error, SERVICE_FIELDS)) from None


class Refused(Exception):
    def __init__(self, problems: dict):
        super().__init__(", ".join(problems))
        self.problems = problems


class ArticleForms(Workspace):
    """What the new-article and the edit pages share: the form, shown and saved."""

    def show_form(self, req, resp, services, staff, unit, article, fields=None, problems=None, notice="",
                  step_problems=None, comment="", schedule=None, tried=""):
        """The article's page: its form (or, for someone who may not change it now, the article as
        it stands) with `problems` of a save, and the workflow steps with `step_problems` of one."""
        shown = fields or fields_of(article)
        cover = None
        if shown["cover_media_id"] and not shown["remove_cover"]:
            cover = cover_image(services, {"media_id": shown["cover_media_id"], "alt": shown["cover_alt"]})
        # The editor (workspace-editor.js) reads HTML: a saved body shown in the markup comes with it.
        saved_html = article["body_html"] if article and fields is None and shown["body_format"] == MARKUP else ""
        self.render(req, resp, "workspace/article_form.html", staff=staff, unit=unit, section="bai-viet",
                    saved_html=saved_html,
                    article=article, fields=shown, problems=problems or {}, notice=notice,
                    step_problems=step_problems or {}, comment=comment, tried=tried, cover=cover, schedule=schedule,
                    done_step=BY_SLUG[notice].name if notice in BY_SLUG else "",
                    categories=services.content.list_categories(unit["slug"]),
                    editable=may_edit(staff, unit, article),
                    steps=allowed_steps(staff, unit["slug"], article) if article else [],
                    base=base_path(unit))

    def save(self, req, resp, unit_slug: str, article_id: str | None):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit_slug)
            article = unit_article(services, staff, unit, article_id) if article_id else None
            if article is None and not may_edit(staff, unit, None):
                raise PortalHTTPError(403, f"{staff.user['username']} may not write articles in {unit['slug']!r}")
            form = self.submitted(req)
            fields = typed_fields(form)
            file = form.files.get("cover_file")
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show_form(req, resp, services, staff, unit, article, fields, {"form": "expired"})
            if not may_edit(staff, unit, article):
                # Sent back meanwhile from a page opened before: what was typed stays on the page.
                resp.status = falcon.HTTP_403
                return self.show_form(req, resp, services, staff, unit, article, fields, {"locked": article["status"]})
            problems = first_problems(fields, file)
            if problems:
                resp.status = falcon.HTTP_422
                return self.show_form(req, resp, services, staff, unit, article, fields, problems)
            saving = Saving(staff, unit, article, fields, file)
            try:
                saved = saving.save(services, version_of(form))
            except Refused as refused:
                resp.status = falcon.HTTP_422
                return self.show_form(req, resp, services, staff, unit, article, fields, refused.problems)
            except Conflict:
                if article is None:
                    raise  # a new article has no version to be stale against
                resp.status = falcon.HTTP_409
                theirs = unit_article(services, staff, unit, article["id"])
                return self.render(req, resp, "workspace/article_conflict.html", staff=staff, unit=unit,
                                   section="bai-viet", article=theirs, theirs=fields_of(theirs), mine=fields,
                                   categories=services.content.list_categories(unit["slug"]),
                                   base=base_path(unit))
        see_other(resp, f"{article_path(unit, saved)}?da={SAVED}")


def version_of(form) -> int | None:
    raw = form.get("version")
    return int(raw) if raw.isdigit() else None


class NewArticle(ArticleForms):
    """`/quan-tri/{unit}/bai-viet/moi`"""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="article.create")
            self.show_form(req, resp, services, staff, unit, None)

    def on_post(self, req, resp, unit):
        self.save(req, resp, unit, None)


class EditArticle(ArticleForms):
    """`/quan-tri/{unit}/bai-viet/{article_id}`: the form, or the article as it stands for
    someone who may not change it now, with the workflow steps this person may take."""

    def on_get(self, req, resp, unit, article_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
            article = unit_article(services, staff, unit, article_id)
            self.show_form(req, resp, services, staff, unit, article, notice=req.get_param("da") or "")

    def on_post(self, req, resp, unit, article_id):
        self.save(req, resp, unit, article_id)
