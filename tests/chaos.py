"""Chaos: a storm of publishing while every service is killed and cut off from the broker; then
what was lost, what was duplicated, and which answers disagree with what happened.

    .venv/bin/python -m tests.chaos                    # 300 articles, one kill and one cut per service (~2 min)
    .venv/bin/python -m tests.chaos --articles 100     # the run tests/e2e/test_chaos.py makes (~1.5 min)
    .venv/bin/python -m tests.chaos --articles 500 --rounds 2 --units 6 --subscribers 3 --cut-seconds 10

It starts an isolated platform through deploy/launcher.py (a throwaway RabbitMQ vhost, its own
MongoDB stand-in and SMTP sink, run directory, gateway port and random secrets), each of the four
services reaching the broker through a link of its own that can be cut (tests/netfault.py), the
gateway directly. It sets it up through the JSON API as people would: levels, a province and its
communes, an editor-in-chief per client, `--subscribers` per unit who confirm from the emailed link.

The storm: `--clients` threads create and force-publish `--articles` articles with unique titles,
each request with an Idempotency-Key. A client is careful: a 503, a 504 or no answer at all, and it
sends the same request with the same key again after Retry-After (at most `--max-wait` s), until
`--patience` runs out; it keeps every answer. Meanwhile, spread over the storm by the articles
done, each service is killed with SIGKILL (supervisord starts it again) and has its broker link
cut for `--cut-seconds`, once per `--rounds`; a fault that lasts may overlap the next.

Then it waits (up to `--settle-timeout`) until nothing is left to do, and prints the fault
timeline and a table: per article tried, created, published and copies of one create in the
content service; per consumer, searchable (found through the search API, and the search service's
own check against content), ranked (ranking's published count per unit against content's) and
emails per confirmed subscriber and article (0, 1, more; and whether the more are one message, by
its Message-ID, sent again); the clients' answers; each process's state. It exits 1 when a goal is
missed, keeping its work directory (logs, mail, data) and naming it:

- lost 0: every article published in content is searchable, ranked and in each subscriber's inbox;
- duplicated 0: one article per create, one email per subscriber and article;
- disagreeing 0: no 2xx for what did not happen, no 4xx for what did (a 409 for the client's own
  publish), no 503/504 saying nothing was done when the change came from that very request;
- unanswered 0: every request answered within the client's patience;
- every process RUNNING and answering at the end, with nobody having restarted it.
"""
from __future__ import annotations

import argparse
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import requests
from pymongo import MongoClient

from deploy.launcher import SERVICES, Platform
from tests.netfault import CuttableLink
from tests.servers import MongoServer, SmtpServer, free_port, rabbitmq_vhost, wait_for

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from nameko.standalone.rpc import ClusterRpcProxy
    from nameko.testing.rabbit import Client as RabbitManagement

PROVINCE = "tinh-thu-nghiem"
REPEATED_STATUSES = (503, 504)
# Past the gateway's own GATEWAY_TIMEOUT, so that a slow answer is heard rather than given up on.
CLIENT_TIMEOUT = 60
# Seconds a service may take to be back after a fault before the timeline says it is not.
BACK_WITHIN = 120
# The platform writes times to the millisecond, rounded down (services/content/database.py).
CLOCK_GRAIN = 0.001
CONFIRMATION_LINK = re.compile(r"http://\S+/dang-ky/xac-nhan\?token=[\w-]+")


# The isolated platform

@dataclass
class Stage:
    """The isolated platform, and where the run reads what happened."""
    platform: Platform
    links: dict[str, CuttableLink]
    smtp: SmtpServer
    mongo: MongoClient
    amqp_uri: str
    management: RabbitManagement
    admin_token: str
    tag: str

    @property
    def url(self) -> str:
        return self.platform.url

    @property
    def vhost(self) -> str:
        return urlparse(self.amqp_uri).path.lstrip("/")

    def database(self, service: str):
        return self.mongo[f"{service}_{self.tag}"]

    def rpc(self) -> ClusterRpcProxy:
        return ClusterRpcProxy({"AMQP_URI": self.amqp_uri}, timeout=60)


