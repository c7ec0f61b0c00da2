"""Backup and restore (deploy/backup.py, deploy/restore.py): a platform of the four real services
and the gateway is populated, backed up, and restored into a new MongoDB stand-in server with a
new, empty search index; the services started on it serve the same pages, search answers,
frozen month, media file and subscriptions. A target that holds data is refused, and a damaged
or cut-short archive is refused before anything is written."""
import dataclasses
import re
import tarfile
import uuid
from contextlib import contextmanager

import pytest
from falcon import testing
from nameko.standalone.rpc import ClusterRpcProxy
from pymongo import MongoClient

from deploy import archive, backup, restore
from gateway.app import create_app, shut_down
from gateway.forms import CSRF_FIELD
from gateway.rpc import RpcPool
from services.common.actors import ActorAssertions
from services.common.events import utcnow
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.months import Month
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN, PORTAL_TOKEN, publish
from tests.gateway.test_api_media import photo, upload
from tests.servers import MongoServer, wait_for

SERVICES = (ContentService, SearchService, RankingService, NotifyService)
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
QUERY = "chuyen doi so"
ADDRESSES = [f"dan-{uuid.uuid4().hex[:8]}@example.vn" for _ in range(2)]  # the SMTP sink serves the whole session
# What a page holds for one request only: its form token (CSRF).
PER_REQUEST = re.compile(rf'(name="{CSRF_FIELD}" value=")[^"]*(")')


@pytest.fixture
def platform_settings(settings, monkeypatch):
    """The test's settings, also in the environment the commands read. Visits are counted through
    ranking's RPC rather than by the pages, whose counters would move with each view."""
    chosen = dataclasses.replace(settings, PLATFORM_ADMIN_TOKEN=PORTAL_TOKEN, RPC_TIMEOUT=10.0,
                                 GATEWAY_SECRET="test-gateway-secret", VISIT_COUNTING=False)
    use(chosen, monkeypatch)
    return chosen


def use(settings, monkeypatch):
    for name, value in settings.as_nameko_config().items():
        monkeypatch.setenv(name, str(value))


@contextmanager
def platform(runner_factory, settings):
    """The four services and the gateway over `settings`' servers."""
    config = settings.as_nameko_config()
    runner = runner_factory(config, *SERVICES)
    runner.start()
    pool = RpcPool(config, 2, settings.RPC_TIMEOUT)
    app = create_app(settings, pool)
    try:
        with ClusterRpcProxy(config, timeout=30) as services:
            yield testing.TestClient(app), services
    finally:
        shut_down(app)
        pool.close()
        runner.stop()


