"""Disclosures on the site and through the API: the sections a commune owes, each section's
documents by year with their files, and what a wrong address or year gets."""
import base64
import re

import pytest

from services.content import disclosures
from tests.drive import acting
from tests.gateway.api_documented import documented
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_document_pages import PDF

BODY = {"issuing_body": "UBND xã Phú Mậu", "type": "Quyết định"}
BUDGET_2026 = {**BODY, "number": "07/2026/QĐ-UBND", "issued_on": "2026-01-10", "effective_on": "2026-01-15",
               "excerpt": "Công bố công khai dự toán ngân sách xã Phú Mậu năm 2026", "section": "ngan-sach"}
SETTLEMENT_2025 = {**BODY, "number": "18/2025/QĐ-UBND", "issued_on": "2025-06-30",
                   "excerpt": "Công bố công khai quyết toán ngân sách xã Phú Mậu năm 2024", "section": "ngan-sach"}
PLAN_2025 = {**BODY, "type": "Kế hoạch", "number": "42/KH-UBND", "issued_on": "2025-02-03",
             "excerpt": "Kế hoạch phát triển kinh tế - xã hội năm 2025", "section": "chien-luoc-ke-hoach"}


@pytest.fixture
def filed(phu_mau):
    """Phú Mậu's budget documents of 2025 and 2026 (the 2026 one with its PDF) and a plan."""
    with phu_mau.pool.services() as services:
        media = services.content.upload_media(acting(phu_mau.admin), "phu-mau", "du-toan-2026.pdf",
                                              base64.b64encode(PDF).decode())
        for data in ({**BUDGET_2026, "file": media["id"]}, SETTLEMENT_2025, PLAN_2025):
            made = services.content.create_document(acting(phu_mau.admin), "phu-mau", data)
            services.content.publish_document(acting(phu_mau.admin), made["id"])
    return phu_mau.client


def numbers_listed(page) -> list[str]:
    return re.findall(r'<td data-label="Số/ký hiệu"><a href="[^"]+">([^<]+)</a>', page.text)


def test_the_index_lists_the_sections_a_commune_owes_with_counts_sources_and_honest_gaps(filed):
    page = filed.simulate_get("/phu-mau/cong-khai")
    assert page.status_code == 200 and "<h1>Công khai thông tin</h1>" in page.text
    titles = re.findall(r'<h2 id="muc-[^"]+"><a href="/phu-mau/cong-khai/([^"]+)">', page.text)
    assert titles == [section.key for section in disclosures.for_level("xa")]
    assert "khoa-hoc-cong-nghe" not in titles   # the province's and departments' section, not a commune's
    budget = page.text.split('id="muc-ngan-sach"')[1].split("</li>")[0]
    assert '2 văn bản; mới nhất ban hành ngày <time datetime="2026-01-10">10/01/2026</time>.' in budget
    assert "Căn cứ: Luật Tiếp cận thông tin 2016, Điều 17" in budget
    procurement = page.text.split('id="muc-dau-tu-mua-sam"')[1].split("</li>")[0]
    assert "Chưa có thông tin." in procurement


def test_a_section_lists_its_documents_newest_first_with_files_and_a_year_filter(filed):
    page = filed.simulate_get("/phu-mau/cong-khai/ngan-sach")
    assert page.status_code == 200
    assert "<h1>Dự toán, quyết toán ngân sách</h1>" in page.text
    assert numbers_listed(page) == ["07/2026/QĐ-UBND", "18/2025/QĐ-UBND"]
    assert page.text.count('<th scope="col">') == 6 and "Có 2 văn bản." in page.text
    assert '<td data-label="Ngày hiệu lực"><time datetime="2026-01-15">15/01/2026</time></td>' in page.text
    assert re.search(r'<a href="/tep/\w+" download="du-toan-2026.pdf">Tải về<span class="visually-hidden"> '
                     r'văn bản 07/2026/QĐ-UBND</span> \(PDF, 142 byte\)</a>', page.text), page.text
    assert "Chưa có tệp" in page.text   # the settlement has no file
    # The year filter: a labelled select of the years that have documents.
    assert '<label for="nam">Năm ban hành</label>' in page.text
    assert re.findall(r'<option value="(\d*)"', page.text) == ["", "2026", "2025"]
    of_2025 = filed.simulate_get("/phu-mau/cong-khai/ngan-sach", params={"nam": "2025"})
    assert numbers_listed(of_2025) == ["18/2025/QĐ-UBND"]
    assert '<option value="2025" selected>2025</option>' in of_2025.text
    assert "Văn bản ban hành năm 2025" in of_2025.text


def test_a_filed_documents_page_links_its_section(filed):
    listed = filed.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach")
    path = re.search(r'<td data-label="Số/ký hiệu"><a href="([^"]+)">42/KH-UBND</a>', listed.text).group(1)
    page = filed.simulate_get(path)
    assert ('<dt>Mục công khai</dt><dd><a href="/phu-mau/cong-khai/chien-luoc-ke-hoach">'
            "Chiến lược, quy hoạch, kế hoạch, chương trình</a></dd>") in page.text


