"""CPU time per query of the embedded engine, to compare two versions of the search code on a
busy machine: wall-clock figures there say more about the other work than about the engine.

    git archive <before> services tests deploy | tar -x -C /tmp/before     # the baseline's code
    cp tests/benchmarks/bench_search_cpu.py /tmp/before/tests/benchmarks/
    (cd /tmp/before && /work/main/.venv/bin/python -m tests.benchmarks.bench_search_cpu run /tmp/bench-cpu b.json)
    .venv/bin/python -m tests.benchmarks.bench_search_cpu run /tmp/bench-cpu after.json
    .venv/bin/python -m tests.benchmarks.bench_search_cpu compare /tmp/before/b.json after.json [b2.json after2.json]

`run` writes the index of --articles generated articles into the directory the first time
(bench_search's generator and preload) and keeps it, so that both versions read the same index
(as long as neither changes its layout); then it asks --per-kind new queries of each citizen kind
through the service's ContentIndex in this process, one at a time, and records each query's CPU
time (time.thread_time: outside eventlet the engine searches in the calling thread) and what it
answered. Each version runs from its own tree, its code first on the path. Run them in turn,
twice (before, after, after, before); `compare` takes the runs as pairs (before, after), keeps
each query's lower time over the runs of a version and prints, per kind, p50/p99 of both, the
ratio of their sums, the median of the per-query ratios, and how many answers kept their total
and first three hits.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

from tests.benchmarks.bench_content import load_units
from tests.benchmarks.bench_search import (
    QUERY_MIX,
    Queries,
    generated_articles,
    percentile,
    preload,
    published,
    unit_records,
)

with warnings.catch_warnings():  # eventlet warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from services.common.errors import InvalidInput
    from services.search.engines.embedded import DirectoryIndices
    from services.search.fillers import Fillers
    from services.search.index import ContentIndex
    from services.search.requests import SearchRequest
    from services.search.synonyms import Synonyms

INDEX_NAME = "bench"


def run(index_dir: Path, out: Path, articles: int, per_kind: int, seed: int) -> None:
    _, units = load_units(None)
    if not (index_dir / f"{INDEX_NAME}.current").exists():
        events = published(generated_articles(units, articles, seed, datetime.now(timezone.utc)))
        preload(index_dir, INDEX_NAME, [*unit_records(units), *events])
    index = ContentIndex(DirectoryIndices(index_dir, INDEX_NAME).open(), Synonyms.load(), fillers=Fillers.load())
    try:
        for query, filters in QUERY_MIX:  # warm up: segments read, unit records loaded
            index.search(SearchRequest.parse(query, filters=filters))
        measured = []
        for kind, query in Queries.generate(units, per_kind, 0, seed).by_kind:
            started = time.thread_time()
            try:
                answer = index.search(SearchRequest.parse(query))
            except InvalidInput:
                answer = None
            seconds = time.thread_time() - started
            measured.append({"kind": kind, "query": query, "cpu": seconds, "answer": answer and {
                "total": answer["total"], "ids": [hit["id"] for hit in answer["hits"]]}})
    finally:
        index.engine.close()
    out.write_text(json.dumps(measured, ensure_ascii=False))


def compare(paths: list[Path]) -> None:
    runs = [json.loads(path.read_text()) for path in paths]
    base, new = runs[0::2], runs[1::2]
    print(f"{'kind':32} {'before p50/p99 ms':>18} {'after p50/p99 ms':>17} {'sum ratio':>9} "
          f"{'median ratio':>12} {'same total, top 3':>17}")
    kinds = list(dict.fromkeys(entry["kind"] for entry in runs[0]))
    for kind in kinds:
        places = [place for place, entry in enumerate(runs[0]) if entry["kind"] == kind]
        before = [1000 * min(run[place]["cpu"] for run in base) for place in places]
        after = [1000 * min(run[place]["cpu"] for run in new) for place in places]
        kept = sum(_same(base[0][place]["answer"], new[0][place]["answer"]) for place in places)
        print(f"{kind:32} {percentile(before, 0.5):8.1f} /{percentile(before, 0.99):7.1f}"
              f" {percentile(after, 0.5):7.1f} /{percentile(after, 0.99):7.1f} {sum(after) / sum(before):9.2f}"
              f" {statistics.median(a / b for a, b in zip(after, before)):12.2f} {kept:>11}/{len(places)}")


def _same(before: dict | None, after: dict | None) -> bool:
    if before is None or after is None:
        return before is after
    return before["total"] == after["total"] and before["ids"][:3] == after["ids"][:3]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    timing = commands.add_parser("run", help="time each query of every kind")
    timing.add_argument("index_dir", type=Path)
    timing.add_argument("out", type=Path)
    timing.add_argument("--articles", type=int, default=100_000)
    timing.add_argument("--per-kind", type=int, default=40)
    timing.add_argument("--seed", type=int, default=46)
    comparing = commands.add_parser("compare", help="before and after, in pairs of runs")
    comparing.add_argument("runs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.index_dir, args.out, args.articles, args.per_kind, args.seed)
    else:
        if len(args.runs) % 2:
            parser.error("compare takes runs in pairs: before, after[, before, after ...]")
        compare(args.runs)


if __name__ == "__main__":
    main()
