"""The two homes laid out as portals, through the gateway against the real content and ranking
services: the portal's home is the province's site, named after it; a unit's home leads with a
story and its picture, shows news by category, the week's schedule, the newest documents and
answers (dropped from the page cache on their events), links to the units around it and to its
English introduction; the directory groups communes under their district."""
import base64
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.servers import wait_for

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LEVELS = ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "huyen", "name": "Huyện", "order": 1},
          {"slug": "xa", "name": "Xã, phường, thị trấn", "order": 2})
UNITS = (
    {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"},
    {"slug": "so-noi-vu", "name": "Sở Nội vụ", "level": "huyen", "parent": "thua-thien-hue"},
    {"slug": "phu-vang", "name": "Huyện Phú Vang", "level": "huyen", "parent": "thua-thien-hue"},
    {"slug": "phu-mau", "name": "Xã Phú Mậu", "level": "xa", "parent": "phu-vang"},
    {"slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "phu-vang"},
    {"slug": "phong-dien", "name": "Huyện Phong Điền", "level": "huyen", "parent": "thua-thien-hue"},
    {"slug": "phong-hien", "name": "Xã Phong Hiền", "level": "xa", "parent": "phong-dien"},
)
CATEGORIES = ({"slug": "tin-tuc-su-kien", "name": "Tin tức - Sự kiện", "order": 1},
              {"slug": "van-hoa-xa-hoi", "name": "Văn hóa - Xã hội", "order": 2})


@pytest.fixture
def tree(portal):
    """The province, a department, two districts with their communes, and two categories in Phú Mậu."""
    client = portal.client
    for level in LEVELS:
        assert client.simulate_post("/api/levels", headers=PORTAL_ADMIN, json=level).status_code == 201
    for unit in UNITS:
        response = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit)
        assert response.status_code == 201, response.text
    for category in CATEGORIES:
        response = client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN, json=category)
        assert response.status_code == 201, response.text
    return portal


def main_of(page) -> str:
    return re.search(r"<main.*</main>", page.text, re.S).group(0)


def section(page, heading_id: str) -> str:
    return re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page.text, re.S).group(0)


def cover(portal, unit: str) -> dict:
    output = io.BytesIO()
    Image.new("RGB", (1400, 700), "teal").save(output, "PNG")
    with portal.pool.services() as services:
        media = services.content.upload_media(acting(portal.admin), unit, "anh-bia.png",
                                              base64.b64encode(output.getvalue()).decode())
    return {"media_id": media["id"], "alt": "Lễ đón nhận danh hiệu tại hội trường"}


# The portal's home


def test_the_portal_home_is_the_provinces_site_named_after_it(tree):
    client = tree.client
    lead = publish(client, "thua-thien-hue", title="Tỉnh đón nhận Huân chương Lao động", featured=True,
                   summary="Lễ đón nhận sáng nay.", cover=cover(tree, "thua-thien-hue"))
    commune = publish(client, "phu-mau", title="Xã Phú Mậu ra quân làm sạch môi trường")
    home = client.simulate_get("/")
    assert home.status_code == 200
    assert "<title>Cổng thông tin điện tử tỉnh Thừa Thiên Huế</title>" in home.text
    assert "<h1>Cổng thông tin điện tử tỉnh Thừa Thiên Huế</h1>" in main_of(home)
    assert main_of(home).count("<h1>") == 1
    story = section(home, "tin-noi-bat")
    assert lead["title"] in story and "Lễ đón nhận sáng nay." in story
    assert 'alt="Lễ đón nhận danh hiệu tại hội trường"' in story
    assert f'src="/tep/{lead["cover"]["media_id"]}/640"' in story
    assert '<a class="button-link" href="/thua-thien-hue/dich-vu-cong">' in section(home, "dich-vu-cong")
    everywhere = section(home, "tin-don-vi")
    assert everywhere.index(commune["title"]) < everywhere.index(lead["title"])  # newest first, every unit
    assert "Xã Phú Mậu · <time" in everywhere
    # The portal's other pages carry its name too.
    assert '<a href="/" class="portal-name">Cổng thông tin điện tử tỉnh Thừa Thiên Huế</a>' in \
        client.simulate_get("/xep-hang").text


