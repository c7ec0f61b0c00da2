"""Writes over the API when things go wrong: every answer tells the truth about what happened.

A repeated request (same Idempotency-Key) gets its first answer instead of a second change or a
false 409; a write that meets a record locked by a killed process is told to try again; a write
whose service was down is told its outcome is unknown and how to learn it. The real content and
ranking services, RabbitMQ and the MongoDB stand-in."""
import os
import signal
import subprocess
import sys

import pytest

from services.content.service import ContentService
from services.ranking.service import RankingService
from tests.gateway.conftest import PORTAL_ADMIN as ADMIN
from tests.servers import MongoServer, wait_for

ARTICLE = {"title": "Xã Phú Mậu ra quân làm sạch đường làng", "body_html": "<p>Nội dung bài viết.</p>"}

# A writer that changes an article inside a transaction and is then killed before committing:
# the server keeps the record locked until it gives the transaction up.
LOCK_HOLDER = """
import sys, time
from pymongo import MongoClient
client = MongoClient(sys.argv[1])
with client.start_session() as session:
    session.start_transaction()
    client[sys.argv[2]]["articles"].update_one({"_id": sys.argv[3]}, {"$set": {"title": "never"}}, session=session)
    print("locked", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def content(container_factory, portal_settings):
    """The content service on its own, so a test can stop it and start it again."""
    container = container_factory(ContentService, portal_settings.as_nameko_config())
    container.start()
    return container


@pytest.fixture
def portal_services(content):
    return (RankingService,)


def with_key(key: str) -> dict:
    return {**ADMIN, "Idempotency-Key": key}


def create(client, key: str, **fields):
    return client.simulate_post("/api/units/phu-mau/articles", headers=with_key(key), json={**ARTICLE, **fields})


def test_a_repeated_write_gets_its_first_answer_not_a_second_change(phu_mau):
    client = phu_mau.client
    first = create(client, "tao-bai-1")
    again = create(client, "tao-bai-1")
    assert (first.status_code, again.status_code) == (201, 201) and again.json == first.json
    listed = client.simulate_get("/api/units/phu-mau/editorial/articles", headers=ADMIN, params={"status": "draft"})
    assert [article["id"] for article in listed.json["items"]] == [first.json["id"]]

    step = f"/api/articles/{first.json['id']}/force-publish"
    body = {"version": first.json["version"], "comment": "Đăng ngay"}
    published = client.simulate_post(step, headers=with_key("dang-bai-1"), json=body)
    repeated = client.simulate_post(step, headers=with_key("dang-bai-1"), json=body)
    # Not a 409 over the version the first request moved on: the first answer again.
    assert (published.status_code, repeated.status_code) == (200, 200) and repeated.json == published.json
    # Without the key it is a new request, and the version it names is stale now.
    assert client.simulate_post(step, headers=ADMIN, json=body).status_code == 409


def test_a_key_names_one_request(phu_mau):
    client = phu_mau.client
    assert create(client, "mot-khoa").status_code == 201
    reused = create(client, "mot-khoa", title="Một tin khác")
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json["error"]["fields"]
    for malformed in ("", "có dấu", "x" * 256):
        response = create(client, malformed)
        assert response.status_code == 400, malformed
        assert "Idempotency-Key" in response.json["error"]["message"]


def test_a_write_meeting_a_record_locked_by_a_killed_writer_is_told_to_try_again(phu_mau, portal_settings):
    client = phu_mau.client
    article = create(client, "bai-bi-khoa").json
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, portal_settings.MONGO_URI,
                               portal_settings.CONTENT_DB, article["id"]], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()

    change = {**ARTICLE, "title": "Tiêu đề mới", "version": article["version"]}
    refused = client.simulate_put(f"/api/articles/{article['id']}", headers=ADMIN, json=change)
    assert refused.status_code == 503, refused.text
    assert "try again" in refused.json["error"]["message"] and int(refused.headers["retry-after"]) > 0
    assert "idempotency_key" not in refused.json["error"]  # nothing was written, and it says so
    unchanged = client.simulate_get(f"/api/articles/{article['id']}", headers=ADMIN).json
    assert (unchanged["title"], unchanged["version"]) == (ARTICLE["title"], article["version"])

    # Once the server gives the dead transaction up, the same change goes through.
    changed = wait_for(lambda: (response := client.simulate_put(
        f"/api/articles/{article['id']}", headers=ADMIN, json=change)).status_code == 200 and response,
        timeout=MongoServer.TRANSACTION_LIFETIME * 4, interval=1, message="the lock released")
    assert changed.json["title"] == "Tiêu đề mới"


def test_a_write_whose_service_was_down_is_told_its_outcome_is_unknown_and_learns_it(
        phu_mau, content, container_factory, portal_settings):
    client = phu_mau.client
    content.stop()
    unknown = client.simulate_post("/api/units/phu-mau/articles", headers=ADMIN, json=ARTICLE)
    assert unknown.status_code == 503
    key = unknown.json["error"]["idempotency_key"]
    assert "may have been made" in unknown.json["error"]["message"] and key in unknown.json["error"]["message"]

    container_factory(ContentService, portal_settings.as_nameko_config()).start()
    # The first request expired in the broker unheard, so the repeat makes the change, once.
    learned = wait_for(lambda: (response := create(client, key)).status_code == 201 and response,
                       message="the content service back")
    assert create(client, key).json == learned.json
    listed = client.simulate_get("/api/units/phu-mau/editorial/articles", headers=ADMIN, params={"status": "draft"})
    assert [article["id"] for article in listed.json["items"]] == [learned.json["id"]]
