"""The monthly ranking of the units' sites, open to everyone, and its JSON API.

    /xep-hang                 this month's table (provisional) and the list of frozen months
    /xep-hang/2026-11         a month's table, one per level; ?sap-xep=hang|ten|diem|thay-doi, ?lan=N
    /xep-hang/2026-11.csv     the same table for spreadsheets (UTF-8 with a BOM, for Excel)
    /{unit}/xep-hang          the unit's score explained, its last 12 months and its visits; ?thang=

The ranking service scores, ranks, breaks ties and freezes months; these resources ask it and
show the answers. A month the address cannot name (2026-13, abc) is a 404, as is one the
service has no table for (before the first, in the future). Ranking pages are not kept in the
page cache: a unit's place moves with every other unit's content, and a month changes when it
is frozen or recomputed, which no content event announces.
"""
from __future__ import annotations

import csv
import io
import logging
import re
from decimal import Decimal

import falcon

from gateway.api.base import Api
from gateway.api.operations import Param, operation
from gateway.charts import history_chart, visits_chart
from gateway.errors import PortalHTTPError
from gateway.resources.base import Page, unit_frame, whole_number
from gateway.unit_names import distinct_names
from gateway.visits import FAILURES
from services.common.errors import InvalidInput, NotFound, PortalError
from services.common.vietnamese import sort_key

log = logging.getLogger(__name__)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SORT_PARAMETER, REVISION_PARAMETER, MONTH_PARAMETER = "sap-xep", "lan", "thang"
# How each column orders a level's table; "hang" keeps the service's order (rank, then name).
SORTS = {
    "hang": None,
    "ten": lambda row: sort_key(row["unit_name"]),
    "diem": lambda row: -row["score"],
    "thay-doi": lambda row: (row["change"] is None, -(row["change"] or 0)),
}
DEFAULT_SORT = "hang"
VISIT_DAYS = 31  # on the unit's page
# Without a byte order mark Excel reads a CSV in the local code page and garbles Vietnamese.
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def month_named(text: str) -> str:
    """A month as an address names it, "YYYY-MM"; anything else is no page (404)."""
    if not _MONTH.fullmatch(text):
        raise PortalHTTPError(404, f"{text!r} is not a month (YYYY-MM)")
    return text


def month_table(services, month: str | None, revision: int | None = None) -> dict:
    """The month's standings (this month's when None). A month the service will not take (out
    of its years) has no table, like one it has none for: 404 either way."""
    try:
        return services.ranking.standings(month, revision)
    except InvalidInput as error:
        raise PortalHTTPError(404, error.message) from None


def level_tables(table: dict, levels: list[dict], units: list[dict], sort: str) -> list[dict]:
    """The month's tables in the order of content's levels, each named as content names its
    level and ordered by `sort` (SORTS; Python's sort is stable, so equal rows keep their ranks'
    order). A level content no longer lists comes last, named by its slug. Units of one name
    are told apart by their parents' (`units`: the unit tree)."""
    order = {level["slug"]: level["order"] for level in levels}
    key = SORTS[sort]
    names = ranked_names(table, units)
    tables = []
    for group in sorted(table["levels"], key=lambda group: (group["level"] not in order, order.get(group["level"], 0))):
        rows = [{**row, "unit_name": names.get(row["unit"], row["unit_name"])} for row in group["units"]]
        tables.append({"level": group["level"], "name": level_name(levels, group["level"]),
                       "units": sorted(rows, key=key) if key else rows})
    return tables


def ranked_names(table: dict, units: list[dict]) -> dict[str, str]:
    """{slug: name} for a month's rows: each unit under the name the month ranked it by (a unit
    renamed since keeps its old name in an old month), with its parent's name from today's tree
    where two are alike."""
    ranked = {row["unit"]: row["unit_name"] for group in table["levels"] for row in group["units"]}
    return distinct_names([{**unit, "name": ranked.get(unit["slug"], unit["name"])} for unit in units])


def level_name(levels: list[dict], slug: str) -> str:
    return next((level["name"] for level in levels if level["slug"] == slug), slug)


