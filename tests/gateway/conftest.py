"""Fixtures shared by the gateway's page tests: the real content and ranking services over
RabbitMQ and MongoDB, the gateway app in front of them, and a commune to publish in."""
import dataclasses
from typing import NamedTuple

import pytest
from falcon import testing

from gateway.app import create_app, shut_down
from gateway.rpc import RpcPool
from services.content.service import ContentService
from services.ranking.service import RankingService
from tests.gateway.workspace_desk import staffed

PORTAL_TOKEN = "test-admin-token"
PORTAL_ADMIN = {"Authorization": f"Bearer {PORTAL_TOKEN}"}  # the platform administrator's API headers


class Portal(NamedTuple):
    client: testing.TestClient
    pool: RpcPool  # for what the JSON API does not carry: schedules, documents, questions, media
    admin: str  # the platform administrator's username, the actor of those RPCs


@pytest.fixture
def portal_settings(settings):
    return dataclasses.replace(settings, PLATFORM_ADMIN_TOKEN=PORTAL_TOKEN, RPC_TIMEOUT=5.0,
                               GATEWAY_SECRET="test-gateway-secret")


@pytest.fixture
def portal_services(request) -> tuple:
    """The services behind the gateway: content and ranking, or the module's PORTAL_SERVICES (the
    workspace's pages need content alone, and ranking rescoring on every event costs time); a
    module that needs more (search) overrides this fixture."""
    return getattr(request.module, "PORTAL_SERVICES", (ContentService, RankingService))


@pytest.fixture
def portal(runner_factory, portal_settings, portal_services) -> Portal:
    config = portal_settings.as_nameko_config()
    runner_factory(config, *portal_services).start()
    pool = RpcPool(config, 2, portal_settings.RPC_TIMEOUT)
    app = create_app(portal_settings, pool)
    yield Portal(testing.TestClient(app), pool, portal_settings.PLATFORM_ADMIN_USER)
    shut_down(app)
    pool.close()


@pytest.fixture
def client(portal) -> testing.TestClient:
    return portal.client


@pytest.fixture
def phu_mau(portal) -> Portal:
    """The commune Xã Phú Mậu under the province, ready to publish in."""
    client = portal.client
    for level in ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "xa", "name": "Xã", "order": 1}):
        assert client.simulate_post("/api/levels", headers=PORTAL_ADMIN, json=level).status_code == 201
    for unit in ({"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"},
                 {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa", "parent": "thua-thien-hue"}):
        response = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit)
        assert response.status_code == 201, response.text
    return portal


@pytest.fixture
def board(phu_mau) -> Portal:
    """Xã Phú Mậu with its editorial board, one person per role (tests/gateway/workspace_desk.py)."""
    staffed(phu_mau.client)
    return phu_mau


def publish(client, unit: str = "phu-mau", title: str = "Tin mới", **fields) -> dict:
    """An article published at once through the JSON API (force-publish), as the platform admin."""
    created = client.simulate_post(f"/api/units/{unit}/articles", headers=PORTAL_ADMIN,
                                   json={"title": title, "body_html": "<p>Nội dung bài viết.</p>", **fields})
    assert created.status_code == 201, created.text
    published = client.simulate_post(f"/api/articles/{created.json['id']}/force-publish", headers=PORTAL_ADMIN,
                                     json={"version": created.json["version"], "comment": "Đăng ngay"})
    assert published.status_code == 200, published.text
    return published.json
