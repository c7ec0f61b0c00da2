"""Ranking quality on the judged Vietnamese query set (tests/search/judged/): nDCG@10 and MRR@10
on each engine must stay above floors set a little below what they measured. A change that
lowers a figure should lower it on purpose; `python -m tests.search.judged.evaluate` shows which
queries moved."""

from tests.search.judged.evaluate import evaluate, index_corpus, load_queries

# A little below what was measured on 2026-11-26 over 74 queries: embedded nDCG@10 0.931,
# MRR@10 0.946; elasticsearch (noida-db) 0.928 and 0.946. Misspellings with a wrong letter find
# nothing yet (both engines), and unit names are not searched in schedules: that is most of the gap.
FLOORS = {
    "embedded": {"ndcg": 0.90, "mrr": 0.92},
    "elasticsearch": {"ndcg": 0.90, "mrr": 0.92},
}


def test_the_judged_set_covers_every_kind_of_query():
    queries = load_queries()
    assert len(queries) >= 60
    assert {query["kind"] for query in queries} >= {
        "exact", "folded", "case", "abbreviation", "misspelling", "phrase", "unit", "number"}
    assert all(query["relevant"] and set(query["relevant"].values()) <= {1, 2} for query in queries)


def test_ranking_stays_above_its_floors(search_service, engine_config):
    engine = "elasticsearch" if engine_config["ELASTICSEARCH_URL"] else "embedded"
    index_corpus(search_service)
    report = evaluate(search_service, engine)
    summary = "\n".join(report.lines())
    assert report.ndcg >= FLOORS[engine]["ndcg"], summary
    assert report.mrr >= FLOORS[engine]["mrr"], summary
