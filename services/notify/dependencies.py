"""What the notify service's workers are given: its subscriptions and deliveries in
MongoDB, and a mail session to the SMTP server."""
from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import smtplib
import ssl
from datetime import timedelta
from itertools import islice

from bson import ObjectId
from nameko.extensions import DependencyProvider
from prometheus_client import Counter
from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from services.common.config import Settings
from services.common.errors import InvalidInput, NotFound
from services.common.events import utcnow
from services.common.mongo import MongoStorage, claim_some
from services.common.ops.endpoint import Gauges, OpsServer
from services.notify import emails, retention
from services.notify.articles import ArticleVersions
from services.notify.digests import digest_key, period_of
from services.notify.items import Item, item_of
from services.notify.refusals import Refusals, is_permanent
from services.notify.staff import StaffNotices
from services.notify.throttles import CONFIRMATION_INTERVAL, ClientAttempts
from services.notify.units import UnitTree

EMAILS = Counter("portal_emails_total", "Emails handed to the mail server, by kind and outcome: 'sent', "
                 "'refused' (for good: the address is suppressed) or 'failed' (tried again later).",
                 ["kind", "outcome"])

# GOV.UK's figure: a confirmation link works for 7 days.
CONFIRMATION_LIFETIME = timedelta(days=7)
# How long a claimed delivery is kept from other workers: a few seconds, renewed while its send
# goes on (delivery.py), so a sender that dies delays its email by seconds, not minutes.
SEND_LEASE = timedelta(seconds=10)
SMTP_TIMEOUT = 30
DUPLICATE_KEY = 11000
INSERT_BATCH = 1000
# Deliveries claimed at once by a sender, and recorded sent at once after they went: three
# round trips to the database for the batch instead of four for each email. A sender killed
# mid-batch sends those of its batch that went again (with the same Message-ID, emails.py).
SEND_BATCH = 50
# Each delivery falls in one of SEND_SLOTS slots at random, and a sender claims from a random slot
# first: senders side by side rarely reach for the same deliveries, and a claim reads one slot's
# due deliveries (the MongoDB stand-in reads every match before it stops at the limit: a claim
# among 100,000 due deliveries took 3 s there, among one slot's about 20 ms).
SEND_SLOTS = 256
# What makes a subscription one, with its email; subscriptions made before scopes existed follow
# their unit's news alone, immediately.
SCOPE_DEFAULTS = {"with_units_under": False, "category": None, "kind": "news"}
SUBSCRIPTION_KEY = ["email", "unit", "kind", "category", "with_units_under"]
# The index that made a subscription one per email and unit, before scopes.
OLD_SUBSCRIPTION_KEY = "email_1_unit_1"


