"""Pages are cached, revalidated by conditional GET, and made stale by content events; and
when a service or RabbitMQ is gone, cached pages still render, the others say so in
Vietnamese, and the gateway comes back on its own."""
import dataclasses

import falcon
import pytest
from falcon import testing

from gateway.app import create_app, shut_down
from gateway.page_cache import Generations, PageCache
from gateway.rpc import RpcPool
from services.content.service import ContentService
from services.ranking.service import RankingService
from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN as ADMIN
from tests.gateway.conftest import publish
from tests.netfault import CuttableLink
from tests.servers import wait_for


@pytest.fixture
def gateway_settings(portal_settings):
    return dataclasses.replace(portal_settings, RPC_TIMEOUT=2.0)


@pytest.fixture
def services(container_factory, gateway_settings):
    config = gateway_settings.as_nameko_config()
    started = {cls.name: container_factory(cls, config) for cls in (ContentService, RankingService)}
    for container in started.values():
        container.start()
    return started


def gateway(settings):
    pool = RpcPool(settings.as_nameko_config(), 2, settings.RPC_TIMEOUT)
    app = create_app(settings, pool)
    wait_for(lambda: app.change_listener.start() or app.change_listener.connected.is_set(),
             message="the gateway listening to content events")
    return app, testing.TestClient(app), pool


@pytest.fixture
def client(services, gateway_settings):
    app, client, pool = gateway(gateway_settings)
    yield client
    shut_down(app)
    pool.close()


@pytest.fixture
def commune(client):
    for level in ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "xa", "name": "Xã", "order": 1}):
        assert client.simulate_post("/api/levels", headers=ADMIN, json=level).status_code == 201
    client.simulate_post("/api/units", headers=ADMIN, json={
        "slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"})
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-da", "Thị trấn Phú Đa")):
        response = client.simulate_post("/api/units", headers=ADMIN, json={
            "slug": slug, "name": name, "level": "xa", "parent": "thua-thien-hue"})
        assert response.status_code == 201, response.text


