"""Signing in and out, changing one's password, and the first page after signing in."""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.unit_names import distinct_names
from gateway.workspace import dashboard, session
from gateway.workspace.base import HOME, KEPT_PREFIX, NEXT, PASSWORD, SIGN_IN, Workspace, safe_next
from services.common.errors import InvalidInput, TooManyRequests, Unauthorized


class SignIn(Workspace):
    def on_get(self, req, resp):
        self.show(req, resp, next_path=safe_next(req.get_param(NEXT)),
                  signed_out=req.get_param("da-dang-xuat") is not None)

    def on_post(self, req, resp):
        form = self.submitted(req)
        username = form.get("username").strip().lower()
        next_path = safe_next(form.get(NEXT))
        kept = {name[len(KEPT_PREFIX):]: value for name, value in form.fields.items() if name.startswith(KEPT_PREFIX)}
        shown = {"next_path": next_path, "kept": kept, "username": username}
        if not form.trusted:
            resp.status = falcon.HTTP_403
            return self.show(req, resp, expired=True, **shown)
        if not username or not form.get("password"):
            resp.status = falcon.HTTP_422
            missing = {name: True for name in ("username", "password") if not form.get(name)}
            return self.show(req, resp, problems=missing, **shown)
        with self.rpc.services() as services:
            try:
                signed_in = services.content.sign_in(username, form.get("password"), req.context.client)
            except Unauthorized:
                resp.status = falcon.HTTP_401
                return self.show(req, resp, wrong=True, **shown)
            except TooManyRequests as error:
                resp.status = falcon.HTTP_429
                if error.retry_after:
                    resp.set_header("Retry-After", str(error.retry_after))
                return self.show(req, resp, locked_minutes=-(-(error.retry_after or 900) // 60), **shown)
        session.start(req, resp, signed_in["session"], self.settings.PUBLIC_URL)
        if signed_in["user"]["must_change_password"]:
            return see_other(resp, PASSWORD)
        if kept:
            # The form sent when the session had ended, offered back with a fresh token: one click sends it.
            return self.render(req, resp, "workspace/resubmit.html", action=next_path, kept=kept)
        units = list(signed_in["user"]["permissions"])
        if next_path == HOME and len(units) == 1 and not signed_in["user"]["platform_admin"]:
            next_path = f"{HOME}/{units[0]}"  # straight to the one unit's dashboard: one page load fewer
        see_other(resp, next_path)

    def show(self, req, resp, **context):
        context = {"kept": {}, "username": "", "problems": {}, "ended": False, "expired": False, "wrong": False,
                   "locked_minutes": 0, "signed_out": False, **context}
        self.render(req, resp, "workspace/sign_in.html", next_field=NEXT, kept_prefix=KEPT_PREFIX, **context)


class SignOut(Workspace):
    def on_post(self, req, resp):
        form = self.submitted(req)
        token = session.token(req)
        if not form.trusted:
            # A sign-out another site started is not carried out; the person can sign out here.
            resp.status = falcon.HTTP_403
            return self.render(req, resp, "workspace/sign_out.html")
        if token:
            with self.rpc.services() as services:
                services.content.sign_out(token)
        session.end(req, resp)
        see_other(resp, f"{SIGN_IN}?da-dang-xuat")


class PasswordChange(Workspace):
    def on_get(self, req, resp):
        with self.rpc.services() as services:
            staff = self.staff(req, services)
        self.render(req, resp, "workspace/password.html", staff=staff, problems={},
                    changed=req.get_param("da-doi") is not None)

    def on_post(self, req, resp):
        with self.rpc.services() as services:
            staff = self.staff(req, services)
            form = self.submitted(req)
            problems = {}
            missing = {name: "missing" for name in ("current_password", "password", "password_again")
                       if not form.get(name)}
            if not form.trusted:
                problems["form"] = "expired"
            elif missing:
                problems = missing
            elif form.get("password") != form.get("password_again"):
                problems["password_again"] = "different"
            else:
                try:
                    change = {"current_password": form.get("current_password"), "password": form.get("password")}
                    services.content.change_password(staff.actor, change, staff.session)
                except InvalidInput as error:
                    problems = error.fields or {"password": error.message}
            if problems:
                resp.status = falcon.HTTP_403 if "form" in problems else falcon.HTTP_422
                return self.render(req, resp, "workspace/password.html", staff=staff, problems=problems, changed=False)
        see_other(resp, f"{PASSWORD}?da-doi")


class Home(Workspace):
    """The first page after signing in: the one unit a person works in, or a chooser."""

    def on_get(self, req, resp):
        with self.rpc.services() as services:
            staff = self.staff(req, services)
            tree = services.content.list_units(status="active")
            held = set(staff.units())
            units = tree if staff.user["platform_admin"] else [unit for unit in tree if unit["slug"] in held]
            if len(units) == 1 and not staff.user["platform_admin"]:
                return see_other(resp, f"{HOME}/{units[0]['slug']}")
            levels = services.content.list_levels()
        asked = req.get_param(dashboard.FILTER) or ""
        self.render(req, resp, "workspace/choose_unit.html", staff=staff, units=units, asked=asked,
                    groups=dashboard.unit_choices(units, levels, asked), filter_field=dashboard.FILTER,
                    unit_names=distinct_names(tree))
