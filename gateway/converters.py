"""Typed route fields: `{day:date}`, `{week:week}`, `{month:month}`.

A field that is no such thing matches no route, so it is a 404 like any unknown address; a
responder is only ever handed a well-formed value (the services still judge whether it is one
they hold). Each converter also says how the OpenAPI document describes the field.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from falcon.routing import BaseConverter

from services.common.limits import in_calendar

# ASCII digits only: \d would also take other scripts' digits, a second spelling of one address.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class DayConverter(BaseConverter):
    """A day as YYYY-MM-DD, within the platform's calendar; passed on as that text."""

    openapi = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
               "examples": ["2026-12-01"]}

    def convert(self, value: str):
        if not _DAY.fullmatch(value):
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        return value if in_calendar(day) else None


class WeekConverter(BaseConverter):
    """An ISO week as YYYY-Www (2026-W49): a week that year has, within the calendar."""

    openapi = {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$", "examples": ["2026-W49"]}

    def convert(self, value: str):
        found = _WEEK.fullmatch(value)
        if not found:
            return None
        year, week = int(found[1]), int(found[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        # The whole week: 2099-W53 begins in the calendar but ends after it.
        return value if in_calendar(monday) and in_calendar(monday + timedelta(days=6)) else None


class MonthConverter(BaseConverter):
    """A month as YYYY-MM, within the calendar."""

    openapi = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "examples": ["2026-11"]}

    def convert(self, value: str):
        found = _MONTH.fullmatch(value)
        if not found or not 1 <= int(found[2]) <= 12:
            return None
        return value if in_calendar(date(int(found[1]), int(found[2]), 1)) else None


CONVERTERS = {"date": DayConverter, "week": WeekConverter, "month": MonthConverter}