def test_a_page_carries_validators_and_a_conditional_get_is_a_304(client, commune):
    first = client.simulate_get("/phu-mau")
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"')
    # Browsers keep it but ask each time, and a reader's display choices (a cookie) change it.
    assert first.headers["cache-control"] == "no-cache" and first.headers["vary"] == "Cookie"
    large = client.simulate_get("/phu-mau", headers={"Cookie": "hien-thi=lon"})
    assert 'class="co-chu-lon' in large.text and large.headers["etag"] != etag
    again = client.simulate_get("/phu-mau", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.text == ""
    assert client.simulate_get("/phu-mau", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.simulate_get("/phu-mau", headers={"If-None-Match": 'W/"khac"'}).status_code == 200


def test_a_published_change_replaces_the_cached_pages_of_its_unit_and_the_portal(client, commune):
    assert "Lễ hội cầu ngư" not in client.simulate_get("/phu-mau").text
    etag = client.simulate_get("/phu-mau").headers["etag"]
    other = client.simulate_get("/phu-da")
    home = client.simulate_get("/")
    publish(client, title="Lễ hội cầu ngư")
    wait_for(lambda: "Lễ hội cầu ngư" in client.simulate_get("/phu-mau").text, message="the unit page refreshed")
    wait_for(lambda: "Lễ hội cầu ngư" in client.simulate_get("/").text, message="the portal home refreshed")
    assert client.simulate_get("/phu-mau", headers={"If-None-Match": etag}).status_code == 200
    # Another unit's page stays as cached: same validator, still a 304.
    assert client.simulate_get("/phu-da", headers={"If-None-Match": other.headers["etag"]}).status_code == 304
    assert home.headers["etag"] != client.simulate_get("/").headers["etag"]


def test_counters_change_on_a_cached_page_without_changing_its_validator(client, commune):
    first = client.simulate_get("/phu-mau")
    second = client.simulate_get("/phu-mau")
    assert first.headers["etag"] == second.headers["etag"]
    assert 'data-counter="total">1<' in first.text and 'data-counter="total">2<' in second.text


def test_when_the_content_service_stops_cached_pages_render_others_are_503_until_it_is_back(
        client, commune, services, container_factory, gateway_settings):
    article = publish(client, title="Tin trước khi dừng dịch vụ")
    wait_for(lambda: article["title"] in client.simulate_get("/phu-mau").text, message="the unit page cached")
    services["content"].stop()

    cached = client.simulate_get("/phu-mau")
    assert cached.status_code == 200 and article["title"] in cached.text
    for _ in range(2):  # the first waits out the RPC timeout and finds nobody listening; the next fails fast
        page = client.simulate_get(article["path"])
        assert page.status_code == 503, page.text
        assert "Tạm thời gián đoạn" in page.text and "Traceback" not in page.text
        assert page.headers["retry-after"] == "30" and page.headers["cache-control"] == "no-store"
    assert client.simulate_get("/api/units/phu-mau").json["error"]["status"] == 503

    container_factory(ContentService, gateway_settings.as_nameko_config()).start()
    recovered = wait_for(lambda: (page := client.simulate_get(article["path"])).status_code == 200 and page,
                         message="the article page back")
    assert article["title"] in recovered.text


def test_when_the_ranking_service_stops_pages_still_render(client, commune, services):
    assert 'data-counter="total">1<' in client.simulate_get("/phu-mau").text
    services["ranking"].stop()
    page = client.simulate_get("/phu-da")  # a unit this gateway has no figures for yet
    assert page.status_code == 200 and "Số liệu truy cập tạm thời chưa có" in page.text
    assert client.simulate_get("/phu-mau").status_code == 200


def test_when_rabbitmq_is_unreachable_cached_pages_render_and_the_gateway_catches_up_after(
        services, gateway_settings):
    link = CuttableLink.to_broker(gateway_settings.AMQP_URI)
    cut_off = dataclasses.replace(gateway_settings, AMQP_URI=link.uri(gateway_settings.AMQP_URI))
    app, client, pool = gateway(cut_off)
    try:
        level = {"slug": "tinh", "name": "Tỉnh", "order": 0}
        assert client.simulate_post("/api/levels", headers=ADMIN, json=level).status_code == 201
        client.simulate_post("/api/units", headers=ADMIN, json={"slug": "phu-mau", "name": "Xã Phú Mậu",
                                                                "level": "tinh"})
        assert client.simulate_get("/phu-mau").status_code == 200
        link.cut()
        wait_for(lambda: not app.change_listener.connected.is_set(), message="the gateway noticing")

        assert client.simulate_get("/phu-mau").status_code == 200
        page = client.simulate_get("/")
        assert page.status_code == 503 and "Tạm thời gián đoạn" in page.text and "Traceback" not in page.text
        # Meanwhile an editor publishes through the services directly: the gateway cannot hear it.
        with ClusterRpc(gateway_settings) as rpc:
            created = rpc.content.create_article(acting("admin"), "phu-mau", {"title": "Tin trong lúc mất kết nối",
                                                                      "body_html": "<p>x</p>"})
            rpc.content.move_article(acting("admin"), created["id"], "force_publish", {"comment": "Đăng ngay"})

        link.restore()
        wait_for(lambda: "Tin trong lúc mất kết nối" in client.simulate_get("/phu-mau").text,
                 message="the unit page refreshed once the gateway is back")
        assert client.simulate_get("/").status_code == 200
    finally:
        shut_down(app)
        pool.close()
        link.cut()


class ClusterRpc:
    def __init__(self, settings):
        from nameko.standalone.rpc import ClusterRpcProxy
        self._proxy = ClusterRpcProxy(settings.as_nameko_config(), timeout=10)

    def __enter__(self):
        return self._proxy.start()

    def __exit__(self, *exc):
        self._proxy.stop()


class _Slow:
    """A page whose rendering takes long enough for an event to arrive meanwhile."""

    def __init__(self, generations):
        self.generations = generations
        self.renders = 0

    def on_get(self, req, resp, unit):
        self.renders += 1
        if req.get_param("su-kien"):
            self.generations.unit_changed(unit)
        resp.content_type = falcon.MEDIA_HTML
        resp.text = f"<p>lần {self.renders}</p>"


def test_a_page_rendered_while_its_unit_changed_is_served_but_never_kept():
    generations = Generations()
    cache = PageCache(generations, lambda req, resp: b"")
    resource = _Slow(generations)
    app = falcon.App(middleware=[cache])
    app.add_route("/{unit}", resource)
    client = testing.TestClient(app)
    assert client.simulate_get("/phu-mau", params={"su-kien": "1"}).text == "<p>lần 1</p>"
    assert client.simulate_get("/phu-mau", params={"su-kien": "1"}).text == "<p>lần 2</p>"  # not kept
    assert client.simulate_get("/phu-mau").text == "<p>lần 3</p>"
    assert client.simulate_get("/phu-mau").text == "<p>lần 3</p>"  # kept
    generations.unit_changed("phu-da")
    assert client.simulate_get("/phu-mau").text == "<p>lần 3</p>"  # another unit's change
    generations.unit_changed("phu-mau")
    assert client.simulate_get("/phu-mau").text == "<p>lần 4</p>"
    generations.everything_changed()
    assert client.simulate_get("/phu-mau").text == "<p>lần 5</p>"