@contextmanager
def isolated_platform(args, workdir: Path, log):
    """The platform as `make run` starts it, on servers of its own; everything stopped on the way out."""
    tag = uuid.uuid4().hex[:8]
    with ExitStack() as cleanup:
        amqp_uri = cleanup.enter_context(rabbitmq_vhost(args.amqp_uri, args.rabbit_management, prefix="chaos"))
        mongo = MongoServer(workdir / "mongo")
        cleanup.callback(mongo.stop)
        smtp = SmtpServer(workdir / "mail")
        cleanup.callback(smtp.stop)
        mongo.start()
        smtp.start()
        links = {name: CuttableLink.to_broker(amqp_uri) for name in SERVICES}
        for link in links.values():
            cleanup.callback(link.cut)
        port = free_port()
        admin_token = secrets.token_urlsafe(24)
        platform = Platform(workdir / "run", env=dict(
            AMQP_URI=amqp_uri, MONGO_URI=mongo.uri, CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}",
            NOTIFY_DB=f"notify_{tag}", ELASTICSEARCH_URL="", SEARCH_INDEX=f"chaos-{tag}", SMTP_HOST="127.0.0.1",
            SMTP_PORT=smtp.port, GATEWAY_BIND=f"127.0.0.1:{port}", PUBLIC_URL=f"http://127.0.0.1:{port}",
            PLATFORM_ADMIN_TOKEN=admin_token, GATEWAY_SECRET=secrets.token_urlsafe(32),
            ACTOR_SECRET=secrets.token_urlsafe(32)),
            process_env={name: {"AMQP_URI": link.uri(amqp_uri)} for name, link in links.items()})
        cleanup.callback(platform.stop, log=lambda *_: None)
        platform.start(log=log)
        client = MongoClient(mongo.uri, tz_aware=True)
        cleanup.callback(client.close)
        yield Stage(platform, links, smtp, client, amqp_uri, RabbitManagement(args.rabbit_management),
                    admin_token, tag)


# A careful client

@dataclass
class Answer:
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    body: dict
    sent_at: float  # time.time(), comparable with the platform's own timestamps
    answered_at: float
    retry_after: float | None = None

    @property
    def final(self) -> bool:
        """An answer the client acts on, rather than sending the request again."""
        return self.status is not None and self.status not in REPEATED_STATUSES

    @property
    def leaves_open(self) -> bool:
        """Whether it allows that the request was carried out: no answer, or a 503/504 naming
        the key whose repeat tells the outcome (README: "When a request meets a fault")."""
        return self.status is None or "idempotency_key" in self.body.get("error", {})

    @property
    def kind(self) -> str:
        """"201", "503 outcome unknown", "503 nothing done", "no answer" …, for the report."""
        if self.status not in REPEATED_STATUSES:
            return str(self.status or "no answer")
        return f"{self.status} {'outcome unknown' if self.leaves_open else 'nothing done'}"


@dataclass
class Exchange:
    """One request as a careful client makes it: the same request and key until a final answer."""
    method: str
    path: str
    payload: dict | None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    answers: list[Answer] = field(default_factory=list)

    @property
    def final(self) -> Answer | None:
        """The answer the client acted on; None if it gave up first."""
        last = self.answers[-1] if self.answers else None
        return last if last is not None and last.final else None

    @property
    def status(self) -> int | None:
        return self.final.status if self.final else None


class CarefulClient:
    def __init__(self, url: str, token: str | None, patience: float, max_wait: float):
        self.url, self.patience, self.max_wait = url, patience, max_wait
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def send(self, method: str, path: str, payload: dict | None = None) -> Exchange:
        exchange = Exchange(method, path, payload)
        give_up_at = time.monotonic() + self.patience
        while True:
            answer = self._answer(exchange)
            exchange.answers.append(answer)
            wait = min(answer.retry_after or 1.0, self.max_wait)
            if answer.final or time.monotonic() + wait > give_up_at:
                return exchange
            time.sleep(wait)

    def expect(self, status: int, method: str, path: str, payload: dict | None = None) -> dict:
        """For the set-up: the answer's body, which must have `status`."""
        exchange = self.send(method, path, payload)
        if exchange.status != status:
            last = exchange.answers[-1]
            raise RuntimeError(f"{method} {path}: {last.status} {last.body}, not {status}")
        return exchange.final.body

    def _answer(self, exchange: Exchange) -> Answer:
        sent_at = time.time()
        try:
            response = self.session.request(exchange.method, self.url + exchange.path, json=exchange.payload,
                                            headers={"Idempotency-Key": exchange.key}, timeout=CLIENT_TIMEOUT)
        except requests.RequestException:
            return Answer(None, {}, sent_at, time.time())
        return Answer(response.status_code, _json(response), sent_at, time.time(),
                      _seconds(response.headers.get("Retry-After")))


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _seconds(value: str | None) -> float | None:
    return float(value) if value and value.isdigit() else None


