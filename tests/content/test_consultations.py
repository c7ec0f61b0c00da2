"""Drafts put out for comment ("lấy ý kiến dự thảo"): prepared, opened, commented on while open,
closed by the calendar, then summed up."""
import dataclasses
from datetime import datetime, timedelta

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_consultations, demo_data
from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from services.common.vietnam_time import LOCAL_TIME, today
from tests.content.conftest import ADMIN, arrived, received
from tests.content.test_documents import upload_pdf
from tests.drive import acting, call

LIMIT = 3
ADDRESS = "203.113.131.7"
CONTACT = "0905 123 456"


def draft_fields(**fields):
    return {"title": "Dự thảo Quy chế quản lý chợ xã Phú Mậu",
            "description": "UBND xã lấy ý kiến Nhân dân về dự thảo Quy chế quản lý, khai thác chợ xã.",
            "closes_on": (today() + timedelta(days=10)).isoformat(), "field": "Thương mại", **fields}


COMMENT = {"name": "Trần Thị Bình", "contact": CONTACT, "body": "Đề nghị chợ mở cửa từ 5 giờ sáng.\nCảm ơn."}
SUMMARY = "<p>UBND xã nhận được 2 ý kiến và tiếp thu ý kiến về giờ mở cửa chợ.</p>"


@pytest.fixture
def nameko_config(settings):
    return dataclasses.replace(settings, QUESTION_RATE_LIMIT=LIMIT).as_nameko_config()


def create(content, actor="bien-tap", unit="phu-mau", **fields):
    return call(content, "create_consultation", acting(actor), unit, draft_fields(**fields))


def open_(content, consultation, actor="tong-bien-tap", **options):
    return call(content, "open_consultation", acting(actor), consultation["id"], options)


def comment(content, consultation, unit="phu-mau", client=None, **fields):
    return call(content, "comment_on_consultation", unit, consultation["id"], {**COMMENT, **fields}, client=client)


def close(stores, consultation, days_ago=1):
    """The closing day passed (as the calendar would have it `days_ago` days after it)."""
    day = (today() - timedelta(days=days_ago)).isoformat()
    stores.db["consultations"].update_one({"_id": consultation["id"]}, {"$set": {"closes_on": day}})


def test_a_draft_is_opened_commented_on_closed_and_summed_up(board, listener, stores):
    pdf = upload_pdf(stores, filename="du-thao-quy-che-cho.pdf")
    draft = create(board, file=pdf["id"])
    assert draft["status"] == "draft" and draft["version"] == 1 and draft["opens_at"] is None
    assert draft["file"]["filename"] == "du-thao-quy-che-cho.pdf" and draft["file"]["path"] == f"/tep/{pdf['id']}"
    with pytest.raises(NotFound):
        call(board, "get_consultation", "phu-mau", draft["id"])  # a draft is not public
    with pytest.raises(NotFound):
        comment(board, draft)
    assert call(board, "list_consultations", "phu-mau")["total"] == 0

    opened = open_(board, draft, version=1)
    assert opened["status"] == "open" and opened["version"] == 2 and opened["days_left"] == 10
    event = arrived(events.ConsultationOpened)[0]
    assert event.document_id == draft["id"] and event.version == 2
    assert event.consultation.unit_name == "Xã Phú Mậu" and event.consultation.path == f"/phu-mau/du-thao/{draft['id']}"
    assert event.consultation.closes_on == today() + timedelta(days=10)
    assert event.consultation.file.media_id == pdf["id"]

    receipt = comment(board, opened)
    assert receipt["status"] == "pending"
    second = comment(board, opened, name="Lê Văn Cường", contact="Cuong.Le@Example.vn", body="Tôi đồng ý với dự thảo.")
    public = call(board, "get_consultation", "phu-mau", draft["id"])
    assert public["comments"] == 0 and public["status"] == "open"
    queue = call(board, "consultation_comment_queue", acting("bien-tap"), draft["id"], "pending")
    assert queue["total"] == 2 and queue["comments"][0]["contact"] == CONTACT
    assert queue["comments"][1]["contact"] == "cuong.le@example.vn"

    published = call(board, "publish_consultation_comment", acting("bien-tap"), receipt["id"], {"version": 1})
    assert published["status"] == "published" and published["moderated_by"] == "bien-tap"
    call(board, "reject_consultation_comment", acting("bien-tap"), second["id"])
    listed = call(board, "list_consultation_comments", "phu-mau", draft["id"])
    assert listed["total"] == 1 and listed["comments"][0]["body"] == COMMENT["body"]
    assert set(listed["comments"][0]) == {"id", "name", "body", "created_at"}  # no contact, no state
    assert call(board, "get_consultation", "phu-mau", draft["id"])["comments"] == 1

    with pytest.raises(Conflict):  # comments still come in: no summary yet
        call(board, "publish_consultation_summary", acting("tong-bien-tap"), draft["id"], {"summary_html": SUMMARY})
    close(stores, draft)
    closed = call(board, "get_consultation", "phu-mau", draft["id"])
    assert closed["status"] == "closed" and closed["days_left"] == -1
    with pytest.raises(Conflict) as late:
        comment(board, opened)
    assert "no longer taken" in str(late.value)
    assert call(board, "consultation_comment_queue", acting("bien-tap"), draft["id"])["total"] == 2

    summed = call(board, "publish_consultation_summary", acting("tong-bien-tap"), draft["id"],
                  {"summary_html": SUMMARY + "<script>alert(1)</script>", "version": 2})
    assert summed["summary_html"] == SUMMARY and summed["summary_published_at"] and summed["version"] == 3
    update = arrived(events.ConsultationUpdated)[-1]
    assert update.version == 3 and update.consultation.summary_html == SUMMARY
    payload = str([events.to_message(event)[1] for event in received(events.Event)])
    assert CONTACT not in payload and "cuong.le" not in payload  # contacts never leave the board


