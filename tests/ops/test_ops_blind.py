"""The operations surface as an operator, a prober and a hostile client meet it, from what
deploy/RUNBOOK.md and deploy/LOGS.md promise: request ids at the edges of what is sane, the id on
error pages and API errors and in the gateway's JSON log, /healthz and /readyz, and /metrics as
Prometheus reads it (conventions, bounded labels) after traffic meant to blow its labels up.

The platform runs for real (`deploy.launcher`: supervisord, `nameko run`, gunicorn), as an
operator starts it; requests go over raw sockets where a client library would refuse to send them."""
from __future__ import annotations

import dataclasses
import json
import re
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from falcon import testing
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from gateway.app import create_app, shut_down
from services.common.config import Settings
from services.content.service import ContentService
from tests.ops.platforms import running_platform
from tests.servers import MongoServer, free_port, project_root, wait_for

SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
NEW_ID = re.compile(r"[0-9a-f]{32}")
LOG_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TIME_WORDS = re.compile(r"(^|_)(duration|latency|age|elapsed|time)(_|$)")
STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"}
STANDARD_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"}


@pytest.fixture(scope="module")
def platform(vhost_pipeline, request, mongo_server, smtp_server, tmp_path_factory):
    with running_platform(vhost_pipeline, request.config.getoption("RABBIT_AMQP_URI"), mongo_server, smtp_server,
                          tmp_path_factory) as platform:
        yield platform


class Answer:
    """One HTTP response as it came off the wire: status, every header line in order, body."""

    def __init__(self, raw: bytes):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.header_lines = header_lines
        self.headers = [tuple(part.strip() for part in line.split(":", 1)) for line in header_lines]

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def one(self, name: str) -> str:
        values = self.all(name)
        assert len(values) == 1, (name, self.header_lines)
        return values[0]

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


def send(port: int, method: str, target: str, header_block: bytes = b"", body: bytes = b"") -> Answer:
    """A request written byte for byte, as a hostile client can (no library checks its headers)."""
    request = (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n".encode()
               + header_block + (f"Content-Length: {len(body)}\r\n".encode() if body else b"") + b"\r\n" + body)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return Answer(b"".join(chunks))


def get(platform, target: str, request_id: bytes | None = None, method: str = "GET", headers: bytes = b"",
        body: bytes = b"") -> Answer:
    """A request to the platform's gateway, with this X-Request-Id header when one is given."""
    if request_id is not None:
        headers = b"X-Request-Id: " + request_id + b"\r\n" + headers
    return send(platform.port, method, target, headers, body)


def gateway_lines(platform) -> list[dict]:
    text = (platform.log_dir / "gateway.log").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def access_line(platform, request_id: str) -> dict:
    def found():
        return [line for line in gateway_lines(platform)
                if line.get("logger") == "gunicorn.access" and line.get("request_id") == request_id]
    lines = wait_for(found, timeout=15, message=f"the access line of {request_id}")
    assert len(lines) == 1, lines
    return lines[0]


# Request ids ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [b"a", b".", b"-", b"_", b"A" * 64, b"Abc.def_ghi-09"])
def test_a_sane_id_at_the_edges_of_the_rule_comes_back_and_is_logged(platform, value):
    answer = get(platform, "/healthz", value)
    assert answer.status == 200
    assert answer.one("X-Request-Id") == value.decode()
    line = access_line(platform, value.decode())
    assert (line["path"], line["route"], line["status"]) == ("/healthz", "/healthz", 200)


@pytest.mark.parametrize("value", [
    b"", b"A" * 65, "mã-yêu-cầu".encode(), b"a b", b"a/b", b"a,b", b"a;b", b"<script>", b"a\tb",
    b"a%0d%0aSet-Cookie:%20x=1", b"\xff\xfe", b"A" * 5000,
], ids=["empty", "65-chars", "unicode", "space", "slash", "comma", "semicolon", "markup", "tab",
        "encoded-crlf", "not-utf8", "5000-chars"])
def test_an_insane_id_is_replaced_by_a_new_one_that_is_logged_instead(platform, value):
    answer = get(platform, "/healthz", value)
    assert answer.status == 200
    new = answer.one("X-Request-Id")
    assert NEW_ID.fullmatch(new), new
    assert not answer.all("Set-Cookie")
    line = access_line(platform, new)
    assert line["path"] == "/healthz"


@pytest.mark.parametrize("header", [b"x-request-id", b"X-REQUEST-ID", b"x-ReQuEsT-iD"])
def test_the_header_name_is_case_insensitive(platform, header):
    value = f"case-{uuid.uuid4().hex[:8]}".encode()
    answer = send(platform.port, "GET", "/healthz", header + b": " + value + b"\r\n")
    assert answer.one("X-Request-Id") == value.decode()


