"""Everything the content service publishes is searchable, each type with its own fields and
date, and each versioned on its own. Run against each engine (see engine_config)."""
from datetime import date, datetime

from tests.search.driver import VIETNAM

MONDAY_0730 = datetime(2026, 11, 23, 7, 30, tzinfo=VIETNAM)  # week 2026-W48
ANSWERED = datetime(2026, 4, 10, 15, 0, tzinfo=VIETNAM)
PUBLISHED = datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)


def publish_one_of_each(search_service):
    search_service.publish("a1", "Phú Vang đẩy mạnh chuyển đổi số", summary="Tin về chuyển đổi số",
                           category="tin-tuc-su-kien", at=PUBLISHED)
    search_service.publish_document("d1", "12/2026/QĐ-UBND", "Ban hành quy chế chuyển đổi số của huyện",
                                    issued_on=date(2026, 3, 12), field="Khoa học công nghệ")
    search_service.publish_schedule("s1", "2026-W48", [
        (MONDAY_0730, "Họp bàn chuyển đổi số", "Chủ tịch UBND huyện Lê Văn C")])
    search_service.answer("q1", "Hỏi về chuyển đổi số", "Khi nào huyện có ứng dụng chuyển đổi số?",
                          "Huyện triển khai từ tháng ba.", answered_at=ANSWERED)


def test_each_type_is_found_with_its_type_unit_level_and_date(search_service):
    search_service.unit("phu-vang", level="huyen", name="Huyện Phú Vang")
    publish_one_of_each(search_service)

    result = search_service.search("chuyen doi so")

    assert result["total"] == 4
    hits = {hit["type"]: hit for hit in result["hits"]}
    assert set(hits) == {"article", "document", "schedule", "question"}
    for hit in hits.values():
        # The unit's current name and level come from its unit_updated event.
        assert (hit["unit"], hit["unit_name"], hit["unit_level"]) == ("phu-vang", "Huyện Phú Vang", "huyen")
        assert "<mark>" in hit["snippet"]

    article = hits["article"]
    assert (article["id"], article["category"]) == ("a1", "tin-tuc-su-kien")
    assert datetime.fromisoformat(article["date"]) == PUBLISHED
    assert article["path"] == "/phu-vang/tin-tuc/a1"

    document = hits["document"]
    assert document["title"] == "Quyết định số 12/2026/QĐ-UBND"
    assert document["summary"] == "Ban hành quy chế chuyển đổi số của huyện"
    assert document["date"] == "2026-03-12T00:00:00+07:00"
    assert (document["path"], document["category"]) == ("/phu-vang/van-ban/d1", None)

    schedule = hits["schedule"]
    assert schedule["title"] == "Lịch công tác tuần 48/2026 (23/11/2026 – 29/11/2026)"
    assert schedule["summary"] == "Họp bàn chuyển đổi số"
    assert schedule["date"] == "2026-11-23T00:00:00+07:00"  # the week's Monday
    assert schedule["path"] == "/phu-vang/lich-cong-tac/2026-W48"

    question = hits["question"]
    assert question["title"] == "Hỏi về chuyển đổi số"
    assert question["summary"] == "Khi nào huyện có ứng dụng chuyển đổi số?"
    assert datetime.fromisoformat(question["date"]) == ANSWERED
    assert question["path"] == "/phu-vang/hoi-dap/q1"


def test_each_types_own_fields_are_searchable(search_service):
    publish_one_of_each(search_service)

    assert search_service.typed_ids("quy che") == [("document", "d1")]  # the excerpt
    assert search_service.typed_ids("khoa hoc cong nghe") == [("document", "d1")]  # the field
    assert search_service.typed_ids("Lê Văn C") == [("schedule", "s1")]  # an entry's leader
    assert search_service.typed_ids("hoi truong") == [("schedule", "s1")]  # an entry's place
    assert search_service.typed_ids("thang ba") == [("question", "q1")]  # the answer
    assert search_service.typed_ids("ung dung") == [("question", "q1")]  # the question
    assert search_service.typed_ids("lich cong tac tuan 48") == [("schedule", "s1")]
    # Personal details of the citizen who asked are not searchable.
    assert search_service.typed_ids("Trần Thị B") == []


def test_a_document_number_is_found_exactly_and_by_its_start(search_service):
    search_service.publish_document("d12", "12/2026/QĐ-UBND", "Quy định quản lý trang thông tin điện tử")
    # Mentions d12's number in its excerpt, and ranks well on those words by itself.
    search_service.publish_document("d13", "13/2026/QĐ-UBND",
                                    "Sửa đổi Quyết định số 12/2026/QĐ-UBND về quản lý trang thông tin điện tử")
    search_service.publish_document("d7", "7/2026/NQ-HĐND", "Nghị quyết năm 2026 về ngân sách, kỳ họp thứ 12",
                                    type="Nghị quyết")
    search_service.publish("news", "Triển khai Quyết định 12/2026/QĐ-UBND của tỉnh", body="Quyết định 12/2026/QĐ-UBND")

    for typed in ("12/2026/QĐ-UBND", "12/2026/qđ-ubnd", "12/2026/QD-UBND", "số 12/2026/QĐ-UBND,",
                  "quyết định số 12/2026/QĐ-UBND"):
        found = search_service.ids(typed)
        assert found[0] == "d12", typed
        assert "d7" not in found, typed
    assert search_service.ids("12/2026")[0] == "d12"
    assert search_service.ids("7/2026/NQ-HĐND") == ["d7"]


