"""Each service and the gateway with its own RabbitMQ user, allowed its own queues only.

`deploy/rabbitmq/definitions.json` is in RabbitMQ's definitions format: the users, their
permissions (regular expressions over queue and exchange names, for configure, write and read)
and their topic permissions on `nameko-rpc` (over routing keys). It holds no password: each
user's comes from RABBITMQ_<USER>_PASSWORD. `python -m deploy.broker_users` imports the file
through RabbitMQ's management API at RABBITMQ_MANAGEMENT_URL (`http://admin:password@host:15672`);
docker-compose.yml runs it once RabbitMQ is up, and tests/e2e/test_broker_users.py imports the
same file into a throwaway vhost.

What the names are (nameko 2.14 and this platform):
- `nameko-rpc`: RPC requests, routing key `<service>.<method>`, into `rpc-<service>` (bound with
  `<service>.*`); replies, routing key the caller's UUID, into its `rpc.reply-<service>-<uuid>`
  (the gateway's: `rpc.reply-standalone_rpc_proxy-<uuid>`).
- `<service>.events`: the events a service dispatches; each handler consumes
  `evt-<source>-<event>--<service>.<method>`, beside its `.retry` and `.parked` queues
  (services/common/retries.py), which are fed through the default exchange, `amq.default`.
- the gateway's change listener (gateway/invalidation.py): an exclusive queue named by the
  broker, `amq.gen-…`, bound to `content.events` and `search.events`.

What permissions cannot say, and the closest safe rule taken:
- Declaring an exchange needs `configure` on it, and nameko declares the source exchange of every
  handler it binds, so a consumer of `content.events` may also delete it (it cannot publish to it).
- The retry and parking queues are fed through the default exchange; write on `amq.default`
  lets the three consumers publish into any queue whose name they know.
- A service learns a caller's reply routing key from each request; topic permissions cannot tie
  a UUID to one user, so it could bind a queue of its own to that key and see the replies other
  services send that caller. It can never read another's queue, nor bind to another's requests.
- Run operator tools that open a standalone RPC proxy (services.search.reindex) as an
  administrator: `rpc.reply-standalone_rpc_proxy-*` belongs to the gateway.
"""
from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

DEFINITIONS = Path(__file__).resolve().parent / "rabbitmq" / "definitions.json"


def users() -> list[str]:
    return [user["name"] for user in json.loads(DEFINITIONS.read_text())["users"]]


def password_variable(user: str) -> str:
    return f"RABBITMQ_{user.upper()}_PASSWORD"


def definitions(passwords: Mapping[str, str], vhost: str = "/", prefix: str = "") -> dict:
    """The file's definitions for `vhost`, each user named `prefix` + its name (users belong to
    the whole broker) and given its password, which RabbitMQ hashes on import."""
    template = json.loads(DEFINITIONS.read_text())

    def placed(entry: dict) -> dict:
        return {**entry, "user": prefix + entry["user"], "vhost": vhost}

    return {
        "users": [{**user, "name": prefix + user["name"], "password": passwords[user["name"]]}
                  for user in template["users"]],
        "permissions": [placed(entry) for entry in template["permissions"]],
        "topic_permissions": [placed(entry) for entry in template["topic_permissions"]],
    }


def apply(management_url: str, definitions: dict):
    """Import `definitions` through the management API, as an administrator named in the URL."""
    address = urlsplit(management_url)
    credentials = base64.b64encode(f"{address.username}:{address.password}".encode()).decode()
    port = f":{address.port}" if address.port else ""
    request = urllib.request.Request(
        f"{address.scheme}://{address.hostname}{port}/api/definitions", data=json.dumps(definitions).encode(),
        method="POST", headers={"Content-Type": "application/json", "Authorization": f"Basic {credentials}"})
    with urllib.request.urlopen(request, timeout=30):
        pass


def main():
    passwords = {user: os.environ[password_variable(user)] for user in users()}
    management_url = os.environ["RABBITMQ_MANAGEMENT_URL"]
    # RabbitMQ answers AMQP before its management API is up.
    for attempt in range(30):
        try:
            apply(management_url, definitions(passwords))
            break
        except urllib.error.HTTPError:
            raise  # answered, and refused: waiting changes nothing
        except OSError:
            if attempt == 29:
                raise
            time.sleep(2)
    print(f"RabbitMQ users of {', '.join(passwords)} imported from {DEFINITIONS.name}")


if __name__ == "__main__":
    main()