def test_the_directory_groups_communes_under_their_district_and_is_searched_without_javascript(tree):
    client = tree.client
    client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-an", "name": "Xã Phú An", "level": "xa", "parent": "phu-vang"})
    assert client.simulate_post("/api/units/phu-an/dissolve", headers=PORTAL_ADMIN).status_code == 200
    directory = section(client.simulate_get("/"), "lien-ket-tieu-de")
    # The province with what stands directly under it, then each district with its communes.
    assert re.findall(r"<summary>(.*?)</summary>", directory) == [
        "Tỉnh Thừa Thiên Huế (2)", "Huyện Phong Điền (2)", "Huyện Phú Vang (3)"]
    vang = directory[directory.index("Huyện Phú Vang (3)"):]
    # The district first, then its communes in Vietnamese order ('T' before 'X'); dissolved ones left out.
    assert re.findall(r'<a href="/([a-z-]+)">', vang) == ["phu-vang", "phu-da", "phu-mau"]
    assert "Sở Nội vụ" in directory[:directory.index("Huyện Phong Điền")]

    listed = section(client.simulate_get("/", params={"don-vi": "phu mau"}), "lien-ket-tieu-de")
    assert re.findall(r"<summary>(.*?)</summary>", listed) == ["Huyện Phú Vang (1)"]
    assert '<a href="/phu-mau">Xã Phú Mậu</a>' in listed and "Thị trấn Phú Đa" not in listed
    assert '<details class="unit-group" open>' in listed and 'value="phu mau"' in listed
    assert "Có 1 đơn vị có tên chứa “phu mau”." in listed
    assert "Thị trấn Phú Đa" in section(client.simulate_get("/", params={"don-vi": "PHU DA"}), "lien-ket-tieu-de")
    nothing = section(client.simulate_get("/", params={"don-vi": "hai duong"}), "lien-ket-tieu-de")
    assert "Không có đơn vị nào có tên chứa “hai duong”" in nothing and "<details" not in nothing


# A unit's home


def test_a_unit_home_leads_with_a_story_and_shows_news_by_category_newest_first(tree):
    client = tree.client
    news = [publish(client, title=f"Tin sự kiện số {n}", category="tin-tuc-su-kien") for n in range(5)]
    culture = publish(client, title="Hội thi đan lát truyền thống", category="van-hoa-xa-hoi")
    home = client.simulate_get("/phu-mau")
    assert home.status_code == 200 and main_of(home).count("<h1>") == 1
    assert culture["title"] in section(home, "tin-noi-bat")  # none featured: the newest leads
    assert culture["title"] not in section(home, "tin-moi")
    blocks = section(home, "chuyen-muc")
    events = blocks[blocks.index("/phu-mau/chuyen-muc/tin-tuc-su-kien"):blocks.index("/phu-mau/chuyen-muc/van-hoa")]
    assert '<h3><a href="/phu-mau/chuyen-muc/tin-tuc-su-kien">Tin tức - Sự kiện</a></h3>' in blocks
    assert re.findall(r">(Tin sự kiện số \d)<", events) == [a["title"] for a in reversed(news)][:4]
    assert '<h3><a href="/phu-mau/chuyen-muc/van-hoa-xa-hoi">Văn hóa - Xã hội</a></h3>' in blocks

    featured = publish(client, title="Phú Mậu đón nhận danh hiệu xã nông thôn mới", featured=True)
    wait_for(lambda: featured["title"] in section(client.simulate_get("/phu-mau"), "tin-noi-bat"),
             message="the featured story leads once published")
    assert "tin-noi-bat" not in client.simulate_get("/phong-hien").text  # nothing published, no empty block


def test_the_unit_home_shows_the_weeks_schedule(tree):
    monday = datetime.now(VIETNAM).date() - timedelta(days=datetime.now(VIETNAM).weekday())
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    with tree.pool.services() as services:
        services.content.create_schedule(acting(tree.admin), "phu-mau", week, {"entries": [{
            "start": f"{monday.isoformat()}T08:00:00+07:00", "leader": "Chủ tịch UBND xã Nguyễn Văn A",
            "title": "Họp giao ban đầu tuần", "location": "Hội trường UBND xã"}]})
        services.content.publish_schedule(acting(tree.admin), "phu-mau", week)
    schedule = section(tree.client.simulate_get("/phu-mau"), "lich-tuan")
    sunday = monday + timedelta(days=6)
    assert (f'Tuần từ <time datetime="{monday.isoformat()}">{monday:%d/%m/%Y}</time> đến '
            f'<time datetime="{sunday.isoformat()}">{sunday:%d/%m/%Y}</time>') in schedule
    assert f'Thứ Hai, <time datetime="{monday.isoformat()}">{monday:%d/%m/%Y}</time>' in schedule
    assert "08:00" in schedule and "Họp giao ban đầu tuần" in schedule and "Hội trường UBND xã" in schedule
    assert "Chưa có lịch công tác tuần này." in section(tree.client.simulate_get("/phu-da"), "lich-tuan")


