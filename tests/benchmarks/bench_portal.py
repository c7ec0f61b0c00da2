"""The portal's pages under load, beside a bare Falcon endpoint measured in the same run.

    .venv/bin/python -m tests.benchmarks.bench_portal                             # about 20 minutes
    .venv/bin/python -m tests.benchmarks.bench_portal --seconds 15 --units 20     # about 8 minutes

Starts the whole platform as `make run` does (deploy.launcher: the four services and gunicorn
with deploy/gunicorn.conf.py) on a throwaway RabbitMQ vhost and its own MongoDB stand-in, loads
the demo data of `--units` of Thừa Thiên Huế's units (deploy/demo_data.py: categories, articles,
static pages, this week's schedule, a legal document, an answered question), publishes
`--list-articles` more into one category through the JSON API, so that its list has deep pages,
and waits until the platform is at rest. It serves the bare endpoint (tests/benchmarks/bare_app.py)
twice: under gunicorn's sync workers and under the gateway's own settings. Then, with wrk
(Debian's package `wrk`, installed if missing):

- the two bare endpoints, and every kind of cached page (portal home, unit home, article,
  category list, schedule week, document list, static page, feed) at `--connections` each,
  after a warm-up that is not counted (each gunicorn worker fills its own page cache);
- pages that miss every cache at `--miss-connections`: unique searches (/tim-kiem?q=…) and deep
  pages of the category's list, each request a path no other request asks for (unique_paths.lua);
  the list's addresses differ by an `fbclid`, as links shared on social networks do;
- both at once: the portal home at `--connections` while `--mixed-connections` clients search,
  which shows whether pages waiting on RPC replies hold cached pages up;

printing requests/s, p50 and p99 latency, non-2xx responses, socket errors (timeouts included:
a request is one after `--timeout`, the gateway's own GATEWAY_TIMEOUT) and each row's ratio to
both bare endpoints. Before each run it waits until every server has finished the work the
previous run left queued (wrk stops sending; the requests it left behind still run). Last it
publishes `--publishes` articles one by one and times each until it shows on the unit's home page.

`--models gthread:2x8 sync:2x1 …` measures the gateway under each gunicorn worker model (the
settings of deploy/gunicorn.conf.py with its worker class, workers and threads overridden),
against the same services in the same run, instead of the deployed gateway.

`--metrics-off` measures two more gateways started alike against the same services, one with
METRICS=true and one with METRICS=false (no request timing), each cached page on both, each
first in turn, and prints each page's throughput with metrics on as a share of that without:
the goal is metrics costing less than 3 %.

Goals: every cached page at least half the bare sync endpoint's throughput; no errors (no
non-2xx, no socket errors) at 300 connections on cached pages and 500 on cache-missing ones;
a published change visible within 2 s.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlparse

import requests
from nameko.testing.rabbit import Client as RabbitManagement

from deploy import demo_data
from deploy.launcher import BIN, ROOT, Platform, wait_until
from gateway.vietnam_time import this_week
from services.common.config import Settings
from tests.benchmarks import wrk
from tests.benchmarks.bench_content import load_average
from tests.servers import MongoServer, free_port, rabbitmq_vhost

WARM_UP_SECONDS = 5
LIST_CATEGORY = demo_data.CATEGORIES[0][0]
ARTICLE = demo_data.ARTICLES[0][0]
ARTICLES_PER_PAGE = 20  # gateway/resources/pages.py
# Words of the demo's titles: each search is three to five of them, so the engine has real work.
SEARCH_WORDS = ("chuyển đổi số chính quyền điện tử cải cách thủ tục hành chính hội nghị triển khai kế hoạch "
                "môi trường văn minh dịch vụ công trực tuyến người dân nhiệm vụ giải pháp").split()
PATHS_PER_SECOND = 2000  # unique paths written per second of a run: more than any run here asks for
IDLE_ANSWER = 0.1  # seconds: a server answering its health check faster than this, three times, has nothing queued


@dataclass(frozen=True)
class Model:
    """A gunicorn worker model: its class, workers and threads per worker."""
    worker_class: str
    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> Model:
        worker_class, _, size = text.partition(":")
        workers, _, threads = size.partition("x")
        model = cls(worker_class, int(workers), int(threads or 1))
        if model.worker_class not in ("sync", "gthread") or (model.worker_class == "sync" and model.threads != 1):
            raise argparse.ArgumentTypeError(f"{text}: sync:Nx1 or gthread:NxT (sync with threads runs as gthread)")
        return model

    def __str__(self):
        return f"{self.worker_class} {self.workers}×{self.threads}"

    def env(self) -> dict:
        """deploy/gunicorn.conf.py's settings, and gunicorn's own variable that overrides its worker class."""
        return {"GATEWAY_WORKERS": str(self.workers), "GATEWAY_THREADS": str(self.threads),
                "GUNICORN_CMD_ARGS": f"--worker-class {self.worker_class}"}


@dataclass
class Server:
    label: str
    url: str
    health: str  # a path answered without RPC
    process: subprocess.Popen | None = None  # None: the platform's own gateway
    rows: list[tuple[str, wrk.Figures]] = field(default_factory=list)

    def idle(self) -> bool:
        """It answers its health check at once, three times in a row: no leftover work queued."""
        for _ in range(3):
            started = time.monotonic()
            try:
                requests.get(self.url + self.health, timeout=30)
            except requests.RequestException:
                return False
            if time.monotonic() - started > IDLE_ANSWER:
                return False
        return True

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def gunicorn(label: str, app: str, env: dict, log: Path, health: str) -> Server:
    """`app` under gunicorn with deploy/gunicorn.conf.py on a free port, once it answers."""
    bind = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", app], cwd=ROOT,
                               env={**env, "GATEWAY_BIND": bind}, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Server(label, f"http://{bind}", health, process)
    wait_until(lambda: _answers(server.url + health), 60, f"gunicorn serving {app} on {bind}")
    return server


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def publish(api: requests.Session, url: str, unit: str, title: str, category: str | None = None) -> dict:
    created = api.post(f"{url}/api/units/{unit}/articles", json={
        "title": title, "summary": "Tóm tắt tin", "body_html": "<p>" + "Nội dung bài viết. " * 200 + "</p>",
        **({"category": category} if category else {})})
    created.raise_for_status()
    article = created.json()
    published = api.post(f"{url}/api/articles/{article['id']}/force-publish",
                         json={"version": article["version"], "comment": "Đăng ngay"})
    published.raise_for_status()
    return published.json()


def editor(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def publish_many(url: str, token: str, unit: str, category: str, count: int, parallel: int = 4):
    sessions = [editor(token) for _ in range(parallel)]
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(lambda i: publish(sessions[i % parallel], url, unit, f"Tin thứ {i} của danh sách", category),
                      range(count)))


def publish_to_visible(api: requests.Session, url: str, unit: str, count: int) -> list[float]:
    waits = []
    reader = requests.Session()
    for _ in range(count):
        title = f"Tin đo thời gian {uuid.uuid4().hex[:8]}"
        publish(api, url, unit, title)
        started = time.monotonic()
        while title not in reader.get(f"{url}/{unit}", timeout=30).text:
            if time.monotonic() - started > 30:
                raise RuntimeError(f"{title!r} not on /{unit} after 30 s")
            time.sleep(0.005)
        waits.append(time.monotonic() - started)
    return waits


def cached_pages(unit: str) -> list[tuple[str, str]]:
    return [("portal home", "/"), ("unit home", f"/{unit}"), ("article", f"/{unit}/tin-tuc/{ARTICLE}"),
            ("category list", f"/{unit}/chuyen-muc/{LIST_CATEGORY}"),
            ("schedule week", f"/{unit}/lich-cong-tac/{this_week()[0]}"), ("document list", f"/{unit}/van-ban"),
            ("static page", f"/{unit}/gioi-thieu/gioi-thieu"), ("feed (RSS)", f"/{unit}/rss")]


def unique_searches(count: int) -> list[str]:
    """Each a different number written with SEARCH_WORDS as its digits."""
    base = len(SEARCH_WORDS)
    start = random.randrange(base ** 2, base ** 5 - count)
    return ["/tim-kiem?q=" + quote_plus(" ".join(_digits(number, base))) for number in range(start, start + count)]


def _digits(number: int, base: int):
    while number:
        number, digit = divmod(number, base)
        yield SEARCH_WORDS[digit]


def deep_list_pages(unit: str, pages: int, count: int) -> list[str]:
    start = random.randrange(10 ** 9)
    return [f"/{unit}/chuyen-muc/{LIST_CATEGORY}?trang={1 + number % pages}&fbclid=b{number}"
            for number in range(start, start + count)]


def at_rest(management: RabbitManagement, vhost: str, checks: int = 3) -> bool:
    """No message waits in any of the vhost's queues, `checks` times in a row."""
    for _ in range(checks):
        if any(queue.get("messages", 0) for queue in management.get_queues(vhost)):
            return False
        time.sleep(0.5)
    return True


