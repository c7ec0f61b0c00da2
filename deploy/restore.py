"""Restore the platform's databases from an archive of `deploy.backup`, then rebuild what is
derived from content (deploy/BACKUP.md).

    python -m deploy.restore ARCHIVE [--force] [--no-rebuild | --rebuild-only] [--wait SECONDS]

1. The archive is unpacked and checked whole first (every file's SHA-256 and document count
   against the manifest): a damaged or cut-short archive stops here, with nothing written.
2. Each database (CONTENT_DB, RANKING_DB, NOTIFY_DB at MONGO_URI) must be empty, unless --force
   (which replaces it). Each is written under a staging name (`<name>__restoring`), its indexes
   made and its counts checked, and only then are its collections renamed into place.
3. Once content, search and ranking answer (start them after step 2; the command waits up to
   --wait seconds), search's index is rebuilt from content's replay, the ranking's facts are
   caught up from it, and search's best bets are pinned again.
"""
from __future__ import annotations

import argparse
import sys
import tarfile
import tempfile
import time
import zlib
from datetime import datetime
from pathlib import Path

from bson.errors import InvalidBSON
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from deploy import archive
from deploy.archive import ArchiveError, quiet_eventlet
from services.common.config import Settings

STAGING_SUFFIX = "__restoring"
INSERT_BATCH = 500
WAIT_SECONDS = 600
POLL_SECONDS = 1.0
RPC_TIMEOUT = 600  # search's check replays everything


class RestoreError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.restore", description=__doc__.splitlines()[0])
    parser.add_argument("archive", help="a portal-backup-….tar.gz")
    parser.add_argument("--force", action="store_true", help="replace databases that already hold data")
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument("--no-rebuild", action="store_true", help="restore the databases only")
    steps.add_argument("--rebuild-only", action="store_true",
                       help="only rebuild search and the ranking's facts, and pin the archive's best bets")
    parser.add_argument("--wait", type=float, default=WAIT_SECONDS,
                        help=f"seconds to wait for the services, then for the rebuilds (default {WAIT_SECONDS})")
    arguments = parser.parse_args(argv)
    quiet_eventlet()
    settings = Settings.from_env()
    try:
        with tempfile.TemporaryDirectory(prefix="portal-restore-") as unpacked:
            manifest = unpack(Path(arguments.archive), Path(unpacked))
            if not arguments.rebuild_only:
                restore_databases(settings, manifest, Path(unpacked), arguments.force)
        if not arguments.no_rebuild:
            rebuild(settings, manifest, arguments.wait)
    except (ArchiveError, RestoreError) as error:
        print(f"restore: {error}", file=sys.stderr)
        return 2
    except (PyMongoError, ValueError) as error:  # ValueError: a MONGO_URI pymongo cannot read
        print(f"restore: {archive.mongodb_trouble(settings.MONGO_URI, error)}", file=sys.stderr)
        return 2
    return 0


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# 1. The archive, checked whole

