"""How well search ranks Vietnamese queries: a judged query set over a small corpus of Thừa Thiên
Huế's units, scored with nDCG@10 and MRR@10.

    .venv/bin/python -m tests.search.judged.evaluate [--engine embedded|elasticsearch] [--quiet]

corpus.json holds the items (articles, legal documents, schedules, answered questions and static
pages of 16 real units, plus everyday news as background); queries.json holds each query with its
judged items (grade 2: the answer, 1: relevant; anything not judged counts as 0) and its kind:
exact Vietnamese, the same folded, mixed case, abbreviations, misspellings, multi-syllable
phrases, unit names, document numbers (alone or among other words), static pages. The corpus
goes into a running search service as contract events over RabbitMQ and every query through its
`search` RPC, as the platform does.

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
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
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

HERE = Path(__file__).resolve().parent
CORPUS_FILE = HERE / "corpus.json"
QUERIES_FILE = HERE / "queries.json"
CUTOFF = 10
ENGINES = ("embedded", "elasticsearch")


def load_corpus() -> dict:
    return json.loads(CORPUS_FILE.read_text(encoding="utf-8"))


def load_queries() -> list[dict]:
    return json.loads(QUERIES_FILE.read_text(encoding="utf-8"))


def corpus_events(corpus: dict, now: datetime | None = None) -> list[Event]:
    """The contract events that publish the corpus: units first, then every item. Dates are kept
    as days before `now`, so recency weighs the same whenever the evaluation runs."""
    now = now or utcnow()
    names = {unit["slug"]: unit["name"] for unit in corpus["units"]}
    found: list[Event] = [
        UnitUpdated(document_id=unit["slug"], version=1, occurred_at=now,
                    unit=UnitSnapshot(slug=unit["slug"], name=unit["name"], level=unit["level"]))
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


def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = CUTOFF) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    return dcg([judged.get(found, 0) for found in ranked[:k]]) / ideal if ideal else 0.0


def reciprocal_rank_at(ranked: list[str], judged: dict[str, int], k: int = CUTOFF) -> float:
    """1/rank of the first relevant item (grade 1 or 2) in the top k, else 0."""
    return next((1 / rank for rank, found in enumerate(ranked[:k], start=1) if judged.get(found, 0) > 0), 0.0)


@dataclass(frozen=True)
class Scored:
    query: dict
    ranked: list[str]
    suggestion: str | None
    ndcg: float
    reciprocal_rank: float


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

    def by_kind(self) -> dict[str, tuple[int, float, float]]:
        """kind -> (queries, nDCG@10, MRR@10)."""
        kinds: dict[str, list[Scored]] = defaultdict(list)
        for each in self.scored:
            kinds[each.query["kind"]].append(each)
        return {kind: (len(group), _mean(e.ndcg for e in group), _mean(e.reciprocal_rank for e in group))
                for kind, group in kinds.items()}

    def lines(self, per_query: bool = True) -> Iterator[str]:
        if per_query:
            yield f"{'query':5} {'kind':13} {'nDCG':>5} {'RR':>5}  text → top results (grade)"
            for each in self.scored:
                judged = each.query["relevant"]
                top = ", ".join(f"{found}({judged.get(found, 0)})" for found in each.ranked[:5]) or "no results"
                note = f"  [did you mean: {each.suggestion}]" if each.suggestion else ""
                yield (f"{each.query['id']:5} {each.query['kind']:13} {each.ndcg:5.2f} {each.reciprocal_rank:5.2f}"
                       f"  {each.query['query']!r} → {top}{note}")
            yield ""
        yield f"{'kind':13} {'queries':>7} {'nDCG@10':>8} {'MRR@10':>7}"
        for kind, (count, ndcg, mrr) in self.by_kind().items():
            yield f"{kind:13} {count:7d} {ndcg:8.3f} {mrr:7.3f}"
        yield f"{'overall':13} {len(self.scored):7d} {self.ndcg:8.3f} {self.mrr:7.3f}   ({self.engine})"


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
    for query in queries or load_queries():
        result = driver.search(query["query"], per_page=CUTOFF, filters=query.get("filters"))
        ranked = [hit["id"] for hit in result["hits"]]
        scored.append(Scored(query, ranked, result["suggestion"], ndcg_at(ranked, query["relevant"]),
                             reciprocal_rank_at(ranked, query["relevant"])))
    return Report(engine, scored)


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
    parser.add_argument("--quiet", action="store_true", help="print only the figures by kind and overall")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    args = parser.parse_args(argv)
    corpus, queries = load_corpus(), load_queries()
    print(f"{len(corpus['items'])} items of {len(corpus['units'])} units, {len(queries)} judged queries; "
          f"engine: {args.engine}", flush=True)
    with search_service(args.engine, args) as driver:
        index_corpus(driver, corpus)
        report = evaluate(driver, args.engine, queries)
    for line in report.lines(per_query=not args.quiet):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
