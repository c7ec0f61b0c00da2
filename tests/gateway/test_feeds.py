"""RSS and Atom feeds, XML sitemaps and robots.txt through the gateway, against the real content
service; every document is read back with an XML parser."""
import dataclasses
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest

from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN as EDITOR
from tests.gateway.conftest import publish

PUBLIC_URL = "https://thongtin.hue.gov.vn"
RSS_ATOM = "{http://www.w3.org/2005/Atom}"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
TRICKY_TITLE = "Giá lúa <5.000 đồng & \"phân bón\"\x01 tăng"  # markup, an ampersand, a control character
TRICKY_SHOWN = "Giá lúa <5.000 đồng & \"phân bón\" tăng"  # XML cannot carry the control character


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, PUBLIC_URL=PUBLIC_URL + "/")


@pytest.fixture
def province(portal):
    """Two communes; Phú Mậu has two categories, pages in both languages and three articles
    (newest last), Phú Thượng one article."""
    client, pool, admin = portal
    assert client.simulate_post("/api/levels", headers=EDITOR, json={
        "slug": "xa", "name": "Xã", "order": 0}).status_code == 201
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-thuong", "Xã Phú Thượng")):
        response = client.simulate_post("/api/units", headers=EDITOR, json={"slug": slug, "name": name, "level": "xa"})
        assert response.status_code == 201, response.text
    for slug, name in (("thong-bao", "Thông báo"), ("nong-nghiep", "Nông nghiệp & Nông thôn")):
        assert client.simulate_post("/api/units/phu-mau/categories", headers=EDITOR, json={
            "slug": slug, "name": name}).status_code == 201
    with pool.services() as services:
        services.content.create_page(acting(admin), "phu-mau", {
            "key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu", "body_html": "<p>Xã Phú Mậu</p>"})
        services.content.create_page(acting(admin), "phu-mau", {
            "key": "gioi-thieu", "lang": "en", "title": "About us", "body_html": "<p>Phu Mau</p>"})
        services.content.create_page(acting(admin), "phu-mau", {
            "key": "lien-he", "lang": "vi", "title": "Liên hệ", "body_html": "<p>Điện thoại</p>"})
    articles = [
        publish(client, "phu-mau", "Lịch tiếp công dân tháng Ba", category="thong-bao", summary="Tiếp dân <thứ Năm>"),
        publish(client, "phu-mau", TRICKY_TITLE, category="nong-nghiep", summary="Giá & sản lượng"),
        publish(client, "phu-mau", "Tin không thuộc chuyên mục nào"),
    ]
    other = publish(client, "phu-thuong", "Tin của xã Phú Thượng")
    return {"phu-mau": articles, "phu-thuong": other}


def parse(response, content_type):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{content_type}; charset=utf-8"
    return ET.fromstring(response.content)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(microsecond=0)


def test_rss_lists_the_units_latest_articles_with_rfc822_dates(client, province):
    channel = parse(client.simulate_get("/phu-mau/rss"), "application/rss+xml").find("channel")
    assert channel.findtext("title") == "Xã Phú Mậu"
    assert channel.findtext("link") == f"{PUBLIC_URL}/phu-mau"
    assert channel.findtext("language") == "vi"
    assert channel.find(f"{RSS_ATOM}link").attrib == {
        "href": f"{PUBLIC_URL}/phu-mau/rss", "rel": "self", "type": "application/rss+xml"}
    items = channel.findall("item")
    newest_first = list(reversed(province["phu-mau"]))
    assert [item.findtext("title") for item in items] == [a["title"].replace("\x01", "") for a in newest_first]
    for item, article in zip(items, newest_first):
        url = PUBLIC_URL + article["path"]
        assert item.findtext("link") == url
        assert item.findtext("guid") == url and item.find("guid").get("isPermaLink") == "true"
        assert parsedate_to_datetime(item.findtext("pubDate")) == at(article["published_at"])
    tricky = items[1]
    assert tricky.findtext("title") == TRICKY_SHOWN
    assert tricky.findtext("description") == "Giá & sản lượng"
    assert tricky.findtext("category") == "Nông nghiệp & Nông thôn"
    assert items[0].find("description") is None  # no summary, no empty description
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= at(newest_first[0]["published_at"])


