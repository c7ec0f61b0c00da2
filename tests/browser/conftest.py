"""The whole platform (gunicorn and the four services, started by deploy.launcher as `make run`
does) once per test module, filled with a small but complete unit site, and Debian's Chromium
driven by Playwright.

The data: the province, Thành phố Huế and Phường Thủy Biều from the demo data (categories,
articles, pages in Vietnamese and English, this week's schedule, a legal document, an
answered question), then for the ward a featured article with a cover photo, its contact
details, a PDF on its legal document, and a dissolved unit for the 410 page."""
from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy
from PIL import Image
from playwright.sync_api import sync_playwright

from deploy.demo_data import load, units
from deploy.launcher import Platform
from services.common.config import Settings
from services.common.vietnamese import folded_key
from tests.drive import acting
from tests.servers import free_port, wait_for

TOKEN = "browser-admin-token"
ADMIN = "admin"
UNIT = "phuong-thuy-bieu"
DISSOLVED = "xa-da-giai-the"
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
FEATURED_SLUG = "le-hoi-dien-hue-2026"
TAG = "chính quyền điện tử"  # the demo articles' tag
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# A PDF small enough to read: one empty page (the content service checks it is complete).
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


@dataclass
class Site:
    """The running platform and the addresses of one of each kind of page."""

    url: str
    settings: Settings
    paths: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.url + self.paths[name]


@pytest.fixture(scope="module")
def module_settings(vhost_pipeline, request, mongo_server, smtp_server, tmp_path_factory) -> Settings:
    """Like the per-test `settings`, for a whole module: its own vhost, databases and index."""
    uri = request.config.getoption("RABBIT_AMQP_URI").rstrip("/")
    tag = uuid.uuid4().hex[:10]
    port = free_port()
    with vhost_pipeline.get() as vhost:
        yield Settings(
            AMQP_URI=f"{uri}/{vhost}", MONGO_URI=mongo_server.uri, SMTP_PORT=smtp_server.port,
            CONTENT_DB=f"content_{tag}", RANKING_DB=f"ranking_{tag}", NOTIFY_DB=f"notify_{tag}",
            SEARCH_INDEX=f"articles-{tag}", SEARCH_INDEX_DIR=str(tmp_path_factory.mktemp("search-index")),
            PLATFORM_ADMIN_TOKEN=TOKEN, GATEWAY_BIND=f"127.0.0.1:{port}", PUBLIC_URL=f"http://127.0.0.1:{port}",
            GATEWAY_WORKERS=1, SWEEP_INTERVAL=0.5)


@pytest.fixture(scope="module")
def site(module_settings, tmp_path_factory) -> Site:
    platform = Platform(tmp_path_factory.mktemp("platform"), module_settings.as_nameko_config())
    platform.start(log=lambda *_: None)
    try:
        site = Site(platform.url, module_settings)
        fill(site)
        yield site
    finally:
        platform.stop(log=lambda *_: None)


