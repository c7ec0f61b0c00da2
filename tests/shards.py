"""The suite in shares run side by side: `python -m tests.shards [N] [pytest arguments]` runs N
pytest processes (default 2) that deal the test files out between them as they go, prints the
first's output as it comes and each other's when it ends, and exits non-zero if any failed.

Most of a test's time is waiting: on RabbitMQ round trips, on the MongoDB stand-in, on a
service's timer, so two processes overlap on CI's two cores. Every process collects the whole
suite, orders the files longest first (`largest_first`), and before a file's first test claims
the file in a directory they share (`claimed`): the first to ask runs all its tests, the others
skip it, so a share that drew slow files takes fewer. Each process starts its own MongoDB,
Elasticsearch and SMTP servers (tests/conftest.py) and each test has its own RabbitMQ vhost and
databases: the shares share nothing but RabbitMQ. Plain `pytest` runs every test in one process.

This module is also the pytest plugin each share loads (`-p tests.shards`): its hooks act only
where CLAIMS is set."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

CLAIMS = "TEST_SHARD_CLAIMS"  # the directory the shares claim files in
SLOW = 60  # a test marked slow counts as this many: it takes a minute or more, most take a second
_mine: dict[str, bool] = {}


def active() -> bool:
    return bool(os.environ.get(CLAIMS))


def largest_first(items: list) -> list:
    """The tests file by file, the longest files first (the last files dealt are short ones, so
    the shares end together), each file's tests in their own order. A file's length is its
    number of tests, a test marked `slow` counting as SLOW."""
    sizes = Counter()
    for item in items:
        sizes[_file(item)] += SLOW if item.get_closest_marker("slow") else 1
    return sorted(items, key=lambda item: (-sizes[_file(item)], _file(item)))  # sorted() is stable


def claimed(item) -> bool:
    """Whether this process runs `item`'s file: it does if it was the first to claim it."""
    name = _file(item)
    if name not in _mine:
        claim = Path(os.environ[CLAIMS]) / hashlib.sha1(name.encode()).hexdigest()
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            _mine[name] = True
        except FileExistsError:
            _mine[name] = False
    return _mine[name]


def pytest_collection_modifyitems(config, items):
    if active():
        items[:] = largest_first(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    return run(item, nextitem) if active() else None


def run(item, nextitem) -> bool:
    """pytest's protocol for `item` under the shares: not run if another share has its file;
    else run, then torn down as far as the next test this process runs needs (pytest's own
    protocol would tear down only as far as the next test collected needs, which another share
    may run, and leave the next one here set up on top of a stranger's package)."""
    if not claimed(item):
        return True  # handled: not run, nothing reported
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    runtestprotocol(item, nextitem=_next_mine(item, nextitem))
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _next_mine(item, nextitem):
    """The next test this process runs: `nextitem` in the same file, else the first test of
    the first file after it that this process claims (claimed now), else None."""
    if nextitem is None or _file(nextitem) == _file(item):
        return nextitem
    items = item.session.items
    for candidate in items[items.index(nextitem):]:
        if claimed(candidate):
            return candidate
    return None


def _file(item) -> str:
    return item.nodeid.split("::", 1)[0]


def main(count: int, arguments: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="test-shares-") as claims:
        logs, shares = [], []
        for k in range(count):
            log = None if k == 0 else tempfile.TemporaryFile(mode="w+", encoding="utf-8")
            shares.append(subprocess.Popen([sys.executable, "-m", "pytest", "-p", "tests.shards", *arguments],
                                         env={**os.environ, CLAIMS: claims},
                                         stdout=log, stderr=subprocess.STDOUT if log else None))
            logs.append(log)
        codes = [share.wait() for share in shares]
    for k, log in enumerate(logs[1:], start=2):
        log.seek(0)
        print(f"\n==== share {k} of {count} ====", flush=True)
        sys.stdout.write(log.read())
    print(f"\nthe shares' exit codes: {codes}", flush=True)
    # pytest's 5 is "no tests ran": a share that another left nothing to is no failure.
    failed = [code for code in codes if code not in (0, 5)]
    return failed[0] if failed else (0 if 0 in codes else codes[0])


if __name__ == "__main__":
    given = sys.argv[1:]
    count = int(given.pop(0)) if given and given[0].isdigit() else 2
    sys.exit(main(count, given))
