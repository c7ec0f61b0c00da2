"""How fast the search service rebuilds its embedded index from the content service's replay.

    .venv/bin/python -m tests.benchmarks.bench_reindex                 # 5,000 articles
    .venv/bin/python -m tests.benchmarks.bench_reindex --articles 20000

Runs services/search/rebuild.py's Rebuild as the service does (under eventlet, a managed green
thread) on a fresh embedded index, fed by a replay of generated articles (bench_search's
generator, pages of rebuild.PAGE_SIZE as the content service gives them), twice in the same run:
items written one after another (PARALLEL_WRITES = 1, the baseline) and as configured. Prints
items/s for each and the ratio. The content service's own replay cost is not included.
"""
from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from services.search import rebuild  # noqa: E402
    from services.search.engines.embedded import DirectoryIndices  # noqa: E402
    from services.search.index import ContentIndex  # noqa: E402
    from services.search.synonyms import Synonyms  # noqa: E402
    from tests.benchmarks.bench_content import load_units  # noqa: E402
    from tests.benchmarks.bench_search import generated_articles, published, unit_records  # noqa: E402


def replay_of(events_by_kind: dict[str, list]):
    """The content service's replay RPC over these events: pages, a cursor, oldest first."""
    def replay(kind, updated_since=None, after=None, limit=rebuild.PAGE_SIZE):
        found = events_by_kind.get(kind, [])
        start = int(after or 0)
        page = found[start:start + limit]
        return {"events": [{"name": event.name, "payload": event.model_dump(mode="json")} for event in page],
                "next": str(start + limit) if start + limit < len(found) else None}
    return replay


def timed_rebuild(workdir: Path, replay, parallel: int) -> tuple[float, int]:
    rebuild.PARALLEL_WRITES = parallel
    indices = DirectoryIndices(workdir / f"parallel-{parallel}", "bench")
    index = ContentIndex(indices.open(), Synonyms.load())
    rebuilding = rebuild.Rebuild(index, indices, eventlet.spawn)
    started = time.perf_counter()
    rebuilding.start(replay)
    while rebuilding.status()["state"] == rebuild.RUNNING:
        eventlet.sleep(0.05)
    seconds = time.perf_counter() - started
    status = rebuilding.status()
    index.engine.close()
    if status["state"] != rebuild.DONE:
        raise SystemExit(f"the rebuild failed: {status['errors']}")
    return seconds, status["done"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args(argv)
    _, units = load_units(None)
    events = {"unit": unit_records(units),
              "article": published(generated_articles(units, args.articles, 46, datetime.now(timezone.utc)))}
    replay = replay_of(events)
    configured = rebuild.PARALLEL_WRITES
    print(f"Rebuilding an embedded index of {len(units)} units and {args.articles:,} articles", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as workdir:
        results = {}
        for parallel in (1, configured):
            seconds, done = timed_rebuild(Path(workdir), replay, parallel)
            results[parallel] = done / seconds
            print(f"  {parallel:4d} at a time: {done:,} items in {seconds:.1f} s, {done / seconds:,.0f} items/s",
                  flush=True)
    print(f"{configured} at a time vs one after another: {results[configured] / results[1]:.1f}× the items per second")


if __name__ == "__main__":
    main()