# Set-up, through the API

@dataclass
class Setup:
    units: list[str]
    editor_tokens: list[str]  # one per client
    subscribers: dict[str, list[str]]  # unit → confirmed addresses
    subscription_tokens: list[str]


def set_up(stage: Stage, args) -> Setup:
    admin = CarefulClient(stage.url, stage.admin_token, args.patience, args.max_wait)
    for order, (level, name) in enumerate((("tinh", "Tỉnh"), ("xa", "Xã"))):
        admin.expect(201, "POST", "/api/levels", {"slug": level, "name": name, "order": order})
    admin.expect(201, "POST", "/api/units", {"slug": PROVINCE, "name": "Tỉnh Thử Nghiệm", "level": "tinh"})
    units = [PROVINCE]
    for number in range(1, args.units):
        units.append(f"xa-thu-nghiem-{number}")
        admin.expect(201, "POST", "/api/units", {"slug": units[-1], "name": f"Xã Thử Nghiệm {number}",
                                                 "level": "xa", "parent": PROVINCE})
    editor_tokens = [admin.expect(201, "POST", "/api/users", {
        "username": f"bien-tap-{number}", "name": f"Tổng biên tập {number}",
        "roles": {unit: ["editor_in_chief"] for unit in units}})["token"] for number in range(args.clients)]
    subscribers = {unit: [f"dan-{number}.{unit}@example.vn" for number in range(args.subscribers)] for unit in units}
    citizen = CarefulClient(stage.url, None, args.patience, args.max_wait)
    for unit, addresses in subscribers.items():
        for address in addresses:
            citizen.expect(202, "POST", "/api/subscriptions", {"email": address, "unit": unit})
    subscription_tokens = [confirm(stage.smtp, address) for addresses in subscribers.values()
                           for address in addresses]
    return Setup(units, editor_tokens, subscribers, subscription_tokens)


def confirm(smtp: SmtpServer, address: str) -> str:
    """Follow the link of `address`'s confirmation email and press its button, as its reader
    would (the POST the page's form sends); its token."""
    email = wait_for(lambda: smtp.messages_to(address), timeout=60, message=f"the confirmation email to {address}")[0]
    link = CONFIRMATION_LINK.search(email.get_body(("plain",)).get_content()).group(0)
    response = requests.post(link, timeout=CLIENT_TIMEOUT)
    if response.status_code != 200:
        raise RuntimeError(f"confirming {address}: {response.status_code}")
    return link.rsplit("=", 1)[1]


# The storm

@dataclass
class Trial:
    """One article a client tried to publish: its create and its publish, as exchanged."""
    number: int
    unit: str
    client: int
    create: Exchange | None = None
    publish: Exchange | None = None

    @property
    def code(self) -> str:
        """A word of the title found nowhere else, to search it by."""
        return f"tn{self.number:05d}"

    @property
    def title(self) -> str:
        return f"Tin số {self.number} của đợt thử nghiệm sự cố, mã {self.code}"

    @property
    def article_id(self) -> str | None:
        """The article the create's answer named."""
        answer = self.create.final if self.create else None
        return answer.body.get("id") if answer is not None and answer.status == 201 else None


class Progress:
    """Articles the clients are done with, for the faults to be spread over the storm."""

    def __init__(self, clients: int):
        self.done = 0
        self.clients_left = clients
        self._changed = threading.Condition()

    def advance(self):
        with self._changed:
            self.done += 1
            self._changed.notify_all()

    def client_finished(self):
        with self._changed:
            self.clients_left -= 1
            self._changed.notify_all()

    def wait_for(self, done: float):
        """Until `done` articles are done, or every client has finished."""
        with self._changed:
            self._changed.wait_for(lambda: self.done >= done or self.clients_left == 0)


