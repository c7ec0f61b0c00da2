"""The search index as nameko dependencies: the engine is chosen by configuration; workers
see only domain methods (index.ContentIndex) and the reindexing (rebuild.Rebuild)."""
from __future__ import annotations

import time
from pathlib import Path

from nameko.extensions import DependencyProvider, SharedExtension

from services.common.config import Settings
from services.common.ops.endpoint import Gauges, OpsServer
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
    """The container's one open index, shared by the dependencies below; ready while its
    engine answers, and measured (documents, the last change made searchable) when scraped."""

    index = None
    ops = OpsServer()

    def setup(self):
        self.indices = indices_for(Settings.from_mapping(self.container.config))
        notices = ChangeNotices(self.container.config)
        self.last_change = None  # time.time() of the last change searches can see, made by this process

        def changed():
            self.last_change = time.time()
            notices.send()

        self.index = ContentIndex(self.indices.open(), Synonyms.load(), on_change=changed, fillers=Fillers.load())
        self.rebuild = Rebuild(self.index, self.indices, self.container.spawn_managed_thread)
        self.ops.ready_when("search engine", self._documents)
        self.ops.collect_with(Gauges({
            "portal_search_index_documents": "Items searches can find (visible documents in the index).",
            "portal_search_index_last_change_age_seconds":
                "Seconds since this process last made a change searchable (absent before its first).",
        }, lambda: {"portal_search_index_documents": self._documents(),
                    "portal_search_index_last_change_age_seconds":
                        None if self.last_change is None else time.time() - self.last_change}))

    def _documents(self) -> int:
        return self.index.engine.frequencies([]).items

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
