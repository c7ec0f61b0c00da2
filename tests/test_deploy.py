"""How the platform is deployed, held to what the repository contains.

Docker cannot run on this machine, so docker-compose.yml, deploy/Dockerfile and
.dockerignore are read and checked against the code and services/common/config.py.
deploy/nameko.yml is parsed exactly as `nameko run` parses it, and deploy/gunicorn.conf.py
is loaded by gunicorn itself, once in-process and once as a real server.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import json
import logging
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from gunicorn.app.base import Application

from deploy import broker_users
from deploy.broker_users import password_variable
from deploy.launcher import service_path
from services.common.config import SECRETS, Settings
from services.common.ops.endpoint import Ops
from tests.deploy_checks import (
    APP_SERVICES,
    NAMEKO_SERVICES,
    ROOT,
    dockerfile_instructions,
    image_tag,
    option,
    top_level_names,
)
from tests.search.bad_queries import MAX_QUERY_CHARS, pasted
from tests.servers import free_port, stop_process, subprocess_env, wait_for, wait_for_port

# Containers that run once and exit, from the same image.
JOBS = ["broker-users"]
# What each application container must be told, beyond the defaults in Settings.
REQUIRED_ENVIRONMENT = {
    "content": {"AMQP_URI", "MONGO_URI", "PLATFORM_ADMIN_TOKEN", "ACTOR_SECRET"},
    # Elasticsearch keeps the index outside the container: what lets search scale out.
    "search": {"AMQP_URI", "ELASTICSEARCH_URL", "ACTOR_SECRET"},
    "ranking": {"AMQP_URI", "MONGO_URI", "ACTOR_SECRET"},
    "notify": {"AMQP_URI", "MONGO_URI", "SMTP_HOST", "SMTP_PORT", "PUBLIC_URL", "ACTOR_SECRET"},
    "gateway": {"AMQP_URI", "PUBLIC_URL", "GATEWAY_BIND", "GATEWAY_SECRET", "ACTOR_SECRET"},
}
# What compose refuses to start without, as a host might set it (in the shell or .env).
HOST = {**{name: f"{name.lower()}-from-the-host" for name in SECRETS},
        **{password_variable(user): f"{user}-broker-password" for user in APP_SERVICES}}
# Settings that name another container by its host name.
ADDRESS_SETTINGS = {"AMQP_URI", "MONGO_URI", "ELASTICSEARCH_URL", "SMTP_HOST"}


class PlainYaml(yaml.SafeLoader):
    """YAML as docker compose reads it: `${...}` stays text for compose to interpolate,
    even after nameko's parser has been set up on yaml.SafeLoader in this process."""


PlainYaml.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "!env_var"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class TaggedYaml(PlainYaml):
    """Keeps nameko's environment tags visible: `!raw_env_var "${X:d}"` -> ("env", "${X:d}")."""


for _tag in ("!env_var", "!raw_env_var"):
    TaggedYaml.add_constructor(_tag, lambda loader, node: ("env", loader.construct_scalar(node)))


def load_yaml(path: Path, loader=PlainYaml):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_yaml(ROOT / "docker-compose.yml")


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(text: str, host_environment: dict[str, str]) -> str:
    """docker compose's `${NAME}`, `${NAME:-default}`, `${NAME:?error}` and `$$`."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        value = host_environment.get(name)
        unset = value is None or (value == "" and op and op.startswith(":"))
        if not unset:
            return value
        if op and op.endswith("?"):
            raise LookupError(f"{name}: {arg}")
        return arg if op else ""

    return _INTERPOLATION.sub(replace, text)


def effective_settings(service: dict, host_environment: dict[str, str]) -> Settings:
    return Settings.from_mapping(
        {key: interpolate(value, host_environment) for key, value in environment_of(service).items()}
    )


def gateway_port(compose: dict) -> str:
    """The container port gunicorn listens on, from the gateway's GATEWAY_BIND."""
    settings = effective_settings(compose["services"]["gateway"], HOST)
    return settings.GATEWAY_BIND.rsplit(":", 1)[1]


# --- docker-compose.yml ---------------------------------------------------------------


def test_every_repository_service_is_deployed(compose):
    built = {name for name, service in compose["services"].items() if "build" in service}
    assert built == set(APP_SERVICES + JOBS)


