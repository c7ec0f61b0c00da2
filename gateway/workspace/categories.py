"""A unit's news categories: listed in menu order, added, renamed or moved in the menu, and
deleted while no article is filed under them. A category's slug is its address and never changes."""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from gateway.workspace.typed import NotANumber, whole_number
from services.common.errors import Conflict, InvalidInput, NotFound

TYPED = ("slug", "name", "name_en", "order")


def categories_path(unit: str) -> str:
    return f"/quan-tri/{unit}/chuyen-muc"


def typed_category(form) -> tuple[dict, dict, dict]:
    """The category as typed, the service's input made of it (a menu place left empty is left
    out), and the problems found before asking the service (a menu place that is no number)."""
    typed = {name: form.get(name).strip() for name in TYPED}
    try:
        order = whole_number(typed["order"])
    except NotANumber:
        return typed, {}, {"order": "not a number"}
    data = {"name": typed["name"], "name_en": typed["name_en"]}
    return typed, data if order is None else {**data, "order": order}, {}


def unit_category(services, unit: str, slug: str) -> dict:
    """The unit's category by its slug; 404 if the unit has none such (another unit's included)."""
    for category in services.content.list_categories(unit):
        if category["slug"] == slug:
            return category
    raise NotFound(f"No category {slug!r} in unit {unit!r}")


class CategoryListing(Workspace):
    """The unit's categories: what the list and a refused deletion answer with."""

    def show(self, req, resp, staff, unit, categories, typed=None, problems=None, refused=None):
        self.render(req, resp, "workspace/category_list.html", staff=staff, unit=unit, categories=categories,
                    typed=typed or dict.fromkeys(TYPED, ""), problems=problems or {},
                    added=req.get_param("da-them") if req.method == "GET" else None,
                    deleted=req.get_param("da-xoa") if req.method == "GET" else None, refused=refused)


class CategoryList(CategoryListing):
    """The unit's categories, and a new one."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="category.manage")
            categories = services.content.list_categories(unit["slug"])
        self.show(req, resp, staff, unit, categories)

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="category.manage")
            form = self.submitted(req)
            typed, data, problems = typed_category(form)
            if not form.trusted:
                problems = {"form": "expired"}
            if not problems:
                try:
                    services.content.create_category(staff.actor, unit["slug"], {**data, "slug": typed["slug"]})
                except InvalidInput as error:
                    problems = error.fields or {"body": error.message}
                except Conflict:
                    problems = {"slug_taken": typed["slug"]}
            if problems:
                resp.status = falcon.HTTP_403 if "form" in problems else falcon.HTTP_422
                categories = services.content.list_categories(unit["slug"])
                return self.show(req, resp, staff, unit, categories, typed=typed, problems=problems)
        see_other(resp, f"{categories_path(unit['slug'])}?da-them={typed['slug']}")


class CategoryEditor(Workspace):
    """One category's names and place in the menu, at the version the form was loaded with."""

    def on_get(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="category.manage")
            category = unit_category(services, unit["slug"], slug)
        typed = {**category, "order": str(category["order"]), "version": str(category["version"])}
        self.show(req, resp, staff, unit, category, typed, saved=req.get_param("da-luu") is not None)

    def on_post(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="category.manage")
            category = unit_category(services, unit["slug"], slug)
            form = self.submitted(req)
            typed, data, problems = typed_category(form)
            typed.update(slug=slug, version=form.get("version"))
            if not form.trusted:
                problems = {"form": "expired"}
            if not problems:
                try:
                    version = whole_number(typed["version"])
                    services.content.update_category(staff.actor, unit["slug"], slug, {
                        "order": category["order"], **data, "version": version})
                except (InvalidInput, NotANumber) as error:
                    problems = getattr(error, "fields", None) or {"version": "not a version"}
                except Conflict:
                    # What was typed stays; saving again is based on the version saved meanwhile.
                    category = unit_category(services, unit["slug"], slug)
                    problems = {"conflict": category["version"]}
                    typed["version"] = str(category["version"])
            if problems:
                resp.status = (falcon.HTTP_403 if "form" in problems else
                               falcon.HTTP_409 if "conflict" in problems else falcon.HTTP_422)
                return self.show(req, resp, staff, unit, category, typed, problems)
        see_other(resp, f"{categories_path(unit['slug'])}/{slug}?da-luu")

    def show(self, req, resp, staff, unit, category, typed, problems=None, saved=False):
        self.render(req, resp, "workspace/category_edit.html", staff=staff, unit=unit, category=category,
                    typed=typed, problems=problems or {}, saved=saved)


class CategoryDeletion(CategoryListing):
    """Deleting a category; refused while an article is filed under it."""

    def on_post(self, req, resp, unit, slug):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="category.manage")
            category = unit_category(services, unit["slug"], slug)
            form = self.submitted(req)
            refused = None if form.trusted else "expired"
            if refused is None:
                try:
                    services.content.delete_category(staff.actor, unit["slug"], slug)
                except Conflict:
                    refused = "in_use"
            if refused:
                resp.status = falcon.HTTP_403 if refused == "expired" else falcon.HTTP_409
                categories = services.content.list_categories(unit["slug"])
                return self.show(req, resp, staff, unit, categories, refused={"reason": refused, **category})
        see_other(resp, f"{categories_path(unit['slug'])}?da-xoa={slug}")
