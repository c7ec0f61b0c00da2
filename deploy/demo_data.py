"""Demo data: the real units of Thừa Thiên Huế (deploy/demo/units_thua_thien_hue.json, which
names its sources); for each unit two categories, three published articles, its
introduction and contact pages in Vietnamese and English, this week's leadership schedule, a
legal document and an answered question, then its past months (deploy/demo_history.py); a
demo editorial board on the provincial portal, and workspace sign-ins with the demo password in
the province, a district and a commune (deploy/demo_users.py). Loaded over RPC as the platform
administrator; running it twice adds nothing."""
from __future__ import annotations

import json
import queue
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_history, demo_league, demo_users
from services.common.actors import ActorAssertions
from services.common.config import Settings
from services.common.errors import Conflict
from services.common.vietnam_time import LOCAL_TIME

UNITS_FILE = Path(__file__).parent / "demo" / "units_thua_thien_hue.json"
CATEGORIES = [("tin-dia-phuong", "Tin địa phương", "Local news"), ("thong-bao", "Thông báo", "Announcements")]
# (slug, category, title, summary, body); a fixed slug makes a second run a no-op.
ARTICLES = [
    ("chuyen-doi-so-2026", "tin-dia-phuong", "{name} đẩy mạnh chuyển đổi số và chính quyền điện tử",
     "Năm 2026, {name} tiếp tục đưa dịch vụ công trực tuyến đến gần người dân.",
     "<p>{name} triển khai trang thông tin điện tử theo chuẩn giao diện chung của tỉnh, "
     "cập nhật lịch công tác và văn bản chỉ đạo điều hành kịp thời.</p>"),
    ("cai-cach-thu-tuc-hanh-chinh", "thong-bao", "Hội nghị triển khai nhiệm vụ cải cách thủ tục hành chính tại {name}",
     "UBND {name} họp triển khai kế hoạch cải cách thủ tục hành chính.",
     "<p>Hội nghị thống nhất giải pháp giảm thời gian giải quyết thủ tục hành chính, "
     "tăng tỷ lệ hồ sơ nộp trực tuyến.</p>"),
    ("ngay-chu-nhat-xanh", "tin-dia-phuong", "{name} ra quân vệ sinh môi trường, xây dựng nếp sống văn minh",
     "Đông đảo người dân tham gia ngày chủ nhật xanh.",
     "<p>Hoạt động thu hút cán bộ, đoàn viên thanh niên và nhân dân trên địa bàn.</p>"),
]
DEMO_BOARD = {"tac-gia": "author", "bien-tap": "editor", "tong-bien-tap": "editor_in_chief", "quan-tri": "unit_admin"}


def units() -> list[dict]:
    return json.loads(UNITS_FILE.read_text(encoding="utf-8"))["units"]


def levels() -> list[dict]:
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    return [{**level, "order": order} for order, level in enumerate(data["levels"])]


def load(nameko_config: dict, admin: str = "admin", log=print, only: list[dict] | None = None,
         parallel: int = 4, history: bool = True, league: bool = True) -> int:
    """Create what is missing; returns how many of the current articles were published by this
    run (the history's items are counted in the log).

    `only`: a part of the unit list (parents before children), for a quicker load.
    `history`: each unit's past months too; `league`: then the ranking's past (its visits carried
    over, the past months frozen; needs the ranking service).
    """
    chosen = only if only is not None else units()
    # A fresh assertion for each call: the load outlasts any one assertion's lifetime.
    acting = partial(ActorAssertions(Settings.from_mapping(nameko_config).ACTOR_SECRET).sign, admin)
    with ClusterRpcProxy(nameko_config, timeout=60) as services:
        for level in levels():
            _create(services.content.create_level, acting(), level)
        for unit in chosen:  # in order: a parent exists before its children
            _create(services.content.create_unit, acting(), {key: unit[key] for key in (
                "slug", "name", "name_en", "level", "parent")})
        board = _demo_board(services.content, acting, chosen[0]["slug"])
        signs_in = demo_users.load(services.content, acting, chosen)
    # Each unit's own material is independent of the others': load it side by side, one
    # long-lived proxy per thread at a time (a standalone proxy is not thread-safe).
    with ExitStack() as stack:
        proxies = queue.Queue()
        for _ in range(parallel):
            proxies.put(stack.enter_context(ClusterRpcProxy(nameko_config, timeout=60)).content)

        def each_unit(fill, what: str) -> int:
            done = iter(range(1, len(chosen) + 1))  # next() on it is atomic under the GIL

            def run(unit):
                content = proxies.get()
                try:
                    return fill(content, acting, unit)
                finally:
                    proxies.put(content)
                    count = next(done)
                    if count % 20 == 0 or count == len(chosen):
                        log(f"  demo data: {count}/{len(chosen)} units {what}")

            with ThreadPoolExecutor(parallel) as pool:
                return sum(pool.map(run, chosen))

        published = each_unit(_fill_unit, "filled")
        # Their past once every unit has its present (see demo_history.load_unit).
        imported = each_unit(lambda *args: demo_history.load_unit(*args)["imported"], "with their past") \
            if history else 0
    log(f"Demo data: {len(chosen)} units, {published} new articles published, {imported} items of their past imported")
    if history and league:
        demo_league.load(nameko_config, chosen, acting, log)
    for username, token in board.items():
        log(f"  demo user {username} ({DEMO_BOARD[username]} of {chosen[0]['name']}): token {token}")
    log(f"  {signs_in} new workspace sign-ins with the demo password (deploy/demo_users.py)")
    return published


