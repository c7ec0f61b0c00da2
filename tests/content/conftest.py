import pytest

from services.common import events
from services.content.dependencies import Content
from services.content.service import ContentService
from tests.drive import acting, call
from tests.servers import wait_for

ADMIN = "admin"
LEVELS = [{"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "huyen", "name": "Huyện", "order": 1},
          {"slug": "xa", "name": "Xã, phường, thị trấn", "order": 2}]


class Listener:
    """Records every contract event content publishes, as a consumer service would: a handler
    `on_<event name>` for each event in services.common.events.EVENTS (added below)."""
    name = "listener"
    received: list[events.Event] = []


def _recorder(event_name: str):
    @events.handles(event_name)
    def record(self, event):
        type(self).received.append(event)

    return record


for _event_name in events.EVENTS:
    setattr(Listener, f"on_{_event_name}", _recorder(_event_name))


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


def received(kind: type[events.Event]) -> list[events.Event]:
    """The events of `kind` received so far, in order of arrival."""
    return [event for event in Listener.received if isinstance(event, kind)]


def arrived(kind: type[events.Event], count: int = 1) -> list[events.Event]:
    """The events of `kind` received, once there are at least `count` of them."""
    def enough():
        so_far = received(kind)
        return so_far if len(so_far) >= count else None

    return wait_for(enough, message=f"{count} {kind.name}")


@pytest.fixture
def stores(mongo_client, settings):
    """The content service's stores on the test's database, to use without RPC (uploads, replay)."""
    return Content(mongo_client[settings.CONTENT_DB])


def plan_stages(stage: dict) -> list[dict]:
    """A query plan's stages (pass its winningPlan), from the top down, through every branch."""
    children = [stage.get("inputStage"), *stage.get("inputStages", [])]
    return [stage, *(below for child in children if child for below in plan_stages(child))]


@pytest.fixture
def tree(content):
    """A province with one district and two communes under it."""
    for level in LEVELS:
        call(content, "create_level", acting(ADMIN), level)
    call(content, "create_unit", acting(ADMIN),
         {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"})
    call(content, "create_unit", acting(ADMIN), {"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "huyen",
                                        "parent": "thua-thien-hue"})
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-da", "Thị trấn Phú Đa")):
        call(content, "create_unit", acting(ADMIN), {"slug": slug, "name": name, "level": "xa", "parent": "phu-vang"})
    return content


@pytest.fixture
def board(tree):
    """Phú Mậu's editorial board, and an editor-in-chief of Phú Đa next door."""
    people = {"tac-gia": "author", "bien-tap": "editor", "tong-bien-tap": "editor_in_chief", "quan-tri": "unit_admin"}
    for username, role in people.items():
        call(tree, "create_user", acting(ADMIN), {"username": username, "name": username.replace("-", " ").title(),
                                          "roles": {"phu-mau": [role]}})
    call(tree, "create_user", acting(ADMIN), {"username": "bien-tap-phu-da", "name": "Biên tập Phú Đa",
                                      "roles": {"phu-da": ["editor_in_chief"]}})
    return tree
