"""The MongoDB stand-in as `make run` and the tests run it (deploy/mongo_standin.py) keeps only
the newest retryable writes' replies, so that a long run's writes keep their pace, and a write
sent again at once (as pymongo does after a dropped connection) is still not applied twice."""
from __future__ import annotations

from pymongo import MongoClient

from deploy.mongo_standin import RETRY_RECORDS, keep_retry_records_short


def test_the_stand_in_keeps_the_newest_retryable_writes_only(tmp_path):
    from secantus.server import SecantusDBServer

    keep_retry_records_short()
    with SecantusDBServer(storage_path=str(tmp_path)) as server, MongoClient(server.uri) as client:
        collection = client.t.docs
        for start in range(0, RETRY_RECORDS + 200, 100):
            for number in range(start, start + 100):
                collection.insert_one({"_id": number})
        kept = server.transactions._retryable
        assert len(kept) == RETRY_RECORDS
        # The newest write's reply is kept: sent again under its session and number, it would be
        # answered from the record, not applied again.
        (lsid, number), (reply, _, identity) = max(kept.items(), key=lambda entry: entry[1][1])
        assert server.transactions.retryable_reply(lsid, number, identity) == reply
        assert collection.count_documents({}) == RETRY_RECORDS + 200
