"""The whole platform as deployed: four `nameko run` processes and gunicorn, started by the
same launcher as `make run`, over real RabbitMQ, the MongoDB stand-in, a real SMTP server,
and search on each engine in turn."""
import dataclasses
import os
import re
import signal

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy

from deploy.demo_data import load, units
from deploy.launcher import Platform
from tests.servers import free_port, wait_for

TOKEN = "e2e-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
TITLE = "Thừa Thiên Huế đẩy mạnh chính quyền điện tử"
READER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"


@pytest.fixture(params=["embedded", "elasticsearch"])
def platform(request, settings, tmp_path):
    port = free_port()
    overrides = dict(PLATFORM_ADMIN_TOKEN=TOKEN, GATEWAY_BIND=f"127.0.0.1:{port}",
                     PUBLIC_URL=f"http://127.0.0.1:{port}", GATEWAY_WORKERS=1)
    if request.param == "elasticsearch":
        overrides["ELASTICSEARCH_URL"] = request.getfixturevalue("elasticsearch_server").url
    test_settings = dataclasses.replace(settings, **overrides)
    platform = Platform(tmp_path / "run", {k: v for k, v in test_settings.as_nameko_config().items()})
    platform.start(log=lambda *_: None)
    platform.settings = test_settings
    yield platform
    platform.stop(log=lambda *_: None)


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_an_article_goes_from_editor_to_search_page_counter_and_subscriber(platform, smtp_server):
    url = platform.url
    admin = requests.Session()
    admin.headers.update(ADMIN)
    for order, level in enumerate(("tinh", "xa")):
        assert admin.post(f"{url}/api/levels", json={"slug": level, "name": level, "order": order}).ok
    assert admin.post(f"{url}/api/units", json={"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế",
                                               "level": "tinh"}).status_code == 201
    assert admin.post(f"{url}/api/units", json={"slug": "xa-phu-mau", "name": "Xã Phú Mậu", "level": "xa",
                                               "parent": "thua-thien-hue"}).status_code == 201
    editor = admin.post(f"{url}/api/users", json={"username": "bbt-phu-mau", "name": "Tổng biên tập Phú Mậu",
                                                  "roles": {"xa-phu-mau": ["editor_in_chief"]}})
    assert editor.status_code == 201, editor.text
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {editor.json()['token']}"})

    # A citizen subscribes to the commune and confirms from the email.
    subscriber = f"dan-{free_port()}@example.vn"
    response = requests.post(f"{url}/api/subscriptions", json={"email": subscriber, "unit": "xa-phu-mau"})
    assert response.status_code == 202, response.text
    confirmation = wait_for(lambda: smtp_server.messages_to(subscriber), message="confirmation email")[0]
    link = re.search(r"http://\S+/dang-ky/xac-nhan\?token=[\w-]+", body_of(confirmation)).group(0)
    assert requests.post(link).status_code == 200  # the button on the link's page (opening it changes nothing)

    # 1-2. An editor creates and publishes an article; content stores it and announces it.
    created = api.post(f"{url}/api/units/xa-phu-mau/articles", json={
        "title": TITLE, "summary": "Xã Phú Mậu triển khai dịch vụ công trực tuyến.",
        "body_html": "<p>Trang thông tin điện tử của xã được cập nhật hằng ngày.</p>"})
    assert created.status_code == 201, created.text
    article = created.json()
    for step in ("submit", "approve", "publish"):
        published = api.post(f"{url}/api/articles/{article['id']}/{step}", json={"version": article["version"]})
        assert published.status_code == 200, published.text
        article = published.json()
    path = published.json()["path"]

    # 3. Search finds it by queries typed without diacritics.
    for query in ("thua thien hue", "dien tu"):
        page = wait_for(lambda: _search_page_listing(url, query, path), timeout=20, message=f"search for {query!r}")
        assert TITLE in page

    # 4. The article page renders; ranking counts the article and the view (a reader's browser:
    # python-requests' own user agent is a bot's, and bots are not visits).
    article_page = requests.get(f"{url}{path}", headers={"User-Agent": READER})
    assert article_page.status_code == 200 and TITLE in article_page.text
    assert 'Tổng truy cập <strong data-counter="total">1</strong>' in article_page.text
    assert 'Hiện tại <strong data-counter="online">1</strong> khách' in article_page.text
    with ClusterRpcProxy(platform.settings.as_nameko_config()) as services:
        activity = wait_for(lambda: services.ranking.unit_activity("xa-phu-mau")["published_articles"] == 1 and
                            services.ranking.unit_activity("xa-phu-mau"), message="ranking count")
    assert activity["published_articles"] == 1

    # 5. The confirmed subscriber is emailed about the new article.
    def article_email():
        return [m for m in smtp_server.messages_to(subscriber) if TITLE in body_of(m)]

    email = wait_for(article_email, timeout=20, message="article email")[0]
    assert f"{url}{path}" in body_of(email)


