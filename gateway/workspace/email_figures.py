"""The emails the portal sent and the mail servers refused for good, day by day, for the
province's operators (platform admins): a day whose bounce rate reaches Canada's Notify's
thresholds tells them to look at the subscribers' addresses before mail providers stop taking
the portal's mail."""
from __future__ import annotations

import falcon

from gateway.errors import PortalHTTPError
from gateway.workspace.base import Workspace

PATH = "/quan-tri/thu-dien-tu"
DAYS = "ngay"  # the query parameter choosing the span
SPANS = (7, 30, 90)  # a week, a month, a quarter; the first is the default


class EmailFigures(Workspace):
    def on_get(self, req, resp):
        asked = (req.get_param(DAYS) or "").strip()
        span = _span(asked)
        with self.rpc.services() as services:
            staff = self.staff(req, services)
            # Permission first: who may not read the figures learns nothing from a bad parameter either.
            if not staff.user["platform_admin"]:
                raise PortalHTTPError(403, f"{staff.user['username']} is no platform admin")
            figures = services.notify.delivery_figures(span) if span else None
        if figures is None:
            resp.status = falcon.HTTP_400
        self.render(req, resp, "workspace/email_figures.html", staff=staff, path=PATH, days_field=DAYS,
                    spans=SPANS, span=span, asked=asked, figures=figures)


def _span(asked: str) -> int | None:
    """The span chosen (the first when none is), or None for a value that is none of them."""
    if not asked:
        return SPANS[0]
    return next((span for span in SPANS if asked == str(span)), None)
