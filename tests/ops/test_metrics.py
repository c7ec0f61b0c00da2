"""Each real service's operations endpoint, scraped as Prometheus and probed as compose and
Kubernetes do: its metrics move with a real RPC and a real event, and readiness follows MongoDB.
The Grafana dashboard and the runbook's alarms name only metrics these scrapes find."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import yaml
from falcon import testing
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ClusterRpcProxy

from gateway.app import create_app, shut_down
from services.common import events
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.drive import article_snapshot
from tests.ops.scrape import Samples, get, probe, scrape
from tests.servers import MongoServer, free_port, wait_for

SERVICES = {"content": ContentService, "search": SearchService, "ranking": RankingService, "notify": NotifyService}
# What only that service measures, read when scraped.
OWN_METRICS = {"content": "portal_outbox_backlog", "search": "portal_search_index_documents",
               "ranking": "portal_ranking_frozen_months", "notify": "portal_email_bounce_ratio"}


def start(container_factory, service_class, settings):
    """The service in a container of its own on a free OPS_PORT: the container, the endpoint's base URL."""
    port = free_port()
    container = container_factory(service_class, dataclasses.replace(settings, OPS_PORT=port).as_nameko_config())
    container.start()
    return container, f"http://127.0.0.1:{port}"


@pytest.fixture
def endpoints(container_factory, settings) -> dict[str, str]:
    return {name: start(container_factory, service_class, settings)[1] for name, service_class in SERVICES.items()}


def test_every_service_is_alive_ready_and_measured(endpoints):
    for name, url in endpoints.items():
        assert probe(f"{url}/healthz") == (200, {"status": "alive"})
        wait_for(lambda: probe(f"{url}/readyz") == (200, {"status": "ready"}), 30, message=f"{name} ready")
        samples = scrape(f"{url}/metrics")
        assert {"portal_rpc_duration_seconds", "portal_events_handled", "process_resident_memory_bytes",
                OWN_METRICS[name]} <= samples.families, name
        # Another service's own figures are not this one's (the tests run them in one process).
        assert not {OWN_METRICS[other] for other in OWN_METRICS if other != name} & samples.families, name
        status, body = probe(f"{url}/nowhere")
        assert status == 404 and "/metrics" in body["routes"]
    # Every handler's parking queue is counted, empty for now.
    parked = scrape(f"{endpoints['search']}/metrics")
    assert parked.value("portal_events_parked", service="search", handler="on_article_published") == 0
    assert ("portal_events_parked", frozenset({("service", "search"), ("handler", "on_unit_updated")})) in parked


def test_a_real_rpc_and_real_events_move_the_counters(endpoints, nameko_config, events_in):
    search = endpoints["search"]
    before = scrape(f"{search}/metrics")
    with ClusterRpcProxy(nameko_config) as cluster:
        assert cluster.search.best_bets() == []
        assert cluster.content.readiness() == {}
    after = scrape(f"{search}/metrics")
    assert (after.value("portal_rpc_duration_seconds_count", service="search", method="best_bets")
            == before.value("portal_rpc_duration_seconds_count", service="search", method="best_bets") + 1)
    assert after.value("portal_rpc_duration_seconds_sum", service="search", method="best_bets") > 0

    # The registry is the process's: events other tests' services handled count too, so only what
    # this test adds is compared.
    handled = dict(service="search", handler="on_article_published", outcome="ok")
    timed = dict(service="search", handler="on_article_published")
    before = scrape(f"{search}/metrics")
    events_in.dispatch(events.ArticlePublished(document_id="a1", version=1, occurred_at=events.utcnow(),
                                               article=article_snapshot("a1", "Khai trương chợ Phú Vang")))
    wait_for(lambda: scrape(f"{search}/metrics").value("portal_events_handled_total", **handled)
             == before.value("portal_events_handled_total", **handled) + 1, 20, message="the event counted")
    samples = scrape(f"{search}/metrics")
    assert samples.value("portal_search_index_documents") == 1
    assert 0 <= samples.value("portal_search_index_last_change_age_seconds") < 60
    assert (samples.value("portal_event_handling_seconds_count", **timed)
            == before.value("portal_event_handling_seconds_count", **timed) + 1)

    # A payload breaking the contract can never succeed: parked at once, and counted both ways.
    event_dispatcher(nameko_config)(events.SOURCE_SERVICE, "article_published", {"document_id": "broken"})
    wait_for(lambda: scrape(f"{search}/metrics").value("portal_events_parked", **timed) == 1, 20,
             message="the broken event parked")
    assert (scrape(f"{search}/metrics").value("portal_events_handled_total", outcome="parked", **timed)
            == before.value("portal_events_handled_total", outcome="parked", **timed) + 1)
    assert scrape(f"{endpoints['content']}/metrics").value("portal_outbox_backlog") == 0


