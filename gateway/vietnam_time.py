"""Vietnam's calendar as the portal's pages use it: this ISO week, and dates as people type
them. The zone and today are services.common.vietnam_time's, re-exported for the pages
that format times."""
from __future__ import annotations

import re
from datetime import date, timedelta

from services.common.vietnam_time import LOCAL_TIME, TIMEZONE, today

__all__ = ["LOCAL_TIME", "TIMEZONE", "iso_date", "this_week", "today", "week_name"]

# People type dates as 31/12/2026; services (and <input type="date">) use 2026-12-31.
_TYPED_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def week_name(day: date) -> str:
    """The ISO week holding `day`, named as schedules name it: '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def this_week() -> tuple[str, date]:
    """This week's name and its Monday."""
    day = today()
    return week_name(day), day - timedelta(days=day.weekday())


def iso_date(text: str) -> str:
    """'31/12/2026' (or '1/2/2026') as '2026-12-31'; anything else as it was, stripped."""
    match = _TYPED_DATE.match(text)
    if not match:
        return text.strip()
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"
