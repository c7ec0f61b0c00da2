"""The conformance report, the list of information a unit must publish, the menu and site map
read from the required sections, and the required pages that say "Chưa có thông tin", through
the gateway against the real content service."""
import csv
import io
import re
from datetime import timedelta

import pytest

from services.content.database import now
from services.content.service import ContentService
from tests.drive import acting
from tests.gateway.api_documented import documented
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk

PORTAL_SERVICES = (ContentService,)


def main_of(page) -> str:
    return re.search(r"<main.*</main>", page.text, re.S).group(0)


@pytest.fixture
def province(phu_mau):
    """The province and Xã Phú Mậu (phu_mau), a second commune, and Phú Mậu's introduction page."""
    client, pool, admin = phu_mau
    assert client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"}).status_code == 201
    with pool.services() as services:
        services.content.create_page(acting(admin), "phu-mau", {
            "key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu chung", "body_html": "<p>Bên sông Hương.</p>"})
    return phu_mau


def test_the_unit_report_groups_items_with_status_in_words_links_and_sources(client, province):
    page = client.simulate_get("/phu-mau/tuan-thu")
    assert page.status_code == 200, page.text
    main = main_of(page)
    assert "<h1>Mức độ tuân thủ quy định về thông tin bắt buộc</h1>" in main
    assert "<caption>Thông tin giới thiệu</caption>" in main and "<caption>Công khai thông tin</caption>" in main
    # Each item: a link to where it lives, its status as words, its source.
    row = re.search(r'<a href="/phu-mau/gioi-thieu/gioi-thieu">Giới thiệu chung.*?</tr>', main, re.S).group(0)
    assert "Đã có" in row and "Nghị định 42/2022/NĐ-CP, Điều 4, khoản 1, điểm b" in row and "<time" in row
    budget = re.search(r'<a href="/phu-mau/cong-khai/ngan-sach">.*?</tr>', main, re.S).group(0)
    assert "Chưa có" in budget and "—" in budget
    assert "Tỷ lệ đáp ứng" in main and 'href="/phu-mau/danh-muc-thong-tin"' in main


def test_the_unit_report_of_an_unknown_unit_is_a_404(client, province):
    assert client.simulate_get("/khong-co/tuan-thu").status_code == 404


def test_the_province_table_lists_every_unit_and_sorts_by_score(client, province):
    page = client.simulate_get("/tuan-thu")
    assert page.status_code == 200, page.text
    main = main_of(page)
    units = re.findall(r'<a href="/([a-z-]+)/tuan-thu">', main)
    assert units == ["thua-thien-hue", "phu-da", "phu-mau"]  # the tree's levels, then the address
    assert "<caption>Số mục đã có theo cấp</caption>" in main and "Xã" in main
    best_first = re.findall(r'<a href="/([a-z-]+)/tuan-thu">', main_of(client.simulate_get("/tuan-thu?sap-xep=diem")))
    assert best_first[0] == "phu-mau"  # the only one with a page of its own
    worst_first = re.findall(r'<a href="/([a-z-]+)/tuan-thu">',
                             main_of(client.simulate_get("/tuan-thu?sap-xep=diem-tang")))
    assert worst_first[-1] == "phu-mau"
    assert 'aria-sort="descending"' in client.simulate_get("/tuan-thu?sap-xep=diem").text
    # An order the page does not know is the default order, not an error.
    assert client.simulate_get("/tuan-thu?sap-xep=<script>").status_code == 200