def populate(client, services, settings, smtp_server) -> dict:
    """Two units, two articles (one with a cover image), visits, a frozen past month, a best bet
    and two subscriptions; what the comparison needs to find them."""
    for order, level in enumerate(("tinh", "xa")):
        assert client.simulate_post("/api/levels", headers=PORTAL_ADMIN,
                                    json={"slug": level, "name": level.title(), "order": order}).status_code == 201
    for unit in ({"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"},
                 {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa", "parent": "thua-thien-hue"}):
        assert client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit).status_code == 201
    image = upload(client, PORTAL_ADMIN, ("file", "hoi-nghi.jpg", photo(), "image/jpeg"), ("alt", "Hội nghị"))
    assert image.status_code == 201, image.text
    first = publish(client, title="Phú Mậu đẩy mạnh chuyển đổi số", summary="Dịch vụ công trực tuyến.",
                    cover={"media_id": image.json["id"], "alt": "Hội nghị chuyển đổi số"})
    second = publish(client, title="Lịch tiếp công dân tháng này")
    wait_for(lambda: services.search.check()["equal"], message="search holding all content publishes")
    wait_for(lambda: services.ranking.unit_activity("phu-mau")["published_articles"] == 2,
             message="ranking told of both articles")

    services.ranking.record_visits([["phu-mau", "203.0.113.7", READER, 3], ["phu-mau", "203.0.113.8", READER, 1]])
    admin = ActorAssertions(settings.ACTOR_SECRET).sign(settings.PLATFORM_ADMIN_USER)
    month = str(Month.containing(utcnow()).back(1))
    services.ranking.freeze_month(admin, month, "Chốt tháng trước để thử sao lưu")
    services.search.pin_best_bet(admin, "lich tiep dan", "article", second["id"])
    for address in ADDRESSES:
        answer = client.simulate_post("/api/subscriptions", json={"email": address, "unit": "phu-mau"})
        assert answer.status_code == 202, answer.text
    # Settled before it is observed: each confirmation email sent.
    wait_for(lambda: all(smtp_server.messages_to(address) for address in ADDRESSES), message="confirmations sent")
    return {"article": first["path"], "media": image.json["id"], "month": month}


def observe(client, services, settings, found: dict) -> dict:
    """What citizens and operators see, and the documents that must come back byte for byte."""
    def page(path):
        response = client.simulate_get(path, headers={"User-Agent": READER})
        assert response.status_code == 200, (path, response.status_code)
        return PER_REQUEST.sub(r"\1…\2", response.text)

    database = MongoClient(settings.MONGO_URI)
    try:
        stored = {key: {name: [document.raw for document in
                               database[getattr(settings, archive.DATABASES[key])].get_collection(
                                   name, codec_options=archive.RAW).find().sort("_id", 1)]
                        for name in names}
                  for key, names in {"content": ("units", "articles", "media.files", "media.chunks"),
                                     "notify": ("subscriptions",),
                                     "ranking": ("visit_days", "visit_totals", "months", "month_units")}.items()}
    finally:
        database.close()
    return {
        "article page": page(found["article"]),
        "unit home": page("/phu-mau"),
        "search page": page(f"/tim-kiem?q={QUERY.replace(' ', '+')}"),
        "search answers": [services.search.search(query) for query in (QUERY, "lich tiep dan", "phu mau")],
        "frozen month": services.ranking.standings(found["month"]),
        "image": image(client, found["media"]),
        "stored": stored,
    }


def image(client, media_id: str) -> bytes:
    """The image's largest rendition, as the article page links it (the original is for staff)."""
    response = client.simulate_get(f"/tep/{media_id}/640")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/"), response.status_code
    return response.content


def test_a_platform_restored_into_new_servers_serves_what_it_served(runner_factory, platform_settings, smtp_server,
                                                                     monkeypatch, tmp_path, capsys):
    with platform(runner_factory, platform_settings) as (client, services):
        found = populate(client, services, platform_settings, smtp_server)
        before = observe(client, services, platform_settings, found)
        assert backup.main(["--to", str(tmp_path / "backups")]) == 0
    made = list((tmp_path / "backups").iterdir())
    assert len(made) == 1 and re.fullmatch(r"portal-backup-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz", made[0].name)
    with tarfile.open(made[0]) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "content/media.files.bson", "content/media.chunks.bson", "notify/subscriptions.bson",
            "ranking/months.bson", "ranking/visit_days.bson"} <= names
    assert "ranking/salts.bson" not in names and "ranking/visit_markers.bson" not in names  # kept two days only

    new_server = MongoServer(tmp_path / "new-mongo").start()
    try:
        restored = dataclasses.replace(platform_settings, MONGO_URI=new_server.uri,
                                       SEARCH_INDEX_DIR=str(tmp_path / "new-search-index"))
        use(restored, monkeypatch)
        assert restore.main([str(made[0]), "--no-rebuild"]) == 0
        with platform(runner_factory, restored) as (client, services):
            assert services.search.search(QUERY)["total"] == 0  # a new, empty index until rebuilt
            assert restore.main([str(made[0]), "--rebuild-only", "--wait", "60"]) == 0
            after = observe(client, services, restored, found)
    finally:
        new_server.stop()
    for part in before:
        assert after[part] == before[part], part
    assert before["search answers"][0]["total"] >= 1 and before["frozen month"]["revision"] == 1
    assert not before["frozen month"]["provisional"] and before["stored"]["content"]["media.chunks"]
    assert before["search answers"][1]["hits"][0]["best_bet"]
    assert len(before["stored"]["notify"]["subscriptions"]) == 2
    assert "search rebuilt from content's replay in" in capsys.readouterr().err


@pytest.fixture
def small_archive(platform_settings, tmp_path):
    """An archive of a few documents written straight into the test's databases."""
    database = MongoClient(platform_settings.MONGO_URI)
    database[platform_settings.CONTENT_DB]["units"].insert_one({"_id": "phu-mau", "name": "Xã Phú Mậu"})
    database[platform_settings.NOTIFY_DB]["subscriptions"].insert_one({"_id": "s1", "email": "dan@example.vn"})
    database.close()
    return backup.backup(platform_settings, tmp_path / "backups", log=lambda _: None)


def databases_of(settings) -> set[str]:
    client = MongoClient(settings.MONGO_URI)
    try:
        return {name for name in client.list_database_names()
                if name.split(restore.STAGING_SUFFIX)[0] in (settings.CONTENT_DB, settings.RANKING_DB,
                                                             settings.NOTIFY_DB)}
    finally:
        client.close()


