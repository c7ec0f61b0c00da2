"""What both engines share: the indexed article, the validated request, the result shape and
the relevance rules. Engines translate these into their own queries; they decide nothing else.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from services.common.errors import InvalidInput
from services.common.events import ArticleSnapshot
from services.search.text import html_to_text, normalise

MAX_QUERY_CHARS = 200
MAX_PER_PAGE = 50
# Elasticsearch refuses to page past its max_result_window (10,000 by default); the embedded
# engine keeps the same limit so both answer the same requests.
MAX_RESULT_WINDOW = 10_000

# Relevance. Every query word must appear in the article, accents optional (the folded fields);
# on top of that, words typed with the article's own accents (the exact fields) and adjacent
# syllables in the query's order ('điện tử', a phrase) score higher.
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
EXACT_BOOST = 2.0
PHRASE_BOOST = 2.0

# Highlight: one fragment of about this many characters, from the first field that matched.
HIGHLIGHT_FIELDS = ("body", "summary")
HIGHLIGHT_CHARS = 160
HIGHLIGHT_TAGS = ("<mark>", "</mark>")


@dataclass(frozen=True)
class IndexedArticle:
    """An article as the index holds it: searchable text plus what a result shows."""

    id: str
    unit: str
    unit_name: str
    title: str
    summary: str
    body: str
    path: str
    published_at: str

    @classmethod
    def from_snapshot(cls, document_id: str, article: ArticleSnapshot) -> IndexedArticle:
        return cls(
            id=document_id,
            unit=article.unit,
            unit_name=article.unit_name,
            title=normalise(article.title),
            summary=normalise(article.summary),
            body=html_to_text(article.body_html),
            path=article.path,
            published_at=article.published_at.isoformat(),
        )


@dataclass(frozen=True)
class SearchRequest:
    query: str
    unit: str | None
    page: int
    per_page: int

    @classmethod
    def parse(cls, query, unit=None, page=1, per_page=10) -> SearchRequest:
        """Validate RPC arguments; raise InvalidInput naming every offending field."""
        problems = {}
        if not isinstance(query, str):
            problems["query"] = "must be text"
        else:
            query = normalise(query)
            if not query:
                problems["query"] = "must not be empty"
            elif len(query) > MAX_QUERY_CHARS:
                problems["query"] = f"must be at most {MAX_QUERY_CHARS} characters"
        if unit is not None and not isinstance(unit, str):
            problems["unit"] = "must be a unit slug"
        if not _is_int(page) or page < 1:
            problems["page"] = "must be a whole number from 1"
        if not _is_int(per_page) or not 1 <= per_page <= MAX_PER_PAGE:
            problems["per_page"] = f"must be a whole number from 1 to {MAX_PER_PAGE}"
        elif "page" not in problems and page * per_page > MAX_RESULT_WINDOW:
            problems["page"] = f"must not go past result {MAX_RESULT_WINDOW}"
        if problems:
            raise InvalidInput("invalid search request", problems)
        # An empty unit is what a search form sends for "all units".
        unit = (unit or "").strip() or None
        return cls(query=query, unit=unit, page=page, per_page=per_page)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Hit:
    id: str
    unit: str
    unit_name: str
    title: str
    summary: str
    path: str
    published_at: str
    highlight: str  # HTML: matched words in HIGHLIGHT_TAGS, everything else escaped; may be ""


# What an engine stores to rebuild a hit without going back to the content service.
SHOWN_FIELDS = tuple(field.name for field in fields(Hit) if field.name != "highlight")


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[Hit]

    def as_result(self, request: SearchRequest) -> dict:
        """The RPC result: plain JSON."""
        return {
            "query": request.query,
            "total": self.total,
            "page": request.page,
            "per_page": request.per_page,
            "hits": [asdict(hit) for hit in self.hits],
        }
