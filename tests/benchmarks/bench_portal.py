"""The portal's pages under load, next to a bare Falcon endpoint on the same gunicorn settings.

    .venv/bin/python -m tests.benchmarks.bench_portal            # about 2 minutes

Starts the whole platform as `make run` does (deploy.launcher: the four services and gunicorn
with deploy/gunicorn.conf.py) on a throwaway RabbitMQ vhost and its own MongoDB stand-in,
creates a few of Thừa Thiên Huế's units and publishes articles through the JSON API; starts a
second gunicorn, same settings, serving tests/benchmarks/bare_app.py; then, with wrk (Debian's
package `wrk`, installed if missing), after a warm-up run that is not counted, loads for
`--seconds` each at `--connections`: the bare endpoint, a unit's home page, an article page and
the portal home, and prints requests/s and p50/p99
latency with each page's ratio to the bare endpoint. Last, it publishes `--publishes` articles
one by one and times how long each takes to show on the unit's home page (publish-to-visible:
the event reaching the gateway and the cached page being made stale).

Goals (issue 4): at least half the bare endpoint's throughput, p99 under 50 ms at 32 connections,
a published change visible within 2 s.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import requests

from deploy.launcher import BIN, ROOT, Platform, wait_until
from tests.benchmarks.bench_content import load_average, load_units, rabbitmq_vhost
from tests.servers import MongoServer, free_port

UNITS = 6  # the province and the first departments: enough for a portal home and a unit's pages
ARTICLES = 30
WARM_UP_SECONDS = 3
UNIT_SCALE = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def ensure_wrk():
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)


def measured(url: str, seconds: int, connections: int, threads: int) -> dict:
    """wrk on `url` after a warm-up run of WARM_UP_SECONDS that is not counted: each gunicorn
    worker fills its own page cache on its first requests (the steady state is a warm cache;
    a cold page costs its render and its RPCs, as the first render after a change does)."""
    wrk(url, WARM_UP_SECONDS, connections, threads)
    return wrk(url, seconds, connections, threads)


def wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    """requests/s and latency percentiles (seconds) of one wrk run."""
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         check=True, capture_output=True, text=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE):
        figures[f"p{percent}"] = float(value) * UNIT_SCALE[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(errors.group(1)) if errors else 0
    return figures


def row(label: str, figures: dict, bare: dict) -> str:
    return (f"{label:<34} {figures['rps']:>9.0f} {1000 * figures['p50']:>8.1f} {1000 * figures['p99']:>8.1f} "
            f"{figures['rps'] / bare['rps']:>9.2f} {figures['non_2xx']:>7}")


def publish(api: requests.Session, url: str, unit: str, title: str) -> dict:
    created = api.post(f"{url}/api/units/{unit}/articles", json={
        "title": title, "summary": "Tóm tắt tin", "body_html": "<p>" + "Nội dung bài viết. " * 200 + "</p>"})
    created.raise_for_status()
    article = created.json()
    published = api.post(f"{url}/api/articles/{article['id']}/force_publish",
                         json={"version": article["version"], "comment": "Đăng ngay"})
    published.raise_for_status()
    return published.json()


def publish_to_visible(api: requests.Session, url: str, unit: str, count: int) -> list[float]:
    waits = []
    reader = requests.Session()
    for i in range(count):
        title = f"Tin đo thời gian {uuid.uuid4().hex[:8]}"
        publish(api, url, unit, title)
        started = time.monotonic()
        while title not in reader.get(f"{url}/{unit}", timeout=30).text:
            if time.monotonic() - started > 30:
                raise RuntimeError(f"{title!r} not on /{unit} after 30 s")
            time.sleep(0.005)
        waits.append(time.monotonic() - started)
    return waits


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15, help="each wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help=(
        "gunicorn workers, for both: wrk's keep-alive connections stay with whichever worker accepted "
        "them, often most with one, so with several a run measures that luck as much as the code"))
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    ensure_wrk()
    levels, units = load_units(UNITS)
    tag = uuid.uuid4().hex[:8]
    token = f"bench-{tag}"
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        mongo = MongoServer(Path(workdir) / "mongo").start()
        port, bare_port = free_port(), free_port()
        platform = Platform(Path(workdir) / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"bench-{tag}", ELASTICSEARCH_URL="", SMTP_PORT=free_port(),
            GATEWAY_BIND=f"127.0.0.1:{port}", PUBLIC_URL=f"http://127.0.0.1:{port}", PLATFORM_ADMIN_TOKEN=token,
            GATEWAY_WORKERS=args.workers))
        bare = None
        try:
            platform.start(log=lambda message: print(message, flush=True))
            bare = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--access-logfile", "-",
                 "tests.benchmarks.bare_app:app"],
                cwd=ROOT, env={**platform.env, "GATEWAY_BIND": f"127.0.0.1:{bare_port}"},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            wait_until(lambda: _answers(f"http://127.0.0.1:{bare_port}/"), 30, "the bare endpoint")

            url = platform.url
            api = requests.Session()
            api.headers["Authorization"] = f"Bearer {token}"
            for order, level in enumerate(levels):
                api.post(f"{url}/api/levels", json={"slug": level["slug"], "name": level["name"],
                                                    "order": order}).raise_for_status()
            for unit in units:
                api.post(f"{url}/api/units", json={key: unit[key] for key in ("slug", "name", "level", "parent")
                                                   if unit.get(key)}).raise_for_status()
            unit = units[0]["slug"]
            articles = [publish(api, url, unit, f"Tin số {i} của {units[0]['name']}") for i in range(ARTICLES)]
            article = articles[len(articles) // 2]
            # Measure a platform at rest: wait until the services have taken in what was just published.
            wait_until(lambda: requests.get(f"{url}/api/search", params={"q": units[0]["name"], "unit": unit},
                                            timeout=30).json()["total"] >= ARTICLES, 120, "the articles searchable")
            print(f"{len(units)} units, {ARTICLES} articles in {unit}; gunicorn: "
                  f"{platform.env['GATEWAY_WORKERS']} worker(s) × {platform.env.get('GATEWAY_THREADS', '8')} "
                  f"threads (deploy/gunicorn.conf.py) for both; wrk {args.threads} threads, {args.connections} "
                  f"connections, {args.seconds} s per run; {load_average()}\n", flush=True)
            print(f"{'':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>9} {'non-2xx':>7}")
            baseline = measured(f"http://127.0.0.1:{bare_port}/", args.seconds, args.connections, args.threads)
            print(row("bare Falcon endpoint", baseline, baseline), flush=True)
            results = {}
            for label, path in (("unit home /" + unit, f"/{unit}"), ("article page", article["path"]),
                                ("portal home /", "/")):
                results[label] = measured(url + path, args.seconds, args.connections, args.threads)
                print(row(label, results[label], baseline), flush=True)
            print(f"  ({load_average()})\n", flush=True)

            waits = publish_to_visible(api, url, unit, args.publishes)
            print(f"Publish-to-visible on the unit's home page over {len(waits)} articles: "
                  f"p50 {1000 * statistics.median(waits):.0f} ms, max {1000 * max(waits):.0f} ms", flush=True)
            for label, figures in results.items():
                throughput = "met" if figures["rps"] >= baseline["rps"] / 2 else "NOT met"
                latency = "met" if figures["p99"] < 0.050 else "NOT met"
                print(f"{label}: half the bare throughput {throughput}; p99 < 50 ms {latency}")
            print(f"published change visible within 2 s: {'met' if max(waits) < 2 else 'NOT met'}")
        finally:
            if bare is not None:
                bare.terminate()
                bare.wait(timeout=15)
            platform.stop(log=lambda message: print(message, flush=True))
            mongo.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
