"""The interface every search engine offers the service."""
from __future__ import annotations

from typing import Protocol

from services.search.core import IndexedArticle, SearchPage, SearchRequest


class SearchEngine(Protocol):
    def put(self, document_id: str, version: int, article: IndexedArticle | None) -> bool:
        """Store `article` under `document_id` at `version`, or a tombstone if `article` is None
        (an unpublished article: hidden, but its version still refuses older events).

        Does nothing and returns False when the stored version is the same or newer, so an
        event applied twice or out of order never changes what is indexed.
        Once this returns True the change is visible to `search`.
        """

    def search(self, request: SearchRequest) -> SearchPage:
        """Live articles matching the request, most relevant first."""

    def close(self) -> None:
        """Release the engine's files or connections."""
