"""The unit's members (its editorial board): their roles granted and revoked, a new member with a
password the admin tells them, and a forgotten password reset to a temporary one.

A temporary password is shown once, on the answer to the reset itself (never in an address a
browser keeps in its history); the member must choose their own at their next sign-in.
"""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from services.common.errors import Conflict, InvalidInput, NotFound

ROLES = ("author", "editor", "editor_in_chief", "unit_admin")
TYPED = ("username", "name", "email", "role", "password")
MEMBERS_SHOWN = 101  # a unit's board is a handful of people; the service's largest page


def members_path(unit: str) -> str:
    return f"/quan-tri/{unit}/thanh-vien"


class Members(Workspace):
    """The unit's members and their roles here."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.users")
            members = self.members(services, staff, unit["slug"])
        self.render(req, resp, "workspace/member_list.html", staff=staff, unit=unit, members=members, roles=ROLES,
                    done=req.get_param("xong"), who=req.get_param("ai"), refused=None)

    @staticmethod
    def members(services, staff, unit: str) -> list[dict]:
        return services.content.list_users(staff.actor, limit=MEMBERS_SHOWN, unit=unit)

    @staticmethod
    def one(services, staff, unit: str, username: str) -> dict:
        """A member of this unit; 404 for anyone else (another unit's member included)."""
        user = services.content.read_user(staff.actor, username)
        if not user["roles"].get(unit):
            raise NotFound(f"{username!r} is no member of unit {unit!r}")
        return user


class NewMember(Workspace):
    """A new member with one role here and the password the admin will tell them."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.users")
        self.show(req, resp, staff, unit, {**dict.fromkeys(TYPED, ""), "role": "author"})

    def on_post(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.users")
            form = self.submitted(req)
            typed = {name: form.get(name) for name in TYPED}
            typed["username"] = typed["username"].strip().lower()
            problems = {} if form.trusted else {"form": "expired"}
            if not problems and typed["role"] not in ROLES:
                problems = {"role": "not a role"}
            if not problems:
                try:
                    services.content.create_user(staff.actor, {
                        "username": typed["username"], "name": typed["name"], "email": typed["email"].strip() or None,
                        "roles": {unit["slug"]: [typed["role"]]}, "password": typed["password"]})
                except InvalidInput as error:
                    problems = error.fields or {"username": error.message}
                except Conflict:
                    problems = {"username_taken": typed["username"]}
            if problems:
                resp.status = falcon.HTTP_403 if "form" in problems else falcon.HTTP_422
                return self.show(req, resp, staff, unit, typed, problems)
        see_other(resp, f"{members_path(unit['slug'])}?xong=them&ai={typed['username']}")

    def show(self, req, resp, staff, unit, typed, problems=None):
        # A password is never sent back: after a refusal it is typed again.
        self.render(req, resp, "workspace/member_new.html", staff=staff, unit=unit, roles=ROLES,
                    typed={**typed, "password": ""}, problems=problems or {})


class RoleChange(Workspace):
    """Granting (`grant`) or revoking a role of a member of this unit."""

    def __init__(self, rpc, templates, settings, grant: bool):
        super().__init__(rpc, templates, settings)
        self.grant = grant

    def on_post(self, req, resp, unit, username):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.users")
            Members.one(services, staff, unit["slug"], username)
            form = self.submitted(req)
            role = form.get("role")
            refused = None if form.trusted else "expired"
            if refused is None and role not in ROLES:
                refused = "role"
            if refused is None:
                if self.grant:
                    services.content.grant_role(staff.actor, username, {"unit": unit["slug"], "role": role})
                else:
                    services.content.revoke_role(staff.actor, username, unit["slug"], role)
            if refused:
                resp.status = falcon.HTTP_403 if refused == "expired" else falcon.HTTP_422
                return self.render(req, resp, "workspace/member_list.html", staff=staff, unit=unit,
                                   members=Members.members(services, staff, unit["slug"]), roles=ROLES,
                                   done=None, who=username, refused=refused)
        step = "cap" if self.grant else "thu-hoi"
        see_other(resp, f"{members_path(unit['slug'])}?xong={step}&ai={username}")


class PasswordReset(Workspace):
    """A temporary password for a member, shown once on this answer."""

    def on_post(self, req, resp, unit, username):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="unit.users")
            member = Members.one(services, staff, unit["slug"], username)
            form = self.submitted(req)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.render(req, resp, "workspace/member_list.html", staff=staff, unit=unit,
                                   members=Members.members(services, staff, unit["slug"]), roles=ROLES,
                                   done=None, who=username, refused="expired")
            reset = services.content.reset_password(staff.actor, username)
        self.render(req, resp, "workspace/member_password_reset.html", staff=staff, unit=unit, member=member,
                    temporary_password=reset["temporary_password"])
