import pytest
from nameko.testing.services import entrypoint_waiter

from services.common import events
from services.common.errors import Conflict, InvalidInput, NotFound
from services.content.dependencies import ContentStore
from services.content.schemas import ArticleInput, UnitInput
from services.content.service import ContentService
from tests.drive import call
from tests.servers import wait_for

PROVINCE = {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"}
COMMUNE = {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa", "parent": "thua-thien-hue"}
ARTICLE = {"title": "Thừa Thiên Huế đẩy mạnh chính quyền điện tử",
           "summary": "Tóm tắt", "body_html": "<p>Nội dung</p>", "author": "Biên tập viên"}


class Listener:
    """Records the contract events content publishes, as a consumer service would."""
    name = "listener"
    received = []

    @events.handles("article_published")
    def on_published(self, event):
        Listener.received.append(event)

    @events.handles("article_updated")
    def on_updated(self, event):
        Listener.received.append(event)

    @events.handles("unit_updated")
    def on_unit(self, event):
        Listener.received.append(event)


@pytest.fixture
def listener(container_factory, nameko_config):
    Listener.received = []
    container = container_factory(Listener, nameko_config)
    container.start()
    return container


@pytest.fixture
def content(container_factory, nameko_config, listener):
    container = container_factory(ContentService, nameko_config)
    container.start()
    return container


@pytest.fixture
def commune(content):
    call(content, "create_unit", PROVINCE)
    return call(content, "create_unit", COMMUNE)


def test_publishing_stores_the_article_and_announces_it(content, listener, commune, mongo_client, settings):
    draft = call(content, "create_article", "phu-mau", ARTICLE)
    assert draft["status"] == "draft" and draft["version"] == 1
    assert draft["slug"] == "thua-thien-hue-day-manh-chinh-quyen-dien-tu"

    with entrypoint_waiter(listener, "on_published", timeout=10):
        published = call(content, "publish_article", draft["id"], expected_version=1)
    assert published["status"] == "published" and published["version"] == 2

    event = next(e for e in Listener.received if isinstance(e, events.ArticlePublished))
    assert event.document_id == draft["id"] and event.version == 2
    assert event.article.unit_name == "Xã Phú Mậu"
    assert event.article.path == "/phu-mau/tin-tuc/thua-thien-hue-day-manh-chinh-quyen-dien-tu"
    stored = mongo_client[settings.CONTENT_DB].articles.find_one({"_id": draft["id"]})
    assert stored["status"] == "published" and stored["version"] == 2
    assert call(content, "get_published_article", "phu-mau", published["slug"])["id"] == draft["id"]


def test_body_html_is_sanitised(content, commune):
    article = call(content, "create_article", "phu-mau", {
        **ARTICLE, "body_html": '<p onclick="x()">Chào<script>alert(1)</script>'
                                '<a href="javascript:alert(1)">liên kết</a></p>'})
    assert "script" not in article["body_html"]
    assert "onclick" not in article["body_html"]
    assert "javascript:" not in article["body_html"]
    assert "Chào" in article["body_html"]


def test_invalid_fields_are_named(content, commune):
    with pytest.raises(InvalidInput) as error:
        call(content, "create_article", "phu-mau", {"title": "", "body_html": "<p>x</p>", "colour": "red"})
    assert set(error.value.fields) == {"title", "colour"}


def test_unknown_unit_and_article(content, commune):
    with pytest.raises(NotFound):
        call(content, "create_article", "khong-co", ARTICLE)
    with pytest.raises(NotFound):
        call(content, "publish_article", "0" * 32)
    with pytest.raises(InvalidInput) as error:
        call(content, "create_unit", {**COMMUNE, "slug": "xa-moi", "parent": "khong-co"})
    assert "parent" in error.value.fields


def test_a_stale_writer_gets_a_conflict_and_changes_nothing(content, commune, mongo_client, settings):
    draft = call(content, "create_article", "phu-mau", ARTICLE)
    call(content, "update_article", draft["id"], {**ARTICLE, "title": "Tiêu đề mới"}, 1)
    with pytest.raises(Conflict) as error:
        call(content, "update_article", draft["id"], {**ARTICLE, "title": "Ghi đè"}, 1)
    assert error.value.current_version == 2
    stored = mongo_client[settings.CONTENT_DB].articles.find_one({"_id": draft["id"]})
    assert stored["title"] == "Tiêu đề mới" and stored["version"] == 2


def test_a_rejected_write_leaves_no_event_behind(content, commune, mongo_client, settings):
    draft = call(content, "create_article", "phu-mau", ARTICLE)
    outbox = mongo_client[settings.CONTENT_DB].outbox
    before = outbox.count_documents({})
    with pytest.raises(Conflict):
        call(content, "publish_article", draft["id"], expected_version=7)
    assert outbox.count_documents({}) == before
    assert mongo_client[settings.CONTENT_DB].articles.find_one({"_id": draft["id"]})["status"] == "draft"


def test_an_event_committed_before_a_crash_is_sent_after_restart(
        container_factory, nameko_config, listener, mongo_client, settings):
    # The write half of publish_article, committed by a process that then died before
    # dispatching: the change and its outbox entry are in MongoDB, nothing went out.
    store = ContentStore(mongo_client[settings.CONTENT_DB])
    store.ensure_indexes()
    store.create_unit(UnitInput(**PROVINCE))
    draft = store.create_article("thua-thien-hue", ArticleInput(**ARTICLE))
    store.publish_article(draft["id"], expected_version=1)
    assert store.pending_event_count() == 2  # unit_updated and article_published

    with entrypoint_waiter(listener, "on_published", timeout=10):
        content = container_factory(ContentService, nameko_config)
        content.start()

    published = [e for e in Listener.received if isinstance(e, events.ArticlePublished)]
    assert [e.document_id for e in published] == [draft["id"]]
    wait_for(lambda: store.pending_event_count() == 0, message="outbox drained")
