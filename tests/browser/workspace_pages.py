"""The workspace's people and pages for the browser tests: Phường Thủy Biều's editorial board,
one person per role, each with a password, a person who works in two units (for the chooser),
and every workspace page with the role that opens it.

Signing in costs a sign-in attempt from 127.0.0.1, and one address may try 60 an hour
(services/content/sessions.py): each person signs in once per test module, in a browser, and
the tests open pages with the cookies that left (`signed_in`)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import requests
from PIL import Image

from tests.browser.conftest import FEATURED_SLUG, LOCAL_TIME, TOKEN, UNIT, next_page
from tests.servers import wait_for

PASSWORD = "Mat-khau-thu-nghiem-2026"
SIGN_IN = "/quan-tri/dang-nhap"
BOARD = {  # username -> role in the ward
    "tb-tac-gia": "author",
    "tb-bien-tap": "editor",
    "tb-tong-bien-tap": "editor_in_chief",
    "tb-quan-tri": "unit_admin",
}
TWO_UNITS = "tb-hai-don-vi"  # an editor in the ward and in the city
OTHER_UNIT = "thanh-pho-hue"


def create_board(site) -> None:
    """The ward's board and the person of two units, through the JSON API as the platform admin."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {TOKEN}"
    people = {username: {UNIT: [role]} for username, role in BOARD.items()}
    people[TWO_UNITS] = {UNIT: ["editor"], OTHER_UNIT: ["editor"]}
    for username, roles in people.items():
        created = api.post(f"{site.url}/api/users", timeout=30, json={
            "username": username, "name": f"Cán bộ {username}", "roles": roles, "password": PASSWORD})
        assert created.status_code == 201, created.text


def sign_in(page, url: str, username: str, password: str = PASSWORD):
    """Sign in on the page's tab, from the sign-in page, by typing and Enter as a person would."""
    page.goto(url + SIGN_IN)
    page.locator("#ten-dang-nhap").fill(username)
    page.locator("#mat-khau").fill(password)
    page.locator("#mat-khau").press("Enter")
    next_page(page, "header .workspace-person", timeout=30)


@dataclass(frozen=True)
class WorkspacePage:
    """A workspace page: who opens it (None: nobody signed in), its address, which may name
    things the module made (`made["article"]`…), and the status it answers with."""

    who: str | None
    path: str
    status: int = 200

    def address(self, made: dict) -> str:
        return self.path.format(unit=UNIT, **made)


WORKSPACE = f"/quan-tri/{UNIT}"
AUTHOR, EDITOR, CHIEF, ADMIN = BOARD
# Every workspace page (gateway/app.py's routes under /quan-tri), named, with who opens it.
PAGES = {
    "sign-in": WorkspacePage(None, SIGN_IN),
    "password change": WorkspacePage(AUTHOR, "/quan-tri/mat-khau"),
    "unit chooser": WorkspacePage(TWO_UNITS, "/quan-tri"),
    "dashboard": WorkspacePage(CHIEF, WORKSPACE),
    "dashboard of an author": WorkspacePage(AUTHOR, WORKSPACE),
    "article list": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet"),
    "new article form": WorkspacePage(AUTHOR, f"{WORKSPACE}/bai-viet/moi"),
    "article edit page": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{{article}}"),
    "published article page": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{{published}}"),
    "article preview": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{{article}}/xem-truoc"),
    "article revisions": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{{article}}/phien-ban"),
    "article revisions compared": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{{article}}/phien-ban?truoc=1&sau=2"),
    "schedule week": WorkspacePage(EDITOR, f"{WORKSPACE}/lich-cong-tac/{{this_week}}"),
    "schedule, next week (empty)": WorkspacePage(EDITOR, f"{WORKSPACE}/lich-cong-tac/{{next_week}}"),
    "schedule revisions": WorkspacePage(EDITOR, f"{WORKSPACE}/lich-cong-tac/{{this_week}}/phien-ban"),
    "document list": WorkspacePage(EDITOR, f"{WORKSPACE}/van-ban"),
    "new document form": WorkspacePage(EDITOR, f"{WORKSPACE}/van-ban/moi"),
    "document edit page": WorkspacePage(EDITOR, f"{WORKSPACE}/van-ban/{{document}}"),
    "document revisions": WorkspacePage(EDITOR, f"{WORKSPACE}/van-ban/{{document}}/phien-ban"),
    "question inbox": WorkspacePage(EDITOR, f"{WORKSPACE}/hoi-dap"),
    "drafts for comment": WorkspacePage(EDITOR, f"{WORKSPACE}/du-thao"),
    "new draft for comment": WorkspacePage(EDITOR, f"{WORKSPACE}/du-thao/moi"),
    "question waiting": WorkspacePage(EDITOR, f"{WORKSPACE}/hoi-dap/{{asked}}"),
    "question answered": WorkspacePage(CHIEF, f"{WORKSPACE}/hoi-dap/{{answered}}"),
    "answer revisions": WorkspacePage(CHIEF, f"{WORKSPACE}/hoi-dap/{{answered}}/phien-ban"),
    "static pages": WorkspacePage(ADMIN, f"{WORKSPACE}/trang"),
    "static page, both languages": WorkspacePage(ADMIN, f"{WORKSPACE}/trang/gioi-thieu"),
    "static page revisions": WorkspacePage(ADMIN, f"{WORKSPACE}/trang/gioi-thieu/vi/phien-ban"),
    "categories": WorkspacePage(ADMIN, f"{WORKSPACE}/chuyen-muc"),
    "category": WorkspacePage(ADMIN, f"{WORKSPACE}/chuyen-muc/tin-dia-phuong"),
    "category revisions": WorkspacePage(ADMIN, f"{WORKSPACE}/chuyen-muc/tin-dia-phuong/phien-ban"),
    "unit profile": WorkspacePage(ADMIN, f"{WORKSPACE}/don-vi"),
    "unit profile revisions": WorkspacePage(ADMIN, f"{WORKSPACE}/don-vi/phien-ban"),
    "members": WorkspacePage(ADMIN, f"{WORKSPACE}/thanh-vien"),
    "new member": WorkspacePage(ADMIN, f"{WORKSPACE}/thanh-vien/moi"),
    "royalties": WorkspacePage(CHIEF, f"{WORKSPACE}/nhuan-but"),
    "an article by a guessed id": WorkspacePage(CHIEF, f"{WORKSPACE}/bai-viet/{'0' * 32}", 404),
    "a unit the person has no role in": WorkspacePage(AUTHOR, f"/quan-tri/{OTHER_UNIT}", 403),
}