def _fill_unit(content, acting, unit: dict) -> int:
    published = 0
    for slug, name, name_en in CATEGORIES:
        _create(content.create_category, acting(), unit["slug"], {"slug": slug, "name": name, "name_en": name_en})
    for slug, category, title, summary, body in ARTICLES:
        article = _create(content.create_article, acting(), unit["slug"], {
            "slug": slug, "category": category, "title": title.format(name=unit["name"]),
            "summary": summary.format(name=unit["name"]), "body_html": body.format(name=unit["name"]),
            "tags": ["chính quyền điện tử"]})
        if article is not None:
            content.move_article(acting(), article["id"], "force_publish",
                                 {"version": article["version"], "comment": "Dữ liệu mẫu"})
            published += 1
    _fill_pages(content, acting, unit)
    _fill_schedule(content, acting, unit)
    _fill_document(content, acting, unit)
    _fill_question(content, acting, unit)
    return published


def _fill_pages(content, acting, unit: dict):
    name, name_en = unit["name"], unit.get("name_en") or unit["name"]
    for key, lang, title, body in (
        ("gioi-thieu", "vi", f"Giới thiệu {name}", f"<p>{name} là đơn vị hành chính thuộc tỉnh Thừa Thiên Huế.</p>"),
        ("gioi-thieu", "en", f"About {name_en}", f"<p>{name_en} is an administrative unit of Thua Thien Hue.</p>"),
        ("lien-he", "vi", "Liên hệ", f"<p>Bộ phận một cửa {name}. Điện thoại: 0234 3822 000.</p>"),
        ("lien-he", "en", "Contact", f"<p>One-stop office of {name_en}. Phone: +84 234 3822 000.</p>"),
    ):
        _create(content.create_page, acting(), unit["slug"],
                {"key": key, "lang": lang, "title": title, "body_html": body})


def _fill_schedule(content, acting, unit: dict):
    """This week's leadership schedule, so the schedule page has something to show."""
    today = datetime.now(LOCAL_TIME).date()
    year, week, weekday = today.isocalendar()
    monday = today - timedelta(days=weekday - 1)
    entries = [
        {"start": datetime.combine(monday, time(7, 30), LOCAL_TIME).isoformat(),
         "end": datetime.combine(monday, time(9, 0), LOCAL_TIME).isoformat(),
         "leader": f"Chủ tịch {unit['name']}", "title": "Giao ban đầu tuần", "location": "Phòng họp số 1"},
        {"start": datetime.combine(monday + timedelta(days=2), time(14, 0), LOCAL_TIME).isoformat(),
         "leader": f"Phó Chủ tịch {unit['name']}", "title": "Tiếp công dân định kỳ", "location": "Trụ sở tiếp dân"},
    ]
    week_name = f"{year}-W{week:02d}"
    schedule = _create(content.create_schedule, acting(), unit["slug"], week_name, {"entries": entries})
    if schedule is not None:
        content.publish_schedule(acting(), unit["slug"], week_name, schedule["version"])


def _fill_document(content, acting, unit: dict):
    year = datetime.now(LOCAL_TIME).year
    document = _create(content.create_document, acting(), unit["slug"], {
        "number": f"15/{year}/KH-UBND", "type": "Kế hoạch", "issuing_body": unit["name"],
        "signer": f"Chủ tịch {unit['name']}", "issued_on": f"{year}-01-15",
        "excerpt": f"Kế hoạch chuyển đổi số năm {year} của {unit['name']}", "field": "Chuyển đổi số"})
    if document is not None:
        content.publish_document(acting(), document["id"], document["version"])


def _fill_question(content, acting, unit: dict):
    if content.list_questions(unit["slug"])["total"]:
        return  # loaded by an earlier run (questions have no natural key to collide on)
    asked = content.ask_question(unit["slug"], {
        "asker_name": "Nguyễn Văn B", "asker_email": "cong-dan@example.vn",
        "title": "Thủ tục cấp bản sao giấy khai sinh",
        "question": "Tôi cần chuẩn bị những giấy tờ gì để xin cấp bản sao giấy khai sinh?"})
    content.accept_question(acting(), asked["id"])
    content.answer_question(acting(), asked["id"], {
        "answer_html": "<p>Ông/bà mang theo căn cước công dân và nộp tại Bộ phận một cửa, "
                       "hoặc nộp trực tuyến trên Cổng Dịch vụ công.</p>"})
    content.publish_question(acting(), asked["id"])


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
