"""The search service's behaviour, run once against each engine (see engine_config)."""
import re
import unicodedata
from datetime import datetime, timezone
from queue import Empty

import pytest
from kombu import Connection, Queue
from nameko.standalone.events import get_event_exchange

from services.common.errors import InvalidInput
from services.common.events import ArticlePublished, ArticleUpdated, SearchIndexChanged, utcnow
from tests.search.driver import article


def test_matches_with_or_without_diacritics(search_service):
    search_service.publish("hue", "Thừa Thiên Huế chuyển đổi số")
    search_service.publish("portal", "Cổng thông tin điện tử của tỉnh")
    search_service.publish("danang", "Hợp tác du lịch với Đà Nẵng")

    assert search_service.ids("thua thien hue") == ["hue"]
    assert search_service.ids("Thừa Thiên Huế") == ["hue"]
    assert search_service.ids("dien tu") == ["portal"]
    assert search_service.ids("ĐIỆN TỬ") == ["portal"]
    assert search_service.ids("Đà Nẵng") == ["danang"]
    assert search_service.ids("da nang") == ["danang"]
    # A query typed on a keyboard that sends decomposed accents still matches.
    assert search_service.ids(unicodedata.normalize("NFD", "Đà Nẵng")) == ["danang"]


def test_result_shape_and_escaped_highlight(search_service):
    search_service.publish("schedule", "Lịch công tác tuần", summary="Lịch của lãnh đạo huyện",
                           body="Họp bàn về Huế &amp; <b>Đà Nẵng</b> <script>alert(1)</script>")

    result = search_service.search("  lich   cong  tac ")

    assert result["query"] == "lich cong tac"
    assert (result["total"], result["page"], result["per_page"]) == (1, 1, 10)
    [hit] = result["hits"]
    assert hit["id"] == "schedule"
    assert hit["unit"] == "phu-vang" and hit["unit_name"] == "Huyện Phú Vang"
    assert hit["title"] == "Lịch công tác tuần"
    assert hit["summary"] == "Lịch của lãnh đạo huyện"
    assert hit["path"] == "/phu-vang/tin-tuc/schedule"
    assert hit["published_at"].startswith("20") and "T" in hit["published_at"]
    # The body does not mention the words, so the summary gives the highlight.
    assert "<mark>Lịch</mark>" in hit["highlight"]

    [hit] = search_service.search("hue")["hits"]
    assert "<mark>Huế</mark> &amp; Đà Nẵng" in hit["highlight"]
    assert "<script>" not in hit["highlight"] and "alert" not in hit["highlight"]


def test_exact_accents_rank_above_folded_matches(search_service):
    search_service.publish("hue-city", "Lễ hội ở Huế")
    search_service.publish("hue-name", "Lễ hội ở Huệ")
    search_service.publish("no-accents", "Le hoi o hue")

    by_exact_city = search_service.ids("Huế")
    by_exact_name = search_service.ids("Huệ")

    assert sorted(by_exact_city) == ["hue-city", "hue-name", "no-accents"]
    assert by_exact_city[0] == "hue-city"
    assert by_exact_name[0] == "hue-name"


def test_adjacent_syllables_rank_above_scattered_ones(search_service):
    search_service.publish("scattered", "Tử tế trong ngành điện của tỉnh")
    search_service.publish("adjacent", "Trang thông tin điện tử của tỉnh")

    assert search_service.ids("điện tử") == ["adjacent", "scattered"]


def test_an_abbreviation_finds_its_words_only_in_order_and_marks_them(search_service):
    search_service.publish("in-order", "Kỳ họp thứ mười", body="Hội đồng nhân dân huyện họp thường kỳ.")
    search_service.publish("scattered", "Họp dân", body="Hội trường đông đủ; đồng bào nhân dân dự họp.")

    [hit] = search_service.search("HĐND")["hits"]

    assert hit["id"] == "in-order"
    assert re.sub("</?mark>", "", hit["highlight"]).startswith("Hội đồng nhân dân huyện họp thường kỳ")
    assert re.findall("<mark>([^<]+)</mark>", hit["highlight"]) in (["Hội", "đồng", "nhân", "dân"],
                                                                     ["Hội đồng nhân dân"])


def test_unit_filter(search_service):
    search_service.publish("a", "Dịch vụ công trực tuyến", unit="phu-vang")
    # Another item: the same one published by two units would be one result (test_duplicates.py).
    search_service.publish("b", "Dịch vụ công trực tuyến toàn trình", unit="huong-tra", unit_name="Thị xã Hương Trà")

    assert search_service.ids("dich vu cong", unit="huong-tra") == ["b"]
    assert sorted(search_service.ids("dich vu cong")) == ["a", "b"]
    assert search_service.ids("dich vu cong", unit="no-such-unit") == []


def test_pages_through_results(search_service):
    for number in range(3):
        search_service.publish(f"notice-{number}", f"Thông báo số {number}")

    first = search_service.search("thong bao", per_page=2)
    second = search_service.search("thong bao", page=2, per_page=2)

    assert first["total"] == second["total"] == 3
    assert len(first["hits"]) == 2 and len(second["hits"]) == 1
    pages = [hit["id"] for hit in first["hits"] + second["hits"]]
    assert sorted(pages) == ["notice-0", "notice-1", "notice-2"]