def current_rank(rpc, unit: str) -> dict | None:
    """The unit's place this month for its home page, with its level's name; None when the unit
    is not ranked or the ranking cannot be had: the home page never fails for it."""
    try:
        with rpc.services() as services:
            rank = services.ranking.unit_rank(unit)
            if rank is None:
                return None
            return {**rank, "level_name": level_name(services.content.list_levels(), rank["level"])}
    except (*FAILURES, PortalError) as error:
        log.warning("rank of %s not shown: %s", unit, error)
        return None


# Pages

class RankingPage(Page):
    def render_ranking(self, req, resp, template: str, **context):
        resp.context.page_cache = False  # see the module's docstring
        self.render(req, resp, template, **context)


class MonthTablePage(RankingPage):
    """What `/xep-hang` and `/xep-hang/{month}` share: a month's tables, sorted by ?sap-xep=."""

    def month_context(self, req, services, month: str | None) -> dict:
        sort = req.get_param(SORT_PARAMETER)
        sort = sort if sort in SORTS else DEFAULT_SORT
        revision = revision_asked(req)
        table = month_table(services, month, revision)
        tables = level_tables(table, services.content.list_levels(), services.content.list_units(), sort)
        return {"table": table, "tables": tables,
                "sort": sort, "revision_asked": revision}


def revision_asked(req) -> int | None:
    """?lan=N: an earlier revision of a frozen month; anything but a whole number is no page."""
    raw = req.get_param(REVISION_PARAMETER)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise PortalHTTPError(404, f"No revision {raw!r}")
    return int(raw)


class RankingIndexPage(MonthTablePage):
    """`/xep-hang`: this month so far, the criteria, and every frozen month."""

    def on_get(self, req, resp):
        with self.rpc.services() as services:
            context = self.month_context(req, services, None)
            months = services.ranking.months()
            criteria = services.ranking.criteria()
        self.render_ranking(req, resp, "ranking.html", months=months["months"], criteria=criteria, **context)


class MonthPage(MonthTablePage):
    """`/xep-hang/{YYYY-MM}`: a month's tables; a recomputed month at its latest revision unless ?lan=N."""

    def on_get(self, req, resp, month):
        month = month_named(month)
        with self.rpc.services() as services:
            context = self.month_context(req, services, month)
        self.render_ranking(req, resp, "ranking_month.html", **context)


class MonthCsv(Page):
    """`/xep-hang/{YYYY-MM}.csv` (?lan=N as the page): one row per unit, in overall rank order,
    with its level, ranks, score and each criterion's points. The headings are in the template."""

    def on_get(self, req, resp, month):
        month = month_named(month)
        revision = revision_asked(req)
        with self.rpc.services() as services:
            table = month_table(services, month, revision)
            levels = services.content.list_levels()
        criteria, points = criterion_points(table)
        rows = self.templates.get_template("ranking_month.csv").render(
            table=table, criteria=criteria, points=points, level_name=lambda slug: level_name(levels, slug),
            csv_row=csv_row)
        resp.content_type = "text/csv; charset=utf-8"
        resp.downloadable_as = f"xep-hang-{month}" + (f"-lan-{revision}" if revision else "") + ".csv"
        resp.text = BOM + rows


def criterion_points(table: dict) -> tuple[list[str], dict[str, list]]:
    """The titles of the month's criteria, and each unit's points in their order (a month is
    scored with one criteria version, kept with it)."""
    keys = [criterion["key"] for criterion in table["criteria"]]
    return ([criterion["title"] for criterion in table["criteria"]],
            {row["unit"]: [row["points"].get(key, 0) for key in keys] for row in table["units"]})


def csv_row(cells: list) -> str:
    """One CSV line (RFC 4180 quoting, CRLF). Numbers as spreadsheets read them ('72.5', '100');
    text that a spreadsheet would run as a formula starts with an apostrophe instead."""
    out = io.StringIO()
    csv.writer(out).writerow(_csv_cell(cell) for cell in cells)
    return out.getvalue()


def _csv_cell(cell):
    if isinstance(cell, float):
        return format(Decimal(str(cell)).normalize(), "f")
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return f"'{cell}"
    return cell


