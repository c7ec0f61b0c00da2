"""The demo's league: visit figures carried over from the units' earlier sites for the months of
history, then the past months frozen as an operator does after importing history, so the
ranking shows a real table with a past (deploy/demo_activity.py says who was keen when).

Run after the demo's content history; running it again adds nothing (imported days are set,
not added, and a month already frozen is left as it is)."""
from __future__ import annotations

import hashlib
import time
from datetime import date, timedelta

from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo_activity import HISTORY_MONTHS, activity
from services.common.vietnam_time import today as vietnam_today
from services.ranking.months import Month

REASON = "Chốt số liệu lịch sử chuyển từ trang cũ"
# Views a very active unit of each level gets on an ordinary weekday.
DAILY_VIEWS = {"tinh": 2400, "so-nganh": 420, "huyen": 380, "xa": 90}
REBUILD_WAIT = 600


def _jitter(slug: str, day: date) -> float:
    draw = int.from_bytes(hashlib.sha256(f"{slug}{day}".encode()).digest()[:2], "big")
    return 0.75 + draw / 65535 / 2  # 0.75 … 1.25


def visit_days(unit: dict, today: date) -> list[dict]:
    """The unit's daily figures from the first day of the history to yesterday."""
    current = Month(today.year, today.month)
    day = current.back(HISTORY_MONTHS).first_day
    figures = []
    while day < today:
        months_ago = (current.year - day.year) * 12 + current.number - day.month
        keen = 0.15 + 0.85 * activity(unit["slug"], months_ago)
        weekend = 0.45 if day.isoweekday() >= 6 else 1.0
        views = int(DAILY_VIEWS.get(unit["level"], 90) * keen * weekend * _jitter(unit["slug"], day))
        figures.append({"day": day.isoformat(), "views": views, "visitors": max(1, int(views * 0.38)) if views else 0,
                        "bot_views": int(views * 0.3)})
        day += timedelta(days=1)
    return figures


def load(nameko_config: dict, units: list[dict], acting, log=print) -> list[str]:
    """Import the visits, bring the ranking's facts up to date, freeze the past months not yet
    frozen; returns the months frozen by this run."""
    today = vietnam_today()
    with ClusterRpcProxy(nameko_config, timeout=120) as services:
        ranking = services.ranking
        for unit in units:
            ranking.import_visits(acting(), unit["slug"], visit_days(unit, today))
        log(f"  demo data: visits of {len(units)} units carried over")
        current = Month(today.year, today.month)
        frozen = {entry["month"] for entry in ranking.months()["months"]}
        due = [str(current.back(back)) for back in range(HISTORY_MONTHS, 0, -1)
               if str(current.back(back)) not in frozen]
        if not due:
            return []
        # The history's events may still be on their way: take the facts from content's replay.
        ranking.rebuild(acting())
        deadline = time.monotonic() + REBUILD_WAIT
        while (status := ranking.rebuild_status(acting()))["state"] == "running" and time.monotonic() < deadline:
            time.sleep(1)
        if status["state"] != "done":
            raise RuntimeError(f"the ranking's rebuild did not finish: {status}")
        for month in due:
            ranking.freeze_month(acting(), month, REASON)
        log(f"  demo data: ranking of {', '.join(due)} frozen")
        return due
