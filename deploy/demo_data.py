"""Demo data: the real units of Thừa Thiên Huế (deploy/demo/units_thua_thien_hue.json, which
names its sources), each with its contact details, managing body and licence line, two
categories, this week's news with cover pictures, leadership schedule, legal document with its
PDF, answered question and required pages in Vietnamese and English, then its past months
(deploy/demo_history.py) and the other sections the law requires (SECTIONS: functions and
leaders, disclosures, administrative procedures, drafts for comment); a demo editorial board on
the provincial portal, and workspace sign-ins with the demo password in the province, a district
and a commune (deploy/demo_users.py). Loaded over RPC as the platform administrator, units side
by side; running it twice adds nothing."""
from __future__ import annotations

import json
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime
from functools import partial

from nameko.standalone.rpc import ClusterRpcProxy

from deploy import (
    demo_consultations,
    demo_disclosures,
    demo_history,
    demo_league,
    demo_pages,
    demo_procedures,
    demo_users,
)
from deploy.demo_progress import Progress
from deploy.demo_site import UNITS_FILE, Site
from services.common import vietnam_time
from services.common.actors import ActorAssertions
from services.common.config import Settings
from services.common.errors import Conflict

CATEGORIES = [("tin-dia-phuong", "Tin địa phương", "Local news"), ("thong-bao", "Thông báo", "Announcements")]
ARTICLES = demo_history.CURRENT_ARTICLES  # (slug, topic, title): fixed slugs make a second run a no-op
SECTIONS = (demo_pages, demo_disclosures, demo_procedures, demo_consultations)
PASSES = {False: "Dữ liệu mẫu, tuần này", True: "Dữ liệu mẫu, các tháng trước"}
DEMO_BOARD = {"tac-gia": "author", "bien-tap": "editor", "tong-bien-tap": "editor_in_chief", "quan-tri": "unit_admin"}


def units() -> list[dict]:
    return json.loads(UNITS_FILE.read_text(encoding="utf-8"))["units"]


def levels() -> list[dict]:
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    return [{**level, "order": order} for order, level in enumerate(data["levels"])]


def load(nameko_config: dict, admin: str = "admin", log=print, only: list[dict] | None = None,
         parallel: int = 4, history: bool = True, league: bool = True,
         ready: Callable[[], None] | None = None) -> int:
    """Create what is missing; returns how many of the current articles were published by this
    run (the history's items are counted in the log).

    `only`: a part of the unit list (parents before children), for a quicker load.
    `history`: each unit's past months and the other sections the law requires (SECTIONS) too;
    `league`: then the ranking's past (its visits carried over, the past months frozen; needs the
    ranking service).
    `ready`: called once every unit has this week's material, what its pages show first, before
    the past months (a fifth of the load's time, not all of it): `make run` prints the portal's
    address then, so that it can be opened while the archives fill.
    """
    chosen = only if only is not None else units()
    # A fresh assertion for each call: the load outlasts any one assertion's lifetime.
    acting = partial(ActorAssertions(Settings.from_mapping(nameko_config).ACTOR_SECRET).sign, admin)
    now = vietnam_time.now()
    with ClusterRpcProxy(nameko_config, timeout=60) as services:
        for level in levels():
            _create(services.content.create_level, acting(), level)
    with _proxies(nameko_config, parallel) as content_proxy, ThreadPoolExecutor(parallel) as pool:
        # This week first, every unit's (what its pages show), and the sign-ins; then the past
        # months, a second pass over the units that imports what the first did not.
        progress = Progress(len(chosen), PASSES[False], log)
        totals = _fill_units(pool, content_proxy, chosen, partial(_fill_unit, acting=acting, now=now, history=False),
                             progress)
        progress.close()
        with ClusterRpcProxy(nameko_config, timeout=60) as services:
            board = _demo_board(services.content, acting, chosen[0]["slug"])
            signs_in = demo_users.load(services.content, acting, chosen)
        if ready is not None:
            ready()
        if history:
            progress = Progress(len(chosen) + 1, PASSES[True], log)
            past = _fill_units(pool, content_proxy, chosen, partial(_fill_unit, acting=acting, now=now, history=True),
                               progress)
            totals = {key: totals[key] + past[key] for key in totals}
    progress.note(f"Demo data: {len(chosen)} units, {totals['articles']} new articles of this week published, "
                  f"{totals['imported']} items imported ({totals['skipped']} there already)")
    if history and league:
        demo_league.load(nameko_config, chosen, acting, progress.note)
    if history:
        progress.advance()  # the second pass's last step: the league
        progress.close()
    for username, token in board.items():
        log(f"  demo user {username} ({DEMO_BOARD[username]} of {chosen[0]['name']}): token {token}")
    log(f"  {signs_in} new workspace sign-ins with the demo password (deploy/demo_users.py)")
    return totals["articles"]


