"""Start and stop the whole platform on one machine, by PID.

    python -m deploy.launcher start [--demo]   # backing servers, four services, gateway
    python -m deploy.launcher stop             # everything `start` started
    python -m deploy.launcher status

Starts what is missing among the backing servers: RabbitMQ if it is not running; the
MongoDB stand-in (SecantusDB) unless MONGO_URI is set; a local SMTP catcher (aiosmtpd,
into .run/mail) unless SMTP_HOST is set. Search uses its embedded engine unless
ELASTICSEARCH_URL is set. The end-to-end tests start the platform through this same code.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Consumers first: their event queues must exist before content publishes anything.
SERVICES = ["search", "ranking", "notify", "content"]


def service_path(name: str) -> str:
    """`services.content.service:ContentService`: the class is named, since a service module
    also imports classes that carry entrypoints (the content service's area mixins)."""
    return f"services.{name}.service:{name.capitalize()}Service"


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")


@dataclass
class Platform:
    run_dir: Path
    env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.run_dir = Path(self.run_dir)
        self.pid_dir = self.run_dir / "pids"
        self.log_dir = self.run_dir / "logs"
        self.env = {**os.environ, **{k: str(v) for k, v in self.env.items()}, "PYTHONPATH": str(ROOT)}

    # Starting

    def start(self, log=print):
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._ensure_rabbitmq(log)
        self._ensure_mongodb(log)
        self._ensure_smtp(log)
        self.env.setdefault("SEARCH_INDEX_DIR", str(self.run_dir / "search-index"))
        for name in SERVICES:
            self.start_service(name)
        self._spawn("gateway", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "gateway.wsgi:app"])
        for name in SERVICES:
            self.wait_for_service(name)
        wait_until(self._gateway_healthy, 60, "the gateway")
        log(f"Platform running: {self.url}")

    def start_service(self, name: str):
        self._spawn(name, [str(BIN / "nameko"), "run", "--config", "deploy/nameko.yml", service_path(name)])

    def wait_for_service(self, name: str, timeout: float = 60):
        wait_until(lambda: self._rpc_consumers(name) > 0, timeout, f"the {name} service")

    @property
    def url(self) -> str:
        bind = self.env.get("GATEWAY_BIND", "127.0.0.1:8000")
        return f"http://{bind.replace('0.0.0.0', '127.0.0.1')}"

    def _ensure_rabbitmq(self, log):
        uri = urlparse(self.env.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
        if port_open(uri.hostname, uri.port or 5672):
            return
        log("Starting RabbitMQ")
        subprocess.run(["rabbitmq-server", "-detached"], check=True)
        wait_until(lambda: port_open(uri.hostname, uri.port or 5672), 90, "RabbitMQ")

    def _ensure_mongodb(self, log):
        if self.env.get("MONGO_URI"):
            return
        port = 27017
        self.env["MONGO_URI"] = f"mongodb://127.0.0.1:{port}/"
        if port_open("127.0.0.1", port):
            log(f"Using the MongoDB server already on port {port}")
            return
        log("Starting the MongoDB stand-in (SecantusDB)")
        storage = self.run_dir / "mongo"
        storage.mkdir(parents=True, exist_ok=True)
        self._spawn("mongodb", [str(BIN / "secantusd-py"), "--host", "127.0.0.1", "--port", str(port),
                                "--storage-path", str(storage), "--log-level", "WARNING"])
        wait_until(lambda: port_open("127.0.0.1", port), 60, "the MongoDB stand-in")

    def _ensure_smtp(self, log):
        if self.env.get("SMTP_HOST"):
            return
        port = int(self.env.get("SMTP_PORT", "8025"))
        self.env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port))
        if port_open("127.0.0.1", port):
            return
        log(f"Starting a local SMTP catcher; mail lands in {self.run_dir / 'mail'}")
        self._spawn("smtp", [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Mailbox", str(self.run_dir / "mail")])
        wait_until(lambda: port_open("127.0.0.1", port), 30, "the SMTP catcher")

    def _spawn(self, name: str, command: list[str]):
        log_file = open(self.log_dir / f"{name}.log", "ab")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        (self.pid_dir / f"{name}.pid").write_text(str(process.pid))
        return process

    def _rpc_consumers(self, service: str) -> int:
        """How many processes consume the service's RPC queue (0 until it is ready)."""
        from kombu import Connection

        try:
            with Connection(self.env.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")) as connection:
                _, _, consumers = connection.default_channel.queue_declare(f"rpc-{service}", passive=True)
                return consumers
        except Exception:  # the queue does not exist yet
            return 0

    def _gateway_healthy(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    # Stopping

    def stop(self, log=print):
        # Gateway and services first, backing servers last.
        order = ["gateway", *reversed(SERVICES), "smtp", "mongodb"]
        for name in order:
            self.stop_process(name)
        log("Platform stopped")

    def stop_process(self, name: str, sig=signal.SIGTERM, timeout: float = 15):
        pid_file = self.pid_dir / f"{name}.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text())
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pid_file.unlink()
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        pid_file.unlink()

    def status(self) -> dict[str, bool]:
        return {path.stem: _alive(int(path.read_text())) for path in sorted(self.pid_dir.glob("*.pid"))}


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return False
    except ChildProcessError:
        pass  # not our child (started by an earlier command): ask the kernel instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--demo", action="store_true", help="load demo data after starting")
    parser.add_argument("--run-dir", default=str(ROOT / ".run"))
    args = parser.parse_args(argv)
    platform = Platform(Path(args.run_dir))
    if args.command == "start":
        try:
            platform.start()
        except Exception:
            print(f"Start failed; logs are in {platform.log_dir}", file=sys.stderr)
            platform.stop()
            raise
        if args.demo:
            from deploy.demo_data import load
            from services.common.config import Settings

            settings = Settings.from_mapping(platform.env)
            load(settings.as_nameko_config(), settings.PLATFORM_ADMIN_USER)
        print(f"\nCổng thông tin điện tử: {platform.url}\nStop with: make stop")
    elif args.command == "stop":
        platform.stop()
    else:
        for name, alive in platform.status().items():
            print(f"{name:10} {'running' if alive else 'stopped'}")


if __name__ == "__main__":
    main()
