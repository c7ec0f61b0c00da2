"""The content service's media: uploaded images and documents.

Each upload is checked completely before anything is written: its size, its real type (from
its bytes, see sniffing.py), that its extension agrees with that type, and for images that they
decode (see renditions.py). Then the original goes into the GridFS bucket `media`, images get
their renditions there too, and the description goes into the `media` collection last. That
description is what makes an upload exist, so a failure part-way only has to delete the GridFS
files already written, which it does before raising.
"""
from __future__ import annotations

import unicodedata
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import PurePosixPath

import gridfs
from gridfs.errors import NoFile
from pymongo import ASCENDING, DESCENDING

from services.common.errors import InvalidInput, NotFound
from services.common.limits import MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES
from services.content.database import iso, now
from services.content.media import renditions
from services.content.media.sniffing import FileType, sniff

MB = 1024 * 1024
RENDITION_WIDTHS = (320, 640, 1280)
MAX_FILENAME_LENGTH = 255
MAX_ALT_LENGTH = 300
MAX_CAPTION_LENGTH = 1000


def public_media(doc: dict) -> dict:
    return {
        "id": doc["_id"], "unit": doc["unit"], "filename": doc["filename"],
        "content_type": doc["content_type"], "size": doc["size"], "kind": doc["kind"],
        "width": doc["width"], "height": doc["height"], "alt": doc["alt"], "caption": doc["caption"],
        "renditions": {key: {field: rendition[field] for field in ("width", "height", "content_type", "size")}
                       for key, rendition in doc["renditions"].items()},
        "uploaded_by": doc["uploaded_by"], "uploaded_at": iso(doc["uploaded_at"]),
    }


class MediaStore:
    def __init__(self, db, max_image_bytes: int = MAX_IMAGE_BYTES, max_document_bytes: int = MAX_DOCUMENT_BYTES,
                 max_image_pixels: int = 40_000_000, rendition_widths: tuple[int, ...] = RENDITION_WIDTHS):
        self.db = db
        self.media = db["media"]
        self.files = gridfs.GridFSBucket(db.database, bucket_name="media")
        self.size_limits = {"image": max_image_bytes, "document": max_document_bytes}
        self.max_image_pixels = max_image_pixels
        self.rendition_widths = rendition_widths

    def ensure_indexes(self):
        self.media.create_index([("unit", ASCENDING), ("uploaded_at", DESCENDING)])
        # GridFS's own indexes, as its specification names them: made here, not by each upload (_GridIn).
        self.db["media.files"].create_index([("filename", ASCENDING), ("uploadDate", ASCENDING)])
        self.db["media.chunks"].create_index([("files_id", ASCENDING), ("n", ASCENDING)], unique=True)

    def upload(self, unit: str, filename: str, data: bytes, declared_type: str | None, uploaded_by: str,
               alt: str = "", caption: str = "") -> dict:
        """Check and store one upload; InvalidInput names the field that is wrong and why.

        `declared_type` is what the uploader's browser claimed. It is kept for the record but
        decides nothing: the type is read from the bytes.
        """
        filename = _clean_filename(filename)
        alt = _clean_text(alt, "alt", MAX_ALT_LENGTH)
        caption = _clean_text(caption, "caption", MAX_CAPTION_LENGTH)
        file_type = self._checked_type(filename, data)
        image = renditions.open_image(data, self.max_image_pixels) if file_type.kind == "image" else None
        doc = {
            "_id": uuid.uuid4().hex, "unit": unit, "filename": filename, "content_type": file_type.content_type,
            "declared_type": declared_type, "size": len(data), "kind": file_type.kind,
            "width": image.width if image else None, "height": image.height if image else None,
            "alt": alt, "caption": caption, "renditions": {}, "uploaded_by": uploaded_by,
            "uploaded_at": _now_in_milliseconds(),
        }
        with self._deleted_on_failure() as written:
            doc["file_id"] = written(self._put(doc["_id"], filename, data, file_type.content_type))
            if image is not None:
                doc["renditions"] = self._put_renditions(doc["_id"], filename, image, written)
            self.db.transaction(lambda session: self.media.insert_one(doc, session=session))
        return public_media(doc)

    def get(self, media_id: str) -> dict:
        return public_media(self._media(media_id))

    def open(self, media_id: str, rendition: str | None = None) -> tuple[dict, bytes]:
        """The bytes of the original or of one rendition, with a description of those bytes.

        The description is the media's, with filename, content_type, size, width and height of
        what is returned, and `rendition` naming it (None for the original), so a caller can
        serve any of them the same way.
        """
        doc = self._media(media_id)
        served = {"rendition": None}
        file_id = doc["file_id"]
        if rendition is not None:
            if rendition not in doc["renditions"]:
                raise NotFound(f"Media {media_id!r} has no rendition {rendition!r}")
            chosen = doc["renditions"][rendition]
            file_id = chosen["file_id"]
            served = {"rendition": rendition, "filename": _rendition_filename(doc["filename"], rendition),
                      **{field: chosen[field] for field in ("content_type", "size", "width", "height")}}
        with self.files.open_download_stream(file_id) as stream:
            data = stream.read()
        return {**public_media(doc), **served}, data

    def list(self, unit: str, limit: int = 50, skip: int = 0) -> list[dict]:
        """A unit's media, newest first: `limit` of them (from 1, as MediaListing has it) after `skip`."""
        cursor = (self.media.find({"unit": unit}).sort([("uploaded_at", DESCENDING), ("_id", DESCENDING)])
                  .skip(skip).limit(limit))
        return [public_media(doc) for doc in cursor]

    def delete(self, media_id: str) -> None:
        # The description goes first, the files once that has committed: a crash in between
        # leaves unreachable files, never a description of files that are gone.
        doc = self.db.transaction(lambda session: self.media.find_one_and_delete({"_id": media_id}, session=session))
        if doc is None:
            raise NotFound(f"No media {media_id!r}")
        for file_id in [doc["file_id"], *(rendition["file_id"] for rendition in doc["renditions"].values())]:
            self.db.after_commit(lambda file_id=file_id: self._delete_file(file_id))

    def exists_in_unit(self, media_id: str, unit: str) -> bool:
        return self.media.count_documents({"_id": media_id, "unit": unit}, limit=1) > 0

    # Internals

    def _checked_type(self, filename: str, data: bytes) -> FileType:
        if not data:
            raise InvalidInput("The file is empty", {"file": "empty"})
        file_type = sniff(data)
        limit = self.size_limits[file_type.kind]
        if len(data) > limit:
            raise InvalidInput(f"The file is {_size(len(data))}; {file_type.kind}s may be at most {_size(limit)}",
                               {"file": "too large"})
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        if extension not in file_type.extensions:
            named = f"has the extension .{extension}" if extension else "has no extension"
            expected = " or ".join(f".{option}" for option in file_type.extensions)
            raise InvalidInput(f"{filename!r} {named}, but its content is {file_type.label} ({expected})",
                               {"filename": "extension does not match the content"})
        return file_type

    @contextmanager
    def _deleted_on_failure(self):
        """Yields `written(file_id)` to note each GridFS file; deletes them all if the block fails."""
        file_ids = []

        def written(file_id):
            file_ids.append(file_id)
            return file_id

        try:
            yield written
        except BaseException:
            for file_id in file_ids:
                self._delete_file(file_id)
            raise

    def _put_renditions(self, media_id: str, filename: str, image, written) -> dict:
        stored = {}
        for key, rendition in renditions.renditions(image, self.rendition_widths):
            file_id = written(self._put(media_id, _rendition_filename(filename, key), rendition.data,
                                        rendition.content_type, key))
            stored[key] = {"width": rendition.width, "height": rendition.height,
                           "content_type": rendition.content_type, "size": len(rendition.data), "file_id": file_id}
        return stored

    def _put(self, media_id: str, filename: str, data: bytes, content_type: str, rendition: str | None = None):
        # The owning media id on every file lets an operator find files a crash left unreferenced.
        metadata = {"media_id": media_id, "rendition": rendition, "content_type": content_type}
        with _GridIn(self.db["media"], filename=filename, metadata=metadata) as stream:
            stream.write(data)
        return stream._id

    def _delete_file(self, file_id) -> None:
        try:
            self.files.delete(file_id)
        except NoFile:
            pass

    def _media(self, media_id: str) -> dict:
        doc = self.media.find_one({"_id": media_id})
        if doc is None:
            raise NotFound(f"No media {media_id!r}")
        return doc


