"""A write request takes effect once, and a repeat of it is told the truth: the first outcome.

The gateway names each write with an idempotency key (the client's Idempotency-Key, or its own);
a repeat comes from a client that never got its answer, or from the broker handing a request out
again after the process serving it died before replying."""
import time
import uuid
from datetime import timedelta

import eventlet
import pytest

from services.common import events
from services.common.errors import Conflict, InvalidInput, Unavailable
from services.content.database import now
from tests.content.conftest import arrived, received
from tests.drive import acting, call, call_in_request
from tests.servers import wait_for

ARTICLE_FIELDS = {"title": "Xã Phú Mậu ra quân làm sạch đường làng", "body_html": "<p>Nội dung</p>"}


def request(key: str | None = None, deadline: float | None = None) -> dict:
    return {"idempotency_key": key or uuid.uuid4().hex, **({"deadline": deadline} if deadline else {})}


def create(content, context, actor="tac-gia", **fields):
    return call_in_request(content, "create_article", context, acting(actor), "phu-mau", {**ARTICLE_FIELDS, **fields})


def publish(content, context, article, version=None):
    return call_in_request(content, "move_article", context, acting("tong-bien-tap"), article["id"], "force_publish",
                           {"version": version or article["version"], "comment": "Đăng ngay"})


def test_a_repeated_write_returns_its_first_result_and_changes_nothing_more(board, listener, stores):
    context = request()
    first = create(board, context)
    again = create(board, context)
    assert again == first
    assert [a["id"] for a in call(board, "editorial_list", acting("tac-gia"), "phu-mau")] == [first["id"]]

    publishing = request()
    published = publish(board, publishing, first)
    # The broker hands the same request out again (its process died before replying): the same
    # answer, not a Conflict over the version the first delivery moved on.
    assert publish(board, publishing, first) == published
    assert call(board, "get_article", acting("tac-gia"), first["id"])["version"] == published["version"]
    arrived(events.ArticlePublished)
    time.sleep(0.5)  # a second event, were there one, would be on its way by now
    assert len(received(events.ArticlePublished)) == 1
    audit = [entry["action"] for entry in call(board, "audit_log", acting("admin"), "phu-mau")
             if entry["target"] == first["id"]]
    assert sorted(audit) == ["article.create", "article.force_publish"]


def test_a_refusal_is_kept_too_so_a_repeat_does_not_act_once_things_have_changed(board):
    article = create(board, request())
    stale = request()
    with pytest.raises(Conflict):
        publish(board, stale, article, version=article["version"] + 1)
    with pytest.raises(Conflict):  # the repeat hears the same, not the outcome of a second try
        publish(board, stale, article, version=article["version"] + 1)
    assert call(board, "get_article", acting("tac-gia"), article["id"])["status"] == "draft"


def test_a_refusal_naming_fields_mongodb_would_not_store_as_keys_is_kept_all_the_same(board):
    context = request()
    for _ in range(2):
        with pytest.raises(InvalidInput) as refused:
            create(board, context, **{"\x00": 1, "$where": 2, "a.b": 3})
        assert {"\x00", "$where", "a.b"} <= set(refused.value.fields)


def test_a_key_names_one_request_and_belongs_to_its_user(board):
    context = request()
    first = create(board, context, title="Tin thứ nhất")
    with pytest.raises(InvalidInput) as reused:
        create(board, context, title="Tin thứ hai")
    assert list(reused.value.fields) == ["Idempotency-Key"]
    # Another person's request with the same key is their own.
    other = create(board, context, actor="bien-tap", title="Tin thứ nhất")
    assert other["id"] != first["id"] and other["author"] == "bien-tap"


def test_repeats_arriving_together_make_one_change_and_hear_the_same(board):
    context = request()
    answers = [eventlet.spawn(create, board, context, title="Tin gửi hai lần") for _ in range(3)]
    results = [answer.wait() for answer in answers]
    assert results[0] == results[1] == results[2]
    titles = [a["title"] for a in call(board, "editorial_list", acting("tac-gia"), "phu-mau")]
    assert titles == ["Tin gửi hai lần"]


def test_a_change_whose_caller_stopped_waiting_is_not_made(board):
    with pytest.raises(Unavailable):
        create(board, request(deadline=time.time() - 1), title="Quá hạn")
    assert call(board, "editorial_list", acting("tac-gia"), "phu-mau") == []


def test_outcomes_and_sent_events_are_forgotten_after_a_while(board, mongo_client, settings):
    """MongoDB deletes them (TTL indexes): outcomes after a day, events the outbox has sent after a
    week; an event not yet sent stays, however old."""
    database = mongo_client[settings.CONTENT_DB]
    ttl = {name: {tuple(index["key"]): index.get("expireAfterSeconds") for index in database[name].list_indexes()}
           for name in ("outcomes", "outbox")}
    assert ttl["outcomes"][("at",)] == 24 * 3600
    assert ttl["outbox"][("dispatched_at",)] == 7 * 24 * 3600

    create(board, request())
    long_ago = now() - timedelta(days=8)
    database["outcomes"].update_many({}, {"$set": {"at": long_ago}})
    database["outbox"].update_many({}, {"$set": {"dispatched_at": long_ago, "created_at": long_ago}})
    unsent = database["outbox"].insert_one({"events": [{"name": "unit_updated", "payload": {}}], "created_at": long_ago,
                                            "dispatched": False, "lease_until": now() + timedelta(days=1)})
    # The test server sweeps expired documents every second (tests/servers.py), mongod every minute.
    wait_for(lambda: database["outcomes"].count_documents({}) == 0, timeout=30, message="outcomes forgotten")
    wait_for(lambda: [entry["_id"] for entry in database["outbox"].find()] == [unsent.inserted_id], timeout=30,
             message="sent events forgotten")