def run_client(client: CarefulClient, trials: list[Trial], progress: Progress):
    try:
        for trial in trials:
            trial.create = client.send("POST", f"/api/units/{trial.unit}/articles", {
                "title": trial.title, "summary": "Tin đăng trong đợt thử nghiệm sự cố.",
                "body_html": "<p>Bài viết được tạo và đăng ngay trong lúc các dịch vụ gặp sự cố.</p>"})
            if trial.article_id is not None:
                trial.publish = client.send("POST", f"/api/articles/{trial.article_id}/force-publish", {
                    "version": trial.create.final.body["version"], "comment": "Đăng ngay trong đợt thử nghiệm"})
            progress.advance()
    finally:
        progress.client_finished()


# Faults

class Timeline:
    def __init__(self):
        self.started = time.monotonic()
        self.moments: list[tuple[float, str]] = []

    def note(self, what: str):
        self.moments.append((time.monotonic() - self.started, what))


def kill(stage: Stage, service: str, args, timeline: Timeline):
    platform = stage.platform
    pid = platform.pid(service)
    if pid is None:
        timeline.note(f"{service} not running: not killed ({platform.status()[service].description})")
        return
    platform.stop_process(service, signal.SIGKILL)
    timeline.note(f"kill -9 {service} (pid {pid})")
    # supervisord must see the death first: until then the old PID, and its consumers, still show.
    note_back(stage, service, pid, timeline, lambda: platform.pid(service) not in (None, pid))


def cut(stage: Stage, service: str, args, timeline: Timeline):
    pid = stage.platform.pid(service)
    stage.links[service].cut()
    timeline.note(f"{service}'s broker link cut for {args.cut_seconds:g} s")
    time.sleep(args.cut_seconds)
    stage.links[service].restore()
    timeline.note(f"{service}'s broker link restored")
    note_back(stage, service, pid, timeline, lambda: stage.platform.pid(service) is not None)


def note_back(stage: Stage, service: str, old_pid: int | None, timeline: Timeline, restarted):
    """Note when `service` takes requests again (once `restarted()`), and whether in a new process."""
    started = time.monotonic()
    try:
        wait_for(restarted, timeout=BACK_WITHIN, interval=0.1)
        stage.platform.wait_for_service(service, timeout=max(1.0, BACK_WITHIN - (time.monotonic() - started)))
    except (AssertionError, RuntimeError):
        timeline.note(f"{service} NOT back after {BACK_WITHIN} s")
        return
    pid = stage.platform.pid(service)
    process = "the same process" if pid == old_pid else f"pid {pid}"
    timeline.note(f"{service} taking requests again after {time.monotonic() - started:.1f} s ({process})")


@dataclass(frozen=True)
class Fault:
    make: Callable  # kill or cut
    service: str


def schedule(rounds: int) -> list[Fault]:
    """Kills and cuts in turn, each service killed and cut once a round, never one service twice running."""
    return [fault for _ in range(rounds) for number, service in enumerate(SERVICES)
            for fault in (Fault(kill, service), Fault(cut, SERVICES[(number + 2) % len(SERVICES)]))]


def inflict(stage: Stage, faults: list[Fault], progress: Progress, articles: int, args, timeline: Timeline):
    """Fault i of n once (i + ½)/n of the articles are done, each in a thread of its own: a fault
    that lasts (a cut, a restart) may overlap the next."""
    threads = []
    for number, fault in enumerate(faults):
        progress.wait_for((number + 0.5) * articles / len(faults))
        threads.append(threading.Thread(target=fault.make, name=f"{fault.make.__name__}-{fault.service}",
                                        args=(stage, fault.service, args, timeline)))
        threads[-1].start()
    for thread in threads:
        thread.join()


def storm(stage: Stage, setup: Setup, args, timeline: Timeline) -> list[Trial]:
    trials = [Trial(number, setup.units[number % len(setup.units)], number % args.clients)
              for number in range(args.articles)]
    progress = Progress(args.clients)
    workers = [threading.Thread(target=run_client, name=f"client-{number}", args=(
        CarefulClient(stage.url, token, args.patience, args.max_wait),
        [trial for trial in trials if trial.client == number], progress))
        for number, token in enumerate(setup.editor_tokens)]
    faults = threading.Thread(target=inflict, name="faults",
                              args=(stage, schedule(args.rounds), progress, args.articles, args, timeline))
    for thread in (*workers, faults):
        thread.start()
    for worker in workers:
        worker.join()
    timeline.note("every client done")
    faults.join()
    timeline.note("every fault over")
    return trials


