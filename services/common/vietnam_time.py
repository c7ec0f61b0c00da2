"""Vietnam's time, for every service and the gateway: the portal shows times in it, and people
name days, weeks and months by it. Stored times are UTC; Vietnam has kept +07:00 without
daylight saving since 1975, but the zone is named rather than fixed so history stays right."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Ho_Chi_Minh"
LOCAL_TIME = ZoneInfo(TIMEZONE)


def now() -> datetime:
    """This moment on Vietnam's clock (aware)."""
    return datetime.now(LOCAL_TIME)


def today() -> date:
    return now().date()


def local_day(moment: datetime) -> date:
    """The day `moment` (aware) falls on in Vietnam: 23:30 UTC is already the next day there."""
    return moment.astimezone(LOCAL_TIME).date()


def local_midnight(day: date) -> datetime:
    """The moment `day` begins in Vietnam (17:00 UTC the day before)."""
    return datetime.combine(day, time.min, LOCAL_TIME)
