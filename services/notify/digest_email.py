"""The digest email: a period's items in one message, composed as emails.py composes the others
(to move into emails.py as `digest` once its HTML rework is in)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import parseaddr

from services.common.config import Settings
from services.notify import emails
from services.notify.links import manage_url


def digest(settings: Settings, delivery: dict, items: list[dict]) -> EmailMessage:
    message = emails._compose(
        "digest.txt", settings, delivery,
        items=items,
        weekly=delivery["period"].startswith("weekly"),
        public_url=settings.PUBLIC_URL.rstrip("/"),
        manage_url=manage_url(settings, delivery["token"]),
    )
    # One per digest, whichever send: a resend after a sender died is recognisably the same message.
    message["Message-ID"] = f"<{delivery['_id']}@{parseaddr(settings.MAIL_FROM)[1].rpartition('@')[2]}>"
    return message
