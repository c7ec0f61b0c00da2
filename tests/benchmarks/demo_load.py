"""How long the demo province takes to load (`make run`'s deploy/demo_data.py `load`), phase by
phase and unit by unit.

    .venv/bin/python -m tests.benchmarks.demo_load [--units N] [--again] [--parallel 4] [--no-league]
        [--without notify,search]

Starts a private MongoDB stand-in (SecantusDB, as `make run` starts it: its TTL sweep at its own
pace, not the tests' every second), an SMTP catcher and a throwaway RabbitMQ vhost, then the four
services as `make run` does (deploy/launcher.py's `nameko run` processes: search, ranking,
notify, content; the gateway is not needed), and times `load` for the first N units of
deploy/demo/units_thua_thien_hue.json (all 183 by default). It prints:

- each phase: levels, the units (unit, categories, media uploads, history imports), the editorial
  board and sign-ins, the league (visits, rebuild, freezing), then how long until every event has
  reached search, ranking and notify (the outbox and their queues empty);
- each unit, in the order its import finished: its items, its imports' seconds, its uploads'
  seconds and the items the database held before, so that a cost growing with the data shows;
- the conformance report over what was loaded: its time (first, and again from the saved
  facts) and the items present per level;
- with --again, the second load's time (which must import nothing).

--without leaves consumers out (never started, so no queue keeps their events): what the load
costs without their work on the shared database. The league needs ranking.

The load averages before and after say how busy the machine was. Figures are the stand-in's:
stack.md says where it is slower than MongoDB. Needs RabbitMQ with its management API (as the
tests do).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy
from pymongo import MongoClient

from deploy.launcher import Platform
from tests.servers import SmtpServer, free_port, project_root, rabbitmq_vhost, stop_process, wait_for, wait_for_port

with warnings.catch_warnings():  # nameko loads eventlet, which warns once that it is deprecated (stack.md)
    warnings.simplefilter("ignore")
    from deploy import demo_data
    from services.common.config import Settings

SERVICES = ("search", "ranking", "notify", "content")
# Collections whose size the import's cost could grow with.
COUNTED = ("articles", "schedules", "documents", "questions", "pages", "revisions", "audit", "outbox")


@contextmanager
def mongo_server(directory: Path):
    """SecantusDB as deploy/launcher.py runs it; yields its URI."""
    directory.mkdir(parents=True)
    port = free_port()
    with open(directory / "server.log", "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "deploy.mongo_standin", "--host", "127.0.0.1",
                                    "--port", str(port), "--storage-path", str(directory), "--log-level", "WARNING"],
                                   cwd=project_root(), stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_for_port(port, process=process)
        yield f"mongodb://127.0.0.1:{port}/"
    finally:
        stop_process(process)


class Timings:
    """Seconds per phase, and per unit per RPC, collected from the load's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phases: dict[str, float] = {}
        self.units: list[dict] = []

    @contextmanager
    def phase(self, name: str):
        started = time.monotonic()
        try:
            yield
        finally:
            with self.lock:
                self.phases[name] = self.phases.get(name, 0.0) + time.monotonic() - started


class TimedService:
    """A service proxy whose every call is timed into `spent` (seconds per method)."""

    def __init__(self, service, spent: dict):
        self._service, self._spent = service, spent

    def __getattr__(self, name):
        method = getattr(self._service, name)

        def timed(*args, **kwargs):
            started = time.monotonic()
            try:
                return method(*args, **kwargs)
            finally:
                self._spent[name] = self._spent.get(name, 0.0) + time.monotonic() - started
        return timed


