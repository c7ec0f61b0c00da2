"""ISO weeks as Vietnam lives them: a schedule's week runs from Monday 00:00 to the next
Monday 00:00 in Asia/Ho_Chi_Minh, which is Sunday 17:00 UTC. Times are given and shown in
local time and stored in UTC, so every boundary check happens here, in one place."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from services.common.errors import InvalidInput
from services.content.database import aware

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Week:
    name: str  # "2026-W48"
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time.min, LOCAL_TIME).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        """The first instant after the week (exclusive)."""
        return datetime.combine(self.monday + timedelta(days=7), time.min, LOCAL_TIME).astimezone(timezone.utc)

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def describe(self) -> str:
        return f"{self.monday:%d/%m/%Y} to {self.sunday:%d/%m/%Y} (Asia/Ho_Chi_Minh)"


def parse_week(value) -> Week:
    """"2026-W48" → Week; refuses weeks that do not exist (W53 of a 52-week year, W00)."""
    match = WEEK_PATTERN.match(value) if isinstance(value, str) else None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:
        monday = None
    if monday is None:
        raise InvalidInput(f"Unknown week {value!r}", {"week": "an ISO week that exists, like 2026-W48"})
    return Week(name=value, monday=monday)


def to_utc(moment: datetime) -> datetime:
    """A time as given by an editor: without an offset it is Vietnam's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    return moment.astimezone(timezone.utc)


def local(moment: datetime | None) -> datetime | None:
    """A stored time as Vietnam reads it."""
    return aware(moment).astimezone(LOCAL_TIME) if moment is not None else None
