"""Back up every database of the platform into one dated archive (deploy/BACKUP.md).

    python -m deploy.backup [--to DIR] [--consistency snapshot|collection]

Reads the databases named by CONTENT_DB, RANKING_DB and NOTIFY_DB at MONGO_URI (content's
GridFS media included: its bucket is two collections) and writes
DIR/portal-backup-<UTC time>.tar.gz (layout: deploy/archive.py). The archive appears under its
name only once complete. Search's best bets, which live only in its index, are asked of the
search service and kept in the manifest; the index itself is rebuilt on restore.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tarfile
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pymongo
from pymongo import MongoClient
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.read_preferences import ReadPreference

from deploy import archive
from deploy.archive import quiet_eventlet
from services.common.config import Settings

SNAPSHOT, COLLECTION = "snapshot", "collection"
CONSISTENCY = {
    SNAPSHOT: "every database read at one point in time (one transaction with read concern 'snapshot')",
    COLLECTION: "each collection read at its own point in time, the ranking's and notify's before content's, "
                "so nothing derived from content is newer than content",
}
# Derived data first: in `collection` mode it may be older than content, never newer (restore
# catches the ranking's facts up from content's replay).
ORDER = ("ranking", "notify", "content")
BEST_BETS_WAIT = 15  # seconds to wait for the search service's answer


class BackupError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.backup", description=__doc__.splitlines()[0])
    parser.add_argument("--to", default="backups", help="directory for the archive (made if missing; default: backups)")
    parser.add_argument("--consistency", choices=list(CONSISTENCY), default=SNAPSHOT,
                        help="snapshot (default): one point in time, within MongoDB's transaction lifetime; "
                             "collection: for data too large to read in one transaction")
    arguments = parser.parse_args(argv)
    quiet_eventlet()
    settings = Settings.from_env()
    try:
        path = backup(settings, Path(arguments.to), arguments.consistency)
    except (BackupError, OSError) as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    except (PyMongoError, ValueError) as error:  # ValueError: a MONGO_URI pymongo cannot read
        print(f"backup failed: {archive.mongodb_trouble(settings.MONGO_URI, error)}", file=sys.stderr)
        return 1
    print(path)
    return 0


def backup(settings: Settings, directory: Path, consistency: str = SNAPSHOT, log=None) -> Path:
    """Write the archive into `directory`; its path."""
    log = log or (lambda text: print(text, file=sys.stderr))
    directory.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(timezone.utc)
    name = f"portal-backup-{moment:%Y-%m-%dT%H%M%SZ}.tar.gz"
    client = MongoClient(settings.MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=10_000)
    # Unpacked beside the archive's place, so the finished archive is renamed, never copied.
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=directory))
    try:
        plan = {key: _collections(client[getattr(settings, archive.DATABASES[key])]) for key in ORDER}
        databases = _read(client, plan, work, consistency)
        for key in ORDER:
            counts = databases[key]["collections"]
            log(f"{key}: {databases[key]['name']}, {len(counts)} collections, "
                f"{sum(c['count'] for c in counts.values())} documents")
        manifest = {
            "format": archive.FORMAT, "created_at": moment,
            "consistency": {"mode": consistency, "meaning": CONSISTENCY[consistency]},
            "versions": _versions(client),
            "databases": {key: databases[key] for key in archive.DATABASES},
            "skipped": archive.SKIPPED, "rebuilt": archive.REBUILT,
            "best_bets": _best_bets(settings, log),
        }
        (work / archive.MANIFEST).write_text(archive.dumps(manifest), encoding="utf-8")
        partial = directory / f".{name}.partial"
        # Subscribers' addresses and staff accounts: readable by the operator's account only.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file, \
                tarfile.open(fileobj=file, mode="w:gz") as tar:
            for path in sorted(work.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(work).as_posix())
        os.replace(partial, directory / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for leftover in directory.glob(f".{name}.partial"):
            leftover.unlink()
        client.close()
    return directory / name


def _collections(database) -> dict:
    """The database and {collection: its index specifications} (system collections aside)."""
    names = sorted(name for name in database.list_collection_names() if not name.startswith("system."))
    return {"database": database, "collections": {
        name: [_spec(index) for index in database[name].list_indexes()] for name in names}}


def _spec(index) -> dict:
    return {key: value for key, value in index.items() if key not in ("v", "ns")}


def _read(client: MongoClient, plan: dict, work: Path, consistency: str) -> dict:
    if consistency == COLLECTION:
        return _write_all(plan, work, session=None)
    try:
        with client.start_session() as session:
            with session.start_transaction(read_concern=ReadConcern("snapshot"),
                                           read_preference=ReadPreference.PRIMARY):
                written = _write_all(plan, work, session)
                session.abort_transaction()  # nothing was written: nothing to commit
                return written
    except PyMongoError as error:
        raise BackupError(f"the databases could not be read at one point in time ({error}); for data too "
                          f"large for one transaction, use --consistency collection") from None


def _write_all(plan: dict, work: Path, session) -> dict:
    databases = {}
    for key in ORDER:
        database = plan[key]["database"]
        skipped = archive.SKIPPED.get(key, {})
        collections = {}
        for name, indexes in plan[key]["collections"].items():
            if name in skipped:
                continue
            raw = database[name].with_options(codec_options=archive.RAW)
            file_name = archive.file_name(key, name)
            count, sha256 = archive.write_documents(work / file_name, raw.find({}, session=session))
            collections[name] = {"file": file_name, "count": count, "sha256": sha256, "indexes": indexes}
        databases[key] = {"name": database.name, "collections": collections}
    return databases


def _versions(client: MongoClient) -> dict:
    try:
        portal = metadata.version("portal-platform")
    except metadata.PackageNotFoundError:
        portal = "unknown"
    return {"portal": portal, "mongodb": client.server_info().get("version"), "pymongo": pymongo.version,
            "python": platform.python_version()}


def _best_bets(settings: Settings, log) -> list | None:
    """Search's best bets (they live only in its index), or None when search does not answer."""
    from nameko.standalone.rpc import ClusterRpcProxy

    try:
        with ClusterRpcProxy(settings.as_nameko_config(), timeout=BEST_BETS_WAIT) as services:
            return services.search.best_bets()
    except Exception as error:  # no broker, no search service, no answer: the data matters more
        log(f"warning: search's best bets not kept ({type(error).__name__}: {error}); the archive has "
            f"everything else")
        return None


if __name__ == "__main__":
    sys.exit(main())
