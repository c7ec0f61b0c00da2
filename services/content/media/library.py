"""A unit's media as its staff and its readers may use them: the staff (whoever may upload in
the unit) upload, list and delete files and open an image's original; anyone opens a document
or an image's renditions. The files themselves are the store's (store.py).

Uploads travel over RPC as base64: nameko's JSON serialiser carries no raw bytes."""
from __future__ import annotations

import base64
import binascii

from services.common.errors import Forbidden, InvalidInput
from services.content.access import Actor
from services.content.media.schemas import MediaListing

STAFF = "media.upload"


class MediaLibrary:
    def __init__(self, content):
        self.store = content.media
        self.units = content.units

    def upload(self, actor: Actor, unit: str, filename: str, data_base64: str, declared_type: str | None,
               alt: str, caption: str) -> dict:
        actor.require(STAFF, unit)
        self.units.require_active(unit)
        try:
            data = base64.b64decode(data_base64 or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise InvalidInput("The file must be sent as base64", {"file": "not base64"}) from None
        return self.store.upload(unit, filename, data, declared_type, actor.username, alt=alt, caption=caption)

    def list(self, actor: Actor, unit: str, page: MediaListing) -> list[dict]:
        actor.require(STAFF, unit)
        self.units.require(unit)
        return self.store.list(unit, page.limit, page.skip)

    def delete(self, actor: Actor, media_id: str) -> dict:
        actor.require(STAFF, self.store.get(media_id)["unit"])
        self.store.delete(media_id)
        return {"id": media_id, "deleted": True}

    def open(self, media_id: str, rendition: str | None, actor: Actor | None) -> dict:
        """The bytes of a rendition, or of a document, in base64 with their description. An
        image's original (which may still carry its camera's location) goes only to the staff."""
        meta = self.store.get(media_id)
        if rendition is None and meta["kind"] == "image":
            if actor is None:
                raise Forbidden("The original of an image is for the unit's staff; ask for a rendition")
            actor.require(STAFF, meta["unit"])
        meta, data = self.store.open(media_id, rendition)
        return {**meta, "data_base64": base64.b64encode(data).decode("ascii")}