def unpack(path: Path, into: Path) -> dict:
    """Unpack the archive into `into` and check every file against the manifest; the manifest."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no such file")
    try:
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, no '..', no links out
            # To the gzip stream's end: its trailer's checksum and length, which a copy cut
            # short by a few bytes lacks though every file in it is whole.
            while tar.fileobj.read(1 << 20):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise ArchiveError(f"{path} is not a whole .tar.gz archive (damaged or cut short): {error}") from None
    manifest_path = into / archive.MANIFEST
    if not manifest_path.is_file():
        raise ArchiveError(f"{path} has no {archive.MANIFEST}: not an archive of deploy.backup")
    try:
        manifest = archive.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ArchiveError(f"{path}: {archive.MANIFEST} is damaged: {error}") from None
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if found != archive.FORMAT:
        raise ArchiveError(f"{path}: archive format {found!r} is not {archive.FORMAT}, the one this version reads")
    try:
        for key in archive.DATABASES:
            for name, entry in manifest["databases"][key]["collections"].items():
                _check_file(path, into, f"{key}.{name}", entry)
    except (KeyError, TypeError, AttributeError) as error:
        raise ArchiveError(f"{path}: {archive.MANIFEST} is incomplete ({type(error).__name__}: {error})") from None
    return manifest


def _check_file(path: Path, into: Path, label: str, entry: dict) -> None:
    file = into / entry["file"]
    if not file.resolve().is_relative_to(into.resolve()):
        raise ArchiveError(f"{path}: {entry['file']} ({label}) is outside the archive")
    if not file.is_file():
        raise ArchiveError(f"{path}: {entry['file']} ({label}) is missing")
    if archive.sha256_of(file) != entry["sha256"]:
        raise ArchiveError(f"{path}: {entry['file']} ({label}) is damaged: its SHA-256 is not the manifest's")
    try:
        count = sum(1 for _ in archive.read_documents(file))
    except InvalidBSON as error:
        raise ArchiveError(f"{path}: {entry['file']} ({label}) is not BSON: {error}") from None
    if count != entry["count"]:
        raise ArchiveError(f"{path}: {entry['file']} ({label}) holds {count} documents, the manifest says "
                           f"{entry['count']}")


# 2. The databases, through staging names

def restore_databases(settings: Settings, manifest: dict, unpacked: Path, force: bool) -> None:
    client = MongoClient(settings.MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=10_000)
    try:
        targets = {key: client[getattr(settings, setting)] for key, setting in archive.DATABASES.items()}
        holding = {database.name: names for database in targets.values() if (names := _holding_data(database))}
        if holding and not force:
            listed = "; ".join(f"{name} ({', '.join(names[:5])}{' …' if len(names) > 5 else ''})"
                               for name, names in holding.items())
            raise RestoreError(f"the target databases must be empty, and these hold data: {listed}. Restore "
                               f"into new servers (or other CONTENT_DB/RANKING_DB/NOTIFY_DB), or pass --force "
                               f"to replace them")
        started = time.monotonic()
        for key, target in targets.items():
            staging = client[target.name + STAGING_SUFFIX]
            client.drop_database(staging)  # what an interrupted restore left
            _fill(staging, manifest["databases"][key]["collections"], unpacked)
            say(f"{key}: {target.name} written under {staging.name}")
        for target in targets.values():
            if force:
                client.drop_database(target)
            staging = client[target.name + STAGING_SUFFIX]
            for name in staging.list_collection_names():
                client.admin.command("renameCollection", f"{staging.name}.{name}", to=f"{target.name}.{name}",
                                     dropTarget=force)
            client.drop_database(staging)
        say(f"databases restored in {time.monotonic() - started:.1f} s")
    finally:
        client.close()


def _holding_data(database) -> list[str]:
    """The collections of `database` holding documents (indexes alone are not data)."""
    return [name for name in sorted(database.list_collection_names())
            if not name.startswith("system.") and database[name].find_one({}, {"_id": 1}) is not None]


def _fill(database, collections: dict, unpacked: Path) -> None:
    for name, entry in collections.items():
        collection = database.get_collection(name, codec_options=archive.RAW)
        database.create_collection(name)  # an empty collection is restored too
        batch = []
        for document in archive.read_documents(unpacked / entry["file"]):
            batch.append(document)
            if len(batch) == INSERT_BATCH:
                collection.insert_many(batch, ordered=True)
                batch = []
        if batch:
            collection.insert_many(batch, ordered=True)
        indexes = [index for index in entry["indexes"] if index["name"] != "_id_"]
        if indexes:
            database.command("createIndexes", name, indexes=indexes)
        count = collection.count_documents({})
        if count != entry["count"]:
            raise RestoreError(f"{database.name}.{name} holds {count} documents after writing {entry['count']}: "
                               f"the restore stopped before anything was put in place")


# 3. What is derived from content

def rebuild(settings: Settings, manifest: dict, wait: float = WAIT_SECONDS) -> None:
    """Rebuild search's index and catch the ranking's facts up from content's replay; pin the
    archive's best bets again."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common.actors import ActorAssertions

    config = settings.as_nameko_config()
    assertions = ActorAssertions(settings.ACTOR_SECRET)

    def actor() -> str:  # signed afresh for each call: an assertion lasts two minutes
        return assertions.sign(settings.PLATFORM_ADMIN_USER)

    _wait_for_services(settings.AMQP_URI, ("content", "search", "ranking"), wait)
    with ClusterRpcProxy(config, timeout=RPC_TIMEOUT) as services:
        started = time.monotonic()
        services.search.reindex()
        services.ranking.rebuild(actor())
        statuses = {"search": services.search.reindex_status,
                    "ranking": lambda: services.ranking.rebuild_status(actor())}
        deadline = time.monotonic() + wait
        for service, status_of in statuses.items():
            while (status := status_of())["state"] == "running":
                if time.monotonic() > deadline:
                    raise RestoreError(f"{service}'s rebuild is still running after {wait:.0f} s: {status}")
                time.sleep(POLL_SECONDS)
            if status["state"] != "done" or status.get("errors") or status.get("error"):
                raise RestoreError(f"{service}'s rebuild did not finish cleanly: {status}")
            took = datetime.fromisoformat(status["finished_at"]) - datetime.fromisoformat(status["started_at"])
            say(f"{service} rebuilt from content's replay in {took.total_seconds():.1f} s: {status['kinds']}")
        for bet in manifest.get("best_bets") or []:
            services.search.pin_best_bet(actor(), bet["query"], bet["type"], bet["id"])
        if manifest.get("best_bets") is None:
            say("warning: the archive holds no best bets (search did not answer at backup time)")
        check = services.search.check()
        if not check["equal"]:
            raise RestoreError(f"search's index differs from content after the rebuild: {check['differences']}")
        say(f"rebuilt in {time.monotonic() - started:.1f} s: {check['index']} items searchable, "
            f"{len(manifest.get('best_bets') or [])} best bets pinned")


def _wait_for_services(amqp_uri: str, names: tuple, wait: float) -> None:
    """Until each service consumes its RPC queue: a request sent before would wait unanswered."""
    from kombu import Connection

    def consumers(name: str) -> int:
        try:
            with Connection(amqp_uri) as connection:
                return connection.default_channel.queue_declare(f"rpc-{name}", passive=True)[2]
        except Exception:  # the queue does not exist until the service first starts
            return 0

    deadline = time.monotonic() + wait
    waiting = [name for name in names if not consumers(name)]
    if waiting:
        say(f"waiting up to {wait:.0f} s for {', '.join(waiting)} to start")
    while waiting:
        if time.monotonic() > deadline:
            raise RestoreError(f"{', '.join(waiting)} did not start within {wait:.0f} s: start the services, "
                               f"then run this again with --rebuild-only")
        time.sleep(POLL_SECONDS)
        waiting = [name for name in waiting if not consumers(name)]


if __name__ == "__main__":
    sys.exit(main())
