"""Royalties ("nhuận bút"): a unit's published articles of a month, per author, with the
points its editorial board assigned, as a report and as a CSV for Excel."""
import codecs
import csv
import io
from datetime import datetime, timezone

import pytest

from services.common.errors import Forbidden, InvalidInput
from services.content.royalties.names import name_order
from services.content.royalties.store import FIELDS, published_in
from tests.content.conftest import plan_stages
from tests.drive import acting, call

UNIT = "phu-mau"
# Instants chosen around the month boundary in Vietnam's time (UTC+7).
MID_OCTOBER = datetime(2026, 10, 15, 3, 0, tzinfo=timezone.utc)
LAST_OCTOBER_EVENING = datetime(2026, 10, 31, 16, 59, tzinfo=timezone.utc)   # 31/10 23:59 in Huế
FIRST_NOVEMBER_NIGHT = datetime(2026, 10, 31, 17, 30, tzinfo=timezone.utc)   # 01/11 00:30 in Huế
EARLY_NOVEMBER = datetime(2026, 11, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def articles(board, mongo_client, settings):
    """Articles by two authors, published through the board and scored, then moved in time."""
    db = mongo_client[settings.CONTENT_DB]

    def publish(author, title, published_at, points=None, unit=UNIT, chief="tong-bien-tap"):
        article = call(board, "create_article", acting(author), unit, {"title": title, "body_html": "<p>Nội dung</p>"})
        article = call(board, "move_article", acting(chief), article["id"], "force_publish", {"comment": "Đăng ngay"})
        if points is not None:
            call(board, "assign_royalty_points", acting(chief), article["id"], {"points": points})
        # Publishing stamps the present; a test cannot wait for last month, so the stamp is moved.
        db["articles"].update_one({"_id": article["id"]}, {"$set": {"published_at": published_at}})
        return article

    made = {
        "october": publish("tac-gia", "Mùa lũ ở Phú Mậu", MID_OCTOBER, 1.5),
        "october_last": publish("bien-tap", "=HYPERLINK(\"http://x\")", LAST_OCTOBER_EVENING, 2),
        "november_first": publish("tac-gia", "Đón Tết Độc lập", FIRST_NOVEMBER_NIGHT, 0.1),
        "november": publish("tac-gia", "Hội thi nấu ăn", EARLY_NOVEMBER, 0.2),
        "november_unscored": publish("bien-tap", "Lịch tiếp dân tháng 11", EARLY_NOVEMBER),
        "november_withdrawn": publish("bien-tap", "Tin đã gỡ", EARLY_NOVEMBER, 3),
        "next_door": publish("bien-tap-phu-da", "Tin Phú Đa", EARLY_NOVEMBER, 9, unit="phu-da",
                             chief="bien-tap-phu-da"),
    }
    withdrawn = call(board, "get_article", acting("tong-bien-tap"), made["november_withdrawn"]["id"])
    call(board, "move_article", acting("tong-bien-tap"),
         withdrawn["id"], "unpublish", {"version": withdrawn["version"]})
    call(board, "create_article", acting("tac-gia"), UNIT, {"title": "Bản nháp", "body_html": "<p>x</p>"})
    return made


def test_the_report_groups_a_months_articles_by_author_with_their_points(board, articles):
    report = call(board, "royalty_report", acting("tong-bien-tap"), UNIT, "2026-11")
    assert (report["unit"], report["month"], report["total_points"]) == (UNIT, "2026-11", 3.3)
    # Vietnamese name order, by given name: "Tac Gia" before "Bien Tap" (usernames would put bien-tap first).
    assert [a["author"] for a in report["authors"]] == ["tac-gia", "bien-tap"]
    tac_gia, bien_tap = report["authors"]
    assert (tac_gia["author_name"], tac_gia["total_points"], tac_gia["unscored"]) == ("Tac Gia", 0.3, 0)
    assert [(a["id"], a["points"]) for a in tac_gia["articles"]] == [
        (articles["november_first"]["id"], 0.1), (articles["november"]["id"], 0.2)]
    assert tac_gia["articles"][0]["published_at"] == FIRST_NOVEMBER_NIGHT.isoformat()
    # An article published in the month and unpublished later still counts: it went out then.
    assert {(a["title"], a["status"], a["points"]) for a in bien_tap["articles"]} == {
        ("Lịch tiếp dân tháng 11", "published", None), ("Tin đã gỡ", "unpublished", 3)}
    assert (bien_tap["total_points"], bien_tap["unscored"]) == (3, 1)

    october = call(board, "royalty_report", acting("quan-tri"), UNIT, "2026-10")  # the unit admin may read it too
    assert [(a["author"], [x["title"] for x in a["articles"]], a["total_points"]) for a in october["authors"]] == [
        ("tac-gia", ["Mùa lũ ở Phú Mậu"], 1.5), ("bien-tap", ['=HYPERLINK("http://x")'], 2)]
    assert call(board, "royalty_report", acting("admin"), UNIT, "2026-12") == {
        "unit": UNIT, "month": "2026-12", "authors": [], "total_points": 0}


def test_the_csv_opens_in_excel_and_parses_back(board, articles):
    text = call(board, "royalty_csv", acting("tong-bien-tap"), UNIT, "2026-10")
    data = text.encode("utf-8")
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Tác giả", "Tài khoản", "Bài viết", "Ngày đăng", "Điểm nhuận bút"],
        ["Tac Gia", "tac-gia", "Mùa lũ ở Phú Mậu", "15/10/2026", "1.5"],
        ["Tac Gia", "tac-gia", "Cộng", "", "1.5"],
        # A title that a spreadsheet would run as a formula is kept as text.
        ["Bien Tap", "bien-tap", "'=HYPERLINK(\"http://x\")", "31/10/2026", "2"],
        ["Bien Tap", "bien-tap", "Cộng", "", "2"],
        ["", "", "Tổng cộng", "", "3.5"],
    ]
    november = list(csv.reader(io.StringIO(call(board, "royalty_csv", acting("quan-tri"), UNIT, "2026-11")[1:])))
    assert ["Tac Gia", "tac-gia", "Đón Tết Độc lập", "01/11/2026", "0.1"] in november
    assert ["Bien Tap", "bien-tap", "Lịch tiếp dân tháng 11", "03/11/2026", ""] in november  # not scored yet


