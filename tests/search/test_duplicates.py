"""The same item published by many units is one result, shown by its best-ranked copy, with how
many other units' copies matched and a few of their names. Run against each engine (see
engine_config)."""
from datetime import datetime

from tests.search.driver import VIETNAM

COMMUNES = {f"xa-{number}": f"Xã Thôn {name}" for number, name in enumerate(
    ("An", "Bình", "Cát", "Dũng", "Đông", "Giang", "Hà", "Khê", "Lâm", "Minh", "Ninh", "Phong"))}
TITLE = "Thủ tục cấp bản sao giấy khai sinh"
ASKED = "Tôi cần chuẩn bị những giấy tờ gì để xin cấp bản sao giấy khai sinh?"


def answer_everywhere(search_service, units=COMMUNES):
    """Each unit answers the same question in the same words, but for its own name."""
    for slug, name in units.items():
        search_service.unit(slug, "xa", name)
        search_service.answer(f"q-{slug}", TITLE, ASKED,
                              f"Ủy ban nhân dân {name.lower()} trả lời: mang theo căn cước công dân đến "
                              f"Bộ phận một cửa {name}.", unit=slug, unit_name=name)


def test_an_answer_twelve_units_published_is_one_result_naming_three_others(search_service):
    answer_everywhere(search_service)
    search_service.answer("other", "Đăng ký khai sinh cho con", "Thủ tục đăng ký khai sinh lần đầu?",
                          "Nộp tờ khai tại Bộ phận một cửa.")

    result = search_service.search("khai sinh")

    assert result["total"] == 2
    [copy] = [hit for hit in result["hits"] if hit["title"] == TITLE]
    [other] = [hit for hit in result["hits"] if hit["id"] == "other"]
    assert copy["duplicates"] == 11
    assert len(copy["duplicate_units"]) == 3
    others = set(COMMUNES.values()) - {copy["unit_name"]}
    assert set(copy["duplicate_units"]) <= others
    assert (other["duplicates"], other["duplicate_units"]) == (0, [])
    # Newest first, the same.
    dated = search_service.search("khai sinh", sort="date")
    assert dated["total"] == 2
    assert sorted(hit["duplicates"] for hit in dated["hits"]) == [0, 11]


def test_duplicates_count_only_the_copies_that_pass_the_filters(search_service):
    answer_everywhere(search_service)

    result = search_service.search("khai sinh", filters={"unit": ["xa-0", "xa-1", "xa-2"]})

    [hit] = result["hits"]
    assert (result["total"], hit["duplicates"]) == (1, 2)
    assert {hit["unit_name"], *hit["duplicate_units"]} == {COMMUNES[slug] for slug in ("xa-0", "xa-1", "xa-2")}


def test_a_query_naming_a_unit_shows_that_units_copy(search_service):
    answer_everywhere(search_service)

    [hit] = search_service.search("khai sinh Thôn Minh")["hits"]

    assert hit["unit"] == "xa-9"


def test_different_items_are_not_collapsed(search_service):
    elsewhere = {"unit": "xa-1", "unit_name": COMMUNES["xa-1"]}
    # The same title, other words.
    search_service.publish("a", "Lịch tiếp công dân tháng 12", body="Thứ Hai tại trụ sở")
    search_service.publish("b", "Lịch tiếp công dân tháng 12", body="Thứ Ba tại nhà văn hóa", **elsewhere)
    # The same words, another kind of item.
    search_service.publish_page("xa-1/tiep-dan/vi", "Lịch tiếp công dân tháng 12", "Thứ Hai tại trụ sở",
                                **elsewhere)
    # Two units' plans numbered alike are two documents; one document posted by two units is one.
    search_service.publish_document("d1", "15/2026/KH-UBND", "Kế hoạch tiếp công dân",
                                    issuing_body="Ủy ban nhân dân xã Thôn An")
    search_service.publish_document("d2", "15/2026/KH-UBND", "Kế hoạch tiếp công dân",
                                    issuing_body="Ủy ban nhân dân xã Thôn Bình", **elsewhere)
    search_service.publish_document("d3", "15/2026/KH-UBND", "Kế hoạch tiếp công dân",
                                    issuing_body="Ủy ban nhân dân xã Thôn Bình", unit="xa-2",
                                    unit_name=COMMUNES["xa-2"])
    # Two units' weeks are their own, whatever they hold.
    entries = [(datetime(2026, 12, 7, 8, tzinfo=VIETNAM), "Tiếp công dân định kỳ", "Chủ tịch")]
    search_service.publish_schedule("s1", "2026-W50", entries)
    search_service.publish_schedule("s2", "2026-W50", entries, **elsewhere)

    result = search_service.search("tiếp công dân")

    shown = sorted((hit["type"], hit["id"], hit["duplicates"]) for hit in result["hits"])
    assert [(type_, duplicates) for type_, _, duplicates in shown] == [
        ("article", 0), ("article", 0), ("document", 0), ("document", 1), ("page", 0), ("schedule", 0),
        ("schedule", 0)]
    assert result["total"] == 7


def test_pages_are_pages_of_results(search_service):
    for slug, name in list(COMMUNES.items())[:4]:
        for topic in ("khai sinh", "kết hôn", "khai tử"):
            search_service.publish(f"{topic}-{slug}", f"Hướng dẫn đăng ký {topic}", body="Nộp hồ sơ trực tuyến",
                                   unit=slug, unit_name=name)

    first = search_service.search("hướng dẫn đăng ký", per_page=2)
    second = search_service.search("hướng dẫn đăng ký", per_page=2, page=2)

    assert (first["total"], second["total"]) == (3, 3)
    titles = [hit["title"] for hit in first["hits"] + second["hits"]]
    assert sorted(titles) == ["Hướng dẫn đăng ký khai sinh", "Hướng dẫn đăng ký khai tử", "Hướng dẫn đăng ký kết hôn"]
    assert [hit["duplicates"] for hit in first["hits"] + second["hits"]] == [3, 3, 3]


def test_a_withdrawn_copy_leaves_the_others(search_service):
    units = list(COMMUNES.items())[:3]
    for slug, name in units:
        search_service.publish(f"n-{slug}", "Thông báo lịch tiêm chủng", unit=slug, unit_name=name)

    shown = search_service.search("tiêm chủng")["hits"][0]
    search_service.unpublish(shown["id"], version=2, unit=shown["unit"])

    [hit] = search_service.search("tiêm chủng")["hits"]
    assert hit["id"] != shown["id"] and hit["duplicates"] == 1
    assert shown["unit_name"] not in hit["duplicate_units"]


def test_a_unit_publishing_an_item_twice_is_not_named_beside_its_own_copy(search_service):
    (first, first_name), (second, second_name) = list(COMMUNES.items())[:2]
    for number in (1, 2):
        search_service.publish(f"{first}-{number}", "Thông báo lịch tiêm chủng", unit=first, unit_name=first_name)
    search_service.publish(second, "Thông báo lịch tiêm chủng", unit=second, unit_name=second_name)

    [hit] = search_service.search("tiêm chủng")["hits"]

    assert hit["duplicates"] == 2
    assert hit["unit_name"] not in hit["duplicate_units"]
    assert set(hit["duplicate_units"]) <= {first_name, second_name}