def test_same_event_twice_indexes_one_document(search_service):
    search_service.publish("q1", "Hỏi đáp về thủ tục hành chính", version=1)
    search_service.publish("q1", "Hỏi đáp về thủ tục hành chính", version=1)

    assert search_service.search("thu tuc hanh chinh")["total"] == 1


def test_newer_version_replaces_content(search_service):
    search_service.publish("jobs", "Thông báo tuyển dụng viên chức", version=1)
    search_service.update("jobs", "Kết quả tuyển dụng viên chức", version=2)

    assert search_service.ids("thong bao") == []
    [hit] = search_service.search("ket qua tuyen dung")["hits"]
    assert hit["title"] == "Kết quả tuyển dụng viên chức"


def test_older_version_never_overwrites_newer(search_service):
    search_service.update("calendar", "Lịch tiếp công dân tháng năm", version=3)
    search_service.update("calendar", "Lịch tiếp công dân tháng tư", version=2)
    search_service.publish("calendar", "Lịch tiếp công dân tháng tư", version=1)

    [hit] = search_service.search("lich tiep cong dan")["hits"]
    assert hit["title"] == "Lịch tiếp công dân tháng năm"
    assert search_service.ids("thang tu") == []


def test_concurrent_events_in_any_order_leave_the_newest(search_service):
    versions = [3, 6, 1, 5, 2, 4]
    search_service.send_together([
        ArticleUpdated(document_id="budget", version=version, occurred_at=utcnow(),
                       article=article("budget", f"Báo cáo ngân sách bản {version}"))
        for version in versions
    ])

    [hit] = search_service.search("bao cao ngan sach")["hits"]
    assert hit["title"] == "Báo cáo ngân sách bản 6"


def test_unpublished_article_stays_hidden_from_late_older_events(search_service):
    search_service.publish("withdrawn", "Kế hoạch cải cách hành chính", version=1)
    search_service.unpublish("withdrawn", version=2)
    assert search_service.ids("cai cach") == []

    search_service.publish("withdrawn", "Kế hoạch cải cách hành chính", version=1)
    search_service.update("withdrawn", "Kế hoạch cải cách hành chính", version=2)
    assert search_service.ids("cai cach") == []

    # A newer publication brings it back.
    search_service.publish("withdrawn", "Kế hoạch cải cách hành chính năm mới", version=3)
    assert search_service.ids("cai cach") == ["withdrawn"]


@pytest.mark.parametrize("arguments, fields", [
    ({"query": ""}, {"query"}),
    ({"query": "   "}, {"query"}),
    ({"query": "x" * 2001}, {"query"}),
    ({"query": 42}, {"query"}),
    ({"query": "hue", "page": 0}, {"page"}),
    ({"query": "hue", "page": 1001}, {"page"}),  # past the 10,000th result
    ({"query": "hue", "per_page": 0}, {"per_page"}),
    ({"query": "hue", "per_page": 51}, {"per_page"}),
    ({"query": "", "page": -1, "per_page": "10"}, {"query", "page", "per_page"}),
])
def test_invalid_input_names_the_fields(search_service, arguments, fields):
    with pytest.raises(InvalidInput) as raised:
        search_service.rpc.search(**arguments)

    assert set(raised.value.fields) == fields


def test_concurrent_events_for_different_items_are_all_searchable_when_handled(search_service):
    # The embedded engine commits writes arriving together at once; each handler returns only
    # once its write is committed and searchable.
    search_service.send_together([
        ArticlePublished(document_id=f"batch-{number}", version=1, occurred_at=utcnow(),
                         article=article(f"batch-{number}", f"Thông báo tuyển sinh đợt {number}"))
        for number in range(8)
    ])

    assert search_service.search("thong bao tuyen sinh")["total"] == 8


def test_a_repeated_search_is_answered_again_only_once_the_index_changed(search_service):
    search_service.publish("hue", "Thừa Thiên Huế chuyển đổi số")
    assert search_service.ids("chuyển đổi số") == ["hue"]
    assert search_service.ids("chuyển đổi số") == ["hue"]  # the same request, the same index
    search_service.publish("phu-mau", "Xã Phú Mậu chuyển đổi số", at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert search_service.ids("chuyển đổi số") == ["hue", "phu-mau"]
    search_service.unpublish("hue", 2)
    assert search_service.ids("chuyển đổi số") == ["phu-mau"]


def test_each_change_searches_can_see_is_announced_and_an_ignored_event_is_not(search_service, engine_config):
    exchange = get_event_exchange(SearchIndexChanged.source, engine_config)
    queue = Queue(exchange=exchange, routing_key=SearchIndexChanged.name, exclusive=True, auto_delete=True)
    with Connection(engine_config["AMQP_URI"]) as connection, connection.SimpleQueue(queue) as notices:
        search_service.publish("hue", "Thừa Thiên Huế chuyển đổi số", version=2)
        notice = notices.get(timeout=5)
        assert SearchIndexChanged.model_validate(notice.payload).occurred_at <= utcnow()
        notice.ack()
        search_service.publish("hue", "Bản cũ hơn", version=1)  # older than what the index holds
        with pytest.raises(Empty):
            notices.get(timeout=0.5)
        search_service.unpublish("hue", 3)
        notices.get(timeout=5).ack()
