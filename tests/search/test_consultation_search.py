"""Drafts out for comment are searchable as their own type, open or closed: found by their title
and description, with their closing day on the line under the title, by their summary once
published, and counted by type. Run against each engine (see engine_config)."""
from datetime import date, datetime

from services.common.events import ConsultationOpened, ConsultationSnapshot, ConsultationUpdated, utcnow
from tests.search.driver import UNIT, UNIT_NAME, VIETNAM

OPENED = datetime(2026, 11, 2, 8, 0, tzinfo=VIETNAM)


def consultation(document_id: str, title: str, summary_html: str = "") -> ConsultationSnapshot:
    return ConsultationSnapshot(
        id=document_id, unit=UNIT, unit_name=UNIT_NAME, title=title,
        description="UBND lấy ý kiến Nhân dân về dự thảo trước khi ban hành.", field="Thương mại",
        opens_at=OPENED, closes_on=date(2026, 12, 2), summary_html=summary_html,
        summary_published_at=OPENED if summary_html else None, path=f"/{UNIT}/du-thao/{document_id}",
        updated_at=OPENED)


def test_a_draft_is_found_as_a_consultation_and_its_summary_later(search_service):
    search_service.unit(UNIT, level="huyen", name=UNIT_NAME)
    search_service.send(ConsultationOpened(document_id="c1", version=2, occurred_at=utcnow(),
                                           consultation=consultation("c1", "Dự thảo Quy chế quản lý chợ")))
    search_service.publish("a1", "Hội nghị tổng kết công tác năm")

    result = search_service.search("dự thảo quy chế chợ")
    hit = result["hits"][0]
    assert (hit["type"], hit["id"], hit["path"]) == ("consultation", "c1", f"/{UNIT}/du-thao/c1")
    assert hit["summary"].startswith("Dự thảo lấy ý kiến · hạn góp ý 02/12/2026")
    assert search_service.typed_ids("du thao quy che cho")[0] == ("consultation", "c1")  # without marks
    assert {"value": "consultation", "count": 1} in result["facets"]["type"]
    assert search_service.typed_ids("tiếp thu giờ mở cửa") == []

    summed = consultation("c1", "Dự thảo Quy chế quản lý chợ", summary_html="<p>Tiếp thu ý kiến về giờ mở cửa chợ.</p>")
    search_service.send(ConsultationUpdated(document_id="c1", version=3, occurred_at=utcnow(), consultation=summed))
    assert search_service.typed_ids("tiếp thu giờ mở cửa") == [("consultation", "c1")]
    # An older version arriving late changes nothing.
    search_service.send(ConsultationOpened(document_id="c1", version=2, occurred_at=utcnow(),
                                           consultation=consultation("c1", "Dự thảo Quy chế quản lý chợ")))
    assert search_service.typed_ids("tiếp thu giờ mở cửa") == [("consultation", "c1")]
