"""What the notify tests share besides fixtures: a content stand-in, RPC calls, articles."""
from nameko.rpc import rpc

from services.common.errors import NotFound
from services.common.events import ArticlePublished, utcnow
from tests.drive import article_snapshot, call

UNITS = {
    "phu-vang": {"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "district"},
    "thuan-an": {"slug": "thuan-an", "name": "Phường Thuận An", "level": "ward"},
}


class ContentStandIn:
    """Stand-in for the content service's `get_unit` RPC, the only thing notify asks of it.
    The real content service is tested in tests/content."""

    name = "content"

    @rpc(expected_exceptions=NotFound)
    def get_unit(self, unit):
        if unit not in UNITS:
            raise NotFound(f"No unit {unit!r}")
        return UNITS[unit]


def token_of(notify_db, email, unit="phu-vang"):
    return notify_db.subscriptions.find_one({"email": email, "unit": unit})["token"]


def subscribe_and_confirm(container, notify_db, email, unit="phu-vang"):
    call(container, "subscribe", email, unit)
    return call(container, "confirm", token_of(notify_db, email, unit))


def article_published(article_id="bai-1", version=1, unit="phu-vang", title="Khánh thành cầu Trường Hà", at=None):
    """`at`: when it was published (now by default)."""
    return ArticlePublished(
        document_id=article_id, version=version, occurred_at=utcnow(),
        article=article_snapshot(
            article_id, title, unit=unit, unit_name=UNITS[unit]["name"], slug=f"{article_id}-khanh-thanh",
            summary="Cây cầu nối đôi bờ phá Tam Giang được đưa vào sử dụng.", at=at),
    )