def admin_api() -> requests.Session:
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {TOKEN}"
    return api


def new_draft(site, title: str) -> dict:
    """A draft article in the ward, written by the platform admin."""
    created = admin_api().post(f"{site.url}/api/units/{UNIT}/articles", timeout=30, json={
        "category": "tin-dia-phuong", "title": title, "summary": "Hơn 200 người dân và cán bộ phường tham gia.",
        "body_html": "<p>Sáng Chủ nhật, người dân các tổ dân phố cùng dọn rác dọc bờ sông.</p>"})
    assert created.status_code == 201, created.text
    return created.json()


def change_article(site, article: dict, **changes) -> dict:
    """The article saved anew with `changes`, as someone else in another tab would."""
    fields = ("slug", "category", "title", "summary", "body_html")
    changed = admin_api().put(f"{site.url}/api/articles/{article['id']}", timeout=30, json={
        **{name: article[name] for name in fields}, "version": article["version"], **changes})
    assert changed.status_code == 200, changed.text
    return changed.json()


def make_items(site) -> dict[str, str]:
    """What the pages' addresses name: a draft article with a revision, the published featured
    article, the ward's legal document, a question waiting and one answered, this week and next."""
    api = admin_api()
    article = new_draft(site, "Phường ra quân làm sạch bờ sông Hương")
    change_article(site, article, title="Phường ra quân làm sạch bờ sông Hương sáng Chủ nhật",
                   body_html=article["body_html"] + "<h2>Kết quả</h2><ul><li>3 km bờ sông</li><li>12 tấn rác</li></ul>")
    published = api.get(f"{site.url}/api/units/{UNIT}/articles/{FEATURED_SLUG}", timeout=30)
    assert published.status_code == 200, published.text
    asked = requests.post(f"{site.url}/api/units/{UNIT}/questions", timeout=30, json={
        "asker_name": "Trần Thị Bình", "asker_email": "tranthibinh@example.vn", "asker_phone": "0905 123 456",
        "title": "Thời gian tiếp công dân", "question": "Xin hỏi phường tiếp công dân vào những ngày nào trong tuần?"})
    assert asked.status_code == 201, asked.text
    today = datetime.now(LOCAL_TIME).date()
    return {"article": article["id"], "published": published.json()["id"], "asked": asked.json()["id"],
            "document": site.paths["document"].rsplit("/", 1)[1], "answered": site.paths["question"].rsplit("/", 1)[1],
            "this_week": _week(today), "next_week": _week(today + timedelta(days=7))}


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def cover_photo() -> bytes:
    """A 1200×675 JPEG with something in it (a flat image compresses to nothing)."""
    image = Image.radial_gradient("L").resize((1200, 675)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class PageLoads:
    """The documents a tab has loaded (its `load` events): what a person waits through. A form
    sent and the redirect after it are one load, as the person sees it."""

    def __init__(self, page):
        self.page = page
        self.count = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.count += 1

    def arrive(self, selector: str) -> int:
        """Wait for the page that has `selector` to finish loading; the loads so far."""
        try:
            next_page(self.page, selector, timeout=30)
        except AssertionError as error:
            shown = self.page.locator("main").inner_text()[:1500] if self.page.locator("main").count() else ""
            raise AssertionError(f"{error}\non {self.page.url}:\n{shown}") from None
        wait_for(lambda: self.page.evaluate("document.readyState") == "complete", timeout=30,
                 message="the page loaded")
        self.page.evaluate("0")  # one more round trip: the load event has reached the test
        return self.count
