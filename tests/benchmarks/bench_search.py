"""How fast search answers with a province's worth of news, and how soon a published article is found.

    .venv/bin/python -m tests.benchmarks.bench_search [--articles 100000] [--queries 2000] [--clients 4]

Starts the whole platform (deploy/launcher.py's Platform: the four services as `nameko run`
processes and the gateway under gunicorn) in a temporary directory, on a throwaway RabbitMQ
vhost, its own SecantusDB, SMTP catcher, gateway port and embedded search index. Creates the
province's levels and units through the content RPCs (as the platform admin), then feeds the
search service generated articles of every unit straight as `article_published` contract events
(as the content service's replay would) and waits until the search RPC counts them all. Then:

1. a realistic query mix (accents or none, abbreviations, phrases, unit names, document numbers,
   filters) from --clients threads, through the gateway's JSON endpoint GET /api/search (one
   requests.Session per thread) and through the search RPC alone (one ClusterRpcProxy per
   thread), with GET /healthz in the same run as the bare-gateway baseline: p50/p95/p99/max and
   queries/s, and each series' ratio to the baseline;
2. publish-to-searchable: --publishes articles created and published through the content RPCs;
   the clock runs from the publish RPC returning until the search RPC finds the article (polled
   every 5 ms).

Goals (the search issue): p99 under 25 ms at the JSON endpoint; publish-to-searchable p99 under 1 s.
Output is printed as it comes; tests/benchmarks/README_search.md says how to read it.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests

from deploy.launcher import Platform
from tests.benchmarks.bench_content import ADMIN, create_tree, load_average, load_units, unit_weights
from tests.drive import acting
from tests.servers import MongoServer, free_port, rabbitmq_vhost

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common.events import ArticlePublished, ArticleSnapshot, utcnow
    from tests.drive import EventSender

YEARS = 5
POLL_SECONDS = 0.005
# A word every generated article carries, so one search counts them all while loading.
EVERY_ARTICLE = "Thừa Thiên Huế"

# Generated news: a topic, where it happened and a body drawn from a pool of paragraphs, so
# words are shared as in real news (some in almost every article, most in few).
TOPICS = ("Triển khai nhiệm vụ chuyển đổi số", "Hội nghị tổng kết công tác năm", "Ra quân vệ sinh môi trường",
          "Tiếp công dân định kỳ", "Kỳ họp Hội đồng nhân dân", "Phòng chống lụt bão", "Tuyển sinh đầu cấp",
          "Tiêm chủng mở rộng", "Hỗ trợ hộ nghèo đón Tết", "Cải cách thủ tục hành chính",
          "Nâng cấp trang thông tin điện tử", "Hướng dẫn dịch vụ công trực tuyến", "Tuyển dụng công chức, viên chức",
          "Bảo đảm an toàn giao thông", "Xây dựng nông thôn mới", "Phòng cháy chữa cháy khu dân cư",
          "Kiểm tra an toàn thực phẩm", "Vận động tham gia bảo hiểm xã hội", "Festival Huế và du lịch cộng đồng",
          "Giải phóng mặt bằng dự án giao thông", "Đại hội Mặt trận Tổ quốc", "Trồng cây xanh đô thị")
PLACES = ("tại hội trường", "ở các thôn, tổ dân phố", "dọc sông Hương", "tại trường học", "tại chợ",
          "ở vùng trũng thấp", "tại bộ phận một cửa", "trên địa bàn")
PARAGRAPHS = (
    "Ủy ban nhân dân {unit} tổ chức hội nghị triển khai nhiệm vụ, thống nhất giải pháp và phân công thực hiện.",
    "Người dân có thể nộp hồ sơ thủ tục hành chính qua dịch vụ công trực tuyến, theo dõi kết quả trên điện thoại.",
    "Trang thông tin điện tử của đơn vị cập nhật tin tức, văn bản và lịch công tác hằng tuần.",
    "Lãnh đạo yêu cầu các phòng, ban chuyên môn phối hợp chặt chẽ, báo cáo kết quả trước ngày 25 hằng tháng.",
    "Đoàn thanh niên, hội phụ nữ và hội nông dân cùng tham gia, vận động người dân hưởng ứng.",
    "Kinh phí thực hiện từ ngân sách địa phương và nguồn xã hội hóa, bảo đảm công khai, minh bạch.",
    "Theo Quyết định {number}, các đơn vị rà soát và hoàn thành trong quý.",
    "Công tác phòng chống thiên tai, tìm kiếm cứu nạn được chuẩn bị theo phương châm bốn tại chỗ.",
)
CATEGORIES = ("tin-hoat-dong", "chinh-tri", "kinh-te", "van-hoa-xa-hoi", "thong-bao", None)

# What people type (tests/search/judged/queries.json has the same kinds, judged): query, filters.
QUERY_MIX: tuple[tuple[str, dict], ...] = (
    ("chuyển đổi số", {}), ("chuyen doi so", {}), ("CĐS", {}),
    ("trang thông tin điện tử", {}), ("trang thong tin dien tu", {}), ("TTĐT", {}),
    ("dịch vụ công trực tuyến", {}), ("dvc truc tuyen", {}), ("thủ tục hành chính", {}), ("TTHC", {}),
    ("UBND", {}), ("hội đồng nhân dân", {}), ("HĐND kỳ họp", {}), ("tuyển dụng CCVC", {}),
    ("phòng chống lụt bão", {}), ("phong chong lut bao", {}), ("festival hue", {}), ("tiêm chủng", {}),
    ("nông thôn mới", {"level": "huyen"}), ("an toàn giao thông", {"level": "xa"}),
    ("tiếp công dân", {"unit": "huyen-phu-vang"}), ("phường Thủy Biều", {}), ("thuy bieu", {}),
    ("Phú Vang", {}), ("12/2026/QĐ-UBND", {}), ("quyết định 12/2026", {}),
    ("vệ sinh môi trường", {"from": "2025-01-01"}), ("bảo hiểm xã hội", {"type": "article"}),
    ("an toàn thực phẩm", {"category": "kinh-te"}), ("lich cong tac", {}),
)


def generated_articles(units: Sequence[dict], count: int, seed: int, until: datetime) -> list[ArticleSnapshot]:
    """`count` published articles of every unit (weighted by level as in bench_content), over YEARS."""
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(unit_weights(units, rng)))
    span = timedelta(days=365 * YEARS).total_seconds()
    found = []
    for number in range(count):
        unit = rng.choices(units, cum_weights=cumulative)[0]
        topic = rng.choice(TOPICS)
        at = until - timedelta(seconds=rng.random() * span)
        paragraphs = rng.sample(PARAGRAPHS, 4)
        body = "".join(f"<p>{text}</p>" for text in paragraphs).format(
            unit=unit["name"], number=f"{rng.randint(1, 60)}/{at.year}/QĐ-UBND")
        document_id = f"bench-{number}"
        found.append(ArticleSnapshot(
            id=document_id, unit=unit["slug"], unit_name=unit["name"], slug=document_id,
            title=f"{unit['name']}: {topic.lower()} {rng.choice(PLACES)}",
            summary=f"{topic} – {unit['name']}, tỉnh {EVERY_ARTICLE}.", body_html=body,
            category=rng.choice(CATEGORIES), path=f"/{unit['slug']}/tin-tuc/{document_id}",
            published_at=at, updated_at=at))
    return found


@dataclass
class Series:
    label: str
    seconds: list[float]
    wall: float  # seconds the whole series took, all clients together

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def row(self, baseline: Series | None = None) -> str:
        ms = [1000 * self.percentile(f) for f in (0.5, 0.95, 0.99)]
        ratio = f"{self.percentile(0.5) / baseline.percentile(0.5):8.1f}×" if baseline else f"{'':9}"
        return (f"{self.label:40} {len(self.seconds):6d} {ms[0]:8.2f} {ms[1]:8.2f} {ms[2]:8.2f} "
                f"{1000 * max(self.seconds):8.2f} {len(self.seconds) / self.wall:9.0f} {ratio}")


HEADER = f"{'series':40} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'queries/s':>9} p50/bare"


def timed(label: str, clients: int, count: int, make_client: Callable, call: Callable) -> Series:
    """`count` calls of `call(client, i)` spread over `clients` threads, each with its own client."""
    local = threading.local()
    made = []

    def one(i):
        if not hasattr(local, "client"):
            local.client = make_client()
            made.append(local.client)
        started = time.perf_counter()
        call(local.client, i)
        return time.perf_counter() - started

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(clients * 5)))  # warm up: connections, proxies, caches
        started = time.perf_counter()
        seconds = list(pool.map(one, range(count)))
        wall = time.perf_counter() - started
    for client in made:
        getattr(client, "close", lambda: None)()
    return Series(label, seconds, wall)


class RpcClient:
    """A long-lived ClusterRpcProxy for one thread (a standalone proxy is not thread-safe)."""

    def __init__(self, config: dict):
        self._proxy = ClusterRpcProxy(config)
        self.search = self._proxy.start().search.search

    def close(self):
        self._proxy.stop()


def asked(i: int, repeated: bool) -> tuple[str, dict]:
    """The i-th search of a series. Repeated: the mix over and over, as people ask the same
    things (the search service keeps results until the index changes). Not repeated: each
    (query, date) pair once, with "to" a day further back each round, so every search is
    answered by the engine."""
    query, filters = QUERY_MIX[i % len(QUERY_MIX)]
    if not repeated:
        filters = {**filters, "to": (date.today() - timedelta(days=i // len(QUERY_MIX))).isoformat()}
    return query, filters


def gateway_search(base_url: str, repeated: bool = True, start: int = 0):
    """`start`: where in the sequence of searches this series begins (after another's, so that
    searches asked once are not asked again)."""
    def call(session: requests.Session, i: int):
        query, filters = asked(start + i, repeated)
        response = session.get(f"{base_url}/api/search", params={"q": query, **filters}, timeout=30)
        response.raise_for_status()
    return call


def rpc_search(repeated: bool = True):
    def call(client: RpcClient, i: int):
        query, filters = asked(i, repeated)
        client.search(query, filters=filters or None)
    return call


def published(articles: list[ArticleSnapshot]) -> list[ArticlePublished]:
    return [ArticlePublished(document_id=snapshot.id, version=1, occurred_at=utcnow(), article=snapshot)
            for snapshot in articles]


def preload(index_dir: Path, index_name: str, events: list[ArticlePublished]):
    """Write the events into the embedded index before the service opens it, as a restore would,
    with the engine's own document builder and one commit: much faster than --feed events (the
    service commits events in small groups, about 180 a second here)."""
    from services.search.core import stored_fields
    from services.search.documents import entry
    from services.search.engines.embedded import DirectoryIndices, _document

    started = time.perf_counter()
    engine = DirectoryIndices(index_dir, index_name).open()
    for event in events:
        key, version, record = entry(event)
        engine._writer.add_document(_document(version, stored_fields(key, record)))
    engine._writer.commit()
    engine.close()
    print(f"Preloaded {len(events):,} articles into the index in {time.perf_counter() - started:.1f} s", flush=True)


def dispatch(config: dict, events: list[ArticlePublished], batch: int):
    """Dispatch the events to the running search service, as the content service does."""
    sender = EventSender(config)
    started = time.perf_counter()
    for start in range(0, len(events), batch):
        for event in events[start:start + batch]:
            sender.dispatch(event)
        print(f"  dispatched {min(start + batch, len(events)):,} events "
              f"({min(start + batch, len(events)) / (time.perf_counter() - started):,.0f}/s)", flush=True)


def wait_until_searchable(search, count: int):
    started, indexed, last_report = time.perf_counter(), 0, time.perf_counter()
    while indexed < count:
        time.sleep(0.5)
        indexed = search(EVERY_ARTICLE, per_page=1)["total"]
        if time.perf_counter() - last_report > 10:
            last_report = time.perf_counter()
            print(f"  searchable: {indexed:,} after {last_report - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"All {count:,} articles searchable after {elapsed:.1f} s", flush=True)


def publish_to_searchable(content, search, units: Sequence[dict], count: int, rng: random.Random) -> list[float]:
    """Seconds from each publish RPC returning until search finds that article."""
    waits = []
    for number in range(count):
        unit = rng.choice(units)
        code = f"kt{uuid.uuid4().hex[:10]}"  # one word no other article has
        article = content.create_article(acting(ADMIN), unit["slug"], {
            "title": f"Thông báo lịch tiếp công dân tháng {number % 12 + 1} {code}",
            "summary": "Lịch tiếp công dân định kỳ của lãnh đạo.", "body_html": "<p>Ủy ban nhân dân thông báo.</p>"})
        for step in ("submit", "approve"):
            article = content.move_article(acting(ADMIN), article["id"], step, {"version": article["version"]})
        content.move_article(acting(ADMIN), article["id"], "publish", {"version": article["version"]})
        published = time.perf_counter()
        deadline = published + 30
        while not search(code, per_page=1)["total"]:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"article {article['id']} not searchable 30 s after publishing")
            time.sleep(POLL_SECONDS)
        waits.append(time.perf_counter() - published)
    return waits


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000, help="timed calls per series")
    parser.add_argument("--clients", type=int, default=4, help="threads calling at once")
    parser.add_argument("--publishes", type=int, default=50, help="articles timed from publish to searchable")
    parser.add_argument("--feed", choices=("preload", "events"), default="preload",
                        help="preload: write the articles into the index before the service starts (fast); "
                             "events: dispatch them to the running service as article_published events")
    parser.add_argument("--batch", type=int, default=5000, help="events dispatched between progress lines")
    parser.add_argument("--seed", type=int, default=46)
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    levels, units = load_units(None)
    rng = random.Random(args.seed)
    tag = uuid.uuid4().hex[:8]
    print(f"Generating {args.articles:,} articles of {len(units)} units", flush=True)
    events = published(generated_articles(units, args.articles, args.seed, datetime.now(timezone.utc)))
    with tempfile.TemporaryDirectory(prefix="bench-search-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        mongo = MongoServer(Path(workdir) / "mongo").start()
        port = free_port()
        platform = Platform(Path(workdir) / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"bench-{tag}", SEARCH_INDEX_DIR=str(Path(workdir) / "index"),
            ELASTICSEARCH_URL="", SMTP_PORT=free_port(), GATEWAY_BIND=f"127.0.0.1:{port}",
            PUBLIC_URL=f"http://127.0.0.1:{port}", PLATFORM_ADMIN_TOKEN=f"bench-{tag}", RPC_TIMEOUT=30))
        try:
            if args.feed == "preload":
                preload(Path(platform.env["SEARCH_INDEX_DIR"]), platform.env["SEARCH_INDEX"], events)
            platform.start(log=lambda message: print(message, flush=True))
            config = {"AMQP_URI": amqp_uri}
            with ClusterRpcProxy(config, timeout=60) as cluster:
                create_tree(cluster.content, levels, units)
                print(f"Created {len(levels)} levels and {len(units)} units through the content RPCs", flush=True)
                if args.feed == "events":
                    dispatch(config, events, args.batch)
                wait_until_searchable(cluster.search.search, len(events))
                print(f"\n{args.queries:,} calls per series, {args.clients} clients, {len(QUERY_MIX)} queries in "
                      f"the mix; {load_average()}", flush=True)
                print(HEADER, flush=True)
                bare = timed("GET /healthz (bare gateway)", args.clients, args.queries, requests.Session,
                             lambda session, i: session.get(f"{platform.url}/healthz", timeout=30).raise_for_status())
                print(bare.row(bare), flush=True)
                for label, repeated in (("asked before", True), ("each asked once", False)):
                    rpc = timed(f"search RPC alone, {label}", args.clients, args.queries,
                                lambda: RpcClient(config), rpc_search(repeated))
                    print(rpc.row(bare), flush=True)
                    series = timed(f"GET /api/search, {label}", args.clients, args.queries, requests.Session,
                                   gateway_search(platform.url, repeated, start=args.queries))
                    print(series.row(bare), flush=True)
                    if repeated:
                        gateway = series
                print(f"  ({load_average()})", flush=True)

                waits = publish_to_searchable(cluster.content, cluster.search.search, units, args.publishes, rng)
                latency = Series("publish → searchable", waits, sum(waits))
                print(f"\nPublish-to-searchable over {len(waits)} articles: "
                      f"p50 {1000 * latency.percentile(0.5):.0f} ms, "
                      f"p95 {1000 * latency.percentile(0.95):.0f} ms, p99 {1000 * latency.percentile(0.99):.0f} ms, "
                      f"max {1000 * max(waits):.0f} ms", flush=True)
            goal = "met" if gateway.percentile(0.99) < 0.025 else "NOT met"
            print(f"\nGoal p99 < 25 ms at /api/search: {goal} ({1000 * gateway.percentile(0.99):.1f} ms)")
            goal = "met" if latency.percentile(0.99) < 1.0 else "NOT met"
            print(f"Goal publish-to-searchable p99 < 1 s: {goal}", flush=True)
        except Exception:
            log = platform.log_dir / "search.log"
            if log.exists():
                sys.stderr.write(log.read_text()[-3000:])
            raise
        finally:
            platform.stop(log=lambda message: print(message, flush=True))
            mongo.stop()


if __name__ == "__main__":
    main()
