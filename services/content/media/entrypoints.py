from services.common.rpc import rpc
from services.content.media.schemas import MediaListing
from services.content.outcomes import once_per_request
from services.content.validation import validate


class MediaEntrypoints:
    @rpc
    @once_per_request
    def upload_media(self, actor, unit, filename, data_base64, declared_type=None, alt="", caption=""):
        """`data_base64`: the file's bytes; `declared_type` is kept but decides nothing (see store.py)."""
        return self.content.media_library.upload(self.actor(actor), unit, filename, data_base64, declared_type,
                                                 alt, caption)

    @rpc
    def get_media(self, media_id):
        return self.content.media.get(media_id)

    @rpc
    def open_media(self, media_id, rendition=None, actor=None):
        return self.content.media_library.open(media_id, rendition, None if actor is None else self.actor(actor))

    @rpc
    def list_media(self, actor, unit, limit=50, skip=0):
        """A unit's media, newest first, for its staff: `limit` of them after `skip`."""
        page = validate(MediaListing, {"limit": limit, "skip": skip})
        return self.content.media_library.list(self.actor(actor), unit, page)

    @rpc
    @once_per_request
    def delete_media(self, actor, media_id):
        return self.content.media_library.delete(self.actor(actor), media_id)
