"""The Kubernetes manifests (deploy/k8s/), held to what the repository contains.

There is no cluster here and kubectl is not among the project's installs, so the kustomize layout
is rendered in Python (`render`: resources, generators, images, replicas, namespace, labels and
strategic-merge patches by kind and name; a kustomization using anything else fails the test;
where kubectl happens to be installed, its own kustomize output is compared with it), every manifest
is validated against the Kubernetes schemas (kubernetes-validate, strict), and each names a
command, image, port, setting and key that exists, as tests/test_deploy.py does for compose.
"""
from __future__ import annotations

import base64
import copy
import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from deploy import broker_users
from deploy.broker_users import password_variable
from deploy.launcher import service_path
from services.common.config import Settings
from tests.deploy_checks import (
    APP_SERVICES,
    NAMEKO_SERVICES,
    ROOT,
    dockerfile_instructions,
    image_tag,
    option,
    top_level_names,
)

K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAY = K8S / "overlays" / "example"
# The oldest release the manifests must run on; kubernetes-validate ships its schemas.
KUBERNETES_VERSIONS = ["1.30.0", "1.34.0"]
OPS_PORT = 9100  # every nameko service's, in containers (the operations contract)
GATEWAY_PORT = 8000
SCALED_BY_AUTOSCALER = {"gateway", "content", "search"}
SUPPORTED = {"apiVersion", "kind", "resources", "labels", "configMapGenerator", "secretGenerator", "images",
             "replicas", "namespace", "patches"}
CLUSTER_WIDE = {"Namespace"}
REFERENCE = re.compile(r"\$\((\w+)\)")


# --- rendering ------------------------------------------------------------------------


def load_all(path: Path) -> list[dict]:
    return load_all_text(path.read_text(encoding="utf-8"))


def load_all_text(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def render(directory: Path) -> list[dict]:
    """The resources `kubectl apply -k directory` applies, less the hash kustomize appends to
    generated names (references to them are left as written, which is what it rewrites).
    A generator's env file that is not in git is read from its `.example` beside it."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unsupported = set(kustomization) - SUPPORTED
    assert not unsupported, f"{directory}: this test cannot render {unsupported}; keep the layout simple"
    resources = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        resources += render(path) if path.is_dir() else load_all(path)
    for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for generator in kustomization.get(key, []):
            _generate(directory, resources, kind, generator)
    for patch in kustomization.get("patches", []):
        assert set(patch) == {"path"}, f"only strategic-merge patch files by kind and name: {patch}"
        for change in load_all(directory / patch["path"]):
            target = find(resources, change["kind"], change["metadata"]["name"])
            target.update(merged(target, change))
    for image in kustomization.get("images", []):
        for container in all_containers(resources):
            name, tag = _split_image(container["image"])
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
    for replicas in kustomization.get("replicas", []):
        find(resources, "Deployment", replicas["name"])["spec"]["replicas"] = replicas["count"]
    for label in kustomization.get("labels", []):
        assert not label.get("includeSelectors") and not label.get("includeTemplates"), label
        for resource in resources:
            resource["metadata"].setdefault("labels", {}).update(label["pairs"])
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] not in CLUSTER_WIDE:
                resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def _generate(directory: Path, resources: list[dict], kind: str, generator: dict) -> None:
    data = {}
    for literal in generator.get("literals", []):
        key, _, value = literal.partition("=")
        data[key] = value
    for env_file in generator.get("envs", []):
        path = directory / env_file
        data.update(read_env_file(path if path.exists() else path.with_name(path.name + ".example")))
    assert set(generator) <= {"name", "behavior", "literals", "envs"}, generator
    if kind == "Secret":
        data = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    behavior = generator.get("behavior", "create")
    if behavior == "create":
        resource = {"apiVersion": "v1", "kind": kind, "metadata": {"name": generator["name"]}, "data": data}
        resources.append(resource | ({"type": "Opaque"} if kind == "Secret" else {}))
    else:
        existing = find(resources, kind, generator["name"])
        existing["data"] = {**existing["data"], **data} if behavior == "merge" else data


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as kustomize reads them: blank lines and # comments skipped."""
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition("=")
            assert separator, f"{path.name}: {line!r} is not KEY=value"
            pairs[key.strip()] = value
    return pairs


def merged(original, change):
    """A strategic merge as kubectl does it for these fields: maps merge, lists of named maps
    merge by name, other lists are replaced."""
    if isinstance(original, dict) and isinstance(change, dict):
        result = dict(original)
        for key, value in change.items():
            result[key] = merged(original[key], value) if key in original else copy.deepcopy(value)
        return result
    if isinstance(original, list) and isinstance(change, list) and all(
            isinstance(item, dict) and "name" in item for item in original + change):
        by_name = {item["name"]: item for item in original}
        result = [merged(item, next((c for c in change if c["name"] == item["name"]), {})) for item in original]
        return result + [copy.deepcopy(item) for item in change if item["name"] not in by_name]
    return copy.deepcopy(change)


def _split_image(image: str) -> tuple[str, str | None]:
    return image.rsplit(":", 1)[0] if image_tag(image) else image, image_tag(image)


def find(resources: list[dict], kind: str, name: str) -> dict:
    found = [r for r in resources if r["kind"] == kind and r["metadata"]["name"] == name]
    assert len(found) == 1, f"{len(found)} {kind} named {name}"
    return found[0]


def of_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def all_containers(resources: list[dict]) -> list[dict]:
    return [container for resource in resources if resource["kind"] in {"Deployment", "Job"}
            for container in pod_spec(resource)["containers"] + pod_spec(resource).get("initContainers", [])]


def only_container(workload: dict) -> dict:
    containers = pod_spec(workload)["containers"]
    assert len(containers) == 1, workload["metadata"]["name"]
    return containers[0]


def environment(container: dict, resources: list[dict], secret_value=lambda key: f"{key}-from-the-secret"):
    """The container's environment as the kubelet builds it: envFrom first, then env in order,
    each `$(NAME)` expanded from what came before; a Secret's key reads as `secret_value(key)`."""
    values = {}
    for source in container.get("envFrom", []):
        values.update(find(resources, "ConfigMap", source["configMapRef"]["name"])["data"])
    for variable in container.get("env", []):
        if "value" in variable:
            values[variable["name"]] = REFERENCE.sub(lambda m: values.get(m.group(1), m.group(0)), variable["value"])
        elif "secretKeyRef" in variable["valueFrom"]:
            values[variable["name"]] = secret_value(variable["valueFrom"]["secretKeyRef"]["key"])
        else:
            reference = variable["valueFrom"]["configMapKeyRef"]
            values[variable["name"]] = find(resources, "ConfigMap", reference["name"])["data"][reference["key"]]
    return values


def container_port(container: dict, port) -> int:
    """A probe's or Service's port, by number or by the container port's name."""
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in container.get("ports", []) if p.get("name") == port)


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return render(BASE)


