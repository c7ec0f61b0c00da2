"""Start and stop the whole platform on one machine, every process kept alive by supervisord.

    python -m deploy.launcher start [--demo]   # backing servers, four services, gateway
    python -m deploy.launcher stop             # everything `start` started, gateway first
    python -m deploy.launcher status           # each process, its state, PID and readiness
    python -m deploy.launcher pid NAME         # one process's current PID (it changes on restart)

Starts what is missing among the backing servers: RabbitMQ if it is not running (a system
server, left running); the MongoDB stand-in (SecantusDB) unless MONGO_URI is set; a local SMTP
catcher (aiosmtpd, into .run/mail) unless SMTP_HOST is set. Search uses its embedded engine unless
ELASTICSEARCH_URL is set. supervisord (deploy/supervisor.py) starts again whatever stops; a
second `start` while it runs starts only what is stopped. `start` from the command line also
keeps the platform's secrets (deploy/local_secrets.py) and gives each service its own port of
OPS_PORTS for its metrics and readiness (OPS_PORT=0 in the environment: none). The end-to-end
tests start the platform through this same code.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from deploy import demo_users
from deploy.local_secrets import kept_secrets
from deploy.supervisor import BIN, ProcessState, Program, Supervisor, wait_until

ROOT = Path(__file__).resolve().parent.parent
# Consumers first: their event queues must exist before content publishes anything.
SERVICES = ["search", "ranking", "notify", "content"]
# Each stage is started, then waited for, before the next; stopping goes the other way round.
STAGES = [["mongodb", "smtp"], SERVICES, ["gateway"]]
# supervisord stops the highest priority first: the gateway, then the services, backing servers last.
PRIORITY = {name: 100 * (number + 1) + stage.index(name) for number, stage in enumerate(STAGES) for name in stage}
MONGO_PORT = 27017
# Each service's operations endpoint (/metrics, /healthz, /readyz) under `make run`; in containers all use 9100.
OPS_PORTS = {"content": 9101, "search": 9102, "ranking": 9103, "notify": 9104}


def service_path(name: str) -> str:
    """`services.content.service:ContentService`: the class is named, since a service module
    also imports classes that carry entrypoints (the content service's area mixins)."""
    return f"services.{name}.service:{name.capitalize()}Service"


def port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


# Python's warnings filter for eventlet's notice (the Dockerfile sets the same).
QUIET_EVENTLET = "ignore::Warning:nameko.cli.commands,ignore::Warning:nameko.cli.run"


@dataclass
class Platform:
    run_dir: Path
    env: dict = field(default_factory=dict)
    # Settings for one process only, on top of env: {"content": {"AMQP_URI": <its own broker user>}}.
    process_env: dict = field(default_factory=dict)
    # {service: OPS_PORT}; none by default, so that test platforms never compete for the ports.
    ops_ports: dict = field(default_factory=dict)

    def __post_init__(self):
        self.run_dir = Path(self.run_dir)
        self.supervisor = Supervisor(self.run_dir, ROOT)
        self.pid_dir = self.supervisor.pid_path.parent
        self.log_dir = self.supervisor.log_dir
        self.env = {**os.environ, **{k: str(v) for k, v in self.env.items()}, "PYTHONPATH": str(ROOT)}
        # Backing servers the platform runs itself unless told where they are.
        self._own_mongodb = not self.env.get("MONGO_URI")
        self._own_smtp = not self.env.get("SMTP_HOST")
        if self._own_mongodb:
            self.env["MONGO_URI"] = f"mongodb://127.0.0.1:{MONGO_PORT}/"
        if self._own_smtp:
            self.env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=self.env.get("SMTP_PORT", "8025"))
        self.env.setdefault("SEARCH_INDEX_DIR", str(self.run_dir / "search-index"))

    # Starting

    def start(self, log=print):
        self._ensure_rabbitmq(log)
        if self.supervisor.running():
            log("Already running: starting only what has stopped")
        else:
            self.supervisor.launch(self._programs(log), self.env)
            self._ops_ports_file.write_text(json.dumps({name: self._ops_port(name) for name in SERVICES}))
        configured = self.supervisor.states()
        for stage in STAGES:
            names = [name for name in stage if name in configured]
            for name in names:
                self.supervisor.start(name)
            for name in names:
                self._wait_until_ready(name)
        # No address yet: the portal is worth opening once the demo data, if any, is in (start()).
        log("Services up: the gateway and the four services answer")

    def start_service(self, name: str):
        """Start one process of the platform (a service, or any other it runs) unless it is up."""
        if not self.supervisor.running():
            self.supervisor.launch(self._programs(log=lambda *_: None), self.env)
        self.supervisor.start(name)

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

    def _programs(self, log) -> list[Program]:
        programs = [self._program(name, [str(BIN / "nameko"), "run", "--config", "deploy/nameko.yml",
                                         service_path(name)]) for name in SERVICES]
        programs.append(self._program("gateway", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                                  "gateway.wsgi:app"]))
        if self._own_mongodb:
            if port_open("127.0.0.1", MONGO_PORT):
                log(f"Using the MongoDB server already on port {MONGO_PORT}")
            else:
                log("Starting the MongoDB stand-in (SecantusDB)")
                storage = self.run_dir / "mongo"
                storage.mkdir(parents=True, exist_ok=True)
                programs.append(self._program("mongodb", [
                    sys.executable, "-m", "deploy.mongo_standin", "--host", "127.0.0.1", "--port", str(MONGO_PORT),
                    "--storage-path", str(storage), "--log-level", "WARNING"]))
        if self._own_smtp and not port_open("127.0.0.1", int(self.env["SMTP_PORT"])):
            log(f"Starting a local SMTP catcher; mail lands in {self.run_dir / 'mail'}")
            programs.append(self._program("smtp", [
                sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.env['SMTP_PORT']}",
                "-c", "aiosmtpd.handlers.Mailbox", str(self.run_dir / "mail")]))
        return programs

    def _program(self, name: str, command: list[str]) -> Program:
        own = {**self.process_env.get(name, {})}
        if name in SERVICES:
            own.setdefault("OPS_PORT", self._ops_port(name))
            # eventlet's deprecation notice, printed as `nameko run` imports it, before logging
            # is set up: the one line of a service's log that would not be JSON (deploy/LOGS.md).
            own.setdefault("PYTHONWARNINGS", QUIET_EVENTLET)
        return Program(name, command, PRIORITY[name], {k: str(v) for k, v in own.items()})

    def _ops_port(self, name: str) -> int:
        return int(self.env["OPS_PORT"]) if "OPS_PORT" in self.env else self.ops_ports.get(name, 0)

    @property
    def _ops_ports_file(self) -> Path:
        return self.run_dir / "ops-ports.json"

    def probed_urls(self) -> dict[str, str]:
        """{process: base URL of its /readyz}: the gateway, and each service started with an OPS_PORT."""
        ports = json.loads(self._ops_ports_file.read_text()) if self._ops_ports_file.exists() else {}
        return {**{name: f"http://127.0.0.1:{port}" for name, port in ports.items() if port}, "gateway": self.url}

    def _wait_until_ready(self, name: str):
        if name == "mongodb":
            wait_until(lambda: port_open("127.0.0.1", MONGO_PORT), 60, "the MongoDB stand-in")
        elif name == "smtp":
            wait_until(lambda: port_open("127.0.0.1", int(self.env["SMTP_PORT"])), 30, "the SMTP catcher")
        elif name == "gateway":
            wait_until(self._gateway_healthy, 60, "the gateway")
        else:
            self.wait_for_service(name)

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

    # Stopping and looking

    def stop(self, log=print):
        """Stop everything, a stage at a time: the gateway, the services together, the backing
        servers; then supervisord itself."""
        if self.supervisor.running():
            for stage in reversed(STAGES):
                self.supervisor.stop(*stage)
            self.supervisor.shutdown()
        log("Platform stopped")

    def stop_process(self, name: str, sig=signal.SIGTERM):
        """SIGTERM (the default): stop `name` cleanly and keep it stopped until start_service(name).
        Any other signal goes to the process itself, as from outside (SIGKILL: a crash), and
        supervisord starts it again as after any crash."""
        if not self.supervisor.running():
            return
        if sig != signal.SIGTERM:
            pid = self.pid(name)
            if pid is None:
                raise RuntimeError(f"{name} is not running")
            os.kill(pid, sig)
            return
        self.supervisor.stop(name)
        if not self.supervisor.anything_up():
            self.supervisor.shutdown()  # nothing left to keep alive: leave nothing behind either

    def pid(self, name: str) -> int | None:
        """The current PID of one process (a new one after each restart); None while it is down."""
        state = self.status().get(name)
        return state.pid if state else None

    def status(self) -> dict[str, ProcessState]:
        """Each process supervisord runs for this platform; empty when it is not running."""
        return self.supervisor.states() if self.supervisor.running() else {}


