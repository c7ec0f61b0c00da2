"""How far each unit's site carries what the law asks of its level, open to everyone, and the
list of information each unit must publish:

    /{unit}/tuan-thu            the unit's report: each owed item, present, missing or out of date
    /{unit}/danh-muc-thong-tin  the list of information the unit must publish, and where it is
    /tuan-thu                   every unit's counts and score, and each level's; ?sap-xep=cap|ten|diem|diem-tang
    /tuan-thu.csv               the same table for spreadsheets (UTF-8 with a BOM, for Excel)

The content service judges every item (services/content/conformance.py); these resources ask it
and show its answers. The reports are public: they say only what the public can already see.
"""
from __future__ import annotations

from gateway.api.base import Api
from gateway.api.operations import operation
from gateway.resources.base import Page, unit_frame
from gateway.resources.ranking import BOM, csv_row
from services.common.vietnamese import sort_key

SORT_PARAMETER = "sap-xep"
# How the province's table is ordered; "cap" keeps the service's order (the tree's levels, then slug).
SORTS = {
    "cap": None,
    "ten": lambda row: sort_key(row["name"]),
    "diem": lambda row: (-row["score"], sort_key(row["name"])),
    "diem-tang": lambda row: (row["score"], sort_key(row["name"])),
}
DEFAULT_SORT = "cap"


def grouped(items: list[dict]) -> list[dict]:
    """[{"group", "items"}] in the order the groups first appear (the file's order)."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault(item["group"], []).append(item)
    return [{"group": group, "items": listed} for group, listed in groups.items()]


class UnitConformancePage(Page):
    """`/{unit}/tuan-thu`: the unit's items by group, each with its status in words, its newest
    date, a link to where it is on the site and the legal text that requires it."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            report = services.content.conformance(unit)
        self.render(req, resp, "conformance_unit.html", report=report, groups=grouped(report["items"]), **frame)


class InformationListPage(Page):
    """`/{unit}/danh-muc-thong-tin`: the information the unit must publish (Law on Access to
    Information 2016, art. 34), generated from the list of required sections for its level."""

    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            owed = services.content.required_sections(frame["unit"]["level"])
        items = [{**item, "path": item["path"].replace("{unit}", unit)} for item in owed["items"]]
        self.render(req, resp, "information_list.html", groups=grouped(items), version=owed["version"], **frame)


def province_table(services, req) -> tuple[dict, list[dict], str]:
    """The report, its rows ordered by ?sap-xep= (an unknown order is the default), and the order."""
    sort = req.get_param(SORT_PARAMETER)
    sort = sort if sort in SORTS else DEFAULT_SORT
    report = services.content.conformance_report()
    key = SORTS[sort]
    return report, sorted(report["units"], key=key) if key else report["units"], sort


class ProvinceConformancePage(Page):
    """`/tuan-thu`: every active unit with its level, its present, missing and out-of-date counts,
    its score and a link to its report; then each level's totals, item by item."""

    def on_get(self, req, resp):
        with self.rpc.services() as services:
            report, rows, sort = province_table(services, req)
        self.render(req, resp, "conformance.html", report=report, rows=rows, sort=sort)


class ConformanceCsv(Page):
    """`/tuan-thu.csv` (?sap-xep= as the page): one row per unit. The headings are in the template."""

    def on_get(self, req, resp):
        with self.rpc.services() as services:
            report, rows, _sort = province_table(services, req)
        text = self.templates.get_template("conformance.csv").render(report=report, rows=rows, csv_row=csv_row)
        resp.content_type = "text/csv; charset=utf-8"
        resp.downloadable_as = f"tuan-thu-{report['computed_at'][:10]}.csv"
        resp.text = BOM + text


# JSON API

class ConformanceReport(Api):
    @operation("Every active unit's conformance with the sections the law asks of its level, and each level's "
               "totals", tag="conformance", auth=None, answers={200: "ConformanceReport"},
               description="An item is present, missing or out_of_date (its newest entry older than the item "
                           "allows); a unit's score is the share of its owed items present.")
    def on_get(self, req, resp):
        with self.services(req) as services:
            resp.media = services.content.conformance_report()


class UnitConformance(Api):
    @operation("The unit's conformance item by item: status, newest date, where it is and the legal source",
               tag="conformance", auth=None, answers={200: "UnitConformance"})
    def on_get(self, req, resp, unit):
        with self.services(req) as services:
            resp.media = services.content.conformance(unit)
