"""What the service knows of each article it heard of: the highest version of it seen and
whether that version withdrew it.

Events may arrive late or twice (services/common/events.py): an `article_published` that is
older than, or as old as, the `article_unpublished` already seen must not email anyone.
"""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.common.events import ArticlePublished, ArticleUnpublished


class ArticleVersions:
    def __init__(self, database):
        self.articles = database["articles"]  # read by _id (the article's document_id) only

    def published(self, event: ArticlePublished) -> bool:
        """Record the publication; False if a newer event, or a withdrawal of this version,
        was seen first. The same version again is True: its deliveries may not all be planned."""
        return self._record(event, withdrawn=False, seen_again={"version": event.version, "withdrawn": False})

    def unpublished(self, event: ArticleUnpublished) -> bool:
        """Record the withdrawal; False if a newer version of the article was seen first."""
        return self._record(event, withdrawn=True, seen_again={"version": event.version, "withdrawn": True})

    def is_withdrawn(self, article_id: str) -> bool:
        record = self.articles.find_one({"_id": article_id}, {"withdrawn": 1})
        return bool(record and record["withdrawn"])

    def _record(self, event, withdrawn: bool, seen_again: dict) -> bool:
        """Conditional on the stored version: of two workers handling two versions at once,
        the older one's write matches nothing (or collides with the newer one's insert).

        Each step filters on the id alone or the id and one condition, which every MongoDB
        answers from the id's index (an `$or` beside the id made the stand-in read every
        article for each event)."""
        changes = {"$set": {"version": event.version, "withdrawn": withdrawn}}
        older = {"_id": event.document_id, "version": {"$lt": event.version}}
        if self.articles.update_one(older, changes).matched_count:
            return True
        if self.articles.find_one({"_id": event.document_id, **seen_again}, {"_id": 1}):
            return True  # this very version, delivered again
        try:
            self.articles.insert_one({"_id": event.document_id, "version": event.version, "withdrawn": withdrawn})
        except DuplicateKeyError:  # stored meanwhile: newer (keep it), or older (replace it)
            return bool(self.articles.update_one(older, changes).matched_count)
        return True
