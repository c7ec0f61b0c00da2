"""Nothing is lost when the content service dies between its write and its dispatch."""
from nameko.testing.services import entrypoint_waiter

from services.common import events
from services.content.access import Actor
from services.content.articles.schemas import ArticleInput
from services.content.service import ContentService
from services.content.units.schemas import LevelInput, UnitInput
from tests.content.conftest import received
from tests.servers import wait_for

ADMIN = Actor(username="admin", name="Quản trị", platform_admin=True)


def test_an_event_committed_before_a_crash_is_sent_after_restart(
        container_factory, nameko_config, listener, stores):
    # The write half of publishing, committed by a process that then died before
    # dispatching: the change and its outbox entry are in MongoDB, nothing went out.
    content = stores
    content.ensure_indexes()
    content.access.ensure_platform_admin("admin", "token")
    content.units.create_level(ADMIN, LevelInput(slug="tinh", name="Tỉnh", order=0))
    content.units.create(ADMIN, UnitInput(slug="thua-thien-hue", name="Tỉnh Thừa Thiên Huế", level="tinh"))
    draft = content.articles.create(ADMIN, "thua-thien-hue", ArticleInput(title="Tin khẩn", body_html="<p>x</p>"))
    content.articles.move(ADMIN, draft["id"], "force_publish", 1, comment="Đăng ngay")
    assert content.outbox.pending_count() == 2  # unit_updated and article_published

    with entrypoint_waiter(listener, "on_article_published", timeout=10):
        container_factory(ContentService, nameko_config).start()

    assert [e.document_id for e in received(events.ArticlePublished)] == [draft["id"]]
    wait_for(lambda: content.outbox.pending_count() == 0, message="outbox drained")
