"""The send-rate cap, on a clock the test moves: what it allows is then exact."""
import pytest

from services.notify.send_rate import SendRate


class Clock:
    """Time that passes only when the rate sleeps, by as long as it asks."""

    def __init__(self):
        self.now = 0.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def sends_in(rate: SendRate, clock: Clock, seconds: float) -> int:
    sent = 0
    while True:
        rate.wait()
        if clock.now > seconds:
            return sent
        sent += 1


def test_a_cap_allows_a_second_s_burst_then_its_rate():
    clock = Clock()
    rate = SendRate(350, clock=clock, sleep=clock.sleep)

    # A burst of 350 at once, then 350 a second, each send waiting its turn alone.
    assert sends_in(rate, clock, 10.25) == 350 + int(10.25 * 350)
    # Float rounding leaves a few waits of a femtosecond beside the real ones.
    assert {round(seconds * 350, 6) for seconds in clock.slept} <= {0.0, 1.0}


def test_senders_waiting_together_are_given_one_turn_each():
    clock = Clock()
    rate = SendRate(10, clock=clock, sleep=lambda seconds: clock.slept.append(seconds))
    for _ in range(10):
        rate.wait()  # the burst

    # Three green threads arrive at once: each books its own turn before sleeping.
    for _ in range(3):
        rate.wait()
    assert clock.slept == pytest.approx([0.1, 0.2, 0.3])


def test_a_quiet_spell_earns_no_more_than_one_second_s_burst():
    clock = Clock()
    rate = SendRate(5, clock=clock, sleep=clock.sleep)
    sends_in(rate, clock, 1.0)

    clock.now += 60
    start = clock.now
    for _ in range(5):
        rate.wait()
    assert clock.now == pytest.approx(start)  # the burst, without waiting
    rate.wait()
    assert clock.now == pytest.approx(start + 1 / 5)


def test_a_rate_below_one_a_second_sends_one_then_waits():
    clock = Clock()
    rate = SendRate(0.5, clock=clock, sleep=clock.sleep)
    rate.wait()
    rate.wait()
    assert clock.now == pytest.approx(2.0)


def test_no_cap_never_sleeps():
    clock = Clock()
    rate = SendRate(0, clock=clock, sleep=clock.sleep)
    for _ in range(10_000):
        rate.wait()
    assert clock.slept == []


def test_a_negative_rate_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="NOTIFY_SEND_RATE"):
        SendRate(-1)
