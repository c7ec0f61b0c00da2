import pytest

from services.ranking.service import RankingService


@pytest.fixture
def ranking(container_factory, nameko_config):
    """The ranking service, running on the test's own broker vhost and database."""
    container = container_factory(RankingService, nameko_config)
    container.start()
    return container