@pytest.mark.parametrize("block", [
    b"X-Request-Id: inj-1\r\nSet-Cookie: stolen=1\r\n",
    b"X-Request-Id: inj-2\r\n\tSet-Cookie: stolen=1\r\n",
    b"X-Request-Id: inj-3\nSet-Cookie: stolen=1\r\n",
    b"X-Request-Id: inj-4\rSet-Cookie: stolen=1\r\n",
    b"X-Request-Id: inj-5%0d%0aSet-Cookie: stolen=1\r\n",
    b"X-Request-Id: inj-6\x7f\x00Set-Cookie: stolen=1\r\n",
], ids=["two-headers", "folded", "bare-lf", "bare-cr", "encoded", "control-chars"])
def test_header_injection_through_the_id_puts_nothing_into_the_response(platform, block):
    answer = send(platform.port, "GET", "/healthz", block)
    assert answer.status < 500
    assert not answer.all("Set-Cookie"), answer.header_lines
    assert all("stolen" not in line for line in answer.header_lines), answer.header_lines
    for value in answer.all("X-Request-Id"):
        assert SANE_ID.fullmatch(value), value


def test_several_id_headers_give_one_sane_id_back_and_in_the_log(platform):
    answer = send(platform.port, "GET", "/healthz", b"X-Request-Id: first-1\r\nX-Request-Id: second-2\r\n")
    chosen = answer.one("X-Request-Id")
    assert chosen in ("first-1", "second-2") or NEW_ID.fullmatch(chosen), chosen
    assert access_line(platform, chosen)["status"] == 200


def test_every_response_carries_an_id_errors_included(platform):
    for method, target in [("GET", "/khong-co-trang-nay/a/b/c/d"), ("POST", "/healthz"),
                           ("GET", "/api/khong-co-api-nay"), ("DELETE", "/api/levels")]:
        answer = send(platform.port, method, target)
        assert answer.status < 500, (method, target, answer.status, answer.body[:300])
        assert NEW_ID.fullmatch(answer.one("X-Request-Id")), (method, target)


def service_lines(platform, name: str, request_id: str) -> list[dict]:
    """The lines of a service's log written for one request (a line that is not JSON skipped, as
    LOGS.md's `jq 'fromjson?'` does)."""
    lines = []
    for text in (platform.log_dir / f"{name}.log").read_text().splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if isinstance(line, dict) and line.get("request_id") == request_id:
            lines.append(line)
    return lines


@pytest.mark.parametrize("value", [b"B" * 64, b"a b c"], ids=["64-chars", "replaced"])
def test_the_id_the_response_carries_is_the_one_content_logs_its_rpc_with(platform, value):
    answer = get(platform, "/api/units/khong-co-don-vi-nay", value)
    assert answer.status == 404
    request_id = answer.one("X-Request-Id")
    lines = wait_for(lambda: [line for line in service_lines(platform, "content", request_id)
                              if line.get("entrypoint", "").startswith("content.")],
                     timeout=15, message="content's line for the request")
    assert {line["outcome"] for line in lines} == {"refused"}, lines
    assert all(line["service"] == "content" and line["duration_seconds"] >= 0 for line in lines), lines
    if request_id != value.decode():
        assert not service_lines(platform, "content", value.decode()), "the client's insane id reached content"


# The id on error pages and API errors --------------------------------------------------------

def test_a_missing_page_is_in_vietnamese_with_the_id_to_quote(platform):
    answer = get(platform, "/khong-co-trang-nay/a/b/c/d", b"page-404-blind")
    assert answer.status == 404
    assert answer.one("Content-Type").startswith("text/html")
    page = answer.text
    assert "Mã yêu cầu" in page and "page-404-blind" in page
    assert "Traceback" not in page and "Not Found" not in page


def test_an_error_page_with_a_hostile_id_shows_the_new_id_not_the_markup(platform):
    answer = get(platform, "/khong-co-trang-nay/a/b/c/d", b"<script>alert(1)</script>")
    page = answer.text
    assert answer.status == 404
    assert "<script>alert(1)" not in page
    assert answer.one("X-Request-Id") in page


