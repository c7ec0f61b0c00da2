"""ISO weeks as Vietnam lives them: a schedule's week runs from Monday 00:00 to the next
Monday 00:00 in Asia/Ho_Chi_Minh, which is Sunday 17:00 UTC. Times are given and shown in
local time and stored in UTC, so every boundary check happens here, in one place."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.common.errors import InvalidInput
from services.common.limits import CALENDAR, in_calendar
from services.common.vietnam_time import local_midnight

# ASCII digits only: \d and int() also take other scripts' digits ('٢٠٢٦-W03'), a second name for a week.
WEEK_PATTERN = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


@dataclass(frozen=True)
class Week:
    name: str  # "2026-W48"
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return local_midnight(self.monday)

    @property
    def end(self) -> datetime:
        """The first instant after the week (exclusive)."""
        return local_midnight(self.monday + timedelta(days=7))

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def describe(self) -> str:
        return f"{self.monday:%d/%m/%Y} to {self.sunday:%d/%m/%Y} (Asia/Ho_Chi_Minh)"

    def name_of(self, weeks: int) -> str:
        """The name of the week `weeks` from this one (-1: the week before)."""
        year, week, _ = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return f"{year:04d}-W{week:02d}"


def parse_week(value, field: str = "week") -> Week:
    """"2026-W48" → Week; refuses weeks that do not exist (W53 of a 52-week year, W00) and weeks
    outside the platform's calendar, whose ends could not be computed, naming `field`."""
    match = WEEK_PATTERN.match(value) if isinstance(value, str) else None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:
        monday = None
    if monday is None or not (in_calendar(monday) and in_calendar(monday + timedelta(days=6))):
        raise InvalidInput(f"Unknown week {value!r}", {field: f"an ISO week that exists {CALENDAR}, like 2026-W48"})
    return Week(name=value, monday=monday)