@pytest.fixture(scope="module")
def overlay() -> list[dict]:
    return render(OVERLAY)


@pytest.fixture(scope="module", params=["base", "overlay"])
def rendered(request) -> list[dict]:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def compose_image() -> str:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    images = {compose["services"][name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    return images.pop()


def scalar_quantity(text) -> float:
    """A Kubernetes quantity (250m, 1, 512Mi, 1Gi) as a number."""
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text)).groups()
    factor = {"": 1, "m": 1e-3, "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "k": 1e3, "M": 1e6, "G": 1e9}[unit]
    return float(number) * factor


# --- the renderer itself --------------------------------------------------------------


def test_render_merges_named_lists_and_replaces_others():
    original = {"spec": {"containers": [{"name": "a", "image": "x", "args": ["1"]}], "ports": [80]}}
    change = {"spec": {"containers": [{"name": "a", "args": ["2"]}, {"name": "b", "image": "y"}], "ports": [81]}}
    assert merged(original, change) == {"spec": {
        "containers": [{"name": "a", "image": "x", "args": ["2"]}, {"name": "b", "image": "y"}], "ports": [81]}}


def test_render_refuses_a_patch_for_something_the_base_does_not_have(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(
        {"resources": [str(BASE)], "patches": [{"path": "patch.yaml"}]}))
    (tmp_path / "patch.yaml").write_text(yaml.safe_dump(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nonexistent"}}))
    with pytest.raises(AssertionError, match="0 Deployment named nonexistent"):
        render(tmp_path)


@pytest.mark.parametrize("layout", ["base", "overlays/example"])
def test_render_agrees_with_kustomize_itself(tmp_path, layout):
    """Where kubectl is installed (Debian's package carries kustomize), its rendering is ours,
    but for the hash it appends to generated names."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed here")
    copied = tmp_path / "k8s"
    shutil.copytree(K8S, copied)
    example = copied / "overlays" / "example" / "secrets.env"
    example.write_text((OVERLAY / "secrets.env.example").read_text())
    rendered = subprocess.run([kubectl, "kustomize", str(copied / layout)], capture_output=True, text=True,
                              timeout=60, check=True).stdout
    unhashed = re.sub(r"\b(portal-settings|portal-secrets)-[a-z0-9]{10}\b", r"\1", rendered)

    def by_name(resources):
        return {(r["kind"], r["metadata"]["name"]): json.dumps(r, sort_keys=True) for r in resources}

    assert by_name(load_all_text(unhashed)) == by_name(render(copied / layout))


# --- every manifest -------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_against_the_kubernetes_schemas(rendered, version):
    for resource in rendered:
        try:
            kubernetes_validate.validate(resource, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{resource['kind']} {resource['metadata']['name']}: {error.message} at {list(error.path)}")


def test_a_deployment_for_each_service_and_the_gateway(rendered):
    assert set(of_kind(rendered, "Deployment")) == set(APP_SERVICES)
    assert set(of_kind(rendered, "Job")) == {"broker-users"}


@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_nameko_command_runs_a_service_class_of_the_repository(base, name):
    command = only_container(find(base, "Deployment", name))["command"]
    assert command[:2] == ["nameko", "run"]
    assert (ROOT / option(command, "--config")).is_file()
    assert command[-1] == service_path(name)
    module, _, class_name = command[-1].partition(":")
    assert getattr(importlib.import_module(module), class_name).name == name


def test_gateway_command_runs_the_wsgi_app_under_the_gunicorn_config(base):
    command = only_container(find(base, "Deployment", "gateway"))["command"]
    assert command[0] == "gunicorn"
    assert (ROOT / option(command, "-c", "--config")).is_file()
    module, _, attribute = command[-1].partition(":")
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.is_file() and attribute in top_level_names(path), command[-1]


def test_the_broker_users_job_runs_the_module_with_every_password_it_reads(base):
    container = only_container(find(base, "Job", "broker-users"))
    assert container["command"][:2] == ["python", "-m"]
    module = container["command"][2]
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file() and module == broker_users.__name__
    expected = {"RABBITMQ_MANAGEMENT_URL", *(password_variable(user) for user in broker_users.users())}
    assert {variable["name"] for variable in container["env"]} == expected


def test_every_image_is_the_one_deploy_dockerfile_builds(base, overlay, compose_image):
    # docker-compose.yml builds deploy/Dockerfile under this name (tests/test_deploy.py).
    assert {c["image"] for c in all_containers(base)} == {compose_image}
    name, tag = _split_image(compose_image)
    for container in all_containers(overlay):
        pushed, pushed_tag = _split_image(container["image"])
        assert pushed.rsplit("/", 1)[-1] == name and pushed_tag not in {None, "latest"}, container["image"]


# --- ports and probes -----------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_container_ports_are_those_the_process_listens_on(rendered, name):
    container = only_container(find(rendered, "Deployment", name))
    settings = Settings.from_mapping(environment(container, rendered))
    listening = int(settings.GATEWAY_BIND.rsplit(":", 1)[1]) if name == "gateway" else settings.OPS_PORT
    assert listening == (GATEWAY_PORT if name == "gateway" else OPS_PORT)
    if name == "gateway":
        assert settings.GATEWAY_BIND.startswith("0.0.0.0:"), "the kubelet and the Service reach it from outside"
    assert [port["containerPort"] for port in container["ports"]] == [listening]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_probes_ask_the_operations_contract_paths(base, name):
    container = only_container(find(base, "Deployment", name))
    expected_port = GATEWAY_PORT if name == "gateway" else OPS_PORT
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
        check = container[probe]["httpGet"]
        assert check["path"] == path, (probe, check)
        assert container_port(container, check["port"]) == expected_port, probe


@pytest.mark.parametrize("name", APP_SERVICES)
def test_prometheus_scrapes_the_port_that_serves_metrics(base, name):
    deployment = find(base, "Deployment", name)
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
    assert int(annotations["prometheus.io/port"]) == (GATEWAY_PORT if name == "gateway" else OPS_PORT)


def test_services_select_deployments_and_name_their_ports(rendered):
    deployments = of_kind(rendered, "Deployment")
    services = of_kind(rendered, "Service")
    assert set(services) == {"gateway", *(f"{name}-ops" for name in NAMEKO_SERVICES)}
    for service_name, service in services.items():
        selected = [d for d in deployments.values()
                    if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(selected) == 1, service_name
        container = only_container(selected[0])
        for port in service["spec"]["ports"]:
            assert container_port(container, port["targetPort"]) in {GATEWAY_PORT, OPS_PORT}, service_name


# --- settings and secrets -------------------------------------------------------------


def test_every_variable_is_a_setting_or_spelled_into_one(rendered):
    """A name Settings does not read (a typo, a setting renamed) would be set and ignored; the
    one exception is an ingredient, such as a broker password spelled into AMQP_URI."""
    known = set(Settings.names())
    for name in APP_SERVICES:
        container = only_container(find(rendered, "Deployment", name))
        values = [v["value"] for v in container["env"] if "value" in v and v["name"] in known]
        spelled = {reference for value in values for reference in REFERENCE.findall(value)}
        unknown = set(environment(container, rendered)) - known - spelled
        assert not unknown, f"{name} sets {unknown}, which Settings does not read"
        defined = set(environment(container, rendered))
        assert spelled <= defined, f"{name} spells {spelled - defined} before defining it"


def test_settings_convert_and_keep_rpc_inside_the_request_timeout(rendered):
    for name in APP_SERVICES:
        deployment = find(rendered, "Deployment", name)
        settings = Settings.from_mapping(environment(only_container(deployment), rendered))
        assert settings.RPC_TIMEOUT < settings.GATEWAY_TIMEOUT, name
    gateway = find(rendered, "Deployment", "gateway")
    timeout = Settings.from_mapping(environment(only_container(gateway), rendered)).GATEWAY_TIMEOUT
    assert pod_spec(gateway)["terminationGracePeriodSeconds"] > timeout


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_container_connects_to_the_broker_as_its_own_user(rendered, name):
    container = only_container(find(rendered, "Deployment", name))
    uri = urlsplit(Settings.from_mapping(environment(container, rendered)).AMQP_URI)
    assert (uri.scheme, uri.username, uri.password) == ("amqp", name, f"rabbitmq-password-{name}-from-the-secret")
    job = only_container(find(rendered, "Job", "broker-users"))
    assert {v["name"]: v["valueFrom"]["secretKeyRef"]["key"] for v in job["env"]}[password_variable(name)] == (
        f"rabbitmq-password-{name}")


def test_secrets_and_credentials_come_from_the_secret_never_from_settings(rendered):
    needed = {"content": {"ACTOR_SECRET", "PLATFORM_ADMIN_TOKEN", "MONGO_URI"},
              "search": {"ACTOR_SECRET", "ELASTICSEARCH_URL"},
              "ranking": {"ACTOR_SECRET", "MONGO_URI"},
              "notify": {"ACTOR_SECRET", "MONGO_URI", "SMTP_PASSWORD"},
              "gateway": {"ACTOR_SECRET", "GATEWAY_SECRET"}}
    settings = {key for config in of_kind(rendered, "ConfigMap").values() for key in config["data"]}
    assert not settings & {name for names in needed.values() for name in names}
    for name, secrets in needed.items():
        container = only_container(find(rendered, "Deployment", name))
        from_secret = {v["name"] for v in container["env"] if "secretKeyRef" in v.get("valueFrom", {})}
        assert secrets <= from_secret, name
    # One MongoDB user per service, each with its own database only.
    mongo_keys = {name: next(v["valueFrom"]["secretKeyRef"]["key"] for v in
                             only_container(find(rendered, "Deployment", name))["env"] if v["name"] == "MONGO_URI")
                  for name in ("content", "ranking", "notify")}
    assert len(set(mongo_keys.values())) == 3


def test_every_referenced_config_map_and_secret_key_exists(overlay):
    for container in all_containers(overlay):
        for source in container.get("envFrom", []):
            find(overlay, "ConfigMap", source["configMapRef"]["name"])
        for variable in container.get("env", []):
            for kind, field in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                reference = variable.get("valueFrom", {}).get(field)
                if reference:
                    data = find(overlay, kind, reference["name"])["data"]
                    assert reference["key"] in data, (container["name"], kind, reference["name"], reference["key"])


def test_the_base_ships_no_secret_and_the_overlay_commits_no_value(base):
    assert not of_kind(base, "Secret")
    example = read_env_file(OVERLAY / "secrets.env.example")
    assert example and not [key for key, value in example.items() if value], "the example holds values"
    referenced = {v["valueFrom"]["secretKeyRef"]["key"] for c in all_containers(base) for v in c.get("env", [])
                  if "secretKeyRef" in v.get("valueFrom", {})}
    assert set(example) == referenced
    kustomization = yaml.safe_load((OVERLAY / "kustomization.yaml").read_text())
    env_files = [f for generator in kustomization["secretGenerator"] for f in generator["envs"]]
    ignored = (OVERLAY / ".gitignore").read_text().split()
    assert env_files and all(f in ignored for f in env_files)


# --- security, resources, scaling -----------------------------------------------------


def dockerfile_user_id() -> int:
    run = " ".join(arg for keyword, arg in dockerfile_instructions(ROOT / "deploy" / "Dockerfile") if keyword == "RUN")
    return int(re.search(r"useradd .*--uid (\d+)", run).group(1))


def test_every_pod_runs_as_the_image_user_without_privileges(rendered):
    for workload in [*of_kind(rendered, "Deployment").values(), *of_kind(rendered, "Job").values()]:
        name, spec = workload["metadata"]["name"], pod_spec(workload)
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == dockerfile_user_id(), name
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["enableServiceLinks"] is False, name
        volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            for mount in container.get("volumeMounts", []):
                # Nothing kept on the pod's disk: a replica can go anywhere, any number of them.
                assert "emptyDir" in volumes[mount["name"]], (name, mount)
        if workload["kind"] == "Deployment":
            assert {m["mountPath"] for c in spec["containers"] for m in c["volumeMounts"]} == {"/tmp"}, name


def test_every_container_requests_and_is_limited(rendered):
    for container in all_containers(rendered):
        resources = container["resources"]
        for resource in ("cpu", "memory"):
            requested, limit = resources["requests"][resource], resources["limits"][resource]
            assert scalar_quantity(requested) <= scalar_quantity(limit), (container["name"], resource)


def test_autoscalers_and_disruption_budgets_select_existing_deployments(rendered):
    deployments = of_kind(rendered, "Deployment")
    autoscalers = of_kind(rendered, "HorizontalPodAutoscaler")
    assert {a["spec"]["scaleTargetRef"]["name"] for a in autoscalers.values()} == SCALED_BY_AUTOSCALER
    for autoscaler in autoscalers.values():
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        assert 2 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"], target["name"]
        # A count in the Deployment would be put back on every apply, fighting the autoscaler.
        assert "replicas" not in deployments[target["name"]]["spec"], target["name"]
    budgets = of_kind(rendered, "PodDisruptionBudget").values()
    covered = []
    for budget in budgets:
        selector = budget["spec"]["selector"]["matchLabels"]
        covered += [name for name, d in deployments.items()
                    if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
    assert sorted(covered) == sorted(deployments), "one budget for each Deployment"
    for name, deployment in deployments.items():
        assert deployment["spec"]["selector"]["matchLabels"].items() <= (
            deployment["spec"]["template"]["metadata"]["labels"].items()), name
        if name not in SCALED_BY_AUTOSCALER:
            assert deployment["spec"].get("replicas", 1) >= 1, name


def test_search_keeps_no_state_of_its_own(rendered):
    container = only_container(find(rendered, "Deployment", "search"))
    values = environment(container, rendered)
    # With ELASTICSEARCH_URL the index is the cluster's; without it the embedded engine would
    # write SEARCH_INDEX_DIR on a read-only disk.
    assert values["ELASTICSEARCH_URL"] and "SEARCH_INDEX_DIR" not in values


# --- the example overlay --------------------------------------------------------------


def test_the_overlay_places_everything_in_its_restricted_namespace(overlay):
    namespace = yaml.safe_load((OVERLAY / "kustomization.yaml").read_text())["namespace"]
    found = of_kind(overlay, "Namespace")
    assert list(found) == [namespace]
    assert found[namespace]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {r["metadata"].get("namespace") for r in overlay if r["kind"] != "Namespace"} == {namespace}


def test_the_overlay_sets_the_province_s_address_and_publishes_only_the_gateway(overlay, base):
    settings = find(overlay, "ConfigMap", "portal-settings")["data"]
    assert settings["PUBLIC_URL"].startswith("https://")
    assert settings["RABBITMQ_ADDRESS"] != find(base, "ConfigMap", "portal-settings")["data"]["RABBITMQ_ADDRESS"]
    published = {name for name, service in of_kind(overlay, "Service").items()
                 if service["spec"].get("type", "ClusterIP") != "ClusterIP"}
    assert published == {"gateway"}
    assert find(overlay, "Service", "gateway")["spec"]["externalTrafficPolicy"] == "Local"
