"""What the notify tests share besides fixtures: a content stand-in, RPC calls, articles."""
from datetime import datetime, timezone

from nameko.rpc import rpc
from nameko.testing.services import entrypoint_hook

from services.common.errors import NotFound
from services.common.events import ArticlePublished, ArticleSnapshot

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


def call(container, method, *args):
    with entrypoint_hook(container, method) as entrypoint:
        return entrypoint(*args)


def token_of(notify_db, email, unit="phu-vang"):
    return notify_db.subscriptions.find_one({"email": email, "unit": unit})["token"]


def subscribe_and_confirm(container, notify_db, email, unit="phu-vang"):
    call(container, "subscribe", email, unit)
    return call(container, "confirm", token_of(notify_db, email, unit))


def article_published(article_id="bai-1", version=1, unit="phu-vang", title="Khánh thành cầu Trường Hà"):
    now = datetime.now(timezone.utc)
    slug = f"{article_id}-khanh-thanh"
    return ArticlePublished(
        document_id=article_id,
        version=version,
        occurred_at=now,
        article=ArticleSnapshot(
            id=article_id,
            unit=unit,
            unit_name=UNITS[unit]["name"],
            slug=slug,
            title=title,
            summary="Cây cầu nối đôi bờ phá Tam Giang được đưa vào sử dụng.",
            body_html="<p>Nội dung bài viết.</p>",
            path=f"/{unit}/tin-tuc/{slug}",
            published_at=now,
            updated_at=now,
        ),
    )