def _search_page_listing(url, query, path):
    response = requests.get(f"{url}/tim-kiem", params={"q": query})
    return response.text if response.status_code == 200 and f'href="{path}"' in response.text else None


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
def test_demo_data_loads_once_and_every_unit_is_listed(platform):
    config = platform.settings.as_nameko_config()
    # The province, Thành phố Huế and its 27 wards (parents come first in the file).
    some = [unit for unit in units() if unit["slug"] in ("thua-thien-hue", "thanh-pho-hue")
            or unit["parent"] == "thanh-pho-hue"]
    assert load(config, log=lambda *_: None, only=some, history=False) == 3 * len(some)
    assert load(config, log=lambda *_: None, only=some, history=False) == 0  # a second run adds nothing
    home = requests.get(platform.url)
    assert home.status_code == 200
    for unit in some:
        assert f'href="/{unit["slug"]}"' in home.text
    with ClusterRpcProxy(config) as services:
        content = services.content
        assert content.get_page("phuong-thuy-bieu", "gioi-thieu", "en")["title"] == "About Thuy Bieu Ward"
        assert content.search_documents("phuong-thuy-bieu")["total"] == 1
        assert content.list_questions("phuong-thuy-bieu")["total"] == 1
        weeks = content.schedule_weeks("phuong-thuy-bieu")
        assert len(weeks) == 1 and weeks[0]["entries"] >= 2
    found = wait_for(lambda: _search_page_listing(platform.url, "phuong thuy bieu", "/phuong-thuy-bieu/tin-tuc/"
                                                  "chuyen-doi-so-2026"), message="a demo article found by search")
    assert "Phường Thủy Biều" in found


@pytest.mark.parametrize("platform", ["embedded"], indirect=True)
def test_a_killed_content_process_is_brought_back_by_the_platform_and_cached_pages_stay_up(platform):
    config = platform.settings.as_nameko_config()
    some = [unit for unit in units() if unit["slug"] in ("thua-thien-hue", "thanh-pho-hue", "phuong-thuy-bieu")]
    load(config, log=lambda *_: None, only=some, history=False)
    url = f"{platform.url}/phuong-thuy-bieu"
    home = requests.get(url)
    assert home.status_code == 200 and "Phường Thủy Biều" in home.text
    article = re.search(r'href="(/phuong-thuy-bieu/tin-tuc/[^"]+)"', home.text).group(1)

    killed = platform.pid("content")
    os.kill(killed, signal.SIGKILL)  # a crash, as a chaos tool or the kernel's OOM killer would make
    cached = requests.get(url)
    assert cached.status_code == 200 and "Phường Thủy Biều" in cached.text

    # Nobody starts it: supervisord does, within seconds.
    wait_for(lambda: platform.pid("content") not in (None, killed), timeout=10, message="a new content process")
    platform.wait_for_service("content", timeout=30)
    back = wait_for(lambda: (page := requests.get(f"{platform.url}{article}")).status_code == 200 and page,
                    timeout=30, message="the article page once content is back")
    assert "Thống kê truy cập" in back.text