def test_documents_and_answers_on_the_home_follow_their_events_through_the_page_cache(tree):
    client = tree.client
    before = client.simulate_get("/phu-mau")
    assert "Chưa có văn bản." in section(before, "van-ban-moi")
    assert "Chưa có câu hỏi được trả lời." in section(before, "hoi-dap-moi")
    assert client.simulate_get("/phu-mau").headers.get("etag") == before.headers.get("etag")  # served from the cache
    with tree.pool.services() as services:
        draft = services.content.create_document(acting(tree.admin), "phu-mau", {
            "number": "125/UBND-VP", "type": "Công văn", "issuing_body": "UBND xã Phú Mậu",
            "issued_on": "2026-05-20", "excerpt": "Về việc triển khai dịch vụ công trực tuyến toàn trình"})
        document = services.content.publish_document(acting(tree.admin), draft["id"])
        asked = services.content.ask_question("phu-mau", {
            "asker_name": "Nguyễn Văn An", "asker_email": "an@example.vn", "title": "Thủ tục cấp sổ đỏ",
            "question": "Cần những giấy tờ gì?"})
        services.content.accept_question(acting(tree.admin), asked["id"])
        services.content.answer_question(acting(tree.admin), asked["id"], {"answer_html": "<p>Đơn đề nghị.</p>"})
        answer = services.content.publish_question(acting(tree.admin), asked["id"])
    home = wait_for(lambda: (page := client.simulate_get("/phu-mau")) and "125/UBND-VP" in page.text
                    and "Thủ tục cấp sổ đỏ" in page.text and page, message="the home shows them")
    assert f'<a href="{document["path"]}">125/UBND-VP</a>' in section(home, "van-ban-moi")
    assert f'<a href="{answer["path"]}">Thủ tục cấp sổ đỏ</a>' in section(home, "hoi-dap-moi")
    assert '<a href="/phu-mau/hoi-dap/gui-cau-hoi">Gửi câu hỏi</a>' in section(home, "hoi-dap-moi")


def test_a_unit_home_links_to_the_units_around_it_and_searches_the_directory(tree):
    district = tree.client.simulate_get("/phu-vang")
    links = section(district, "lien-ket-tieu-de")
    assert 'Đơn vị cấp trên: <a href="/thua-thien-hue">Tỉnh Thừa Thiên Huế</a>' in links
    assert re.findall(r'<li><a href="/([a-z-]+)">', links) == ["phu-da", "phu-mau"]
    assert '<form class="directory-filter" action="/#lien-ket" method="get">' in links
    assert "Đơn vị trực thuộc" not in section(tree.client.simulate_get("/phu-mau"), "lien-ket-tieu-de")


def test_a_unit_home_links_to_its_english_introduction_and_the_english_pages_lead_back(tree):
    client = tree.client
    assert 'hreflang="en"' not in client.simulate_get("/phu-mau").text  # no English page yet
    created = client.simulate_post("/api/units/phu-mau/pages", headers=PORTAL_ADMIN, json={
        "key": "gioi-thieu", "lang": "en", "title": "About Phu Mau", "body_html": "<p>A commune of Hue.</p>"})
    assert created.status_code == 201, created.text
    wait_for(lambda: '<a href="/phu-mau/en/gioi-thieu" lang="en" hreflang="en">English</a>'
             in client.simulate_get("/phu-mau").text, message="the link to the English introduction")
    english = client.simulate_get("/phu-mau/en/gioi-thieu")
    assert english.status_code == 200 and '<html lang="en"' in english.text
    assert '<a href="/phu-mau" lang="vi" hreflang="vi">Tiếng Việt</a>' in english.text