def readiness(url: str) -> str:
    """What `url`/readyz says (a service's or the gateway's): "ready", "not ready: <what fails>", or no answer."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:
            return json.load(response)["status"]
    except urllib.error.HTTPError as error:
        return "not ready: " + ", ".join(f"{check} ({why})" for check, why in json.load(error)["failing"].items())
    except OSError as error:
        return f"no answer at {url}/readyz ({error})"


DEMO_READY_TIMEOUT = 300  # seconds; the demo's last events reach search within seconds of the load


def demo_ready(url: str, unit: str) -> bool:
    """Whether the portal at `url` is ready to show the demo: `unit`, the last the load fills,
    has its newest article published, its page answers, and search finds it. Search indexes what
    content publishes a moment later; its newest item, among the last the load sends, stands for
    the rest."""
    import urllib.request
    from urllib.parse import quote, urlencode

    try:
        with urllib.request.urlopen(f"{url}/api/units/{unit}/articles?limit=1", timeout=10) as response:
            newest = json.load(response)["items"]
        if not newest:
            return False
        path = f"/{unit}/tin-tuc/{newest[0]['slug']}"
        with urllib.request.urlopen(url + quote(path), timeout=10) as response:
            if response.status != 200:
                return False
        query = urlencode({"q": newest[0]["title"], "unit": unit})
        with urllib.request.urlopen(f"{url}/api/search?{query}", timeout=10) as response:
            return any(hit["path"] == path for hit in json.load(response)["items"])
    except OSError:  # not answering yet, or a 404/503 (urllib's HTTPError is an OSError)
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status", "pid"])
    parser.add_argument("name", nargs="?", help="for pid: the process (content, gateway, mongodb …)")
    parser.add_argument("--demo", action="store_true", help="load demo data after starting")
    parser.add_argument("--run-dir", default=str(ROOT / ".run"))
    args = parser.parse_args(argv)
    run_dir = Path(args.run_dir)
    if args.command == "start":
        start(Platform(run_dir, kept_secrets(run_dir / "secrets.env", os.environ), ops_ports=OPS_PORTS), args.demo)
    elif args.command == "stop":
        Platform(run_dir).stop()
    elif args.command == "status":
        platform = Platform(run_dir)
        processes = platform.status()
        if not processes:
            print(f"Not running (no supervisord answers at {run_dir / 'supervisor.sock'})")
        probed = platform.probed_urls()
        for name, process in processes.items():
            ready = f"   {readiness(probed[name])}" if name in probed and process.state == "RUNNING" else ""
            print(f"{name:10} {process.state:9} {process.description}{ready}")
    else:
        pid = Platform(run_dir).pid(args.name or parser.error("pid needs a process name"))
        if pid is None:
            sys.exit(f"{args.name} is not running")
        print(pid)


def start(platform: Platform, demo: bool, only: list[dict] | None = None):
    """`make run`: the platform, then (`demo`) the demo data, all of it or `only` those units.
    The portal's address is printed once the demo's pages are ready, every unit's this week in,
    so that whoever opens it then finds every unit filled; the units' past months and the
    ranking's follow while it can be browsed, and the address is printed again at the end."""
    already_running = bool(platform.status())
    try:
        platform.start()
    except Exception:
        print(f"Start failed; logs are in {platform.log_dir}", file=sys.stderr)
        if not already_running:
            platform.stop()
        raise
    secrets_file = platform.run_dir / "secrets.env"
    print(f"\nSecrets: {secrets_file} (made on the first run and kept; set in the environment to override)\n"
          f"Platform administrator's token (PLATFORM_ADMIN_TOKEN): {platform.env['PLATFORM_ADMIN_TOKEN']}")
    if not demo:
        print(_opening(platform, []))
        return
    from deploy.demo_data import load, units
    from services.common.config import Settings

    settings = Settings.from_mapping(platform.env)
    demo_units = only if only is not None else units()
    started = time.monotonic()

    def ready():
        print("Waiting until the demo's pages are ready …")
        try:
            wait_until(lambda: demo_ready(platform.url, demo_units[-1]["slug"]), DEMO_READY_TIMEOUT,
                       "the demo's last unit's newest article on the portal and in search")
        except RuntimeError as error:
            print(f"Not all of the demo is ready yet ({error}); see {platform.log_dir}", file=sys.stderr)
        print(f"{_opening(platform, demo_units)}\nReady after {time.monotonic() - started:.0f} s with every unit's "
              "this week; their past months and the ranking's load now (the portal can be browsed meanwhile)\n",
              flush=True)

    load(settings.as_nameko_config(), settings.PLATFORM_ADMIN_USER, only=only, ready=ready)
    print(f"\nDemo data loaded in {time.monotonic() - started:.0f} s. Cổng thông tin điện tử: {platform.url}")


def _opening(platform: Platform, demo_units: list[dict]) -> str:
    return (f"\nCổng thông tin điện tử: {platform.url}\n"
            f"API: {platform.url}/tai-lieu-api (OpenAPI: {platform.url}/api/openapi.json)\n"
            f"{demo_users.described(demo_units, f'{platform.url}/quan-tri')}\n"
            "Status: make status   Stop: make stop")


if __name__ == "__main__":
    main()
