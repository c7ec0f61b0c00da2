"""Ranking service: how actively each unit keeps its site, and its visit counters."""
from nameko.timer import timer

from services.common.errors import InvalidInput
from services.common.events import handles
from services.common.mongo import MongoStorage
from services.common.rpc import rpc
from services.ranking.dependencies import RankingStore


class RankingService:
    name = "ranking"

    store = MongoStorage(RankingStore, "RANKING_DB")

    @handles("article_published")
    def on_article_published(self, event):
        self._apply_article(event)

    @handles("article_updated")
    def on_article_updated(self, event):
        self._apply_article(event)

    @handles("article_unpublished")
    def on_article_unpublished(self, event):
        self.store.apply_unpublished(event.document_id, event.version, event.unit)

    @handles("unit_updated")
    def on_unit_updated(self, event):
        self.store.apply_unit(event.document_id, event.version, event.unit.model_dump())

    @rpc
    def unit_activity(self, unit):
        return self.store.unit_activity(unit)

    @rpc
    def record_visit(self, unit, client_address, user_agent):
        return self.store.record_visit(unit, client_address, user_agent or "")

    @rpc
    def record_visits(self, visits):
        """Page views as the gateway collects them: [[unit, client address, user agent, views], ...];
        returns {unit: counters} for each unit in the batch."""
        if not isinstance(visits, list) or not all(_is_visit(visit) for visit in visits):
            raise InvalidInput("visits must be a list of [unit, client address, user agent, views]",
                               {"visits": "must be a list of [unit, client address, user agent, views]"})
        return self.store.record_visits([tuple(visit) for visit in visits]) if visits else {}

    @rpc
    def visit_counters(self, unit):
        return self.store.visit_counters(unit)

    @timer(interval=3600)
    def forget_old_visitors(self):
        self.store.forget_old_visitors()

    def _apply_article(self, event):
        article = event.article
        self.store.apply_article(event.document_id, event.version, article.unit,
                                 published=True, published_at=article.published_at)


def _is_visit(visit) -> bool:
    return (isinstance(visit, (list, tuple)) and len(visit) == 4 and all(isinstance(part, str) for part in visit[:3])
            and isinstance(visit[3], int) and not isinstance(visit[3], bool) and visit[3] >= 1)