def test_ids_are_unique_per_type_only(search_service):
    search_service.publish("same", "Thông báo lịch tiếp công dân")
    search_service.publish_document("same", "1/TB-UBND", "Thông báo lịch tiếp công dân", type="Thông báo")
    search_service.answer("same", "Lịch tiếp công dân", "Thông báo lịch tiếp công dân ở đâu?", "Trên trang.")

    assert sorted(search_service.typed_ids("tiep cong dan")) == [
        ("article", "same"), ("document", "same"), ("question", "same")]

    search_service.unpublish("same", version=2)
    assert sorted(search_service.typed_ids("tiep cong dan")) == [("document", "same"), ("question", "same")]


def test_each_type_keeps_the_newest_version(search_service):
    search_service.publish_document("d1", "5/2026/QĐ-UBND", "Quy chế tiếp công dân bản hai", version=2)
    search_service.publish_document("d1", "5/2026/QĐ-UBND", "Quy chế tiếp công dân bản một", version=1)
    search_service.publish_schedule("s1", "2026-W10", [(datetime(2026, 3, 2, 8, tzinfo=VIETNAM), "Họp thường kỳ",
                                                        "Chủ tịch")], version=1)
    search_service.publish_schedule("s1", "2026-W10", [(datetime(2026, 3, 3, 8, tzinfo=VIETNAM), "Họp đột xuất",
                                                        "Chủ tịch")], version=2)
    search_service.answer("q1", "Hỏi về đất đai", "Thủ tục cấp sổ đỏ?", "Trả lời đã sửa", version=3)
    search_service.answer("q1", "Hỏi về đất đai", "Thủ tục cấp sổ đỏ?", "Trả lời sơ bộ", version=2)

    assert search_service.typed_ids("ban hai") == [("document", "d1")]
    assert search_service.typed_ids("ban mot") == []
    assert search_service.typed_ids("dot xuat") == [("schedule", "s1")]
    assert search_service.typed_ids("thuong ky") == []
    assert search_service.typed_ids("da sua") == [("question", "q1")]
    assert search_service.typed_ids("so bo") == []


def test_a_units_newest_level_wins(search_service):
    search_service.unit("phu-vang", level="xa", name="Xã Phú Vang", version=2)
    search_service.unit("phu-vang", level="huyen", name="Huyện Phú Vang", version=1)
    search_service.publish("a1", "Tin xã Phú Vang")

    [hit] = search_service.search("tin phu vang")["hits"]
    assert (hit["unit_level"], hit["unit_name"]) == ("xa", "Xã Phú Vang")


def test_a_units_static_page_is_found_with_its_path_and_date(search_service):
    changed = datetime(2026, 5, 4, 10, 0, tzinfo=VIETNAM)
    search_service.publish_page("phu-vang/chuc-nang-nhiem-vu/vi", "Chức năng, nhiệm vụ",
                                "Ủy ban nhân dân huyện quản lý nhà nước về đất đai, xây dựng và giáo dục.",
                                changed_at=changed)
    search_service.publish_page("phu-vang/chuc-nang-nhiem-vu/en", "Functions and duties",
                                "The district People's Committee manages land, construction and education.")

    [hit] = search_service.search("quan ly nha nuoc ve dat dai")["hits"]
    assert (hit["type"], hit["id"], hit["title"]) == ("page", "phu-vang/chuc-nang-nhiem-vu/vi", "Chức năng, nhiệm vụ")
    assert hit["path"] == "/phu-vang/gioi-thieu/chuc-nang-nhiem-vu"
    assert datetime.fromisoformat(hit["date"]) == changed
    assert "<mark>" in hit["snippet"] and "giáo dục" in hit["snippet"]  # from the body: a page has no summary
    assert search_service.ids("land construction") == ["phu-vang/chuc-nang-nhiem-vu/en"]
    assert search_service.search("functions", filters={"type": "page"})["facets"]["type"] == [
        {"value": "page", "count": 1}]


def test_a_withdrawn_page_stays_hidden_from_late_older_events(search_service):
    search_service.publish_page("phu-vang/lien-he/vi", "Liên hệ", "Điện thoại đường dây nóng", version=1)
    search_service.withdraw_page("phu-vang/lien-he/vi", version=2)
    assert search_service.ids("duong day nong") == []

    search_service.publish_page("phu-vang/lien-he/vi", "Liên hệ", "Điện thoại đường dây nóng", version=1)
    assert search_service.ids("duong day nong") == []

    # Created again, the page comes back as its next version.
    search_service.publish_page("phu-vang/lien-he/vi", "Liên hệ", "Điện thoại đường dây nóng mới", version=3)
    assert search_service.ids("duong day nong") == ["phu-vang/lien-he/vi"]
