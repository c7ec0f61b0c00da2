"""Legal documents on the site: the search form with its results, and a document's page."""
import base64
import re

import pytest

from tests.drive import acting

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PDF_SIZE = 1_250_000  # shown as 1,2 MB
DECISION = {"number": "12/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
            "signer": "Nguyễn Văn An", "issued_on": "2026-03-02", "effective_on": "2026-03-15",
            "excerpt": "Về việc thành lập Ban chỉ đạo chuyển đổi số xã Phú Mậu", "field": "Chuyển đổi số"}
LETTER = {"number": "125/UBND-VP", "type": "Công văn", "issuing_body": "UBND xã Phú Mậu",
          "issued_on": "2026-05-20", "excerpt": "Về việc triển khai dịch vụ công trực tuyến toàn trình"}
PLAN = {"number": "7/KH-HĐND", "type": "Kế hoạch", "issuing_body": "HĐND xã Phú Mậu",
        "issued_on": "2025-12-01", "excerpt": "Kế hoạch giám sát chuyên đề năm 2026"}


@pytest.fixture
def documents(phu_mau):
    """Three published documents; the decision carries a PDF file."""
    header, rest = PDF.split(b"\n", 1)
    padded = header + b"\n%" + b"x" * (PDF_SIZE - len(PDF) - 2) + b"\n" + rest  # a comment line fills it out
    published = {}
    with phu_mau.pool.services() as services:
        media = services.content.upload_media(acting(phu_mau.admin), "phu-mau", "12-2026-QD-UBND.pdf",
                                              base64.b64encode(padded).decode())
        for data in ({**DECISION, "file": media["id"]}, LETTER, PLAN):
            draft = services.content.create_document(acting(phu_mau.admin), "phu-mau", data)
            published[data["number"]] = services.content.publish_document(acting(phu_mau.admin), draft["id"])
    return phu_mau.client, published


def numbers_listed(page) -> list[str]:
    return re.findall(r'<td data-label="Số/ký hiệu"><a href="[^"]+">([^<]+)</a>', page.text)


def search(client, **params):
    return client.simulate_get("/phu-mau/van-ban", params=params)


def test_the_list_shows_every_document_newest_issued_first_in_a_table(documents):
    client, published = documents
    page = search(client)
    assert page.status_code == 200
    assert numbers_listed(page) == ["125/UBND-VP", "12/2026/QĐ-UBND", "7/KH-HĐND"]
    assert "<caption>Danh sách văn bản</caption>" in page.text
    assert page.text.count('<th scope="col">') == 5
    assert f'<a href="/phu-mau/van-ban/{published["125/UBND-VP"]["id"]}">125/UBND-VP</a>' in page.text
    assert '<td data-label="Ngày ban hành"><time datetime="2026-05-20">20/05/2026</time></td>' in page.text
    assert "Có 3 văn bản." in page.text


def test_search_by_number_type_issuer_words_and_issue_dates(documents):
    client, _ = documents
    assert numbers_listed(search(client, **{"so-ky-hieu": "12/2026"})) == ["12/2026/QĐ-UBND"]
    assert numbers_listed(search(client, loai="cong van")) == ["125/UBND-VP"]
    assert numbers_listed(search(client, **{"co-quan": "HĐND xã Phú Mậu"})) == ["7/KH-HĐND"]
    assert numbers_listed(search(client, **{"tu-khoa": "chuyen doi so"})) == ["12/2026/QĐ-UBND"]
    in_2026 = search(client, **{"tu-ngay": "2026-01-01", "den-ngay": "2026-03-31"})
    assert numbers_listed(in_2026) == ["12/2026/QĐ-UBND"] and "Có 1 văn bản phù hợp." in in_2026.text
    # Dates typed the Vietnamese way work too, and the form shows what was asked.
    typed = search(client, **{"tu-ngay": "01/04/2026", "loai": "Công văn"})
    assert numbers_listed(typed) == ["125/UBND-VP"]
    assert 'name="loai" type="text" value="Công văn"' in typed.text
    nothing = search(client, **{"so-ky-hieu": "99/2026"})
    assert numbers_listed(nothing) == [] and "Không có văn bản nào phù hợp" in nothing.text


def test_a_bad_date_is_named_in_an_error_summary_linked_to_its_field(documents):
    client, _ = documents
    page = search(client, **{"tu-ngay": "31/02/2026", "tu-khoa": "chuyển đổi"})
    assert page.status_code == 422
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', page.text, re.S).group(0)
    assert '<a href="#tu-ngay">“Từ ngày” phải là một ngày có thật, viết dạng dd/mm/yyyy' in summary
    assert re.search(r'<input id="tu-ngay" name="tu-ngay" type="date" value="31/02/2026" placeholder="dd/mm/yyyy"'
                     r' aria-describedby="loi-tu-ngay" aria-invalid="true">', page.text)
    assert '<p class="field-error" id="loi-tu-ngay">' in page.text
    assert 'value="chuyển đổi"' in page.text  # what else was typed stays
    assert "<title>Lỗi: Văn bản" in page.text

    reversed_range = search(client, **{"tu-ngay": "2026-05-01", "den-ngay": "2026-04-01"})
    assert reversed_range.status_code == 422
    assert '<a href="#den-ngay">“Đến ngày”' in reversed_range.text
    assert "không được trước “Từ ngày”" in reversed_range.text
    assert '<a href="#tu-ngay">' not in reversed_range.text


def test_the_list_is_paged(documents, monkeypatch):
    client, _ = documents
    monkeypatch.setattr("gateway.resources.documents.PER_PAGE", 2)
    first = search(client, loai="")
    assert numbers_listed(first) == ["125/UBND-VP", "12/2026/QĐ-UBND"]
    assert '<a href="/phu-mau/van-ban?trang=2" rel="next">Trang sau</a>' in first.text
    second = search(client, trang="2")
    assert numbers_listed(second) == ["7/KH-HĐND"]
    assert '<a href="/phu-mau/van-ban" rel="prev">Trang trước</a>' in second.text
    assert "<caption>Danh sách văn bản, trang 2/2</caption>" in second.text


def test_a_document_shows_all_its_details_and_its_file_to_download(documents):
    client, published = documents
    decision = published["12/2026/QĐ-UBND"]
    page = client.simulate_get(f"/phu-mau/van-ban/{decision['id']}")
    assert page.status_code == 200
    meta = re.search(r'<dl class="document-meta">(.*?)</dl>', page.text, re.S).group(1)
    for label, value in (("Số/ký hiệu", "12/2026/QĐ-UBND"), ("Loại văn bản", "Quyết định"),
                         ("Cơ quan ban hành", "UBND xã Phú Mậu"), ("Người ký", "Nguyễn Văn An"),
                         ("Lĩnh vực", "Chuyển đổi số"), ("Trích yếu", DECISION["excerpt"])):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in meta
    assert '<dt>Ngày ban hành</dt><dd><time datetime="2026-03-02">02/03/2026</time></dd>' in meta
    assert '<dt>Ngày hiệu lực</dt><dd><time datetime="2026-03-15">15/03/2026</time></dd>' in meta
    file = decision["file"]
    assert (f'<a href="/tep/{file["media_id"]}" download="12-2026-QD-UBND.pdf">Tải về (PDF, 1,2 MB)</a>'
            in page.text)

    letter = client.simulate_get(f"/phu-mau/van-ban/{published['125/UBND-VP']['id']}")
    assert "<dt>Ngày hiệu lực</dt><dd>Không ghi</dd>" in letter.text and "/tep/" not in letter.text
    assert client.simulate_get("/phu-mau/van-ban/khong-co").status_code == 404
