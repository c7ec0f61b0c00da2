"""`python -m deploy.backup` and `python -m deploy.restore` as an operator runs them, on what
deploy/BACKUP.md promises and on inputs nobody means to give them: a place backup cannot write,
archives that are empty, cut short, foreign, tampered with or hostile, a target that holds data,
the same archive restored twice, and values whose BSON type must survive byte for byte."""
from __future__ import annotations

import dataclasses
import datetime
import gzip
import io
import re
import subprocess
import sys
import tarfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bson import Decimal128, Int64, ObjectId, Timestamp
from bson.raw_bson import RawBSONDocument
from nameko.containers import ServiceContainer
from pymongo import MongoClient

from services.common.config import Settings
from services.content.service import ContentService
from services.search.service import SearchService
from tests.servers import project_root, subprocess_env

DATABASES = ("CONTENT_DB", "RANKING_DB", "NOTIFY_DB")
ODD_VALUES = [
    {"_id": "int64", "value": Int64(7)},
    {"_id": "int32", "value": 7},
    {"_id": "double", "value": 7.0},
    {"_id": "decimal", "value": Decimal128("0.1")},
    {"_id": "date-ms", "value": datetime.datetime(2026, 12, 7, 1, 30, 0, 123000)},
    {"_id": "date-old", "value": datetime.datetime(1900, 1, 1)},
    {"_id": "timestamp", "value": Timestamp(1_700_000_000, 3)},
    {"_id": "binary", "value": b"\x00\xff\x00"},
    {"_id": "unicode", "value": "Thừa Thiên Huế \u0000 đ 🏯", "khóa có dấu": {"$ý": [None, True, {}]}},
    {"_id": ObjectId(), "nested": [[[[{"a": [1, 2.5, Int64(2**62)]}]]]]},
]


@pytest.fixture(scope="module")
def source(vhost_pipeline, request, mongo_server, tmp_path_factory):
    """A platform's databases with content's own data and odd values in every database, search
    answering for its best bets, and one archive `python -m deploy.backup` made of them."""
    uri = request.config.getoption("RABBIT_AMQP_URI").rstrip("/")
    tag = uuid.uuid4().hex[:10]
    with vhost_pipeline.get() as vhost:
        settings = Settings(AMQP_URI=f"{uri}/{vhost}", MONGO_URI=mongo_server.uri, CONTENT_DB=f"content_{tag}",
                            RANKING_DB=f"ranking_{tag}", NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"articles-{tag}",
                            SEARCH_INDEX_DIR=str(tmp_path_factory.mktemp("search-index")))
        config = settings.as_nameko_config()
        containers = [ServiceContainer(service, config) for service in (ContentService, SearchService)]
        for container in containers:
            container.start()
        client = MongoClient(mongo_server.uri)
        try:
            for name in DATABASES:
                client[getattr(settings, name)]["odd_values"].insert_many([dict(document) for document in ODD_VALUES])
            directory = tmp_path_factory.mktemp("backups")
            made = run("deploy.backup", settings, "--to", str(directory))
            assert made.returncode == 0, made.stderr
            archive = Path(made.stdout.strip())
            assert archive.parent == directory and re.fullmatch(
                r"portal-backup-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", archive.name), made.stdout
            assert list(directory.iterdir()) == [archive], "nothing partial is left beside the archive"
            yield settings, archive, client
        finally:
            for container in containers:
                container.stop()
            client.close()


def run(command: str, settings: Settings, *arguments: str, **environment) -> subprocess.CompletedProcess:
    env = subprocess_env(**{name: getattr(settings, name) for name in
                            ("AMQP_URI", "MONGO_URI", "SEARCH_INDEX", "SEARCH_INDEX_DIR") + DATABASES}, **environment)
    return subprocess.run([sys.executable, "-m", command, *arguments], cwd=project_root(), env=env,
                          capture_output=True, text=True, timeout=120)


