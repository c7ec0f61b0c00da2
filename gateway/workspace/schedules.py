"""The leadership schedule's week grid ("lịch công tác"): one form per week holds every entry,
day by day, with empty rows to add more; a week is filled from the week before in one step and
published by who may publish.

    /quan-tri/{unit}/lich-cong-tac                    → this week (?tuan=2026-W50: that week)
    /quan-tri/{unit}/lich-cong-tac/{week}             GET the grid, POST the working copy
    /quan-tri/{unit}/lich-cong-tac/{week}/sao-chep    POST: fill it with last week's entries
    /quan-tri/{unit}/lich-cong-tac/{week}/dang        POST: publish the working copy

Next week's schedule from last week's with one change is four pages: the week, the copy, the
save, the publication. The content service judges every entry; the grid only turns a day and
a typed time into the moment it names.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import falcon

from gateway.forms import see_other
from gateway.resources.schedules import schedule_path
from gateway.vietnam_time import this_week, week_name
from gateway.workspace.base import Workspace
from gateway.workspace.items import done_path, done_step, form_version
from services.common.errors import Conflict, InvalidInput, NotFound

TEXTS = ("leader", "title", "location", "participants", "preparer")
BLANK_ROWS_PER_DAY = 2  # rows to add entries with, without JavaScript (workspace.js adds more)
WEEK_PARAMETER = "tuan"
# "7:30", "07:30", "7h30", "7h", "7g30", "7.30": how people type a time of day.
_TYPED_TIME = re.compile(r"^\s*([0-9]{1,2})\s*[:hHgG.]\s*([0-9]{2})?\s*$")


def week_path(unit: str, week: str) -> str:
    return f"/quan-tri/{unit}/lich-cong-tac/{week}"


def typed_time(text: str) -> str:
    """'7h30' → '07:30'; anything else as it was, for the service to refuse."""
    match = _TYPED_TIME.match(text)
    if not match:
        return text.strip()
    return f"{int(match[1]):02d}:{match[2] or '00'}"


def row_of(entry: dict, key: int) -> dict:
    """An entry of the working copy as a row of the grid."""
    start = datetime.fromisoformat(entry["start"])
    end = datetime.fromisoformat(entry["end"]) if entry["end"] else None
    return {"key": key, "id": entry["id"], "day": start.date().isoformat(), "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}" if end else "", "remove": False, **{name: entry[name] for name in TEXTS}}


def blank_row(key: int, day: date) -> dict:
    return {"key": key, "id": "", "day": day.isoformat(), "start": "", "end": "", "remove": False,
            **{name: "" for name in TEXTS}}


def grid_rows(entries: list[dict], monday: date) -> list[dict]:
    """The working copy's entries, then the blank rows of each day."""
    rows = [row_of(entry, key) for key, entry in enumerate(entries)]
    for offset in range(7):
        for _ in range(BLANK_ROWS_PER_DAY):
            rows.append(blank_row(len(rows), monday + timedelta(days=offset)))
    return rows


def submitted_rows(fields: dict) -> list[dict]:
    """The grid's rows as typed: every key the form carries, in the order sent."""
    keys = sorted({int(name.split(".", 1)[0]) for name in fields if re.fullmatch(r"[0-9]{1,4}\.[a-z]+", name)})
    return [{"key": key, "id": fields.get(f"{key}.id", "").strip(), "day": fields.get(f"{key}.day", ""),
             "start": fields.get(f"{key}.start", ""), "end": fields.get(f"{key}.end", ""),
             "remove": bool(fields.get(f"{key}.remove")), **{name: fields.get(f"{key}.{name}", "") for name in TEXTS}}
            for key in keys]


def is_blank(row: dict) -> bool:
    return not any(row[name].strip() for name in ("start", "end", *TEXTS))


def entries_sent(rows: list[dict]) -> tuple[list[dict], list[int]]:
    """The entries the service is to keep (rows neither removed nor left blank), and the row
    each came from, so the service's problems with entry N are shown on its row."""
    entries, keys = [], []
    for row in rows:
        if row["remove"] or is_blank(row):
            continue
        entry = {"start": f"{row['day']}T{typed_time(row['start'])}",
                 "end": f"{row['day']}T{typed_time(row['end'])}" if row["end"].strip() else None,
                 **{name: row[name] for name in TEXTS}}
        if row["id"]:
            entry["id"] = row["id"]
        entries.append(entry)
        keys.append(row["key"])
    return entries, keys


def row_problems(error: InvalidInput, keys: list[int]) -> tuple[dict, dict]:
    """The service's problems as {row key: {field: problem}} and the week's own ({name: problem})."""
    rows, week = {}, {}
    for name, problem in error.fields.items():
        parts = name.split(".")
        if len(parts) >= 3 and parts[0] == "entries" and parts[1].isdigit() and int(parts[1]) < len(keys):
            rows.setdefault(keys[int(parts[1])], {})[parts[2]] = problem
        else:
            week[parts[0]] = problem
    return rows, week


class WeekChooser(Workspace):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="schedule.edit")
        chosen = (req.get_param(WEEK_PARAMETER) or "").strip()
        see_other(resp, week_path(unit["slug"], chosen if re.fullmatch(r"[0-9]{4}-W[0-9]{2}", chosen)
                                  else this_week()[0]))


