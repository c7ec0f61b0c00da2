"""A nameko dependency that gives each worker its service's own MongoDB database,
wrapped in that service's storage class (never raw driver calls in entrypoints)."""
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