def test_the_list_shows_open_drafts_first_closing_soonest_then_closed_ones(board, stores):
    later = open_(board, create(board, title="Dự thảo mở lâu", closes_on=str(today() + timedelta(days=30))))
    sooner = open_(board, create(board, title="Dự thảo sắp hết hạn", closes_on=str(today() + timedelta(days=2))))
    old = open_(board, create(board, title="Dự thảo đã đóng lâu"))
    recent = open_(board, create(board, title="Dự thảo vừa đóng"))
    create(board, title="Dự thảo chưa mở")
    close(stores, old, days_ago=20)
    close(stores, recent, days_ago=1)
    listing = call(board, "list_consultations", "phu-mau")
    assert listing["total"] == 4
    assert [item["id"] for item in listing["consultations"]] == [sooner["id"], later["id"], recent["id"], old["id"]]
    assert [item["status"] for item in listing["consultations"]] == ["open", "open", "closed", "closed"]
    staff = call(board, "list_consultations_for_staff", acting("bien-tap"), "phu-mau", "closed")
    assert {item["id"] for item in staff["consultations"]} == {old["id"], recent["id"]}
    assert call(board, "list_consultations_for_staff", acting("bien-tap"), "phu-mau")["total"] == 5


def test_bad_comments_are_refused_and_nothing_is_stored(board, stores):
    opened = open_(board, create(board))
    for fields, field in (({"body": "x" * 5001}, "body"), ({"contact": "khong phai"}, "contact"),
                          ({"name": ""}, "name"), ({"body": "   "}, "body")):
        with pytest.raises(InvalidInput) as error:
            comment(board, opened, **fields)
        assert field in error.value.fields
    with pytest.raises(NotFound):
        call(board, "comment_on_consultation", "phu-mau", "khong-co", COMMENT)
    with pytest.raises(NotFound):  # only at its own unit's address
        comment(board, opened, unit="phu-da")
    assert stores.db["consultation_comments"].count_documents({}) == 0
    comment(board, opened, body="y" * 5000)  # the limit itself is fine


def test_one_address_may_comment_the_limit_an_hour(board, stores):
    opened = open_(board, create(board))
    for _ in range(LIMIT):
        comment(board, opened, client=ADDRESS)
    with pytest.raises(TooManyRequests):
        comment(board, opened, client=ADDRESS)
    comment(board, opened, client="2001:ee0:4141:1::7")
    assert stores.db["consultation_comments"].count_documents({}) == LIMIT + 1
    assert stores.db["consultation_comment_senders"].count_documents({"sender": ADDRESS}) == 0  # never the address


def test_drafts_follow_the_documents_permissions_and_the_calendar(board, stores):
    with pytest.raises(Forbidden):
        create(board, actor="tac-gia")
    with pytest.raises(InvalidInput) as error:
        create(board, closes_on=today().isoformat())
    assert "closes_on" in error.value.fields
    draft = create(board)
    with pytest.raises(Forbidden):
        open_(board, draft, actor="bien-tap")  # editors prepare, the editor-in-chief opens
    with pytest.raises(Forbidden):
        open_(board, draft, actor="bien-tap-phu-da")
    close(stores, draft, days_ago=0)  # its closing day came before it was opened
    with pytest.raises(InvalidInput):
        open_(board, draft)
    changed = call(board, "update_consultation", acting("bien-tap"), draft["id"],
                   draft_fields(title="Dự thảo Quy chế chợ (lần 2)", version=1))
    assert changed["version"] == 2 and changed["title"] == "Dự thảo Quy chế chợ (lần 2)"
    with pytest.raises(Conflict):
        call(board, "update_consultation", acting("bien-tap"), draft["id"], draft_fields(version=1))
    opened = open_(board, changed)
    with pytest.raises(Forbidden):  # a correction to an open draft goes public at once
        call(board, "update_consultation", acting("bien-tap"), draft["id"], draft_fields(version=opened["version"]))
    with pytest.raises(Conflict):
        open_(board, opened)
    with pytest.raises(Forbidden):
        call(board, "consultation_comment_queue", acting("bien-tap-phu-da"), draft["id"])
    history = call(board, "consultation_history", acting("bien-tap"), draft["id"])
    assert [entry["action"] for entry in history] == ["create", "update", "open"]


