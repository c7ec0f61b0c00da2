"""A legal document filed under a disclosure section is found by that section's words too
('dự toán ngân sách', 'mua sắm công'), which its own excerpt may not use. Run against each
engine (see engine_config)."""
from datetime import date, datetime

from services.common.events import DocumentPublished, DocumentSnapshot, utcnow
from tests.search.driver import UNIT, UNIT_NAME, VIETNAM

PUBLISHED = datetime(2026, 1, 12, 9, 0, tzinfo=VIETNAM)


def document(document_id: str, number: str, excerpt: str, section: str | None = None,
             section_title: str = "") -> DocumentSnapshot:
    return DocumentSnapshot(
        id=document_id, unit=UNIT, unit_name=UNIT_NAME, number=number, type="Quyết định",
        issuing_body="UBND huyện Phú Vang", issued_on=date(2026, 1, 10), excerpt=excerpt,
        section=section, section_title=section_title, path=f"/{UNIT}/van-ban/{document_id}",
        published_at=PUBLISHED, updated_at=PUBLISHED)


def test_a_disclosure_is_found_by_its_sections_words(search_service):
    search_service.unit(UNIT, level="huyen", name=UNIT_NAME)
    filed = document("d1", "07/2026/QĐ-UBND", "Công bố số liệu thu, chi năm 2026 của huyện Phú Vang",
                     "ngan-sach", "Dự toán, quyết toán ngân sách")
    ordinary = document("d2", "08/2026/QĐ-UBND", "Về việc thành lập tổ công tác chuyển đổi số")
    for snapshot in (filed, ordinary):
        search_service.send(DocumentPublished(document_id=snapshot.id, version=1, occurred_at=utcnow(),
                                              document=snapshot))
    assert search_service.typed_ids("quyết toán ngân sách") == [("document", "d1")]
    assert search_service.typed_ids("du toan ngan sach") == [("document", "d1")]   # without marks
    assert search_service.typed_ids("chuyển đổi số") == [("document", "d2")]