class _GridIn(gridfs.GridIn):
    """A GridFS file written without the driver's check, before it writes, that each of the
    bucket's collections is empty so as to index it: ensure_indexes made the indexes at start,
    and the check (a find_one without a filter) reads every stored chunk on the MongoDB stand-in,
    so that each upload cost more than the one before."""

    def _ensure_indexes(self) -> None:
        pass


def _clean_filename(filename: str) -> str:
    # Some browsers send the client's path (C:\fakepath\...); only the name is kept. Vietnamese
    # names arrive decomposed from macOS, so they are composed to compare and display alike.
    name = unicodedata.normalize("NFC", PurePosixPath(filename.replace("\\", "/")).name.strip())
    if not name:
        raise InvalidInput("The file has no name", {"filename": "required"})
    if len(name) > MAX_FILENAME_LENGTH:
        raise InvalidInput(f"The file name is longer than {MAX_FILENAME_LENGTH} characters",
                           {"filename": "too long"})
    # Control and format characters hide the real extension ("photo\u202egpj.exe" shows as
    # "photoexe.jpg") or break the Content-Disposition header.
    if any(unicodedata.category(character).startswith("C") for character in name):
        raise InvalidInput("The file name contains invisible control characters",
                           {"filename": "invisible characters"})
    return name


def _clean_text(value: str, field: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"The {field} text is longer than {max_length} characters", {field: "too long"})
    return value


def _now_in_milliseconds() -> datetime:
    # BSON dates hold milliseconds; upload returns the time exactly as get will read it back.
    moment = now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _rendition_filename(filename: str, key: str) -> str:
    return f"{PurePosixPath(filename).stem}-{key}.{renditions.EXTENSION}"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"
