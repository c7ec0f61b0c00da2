"""Work a gateway process does beside its requests, in a daemon thread started on first use:
gunicorn forks its workers after loading nothing, so each worker starts its own."""
from __future__ import annotations

import threading
from collections.abc import Callable


class Background:
    def __init__(self, target: Callable[[], None], name: str):
        self._target = target
        self._name = name
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Cheap after the first call; safe from any number of request threads."""
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._target, name=self._name, daemon=True)
                    self._thread.start()

    def join(self, timeout: float = 5) -> None:
        if self._thread is not None:
            self._thread.join(timeout=timeout)
