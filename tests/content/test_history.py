"""History imports: an old site's archive brought onto a unit, each item at its own past time,
all or nothing, and only once."""
import dataclasses
from datetime import datetime, timedelta

import pytest
from falcon import testing

from gateway.app import create_app, shut_down
from gateway.rpc import RpcPool
from services.common import events
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.events import utcnow
from services.content.database import LOCAL_TIME
from tests.content.conftest import ADMIN, arrived
from tests.drive import acting, call, call_in_request

ARTICLE = {"kind": "article", "slug": "tong-ket-nam-2024", "title": "Hội nghị tổng kết công tác năm 2024",
           "summary": "UBND xã Phú Mậu tổng kết năm 2024.", "body_html": "<p>Hội nghị đánh giá kết quả năm.</p>",
           "tags": ["tổng kết"], "published_at": "2024-12-20T09:30:00+07:00"}
SCHEDULE = {"kind": "schedule", "week": "2024-W51", "published_at": "2024-12-14T16:00:00+07:00",
            "entries": [{"start": "2024-12-16T07:30:00+07:00", "end": "2024-12-16T09:00:00+07:00",
                         "leader": "Chủ tịch UBND xã Nguyễn Văn A", "title": "Giao ban đầu tuần",
                         "location": "Hội trường UBND xã"}]}
DOCUMENT = {"kind": "document", "number": "45/2024/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
            "signer": "Nguyễn Văn A", "issued_on": "2024-12-10", "excerpt": "Về việc ban hành quy chế tiếp công dân",
            "published_at": "2024-12-11T08:00:00+07:00"}
ANSWERED = {"kind": "question", "title": "Hỏi về cấp đổi căn cước", "asker_name": "Trần Văn Cường",
            "question": "Tôi cần mang giấy tờ gì khi cấp đổi căn cước?", "asked_at": "2024-11-02T10:00:00+07:00",
            "answer_html": "<p>Ông mang theo căn cước cũ.</p>", "answered_by": "UBND xã Phú Mậu",
            "answered_at": "2024-11-06T15:00:00+07:00"}
WAITING = {"kind": "question", "title": "Hỏi về hỗ trợ sau bão", "asker_name": "Lê Thị Dung",
           "question": "Gia đình tôi bị tốc mái, xin hỏi thủ tục nhận hỗ trợ?", "asked_at": "2024-12-28T20:15:00+07:00"}
PAGE = {"kind": "page", "key": "co-cau-to-chuc", "lang": "vi", "title": "Cơ cấu tổ chức",
        "body_html": "<p>Chủ tịch, các Phó Chủ tịch và các công chức chuyên môn.</p>",
        "updated_at": "2024-06-01T08:00:00+07:00"}
ITEMS = [ARTICLE, SCHEDULE, DOCUMENT, ANSWERED, WAITING, PAGE]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def import_history(content, items, actor=ADMIN, unit="phu-mau"):
    return call(content, "import_history", acting(actor), unit, {"items": items})


def public_state(content) -> dict:
    """How many items of each kind the unit shows the public."""
    return {"articles": call(content, "latest_articles", "phu-mau")["total"],
            "schedules": len(call(content, "schedule_weeks", "phu-mau")),
            "documents": call(content, "search_documents", "phu-mau")["total"],
            "questions": call(content, "list_questions", "phu-mau")["total"],
            "pages": len(call(content, "list_pages", "phu-mau"))}


