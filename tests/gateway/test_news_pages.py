"""The news side of the portal through the gateway, against the real content and ranking
services: articles with their print view and saved copy, category, tag and date lists, the
online public services page and media files (the homes: test_homes.py)."""
import base64
import dataclasses
import html
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN as EDITOR
from tests.gateway.conftest import publish

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE_SERVICES = "https://dichvucong.thuathienhue.gov.vn/"
COMMUNE_SERVICES = "https://phumau.thuathienhue.gov.vn/dich-vu-cong"
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
               b"trailer << /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, PUBLIC_URL="https://congthongtin.example.gov.vn")


@pytest.fixture
def rpc(portal):
    """(pool, acting user) for what the JSON API does not carry: media, schedules, pages."""
    return portal.pool, portal.admin


@pytest.fixture
def province(client):
    """The province, two communes under it (one a township with 'Đ'), and a news category."""
    for level in ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "xa", "name": "Xã, phường, thị trấn",
                                                                  "order": 1}):
        assert client.simulate_post("/api/levels", headers=EDITOR, json=level).status_code == 201
    for unit in (
        {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh",
         "public_services_url": PROVINCE_SERVICES},
        {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa", "parent": "thua-thien-hue",
         "public_services_url": COMMUNE_SERVICES},
        {"slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"},
    ):
        response = client.simulate_post("/api/units", headers=EDITOR, json=unit)
        assert response.status_code == 201, response.text
    category = {"slug": "tin-tuc-su-kien", "name": "Tin tức - Sự kiện"}
    assert client.simulate_post("/api/units/phu-mau/categories", headers=EDITOR, json=category).status_code == 201


def upload(rpc, filename: str, data: bytes, **text) -> dict:
    pool, admin = rpc
    with pool.services() as services:
        return services.content.upload_media(acting(admin),
                                             "phu-mau", filename, base64.b64encode(data).decode(), **text)


def png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(output, "PNG")
    return output.getvalue()


def local_day(moment: str) -> datetime:
    return datetime.fromisoformat(moment).astimezone(VIETNAM)


def main_of(page) -> str:
    return re.search(r"<main.*</main>", page.text, re.S).group(0)


def section(page, heading_id: str) -> str:
    return re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page.text, re.S).group(0)


# Articles


def test_an_article_shows_its_date_cover_category_tags_tools_and_other_news(client, rpc, province):
    image = upload(rpc, "anh-bia.png", png(1400, 700))
    older = [publish(client, title=f"Tin cũ số {number}") for number in range(6)]
    article = publish(client, title="Phú Mậu khánh thành cầu mới", summary="Cây cầu nối hai thôn.",
                      body_html='<p>Đoạn đầu.</p><figure><img src="/tep/x/640" alt="Cầu mới">'
                                '<figcaption>Cầu mới nhìn từ bờ sông</figcaption></figure>',
                      category="tin-tuc-su-kien", tags=["Giao thông", "Chuyển đổi số"],
                      cover={"media_id": image["id"], "alt": "Cây cầu mới bắc qua sông",
                             "caption": "Lễ khánh thành sáng nay"})
    page = client.simulate_get(article["path"])
    assert page.status_code == 200
    body = main_of(page)
    assert "<h1>Phú Mậu khánh thành cầu mới</h1>" in body
    updated = local_day(article["updated_at"]).strftime("%d/%m/%Y")
    assert f'Ngày cập nhật <time datetime="{article["updated_at"]}">{updated}</time>' in body
    media = f"/tep/{image['id']}"
    assert (f'<img src="{media}/640" srcset="{media}/320 320w, {media}/640 640w, {media}/1280 1280w"'
            in body)
    assert 'alt="Cây cầu mới bắc qua sông"' in body and "<figcaption>Lễ khánh thành sáng nay</figcaption>" in body
    assert "<figcaption>Cầu mới nhìn từ bờ sông</figcaption>" in body  # the body's own images keep theirs
    assert '<a href="/phu-mau/chuyen-muc/tin-tuc-su-kien">Tin tức - Sự kiện</a>' in body
    assert '<a href="/phu-mau/the/giao-thong">Giao thông</a>' in body
    assert f'<a href="{article["path"]}?ban-in=1" rel="nofollow">In bài viết</a>' in body
    assert f'<a href="{article["path"]}?tai-ve=1" rel="nofollow" download>Lưu bài viết</a>' in body
    others = section(page, "tin-khac")
    assert "Các tin khác" in others and "Phú Mậu khánh thành cầu mới" not in others
    assert [title for title in re.findall(r">(Tin cũ số \d)<", others)] == [
        a["title"] for a in reversed(older)][:5]
    by_date = section(page, "xem-theo-ngay")
    assert '<form class="date-form" action="/phu-mau/tin-theo-ngay" method="get">' in by_date
    assert '<label for="ngay">' in by_date and 'id="ngay" name="ngay" type="date"' in by_date
    # Every unit page carries the way to the online public services.
    assert '<a href="/phu-mau/dich-vu-cong">Dịch vụ công trực tuyến</a>' in page.text