def fill(site: Site):
    config = site.settings.as_nameko_config()
    chosen = [unit for unit in units() if unit["slug"] in ("thua-thien-hue", "thanh-pho-hue", UNIT)]
    load(config, ADMIN, log=lambda *_: None, only=chosen, history=False)
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {TOKEN}"})
    today = datetime.now(LOCAL_TIME).date()
    year, week, _ = today.isocalendar()

    with ClusterRpcProxy(config, timeout=30) as services:
        content = services.content
        unit = content.get_unit(UNIT)
        content.update_unit_profile(acting(ADMIN), UNIT, {
            "name": unit["name"], "name_en": unit["name_en"],
            "contact": {"address": "12 Huyền Trân Công Chúa, phường Thủy Biều, thành phố Huế",
                        "phone": "0234 3822 000", "email": "thuybieu@thuathienhue.gov.vn",
                        "responsible_official": "Nguyễn Văn A", "responsible_title": "Chủ tịch UBND phường"}},
            unit["version"])
        photo = content.upload_media(acting(ADMIN), UNIT, "dien-hue.jpg", base64.b64encode(_photo()).decode(),
                                     None, "Đình làng Thủy Biều trong ngày hội", "Ảnh: UBND phường Thủy Biều")
        pdf = content.upload_media(acting(ADMIN), UNIT, "ke-hoach.pdf", base64.b64encode(PDF).decode())
        documents = content.search_documents(UNIT)["documents"]
        document = content.get_document_draft(acting(ADMIN), documents[0]["id"])
        content.update_document(acting(ADMIN), document["id"], {**_editable(document), "file": pdf["id"]},
                                document["version"])
        question = content.list_questions(UNIT)["questions"][0]
        content.create_unit(acting(ADMIN), {"slug": DISSOLVED, "name": "Xã Đã Giải Thể", "level": "xa",
                                    "parent": "thanh-pho-hue"})
        content.dissolve_unit(acting(ADMIN), DISSOLVED)

    created = api.post(f"{site.url}/api/units/{UNIT}/articles", json={
        "slug": FEATURED_SLUG, "category": "tin-dia-phuong", "featured": True, "tags": [TAG],
        "title": "Phường Thủy Biều tổ chức lễ hội đình làng năm 2026",
        "summary": "Lễ hội diễn ra trong hai ngày với nhiều hoạt động văn hóa truyền thống.",
        "body_html": "<p>Lễ hội thu hút đông đảo người dân và du khách.</p>"
                     "<h2>Chương trình lễ hội</h2><ul><li>Lễ tế đình</li><li>Hội thi thả diều</li></ul>",
        "cover": {"media_id": photo["id"], "alt": "Đình làng Thủy Biều trong ngày hội",
                  "caption": "Ảnh: UBND phường Thủy Biều"}})
    assert created.status_code == 201, created.text
    article = created.json()
    published = api.post(f"{site.url}/api/articles/{article['id']}/force-publish",
                         json={"version": article["version"], "comment": "Tin nổi bật"})
    assert published.status_code == 200, published.text

    site.paths.update({
        "platform home": "/",
        "unit home": f"/{UNIT}",
        "article": published.json()["path"],
        "print view": published.json()["path"] + "?ban-in=1",
        "category": f"/{UNIT}/chuyen-muc/tin-dia-phuong",
        "tag": f"/{UNIT}/the/{folded_key(TAG)}",
        "archive by date": f"/{UNIT}/tin-theo-ngay/{today.isoformat()}",
        "online services": f"/{UNIT}/dich-vu-cong",
        "schedule week": f"/{UNIT}/lich-cong-tac/{year}-W{week:02d}",
        "documents search": f"/{UNIT}/van-ban?so-ky-hieu={quote(document['number'])}",
        "document": f"/{UNIT}/van-ban/{document['id']}",
        "questions": f"/{UNIT}/hoi-dap",
        "question": f"/{UNIT}/hoi-dap/{question['id']}",
        "question form": f"/{UNIT}/hoi-dap/gui-cau-hoi",
        "static page vi": f"/{UNIT}/gioi-thieu/gioi-thieu",
        "static page en": f"/{UNIT}/en/gioi-thieu",
        "site map": f"/{UNIT}/so-do-trang",
        "search results": "/tim-kiem?q=thuy+bieu",
        "not found": f"/{UNIT}/tin-tuc/khong-co-bai-nay",
        "gone": f"/{DISSOLVED}",
    })
    # Search follows content through events: wait until the ward's articles are found.
    wait_for(lambda: FEATURED_SLUG in requests.get(site["search results"], timeout=10).text,
             timeout=30, message="the featured article in search results")


def _photo() -> bytes:
    """A 1600×900 JPEG with something in it (a flat image compresses to nothing)."""
    image = Image.linear_gradient("L").resize((1600, 900)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _editable(document: dict) -> dict:
    keys = ("number", "type", "issuing_body", "signer", "issued_on", "effective_on", "excerpt", "field")
    return {key: document[key] for key in keys if document.get(key) is not None}


@pytest.fixture(scope="session")
def chromium():
    # Playwright is started but never stopped: under eventlet's monkey-patching (conftest.py)
    # its stop() waits forever for the driver, which ends anyway with this process, when
    # the pipe it reads from closes.
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Every kind of page (named as in Site.paths) and the status it answers with.
PAGES = {
    "platform home": 200, "unit home": 200, "article": 200, "print view": 200, "category": 200, "tag": 200,
    "archive by date": 200, "online services": 200, "schedule week": 200, "documents search": 200,
    "document": 200, "questions": 200, "question": 200, "question form": 200, "static page vi": 200,
    "static page en": 200, "site map": 200, "search results": 200, "not found": 404, "gone": 410,
}
LOOKS = {
    "default": None,
    "high contrast, large text": "lon+tuong-phan-cao",
}


@pytest.fixture
def new_context(chromium, site):
    """`new_context(look=None, **options)`: a fresh browser context (its own cookies), closed after the test.

    Under eventlet (conftest.py), Playwright's own navigation waiters (expect_navigation,
    wait_for_url, a click that waits for the form it submits) never return: tests follow a
    link or submit a form by keyboard, then wait for the next page with `next_page`."""
    contexts = []

    def make(look: str | None = None, **options):
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        if look:
            context.add_cookies([{"name": "hien-thi", "value": look, "url": site.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()




def next_page(page, selector: str, timeout: float = 10):
    """Wait until the page in the tab has an element matching `selector` (a CSS selector that
    only the expected page matches), asking the browser afresh each time."""
    return wait_for(lambda: page.locator(selector).count() > 0, timeout=timeout, message=selector)


def choose_display(page, link, cookie: str):
    """Follow a display option link: wait for /hien-thi to have set the cookie and sent the tab
    back, then reload. The reload stands in for the revalidation the page cache does not ask
    for yet (test_pages_are_revalidated... in test_accessibility.py, an expected failure):
    without Cache-Control a browser may show its own, heuristically fresh, copy of the page."""
    link.click()
    wait_for(lambda: any(c["name"] == "hien-thi" and c["value"] == cookie for c in page.context.cookies()),
             message=f"the display cookie {cookie!r}")
    next_page(page, "html")
    page.reload()
