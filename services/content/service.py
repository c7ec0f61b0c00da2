"""Content service: units and what they publish. Entrypoints only; rules live in the store."""
from nameko.events import EventDispatcher

from services.common.mongo import MongoStorage
from services.common.rpc import rpc
from services.common.timers import sweep_timer
from services.content.dependencies import ContentStore
from services.content.schemas import ArticleInput, UnitInput, validate

MAX_PAGE = 100


class ContentService:
    name = "content"

    store = MongoStorage(ContentStore, "CONTENT_DB")
    dispatch = EventDispatcher()

    @rpc
    def create_unit(self, data):
        unit = self.store.create_unit(validate(UnitInput, data))
        self._dispatch_outbox()
        return unit

    @rpc
    def get_unit(self, slug):
        return self.store.get_unit(slug)

    @rpc
    def list_units(self):
        return self.store.list_units()

    @rpc
    def create_article(self, unit, data):
        return self.store.create_article(unit, validate(ArticleInput, data))

    @rpc
    def get_article(self, article_id):
        return self.store.get_article(article_id)

    @rpc
    def update_article(self, article_id, data, expected_version):
        article = self.store.update_article(article_id, validate(ArticleInput, data), expected_version)
        self._dispatch_outbox()
        return article

    @rpc
    def publish_article(self, article_id, expected_version=None):
        article = self.store.publish_article(article_id, expected_version)
        self._dispatch_outbox()
        return article

    @rpc
    def unpublish_article(self, article_id, expected_version=None):
        article = self.store.unpublish_article(article_id, expected_version)
        self._dispatch_outbox()
        return article

    @rpc
    def get_published_article(self, unit, slug):
        return self.store.get_published_article(unit, slug)

    @rpc
    def latest_articles(self, unit=None, limit=10):
        return self.store.latest_published(unit, max(1, min(int(limit), MAX_PAGE)))

    @sweep_timer
    def sweep_outbox(self):
        """Dispatch what an earlier process committed but did not get to send."""
        self._dispatch_outbox()

    def _dispatch_outbox(self):
        while (entry := self.store.claim_pending_event()) is not None:
            self.dispatch(entry["name"], entry["payload"])
            self.store.mark_dispatched(entry["_id"])
