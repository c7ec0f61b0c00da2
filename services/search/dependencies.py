"""The search index as a nameko dependency: the engine is chosen by configuration, workers
see only domain methods (index.ContentIndex)."""
from __future__ import annotations

from pathlib import Path

from nameko.extensions import DependencyProvider

from services.common.config import Settings
from services.search.core import LAYOUT_VERSION
from services.search.engines.base import SearchEngine
from services.search.engines.elasticsearch import ElasticsearchEngine
from services.search.engines.embedded import EmbeddedEngine
from services.search.index import ContentIndex
from services.search.synonyms import Synonyms


def open_engine(settings: Settings) -> SearchEngine:
    """Elasticsearch when a cluster is configured, otherwise the embedded index on local disk."""
    name = f"{settings.SEARCH_INDEX}-v{LAYOUT_VERSION}"
    if settings.ELASTICSEARCH_URL:
        return ElasticsearchEngine(settings.ELASTICSEARCH_URL, name)
    return EmbeddedEngine(Path(settings.SEARCH_INDEX_DIR) / name)


class SearchIndex(DependencyProvider):
    """Opens the configured engine and reads the synonyms once per container."""

    engine = None

    def setup(self):
        self.engine = open_engine(Settings.from_mapping(self.container.config))
        self.index = ContentIndex(self.engine, Synonyms.load())

    def stop(self):
        if self.engine is not None:
            self.engine.close()
            self.engine = None

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return self.index