def elsewhere(settings: Settings) -> Settings:
    """The same platform's settings with databases of new names, empty until restored into."""
    tag = uuid.uuid4().hex[:10]
    return Settings(AMQP_URI=settings.AMQP_URI, MONGO_URI=settings.MONGO_URI, CONTENT_DB=f"content_{tag}",
                    RANKING_DB=f"ranking_{tag}", NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=settings.SEARCH_INDEX,
                    SEARCH_INDEX_DIR=settings.SEARCH_INDEX_DIR)


def raw_collections(client: MongoClient, database: str) -> dict[str, list[bytes]]:
    """Every collection's documents as the server holds them, in _id order."""
    db = client.get_database(database, codec_options=client.codec_options.with_options(document_class=RawBSONDocument))
    return {name: sorted(document.raw for document in db[name].find())
            for name in db.list_collection_names() if not name.startswith("system.")}


def index_specs(client: MongoClient, database: str) -> dict[str, list]:
    db = client[database]
    return {name: sorted((spec["name"], sorted(spec["key"].items()), spec.get("unique", False))
                         for spec in db[name].list_indexes()) for name in db.list_collection_names()}


def assert_failed_cleanly(result: subprocess.CompletedProcess, status: int | None = None):
    if status is None:
        assert result.returncode != 0, result
    else:
        assert result.returncode == status, (result.returncode, result.stderr)
    assert result.stderr.strip(), "a failure says why"
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


def assert_nothing_written(client: MongoClient, settings: Settings):
    names = set(client.list_database_names())
    for name in DATABASES:
        database = getattr(settings, name)
        assert database not in names and f"{database}__restoring" not in names, sorted(names)


# Backup ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["a-file", "under-a-file", "proc"])
def test_backup_where_it_cannot_write_fails_with_a_message_and_status_1(source, tmp_path, where):
    settings, _, _ = source
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("an operator's file")
    target = {"a-file": blocker, "under-a-file": blocker / "backups", "proc": Path("/proc/portal-backups")}[where]
    result = run("deploy.backup", settings, "--to", str(target))
    assert_failed_cleanly(result, 1)
    assert result.stderr.lstrip().startswith("backup failed:") or "backup failed:" in result.stderr, result.stderr
    assert result.stdout.strip() == ""
    assert blocker.read_text() == "an operator's file"
    assert [path.name for path in tmp_path.iterdir()] == ["not-a-directory"]


def test_two_backups_at_once_into_one_directory_leave_only_whole_archives(source, tmp_path):
    """Cron's backup and an operator's at the same second: each archive under its real name is
    whole (every member as its manifest says), and nothing partial is left."""
    settings, _, _ = source
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: run("deploy.backup", settings, "--to", str(tmp_path)), range(2)))
    made = {Path(result.stdout.strip()) for result in results if result.returncode == 0}
    for result in results:
        if result.returncode != 0:
            assert_failed_cleanly(result, 1)
    assert made and all(path.parent == tmp_path for path in made), results
    assert sorted(tmp_path.iterdir()) == sorted(made), "only whole archives, under their real names"
    for path in made:  # restore checks every file against the manifest first
        restored = run("deploy.restore", elsewhere(settings), str(path), "--no-rebuild")
        assert restored.returncode == 0, restored.stderr


def test_a_mistyped_mongodb_uri_is_a_message_not_a_traceback(source, tmp_path):
    settings, archive, _ = source
    mistyped = dataclasses.replace(elsewhere(settings), MONGO_URI="mongodb://127.0.0.1:99999/")
    backup = run("deploy.backup", mistyped, "--to", str(tmp_path))
    assert_failed_cleanly(backup, 1)
    assert backup.stderr.startswith("backup failed:"), backup.stderr
    assert_failed_cleanly(run("deploy.restore", mistyped, str(archive), "--no-rebuild"))
    assert not list(tmp_path.iterdir())


# Restore: round trip, a target holding data, twice ----------------------------------------------

