"""The unit's royalties by month: per author, the articles first published that month with the
points the editorial board gave each, the totals, the same report as a CSV file for the
accountant, and the points given to an article by whoever may assign them."""
from __future__ import annotations

import falcon

from gateway.forms import see_other
from gateway.vietnam_time import today
from gateway.workspace.base import Workspace
from gateway.workspace.typed import NotANumber, decimal_number
from services.common.errors import InvalidInput, NotFound

MONTH = "thang"  # the query parameter naming the month shown


def royalties_path(unit: str, month: str | None = None) -> str:
    return f"/quan-tri/{unit}/nhuan-but" + (f"?{MONTH}={month}" if month else "")


def this_month() -> str:
    """This month in Vietnam's calendar, as YYYY-MM."""
    return today().strftime("%Y-%m")


class RoyaltyReport(Workspace):
    """The month's report: what the report and a refused score answer with."""

    def show(self, req, resp, staff, unit, month, report, saved=None, typed=None, problems=None):
        self.render(req, resp, "workspace/royalties.html", staff=staff, unit=unit, month=month, month_field=MONTH,
                    report=report, can_assign=staff.can("royalty.assign", unit["slug"]), saved=saved,
                    typed=typed or {}, problems=problems or {})


class Royalties(RoyaltyReport):
    """The month's report; `?thang=YYYY-MM` chooses the month (this month by default)."""

    def on_get(self, req, resp, unit):
        month = (req.get_param(MONTH) or "").strip() or this_month()
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="royalty.report")
            try:
                report = services.content.royalty_report(staff.actor, unit["slug"], month)
            except InvalidInput:
                resp.status = falcon.HTTP_422
                report = None
        self.show(req, resp, staff, unit, month, report, saved=req.get_param("da-cham"))


class RoyaltyPoints(RoyaltyReport):
    """Points given to one article of the month's report."""

    def on_post(self, req, resp, unit, month, article_id):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="royalty.assign")
            report = services.content.royalty_report(staff.actor, unit["slug"], month)
            # Only an article of this unit's report: another unit's, by a guessed id, is not found here.
            if article_id not in {article["id"] for author in report["authors"] for article in author["articles"]}:
                raise NotFound(f"No article {article_id!r} in the royalties of unit {unit['slug']!r} for {month}")
            form = self.submitted(req)
            typed = {article_id: form.get("points")}
            problem = None if form.trusted else "expired"
            if problem is None:
                try:
                    points = decimal_number(typed[article_id])
                except NotANumber:
                    points = None
                problem = "points" if points is None else None
            if problem is None:
                try:
                    services.content.assign_royalty_points(staff.actor, article_id, {"points": points})
                except InvalidInput:
                    problem = "points"
            if problem:
                resp.status = falcon.HTTP_403 if problem == "expired" else falcon.HTTP_422
                return self.show(req, resp, staff, unit, month, report, typed=typed, problems={article_id: problem})
        see_other(resp, f"{royalties_path(unit['slug'], month)}&da-cham={article_id}")


class RoyaltyCsv(Workspace):
    """The month's report as the CSV file the API serves: UTF-8 with a byte order mark, for Excel."""

    def on_get(self, req, resp, unit, month):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="royalty.report")
            resp.text = services.content.royalty_csv(staff.actor, unit["slug"], month)
        resp.content_type = "text/csv; charset=utf-8"
        resp.downloadable_as = f"nhuan-but-{unit['slug']}-{month}.csv"
        resp.cache_control = ["no-store"]
