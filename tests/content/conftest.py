import pytest

from services.common import events
from services.content.service import ContentService
from tests.drive import call

ADMIN = "admin"
LEVELS = [{"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "huyen", "name": "Huyện", "order": 1},
          {"slug": "xa", "name": "Xã, phường, thị trấn", "order": 2}]


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

    @events.handles("article_unpublished")
    def on_unpublished(self, event):
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


def received(kind):
    return [event for event in Listener.received if isinstance(event, kind)]


@pytest.fixture
def tree(content):
    """A province with one district and two communes under it."""
    for level in LEVELS:
        call(content, "create_level", ADMIN, level)
    call(content, "create_unit", ADMIN, {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"})
    call(content, "create_unit", ADMIN, {"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "huyen",
                                        "parent": "thua-thien-hue"})
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-da", "Thị trấn Phú Đa")):
        call(content, "create_unit", ADMIN, {"slug": slug, "name": name, "level": "xa", "parent": "phu-vang"})
    return content


@pytest.fixture
def board(tree):
    """Phú Mậu's editorial board, and an editor-in-chief of Phú Đa next door."""
    people = {"tac-gia": "author", "bien-tap": "editor", "tong-bien-tap": "editor_in_chief", "quan-tri": "unit_admin"}
    for username, role in people.items():
        call(tree, "create_user", ADMIN, {"username": username, "name": username.replace("-", " ").title(),
                                          "roles": {"phu-mau": [role]}})
    call(tree, "create_user", ADMIN, {"username": "bien-tap-phu-da", "name": "Biên tập Phú Đa",
                                      "roles": {"phu-da": ["editor_in_chief"]}})
    return tree
