"""The Elasticsearch engine, for deployments that outgrow one machine: any number of search
instances share one cluster.

Each searchable field is analysed twice: the field itself with accents folded
(standard + lowercase + asciifolding, which folds 'đ' too and needs no plugin) and a `.exact`
subfield with accents kept. Versioning is Elasticsearch's own external versioning: the
cluster refuses a write whose version is not above the stored one (409), atomically, however
many instances write. An unpublished article stays as a tombstone document (`visible: false`)
so its version keeps refusing older events; a real delete would forget the version after
`index.gc_deletes` (60 s).
"""
from __future__ import annotations

from dataclasses import asdict

from elasticsearch import BadRequestError, ConflictError, Elasticsearch

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

_ANALYSIS = {
    "analyzer": {
        "vi_folded": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        "vi_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
    }
}
_SEARCHABLE = {"type": "text", "analyzer": "vi_folded",
               "fields": {"exact": {"type": "text", "analyzer": "vi_exact"}}}
_SHOWN_ONLY = {"type": "keyword", "index": False}
_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{name: _SEARCHABLE for name in FIELD_BOOSTS},
        "id": {"type": "keyword"},
        "unit": {"type": "keyword"},
        "unit_name": _SHOWN_ONLY,
        "path": _SHOWN_ONLY,
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
_FOLDED_FIELDS = [f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()]
_EXACT_FIELDS = [f"{name}.exact^{boost}" for name, boost in FIELD_BOOSTS.items()]


class ElasticsearchEngine:
    def __init__(self, url: str, index: str):
        self._client = Elasticsearch(url)
        self._index = index
        self._create_index()

    def put(self, document_id: str, version: int, article: IndexedArticle | None) -> bool:
        if article is None:
            document = {"id": document_id, "visible": False}
        else:
            document = {**asdict(article), "visible": True}
        try:
            # wait_for: return once the change is searchable, without forcing a refresh.
            self._client.index(index=self._index, id=document_id, document=document,
                               version=version, version_type="external", refresh="wait_for")
        except ConflictError:
            return False  # the index already holds this version or a newer one
        return True

    def search(self, request: SearchRequest) -> SearchPage:
        response = self._client.search(
            index=self._index, query=_query(request), from_=request.offset, size=request.per_page,
            track_total_hits=True, source={"includes": list(SHOWN_FIELDS)}, highlight=_HIGHLIGHT,
        )
        hits = [Hit(**hit["_source"], highlight=_highlight(hit)) for hit in response["hits"]["hits"]]
        return SearchPage(total=response["hits"]["total"]["value"], hits=hits)

    def close(self) -> None:
        self._client.close()

    def _create_index(self) -> None:
        try:
            self._client.indices.create(index=self._index, settings={"analysis": _ANALYSIS},
                                        mappings=_MAPPINGS)
        except BadRequestError as error:
            # Another instance, or an earlier start, made it first.
            if error.error != "resource_already_exists_exception":
                raise


def _query(request: SearchRequest) -> dict:
    text = request.query
    filters = [{"term": {"visible": True}}]
    if request.unit:
        filters.append({"term": {"unit": request.unit}})
    return {"bool": {
        # cross_fields + and: every word somewhere in the article, accents optional.
        "must": {"multi_match": {"query": text, "fields": _FOLDED_FIELDS,
                                 "type": "cross_fields", "operator": "and"}},
        "should": [
            {"multi_match": {"query": text, "fields": _EXACT_FIELDS,
                             "type": "cross_fields", "boost": EXACT_BOOST}},
            {"multi_match": {"query": text, "fields": _FOLDED_FIELDS,
                             "type": "phrase", "boost": PHRASE_BOOST}},
        ],
        "filter": filters,
    }}


def _highlight(hit: dict) -> str:
    fragments = hit.get("highlight", {})
    for name in HIGHLIGHT_FIELDS:
        if fragments.get(name):
            return fragments[name][0]
    return ""