@pytest.mark.parametrize("method, target, body", [
    ("GET", "/api/units/khong-co-don-vi-nay", b""),
    ("GET", "/api/email-figures", b""),
    ("POST", "/api/subscriptions", b"{not json"),
    ("POST", "/api/subscriptions", b"[" * 50_000 + b"]" * 50_000),
    ("POST", "/api/subscriptions", b'{"email": "a@b.vn", "unit": "x", "frequency": 1' + b"9" * 5000 + b"}"),
    ("DELETE", "/api/levels", b""),
    ("POST", "/api/subscriptions", b'{"email": "' + b"a" * Settings.MAX_BODY_BYTES + b'"}'),
], ids=["unknown-unit", "no-credentials", "broken-json", "deep-json", "huge-integer", "method-not-allowed",
        "body-too-large"])
def test_an_api_error_is_json_naming_the_problem_and_the_id(platform, method, target, body):
    request_id = f"api-{uuid.uuid4().hex[:12]}"
    answer = get(platform, target, request_id.encode(), method=method, body=body,
                 headers=b"Content-Type: application/json\r\n" if body else b"")
    assert 400 <= answer.status < 500, (answer.status, answer.body[:500])
    assert answer.one("Content-Type").startswith("application/json"), answer.header_lines
    error = answer.json()["error"]
    assert error["request_id"] == request_id, error
    assert answer.one("X-Request-Id") == request_id
    assert "Traceback" not in answer.text
    assert access_line(platform, request_id)["status"] == answer.status


@pytest.mark.parametrize("target", ["/", "/khong-co-trang-nay/a/b/c/d"])
def test_a_page_asked_twice_shows_each_request_its_own_id(platform, target):
    """A kept (cached) answer must not hand the first reader's id to the next."""
    first, second = (get(platform, target, name.encode()) for name in ("twice-first", "twice-second"))
    assert first.status == second.status < 500
    assert first.one("X-Request-Id") == "twice-first" and second.one("X-Request-Id") == "twice-second"
    assert "twice-first" not in second.text


# Probes --------------------------------------------------------------------------------------

def test_healthz_and_readyz_answer_json_while_the_platform_runs(platform):
    health = get(platform, "/healthz")
    assert (health.status, health.json()) == (200, {"status": "ok"})
    assert health.one("Content-Type").startswith("application/json")
    ready = wait_for(lambda: (answer := get(platform, "/readyz")).status == 200 and answer,
                     timeout=60, message="the gateway ready")
    assert ready.json() == {"status": "ready"}


def test_the_probes_refuse_writes_with_a_4xx(platform):
    for target in ("/healthz", "/readyz", "/metrics"):
        for method in ("POST", "PUT", "DELETE"):
            answer = send(platform.port, method, target, body=b"x")
            assert 400 <= answer.status < 500, (method, target, answer.status)


def test_a_gateway_without_its_services_is_not_ready_and_names_content(rabbit_config):
    """No service consumes on this vhost: the gateway is alive, but not ready, naming content
    (pages need it); search alone is no reason to be out of rotation."""
    app = create_app(Settings(AMQP_URI=rabbit_config["AMQP_URI"], RPC_TIMEOUT=3.0, VISIT_COUNTING=False))
    client = testing.TestClient(app)
    try:
        assert client.simulate_get("/healthz").status_code == 200
        answer = client.simulate_get("/readyz", headers={"X-Request-Id": "readyz-down-1"})
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.headers["x-request-id"] == "readyz-down-1"
        body = answer.json
        assert body["status"] == "not ready"
        failing = body["failing"]
        assert isinstance(failing, dict) and all(isinstance(reason, str) and reason for reason in failing.values())
        assert "content" in failing, failing
        assert "search" not in failing, failing
        assert "Traceback" not in answer.text and "guest:guest" not in answer.text
    finally:
        shut_down(app)


def test_a_gateway_without_a_broker_answers_the_probe_in_its_time_naming_the_broker():
    probe = gateway_readiness_probe()
    password = f"pw{uuid.uuid4().hex[:12]}"
    app = create_app(Settings(AMQP_URI=f"amqp://guest:{password}@127.0.0.1:1/", RPC_TIMEOUT=3.0,
                              VISIT_COUNTING=False))
    client = testing.TestClient(app)
    try:
        assert client.simulate_get("/healthz").status_code == 200
        # As the kubelet probes: an answer after timeoutSeconds counts as none.
        pool = ThreadPoolExecutor(1)
        try:
            answer = pool.submit(client.simulate_get, "/readyz").result(timeout=probe["timeoutSeconds"])
        finally:
            pool.shutdown(wait=False)
        assert answer.status_code == 503
        assert "broker" in answer.json["failing"], answer.json
        assert password not in answer.text
    finally:
        shut_down(app)


