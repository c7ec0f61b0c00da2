"""The embedded engine: a tantivy index on the service's local disk.

tantivy allows one IndexWriter per index directory, so one process owns the index: this is
the single-instance deployment. Deployments that need several search instances use
Elasticsearch instead.

Fields: `title`, `summary`, `body` and `unit_names` are analysed with accents folded away and
stored (for results and highlights); `<name>_exact` holds the same text with accents kept, so a query
typed with the item's own accents scores higher. Whole values (`key`, `unit`, `type`, a
document's `number`, ...) are single terms. `version` and `visible` implement the engine's
versioning: one document per key, live, a tombstone or a unit record. Queries are built from
tantivy's query objects, never parsed from text, so nothing a citizen types is syntax here.
"""
from __future__ import annotations

import functools
import html
import os
import shutil
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import eventlet.patcher
import tantivy
from eventlet import tpool
from tantivy import FieldType, Occur, Order, Query

from services.common.events import utcnow
from services.search.core import (
    ALL_WORDS_BOOST,
    COMMON_SHARE,
    COMPLETION_PHRASE_BOOST,
    DATE,
    EXACT_BOOST,
    FIELD_BOOSTS,
    FUZZY_DISTANCE,
    FUZZY_MAX_EXPANSIONS,
    FUZZY_PREFIX,
    HIGHLIGHT_CHARS,
    HIGHLIGHT_FIELDS,
    HIGHLIGHT_TAGS,
    LAYOUT_VERSION,
    MAX_UNITS,
    NEIGHBOUR_WEIGHT,
    NUMBER_BOOST,
    NUMBER_PREFIX_BOOST,
    PHRASE_BOOST,
    RECENCY_TYPES,
    SHOWN_FIELDS,
    AnyOf,
    Completion,
    EnginePage,
    EngineQuery,
    Filter,
    Found,
    Frequencies,
    Group,
    NoneOf,
    QueryText,
    other_units,
    ranking_factor,
    stored_fields,
)
from services.search.documents import BEST_BET, LANGUAGES, UNIT, BestBet, Record, UnitRecord
from services.search.spelling import edit_distance

_FOLDED = "vi_folded"
_EXACT = "vi_exact"
_PAIRS = "vi_pairs"
# Writes are committed in batches (see put), so the writer never buffers much.
_WRITER_HEAP_BYTES = 50_000_000
# Group commit: a commit (and reload) costs far more than a write, so writes arriving together
# share one. A batch is committed at most every COMMIT_INTERVAL seconds after the last commit,
# or as soon as COMMIT_BATCH writes are pending.
COMMIT_INTERVAL = 0.05
COMMIT_BATCH = 200
# Relevance order re-ranks at most this many of the best-scored matches by recency; any further
# down keep their score order, so a query never walks all its matches. Copies of one item are
# collapsed within the same window (in either order): past it, each match is a result of its own.
RERANK_WINDOW = 300
_WHOLE_VALUES = ("key", "id", "type", "unit", "unit_name", "unit_level", "unit_parent", "category", "number",
                 "spellings", "path", "date", "published_at", "query", "target", "lang")
_STORED = {*SHOWN_FIELDS, "unit_level", "unit_parent", "query", "target"}
_COUNTED = ("type", "unit", "category")  # fast fields, for facets
_DATE_SECONDS = "date_ts"
_FINGERPRINT = "fingerprint"
# Seconds of the date from which news is boosted; absent on other types.
_RECENCY_SECONDS = "recency_ts"
# The item's language as its place in LANGUAGES, read for the re-ranked window (a number, as
# _FINGERPRINT is).
_LANGUAGE_NUMBER = "lang_number"
# Autocomplete ranks more candidates than it returns, to put the newest first among equals.
_COMPLETION_CANDIDATES = 4


def _in_native_thread(method):
    """Under eventlet (the nameko service), run a read in one of eventlet's native threads.

    tantivy lets go of the GIL while it searches, so a long search no longer holds up the
    service's other requests, and two searches use two cores. Reads touch no green lock."""
    @functools.wraps(method)
    def read(*args, **kwargs):
        if eventlet.patcher.is_monkey_patched("thread"):
            return tpool.execute(method, *args, **kwargs)
        return method(*args, **kwargs)
    return read


