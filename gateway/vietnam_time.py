"""Vietnam's calendar, as the portal shows it: today and this ISO week in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Ho_Chi_Minh"
LOCAL_TIME = ZoneInfo(TIMEZONE)


def today() -> date:
    return datetime.now(LOCAL_TIME).date()


def week_name(day: date) -> str:
    """The ISO week holding `day`, named as schedules name it: '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def this_week() -> tuple[str, date]:
    """This week's name and its Monday."""
    day = today()
    return week_name(day), day - timedelta(days=day.weekday())