def test_readiness_follows_mongodb_down_and_back(container_factory, settings, tmp_path):
    mongo = MongoServer(tmp_path / "mongo").start()
    try:
        own_mongo = dataclasses.replace(settings, MONGO_URI=mongo.uri)
        container, content = start(container_factory, ContentService, own_mongo)
        wait_for(lambda: get(f"{content}/readyz")[0] == 200, 30, message="content ready")
        assert scrape(f"{content}/metrics").value("portal_ready_check", service="content", check="mongodb") == 1
        mongo.stop()
        status, body = wait_for(lambda: (lambda answer: answer if answer[0] == 503 else None)(
            probe(f"{content}/readyz")), 30, message="content not ready")
        assert body["status"] == "not ready" and set(body["failing"]) == {"mongodb"}
        assert probe(f"{content}/healthz")[0] == 200  # alive all the same: nothing to restart
        # Scraping still answers, without the figures it cannot read, and says which check fails.
        samples = scrape(f"{content}/metrics")
        assert "portal_outbox_backlog" not in samples.families
        assert samples.value("portal_ready_check", service="content", check="mongodb") == 0
        assert samples.value("portal_ready_check", service="content", check="broker") == 1
        mongo.start()
        wait_for(lambda: probe(f"{content}/readyz") == (200, {"status": "ready"}), 60, message="content ready again")
        container.stop()  # while its MongoDB runs: its sweep would otherwise wait out the driver's timeout
    finally:
        mongo.stop()


# --- the dashboard and the alarms name what is served ---------------------------------------

PROMQL_WORDS = {"sum", "min", "max", "avg", "count", "topk", "by", "without", "rate", "increase", "irate",
                "histogram_quantile", "time", "and", "or", "unless", "on", "ignoring", "bool", "offset"}
PROMETHEUS_OWN = {"up"}  # made by Prometheus for every target
ROOT = Path(__file__).resolve().parents[2]


def metric_names(expression: str) -> set[str]:
    """The metrics a PromQL expression reads: its words, less label matchers, strings, ranges,
    grouping labels, functions and numbers."""
    text = re.sub(r'"[^"]*"', "", expression)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", text)
    text = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", text)
    return {word for word in re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", text) if word not in PROMQL_WORDS}


def served(name: str, samples_and_families: set[str]) -> bool:
    family = re.sub(r"_(total|bucket|count|sum)$", "", name)
    return name in samples_and_families or family in samples_and_families


def test_the_dashboard_and_the_alarms_name_only_metrics_the_platform_serves(endpoints, settings):
    names = set()
    for url in endpoints.values():
        samples = scrape(f"{url}/metrics")
        names |= samples.families | {name for name, _ in samples}
    gateway = create_app(settings)
    try:
        samples = Samples(testing.TestClient(gateway).simulate_get("/metrics").text)
    finally:
        shut_down(gateway)
    names |= samples.families | {name for name, _ in samples} | PROMETHEUS_OWN

    dashboard = json.loads((ROOT / "deploy/grafana/portal-dashboard.json").read_text(encoding="utf-8"))
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    assert len(expressions) >= 20
    for expression in expressions:
        assert metric_names(expression), expression
        assert all(served(name, names) for name in metric_names(expression)), expression

    runbook = (ROOT / "deploy/RUNBOOK.md").read_text(encoding="utf-8")
    rules = yaml.safe_load(re.search(r"```yaml\n(groups:.*?)```", runbook, re.S).group(1))["groups"][0]["rules"]
    assert {"PortalEventsParked", "PortalOutboxBacklog", "PortalBounceRateWarning", "PortalServiceWithoutConsumer",
            "PortalNotReady"} <= {rule["alert"] for rule in rules}
    for rule in rules:
        assert all(served(name, names) for name in metric_names(rule["expr"])), rule["expr"]
        assert f"**{rule['alert']}" in runbook, f"{rule['alert']}: what to do is not written"
