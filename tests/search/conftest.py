import dataclasses

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.search.service import SearchService
from tests.search.driver import SearchServiceDriver


@pytest.fixture(params=["embedded", "elasticsearch"])
def engine_config(request, settings) -> dict:
    """The service's nameko config for each engine; Elasticsearch is noida-db (small fixtures)."""
    if request.param == "elasticsearch":
        server = request.getfixturevalue("elasticsearch_server")
        settings = dataclasses.replace(settings, ELASTICSEARCH_URL=server.url)
    return settings.as_nameko_config()


@pytest.fixture
def search_service(engine_config, container_factory):
    # engine_config first: its RabbitMQ vhost must outlive the container.
    container = container_factory(SearchService, engine_config)
    container.start()
    with ClusterRpcProxy(engine_config) as cluster:
        yield SearchServiceDriver(container, engine_config, cluster.search)
