from services.common.rpc import rpc
from services.content.outcomes import once_per_request


class HistoryEntrypoints:
    @rpc
    @once_per_request
    def import_history(self, actor, unit, data):
        """Bring an old site's archive onto `unit` (platform admins): `data` is {"items": [...]}, at
        most 200 items, each {"kind": "article" | "schedule" | "document" | "question" | "page", …} as
        in history/schemas.py (HistoryImport), published at its own past time. All or nothing; an item the unit has
        already is skipped. Returns {"imported": n, "skipped": m}; InvalidInput names the item
        (items.<index>.<field>)."""
        return self.announce(self.content.history.import_items(self.actor(actor), unit, data))