class SubscriptionStore:
    """Subscriptions (one per email and scope, found by their token's hash), deliveries (one per
    subscription and item: the email telling that subscriber about it; or per subscription and
    period: its digest) and digest items (what a digest subscriber is told of at the period's end)."""

    def __init__(self, database):
        self.database = database
        self.subscriptions = database["subscriptions"]
        self.deliveries = database["deliveries"]
        self.digest_items = database["digest_items"]
        self.clients = ClientAttempts(database)
        self.articles = ArticleVersions(database)
        self.refusals = Refusals(database)
        self.staff = StaffNotices(database)
        self.units = UnitTree(database)

    def ensure_indexes(self):
        self.clients.ensure_indexes()
        self.staff.ensure_indexes()
        self._scope_older_subscriptions()
        self.subscriptions.create_index([(field, ASCENDING) for field in SUBSCRIPTION_KEY], unique=True)
        self._hash_tokens_of_older_subscriptions()
        # Links are looked up by the token's hash (see _find_by_token).
        self.subscriptions.create_index("token_hash", unique=True)
        self.subscriptions.create_index([("unit", ASCENDING), ("status", ASCENDING)])
        self.subscriptions.create_index([("status", ASCENDING), ("unsubscribed_at", ASCENDING)])
        # One email per subscriber and article, however often the event arrives.
        self.deliveries.create_index(
            [("subscription_id", ASCENDING), ("article_id", ASCENDING)], unique=True
        )
        self.deliveries.create_index([("status", ASCENDING), ("due_at", ASCENDING)])
        self.deliveries.create_index("claim")
        self.deliveries.create_index([("status", ASCENDING), ("slot", ASCENDING), ("due_at", ASCENDING)])
        self.deliveries.create_index([("article_id", ASCENDING), ("status", ASCENDING)])
        self.deliveries.create_index([("email", ASCENDING), ("status", ASCENDING)])
        self.deliveries.create_index([("status", ASCENDING), ("created_at", ASCENDING)])
        # One mention of an item per digest subscriber, however often the event arrives.
        self.digest_items.create_index([("subscription_id", ASCENDING), ("item_id", ASCENDING)], unique=True)
        self.digest_items.create_index([("planned", ASCENDING), ("due_at", ASCENDING)])
        self.digest_items.create_index([("subscription_id", ASCENDING), ("period", ASCENDING)])
        self.digest_items.create_index("item_id")

    def _scope_older_subscriptions(self):
        """Subscriptions made before scopes get the scope they always had (their unit's news,
        immediately), then the old key gives way to the one with the scope."""
        self.subscriptions.update_many({"kind": {"$exists": False}},
                                       {"$set": {**SCOPE_DEFAULTS, "frequency": "immediately"}})
        try:
            self.subscriptions.drop_index(OLD_SUBSCRIPTION_KEY)
        except OperationFailure:  # gone already
            pass

    def subscribe(self, email: str, unit: str, frequency: str = "immediately", **scope) -> dict:
        """The subscription of `email` to `unit` (or what `scope` narrows or widens it to):
        created, or made pending again with a fresh confirmation deadline and the `frequency`
        asked; a confirmed one is left as it is (only its address's manage page changes it: a
        stranger knowing the address must not)."""
        key = {"email": email, "unit": unit, **SCOPE_DEFAULTS, **scope}
        now = utcnow()
        token = secrets.token_urlsafe(32)  # 256 bits
        try:
            return self.subscriptions.find_one_and_update(
                {**key, "status": {"$ne": "confirmed"}},
                {
                    "$set": {"status": "pending", "confirm_by": now + CONFIRMATION_LIFETIME,
                             "frequency": frequency},
                    "$setOnInsert": {"token": token, "token_hash": token_hash(token), "created_at": now},
                },
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            # Confirmed already: the filter passed it over and the upsert ran into it.
            return self.subscriptions.find_one(key)

    def claim_confirmation(self, subscription: dict):
        """The moment the caller may email `subscription`'s confirmation link, recorded so that
        no other attempt in the next CONFIRMATION_INTERVAL emails it again; None if one did."""
        now = utcnow()
        claimed = self.subscriptions.update_one(
            {"_id": subscription["_id"], "status": "pending",
             "$or": [{"confirmation_sent_at": {"$exists": False}},
                     {"confirmation_sent_at": {"$lte": now - CONFIRMATION_INTERVAL}}]},
            {"$set": {"confirmation_sent_at": now}})
        return now if claimed.modified_count == 1 else None

    def release_confirmation(self, subscription: dict, claimed_at):
        """The confirmation claimed at `claimed_at` was not sent: the next attempt may send it."""
        self.subscriptions.update_one(
            {"_id": subscription["_id"], "confirmation_sent_at": claimed_at},
            {"$unset": {"confirmation_sent_at": ""}})

    def confirm(self, token: str) -> dict:
        subscription = self._find_by_token(token)
        now = utcnow()
        confirmed = self.subscriptions.find_one_and_update(
            {"_id": subscription["_id"], "status": "pending", "confirm_by": {"$gt": now}},
            {"$set": {"status": "confirmed", "confirmed_at": now}, "$unset": {"confirm_by": ""}},
            return_document=ReturnDocument.AFTER,
        )
        if confirmed is not None:
            return confirmed
        subscription = self.subscriptions.find_one({"_id": subscription["_id"]})
        if subscription["status"] == "confirmed":
            return subscription  # the link followed a second time
        if subscription["status"] == "pending":
            raise InvalidInput(
                "This confirmation link has expired; subscribe again to get a new one",
                {"token": "expired"},
            )
        raise InvalidInput(
            "This subscription was cancelled; subscribe again to renew it",
            {"token": "unsubscribed"},
        )

    def unsubscribe(self, token: str) -> dict:
        """Idempotent: a second click keeps the first one's time, from which retention counts."""
        subscription = self._find_by_token(token)
        self.subscriptions.update_one(
            {"_id": subscription["_id"], "status": {"$ne": "unsubscribed"}},
            {"$set": {"status": "unsubscribed", "unsubscribed_at": utcnow()}},
        )
        # Emails not sent yet are withdrawn with the subscription.
        self.deliveries.update_many(
            {"subscription_id": subscription["_id"], "status": "pending"},
            {"$set": {"status": "cancelled"}},
        )
        return self.subscriptions.find_one({"_id": subscription["_id"]})

    def plan_deliveries(self, event, units_above: list[str] = (), branding: dict | None = None):
        """For every confirmed subscriber following the event's item (its unit, or one of
        `units_above` it with the units under it; its category; its kind) who has none yet: a
        pending delivery, or a mention in their next digest. Each holds all its email needs, so
        any worker can send it: a delivery holds its unit's `branding` too (units.py; a digest
        tells of several units and keeps the portal's)."""
        item = item_of(event)
        now = utcnow()
        # Read a batch at a time: the driver would otherwise fetch up to 16 MB at once, every
        # subscriber of a large unit.
        subscribers = self.subscriptions.find(_following(item, units_above),
                                              {"email": 1, "token": 1, "frequency": 1, "merged": 1},
                                              batch_size=INSERT_BATCH)
        for batch in _batches(subscribers, INSERT_BATCH):
            suppressed = self.refusals.suppressed_among([subscriber["email"] for subscriber in batch])
            batch = [subscriber for subscriber in batch if subscriber["email"] not in suppressed]
            immediate = [subscriber for subscriber in batch
                         if subscriber.get("frequency", "immediately") == "immediately"]
            if immediate:
                self._insert_new(self.deliveries, [
                    _delivery(subscriber, item.id, now, article=item.content, kind=item.kind,
                              branding=branding or {})
                    for subscriber in immediate])
            if later := [subscriber for subscriber in batch if subscriber not in immediate]:
                self._insert_new(self.digest_items, [_digest_item(subscriber, item, now) for subscriber in later])
        # Withdrawn while these were planned: the withdrawal may have cancelled before they were in.
        if self.articles.is_withdrawn(item.id):
            self.cancel_deliveries_of(item.id)

    def cancel_deliveries_of(self, article_id: str):
        """The article's emails not sent yet are not sent at all (it was withdrawn), and the
        digests not sent yet leave it out."""
        self.deliveries.update_many(
            {"article_id": article_id, "status": "pending"}, {"$set": {"status": "cancelled"}}
        )
        self.digest_items.update_many({"item_id": article_id}, {"$set": {"withdrawn": True}})

    def plan_digests(self, now):
        """A pending digest for each subscription and period ended by `now` that has items not
        withdrawn. Keyed by (subscription, period) among the deliveries, so planning it again
        (another instance, a restart) adds nothing; its items are marked planned only after."""
        due = {"planned": False, "withdrawn": False, "due_at": {"$lte": now}}
        # One pass over the due items, a batch at a time: asking again for the first batch of what
        # is still due reads every due item each time on the MongoDB stand-in, which made planning
        # a 100,000-subscriber digest quadratic.
        due_items = self.digest_items.find(due, {"subscription_id": 1, "period": 1}, batch_size=INSERT_BATCH)
        for batch in _batches(due_items, INSERT_BATCH):
            periods = {(item["subscription_id"], item["period"]) for item in batch}
            subscriptions = {subscription["_id"]: subscription for subscription in self.subscriptions.find(
                {"_id": {"$in": [subscription_id for subscription_id, _ in periods]}, "status": "confirmed"},
                {"email": 1, "token": 1, "merged": 1})}
            self._insert_new(self.deliveries, [
                _delivery(subscriptions[subscription_id], digest_key(period), utcnow(), period=period)
                for subscription_id, period in periods if subscription_id in subscriptions])
            # The items read; those of the same digests not read yet come in a later batch, whose
            # digests are there already.
            self.digest_items.update_many({"_id": {"$in": [item["_id"] for item in batch]}},
                                          {"$set": {"planned": True}})

    def digest_items_of(self, digests: list[dict]) -> dict:
        """What each digest tells of, as it is sent (by the digest delivery's _id): its period's
        items not withdrawn meanwhile, oldest first; read for a batch of digests at once."""
        wanted = {(digest["subscription_id"], digest["period"]): digest["_id"] for digest in digests}
        found = {digest_id: [] for digest_id in wanted.values()}
        if not wanted:
            return found
        stored = self.digest_items.find({"subscription_id": {"$in": [key[0] for key in wanted]},
                                         "period": {"$in": list({key[1] for key in wanted})}, "withdrawn": False})
        for item in sorted(stored, key=lambda item: (item["created_at"], item["_id"])):
            if (digest_id := wanted.get((item["subscription_id"], item["period"]))) is not None:
                found[digest_id].append(item["item"])
        return found

    def mark_empty(self, delivery: dict):
        """A digest whose every item was withdrawn: nothing is sent, never an empty email."""
        self.deliveries.update_one({"_id": delivery["_id"], "status": "pending"}, {"$set": {"status": "cancelled"}})

    def apply_retention(self):
        now = utcnow()
        retention.apply_retention(self.database, now)
        self.digest_items.delete_many({"planned": True, "created_at": {"$lt": now - retention.KEEP_DELIVERIES_FOR}})

    # An address's manage page

    def subscriptions_of(self, token: str) -> list[dict]:
        """Every subscription of the address the token's subscription belongs to: a link from
        any of its emails shows them all, to the mailbox they all go to."""
        subscription = self._find_by_token(token)
        return list(self.subscriptions.find({"email": subscription["email"]},
                                            sort=[("unit", ASCENDING), ("created_at", ASCENDING)]))

    def managed(self, token: str, subscription_id: str) -> dict:
        """The subscription `subscription_id`, if it goes to the same address as the token's."""
        subscription = self.subscriptions.find_one(
            {"_id": ObjectId(subscription_id), "email": self._find_by_token(token)["email"]})
        if subscription is None:
            raise NotFound("This address has no such subscription")
        return subscription

    def change_frequency(self, subscription: dict, frequency: str) -> dict:
        return self.subscriptions.find_one_and_update(
            {"_id": subscription["_id"]}, {"$set": {"frequency": frequency}}, return_document=ReturnDocument.AFTER)

    # Units merged

    def move_to_successor(self, unit: str, successor: str, merged: dict):
        """The merged unit's subscriptions follow its successor. One the address has there
        already is kept instead (confirmed if either was), the merged one ended. Either way the
        subscription's next email says so (`merged`: the two units' names, {"from", "into"}).
        Idempotent: a second event finds nothing left under the old unit."""
        for subscription in self.subscriptions.find({"unit": unit}, batch_size=INSERT_BATCH):
            try:
                self.subscriptions.update_one({"_id": subscription["_id"]},
                                              {"$set": {"unit": successor, "merged": merged}})
                continue
            except DuplicateKeyError:
                pass
            kept = {field: subscription.get(field) for field in SUBSCRIPTION_KEY} | {"unit": successor}
            self.subscriptions.update_one(kept, {"$set": {"merged": merged}})
            if subscription["status"] == "confirmed":
                self.subscriptions.update_one(
                    {**kept, "status": {"$ne": "confirmed"}},
                    {"$set": {"status": "confirmed", "confirmed_at": utcnow()}, "$unset": {"confirm_by": ""}})
            self.subscriptions.update_one(
                {"_id": subscription["_id"]},
                {"$set": {"email": retention.forgotten_address(subscription["_id"]), "status": "unsubscribed",
                          "unsubscribed_at": subscription.get("unsubscribed_at") or utcnow(),
                          "merged_into": successor}})
            self.deliveries.update_many({"subscription_id": subscription["_id"], "status": "pending"},
                                        {"$set": {"status": "cancelled"}})

    def claim_due_deliveries(self, limit: int = SEND_BATCH) -> list[dict]:
        """Up to `limit` pending deliveries that are due, leased to the caller together (one
        `claim`) so that no other worker sends them meanwhile; if the caller dies, they are due
        again when the lease runs out."""
        now = utcnow()
        return claim_some(self.deliveries, {"status": "pending", "due_at": {"$lte": now}},
                          {"$set": {"due_at": now + SEND_LEASE}, "$inc": {"attempts": 1}}, limit,
                          first_among={"slot": random.randrange(SEND_SLOTS)})

    def claim_due_delivery(self) -> dict | None:
        """One pending delivery that is due, leased to the caller alone."""
        return next(iter(self.claim_due_deliveries(limit=1)), None)

    def extend_lease(self, claimed: list[dict]) -> bool:
        """Keep the deliveries of one claim still being sent from other workers a while longer;
        False once none of them is this sender's (their lease ran out and another worker took
        them, under a claim of its own)."""
        claims = list({delivery["claim"] for delivery in claimed})
        return self.deliveries.update_many(
            {"claim": {"$in": claims}, "status": "pending"},
            {"$set": {"due_at": utcnow() + SEND_LEASE}}).matched_count > 0

    def mark_sent(self, deliveries: list[dict]):
        """Recorded once, counted once, even when one was cancelled while it went."""
        if not deliveries:
            return
        recorded = self.deliveries.update_many(
            {"_id": {"$in": [delivery["_id"] for delivery in deliveries]}, "status": {"$in": ["pending", "cancelled"]}},
            {"$set": {"status": "sent", "sent_at": utcnow()}},
        ).modified_count
        if recorded:
            self.refusals.count("sent", recorded)
        # A merger told of once: the subscriptions' next emails need not say it again.
        if told := [delivery["subscription_id"] for delivery in deliveries if delivery.get("merged")]:
            self.subscriptions.update_many({"_id": {"$in": told}}, {"$unset": {"merged": ""}})

    def refuse(self, delivery: dict, error: Exception):
        """The mail server refused the delivery's address for good: it is suppressed, and every
        email to it still pending is cancelled."""
        self.refusals.suppress(delivery["email"], error)
        if self.deliveries.update_one(
            {"_id": delivery["_id"], "status": {"$in": ["pending", "cancelled"]}},
            {"$set": {"status": "refused", "refused_at": utcnow(), "last_error": repr(error)}},
        ).modified_count:
            self.refusals.count("refused")
        self.cancel_deliveries_to(delivery["email"])

    def cancel_deliveries_to(self, email: str):
        self.deliveries.update_many({"email": email, "status": "pending"}, {"$set": {"status": "cancelled"}})

    def retry_later(self, delivery: dict, error: Exception, delay: timedelta):
        self.deliveries.update_one(
            {"_id": delivery["_id"]},
            {"$set": {"due_at": utcnow() + delay, "last_error": repr(error)}},
        )

    def give_up(self, delivery: dict, error: Exception):
        self.deliveries.update_one(
            {"_id": delivery["_id"]}, {"$set": {"status": "failed", "last_error": repr(error)}}
        )

    def _find_by_token(self, token: str) -> dict:
        """Found by the token's hash, and the token compared in constant time: how long the
        lookup takes says nothing of how close a guessed token came to a real one (an index
        on the tokens themselves would answer faster for a guess sharing a real token's start)."""
        subscription = self.subscriptions.find_one({"token_hash": token_hash(token)})
        if subscription is None or not hmac.compare_digest(subscription["token"], token):
            raise NotFound("No subscription has this link")
        return subscription

    def _hash_tokens_of_older_subscriptions(self):
        """Subscriptions made before tokens were looked up by their hash get theirs: a batch at
        a time, each write conditional, so instances starting together do it side by side."""
        missing = {"token_hash": {"$exists": False}}
        while batch := list(self.subscriptions.find(missing, {"token": 1}).limit(INSERT_BATCH)):
            for subscription in batch:
                self.subscriptions.update_one(
                    {**missing, "_id": subscription["_id"]},
                    {"$set": {"token_hash": token_hash(subscription["token"])}})

    def _insert_new(self, collection, documents: list[dict]):
        if not documents:
            return
        try:
            collection.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            # The unique index refusing those that exist already (the event came again, a later
            # version of it, a digest planned twice) is the point; anything else is not.
            if any(problem["code"] != DUPLICATE_KEY for problem in error.details["writeErrors"]):
                raise


def _following(item: Item, units_above) -> dict:
    """The confirmed subscriptions that follow `item`."""
    return {
        "status": "confirmed",
        "kind": item.kind,
        "$or": [{"unit": item.unit}, {"unit": {"$in": list(units_above)}, "with_units_under": True}],
        "category": {"$in": [None, item.category]} if item.category else None,
    }


def _delivery(subscriber: dict, key: str, now, **content) -> dict:
    return {
        "subscription_id": subscriber["_id"],
        "article_id": key,
        "email": subscriber["email"],
        "token": subscriber["token"],
        **({"merged": subscriber["merged"]} if subscriber.get("merged") else {}),
        **content,
        "status": "pending",
        "slot": random.randrange(SEND_SLOTS),
        "attempts": 0,
        "due_at": now,
        "created_at": now,
    }


def _digest_item(subscriber: dict, item: Item, now) -> dict:
    period, due_at = period_of(subscriber["frequency"], now)
    return {"subscription_id": subscriber["_id"], "item_id": item.id, "item": {**item.content, "kind": item.kind},
            "period": period, "due_at": due_at, "planned": False, "withdrawn": False, "created_at": now}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _batches(iterable, size: int):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class MailSession:
    """One worker's way to send the platform's emails, over one SMTP connection opened at
    the first send and closed when the worker ends."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.connection = None

    def send_confirmation(self, subscription: dict, unit_name: str, branding: dict):
        self._send("confirmation", emails.confirmation(self.settings, subscription, unit_name, branding))

    def send_article(self, delivery: dict):
        self._send("article", emails.article_alert(self.settings, delivery))

    def send_digest(self, delivery: dict, items: list[dict]):
        self._send("digest", emails.digest(self.settings, delivery, items))

    def send_staff_notice(self, delivery: dict):
        self._send("staff_notice", emails.staff_notice(self.settings, delivery))

    def close(self):
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except OSError:  # the server has gone already; there is no one to say goodbye to
            self.connection.close()
        self.connection = None

    def _send(self, kind: str, message):
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(message)
        except Exception as error:
            EMAILS.labels(kind, "refused" if is_permanent(error) else "failed").inc()
            raise
        EMAILS.labels(kind, "sent").inc()

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        connection = smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=SMTP_TIMEOUT)
        try:
            if settings.SMTP_STARTTLS:
                connection.starttls(context=ssl.create_default_context())
            if settings.SMTP_USER:
                connection.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
        except BaseException:
            connection.close()
            raise
        return connection


class SubscriptionStorage(MongoStorage):
    """The SubscriptionStore of the notify database (see MongoStorage); today's bounce rate is a metric."""

    ops = OpsServer()

    def __init__(self):
        super().__init__(SubscriptionStore, "NOTIFY_DB")

    def setup(self):
        super().setup()
        self.ops.collect_with(Gauges(
            {"portal_email_bounce_ratio": "Today's emails refused for good among those tried (the portal's date)."},
            lambda: {"portal_email_bounce_ratio": self.storage.refusals.daily(1)["days"][-1]["bounce_rate"]}))


class Mailer(DependencyProvider):
    """Gives each worker its own MailSession, so a worker sending many emails reuses one
    connection, and closes it when the worker is done."""

    def setup(self):
        self.settings = Settings.from_mapping(self.container.config)
        self.sessions = {}

    def get_dependency(self, worker_ctx):
        session = self.sessions[worker_ctx] = MailSession(self.settings)
        return session

    def worker_teardown(self, worker_ctx):
        self.sessions.pop(worker_ctx).close()
