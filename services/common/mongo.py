"""A nameko dependency that gives each worker its service's own MongoDB database,
wrapped in that service's storage class (never raw driver calls in entrypoints); and the
claim by which many workers share out work kept in a collection."""
import secrets

from nameko.extensions import DependencyProvider
from pymongo import MongoClient

from services.common.config import Settings


class MongoStorage(DependencyProvider):
    """Opens one client per container; `storage_class(database)` is what workers get.

    `database_setting` names the Settings field holding this service's database name.
    The storage class may define `ensure_indexes()`, run once at start-up.
    """

    def __init__(self, storage_class, database_setting: str):
        self.storage_class = storage_class
        self.database_setting = database_setting
        self.client = None
        self.storage = None

    def setup(self):
        settings = Settings.from_mapping(self.container.config)
        self.client = MongoClient(settings.MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=10_000)
        database = self.client[getattr(settings, self.database_setting)]
        self.storage = self.storage_class(database)
        if hasattr(self.storage, "ensure_indexes"):
            self.storage.ensure_indexes()

    def stop(self):
        if self.client is not None:
            self.client.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return self.storage


def claim_some(collection, due: dict, lease: dict, limit: int, first_among: dict | None = None,
               tries: int = 20) -> list[dict]:
    """Take up to `limit` documents matching `due` for the calling worker and return them as
    `lease` (an update that makes them stop matching `due`) left them, each marked with this
    claim's `claim` token; [] when nothing is due. With `first_among`, those also matching it
    are looked for first (a random slot of the work: workers side by side rarely want the same
    documents, and a claim reads that slot's due documents rather than all of them).

    A find, then one write conditional on each document still being due, then a read of those
    this claim won: when other workers took some first, the write skips them, and when they took
    all, the next ones are tried. (find_one_and_update does one in a single step on MongoDB, but
    reads the whole collection on the SecantusDB stand-in, and one at a time costs three round
    trips per document where a batch costs three in all.)"""
    for _ in range(tries):
        candidates = _ids(collection.find({**due, **first_among}, {"_id": 1}).limit(limit)) if first_among else []
        candidates = candidates or _ids(collection.find(due, {"_id": 1}).limit(limit))
        if not candidates:
            return []
        claim = secrets.token_hex(16)
        marked = {**lease, "$set": {**lease.get("$set", {}), "claim": claim}}
        # By _id, not by `due`'s index: the stand-in would read every due document again.
        if collection.update_many({"_id": {"$in": candidates}, **due}, marked, hint=[("_id", 1)]).modified_count:
            return list(collection.find({"_id": {"$in": candidates}, "claim": claim}))
    return []  # every candidate went to others: the caller's next round takes what is left


def _ids(documents) -> list:
    return [document["_id"] for document in documents]
