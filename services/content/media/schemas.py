"""Media as the API documents it (see services/content/contract.py). Uploads arrive as a file
and two texts, not as a JSON body: the store checks them (store.py), so there is no input model."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.common.schemas import Output
from services.content.validation import Page, limit_field

# The most media one call lists: a page of the editor's picker, or a demo's whole library.
MAX_LIST_LIMIT = 200


class MediaListing(Page):
    limit: int = limit_field(50, MAX_LIST_LIMIT)


class MediaRendition(Output):
    width: int
    height: int
    content_type: str
    size: int = Field(description="bytes")


class Media(Output):
    id: str
    unit: str
    filename: str
    content_type: str = Field(description="read from the file's bytes, whatever the uploader declared")
    size: int = Field(description="bytes")
    kind: Literal["image", "document"]
    width: int | None = Field(description="an image's, in pixels; null for a document")
    height: int | None
    alt: str = Field(description="an image's text alternative")
    caption: str
    renditions: dict[str, MediaRendition] = Field(
        description="an image's smaller copies by width (320, 640, 1280), each at /tep/{id}/{width}")
    uploaded_by: str
    uploaded_at: str


API_INPUTS: tuple = ()
API_OUTPUTS = (Media,)
