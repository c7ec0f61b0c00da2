"""What each worker of the content service gets: one `Content` with a store per area."""
from __future__ import annotations

from services.common.config import Settings
from services.common.mongo import MongoStorage
from services.common.ops.endpoint import Gauges, OpsServer
from services.content.access import Access
from services.content.articles.categories import Categories
from services.content.articles.store import Articles
from services.content.audit import AuditLog
from services.content.consultations.store import Consultations
from services.content.database import ContentDatabase
from services.content.documents.store import Documents
from services.content.history.store import History
from services.content.media.library import MediaLibrary
from services.content.media.store import MediaStore
from services.content.outbox import Outbox
from services.content.outcomes import Outcomes
from services.content.pages.store import Pages
from services.content.procedures.store import Procedures
from services.content.questions.store import Questions
from services.content.replay import Replay
from services.content.revisions import Revisions
from services.content.royalties.store import Royalties
from services.content.schedules.store import Schedules
from services.content.sessions import Sessions
from services.content.units.store import Units


class Content:
    """The content service's stores, sharing one database, outbox, audit log and revisions."""

    def __init__(self, database):
        self.db = ContentDatabase(database)
        self.outbox = Outbox(self.db)
        self.outcomes = Outcomes(self.db)
        self.audit = AuditLog(self.db)
        self.revisions = Revisions(self.db)
        self.access = Access(self.db)
        self.sessions = Sessions(self.db)
        self.units = Units(self)
        self.media = MediaStore(self.db)
        self.media_library = MediaLibrary(self)
        self.categories = Categories(self)
        # Each area takes the whole `Content` and uses what it needs of it.
        self.articles = Articles(self)
        self.schedules = Schedules(self)
        self.documents = Documents(self)
        self.questions = Questions(self)
        self.consultations = Consultations(self)
        self.pages = Pages(self)
        self.procedures = Procedures(self)
        self.royalties = Royalties(self)
        self.history = History(self)
        self.replay = Replay(self)

    def ensure_indexes(self):
        self.media.ensure_indexes()
        areas = (self.outbox, self.outcomes, self.sessions, self.schedules, self.documents, self.questions, self.pages,
                 self.royalties, self.procedures, self.consultations)
        self.db.ensure_indexes({collection: indexes for area in areas
                                for collection, indexes in getattr(area, "INDEXES", {}).items()})


class ContentStorage(MongoStorage):
    """The `Content` of the content database, one client per container (see MongoStorage, which
    also ensures the indexes); keeps the bootstrap administrator in place; its outbox backlog
    is a metric."""

    ops = OpsServer()

    def __init__(self):
        super().__init__(Content, "CONTENT_DB")

    def setup(self):
        super().setup()
        settings = Settings.from_mapping(self.container.config)
        self.storage.access.ensure_platform_admin(settings.PLATFORM_ADMIN_USER, settings.PLATFORM_ADMIN_TOKEN)
        self.ops.collect_with(Gauges(
            {"portal_outbox_backlog": "Changes whose events wait in the outbox, not yet sent to the broker."},
            lambda: {"portal_outbox_backlog": self.storage.outbox.pending_count()}))
