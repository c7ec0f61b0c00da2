"""The Elasticsearch engine, for deployments that outgrow one machine: any number of search
instances share one cluster.

Each searchable field is analysed twice: the field itself with accents folded
(lowercase + asciifolding, which folds 'đ' too and needs no plugin) and a `.exact` subfield
with accents kept. Versioning is Elasticsearch's own external versioning: the
cluster refuses a write whose version is not above the stored one (409), atomically, however
many instances write. An unpublished item stays as a tombstone document (`visible: false`)
so its version keeps refusing older events; a real delete would forget the version after
`index.gc_deletes` (60 s). Every query is built as a structure (never through a query-string
parser), so whatever a citizen types is only ever text to analyse.
"""
from __future__ import annotations

import json
from collections import defaultdict

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from services.common.events import utcnow
from services.search.core import (
    ALL_WORDS_BOOST,
    COMPLETION_PHRASE_BOOST,
    DATE,
    DUPLICATE_UNITS_NAMED,
    EXACT_BOOST,
    FIELD_BOOSTS,
    FUZZY_DISTANCE,
    FUZZY_MAX_EXPANSIONS,
    FUZZY_PREFIX,
    HIGHLIGHT_CHARS,
    HIGHLIGHT_FIELDS,
    HIGHLIGHT_TAGS,
    LANGUAGE_WEIGHT,
    LAYOUT_VERSION,
    MAX_UNITS,
    MAX_VOCABULARY,
    NEIGHBOUR_WEIGHT,
    NUMBER_BOOST,
    NUMBER_PREFIX_BOOST,
    PHRASE_BOOST,
    RECENCY_HALF_LIFE_DAYS,
    RECENCY_TYPES,
    RECENCY_WEIGHT,
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
    stored_fields,
)
from services.search.documents import BEST_BET, UNIT, BestBet, Record, UnitRecord

_ANALYSIS = {
    # Words are runs of letters and digits, as for tantivy's simple tokenizer and the core
    # (text.words): the standard tokenizer would keep 'huế:đà' or '7.448.251' whole, so the
    # engines would disagree on what a word is.
    "tokenizer": {
        "vi_words": {"type": "char_group", "tokenize_on_chars": ["whitespace", "punctuation", "symbol"]},
    },
    "analyzer": {
        "vi_folded": {"type": "custom", "tokenizer": "vi_words", "filter": ["lowercase", "asciifolding"]},
        "vi_exact": {"type": "custom", "tokenizer": "vi_words", "filter": ["lowercase"]},
    },
}
_SEARCHABLE = {"type": "text", "analyzer": "vi_folded",
               "fields": {"exact": {"type": "text", "analyzer": "vi_exact"}}}
_KEYWORD = {"type": "keyword"}
_SHOWN_ONLY = {"type": "keyword", "index": False}
_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{name: _SEARCHABLE for name in FIELD_BOOSTS},
        **{name: _KEYWORD for name in ("key", "id", "type", "unit", "unit_level", "unit_parent", "category",
                                       "number", "spellings", "query", "target", "fingerprint", "lang")},
        "unit_name": _SHOWN_ONLY,
        "path": _SHOWN_ONLY,
        "date": {"type": "date"},
        "published_at": {"type": "date"},
        "visible": {"type": "boolean"},
    },
}
_HIGHLIGHT = {
    "pre_tags": [HIGHLIGHT_TAGS[0]],
    "post_tags": [HIGHLIGHT_TAGS[1]],
    "encoder": "html",
    "number_of_fragments": 1,
    "fragment_size": HIGHLIGHT_CHARS,
    "fields": {name: {} for name in HIGHLIGHT_FIELDS},
}
# How long a request may take before the search fails (the client's default is 10 s): a
# cluster under load, or noida-db (the stand-in the tests use), which collapses copies by
# running the query again for each result: a long question took 8 s there on a quiet machine,
# over 30 s on a busy one.
REQUEST_TIMEOUT_SECONDS = 60
_FOLDED_FIELDS = [f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()]
_EXACT_FIELDS = [f"{name}.exact^{boost}" for name, boost in FIELD_BOOSTS.items()]
_VISIBLE = {"term": {"visible": True}}
# Copies of one item (one fingerprint) are one result: the best-ranked copy, with the others
# counted and the first few of them named. Counted exactly up to this many results (beyond it,
# Elasticsearch's estimate, within a few percent).
_RESULTS = "results"
_EXACT_RESULTS = 40_000


