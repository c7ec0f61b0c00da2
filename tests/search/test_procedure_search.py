"""Administrative procedures are searchable as their own type: found by the words citizens use
('thủ tục đăng ký khai sinh'), by their papers and code, filtered and counted by type, and gone
once withdrawn. Run against each engine (see engine_config)."""
from datetime import datetime

from services.common.events import ProcedurePublished, ProcedureSnapshot, ProcedureWithdrawn, utcnow
from tests.search.driver import UNIT, UNIT_NAME, VIETNAM

PUBLISHED = datetime(2026, 5, 4, 9, 0, tzinfo=VIETNAM)


def procedure(document_id: str, name: str, field: str = "Hộ tịch", code: str | None = None,
              papers_html: str = "", unit: str = UNIT, unit_name: str = UNIT_NAME) -> ProcedureSnapshot:
    return ProcedureSnapshot(
        id=document_id, unit=unit, unit_name=unit_name, name=name, code=code, field=field, level="xa",
        papers_html=papers_html, processing_time="Ngay trong ngày làm việc", fees="Miễn lệ phí",
        result="Giấy khai sinh", legal_basis="Luật Hộ tịch 2014",
        portal_url="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
        path=f"/{unit}/thu-tuc-hanh-chinh/{document_id}", published_at=PUBLISHED, updated_at=PUBLISHED)


def publish(search_service, document_id: str, name: str, version: int = 1, **fields):
    search_service.send(ProcedurePublished(document_id=document_id, version=version, occurred_at=utcnow(),
                                           procedure=procedure(document_id, name, **fields)))


def test_a_procedure_is_found_by_what_citizens_type(search_service):
    search_service.unit(UNIT, level="huyen", name=UNIT_NAME)
    publish(search_service, "p1", "Đăng ký khai sinh", code="1.001193",
            papers_html="<ul><li>Tờ khai đăng ký khai sinh</li><li>Giấy chứng sinh</li></ul>")
    publish(search_service, "p2", "Đăng ký kết hôn", code="1.000894")
    search_service.publish("a1", "Hội nghị tổng kết công tác năm")

    result = search_service.search("thủ tục đăng ký khai sinh")
    assert result["hits"][0]["id"] == "p1"
    hit = result["hits"][0]
    assert (hit["type"], hit["title"], hit["path"]) == ("procedure", "Đăng ký khai sinh",
                                                        "/phu-vang/thu-tuc-hanh-chinh/p1")
    assert hit["summary"] == "Thủ tục hành chính · Lĩnh vực Hộ tịch · Cấp xã"
    assert datetime.fromisoformat(hit["date"]) == PUBLISHED
    assert search_service.typed_ids("thu tuc dang ky khai sinh")[0] == ("procedure", "p1")  # without marks
    assert search_service.typed_ids("giay chung sinh") == [("procedure", "p1")]  # its papers
    types = {option["value"]: option["count"] for option in search_service.search("đăng ký")["facets"]["type"]}
    assert types == {"procedure": 2}
    assert sorted(search_service.typed_ids("dang ky", filters={"type": "procedure"})) == [
        ("procedure", "p1"), ("procedure", "p2")]


def test_a_withdrawn_procedure_is_no_longer_found_and_an_older_event_does_not_bring_it_back(search_service):
    publish(search_service, "p1", "Đăng ký khai sinh", version=2)
    assert search_service.typed_ids("khai sinh") == [("procedure", "p1")]
    search_service.send(ProcedureWithdrawn(document_id="p1", version=3, occurred_at=utcnow(), unit=UNIT))
    assert search_service.typed_ids("khai sinh") == []
    publish(search_service, "p1", "Đăng ký khai sinh", version=2)  # late, and older
    assert search_service.typed_ids("khai sinh") == []
