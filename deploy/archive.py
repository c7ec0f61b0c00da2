"""The backup archive's layout, shared by `deploy.backup` and `deploy.restore`.

    portal-backup-2026-12-07T013000Z.tar.gz
        manifest.json               what is inside (below)
        content/articles.bson       each collection's documents, BSON one after another
        content/media.files.bson    GridFS: the media bucket is two ordinary collections
        ranking/months.bson …

The manifest (MongoDB's relaxed extended JSON: plain numbers, dates as {"$date": …}) holds the
format, the time, the versions that made it, how consistent the copy is, what was left out and
why, search's best bets, and per database ("content", "ranking", "notify": the service that owns
it) its name when backed up and per collection its file, document count, SHA-256 and index
specifications.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import bson
from bson import json_util
from bson.raw_bson import RawBSONDocument

FORMAT = 1
MANIFEST = "manifest.json"
# The database each service owns, by the setting that names it.
DATABASES = {"content": "CONTENT_DB", "ranking": "RANKING_DB", "notify": "NOTIFY_DB"}
# Collections left out on purpose, with the reason written into every manifest.
SKIPPED = {
    "content": {
        "conformance_facts": "the conformance report's saved facts, read from the rest of content: a unit "
                             "without them is worked out afresh, so a restore never trusts facts older "
                             "or newer than the collections restored beside them",
    },
    "ranking": {
        "salts": "visitor salts are deleted after two days so that nobody can be followed: an archive kept "
                 "for months must not keep them",
        "visit_markers": "hashes of who was counted today, useless without the salts (deleted after two days)",
        "visit_presence": "who is online in the last five minutes",
    },
}
REBUILT = {"search index": "from content's replay (search's reindex)",
           "ranking facts": "caught up from content's replay (ranking's rebuild) after the restore"}
RAW = bson.CodecOptions(document_class=RawBSONDocument)
JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.RELAXED, tz_aware=True,
                                     tzinfo=json_util.utc)


class ArchiveError(Exception):
    """The archive cannot be used: missing, not ours, damaged or cut short."""


def file_name(database: str, collection: str) -> str:
    return f"{database}/{collection}.bson"


def write_documents(path: Path, documents: Iterable[RawBSONDocument]) -> tuple[int, str]:
    """Write `documents` (read as RAW) to `path`; (count, SHA-256 of the file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, count = hashlib.sha256(), 0
    with path.open("wb") as out:
        for document in documents:
            data = document.raw  # exactly as the server holds it: no int64 read back as int32
            out.write(data)
            digest.update(data)
            count += 1
    return count, digest.hexdigest()


def read_documents(path: Path) -> Iterator[RawBSONDocument]:
    """The documents of a file written by write_documents, one at a time (media chunks are large),
    as their bytes: written back, they are byte for byte what was read."""
    with path.open("rb") as source:
        yield from bson.decode_file_iter(source, RAW)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dumps(manifest: dict) -> str:
    return json_util.dumps(manifest, json_options=JSON_OPTIONS, indent=1)


def loads(text: str) -> dict:
    return json_util.loads(text, json_options=JSON_OPTIONS)


def without_password(uri: str) -> str:
    """A server address fit for a message or a log: any password in it replaced by '***'."""
    return re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:***@", uri)


def mongodb_trouble(uri: str, error: Exception) -> str:
    """What went wrong with MongoDB, for the operator: the server named, never its password."""
    return f"MongoDB at {without_password(uri)}: {without_password(str(error))}"


def quiet_eventlet() -> None:
    """The RPC client (nameko) imports eventlet, which warns of its own deprecation on every run:
    noise in an operator's command output."""
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
