"""How long the conformance report takes for the whole province, and one unit's report.

    .venv/bin/python -m tests.benchmarks.conformance [--units 183] [--scales 1,5] [--rounds 3]

Against its own MongoDB stand-in, for each scale: `--units` × scale active units (one province,
then departments, districts and communes as the province has them) holding what a busy year
leaves in the content database, in the shapes the content areas store: per unit 60 published
articles and 20 drafts, 52 published weeks of schedule, 40 legal documents (half filed under
a disclosure section), 30 questions, 10 procedures, 4 drafts for comment and its standard
pages in both languages; one unit in six has no pages, procedures or disclosures, as in the
demo. Then the province's report (`conformance_report`, every unit judged) three ways: the
first after the load (every unit stale: nothing kept yet), again (nothing stale: every unit
judged from the facts kept) and after `--changed` units were marked stale as the outbox marks
them; and one unit's (`conformance`); each the best of `--rounds`. Goal: the province's report
under 1 s at 183 units.

Beside them, the baseline: one pass over the same collections' documents counted by unit
($group with $sum, the cheapest question that reads what the report reads), so the ratio
shows what judging adds. The stand-in reads every matching document for a $group (it has no
index-only plan); real MongoDB's figures would be lower.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pymongo import MongoClient

from services.content.conformance import Conformance
from services.content.conformance_facts import COLLECTION, FactsLedger
from services.content.dependencies import Content
from tests.servers import MongoServer

NOW = datetime.now(timezone.utc)
LEVELS = [("tinh", "Tỉnh", 0), ("so-nganh", "Sở, ban, ngành", 1), ("huyen", "Huyện", 2), ("xa", "Xã", 3)]
SECTIONS = ("chi-dao-dieu-hanh", "chien-luoc-ke-hoach", "ngan-sach", "dau-tu-mua-sam", "thong-ke",
            "pho-bien-phap-luat")
PAGES = ("gioi-thieu", "chuc-nang-nhiem-vu", "co-cau-to-chuc", "lanh-dao", "lien-he")
COLLECTIONS = ("units", "pages", "articles", "schedules", "documents", "questions", "procedures", "consultations")
BATCH = 5000


def level_of(number: int) -> str:
    """One province; then, of every 183, 20 departments, 9 districts and the rest communes."""
    if number == 0:
        return "tinh"
    place = number % 183
    return "so-nganh" if place <= 20 else "huyen" if place <= 29 else "xa"


def fill(database, units: int) -> int:
    """The units and their year of content; returns the documents written."""
    docs: dict[str, list[dict]] = {name: [] for name in COLLECTIONS}
    database["levels"].insert_many([{"_id": slug, "name": name, "order": order} for slug, name, order in LEVELS])
    for number in range(units):
        slug = f"don-vi-{number:05d}"
        bare = number % 6 == 5  # as the demo leaves about one unit in six without these parts
        docs["units"].append({
            "_id": slug, "name": f"Đơn vị {number}", "level": level_of(number), "parent": None if number == 0
            else "don-vi-00000", "status": "active", "version": 1,
            "contact": {"address": "Số 1 Lê Lợi", "phone": "0234 382 0000", "email": f"{slug}@example.vn"},
            "managing_body": "UBND tỉnh", "public_services_url": "https://dichvucong.example.vn" if number == 0
            else None, "information_contact": None if bare else {"name": "Văn phòng", "phone": "0234"}})
        for key in () if bare else PAGES:
            for lang in ("vi", "en"):
                docs["pages"].append({"_id": f"{slug}/{key}/{lang}", "unit": slug, "key": key, "lang": lang,
                                      "status": "published", "updated_at": NOW - timedelta(days=number % 800)})
        for index in range(80):
            published = index < 60
            docs["articles"].append({"_id": f"{slug}-a{index}", "unit": slug, "slug": f"tin-{index}",
                                     "status": "published" if published else "draft",
                                     "published_at": NOW - timedelta(days=index * 6 + number % 30) if published
                                     else None})
        for index in range(52):
            at = NOW - timedelta(weeks=index + number % 4)
            docs["schedules"].append({"_id": f"{slug}-w{index}", "unit": slug, "week": f"w{index}",
                                      "status": "published", "published": {"at": at, "entries": []},
                                      "published_at": at})
        for index in range(40):
            docs["documents"].append({"_id": f"{slug}-d{index}", "unit": slug, "number_key": f"{index}",
                                      "status": "published", "published_at": NOW - timedelta(days=index * 9),
                                      "section": None if bare or index % 2 else SECTIONS[index // 2 % len(SECTIONS)]})
        for index in range(30):
            docs["questions"].append({"_id": f"{slug}-q{index}", "reference": f"{slug}-q{index}", "unit": slug,
                                      "status": "published",
                                      "published_at": NOW - timedelta(days=index * 11)})
        for index in range(0 if bare else 10):
            docs["procedures"].append({"_id": f"{slug}-p{index}", "name_key": f"p{index}", "unit": slug,
                                       "status": "published",
                                       "published_at": NOW - timedelta(days=500), "updated_at": NOW - timedelta(
                                           days=index * 40)})
        for index in range(4):
            docs["consultations"].append({"_id": f"{slug}-c{index}", "unit": slug, "status": "closed",
                                          "opens_at": NOW - timedelta(days=90 * index + 30),
                                          "published_at": NOW - timedelta(days=90 * index + 30)})
    written = 0
    for name, listed in docs.items():
        for start in range(0, len(listed), BATCH):
            database[name].insert_many(listed[start:start + BATCH], ordered=False)
        written += len(listed)
    return written


def best_of(rounds: int, action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def count_by_unit(database) -> int:
    return sum(len(list(database[name].aggregate([{"$group": {"_id": "$unit", "n": {"$sum": 1}}}])))
               for name in COLLECTIONS if name != "units")


def measure(client, units: int, rounds: int, changed: int) -> dict:
    database = client[f"bench_conformance_{units}"]
    client.drop_database(database.name)
    content = Content(database)
    content.ensure_indexes()
    documents = fill(database, units)
    conformance = Conformance(content)
    baseline, _ = best_of(rounds, lambda: count_by_unit(database))
    ledger = FactsLedger(database)

    def first():
        database[COLLECTION].delete_many({})
        return conformance.report()

    def after_changes():
        ledger.mark_stale({f"don-vi-{number:05d}" for number in range(0, units, units // changed)[:changed]}, None)
        return conformance.report()

    province, report = best_of(rounds, first)
    again, kept = best_of(rounds, conformance.report)
    some, changed_report = best_of(rounds, after_changes)
    assert _without_moment(report) == _without_moment(kept) == _without_moment(changed_report)
    one, _ = best_of(rounds, lambda: conformance.of_unit("don-vi-00007"))
    scores = [row["score"] for row in report["units"]]
    return {"units": len(report["units"]), "documents": documents, "baseline": baseline, "province": province,
            "again": again, "some": some, "one": one, "mean_score": sum(scores) / len(scores)}


def _without_moment(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "computed_at"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=183)
    parser.add_argument("--scales", default="1,5", help="multiples of --units to measure")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each measure; the best is shown")
    parser.add_argument("--changed", type=int, default=5, help="units marked stale before the third report")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        server = MongoServer(Path(directory)).start()
        client = MongoClient(server.uri, tz_aware=True)
        try:
            print(f"{'units':>6} {'documents':>10} {'count by unit s':>16} {'first s':>8} {'ratio':>6} "
                  f"{'again s':>8} {f'{args.changed} stale s':>11} {'one unit s':>11} {'mean score':>11}")
            for scale in (int(part) for part in args.scales.split(",")):
                row = measure(client, args.units * scale, args.rounds, args.changed)
                print(f"{row['units']:>6} {row['documents']:>10,} {row['baseline']:>16.3f} {row['province']:>8.3f} "
                      f"{row['province'] / row['baseline']:>5.1f}× {row['again']:>8.3f} {row['some']:>11.3f} "
                      f"{row['one']:>11.3f} {row['mean_score']:>11.2f}", flush=True)
        finally:
            client.close()
            server.stop()


if __name__ == "__main__":
    main()
