"""How far the demo load has got: one progress bar for the whole load on a terminal (tqdm), and
on anything else (a log, a test, a pipe) a plain line at every tenth, which a bar's carriage
returns would garble."""
from __future__ import annotations

import sys
import threading

from tqdm import tqdm

STEPS = 10  # plain lines: one at each tenth of the way


class Progress:
    def __init__(self, total: int, what: str, log=print, stream=None):
        self.total, self.what, self.log = total, what, log
        self.stream = stream or sys.stdout
        self.done = 0
        self.lock = threading.Lock()
        self.bar = tqdm(total=total, desc=what, unit=" đơn vị", file=self.stream, dynamic_ncols=True) \
            if self.stream.isatty() else None

    def advance(self, count: int = 1):
        with self.lock:
            before, self.done = self.done, self.done + count
            if self.bar is not None:
                self.bar.update(count)
            elif before * STEPS // self.total != self.done * STEPS // self.total or self.done == self.total:
                self.log(f"  {self.what}: {self.done}/{self.total}")

    def note(self, message: str):
        """A line of its own, above the bar when there is one."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            self.log(message)

    def close(self):
        if self.bar is not None:
            self.bar.close()
