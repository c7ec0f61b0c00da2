"""Sending the deliveries that are due: what the content handlers do after planning them, what
the digest timer does after planning the digests, and what the sweep does for those a failed
send or a dead process left pending.

Each delivery is claimed before it is sent, so any number of workers and service instances
send side by side without sending one twice.
"""
from __future__ import annotations

import logging
import smtplib
from contextlib import contextmanager
from datetime import timedelta

import eventlet

from services.common.events import utcnow
from services.notify.dependencies import SEND_LEASE
from services.notify.refusals import is_permanent
from services.notify.send_rate import process_send_rate

log = logging.getLogger(__name__)

# Refusals of one message (its recipient, its content): the next message may still go. A 5xx
# one is for good (refusals.py); a 4xx one is retried.
# Any other error means the server is unreachable or refuses us: the rest wait for a sweep.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
FIRST_RETRY_DELAY = timedelta(seconds=1)
# GOV.UK sweeps lost work every 30 minutes; no failed delivery waits longer than that.
MAX_RETRY_DELAY = timedelta(minutes=30)
# News older than a day is no longer worth an email.
GIVE_UP_AFTER = timedelta(days=1)


def send_due_deliveries(storage, mail):
    while batch := storage.claim_due_deliveries():
        if not _send_batch(storage, mail, batch):
            return


def _send_batch(storage, mail, batch: list[dict]) -> bool:
    """Send one claim's deliveries; those that went are recorded together at the end (or when
    sending stops). False when the mail server is unreachable: the rest of the batch are due
    again when their lease runs out, for a sweep."""
    sent = []
    try:
        with _lease_kept(storage, batch):
            # Planned before their address was refused elsewhere: the refusal cancelled what it found.
            suppressed = storage.refusals.suppressed_among(list({delivery["email"] for delivery in batch}))
            # A digest tells what its period holds as it is sent.
            items = storage.digest_items_of([delivery for delivery in batch if "period" in delivery])
            for delivery in batch:
                if delivery["email"] in suppressed:
                    storage.cancel_deliveries_to(delivery["email"])
                elif "period" in delivery and not items[delivery["_id"]]:
                    storage.mark_empty(delivery)
                elif _sent(storage, mail, delivery, items.get(delivery["_id"])):
                    sent.append(delivery)
    except OSError as error:  # smtplib's own errors are OSErrors too
        _record_failure(storage, delivery, error)
        log.warning("mail server unavailable; sending resumes at a later sweep: %r", error)
        return False
    finally:
        storage.mark_sent(sent)
    return True


def _sent(storage, mail, delivery: dict, items: list[dict] | None) -> bool:
    """Whether the email went; a refusal of it alone is recorded (a permanent one suppresses
    its address, another is retried later)."""
    try:
        process_send_rate(mail.settings.NOTIFY_SEND_RATE).wait()  # the provider's pace (NOTIFY_SEND_RATE)
        if "period" in delivery:
            mail.send_digest(delivery, items)
        elif "notice" in delivery:  # to a unit's staff (staff.py)
            mail.send_staff_notice(delivery)
        else:
            mail.send_article(delivery)
    except MESSAGE_ERRORS as error:
        if is_permanent(error):
            log.warning("address refused for good, suppressed: delivery %s: %r", delivery["_id"], error)
            storage.refuse(delivery, error)
        else:
            _record_failure(storage, delivery, error)
        return False
    return True


@contextmanager
def _lease_kept(storage, claimed: list[dict]):
    """Renews the claimed deliveries' lease while the block sends them: the lease can then be
    short, so a sender that dies holds its emails back for seconds only, while a slow mail
    server still gets all the time it takes."""
    def renew():
        while True:
            eventlet.sleep(SEND_LEASE.total_seconds() / 3)
            if not storage.extend_lease(claimed):
                return

    renewer = eventlet.spawn(renew)
    try:
        yield
    finally:
        renewer.kill()


def _record_failure(storage, delivery: dict, error: Exception):
    if utcnow() - delivery["created_at"] > GIVE_UP_AFTER:
        log.error("giving up delivery %s to %s: %r", delivery["_id"], delivery["email"], error)
        storage.give_up(delivery, error)
    else:
        storage.retry_later(delivery, error, _retry_delay(delivery["attempts"]))


def _retry_delay(attempts: int) -> timedelta:
    """Doubling from the first retry delay, up to the maximum."""
    # In float seconds: a timedelta times a large power of two would overflow.
    seconds = FIRST_RETRY_DELAY.total_seconds() * 2.0 ** (attempts - 1)
    return timedelta(seconds=min(seconds, MAX_RETRY_DELAY.total_seconds()))
