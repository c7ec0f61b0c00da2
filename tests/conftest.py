import uuid

import pytest
from pymongo import MongoClient

from services.common.config import Settings
from tests.drive import EventSender
from tests.servers import ElasticsearchServer, MongoServer, SmtpServer


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory):
    server = MongoServer(tmp_path_factory.mktemp("mongo")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def elasticsearch_server(tmp_path_factory):
    server = ElasticsearchServer(tmp_path_factory.mktemp("elasticsearch")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory):
    server = SmtpServer(tmp_path_factory.mktemp("smtp")).start()
    yield server
    server.stop()


@pytest.fixture
def mongo_client(mongo_server):
    client = MongoClient(mongo_server.uri, tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def settings(rabbit_config, mongo_server, smtp_server, tmp_path) -> Settings:
    """Settings for one test: its own RabbitMQ vhost, its own databases and search index."""
    tag = uuid.uuid4().hex[:10]
    return Settings(
        AMQP_URI=rabbit_config["AMQP_URI"],
        MONGO_URI=mongo_server.uri,
        CONTENT_DB=f"content_{tag}",
        RANKING_DB=f"ranking_{tag}",
        NOTIFY_DB=f"notify_{tag}",
        SEARCH_INDEX=f"articles-{tag}",
        SEARCH_INDEX_DIR=str(tmp_path / "search-index"),
        SMTP_PORT=smtp_server.port,
        SWEEP_INTERVAL=0.2,
    )


@pytest.fixture
def nameko_config(settings) -> dict:
    return settings.as_nameko_config()


@pytest.fixture
def events_in(nameko_config) -> EventSender:
    return EventSender(nameko_config)