def test_atom_lists_the_same_articles_with_rfc3339_dates_and_stable_ids(client, province):
    feed = parse(client.simulate_get("/phu-mau/atom"), "application/atom+xml")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert feed.findtext("a:id", namespaces=ATOM) == f"{PUBLIC_URL}/phu-mau/atom"
    links = {link.get("rel"): link.get("href") for link in feed.findall("a:link", ATOM)}
    assert links == {"self": f"{PUBLIC_URL}/phu-mau/atom", "alternate": f"{PUBLIC_URL}/phu-mau"}
    assert feed.findtext("a:author/a:name", namespaces=ATOM) == "Xã Phú Mậu"
    entries = feed.findall("a:entry", ATOM)
    newest_first = list(reversed(province["phu-mau"]))
    assert [entry.findtext("a:id", namespaces=ATOM) for entry in entries] == [
        PUBLIC_URL + article["path"] for article in newest_first]
    for entry, article in zip(entries, newest_first):
        published = datetime.fromisoformat(entry.findtext("a:published", namespaces=ATOM))
        assert published.utcoffset().total_seconds() == 7 * 3600  # Vietnam's time, offset written out
        assert published == at(article["published_at"])
        assert datetime.fromisoformat(entry.findtext("a:updated", namespaces=ATOM)) >= published
    tricky = entries[1]
    assert tricky.findtext("a:title", namespaces=ATOM) == TRICKY_SHOWN
    assert tricky.findtext("a:summary", namespaces=ATOM) == "Giá & sản lượng"
    assert tricky.find("a:category", ATOM).get("label") == "Nông nghiệp & Nông thôn"
    assert datetime.fromisoformat(feed.findtext("a:updated", namespaces=ATOM)) >= at(newest_first[0]["published_at"])


def test_category_feeds_hold_only_that_categorys_articles(client, province):
    first, tricky, _ = province["phu-mau"]
    channel = parse(client.simulate_get("/phu-mau/chuyen-muc/thong-bao/rss"), "application/rss+xml").find("channel")
    assert channel.findtext("title") == "Thông báo - Xã Phú Mậu"
    assert channel.findtext("link") == f"{PUBLIC_URL}/phu-mau/chuyen-muc/thong-bao"
    assert [item.findtext("guid") for item in channel.findall("item")] == [PUBLIC_URL + first["path"]]
    assert channel.find("item").findtext("description") == "Tiếp dân <thứ Năm>"
    feed = parse(client.simulate_get("/phu-mau/chuyen-muc/nong-nghiep/atom"), "application/atom+xml")
    assert feed.findtext("a:id", namespaces=ATOM) == f"{PUBLIC_URL}/phu-mau/chuyen-muc/nong-nghiep/atom"
    assert [e.findtext("a:id", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)] == [PUBLIC_URL + tricky["path"]]


def test_unknown_units_and_categories_have_no_feed(client, province):
    for path in ("/phu-mau/chuyen-muc/khong-co/rss", "/phu-mau/chuyen-muc/khong-co/atom",
                 "/khong-co/rss", "/khong-co/atom", "/khong-co/sitemap.xml"):
        response = client.simulate_get(path)
        assert response.status_code == 404, path
        assert "Không tìm thấy trang" in response.text


def test_an_empty_units_feeds_are_still_valid(client, province):
    client.simulate_post("/api/units", headers=EDITOR, json={"slug": "phu-an", "name": "Xã Phú An", "level": "xa"})
    assert parse(client.simulate_get("/phu-an/rss"), "application/rss+xml").find("channel/item") is None
    feed = parse(client.simulate_get("/phu-an/atom"), "application/atom+xml")
    assert feed.find("a:entry", ATOM) is None and feed.findtext("a:updated", namespaces=ATOM)


