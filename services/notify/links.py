"""Links to the portal's pages for subscribers, beyond the confirm and unsubscribe links of
emails.py: the page where an address manages all its subscriptions."""
from __future__ import annotations

from services.common.config import Settings
from services.notify import emails

# Any subscription's token opens the page of every subscription of its address: whoever reads
# one of its emails holds the mailbox they all go to.
MANAGE_PATH = "/dang-ky/quan-ly"


def manage_url(settings: Settings, token: str) -> str:
    """The manage page of the address `token`'s subscription goes to (template variable `manage_url`)."""
    return emails._link(settings, MANAGE_PATH, token)
