"""How fast a unit's news reads through RPC with a province's worth of articles.

    .venv/bin/python -m tests.benchmarks.bench_content [--articles 1000000] [--units N] [--queries 200]

Starts its own MongoDB stand-in (SecantusDB) in a temporary directory unless --mongo-uri is
given; bulk-loads the generated articles straight into a fresh content database (skewed: the
province and the districts publish far more than a commune; five years of dates) and builds the
service's indexes over them; makes a throwaway RabbitMQ vhost and runs the real content service
in it as a `nameko run` subprocess (deploy/launcher.py's code), so the service has its own
process and eventlet hub as deployed and the figures include the hop through RabbitMQ; creates
the province's real units (deploy/demo/units_thua_thien_hue.json) through RPC; then times,
through one long-lived ClusterRpcProxy, a bare RPC (`get_unit`, the baseline),
`latest_articles(unit, 20)` and `articles_on_date(unit, day)` for the smallest, the median and
the biggest unit, and the portal's home page (`latest_articles(None, 10)`). Last it prints the
explain() plans of the queries behind them, run through the store's own code, and says which
figures the stand-in, not the code, bounds. The service's sweep is held off while measuring
(--sweep-interval) and timed on its own: on the stand-in one of its queries stalls all others.
Output is printed as it comes.
tests/benchmarks/README.md says how to read the output.

The article generator and the explain() helpers are shared with tests/content/test_indexes.py.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from pymongo import MongoClient, monitoring

from deploy.launcher import Platform
from tests.drive import acting
from tests.servers import MongoServer, project_root, rabbitmq_vhost

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.content.dependencies import Content
    from services.content.text import slugify

UNITS_FILE = project_root() / "deploy" / "demo" / "units_thua_thien_hue.json"
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = "admin"  # the platform administrator the content service keeps in place (Settings.PLATFORM_ADMIN_USER)
YEARS = 5
PAGE = 20
HOME_PAGE = 10  # gateway/resources/pages.py LATEST_ON_HOME

# How much more a unit of each level publishes than a commune; each unit also gets a random
# factor, so sizes within a level differ too, as they do between real sites.
LEVEL_WEIGHT = {"tinh": 12.0, "huyen": 4.0, "so-nganh": 3.0, "xa": 1.0}
# Most of a live site's articles are published; the rest are somewhere in the workflow.
STATUSES = {"published": 90, "draft": 4, "submitted": 1, "approved": 1, "unpublished": 2, "archived": 2}
ONCE_PUBLISHED = {"published", "unpublished", "archived"}
CATEGORIES = ("tin-hoat-dong", "chinh-tri", "kinh-te", "van-hoa-xa-hoi", "thong-bao", None)
TAGS = ("chuyển đổi số", "cải cách hành chính", "nông thôn mới", "du lịch", "giáo dục", "y tế",
        "quốc phòng - an ninh", "phòng chống thiên tai")
TOPICS = ("Triển khai nhiệm vụ chuyển đổi số", "Hội nghị tổng kết công tác năm", "Ra quân vệ sinh môi trường",
          "Tiếp công dân định kỳ", "Kỳ họp Hội đồng nhân dân", "Phòng chống lụt bão", "Tuyển sinh đầu cấp",
          "Tiêm chủng mở rộng", "Hỗ trợ hộ nghèo đón Tết", "Cải cách thủ tục hành chính")
PARAGRAPH = ("<p>Ủy ban nhân dân đã tổ chức hội nghị triển khai nhiệm vụ, thống nhất giải pháp giảm thời gian "
             "giải quyết thủ tục hành chính, tăng tỷ lệ hồ sơ nộp trực tuyến và cập nhật thông tin kịp thời.</p>")


# Generated articles, shaped as services/content/articles/store.py writes them

def unit_weights(units: Sequence[dict], rng: random.Random) -> list[float]:
    return [LEVEL_WEIGHT.get(unit["level"], 1.0) * rng.lognormvariate(0, 0.6) for unit in units]


def generated_articles(units: Sequence[str], weights: Sequence[float], count: int, *, until: datetime,
                       seed: int = 2018, body_bytes: int = 2000) -> Iterator[dict]:
    """`count` article documents as Articles.create/_write leave them, written over the YEARS before `until`.

    Articles waiting to be published are scheduled after `until`, so the service's sweep leaves them alone.
    """
    rng = random.Random(seed)
    cumulative_weights = list(itertools.accumulate(weights))
    status_names, status_weights = list(STATUSES), list(itertools.accumulate(STATUSES.values()))
    span = timedelta(days=365 * YEARS).total_seconds()
    body = PARAGRAPH * max(1, round(body_bytes / len(PARAGRAPH.encode())))
    slugs = {topic: slugify(topic) for topic in TOPICS}
    for number in range(count):
        unit = rng.choices(units, cum_weights=cumulative_weights)[0]
        status = rng.choices(status_names, cum_weights=status_weights)[0]
        topic = rng.choice(TOPICS)
        written = until - timedelta(seconds=rng.random() * span)
        yield {
            "_id": f"{rng.getrandbits(128):032x}", "unit": unit, "slug": f"{slugs[topic]}-{number}",
            "title": f"{topic} ({number})", "summary": f"{topic}: kết quả và nhiệm vụ thời gian tới.",
            "body_html": body, "category": rng.choice(CATEGORIES), "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "featured": rng.random() < 0.02, "cover": None, "author": "bien-tap", "author_name": "Ban biên tập",
            "status": status, "version": 5 if status in ONCE_PUBLISHED else 2, "created_by": "bien-tap",
            "created_at": written, "updated_at": written + timedelta(seconds=rng.random() * 3600),
            "published_at": written if status in ONCE_PUBLISHED else None,
            "publish_at": until + timedelta(days=rng.randint(1, 30)) if status == "approved" else None,
            "unpublish_at": None, "royalty_points": None,
        }


# Query plans: explain() of exactly the commands the code sent

INDEX_STAGES = frozenset({"IXSCAN", "EXPRESS_IXSCAN", "COUNT_SCAN", "DISTINCT_SCAN", "IDHACK"})


class QueryRecorder(monitoring.CommandListener):
    """Keeps the reads a client sends to one collection, so explain() runs the very query the store built."""

    READS = ("find", "aggregate")
    SESSION_FIELDS = ("lsid", "txnNumber", "autocommit", "startTransaction", "readConcern")

    def __init__(self, collection: str = "articles"):
        self.collection = collection
        self.commands: list[dict] = []

    def started(self, event):
        if event.command_name in self.READS and event.command.get(event.command_name) == self.collection:
            self.commands.append({key: value for key, value in event.command.items()
                                  if not key.startswith("$") and key not in self.SESSION_FIELDS})

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass

    def take(self) -> list[dict]:
        """The commands recorded since the last take, oldest first."""
        commands, self.commands = self.commands, []
        return commands


@dataclass
class Plan:
    """What explain() says a query does: its stages from the top, the indexes it walks, what it read."""
    stages: list[str]
    indexes: list[str]
    keys_examined: int
    docs_examined: int
    returned: int

    @property
    def uses_index(self) -> bool:
        return "COLLSCAN" not in self.stages and any(stage in INDEX_STAGES for stage in self.stages)

    def __str__(self):
        walk = " → ".join(self.stages)
        indexes = f" on {', '.join(self.indexes)}" if self.indexes else ""
        return (f"{walk}{indexes}; keys examined {self.keys_examined:,}, documents examined "
                f"{self.docs_examined:,}, returned {self.returned:,}")


def explain(database, command: dict) -> Plan:
    return plan_of(database.command({"explain": command, "verbosity": "executionStats"}))


def plan_of(explanation: dict) -> Plan:
    # An aggregation's explain() nests the query under its first stage ($cursor).
    source = explanation if "queryPlanner" in explanation else explanation["stages"][0]["$cursor"]
    plan = source["queryPlanner"]["winningPlan"]
    stages = _stages(plan.get("queryPlan", plan))  # MongoDB's slot-based engine nests the classic plan
    stats = source.get("executionStats") or explanation.get("executionStats", {})
    return Plan(stages=[stage["stage"] for stage in stages],
                indexes=[stage["indexName"] for stage in stages if "indexName" in stage],
                keys_examined=stats.get("totalKeysExamined", 0),
                docs_examined=stats.get("totalDocsExamined", 0),
                returned=stats.get("nReturned", 0))


def _stages(node: dict) -> list[dict]:
    children = node.get("inputStages", []) + ([node["inputStage"]] if "inputStage" in node else [])
    return [node, *(stage for child in children for stage in _stages(child))]


# Timing

@dataclass
class Series:
    label: str
    unit: str
    samples: list[float]  # milliseconds
    error: str = ""  # why the series stopped, if a call failed

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]

    def row(self, baseline: float) -> str:
        start = f"{self.label:<30} {self.unit:<34} {len(self.samples):>5}"
        if not self.samples:
            return f"{start}   failed: {self.error}"
        p50 = statistics.median(self.samples)
        failed = f"   then failed: {self.error}" if self.error else ""
        return (f"{start} {p50:>8.1f} {self.percentile(0.95):>8.1f} {self.percentile(0.99):>8.1f} "
                f"{max(self.samples):>8.1f} {p50 / baseline:>8.1f}×{failed}")


def timed(label: str, unit: str, call: Callable, arguments: Iterable[tuple], count: int, seconds: float,
          warm_up: int = 3) -> Series:
    """Up to `count` timed calls (after a few untimed ones), stopping early after `seconds` or at an error."""
    series = Series(label, unit, [])
    arguments = iter(arguments)
    deadline = time.monotonic() + seconds
    try:
        for args in itertools.islice(arguments, warm_up):
            call(*args)
        for args in itertools.islice(arguments, count):
            started = time.perf_counter()
            call(*args)
            series.samples.append((time.perf_counter() - started) * 1000)
            if time.monotonic() > deadline:
                break
    except Exception as error:  # e.g. the RPC timed out or the server refused the query: report it, go on
        series.error = f"{type(error).__name__}: {str(error)[:200]}"
    return series


# The servers: the MongoDB stand-in, a RabbitMQ vhost of its own, the content service

@contextmanager
def mongodb(uri: str | None, directory: Path):
    if uri:
        yield uri
        return
    server = MongoServer(directory).start()
    try:
        yield server.uri
    finally:
        server.stop()


@contextmanager
def content_service(run_dir: Path, start_timeout: float, **settings):
    platform = Platform(run_dir, env=settings)
    for directory in (platform.pid_dir, platform.log_dir):
        directory.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    platform.start_service("content")
    try:
        try:
            platform.wait_for_service("content", timeout=start_timeout)
            print(f"Content service up after {time.monotonic() - started:,.0f} s (nameko run)", flush=True)
        except RuntimeError:
            sys.stderr.write((platform.log_dir / "content.log").read_text()[-3000:])
            raise
        yield
    finally:
        platform.stop_process("content")


# The scenario

def load_units(limit: int | None) -> tuple[list[dict], list[dict]]:
    data = json.loads(UNITS_FILE.read_text())
    order = [level["slug"] for level in data["levels"]]
    units = sorted(data["units"], key=lambda unit: order.index(unit["level"]))  # parents before children
    return data["levels"], units[:limit]


def create_tree(content, levels: list[dict], units: list[dict]):
    for order, level in enumerate(levels):
        content.create_level(acting(ADMIN), {"slug": level["slug"], "name": level["name"], "order": order})
    for unit in units:
        content.create_unit(acting(ADMIN), {key: unit[key] for key in ("slug", "name", "name_en", "level", "parent")
                                    if unit.get(key)})


def insert_articles(collection, articles: Iterator[dict], count: int, batch: int) -> Counter:
    """Inserts in batches, printing progress; returns how many published articles each unit got."""
    published: Counter = Counter()
    started = last_report = time.monotonic()
    done = 0
    while chunk := list(itertools.islice(articles, batch)):
        collection.insert_many(chunk, ordered=False)
        published.update(doc["unit"] for doc in chunk if doc["status"] == "published")
        done += len(chunk)
        if time.monotonic() - last_report > 10 or done == count:
            elapsed = time.monotonic() - started
            rate = done / elapsed
            print(f"  inserted {done:>9,} / {count:,}  {rate:,.0f}/s  "
                  f"{elapsed:,.0f} s, about {(count - done) / rate:,.0f} s to go", flush=True)
            last_report = time.monotonic()
    return published


def count_published(database) -> Counter:
    """How many published articles each unit has, in a database an earlier run loaded (--database, --keep)."""
    pipeline = [{"$match": {"status": "published"}}, {"$group": {"_id": "$unit", "n": {"$sum": 1}}}]
    return Counter({group["_id"]: group["n"] for group in database["articles"].aggregate(pipeline)})


def sample_units(published: Counter) -> list[tuple[str, str]]:
    """The smallest, the median and the biggest unit by published articles, with a label each."""
    by_size = sorted(published, key=lambda unit: (published[unit], unit))
    return [("smallest", by_size[0]), ("median", by_size[len(by_size) // 2]), ("biggest", by_size[-1])]


def random_days(rng: random.Random, until: datetime) -> Iterator[date]:
    first = (until - timedelta(days=365 * YEARS)).astimezone(LOCAL_TIME).date()
    while True:
        yield first + timedelta(days=rng.randrange(365 * YEARS))


HEADER = (f"{'RPC':<30} {'unit (published articles)':<34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}"
          f" {'p50/bare':>9}   (milliseconds)")


def measure_units(rpc, published: Counter, args, until: datetime):
    """The bare RPC first (every ratio is to it), then both reads for the smallest, median and biggest unit."""
    rng = random.Random(args.seed)
    count, seconds = args.queries, args.seconds_per_series
    picks = sample_units(published)
    median_unit = picks[1][1]
    print(HEADER)
    bare = timed("get_unit (bare RPC)", median_unit, rpc.get_unit, itertools.repeat((median_unit,)), count, seconds)
    baseline = statistics.median(bare.samples)  # without it nothing below means much: let an error stop the run
    print(bare.row(baseline), flush=True)
    for name, unit in picks:
        label = f"{name} {unit} ({published[unit]:,})"
        latest = timed(f"latest_articles(unit, {PAGE})", label, rpc.latest_articles,
                       itertools.repeat((unit, PAGE)), count, seconds)
        print(latest.row(baseline), flush=True)
        days = ((unit, day.isoformat()) for day in random_days(rng, until))
        print(timed("articles_on_date(unit, day)", label, rpc.articles_on_date, days, count, seconds).row(baseline),
              flush=True)
    return baseline


def measure_home_page(rpc, published: Counter, args, baseline: float):
    everyone = f"all units ({sum(published.values()):,})"
    home = timed(f"latest_articles(None, {HOME_PAGE})", everyone, rpc.latest_articles,
                 itertools.repeat((None, HOME_PAGE)), args.home_queries, args.seconds_per_series, warm_up=0)
    print(home.row(baseline), flush=True)


def plans_of(database, recorder: QueryRecorder, read: Callable) -> list[Plan]:
    """The plans of the queries `read` sends through the store's own code: the find, then the count if any."""
    recorder.take()
    read()
    return [explain(database, command) for command in recorder.take()]


