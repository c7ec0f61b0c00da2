"""Administrative procedures in the workspace: drafted in one form with the papers one a line,
published and withdrawn by the editor-in-chief, bad input named in Vietnamese with the fields
kept and nothing saved, another unit's procedure no page at all."""
from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk
from tests.gateway.workspace_forms import form_fields
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

LIST = "/quan-tri/phu-mau/thu-tuc-hanh-chinh"
NEW = f"{LIST}/moi"
PORTAL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"
PROCEDURE = {
    "name": "Đăng ký khai sinh", "code": "1.001193", "field": "Hộ tịch", "level": "xa",
    "processing_time": "Ngay trong ngày làm việc", "fees": "Miễn lệ phí",
    "papers": "Tờ khai đăng ký khai sinh\r\n\r\n  Giấy chứng sinh <bản chính>  \r\n", "result": "Giấy khai sinh",
    "legal_basis": "Luật Hộ tịch 2014\r\nNghị định 123/2015/NĐ-CP", "portal_url": PORTAL,
}


def editorial(client) -> list[dict]:
    return client.simulate_get("/api/units/phu-mau/editorial/procedures", headers=PORTAL_ADMIN).json["items"]


def signed(board, username: str) -> Desk:
    desk = Desk(board.client)
    desk.sign_in(username)
    return desk


def test_a_procedure_is_drafted_published_on_the_site_and_withdrawn(board):
    editor = signed(board, "bien-tap")
    form = editor.get(NEW)
    assert form.status_code == 200
    assert '<option value="xa" selected>Cấp xã</option>' in form.text  # a commune's own level
    assert 'href="/quan-tri/phu-mau/thu-tuc-hanh-chinh" aria-current="page"' in form.text
    saved = editor.post(NEW, {**form_fields(form.text, NEW), **PROCEDURE})
    assert saved.status_code == 200, saved.text
    assert "Đã lưu thủ tục" in saved.text and "Đăng thủ tục" not in saved.text  # an editor may not publish
    [procedure] = editorial(board.client)
    assert procedure["status"] == "draft" and procedure["level"] == "xa"
    assert procedure["papers_html"] == ("<ul><li>Tờ khai đăng ký khai sinh</li>"
                                        "<li>Giấy chứng sinh &lt;bản chính&gt;</li></ul>")
    assert procedure["legal_basis"] == "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP"
    # The form shows the papers again one a line.
    assert "Tờ khai đăng ký khai sinh\nGiấy chứng sinh &lt;bản chính&gt;</textarea>" in saved.text
    assert "Đăng ký khai sinh" in editor.get(LIST).text

    chief = signed(board, "tong-bien-tap")
    path = f"{LIST}/{procedure['id']}"
    page = chief.get(path)
    published = chief.post(f"{path}/dang", form_fields(page.text, f"{path}/dang"))
    assert published.status_code == 200 and "Đã đăng thủ tục" in published.text
    public = wait_for(lambda: (answer := board.client.simulate_get(procedure["path"])).status_code == 200 and answer,
                      timeout=30, message="the published procedure on the unit's site")
    assert "Giấy chứng sinh &lt;bản chính&gt;" in public.text and "Nộp hồ sơ trực tuyến" in public.text

    withdrawn = chief.post(f"{path}/rut", form_fields(published.text, f"{path}/rut"))
    assert withdrawn.status_code == 200 and "Đã rút thủ tục" in withdrawn.text
    assert board.client.simulate_get(procedure["path"]).status_code == 404
    assert editor.post(f"{path}/dang", form_fields(withdrawn.text, f"{path}/dang")).status_code == 403


def test_bad_input_is_named_in_vietnamese_with_the_fields_kept_and_nothing_saved(board):
    editor = signed(board, "bien-tap")
    editor.get(NEW)
    refused = editor.post(NEW, {**form_fields(editor.last.text, NEW), **PROCEDURE, "code": "1001193",
                                "portal_url": "dichvucong.gov.vn", "name": ""})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text and "Thủ tục chưa được lưu" in refused.text
    for message in ("Nhập tên thủ tục", "Mã thủ tục phải có dạng 1.001193", "bắt đầu bằng https://"):
        assert message in refused.text, message
    assert 'href="#ma-thu-tuc"' in refused.text and 'value="dichvucong.gov.vn"' in refused.text
    assert "Giấy chứng sinh" in refused.text
    assert editorial(board.client) == []

    saved = editor.post(NEW, {**form_fields(refused.text, NEW), **PROCEDURE})
    assert "Đã lưu thủ tục" in saved.text
    editor.get(NEW)
    taken = editor.post(NEW, {**form_fields(editor.last.text, NEW), **PROCEDURE})
    assert taken.status_code == 409 and "Đơn vị đã có thủ tục mang tên này" in taken.text
    assert len(editorial(board.client)) == 1


def test_a_form_without_its_token_is_refused_with_the_fields_kept(board):
    editor = signed(board, "bien-tap")
    editor.get(NEW)
    refused = editor.post(NEW, {**form_fields(editor.last.text, NEW), **PROCEDURE}, token="")
    assert refused.status_code == 403 and "Biểu mẫu đã hết hạn" in refused.text
    assert 'value="Đăng ký khai sinh"' in refused.text
    assert editorial(board.client) == []


def test_another_units_procedure_by_its_id_is_no_page(board):
    client = board.client
    made = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"})
    assert made.status_code == 201, made.text
    other = client.simulate_post("/api/units/phu-thanh/procedures", headers=PORTAL_ADMIN,
                                 json={key: value for key, value in PROCEDURE.items() if key != "papers"})
    assert other.status_code == 201, other.text
    chief = signed(board, "tong-bien-tap")
    assert chief.get(f"{LIST}/{other.json['id']}").status_code == 404
    assert chief.get("/quan-tri/phu-thanh/thu-tuc-hanh-chinh").status_code in (403, 404)
