"""How long freezing a month takes for the whole province, and for ten times its units.

    .venv/bin/python -m tests.benchmarks.bench_freeze [--units 183] [--scales 1,10] [--views 10000000]

Against its own MongoDB stand-in, for each scale: `--units` × scale units with twelve months of
facts as the content events leave them (per unit and month: 10 articles, a schedule for each
week, 2 legal documents, 2 questions; 4 required pages), and `--views` × scale page views
spread over the year's days (the daily figures visits keep, so the views' number sets the
figures, the days set the documents). Then freezes last month (scores, ranks, each criterion's
evidence, the table and every unit's explanation written) and scores the current month, timed.

Beside them, in the same run, the baseline: the month's facts and views read alone (the
queries a freeze cannot avoid), so the ratio shows what scoring and writing add.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pymongo import MongoClient

from services.common.vietnam_time import LOCAL_TIME
from services.ranking import criteria
from services.ranking.league import League
from services.ranking.months import Month, iso_weeks, thursday_of
from services.ranking.visits import VisitStore
from tests.servers import MongoServer

NOW = datetime(2026, 12, 6, 10, tzinfo=LOCAL_TIME).astimezone(timezone.utc)
LEVELS = ("xa",) * 8 + ("huyen", "so-nganh")
BATCH = 5000


def _insert(collection, docs):
    for start in range(0, len(docs), BATCH):
        collection.insert_many(docs[start:start + BATCH], ordered=False)


def fill(database, units: int, views: int) -> int:
    """Twelve months of facts and a year of daily views; returns the documents written."""
    current = Month.containing(NOW)
    months = [current.back(back) for back in range(12, -1, -1)]
    unit_docs, articles, schedules, documents, questions, pages, updates, days = [], [], [], [], [], [], [], []
    first_day = months[0].first_day
    per_day = max(1, views // (units * 365))
    for number in range(units):
        slug = f"don-vi-{number:05d}"
        unit_docs.append({"_id": slug, "version": 1, "unit": slug, "name": f"Đơn vị {number}",
                          "level": LEVELS[number % len(LEVELS)], "parent": None, "status": "active", "successor": None,
                          "created_at": None, "status_since": None})
        for month in months:
            for index in range(10):
                at = month.start + timedelta(days=index * 3 % month.days, hours=number % 9)
                if at >= NOW:
                    continue
                articles.append({"_id": f"{slug}-{month}-a{index}", "version": 2, "unit": slug, "published": True,
                                 "published_at": at, "withdrawn_at": None, "title": f"Tin {index}",
                                 "path": f"/{slug}/tin-tuc/{month}-{index}", "words": 60 + 10 * index,
                                 "summary": index % 2 == 0, "described_cover": index % 3 == 0})
            for week in iso_weeks(month):
                monday = datetime.combine(thursday_of(week) - timedelta(days=3), datetime.min.time(), LOCAL_TIME)
                if monday < NOW:
                    schedules.append({"_id": f"{slug}-{week}", "version": 2, "unit": slug, "week": week,
                                      "entries": 4, "published_at": monday - timedelta(days=1),
                                      "path": f"/{slug}/lich-cong-tac/{week}"})
            for index in range(2):
                at = month.start + timedelta(days=5 + 10 * index)
                if at < NOW:
                    documents.append({"_id": f"{slug}-{month}-d{index}", "version": 1, "unit": slug, "published": True,
                                      "published_at": at, "title": f"{index}/UBND", "path": f"/{slug}/van-ban/{index}"})
                    questions.append({"_id": f"{slug}-{month}-q{index}", "version": 2, "unit": slug, "asked_at": at,
                                      "state": "answered", "answered_at": at + timedelta(days=4 + 12 * index),
                                      "title": "Hỏi", "path": f"/{slug}/hoi-dap/{index}"})
        for key, lang in (("gioi-thieu", "vi"), ("co-cau-to-chuc", "vi"), ("lien-he", "vi"), ("lien-he", "en")):
            pages.append({"_id": f"{slug}/{key}/{lang}", "version": 1, "unit": slug, "key": key, "lang": lang,
                          "present": True, "updated_at": months[3].start, "title": key, "path": f"/{slug}/{key}"})
        updates.append({"_id": slug, "at": NOW - timedelta(days=number % 20), "first": months[0].start})
        day = first_day
        while day < NOW.date():
            days.append({"_id": f"{slug}|{day}", "unit": slug, "day": day.isoformat(), "views": per_day,
                         "visitors": per_day // 3, "bot_views": per_day // 4})
            day += timedelta(days=1)
    written = 0
    for name, docs in (("units", unit_docs), ("articles", articles), ("schedules", schedules),
                       ("documents", documents), ("questions", questions), ("pages", pages),
                       ("last_updates", updates), ("visit_days", days)):
        _insert(database[name], docs)
        written += len(docs)
    return written


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(client, units: int, views: int) -> dict:
    database = client[f"bench_freeze_{units}"]
    client.drop_database(database.name)
    league = League(database, criteria.load(), VisitStore(database, clock=lambda: NOW),
                    lambda name, payload: None, clock=lambda: NOW)
    league.ensure_indexes()
    filled, documents = timed(lambda: fill(database, units, views))
    last = Month.containing(NOW).previous()
    rules = league.criteria.rules

    def read_alone():
        facts = league.facts.store.month(last, last.end, timedelta(days=rules.answer_within_days))
        return facts, league.visits.month_views(last.first_day, last.last_day)

    baseline, _ = timed(read_alone)
    freeze, summary = timed(lambda: league.freeze(str(last), "Đo thời gian chốt tháng"))
    provisional, table = timed(lambda: league.standings())
    return {"units": units, "documents": documents, "filled": filled, "baseline": baseline, "freeze": freeze,
            "provisional": provisional, "ranked": len(table["units"]), "revision": summary["revision"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=183)
    parser.add_argument("--scales", default="1,10", help="multiples of --units (and of --views) to measure")
    parser.add_argument("--views", type=int, default=10_000_000, help="page views in the year, at scale 1")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        server = MongoServer(Path(directory)).start()
        client = MongoClient(server.uri, tz_aware=True)
        try:
            print(f"{'units':>6} {'documents':>10} {'read month s':>13} {'freeze s':>9} {'ratio':>6} "
                  f"{'current month s':>16}")
            for scale in (int(part) for part in args.scales.split(",")):
                row = measure(client, args.units * scale, args.views * scale)
                print(f"{row['units']:>6} {row['documents']:>10,} {row['baseline']:>13.2f} {row['freeze']:>9.2f} "
                      f"{row['freeze'] / row['baseline']:>5.1f}× {row['provisional']:>16.2f}", flush=True)
        finally:
            client.close()
            server.stop()


if __name__ == "__main__":
    main()
