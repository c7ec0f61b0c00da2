"""The editors' workspace timed at the server: the newsroom's scripted day over plain HTTP, beside
a bare Falcon endpoint measured in the same run.

    .venv/bin/python -m tests.benchmarks.bench_workspace                 # 1–8 minutes, as busy as the machine is
    .venv/bin/python -m tests.benchmarks.bench_workspace --rounds 20     # more samples for p99

Starts the whole platform as `make run` does (deploy.launcher: the four services and gunicorn
with deploy/gunicorn.conf.py) on a throwaway RabbitMQ vhost and its own MongoDB stand-in, loads
the demo data of a commune (Xã …, with its district and the province), gives it an author and
an editor-in-chief with passwords, and serves the bare endpoint (tests/benchmarks/bare_app.py)
under the gateway's own settings. Then, `--rounds` times, with a requests.Session per person
as a browser without JavaScript would send them (cookies kept, each form with the CSRF token
of the page it came from, redirects followed):

- the author opens the sign-in page, signs in, opens the new-article form, saves an article with
  a cover photo (its alt text and caption) in one multipart form, and sends it for review;
- the editor-in-chief signs in, opens the article, approves it and publishes it;
- then, from the dashboard, opens next week's schedule, copies last week into it, changes the
  first entry, saves the week and publishes it (each round the week after the last round's);
- a reader finds the article on the commune's home page (not timed with the rest: the page cache
  and the events; its wait is printed on its own line).

A page load is what a browser counts as one: a request and the redirects it leads to. Server
time is each request's response time at the client, on the same machine (localhost: the network
adds microseconds), summed over a role's page loads; stylesheets and scripts are not counted (a
browser keeps them). Printed: page loads and server time per role and task (the median round), each kind
of workspace request's p50 and p99 over every round, all workspace requests' p50 and p99, and the
bare endpoint's p50 and p99 over as many sequential requests (after each round, as many as it
made), with ratios.

Goals (issue 13): the first article with an image in at most 8 page loads and 2 s of server time
in all; approve and publish in at most 3 page loads; next week's schedule by "copy last week"
plus one change in at most 4.
"""
from __future__ import annotations

import argparse
import html
import io
import os
import re
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from nameko.testing.rabbit import Client as RabbitManagement
from PIL import Image

from deploy import demo_data
from deploy.launcher import Platform, wait_until
from gateway.vietnam_time import this_week
from services.common.config import Settings
from tests.benchmarks.bench_content import load_average
from tests.benchmarks.bench_portal import at_rest, gunicorn
from tests.servers import MongoServer, free_port, rabbitmq_vhost

PASSWORD = "Mat-khau-do-thoi-gian-2026"
AUTHOR, CHIEF = "bt-tac-gia", "bt-tong-bien-tap"
CSRF = re.compile(r'name="ma_bieu_mau" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ARTICLE = re.compile(r"/bai-viet/([0-9a-f]{32})\b")
SIGN_IN = "/quan-tri/dang-nhap"
GOALS = {"author": 8, "approve and publish": 3, "schedule: copy, change, publish": 4}
SERVER_SECONDS_GOAL = 2.0


@dataclass
class Person:
    """A person at the workspace with a browser without JavaScript: a session, the last page,
    the page loads made and each request's response time by kind."""

    url: str
    loads: int = 0
    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    last: requests.Response | None = None

    def __post_init__(self):
        self.session = requests.Session()

    def get(self, path: str, kind: str) -> requests.Response:
        return self.load("GET", path, kind)

    def post(self, path: str, kind: str, fields: dict | list, files: dict | None = None) -> requests.Response:
        """The form of the last page sent, with that page's CSRF token (`fields` may be pairs)."""
        pairs = [(name, value) for name, value in (fields.items() if isinstance(fields, dict) else fields)
                 if name != "ma_bieu_mau"]
        return self.load("POST", path, kind, data=pairs + [("ma_bieu_mau", self.token())], files=files)

    def load(self, method: str, path: str, kind: str, **body) -> requests.Response:
        """One page load: the request and every redirect after it, each timed."""
        self.loads += 1
        response = self._timed(method, urljoin(self.url, path), kind, **body)
        while response.status_code in (301, 302, 303):
            response = self._timed("GET", urljoin(response.url, response.headers["Location"]), kind + " →")
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code}\n{response.text[:2000]}")
        self.last = response
        return response

    def _timed(self, method: str, url: str, kind: str, **body) -> requests.Response:
        started = time.perf_counter()
        response = self.session.request(method, url, allow_redirects=False, timeout=60, **body)
        response.content  # the whole body read, as a browser would before showing the page
        took = time.perf_counter() - started
        self.seconds += took
        self.times[kind].append(took)
        return response

    def token(self) -> str:
        found = CSRF.search(self.last.text)
        if not found:
            raise RuntimeError(f"no CSRF token on {self.last.url}")
        return html.unescape(found.group(1))

    def version(self) -> str:
        return VERSION.search(self.last.text).group(1)

    def sign_in(self, username: str):
        self.get(SIGN_IN, "sign-in page")
        self.post(SIGN_IN, "sign in (POST)", {"username": username, "password": PASSWORD})


