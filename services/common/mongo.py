"""A nameko dependency that gives each worker its service's own MongoDB database,
wrapped in that service's storage class (never raw driver calls in entrypoints); and the
claim by which many workers share out work kept in a collection."""
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


def claim_one(collection, due: dict, lease: dict, sort: list | None = None, tries: int = 20) -> dict | None:
    """Take one document matching `due` for the calling worker and return it as `lease` (an
    update that makes it stop matching `due`) left it; None when nothing is due.

    A find, then a write conditional on the document still being due: when another worker took
    it first, the write matches nothing and the next one is tried. (find_one_and_update does this
    in one step on MongoDB, but reads the whole collection on the SecantusDB stand-in, so work
    slowed as sent messages piled up.)"""
    for _ in range(tries):
        candidate = collection.find_one(due, {"_id": 1}, sort=sort)
        if candidate is None:
            return None
        if collection.update_one({**due, "_id": candidate["_id"]}, lease).modified_count:
            return collection.find_one({"_id": candidate["_id"]})
    return None  # every candidate went to others: the caller's next round takes what is left
