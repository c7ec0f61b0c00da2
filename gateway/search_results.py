"""The search service's answers, kept by each gateway process until the index changes.

A search the gateway has asked before is answered without an RPC. Answers are dropped
whenever the search service says its index changed (the contract's SearchIndexChanged,
heard by gateway/invalidation.py), which it says only once the change is searchable, so a
kept answer is never older than the index. An answer asked for while a change arrived is
passed on but not kept, and nothing is kept while the notices cannot be heard. Answers also
expire after a minute, since relevance favours recent news by today's date.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable

from cachetools import TTLCache

from gateway.ops import SEARCH_ANSWERS

KEPT_SECONDS = 60.0


class SearchResults:
    def __init__(self, max_answers: int, listening: Callable[[], bool]):
        self._answers: TTLCache = TTLCache(maxsize=max_answers, ttl=KEPT_SECONDS)
        self._listening = listening
        self._lock = threading.Lock()
        self._generation = 0  # grows with every change heard

    def search(self, ask: Callable[..., dict], **arguments) -> dict:
        """The answer to `ask(**arguments)` (the search RPC), kept or asked now."""
        key = json.dumps(arguments, sort_keys=True, ensure_ascii=False)
        with self._lock:
            generation, kept = self._generation, self._answers.get(key)
        if kept is not None:
            SEARCH_ANSWERS.labels("hit").inc()
            return kept
        SEARCH_ANSWERS.labels("miss").inc()
        answer = ask(**arguments)
        with self._lock:
            if generation == self._generation and self._listening():
                self._answers[key] = answer
        return answer

    def changed(self) -> None:
        """The index changed: every kept answer may be out of date."""
        with self._lock:
            self._generation += 1
            self._answers.clear()