class Runner:
    """Runs wrk once every server is idle; prints each row with its ratio to the bare endpoint under
    sync workers (/sync) and under deploy/gunicorn.conf.py (/conf), the first two servers measured."""

    COLUMNS = (f"{'':<60} {'conns':>5} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>7} {'socket':>6} "
               f"{'/sync':>6} {'/conf':>6}")

    def __init__(self, args, servers: list[Server], management: RabbitManagement, vhost: str):
        self.args = args
        self.servers = servers
        self.management, self.vhost = management, vhost
        self.baselines: list[wrk.Figures] = []

    def measure(self, server: Server, label: str, path: str = "/", paths: list[str] | None = None):
        """`path` (a cached page, after a warm-up) or, if given, the unique `paths`."""
        args = self.args
        self._wait_idle(label)
        if paths is None:
            wrk.run(server.url + path, WARM_UP_SECONDS, args.connections, args.threads, args.timeout)
            self._row(server, label, args.connections, self._cached(server, path))
        else:
            self._row(server, label, args.miss_connections, self._missing(server, paths, args.miss_connections))

    def measure_mixed(self, server: Server, label: str, path: str, paths: list[str]):
        """The cached `path` while other clients ask for the unique `paths`, both rows."""
        args = self.args
        self._wait_idle(label)
        with ThreadPoolExecutor(1) as pool:
            missing = pool.submit(self._missing, server, paths, args.mixed_connections)
            self._row(server, label, args.connections, self._cached(server, path))
        self._row(server, "    … and the clients missing meanwhile", args.mixed_connections, missing.result())

    def _cached(self, server: Server, path: str) -> wrk.Figures:
        args = self.args
        return wrk.run(server.url + path, args.seconds, args.connections, args.threads, args.timeout)

    def _missing(self, server: Server, paths: list[str], connections: int) -> wrk.Figures:
        args = self.args
        with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as file:
            file.write("\n".join(paths) + "\n")
        try:
            return wrk.run(server.url, args.seconds, connections, args.threads, args.timeout, Path(file.name))
        finally:
            os.unlink(file.name)

    def _wait_idle(self, label: str):
        wait_until(lambda: all(each.idle() for each in self.servers) and at_rest(self.management, self.vhost),
                   600, f"every server idle before '{label}'")

    def _row(self, server: Server, label: str, connections: int, figures: wrk.Figures):
        server.rows.append((label, figures))
        if len(self.baselines) < 2:
            self.baselines.append(figures)
        sync, conf = self.baselines[0], self.baselines[-1]
        print(f"{label:<60} {connections:>5} {figures.rps:>7.0f} {1000 * figures.p50:>8.1f} "
              f"{1000 * figures.p99:>8.1f} {figures.non_2xx:>7} {figures.socket_errors:>6} "
              f"{figures.rps / sync.rps:>6.2f} {figures.rps / conf.rps:>6.2f}", flush=True)


