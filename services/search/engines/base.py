"""The interface every search engine offers the service."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from services.search.core import Completion, EnginePage, EngineQuery, Found, Frequencies
from services.search.documents import BestBet, Record, UnitRecord


class SearchEngine(Protocol):
    revision: int | None
    """Changes whenever searches may see something new; None when this process cannot know
    (another process writes to the same index), and results must not be kept."""

    def put(self, key: str, version: int, record: Record) -> bool:
        """Store `record` under `key` at `version` (see core.stored_fields; None stores a
        tombstone).

        Does nothing and returns False when the stored version is the same or newer, so an
        event applied twice or out of order never changes what is indexed.
        Once this returns True the change is visible to every other method.
        """

    def search(self, query: EngineQuery) -> EnginePage:
        """Visible items matching the query and its filters, in its order, one page of them,
        with the count of each facet's values (each facet ignoring its own filter)."""

    def count(self, query: EngineQuery) -> int:
        """How many visible items match the query and its filters."""

    def complete(self, completion: Completion) -> list[Found]:
        """Visible items whose titles complete what was typed, best first, newest first among
        equals; highlights are not needed."""

    def units(self) -> list[UnitRecord]:
        """Every unit record."""

    def best_bets(self) -> list[BestBet]:
        """Every best bet in force."""

    def get(self, keys: list[str]) -> list[Found]:
        """The visible items with these keys, in no particular order."""

    def counts(self, type_: str) -> dict[str, int]:
        """How many visible items of this type each unit has."""

    def vocabulary(self, prefix: str) -> list[tuple[str, int]]:
        """The title spellings ('folded spelled', see IndexedDocument.spellings) of visible items
        whose folded word starts with `prefix` (one ASCII letter), each with how many items
        have it. May return others too: the caller filters."""

    def marked(self, terms: list[str]) -> set[str]:
        """The folded `terms` some item's title spells with Vietnamese marks (a spelling such as
        'hue huế'): Vietnamese words, for language.query_language."""

    def frequencies(self, terms: list[str]) -> Frequencies:
        """How many items hold each word in a searchable field (a folded word folded, one with
        accents as typed; 'a b': the two folded words next to each other, in this order), and
        how many items there are."""

    def close(self) -> None:
        """Release the engine's files or connections."""


class Indices(Protocol):
    """Where an engine's index lives: one current index behind a stable name, and new ones
    built beside it (by a reindex) that replace it at once."""

    def open(self) -> SearchEngine:
        """The current index (an empty one the first time), reached through the stable name."""

    def create(self, current: SearchEngine) -> SearchEngine:
        """A new, empty index beside `current`."""

    def promote(self, current: SearchEngine, new: SearchEngine) -> None:
        """Make `new` the index `current` answers from, in one step, and delete the old one."""

    def discard(self, new: SearchEngine) -> None:
        """Delete a new index that will not be promoted."""

    def progress(self) -> dict | None:
        """The rebuild's progress as last saved (see rebuild.Rebuild.status) by whichever
        instance runs it; None before the first rebuild."""

    def claim_progress(self, status: dict, running: Callable[[dict], bool]) -> bool:
        """Save `status` (a rebuild starting) unless the saved progress is `running`; in one step,
        so that of two instances asked at once only one starts. True if saved."""

    def save_progress(self, status: dict) -> None:
        """Save the running rebuild's progress."""
