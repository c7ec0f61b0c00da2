"""The one module for Vietnam's time: days and midnights as people in Vietnam name them."""
from datetime import date, datetime, timedelta, timezone

from services.common.vietnam_time import LOCAL_TIME, TIMEZONE, local_day, local_midnight, now, today


def test_the_zone_is_vietnams_seven_hours_ahead_of_utc_all_year():
    assert TIMEZONE == "Asia/Ho_Chi_Minh" and LOCAL_TIME.key == TIMEZONE
    for month in (1, 7):  # no daylight saving
        assert datetime(2026, month, 1, tzinfo=LOCAL_TIME).utcoffset() == timedelta(hours=7)


def test_a_days_midnight_is_five_in_the_afternoon_utc_the_day_before():
    midnight = local_midnight(date(2026, 12, 1))
    assert midnight.astimezone(timezone.utc) == datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)
    assert local_day(midnight) == date(2026, 12, 1)
    assert local_day(midnight - timedelta(microseconds=1)) == date(2026, 11, 30)


def test_late_evening_utc_is_already_tomorrow_in_vietnam():
    assert local_day(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == date(2027, 1, 1)


def test_now_and_today_are_on_vietnams_clock():
    moment = now()
    assert moment.tzinfo is LOCAL_TIME
    assert abs(moment - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert today() in (local_day(moment), local_day(moment) + timedelta(days=1))
