"""Filters, facet counts and the two orders (relevance with a mild boost for recent news, or
date). Run against each engine (see engine_config)."""
from datetime import date, datetime, timedelta

import pytest

from services.common.events import utcnow
from tests.search.driver import VIETNAM

TEXT = "Dịch vụ công trực tuyến"


@pytest.fixture
def province(search_service):
    """Four units on three levels, each publishing one item mentioning online public services."""
    search_service.unit("hue", level="tinh", name="Thành phố Huế")
    search_service.unit("phu-vang", level="huyen", name="Huyện Phú Vang")
    search_service.unit("phu-mau", level="xa", name="Xã Phú Mậu")
    search_service.unit("phu-thuong", level="xa", name="Xã Phú Thượng")
    search_service.publish("a-hue", f"{TEXT} của thành phố", unit="hue", category="tin-tuc",
                           at=datetime(2026, 1, 10, 9, tzinfo=VIETNAM))
    search_service.publish("a-pv", f"Thông báo về {TEXT}", unit="phu-vang", category="thong-bao",
                           at=datetime(2026, 2, 10, 9, tzinfo=VIETNAM))
    search_service.publish_document("d-pm", "3/2026/QĐ-UBND", f"Quy chế {TEXT} của xã", unit="phu-mau",
                                    issued_on=date(2026, 3, 10))
    search_service.answer("q-pt", "Hỏi cách nộp hồ sơ", f"Nộp hồ sơ qua {TEXT} thế nào?", "Qua cổng.",
                          unit="phu-thuong", answered_at=datetime(2026, 4, 10, 23, 30, tzinfo=VIETNAM))
    search_service.publish_schedule("s-pm", "2026-W20", [
        (datetime(2026, 5, 12, 8, tzinfo=VIETNAM), f"Tập huấn {TEXT}", "Chủ tịch UBND xã")], unit="phu-mau")
    return search_service


def ids(service, **options) -> list[str]:
    return sorted(service.ids("dich vu cong", **options))


def counts(facet: list[dict]) -> dict:
    return {entry["value"]: entry["count"] for entry in facet}


def test_filters_by_type_unit_level_and_category(province):
    assert ids(province) == ["a-hue", "a-pv", "d-pm", "q-pt", "s-pm"]
    assert ids(province, filters={"type": "document"}) == ["d-pm"]
    assert ids(province, filters={"type": ["article", "question"]}) == ["a-hue", "a-pv", "q-pt"]
    assert ids(province, filters={"unit": ["phu-mau", "hue"]}) == ["a-hue", "d-pm", "s-pm"]
    assert ids(province, filters={"level": "xa"}) == ["d-pm", "q-pt", "s-pm"]
    assert ids(province, filters={"level": ["tinh", "huyen"]}) == ["a-hue", "a-pv"]
    assert ids(province, filters={"category": "thong-bao"}) == ["a-pv"]
    assert ids(province, filters={"level": "xa", "type": "schedule"}) == ["s-pm"]
    # The original `unit` argument still scopes a search to one unit's site.
    assert ids(province, unit="phu-mau") == ["d-pm", "s-pm"]
    # Values nobody uses are no error: they match nothing.
    assert ids(province, filters={"level": "thon"}) == []
    assert ids(province, filters={"unit": "no-such-unit"}) == []
    # What a form sends for "any": empty values.
    assert ids(province, filters={"unit": "", "level": [], "from": "", "to": None}) == ids(province)


def test_filters_by_date_range_in_vietnam_days(province):
    # q-pt was answered at 23:30 on 10/04 in Vietnam (16:30 UTC): it belongs to 10/04.
    assert ids(province, filters={"from": "2026-02-10", "to": "2026-04-10"}) == ["a-pv", "d-pm", "q-pt"]
    assert ids(province, filters={"from": "2026-04-11"}) == ["s-pm"]
    assert ids(province, filters={"to": "2026-01-10"}) == ["a-hue"]
    assert ids(province, filters={"from": "2026-03-10", "to": "2026-03-10"}) == ["d-pm"]
    # A schedule's date is its week's Monday (11/05/2026).
    assert ids(province, filters={"from": "2026-05-11", "to": "2026-05-11"}) == ["s-pm"]


