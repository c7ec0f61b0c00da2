"""Units and their levels through the API: the tree anyone may read; its changes (new levels and
units, placing, merging, dissolving) for platform admins; a unit's profile, its revisions and
rollback for the unit's admin; the unit's audit log; an old site's archive brought over."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 80}
CHANGE_ERRORS = (409,)  # a stale version, or a change the unit's standing does not allow


class Levels(Api):
    @operation("The levels of the tree, from the province down", tag="units", auth=None, lists="Level",
               sorts=("order",))
    def on_get(self, req, resp):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            resp.media = self.list_page(req, query, services.content.list_levels(skip=query.skip, limit=query.fetch))

    @operation("Add a level (platform admins)", tag="units", body="LevelInput", answers={201: "Level"},
               errors=(409,))
    def on_post(self, req, resp):
        resp.media = self.change(req, "create_level")
        resp.status = falcon.HTTP_201


class Units(Api):
    @operation("The units, by name in Vietnamese order or by address", tag="units", auth=None, lists="Unit",
               sorts=("name", "-name", "slug", "-slug"),
               params=(Param("level", {**SLUG, "maxLength": 40}, "only the units at this level"),
                       Param("parent", SLUG, "only the units directly under this one"),
                       Param("status", {"$ref": "#/components/schemas/Unit/properties/status"},
                             "only the units in this standing")))
    def on_get(self, req, resp):
        query = self.list_query(req, self.on_get)
        filters = {name: req.get_param(name) for name in ("level", "parent", "status")}
        with self.services(req) as services:
            units = services.content.list_units(skip=query.skip, limit=query.fetch, sort=query.sort, **filters)
        resp.media = self.list_page(req, query, units)

    @operation("Add a unit to the tree (platform admins)", tag="units", body="UnitInput", answers={201: "Unit"},
               errors=(409,))
    def on_post(self, req, resp):
        resp.media = self.change(req, "create_unit")
        resp.status = falcon.HTTP_201


class Unit(Api):
    @operation("A unit: its place in the tree, its standing and its profile", tag="units", auth=None,
               answers={200: "Unit"},
               description="`footer` is what the unit's site footer shows: where the unit left its managing "
                           "body, contact point for information requests (communes) or public services "
                           "address empty, the value of the unit above it, which `inherited_from` names.")
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = services.content.get_unit(unit)

    @operation("Change the unit's profile (its admin)", tag="units", body="UnitProfileChange",
               answers={200: "Unit"}, errors=CHANGE_ERRORS)
    def on_put(self, req, resp, unit):
        resp.media = self.change(req, "update_unit_profile", unit)


class UnitMerge(Api):
    @operation("Merge the unit into another: its addresses then lead to its successor (platform admins)",
               tag="units", body="Merger", answers={200: "Unit"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "merge_unit", unit)


class UnitDissolution(Api):
    @operation("Dissolve the unit: its site is gone (platform admins)", tag="units", body="UnitStep",
               answers={200: "Unit"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, unit):
        data = self.optional_body(req)
        with self.services(req) as services:
            resp.media = services.content.dissolve_unit(self.actor(req, services), unit, data)


class UnitPlacement(Api):
    @operation("Move the unit in the tree: another level, another parent (platform admins)", tag="units",
               body="Placement", answers={200: "Unit"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "place_unit", unit)


class UnitRevisions(Api):
    @operation("The unit profile's revisions, oldest first (its admin)", tag="units", lists="Revision",
               sorts=("version",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            revisions = services.content.unit_history(self.actor(req, services), unit, skip=query.skip,
                                                      limit=query.fetch)
        resp.media = self.list_page(req, query, revisions)


class UnitRollback(Api):
    @operation("Restore the profile of an earlier revision, as the next version (its admin)", tag="units",
               body="Rollback", answers={200: "Unit"}, errors=CHANGE_ERRORS)
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "rollback_unit", unit)


class UnitHistory(Api):
    @operation("Bring an old site's archive onto the unit (platform admins)", tag="units", body="HistoryImport",
               answers={200: "HistoryImported"}, errors=(409,),
               description="All or nothing: a bad item is named `items.<index>.<field>` and nothing is "
                           "written. Items the unit has already are skipped, so an import may run again.")
    def on_post(self, req, resp, unit):
        resp.media = self.change(req, "import_history", unit)


class AuditLog(Api):
    @operation("The unit's audit log, latest first (its admin)", tag="units", lists="AuditEntry", sorts=("-at",),
               params=(Param("action", {"type": "string", "minLength": 1, "maxLength": 80},
                             "only this action, e.g. article.publish"),
                       Param("actor", {"type": "string", "minLength": 1, "maxLength": 80},
                             "only what this user did"),
                       Param("target", {"type": "string", "minLength": 1, "maxLength": 100},
                             "only what was done to this item (its id)")))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            entries = services.content.audit_log(
                self.actor(req, services), unit, limit=query.fetch, skip=query.skip, action=req.get_param("action"),
                by=req.get_param("actor"), target=req.get_param("target"))
        resp.media = self.list_page(req, query, entries)