def test_each_kind_is_published_at_its_own_time_and_announced_as_then(board, listener, stores):
    assert import_history(board, ITEMS) == {"imported": 6, "skipped": 0}

    article = call(board, "get_published_article", "phu-mau", ARTICLE["slug"])
    assert at(article["published_at"]) == at(article["updated_at"]) == at(ARTICLE["published_at"])
    week = call(board, "get_schedule", "phu-mau", "2024-W51")
    assert [entry["title"] for entry in week["entries"]] == ["Giao ban đầu tuần"]
    assert at(week["published_at"]) == at(SCHEDULE["published_at"])
    [document] = call(board, "search_documents", "phu-mau")["documents"]
    assert (document["number"], at(document["published_at"])) == (DOCUMENT["number"], at(DOCUMENT["published_at"]))
    [answered] = call(board, "list_questions", "phu-mau")["questions"]
    assert at(answered["asked_at"]) == at(ANSWERED["asked_at"]) and at(answered["answered_at"]) == at(
        ANSWERED["answered_at"])
    assert answered["answered_by"] == "UBND xã Phú Mậu" and answered["answer_html"] == ANSWERED["answer_html"]
    [waiting] = call(board, "question_queue", acting("bien-tap"), "phu-mau", "pending")["questions"]
    assert waiting["title"] == WAITING["title"] and at(waiting["asked_at"]) == at(WAITING["asked_at"])
    page = call(board, "get_page", "phu-mau", "co-cau-to-chuc")
    assert at(page["updated_at"]) == at(PAGE["updated_at"])

    # Each event happened when the item did on the old site, and says so in its snapshot too.
    [published] = arrived(events.ArticlePublished)
    assert published.occurred_at == published.article.published_at == at(ARTICLE["published_at"])
    assert arrived(events.SchedulePublished)[0].occurred_at == at(SCHEDULE["published_at"])
    assert arrived(events.DocumentPublished)[0].occurred_at == at(DOCUMENT["published_at"])
    [answer] = arrived(events.QuestionAnswered)
    assert answer.occurred_at == answer.question.answered_at == at(ANSWERED["answered_at"])
    assert answer.question.asked_at == at(ANSWERED["asked_at"])
    [received] = arrived(events.QuestionReceived)
    assert (received.state, received.occurred_at) == ("waiting", at(WAITING["asked_at"]))
    [page_event] = arrived(events.PagePublished)
    assert page_event.occurred_at == page_event.page.updated_at == at(PAGE["updated_at"])
    # Replay tells the same.
    for kind, event in (("article", published), ("question", answer), ("question", received), ("page", page_event)):
        replayed = [events.parse(e["name"], e["payload"]) for e in call(board, "replay", kind, "phu-mau")["events"]]
        assert event in replayed

    audit = call(board, "audit_log", acting(ADMIN), "phu-mau")
    assert sorted(entry["action"] for entry in audit if entry["action"] != "unit.create") == sorted(
        f"{item['kind']}.import" for item in ITEMS)


def test_a_second_import_adds_nothing_and_a_longer_one_only_what_is_new(board, stores):
    assert import_history(board, ITEMS) == {"imported": 6, "skipped": 0}
    before = public_state(board), stores.outbox.entries.count_documents({})

    assert import_history(board, ITEMS) == {"imported": 0, "skipped": 6}
    assert (public_state(board), stores.outbox.entries.count_documents({})) == before
    later = {**ARTICLE, "slug": "don-tet-2025", "title": "Xã Phú Mậu vui đón Tết",
             "published_at": "2025-01-25T10:00:00Z"}
    assert import_history(board, [*ITEMS, later, later]) == {"imported": 1, "skipped": 7}
    assert public_state(board)["articles"] == 2


def test_a_repeated_request_gets_its_first_answer(board):
    request = {"idempotency_key": "nhap-lich-su-1"}
    first = call_in_request(board, "import_history", request, acting(ADMIN), "phu-mau", {"items": ITEMS})
    assert first == {"imported": 6, "skipped": 0}
    assert call_in_request(board, "import_history", request, acting(ADMIN), "phu-mau", {"items": ITEMS}) == first


def test_a_bad_item_in_the_middle_writes_nothing(board, stores):
    announced = stores.outbox.entries.count_documents({})
    with pytest.raises(InvalidInput) as error:
        import_history(board, [ARTICLE, {**DOCUMENT, "excerpt": ""}, PAGE])
    assert set(error.value.fields) == {"items.1.excerpt"}
    # Found only while writing (the category is unknown), after two items were stored: undone too.
    with pytest.raises(InvalidInput) as error:
        import_history(board, [ARTICLE, PAGE, {**ARTICLE, "slug": "khac", "category": "khong-co"}, DOCUMENT])
    assert set(error.value.fields) == {"items.2.category"}
    assert set(public_state(board).values()) == {0}
    assert stores.outbox.entries.count_documents({}) == announced
    assert stores.db["audit"].count_documents({"action": {"$regex": r"\.import$"}}) == 0


