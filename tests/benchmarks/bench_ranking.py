"""The ranking service's visits under load, each figure beside a baseline measured in the same run.

    .venv/bin/python -m tests.benchmarks.bench_ranking                                       # about 10 minutes
    .venv/bin/python -m tests.benchmarks.bench_ranking --seconds 10 --rounds 2 --batches 30   # about 3 minutes

Starts the platform as `make run` does (as bench_portal.py: a throwaway RabbitMQ vhost, its own
MongoDB stand-in, the four services, gunicorn with deploy/gunicorn.conf.py) and loads one demo
unit, then runs the sections named by `--sections`, in this order:

- **page**: what counting views costs a cached page. The unit's home under wrk through two more
  gateways, the same but for VISIT_COUNTING (on: each view counted and sent to ranking in
  batches; off: nothing counted, no counter block), alternated `--rounds` times so that whatever
  else the shared machine does falls on both. Each request is one of `--readers` readers
  (visitors.lua gives each its own browser user agent: wrk's requests all come from 127.0.0.1),
  so the gateway batches as many distinct visitors as a busy site's; each round the other
  goes first. Prints each run's requests/s and p99, the means, their ratio, and how many views
  ranking counted of those sent. Then the same page through the gateway app in this process,
  `--calls` direct WSGI calls with counting on and off: what counting adds to a request in CPU
  time, a figure the other work on the machine does not blur. Goal: counting costs less than 5 %.
- **ingest**: how fast ranking takes the gateways' batches. `--senders` callers send
  `ranking.record_visits` over RPC, `--batches` batches in all, each of `--batch` distinct
  readers (one in ten a bot) with 1–5 views over `--ingest-units` units, drawn from
  `--population` readers so that later batches meet readers counted already today, as a
  gateway's do. Beside it, the stand-in's own speed for the same number of documents (one a
  reader, shaped as a visitor's marker: a key and nothing else, no other index) written with
  insert_many by as many callers, and the ratio.

Freezing a month is measured by bench_freeze.py, which needs no running platform; a section
that does joins SECTIONS (see main()).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
import uuid
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

import requests
from falcon.testing import create_environ
from nameko.testing.rabbit import Client as RabbitManagement
from pymongo import MongoClient

from deploy import demo_data
from deploy.launcher import Platform, wait_until
from gateway.app import create_app, shut_down
from services.common.config import Settings
from tests.benchmarks import wrk
from tests.benchmarks.bench_content import load_average
from tests.benchmarks.bench_portal import WARM_UP_SECONDS, Server, at_rest, enough_open_files, gunicorn
from tests.servers import MongoServer, free_port, rabbitmq_vhost

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from nameko.standalone.rpc import ClusterRpcProxy

VISITORS_SCRIPT = Path(__file__).with_name("visitors.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
COUNTER_BLOCK = "Thống kê truy cập"
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; CPH2591) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile "
    "Safari/537.36 Zalo/24.11.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
)
BOTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
)


@dataclass
class Bench:
    """What every section gets: the running platform and where its parts are."""
    platform: Platform
    settings: Settings
    unit: str  # a demo unit with content, whose home is a cached page
    mongo_uri: str
    mongo_pid: int
    management: RabbitManagement
    vhost: str
    servers: list[Server] = field(default_factory=list)  # gunicorns a section started, stopped at the end

    def wait_idle(self, label: str):
        """Every server answers at once and no message waits: what the last run left queued has run."""
        wait_until(lambda: all(server.idle() for server in self.servers) and at_rest(self.management, self.vhost),
                   600, f"every server idle before {label}")

    def ranking(self, method: str, *args):
        with ClusterRpcProxy(self.settings.as_nameko_config(), timeout=60) as services:
            return getattr(services.ranking, method)(*args)


# 1. A cached page with visit counting on and off

def run_as_readers(url: str, seconds: int, args) -> tuple[wrk.Figures, int]:
    """One wrk run on `url`, each request one of `args.readers` readers; its figures and requests sent."""
    out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s",
                          f"--timeout={args.timeout}s", "--latency", "-s", str(VISITORS_SCRIPT), url, "--",
                          str(args.readers)], check=True, capture_output=True, text=True).stdout
    return wrk.parse(out), int(re.search(r"(\d+) requests in", out).group(1))


def measure_page(args, bench: Bench):
    path = f"/{bench.unit}"
    gateways = {}
    for counting in (True, False):
        gateways[counting] = gunicorn(f"VISIT_COUNTING {'on' if counting else 'off'}", "gateway.wsgi:app",
                                      {**bench.platform.env, "VISIT_COUNTING": str(counting).lower()},
                                      bench.platform.log_dir / "gateways.log", "/healthz")
        bench.servers.append(gateways[counting])
        page = requests.get(gateways[counting].url + path, timeout=30)
        if "ETag" not in page.headers or (COUNTER_BLOCK in page.text) != counting:
            raise RuntimeError(f"{path} through the gateway with {gateways[counting].label}: not as expected")
    counted_before = bench.ranking("visit_counters", bench.unit)["total"]
    sent = {True: 0, False: 0}
    runs: dict[bool, list[wrk.Figures]] = {True: [], False: []}
    cpu: dict[bool, Counter] = {True: Counter(), False: Counter()}  # CPU seconds by part, all runs
    print(f"\n1. The unit's home {path} (cached), {args.connections} connections, {args.readers} readers, "
          f"{args.seconds} s a run after {WARM_UP_SECONDS} s not counted; {load_average()}\n"
          f"{'':<34} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}   CPU µs a request: "
          f"{'gateway':>7} {'ranking':>7} {'MongoDB':>7}", flush=True)
    for round_ in range(1, args.rounds + 1):
        for counting in (True, False) if round_ % 2 else (False, True):  # neither always goes first
            gateway = gateways[counting]
            parts = {"gateway": gateway.process.pid, "ranking": bench.platform.pid("ranking"),
                     "MongoDB": bench.mongo_pid}
            bench.wait_idle(f"round {round_}, {gateway.label}")
            sent[counting] += run_as_readers(gateway.url + path, WARM_UP_SECONDS, args)[1]
            before = {part: cpu_seconds(pid) for part, pid in parts.items()}
            figures, requests_sent = run_as_readers(gateway.url + path, args.seconds, args)
            used = {part: cpu_seconds(pid) - before[part] for part, pid in parts.items()}
            sent[counting] += requests_sent
            runs[counting].append(figures)
            cpu[counting].update({**used, "requests": requests_sent})
            print(f"  round {round_}, {gateway.label:<21} {figures.rps:>7.0f} {1000 * figures.p50:>8.1f} "
                  f"{1000 * figures.p99:>8.1f} {figures.errors:>6}   {'':>17}"
                  + "".join(f" {1e6 * used[part] / requests_sent:>7.1f}" for part in parts), flush=True)
    on, off = (statistics.mean(figures.rps for figures in runs[counting]) for counting in (True, False))
    ratios = [with_.rps / without.rps for with_, without in zip(runs[True], runs[False])]
    per_request = {counting: {part: 1e6 * seconds / cpu[counting]["requests"] for part, seconds in cpu[counting].items()
                              if part != "requests"} for counting in (True, False)}
    platform_on, platform_off = (sum(per_request[counting].values()) for counting in (True, False))
    bench.wait_idle("reading the counters")
    time.sleep(3 * bench.settings.VISIT_FLUSH_INTERVAL)  # the last batches sent
    counted = bench.ranking("visit_counters", bench.unit)["total"] - counted_before
    print(f"  requests/s: counting on {on:.0f}, off {off:.0f}; on/off {on / off:.3f} (per round: median "
          f"{statistics.median(ratios):.3f}, {min(ratios):.3f}–{max(ratios):.3f})\n"
          f"  CPU a request, gateway + ranking + MongoDB: on {platform_on:.0f} µs ("
          + " + ".join(f"{value:.0f}" for value in per_request[True].values()) + f"), off {platform_off:.0f} µs ("
          + " + ".join(f"{value:.0f}" for value in per_request[False].values()) + f"): counting costs "
          f"{100 * (platform_on / platform_off - 1):.1f} % (goal < 5 %: "
          f"{'met' if platform_on < 1.05 * platform_off else 'NOT met'})\n"
          f"  ranking counted {counted:,} views; wrk saw {sent[True]:,} answered by the counting gateway "
          f"(those in flight when a run stops are not in wrk's count), {sent[False]:,} by the other", flush=True)
    costs = {counting: cost_in_process(bench, path, counting, args.readers, args.calls) for counting in (True, False)}
    print(f"  in one process, direct WSGI calls (no network, no other clients), {args.calls:,} calls: counting on "
          f"{costs[True]:.1f} µs a request, off {costs[False]:.1f} µs: counting adds "
          f"{costs[True] - costs[False]:.1f} µs; {load_average()}", flush=True)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its live children (gunicorn's workers), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's PID
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def cost_in_process(bench: Bench, path: str, counting: bool, readers: int, calls: int) -> float:
    """Microseconds a request for the cached `path` takes the gateway app itself, each from one
    of `readers` readers; the batches go to the platform's ranking service meanwhile."""
    app = create_app(replace(bench.settings, VISIT_COUNTING=counting))
    environs = [create_environ(path=path, headers={"User-Agent": f"{BROWSERS[-1]}.{reader}"})
                for reader in range(readers)]

    def start_response(status, headers):
        assert status.startswith("200")

    try:
        for environ in environs[:2]:  # the page rendered and kept, the unit's figures known
            b"".join(app(dict(environ), start_response))
        started = time.process_time()
        for call in range(calls):
            b"".join(app(dict(environs[call % readers]), start_response))
        return 1e6 * (time.process_time() - started) / calls
    finally:
        shut_down(app)