@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_nameko_command_runs_a_service_module_of_the_repository(compose, name):
    command = compose["services"][name]["command"]
    assert command[:2] == ["nameko", "run"]
    assert option(command, "--config") == "deploy/nameko.yml"
    assert (ROOT / "deploy/nameko.yml").is_file()
    # The same service class as `make run` starts (deploy/launcher.py), named explicitly.
    assert command[-1] == service_path(name)
    module, _, class_name = command[-1].partition(":")
    service = getattr(importlib.import_module(module), class_name)
    assert service.name == name


def test_gateway_command_runs_the_wsgi_app_under_the_gunicorn_config(compose):
    command = compose["services"]["gateway"]["command"]
    assert command[0] == "gunicorn"
    assert option(command, "-c", "--config") == "deploy/gunicorn.conf.py"
    assert (ROOT / "deploy/gunicorn.conf.py").is_file()
    module, _, attribute = command[-1].partition(":")
    assert (module, attribute) == ("gateway.wsgi", "app")
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{path.relative_to(ROOT)} does not exist"
    assert attribute in top_level_names(path), f"{path.name} defines no {attribute!r}"


def test_every_image_has_an_explicit_tag_that_is_not_latest(compose):
    for name, service in compose["services"].items():
        assert "image" in service, f"{name}: no image (a built image would be tagged latest)"
        tag = image_tag(service["image"])
        assert tag and tag != "latest", f"{name}: {service['image']}"