def test_replay_gives_opened_drafts_only(board, stores):
    opened = open_(board, create(board))
    create(board, title="Dự thảo chưa mở")
    replayed = [stores.consultations.event_for(doc) for doc in stores.db["consultations"].find()]
    assert [event.document_id for event in replayed if event is not None] == [opened["id"]]


def test_the_demo_puts_drafts_out_for_comment_in_most_units_once(content, nameko_config):
    every = demo_data.units()
    left_out = [unit for unit in every if demo_consultations.left_out(unit["slug"])]
    assert 0.1 < len(left_out) / len(every) < 0.25  # about one unit in six shows a true gap
    by_slug = {unit["slug"]: unit for unit in every}
    communes = [unit for unit in every if unit["level"] == "xa" and unit not in left_out][:3]
    gap = next(unit for unit in left_out if unit["level"] == "xa")
    chosen = [by_slug["thua-thien-hue"], *{unit["parent"]: by_slug[unit["parent"]] for unit in (*communes, gap)
                                         if unit["parent"] != "thua-thien-hue"}.values(), *communes, gap]
    for level in demo_data.levels():
        call(content, "create_level", acting(ADMIN), level)
    for unit in chosen:
        call(content, "create_unit", acting(ADMIN), {key: unit[key] for key in ("slug", "name", "level", "parent")})

    moment = datetime.now(LOCAL_TIME)
    with ClusterRpcProxy(nameko_config) as services:
        def load(unit):
            return demo_consultations.load_unit(services.content, lambda: acting(ADMIN), unit, moment)

        made = {unit["slug"]: load(unit) for unit in (*communes, gap)}
        assert made[gap["slug"]] == 0 and call(content, "list_consultations", gap["slug"])["total"] == 0
        closed_seen = False
        for unit in communes:
            listing = call(content, "list_consultations", unit["slug"])["consultations"]
            assert made[unit["slug"]] == len(listing) in (1, 2)
            first = listing[0]
            assert first["status"] == "open" and 7 <= first["days_left"] <= 28 and 1 <= first["comments"] <= 2
            for closed in listing[1:]:
                closed_seen = True
                assert closed["status"] == "closed" and closed["summary_html"] and 2 <= closed["comments"] <= 3
                comments = call(content, "list_consultation_comments", unit["slug"], closed["id"])["comments"]
                assert all(comment["created_at"] < closed["closes_on"] for comment in comments)
        assert closed_seen
        assert [load(unit) for unit in (*communes, gap)] == [0, 0, 0, 0]  # a second run creates nothing


def test_a_past_consultation_is_imported_closed_by_platform_admins_only(board):
    past = {"title": "Dự thảo Quy chế chợ năm trước", "description": "UBND xã đã lấy ý kiến về quy chế chợ.",
            "opened_at": "2026-03-02T08:00:00+07:00", "closes_on": "2026-04-01",
            "summary_html": SUMMARY, "comments": [{"name": "Trần Thị Bình", "body": "Tôi đồng ý.",
                                                   "sent_at": "2026-03-05T09:00:00+07:00"}]}
    with pytest.raises(Forbidden):
        call(board, "import_past_consultation", acting("tong-bien-tap"), "phu-mau", past)
    with pytest.raises(InvalidInput) as error:
        call(board, "import_past_consultation", acting(ADMIN), "phu-mau", {**past, "closes_on": str(today())})
    assert "closes_on" in error.value.fields
    imported = call(board, "import_past_consultation", acting(ADMIN), "phu-mau", past)
    assert imported["imported"] is True
    assert call(board, "import_past_consultation", acting(ADMIN), "phu-mau", past) == {**imported, "imported": False}
    [imported] = call(board, "list_consultations", "phu-mau")["consultations"]
    assert imported["status"] == "closed" and imported["comments"] == 1 and imported["summary_html"] == SUMMARY
