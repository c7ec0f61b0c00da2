"""The search service: keeps the index in step with the content service's events and answers
searches across everything every unit publishes (articles, legal documents, leadership
schedules, answered questions)."""
from services.common.events import (
    ArticlePublished,
    ArticleUnpublished,
    ArticleUpdated,
    DocumentPublished,
    QuestionAnswered,
    SchedulePublished,
    UnitUpdated,
    handles,
)
from services.common.rpc import rpc
from services.search import documents
from services.search.core import RELEVANCE
from services.search.dependencies import SearchIndex
from services.search.requests import SearchRequest, SuggestRequest


class SearchService:
    name = "search"

    index = SearchIndex()

    @handles("article_published")
    def on_article_published(self, event: ArticlePublished):
        self.index.apply(documents.from_article(event.document_id, event.article), event.version)

    @handles("article_updated")
    def on_article_updated(self, event: ArticleUpdated):
        self.index.apply(documents.from_article(event.document_id, event.article), event.version)

    @handles("article_unpublished")
    def on_article_unpublished(self, event: ArticleUnpublished):
        self.index.withdraw(documents.ARTICLE, event.document_id, event.version)

    @handles("document_published")
    def on_document_published(self, event: DocumentPublished):
        self.index.apply(documents.from_document(event.document_id, event.document), event.version)

    @handles("schedule_published")
    def on_schedule_published(self, event: SchedulePublished):
        self.index.apply(documents.from_schedule(event.document_id, event.schedule), event.version)

    @handles("question_answered")
    def on_question_answered(self, event: QuestionAnswered):
        self.index.apply(documents.from_question(event.document_id, event.question), event.version)

    @handles("unit_updated")
    def on_unit_updated(self, event: UnitUpdated):
        unit = event.unit
        self.index.apply_unit(event.document_id, event.version,
                              documents.UnitRecord(slug=unit.slug, name=unit.name, level=unit.level))

    @rpc
    def search(self, query, unit=None, page=1, per_page=10, filters=None, sort=RELEVANCE):
        """Published items matching `query`, with or without diacritics, abbreviations and what
        they stand for alike; most relevant first (recent news a little ahead) or, with
        sort="date", newest first.

        filters: {"unit", "level", "type", "category": a value or a list of values (any of
        them); "from", "to": "YYYY-MM-DD", inclusive}; `unit` alone is the same as its filter.
        Returns {"query", "total", "page", "per_page", "sort", "filters",
        "hits": [{"id", "type", "unit", "unit_name", "unit_level", "category", "title",
                  "summary", "path", "date", "published_at", "highlight", "snippet"}],
        "facets": {"unit": [{"value", "count", "name"}], "level"|"type"|"category": [{"value", "count"}]},
        "suggestion": a corrected query when this one finds little, else None}.
        Raises InvalidInput naming each offending argument.
        """
        return self.index.search(SearchRequest.parse(query, unit, page, per_page, filters, sort))

    @rpc
    def suggest(self, prefix, unit=None, limit=8):
        """Autocomplete: titles with words starting as typed (accents optional), best first.

        Returns {"prefix", "suggestions": [{"title", "path", "type", "unit", "unit_name", "date"}]};
        raises InvalidInput.
        """
        return self.index.suggest(SuggestRequest.parse(prefix, unit, limit))