def test_only_the_editor_in_chief_and_the_unit_admin_see_royalties(board, articles):
    for outsider in ("tac-gia", "bien-tap", "bien-tap-phu-da"):
        with pytest.raises(Forbidden):
            call(board, "royalty_report", acting(outsider), UNIT, "2026-11")
        with pytest.raises(Forbidden):
            call(board, "royalty_csv", acting(outsider), UNIT, "2026-11")


@pytest.mark.parametrize("month", ["2026-13", "11/2026", "2026-1", "", 202611, None])
def test_a_bad_month_is_refused_naming_the_field(board, month):
    with pytest.raises(InvalidInput) as error:
        call(board, "royalty_report", acting("tong-bien-tap"), UNIT, month)
    assert set(error.value.fields) == {"month"}


def test_the_month_is_read_through_the_unit_and_date_index(board, articles, mongo_client, settings):
    cursor = mongo_client[settings.CONTENT_DB]["articles"].find(published_in(UNIT, "2026-11"), FIELDS)
    plan = cursor.sort("published_at", 1).explain()
    stages = plan_stages(plan["queryPlanner"]["winningPlan"])
    assert "unit_1_published_at_1" in {stage.get("indexName") for stage in stages}
    # Only the month's four articles of the unit are read (the stand-in then sorts them in memory).
    assert plan["executionStats"]["totalDocsExamined"] == 4


def test_names_sort_in_vietnamese_order_by_given_name():
    names = ["Phạm Văn Em", "Đặng Văn Đức", "Nguyễn Thị Dung", "Lê Thị Ánh", "Trần Văn An", "Hồ Thị Ơn", "Lý Văn Ôn"]
    assert sorted(names, key=name_order) == [
        "Trần Văn An", "Lê Thị Ánh", "Nguyễn Thị Dung", "Đặng Văn Đức", "Phạm Văn Em", "Lý Văn Ôn", "Hồ Thị Ơn"]

