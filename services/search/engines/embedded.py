"""The embedded engine: a tantivy index on the service's local disk.

tantivy allows one IndexWriter per index directory, so one process owns the index: this is
the single-instance deployment. Deployments that need several search instances use
Elasticsearch instead.

Fields: `title`, `summary` and `body` are analysed with accents folded away and stored (for
results and highlights); `<name>_exact` holds the same text with accents kept, so a query
typed with the article's accents scores higher. `version` and `visible` implement the
engine's versioning: one document per article id, live or a tombstone.
"""
from __future__ import annotations

import html
import threading
from dataclasses import asdict
from pathlib import Path

import tantivy
from tantivy import Occur, Query

from services.search.core import (
    EXACT_BOOST,
    FIELD_BOOSTS,
    HIGHLIGHT_CHARS,
    HIGHLIGHT_FIELDS,
    HIGHLIGHT_TAGS,
    PHRASE_BOOST,
    SHOWN_FIELDS,
    Hit,
    IndexedArticle,
    SearchPage,
    SearchRequest,
)

_FOLDED = "vi_folded"
_EXACT = "vi_exact"
# Events arrive one at a time and are committed at once, so the writer never buffers much.
_WRITER_HEAP_BYTES = 50_000_000


def _analyzer(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
    # The simple tokenizer splits on anything not alphanumeric; Vietnamese letters count as
    # letters provided the text is NFC (core guarantees it).
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for token_filter in filters:
        builder = builder.filter(token_filter)
    return builder.build()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, stored=True, tokenizer_name=_FOLDED)
        builder.add_text_field(f"{name}_exact", tokenizer_name=_EXACT)
    for name in SHOWN_FIELDS:
        if name not in FIELD_BOOSTS:
            # Whole values: `id` and `unit` are looked up by exact term, the rest only shown.
            builder.add_text_field(name, stored=True, tokenizer_name="raw")
    builder.add_integer_field("version", stored=True)
    builder.add_boolean_field("visible", stored=True, indexed=True)
    return builder.build()


class EmbeddedEngine:
    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self._folded = _analyzer(tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold())
        self._exact = _analyzer(tantivy.Filter.lowercase())
        self._schema = _schema()
        self._index = tantivy.Index(self._schema, path=str(directory))
        # Analyzers are not saved with the index: register them on every open.
        self._index.register_tokenizer(_FOLDED, self._folded)
        self._index.register_tokenizer(_EXACT, self._exact)
        self._writer = self._index.writer(heap_size=_WRITER_HEAP_BYTES, num_threads=1)
        # nameko runs each event in its own greenthread; the version check and the write must
        # not interleave. (threading is monkey-patched under nameko, so this is a green lock.)
        self._write_lock = threading.Lock()

    def put(self, document_id: str, version: int, article: IndexedArticle | None) -> bool:
        with self._write_lock:
            stored = self._stored_version(document_id)
            if stored is not None and stored >= version:
                return False
            try:
                self._writer.delete_documents_by_term("id", document_id)
                self._writer.add_document(self._document(document_id, version, article))
                self._writer.commit()
            except Exception:
                # Drop the half-made change, or the next commit would apply the delete alone.
                self._writer.rollback()
                raise
            # Reload now instead of on tantivy's delayed reload, so the change is searchable
            # when put returns.
            self._index.reload()
            return True

    def search(self, request: SearchRequest) -> SearchPage:
        searcher = self._index.searcher()
        query = self._query(request)
        result = searcher.search(query, limit=request.per_page, offset=request.offset, count=True)
        highlighters = [self._highlighter(searcher, query, name) for name in HIGHLIGHT_FIELDS]
        hits = []
        for _score, address in result.hits:
            document = searcher.doc(address)
            shown = {name: document.get_first(name) for name in SHOWN_FIELDS}
            hits.append(Hit(**shown, highlight=_highlight(document, highlighters)))
        return SearchPage(total=result.count, hits=hits)

    def close(self) -> None:
        # Finishes background merges and releases the index's writer lock.
        self._writer.wait_merging_threads()

    def _stored_version(self, document_id: str) -> int | None:
        searcher = self._index.searcher()
        found = searcher.search(Query.term_query(self._schema, "id", document_id), limit=1).hits
        if not found:
            return None
        return searcher.doc(found[0][1]).get_first("version")

    def _document(self, document_id: str, version: int, article: IndexedArticle | None):
        if article is None:
            return tantivy.Document(id=document_id, version=version, visible=False)
        document = tantivy.Document(**asdict(article), version=version, visible=True)
        for name in FIELD_BOOSTS:
            document.add_text(f"{name}_exact", getattr(article, name))
        return document

    def _query(self, request: SearchRequest) -> Query:
        folded = self._folded.analyze(request.query)
        if not folded:  # punctuation only: nothing can match
            return Query.empty_query()
        exact = self._exact.analyze(request.query)
        clauses = [(Occur.Must, self._in_any_field(term, exact=False)) for term in folded]
        clauses.append((Occur.Should, Query.boost_query(
            _any_of(self._in_any_field(term, exact=True) for term in exact), EXACT_BOOST)))
        if len(folded) > 1:
            phrases = (Query.boost_query(Query.phrase_query(self._schema, name, folded), boost)
                       for name, boost in FIELD_BOOSTS.items())
            clauses.append((Occur.Should, Query.boost_query(_any_of(phrases), PHRASE_BOOST)))
        clauses.append((Occur.Must, _filter(Query.term_query(self._schema, "visible", True))))
        if request.unit:
            clauses.append((Occur.Must, _filter(Query.term_query(self._schema, "unit", request.unit))))
        return Query.boolean_query(clauses)

    def _in_any_field(self, term: str, exact: bool) -> Query:
        suffix = "_exact" if exact else ""
        return _any_of(
            Query.boost_query(Query.term_query(self._schema, name + suffix, term), boost)
            for name, boost in FIELD_BOOSTS.items()
        )

    def _highlighter(self, searcher, query: Query, field: str) -> tantivy.SnippetGenerator:
        generator = tantivy.SnippetGenerator.create(searcher, query, self._schema, field)
        generator.set_max_num_chars(HIGHLIGHT_CHARS)
        return generator


def _any_of(queries) -> Query:
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _filter(query: Query) -> Query:
    """Restricts the results without counting towards relevance."""
    return Query.const_score_query(query, 0.0)


def _highlight(document: tantivy.Document, highlighters) -> str:
    for highlighter in highlighters:
        snippet = highlighter.snippet_from_doc(document)
        if snippet.highlighted():
            return _mark(snippet.fragment(), snippet.highlighted())
    return ""


def _mark(fragment: str, ranges) -> str:
    """Wrap the highlighted ranges in HIGHLIGHT_TAGS and escape the rest.

    tantivy's own to_html() hard-codes <b>; its ranges are byte offsets into UTF-8.
    """
    raw = fragment.encode()
    opening, closing = HIGHLIGHT_TAGS
    parts, position = [], 0
    for span in ranges:
        parts.append(html.escape(raw[position:span.start].decode()))
        parts.append(opening + html.escape(raw[span.start:span.end].decode()) + closing)
        position = span.end
    parts.append(html.escape(raw[position:].decode()))
    return "".join(parts)
