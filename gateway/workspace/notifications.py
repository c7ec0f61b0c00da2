"""The page where a staff member chooses which notices come to them by email (their unit's
monthly standing, reminders of what its site lacks); the notify service keeps the choice."""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.workspace.base import Workspace
from services.common.errors import InvalidInput

PATH = "/quan-tri/thong-bao-email"
TEMPLATE = "workspace/notifications.html"
CHECKED = "1"  # what a ticked box sends


class NotificationChoices(Workspace):
    def on_get(self, req, resp):
        with self.rpc.services() as services:
            staff = self.staff(req, services)
            preferences = services.notify.staff_preferences(staff.actor)
        self.render(req, resp, TEMPLATE, staff=staff, kinds=preferences["kinds"], problems={},
                    saved=req.get_param("da-luu") is not None)

    def on_post(self, req, resp):
        with self.rpc.services() as services:
            staff = self.staff(req, services)
            form = self.submitted(req)
            kinds = services.notify.staff_preferences(staff.actor)["kinds"]
            # A box left unticked is not sent: each kind the page offers is on only if its box came back.
            chosen = {kind: form.get(kind) == CHECKED for kind in kinds}
            problems = {}
            if not form.trusted:
                problems["form"] = "expired"
            elif unknown := sorted(name for name, value in form.fields.items()
                                   if name not in kinds or value != CHECKED):
                problems = {name: "unknown" for name in unknown}
            else:
                try:
                    services.notify.change_staff_preferences(staff.actor, {"kinds": chosen})
                except InvalidInput as error:
                    problems = error.fields or {"kinds": error.message}
            if problems:
                resp.status = falcon.HTTP_403 if "form" in problems else falcon.HTTP_422
                return self.render(req, resp, TEMPLATE, staff=staff, kinds=chosen, problems=problems, saved=False)
        see_other(resp, f"{PATH}?da-luu")
