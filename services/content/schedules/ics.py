"""A published week as iCalendar (RFC 5545), for the calendar apps of citizens and staff.

Times carry TZID=Asia/Ho_Chi_Minh with the VTIMEZONE that RFC 5545 (3.2.19) requires for it,
rather than UTC: a calendar app, and anyone reading the file, sees 07:30 as the portal shows
it, not 00:30Z. Vietnam has kept +07:00 without daylight saving since 1975, so the zone's
definition for one week is a single rule that no client can misread.
"""
from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

import icalendar

from services.content.database import LOCAL_TIME, local
from services.content.schedules.weeks import Week

PRODID = "-//Cong thong tin dien tu//Lich cong tac//VI"
# The headings Vietnamese portals use for a schedule's columns.
LABELS = {"leader": "Chủ trì", "participants": "Thành phần", "preparer": "Chuẩn bị nội dung"}


def week_calendar(*, uid: str, name: str, week: Week, schedule_id: str | None, entries: list[dict],
                  stamp: datetime | None, sequence: int | None) -> str:
    """The week's entries as VEVENTs whose UIDs stay the same each time the week is re-published."""
    events = [
        icalendar.Event.new(
            uid=f"{schedule_id}.{entry['id']}", start=local(entry["start"]), end=local(entry["end"]),
            summary=entry["title"], location=entry["location"] or None, description=_description(entry),
            stamp=stamp, sequence=sequence,
        )
        for entry in entries
    ]
    calendar = icalendar.Calendar.new(prodid=PRODID, name=name, uid=uid,
                                      subcomponents=[_timezone(week.monday), *events])
    return calendar.to_ical().decode()


def _description(entry: dict) -> str:
    return "\n".join(f"{label}: {entry[field]}" for field, label in LABELS.items() if entry[field])


@functools.lru_cache(maxsize=32)
def _timezone(monday: date) -> icalendar.Timezone:
    # Building a VTIMEZONE takes ~50 ms; every calendar of the same week shares it, unchanged.
    return icalendar.Timezone.from_tzid(LOCAL_TIME.key, first_date=monday, last_date=monday + timedelta(days=7))
