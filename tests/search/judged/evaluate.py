"""How well search ranks Vietnamese queries: a judged query set over a small corpus of Thừa Thiên
Huế's units, scored with nDCG@10 and MRR@10 beside a plain baseline (folded BM25, baseline.py).

    .venv/bin/python -m tests.search.judged.evaluate [--engine embedded|elasticsearch] [--quiet]

corpus.json holds the units as a tree (province; departments, districts, towns and the city under
it; communes and wards under their district) and the items: articles, legal documents, schedules,
answered questions and static pages, everyday news as background, distractors that share words
with the right answers, accent look-alikes (đê/đề, sổ đỏ/sơ đồ, bão/bảo, lụt/lứt, thuế/thuê) and
near-duplicates: one answered question or article published by many units, each copy marked
`same_as` its canonical item. queries.json holds each query as citizens type it, with its kind,
its part and its judged items (grade 2: the answer, 1: relevant; anything not judged counts as 0).

Two parts: "tuning" queries may be looked at one by one while improving search; "held-out" ones
may not, so they keep measuring what unseen queries get. The report therefore prints per-query
lines for the tuning part only and aggregates for the held-out part.

Copies count once: every ranked id is read as its canonical id, and a canonical id already seen
higher up gains nothing, so ten copies of one answer are one answer and nine wasted places.

The corpus goes into a running search service as contract events over RabbitMQ and every query
through its `search` RPC, as the platform does.

The command starts its own throwaway RabbitMQ vhost, index directory and (for elasticsearch)
noida-db, and the search service in this process; tests/search/test_relevance.py runs the same
evaluation on both engines through the test fixtures and asserts floors.
"""
# ruff: noqa: E402 -- eventlet must patch the standard library before nameko, urllib3 or
# elasticsearch load (stack.md); under pytest the root conftest.py has done it already.
import warnings

with warnings.catch_warnings():  # eventlet warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    import eventlet

eventlet.monkey_patch()

import argparse
import json
import math
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from services.common.config import Settings
from services.common.events import (
    ArticlePublished,
    DocumentPublished,
    Event,
    PagePublished,
    QuestionAnswered,
    SchedulePublished,
    UnitSnapshot,
    UnitUpdated,
    utcnow,
)
from tests.search.driver import VIETNAM, article, document, page, question, schedule
from tests.search.judged.baseline import FoldedBM25

HERE = Path(__file__).resolve().parent
CORPUS_FILE = HERE / "corpus.json"
QUERIES_FILE = HERE / "queries.json"
CUTOFF = 10
ENGINES = ("embedded", "elasticsearch")
PARTS = ("tuning", "held-out")
BASELINE = "baseline"


def load_corpus() -> dict:
    return json.loads(CORPUS_FILE.read_text(encoding="utf-8"))


def load_queries(part: str | None = None) -> list[dict]:
    """The judged queries, or those of one part."""
    queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    return [query for query in queries if part in (None, query["part"])]


@cache
def canonical_ids() -> dict[str, str]:
    """item id -> the id of the item it copies (its own id when it copies nothing)."""
    return {item["id"]: item.get("same_as", item["id"]) for item in load_corpus()["items"]}


def corpus_events(corpus: dict, now: datetime | None = None) -> list[Event]:
    """The contract events that publish the corpus: units first, then every item. Dates are kept
    as days before `now`, so recency weighs the same whenever the evaluation runs."""
    now = now or utcnow()
    names = {unit["slug"]: unit["name"] for unit in corpus["units"]}
    found: list[Event] = [
        UnitUpdated(document_id=unit["slug"], version=1, occurred_at=now,
                    unit=UnitSnapshot(slug=unit["slug"], name=unit["name"], level=unit["level"],
                                      parent=unit["parent"]))
        for unit in corpus["units"]]
    for item in corpus["items"]:
        where = {"unit": item["unit"], "unit_name": names[item["unit"]]}
        common = {"document_id": item["id"], "version": 1, "occurred_at": now}
        kind = item["type"]
        if kind == "article":
            found.append(ArticlePublished(**common, article=article(
                item["id"], item["title"], summary=item["summary"], body=item["body"], category=item["category"],
                at=now - timedelta(days=item["days_ago"]), **where)))
        elif kind == "document":
            found.append(DocumentPublished(**common, document=document(
                item["id"], item["number"], item["excerpt"], type=item["doc_type"],
                issuing_body=item["issuing_body"], issued_on=date.fromisoformat(item["issued_on"]),
                field=item["field"], **where).model_copy(update={"signer": item["signer"]})))
        elif kind == "schedule":
            entries = [(datetime.fromisoformat(start).astimezone(VIETNAM), title, leader)
                       for start, title, leader in item["entries"]]
            found.append(SchedulePublished(**common, schedule=schedule(item["id"], item["week"], entries, **where)))
        elif kind == "question":
            answered = question(item["id"], item["title"], item["question"], item["answer"],
                                answered_at=now - timedelta(days=item["days_ago"]), **where)
            found.append(QuestionAnswered(**common, question=answered.model_copy(
                update={"answered_by": item["answered_by"]})))
        elif kind == "page":
            found.append(PagePublished(**common, page=page(item["id"], item["title"], item["body"],
                                                           changed_at=now - timedelta(days=item["days_ago"]), **where)))
        else:
            raise ValueError(f"{item['id']}: unknown type {kind!r}")
    return found


