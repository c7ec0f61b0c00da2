"""A unit's static pages in Vietnamese and English and its HTML site map, through the gateway
against the real content service."""
import re

import pytest

from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN as EDITOR


@pytest.fixture
def commune(portal):
    """Xã Phú Mậu with its introduction in both languages, its leaders in Vietnamese only, and a category."""
    client, pool, admin = portal
    level = client.simulate_post("/api/levels", headers=EDITOR, json={"slug": "xa", "name": "Xã", "order": 0})
    assert level.status_code == 201
    response = client.simulate_post("/api/units", headers=EDITOR, json={
        "slug": "phu-mau", "name": "Xã Phú Mậu", "name_en": "Phu Mau Commune", "level": "xa",
        "contact": {"address": "Thôn Lại Thế, xã Phú Mậu", "phone": "0234 3860 123"}})
    assert response.status_code == 201, response.text
    assert client.simulate_post("/api/units/phu-mau/categories", headers=EDITOR, json={
        "slug": "thong-bao", "name": "Thông báo", "name_en": "Announcements"}).status_code == 201
    with pool.services() as services:
        for key, lang, title, body in (
            ("gioi-thieu", "vi", "Giới thiệu chung", "<p>Xã Phú Mậu nằm bên sông Hương.</p>"),
            ("gioi-thieu", "en", "About us", "<p>Phu Mau lies on the Perfume River.</p>"),
            ("lanh-dao", "vi", "Lãnh đạo xã", "<p>Chủ tịch UBND xã.</p>"),
        ):
            page = {"key": key, "lang": lang, "title": title, "body_html": body}
            services.content.create_page(acting(admin), "phu-mau", page)
    return response.json


def html_lang(page) -> str:
    return re.search(r'<html lang="([^"]+)"', page.text).group(1)


def main_of(page) -> str:
    return re.search(r"<main.*</main>", page.text, re.S).group(0)


def test_the_vietnamese_page_links_to_its_english_version(client, commune):
    page = client.simulate_get("/phu-mau/gioi-thieu/gioi-thieu")
    assert page.status_code == 200
    assert html_lang(page) == "vi"
    assert "<h1>Giới thiệu chung</h1>" in page.text and "sông Hương" in page.text
    assert '<a href="/phu-mau/en/gioi-thieu" lang="en" hreflang="en">English</a>' in page.text
    assert 'aria-label="Danh mục chính"' in page.text and ">Trang chủ<" in page.text
    # The menu lists the Vietnamese pages, and the feed is announced in the head.
    assert '<a href="/phu-mau/gioi-thieu/lanh-dao">Lãnh đạo xã</a>' in page.text
    assert '<link rel="alternate" type="application/rss+xml"' in page.text and 'href="/phu-mau/rss"' in page.text


def test_the_english_page_speaks_english_and_links_back(client, commune):
    page = client.simulate_get("/phu-mau/en/gioi-thieu")
    assert page.status_code == 200
    assert html_lang(page) == "en"
    assert "<h1>About us</h1>" in page.text and "Perfume River" in page.text
    assert '<a href="/phu-mau/gioi-thieu/gioi-thieu" lang="vi" hreflang="vi">Tiếng Việt</a>' in page.text
    # The frame's labels and menu switch to English; pages only in Vietnamese are not in its menu.
    assert 'aria-label="Main menu"' in page.text and ">Home<" in page.text
    assert ">Announcements<" in page.text and ">Address<" in page.text and "Phu Mau Commune" in page.text
    assert '<a href="/phu-mau/en/gioi-thieu">About us</a>' in page.text
    assert "Lãnh đạo xã" not in page.text and "Danh mục chính" not in page.text


def test_a_page_only_in_vietnamese_is_a_404_in_english_pointing_to_it(client, commune):
    page = client.simulate_get("/phu-mau/en/lanh-dao")
    assert page.status_code == 404
    assert html_lang(page) == "en" and "Page not found" in page.text
    assert '<a href="/phu-mau/gioi-thieu/lanh-dao" lang="vi" hreflang="vi">Lãnh đạo xã</a>' in page.text
    assert 'hreflang="en"' not in main_of(page)


def test_missing_pages_and_units_are_404s(client, commune):
    missing = client.simulate_get("/phu-mau/gioi-thieu/khong-co")
    assert missing.status_code == 404
    assert html_lang(missing) == "vi" and "Không tìm thấy trang" in missing.text and "Traceback" not in missing.text
    # The request id a citizen can quote, as on every error page.
    assert f'Mã yêu cầu: <code class="request-id">{missing.headers["X-Request-Id"]}</code>' in missing.text
    english = client.simulate_get("/phu-mau/en/khong-co", headers={"X-Request-Id": "page-missing-1"})
    assert english.status_code == 404 and "does not exist" in english.text
    assert 'Request id: <code class="request-id">page-missing-1</code>' in english.text
    unknown_unit = client.simulate_get("/khong-co/gioi-thieu/gioi-thieu")
    assert unknown_unit.status_code == 404 and "Không tìm thấy trang" in unknown_unit.text
    assert client.simulate_get("/khong-co/so-do-trang").status_code == 404


def test_the_site_map_lists_every_section_as_nested_lists(client, commune):
    page = client.simulate_get("/phu-mau/so-do-trang")
    assert page.status_code == 200
    main = main_of(page)
    assert "<h1>Sơ đồ trang</h1>" in main
    for href in ("/phu-mau", "/phu-mau/gioi-thieu/gioi-thieu", "/phu-mau/gioi-thieu/lanh-dao",
                 "/phu-mau/en/gioi-thieu", "/phu-mau/chuyen-muc/thong-bao", "/phu-mau/lich-cong-tac",
                 "/phu-mau/van-ban", "/phu-mau/hoi-dap", "/phu-mau/hoi-dap/gui-cau-hoi", "/phu-mau/dich-vu-cong",
                 "/phu-mau/rss", "/phu-mau/atom", "/phu-mau/chuyen-muc/thong-bao/rss",
                 "/phu-mau/chuyen-muc/thong-bao/atom", "/phu-mau/sitemap.xml"):
        assert f'href="{href}"' in main, href
    # Sections nest under the home page: a list inside a list.
    assert re.search(r'<ul class="site-map">\s*<li><a href="/phu-mau">Trang chủ</a>\s*<ul>', main)
    assert main.count("<ul") == main.count("</ul>") >= 5
