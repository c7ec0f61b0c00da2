"""Rebuild the search index from the content service, or check it against it.

    python -m services.search.reindex           # rebuild, printing progress until done
    python -m services.search.reindex --check   # compare counts per unit and kind

Talks to the running search service over RPC (settings from the environment).
"""
from __future__ import annotations

import argparse
import sys
import time

from nameko.standalone.rpc import ClusterRpcProxy

from services.common.config import Settings
from services.search.rebuild import RUNNING

POLL_SECONDS = 1.0
CHECK_TIMEOUT_SECONDS = 600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.search.reindex", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the index with the content service")
    arguments = parser.parse_args(argv)
    settings = Settings.from_env()
    # A check replays everything: it may take longer than an ordinary call.
    with ClusterRpcProxy(settings.as_nameko_config(), timeout=CHECK_TIMEOUT_SECONDS) as cluster:
        if arguments.check:
            return report_check(cluster.search.check())
        status = cluster.search.reindex()
        while True:
            print(progress(status), flush=True)
            if status["state"] != RUNNING:
                return 0 if status["state"] == "done" and not status["errors"] else 1
            time.sleep(POLL_SECONDS)
            status = cluster.search.reindex_status()


def progress(status: dict) -> str:
    line = f"{status['state']}: {status['done']} items"
    if status["kind"]:
        line += f", now {status['kind']}"
    if status["finished_at"]:
        line += f" (started {status['started_at']}, finished {status['finished_at']})"
    return "\n".join([line, *(f"  error: {error}" for error in status["errors"])])


def report_check(result: dict) -> int:
    print(f"content: {result['content']} public, index: {result['index']} indexed")
    for difference in result["differences"]:
        print(f"  {difference['unit']} {difference['kind']}: content {difference['content']}, "
              f"index {difference['index']}")
    print("equal" if result["equal"] else f"{len(result['differences'])} differences")
    return 0 if result["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
