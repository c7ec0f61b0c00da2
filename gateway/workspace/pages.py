"""A unit's static pages (introduction, functions and duties, organisation, leaders, contacts and
pages of its own), edited in Vietnamese and English side by side.

Each language is its own page in the content service, with its own version: each column of the
edit page is its own form, saved, withdrawn or published again on its own. A page is created by
its key with its Vietnamese text; its English one is written beside it later.
"""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from gateway.workspace.markup import HTML, MARKUP, body_html
from gateway.workspace.typed import NotANumber, whole_number
from services.common.errors import Conflict, InvalidInput, NotFound

LANGUAGES = ("vi", "en")
TYPED = ("title", "body_html", "body_format", "order")


def pages_path(unit: str) -> str:
    return f"/quan-tri/{unit}/trang"


def typed_content(form) -> tuple[dict, dict, dict]:
    """The page's content as typed (its body in the light markup or in HTML), the service's input
    made of it, and the problems found before asking the service (a menu place that is no number)."""
    typed = {name: form.get(name) for name in TYPED}
    try:
        order = whole_number(typed["order"])
    except NotANumber:
        return typed, {}, {"order": "not a number"}
    data = {"title": typed["title"], "body_html": body_html(typed["body_html"], typed["body_format"]), "order": order}
    return typed, data, {}


class PageList(Workspace):
    """The unit's pages by key, with the state of each language; and a new page by its key."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="page.manage")
            pages = services.content.all_pages(staff.actor, unit["slug"])
        self.show(req, resp, staff, unit, pages)

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="page.manage")
            form = self.submitted(req)
            typed, data, problems = typed_content(form)
            typed["key"] = form.get("key").strip()
            if not form.trusted:
                problems = {"form": "expired"}
            if not problems:
                try:
                    services.content.create_page(staff.actor, unit["slug"], {**data, "key": typed["key"], "lang": "vi"})
                except InvalidInput as error:
                    problems = error.fields or {"body": error.message}
                except Conflict:
                    problems = {"key_taken": typed["key"]}
            if problems:
                resp.status = falcon.HTTP_403 if "form" in problems else falcon.HTTP_422
                pages = services.content.all_pages(staff.actor, unit["slug"])
                return self.show(req, resp, staff, unit, pages, typed, problems)
        see_other(resp, f"{pages_path(unit['slug'])}/{typed['key']}?da-luu=vi")

    def show(self, req, resp, staff, unit, pages, typed=None, problems=None):
        by_key: dict[str, dict] = {}
        for page in pages:
            by_key.setdefault(page["key"], {})[page["lang"]] = page
        typed = typed or {"key": "", "title": "", "body_html": "", "body_format": MARKUP, "order": ""}
        self.render(req, resp, "workspace/page_list.html", staff=staff, unit=unit, pages=by_key,
                    languages=LANGUAGES, typed=typed, problems=problems or {})


class PageColumns(Workspace):
    """One page in both languages side by side: what each responder below answers with."""

    def show(self, req, resp, staff, unit, key, stored, lang=None, typed=None, problems=None, conflict=None,
             done=None):
        """The two columns: each the page as stored (None if not yet written); the column in `lang`
        as typed, with the problems found or the version it conflicted with."""

        def column(each: str) -> dict:
            sent = each == lang
            # A stored body is HTML, so it is edited as HTML; one not yet written may be typed in the markup.
            body_format = typed["body_format"] if sent and typed else HTML if stored[each] else MARKUP
            return {"lang": each, "page": stored[each], "format": body_format, "typed": typed if sent else None,
                    "problems": (problems or {}) if sent else {}, "conflict": conflict if sent else None,
                    "done": (done or {}).get(each)}

        columns = [column(each) for each in LANGUAGES]
        self.render(req, resp, "workspace/page_edit.html", staff=staff, unit=unit, key=key, columns=columns,
                    problems=problems or {}, problem_lang=lang)

    @staticmethod
    def stored(services, staff, unit: str, key: str) -> dict:
        """The page in each language (None where it was never written); 404 if in neither."""
        stored = {}
        for lang in LANGUAGES:
            try:
                stored[lang] = services.content.read_page(staff.actor, unit, key, lang)
            except NotFound:
                stored[lang] = None
        if not any(stored.values()):
            raise NotFound(f"No page {key!r} in unit {unit!r}")
        return stored


class PageEditor(PageColumns):
    """One page in both languages side by side."""

    def on_get(self, req, resp, unit, key):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="page.manage")
            stored = self.stored(services, staff, unit["slug"], key)
        # After a save or a withdrawal, the column of that language says so.
        done = {req.get_param("da-luu"): "saved", req.get_param("da-go"): "withdrawn"}
        self.show(req, resp, staff, unit, key, stored, done=done)


class PageLanguage(PageColumns):
    """Saving one language of a page: a change of the live page (at the version the form was
    loaded with), its first version in this language, or a withdrawn page published again."""

    def on_post(self, req, resp, unit, key, lang):
        if lang not in LANGUAGES:
            raise NotFound(f"No language {lang!r}")
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="page.manage")
            stored = self.stored(services, staff, unit["slug"], key)
            form = self.submitted(req)
            typed, data, problems = typed_content(form)
            typed["version"] = form.get("version")
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, key, stored, lang, typed, {"form": "expired"})
            if problems:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, staff, unit, key, stored, lang, typed, problems)
            current = stored[lang]
            try:
                if current is None or current["status"] == "withdrawn":
                    services.content.create_page(staff.actor, unit["slug"], {**data, "key": key, "lang": lang})
                elif not typed["version"].strip():
                    # The form showed no page in this language: someone wrote one meanwhile.
                    raise Conflict(f"Page {key!r} in {lang!r} was written meanwhile", current["version"])
                else:
                    services.content.update_page(staff.actor, unit["slug"], key, lang,
                                                 {**data, "version": whole_number(typed["version"])})
            except (InvalidInput, NotANumber) as error:
                resp.status = falcon.HTTP_422
                problems = getattr(error, "fields", None) or {"version": "not a version"}
                return self.show(req, resp, staff, unit, key, stored, lang, typed, problems)
            except Conflict:
                # The other person's version is shown beside what was typed; saving again keeps this one.
                stored = self.stored(services, staff, unit["slug"], key)
                resp.status = falcon.HTTP_409
                return self.show(req, resp, staff, unit, key, stored, lang, typed, {"conflict": True},
                                 conflict=stored[lang])
        see_other(resp, f"{pages_path(unit['slug'])}/{key}?da-luu={lang}")


class PageWithdrawal(PageColumns):
    """Taking one language of a page off the site (it keeps its history; saving brings it back)."""

    def on_post(self, req, resp, unit, key, lang):
        if lang not in LANGUAGES:
            raise NotFound(f"No language {lang!r}")
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="page.manage")
            stored = self.stored(services, staff, unit["slug"], key)
            form = self.submitted(req)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, key, stored, lang, None, {"form": "expired"})
            try:
                services.content.withdraw_page(staff.actor, unit["slug"], key, lang,
                                               data={"version": whole_number(form.get("version"))})
            except (Conflict, InvalidInput, NotANumber):
                stored = self.stored(services, staff, unit["slug"], key)
                resp.status = falcon.HTTP_409
                return self.show(req, resp, staff, unit, key, stored, lang, None, {"conflict": True},
                                 conflict=stored[lang])
        see_other(resp, f"{pages_path(unit['slug'])}/{key}?da-go={lang}")
