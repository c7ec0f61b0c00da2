"""Addresses the mail server refused for good, and the day's figures of emails sent and refused.

A permanent refusal (an SMTP 5xx for the recipient: no such mailbox, the domain does not take
mail) puts the address on the suppression list: nothing is emailed to it again, as GOV.UK Notify
and Canada's Notify do, since mailing it again cannot succeed and every bounce counts against the
portal's standing with mail providers. A 4xx (mailbox full, try later) is only retried.
"""
from __future__ import annotations

import smtplib
from datetime import date, timedelta

from pymongo.errors import DuplicateKeyError

from services.common.events import utcnow
from services.notify.emails import PORTAL_TIMEZONE

# Canada's Notify (notification.canada.ca) warns a service whose bounce rate reaches 5% and
# suspends it at 10%: the same figures tell the portal's operators when to look at their lists.
BOUNCE_RATE_WARNING = 0.05
BOUNCE_RATE_SUSPENSION = 0.10
# The longest stretch of days one figures request may cover: a quarter.
MAX_FIGURES_DAYS = 90


def is_permanent(error: Exception) -> bool:
    """Whether `error` is the mail server refusing this recipient or message for good (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


class Refusals:
    def __init__(self, database):
        self.suppressed = database["suppressed"]  # by _id: the address
        self.figures = database["daily_figures"]  # by _id: the day in the portal's time zone

    def suppress(self, email: str, error: Exception):
        """Idempotent: the first refusal is kept as the reason."""
        self.suppressed.update_one(
            {"_id": email},
            {"$setOnInsert": {"refused_at": utcnow(), "reason": repr(error)}},
            upsert=True,
        )

    def is_suppressed(self, email: str) -> bool:
        return self.suppressed.count_documents({"_id": email}, limit=1) > 0

    def suppressed_among(self, emails: list[str]) -> set[str]:
        return {doc["_id"] for doc in self.suppressed.find({"_id": {"$in": emails}}, {"_id": 1})}

    def count(self, outcome: str, emails: int = 1):
        """`emails` more emails `sent` or `refused` today."""
        day = {"_id": _today().isoformat()}
        try:
            self.figures.update_one(day, {"$inc": {outcome: emails}}, upsert=True)
        except DuplicateKeyError:  # another worker created the day's record at the same moment
            self.figures.update_one(day, {"$inc": {outcome: emails}})

    def daily(self, days: int) -> dict:
        """The last `days` days, today last, each with its bounce rate (refused among all tried)."""
        today = _today()
        wanted = [(today - timedelta(days=back)).isoformat() for back in reversed(range(days))]
        stored = {doc["_id"]: doc for doc in self.figures.find({"_id": {"$in": wanted}})}
        rows = []
        for day in wanted:
            sent = stored.get(day, {}).get("sent", 0)
            refused = stored.get(day, {}).get("refused", 0)
            tried = sent + refused
            rows.append({"date": day, "sent": sent, "refused": refused,
                         "bounce_rate": refused / tried if tried else 0.0})
        return {"days": rows, "warn_at": BOUNCE_RATE_WARNING, "suspend_at": BOUNCE_RATE_SUSPENSION}


def _today() -> date:
    return utcnow().astimezone(PORTAL_TIMEZONE).date()