def test_restore_refuses_a_target_that_holds_data(platform_settings, small_archive, capsys):
    present = databases_of(platform_settings)
    assert restore.main([str(small_archive), "--no-rebuild"]) == 2
    error = capsys.readouterr().err
    assert "must be empty" in error and platform_settings.CONTENT_DB in error and "--force" in error
    assert databases_of(platform_settings) == present  # no staging database left either

    assert restore.main([str(small_archive), "--no-rebuild", "--force"]) == 0
    client = MongoClient(platform_settings.MONGO_URI)
    assert client[platform_settings.NOTIFY_DB]["subscriptions"].find_one() == {"_id": "s1", "email": "dan@example.vn"}
    client.close()


def damaged(original, into):
    """The archive with one byte of a collection's file changed."""
    unpacked = into / "unpacked"
    with tarfile.open(original) as tar:
        tar.extractall(unpacked, filter="data")
    units = unpacked / archive.file_name("content", "units")
    data = bytearray(units.read_bytes())
    data[-3] ^= 0x20
    units.write_bytes(bytes(data))
    path = into / "damaged.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for member in sorted(unpacked.rglob("*")):
            tar.add(member, arcname=member.relative_to(unpacked).as_posix(), recursive=False)
    return path


def test_a_damaged_or_cut_short_archive_is_refused_before_anything_is_written(platform_settings, small_archive,
                                                                                monkeypatch, tmp_path, capsys):
    elsewhere = dataclasses.replace(platform_settings, CONTENT_DB=f"{platform_settings.CONTENT_DB}_new",
                                    RANKING_DB=f"{platform_settings.RANKING_DB}_new",
                                    NOTIFY_DB=f"{platform_settings.NOTIFY_DB}_new")
    use(elsewhere, monkeypatch)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(small_archive.read_bytes()[:-200])
    not_ours = tmp_path / "not-ours.tar.gz"
    with tarfile.open(not_ours, "w:gz") as tar:
        tar.add(__file__, arcname="test_backup.py")
    (tmp_path / "lacking").mkdir()
    (tmp_path / "lacking" / archive.MANIFEST).write_text('{"format": 1, "databases": {"content": {}}}')
    lacking = tmp_path / "lacking.tar.gz"
    with tarfile.open(lacking, "w:gz") as tar:
        tar.add(tmp_path / "lacking" / archive.MANIFEST, arcname=archive.MANIFEST)
    for path, problem in ((cut, "cut short"), (damaged(small_archive, tmp_path), "content/units.bson"),
                          (not_ours, "no manifest.json"), (lacking, "manifest.json is incomplete"),
                          (tmp_path / "missing.tar.gz", "no such file")):
        assert restore.main([str(path), "--force"]) == 2, path
        error = capsys.readouterr().err
        assert problem in error and "Traceback" not in error, error
    assert databases_of(elsewhere) == set()


@pytest.mark.parametrize("consistency, kept", [("snapshot", False), ("collection", True)])
def test_a_snapshot_backup_is_one_moment_of_every_database(platform_settings, monkeypatch, tmp_path, consistency, kept):
    """A unit created once the backup has read ranking's first collection is not in a snapshot
    archive; read collection by collection, content's database is read after it, so it is."""
    client = MongoClient(platform_settings.MONGO_URI)
    units = client[platform_settings.CONTENT_DB]["units"]
    units.insert_one({"_id": "phu-mau"})
    client[platform_settings.RANKING_DB]["months"].insert_one({"_id": "2026-11|1"})
    write_documents = archive.write_documents

    def writing_meanwhile(path, documents):
        written = write_documents(path, documents)  # the snapshot's moment: its first read
        if units.find_one({"_id": "phu-thuong"}) is None:
            units.insert_one({"_id": "phu-thuong"})
        return written

    monkeypatch.setattr(archive, "write_documents", writing_meanwhile)
    made = backup.backup(platform_settings, tmp_path, consistency, log=lambda _: None)
    client.close()
    assert made.stat().st_mode & 0o777 == 0o600  # subscribers' addresses: the operator's account only
    with tarfile.open(made) as tar:
        manifest = archive.loads(tar.extractfile(archive.MANIFEST).read().decode())
    assert manifest["consistency"]["mode"] == consistency
    assert manifest["databases"]["content"]["collections"]["units"]["count"] == (2 if kept else 1)