def enough_open_files(connections: int) -> int:
    """wrk and gunicorn each hold a descriptor per connection: the soft limit is raised to the hard one if short."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 4 * connections + 1024
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard == resource.RLIM_INFINITY else min(hard, needed),
                                                    hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def parse(argv):
    deployed = Settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="each measured wrk run")
    parser.add_argument("--connections", type=int, default=300, help="on the bare endpoints and cached pages")
    parser.add_argument("--miss-connections", type=int, default=500, help="on pages that miss every cache")
    parser.add_argument("--mixed-connections", type=int, default=50,
                        help="searching while the portal home is loaded at --connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--timeout", type=float, default=deployed.GATEWAY_TIMEOUT,
                        help="seconds before wrk counts a request as a socket error (default: GATEWAY_TIMEOUT)")
    parser.add_argument("--workers", type=int, default=deployed.GATEWAY_WORKERS,
                        help="gunicorn workers of the platform's gateway and both bare endpoints")
    parser.add_argument("--models", type=Model.parse, nargs="+", default=[], metavar="CLASS:WxT",
                        help="measure the gateway under these worker models, e.g. gthread:2x8 sync:2x1")
    parser.add_argument("--metrics-off", action="store_true",
                        help="also measure a gateway with METRICS=false and compare (its own gunicorn)")
    parser.add_argument("--units", type=int, default=len(demo_data.units()),
                        help="demo units loaded (default: all of the province's, as the portal home lists them)")
    parser.add_argument("--list-articles", type=int, default=200,
                        help="articles published into one category, for deep pages of its list")
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def load(platform: Platform, token: str, units: list[dict], list_articles: int, wait_at_rest):
    started = time.monotonic()
    settings = Settings.from_mapping(platform.env)
    demo_data.load(settings.as_nameko_config(), settings.PLATFORM_ADMIN_USER, history=False, only=units,
                   log=lambda message: print(message, flush=True))
    publish_many(platform.url, token, units[0]["slug"], LIST_CATEGORY, list_articles)
    wait_until(wait_at_rest, 600, "the platform at rest")
    print(f"Loaded {len(units)} units and {list_articles} more articles in /{units[0]['slug']}/chuyen-muc/"
          f"{LIST_CATEGORY} in {time.monotonic() - started:.0f} s", flush=True)


def serve(args, platform: Platform, logs: Path) -> tuple[list[Server], list[Server]]:
    """The two bare endpoints, and the gateways to measure: the platform's own, or one per model."""
    bare = [gunicorn(f"bare endpoint, sync {args.workers}×1", "tests.benchmarks.bare_app:app",
                     {**platform.env, **Model("sync", args.workers, 1).env()}, logs / "bare.log", "/"),
            gunicorn("bare endpoint, deploy/gunicorn.conf.py", "tests.benchmarks.bare_app:app", platform.env,
                     logs / "bare.log", "/")]
    if not args.models:
        settings = Settings.from_mapping(platform.env)
        deployed = Server(f"gateway, deploy/gunicorn.conf.py ({settings.GATEWAY_WORKERS} workers × "
                          f"{settings.GATEWAY_THREADS} threads)", platform.url, "/healthz")
        if not args.metrics_off:
            return bare, [deployed]
        # Two gateways started alike, differing only in METRICS (the deployed one has served the
        # loading, under supervisord: not a like-for-like baseline).
        return bare, [gunicorn(f"gateway, METRICS={flag}", "gateway.wsgi:app", {**platform.env, "METRICS": flag},
                               logs / "gateways.log", "/healthz") for flag in ("true", "false")]
    return bare, [gunicorn(f"gateway, {model}", "gateway.wsgi:app", {**platform.env, **model.env()},
                           logs / "gateways.log", "/healthz") for model in args.models]


