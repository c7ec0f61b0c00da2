"""The search service: keeps the index in step with the content service's events and answers
searches across every unit's published articles."""
from services.common.events import ArticlePublished, ArticleUnpublished, ArticleUpdated, handles
from services.common.rpc import rpc
from services.search.core import SearchRequest
from services.search.dependencies import SearchIndex


class SearchService:
    name = "search"

    index = SearchIndex()

    @handles("article_published")
    def on_article_published(self, event: ArticlePublished):
        self.index.apply(event.document_id, event.version, event.article)

    @handles("article_updated")
    def on_article_updated(self, event: ArticleUpdated):
        self.index.apply(event.document_id, event.version, event.article)

    @handles("article_unpublished")
    def on_article_unpublished(self, event: ArticleUnpublished):
        self.index.remove(event.document_id, event.version)

    @rpc
    def search(self, query, unit=None, page=1, per_page=10):
        """Published articles matching `query`, with or without diacritics, most relevant first.

        Returns {"query", "total", "page", "per_page", "hits": [{"id", "unit", "unit_name",
        "title", "summary", "path", "published_at", "highlight"}]}; raises InvalidInput.
        """
        return self.index.search(SearchRequest.parse(query, unit, page, per_page))
