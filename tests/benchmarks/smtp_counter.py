"""An SMTP server that only counts what it receives, for benchmarks of sending: storing every
email (as the tests' Maildir does) would measure the disk, not the sender.

    python -m tests.benchmarks.smtp_counter PORT STATUS_FILE

Every 0.1 s it writes to STATUS_FILE "<emails received> <time.monotonic() of the last>"
(one clock for every process on the machine, so the reader can compare it with its own).
"""
from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.received = 0
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        self.last_at = time.monotonic()
        return "250 OK"


def read_status(path: Path) -> tuple[int, float]:
    """(emails received, monotonic time of the last) as the counter last wrote them."""
    try:
        received, last_at = path.read_text().split()
    except (FileNotFoundError, ValueError):  # not written yet, or being written
        return 0, 0.0
    return int(received), float(last_at)


async def report(counter: Counter, path: Path):
    partial = path.with_suffix(".partial")
    while True:
        partial.write_text(f"{counter.received} {counter.last_at}")
        partial.replace(path)  # whole lines only, for the reader
        await asyncio.sleep(0.1)


def main(port: int, status: Path):
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.run(report(counter, status))
    finally:
        controller.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