# 2. Page-view batches into the ranking service

def reader_population(args, rng: random.Random) -> list[tuple[str, str, str]]:
    """(unit, client address, user agent): one in ten a bot; a reader reads one unit."""
    units = [unit["slug"] for unit in demo_data.units()][:args.ingest_units]
    units += [f"don-vi-{n}" for n in range(args.ingest_units - len(units))]  # beyond the province's 183
    readers = set()
    while len(readers) < args.population:
        agent = rng.choice(BOTS) if rng.random() < 0.1 else rng.choice(BROWSERS)
        address = f"{rng.choice((14, 27, 42, 113, 171))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        readers.add((rng.choice(units), address, agent))
    return list(readers)


def measure_ingest(args, bench: Bench):
    rng = random.Random(args.seed)
    population = reader_population(args, rng)
    batches = [[[*reader, rng.randint(1, 5)] for reader in rng.sample(population, args.batch)]
               for _ in range(args.batches)]
    views = sum(entry[3] for batch in batches for entry in batch)
    entries = args.batches * args.batch
    print(f"\n2. Ingest: {args.batches} batches of {args.batch} distinct readers (one in ten a bot) with 1–5 views, "
          f"{views:,} views in all, over {args.ingest_units} units from {args.population:,} readers, "
          f"{args.senders} senders; {load_average()}", flush=True)

    latencies: list[float] = []

    def send(batches_of_one_sender):
        with ClusterRpcProxy(bench.settings.as_nameko_config(), timeout=120) as services:
            for batch in batches_of_one_sender:
                started = time.perf_counter()
                services.ranking.record_visits(batch, uuid.uuid4().hex)  # named, as the gateway's are
                latencies.append(time.perf_counter() - started)

    bench.wait_idle("ingest")
    rpc_seconds = _in_parallel(send, batches, args.senders)
    print(f"  {'record_visits over RPC':<34} {views / rpc_seconds:>9,.0f} views/s {entries / rpc_seconds:>8,.0f} "
          f"readers/s  batch p50 {1000 * statistics.median(latencies):,.0f} ms, max {1000 * max(latencies):,.0f} ms",
          flush=True)

    client = MongoClient(bench.mongo_uri, tz_aware=True)
    markers = client[bench.settings.RANKING_DB][f"bench_markers_{uuid.uuid4().hex[:6]}"]
    day = datetime.now(timezone.utc).date().isoformat()

    def insert(batches_of_one_sender):
        for batch in batches_of_one_sender:
            markers.insert_many([{"_id": f"{day}|{uuid.uuid4().hex}"} for _ in batch], ordered=False)

    raw_seconds = _in_parallel(insert, batches, args.senders)
    markers.drop()
    client.close()
    print(f"  {'insert_many, one document a reader':<34} {'':>15} {entries / raw_seconds:>8,.0f} docs/s\n"
          f"  record_visits ÷ insert_many: {raw_seconds / rpc_seconds:.2f} (readers/s over docs/s); "
          f"{load_average()}", flush=True)


