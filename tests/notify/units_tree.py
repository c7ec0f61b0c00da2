"""A content stand-in that knows the province's tree of units and their news categories: what
notify asks of content to check a scope and to find the units an item's unit is under.
The real content service is tested in tests/content."""
from datetime import date

from nameko.rpc import rpc

from services.common import events
from services.common.errors import NotFound
from tests.drive import article_snapshot

UNITS = {
    "thua-thien-hue": {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "province", "parent": None},
    "phu-vang": {"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "district", "parent": "thua-thien-hue"},
    "thuan-an": {"slug": "thuan-an", "name": "Phường Thuận An", "level": "ward", "parent": "phu-vang"},
    "phu-mau": {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "commune", "parent": "phu-vang"},
    "phong-dien": {"slug": "phong-dien", "name": "Thị xã Phong Điền", "level": "district", "parent": "thua-thien-hue"},
}
CATEGORIES = {"phu-vang": [{"slug": "kinh-te", "name": "Kinh tế"}, {"slug": "van-hoa", "name": "Văn hóa"}]}


class ContentTree:
    name = "content"

    @rpc(expected_exceptions=NotFound)
    def get_unit(self, unit):
        if unit not in UNITS:
            raise NotFound(f"No unit {unit!r}")
        return UNITS[unit]

    @rpc(expected_exceptions=NotFound)
    def list_categories(self, unit, skip=0, limit=0):
        self.get_unit(unit)
        return CATEGORIES.get(unit, [])


def news(article_id, unit="phu-vang", category=None, title="Tin mới"):
    snapshot = article_snapshot(article_id, title, unit=unit, unit_name=UNITS[unit]["name"])
    return events.ArticlePublished(document_id=article_id, version=1, occurred_at=events.utcnow(),
                                   article=snapshot.model_copy(update={"category": category}))


def legal_document(document_id, unit="phu-vang"):
    now = events.utcnow()
    return events.DocumentPublished(
        document_id=document_id, version=1, occurred_at=now,
        document=events.DocumentSnapshot(
            id=document_id, unit=unit, unit_name=UNITS[unit]["name"], number="12/2026/QĐ-UBND",
            type="Quyết định", issuing_body="UBND huyện Phú Vang", issued_on=date(2026, 12, 1),
            excerpt="Về việc ban hành quy chế phối hợp", path=f"/{unit}/van-ban/{document_id}",
            published_at=now, updated_at=now))


def unit_merged(unit, successor, version=2):
    record = UNITS[unit]
    return events.UnitUpdated(document_id=unit, version=version, occurred_at=events.utcnow(),
                              unit=events.UnitSnapshot(slug=unit, name=record["name"], level=record["level"],
                                                       parent=record["parent"], status="merged", successor=successor))