def test_facets_count_the_matches_each_ignoring_its_own_filter(province):
    result = province.search("dich vu cong")

    facets = result["facets"]
    assert counts(facets["type"]) == {"article": 2, "document": 1, "question": 1, "schedule": 1}
    assert counts(facets["unit"]) == {"hue": 1, "phu-vang": 1, "phu-mau": 2, "phu-thuong": 1}
    assert counts(facets["level"]) == {"tinh": 1, "huyen": 1, "xa": 3}
    assert counts(facets["category"]) == {"tin-tuc": 1, "thong-bao": 1}
    # Largest first; units carry their names.
    assert facets["level"][0] == {"value": "xa", "count": 3}
    assert facets["unit"][0] == {"value": "phu-mau", "count": 2, "name": "Xã Phú Mậu"}
    assert result["suggestion"] is None

    filtered = province.search("dich vu cong", filters={"type": "article"})
    assert filtered["total"] == 2
    assert filtered["filters"] == {"type": ["article"]}
    facets = filtered["facets"]
    # The type facet still offers every type; the others count articles only.
    assert counts(facets["type"]) == {"article": 2, "document": 1, "question": 1, "schedule": 1}
    assert counts(facets["unit"]) == {"hue": 1, "phu-vang": 1}
    assert counts(facets["level"]) == {"tinh": 1, "huyen": 1}

    by_level = province.search("dich vu cong", filters={"level": "xa", "type": ["document", "schedule"]})
    assert by_level["total"] == 2
    facets = by_level["facets"]
    assert counts(facets["level"]) == {"xa": 2}  # levels of documents and schedules
    assert counts(facets["type"]) == {"document": 1, "question": 1, "schedule": 1}  # types at level xa
    assert counts(facets["unit"]) == {"phu-mau": 2}


def test_a_unit_changing_level_moves_its_items_without_reindexing(province):
    assert ids(province, filters={"level": "huyen"}) == ["a-pv"]

    # 2025: the district level is abolished and Phú Vang's territory becomes a commune-level unit.
    province.unit("phu-vang", level="xa", name="Xã Phú Vang", version=2)

    assert ids(province, filters={"level": "huyen"}) == []
    assert ids(province, filters={"level": "xa"}) == ["a-pv", "d-pm", "q-pt", "s-pm"]
    [hit] = province.search("dich vu cong", filters={"unit": "phu-vang"})["hits"]
    assert (hit["unit_name"], hit["unit_level"]) == ("Xã Phú Vang", "xa")


def test_date_order_puts_the_newest_first_whatever_the_relevance(province):
    newest_first = ["s-pm", "q-pt", "d-pm", "a-pv", "a-hue"]
    assert province.ids("dich vu cong", sort="date") == newest_first

    first = province.search("dich vu cong", sort="date", per_page=2)
    second = province.search("dich vu cong", sort="date", per_page=2, page=2)
    assert first["sort"] == "date" and first["total"] == 5
    assert [hit["id"] for hit in first["hits"] + second["hits"]] == newest_first[:4]
    assert province.ids("dich vu cong", sort="date", filters={"type": "article"}) == ["a-pv", "a-hue"]


def test_recent_news_ranks_a_little_higher_but_never_above_a_much_better_match(search_service):
    now = utcnow()
    # The same words: the newer article comes first (published second, so order of arrival
    # cannot explain it). Their bodies differ, but not in the words sought: two items, not copies of one.
    search_service.publish("new", "Kế hoạch phòng chống bão lũ", body="Năm 2026", at=now - timedelta(days=2))
    search_service.publish("old", "Kế hoạch phòng chống bão lũ", body="Năm 2024", at=now - timedelta(days=700))
    assert search_service.ids("phong chong bao lu") == ["new", "old"]

    # A much better match (the words together in the title) stays above a recent passing mention.
    search_service.publish("best", "Kế hoạch phát triển du lịch cộng đồng", at=now - timedelta(days=900))
    search_service.publish("mention", "Tin hoạt động trong tuần", body="Kế hoạch năm nay; du lịch; cộng đồng",
                           at=now - timedelta(hours=1))
    assert search_service.ids("ke hoach du lich cong dong") == ["best", "mention"]
