"""Runs the MongoDB stand-in (SecantusDB: a development and test dependency, never imported by
the platform's services; see the README) for `make run`, the tests and the benchmarks, with its
record of retryable writes kept short.

MongoDB keeps each retryable write's reply for a while, so that a write the driver sends again
after a dropped connection is not applied twice. SecantusDB keeps them 30 minutes, up to 10,000,
and on every write walks all it keeps (and sorts them all once it holds the most): on this
machine plain inserts slowed from about 1,300 a second to 64 once 12,000 had been made, and the
demo's load, the test suite and any long run make far more. pymongo sends a failed write again
once, at once, so a reply is needed for moments: here for RETRY_RECORD_SECONDS, the newest
RETRY_RECORDS at most, and writes keep their pace (1,300 a second after 16,000).

    python -m deploy.mongo_standin --host 127.0.0.1 --port 27017 --storage-path DIR   # secantusd-py's options
"""
from __future__ import annotations

import sys

RETRY_RECORD_SECONDS = 60.0
RETRY_RECORDS = 1_000


def keep_retry_records_short() -> None:
    """Before the stand-in starts, in its process: its limits are module settings it reads on each write."""
    from secantus import transactions

    transactions._RETRYABLE_RECORD_LIFETIME_SECONDS = RETRY_RECORD_SECONDS
    transactions._RETRYABLE_RECORD_MAX = RETRY_RECORDS


if __name__ == "__main__":
    from secantus.cli import main

    keep_retry_records_short()
    sys.exit(main(sys.argv[1:]))
