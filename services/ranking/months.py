"""Months as Vietnam counts them: a month runs from 00:00 on the 1st to 00:00 on the next 1st,
Asia/Ho_Chi_Minh (UTC+7), so an article published at 23:59 on the 31st is that month's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from services.common.errors import InvalidInput
from services.common.vietnam_time import local_day, local_midnight

FIRST_YEAR, LAST_YEAR = 2000, 2099
_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    number: int

    @classmethod
    def parse(cls, text) -> "Month":
        """"YYYY-MM" → Month; InvalidInput naming `month` otherwise."""
        found = _PATTERN.match(text) if isinstance(text, str) else None
        if not found or not 1 <= int(found[2]) <= 12 or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            raise InvalidInput(f"{text!r} is not a month (YYYY-MM, {FIRST_YEAR}–{LAST_YEAR})",
                               {"month": "YYYY-MM"})
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def containing(cls, moment: datetime) -> "Month":
        local = local_day(moment)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def days(self) -> int:
        return self.last_day.day

    @property
    def start(self) -> datetime:
        """00:00 on the 1st in Vietnam, as an aware UTC time."""
        return local_midnight(self.first_day).astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        """The next month's start: the month is [start, end)."""
        return self.next().start

    def next(self) -> "Month":
        return Month(self.year + self.number // 12, self.number % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.number == 1), (self.number - 2) % 12 + 1)

    def back(self, months: int) -> "Month":
        index = self.year * 12 + self.number - 1 - months
        return Month(index // 12, index % 12 + 1)

    def label(self) -> str:
        return f"{self.number:02d}/{self.year}"


def iso_weeks(month: Month) -> list[str]:
    """The ISO weeks ("YYYY-Www") belonging to the month: those whose Thursday falls in it, as
    ISO 8601 assigns weeks to years; 4 or 5 of them."""
    weeks = []
    day = month.first_day
    while day <= month.last_day:
        if day.isoweekday() == 4:
            year, week, _ = day.isocalendar()
            weeks.append(f"{year}-W{week:02d}")
        day += timedelta(days=1)
    return weeks


def thursday_of(week: str) -> date:
    year, number = int(week[:4]), int(week[6:])
    return date.fromisocalendar(year, number, 4)