def print_plans(call: str, plans: list[Plan]):
    print(f"  {call}")
    for kind, plan in zip(("find", "count for 'total'"), plans, strict=False):
        print(f"    {kind:<18} {plan}")


def explain_unit_reads(database, recorder: QueryRecorder, unit: str, published: Counter):
    articles = Content(database).articles
    print(f"\nQuery plans for the biggest unit, {unit} ({published[unit]:,} published articles):")
    latest = plans_of(database, recorder, lambda: articles.latest(unit, PAGE))
    print_plans(f"latest_articles({unit!r}, {PAGE})", latest)
    newest = articles.latest(unit, 1)["articles"][0]["published_at"]
    day = datetime.fromisoformat(newest).astimezone(LOCAL_TIME).date()  # a day the unit did publish on
    on_date = plans_of(database, recorder, lambda: articles.on_date(unit, day))
    print_plans(f"articles_on_date({unit!r}, {day.isoformat()!r})", on_date)
    find = latest[0]
    print("\nReading the figures:")
    if "SORT" in find.stages and find.keys_examined > PAGE:
        print(f"- latest_articles: the stand-in walks {find.indexes[0]} for {unit} but reads all "
              f"{find.keys_examined:,} keys and sorts them to keep {PAGE}: SecantusDB's sort never uses index order "
              f"(stack.md). MongoDB walks the same index in order and stops after {PAGE} keys. So latest_articles "
              "grows with the unit here, and that growth is the stand-in's, not the code's: on MongoDB its find costs "
              "about what articles_on_date costs (a bounded index walk), plus the count below.")
    print(f"- latest_articles also counts the unit's published articles for 'total' ({latest[1].keys_examined:,} "
          "keys, documents fetched too, here); MongoDB counts them with a COUNT_SCAN of the same keys without the "
          "documents: cheaper, but it still grows with the unit.")
    print(f"- articles_on_date: the date range bounds the index walk ({on_date[0].keys_examined:,} keys for "
          f"{on_date[0].returned:,} articles): one RPC plus one bounded index range, on either server.", flush=True)


