"""The search answers a gateway process keeps (gateway/search_results.py): kept until the
index changes, never kept when a change arrived while asking or while changes cannot be heard."""
import threading

import pytest

from gateway.search_results import SearchResults


class Asked:
    """Answers each search with how many searches it has answered so far."""

    def __init__(self, during=lambda: None):
        self.count = 0
        self._during = during

    def __call__(self, **arguments):
        self.count += 1
        self._during()
        return {"arguments": arguments, "answer": self.count}


def test_an_answer_is_kept_per_search_until_the_index_changes():
    results, ask = SearchResults(10, listening=lambda: True), Asked()
    first = results.search(ask, query="chuyển đổi số", filters={"unit": ["hue"]}, page=1)
    assert results.search(ask, query="chuyển đổi số", filters={"unit": ["hue"]}, page=1) == first
    assert results.search(ask, page=1, filters={"unit": ["hue"]}, query="chuyển đổi số") == first
    assert ask.count == 1
    assert results.search(ask, query="chuyển đổi số", filters={"unit": ["hue"]}, page=2)["answer"] == 2
    results.changed()
    assert results.search(ask, query="chuyển đổi số", filters={"unit": ["hue"]}, page=1)["answer"] == 3


def test_an_answer_asked_while_the_index_changed_is_passed_on_but_not_kept():
    results = SearchResults(10, listening=lambda: True)
    ask = Asked(during=lambda: results.changed() if ask.count == 1 else None)
    assert results.search(ask, query="x")["answer"] == 1
    assert results.search(ask, query="x")["answer"] == 2
    assert results.search(ask, query="x")["answer"] == 2


def test_nothing_is_kept_while_changes_cannot_be_heard():
    listening = threading.Event()
    results, ask = SearchResults(10, listening=listening.is_set), Asked()
    results.search(ask, query="x")
    results.search(ask, query="x")
    assert ask.count == 2
    listening.set()
    results.search(ask, query="x")
    results.search(ask, query="x")
    assert ask.count == 3


def test_a_failed_search_is_not_kept():
    results, calls = SearchResults(10, listening=lambda: True), []

    def failing(**arguments):
        calls.append(arguments)
        raise RuntimeError("search is down")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            results.search(failing, query="x")
    assert len(calls) == 2