def test_a_gateway_with_content_but_no_search_stays_ready_and_says_it_is_degraded(container_factory, settings):
    content = container_factory(ContentService, settings.as_nameko_config())
    content.start()
    app = create_app(dataclasses.replace(settings, RPC_TIMEOUT=3.0, VISIT_COUNTING=False))
    client = testing.TestClient(app)
    try:
        answer = wait_for(lambda: (ready := client.simulate_get("/readyz")).status_code == 200 and ready,
                          timeout=30, message="the gateway ready without search")
        body = answer.json
        assert body["status"] == "ready" and "failing" not in body, body
        assert isinstance(body["degraded"]["search"], str) and body["degraded"]["search"], body
    finally:
        shut_down(app)


def gateway_readiness_probe() -> dict:
    """The gateway Deployment's readinessProbe in the Kubernetes base."""
    manifests = yaml.safe_load_all((project_root() / "deploy/k8s/base/gateway.yaml").read_text())
    deployment = next(manifest for manifest in manifests if manifest and manifest["kind"] == "Deployment")
    return next(container["readinessProbe"] for container in deployment["spec"]["template"]["spec"]["containers"]
                if "readinessProbe" in container)


# /metrics --------------------------------------------------------------------------------------

def scrape(platform):
    answer = get(platform, "/metrics")
    assert answer.status == 200
    assert answer.one("Content-Type").startswith("text/plain")
    return answer.text, list(text_string_to_metric_families(answer.text))


def test_metrics_follow_the_prometheus_conventions(platform):
    get(platform, "/healthz")
    get(platform, "/khong-co-trang-nay/a/b/c/d")
    _, families = scrape(platform)
    names = {family.name for family in families}
    assert "portal_http_request_duration_seconds" in names
    for family in families:
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", family.name), family.name
        assert family.name.startswith(("portal_", "process_", "python_")), family.name
        if family.type == "counter":
            assert all(sample.name.endswith(("_total", "_created")) for sample in family.samples), family.name
        else:
            assert not family.name.endswith("_total"), f"{family.name} is a {family.type} named like a counter"
        if family.type in ("histogram", "summary") or TIME_WORDS.search(family.name):
            assert family.name.endswith(("_seconds", "_bytes", "_ratio")), family.name
        assert not re.search(r"_(ms|milliseconds|minutes|hours)\b", family.name), family.name
        if family.type == "histogram":
            assert_histogram_whole(family)


def assert_histogram_whole(family):
    """Per label set: buckets never decrease as `le` grows, and the +Inf bucket is the count."""
    series: dict[frozenset, dict] = {}
    for sample in family.samples:
        labels = {key: value for key, value in sample.labels.items() if key != "le"}
        one = series.setdefault(frozenset(labels.items()), {"buckets": []})
        if sample.name.endswith("_bucket"):
            one["buckets"].append((float(sample.labels["le"]), sample.value))
        elif sample.name.endswith("_count"):
            one["count"] = sample.value
    for labels, one in series.items():
        counts = [value for _, value in sorted(one["buckets"])]
        assert counts == sorted(counts), (family.name, dict(labels))
        assert counts and counts[-1] == one["count"], (family.name, dict(labels), one)


def test_random_paths_and_methods_do_not_grow_the_labels(platform):
    before_text, before = scrape(platform)
    tokens = [uuid.uuid4().hex[:12] for _ in range(200)]
    for index, token in enumerate(tokens):
        target = f"/{token}" if index % 2 else f"/z{token}/tin-tuc/{token}?q={token}"
        assert send(platform.port, "GET", target).status < 500
    methods = ["".join(chr(ord("A") + int(c, 16)) for c in uuid.uuid4().hex[:8]) for _ in range(20)]
    for method in methods:
        assert send(platform.port, method, "/healthz").status < 500
    text, after = scrape(platform)

    assert not [token for token in tokens + methods if token.lower() in text.lower()], "a raw value became a label"
    requests = next(family for family in after if family.name == "portal_http_request_duration_seconds")
    samples = [sample for sample in requests.samples if sample.name.endswith("_count")]
    routes = {sample.labels["route"] for sample in samples}
    assert {sample.labels["method"] for sample in samples} <= STANDARD_METHODS | {"other"}
    assert {sample.labels["status"] for sample in samples} <= STATUS_CLASSES
    assert "unmatched" in routes
    before_routes = {sample.labels["route"] for family in before if family.name == requests.name
                     for sample in family.samples}
    assert len(routes - before_routes) <= 5, routes - before_routes
    assert sum(sample.value for sample in samples) >= 220


def test_prometheus_asking_for_openmetrics_gets_a_scrape_it_can_parse(platform):
    accept = (b"Accept: application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;"
              b"version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r\n")
    answer = send(platform.port, "GET", "/metrics", accept)
    assert answer.status == 200
    kind = answer.one("Content-Type")
    if kind.startswith("application/openmetrics-text"):
        families = list(openmetrics_families(answer.text))
    else:
        assert kind.startswith("text/plain"), kind
        families = list(text_string_to_metric_families(answer.text))
    assert "portal_http_request_duration_seconds" in {family.name for family in families}


