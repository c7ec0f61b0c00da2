"""The gateway's /healthz, /readyz and /metrics: in front of the real content and search
services, and under gunicorn with several workers (Prometheus multi-process mode)."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from falcon import testing

from gateway.app import create_app, shut_down
from services.common.config import Settings
from services.content.service import ContentService
from services.search.service import SearchService
from tests.ops.scrape import Samples, get, scrape
from tests.servers import MongoServer, free_port, project_root, stop_process, subprocess_env, wait_for, wait_for_port


def metrics(client) -> Samples:
    response = client.simulate_get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return Samples(response.text)


def test_the_gateway_is_ready_with_its_services_measured_by_route_not_ready_without_mongodb_degraded_without_search(
        container_factory, settings, tmp_path):
    mongo = MongoServer(tmp_path / "mongo").start()
    settings = dataclasses.replace(settings, MONGO_URI=mongo.uri, VISIT_COUNTING=False, RPC_TIMEOUT=5.0)
    config = settings.as_nameko_config()
    content = container_factory(ContentService, config)
    content.start()
    search = container_factory(SearchService, config)
    search.start()
    app = create_app(settings)
    client = testing.TestClient(app)
    try:
        assert client.simulate_get("/healthz").json == {"status": "ok"}
        wait_for(lambda: client.simulate_get("/readyz").json == {"status": "ready"}, 30, message="gateway ready")

        before = metrics(client)
        for _ in range(2):
            assert client.simulate_get("/robots.txt").status_code == 200
            assert client.simulate_get("/api/search", params={"q": "chợ"}).status_code == 200
        assert client.simulate_get("/khong-co-don-vi-nay").status_code == 404
        after = metrics(client)
        # robots.txt kept after its first time, the unknown unit's page never; a search's answer kept.
        for name, hits, misses in (("portal_page_cache_lookups_total", 1, 2),
                                   ("portal_search_answer_lookups_total", 1, 1)):
            assert after.value(name, result="hit") - before.value(name, result="hit") == hits, name
            assert after.value(name, result="miss") - before.value(name, result="miss") == misses, name
        count = "portal_http_request_duration_seconds_count"
        # Labelled by template, cached answers included; never by the raw path. (The registry is the
        # process's: other tests' requests count too, so only what this one added is compared.)
        for route, status, added in (("/robots.txt", "2xx", 2), ("/api/search", "2xx", 2), ("/{unit}", "4xx", 1)):
            labels = dict(route=route, method="GET", status=status)
            assert after.value(count, **labels) - before.value(count, **labels) == added, route
        assert not any("khong-co-don-vi-nay" in str(labels) for _, labels in after)

        mongo.stop()
        wait_for(lambda: client.simulate_get("/readyz").status_code == 503, 30, message="gateway not ready")
        answer = client.simulate_get("/readyz").json
        assert answer["status"] == "not ready" and set(answer["failing"]) == {"content"}
        assert "mongodb" in answer["failing"]["content"]
        assert client.simulate_get("/healthz").status_code == 200
        mongo.start()
        wait_for(lambda: client.simulate_get("/readyz").status_code == 200, 60, message="gateway ready again")

        # Without search the pages are still served: ready, and saying what is missing.
        search.stop()
        wait_for(lambda: "degraded" in client.simulate_get("/readyz").json, 30, message="search missed")
        answer = client.simulate_get("/readyz")
        assert answer.status_code == 200 and answer.json["status"] == "ready"
        assert set(answer.json["degraded"]) == {"search"}
        assert client.simulate_get("/robots.txt").status_code == 200
        content.stop()  # while its MongoDB runs: its sweep would otherwise wait out the driver's timeout
    finally:
        shut_down(app)
        mongo.stop()


def test_under_gunicorn_every_worker_counts_into_one_scrape(rabbit_config, tmp_path):
    port = free_port()
    environment = {k: v for k, v in subprocess_env().items()
                   if k not in Settings.names() and k not in ("GUNICORN_CMD_ARGS", "PROMETHEUS_MULTIPROC_DIR")}
    environment.update(HOME=str(tmp_path), GATEWAY_BIND=f"127.0.0.1:{port}", GATEWAY_WORKERS="3",
                       GATEWAY_THREADS="2", AMQP_URI=rabbit_config["AMQP_URI"])
    root = project_root()
    with open(tmp_path / "gateway.log", "wb") as log:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                   "gateway.wsgi:app"], cwd=root, env=environment, stdout=log, stderr=log)
    try:
        wait_for_port(port, timeout=60, process=server)
        url = f"http://127.0.0.1:{port}"
        for _ in range(30):
            assert get(f"{url}/healthz")[0] == 200
        route = dict(route="/healthz", method="GET", status="2xx")
        # Whichever worker answers the scrape, it adds up all three workers' requests.
        for _ in range(5):
            assert scrape(f"{url}/metrics").value("portal_http_request_duration_seconds_count", **route) == 30
    finally:
        stop_process(server)
    assert not list(Path("/tmp").glob(f"portal-gateway-metrics-{server.pid}")), "its own directory is removed"


def test_with_metrics_off_requests_are_not_timed(rabbit_config):
    app = create_app(Settings(AMQP_URI=rabbit_config["AMQP_URI"], METRICS=False))
    client = testing.TestClient(app)
    try:
        count = dict(route="/healthz", method="GET", status="2xx")
        before = metrics(client).value("portal_http_request_duration_seconds_count", **count)
        assert client.simulate_get("/healthz").status_code == 200
        assert metrics(client).value("portal_http_request_duration_seconds_count", **count) == before
    finally:
        shut_down(app)