class ElasticsearchEngine:
    # Other search instances write to the same index: this one cannot tell when it changed
    # (Elasticsearch keeps its own request cache, invalidated on refresh).
    revision = None

    def __init__(self, url: str, index: str):
        """`index`: an index or an alias naming one (which every search and write then follows)."""
        self._client = Elasticsearch(url, request_timeout=REQUEST_TIMEOUT_SECONDS)
        self._index = index

    @property
    def name(self) -> str:
        return self._index

    def put(self, key: str, version: int, record: Record) -> bool:
        try:
            # wait_for: return once the change is searchable, without forcing a refresh.
            self._client.index(index=self._index, id=key, document=stored_fields(key, record),
                               version=version, version_type="external", refresh="wait_for")
        except ConflictError:
            return False  # the index already holds this version or a newer one
        return True

    def search(self, query: EngineQuery) -> EnginePage:
        """One round trip: the page of results, and the facets that ignore a filter the request
        has, each set of those counted over its own matches (a search per set)."""
        sort = [{"date": {"order": "desc"}}, {"key": {"order": "asc"}}] if query.sort == DATE else None
        matching = _matching(query.text)
        by_ignored = defaultdict(list)
        for facet in query.facets:
            by_ignored[facet.ignores if facet.ignores in query.filters else None].append(facet)
        # The filters are in the query, not a post_filter: collapsing counts a hit's copies by the
        # query alone, so copies the filters leave out would count too.
        results = {
            "query": {"bool": {"must": [_ranked(query, matching)], "filter": [_all_of(query.filters_but(None))]}},
            "aggs": {**_facet_counts(query, by_ignored.pop(None, [])),
                     # Results, not matches: copies of one item count once.
                     _RESULTS: {"cardinality": {"field": "fingerprint", "precision_threshold": _EXACT_RESULTS}}},
            "collapse": _collapse(sort), "from": query.offset, "size": query.limit, "track_total_hits": True,
            "_source": {"includes": list(SHOWN_FIELDS)},
            # The words that matched, stated outright: the recency wrapper hides them from
            # some highlighters (noida-db's); real Elasticsearch takes it the same way.
            "highlight": {**_HIGHLIGHT, "highlight_query": matching}, **({"sort": sort} if sort else {}),
        }
        facet_searches = [{"query": {"bool": {"filter": [matching, _all_of(query.filters_but(ignored))]}}, "size": 0,
                           "aggs": _facet_counts(query, facets)} for ignored, facets in by_ignored.items()]
        answers = self._client.msearch(index=self._index, searches=[
            part for search in (results, *facet_searches) for part in ({}, search)])["responses"]
        refused = [answer["error"] for answer in answers if "error" in answer]
        if refused:
            raise RuntimeError(f"Elasticsearch refused a search: {refused[0]}")
        response = answers[0]
        found = [Found(_shown(hit["_source"]), _highlight(hit), *_copies(hit)) for hit in response["hits"]["hits"]]
        aggregations = {name: aggregation for answer in answers for name, aggregation in
                        answer.get("aggregations", {}).items()}
        facets = {facet.name: [(bucket["key"], bucket["doc_count"])
                               for bucket in aggregations[facet.name]["values"]["buckets"]]
                  for facet in query.facets if facet.name in aggregations}
        return EnginePage(total=aggregations[_RESULTS]["value"], found=found, facets=facets)

    def count(self, query: EngineQuery) -> int:
        matching = {"bool": {"must": _matching(query.text),
                             "filter": _all_of(query.filters_but(None))}}
        return self._client.count(index=self._index, query=matching)["count"]

    def complete(self, completion: Completion) -> list[Found]:
        must = [{"term": {"title": word}} for word in completion.words]
        if completion.partial:
            must.append({"prefix": {"title": completion.partial}})
        phrase = " ".join(completion.phrase)
        in_order = ({"match_phrase_prefix": {"title": {"query": phrase, "boost": COMPLETION_PHRASE_BOOST}}}
                    if completion.partial else
                    {"match_phrase": {"title": {"query": phrase, "boost": COMPLETION_PHRASE_BOOST}}})
        filters = [_VISIBLE] + ([{"term": {"unit": completion.unit}}] if completion.unit else [])
        response = self._client.search(
            index=self._index, query={"bool": {"must": must, "should": [in_order], "filter": filters}},
            sort=["_score", {"date": {"order": "desc"}}], size=completion.limit,
            source={"includes": list(SHOWN_FIELDS)})
        return [Found(_shown(hit["_source"])) for hit in response["hits"]["hits"]]

    def units(self) -> list[UnitRecord]:
        response = self._client.search(
            index=self._index, query={"term": {"type": UNIT}}, size=MAX_UNITS,
            source={"includes": ["unit", "unit_name", "unit_level", "unit_parent"]})
        return [UnitRecord(slug=hit["_source"]["unit"], name=hit["_source"]["unit_name"],
                           level=hit["_source"]["unit_level"], parent=hit["_source"].get("unit_parent"))
                for hit in response["hits"]["hits"]]

    def best_bets(self) -> list[BestBet]:
        response = self._client.search(
            index=self._index, query={"term": {"type": BEST_BET}}, size=MAX_UNITS,
            source={"includes": ["query", "target"]})
        return [BestBet(query=hit["_source"]["query"], target=hit["_source"]["target"])
                for hit in response["hits"]["hits"]]

    def get(self, keys: list[str]) -> list[Found]:
        if not keys:
            return []
        response = self._client.search(
            index=self._index, query={"bool": {"filter": [{"terms": {"key": keys}}, _VISIBLE]}}, size=len(keys),
            source={"includes": list(SHOWN_FIELDS)})
        return [Found(_shown(hit["_source"])) for hit in response["hits"]["hits"]]

    def counts(self, type_: str) -> dict[str, int]:
        response = self._client.search(
            index=self._index, query={"bool": {"filter": [{"term": {"type": type_}}, _VISIBLE]}}, size=0,
            aggs={"units": {"terms": {"field": "unit", "size": MAX_UNITS}}})
        return {bucket["key"]: bucket["doc_count"] for bucket in response["aggregations"]["units"]["buckets"]}

    def vocabulary(self, prefix: str) -> list[tuple[str, int]]:
        response = self._client.search(
            index=self._index, query=_VISIBLE, size=0,
            aggs={"spellings": {"terms": {"field": "spellings", "size": MAX_VOCABULARY,
                                          "include": f"{_regex_literal(prefix)}.*"}}})
        return [(bucket["key"], bucket["doc_count"])
                for bucket in response["aggregations"]["spellings"]["buckets"]]

    def marked(self, terms: list[str]) -> set[str]:
        """One request: the titles' spellings of every term, the terms spelled with marks kept."""
        if not terms:
            return set()
        alternatives = "|".join(_regex_literal(term) for term in terms)
        response = self._client.search(
            index=self._index, size=0,
            aggs={"spellings": {"terms": {"field": "spellings", "size": MAX_VOCABULARY,
                                          "include": f"({alternatives}) .*"}}})
        spellings = (bucket["key"].split(" ", 1) for bucket in response["aggregations"]["spellings"]["buckets"])
        return {folded for folded, spelled in spellings if spelled != folded}

    def close(self) -> None:
        self._client.close()

    def frequencies(self, terms: list[str]) -> Frequencies:
        """One request for every word or pair of words: a filter aggregation each."""
        response = self._client.search(
            index=self._index, query=_VISIBLE, size=0, track_total_hits=True,
            aggs={f"w{number}": {"filter": {"multi_match": {
                "query": term, "type": "phrase" if " " in term else "best_fields",
                "fields": _FOLDED_FIELDS if term.isascii() else _EXACT_FIELDS}}}  # a word with accents: as typed
                  for number, term in enumerate(terms)})
        counted = response.get("aggregations", {})
        return Frequencies(items=response["hits"]["total"]["value"],
                           of={term: counted[f"w{number}"]["doc_count"] for number, term in enumerate(terms)})


