"""Administrative procedures on the site: the list by field with its filter, a procedure's page
with the button to file it online, and the way there from the public-services page."""
import re

import pytest

from services.content.service import ContentService
from tests.drive import acting

PORTAL_SERVICES = (ContentService,)  # the pages read the content service alone

PORTAL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"
BIRTH = {"name": "Đăng ký khai sinh", "code": "1.001193", "field": "Hộ tịch", "level": "xa",
         "processing_time": "Ngay trong ngày làm việc", "fees": "Miễn lệ phí",
         "papers_html": "<ul><li>Tờ khai đăng ký khai sinh</li><li>Giấy chứng sinh</li></ul>",
         "result": "Giấy khai sinh", "legal_basis": "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP",
         "portal_url": PORTAL}
OTHERS = [
    {"name": "Đăng ký kết hôn", "field": "Hộ tịch", "level": "xa"},
    {"name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "level": "xa", "code": "2.000815"},
    {"name": "Xác nhận tình trạng hôn nhân", "field": "Hộ tịch", "level": "xa"},
]


@pytest.fixture
def procedures(phu_mau):
    """Four published procedures of Phú Mậu and one draft."""
    published = {}
    with phu_mau.pool.services() as services:
        for data in (BIRTH, *OTHERS):
            draft = services.content.create_procedure(acting(phu_mau.admin), "phu-mau", data)
            published[data["name"]] = services.content.publish_procedure(acting(phu_mau.admin), draft["id"])
        published["draft"] = services.content.create_procedure(
            acting(phu_mau.admin), "phu-mau", {"name": "Thủ tục chưa đăng", "field": "Đất đai", "level": "xa"})
    return phu_mau.client, published


def main_of(page) -> str:
    return page.text[page.text.index("<main"):page.text.index("</main>")]


def names_listed(page) -> list[str]:
    return re.findall(r'<li>\s*<a href="/phu-mau/thu-tuc-hanh-chinh/[0-9a-f]+">([^<]+)</a>', page.text)


def test_the_list_groups_procedures_by_field_in_vietnamese_order(procedures):
    client, published = procedures
    page = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh")
    assert page.status_code == 200
    main = main_of(page)
    assert "<h1>Thủ tục hành chính</h1>" in main
    assert re.findall(r'<h2 id="linh-vuc-\d+">([^<]+)</h2>', main) == ["Chứng thực", "Hộ tịch"]
    assert names_listed(page) == ["Chứng thực bản sao từ bản chính", "Đăng ký kết hôn", "Đăng ký khai sinh",
                                  "Xác nhận tình trạng hôn nhân"]  # the draft is not public
    assert "Mã 1.001193 · Cấp xã · Ngay trong ngày làm việc" in main
    assert '<label for="linh-vuc">Lĩnh vực</label>' in main
    assert '<option value="ho-tich">Hộ tịch (3)</option>' in main
    assert "Có 4 thủ tục trong 2 lĩnh vực." in main
    assert 'href="/phu-mau/dich-vu-cong"' in main


def test_the_field_filter_lists_one_field(procedures):
    client, _ = procedures
    page = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "ho-tich"})
    assert page.status_code == 200
    assert names_listed(page) == ["Đăng ký kết hôn", "Đăng ký khai sinh", "Xác nhận tình trạng hôn nhân"]
    assert '<option value="ho-tich" selected>Hộ tịch (3)</option>' in page.text
    assert "<title>Thủ tục hành chính – Hộ tịch - Xã Phú Mậu</title>" in page.text
    # The field's name as a procedure's page links it, any case and marks.
    assert names_listed(client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "Hộ tịch"})) == \
        names_listed(page)
    unknown = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "dat-dai"})
    assert unknown.status_code == 404
    assert "không có thủ tục nào thuộc lĩnh vực này" in unknown.text and names_listed(unknown) == []


def test_a_field_too_long_is_named_in_an_error_summary(procedures):
    client, _ = procedures
    page = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh", params={"linh-vuc": "x" * 101})
    assert page.status_code == 422
    assert "<title>Lỗi: Thủ tục hành chính - Xã Phú Mậu</title>" in page.text
    assert 'href="#linh-vuc"' in page.text and "Lĩnh vực không hợp lệ" in page.text
    assert len(names_listed(page)) == 4  # every procedure still listed beneath


def test_a_procedure_shows_every_detail_and_the_button_to_file_online(procedures):
    client, published = procedures
    birth = published["Đăng ký khai sinh"]
    page = client.simulate_get(f"/phu-mau/thu-tuc-hanh-chinh/{birth['id']}")
    assert page.status_code == 200
    main = main_of(page)
    assert "<h1>Đăng ký khai sinh</h1>" in main
    assert f'<a class="button" href="{PORTAL.replace("&", "&amp;")}" rel="external">Nộp hồ sơ trực tuyến' in main
    for label, value in (("Mã thủ tục", "1.001193"), ("Cấp thực hiện", "Cấp xã"), ("Phí, lệ phí", "Miễn lệ phí"),
                         ("Thời hạn giải quyết", "Ngay trong ngày làm việc"), ("Kết quả thực hiện", "Giấy khai sinh")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in main, label
    assert "<li>Giấy chứng sinh</li>" in main
    assert "<p>Luật Hộ tịch 2014</p>" in main and "<p>Nghị định 123/2015/NĐ-CP</p>" in main
    assert 'href="/phu-mau/thu-tuc-hanh-chinh?linh-vuc=H%E1%BB%99%20t%E1%BB%8Bch"' in main


def test_without_its_own_link_a_procedure_is_filed_through_the_units_public_services(procedures):
    client, published = procedures
    page = client.simulate_get(f"/phu-mau/thu-tuc-hanh-chinh/{published['Đăng ký kết hôn']['id']}")
    assert '<a class="button" href="/phu-mau/dich-vu-cong">Nộp hồ sơ trực tuyến</a>' in page.text
    assert "<dt>Mã thủ tục</dt><dd>Không ghi</dd>" in page.text


def test_drafts_and_other_units_addresses_are_not_found(procedures):
    client, published = procedures
    assert client.simulate_get(f"/phu-mau/thu-tuc-hanh-chinh/{published['draft']['id']}").status_code == 404
    assert client.simulate_get("/phu-mau/thu-tuc-hanh-chinh/khong-co").status_code == 404
    assert client.simulate_get(f"/thua-thien-hue/thu-tuc-hanh-chinh/{published['draft']['id']}").status_code == 404
    assert client.simulate_get("/khong-co/thu-tuc-hanh-chinh").status_code == 404


def test_a_unit_without_procedures_says_so(phu_mau):
    page = phu_mau.client.simulate_get("/thua-thien-hue/thu-tuc-hanh-chinh")
    assert page.status_code == 200
    assert "Tỉnh Thừa Thiên Huế chưa đăng thủ tục hành chính nào." in page.text
    assert '<select id="linh-vuc"' not in page.text


def test_filing_online_is_two_clicks_from_the_public_services_page(procedures):
    client, published = procedures
    services_page = client.simulate_get("/phu-mau/dich-vu-cong")
    assert 'href="/phu-mau/thu-tuc-hanh-chinh"' in main_of(services_page)
    listed = client.simulate_get("/phu-mau/thu-tuc-hanh-chinh")
    assert f'href="{published["Đăng ký khai sinh"]["path"]}"' in listed.text