@contextmanager
def instrumented(timings: Timings, database):
    """demo_data's steps timed, by wrapping the module's functions for the length of the load."""
    fill_unit, demo_board = demo_data._fill_unit, demo_data._demo_board
    users_load, league_load = demo_data.demo_users.load, demo_data.demo_league.load

    def timed_fill(content, acting, unit, now, history):
        spent: dict[str, float] = {}
        before = stored_items(database)
        started = time.monotonic()
        counts = fill_unit(TimedService(content, spent), acting, unit, now, history)
        with timings.lock:
            timings.units.append({"slug": unit["slug"], "pass": "past" if history else "week",
                                  "seconds": time.monotonic() - started, "before": before, "spent": spent, **counts})
            # As it happens too, so that a run stopped early still shows the growth.
            print(f"  {timings.units[-1]['pass']} {len(timings.units)} {unit['slug']}: "
                  f"{counts['imported'] + counts['skipped']} items, "
                  f"{before} stored before, import {spent.get('import_history', 0.0):.2f} s", flush=True)
        return counts

    def timed(name, function):
        def call(*args, **kwargs):
            with timings.phase(name):
                return function(*args, **kwargs)
        return call

    demo_data._fill_unit = timed_fill
    demo_data._demo_board = timed("board", demo_board)
    demo_data.demo_users.load = timed("sign-ins", users_load)
    demo_data.demo_league.load = timed("league", league_load)
    try:
        yield
    finally:
        demo_data._fill_unit, demo_data._demo_board = fill_unit, demo_board
        demo_data.demo_users.load, demo_data.demo_league.load = users_load, league_load


def stored_items(database) -> int:
    return sum(database[name].estimated_document_count() for name in ("articles", "schedules", "documents",
                                                                       "questions", "pages"))


def drained(database, management: str, vhost: str) -> bool:
    """Every event sent and consumed: nothing pending in the outbox, nothing in the vhost's queues."""
    from nameko.testing.rabbit import Client as RabbitManagement

    if database["outbox"].count_documents({"dispatched": False}):
        return False
    queues = RabbitManagement(management).get_queues(vhost)
    return all(queue.get("messages", 0) == 0 for queue in queues if not queue["name"].startswith("rpc.reply"))