def test_an_empty_section_or_year_says_so(filed):
    empty = filed.simulate_get("/phu-mau/cong-khai/dau-tu-mua-sam")
    assert empty.status_code == 200 and "Chưa có thông tin." in empty.text and numbers_listed(empty) == []
    assert '<select id="nam"' not in empty.text   # no year to choose
    no_year = filed.simulate_get("/phu-mau/cong-khai/ngan-sach", params={"nam": "2019"})
    assert no_year.status_code == 200 and "Chưa có thông tin trong năm 2019." in no_year.text


@pytest.mark.parametrize("path", ["/phu-mau/cong-khai/khong-co", "/phu-mau/cong-khai/khoa-hoc-cong-nghe",
                                  "/khong-co/cong-khai", "/khong-co/cong-khai/ngan-sach"])
def test_an_unknown_or_unowed_section_is_a_vietnamese_404(filed, path):
    page = filed.simulate_get(path)
    assert page.status_code == 404 and "Không tìm thấy trang" in page.text


@pytest.mark.parametrize("year", ["abc", "20255", "1800", "2999", "-1"])
def test_a_bad_year_is_a_400_shown_with_the_form(filed, year):
    page = filed.simulate_get("/phu-mau/cong-khai/ngan-sach", params={"nam": year})
    assert page.status_code == 400
    assert "<title>Lỗi: Dự toán, quyết toán ngân sách" in page.text
    assert '<a href="#nam">Năm ban hành phải là một năm có văn bản trong danh sách' in page.text
    assert '<select id="nam" name="nam" aria-describedby="loi-nam" aria-invalid="true">' in page.text
    assert numbers_listed(page) == []


def test_a_long_section_is_paged(phu_mau):
    with phu_mau.pool.services() as services:
        for serial in range(1, 23):
            made = services.content.create_document(acting(phu_mau.admin), "phu-mau", {
                **PLAN_2025, "number": f"{serial}/KH-UBND", "excerpt": f"Kế hoạch số {serial} năm 2025"})
            services.content.publish_document(acting(phu_mau.admin), made["id"])
    first = phu_mau.client.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach", params={"nam": "2025"})
    assert len(numbers_listed(first)) == 20 and "trang 1/2" in first.text
    assert 'href="/phu-mau/cong-khai/chien-luoc-ke-hoach?nam=2025&amp;trang=2"' in first.text
    second = phu_mau.client.simulate_get("/phu-mau/cong-khai/chien-luoc-ke-hoach", params={"nam": "2025", "trang": 2})
    assert numbers_listed(second) == ["2/KH-UBND", "1/KH-UBND"]


# The API

def test_the_api_lists_sections_and_a_sections_documents_as_documented(filed, phu_mau):
    api = documented(phu_mau, re.compile(r"disclosures"))
    sections = filed.simulate_get("/api/units/phu-mau/disclosures", params={"limit": 100})
    assert sections.status_code == 200
    api.check("/api/units/{unit}/disclosures", "get", sections)
    budget = next(item for item in sections.json["items"] if item["key"] == "ngan-sach")
    assert (budget["count"], budget["newest_issued_on"], budget["path"]) == (2, "2026-01-10",
                                                                           "/phu-mau/cong-khai/ngan-sach")
    listed = filed.simulate_get("/api/units/phu-mau/disclosures/ngan-sach")
    api.check("/api/units/{unit}/disclosures/{section}", "get", listed)
    assert [item["number"] for item in listed.json["items"]] == ["07/2026/QĐ-UBND", "18/2025/QĐ-UBND"]
    assert listed.json["items"][0]["section"] == "ngan-sach"
    of_2025 = filed.simulate_get("/api/units/phu-mau/disclosures/ngan-sach", params={"year": "2025", "limit": 1})
    assert [item["number"] for item in of_2025.json["items"]] == ["18/2025/QĐ-UBND"] and of_2025.json["next"] is None
    assert filed.simulate_get("/api/units/phu-mau/disclosures/khoa-hoc-cong-nghe").status_code == 404
    for year in ("25", "1800", "abcd"):
        refused = filed.simulate_get("/api/units/phu-mau/disclosures/ngan-sach", params={"year": year})
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["year"], refused.text


def test_the_api_takes_a_section_on_a_document_and_names_a_wrong_one(phu_mau):
    client = phu_mau.client
    made = client.simulate_post("/api/units/phu-mau/documents", headers=PORTAL_ADMIN, json=PLAN_2025)
    assert made.status_code == 201 and made.json["section"] == "chien-luoc-ke-hoach"
    for section, hint in (("khong-co", "must be one of"), ("thong-ke", "not a section of a 'xa' unit")):
        refused = client.simulate_post("/api/units/phu-mau/documents", headers=PORTAL_ADMIN,
                                       json={**PLAN_2025, "number": "43/KH-UBND", "section": section})
        assert refused.status_code == 422 and hint in refused.json["error"]["fields"]["section"], refused.text
    drafts = client.simulate_get("/api/units/phu-mau/editorial/documents", headers=PORTAL_ADMIN)
    assert [item["number"] for item in drafts.json["items"]] == ["42/KH-UBND"]   # nothing stored
