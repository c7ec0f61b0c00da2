"""The people who run the units' sites, through the API: a platform admin sees and names anyone;
a unit's admin the users of their units, and gives or takes roles there."""
from __future__ import annotations

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 80}


class Users(Api):
    @operation("The users the caller may see, by username", tag="users", lists="User",
               sorts=("username", "-username"),
               params=(Param("unit", SLUG, "only the users holding a role in this unit"),))
    def on_get(self, req, resp):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            users = services.content.list_users(self.actor(req, services), skip=query.skip, limit=query.fetch,
                                                sort=query.sort, unit=req.get_param("unit"))
        resp.media = self.list_page(req, query, users)

    @operation("Add a user; the answer carries their API token, shown this once", tag="users",
               body="UserInput", answers={201: "NewUser"}, errors=(409,))
    def on_post(self, req, resp):
        resp.media = self.change(req, "create_user")
        resp.status = falcon.HTTP_201


class User(Api):
    @operation("A user: oneself, a user of a unit one administers, or anyone for a platform admin",
               tag="users", answers={200: "User"})
    def on_get(self, req, resp, username):
        with self.services(req) as services:
            resp.media = services.content.read_user(self.actor(req, services), username)


class UserRoles(Api):
    @operation("Give the user a role in a unit (the unit's admin)", tag="users", body="RoleGrant",
               answers={200: "User"})
    def on_post(self, req, resp, username):
        resp.media = self.change(req, "grant_role", username)

    @operation("Take a role in a unit from the user (the unit's admin)", tag="users", answers={200: "User"},
               params=(Param("unit", SLUG, "the unit", required=True),
                       Param("role", {"$ref": "#/components/schemas/RoleGrant/properties/role"}, "the role",
                             required=True)))
    def on_delete(self, req, resp, username):
        with self.services(req) as services:
            resp.media = services.content.revoke_role(self.actor(req, services), username, req.get_param("unit"),
                                                      req.get_param("role"))


class UserPasswordReset(Api):
    @operation("Reset a member's workspace password (the unit's admin): a temporary one, shown this once",
               tag="users", answers={200: "PasswordReset"},
               description="The member must choose their own password at their next sign-in to /quan-tri; "
                           "every session of theirs ends. A repeat makes another temporary password.")
    def on_post(self, req, resp, username):
        with self.services(req) as services:
            resp.media = services.content.reset_password(self.actor(req, services), username)