def in_vietnam(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TIME).isoformat()


@pytest.mark.parametrize("item, field", [
    ({**ARTICLE, "published_at": in_vietnam(utcnow() + timedelta(hours=1))}, "published_at"),
    ({**ARTICLE, "published_at": "1999-12-31T23:59:00+07:00"}, "published_at"),
    ({**ARTICLE, "published_at": "2024-12-20T09:30:00"}, "published_at"),  # no zone: ambiguous
    ({key: value for key, value in ARTICLE.items() if key != "slug"}, "slug"),  # how a second run knows it
    ({**ARTICLE, "body_html": ""}, "body_html"),
    ({**SCHEDULE, "week": "2024-W53"}, "week"),
    ({**SCHEDULE, "week": (utcnow() + timedelta(days=8)).strftime("%G-W%V")}, "week"),  # not begun
    ({**SCHEDULE, "entries": []}, "entries"),
    ({**SCHEDULE, "entries": [{**SCHEDULE["entries"][0], "end": "2024-12-23T09:00:00+07:00"}]}, "entries.0.end"),
    ({**DOCUMENT, "published_at": "2024-12-09T08:00:00+07:00"}, "published_at"),  # before it was issued
    ({**ANSWERED, "answered_at": "2024-11-01T15:00:00+07:00"}, "answered_at"),  # before it was asked
    ({key: value for key, value in ANSWERED.items() if key != "answered_by"}, "answered_at"),  # half an answer
    ({**ANSWERED, "answer_html": "<script>alert(1)</script>"}, "answer_html"),
    ({**WAITING, "asker_email": "le.dung@example.vn"}, "asker_email"),  # not kept for imports
    ({**PAGE, "updated_at": in_vietnam(utcnow() + timedelta(days=1))}, "updated_at"),
    ({**PAGE, "lang": "fr"}, "lang"),
    ({**PAGE, "kind": "banner"}, "kind"),
])
def test_each_item_is_checked_by_its_kinds_rules_and_named(board, item, field):
    with pytest.raises(InvalidInput) as error:
        import_history(board, [WAITING, item])
    assert list(error.value.fields) == [f"items.1.{field}"]


def test_only_platform_admins_import_and_at_most_200_items_at_once(board):
    for actor in ("tong-bien-tap", "quan-tri"):
        with pytest.raises(Forbidden):
            import_history(board, ITEMS, actor=actor)
    with pytest.raises(NotFound):
        import_history(board, ITEMS, unit="khong-co")
    for items in ([ARTICLE] * 201, {"items": ITEMS}):
        with pytest.raises(InvalidInput) as error:
            import_history(board, items)
        assert set(error.value.fields) == {"items"}
    assert import_history(board, []) == {"imported": 0, "skipped": 0}


@pytest.fixture
def api(board, settings):
    """The gateway in front of the content service, for the route systems call."""
    settings = dataclasses.replace(settings, RPC_TIMEOUT=10.0)
    pool = RpcPool(settings.as_nameko_config(), 2, settings.RPC_TIMEOUT)
    app = create_app(settings, pool)
    yield testing.TestClient(app), {"Authorization": f"Bearer {settings.PLATFORM_ADMIN_TOKEN}"}
    shut_down(app)
    pool.close()


def test_systems_import_through_the_api(api):
    client, admin = api
    response = client.simulate_post("/api/units/phu-mau/history", headers=admin, json={"items": ITEMS})
    assert response.status_code == 200, response.text
    assert response.json == {"imported": 6, "skipped": 0}
    again = client.simulate_post("/api/units/phu-mau/history", headers=admin, json={"items": ITEMS})
    assert again.json == {"imported": 0, "skipped": 6}

    bad = client.simulate_post("/api/units/phu-mau/history", headers=admin,
                               json={"items": [ARTICLE, {**PAGE, "key": "Trang Mới"}]})
    assert bad.status_code == 422 and list(bad.json["error"]["fields"]) == ["items.1.key"]
    assert client.simulate_post("/api/units/phu-mau/history", json={"items": ITEMS}).status_code == 401