# Settling and counting

def queue_depths(stage: Stage) -> dict[str, int]:
    return {queue["name"]: queue.get("messages", 0) for queue in stage.management.get_queues(stage.vhost)}


def work_left(stage: Stage) -> list[str]:
    """What the platform still has to do: events in the outbox or a queue, emails pending, a
    process not running. Parked events are counted apart; reply queues hold answers, not work
    (and a closed caller's queue shows in the management API for a few seconds more)."""
    left = {"events in the outbox": stage.database("content")["outbox"].count_documents({"dispatched": False}),
            "emails pending": stage.database("notify")["deliveries"].count_documents({"status": "pending"}),
            **{f"messages in {name}": number for name, number in queue_depths(stage).items()
               if not name.endswith(".parked") and not name.startswith("rpc.reply-")}}
    return [f"{what}: {number}" for what, number in left.items() if number] + [
        f"{name} {process.state}" for name, process in stage.platform.status().items() if process.state != "RUNNING"]


@dataclass
class Tally:
    articles: int = 0  # tried by the clients
    created: int = 0  # in content (at least one copy)
    published: int = 0  # published in content
    extra_copies: int = 0  # articles beyond the first for one create
    searchable: int = 0  # published articles the search API finds
    search_check: str = ""  # the search service's own check of its index against content
    ranked: int = 0  # ranking's published count, over the units
    unranked: int = 0  # published in content, missing from ranking's count
    emails_expected: int = 0  # published articles × their unit's confirmed subscribers
    emails: Counter = field(default_factory=Counter)  # 0, 1, 2 (2 or more) → pairs of subscriber and article
    emails_resent: int = 0  # pairs with more than one, all one message (one Message-ID) sent again
    stray_emails: int = 0  # about an article that is not published
    answers: Counter = field(default_factory=Counter)  # Answer.kind → how many
    requests: int = 0
    repeated: int = 0  # requests sent more than once
    unanswered: int = 0  # requests given up on
    disagreeing: int = 0
    parked: int = 0  # events a consumer gave up on
    processes: dict = field(default_factory=dict)  # name → "RUNNING, answering" or what is wrong
    problems: list = field(default_factory=list)  # a line per thing lost, duplicated or untrue

    def consumers_agree(self) -> bool:
        """Whether search, ranking and the inboxes hold everything content published (searches aside)."""
        return self.search_check == "equal" and not self.unranked and not self.emails[0]

    @property
    def lost(self) -> int:
        return (self.published - self.searchable) + self.unranked + self.emails[0]

    @property
    def duplicated(self) -> int:
        return self.extra_copies + self.emails[2] + self.stray_emails

    @property
    def processes_up(self) -> bool:
        return bool(self.processes) and all(state == "RUNNING, answering" for state in self.processes.values())

    def goals(self) -> dict[str, bool]:
        return {"lost 0": self.lost == 0, "duplicated 0": self.duplicated == 0,
                "disagreeing 0": self.disagreeing == 0, "unanswered 0": self.unanswered == 0,
                "every process up and answering": self.processes_up}

    def missed(self) -> list[str]:
        return [goal for goal, met in self.goals().items() if not met]


def count_consumers(stage: Stage, setup: Setup, trials: list[Trial]) -> Tally:
    """Content's articles against what ranking, the inboxes and the search service's own check hold."""
    tally = Tally(articles=len(trials))
    copies = content_copies(stage, trials)
    published = published_trials(trials, copies)
    tally.created = sum(1 for trial in trials if copies[trial.title])
    tally.published = len(published)
    for trial in trials:
        if len(copies[trial.title]) > 1:
            tally.extra_copies += len(copies[trial.title]) - 1
            tally.problems.append(f"duplicated: {len(copies[trial.title])} articles for the create of {trial.code}")
    count_ranking(stage, setup, published.values(), tally)
    count_emails(stage, setup, trials, published, tally)
    with stage.rpc() as rpc:
        check = rpc.search.check()
    tally.search_check = "equal" if check["equal"] else f"differs: {check['differences']}"
    return tally