def _in_parallel(work, batches: list, senders: int) -> float:
    """Seconds for `senders` threads to do `work` on their share of `batches` (every senders-th)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        list(pool.map(work, [batches[i::senders] for i in range(senders)]))
    return time.perf_counter() - started


SECTIONS = {"page": measure_page, "ingest": measure_ingest}


def parse(argv):
    deployed = Settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--seconds", type=int, default=30, help="each measured wrk run")
    parser.add_argument("--rounds", type=int, default=4, help="runs of each gateway, alternated")
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--readers", type=int, default=1000, help="distinct readers wrk's requests come from")
    parser.add_argument("--calls", type=int, default=100_000, help="direct WSGI calls timed in one process")
    parser.add_argument("--timeout", type=float, default=deployed.GATEWAY_TIMEOUT)
    parser.add_argument("--batches", type=int, default=120)
    parser.add_argument("--batch", type=int, default=1000, help="distinct readers in one batch")
    parser.add_argument("--population", type=int, default=20_000)
    parser.add_argument("--ingest-units", type=int, default=len(demo_data.units()))
    parser.add_argument("--senders", type=int, default=deployed.GATEWAY_WORKERS,
                        help="callers sending batches at once (default: the gateway's processes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    wrk.ensure_wrk()
    enough_open_files(args.connections)
    tag = uuid.uuid4().hex[:8]
    management = RabbitManagement(args.rabbit_management)
    with tempfile.TemporaryDirectory(prefix="bench-ranking-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        vhost = urlparse(amqp_uri).path.lstrip("/")
        mongo = MongoServer(Path(workdir) / "mongo").start()
        platform = Platform(Path(workdir) / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"bench-{tag}", ELASTICSEARCH_URL="", SMTP_PORT=free_port(),
            GATEWAY_BIND=f"127.0.0.1:{free_port()}", PLATFORM_ADMIN_TOKEN=f"bench-{tag}"))
        platform.env["PUBLIC_URL"] = platform.url
        settings = Settings.from_mapping(platform.env)
        bench = Bench(platform, settings, demo_data.units()[0]["slug"], mongo.uri, mongo.process.pid, management,
                      vhost)
        try:
            platform.start(log=lambda message: print(message, flush=True))
            demo_data.load(settings.as_nameko_config(), settings.PLATFORM_ADMIN_USER, history=False,
                           only=demo_data.units()[:1], log=lambda message: print(message, flush=True))
            wait_until(lambda: at_rest(management, vhost), 600, "the platform at rest")
            # Each section measures what it names against its own baseline, on the platform started
            # above; a third one joins SECTIONS (after ingest, it finds today's visits counted).
            for name in args.sections:
                SECTIONS[name](args, bench)
        finally:
            for server in bench.servers:
                server.stop()
            platform.stop(log=lambda message: print(message, flush=True))
            mongo.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
