"""Publishing or unpublishing an article later: the day and time typed on the step's form, in
Vietnam's time, as the moment (ISO 8601 with its offset) the content service's `at` takes.

Both empty: now. One without the other, a day or time that is none, or a moment already past: a
problem said in Vietnamese, and nothing is done.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from gateway.vietnam_time import LOCAL_TIME, iso_date

SCHEDULABLE = frozenset({"publish", "unpublish"})  # the steps the content service takes later
DAY, HOUR = "hen_ngay", "hen_gio"  # the form's fields
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"([0-9]{1,2})\s*[:hHgG.]\s*([0-9]{2})?(?::([0-9]{2}))?")  # 07:30, 7h30, 07:30:15
VERBS = {"publish": "đăng", "unpublish": "gỡ xuống"}


@dataclass(frozen=True)
class Schedule:
    """What the form said: the day and time as typed, the moment they make (None: now), and the
    problem with them (None: none)."""

    step: str
    day: str = ""
    hour: str = ""
    at: str | None = None
    problem: str | None = None


def typed_schedule(step: str, form, now: datetime | None = None) -> Schedule:
    day, hour = form.get(DAY).strip(), form.get(HOUR).strip()
    if not day and not hour:
        return Schedule(step)
    verb = VERBS[step]
    if not day or not hour:
        return Schedule(step, day, hour,
                        problem=f"Nhập cả ngày và giờ hẹn {verb}, hoặc để trống cả hai để {verb} ngay.")
    moment = _moment(day, hour)
    if moment is None:
        return Schedule(step, day, hour, problem=(
            "Ngày hẹn có dạng ngày/tháng/năm, ví dụ 08/12/2026, và giờ hẹn có dạng giờ:phút, ví dụ 07:30."))
    if moment <= (now or datetime.now(LOCAL_TIME)):
        return Schedule(step, day, hour, problem=(
            f"Thời điểm hẹn {verb} đã qua. Chọn một thời điểm sau bây giờ, hoặc để trống để {verb} ngay."))
    return Schedule(step, day, hour, at=moment.isoformat())


def _moment(day: str, hour: str) -> datetime | None:
    """'2026-12-08' (or '8/12/2026') and '07:30' as 07:30 on 8 December 2026 in Vietnam."""
    day = iso_date(day)
    found = _TIME.fullmatch(hour)
    if not _ISO_DAY.fullmatch(day) or not found:
        return None
    try:
        return datetime.combine(date.fromisoformat(day),
                                time(int(found[1]), int(found[2] or 0), int(found[3] or 0)), LOCAL_TIME)
    except ValueError:  # 31/02, 25:00
        return None
