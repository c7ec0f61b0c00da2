"""The search service: keeps the index in step with the content service's events and answers
searches across everything every unit publishes (articles, legal documents, leadership
schedules, answered questions, static pages, administrative procedures); rebuilds the index
from the content service's replay and checks it against it; keeps the best bets platform admins pin to queries."""
import time

from services.common.actors import ActingUser
from services.common.events import (
    ArticlePublished,
    ArticleUnpublished,
    ArticleUpdated,
    ConsultationOpened,
    ConsultationUpdated,
    DocumentPublished,
    PagePublished,
    PageWithdrawn,
    ProcedurePublished,
    ProcedureWithdrawn,
    QuestionAnswered,
    SchedulePublished,
    UnitUpdated,
    handles,
)
from services.common.operators import require_platform_admin
from services.common.ops.endpoint import Ops
from services.common.rpc import RpcProxy, rpc
from services.common.schemas import PublishesSchemas
from services.search import rebuild, schemas
from services.search.core import RELEVANCE
from services.search.dependencies import Reindexing, SearchIndex
from services.search.requests import BestBetRequest, SearchRequest, SuggestRequest


class SearchService(PublishesSchemas):
    name = "search"
    api_outputs = schemas.API_OUTPUTS

    index = SearchIndex()
    reindexing = Reindexing()
    content = RpcProxy("content")
    acting = ActingUser()
    ops = Ops()  # ready while the engine answers (dependencies.py)

    @handles("article_published")
    def on_article_published(self, event: ArticlePublished):
        self.index.apply_event(event)

    @handles("article_updated")
    def on_article_updated(self, event: ArticleUpdated):
        self.index.apply_event(event)

    @handles("article_unpublished")
    def on_article_unpublished(self, event: ArticleUnpublished):
        self.index.apply_event(event)

    @handles("document_published")
    def on_document_published(self, event: DocumentPublished):
        self.index.apply_event(event)

    @handles("schedule_published")
    def on_schedule_published(self, event: SchedulePublished):
        self.index.apply_event(event)

    @handles("question_answered")
    def on_question_answered(self, event: QuestionAnswered):
        self.index.apply_event(event)

    @handles("page_published")
    def on_page_published(self, event: PagePublished):
        self.index.apply_event(event)

    @handles("page_withdrawn")
    def on_page_withdrawn(self, event: PageWithdrawn):
        self.index.apply_event(event)

    @handles("procedure_published")
    def on_procedure_published(self, event: ProcedurePublished):
        self.index.apply_event(event)

    @handles("procedure_withdrawn")
    def on_procedure_withdrawn(self, event: ProcedureWithdrawn):
        self.index.apply_event(event)

    @handles("consultation_opened")
    def on_consultation_opened(self, event: ConsultationOpened):
        self.index.apply_event(event)

    @handles("consultation_updated")
    def on_consultation_updated(self, event: ConsultationUpdated):
        self.index.apply_event(event)

    @handles("unit_updated")
    def on_unit_updated(self, event: UnitUpdated):
        self.index.apply_event(event)

    @rpc
    def readiness(self):
        """{check: why} for each readiness check failing now, {} when ready (the gateway's /readyz)."""
        return self.ops.failing()

    @rpc
    def search(self, query, unit=None, page=1, per_page=10, filters=None, sort=RELEVANCE):
        """Published items matching `query`, with or without diacritics, abbreviations and what
        they stand for alike; most relevant first (recent news a little ahead) or, with
        sort="date", newest first. Best bets pinned to the query come first on page 1.

        filters: {"unit", "level", "type", "category": a value or a list of values (any of
        them); "from", "to": "YYYY-MM-DD", inclusive}; `unit` alone is the same as its filter.
        Returns {"query", "total", "page", "per_page", "sort", "filters",
        "hits": [{"id", "type", "unit", "unit_name", "unit_level", "category", "title",
                  "summary", "path", "date", "published_at", "highlight", "snippet", "best_bet"}],
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

    @rpc
    def reindex(self):
        """Start rebuilding the index from the content service's replay, in the background;
        searches keep answering from the current index until the new one replaces it.
        Returns reindex_status() (a running rebuild is not started twice)."""
        return self.reindexing.start(self.content.replay)

    @rpc
    def reindex_status(self):
        """{"state": idle|running|done|failed, "kind", "done", "kinds": {kind: items},
        "started_at", "finished_at", "errors": [text]}."""
        return self.reindexing.status()

    @rpc
    def check(self):
        """Per unit and kind, what the content service says is public against what the index
        holds: {"equal", "content", "index", "differences": [{"unit", "kind", "content", "index"}]}."""
        return rebuild.check(self.index, self.content.replay)

    @rpc
    def pin_best_bet(self, actor, query, document_type, document_id):
        """Put an item first for a query (its words, accents and case aside); platform admins
        only. Returns best_bets(); raises Forbidden, InvalidInput."""
        bet = BestBetRequest.parse(query, document_type, document_id)
        require_platform_admin(self.content, self.acting.verify(actor))
        self.index.pin(bet.query, bet.type, bet.id, _version())
        return self.index.best_bets()

    @rpc
    def unpin_best_bet(self, actor, query, document_type, document_id):
        """Stop putting an item first for a query; platform admins only. Returns best_bets()."""
        bet = BestBetRequest.parse(query, document_type, document_id)
        require_platform_admin(self.content, self.acting.verify(actor))
        self.index.unpin(bet.query, bet.type, bet.id, _version())
        return self.index.best_bets()

    @rpc
    def best_bets(self):
        """[{"query" (folded), "type", "id"}]."""
        return self.index.best_bets()


def _version() -> int:
    # Best bets have no source of versions but time: the later change wins.
    return time.time_ns() // 1000