def _analyzer(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
    # The simple tokenizer splits on anything not alphanumeric; Vietnamese letters count as
    # letters provided the text is NFC (core guarantees it).
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for token_filter in filters:
        builder = builder.filter(token_filter)
    return builder.build()


# Folded words, and the same with accents kept; both split as _analyzer says.
_FOLDING = _analyzer(tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold())
_KEEPING_ACCENTS = _analyzer(tantivy.Filter.lowercase())
# Each searchable field has a `<name>_pairs` twin holding every two adjacent folded words as
# one term ('thong_tin'), so that words in order are found from terms alone: a phrase query
# reads positions for every match, which costs most for the words in nearly every item.
_PAIRS_JOIN = "_"  # never inside a word: the simple tokenizer splits on it
_PAIRING = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
# Autocomplete matches title words in order as typed (a phrase prefix), so titles keep positions.
_POSITIONED = ("title",)
# Every searchable field's folded words in one field, which only says which items hold a word:
# selecting the matches (to count them and their facets) then reads one list of items per word
# rather than one per field, which costs most for a long question's relaxed query (a quarter of
# its words, in half the items). Scoring keeps the fields apart, with their boosts.
_WORDS = "words"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in FIELD_BOOSTS:
        builder.add_text_field(name, stored=True, tokenizer_name=_FOLDED,
                               index_option="position" if name in _POSITIONED else "freq")
        builder.add_text_field(f"{name}_exact", tokenizer_name=_EXACT, index_option="freq")
        builder.add_text_field(f"{name}_pairs", tokenizer_name=_PAIRS, index_option="freq")
    builder.add_text_field(_WORDS, tokenizer_name=_FOLDED, index_option="basic")
    for name in _WHOLE_VALUES:
        builder.add_text_field(name, stored=name in _STORED, fast=name in _COUNTED, tokenizer_name="raw")
    builder.add_integer_field(_DATE_SECONDS, indexed=True, fast=True)
    builder.add_integer_field(_RECENCY_SECONDS, fast=True)
    builder.add_unsigned_field(_LANGUAGE_NUMBER, fast=True)
    # Read for a window of matches at once (see _collapsed): a number, since only numeric fast
    # fields can be read that way.
    builder.add_unsigned_field(_FINGERPRINT, fast=True)
    builder.add_integer_field("version", stored=True)
    builder.add_boolean_field("visible", stored=True, indexed=True)
    return builder.build()


class EmbeddedEngine:
    def __init__(self, directory: Path, write_lock=None):
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._schema = _schema()
        self._index = tantivy.Index(self._schema, path=str(directory))
        # Analyzers are not saved with the index: register them on every open.
        self._index.register_tokenizer(_FOLDED, _FOLDING)
        self._index.register_tokenizer(_EXACT, _KEEPING_ACCENTS)
        self._index.register_tokenizer(_PAIRS, _PAIRING)
        self._writer = self._index.writer(heap_size=_WRITER_HEAP_BYTES, num_threads=1)
        # nameko runs each event in its own greenthread; the version check and the write must
        # not interleave. (threading is monkey-patched under nameko, so this is a green lock.)
        # An index being rebuilt shares the current one's lock: it takes the current one's place.
        self._write_lock = write_lock or threading.Lock()
        # Written but not yet committed: key -> (version, the batch committing it).
        self._pending: dict[str, tuple[int, _Batch]] = {}
        self._batch: _Batch | None = None  # the batch new writes join
        self._committed_at = 0.0  # time.monotonic() of the last commit
        # Grows whenever searches may see something new (a commit, another index adopted).
        self.revision = 0

    def put(self, key: str, version: int, record: Record) -> bool:
        """Group commit: the write joins the open batch and put returns once that batch is
        committed and searchable (so an event is acknowledged only when durable). The first
        write of a batch commits it, waiting at most COMMIT_INTERVAL for others to join."""
        document = _document(version, stored_fields(key, record))  # before touching the writer
        with self._write_lock:
            pending = self._pending.get(key)
            if pending is not None:
                stored, batch = pending
            else:
                stored, batch = self._stored_version(key), None
            if stored is not None and stored >= version:
                applied = False
            else:
                applied = True
                batch, leads = self._batch or _Batch(), self._batch is None
                self._batch = batch
                try:
                    self._writer.delete_documents_by_term("key", key)
                    self._writer.add_document(document)
                except Exception as error:
                    # Drop the half-made change, or the next commit would apply the delete
                    # alone; the batch's other writes go with it, and fail too.
                    self._abandon(error)
                    raise
                self._pending[key] = (version, batch)
                if len(self._pending) >= COMMIT_BATCH:
                    self._commit()
        if applied and leads:
            self._lead(batch)
        if batch is not None:
            # An older version still pending is not yet durable either. Should the batch's
            # leader have gone (its greenthread killed), a waiting write commits it.
            while not batch.wait(timeout=10 * COMMIT_INTERVAL):
                with self._write_lock:
                    if self._batch is batch:
                        self._commit()
        return applied

    def flush(self) -> None:
        """Commit any pending writes now."""
        with self._write_lock:
            self._commit()

    def _lead(self, batch: _Batch) -> None:
        # Let other writes join: wait until COMMIT_INTERVAL after the last commit (at once if
        # none was that recent), yielding to other greenthreads at least once.
        time.sleep(max(0.0, self._committed_at + COMMIT_INTERVAL - time.monotonic()))
        with self._write_lock:
            if self._batch is batch:
                self._commit()

    def _commit(self) -> None:
        """Commit the open batch; the write lock is held."""
        batch = self._batch
        if batch is None:
            return
        try:
            self._writer.commit()
            # Reload now instead of on tantivy's delayed reload, so the changes are searchable
            # when put returns.
            self._index.reload()
        except Exception as error:
            self._abandon(error)
            raise
        finally:
            self._committed_at = time.monotonic()
            self.revision += 1
        self._batch = None
        self._pending.clear()
        batch.done()

    def _abandon(self, error: Exception) -> None:
        """Roll back every uncommitted write and fail the open batch; the write lock is held."""
        try:
            self._writer.rollback()
        finally:
            batch, self._batch = self._batch, None
            self._pending.clear()
            if batch is not None:
                batch.done(error)

    @_in_native_thread
    def search(self, query: EngineQuery) -> EnginePage:
        searcher = self._index.searcher()
        matching = self._matching(searcher, query.text)
        if matching is None:  # no word the analyzer keeps: nothing can match
            return EnginePage(total=0, found=[])
        filtered = self._filtered(matching.scored, query.filters_but(None))
        ordered = self._by_date if query.sort == DATE else self._by_relevance
        total, groups = ordered(searcher, filtered, query)
        # A synonym is looked for in the pairs twins; its words are marked in the text itself.
        synonym_words = sorted({word for group in query.text.groups for synonym in group.synonyms
                                for word in _FOLDING.analyze(synonym)})
        highlighters = [self._highlighter(searcher, filtered, synonym_words, name) for name in HIGHLIGHT_FIELDS]
        found = []
        for group in groups:
            document = searcher.doc(group.shown)
            copies = (searcher.doc(address) for address in group.others)
            found.append(Found(_shown(document), _highlight(document, highlighters), duplicates=len(group.others),
                               duplicate_units=other_units(document.get_first("unit"), (
                                   (copy.get_first("unit"), copy.get_first("unit_name")) for copy in copies))))
        return EnginePage(total=total, found=found, facets=self._facets(searcher, matching.required, query))

    @_in_native_thread
    def count(self, query: EngineQuery) -> int:
        searcher = self._index.searcher()
        numbers = self._numbers(searcher, query.text)
        matching = self._selecting(searcher, query.text, numbers, counted=True)
        if matching is None:
            return 0
        return searcher.search(self._filtered(matching, query.filters_but(None)), limit=1, count=True).count

    @_in_native_thread
    def complete(self, completion: Completion) -> list[Found]:
        searcher = self._index.searcher()
        clauses = [(Occur.Must, self._term("title", word)) for word in completion.words]
        if completion.partial:
            completed = [term for term, _ in searcher.terms_with_prefix("title", completion.partial)]
            if not completed:
                return []
            clauses.append((Occur.Must, Query.term_set_query(self._schema, "title", completed)))
            in_order = Query.phrase_prefix_query(self._schema, "title", completion.phrase)
        elif len(completion.phrase) > 1:
            in_order = Query.phrase_query(self._schema, "title", completion.phrase)
        else:
            in_order = self._term("title", completion.words[0])
        clauses.append((Occur.Should, Query.boost_query(in_order, COMPLETION_PHRASE_BOOST)))
        clauses.append((Occur.Must, _filter(self._term("visible", True))))
        if completion.unit:
            clauses.append((Occur.Must, _filter(self._term("unit", completion.unit))))
        query = Query.boolean_query(clauses)
        hits = searcher.search(query, limit=completion.limit * _COMPLETION_CANDIDATES).hits
        newest = searcher.fast_field_values(_DATE_SECONDS, [address for _, address in hits])
        ranked = sorted(zip(hits, newest), key=lambda pair: (-pair[0][0], -(pair[1] or 0)))
        return [Found(_shown(searcher.doc(address))) for (_, address), _ in ranked[:completion.limit]]

    def units(self) -> list[UnitRecord]:
        searcher = self._index.searcher()
        hits = searcher.search(self._term("type", UNIT), limit=MAX_UNITS).hits
        documents = [searcher.doc(address) for _, address in hits]
        return [UnitRecord(slug=document.get_first("unit"), name=document.get_first("unit_name"),
                           level=document.get_first("unit_level"), parent=document.get_first("unit_parent"))
                for document in documents]

    def best_bets(self) -> list[BestBet]:
        searcher = self._index.searcher()
        hits = searcher.search(self._term("type", BEST_BET), limit=MAX_UNITS).hits
        documents = [searcher.doc(address) for _, address in hits]
        return [BestBet(query=document.get_first("query"), target=document.get_first("target"))
                for document in documents]

    def get(self, keys: list[str]) -> list[Found]:
        if not keys:
            return []
        searcher = self._index.searcher()
        query = Query.boolean_query([(Occur.Must, Query.term_set_query(self._schema, "key", keys)),
                                     (Occur.Must, self._term("visible", True))])
        return [Found(_shown(searcher.doc(address))) for _, address in searcher.search(query, limit=len(keys)).hits]

    def counts(self, type_: str) -> dict[str, int]:
        searcher = self._index.searcher()
        query = Query.boolean_query([(Occur.Must, self._term("type", type_)),
                                     (Occur.Must, self._term("visible", True))])
        aggregated = searcher.aggregate(query, {"units": {"terms": {"field": "unit", "size": MAX_UNITS}}})
        return {bucket["key"]: bucket["doc_count"] for bucket in aggregated["units"]["buckets"]}

    def vocabulary(self, prefix: str) -> list[tuple[str, int]]:
        searcher = self._index.searcher()
        return searcher.terms_with_prefix("spellings", prefix, filter_query=self._term("visible", True))

    def marked(self, terms: list[str]) -> set[str]:
        """The folded `terms` that some title spells with marks (a spelling 'hue huế'); withdrawn
        items count too, until segments merge (not filtered: this runs for every unaccented query)."""
        searcher = self._index.searcher()
        return {term for term in terms if any(spelling != f"{term} {term}" for spelling, _ in
                                              searcher.terms_with_prefix("spellings", f"{term} "))}

    def frequencies(self, terms: list[str]) -> Frequencies:
        """Counted per field (the most of any), withdrawn items included until segments merge."""
        searcher = self._index.searcher()

        def held(term: str) -> int:
            pair = term.split(" ")
            if len(pair) == 2:  # two words in order: a term of the pairs twins
                return max(searcher.doc_freq(f"{name}_pairs", _PAIRS_JOIN.join(pair)) for name in FIELD_BOOSTS)
            suffix = "" if term.isascii() else "_exact"  # accents kept: counted as typed
            return max(searcher.doc_freq(name + suffix, term) for name in FIELD_BOOSTS)

        # Items are counted as Elasticsearch counts them: visible ones (not unit records,
        # best bets or tombstones), so both engines call the same words common.
        items = searcher.search(self._term("visible", True), limit=1, count=True).count
        return Frequencies(items=items, of={term: held(term) for term in terms})

    def close(self) -> None:
        # Finishes background merges and releases the index's writer lock.
        with self._write_lock:
            self._commit()
        self._writer.wait_merging_threads()

    def adopt(self, new: EmbeddedEngine) -> Path:
        """Answer from `new`'s index from now on (it shares this engine's write lock, held here
        so no write falls between the two); returns the old index's directory, now closed."""
        with self._write_lock:
            self._commit()
            new._commit()
            old_writer, old_directory = self._writer, self.directory
            self._index, self._writer, self.directory = new._index, new._writer, new.directory
            self.revision += 1
        old_writer.wait_merging_threads()
        return old_directory

    def _stored_version(self, key: str) -> int | None:
        searcher = self._index.searcher()
        found = searcher.search(self._term("key", key), limit=1).hits
        if not found:
            return None
        return searcher.doc(found[0][1]).get_first("version")

    def _term(self, field: str, value) -> Query:
        return Query.term_query(self._schema, field, value)

    def _matching(self, searcher: tantivy.Searcher, text: QueryText) -> _Matching | None:
        """Visible items with the query's required groups (all of them, or text.minimum), or
        with a document number it names; None when no word survives analysis."""
        numbers = self._numbers(searcher, text)
        required = self._selecting(searcher, text, numbers, counted=True)
        if required is None:
            return None
        matching = [(Occur.Must, self._selecting(searcher, text, numbers, counted=False))]
        # In a relaxed query, words that only score (accents as typed, optional words) score
        # only in the fields where at most COMMON_SHARE of the items hold them, as fallbacks.relaxed
        # leaves common words uncounted: there they weigh little, and their lists of items, the
        # longest, cost most of the scored search (a long question's 30 words, in four fields).
        most = COMMON_SHARE * searcher.num_docs if text.minimum is not None else None
        exact = _KEEPING_ACCENTS.analyze(text.text)
        boosts = [(Occur.Should, Query.boost_query(
            _any_of(self._in_any_field(term, exact=True, searcher=searcher, most=most) for term in exact),
            EXACT_BOOST))]
        if text.in_order:
            boosts.append((Occur.Should, Query.boost_query(self._phrase(_FOLDING.analyze(text.text)), PHRASE_BOOST)))
        boosts += [(Occur.Should, query) for query in (self._group(searcher, group, text, most=most)
                                                       for group in text.optional)
                   if query is not None]
        if text.units:
            boosts.append((Occur.Should, Query.const_score_query(
                Query.term_set_query(self._schema, "unit", list(text.units)), text.unit_boost)))
        # Only whether an item has them all counts here: selected as for counting.
        complete = [query for query in (self._group(searcher, group, text, counted=True) for group in text.complete)
                    if query]
        if text.minimum is not None and complete:
            boosts.append((Occur.Should, Query.const_score_query(_all_of(complete), ALL_WORDS_BOOST)))
        return _Matching(required=required, scored=Query.boolean_query([*matching, *boosts]))

    def _numbers(self, searcher: tantivy.Searcher, text: QueryText) -> list[Query]:
        """The legal document numbers the query names, exactly or as their start."""
        numbers = []
        for number in text.numbers:
            numbers.append(Query.const_score_query(self._term("number", number), NUMBER_BOOST))
            starting = [term for term, _ in searcher.terms_with_prefix("number", number)]
            if starting:
                numbers.append(Query.const_score_query(
                    Query.term_set_query(self._schema, "number", starting), NUMBER_PREFIX_BOOST))
        return numbers

    def _selecting(self, searcher: tantivy.Searcher, text: QueryText, numbers: list[Query],
                   counted: bool) -> Query | None:
        """The visible items with the required groups (or the numbers): `counted`, only which
        items (each plain word one term of _WORDS); else scored field by field."""
        required = [query for query in (self._group(searcher, group, text, counted) for group in text.required)
                    if query is not None]
        if not required and not numbers:
            return None
        minimum = len(required) if text.minimum is None else min(text.minimum, len(required))
        if not required:
            groups = []
        elif minimum == len(required):
            groups = [_all_of(required)]
        elif minimum == 1:
            # The same items as a minimum of one, at a third of the cost: tantivy's minimum
            # should match goes through a heap of the clauses, a plain union through a bitset.
            groups = [_any_of(required)]
        else:
            groups = [Query.boolean_query([(Occur.Should, query) for query in required],
                                          minimum_number_should_match=minimum)]
        return Query.boolean_query([(Occur.Must, _any_of([*groups, *numbers])),
                                    (Occur.Must, _filter(self._term("visible", True)))])

    def _group(self, searcher: tantivy.Searcher, group: Group, text: QueryText, counted: bool = False,
               most: float | None = None) -> Query | None:
        terms = _FOLDING.analyze(group.text)
        if not terms:
            return None
        if group.in_order:
            return self._phrase(terms)
        words = _all_of(self._word(searcher, term, text.instead_of(term), counted, most) for term in terms)
        synonyms = [self._phrase(_FOLDING.analyze(synonym)) for synonym in group.synonyms]
        return _any_of([words, *synonyms]) if synonyms else words

    def _word(self, searcher: tantivy.Searcher, term: str, instead: tuple[str, ...] | None,
              counted: bool = False, most: float | None = None) -> Query:
        """The folded word in any searchable field (`counted`: in _WORDS, unscored; `most`: see
        _in_any_field); when loosened (no visible item holds it), the word its telex keys spell,
        or else its neighbours, each scored as its own term (as Elasticsearch scores a fuzzy
        match's expansions) at NEIGHBOUR_WEIGHT.

        tantivy's FuzzyTermQuery has no prefix length and scores every match alike, so the
        neighbours are looked up here, in each field's term dictionary."""
        if instead is None and counted:
            return self._term(_WORDS, term)
        as_typed = self._in_any_field(term, exact=False, searcher=searcher, most=most)
        if instead is None:
            return as_typed
        if instead:  # what its telex keys spell: nothing else was meant
            return _any_of(self._in_any_field(word, exact=False) for word in instead)
        near = [Query.boost_query(self._term(name, neighbour), boost * NEIGHBOUR_WEIGHT)
                for name, boost in FIELD_BOOSTS.items() for neighbour in _neighbours(searcher, name, term)]
        return _any_of(near) if near else as_typed

    def _phrase(self, terms: list[str]) -> Query:
        """The terms next to each other, in this order, in any searchable field: each two
        adjacent ones a term of the field's pairs twin (so three or more words match when
        each two of them stand together, as shingles do on Elasticsearch)."""
        if len(terms) == 1:
            return self._in_any_field(terms[0], exact=False)
        return _any_of(Query.boost_query(_all_of(self._term(f"{name}_pairs", pair) for pair in _pairs(terms)), boost)
                       for name, boost in FIELD_BOOSTS.items())

    def _in_any_field(self, term: str, exact: bool, searcher: tantivy.Searcher | None = None,
                      most: float | None = None) -> Query:
        """The term in each searchable field, with the field's boost; given `most`, only in the
        fields where at most that many items hold it."""
        suffix = "_exact" if exact else ""
        return _any_of(Query.boost_query(self._term(name + suffix, term), boost)
                       for name, boost in FIELD_BOOSTS.items()
                       if most is None or searcher.doc_freq(name + suffix, term) <= most)

    def _filtered(self, matching: Query, filters: list[Filter]) -> Query:
        return Query.boolean_query([
            (Occur.Must, matching),
            *((Occur.MustNot if isinstance(each, NoneOf) else Occur.Must, _filter(self._restriction(each)))
              for each in filters if not (isinstance(each, NoneOf) and not each.values))])

    def _restriction(self, each: Filter) -> Query:
        if isinstance(each, (AnyOf, NoneOf)):
            return Query.term_set_query(self._schema, each.field, list(each.values))
        return Query.range_query(
            self._schema, _DATE_SECONDS, FieldType.Integer,
            lower_bound=_seconds(each.start) if each.start else None,
            upper_bound=_seconds(each.end) if each.end else None, include_upper=each.end is None)

    def _by_relevance(self, searcher: tantivy.Searcher, query: Query, request: EngineQuery):
        """The total and the page's results, in order of score × recency factor.

        tantivy cannot score by a function of today's date, so the RERANK_WINDOW best-scored
        matches are re-ranked here; matches further down keep their score order. The whole
        window comes from one search: a longer list of hits costs little, another pass over
        the matches a lot.
        """
        result = searcher.search(query, limit=RERANK_WINDOW + request.offset + request.limit, count=True)
        window = result.hits[:RERANK_WINDOW]
        addresses = [address for _, address in window]
        recency = searcher.fast_field_values(_RECENCY_SECONDS, addresses)
        languages = searcher.fast_field_values(_LANGUAGE_NUMBER, addresses)
        factors = [_factor(seconds, language, request) for seconds, language in zip(recency, languages)]
        boosted = sorted(((score * factor, rank, address)
                          for rank, ((score, address), factor) in enumerate(zip(window, factors))),
                         key=lambda entry: (-entry[0], entry[1]))
        return _collapsed(searcher, result.count, [address for _, _, address in boosted],
                          [address for _, address in result.hits[RERANK_WINDOW:]], request)

    def _by_date(self, searcher: tantivy.Searcher, query: Query, request: EngineQuery):
        """The total and the page's results, newest first."""
        result = searcher.search(query, limit=RERANK_WINDOW + request.offset + request.limit, count=True,
                                 order_by_field=_DATE_SECONDS, order=Order.Desc)
        addresses = [address for _, address in result.hits]
        return _collapsed(searcher, result.count, addresses[:RERANK_WINDOW], addresses[RERANK_WINDOW:], request)

    def _facets(self, searcher: tantivy.Searcher, matching: Query, query: EngineQuery) -> dict:
        """Counts among the matches: `matching` unscored, since only the set counts."""
        # Facets ignoring a filter that is not in the request share one aggregation.
        by_ignored = defaultdict(list)
        for facet in query.facets:
            by_ignored[facet.ignores if facet.ignores in query.filters else None].append(facet)
        counted = {}
        for ignored, facets in by_ignored.items():
            # Facets counting the same field alike (units, and levels from them) share one count.
            fields = {(facet.field, facet.size) for facet in facets}
            names = {field: f"{field[0]}:{field[1]}" for field in fields}
            aggregated = searcher.aggregate(
                self._filtered(matching, query.filters_but(ignored)),
                {names[field]: {"terms": {"field": field[0], "size": field[1]}} for field in fields})
            for facet in facets:
                counted[facet.name] = [(bucket["key"], bucket["doc_count"])
                                       for bucket in aggregated[names[facet.field, facet.size]]["buckets"]]
        return counted

    def _highlighter(self, searcher, query: Query, words: list[str], field: str) -> tantivy.SnippetGenerator:
        """Marks in `field` the words `query` looks for there, and `words`."""
        marked = _any_of([query, *(self._term(field, word) for word in words)])
        generator = tantivy.SnippetGenerator.create(searcher, marked, self._schema, field)
        generator.set_max_num_chars(HIGHLIGHT_CHARS)
        return generator


@dataclass(frozen=True)
class _Result:
    """One result: the copy shown, and the other copies of the same item that matched."""

    shown: tantivy.DocAddress
    others: tuple[tantivy.DocAddress, ...] = ()


def _collapsed(searcher: tantivy.Searcher, count: int, window: list, beyond: list,
               request: EngineQuery) -> tuple[int, list[_Result]]:
    """The total of results and the page of them, matches in order: copies of one item (one
    fingerprint) in the window become one result where its first copy stands; past the window
    (deep pages of broad queries) each match is its own result, and counts as one."""
    copies: dict = {}
    for address, fingerprint in zip(window, searcher.fast_field_values(_FINGERPRINT, window)):
        copies.setdefault(fingerprint if fingerprint is not None else address, []).append(address)
    results = [_Result(first, tuple(others)) for first, *others in copies.values()]
    results += [_Result(address) for address in beyond]
    total = count - (len(window) - len(copies))
    return total, results[request.offset:request.offset + request.limit]


@dataclass(frozen=True)
class _Matching:
    """A query's matches: `required` selects them (enough to count them), `scored` adds the
    clauses that only order them (accents as typed, words in order), which cost position reads."""

    required: Query
    scored: Query


class _Batch:
    """Writes committed together; their puts wait for the commit (or its failure)."""

    def __init__(self):
        self._event = threading.Event()
        self._error: Exception | None = None

    def done(self, error: Exception | None = None) -> None:
        self._error = error
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """True once committed, False if still pending after `timeout` seconds; raises what
        failed the commit."""
        if not self._event.wait(timeout):
            return False
        if self._error is not None:
            raise self._error
        return True


def _document(version: int, fields: dict) -> tantivy.Document:
    document = tantivy.Document()
    for name, value in fields.items():
        if value is None:
            continue
        if name == "visible":
            document.add_boolean(name, value)
        elif name == _FINGERPRINT:
            document.add_unsigned(name, int(value, 16))
        elif name == "lang":
            document.add_text(name, value)
            document.add_unsigned(_LANGUAGE_NUMBER, LANGUAGES.index(value))
        elif name == "spellings":
            for spelling in value:
                document.add_text(name, spelling)
        else:
            document.add_text(name, value)
            if name in FIELD_BOOSTS:
                document.add_text(_WORDS, value)
                document.add_text(f"{name}_exact", value)
                document.add_text(f"{name}_pairs", " ".join(_pairs(_FOLDING.analyze(value))))
    if fields.get("date"):
        seconds = _seconds(datetime.fromisoformat(fields["date"]))
        document.add_integer(_DATE_SECONDS, seconds)
        if fields["type"] in RECENCY_TYPES:
            document.add_integer(_RECENCY_SECONDS, seconds)
    document.add_integer("version", version)
    return document


def _neighbours(searcher: tantivy.Searcher, field: str, term: str) -> list[str]:
    """The field's words FUZZY_DISTANCE edits from `term`, sharing its first FUZZY_PREFIX letters."""
    found = (other for other, _ in searcher.terms_with_prefix(field, term[:FUZZY_PREFIX])
             if other != term and abs(len(other) - len(term)) <= FUZZY_DISTANCE
             and edit_distance(other, term) <= FUZZY_DISTANCE)
    return list(islice(found, FUZZY_MAX_EXPANSIONS))


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _factor(seconds: int | None, language: int | None, request: EngineQuery) -> float:
    """core.ranking_factor from the fast fields: the news date's seconds, the language's number."""
    return ranking_factor(None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc),
                          None if language is None else LANGUAGES[language], request.language, request.now)