def test_every_service_has_a_healthcheck_and_a_restart_policy(compose):
    for name in JOBS:
        assert compose["services"][name]["restart"] == "no", f"{name} runs once"
    for name, service in compose["services"].items():
        if name in JOBS:
            continue
        healthcheck = service.get("healthcheck") or {}
        assert not healthcheck.get("disable"), name
        assert healthcheck.get("test") and healthcheck["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert service.get("restart") == "unless-stopped", name


def test_the_gateway_is_healthy_when_it_answers_readyz(compose):
    check = " ".join(compose["services"]["gateway"]["healthcheck"]["test"])
    assert f"127.0.0.1:{gateway_port(compose)}/readyz" in check


@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_each_service_is_healthy_when_its_operations_endpoint_says_ready(compose, name):
    service = compose["services"][name]
    port = effective_settings(service, HOST).OPS_PORT
    assert port == 9100  # the operations contract: every service, every container
    assert f"127.0.0.1:{port}/readyz" in " ".join(service["healthcheck"]["test"])
    module, _, class_name = service_path(name).partition(":")
    assert isinstance(getattr(importlib.import_module(module), class_name).ops, Ops), "it serves no endpoint"


def test_application_containers_set_only_settings_fields(compose):
    known = set(Settings.names())
    for name in APP_SERVICES:
        unknown = set(environment_of(compose["services"][name])) - known
        assert not unknown, f"{name} sets {unknown}, which Settings does not read"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_application_containers_get_what_they_need(compose, name):
    missing = REQUIRED_ENVIRONMENT[name] - set(environment_of(compose["services"][name]))
    assert not missing


def test_application_settings_convert_and_keep_rpc_inside_the_request_timeout(compose):
    for name in APP_SERVICES:
        settings = effective_settings(compose["services"][name], HOST)
        assert settings.RPC_TIMEOUT < settings.GATEWAY_TIMEOUT, name
    assert effective_settings(compose["services"]["content"], HOST).PLATFORM_ADMIN_TOKEN == HOST["PLATFORM_ADMIN_TOKEN"]
    assert effective_settings(compose["services"]["gateway"], HOST).GATEWAY_BIND == "0.0.0.0:8000"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_secret_and_broker_password_must_come_from_the_host(compose, name):
    service = compose["services"][name]
    needed = [variable for variable in HOST if "${" + variable + ":?" in str(environment_of(service))]
    for variable in needed:
        with pytest.raises(LookupError, match=variable):
            effective_settings(service, {k: v for k, v in HOST.items() if k != variable})
    assert "ACTOR_SECRET" in needed and password_variable(name) in needed
    assert {"gateway": "GATEWAY_SECRET", "content": "PLATFORM_ADMIN_TOKEN"}.get(name, "ACTOR_SECRET") in needed


def test_the_gateway_and_every_service_share_one_actor_secret(compose):
    secrets = {effective_settings(compose["services"][name], HOST).ACTOR_SECRET for name in APP_SERVICES}
    assert secrets == {HOST["ACTOR_SECRET"]}
    gateway = effective_settings(compose["services"]["gateway"], HOST)
    assert not [name for name in SECRETS if name != "PLATFORM_ADMIN_TOKEN" and
                getattr(gateway, name) == Settings.defaults()[name]], "the gateway would refuse to start"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_application_container_connects_to_the_broker_as_its_own_user(compose, name):
    uri = urlsplit(effective_settings(compose["services"][name], HOST).AMQP_URI)
    assert (uri.username, uri.password) == (name, HOST[password_variable(name)])
    assert name in broker_users.users()


def test_the_broker_users_job_imports_the_definitions_with_every_password_before_anything_connects(compose):
    job = compose["services"]["broker-users"]
    assert job["command"] == ["python", "-m", "deploy.broker_users"]
    environment = {key: interpolate(value, HOST) for key, value in environment_of(job).items()}
    for user in broker_users.users():
        assert environment[password_variable(user)] == HOST[password_variable(user)], user
    management = urlsplit(environment["RABBITMQ_MANAGEMENT_URL"])
    rabbitmq = environment_of(compose["services"]["rabbitmq"])
    assert (management.hostname, management.port) == ("rabbitmq", 15672)
    assert management.username == rabbitmq["RABBITMQ_DEFAULT_USER"]
    assert management.password == interpolate(rabbitmq["RABBITMQ_DEFAULT_PASS"], HOST)
    assert job["depends_on"] == {"rabbitmq": {"condition": "service_healthy"}}
    for name in APP_SERVICES:
        assert compose["services"][name]["depends_on"]["broker-users"] == {
            "condition": "service_completed_successfully"}, name


def test_addresses_name_compose_services_that_are_awaited_healthy(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        service = services[name]
        environment = {k: interpolate(v, HOST) for k, v in environment_of(service).items()
                       if k in ADDRESS_SETTINGS}
        for key, value in environment.items():
            host = value if key == "SMTP_HOST" else urlsplit(value).hostname
            assert host in services, f"{name}.{key} points at {host!r}, not a compose service"
            assert service["depends_on"].get(host) == {"condition": "service_healthy"}, (name, host)


def test_depends_on_waits_for_health_of_existing_services(compose):
    for name, service in compose["services"].items():
        for target, condition in (service.get("depends_on") or {}).items():
            assert target in compose["services"], (name, target)
            awaited = "service_completed_successfully" if target in JOBS else "service_healthy"
            assert condition == {"condition": awaited}, (name, target)


def test_mongo_runs_the_replica_set_the_services_connect_to(compose):
    mongo = compose["services"]["mongo"]
    assert image_tag(mongo["image"]).startswith("7.")
    replica_set = option(mongo["command"], "--replSet")
    assert f"_id: '{replica_set}'" in " ".join(mongo["healthcheck"]["test"])
    assert "rs.initiate" in " ".join(mongo["healthcheck"]["test"])
    for name in APP_SERVICES:
        uri = environment_of(compose["services"][name]).get("MONGO_URI")
        if uri:
            assert parse_qs(urlsplit(uri).query).get("replicaSet") == [replica_set], name


def test_elasticsearch_is_single_node_plain_http_with_a_bounded_heap(compose):
    elasticsearch = compose["services"]["elasticsearch"]
    environment = environment_of(elasticsearch)
    assert elasticsearch["image"] == "docker.elastic.co/elasticsearch/elasticsearch:8.15.3"
    assert environment["discovery.type"] == "single-node"
    assert environment["xpack.security.enabled"] == "false"
    assert re.search(r"-Xmx\d+[mg]", environment["ES_JAVA_OPTS"])
    url = environment_of(compose["services"]["search"])["ELASTICSEARCH_URL"]
    assert urlsplit(url).scheme == "http"


def test_notify_sends_to_the_mail_catcher_smtp_port(compose):
    notify = effective_settings(compose["services"]["notify"], HOST)
    assert compose["services"]["mailpit"]["image"].startswith("axllent/mailpit:")
    assert (notify.SMTP_HOST, notify.SMTP_PORT) == ("mailpit", 1025)


def test_nameko_services_scale_out(compose):
    for name in NAMEKO_SERVICES:
        service = compose["services"][name]
        fixed = {"container_name", "hostname", "ports", "volumes"} & set(service)
        assert not fixed, f"{name} has {fixed}: `--scale {name}=3` needs none"
    assert "container_name" not in compose["services"]["gateway"]


def test_only_the_gateway_publishes_a_port_to_the_world(compose):
    gateway = compose["services"]["gateway"]
    assert [str(p) for p in gateway["ports"]] == [f"8000:{gateway_port(compose)}"]
    for name, service in compose["services"].items():
        if name != "gateway":
            for port in service.get("ports") or []:
                assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond this host"


# --- deploy/rabbitmq/definitions.json -------------------------------------------------

REPLY = "0b4e7a86-2f4c-4f0e-9a36-5d1f2c3b4a59"
# Queue names as a running platform declares them (rabbitmqctl list_queues), by owner.
QUEUES = {
    "content": ["rpc-content"],
    "search": ["rpc-search", f"rpc.reply-search-{REPLY}",
               *[f"evt-content-article_published--search.on_article_published{suffix}"
                 for suffix in ("", ".retry", ".parked")]],
    "ranking": ["rpc-ranking", f"rpc.reply-ranking-{REPLY}",
                "evt-content-unit_updated--ranking.on_unit_updated.parked"],
    "notify": ["rpc-notify", f"rpc.reply-notify-{REPLY}",
               "evt-content-article_published--notify.notify_subscribers.retry"],
    "gateway": [f"rpc.reply-standalone_rpc_proxy-{REPLY}", "amq.gen-JzTY20BRgKO-HjmUJj0wLg"],
}


def definitions_file() -> dict:
    return json.loads((ROOT / "deploy" / "rabbitmq" / "definitions.json").read_text())


def test_every_broker_user_touches_its_own_queues_and_no_one_elses():
    definitions = definitions_file()
    assert {user["name"] for user in definitions["users"]} == set(APP_SERVICES) == set(QUEUES)
    assert not [user for user in definitions["users"] if "password" in user or "password_hash" in user]
    for entry in definitions["permissions"]:
        assert entry["vhost"] == "/"
        for owner, queues in QUEUES.items():
            for queue in queues:
                for permission in ("configure", "write", "read"):
                    allowed = re.search(entry[permission], queue) is not None
                    assert allowed == (owner == entry["user"]), (entry["user"], permission, queue)


@pytest.mark.parametrize("user, may_bind, may_not_bind", [
    ("content", ["content.*"], ["search.*", "#", REPLY]),
    ("search", ["search.*", REPLY], ["content.*", "#"]),
    ("gateway", [REPLY], ["content.*", "ranking.*", "#"]),
])
def test_on_nameko_rpc_a_user_binds_only_its_own_requests_and_replies(user, may_bind, may_not_bind):
    entry = next(entry for entry in definitions_file()["topic_permissions"] if entry["user"] == user)
    assert entry["exchange"] == "nameko-rpc"
    assert all(re.search(entry["read"], key) for key in may_bind)
    assert not any(re.search(entry["read"], key) for key in may_not_bind)


# --- deploy/Dockerfile and .dockerignore ----------------------------------------------


def build_of(compose: dict, name: str) -> tuple[Path, Path]:
    build = compose["services"][name]["build"]
    context = (ROOT / build["context"]).resolve()
    return context, context / build.get("dockerfile", "Dockerfile")


def test_every_application_image_is_built_from_the_repository_dockerfile(compose):
    for name in APP_SERVICES + JOBS:
        context, dockerfile = build_of(compose, name)
        assert context == ROOT and (context / "pyproject.toml").is_file(), name
        assert dockerfile == ROOT / "deploy" / "Dockerfile" and dockerfile.is_file(), name
    assert len({compose["services"][name]["image"] for name in APP_SERVICES + JOBS}) == 1


def test_dockerfile_installs_the_project_and_drops_root():
    instructions = dockerfile_instructions(ROOT / "deploy" / "Dockerfile")
    keywords = [keyword for keyword, _ in instructions]
    base = instructions[0]
    assert base[0] == "FROM" and base[1].startswith("python:3.11-slim"), base
    assert image_tag(base[1]) != "latest"

    copied = [argument.split()[0] for keyword, argument in instructions if keyword == "COPY"]
    assert {"pyproject.toml", "services", "gateway", "deploy"} <= set(copied)
    install = next(i for i, (keyword, argument) in enumerate(instructions)
                   if keyword == "RUN" and re.search(r"pip install( --\S+)* \.(\s|$)", argument))
    for source in ("pyproject.toml", "services", "gateway"):
        position = next(i for i, (k, a) in enumerate(instructions) if k == "COPY" and a.split()[0] == source)
        assert position < install, f"{source} is copied after `pip install .`"

    users = [argument for keyword, argument in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert keywords.index("USER") > install


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves `path` out of the build context (the last matching rule wins;
    a directory left out takes everything under it)."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        variants = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
        if any(fnmatch.fnmatchcase(c, v) for c in candidates for v in variants):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_what_the_image_runs_and_drops_the_rest():
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    needed = ["pyproject.toml", "deploy/nameko.yml", "deploy/gunicorn.conf.py", "gateway/wsgi.py",
              "deploy/broker_users.py", "deploy/rabbitmq/definitions.json"]
    needed += [str(p.relative_to(ROOT)) for p in (ROOT / "services").rglob("*.py")
               if "__pycache__" not in p.parts]
    assert not [path for path in needed if dockerignored(path, patterns)]
    for heavy in (".venv/bin/python", ".git/HEAD", "tests/conftest.py", "services/common/__pycache__/x.pyc"):
        assert dockerignored(heavy, patterns), heavy


# --- deploy/nameko.yml ----------------------------------------------------------------


def parse_like_nameko_run(monkeypatch) -> dict:
    """yaml.safe_load after nameko's own setup_yaml_parser(), as `nameko run --config`."""
    from nameko.cli.main import setup_yaml_parser

    # setup_yaml_parser() changes yaml.SafeLoader for the whole process; undo it afterwards.
    monkeypatch.setattr(yaml.SafeLoader, "yaml_constructors", dict(yaml.SafeLoader.yaml_constructors))
    monkeypatch.setattr(yaml.SafeLoader, "yaml_implicit_resolvers",
                        {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()})
    setup_yaml_parser()
    with open(ROOT / "deploy" / "nameko.yml") as config:
        return yaml.safe_load(config)


@pytest.fixture
def clean_environment(monkeypatch):
    for name in Settings.names():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_nameko_yml_substitutes_exactly_the_settings_from_their_own_variables():
    raw = load_yaml(ROOT / "deploy" / "nameko.yml", TaggedYaml)
    substituted = {key: value[1] for key, value in raw.items() if isinstance(value, tuple)}
    assert set(substituted) == set(Settings.names())
    for key, text in substituted.items():
        assert text.startswith("${" + key + ":"), f"{key} reads {text}"


def test_nameko_yml_defaults_are_the_settings_defaults(clean_environment):
    config = parse_like_nameko_run(clean_environment)
    assert set(Settings.names()) <= set(config)
    assert Settings.from_mapping(config) == Settings()


def non_default(field: dataclasses.Field):
    default = field.default
    if isinstance(default, bool):
        return not default
    if isinstance(default, (int, float)):
        return default + 7
    return f"{field.name.lower()}-from-environment"


def test_nameko_yml_takes_every_setting_from_the_environment(clean_environment):
    wanted = {field.name: non_default(field) for field in dataclasses.fields(Settings)}
    for name, value in wanted.items():
        clean_environment.setenv(name, str(value).lower() if isinstance(value, bool) else str(value))
    config = parse_like_nameko_run(clean_environment)
    assert Settings.from_mapping(config) == Settings(**wanted)


# --- deploy/gunicorn.conf.py ----------------------------------------------------------


class ConfigFileOnly(Application):
    """gunicorn's own loader reading one config file, without a command line or an app."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(prog="gunicorn")

    def load_config(self):
        self.load_config_from_file(str(self.path))

    def load(self):
        raise AssertionError("the configuration must not load the application")


def gunicorn_config(environment, settings: dict[str, str]):
    """deploy/gunicorn.conf.py as gunicorn reads it, with these settings in the environment."""
    for name, value in settings.items():
        environment.setenv(name, value)
    environment.delenv("GUNICORN_CMD_ARGS", raising=False)
    environment.delitem(sys.modules, "__config__", raising=False)
    try:
        return ConfigFileOnly(ROOT / "deploy" / "gunicorn.conf.py").cfg
    finally:
        sys.modules.pop("__config__", None)


OWN_SECRETS = {name: f"{name.lower()}-long-and-random" for name in SECRETS}


@pytest.mark.parametrize(
    "environment, bind, workers, threads, timeout",
    [
        ({}, "127.0.0.1:8000", 2, 8, 30),
        ({"GATEWAY_BIND": "0.0.0.0:9001", "GATEWAY_WORKERS": "5", "GATEWAY_THREADS": "3",
          "GATEWAY_TIMEOUT": "45", **OWN_SECRETS}, "0.0.0.0:9001", 5, 3, 45),
        # One thread: gunicorn would quietly fall back to sync workers unless told gthread.
        ({"GATEWAY_THREADS": "1"}, "127.0.0.1:8000", 2, 1, 30),
    ],
)
def test_gunicorn_config_follows_the_gateway_settings(clean_environment, environment, bind, workers,
                                                      threads, timeout):
    config = gunicorn_config(clean_environment, environment)
    assert config.bind == [bind]
    assert (config.workers, config.threads, config.timeout) == (workers, threads, timeout)
    assert config.worker_class_str == "gthread"
    assert config.control_socket_disable is True
    assert config.preload_app is False
    assert config.accesslog == "-"


def test_gunicorn_takes_a_search_for_a_pasted_paragraph(clean_environment):
    request_line = f"GET /tim-kiem?{urlencode({'q': pasted(MAX_QUERY_CHARS)})} HTTP/1.1"
    assert gunicorn_config(clean_environment, {}).limit_request_line >= len(request_line)


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "[::]:8000", "192.0.2.10:8000", "portal.example.gov.vn:8000"])
def test_gunicorn_config_refuses_a_public_default_secret_beyond_loopback(clean_environment, bind):
    with pytest.raises(SystemExit) as refusal:
        gunicorn_config(clean_environment, {"GATEWAY_BIND": bind, "GATEWAY_SECRET": OWN_SECRETS["GATEWAY_SECRET"]})
    message = str(refusal.value.code)
    assert message.startswith(f"Refusing to start the gateway on {bind}: PLATFORM_ADMIN_TOKEN, ACTOR_SECRET still")
    assert "GATEWAY_SECRET" not in message


@pytest.mark.parametrize("bind", ["127.0.0.1:8000", "127.0.0.2:8000", "localhost:8000", "[::1]:8000",
                                  "unix:/run/portal/gateway.sock"])
def test_gunicorn_config_on_loopback_only_warns_of_a_public_default_secret(clean_environment, bind, caplog):
    config = gunicorn_config(clean_environment, {"GATEWAY_BIND": bind, "ACTOR_SECRET": OWN_SECRETS["ACTOR_SECRET"]})
    assert config.bind == [bind]
    config.on_starting(SimpleNamespace(log=logging.getLogger("gunicorn.error")))
    assert "PLATFORM_ADMIN_TOKEN, GATEWAY_SECRET still the public default" in caplog.text


def test_gunicorn_config_is_quiet_once_every_secret_is_set(clean_environment, caplog):
    config = gunicorn_config(clean_environment, {"GATEWAY_BIND": "0.0.0.0:8000", **OWN_SECRETS})
    config.on_starting(SimpleNamespace(log=logging.getLogger("gunicorn.error")))
    assert not caplog.records


def test_the_gateway_exits_before_listening_when_it_would_serve_the_world_a_public_secret(tmp_path):
    port = free_port()
    environment = {k: v for k, v in subprocess_env().items() if k not in Settings.names()}
    environment.update(GATEWAY_BIND=f"0.0.0.0:{port}", HOME=str(tmp_path))
    refused = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "gateway.wsgi:app"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "PLATFORM_ADMIN_TOKEN, GATEWAY_SECRET, ACTOR_SECRET still have the public default" in refused.stderr
    assert "Listening at" not in refused.stdout + refused.stderr


PROBE_APP = '''
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"probe ok"]
'''


def json_lines(path: Path) -> list[dict]:
    """The JSON log lines written so far (services/common/logs.py)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def test_gunicorn_boots_with_the_config_logs_access_and_writes_no_control_socket(tmp_path):
    (tmp_path / "probe_app.py").write_text(PROBE_APP)
    home, runtime = tmp_path / "home", tmp_path / "run"
    home.mkdir()
    runtime.mkdir()
    port = free_port()
    environment = {k: v for k, v in subprocess_env().items()
                   if k not in Settings.names() and k != "GUNICORN_CMD_ARGS"}
    environment.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), GATEWAY_BIND=f"127.0.0.1:{port}",
                       GATEWAY_WORKERS="1", GATEWAY_THREADS="2")
    log = tmp_path / "stdout.log"
    with open(log, "wb") as stdout:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--pythonpath", str(tmp_path), "probe_app:app"],
            cwd=ROOT, env=environment, stdout=stdout, stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process=server)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5) as response:
                assert response.read() == b"probe ok"
            wait_for(lambda: any(line.get("path") == "/probe" and line.get("status") == 200
                                 for line in json_lines(log)), timeout=5, message="the access log line")
            assert "gthread" in log.read_text()
            # Checked while the server runs: gunicorn removes its socket when it stops.
            assert not [*home.rglob("*.ctl"), *runtime.rglob("*.ctl")]
        finally:
            stop_process(server)
