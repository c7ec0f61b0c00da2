"""The search index as nameko dependencies: the engine is chosen by configuration; workers
see only domain methods (index.ContentIndex) and the reindexing (rebuild.Rebuild)."""
from __future__ import annotations

from pathlib import Path

from nameko.extensions import DependencyProvider, SharedExtension

from services.common.config import Settings
from services.search.changes import ChangeNotices
from services.search.engines.base import Indices
from services.search.engines.elasticsearch import AliasIndices
from services.search.engines.embedded import DirectoryIndices
from services.search.fillers import Fillers
from services.search.index import ContentIndex
from services.search.rebuild import Rebuild
from services.search.synonyms import Synonyms


def indices_for(settings: Settings) -> Indices:
    """Elasticsearch when a cluster is configured, otherwise the embedded index on local disk."""
    if settings.ELASTICSEARCH_URL:
        return AliasIndices(settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX)
    return DirectoryIndices(Path(settings.SEARCH_INDEX_DIR), settings.SEARCH_INDEX)


class OpenIndex(SharedExtension):
    """The container's one open index, shared by the dependencies below."""

    index = None

    def setup(self):
        self.indices = indices_for(Settings.from_mapping(self.container.config))
        self.index = ContentIndex(self.indices.open(), Synonyms.load(),
                                  on_change=ChangeNotices(self.container.config).send, fillers=Fillers.load())
        self.rebuild = Rebuild(self.index, self.indices, self.container.spawn_managed_thread)

    def stop(self):
        if self.index is not None:
            self.index.engine.close()
            self.index = None

    def kill(self):
        self.stop()


class SearchIndex(DependencyProvider):
    open_index = OpenIndex()

    def get_dependency(self, worker_ctx):
        return self.open_index.index


class Reindexing(DependencyProvider):
    open_index = OpenIndex()

    def get_dependency(self, worker_ctx):
        return self.open_index.rebuild
