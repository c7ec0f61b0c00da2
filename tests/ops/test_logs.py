"""Log lines as deploy/nameko.yml and deploy/gunicorn.conf.py configure them: one JSON object per
line with the contract's fields, or text with LOG_FORMAT=plain; request ids only when sane.
(tests/ops/test_request_ids.py reads the lines of the whole platform as deployed.)"""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from services.common.logs import JsonFormatter, RequestIdFilter, reset_request_id, sane_request_id, use_request_id
from tests.servers import free_port, project_root, stop_process, subprocess_env, wait_for, wait_for_port

ROOT = project_root()

# What `nameko run --config deploy/nameko.yml services.content.service:ContentService` does with
# its LOGGING before the service logs, then two lines of the content service's.
NAMEKO_LOGGING = """
import logging, logging.config, yaml
from nameko.cli.main import setup_yaml_parser
from services.common.logs import use_request_id
setup_yaml_parser()
with open("deploy/nameko.yml") as config:
    logging.config.dictConfig(yaml.safe_load(config)["LOGGING"])
log = logging.getLogger("services.content.service")
log.info("no request yet")
use_request_id("abc-123")
try:
    raise ValueError("hỏng")
except ValueError:
    log.exception("đã gửi %d thư", 3)
"""


def nameko_service_lines(**environment) -> list[str]:
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", NAMEKO_LOGGING,
                           "services.content.service:ContentService"], cwd=ROOT, env=subprocess_env(**environment),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # stderr only
    return done.stderr.splitlines()


def test_a_service_logs_json_lines_with_the_contract_fields():
    first, second = map(json.loads, nameko_service_lines())
    assert first.keys() == {"time", "level", "logger", "message", "service"}  # no request: no request_id
    assert (first["level"], first["logger"], first["service"]) == ("INFO", "services.content.service", "content")
    assert first["time"].endswith("Z") and first["time"][:2] == "20"
    assert second["request_id"] == "abc-123"
    assert second["message"] == "đã gửi 3 thư"
    assert second["exc_info"].startswith("Traceback") and "ValueError: hỏng" in second["exc_info"]


def test_log_format_plain_gives_a_developer_text_lines_with_the_request_id():
    lines = nameko_service_lines(LOG_FORMAT="plain")
    assert " INFO services.content.service no request yet" in lines[0] and not lines[0].startswith("{")
    assert lines[1].startswith("[abc-123] ") and "ERROR services.content.service đã gửi 3 thư" in lines[1]
    assert "ValueError: hỏng" in lines[-1]


@pytest.mark.parametrize("value, sane", [
    ("abc-123", True), ("a", True), ("A.b_c-9", True), ("x" * 64, True),
    ("", False), ("x" * 65, False), ("has space", False), ("tab\tin", False), ("line\nbreak", False),
    ("dấu", False), ("trailing\n", False), ('"quoted"', False), ("{json}", False), (None, False), (123, False),
])
def test_only_a_sane_request_id_is_taken(value, sane):
    assert sane_request_id(value) == (value if sane else None)
    token = use_request_id(value)
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        RequestIdFilter(service="gateway").filter(record)
        assert record.request_id == (value if sane else None)
    finally:
        reset_request_id(token)


def test_a_record_that_names_its_request_keeps_it_and_extra_fields_are_kept():
    token = use_request_id("current")
    try:
        record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "GET /", None, None)
        record.request_id, record.status = "from-the-response", 200
        RequestIdFilter(service="gateway").filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        reset_request_id(token)
    assert (line["request_id"], line["status"], line["service"]) == ("from-the-response", 200, "gateway")


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_the_gateway_under_gunicorn_logs_each_request_with_its_id_route_status_and_duration(
        tmp_path, rabbit_config, log_format):
    port = free_port()
    environment = subprocess_env(GATEWAY_BIND=f"127.0.0.1:{port}", GATEWAY_WORKERS=1, GATEWAY_THREADS=2,
                                 AMQP_URI=rabbit_config["AMQP_URI"], HOME=str(tmp_path), LOG_FORMAT=log_format)
    log = tmp_path / "gateway.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                   "gateway.wsgi:app"], cwd=ROOT, env=environment, stdout=output,
                                  stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process=server)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-Id": "t-1"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers["X-Request-Id"] == "t-1"
            wait_for(lambda: "/healthz" in log.read_text(), timeout=10, message="the access line")
        finally:
            stop_process(server)
    lines = log.read_text().splitlines()
    if log_format == "plain":
        assert not any(line.startswith("{") for line in lines)
        assert any(line.startswith("[t-1] ") and "GET /healthz" in line for line in lines), lines
        return
    records = [json.loads(line) for line in lines]  # every line, the app's start included
    assert {record["service"] for record in records} == {"gateway"}
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    assert len(access) == 1, access
    assert access[0]["request_id"] == "t-1"
    assert (access[0]["method"], access[0]["path"], access[0]["route"], access[0]["status"]) == (
        "GET", "/healthz", "/healthz", 200)
    assert access[0]["duration_seconds"] > 0
