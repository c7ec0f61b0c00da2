"""Notify's own copy of the units it heard of in `unit_updated` events: the tree an item's
unit is under (whose subscribers with the units under them follow it) and each unit's
branding for its emails, without asking the content service for every published item.

A unit created before notify started has not been heard of: the service asks content for it
and keeps the answer (NotifyService._unit), so a missing copy never gives a wrong answer.
An older version never overwrites a newer: replays and late events change nothing.
"""
from __future__ import annotations

import re

from pymongo.errors import DuplicateKeyError

from services.common.events import UnitUpdated

KEPT_FIELDS = ("slug", "name", "parent", "status", "successor", "branding")
# Checked again here although content refuses anything else: the colour goes into a style
# attribute, and a copy from any source must not put more than a colour there.
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class UnitTree:
    def __init__(self, database):
        self.units = database["units"]  # read by _id (the unit's slug) only

    def heard(self, event: UnitUpdated) -> bool:
        """Keep the event's unit; False if this version or a newer one is kept already."""
        return self.keep(event.unit.model_dump(mode="json"), event.version)

    def keep(self, unit: dict, version: int) -> bool:
        """Keep `unit` (as content's get_unit answers it, or an event's snapshot) at `version`,
        unless an equal or newer version is kept already. Conditional on the kept version: of two
        workers writing two versions at once, the older one's write matches nothing (or collides
        with the newer one's insert)."""
        fields = {field: unit.get(field) for field in KEPT_FIELDS}
        try:
            result = self.units.update_one({"_id": unit["slug"], "version": {"$lt": version}},
                                           {"$set": {**fields, "version": version}}, upsert=True)
        except DuplicateKeyError:
            return False
        return result.modified_count == 1 or result.upserted_id is not None

    def get(self, slug: str) -> dict | None:
        """The kept copy of the unit `slug`, None if it was never heard of."""
        return self.units.find_one({"_id": slug})


def branding_of(unit: dict) -> dict:
    """What a unit's emails show of its branding: its banner text ("" for the portal's masthead
    with the unit's name) and its accent colour (None for the portal's own, from email.css)."""
    branding = unit.get("branding") or {}
    colour = branding.get("accent_colour")
    return {"banner_text": branding.get("banner_text") or "",
            "accent_colour": colour.lower() if isinstance(colour, str) and COLOUR.fullmatch(colour) else None}