def test_a_restore_is_byte_for_byte_then_refuses_to_overwrite_unless_forced(source):
    settings, archive, client = source
    target = elsewhere(settings)
    restored = run("deploy.restore", target, str(archive), "--no-rebuild")
    assert restored.returncode == 0, restored.stderr
    for name in DATABASES:
        original, copy = getattr(settings, name), getattr(target, name)
        assert raw_collections(client, copy) == raw_collections(client, original), name
        assert index_specs(client, copy) == index_specs(client, original), name
    assert not [name for name in client.list_database_names() if name.endswith("__restoring")
                and name.startswith(tuple(getattr(target, db) for db in DATABASES))]

    # Restored once, the target holds data: a second restore without --force writes nothing.
    marker = {"_id": "written-after-the-restore"}
    client[target.CONTENT_DB]["odd_values"].insert_one(dict(marker))
    again = run("deploy.restore", target, str(archive), "--no-rebuild")
    assert_failed_cleanly(again)
    assert target.CONTENT_DB in again.stderr, again.stderr
    assert client[target.CONTENT_DB]["odd_values"].find_one(marker) == marker

    forced = run("deploy.restore", target, str(archive), "--no-rebuild", "--force")
    assert forced.returncode == 0, forced.stderr
    assert client[target.CONTENT_DB]["odd_values"].find_one(marker) is None
    assert raw_collections(client, target.CONTENT_DB) == raw_collections(client, settings.CONTENT_DB)


# Restore: archives that must stop it before anything is written ------------------------------------

def repacked(archive: Path, change) -> bytes:
    """The archive's members, passed through `change(name, data) -> data or None (left out)`, packed again."""
    output = io.BytesIO()
    with tarfile.open(archive) as source, tarfile.open(fileobj=output, mode="w:gz") as packed:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.isfile():
                data = change(member.name, data)
                if data is None:
                    continue
                member.size = len(data)
            packed.addfile(member, io.BytesIO(data) if data is not None else None)
    return output.getvalue()


def tampered(name: str, data: bytes) -> bytes:
    # Same length, still valid BSON: only the checksum can tell.
    if not name.endswith("content/odd_values.bson"):
        return data
    return data.replace("Thừa Thiên".encode(), "Thừa Thiêm".encode())


def foreign_tar() -> bytes:
    output = io.BytesIO()
    with tarfile.open(fileobj=output, mode="w:gz") as packed:
        data = b"not a portal backup\n"
        member = tarfile.TarInfo("hello.txt")
        member.size = len(data)
        packed.addfile(member, io.BytesIO(data))
    return output.getvalue()


