"""The "Mục công khai" select of the workspace's document form: the sections the unit's level
owes, the choice saved and shown again, and a section the level does not owe refused in
Vietnamese with nothing saved."""
import re

from services.content import disclosures
from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.gateway.workspace_forms import form_fields, post_with_files

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

LIST = "/quan-tri/phu-mau/van-ban"
NEW = f"{LIST}/moi"
BUDGET = {"number": "45/2025/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
          "issued_on": "20/12/2025", "excerpt": "Công bố công khai dự toán ngân sách xã Phú Mậu năm 2026"}


def editorial(client) -> list[dict]:
    return client.simulate_get("/api/units/phu-mau/editorial/documents", headers=PORTAL_ADMIN).json["items"]


def choices(page) -> list[tuple[str, bool]]:
    select = re.search(r'<select id="muc-cong-khai" name="section"[^>]*>(.*?)</select>', page.text, re.S).group(1)
    return [(value, bool(chosen)) for value, chosen in re.findall(r'<option value="([^"]*)"( selected)?>', select)]


def test_the_form_offers_the_communes_sections_and_keeps_the_choice(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    page = editor.get(NEW)
    assert '<label for="muc-cong-khai">Mục công khai</label>' in page.text
    offered = choices(page)
    assert offered[0] == ("", False) and "Không (văn bản thông thường)" in page.text
    assert [value for value, _ in offered[1:]] == [section.key for section in disclosures.for_level("xa")]
    assert "khoa-hoc-cong-nghe" not in dict(offered)

    saved = post_with_files(editor, NEW, {**form_fields(page.text, NEW), **BUDGET, "section": "ngan-sach"}, {})
    assert saved.status_code == 200 and "Đã lưu văn bản" in saved.text
    [document] = editorial(board.client)
    assert document["section"] == "ngan-sach"
    assert ("ngan-sach", True) in choices(saved)

    # Chosen back to none: an ordinary legal document again.
    path = f"{LIST}/{document['id']}"
    again = post_with_files(editor, path, {**form_fields(saved.text, path), "section": ""}, {})
    assert again.status_code == 200 and editorial(board.client)[0]["section"] is None
    assert choices(again)[0] == ("", False) and not any(chosen for _, chosen in choices(again))


def test_a_section_the_level_does_not_owe_is_refused_in_vietnamese_and_nothing_saved(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    page = editor.get(NEW)
    refused = post_with_files(editor, NEW, {**form_fields(page.text, NEW), **BUDGET, "section": "khoa-hoc-cong-nghe"},
                              {})
    assert refused.status_code == 422
    assert '<a href="#muc-cong-khai">Chọn một mục công khai trong danh sách' in refused.text
    assert 'aria-describedby="goi-y-muc-cong-khai loi-muc-cong-khai" aria-invalid="true"' in refused.text
    assert 'value="45/2025/QĐ-UBND"' in refused.text   # what was typed stays
    assert editorial(board.client) == []
