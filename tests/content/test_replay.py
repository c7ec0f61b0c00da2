"""Replay gives any consumer the current public state, as the events that announced it."""
from datetime import timedelta

import pytest

from services.common import events
from services.common.errors import InvalidInput
from tests.content.conftest import ADMIN
from tests.drive import acting, call

ARTICLE = {"body_html": "<p>Nội dung</p>"}


def publish(content, title):
    article = call(content, "create_article", acting(ADMIN), "phu-mau", {**ARTICLE, "title": title})
    return call(content, "move_article", acting(ADMIN), article["id"], "force_publish", {"comment": "Đăng ngay"})


def replay_all(content, kind, **options):
    """Every page, following the cursor."""
    found, after = [], None
    while True:
        page = call(content, "replay", kind, after=after, **options)
        found += page["events"]
        if page["next"] is None:
            return found
        after = page["next"]


def test_articles_replay_as_their_public_state_page_by_page(board):
    live = publish(board, "Tin đang đăng")
    withdrawn = publish(board, "Tin đã gỡ")
    withdrawn = call(board, "move_article", acting(ADMIN), withdrawn["id"], "unpublish", {})
    call(board, "create_article", acting(ADMIN), "phu-mau", {**ARTICLE, "title": "Bản nháp chưa bao giờ đăng"})

    replayed = replay_all(board, "article", limit=1)
    by_id = {event["payload"]["document_id"]: event for event in replayed}
    assert set(by_id) == {live["id"], withdrawn["id"]}  # the draft was never public
    assert by_id[live["id"]]["name"] == "article_published"
    assert by_id[withdrawn["id"]]["name"] == "article_unpublished"
    parsed = events.parse("article_published", by_id[live["id"]]["payload"])
    assert parsed.version == live["version"] and parsed.article.title == "Tin đang đăng"


def test_replay_filters_by_unit_and_time(board):
    publish(board, "Tin của Phú Mậu")
    units = replay_all(board, "unit")
    assert {e["payload"]["document_id"] for e in units} == {"thua-thien-hue", "phu-vang", "phu-mau", "phu-da"}
    assert replay_all(board, "article", unit="phu-da") == []
    assert len(replay_all(board, "article", unit="phu-mau")) == 1
    later = (events.utcnow() + timedelta(minutes=1)).isoformat()
    assert replay_all(board, "article", updated_since=later) == []


@pytest.mark.parametrize("arguments, field", [
    (("bai-viet",), "kind"),
    (("article", None, "hôm qua"), "updated_since"),
    (("article", None, "2026-11-02T08:30:00"), "updated_since"),  # no zone: ambiguous
    (("article", None, None, None, 0), "limit"),
])
def test_bad_replay_requests_name_the_field(board, arguments, field):
    with pytest.raises(InvalidInput) as error:
        call(board, "replay", *arguments)
    assert field in error.value.fields
