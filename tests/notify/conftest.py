import uuid

import pytest

from services.notify.service import NotifyService
from tests.notify.helpers import ContentStandIn


@pytest.fixture
def content(container_factory, nameko_config):
    container = container_factory(ContentStandIn, nameko_config)
    container.start()
    return container


@pytest.fixture
def start_notify(container_factory, nameko_config, content):
    """Start a notify container, with some settings changed if need be."""

    def start(**overrides):
        container = container_factory(NotifyService, {**nameko_config, **overrides})
        container.start()
        return container

    return start


@pytest.fixture
def notify(start_notify):
    return start_notify()


@pytest.fixture
def notify_db(mongo_client, settings):
    return mongo_client[settings.NOTIFY_DB]


@pytest.fixture
def new_address():
    """Addresses of this test's own: the SMTP server is shared by the whole session."""
    return lambda: f"cong-dan-{uuid.uuid4().hex[:12]}@example.vn"


@pytest.fixture
def inbox(smtp_server):
    """The emails the SMTP server received for one address, headers and text decoded."""
    return smtp_server.messages_to


@pytest.fixture
def publish(events_in):
    """Dispatch an event through RabbitMQ and wait until `container` has handled it."""
    return lambda container, event: events_in.deliver(container, "notify_subscribers", event)
