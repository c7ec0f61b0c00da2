"""Every service and the gateway on a RabbitMQ user of its own, as docker-compose.yml runs them.

The users and their permissions come from deploy/rabbitmq/definitions.json, imported into the
test's throwaway vhost through the management API by deploy/broker_users.py, the same code as
compose's broker-users job; the platform is started by the launcher, each process with its own
user. The whole path still works, and no user reads or binds to what is another's.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import amqp.exceptions
import pytest
import requests
from kombu import Connection

from deploy import broker_users
from deploy.launcher import SERVICES, Platform
from gateway.rpc import ServiceHealth
from tests.servers import free_port, wait_for

TOKEN = "e2e-admin-token"


@pytest.fixture
def users(request, settings) -> dict[str, str]:
    """Each user of the definitions file in the test's vhost: its name → its AMQP URI."""
    management = request.config.getoption("RABBIT_API_URI")
    broker = urlsplit(settings.AMQP_URI)
    vhost = broker.path.lstrip("/")
    prefix = f"{vhost}-"  # users belong to the whole broker, not to the vhost
    passwords = {user: secrets.token_urlsafe(16) for user in broker_users.users()}
    broker_users.apply(management, broker_users.definitions(passwords, vhost, prefix))
    yield {user: f"amqp://{prefix}{user}:{password}@{broker.hostname}:{broker.port}/{vhost}"
           for user, password in passwords.items()}
    for user in passwords:
        requests.delete(f"{management}/api/users/{prefix}{user}")


@pytest.fixture
def platform(settings, users, tmp_path):
    port = free_port()
    environment = {**settings.as_nameko_config(), "PLATFORM_ADMIN_TOKEN": TOKEN, "GATEWAY_WORKERS": 1,
                   "GATEWAY_BIND": f"127.0.0.1:{port}", "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    # The launcher's own readiness checks keep the test's administrator; every process gets its user.
    platform = Platform(tmp_path / "run", environment, {name: {"AMQP_URI": users[name]} for name in users})
    platform.start(log=lambda *_: None)
    yield platform
    platform.stop(log=lambda *_: None)


def connected_users(request, settings) -> set[str]:
    vhost = urlsplit(settings.AMQP_URI).path.lstrip("/")
    connections = requests.get(f"{request.config.getoption('RABBIT_API_URI')}/api/connections").json()
    return {connection["user"] for connection in connections if connection["vhost"] == vhost}


def test_with_a_broker_user_per_process_an_article_still_goes_from_editor_to_search(platform, users, request,
                                                                                     settings):
    assert set(users) == {*SERVICES, "gateway"}
    vhost = urlsplit(settings.AMQP_URI).path.lstrip("/")
    wait_for(lambda: connected_users(request, settings) >= {f"{vhost}-{user}" for user in users},
             timeout=30, message="every process connected as its own user")

    url = platform.url
    admin = requests.Session()
    admin.headers["Authorization"] = f"Bearer {TOKEN}"
    assert admin.post(f"{url}/api/levels", json={"slug": "xa", "name": "Xã", "order": 0}).ok
    assert admin.post(f"{url}/api/units", json={"slug": "xa-phu-mau", "name": "Xã Phú Mậu", "level": "xa"}).ok
    editor = admin.post(f"{url}/api/users", json={"username": "bbt-phu-mau", "name": "Tổng biên tập",
                                                  "roles": {"xa-phu-mau": ["editor_in_chief"]}})
    assert editor.status_code == 201, editor.text
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {editor.json()['token']}"
    article = api.post(f"{url}/api/units/xa-phu-mau/articles", json={
        "title": "Phú Mậu mở lớp chuyển đổi số cho người dân", "summary": "Lớp học miễn phí.",
        "body_html": "<p>Người dân được hướng dẫn dùng dịch vụ công trực tuyến.</p>"}).json()
    for step in ("submit", "approve", "publish"):
        moved = api.post(f"{url}/api/articles/{article['id']}/{step}", json={"version": article["version"]})
        assert moved.status_code == 200, moved.text
        article = moved.json()

    found = wait_for(lambda: requests.get(f"{url}/api/search", params={"q": "chuyen doi so"}).json()["total"],
                     timeout=20, message="the article found through search")
    assert found == 1
    # The gateway may still ask whether a service listens (gateway/rpc.py), on its own user.
    assert ServiceHealth(users["gateway"]).listening("content")


def refused(amqp_uri: str, act) -> bool:
    """Whether RabbitMQ refuses what `act(channel)` does, as this user."""
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        try:
            act(connection.channel())
        except amqp.exceptions.AccessRefused:
            return True
    return False


def consume(queue: str):
    return lambda channel: channel.basic_get(queue)


def test_no_user_reads_or_binds_to_another_ones_queues(platform, users):
    search_handler = "evt-content-article_published--search.on_article_published"
    notify_handler = "evt-content-article_published--notify.notify_subscribers"
    # Its own queues, the parked messages included: granted.
    assert not refused(users["notify"], consume(notify_handler))
    assert not refused(users["notify"], consume(notify_handler + ".parked"))
    # Another's: refused, to every other user.
    for user in ("notify", "ranking", "gateway", "content"):
        assert refused(users[user], consume(search_handler)), user
        assert refused(users[user], consume(search_handler + ".parked")), user
    for user in ("search", "notify", "ranking", "gateway"):
        assert refused(users[user], consume("rpc-content")), user

    # Nor may a service bind a queue of its own to another's RPC requests, or publish another's events.
    own_queue = "rpc.reply-notify-00000000-0000-4000-8000-000000000000"

    def bind_own_queue(key):
        def act(channel):
            channel.queue_declare(own_queue, auto_delete=True)
            channel.queue_bind(own_queue, "nameko-rpc", key)
        return act

    assert not refused(users["notify"], bind_own_queue("00000000-0000-4000-8000-000000000000"))
    for key in ("content.*", "#"):
        assert refused(users["notify"], bind_own_queue(key)), key

    def publish_event(channel):
        channel.basic_publish(channel.prepare_message(b"{}"), exchange="content.events", routing_key="test_only")

    assert refused(users["ranking"], publish_event)
    assert not refused(users["content"], publish_event)
