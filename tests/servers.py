"""Start and stop the real backing servers the tests talk to.

RabbitMQ runs on the machine already (nameko's pytest plugin makes a throwaway vhost per
test through its management API; a script makes its own with `rabbitmq_vhost`). MongoDB and
Elasticsearch cannot be installed here, so their protocol-level stand-ins from stack.md are
started as subprocesses: SecantusDB (MongoDB wire protocol) and noida-db (Elasticsearch 8 REST
API). SMTP is aiosmtpd, a real SMTP server, delivering into a Maildir the test reads.
"""
from __future__ import annotations

import mailbox
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse

from deploy.mongo_standin import keep_retry_records_short

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float = 15.0, interval: float = 0.05, message: str = "condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except Exception as error:  # the condition may fail until the thing is ready
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last error: {last_error!r}")


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None):
    def is_open():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as s:
            s.settimeout(0.2)
            return s.connect_ex(("127.0.0.1", port)) == 0

    wait_for(is_open, timeout, message=f"port {port}")


def stop_process(process: subprocess.Popen, timeout: float = 10.0):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def rabbitmq_vhost(amqp_uri: str, management_url: str, prefix: str = "throwaway"):
    """A vhost of its own, so nothing reaches the queues of a platform running on this machine;
    yields `amqp_uri` for it."""
    from nameko.testing.rabbit import Client as RabbitManagement

    manager = RabbitManagement(management_url)
    vhost = f"{prefix}_{uuid.uuid4().hex[:8]}"
    manager.create_vhost(vhost)
    manager.set_vhost_permissions(vhost, urlparse(amqp_uri).username, ".*", ".*", ".*")
    try:
        yield f"{amqp_uri.rstrip('/')}/{vhost}"
    finally:
        manager.delete_vhost(vhost)


class MongoServer:
    """SecantusDB on a free port with its own storage directory, started through its Python API
    (`python -m tests.servers`) for two settings its command line does not pass on, each a
    setting mongod has too: documents past a TTL index's expiry are deleted every second, not
    every minute (ttlMonitorSleepSecs), so tests see it happen; and a transaction left open by a
    killed process is aborted after TRANSACTION_LIFETIME seconds, not 60
    (transactionLifetimeLimitSeconds), so tests of that fault end sooner."""

    TRANSACTION_LIFETIME = 15

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.uri = f"mongodb://127.0.0.1:{self.port}/"
        self.process = None

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.servers", "mongodb", str(self.port), str(self.directory),
             str(self.TRANSACTION_LIFETIME)], cwd=project_root(),
            stdout=subprocess.DEVNULL, stderr=open(self.directory / "server.log", "ab"),
        )
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        if self.process:
            stop_process(self.process)


class ElasticsearchServer:
    """noida-db emulating Elasticsearch 8.15 on a free port (small fixtures only: it scans)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(BIN / "noida-db"), "up", "--only", "elasticsearch", "--host", "127.0.0.1",
             "--elasticsearch-port", str(self.port), "--data-dir", str(self.directory)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
        )
        wait_for_port(self.port, timeout=60)
        return self

    def stop(self):
        subprocess.run([str(BIN / "noida-db"), "down", "--data-dir", str(self.directory)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


class SmtpServer:
    """aiosmtpd delivering every message into a Maildir."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process = None

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
             "-c", "aiosmtpd.handlers.Mailbox", str(self.directory / "Maildir")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def messages(self) -> list[EmailMessage]:
        """Every message received, parsed with the modern policy (decoded headers, get_content)."""
        path = self.directory / "Maildir"
        if not path.exists():
            return []
        return [message_from_bytes(m.as_bytes(), policy=policy.default)
                for m in mailbox.Maildir(str(path), create=False)]

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages() if message["To"] == address]

    def clear(self):
        shutil.rmtree(self.directory / "Maildir", ignore_errors=True)

    def stop(self):
        if self.process:
            stop_process(self.process)


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def subprocess_env(**overrides) -> dict[str, str]:
    env = dict(os.environ)
    env.update({k: str(v) for k, v in overrides.items()})
    env["PYTHONPATH"] = str(project_root())
    return env


def serve_mongodb(port: int, directory: str, transaction_lifetime: float):
    from secantus.server import SecantusDBServer

    keep_retry_records_short()

    server = SecantusDBServer(port=port, storage_path=directory, enable_test_commands=False, ttl_sweep_seconds=1,
                              transaction_lifetime_seconds=transaction_lifetime)
    server.start()
    server.wait()


if __name__ == "__main__":
    if sys.argv[1] == "mongodb":
        serve_mongodb(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