DAMAGED = {
    "empty": lambda archive: b"",
    "cut-in-half": lambda archive: archive.read_bytes()[: archive.stat().st_size // 2],
    "last-bytes-missing": lambda archive: archive.read_bytes()[:-10],
    "random-bytes": lambda archive: uuid.uuid4().bytes * 100,
    "gzip-of-text": lambda archive: gzip.compress(b"hello"),
    "foreign-tar": lambda archive: foreign_tar(),
    "no-manifest": lambda archive: repacked(
        archive, lambda name, data: None if name.endswith("manifest.json") else data),
    "manifest-not-json": lambda archive: repacked(
        archive, lambda name, data: b"{not json" if name.endswith("manifest.json") else data),
    "collection-missing": lambda archive: repacked(
        archive, lambda name, data: None if name.endswith("content/odd_values.bson") else data),
    "collection-tampered": lambda archive: repacked(archive, tampered),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_or_foreign_archive_stops_with_status_2_and_writes_nothing(source, tmp_path, damage):
    settings, archive, client = source
    bad = tmp_path / f"portal-backup-{damage}.tar.gz"
    bad.write_bytes(DAMAGED[damage](archive))
    target = elsewhere(settings)
    result = run("deploy.restore", target, str(bad), "--no-rebuild")
    assert_failed_cleanly(result, 2)
    assert_nothing_written(client, target)
    if damage in ("collection-tampered", "collection-missing"):
        assert "odd_values" in result.stderr, result.stderr
    if damage == "collection-tampered":
        assert "SHA-256" in result.stderr, result.stderr


@pytest.mark.parametrize("arguments", [
    ["deploy.restore", "ARCHIVE", "--no-rebuild", "--rebuild-only"],
    ["deploy.restore", "ARCHIVE", "--wait", "soon"],
    ["deploy.restore"],
    ["deploy.backup", "--to", "TMP", "--consistency", "eventual"],
], ids=["both-halves", "wait-not-a-number", "no-archive", "unknown-consistency"])
def test_arguments_that_make_no_sense_are_refused_with_usage_and_write_nothing(source, tmp_path, arguments):
    settings, archive, client = source
    target = elsewhere(settings)
    named = {"ARCHIVE": str(archive), "TMP": str(tmp_path)}
    command, *rest = [named.get(argument, argument) for argument in arguments]
    result = run(command, target, *rest)
    assert_failed_cleanly(result, 2)
    assert "usage" in result.stderr.lower(), result.stderr
    assert_nothing_written(client, target)
    assert not list(tmp_path.iterdir())


def test_rebuild_with_no_service_to_answer_gives_up_after_its_wait_with_status_2(source, rabbit_config):
    """The databases restored, but no service runs on this broker: --rebuild-only waits its
    --wait and says what it waited for."""
    settings, archive, _ = source
    target = dataclasses.replace(elsewhere(settings), AMQP_URI=rabbit_config["AMQP_URI"])
    result = run("deploy.restore", target, str(archive), "--rebuild-only", "--wait", "2")
    assert_failed_cleanly(result, 2)
    assert re.search(r"content|search|ranking", result.stderr), result.stderr


def test_a_mongodb_that_refuses_the_login_is_named_without_the_password(source, tmp_path):
    settings, archive, _ = source
    password = f"pw{uuid.uuid4().hex}"
    address = settings.MONGO_URI.split("://", 1)[1]
    refused = dataclasses.replace(elsewhere(settings), MONGO_URI=f"mongodb://portal:{password}@{address}")
    results = {"backup": run("deploy.backup", refused, "--to", str(tmp_path)),
               "restore": run("deploy.restore", refused, str(archive), "--no-rebuild")}
    for name, result in results.items():
        assert_failed_cleanly(result, 1 if name == "backup" else None)
        assert "authentication" in result.stderr.lower(), result.stderr
    assert not [name for name, result in results.items() if password in result.stderr + result.stdout]


def test_a_missing_archive_is_named_in_the_message(source, tmp_path):
    settings, _, client = source
    target = elsewhere(settings)
    missing = tmp_path / "portal-backup-none.tar.gz"
    result = run("deploy.restore", target, str(missing), "--no-rebuild")
    assert_failed_cleanly(result)
    assert str(missing) in result.stderr or missing.name in result.stderr, result.stderr
    assert_nothing_written(client, target)


def test_an_archive_with_a_member_outside_itself_writes_nothing_outside_its_unpacking(source, tmp_path):
    """A hostile archive: the real backup plus members named ../../escaped-… and /tmp/escaped-…;
    restore unpacks into TMPDIR: it refuses the archive as foreign, and nothing lands outside."""
    settings, archive, client = source
    escaped = f"escaped-{uuid.uuid4().hex[:8]}"
    output = io.BytesIO()
    with tarfile.open(archive) as source_tar, tarfile.open(fileobj=output, mode="w:gz") as packed:
        for member in source_tar.getmembers():
            packed.addfile(member, source_tar.extractfile(member) if member.isfile() else None)
        for name in (f"../../{escaped}", f"/tmp/{escaped}"):
            member = tarfile.TarInfo(name)
            member.size = 4
            packed.addfile(member, io.BytesIO(b"evil"))
    bad = tmp_path / "portal-backup-hostile.tar.gz"
    bad.write_bytes(output.getvalue())
    unpack_into = tmp_path / "a" / "b" / "tmp"
    unpack_into.mkdir(parents=True)
    target = elsewhere(settings)
    result = run("deploy.restore", target, str(bad), "--no-rebuild", TMPDIR=str(unpack_into))
    assert_failed_cleanly(result, 2)
    assert not [path for path in tmp_path.rglob(escaped)], "a member escaped the unpacking directory"
    assert not Path("/tmp", escaped).exists()
    assert_nothing_written(client, target)
