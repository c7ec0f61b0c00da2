"""The most emails one notify process sends a second (NOTIFY_SEND_RATE).

A mail provider caps how fast it takes email (GOV.UK Notify takes 350 a second from a
service), and a relay sent more than it takes answers with 4xx refusals or drops the
connection: one article fanned out to a hundred thousand subscribers must go at the pace the
provider takes, not as fast as the workers can write.
"""
from __future__ import annotations

import time
from functools import cache

import eventlet


class SendRate:
    """Up to `per_second` sends a second, and a burst of one second's worth after a quiet
    spell; `per_second` 0 is no cap. Each caller books the next free moment before it sleeps
    until then (GCRA, the token bucket kept as one time), so callers waiting together go one
    after another, each sleeping once. Sleeping is eventlet.sleep: the process's other green
    threads (lease renewals, RPCs) go on meanwhile; and as green threads switch only when one
    sleeps or waits for the network, booking needs no lock."""

    def __init__(self, per_second: float, clock=time.monotonic, sleep=eventlet.sleep):
        if per_second < 0:
            raise ValueError(f"NOTIFY_SEND_RATE must be 0 (no cap) or more, not {per_second}")
        self.per_second = per_second
        self.clock = clock
        self.sleep = sleep
        if per_second:
            self.interval = 1 / per_second
            # How far ahead of the clock bookings may run before a caller waits: the burst.
            self.tolerance = (max(per_second, 1) - 1) * self.interval
            self.next_free = clock()

    def wait(self):
        """Return when one more email may be sent."""
        if not self.per_second:
            return
        now = self.clock()
        booked = max(self.next_free, now)
        self.next_free = booked + self.interval
        delay = booked - now - self.tolerance
        if delay > 0:
            self.sleep(delay)


@cache
def process_send_rate(per_second: float) -> SendRate:
    """The one SendRate of this process: every worker's sends count against the same cap."""
    return SendRate(per_second)