_PROGRESS_ID = "rebuild"


class AliasIndices:
    """Concrete indices `{alias}-v{layout}-{timestamp}` behind the alias every instance reads
    and writes through; a rebuilt index replaces the old one by moving the alias, atomically."""

    def __init__(self, url: str, alias: str):
        self._url = url
        self._alias = alias
        self._client = Elasticsearch(url, request_timeout=REQUEST_TIMEOUT_SECONDS)

    def open(self) -> ElasticsearchEngine:
        current = self._aliased()
        # An index of an older layout is left alone: a reindex refills the new one.
        if not current.startswith(self._prefix):
            new = self._create()
            if current:
                self._move_alias(current, new)
            else:
                self._client.indices.put_alias(index=new, name=self._alias)
                named = sorted(self._client.indices.get_alias(name=self._alias))
                if named[0] != new:  # instances started together: every one keeps the oldest index
                    self._client.indices.delete(index=new)
        return ElasticsearchEngine(self._url, self._alias)

    def create(self, current: ElasticsearchEngine) -> ElasticsearchEngine:
        return ElasticsearchEngine(self._url, self._create())

    def promote(self, current: ElasticsearchEngine, new: ElasticsearchEngine) -> None:
        old = self._aliased()
        self._move_alias(old, new.name)
        if old:
            self._client.indices.delete(index=old)
        new.close()

    def discard(self, new: ElasticsearchEngine) -> None:
        self._client.indices.delete(index=new.name)
        new.close()

    def progress(self) -> dict | None:
        found = self._saved_progress()
        return json.loads(found["_source"]["status"]) if found else None

    def claim_progress(self, status: dict, running) -> bool:
        # Optimistic concurrency: the write fails if another instance saved since the read.
        found = self._saved_progress()
        if found and running(json.loads(found["_source"]["status"])):
            return False
        document = {"status": json.dumps(status)}
        try:
            if found:
                self._client.index(index=self._progress_index, id=_PROGRESS_ID, document=document, refresh=True,
                                   if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
            else:
                self._client.create(index=self._progress_index, id=_PROGRESS_ID, document=document, refresh=True)
        except ConflictError:
            return False
        return True

    def save_progress(self, status: dict) -> None:
        self._client.index(index=self._progress_index, id=_PROGRESS_ID, document={"status": json.dumps(status)},
                           refresh=True)

    def _saved_progress(self) -> dict | None:
        try:
            return self._client.get(index=self._progress_index, id=_PROGRESS_ID)
        except NotFoundError:
            return None

    @property
    def _progress_index(self) -> str:
        """Beside the concrete indices, never behind the alias: every instance reads the
        progress of a rebuild any of them runs (a status request reaches any instance)."""
        return f"{self._alias}-rebuild-progress"

    @property
    def _prefix(self) -> str:
        return f"{self._alias}-v{LAYOUT_VERSION}-"

    def _aliased(self) -> str:
        """The index the alias names ('' when there is none yet)."""
        if not self._client.indices.exists_alias(name=self._alias):
            return ""
        return next(iter(self._client.indices.get_alias(name=self._alias)))

    def _create(self) -> str:
        name = f"{self._prefix}{utcnow():%Y%m%d%H%M%S%f}"
        self._client.indices.create(index=name, settings={"analysis": _ANALYSIS}, mappings=_MAPPINGS)
        return name

    def _move_alias(self, old: str, new: str) -> None:
        # One request: searches see the old index or the new one, never neither.
        actions = [{"remove": {"index": old, "alias": self._alias}}] if old else []
        self._client.indices.update_aliases(actions=[*actions, {"add": {"index": new, "alias": self._alias}}])


def _ranked(query: EngineQuery, matching: dict) -> dict:
    """The matching items, scored for relevance with the news recency boost (date order sorts
    without scores)."""
    if query.sort == DATE:
        return matching
    # score × (1 + RECENCY_WEIGHT × 0.5^(age / half-life) for news + LANGUAGE_WEIGHT in the
    # query's language): core.ranking_factor.
    language = [{"filter": {"term": {"lang": query.language}}, "weight": LANGUAGE_WEIGHT}] if query.language else []
    return {"function_score": {
        "query": matching,
        "functions": [
            {"weight": 1},
            {"filter": {"terms": {"type": list(RECENCY_TYPES)}}, "weight": RECENCY_WEIGHT,
             "exp": {"date": {"origin": query.now.isoformat(), "scale": f"{RECENCY_HALF_LIFE_DAYS}d",
                              "decay": 0.5}}},
            *language,
        ],
        "score_mode": "sum",
        "boost_mode": "multiply",
    }}


def _matching(text: QueryText) -> dict:
    """Visible items with the query's required groups (all of them, or text.minimum), or with a
    document number it names, scored."""
    should = [
        {"multi_match": {"query": text.text, "fields": _EXACT_FIELDS, "type": "cross_fields",
                         "boost": EXACT_BOOST}},
        *(_group(group, text) for group in text.optional),
    ]
    if text.in_order:
        should.append({"multi_match": {"query": text.text, "fields": _FOLDED_FIELDS, "type": "phrase",
                                       "boost": PHRASE_BOOST}})
    if text.units:
        should.append({"constant_score": {"filter": {"terms": {"unit": list(text.units)}}, "boost": text.unit_boost}})
    if text.minimum is not None and text.complete:
        every_word = {"bool": {"must": [_group(group, text) for group in text.complete]}}
        should.append({"constant_score": {"filter": every_word, "boost": ALL_WORDS_BOOST}})
    required = [_group(group, text) for group in text.required]
    if not required:
        matches = []
    elif text.minimum is None:
        matches = [{"bool": {"must": required}}]
    else:
        matches = [{"bool": {"should": required, "minimum_should_match": min(text.minimum, len(required))}}]
    for number in text.numbers:
        matches += [{"constant_score": {"filter": {"term": {"number": number}}, "boost": NUMBER_BOOST}},
                    {"constant_score": {"filter": {"prefix": {"number": number}}, "boost": NUMBER_PREFIX_BOOST}}]
    return {"bool": {"must": [{"bool": {"should": matches, "minimum_should_match": 1}}], "should": should,
                     "filter": [_VISIBLE]}}


def _group(group: Group, text: QueryText) -> dict:
    # Every word somewhere in the item, accents optional: one query per word, since
    # cross_fields allows no fuzziness (and noida-db's requires every word in one field).
    if group.in_order:
        return {"multi_match": {"query": " ".join(group.terms), "fields": _FOLDED_FIELDS, "type": "phrase"}}
    words = {"bool": {"must": [_word(term, text.instead_of(term)) for term in group.terms]}}
    if not group.synonyms:
        return words
    phrases = [{"multi_match": {"query": synonym, "fields": _FOLDED_FIELDS, "type": "phrase"}}
               for synonym in group.synonyms]
    return {"bool": {"should": [words, *phrases], "minimum_should_match": 1}}


def _word(term: str, instead: tuple[str, ...] | None) -> dict:
    """A folded word in any searchable field, its scores summed over the fields as the embedded
    engine does, or when loosened (no visible item holds it) the word its telex keys spell, or
    else its neighbours, at NEIGHBOUR_WEIGHT."""
    in_any_field = {"query": term, "fields": _FOLDED_FIELDS, "type": "most_fields"}
    if instead is None:
        return {"multi_match": in_any_field}
    if instead:  # what its telex keys spell: nothing else was meant
        return {"bool": {"should": [{"multi_match": {**in_any_field, "query": word}} for word in instead],
                         "minimum_should_match": 1}}
    return {"multi_match": {**in_any_field, "fuzziness": FUZZY_DISTANCE, "prefix_length": FUZZY_PREFIX,
                            "max_expansions": FUZZY_MAX_EXPANSIONS, "boost": NEIGHBOUR_WEIGHT}}


def _all_of(filters: list[Filter]) -> dict:
    return {"bool": {"filter": [_filter(each) for each in filters if not isinstance(each, NoneOf)],
                     "must_not": [_filter(each) for each in filters if isinstance(each, NoneOf) and each.values]}}


def _filter(each: Filter) -> dict:
    if isinstance(each, (AnyOf, NoneOf)):
        return {"terms": {each.field: list(each.values)}}
    bounds = {}
    if each.start:
        bounds["gte"] = each.start.isoformat()
    if each.end:
        bounds["lt"] = each.end.isoformat()
    return {"range": {each.field: bounds}}


def _facet_counts(query: EngineQuery, facets: list) -> dict:
    return {facet.name: {"filter": _all_of(query.filters_but(facet.ignores)),
                         "aggs": {"values": {"terms": {"field": facet.field, "size": facet.size}}}}
            for facet in facets}


def _collapse(sort: list | None) -> dict:
    """One hit per fingerprint, with its copies in the same order: the hit itself, then as many as
    other_units looks at."""
    copies = {"name": "copies", "size": DUPLICATE_UNITS_NAMED + 2, "_source": {"includes": ["unit", "unit_name"]}}
    return {"field": "fingerprint", "inner_hits": {**copies, **({"sort": sort} if sort else {})}}


def _copies(hit: dict) -> tuple[int, tuple[tuple[str, str], ...]]:
    """How many other copies of a collapsed hit matched, and the units to name (see other_units)."""
    copies = hit.get("inner_hits", {}).get("copies", {}).get("hits", {})
    others = ((copy["_source"]["unit"], copy["_source"]["unit_name"]) for copy in copies.get("hits", [])
              if copy["_id"] != hit["_id"])
    return max(0, copies.get("total", {}).get("value", 1) - 1), other_units(hit["_source"]["unit"], others)


def _shown(source: dict) -> dict:
    return {name: source.get(name) for name in SHOWN_FIELDS}


def _highlight(hit: dict) -> str:
    fragments = hit.get("highlight", {})
    for name in HIGHLIGHT_FIELDS:
        if fragments.get(name):
            return fragments[name][0]
    return ""


def _regex_literal(text: str) -> str:
    """`text` matched literally by Elasticsearch's regular expressions."""
    return "".join(char if char.isascii() and char.isalnum() else "\\" + char for char in text)
