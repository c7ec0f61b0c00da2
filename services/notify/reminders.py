"""Reminders to a unit's board of what its site lacks, each at most once per unit and period
(staff.py keeps the key):

- its site has had no update for its level's threshold: on the ranking's `site_stale`, once per
  spell without updates (the event's version);
- citizens' questions have waited longer than QUESTION_REMINDER_DAYS for an answer: once a week
  (the ISO week, Vietnam time) while any do;
- next week's leadership schedule is still unpublished on Friday from 07:00 (Vietnam time; on
  the weekend too, should the service have been down on Friday): once for that week.

The questions and schedules are the content service's; it is asked which units lack what.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from services.common.events import SiteStale
from services.notify.emails import PORTAL_TIMEZONE
from services.notify.staff import tell_staff

REMINDER_CHECK_INTERVAL = timedelta(minutes=15)
FRIDAY = 4
SCHEDULE_REMINDER_FROM = time(7, 0)  # local time on Friday


def remind_stale_site(storage, content, event: SiteStale) -> int:
    last_update = event.last_update_at
    return tell_staff(storage, content, "site_stale", event.unit, str(event.version), lambda: {
        "unit": event.unit, "unit_name": event.unit_name, "days": event.days, "threshold_days": event.threshold_days,
        "last_update": _day(last_update.astimezone(PORTAL_TIMEZONE).date()) if last_update else None,
        "link": event.link})


def remind_waiting_questions(storage, content, days: int, now: datetime) -> int:
    """Each unit with questions waiting longer than `days` days, once in `now`'s week."""
    period = _week_name(now.astimezone(PORTAL_TIMEZONE).date())
    planned = 0
    for waiting in content.units_with_waiting_questions(days):
        unit = waiting["unit"]
        planned += tell_staff(storage, content, "waiting_questions", unit, period, lambda: {
            "unit": unit, "unit_name": content.get_unit(unit)["name"], "waiting": waiting["waiting"], "days": days,
            "oldest_asked": _day(datetime.fromisoformat(waiting["oldest_asked_at"]).astimezone(PORTAL_TIMEZONE)),
            "link": f"/quan-tri/{unit}/hoi-dap"})
    return planned


def remind_empty_schedules(storage, content, now: datetime) -> int:
    """From Friday 07:00 to the week's end: each unit without a published schedule for next week."""
    week = schedule_week_due(now)
    if week is None:
        return 0
    monday = date.fromisoformat(f"{week}-1")
    planned = 0
    for unit in content.units_without_schedule(week):
        planned += tell_staff(storage, content, "empty_schedule", unit, week, lambda: {
            "unit": unit, "unit_name": content.get_unit(unit)["name"], "week": week,
            "week_from": _day(monday), "week_to": _day(monday + timedelta(days=6)),
            "link": f"/quan-tri/{unit}/lich-cong-tac/{week}"})
    return planned


def schedule_week_due(now: datetime) -> str | None:
    """Next week's name ("2026-W50") once Friday 07:00 has passed in Vietnam; None before."""
    local = now.astimezone(PORTAL_TIMEZONE)
    if local.weekday() < FRIDAY or (local.weekday() == FRIDAY and local.time() < SCHEDULE_REMINDER_FROM):
        return None
    return _week_name(local.date() + timedelta(days=7))


def _week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _day(day) -> str:
    return f"{day:%d/%m/%Y}"