def dcg(gains: list[int]) -> float:
    """Discounted cumulative gain: graded gain 2^rel - 1 at rank i, discounted by log2(i + 1)."""
    return sum((2 ** grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(gains, start=1))


def collapsed(ranked: list[str], canonical: dict[str, str]) -> list[str | None]:
    """The ranking read as canonical items: a copy of an item already ranked higher becomes None,
    a place that gains nothing."""
    seen: set[str] = set()
    found: list[str | None] = []
    for each in ranked:
        same = canonical.get(each, each)
        found.append(None if same in seen else same)
        seen.add(same)
    return found


def ndcg_at(ranked: list[str | None], judged: dict[str, int], k: int = CUTOFF) -> float:
    """nDCG@k of a collapsed ranking; the ideal counts each judged (canonical) item once."""
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    return dcg([judged.get(found, 0) for found in ranked[:k]]) / ideal if ideal else 0.0


def reciprocal_rank_at(ranked: list[str | None], judged: dict[str, int], k: int = CUTOFF) -> float:
    """1/rank of the first relevant item (grade 1 or 2) in the top k, else 0."""
    return next((1 / rank for rank, found in enumerate(ranked[:k], start=1) if judged.get(found, 0) > 0), 0.0)


@dataclass(frozen=True)
class Scored:
    query: dict
    ranked: list[str]
    suggestion: str | None
    ndcg: float
    reciprocal_rank: float

    @classmethod
    def of(cls, query: dict, ranked: list[str], suggestion: str | None = None):
        read = collapsed(ranked, canonical_ids())
        return cls(query, ranked, suggestion, ndcg_at(read, query["relevant"]),
                   reciprocal_rank_at(read, query["relevant"]))

    @property
    def empty(self) -> bool:
        """Nothing found although the query has a relevant item (every judged query has one)."""
        return not self.ranked


@dataclass(frozen=True)
class Report:
    engine: str
    scored: list[Scored]

    @property
    def ndcg(self) -> float:
        return _mean(each.ndcg for each in self.scored)

    @property
    def mrr(self) -> float:
        return _mean(each.reciprocal_rank for each in self.scored)

    @property
    def empty(self) -> int:
        return sum(each.empty for each in self.scored)

    def part(self, part: str) -> "Report":
        return Report(self.engine, [each for each in self.scored if each.query["part"] == part])

    def by_kind(self) -> dict[str, "Report"]:
        kinds: dict[str, list[Scored]] = defaultdict(list)
        for each in self.scored:
            kinds[each.query["kind"]].append(each)
        return {kind: Report(self.engine, group) for kind, group in sorted(kinds.items())}

    def twins(self) -> tuple[int, float, float]:
        """(pairs, nDCG@10 of the stripped-accent queries, of their accented twins)."""
        by_id = {each.query["id"]: each for each in self.scored}
        pairs = [(each, by_id[each.query["twin"]]) for each in self.scored if each.query.get("twin") in by_id]
        return len(pairs), _mean(folded.ndcg for folded, _ in pairs), _mean(accented.ndcg for _, accented in pairs)


def comparison(platform: Report, baseline: Report, per_query: bool = True) -> Iterator[str]:
    """The report's lines: each part by kind, platform beside baseline, then overall. Per-query
    lines (when asked for) only for the tuning part: held-out queries are never printed, so nobody
    tunes on them."""
    if per_query:
        yield f"{'query':6} {'kind':13} {'nDCG':>5} {'base':>5} {'RR':>5}  text → top results (grade; = copy)"
        base = {each.query["id"]: each for each in baseline.part("tuning").scored}
        for each in platform.part("tuning").scored:
            yield _query_line(each, base[each.query["id"]])
        yield ""
    for part in PARTS:
        mine, theirs = platform.part(part), baseline.part(part)
        yield f"== {part}: {len(mine.scored)} queries; {platform.engine} vs {BASELINE} (folded BM25) =="
        yield (f"{'kind':13} {'queries':>7} {'nDCG@10':>8} {'base':>6} {'MRR@10':>7} {'base':>6}"
               f" {'empty':>5} {'base':>5}")
        theirs_by_kind = theirs.by_kind()
        for kind, group in mine.by_kind().items():
            yield _figures_line(kind, group, theirs_by_kind[kind])
        yield _figures_line("overall", mine, theirs)
        pairs, folded, accented = mine.twins()
        if pairs:
            yield (f"stripped accents vs accented twin ({pairs} pairs): nDCG@10 {folded:.3f} vs {accented:.3f}"
                   f" ({folded / accented if accented else 0:.2f}×)")
        yield f"queries that returned nothing although a relevant item exists: {mine.empty} (baseline {theirs.empty})"
        yield ""


def _figures_line(label: str, mine: Report, theirs: Report) -> str:
    return (f"{label:13} {len(mine.scored):7d} {mine.ndcg:8.3f} {theirs.ndcg:6.3f} {mine.mrr:7.3f} {theirs.mrr:6.3f}"
            f" {mine.empty:5d} {theirs.empty:5d}")


def _query_line(each: Scored, base: Scored) -> str:
    judged = each.query["relevant"]
    shown = []
    for found, read in zip(each.ranked[:5], collapsed(each.ranked[:5], canonical_ids())):
        shown.append(f"{found}(=)" if read is None else f"{found}({judged.get(read, 0)})")
    top = ", ".join(shown) or "no results"
    note = f"  [did you mean: {each.suggestion}]" if each.suggestion else ""
    return (f"{each.query['id']:6} {each.query['kind']:13} {each.ndcg:5.2f} {base.ndcg:5.2f}"
            f" {each.reciprocal_rank:5.2f}  {each.query['query']!r} → {top}{note}")


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def index_corpus(driver, corpus: dict | None = None):
    """Publish the corpus to the search service behind `driver` (a tests.search.driver
    SearchServiceDriver) one event at a time, returning once every handler has run."""
    for event in corpus_events(corpus or load_corpus()):
        driver.send(event)


def evaluate(driver, engine: str, queries: list[dict] | None = None) -> Report:
    """Run every judged query through the search RPC and score the first page of hits."""
    scored = []
    for query in load_queries() if queries is None else queries:
        result = driver.search(query["query"], per_page=CUTOFF, filters=query.get("filters"))
        scored.append(Scored.of(query, [hit["id"] for hit in result["hits"]], result["suggestion"]))
    return Report(engine, scored)


def evaluate_baseline(queries: list[dict] | None = None, corpus: dict | None = None) -> Report:
    """The same queries, scored the same way, on plain folded BM25 (baseline.py)."""
    engine = FoldedBM25(corpus or load_corpus())
    return Report(BASELINE, [Scored.of(query, engine.search(query["query"], query.get("filters"), CUTOFF))
                             for query in (load_queries() if queries is None else queries)])


@contextmanager
def search_service(engine: str, args) -> Iterator:
    """The search service in this process on a throwaway vhost, index directory and (for
    elasticsearch) noida-db, as the tests run it; yields its driver."""
    with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated
        warnings.simplefilter("ignore")
        from nameko.containers import ServiceContainer
        from nameko.standalone.rpc import ClusterRpcProxy

        from services.search.service import SearchService
        from tests.search.driver import SearchServiceDriver
        from tests.servers import ElasticsearchServer, rabbitmq_vhost

    tag = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="judged-search-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        settings = Settings(AMQP_URI=amqp_uri, SEARCH_INDEX=f"judged-{tag}",
                            SEARCH_INDEX_DIR=str(Path(workdir) / "search-index"))
        elasticsearch = None
        if engine == "elasticsearch":
            elasticsearch = ElasticsearchServer(Path(workdir) / "elasticsearch").start()
            settings = replace(settings, ELASTICSEARCH_URL=elasticsearch.url)
        config = settings.as_nameko_config()
        container = ServiceContainer(SearchService, config)
        container.start()
        try:
            with ClusterRpcProxy(config) as cluster:
                yield SearchServiceDriver(container, config, cluster.search)
        finally:
            container.stop()
            if elasticsearch:
                elasticsearch.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=ENGINES, default="embedded")
    parser.add_argument("--quiet", action="store_true", help="print only the figures by part and kind")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    args = parser.parse_args(argv)
    corpus, queries = load_corpus(), load_queries()
    parts = ", ".join(f"{sum(query['part'] == part for query in queries)} {part}" for part in PARTS)
    print(f"{len(corpus['items'])} items of {len(corpus['units'])} units, {len(queries)} judged queries ({parts}); "
          f"engine: {args.engine}", flush=True)
    with search_service(args.engine, args) as driver:
        index_corpus(driver, corpus)
        started = time.monotonic()
        report = evaluate(driver, args.engine, queries)
        took = time.monotonic() - started
    for line in comparison(report, evaluate_baseline(queries, corpus), per_query=not args.quiet):
        print(line)
    print(f"{len(queries)} queries in {took:.1f} s on {args.engine}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
