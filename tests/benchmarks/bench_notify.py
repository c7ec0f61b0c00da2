"""How fast one article reaches a unit's subscribers by email, with the send-rate cap and without.

    .venv/bin/python -m tests.benchmarks.bench_notify                        # 100,000 subscribers
    .venv/bin/python -m tests.benchmarks.bench_notify --subscribers 2000     # a quick check

Options: [--subscribers 100000] [--rate 350: NOTIFY_SEND_RATE of the capped run]
[--runs capped,uncapped,digest: which runs, in this order].

For each run (the cap at --rate, then NOTIFY_SEND_RATE=0), on a throwaway RabbitMQ vhost, its own
SecantusDB and a fresh notify database: --subscribers confirmed subscribers of one unit who want
each article at once are inserted straight into notify's database in batches (as a restore
would), an SMTP server that only counts (smtp_counter.py) is started, and notify as
`nameko run --config deploy/nameko.yml services.notify.service:NotifyService`, as deploy/launcher.py starts it.
A content stand-in (tests/notify/helpers.py) answers notify's questions about units.
Once notify answers an RPC, one `article_published` contract event is dispatched (as the content
service does), and the clock runs until the counter has received an email for every subscriber.

The digest run: --subscribers confirmed subscribers who want a daily digest, each with three
items of a period that has ended, inserted the same way; notify's digest timer (once a minute)
plans a digest for each, and the clock runs from the first digest planned (its record's
created_at) to the last email, uncapped.

Prints for each run: emails/s, the time from the event (or the first digest planned) to the
last email, notify's peak memory (VmHWM), and the capped run's figures over the uncapped
one's. If the capped run sent faster than its cap allows, it says the cap was not honoured
(the limiter not wired into sending).
No test asserts timings: these figures depend on the machine and on what else runs on it.
"""
from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pymongo import MongoClient

from deploy.launcher import service_path
from tests.benchmarks.smtp_counter import read_status
from tests.servers import (
    BIN,
    MongoServer,
    free_port,
    project_root,
    rabbitmq_vhost,
    stop_process,
    subprocess_env,
    wait_for,
    wait_for_port,
)

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common.config import Settings
    from services.common.events import ArticlePublished, utcnow
    from services.notify.dependencies import _batches as batches
    from services.notify.dependencies import _digest_item, token_hash
    from services.notify.items import item_of
    from tests.drive import EventSender, article_snapshot

UNIT, UNIT_NAME = "phu-vang", "Huyện Phú Vang"
# Notify asks content for the unit's parents when it plans an article's emails.
CONTENT_STAND_IN = "tests.notify.helpers:ContentStandIn"
INSERT_BATCH = 1000
DIGEST_ITEMS = 3
MANAGEMENT_URL = "http://guest:guest@127.0.0.1:15672"
# Seconds without an email after which sending is taken as stuck (the pace itself varies
# with the MongoDB stand-in, from a few emails a second to dozens: README.md).
STALL_SECONDS = 120
# Allowance over the cap for the burst and the clock's grain before calling the cap not honoured.
CAP_SLACK = 1.1


