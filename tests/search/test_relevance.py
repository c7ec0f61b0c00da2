"""Ranking quality on the judged Vietnamese query set (tests/search/judged/): nDCG@10 and MRR@10
beside a plain folded BM25 baseline over the same corpus, scored the same way.

The held-out part holds the promise made to citizens (issue 14): on queries nobody tuned on, the
platform beats the baseline on every kind of query and overall, reaches nDCG@10 0.90, and never
answers an ordinary query with an empty page. The tuning part keeps floors set a little below what
was measured, so a change that lowers a figure lowers it on purpose;
`python -m tests.search.judged.evaluate` shows which tuning queries moved (held-out queries are
never printed, here or there).

Elasticsearch (noida-db, which scans every document) runs a sample of the held-out part, every
ELASTICSEARCH_SAMPLE-th query: a query that finds little there costs several seconds (the relaxed
pass, did-you-mean), the whole set a quarter of an hour. The sample must beat the baseline
overall, reach nDCG@10 0.90 and leave no page empty; by kind its few queries would say nothing.
The evaluation command runs the whole set on either engine when wanted."""

import pytest

from tests.search.judged.evaluate import (
    PARTS,
    Report,
    canonical_ids,
    evaluate,
    evaluate_baseline,
    index_corpus,
    load_corpus,
    load_queries,
)

HELD_OUT_NDCG = 0.90

# A little below what was measured on 2026-12-06 over the 202 tuning queries on the embedded
# engine: nDCG@10 0.965, MRR@10 0.979. Before the set grew (98 queries, no copies): 0.963 and 0.990.
TUNING_FLOORS = {"ndcg": 0.93, "mrr": 0.96}
ELASTICSEARCH_SAMPLE = 5


def test_the_judged_set_covers_every_kind_of_query():
    queries = load_queries()
    kinds = {query["kind"] for query in queries}
    assert len(queries) >= 250
    assert len(kinds) >= 10
    assert kinds >= {"exact", "folded", "case", "abbreviation", "misspelling", "telex", "phrase", "unit",
                     "unit_topic", "long_question", "lookalike", "number", "page"}
    assert len(load_queries("held-out")) >= 100
    for part in PARTS:
        assert {query["kind"] for query in load_queries(part)} == kinds, part
    assert len({query["id"] for query in queries}) == len(queries)
    assert all(query["relevant"] and set(query["relevant"].values()) <= {1, 2} for query in queries)


def test_the_judged_items_are_canonical_and_exist():
    """Judgments name canonical items only: a copy (same_as) is read as the item it copies. The
    units form one tree under the province."""
    canonical = canonical_ids()
    assert set(canonical.values()) <= set(canonical)
    assert all(canonical[found] == found for query in load_queries() for found in query["relevant"])
    units = {unit["slug"]: unit for unit in load_corpus()["units"]}
    assert all(unit["parent"] is None or unit["parent"] in units for unit in units.values())
    assert [slug for slug, unit in units.items() if unit["parent"] is None] == ["thua-thien-hue"]


@pytest.mark.slow
def test_search_beats_plain_bm25_on_unseen_queries_and_keeps_its_tuning_floors(search_service, engine_config):
    engine = "elasticsearch" if engine_config["ELASTICSEARCH_URL"] else "embedded"
    queries = load_queries() if engine == "embedded" else load_queries("held-out")[::ELASTICSEARCH_SAMPLE]
    index_corpus(search_service)
    platform, baseline = evaluate(search_service, engine, queries), evaluate_baseline(queries)
    problems = held_out_problems(platform.part("held-out"), baseline.part("held-out"), by_kind=engine == "embedded")
    if engine == "embedded":
        problems += tuning_problems(platform.part("tuning"), TUNING_FLOORS)
    assert not problems, "\n".join(problems)


def held_out_problems(platform: Report, baseline: Report, by_kind: bool = True) -> list[str]:
    """What the held-out part misses, as figures only: its queries are never shown."""
    found = []
    theirs = baseline.by_kind()
    for kind, mine in platform.by_kind().items() if by_kind else ():
        if mine.ndcg <= theirs[kind].ndcg:
            found.append(f"held-out {kind}: nDCG@10 {mine.ndcg:.3f} does not beat the baseline's "
                         f"{theirs[kind].ndcg:.3f} ({len(mine.scored)} queries)")
    if platform.ndcg <= baseline.ndcg:
        found.append(f"held-out overall: nDCG@10 {platform.ndcg:.3f} does not beat the baseline's {baseline.ndcg:.3f}")
    if platform.ndcg < HELD_OUT_NDCG:
        found.append(f"held-out overall: nDCG@10 {platform.ndcg:.3f} < {HELD_OUT_NDCG}")
    if platform.empty:
        found.append(f"held-out: {platform.empty} queries returned nothing although a relevant item exists")
    return found


def tuning_problems(platform: Report, floors: dict[str, float]) -> list[str]:
    found = [f"tuning {name}: {value:.3f} < floor {floors[name]}"
             for name, value in (("ndcg", platform.ndcg), ("mrr", platform.mrr)) if value < floors[name]]
    if found:  # tuning queries may be shown: say which ones scored lowest
        worst = sorted(platform.scored, key=lambda each: each.ndcg)[:10]
        found += [f"  {each.query['id']} {each.query['kind']} {each.ndcg:.2f} {each.query['query']!r}"
                  for each in worst]
    return found
