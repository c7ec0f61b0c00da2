"""How fast workers claim work kept in a collection (emails to send, events to dispatch) as the
collection fills up with work already done.

    .venv/bin/python -m tests.benchmarks.bench_claims [--done 0,2000,10000] [--claims 200]

Against its own MongoDB stand-in, for each size: notify's deliveries collection with `--done`
sent deliveries and `--claims` pending ones; claims them all with the platform's claim
(services/common/mongo.claim_some for one delivery: a find, then a write conditional on it still being
due) and, on a copy, with one find_one_and_update per claim (what the platform did before). Prints
claims per second for each and their ratio. The stand-in's find_one_and_update reads the whole
collection (real MongoDB walks the index), which is why sending slowed as sent emails piled up.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from pymongo import MongoClient, ReturnDocument

from services.common.events import utcnow
from services.notify.dependencies import SubscriptionStore
from tests.servers import MongoServer


def fill(store: SubscriptionStore, done: int, pending: int):
    moment = utcnow()
    rows = [{"subscription_id": number, "article_id": "a", "status": "sent" if number < done else "pending",
             "attempts": 0, "due_at": moment, "created_at": moment} for number in range(done + pending)]
    for start in range(0, len(rows), 5000):
        store.deliveries.insert_many(rows[start:start + 5000])


def by_find_and_modify(store: SubscriptionStore):
    now = utcnow()
    return store.deliveries.find_one_and_update(
        {"status": "pending", "due_at": {"$lte": now}},
        {"$set": {"due_at": now + timedelta(minutes=5)}, "$inc": {"attempts": 1}},
        return_document=ReturnDocument.AFTER)


def claims_per_second(claim, store: SubscriptionStore, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        assert claim(store) is not None
    return count / (time.perf_counter() - started)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--done", default="0,2000,10000", help="sizes: deliveries already sent")
    parser.add_argument("--claims", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        server = MongoServer(Path(directory)).start()
        client = MongoClient(server.uri, tz_aware=True)
        try:
            print(f"{'sent already':>12} {'claim_one /s':>13} {'find_one_and_update /s':>23} {'ratio':>6}")
            for size in (int(part) for part in args.done.split(",")):
                rates = []
                for name, claim in (("claim_one", SubscriptionStore.claim_due_delivery),
                                    ("find_one_and_update", by_find_and_modify)):
                    store = SubscriptionStore(client[f"claims_{name}_{size}"])
                    store.ensure_indexes()
                    fill(store, size, args.claims)
                    rates.append(claims_per_second(claim, store, args.claims))
                print(f"{size:>12,} {rates[0]:>13.1f} {rates[1]:>23.1f} {rates[0] / rates[1]:>5.1f}×")
        finally:
            client.close()
            server.stop()


if __name__ == "__main__":
    main()