def count_everything(stage: Stage, setup: Setup, trials: list[Trial]) -> Tally:
    """count_consumers, each published article searched through the API, every answer weighed
    against what happened, and each process asked to answer."""
    tally = count_consumers(stage, setup, trials)
    copies = content_copies(stage, trials)
    count_searchable(stage, published_trials(trials, copies).values(), copies, tally)
    count_answers(trials, copies, tally)
    tally.parked = sum(number for name, number in queue_depths(stage).items() if name.endswith(".parked"))
    tally.processes = process_states(stage, setup)
    return tally


def content_copies(stage: Stage, trials: list[Trial]) -> dict[str, list[dict]]:
    """Title → the content service's articles of that title (one per create, if all is well)."""
    copies = defaultdict(list)
    for doc in stage.database("content")["articles"].find({"title": {"$in": [trial.title for trial in trials]}}):
        copies[doc["title"]].append(doc)
    return copies


def published_trials(trials: list[Trial], copies: dict[str, list[dict]]) -> dict[str, Trial]:
    return {trial.title: trial for trial in trials
            if any(copy["status"] == "published" for copy in copies[trial.title])}


def count_ranking(stage: Stage, setup: Setup, published, tally: Tally):
    in_content = Counter(trial.unit for trial in published)
    with stage.rpc() as rpc:
        for unit in setup.units:
            ranked = rpc.ranking.unit_activity(unit)["published_articles"]
            tally.ranked += ranked
            if ranked < in_content[unit]:
                tally.unranked += in_content[unit] - ranked
                tally.problems.append(f"lost: ranking counts {ranked} published in {unit}, content {in_content[unit]}")


def count_emails(stage: Stage, setup: Setup, trials: list[Trial], published: dict[str, Trial], tally: Tally):
    titles = {trial.title for trial in trials}
    received = defaultdict(list)  # (address, title) → the Message-ID of each email
    for message in stage.smtp.messages():
        _, _, title = " ".join(str(message["Subject"]).split()).partition(": ")
        if title in titles:
            received[(message["To"], title)].append(message["Message-ID"])
    for (address, title), emails in received.items():
        if title not in published:
            tally.stray_emails += len(emails)
            tally.problems.append(f"stray: {len(emails)} email(s) to {address} about an article not published: "
                                  f"{title}")
    for title, trial in published.items():
        for address in setup.subscribers[trial.unit]:
            emails = received.get((address, title), [])
            tally.emails_expected += 1
            tally.emails[min(len(emails), 2)] += 1
            if not emails:
                tally.problems.append(f"lost: no email to {address} about {trial.code}")
            elif len(emails) > 1:
                one_message = len(set(emails)) == 1
                tally.emails_resent += one_message
                tally.problems.append(f"duplicated: {len(emails)} emails to {address} about {trial.code}, " + (
                    f"one message sent again ({emails[0]})" if one_message else f"Message-IDs {emails}"))


def count_searchable(stage: Stage, published, copies: dict[str, list[dict]], tally: Tally):
    for trial in published:
        ids = {copy["_id"] for copy in copies[trial.title]}
        response = requests.get(f"{stage.url}/api/search", params={"q": trial.code}, timeout=CLIENT_TIMEOUT)
        hits = response.json().get("items", []) if response.ok else []
        if ids & {hit.get("id") for hit in hits}:
            tally.searchable += 1
        else:
            tally.problems.append(f"lost: {trial.code} published, not found by search ({response.status_code})")


def count_answers(trials: list[Trial], copies: dict[str, list[dict]], tally: Tally):
    for trial in trials:
        if trial.create is None:  # its client stopped early: the run itself failed
            tally.unanswered += 1
            tally.problems.append(f"unanswered: {trial.code} never sent")
            continue
        for exchange in (trial.create, trial.publish):
            if exchange is None:
                continue
            tally.requests += 1
            tally.repeated += len(exchange.answers) > 1
            tally.answers.update(answer.kind for answer in exchange.answers)
            if exchange.final is None or exchange.status >= 500:
                tally.unanswered += 1
                tally.problems.append(f"unanswered: {exchange.method} {exchange.path} for {trial.code} "
                                      f"({[answer.status for answer in exchange.answers]})")
        for line in disagreements(trial, copies[trial.title]):
            tally.disagreeing += 1
            tally.problems.append(f"disagreeing: {trial.code}: {line}")


