"""Ranking quality on the judged Vietnamese query set (tests/search/judged/): nDCG@10 and MRR@10
on each engine must stay above floors set a little below what they measured. A change that
lowers a figure should lower it on purpose; `python -m tests.search.judged.evaluate` shows which
queries moved."""

from tests.search.judged.evaluate import evaluate, index_corpus, load_queries

# A little below what was measured on 2026-11-26 over 98 queries: embedded nDCG@10 0.963,
# MRR@10 0.990; elasticsearch (noida-db) 0.959 and 0.985. (Over the first 74 queries, before unit
# names were searchable and misspelled words matched their neighbours: 0.931 and 0.946, 0.928 and
# 0.946.) Most of the gap: a wrong first letter is never guessed ('tuyen xinh lop 10'), and items
# of a unit that name it in their titles outrank its introduction page.
FLOORS = {
    "embedded": {"ndcg": 0.93, "mrr": 0.96},
    "elasticsearch": {"ndcg": 0.93, "mrr": 0.96},
}


def test_the_judged_set_covers_every_kind_of_query():
    queries = load_queries()
    assert len(queries) >= 60
    assert {query["kind"] for query in queries} >= {
        "exact", "folded", "case", "abbreviation", "misspelling", "phrase", "unit", "number", "page"}
    assert all(query["relevant"] and set(query["relevant"].values()) <= {1, 2} for query in queries)


def test_ranking_stays_above_its_floors(search_service, engine_config):
    engine = "elasticsearch" if engine_config["ELASTICSEARCH_URL"] else "embedded"
    index_corpus(search_service)
    report = evaluate(search_service, engine)
    summary = "\n".join(report.lines())
    assert report.ndcg >= FLOORS[engine]["ndcg"], summary
    assert report.mrr >= FLOORS[engine]["mrr"], summary
