"""The search index as a nameko dependency: the engine is chosen by configuration, workers
see only domain methods."""
from __future__ import annotations

import logging
from pathlib import Path

from nameko.extensions import DependencyProvider

from services.common.config import Settings
from services.common.events import ArticleSnapshot
from services.search.core import IndexedArticle, SearchRequest
from services.search.engines.base import SearchEngine
from services.search.engines.elasticsearch import ElasticsearchEngine
from services.search.engines.embedded import EmbeddedEngine

log = logging.getLogger(__name__)


def open_engine(settings: Settings) -> SearchEngine:
    """Elasticsearch when a cluster is configured, otherwise the embedded index on local disk."""
    if settings.ELASTICSEARCH_URL:
        return ElasticsearchEngine(settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX)
    return EmbeddedEngine(Path(settings.SEARCH_INDEX_DIR) / settings.SEARCH_INDEX)


class ArticleIndex:
    """What a worker gets: the index of published articles, whichever engine holds it."""

    def __init__(self, engine: SearchEngine):
        self._engine = engine

    def apply(self, document_id: str, version: int, article: ArticleSnapshot) -> bool:
        """Index this version of a published article unless a newer one is already applied."""
        return self._put(document_id, version, IndexedArticle.from_snapshot(document_id, article))

    def remove(self, document_id: str, version: int) -> bool:
        """Hide an unpublished article from results, for good unless a newer version comes."""
        return self._put(document_id, version, None)

    def search(self, request: SearchRequest) -> dict:
        return self._engine.search(request).as_result(request)

    def _put(self, document_id: str, version: int, article: IndexedArticle | None) -> bool:
        applied = self._engine.put(document_id, version, article)
        if not applied:
            log.info("ignored %s version %s: the index already holds that version or a newer one",
                     document_id, version)
        return applied


class SearchIndex(DependencyProvider):
    """Opens the configured engine once per container."""

    engine = None

    def setup(self):
        self.engine = open_engine(Settings.from_mapping(self.container.config))
        self.index = ArticleIndex(self.engine)

    def stop(self):
        if self.engine is not None:
            self.engine.close()
            self.engine = None

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return self.index
