"""Reads remembered for the length of one write of many items (a history import): what each
item refers to (its unit, its category, its cover, its file) is read once, not once an item, so
that the write's transaction does not grow with its items. Only for what the block does not change."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
# What the running worker's `remembering` block has read so far (each worker is a greenlet).
_remembered: ContextVar[dict | None] = ContextVar("remembered_reads", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def recalled(key: tuple, read: Callable[[], T]) -> T:
    """What `read()` returns; within a `remembering` block, what it returned the first time for
    `key` (a read that raised is tried again)."""
    remembered = _remembered.get()
    if remembered is None:
        return read()
    if key not in remembered:
        remembered[key] = read()
    return remembered[key]