def _shown(document: tantivy.Document) -> dict:
    return {name: document.get_first(name) for name in SHOWN_FIELDS}


def _any_of(queries) -> Query:
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _all_of(queries) -> Query:
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def _pairs(words: list[str]) -> list[str]:
    return [first + _PAIRS_JOIN + second for first, second in zip(words, words[1:])]


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


class DirectoryIndices:
    """Index directories `{name}-v{layout}-{timestamp}` under `base`; the file `{name}.current`
    names the one in use (replaced atomically), as an alias names an Elasticsearch index."""

    def __init__(self, base: Path, name: str):
        self._base = base
        self._name = name
        self._pointer = base / f"{name}.current"
        # One process owns the index, and rebuilds it: its progress is the process's own.
        self._progress: dict | None = None

    def open(self) -> EmbeddedEngine:
        self._base.mkdir(parents=True, exist_ok=True)
        current = self._pointer.read_text().strip() if self._pointer.exists() else ""
        # An index of an older layout is left alone: a reindex refills the new one.
        if not current.startswith(self._prefix) or not (self._base / current).is_dir():
            engine = self._new()
            self._point_to(engine.directory)
            return engine
        return EmbeddedEngine(self._base / current)

    def create(self, current: EmbeddedEngine) -> EmbeddedEngine:
        return self._new(write_lock=current._write_lock)

    def promote(self, current: EmbeddedEngine, new: EmbeddedEngine) -> None:
        old_directory = current.adopt(new)
        self._point_to(new.directory)
        # Searches still running on the old index keep its files open (mapped) until they end.
        shutil.rmtree(old_directory, ignore_errors=True)

    def discard(self, new: EmbeddedEngine) -> None:
        new.close()
        shutil.rmtree(new.directory, ignore_errors=True)

    def progress(self) -> dict | None:
        return self._progress

    def claim_progress(self, status: dict, running) -> bool:
        if self._progress is not None and running(self._progress):
            return False
        self._progress = status
        return True

    def save_progress(self, status: dict) -> None:
        self._progress = status

    @property
    def _prefix(self) -> str:
        return f"{self._name}-v{LAYOUT_VERSION}-"

    def _new(self, write_lock=None) -> EmbeddedEngine:
        return EmbeddedEngine(self._base / f"{self._prefix}{utcnow():%Y%m%d%H%M%S%f}", write_lock)

    def _point_to(self, directory: Path) -> None:
        written = self._pointer.with_suffix(".next")
        written.write_text(directory.name)
        os.replace(written, self._pointer)