def test_the_print_view_has_no_menu_and_the_saved_copy_downloads_as_html(client, province):
    article = publish(client, title="Hướng dẫn làm căn cước công dân", body_html="<p>Mang theo sổ hộ khẩu.</p>")
    printed = client.simulate_get(article["path"], params={"ban-in": "1"})
    assert printed.status_code == 200
    assert "<h1>Hướng dẫn làm căn cước công dân</h1>" in printed.text and "Mang theo sổ hộ khẩu." in printed.text
    assert "Danh mục chính" not in printed.text and 'role="search"' not in printed.text
    assert "Các tin khác" not in printed.text
    assert f"Nguồn: Xã Phú Mậu · https://congthongtin.example.gov.vn{article['path']}" in printed.text
    assert '<meta name="robots" content="noindex">' in printed.text

    saved = client.simulate_get(article["path"], params={"tai-ve": "1"})
    assert saved.status_code == 200
    assert saved.headers["content-disposition"] == f'attachment; filename="{article["slug"]}.html"'
    assert saved.headers["content-type"].startswith("text/html")
    assert '<base href="https://congthongtin.example.gov.vn/">' in saved.text  # its images and links still work
    assert "Mang theo sổ hộ khẩu." in saved.text and "Danh mục chính" not in saved.text


# Lists


def test_a_category_pages_twenty_articles_at_a_time(client, province):
    titles = [publish(client, title=f"Thông báo số {number:02d}", category="tin-tuc-su-kien")["title"]
              for number in range(21)]
    publish(client, title="Tin ngoài chuyên mục")
    first = client.simulate_get("/phu-mau/chuyen-muc/tin-tuc-su-kien")
    assert first.status_code == 200
    assert "<h1>Tin tức - Sự kiện</h1>" in first.text and "21 tin bài · Trang 1/2" in first.text
    listed = re.findall(r">(Thông báo số \d\d)</a>", first.text)
    assert listed == list(reversed(titles))[:20]  # newest first
    assert "Tin ngoài chuyên mục" not in first.text
    nav = re.search(r'<nav class="pagination" aria-label="Phân trang">.*?</nav>', first.text, re.S).group(0)
    assert 'href="/phu-mau/chuyen-muc/tin-tuc-su-kien" aria-current="page"' in nav
    assert '<a href="/phu-mau/chuyen-muc/tin-tuc-su-kien?trang=2" rel="next">Trang sau</a>' in nav

    second = client.simulate_get("/phu-mau/chuyen-muc/tin-tuc-su-kien", params={"trang": "2"})
    assert re.findall(r">(Thông báo số \d\d)</a>", second.text) == [titles[0]]
    assert 'href="/phu-mau/chuyen-muc/tin-tuc-su-kien?trang=2" aria-current="page"' in second.text
    assert '<a href="/phu-mau/chuyen-muc/tin-tuc-su-kien" rel="prev">Trang trước</a>' in second.text

    for beyond in ("3", "0"):
        missing = client.simulate_get("/phu-mau/chuyen-muc/tin-tuc-su-kien", params={"trang": beyond})
        assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text
    wrong = client.simulate_get("/phu-mau/chuyen-muc/tin-tuc-su-kien", params={"trang": "hai"})
    assert wrong.status_code == 400
    assert "“hai” không phải là số trang" in html.unescape(wrong.text)
    assert client.simulate_get("/phu-mau/chuyen-muc/khong-co").status_code == 404


def test_a_tag_page_lists_what_carries_the_tag(client, province):
    tagged = publish(client, title="Số hóa hồ sơ đất đai", tags=["Chuyển đổi số"])
    publish(client, title="Tin không gắn thẻ")
    article = client.simulate_get(tagged["path"])
    link = re.search(r'<a href="(/phu-mau/the/[^"]+)">Chuyển đổi số</a>', article.text).group(1)
    page = client.simulate_get(link)
    assert page.status_code == 200
    assert "<h1>Thẻ “Chuyển đổi số”</h1>" in page.text
    assert "Số hóa hồ sơ đất đai" in main_of(page) and "Tin không gắn thẻ" not in main_of(page)
    assert client.simulate_get("/phu-mau/the/khong-ai-dung").status_code == 404


def test_the_archive_by_date_lists_the_days_news_and_the_form_leads_there(client, province):
    article = publish(client, title="Hội nghị tổng kết năm")
    day = local_day(article["published_at"]).date()
    page = client.simulate_get(f"/phu-mau/tin-theo-ngay/{day.isoformat()}")
    assert page.status_code == 200
    assert f"<h1>Tin ngày {day.strftime('%d/%m/%Y')}</h1>" in page.text
    assert "Hội nghị tổng kết năm" in main_of(page)
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    assert f'href="/phu-mau/tin-theo-ngay/{before.isoformat()}" rel="prev"' in page.text
    assert f'href="/phu-mau/tin-theo-ngay/{after.isoformat()}" rel="next"' in page.text
    empty = client.simulate_get(f"/phu-mau/tin-theo-ngay/{before.isoformat()}")
    assert "Chưa có tin bài." in main_of(empty)

    for typed in (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}"):
        moved = client.simulate_get("/phu-mau/tin-theo-ngay", params={"ngay": typed})
        assert moved.status_code == 302, typed
        assert moved.headers["location"].endswith(f"/phu-mau/tin-theo-ngay/{day.isoformat()}")

    invalid = client.simulate_get("/phu-mau/tin-theo-ngay/2026-02-30")
    assert invalid.status_code == 400
    assert "“2026-02-30” không phải là một ngày có thật" in html.unescape(invalid.text)
    assert 'aria-invalid="true"' in invalid.text  # the form is offered again
    typed_wrong = client.simulate_get("/phu-mau/tin-theo-ngay", params={"ngay": "31/02/2026"})
    assert typed_wrong.status_code == 400 and "“31/02/2026”" in html.unescape(typed_wrong.text)


