"""One request followed through the whole platform as deployed (`make run`'s launcher: four
`nameko run` processes and gunicorn, each logging to its file): the gateway's response, the
content service's line for the RPC, the outbox event and the search and notify handlers' lines
for it all name the same request id. And an event relayed later, by content's sweep rather than
the request, still names the request that caused it."""
from __future__ import annotations

import json
import logging
import re

import pytest
import requests
from pymongo import MongoClient

from services.common.events import ArticleUnpublished, utcnow
from services.common.logs import RequestIdFilter, reset_request_id, use_request_id
from services.content.outbox import Outbox
from services.content.service import ContentService
from services.search.service import SearchService
from tests.ops.platforms import running_platform
from tests.servers import wait_for

TOKEN = "request-ids-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
UNIT = "xa-phu-mau"


@pytest.fixture(scope="module")
def platform(vhost_pipeline, request, mongo_server, smtp_server, tmp_path_factory):
    with running_platform(vhost_pipeline, request.config.getoption("RABBIT_AMQP_URI"), mongo_server, smtp_server,
                          tmp_path_factory, PLATFORM_ADMIN_TOKEN=TOKEN, SWEEP_INTERVAL=0.5) as platform:
        yield platform


def log_lines(platform, name: str) -> list[dict]:
    """The JSON lines of one process's log so far."""
    text = (platform.log_dir / f"{name}.log").read_text()
    return [json.loads(line) for line in text.splitlines()]


def lines_of(platform, name: str, request_id: str, **fields) -> list[dict]:
    return [line for line in log_lines(platform, name) if line.get("request_id") == request_id
            and all(line.get(key) == value for key, value in fields.items())]


def editor_session(url: str) -> requests.Session:
    admin = requests.Session()
    admin.headers.update(ADMIN)
    assert admin.post(f"{url}/api/levels", json={"slug": "xa", "name": "Xã", "order": 0}).ok
    created = admin.post(f"{url}/api/units", json={"slug": UNIT, "name": "Xã Phú Mậu", "level": "xa"})
    assert created.status_code == 201, created.text
    editor = admin.post(f"{url}/api/users", json={"username": "bbt-phu-mau", "name": "Tổng biên tập Phú Mậu",
                                                  "roles": {UNIT: ["editor_in_chief"]}})
    assert editor.status_code == 201, editor.text
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {editor.json()['token']}"})
    return session


def test_a_published_article_is_followed_by_its_request_id_from_the_response_to_the_event_handlers(platform):
    url = platform.url
    api = editor_session(url)
    article = api.post(f"{url}/api/units/{UNIT}/articles", json={
        "title": "Phú Mậu mở lớp tin học cho người cao tuổi", "summary": "Lớp học miễn phí.",
        "body_html": "<p>Lớp học mở tại nhà văn hoá thôn.</p>"}).json()
    for step in ("submit", "approve"):
        article = api.post(f"{url}/api/articles/{article['id']}/{step}", json={"version": article["version"]}).json()

    published = api.post(f"{url}/api/articles/{article['id']}/publish", json={"version": article["version"]},
                         headers={"X-Request-Id": "abc-123"})
    assert published.status_code == 200, published.text
    assert published.headers["X-Request-Id"] == "abc-123"

    # The gateway's access line, content's line for the RPC, and the event, stored and sent with it.
    access = wait_for(lambda: lines_of(platform, "gateway", "abc-123", logger="gunicorn.access"),
                      message="the gateway's access line")[0]
    assert (access["method"], access["status"]) == ("POST", 200)
    assert access["route"] == "/api/articles/{article_id}/publish" and access["duration_seconds"] > 0
    served = wait_for(lambda: len(found := lines_of(platform, "content", "abc-123", outcome="ok")) >= 2 and found,
                      message="content's lines for the request's RPCs")
    assert [line["entrypoint"] for line in served] == ["content.authenticate", "content.move_article"]
    with MongoClient(platform.settings.MONGO_URI) as mongo:
        entry = mongo[platform.settings.CONTENT_DB]["outbox"].find_one({"request_id": "abc-123"})
    assert entry is not None and [event["name"] for event in entry["events"]] == ["article_published"]
    assert entry["events"][0]["payload"]["request_id"] == "abc-123"

    # Each service that handles the event logs it with the same id.
    for service in ("search", "notify", "ranking"):
        wait_for(lambda: lines_of(platform, service, "abc-123", event="article_published", outcome="ok"),
                 timeout=30, message=f"{service}'s line for handling article_published")


