"""How long the service keeps what it knows of people, as GOV.UK's email alerts do: an address
is forgotten 28 days after its owner unsubscribed (or after its confirmation link expired
unused: someone who never confirmed never asked for anything), and the record of an email is
deleted 7 days after it was done with.

Run once a day by every notify instance; each step is a conditional write that finds nothing
left to do when another instance got there first.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from services.notify.refusals import MAX_FIGURES_DAYS

# GOV.UK's email-alert-api deletes the addresses of ended subscriptions after 28 days.
FORGET_UNSUBSCRIBED_AFTER = timedelta(days=28)
# GOV.UK Notify keeps the record of each email for 7 days by default.
KEEP_DELIVERIES_FOR = timedelta(days=7)
# Statuses after which a delivery is done with: nothing will send it any more.
FINISHED = ["sent", "failed", "cancelled", "refused"]
# The day's figures of sent and refused emails are kept as long as they can be asked for.
KEEP_FIGURES_FOR = timedelta(days=MAX_FIGURES_DAYS)
RETENTION_INTERVAL = timedelta(days=1)
BATCH = 1000


def forgotten_address(subscription_id) -> str:
    """What an address becomes once forgotten: unique (an address and a unit are unique together)
    and without an "@", so that no address anyone subscribes can ever match it."""
    return f"forgotten:{subscription_id}"


def apply_retention(database, now: datetime):
    subscriptions = database["subscriptions"]
    _forget(subscriptions, {"status": "unsubscribed", "unsubscribed_at": {"$lt": now - FORGET_UNSUBSCRIBED_AFTER}},
            now)
    _forget(subscriptions, {"status": "pending", "confirm_by": {"$lt": now - FORGET_UNSUBSCRIBED_AFTER}}, now)
    database["deliveries"].delete_many(
        {"status": {"$in": FINISHED}, "created_at": {"$lt": now - KEEP_DELIVERIES_FOR}})
    database["daily_figures"].delete_many({"_id": {"$lt": (now - KEEP_FIGURES_FOR).date().isoformat()}})


def _forget(subscriptions, ended: dict, now: datetime):
    """The address of each subscription `ended` selects goes; the token stays, so that an old
    link still says the subscription was cancelled (or its link expired). A batch at a time:
    never every subscriber at once."""
    due = {**ended, "forgotten_at": {"$exists": False}}
    while batch := list(subscriptions.find(due, {"_id": 1}).limit(BATCH)):
        for subscription in batch:
            subscriptions.update_one(
                {"_id": subscription["_id"], **due},
                {"$set": {"email": forgotten_address(subscription["_id"]), "forgotten_at": now}},
            )