def disagreements(trial: Trial, copies: list[dict]) -> list[str]:
    """The answers about `trial` that contradict what the platform holds."""
    lines = []
    created = trial.create.status
    if created == 201 and trial.article_id not in {copy["_id"] for copy in copies}:
        lines.append("201 for a create that left no such article")
    elif created is not None and 400 <= created < 500 and copies:
        lines.append(f"{created} for a create that was made")
    lines += untrue_refusals(trial.create, min((copy["created_at"] for copy in copies), default=None))
    if trial.publish is None:
        return lines
    article = next((copy for copy in copies if copy["_id"] == trial.article_id), None)
    is_published = article is not None and article["status"] == "published"
    published = trial.publish.status
    if published == 200 and not is_published:
        lines.append("200 for a publish that did not happen")
    elif published is not None and 400 <= published < 500 and is_published:
        lines.append(f"{published} for a publish this client's own request made")
    lines += untrue_refusals(trial.publish, article.get("published_at") if article else None)
    return lines


def untrue_refusals(exchange: Exchange, changed_at) -> list[str]:
    """503/504 answers saying nothing was done while the change was made during that very
    request, no earlier attempt of it having been left open."""
    if changed_at is None:
        return []
    moment = changed_at.timestamp()
    lines = []
    for answer in exchange.answers:
        if answer.leaves_open:
            break  # from here on the change may come from a request still on its way
        if answer.status in REPEATED_STATUSES and answer.sent_at - CLOCK_GRAIN <= moment <= answer.answered_at:
            lines.append(f"{answer.status} saying nothing was done, for the {exchange.method} {exchange.path} "
                         f"made meanwhile: {answer.body}")
    return lines


def process_states(stage: Stage, setup: Setup) -> dict[str, str]:
    """Each process's state, and whether it answers: an RPC each service answers, the gateway's health."""
    states = {name: process.state for name, process in stage.platform.status().items()}
    probes = {"content": lambda rpc: rpc.content.list_levels(),
              "search": lambda rpc: rpc.search.best_bets(),
              "ranking": lambda rpc: rpc.ranking.unit_activity(PROVINCE),
              "notify": lambda rpc: rpc.notify.confirm(setup.subscription_tokens[0])}
    answering = {}
    with stage.rpc() as rpc:
        for name, probe in probes.items():
            try:
                probe(rpc)
                answering[name] = True
            except Exception as error:  # any failure is what the report shows
                answering[name] = repr(error)
    try:
        answering["gateway"] = requests.get(f"{stage.url}/healthz", timeout=CLIENT_TIMEOUT).status_code == 200
    except requests.RequestException as error:
        answering["gateway"] = repr(error)
    return {name: f"{state}, answering" if answering.get(name) is True else f"{state}, {answering.get(name)}"
            for name, state in states.items()}


def settle(stage: Stage, setup: Setup, trials: list[Trial], timeout: float) -> tuple[float, list[str]]:
    """Seconds until no work is left and every consumer holds what content published, or the
    timeout; and, after a timeout, what was still left."""
    started = time.monotonic()
    while True:
        try:
            left = work_left(stage) or ([] if count_consumers(stage, setup, trials).consumers_agree()
                                        else ["consumers behind content"])
        except Exception as error:  # a process still starting, an RPC timing out: not settled yet
            left = [repr(error)]
        if not left or time.monotonic() - started > timeout:
            return time.monotonic() - started, left
        time.sleep(2)


# The run

@dataclass
class Outcome:
    tally: Tally
    timeline: Timeline
    storm_seconds: float
    settle_seconds: float
    unsettled: list[str]  # what was still left when the settle timeout ran out
    workdir: Path | None  # kept (logs, mail, data) when a goal is missed or --keep asks

    def missed(self) -> list[str]:
        return self.tally.missed()