class WeekPage(Workspace):
    """What the grid and its steps share: the working copy and the page that shows it."""

    def draft(self, services, staff, unit: dict, week: str) -> dict | None:
        try:
            return services.content.get_schedule_draft(staff.actor, unit["slug"], week)
        except NotFound:
            return None  # nobody has begun this week yet

    def show(self, req, resp, staff, unit: dict, week: str, draft: dict | None, rows: list[dict] | None = None,
             version: int | None = None, problems: dict | None = None, week_problems: dict | None = None,
             expired=False, conflict=False, done=""):
        """The week's grid: the working copy, or the rows as they were typed when they were refused."""
        monday = date.fromisocalendar(*map(int, week.split("-W")), 1)
        if rows is None:
            rows = grid_rows(draft["entries"] if draft else [], monday)
            version = draft["version"] if draft else None
        days = [monday + timedelta(days=offset) for offset in range(7)]
        day_names = {day.isoformat() for day in days}
        by_day = {day.isoformat(): [] for day in days}
        for row in rows:
            # An untouched new row waits folded under its day; a row whose day was tampered with
            # is shown on Monday, with the service's problem.
            row["new"] = not row["id"] and is_blank(row)
            by_day[row["day"] if row["day"] in day_names else days[0].isoformat()].append(row)
        self.render(req, resp, "workspace/schedule_week.html", staff=staff, unit=unit, week=week, draft=draft,
                    days=days, by_day=by_day, version=version, row_count=len(rows),
                    problems=problems or {}, week_problems=week_problems or {}, expired=expired, conflict=conflict,
                    done=done, this_week=this_week()[0], previous_week=week_name(monday - timedelta(days=7)),
                    next_week=week_name(monday + timedelta(days=7)), public_path=schedule_path(unit["slug"], week),
                    leaders=draft["leaders"] if draft else [], can_publish=staff.can("schedule.publish", unit["slug"]))



class WeekGrid(WeekPage):
    def on_get(self, req, resp, unit, week):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="schedule.edit")
            draft = self.draft(services, staff, unit, week)
        self.show(req, resp, staff, unit, week, draft, done=done_step(req))

    def on_post(self, req, resp, unit, week):
        """Save the working copy: every row as it is to stand."""
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="schedule.edit")
            form = self.submitted(req)
            rows, version = submitted_rows(form.fields), form_version(form)
            draft = self.draft(services, staff, unit, week)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, week, draft, rows=rows, version=version, expired=True)
            entries, keys = entries_sent(rows)
            try:
                if version is None:
                    services.content.create_schedule(staff.actor, unit["slug"], week, {"entries": entries})
                else:
                    services.content.update_schedule(staff.actor, unit["slug"], week,
                                                     {"entries": entries, "version": version})
            except InvalidInput as error:
                problems, week_problems = row_problems(error, keys)
                resp.status = falcon.HTTP_422
                return self.show(req, resp, staff, unit, week, draft, rows=rows, version=version, problems=problems,
                                 week_problems=week_problems)
            except Conflict as error:
                # Someone saved meanwhile: what was typed stays, based on their version, so saving
                # again is a choice made knowing it replaces theirs.
                resp.status = falcon.HTTP_409
                return self.show(req, resp, staff, unit, week, draft, rows=rows, version=error.current_version,
                                 conflict=True)
        see_other(resp, done_path(week_path(unit["slug"], week), "luu"))

class WeekCopy(WeekPage):
    def on_post(self, req, resp, unit, week):
        """Fill the working copy with last week's entries; one that has entries is replaced only
        when the person ticked so."""
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="schedule.edit")
            form = self.submitted(req)
            draft = self.draft(services, staff, unit, week)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, week, draft, expired=True)
            replace = bool(form.get("replace")) and draft is not None
            try:
                services.content.copy_schedule(staff.actor, unit["slug"], week,
                                               {"replace": replace, "version": form_version(form) if replace else None})
            except InvalidInput as error:
                resp.status = falcon.HTTP_422
                return self.show(req, resp, staff, unit, week, draft, week_problems={"copy": next(iter(error.fields),
                                                                                                  "from_week")})
            except Conflict:
                resp.status = falcon.HTTP_409
                draft = self.draft(services, staff, unit, week)
                return self.show(req, resp, staff, unit, week, draft,
                                 week_problems={"copy": "replace" if not replace else "version"})
        see_other(resp, done_path(week_path(unit["slug"], week), "sao-chep"))


class WeekPublication(WeekPage):
    def on_post(self, req, resp, unit, week):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit, needs="schedule.publish")
            form = self.submitted(req)
            draft = self.draft(services, staff, unit, week)
            if not form.trusted:
                resp.status = falcon.HTTP_403
                return self.show(req, resp, staff, unit, week, draft, expired=True)
            try:
                services.content.publish_schedule(staff.actor, unit["slug"], week,
                                                  data={"version": form_version(form)})
            except (InvalidInput, NotFound):
                resp.status = falcon.HTTP_422
                return self.show(req, resp, staff, unit, week, draft, week_problems={"publish": "empty"})
            except Conflict:
                resp.status = falcon.HTTP_409
                unchanged = draft is not None and not draft["unpublished_changes"]
                return self.show(req, resp, staff, unit, week, draft,
                                 week_problems={"publish": "unchanged" if unchanged else "version"})
        see_other(resp, done_path(week_path(unit["slug"], week), "dang"))