def explain_home_page(database, recorder: QueryRecorder):
    articles = Content(database).articles
    try:
        plans = plans_of(database, recorder, lambda: articles.latest(None, HOME_PAGE))
    except Exception as error:  # minutes into the slowest query: keep the run going to the sweep's figures
        print(f"  latest_articles(None, {HOME_PAGE}): failed: {type(error).__name__}: {str(error)[:200]}")
        return
    print_plans(f"latest_articles(None, {HOME_PAGE}), the portal's home page", plans)
    print(f"- The home page: the stand-in reads {plans[0].keys_examined:,} keys to sort them; MongoDB would read "
          f"{HOME_PAGE}. But the count for 'total' walks every published article ({plans[1].keys_examined:,} keys) "
          "on every home page, on MongoDB too: that cost is the code's.")


def time_the_sweep(database, recorder: QueryRecorder, interval: float):
    """Times the queries the service's sweep sends every SWEEP_INTERVAL: what is due to publish or unpublish."""
    recorder.take()
    Content(database).articles.run_schedule()
    print(f"\nThe service's sweep, every {interval:g} s during the measurements (SWEEP_INTERVAL, 1 s by default):")
    slowest = 0.0
    for command in recorder.take():
        started = time.perf_counter()
        database.command(command)
        took = (time.perf_counter() - started) * 1000
        slowest = max(slowest, took)
        print(f"  {json.dumps(command['filter'], default=str)}\n    {took:,.1f} ms; {explain(database, command)}")
    if slowest > 100:
        print("- One due-query takes far longer than its plan says: `unpublish_at: {$lte: now}` has no lower bound, "
              "and the stand-in walks the null unpublish_at of every published article (explain() counts no keys); "
              "MongoDB's bounds skip the nulls. Every SWEEP_INTERVAL it holds up every other query; with a lower "
              "bound it takes milliseconds.", flush=True)


