"""What each worker of the content service gets: one `Content` with a store per area."""
from __future__ import annotations

from nameko.extensions import DependencyProvider
from pymongo import MongoClient

from services.common.config import Settings
from services.content.access import Access
from services.content.articles.categories import Categories
from services.content.articles.store import Articles
from services.content.audit import AuditLog
from services.content.database import ContentDatabase
from services.content.documents.store import Documents
from services.content.media.store import MediaStore
from services.content.outbox import Outbox
from services.content.pages.store import Pages
from services.content.questions.store import Questions
from services.content.revisions import Revisions
from services.content.royalties.store import Royalties
from services.content.schedules.store import Schedules
from services.content.units.store import Units


class Content:
    """The content service's stores, sharing one database, outbox, audit log and revisions."""

    def __init__(self, database):
        self.db = ContentDatabase(database)
        self.outbox = Outbox(self.db)
        self.audit = AuditLog(self.db)
        self.revisions = Revisions(self.db)
        self.access = Access(self.db)
        self.units = Units(self.db, self.outbox, self.audit)
        self.media = MediaStore(database)
        self.categories = Categories(self.db, self.units)
        self.articles = Articles(self.db, self.outbox, self.audit, self.revisions, self.access, self.units,
                                 media_exists=self.media.exists_in_unit)
        # The areas below take the whole `Content` and use what they need of it.
        self.schedules = Schedules(self)
        self.documents = Documents(self)
        self.questions = Questions(self)
        self.pages = Pages(self)
        self.royalties = Royalties(self)

    def ensure_indexes(self):
        self.media.ensure_indexes()
        areas = (self.schedules, self.documents, self.questions, self.pages, self.royalties)
        self.db.ensure_indexes({collection: indexes for area in areas
                                for collection, indexes in getattr(area, "INDEXES", {}).items()})


class ContentStorage(DependencyProvider):
    """Opens one MongoDB client per container; keeps the bootstrap administrator in place."""

    def setup(self):
        settings = Settings.from_mapping(self.container.config)
        self.client = MongoClient(settings.MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=10_000)
        self.content = Content(self.client[settings.CONTENT_DB])
        self.content.ensure_indexes()
        self.content.access.ensure_platform_admin(settings.PLATFORM_ADMIN_USER, settings.PLATFORM_ADMIN_TOKEN)

    def stop(self):
        self.client.close()

    def kill(self):
        self.client.close()

    def get_dependency(self, worker_ctx):
        return self.content
