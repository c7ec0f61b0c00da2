"""A nameko timer whose interval is a setting, read when the container sets up.

nameko's own `@timer(interval=...)` fixes the interval at import time; sweeps that re-send
what a crash left behind should follow SWEEP_INTERVAL instead, so tests can make them quick.
"""
from nameko.timer import Timer

from services.common.config import Settings


class SweepTimer(Timer):
    def __init__(self, **kwargs):
        super().__init__(interval=None, **kwargs)

    def setup(self):
        self.interval = Settings.from_mapping(self.container.config).SWEEP_INTERVAL


sweep_timer = SweepTimer.decorator