def _fill_units(pool: ThreadPoolExecutor, content_proxy, chosen: list[dict], fill_unit, progress: Progress) -> dict:
    """Each unit filled by `fill_unit(content, unit)`, side by side, a generation at a time so that
    a unit's parent exists before it: the counts summed."""
    totals = {"imported": 0, "skipped": 0, "articles": 0}

    def fill(unit: dict) -> dict:
        with content_proxy() as content:
            counts = fill_unit(content, unit=unit)
        progress.advance()
        return counts

    for generation in _generations(chosen):
        for counts in pool.map(fill, generation):
            totals = {key: totals[key] + counts[key] for key in totals}
    return totals


def _fill_unit(content, acting, unit: dict, now: datetime, history: bool) -> dict:
    profile = Site.of(unit).profile()
    _create(content.create_unit, acting(), {**{key: unit[key] for key in ("slug", "name", "name_en", "level",
                                                                          "parent")}, **profile})
    for slug, name, name_en in CATEGORIES:
        _create(content.create_category, acting(), unit["slug"], {"slug": slug, "name": name, "name_en": name_en})
    counts = demo_history.load_unit(content, acting, unit, now, past=history)
    # The sections the law asks of every site (services/content/required_sections.toml); each
    # part leaves about one unit in six without it, so the conformance report has gaps to show.
    for part in SECTIONS if history else ():
        counts["imported"] += part.load_unit(content, acting, unit, now)
    return counts


def _generations(chosen: list[dict]) -> Iterator[list[dict]]:
    """The units in generations: those whose parent is not among them (it exists already), then
    their children, and so on."""
    placed: set[str] = set()
    slugs = {unit["slug"] for unit in chosen}
    left = list(chosen)
    while left:
        generation = [unit for unit in left if unit["parent"] not in slugs or unit["parent"] in placed]
        placed |= {unit["slug"] for unit in generation}
        left = [unit for unit in left if unit["slug"] not in placed]
        yield generation


@contextmanager
def _proxies(nameko_config: dict, count: int):
    """Lends each thread a long-lived content proxy of its own while it works: a standalone
    proxy is not thread-safe."""
    with ExitStack() as stack:
        free = queue.Queue()
        for _ in range(count):
            free.put(stack.enter_context(ClusterRpcProxy(nameko_config, timeout=60)).content)

        @contextmanager
        def lend():
            content = free.get()
            try:
                yield content
            finally:
                free.put(content)

        yield lend


def _demo_board(content, acting, unit: str) -> dict[str, str]:
    """An editorial board for the provincial portal; tokens are shown once, when created."""
    tokens = {}
    for username, role in DEMO_BOARD.items():
        user = _create(content.create_user, acting(), {"username": username, "name": username.replace("-", " ").title(),
                                                    "roles": {unit: [role]}})
        if user is not None:
            tokens[username] = user["token"]
    return tokens


def _create(method, *args):
    """Call a create RPC; None if the thing exists already."""
    try:
        return method(*args)
    except Conflict:
        return None