def report(timings: Timings, seconds: float):
    units = timings.units
    both = len({unit["pass"] for unit in units}) == 2
    print(f"\nLoad: {seconds:,.1f} s for {len({unit['slug'] for unit in units})} units"
          + (" (two passes over them: this week's material, then the past)" if both else ""))
    for name, spent in timings.phases.items():
        print(f"  {name:<12} {spent:8.1f} s")
    if not units:
        return
    imports = [unit["spent"].get("import_history", 0.0) for unit in units]
    uploads = [unit["spent"].get("upload_media", 0.0) for unit in units]
    print(f"  units: sum of per-unit seconds {sum(unit['seconds'] for unit in units):,.1f} (side by side); "
          f"imports {sum(imports):,.1f} s (median {statistics.median(imports):.2f}, max {max(imports):.2f}); "
          f"uploads {sum(uploads):,.1f} s")
    print("\n  #  pass  unit                                   items  before  import s  upload s  unit s")
    for number, unit in enumerate(units, start=1):
        items = unit["imported"] + unit["skipped"]
        print(f"{number:>3}  {unit['pass']:<4}  {unit['slug'][:36]:<36} {items:>7} {unit['before']:>7} "
              f"{unit['spent'].get('import_history', 0.0):>9.2f} {unit['spent'].get('upload_media', 0.0):>9.2f} "
              f"{unit['seconds']:>7.2f}")
    tenth = max(1, len(units) // 10)
    first, last = imports[:tenth], imports[-tenth:]
    print(f"\n  import seconds per unit: first {tenth} units mean {statistics.mean(first):.2f}, "
          f"last {tenth} mean {statistics.mean(last):.2f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=None, help="the first N units (default: all 183)")
    parser.add_argument("--parallel", type=int, default=4, help="load's `parallel` (units side by side)")
    parser.add_argument("--no-league", action="store_true", help="skip the ranking's past (demo_league)")
    parser.add_argument("--no-history", action="store_true", help="only this week's material (load's history=False)")
    parser.add_argument("--again", action="store_true", help="then load a second time (must add nothing)")
    parser.add_argument("--without", default="", help="consumers not to start, comma-separated: search,notify")
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@127.0.0.1:5672/")
    parser.add_argument("--rabbit-management", default="http://guest:guest@127.0.0.1:15672")
    args = parser.parse_args(argv)
    chosen = demo_data.units()[:args.units]
    left_out = {name for name in args.without.split(",") if name}
    if left_out - {"search", "ranking", "notify"} or ("ranking" in left_out and not args.no_league):
        parser.error("--without takes search, notify, and ranking with --no-league")
    services = [name for name in SERVICES if name not in left_out]
    print(f"Load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="demo-load-") as scratch:
        scratch = Path(scratch)
        smtp = SmtpServer(scratch / "smtp").start()
        try:
            with mongo_server(scratch / "mongo") as mongo_uri, \
                    rabbitmq_vhost(args.amqp_uri, args.rabbit_management, "demo_load") as amqp_uri:
                settings = Settings(AMQP_URI=amqp_uri, MONGO_URI=mongo_uri, SMTP_PORT=smtp.port,
                                    CONTENT_DB=f"content_{uuid.uuid4().hex[:8]}",
                                    SEARCH_INDEX_DIR=str(scratch / "search-index"))
                config = settings.as_nameko_config()
                platform = Platform(scratch / "run", {key: value for key, value in config.items()})
                started = time.monotonic()
                for name in services:
                    platform.start_service(name)
                try:
                    for name in services:
                        platform.wait_for_service(name, timeout=120)
                    print(f"Services up after {time.monotonic() - started:.1f} s: {', '.join(services)}", flush=True)
                    database = MongoClient(mongo_uri)[settings.CONTENT_DB]
                    run(args, config, chosen, database, amqp_uri.rsplit("/", 1)[1])
                finally:
                    for name in reversed(services):
                        platform.stop_process(name)
                    print(f"Service logs were in {platform.log_dir} (removed)")
        finally:
            smtp.stop()
            log = (scratch / "mongo" / "server.log").read_text(errors="replace")
            if log.strip():
                print(f"\nThe stand-in's log, last lines:\n{log[-2000:]}")
    print(f"Load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


def conformance(config: dict):
    """The conformance report over what was loaded (issue: items present per level), timed as the
    gateway asks for it: the first report works every unit out, the next reads the saved facts."""
    with ClusterRpcProxy(config, timeout=120) as services:
        timed = []
        for _ in range(2):
            started = time.monotonic()
            report = services.content.conformance_report()
            timed.append(time.monotonic() - started)
    print(f"\nConformance report over {len(report['units'])} units: first {timed[0]:.2f} s, "
          f"again {timed[1]:.3f} s")
    for level in report["levels"]:
        print(f"  {level['level_name']}: {level['units']} units, {level['present']} of {level['owed']} items "
              f"present ({level['score']:.0%}), {level['missing']} missing, {level['out_of_date']} out of date")
        for item in level["items"]:
            print(f"    {item['title']}: {item['present']} of {item['units']}")


def run(args, config: dict, chosen: list[dict], database, vhost: str):
    timings = Timings()
    quiet = lambda *_: None  # noqa: E731 (the load's own progress lines would interleave with ours)
    ready_after = []
    with instrumented(timings, database):
        started = time.monotonic()
        demo_data.load(config, only=chosen, parallel=args.parallel, league=not args.no_league,
                       history=not args.no_history, log=quiet,
                       ready=lambda: ready_after.append(time.monotonic() - started))
        seconds = time.monotonic() - started
    units_seconds = seconds - sum(timings.phases.values())
    timings.phases = {"levels+units": units_seconds, **timings.phases}
    waited = time.monotonic()
    wait_for(lambda: drained(database, args.rabbit_management, vhost), timeout=1800, interval=0.5,
             message="every event consumed")
    timings.phases["events drained after"] = time.monotonic() - waited
    report(timings, seconds)
    print(f"\n  every unit's this week in (make run prints the address): {ready_after[0]:,.1f} s")
    print("\n  stored: " + ", ".join(f"{name} {database[name].estimated_document_count()}" for name in COUNTED))
    conformance(config)
    if args.again:
        again = Timings()
        with instrumented(again, database):
            started = time.monotonic()
            demo_data.load(config, only=chosen, parallel=args.parallel, league=not args.no_league,
                       history=not args.no_history, log=quiet)
            seconds = time.monotonic() - started
        imported = sum(unit["imported"] for unit in again.units)
        print(f"\nSecond load: {seconds:,.1f} s, {imported} items imported (must be 0); phases: "
              + ", ".join(f"{name} {spent:.1f} s" for name, spent in again.phases.items()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