@pytest.mark.parametrize("sent", ["a" * 65, "<script>alert(1)</script>", "id with spaces", ""])
def test_an_insane_request_id_is_replaced_by_a_new_one_that_the_services_log(platform, sent):
    response = requests.get(f"{platform.url}/api/units/khong-co-don-vi-nay", headers={"X-Request-Id": sent})
    assert response.status_code == 404
    given = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", given), given
    assert response.json()["error"]["request_id"] == given
    refused = wait_for(lambda: lines_of(platform, "content", given, outcome="refused"),
                       message="content's line for the refused RPC")
    assert refused[0]["entrypoint"] == "content.get_unit"
    assert not any(sent and sent in json.dumps(line, ensure_ascii=False) for name in ("gateway", "content")
                   for line in log_lines(platform, name))


def test_an_error_page_and_an_api_error_print_the_request_id(platform):
    page = requests.get(f"{platform.url}/khong-co-don-vi-nay", headers={"X-Request-Id": "phan-anh.2026_12"})
    assert page.status_code == 404 and page.headers["X-Request-Id"] == "phan-anh.2026_12"
    assert re.search(r"Mã yêu cầu: <code[^>]*>phan-anh\.2026_12</code>", page.text), page.text
    api = requests.get(f"{platform.url}/api/units/khong-co-don-vi-nay", headers={"X-Request-Id": "phan-anh-2"})
    assert api.json()["error"]["request_id"] == "phan-anh-2"
    generated = requests.get(f"{platform.url}/khong-co-don-vi-nay")
    assert f">{generated.headers['X-Request-Id']}</code>" in generated.text


def test_a_page_answered_from_the_cache_carries_its_own_id_and_is_logged_with_its_route(platform):
    for number in (1, 2):  # the second answered from the page cache, before any routing
        response = requests.get(f"{platform.url}/robots.txt", headers={"X-Request-Id": f"cached-{number}"})
        assert response.status_code == 200 and response.headers["X-Request-Id"] == f"cached-{number}"
    access = wait_for(lambda: lines_of(platform, "gateway", "cached-2", logger="gunicorn.access"),
                      message="the cached answer's access line")
    assert [(line["route"], line["status"]) for line in access] == [("/robots.txt", 200)]


def test_every_line_each_process_logs_is_json_naming_its_service(platform):
    requests.get(f"{platform.url}/khong-co-don-vi-nay")  # at least one line from the gateway and content
    for name in ("gateway", "content", "search", "ranking", "notify"):
        text = (platform.log_dir / f"{name}.log").read_text()
        lines = text.splitlines()  # eventlet's notice as nameko starts too (the launcher quiets it)
        assert lines, name
        for line in lines:
            record = json.loads(line)  # fails on any line that is not JSON
            assert {"time", "level", "logger", "message"} <= set(record), line
            assert record["service"] == name, line


def test_an_event_relayed_later_by_the_sweep_keeps_the_id_of_the_request_that_caused_it(
        container_factory, nameko_config, mongo_client, settings, caplog):
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    token = use_request_id("late-1")  # as in the worker that wrote the change; nothing dispatches it now
    try:
        Outbox(mongo_client[settings.CONTENT_DB]).record([ArticleUnpublished(
            document_id="a-1", version=1, occurred_at=utcnow(), unit=UNIT)], session=None)
    finally:
        reset_request_id(token)
    container_factory(SearchService, nameko_config).start()
    container_factory(ContentService, nameko_config).start()  # its sweep, a timer, sends what waits

    def handled():
        return [record for record in caplog.records if getattr(record, "event", None) == "article_unpublished"]

    line = wait_for(handled, timeout=30, message="search's line for the relayed event")[0]
    assert (line.service, line.outcome, line.request_id) == ("search", "ok", "late-1")