def run(args, log=print) -> Outcome:
    workdir = Path(tempfile.mkdtemp(prefix="chaos-"))
    try:
        with isolated_platform(args, workdir, log) as stage:
            setup = set_up(stage, args)
            log(f"Set up {len(setup.units)} units, {args.clients} editors, "
                f"{sum(map(len, setup.subscribers.values()))} confirmed subscribers; the storm begins")
            timeline = Timeline()
            trials = storm(stage, setup, args, timeline)
            storm_seconds = time.monotonic() - timeline.started
            log(f"Storm over after {storm_seconds:.0f} s; waiting for the platform to settle")
            settle_seconds, unsettled = settle(stage, setup, trials, args.settle_timeout)
            tally = count_everything(stage, setup, trials)
    except BaseException:
        log(f"Logs, mail and data kept in {workdir}")
        raise
    if not tally.missed() and not args.keep:
        shutil.rmtree(workdir)
    return Outcome(tally, timeline, storm_seconds, settle_seconds, unsettled,
                   workdir if workdir.exists() else None)


def report(outcome: Outcome, args) -> str:
    tally, width = outcome.tally, 44
    lines = [f"Chaos: {args.articles} articles from {args.clients} clients into {args.units} units, "
             f"{args.subscribers} confirmed subscribers each; storm {outcome.storm_seconds:.0f} s, "
             f"settled {outcome.settle_seconds:.0f} s later"]
    if outcome.unsettled:
        lines.append(f"NOT settled after --settle-timeout: {'; '.join(outcome.unsettled)}")
    lines += ["", "Fault timeline (seconds from the storm's start)"]
    lines += [f"  {at:7.1f}  {what}" for at, what in sorted(outcome.timeline.moments)]
    lines += ["", f"{'':<{width}} {'count':>7}",
              *(f"{label:<{width}} {value:>7}" for label, value in (
                  ("articles tried", tally.articles),
                  ("  created in content", tally.created),
                  ("  published in content", tally.published),
                  ("  extra copies of one create", tally.extra_copies),
                  ("  searchable (search API)", tally.searchable),
                  ("  ranked (ranking's count over units)", tally.ranked),
                  ("  published but not ranked", tally.unranked),
                  ("emails expected (subscriber × article)", tally.emails_expected),
                  ("  received 0", tally.emails[0]),
                  ("  received 1", tally.emails[1]),
                  ("  received more than 1", tally.emails[2]),
                  ("    of which one message sent again", tally.emails_resent),
                  ("  about articles not published", tally.stray_emails),
                  ("requests", tally.requests),
                  ("  sent more than once", tally.repeated),
                  ("  unanswered (client gave up)", tally.unanswered),
                  ("  disagreeing with what happened", tally.disagreeing),
                  ("events parked by a consumer", tally.parked))),
              f"{'search check (index against content)':<{width}} {tally.search_check}",
              f"{'answers':<{width}} " + ", ".join(f"{kind}: {n}" for kind, n in sorted(tally.answers.items())),
              "", "Processes at the end", *(f"  {name:<10} {state}" for name, state in tally.processes.items())]
    if tally.problems:
        lines += ["", "Problems", *(f"  {problem}" for problem in tally.problems[:50])]
        if len(tally.problems) > 50:
            lines.append(f"  … and {len(tally.problems) - 50} more")
    lines += ["", "Goals: " + ", ".join(f"{goal} {'met' if met else 'NOT met'}" for goal, met in tally.goals().items())]
    if outcome.workdir:
        lines.append(f"Logs, mail and data kept in {outcome.workdir}")
    return "\n".join(lines)


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--units", type=int, default=4, help="a province and units - 1 communes")
    parser.add_argument("--subscribers", type=int, default=2, help="confirmed subscribers per unit")
    parser.add_argument("--rounds", type=int, default=1, help="kills and cuts of each service")
    parser.add_argument("--cut-seconds", type=float, default=10)
    parser.add_argument("--max-wait", type=float, default=5, help="the longest Retry-After a client waits, in s")
    parser.add_argument("--patience", type=float, default=180, help="seconds a client repeats one request")
    parser.add_argument("--settle-timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, mail, data)")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    outcome = run(args, log=lambda message: print(message, flush=True))
    print(report(outcome, args))
    sys.exit(1 if outcome.missed() else 0)


if __name__ == "__main__":
    main()
