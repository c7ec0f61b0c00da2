"""When digests go: daily at 07:00 in the portal's time zone, weekly on Mondays at 07:00.

An item for a digest subscriber is filed, when it arrives, under the period whose digest will
carry it: the next 07:00 (or the next Monday's). The digest of a period is one delivery keyed by
(subscription, period), so however many workers, timers and restarts, it goes once; a period the
service slept through is sent late rather than lost.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from services.notify.emails import PORTAL_TIMEZONE

DIGEST_HOUR = time(7, 0)
MONDAY = 0
# How often the timer looks for digests whose period has ended.
DIGEST_CHECK_INTERVAL = timedelta(minutes=1)


def period_of(frequency: str, moment: datetime) -> tuple[str, datetime]:
    """The period whose digest carries an item that arrived at `moment`: its key (as
    "daily:2026-12-07") and when it ends, the moment its digest is due (UTC-aware like `moment`)."""
    local = moment.astimezone(PORTAL_TIMEZONE)
    ends = datetime.combine(local.date(), DIGEST_HOUR, tzinfo=PORTAL_TIMEZONE)
    if ends <= local:
        ends += timedelta(days=1)
    if frequency == "weekly":
        ends += timedelta(days=(MONDAY - ends.weekday()) % 7)
    return f"{frequency}:{ends.date().isoformat()}", ends.astimezone(moment.tzinfo)


def digest_key(period: str) -> str:
    """A digest's place among a subscription's deliveries, whose unique key it shares with items."""
    return f"digest:{period}"
