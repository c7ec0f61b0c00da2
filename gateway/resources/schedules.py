"""A unit's leadership work schedule ("lịch công tác"), one ISO week a page, with its iCalendar twin.

    /{unit}/lich-cong-tac                 → 302 to this week in Vietnam (never cached)
    /{unit}/lich-cong-tac/2026-W48        the week, day by day; ?lanh-dao= keeps one leader's entries
    /{unit}/lich-cong-tac/2026-W48.ics    the same week for calendar apps

The content service judges what a week is; a week it refuses is a 400 page saying why.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import groupby
from urllib.parse import urlencode

import falcon

from gateway.resources.base import Page, unit_frame
from gateway.vietnam_time import this_week, week_name
from services.common.errors import InvalidInput

LEADER_PARAMETER = "lanh-dao"
PUBLISHED_WEEKS_SHOWN = 10


def schedule_path(unit: str, week: str) -> str:
    return f"/{unit}/lich-cong-tac/{week}"


def leader_of(req) -> str | None:
    leader = (req.get_param(LEADER_PARAMETER) or "").strip()
    return leader or None


def leader_query(leader: str | None) -> str:
    """'?lanh-dao=…' to keep one leader's entries from link to link, or nothing."""
    return "?" + urlencode({LEADER_PARAMETER: leader}) if leader else ""


def days_of(schedule: dict) -> list[dict]:
    """Monday to Sunday, each with its entries in order of time (the service sorts them)."""
    monday = date.fromisoformat(schedule["starts_on"])
    by_day = {day: list(entries) for day, entries in
              groupby(schedule["entries"], key=lambda entry: datetime.fromisoformat(entry["start"]).date())}
    return [{"date": monday + timedelta(days=offset), "entries": by_day.get(monday + timedelta(days=offset), [])}
            for offset in range(7)]


class CurrentWeek(Page):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            unit_frame(services, unit, req)  # a merged or dissolved unit answers as such
        resp.status = falcon.HTTP_302
        resp.location = schedule_path(unit, this_week()[0]) + leader_query(leader_of(req))
        # Where it points changes every Monday.
        resp.cache_control = ["no-store"]


class WeekResource(Page):
    def read_week(self, req, resp, unit: str, week: str, read):
        """`read(services)` with the unit's frame, or None once a week the service refuses has
        been answered with the 400 page naming it."""
        with self.rpc.services() as services:
            frame = unit_frame(services, unit, req)
            try:
                return frame, read(services)
            except InvalidInput as error:
                if "week" not in error.fields:
                    raise
        resp.status = falcon.HTTP_400
        self.render(req, resp, "schedule_bad_week.html", week=week, **frame)
        return frame, None


class WeekPage(WeekResource):
    def on_get(self, req, resp, unit, week):
        leader = leader_of(req)
        frame, found = self.read_week(req, resp, unit, week, lambda services: (
            services.content.get_schedule(unit, week, leader),
            services.content.schedule_weeks(unit, PUBLISHED_WEEKS_SHOWN)))
        if found is None:
            return
        schedule, published = found
        monday = date.fromisoformat(schedule["starts_on"])
        self.render(req, resp, "schedule_week.html", schedule=schedule, days=days_of(schedule), leader=leader,
                    previous_week=week_name(monday - timedelta(days=7)),
                    next_week=week_name(monday + timedelta(days=7)),
                    published=published, query=leader_query(leader), **frame)


class WeekCalendar(WeekResource):
    def on_get(self, req, resp, unit, week):
        _, calendar = self.read_week(req, resp, unit, week,
                                     lambda services: services.content.schedule_ics(unit, week, leader_of(req)))
        if calendar is None:
            return
        resp.content_type = "text/calendar; charset=utf-8"
        resp.downloadable_as = f"lich-cong-tac-{unit}-{week}.ics"
        resp.text = calendar