def test_the_units_sitemap_lists_its_pages_and_articles_with_lastmod(client, province):
    urlset = parse(client.simulate_get("/phu-mau/sitemap.xml"), "application/xml")
    urls = {url.findtext("s:loc", namespaces=SITEMAP): url for url in urlset.findall("s:url", SITEMAP)}
    base = f"{PUBLIC_URL}/phu-mau"
    for loc in (base, f"{base}/gioi-thieu/gioi-thieu", f"{base}/en/gioi-thieu", f"{base}/gioi-thieu/lien-he",
                f"{base}/chuyen-muc/thong-bao", f"{base}/chuyen-muc/nong-nghiep", f"{base}/so-do-trang"):
        assert loc in urls, loc
    for article in province["phu-mau"]:
        lastmod = urls[PUBLIC_URL + article["path"]].findtext("s:lastmod", namespaces=SITEMAP)
        assert datetime.fromisoformat(lastmod) >= at(article["published_at"])
        assert lastmod.endswith("+07:00")  # W3C Datetime with its offset
    assert PUBLIC_URL + province["phu-thuong"]["path"] not in urls  # another unit's article
    newest = province["phu-mau"][-1]
    assert urls[base].findtext("s:lastmod", namespaces=SITEMAP) == urls[
        PUBLIC_URL + newest["path"]].findtext("s:lastmod", namespaces=SITEMAP)
    # A page in both languages names both versions.
    alternates = {link.get("hreflang"): link.get("href") for link in urls[f"{base}/en/gioi-thieu"]
                  .findall("{http://www.w3.org/1999/xhtml}link")}
    assert alternates == {"vi": f"{base}/gioi-thieu/gioi-thieu", "en": f"{base}/en/gioi-thieu"}


def test_the_sitemap_pages_through_every_published_article(client, province, portal):
    """More articles than one content list returns (100) still all reach the sitemap."""
    _, pool, admin = portal
    with pool.services() as services:
        for number in range(105):
            created = services.content.create_article(acting(admin), "phu-thuong", {
                "title": f"Bản tin số {number}", "body_html": "<p>x</p>"})
            services.content.move_article(acting(admin), created["id"], "force_publish", {"comment": "Đăng ngay"})
    urlset = parse(client.simulate_get("/phu-thuong/sitemap.xml"), "application/xml")
    locs = [url.findtext("s:loc", namespaces=SITEMAP) for url in urlset.findall("s:url", SITEMAP)]
    articles = [loc for loc in locs if "/tin-tuc/" in loc]
    assert len(articles) == len(set(articles)) == 106


def test_the_sitemap_index_names_every_active_units_sitemap_and_merged_units_move(client, province):
    client.simulate_post("/api/units", headers=EDITOR, json={"slug": "phu-an", "name": "Xã Phú An", "level": "xa"})
    merged = client.simulate_post("/api/units/phu-an/merge", headers=EDITOR, json={"successor": "phu-mau"})
    assert merged.status_code == 200
    moved = client.simulate_get("/phu-an/rss")  # a merged unit's feed moves to its successor's
    assert moved.status_code == 301 and moved.headers["location"].endswith("/phu-mau/rss")
    index = parse(client.simulate_get("/sitemap.xml"), "application/xml")
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert [s.findtext("s:loc", namespaces=SITEMAP) for s in index.findall("s:sitemap", SITEMAP)] == [
        f"{PUBLIC_URL}/phu-mau/sitemap.xml", f"{PUBLIC_URL}/phu-thuong/sitemap.xml"]


def test_robots_txt_keeps_crawlers_to_public_pages_and_names_the_sitemap(client):
    response = client.simulate_get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    for rule in ("Allow: /", "Disallow: /api/", "Disallow: /hien-thi", "Disallow: /tim-kiem"):
        assert rule in lines, rule
    assert f"Sitemap: {PUBLIC_URL}/sitemap.xml" in lines