@dataclass
class Run:
    label: str
    send_rate: float
    digest: bool = False
    emails_per_second: float = 0.0
    seconds_to_last: float = 0.0
    peak_memory_mb: float = 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=Settings.NOTIFY_SEND_RATE)
    parser.add_argument("--runs", default="capped,uncapped,digest")
    options = parser.parse_args()
    known = {"capped": Run(f"cap {options.rate:g}/s", options.rate), "uncapped": Run("no cap", 0),
             "digest": Run("daily digest, no cap", 0, digest=True)}
    runs = [known[name] for name in options.runs.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as directory:
        mongo = MongoServer(Path(directory) / "mongo").start()
        try:
            for run in runs:
                measure(run, options.subscribers, mongo.uri, Path(directory))
                print_run(run, options.subscribers)
        finally:
            mongo.stop()
    if {"capped", "uncapped"} <= set(options.runs.split(",")):
        compare(known["capped"], known["uncapped"])


def compare(capped: Run, uncapped: Run):
    print(f"capped / uncapped: emails/s {capped.emails_per_second / uncapped.emails_per_second:.2f}, "
          f"time to the last email {capped.seconds_to_last / uncapped.seconds_to_last:.2f}, "
          f"peak memory {capped.peak_memory_mb / uncapped.peak_memory_mb:.2f}")
    if capped.send_rate and uncapped.emails_per_second < capped.send_rate:
        print(f"The cap was not reached: without it notify sends {uncapped.emails_per_second:.0f} emails/s, "
              f"below {capped.send_rate:g}/s, so this run cannot tell whether NOTIFY_SEND_RATE is honoured")
    elif capped.send_rate and capped.emails_per_second > capped.send_rate * CAP_SLACK:
        print(f"NOTIFY_SEND_RATE={capped.send_rate:g} was NOT honoured: {capped.emails_per_second:.0f} emails/s "
              "(services/notify/send_rate.py is not wired into sending)")




def measure(run: Run, subscribers: int, mongo_uri: str, directory: Path):
    database = f"bench_notify_{uuid.uuid4().hex[:8]}"
    print(f"[{run.label}] inserting {subscribers:,} confirmed subscribers into {database}", flush=True)
    insert_subscribers(MongoClient(mongo_uri, tz_aware=True)[database], subscribers,
                       "daily" if run.digest else "immediately")
    if run.digest:
        insert_ended_digests(MongoClient(mongo_uri, tz_aware=True)[database])
    smtp_port, status = free_port(), directory / f"{database}.smtp"
    with rabbitmq_vhost(Settings.AMQP_URI, MANAGEMENT_URL, prefix="bench_notify") as amqp_uri:
        settings = Settings(AMQP_URI=amqp_uri, MONGO_URI=mongo_uri, NOTIFY_DB=database,
                            SMTP_PORT=smtp_port, NOTIFY_SEND_RATE=run.send_rate)
        counter = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.smtp_counter", str(smtp_port), str(status)],
                                   cwd=project_root(), env=subprocess_env())
        notify = content = None
        try:
            wait_for_port(smtp_port, process=counter)
            content = start_service(CONTENT_STAND_IN, settings, directory / f"{database}.content.log")
            notify = start_service(service_path("notify"), settings, directory / f"{database}.log")
            config = settings.as_nameko_config()
            with ClusterRpcProxy(config) as cluster:
                wait_for(lambda: answers(cluster, notify), timeout=120, message="notify to answer")
            started = time.monotonic()
            if not run.digest:
                EventSender(config).dispatch(article_published("bai-benchmark"))
            received, last_at = wait_for_every_email(status, subscribers, notify, started)
            if run.digest:  # the clock starts with the first digest planned, not with the timer's wait
                first = MongoClient(mongo_uri, tz_aware=True)[database].deliveries.find_one(
                    {}, {"created_at": 1}, sort=[("created_at", 1)])["created_at"]
                started = first.timestamp() - (time.time() - time.monotonic())
            run.seconds_to_last = last_at - started
            run.emails_per_second = received / run.seconds_to_last
            run.peak_memory_mb = peak_memory_mb(notify.pid)
        except Exception:
            log = directory / f"{database}.log"
            if log.exists():
                sys.stderr.write(log.read_text()[-4000:])
            raise
        finally:
            for process in (notify, content, counter):
                if process is not None:
                    stop_process(process)


def start_service(service: str, settings: Settings, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "nameko"), "run", "--config", "deploy/nameko.yml", service],
        cwd=project_root(), env=subprocess_env(**settings.as_nameko_config()),
        stdout=open(log, "ab"), stderr=subprocess.STDOUT)


def article_published(article_id: str) -> ArticlePublished:
    return ArticlePublished(
        document_id=article_id, version=1, occurred_at=utcnow(),
        article=article_snapshot(article_id, "Khánh thành cầu Trường Hà", unit=UNIT, unit_name=UNIT_NAME,
                                 summary="Cây cầu nối đôi bờ phá Tam Giang được đưa vào sử dụng."))


def insert_ended_digests(database):
    """For each subscriber, DIGEST_ITEMS items filed as SubscriptionStore files them, under the
    period that ended this morning (or yesterday's)."""
    ended = utcnow() - timedelta(days=1)
    items = [item_of(article_published(f"bai-{number}")) for number in range(DIGEST_ITEMS)]
    for batch in batches(database.subscriptions.find({}, {"frequency": 1}), INSERT_BATCH):
        database.digest_items.insert_many([_digest_item(subscriber, item, ended)
                                           for subscriber in batch for item in items], ordered=False)


def insert_subscribers(database, count: int, frequency: str):
    """Subscribers as SubscriptionStore.subscribe and confirm leave them, written in batches."""
    now = utcnow()
    for start in range(0, count, INSERT_BATCH):
        batch = []
        for number in range(start, min(start + INSERT_BATCH, count)):
            token = secrets.token_urlsafe(32)
            batch.append({"email": f"cong-dan-{number}@example.vn", "unit": UNIT, "status": "confirmed",
                          "token": token, "token_hash": token_hash(token), "created_at": now, "confirmed_at": now,
                          "kind": "news", "category": None, "with_units_under": False, "frequency": frequency})
        database.subscriptions.insert_many(batch, ordered=False)


def answers(cluster, notify: subprocess.Popen) -> bool:
    if notify.poll() is not None:
        raise RuntimeError(f"notify exited with {notify.returncode}")
    cluster.notify.delivery_figures(1)
    return True


def wait_for_every_email(status: Path, expected: int, notify: subprocess.Popen, started: float):
    """(emails received, monotonic time of the last) once there are `expected`."""
    while True:
        if notify.poll() is not None:
            raise RuntimeError(f"notify exited with {notify.returncode}")
        received, last_at = read_status(status)
        if received >= expected:
            return received, last_at
        if time.monotonic() - max(last_at, started) > STALL_SECONDS:
            raise RuntimeError(f"no email for {STALL_SECONDS} s: {received:,} of {expected:,} received")
        time.sleep(0.2)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def print_run(run: Run, subscribers: int):
    print(f"[{run.label}] {subscribers:,} emails: {run.emails_per_second:,.0f} emails/s, "
          f"last email {run.seconds_to_last:.1f} s after the event, notify peak memory {run.peak_memory_mb:.0f} MB",
          flush=True)


if __name__ == "__main__":
    main()
