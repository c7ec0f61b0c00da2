"""Uploads travel over RPC as base64: nameko's JSON serialiser carries no raw bytes."""
import base64
import binascii

from services.common.errors import Forbidden, InvalidInput
from services.common.rpc import rpc
from services.content.media.schemas import MediaListing
from services.content.outcomes import once_per_request
from services.content.validation import validate


class MediaEntrypoints:
    @rpc
    @once_per_request
    def upload_media(self, actor, unit, filename, data_base64, declared_type=None, alt="", caption=""):
        user = self.actor(actor)
        user.require("media.upload", unit)
        self.content.units.require_active(unit)
        try:
            data = base64.b64decode(data_base64 or "", validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise InvalidInput("The file must be sent as base64", {"file": "not base64"}) from None
        return self.content.media.upload(unit, filename, data, declared_type, user.username, alt=alt, caption=caption)

    @rpc
    def get_media(self, media_id):
        return self.content.media.get(media_id)

    @rpc
    def open_media(self, media_id, rendition=None, actor=None):
        """The bytes of a rendition, or of a document. An image's original (which may still
        carry its camera's location) goes only to the unit's staff."""
        meta = self.content.media.get(media_id)
        if rendition is None and meta["kind"] == "image":
            if actor is None:
                raise Forbidden("The original of an image is for the unit's staff; ask for a rendition")
            self.actor(actor).require("media.upload", meta["unit"])
        meta, data = self.content.media.open(media_id, rendition)
        return {**meta, "data_base64": base64.b64encode(data).decode("ascii")}

    @rpc
    def list_media(self, actor, unit, limit=50, skip=0):
        """A unit's media, newest first, for its staff: `limit` of them after `skip`."""
        page = validate(MediaListing, {"limit": limit, "skip": skip})
        self.actor(actor).require("media.upload", unit)
        self.content.units.require(unit)
        return self.content.media.list(unit, page.limit, page.skip)

    @rpc
    @once_per_request
    def delete_media(self, actor, media_id):
        meta = self.content.media.get(media_id)
        self.actor(actor).require("media.upload", meta["unit"])
        self.content.media.delete(media_id)
        return {"id": media_id, "deleted": True}