class UnitRankingPage(RankingPage):
    """`/{unit}/xep-hang`: the unit's score this month (or ?thang=YYYY-MM) criterion by criterion,
    what would gain it points, its flags, its last 12 months and its visits, each chart beside
    a table of its figures. A unit not ranked (yet) still shows its visits."""

    def on_get(self, req, resp, unit):
        month = req.get_param(MONTH_PARAMETER)
        if month is not None:
            month_named(month)
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            try:
                standing = services.ranking.unit_standing(unit, month)
            except NotFound:
                standing = None
            except InvalidInput as error:
                raise PortalHTTPError(404, error.message) from None
            visits = services.ranking.visit_history(unit, VISIT_DAYS)
            levels = services.content.list_levels()
        level = level_name(levels, standing["level"]) if standing else None
        # The template draws the charts, so that their titles are written beside the tables'.
        self.render_ranking(req, resp, "ranking_unit.html", standing=standing, month_asked=month, level_name=level,
                            visits=visits, history_chart=history_chart, visits_chart=visits_chart, **frame)


# JSON API

MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "examples": ["2026-11"]}


class RankingMonths(Api):
    @operation("The frozen months, newest first, each at its latest revision", tag="ranking", auth=None,
               lists="FrozenMonth", sorts=("-month",),
               description="This month's provisional table is /api/ranking/{month} for the current month "
                           "(Vietnam time); it joins this list once frozen, at 00:00 on the 1st.")
    def on_get(self, req, resp):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            listed = services.ranking.months(skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, listed["months"])


class RankingCriteria(Api):
    @operation("The criteria units are ranked by, the rules against gaming them and each level's targets",
               tag="ranking", auth=None, answers={200: "CriteriaSummary"})
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = services.ranking.criteria()


class RankingMonth(Api):
    @operation("A month's tables, by level and overall; a frozen month at its latest revision unless one is "
               "asked for", tag="ranking", auth=None, answers={200: "Standings"},
               params=(Param("revision", {"type": "integer", "minimum": 1, "maximum": 999_999_999},
                             "an earlier revision of a frozen month"),))
    def on_get(self, req, resp, month):
        revision = whole_number(req, "revision")
        with self.services(req) as services:
            resp.media = month_table(services, month, revision)


class RankingRevisions(Api):
    @operation("Freeze a month that has ended again, as a new revision with the reason (platform admins)",
               tag="ranking", body="MonthRevision", answers={201: "FrozenMonth"},
               description="The answer's Location is where the new revision is read. Earlier revisions stay.")
    def on_post(self, req, resp, month):
        reason = self.body(req).get("reason")
        with self.services(req) as services:
            revision = services.ranking.freeze_month(self.actor(req, services), month, reason)
        resp.status = falcon.HTTP_201
        resp.location = f"/api/ranking/{month}?revision={revision['revision']}"
        resp.media = revision


class RankingRebuild(Api):
    @operation("Re-read the ranking's facts from content, in the background (platform admins)", tag="ranking",
               answers={202: "RebuildStatus"},
               description="GET /api/ranking/rebuild follows it (Location).")
    def on_post(self, req, resp):
        with self.services(req) as services:
            resp.media = services.ranking.rebuild(self.actor(req, services))
        resp.status = falcon.HTTP_202
        resp.location = "/api/ranking/rebuild"

    @operation("How the rebuild of the ranking's facts goes (platform admins)", tag="ranking",
               answers={200: "RebuildStatus"})
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = services.ranking.rebuild_status(self.actor(req, services))


class UnitStanding(Api):
    @operation("The unit's score explained criterion by criterion, with its last 12 months", tag="ranking",
               auth=None, answers={200: "UnitStanding"},
               params=(Param("month", MONTH, "a month other than the current one"),))
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = services.ranking.unit_standing(unit, req.get_param("month"))


class UnitVisits(Api):
    @operation("The unit's visits day by day, today first (Vietnam time), back to 25 months", tag="ranking",
               auth=None, lists="DayVisits", sorts=("-day",),
               description="Views by people, their visitors, and bots' views apart; a day without any is zeros.")
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            services.content.get_unit(unit)  # an unknown unit is a 404, not a row of zeros
            days = services.ranking.visit_days(unit, skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, days)


class UnitMonthlyVisits(Api):
    @operation("The unit's visits month by month, this month first, back to 25 months", tag="ranking",
               auth=None, lists="MonthVisits", sorts=("-month",))
    def on_get(self, req, resp, unit):
        query = self.list_query(req, self.on_get)
        with self.services(req) as services:
            services.content.get_unit(unit)
            months = services.ranking.visit_months(unit, skip=query.skip, limit=query.fetch)
        resp.media = self.list_page(req, query, months)
