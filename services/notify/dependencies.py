"""What the notify service's workers are given: its subscriptions and deliveries in
MongoDB, and a mail session to the SMTP server."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import smtplib
import ssl
from datetime import timedelta
from itertools import islice

from nameko.extensions import DependencyProvider
from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.common.config import Settings
from services.common.errors import InvalidInput, NotFound
from services.common.events import ArticlePublished, utcnow
from services.common.mongo import claim_one
from services.notify import emails, retention
from services.notify.articles import ArticleVersions
from services.notify.refusals import Refusals
from services.notify.throttles import CONFIRMATION_INTERVAL, ClientAttempts

# GOV.UK's figure: a confirmation link works for 7 days.
CONFIRMATION_LIFETIME = timedelta(days=7)
# How long a claimed delivery is kept from other workers: a few seconds, renewed while its send
# goes on (delivery.py), so a sender that dies delays its email by seconds, not minutes.
SEND_LEASE = timedelta(seconds=10)
SMTP_TIMEOUT = 30
DUPLICATE_KEY = 11000
INSERT_BATCH = 1000


class SubscriptionStore:
    """Subscriptions (one per email and unit, found by their token's hash) and deliveries (one
    per subscription and article: the email telling that subscriber about that article)."""

    def __init__(self, database):
        self.database = database
        self.subscriptions = database["subscriptions"]
        self.deliveries = database["deliveries"]
        self.clients = ClientAttempts(database)
        self.articles = ArticleVersions(database)
        self.refusals = Refusals(database)

    def ensure_indexes(self):
        self.clients.ensure_indexes()
        self.subscriptions.create_index([("email", ASCENDING), ("unit", ASCENDING)], unique=True)
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
        self.deliveries.create_index([("article_id", ASCENDING), ("status", ASCENDING)])
        self.deliveries.create_index([("email", ASCENDING), ("status", ASCENDING)])
        self.deliveries.create_index([("status", ASCENDING), ("created_at", ASCENDING)])

    def subscribe(self, email: str, unit: str) -> dict:
        """The subscription of `email` to `unit`: created, or made pending again with a
        fresh confirmation deadline; a confirmed one is left as it is."""
        key = {"email": email, "unit": unit}
        now = utcnow()
        token = secrets.token_urlsafe(32)  # 256 bits
        try:
            return self.subscriptions.find_one_and_update(
                {**key, "status": {"$ne": "confirmed"}},
                {
                    "$set": {"status": "pending", "confirm_by": now + CONFIRMATION_LIFETIME},
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

    def plan_deliveries(self, event: ArticlePublished):
        """A pending delivery of the article for every confirmed subscriber of its unit who
        has none yet. Each delivery holds all its email needs, so any worker can send it."""
        article = event.article
        content = {
            "title": article.title,
            "summary": article.summary,
            "path": article.path,
            "unit_name": article.unit_name,
        }
        now = utcnow()
        subscribers = self.subscriptions.find(
            {"unit": article.unit, "status": "confirmed"}, {"email": 1, "token": 1}
        )
        for batch in _batches(subscribers, INSERT_BATCH):
            suppressed = self.refusals.suppressed_among([subscriber["email"] for subscriber in batch])
            batch = [subscriber for subscriber in batch if subscriber["email"] not in suppressed]
            if not batch:
                continue
            self._insert_new_deliveries([
                {
                    "subscription_id": subscriber["_id"],
                    "article_id": event.document_id,
                    "email": subscriber["email"],
                    "token": subscriber["token"],
                    "article": content,
                    "status": "pending",
                    "attempts": 0,
                    "due_at": now,
                    "created_at": now,
                }
                for subscriber in batch
            ])
        # Withdrawn while these were planned: the withdrawal may have cancelled before they were in.
        if self.articles.is_withdrawn(event.document_id):
            self.cancel_deliveries_of(event.document_id)

    def cancel_deliveries_of(self, article_id: str):
        """The article's emails not sent yet are not sent at all (it was withdrawn)."""
        self.deliveries.update_many(
            {"article_id": article_id, "status": "pending"}, {"$set": {"status": "cancelled"}}
        )

    def apply_retention(self):
        retention.apply_retention(self.database, utcnow())

    def claim_due_delivery(self) -> dict | None:
        """One pending delivery that is due, leased to the caller so that no other worker
        sends it meanwhile; if the caller dies, it is due again when the lease runs out."""
        now = utcnow()
        return claim_one(self.deliveries, {"status": "pending", "due_at": {"$lte": now}},
                         {"$set": {"due_at": now + SEND_LEASE}, "$inc": {"attempts": 1}})

    def extend_lease(self, delivery: dict) -> bool:
        """Keep a delivery being sent from other workers a while longer; False if it is no longer
        this sender's (its lease ran out and another worker took it)."""
        return self.deliveries.update_one(
            {"_id": delivery["_id"], "status": "pending", "attempts": delivery["attempts"]},
            {"$set": {"due_at": utcnow() + SEND_LEASE}}).modified_count == 1

    def mark_sent(self, delivery: dict):
        """Recorded once, counted once, even when it was cancelled while it went."""
        if self.deliveries.update_one(
            {"_id": delivery["_id"], "status": {"$in": ["pending", "cancelled"]}},
            {"$set": {"status": "sent", "sent_at": utcnow()}},
        ).modified_count:
            self.refusals.count("sent")

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

    def _insert_new_deliveries(self, deliveries: list[dict]):
        try:
            self.deliveries.insert_many(deliveries, ordered=False)
        except BulkWriteError as error:
            # The unique index refusing deliveries that exist already (the event came
            # again, or a later version of it) is the point; anything else is not.
            if any(problem["code"] != DUPLICATE_KEY for problem in error.details["writeErrors"]):
                raise


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

    def send_confirmation(self, subscription: dict, unit_name: str):
        self._send(emails.confirmation(self.settings, subscription, unit_name))

    def send_article(self, delivery: dict):
        self._send(emails.article_alert(self.settings, delivery))

    def close(self):
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except OSError:  # the server has gone already; there is no one to say goodbye to
            self.connection.close()
        self.connection = None

    def _send(self, message):
        if self.connection is None:
            self.connection = self._connect()
        self.connection.send_message(message)

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