def test_the_csv_has_a_bom_and_one_row_per_unit(client, province):
    response = client.simulate_get("/tuan-thu.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.text[1:])))
    assert rows[0][:3] == ["Mã đơn vị", "Đơn vị", "Cấp"]
    by_unit = {row[0]: row for row in rows[1:]}
    assert set(by_unit) == {"thua-thien-hue", "phu-mau", "phu-da"}
    assert by_unit["phu-mau"][1] == "Xã Phú Mậu"
    assert int(by_unit["phu-mau"][4]) == 3  # its page, the list and its managing body (the province)


def test_the_api_gives_the_report_and_a_unit_s(client, province):
    report = client.simulate_get("/api/conformance")
    assert report.status_code == 200
    assert {row["unit"] for row in report.json["units"]} == {"thua-thien-hue", "phu-mau", "phu-da"}
    unit = client.simulate_get("/api/units/phu-mau/conformance")
    assert unit.status_code == 200
    statuses = {item["key"]: item["status"] for item in unit.json["items"]}
    assert statuses["gioi-thieu"] == "present" and statuses["tin-tuc"] == "missing"
    missing = client.simulate_get("/api/units/khong-co/conformance")
    assert missing.status_code == 404 and "error" in missing.json


def test_the_api_reference_documents_the_conformance_routes_and_answers_match(client, province):
    area = documented(province, re.compile(r"conformance"))
    assert sorted(area.templates) == ["/api/conformance", "/api/units/{unit}/conformance"]
    area.check("/api/conformance", "get", client.simulate_get("/api/conformance"))
    area.check("/api/units/{unit}/conformance", "get", client.simulate_get("/api/units/phu-mau/conformance"))


def test_the_information_list_names_each_owed_item_its_source_and_place(client, province):
    page = client.simulate_get("/phu-mau/danh-muc-thong-tin")
    assert page.status_code == 200
    main = main_of(page)
    assert "<h1>Danh mục thông tin phải công khai</h1>" in main
    assert '<a href="/phu-mau/thu-tuc-hanh-chinh">Thủ tục hành chính</a>' in main
    assert "Căn cứ: Luật Tiếp cận thông tin 2016, Điều 34" in main
    assert "/phu-mau/cong-khai/khoa-hoc-cong-nghe" not in main  # not a commune's duty
    assert "<h2>Công khai thông tin</h2>" in main


def test_a_required_page_not_yet_written_says_there_is_no_information_yet(client, province):
    page = client.simulate_get("/phu-mau/gioi-thieu/co-cau-to-chuc")
    assert page.status_code == 200
    assert "<h1>Sơ đồ, cơ cấu tổ chức</h1>" in page.text and "Chưa có thông tin" in page.text
    english = client.simulate_get("/phu-mau/en/lien-he")
    assert english.status_code == 200 and "No information yet" in english.text
    # A page no rule asks for is still not found.
    assert client.simulate_get("/phu-mau/gioi-thieu/khong-co").status_code == 404
    assert client.simulate_get("/phu-mau/en/lanh-dao").status_code == 404


def test_the_menu_footer_and_site_map_lead_to_the_required_sections(client, province):
    page = client.simulate_get("/phu-mau/so-do-trang")
    assert page.status_code == 200
    menu = re.search(r'<nav class="unit-menu".*?</nav>', page.text, re.S).group(0)
    for href, label in (("/phu-mau/cong-khai", "Công khai thông tin"), ("/phu-mau/du-thao", "Dự thảo lấy ý kiến"),
                        ("/phu-mau/thu-tuc-hanh-chinh", "Thủ tục hành chính")):
        assert f'<a href="{href}">{label}</a>' in menu
    assert 'id="chan-trang"' in page.text and 'href="/phu-mau/tuan-thu"' in page.text
    main = main_of(page)
    for path in ("/phu-mau/danh-muc-thong-tin", "/phu-mau/tuan-thu", "/phu-mau/cong-khai/ngan-sach",
                 "/phu-mau/lich-cong-tac", "/phu-mau/en/lien-he", "/phu-mau/gioi-thieu/co-cau-to-chuc"):
        assert f'href="{path}"' in main, path
    sitemap = client.simulate_get("/phu-mau/sitemap.xml").text
    assert "/phu-mau/tuan-thu</loc>" in sitemap and "/phu-mau/danh-muc-thong-tin</loc>" in sitemap


def test_the_dashboard_lists_the_missing_and_out_of_date_items_with_where_to_fix_them(board, mongo_client,
                                                                                       portal_settings):
    with board.pool.services() as services:
        services.content.create_page(acting(board.admin), "phu-mau", {
            "key": "lanh-dao", "lang": "vi", "title": "Lãnh đạo xã", "body_html": "<p>Chủ tịch UBND xã.</p>"})
    mongo_client[portal_settings.CONTENT_DB]["pages"].update_one(
        {"unit": "phu-mau", "key": "lanh-dao"}, {"$set": {"updated_at": now() - timedelta(days=400)}})
    desk = Desk(board.client)
    page = desk.sign_in("tong-bien-tap")
    assert page.status_code == 200, page.text
    section = re.search(r'<section aria-labelledby="thong-tin-bat-buoc">.*?</section>', page.text, re.S).group(0)
    assert "Thông tin bắt buộc còn thiếu hoặc quá hạn" in section
    assert '<a href="/quan-tri/phu-mau/trang/lanh-dao">Tiểu sử và nhiệm vụ của lãnh đạo</a>' in section
    assert "Quá hạn cập nhật" in section
    assert '<a href="/quan-tri/phu-mau/don-vi">Số điện thoại</a>' in section
    assert '<a href="/quan-tri/phu-mau/van-ban/moi">Dự toán, quyết toán ngân sách</a>' in section
    assert '<a href="/quan-tri/phu-mau/trang">Giới thiệu chung, quá trình hình thành và phát triển</a>' in section
    assert "Danh mục thông tin phải công khai" not in section  # the platform makes it
    assert 'href="/phu-mau/tuan-thu"' in section