# Online public services


def test_the_public_services_page_links_the_units_the_provinces_and_the_national_portal(client, rpc, province):
    pool, admin = rpc
    with pool.services() as services:
        services.content.create_page(acting(admin), "phu-mau", {
            "key": "dich-vu-cong", "lang": "vi", "title": "Hướng dẫn nộp hồ sơ trực tuyến",
            "body_html": "<p>Đăng nhập bằng tài khoản VNeID.</p>"})
    page = client.simulate_get("/phu-mau/dich-vu-cong")
    assert page.status_code == 200
    body = main_of(page)
    assert "<h1>Dịch vụ công trực tuyến</h1>" in body
    links = re.findall(r'<a href="(https://[^"]+)" rel="external">([^<]+)<', body)
    assert links == [(COMMUNE_SERVICES, "Dịch vụ công của Xã Phú Mậu"),
                     (PROVINCE_SERVICES, "Cổng Dịch vụ công Tỉnh Thừa Thiên Huế"),
                     ("https://dichvucong.gov.vn", "Cổng Dịch vụ công Quốc gia")]
    assert "Hướng dẫn nộp hồ sơ trực tuyến" in body and "tài khoản VNeID" in body

    # A unit without its own portal or page still reaches the province's and the nation's.
    other = main_of(client.simulate_get("/phu-da/dich-vu-cong"))
    assert [url for url, _ in re.findall(r'<a href="(https://[^"]+)" rel="external">([^<]+)<', other)] == [
        PROVINCE_SERVICES, "https://dichvucong.gov.vn"]
    assert "Hướng dẫn nộp hồ sơ" not in other


# Media


def test_media_files_are_served_with_their_type_name_and_a_years_caching(client, rpc, province):
    image = upload(rpc, "ảnh lễ hội.png", png(700, 350), alt="Lễ hội cầu ngư")
    rendition = client.simulate_get(f"/tep/{image['id']}/640")
    assert rendition.status_code == 200
    assert rendition.headers["content-type"] == "image/webp" and rendition.content[:4] == b"RIFF"
    assert rendition.headers["x-content-type-options"] == "nosniff"
    assert rendition.headers["content-disposition"].startswith("inline;")
    assert rendition.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = rendition.headers["etag"]
    again = client.simulate_get(f"/tep/{image['id']}/640", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content

    original = client.simulate_get(f"/tep/{image['id']}")
    assert original.status_code == 403 and "Không có quyền truy cập" in original.text
    assert client.simulate_get(f"/tep/{image['id']}/1280").status_code == 404  # never scaled up
    assert client.simulate_get(f"/tep/{image['id']}/khac").status_code == 404
    assert client.simulate_get("/tep/khong-co/640").status_code == 404

    document = upload(rpc, "Quyết định 12.pdf", MINIMAL_PDF)
    download = client.simulate_get(f"/tep/{document['id']}")
    assert download.status_code == 200 and download.content == MINIMAL_PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Quyet dinh 12.pdf\"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2012.pdf")
    assert download.headers["cache-control"] == "public, max-age=31536000, immutable"


# Merged and dissolved units


def test_an_article_of_a_merged_unit_moves_and_of_a_dissolved_unit_is_gone(client, province):
    article = publish(client, "phu-da", title="Thị trấn Phú Đa sáp nhập")
    merge = client.simulate_post("/api/units/phu-da/merge", headers=EDITOR, json={"successor": "phu-mau"})
    assert merge.status_code == 200
    moved = client.simulate_get(f"/phu-da/tin-tuc/{article['slug']}")
    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/phu-mau/tin-tuc/{article['slug']}")
    # The successor answers for it; an old print-view link keeps its query when it moves.
    old_print_link = client.simulate_get(f"/phu-da/tin-tuc/{article['slug']}", params={"ban-in": "1"})
    assert old_print_link.headers["location"].endswith(f"/phu-mau/tin-tuc/{article['slug']}?ban-in=1")
    printed = client.simulate_get(f"/phu-mau/tin-tuc/{article['slug']}", params={"ban-in": "1"})
    assert "Thị trấn Phú Đa sáp nhập" in printed.text
    assert client.simulate_post("/api/units/phu-mau/dissolve", headers=EDITOR).status_code == 200
    gone = client.simulate_get(f"/phu-mau/tin-tuc/{article['slug']}")
    assert gone.status_code == 410 and "giải thể" in gone.text
