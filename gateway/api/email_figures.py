"""The emails the notify service sent and had refused for good on each of the last days, with
their bounce rates: for the province's operators' own systems (platform admins)."""
from __future__ import annotations

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.errors import PortalHTTPError
from gateway.resources.base import whole_number

DEFAULT_DAYS = 7
# The span is the notify service's to judge (1 to 90 days): the document gives its schema.
DAYS = {"$ref": "#/components/schemas/FiguresRequest/properties/days"}


class EmailFigures(Api):
    @operation("Emails sent and refused for good per day, with the bounce rate (platform admins)",
               tag="notifications", answers={200: "DeliveryFigures"},
               params=(Param("days", DAYS, f"how many days back, today included ({DEFAULT_DAYS} unless said)"),),
               description="Days by the portal's calendar (Asia/Ho_Chi_Minh), today last. A day's bounce_rate "
                           "is refused / (sent + refused); at warn_at (5 %) Canada's Notify warns a service, "
                           "at suspend_at (10 %) it suspends it.")
    def on_get(self, req, resp):
        with self.services(req) as services:
            # Permission first: who may not read the figures learns nothing from a bad parameter either.
            user = self.user(req, services)
            if not user["platform_admin"]:
                raise PortalHTTPError(403, f"{user['username']} is no platform admin: only they read the email figures")
            resp.media = services.notify.delivery_figures(whole_number(req, "days", DEFAULT_DAYS))