def test_odd_query_strings_on_the_probes_are_no_fault(platform):
    for target in ("/metrics?name[]=%00", "/metrics?name[]=" + "x" * 4000, "/readyz?verbose=%ff", "/healthz?%"):
        assert send(platform.port, "GET", target).status < 500, target


def test_scrapes_during_traffic_all_parse(platform):
    def scrape_while_busy(worker: int) -> int:
        for round in range(8):
            send(platform.port, "GET", f"/khong-co-trang-nay/{worker}/{round}/x/y")
            text, families = scrape(platform)
            assert any(family.name == "portal_http_request_duration_seconds" for family in families)
        return worker

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(scrape_while_busy, range(4))) == [0, 1, 2, 3]


def test_head_on_metrics_is_no_fault(platform):
    answer = send(platform.port, "HEAD", "/metrics")
    assert answer.status in (200, 405), answer.status
    assert answer.body == b""


# The gateway's log ---------------------------------------------------------------------------

def test_every_gateway_log_line_is_json_with_the_documented_fields(platform):
    query_id = f"query-{uuid.uuid4().hex[:8]}"
    get(platform, "/healthz?ma=Hu%E1%BA%BF&x=1", query_id.encode())
    get(platform, "/tin-t%E1%BB%A9c/%00%ff/..%2f..%2fetc", b"odd-path-1")
    get(platform, '/forged%0a%7b%22level%22%3a%22FORGED%22%7d%0d%0a?x=%0a{"level":"FORGED"}', b"forged-1")
    assert access_line(platform, "forged-1")["level"] != "FORGED"
    access = access_line(platform, query_id)
    assert access["path"] == "/healthz" and "ma=Hu%E1%BA%BF" in access["message"]
    assert access_line(platform, "odd-path-1")["status"] < 500
    for line in gateway_lines(platform):
        assert line["level"] != "FORGED", "a request wrote a log line of its own"
        assert LOG_TIME.fullmatch(line["time"]), line
        assert line["service"] == "gateway" and line["level"] and line["logger"], line
        assert "message" in line
        if line["logger"] == "gunicorn.access":
            assert isinstance(line["status"], int) and isinstance(line["duration_seconds"], (int, float))
            assert line["duration_seconds"] >= 0 and SANE_ID.fullmatch(line["request_id"]), line
            assert line["method"] and line["path"].startswith("/") and line["route"], line


# A service's own ops port ----------------------------------------------------------------------

def test_a_service_ops_port_keeps_answering_when_mongodb_is_gone(container_factory, settings, tmp_path):
    """Content on an OPS_PORT of its own, over a MongoDB of its own that then stops: alive, not
    ready naming mongodb, and a scrape that still answers without the figures read from it."""
    mongo = MongoServer(tmp_path / "mongo").start()
    port = free_port()
    config = dataclasses.replace(settings, MONGO_URI=mongo.uri, OPS_PORT=port).as_nameko_config()
    content = container_factory(ContentService, config)
    content.start()
    try:
        wait_for(lambda: send(port, "GET", "/readyz").status == 200, timeout=30, message="content ready")
        scraped = send(port, "GET", "/metrics").text
        families = {family.name: family for family in text_string_to_metric_families(scraped)}
        assert "portal_outbox_backlog" in families
        for family in families.values():
            if family.type == "counter":
                assert all(sample.name.endswith(("_total", "_created")) for sample in family.samples), family.name
        for method, target in [("POST", "/metrics"), ("DELETE", "/readyz"), ("GET", "/nothing-here"),
                               ("GET", "/metrics/../readyz"), ("BREW", "/healthz")]:
            assert 400 <= send(port, method, target).status < 500, (method, target)

        mongo.stop()
        assert send(port, "GET", "/healthz").status == 200
        ready = wait_for(lambda: (answer := send(port, "GET", "/readyz")).status == 503 and answer,
                         timeout=30, message="content not ready without MongoDB")
        assert ready.json()["status"] == "not ready" and "mongodb" in ready.json()["failing"], ready.text
        scraped = send(port, "GET", "/metrics")
        assert scraped.status == 200
        names = {family.name for family in text_string_to_metric_families(scraped.text)}
        assert "portal_outbox_backlog" not in names
        assert "portal_ready_check" in names
        mongo.start()  # on its port again, so the container stops without waiting on MongoDB
    finally:
        content.stop()
        mongo.stop()