class FormFields(HTMLParser):
    """The fields a browser would send with the form whose action is `action`: inputs (a
    checkbox only when checked), text areas, and each select's chosen option."""

    def __init__(self, page: str, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.fields: list[list[str]] = []
        self._inside = False
        self._select: list | None = None
        self._textarea: list | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._inside = attrs.get("action") == self.action and attrs.get("method", "").lower() == "post"
        elif not self._inside or "name" not in attrs:
            if tag == "option" and self._select is not None and ("selected" in attrs or self._select[1] is None):
                self._select[1] = attrs.get("value", "")
        elif tag == "input" and (attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            if attrs.get("type") not in ("submit", "button", "file"):
                self.fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = [attrs["name"], None]
            self.fields.append(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def photo(seed: int) -> bytes:
    """A 1600×900 JPEG with something in it, different each round."""
    image = Image.linear_gradient("L").rotate(seed % 360).resize((1600, 900)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def one_round(url: str, unit: str, category: str, number: int) -> tuple[Person, Person, int, str]:
    """The day's article: written and sent by the author, approved and published by the editor-in-chief.
    Returns both people, the editor-in-chief's page loads before opening the article, and the title."""
    desk = f"/quan-tri/{unit}"
    title = f"Xã tổ chức ra quân làm sạch môi trường, đợt {number} {uuid.uuid4().hex[:6]}"
    author = Person(url)
    author.sign_in(AUTHOR)
    author.get(f"{desk}/bai-viet/moi", "new article form")
    author.post(f"{desk}/bai-viet/moi", "save article with image (POST)", {
        "title": title, "summary": "Người dân cùng cán bộ xã dọn vệ sinh đường làng, khơi thông cống rãnh.",
        "category": category, "tags": "môi trường, ra quân", "body_format": "markup",
        "body": "Sáng nay, hơn 200 người dân tham gia ra quân.\n\n## Kết quả\n\n- 3 km đường làng\n- 12 cống rãnh",
        "cover_alt": "Người dân dọn vệ sinh đường làng", "cover_caption": "Ảnh: UBND xã"},
        files={"cover_file": ("ra-quan.jpg", photo(number), "image/jpeg")})
    article = ARTICLE.search(author.last.url).group(1)
    author.post(f"{desk}/bai-viet/{article}/gui-duyet", "send for review (POST)", {"version": author.version()})

    chief = Person(url)
    chief.sign_in(CHIEF)
    signed_in = chief.loads
    chief.get(f"{desk}/bai-viet/{article}", "article page")
    chief.post(f"{desk}/bai-viet/{article}/duyet", "approve (POST)", {"version": chief.version()})
    chief.post(f"{desk}/bai-viet/{article}/dang", "publish (POST)", {"version": chief.version()})
    return author, chief, signed_in, title


def next_weeks_schedule(chief: Person, unit: str, week: str) -> int:
    """From the dashboard: `week`'s schedule copied from the week before, its first entry
    changed, saved and published. Returns the page loads it took."""
    before = chief.loads
    grid = f"/quan-tri/{unit}/lich-cong-tac/{week}"
    chief.get(grid, "schedule week")
    chief.post(f"{grid}/sao-chep", "copy last week (POST)", {"version": ""})
    fields = FormFields(chief.last.text, grid).fields
    title = next(field for field in fields if field[0].endswith(".title") and field[1].strip())
    title[1] = title[1].strip() + " (đổi giờ)"
    chief.post(grid, "save the week (POST)", fields)
    chief.post(f"{grid}/dang", "publish the week (POST)", {"version": chief.version()})
    return chief.loads - before


def bare_times(url: str, count: int) -> list[float]:
    session = requests.Session()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        session.get(url, timeout=60).content
        times.append(time.perf_counter() - started)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def commune_with_parents() -> list[dict]:
    """The first commune (xã) of the province's demo units, after its district and the province."""
    units = demo_data.units()
    by_slug = {unit["slug"]: unit for unit in units}
    commune = next(unit for unit in units if unit["kind"] == "xa")
    chain = [commune]
    while chain[0]["parent"]:
        chain.insert(0, by_slug[chain[0]["parent"]])
    return chain


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="scripted days counted (two sign-ins each: "
                        "with the warm-up at most 30 a run, as one address may try 60 sign-ins an hour)")
    parser.add_argument("--warm-up", type=int, default=1,
                        help="rounds first, not counted: each gateway worker compiles its templates once")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    units = commune_with_parents()
    unit = units[-1]["slug"]
    category = demo_data.CATEGORIES[0][0]
    tag = uuid.uuid4().hex[:8]
    token = f"bench-{tag}"
    management = RabbitManagement(args.rabbit_management)
    with tempfile.TemporaryDirectory(prefix="bench-workspace-") as workdir, \
            rabbitmq_vhost(args.amqp_uri, args.rabbit_management) as amqp_uri:
        vhost = urlparse(amqp_uri).path.lstrip("/")
        mongo = MongoServer(Path(workdir) / "mongo").start()
        platform = Platform(Path(workdir) / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", SEARCH_INDEX=f"bench-{tag}", ELASTICSEARCH_URL="", SMTP_PORT=free_port(),
            GATEWAY_BIND=f"127.0.0.1:{free_port()}", PLATFORM_ADMIN_TOKEN=token))
        platform.env["PUBLIC_URL"] = platform.url
        bare = None
        try:
            platform.start(log=lambda message: print(message, flush=True))
            settings = Settings.from_mapping(platform.env)
            demo_data.load(settings.as_nameko_config(), settings.PLATFORM_ADMIN_USER, history=False, only=units,
                           log=lambda message: print(message, flush=True))
            api = requests.Session()
            api.headers["Authorization"] = f"Bearer {token}"
            for username, role in ((AUTHOR, "author"), (CHIEF, "editor_in_chief")):
                created = api.post(f"{platform.url}/api/users", timeout=30, json={
                    "username": username, "name": f"Cán bộ {username}", "roles": {unit: [role]},
                    "password": PASSWORD})
                created.raise_for_status()
            bare = gunicorn("bare endpoint, deploy/gunicorn.conf.py", "tests.benchmarks.bare_app:app",
                            platform.env, platform.log_dir / "bare.log", "/")
            wait_until(lambda: at_rest(management, vhost), 600, "the platform at rest")
            print(f"\n/{unit}: {args.rounds} rounds after {args.warm_up} not counted; {load_average()}", flush=True)
            report(run(platform.url, bare.url, unit, category, args.rounds, args.warm_up))
            print(f"({load_average()})", flush=True)
        finally:
            if bare is not None:
                bare.stop()
            platform.stop(log=lambda message: print(message, flush=True))
            mongo.stop()


@dataclass
class Rounds:
    loads: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    visible: list[float] = field(default_factory=list)
    bare: list[float] = field(default_factory=list)


def run(url: str, bare_url: str, unit: str, category: str, rounds: int, warm_up: int) -> Rounds:
    """The rounds; after each, as many requests to the bare endpoint as the round made, so that
    both meet the same load on the machine."""
    found = Rounds()
    reader = requests.Session()
    monday = this_week()[1]
    for index, number in enumerate(range(1 - warm_up, rounds + 1)):
        author, chief, signed_in, title = one_round(url, unit, category, number)
        article_loads, article_seconds = chief.loads, chief.seconds
        # Each round the week after the last, copied from the one the round before wrote.
        year, week, _ = (monday + timedelta(weeks=index + 1)).isocalendar()
        schedule_loads = next_weeks_schedule(chief, unit, f"{year}-W{week:02d}")
        visible = until_visible(reader, f"{url}/{unit}", title)
        if number < 1:
            continue
        signing_in = sum(sum(chief.times[kind]) for kind in ("sign-in page", "sign in (POST)", "sign in (POST) →"))
        for role, loads, seconds in (
                ("author", author.loads, author.seconds),
                ("editor-in-chief, the article", article_loads, article_seconds),
                ("approve and publish", article_loads - signed_in, article_seconds - signing_in),
                ("schedule: copy, change, publish", schedule_loads, chief.seconds - article_seconds)):
            found.loads[role].append(loads)
            found.seconds[role].append(seconds)
        for person in (author, chief):
            for kind, times in person.times.items():
                found.times[kind] += times
        found.visible.append(visible)
        found.bare += bare_times(bare_url, sum(len(times) for person in (author, chief)
                                               for times in person.times.values()))
    return found


def until_visible(reader: requests.Session, url: str, title: str, timeout: float = 30) -> float:
    """Seconds until the page shows `title`."""
    started = time.monotonic()
    while title not in reader.get(url, timeout=30).text:
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{title!r} not on {url} after {timeout:.0f} s")
        time.sleep(0.01)
    return time.monotonic() - started


def report(found: Rounds):
    print(f"\n{'per role (median round)':<40} {'page loads':>10} {'goal':>5} {'server s':>9}")
    for role, loads in found.loads.items():
        goal = GOALS.get(role)
        print(f"{role:<40} {statistics.median(loads):>10.0f} {goal or '':>5} "
              f"{statistics.median(found.seconds[role]):>9.3f}")
    every = [took for times in found.times.values() for took in times]
    pages = [took for kind, times in found.times.items() if not kind.endswith("(POST)") for took in times]
    bare = found.bare
    bare_p50, bare_p99 = percentile(bare, 0.5), percentile(bare, 0.99)
    print(f"\n{'request (every round)':<40} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'p50/bare':>9} {'p99/bare':>9}")

    def row(label: str, times: list[float]):
        p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
        print(f"{label:<40} {len(times):>5} {1000 * p50:>8.1f} {1000 * p99:>8.1f} {p50 / bare_p50:>9.1f} "
              f"{p99 / bare_p99:>9.1f}")

    for kind, times in found.times.items():
        row(kind, times)
    row("workspace pages (GET)", pages)
    row("every workspace request", every)
    row("bare endpoint (same run, between rounds)", bare)
    author_loads = statistics.median(found.loads["author"])
    author_seconds = statistics.median(found.seconds["author"])
    print(f"\nOn the commune's home page after publishing: p50 {1000 * statistics.median(found.visible):.0f} ms, "
          f"max {1000 * max(found.visible):.0f} ms")
    met = author_loads <= GOALS["author"] and author_seconds <= SERVER_SECONDS_GOAL
    print(f"First article with an image in ≤ {GOALS['author']} page loads and ≤ {SERVER_SECONDS_GOAL:.0f} s of "
          f"server time: {'met' if met else 'NOT met'} ({author_loads:.0f} loads, {author_seconds:.2f} s)")
    for role in ("approve and publish", "schedule: copy, change, publish"):
        loads = statistics.median(found.loads[role])
        print(f"{role[0].upper()}{role[1:]} in ≤ {GOALS[role]} page loads: "
              f"{'met' if loads <= GOALS[role] else 'NOT met'} ({loads:.0f})")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