def main(argv=None):
    args = parse(argv)
    wrk.ensure_wrk()
    open_files = enough_open_files(max(args.connections, args.miss_connections))
    units = demo_data.units()[:args.units]
    unit = units[0]["slug"]
    tag = uuid.uuid4().hex[:8]
    token = f"bench-{tag}"
    management = RabbitManagement(args.rabbit_management)
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        vhost = urlparse(amqp_uri).path.lstrip("/")
        mongo = MongoServer(Path(workdir) / "mongo").start()
        platform = Platform(Path(workdir) / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"bench-{tag}", ELASTICSEARCH_URL="", SMTP_PORT=free_port(),
            GATEWAY_BIND=f"127.0.0.1:{free_port()}", PLATFORM_ADMIN_TOKEN=token, GATEWAY_WORKERS=args.workers))
        platform.env["PUBLIC_URL"] = platform.url
        bare, gateways = [], []
        try:
            platform.start(log=lambda message: print(message, flush=True))
            load(platform, token, units, args.list_articles, lambda: at_rest(management, vhost))
            bare, gateways = serve(args, platform, platform.log_dir)
            for _, path in cached_pages(unit):
                if "ETag" not in requests.get(platform.url + path, timeout=30).headers:
                    raise RuntimeError(f"{path} is not kept by the page cache")
            list_pages = max(1, -(-args.list_articles // ARTICLES_PER_PAGE))

            print(f"\n{len(units)} units; wrk {args.threads} threads, {args.seconds} s a run (cached pages after "
                  f"{WARM_UP_SECONDS} s not counted); a request is an error after {args.timeout:.0f} s; open files "
                  f"{open_files}; {load_average()}\n\n{Runner.COLUMNS}", flush=True)
            runner = Runner(args, bare + gateways, management, vhost)
            for server in bare:
                runner.measure(server, server.label)
            if args.metrics_off and not args.models:
                # Page by page, on both, the first of each pair in turn, so that the machine's drift
                # and whatever a run leaves the next fall on both alike.
                print(f"cached pages, on {gateways[0].label} and {gateways[1].label}, each first in turn", flush=True)
                for number, (label, path) in enumerate(cached_pages(unit)):
                    for gateway in (gateways if number % 2 == 0 else gateways[::-1]):
                        runner.measure(gateway, f"  {label} {path}", path)
            for gateway in gateways:
                print(gateway.label, flush=True)
                if not args.metrics_off or args.models:
                    for label, path in cached_pages(unit):
                        runner.measure(gateway, f"  {label} {path}", path)
                count = args.seconds * PATHS_PER_SECOND
                runner.measure(gateway, "  unique searches /tim-kiem?q=…", paths=unique_searches(count))
                runner.measure(gateway, f"  deep list pages ?trang=1…{list_pages}",
                               paths=deep_list_pages(unit, list_pages, count))
                runner.measure_mixed(gateway, f"  portal home / while {args.mixed_connections} clients search", "/",
                                     unique_searches(count))
            print(f"  ({load_average()})\n", flush=True)

            wait_until(lambda: all(server.idle() for server in bare + gateways) and at_rest(management, vhost),
                       600, "every server idle")
            waits = publish_to_visible(editor(token), platform.url, unit, args.publishes)
            if waits:
                print(f"Publish-to-visible on the unit's home page over {len(waits)} articles: "
                      f"p50 {1000 * statistics.median(waits):.0f} ms, max {1000 * max(waits):.0f} ms")
            summarise(runner.baselines[0], gateways, waits)
            if args.metrics_off and not args.models:
                compare_metrics(*gateways)
        finally:
            for server in bare + gateways:
                server.stop()
            platform.stop(log=lambda message: print(message, flush=True))
            mongo.stop()


def summarise(bare_sync: wrk.Figures, gateways: list[Server], waits: list[float]):
    for gateway in gateways:
        cached = [(label.strip(), figures) for label, figures in gateway.rows if "…" not in label
                  and "while" not in label]
        label, lowest = min(cached, key=lambda row: row[1].rps)
        errors = sum(figures.errors for _, figures in gateway.rows)
        print(f"{gateway.label}: every cached page at least half the bare sync endpoint: "
              f"{'met' if lowest.rps >= bare_sync.rps / 2 else 'NOT met'} (lowest {lowest.rps / bare_sync.rps:.2f}, "
              f"{label}); no errors: {'met' if not errors else f'NOT met ({errors})'}")
    if waits:
        print(f"Published change visible within 2 s: {'met' if max(waits) < 2 else 'NOT met'}")


def compare_metrics(measured: Server, unmeasured: Server):
    """Each row's throughput with metrics on as a share of that without, and their mean over cached pages."""
    off = dict(unmeasured.rows)
    shares = []
    print(f"\nMetrics on / off (requests/s): {measured.label} / {unmeasured.label}")
    for label, figures in measured.rows:
        if label in off:
            share = figures.rps / off[label].rps
            print(f"{label:<60} {share:>6.3f}   p50 {1000 * figures.p50:.1f} / {1000 * off[label].p50:.1f} ms")
            if "…" not in label and "while" not in label:
                shares.append(share)
    mean = statistics.mean(shares)
    print(f"Cached pages with metrics: {100 * (1 - mean):+.1f} % slower on average; goal under 3 %: "
          f"{'met' if mean >= 0.97 else 'NOT met'}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
