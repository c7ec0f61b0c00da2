"""History imports: an old site's archive brought onto the platform as it happened there.

The province moves its old sites, whose news go back years. Each item is published (or, for a
question, left waiting) at its own time on the old site, and its event says so, so that
consumers count it in the month it happened. An import is one transaction, events included:
a bad item anywhere writes nothing. Each item is known by its natural key within the unit (an
article's slug, a schedule's week, a document's number, a question's title and time asked, a
page's key and language), and one the unit has already is skipped, so a second run adds nothing.
"""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.common.errors import Conflict, InvalidInput
from services.content.access import Actor
from services.content.history.schemas import item_error, parse_import
from services.content.remembered import remembering
from services.content.versioning import New


class History:
    def __init__(self, content):
        self.content = content
        # Each kind of item is stored by its own area, with that area's rules.
        self.areas = {"article": content.articles, "schedule": content.schedules, "document": content.documents,
                      "question": content.questions, "page": content.pages}

    def import_items(self, actor: Actor, unit: str, data) -> dict:
        """{"imported": n, "skipped": m}; platform admins only."""
        actor.require("platform.admin")
        with remembering():  # the unit, a category, a cover: each read once, not once an item
            self.content.units.require_active(unit)
            return self._import(actor, unit, parse_import(data))

    def _import(self, actor: Actor, unit: str, parsed: list) -> dict:
        def work(session):
            planned: dict[str, list[New]] = {kind: [] for kind in self.areas}
            for index, item in enumerate(parsed):
                try:
                    planned[item.kind].append(self.areas[item.kind].from_past(actor, unit, item))
                except InvalidInput as error:
                    raise item_error(index, error) from None
            # Each kind written at once, in its area's collection, with its revisions, audit and events.
            return sum(area.versions.insert_new(actor.username, planned[kind], "import", announce=area.event_for)
                       for kind, area in self.areas.items())

        try:
            imported = self.content.db.transaction(work)
        except DuplicateKeyError:
            raise Conflict("Some of these items were imported meanwhile; nothing was written, run the import "
                           "again to add the rest") from None
        return {"imported": imported, "skipped": len(parsed) - imported}