def load_articles(database, units: list[dict], args, until: datetime) -> Counter:
    """Bulk-loads the articles, then builds the service's indexes over them, as a restore would: the stand-in
    inserts ~8× slower into a collection that already carries the articles' ten indexes."""
    weights = unit_weights(units, random.Random(args.seed))
    articles = generated_articles([unit["slug"] for unit in units], weights, args.articles, until=until,
                                  seed=args.seed, body_bytes=args.body_bytes)
    started = time.monotonic()
    published = insert_articles(database["articles"], articles, args.articles, args.batch)
    elapsed = time.monotonic() - started
    print(f"Inserted {args.articles:,} articles ({sum(published.values()):,} published) in {elapsed:,.0f} s: "
          f"{args.articles / elapsed:,.0f}/s", flush=True)
    started = time.monotonic()
    Content(database).ensure_indexes()
    print(f"Built the content service's indexes over them in {time.monotonic() - started:,.0f} s", flush=True)
    return published


def load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=None, help="the first N of the province's units (default all)")
    parser.add_argument("--queries", type=int, default=200, help="timed calls per RPC and unit")
    parser.add_argument("--home-queries", type=int, default=3,
                        help="timed calls of the home page's latest articles across all units (0: skip)")
    parser.add_argument("--seconds-per-series", type=float, default=120, help="stop a series early after this long")
    parser.add_argument("--sweep-interval", type=float, default=3600,
                        help="the service's SWEEP_INTERVAL while measuring; the sweep is timed on its own at the end")
    parser.add_argument("--batch", type=int, default=1000, help="articles per insert_many")
    parser.add_argument("--body-bytes", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--mongo-uri", default=None, help="use this server (the database is dropped unless --keep)")
    parser.add_argument("--database", default=None,
                        help="the content database; one already holding articles is measured without loading")
    parser.add_argument("--keep", action="store_true", help="keep the database on the --mongo-uri server")
    parser.add_argument("--start-timeout", type=float, default=3600,
                        help="seconds to wait for the service; on the stand-in it may wait behind a big index build")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    parser.add_argument("--rpc-timeout", type=float, default=600)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    levels, units = load_units(args.units)
    database_name = args.database or f"bench_content_{uuid.uuid4().hex[:8]}"
    recorder = QueryRecorder()
    until = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="bench-content-") as workdir, \
            mongodb(args.mongo_uri, Path(workdir) / "mongo") as mongo_uri, \
            MongoClient(mongo_uri, tz_aware=True, event_listeners=[recorder]) as client:
        database = client[database_name]
        print(f"Content read path: {args.articles:,} articles across {len(units)} units; MongoDB "
              f"{client.server_info().get('version')} at {mongo_uri} "
              f"({'given' if args.mongo_uri else 'SecantusDB stand-in'}); {load_average()}", flush=True)
        try:
            if database["articles"].find_one({}, {"_id": 1}) is None:
                published = load_articles(database, units, args, until)
            else:
                published = count_published(database)
                print(f"Measuring the {sum(published.values()):,} published articles already in {database_name}")
            with rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri, \
                    content_service(Path(workdir), args.start_timeout, AMQP_URI=amqp_uri, MONGO_URI=mongo_uri,
                                    CONTENT_DB=database_name, SWEEP_INTERVAL=args.sweep_interval), \
                    ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=args.rpc_timeout) as rpc:
                if database["units"].find_one({}, {"_id": 1}) is None:
                    create_tree(rpc.content, levels, units)
                print(f"RPC through vhost {amqp_uri.rsplit('/', 1)[1]}; {load_average()}\n", flush=True)
                baseline = measure_units(rpc.content, published, args, until)
                if args.home_queries:
                    measure_home_page(rpc.content, published, args, baseline)
                print(f"({load_average()})", flush=True)
            explain_unit_reads(database, recorder, sample_units(published)[-1][1], published)
            if args.home_queries:
                explain_home_page(database, recorder)
            time_the_sweep(database, recorder, args.sweep_interval)
            print("- Client, service and stand-in share this machine's cores (see the load averages above); the "
                  "bare RPC row is the floor every call pays.")
        finally:
            if args.mongo_uri and not args.keep:
                client.drop_database(database_name)


if __name__ == "__main__":
    sys.exit(main())
