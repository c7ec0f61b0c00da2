"""The unit's profile and its categories in the workspace: a new category in the public menu, a
contact phone in the public footer, a branding refused for its contrast naming the field, stale
saves kept as typed, a category in use kept, and another unit's category not found."""
import html
import re

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.workspace_desk import Desk, signed_in
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def admin(board) -> Desk:
    return signed_in(board.client, "quan-tri-xa")


def form_fields(text: str) -> dict:
    """The profile form's fields as the page shows them (inputs and the chosen option)."""
    form = text[text.index('action="/quan-tri/phu-mau/don-vi"'):]
    inputs = re.findall(r'<input id="[^"]+" name="([^"]+)" type="[^"]+" value="([^"]*)"', form)
    fields = {name: html.unescape(value) for name, value in inputs}
    fields["version"] = re.search(r'name="version" value="([^"]*)"', form).group(1)
    fields["banner_image"] = ""
    return fields


def test_a_new_category_appears_in_the_public_menu_and_can_be_renamed(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/chuyen-muc")
    added = desk.post("/quan-tri/phu-mau/chuyen-muc", {"slug": "tin-dia-phuong", "name": "Tin địa phương",
                                                       "name_en": "Local news", "order": "1"})
    assert added.status_code == 200 and "Đã thêm chuyên mục" in added.text
    wait_for(lambda: 'href="/phu-mau/chuyen-muc/tin-dia-phuong"' in board.client.simulate_get("/phu-mau").text,
             message="the category in the public menu")
    edit = desk.get("/quan-tri/phu-mau/chuyen-muc/tin-dia-phuong")
    version = re.search(r'name="version" value="(\d+)"', edit.text).group(1)
    renamed = desk.post("/quan-tri/phu-mau/chuyen-muc/tin-dia-phuong", {
        "name": "Tin tức địa phương", "name_en": "Local news", "order": "2", "version": version})
    assert renamed.status_code == 200 and "Đã lưu chuyên mục" in renamed.text
    wait_for(lambda: "Tin tức địa phương" in board.client.simulate_get("/phu-mau").text, message="the new name")
    # A form loaded before the rename keeps what was typed and says who came first.
    stale = desk.post("/quan-tri/phu-mau/chuyen-muc/tin-dia-phuong", {
        "name": "Thời sự", "name_en": "", "order": "2", "version": version})
    assert stale.status_code == 409 and "vừa được người khác thay đổi" in stale.text
    assert 'value="Thời sự"' in stale.text


def test_a_category_in_use_is_kept_and_an_unused_one_goes(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/chuyen-muc")
    for slug, name in (("tin-tuc", "Tin tức"), ("thong-bao", "Thông báo")):
        desk.post("/quan-tri/phu-mau/chuyen-muc", {"slug": slug, "name": name, "name_en": "", "order": ""})
    publish(board.client, title="Tin trong chuyên mục", category="tin-tuc")
    listing = desk.get("/quan-tri/phu-mau/chuyen-muc")
    assert 'data-confirm="Xoá chuyên mục “Tin tức”?"' in listing.text
    refused = desk.post("/quan-tri/phu-mau/chuyen-muc/tin-tuc/xoa")
    assert refused.status_code == 409 and "Chưa xoá được chuyên mục “Tin tức”" in refused.text
    deleted = desk.post("/quan-tri/phu-mau/chuyen-muc/thong-bao/xoa")
    assert deleted.status_code == 200 and "Đã xoá chuyên mục" in deleted.text
    slugs = [c["slug"] for c in board.client.simulate_get("/api/units/phu-mau/categories").json["items"]]
    assert slugs == ["tin-tuc"]


def test_bad_category_input_is_named_and_another_units_category_is_not_found(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/chuyen-muc")
    refused = desk.post("/quan-tri/phu-mau/chuyen-muc", {"slug": "Tin Tức", "name": "T", "name_en": "", "order": ""})
    assert refused.status_code == 422 and "<title>Lỗi: " in refused.text
    assert "Địa chỉ chuyên mục chỉ gồm chữ thường" in refused.text and "từ 2 đến 120 ký tự" in refused.text
    assert 'value="Tin Tức"' in refused.text
    desk.post("/quan-tri/phu-mau/chuyen-muc", {"slug": "tin-tuc", "name": "Tin tức", "name_en": "", "order": ""})
    taken = desk.post("/quan-tri/phu-mau/chuyen-muc", {"slug": "tin-tuc", "name": "Tin", "name_en": "", "order": ""})
    assert taken.status_code == 422 and "đã có chuyên mục với địa chỉ này" in taken.text
    unit = {"slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue"}
    assert board.client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit).status_code == 201
    assert board.client.simulate_post("/api/units/phu-thanh/categories", headers=PORTAL_ADMIN, json={
        "slug": "rieng", "name": "Chuyên mục riêng"}).status_code == 201
    assert desk.get("/quan-tri/phu-mau/chuyen-muc/rieng").status_code == 404
    assert desk.post("/quan-tri/phu-mau/chuyen-muc/rieng/xoa").status_code == 404
    assert desk.get("/quan-tri/phu-mau/chuyen-muc/tin-tuc/xoa").status_code == 405
    assert desk.get("/quan-tri/phu-thanh/chuyen-muc").status_code == 403
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    assert editor.get("/quan-tri/phu-mau/chuyen-muc").status_code == 403


def test_the_contact_phone_changed_shows_in_the_public_footer(board):
    desk = admin(board)
    fields = form_fields(desk.get("/quan-tri/phu-mau/don-vi").text)
    assert fields["name"] == "Xã Phú Mậu"
    saved = desk.post("/quan-tri/phu-mau/don-vi", {**fields, "phone": "0234 3860 123",
                                                   "responsible_official": "Nguyễn Văn Hùng",
                                                   "responsible_title": "Chủ tịch UBND xã"})
    assert saved.status_code == 200 and "Đã lưu thông tin đơn vị" in saved.text
    assert 'value="0234 3860 123"' in saved.text
    wait_for(lambda: "0234 3860 123" in board.client.simulate_get("/phu-mau").text, message="the phone in the footer")


def test_the_managing_body_and_licence_are_edited_on_the_profile_form(board):
    desk = admin(board)
    fields = form_fields(desk.get("/quan-tri/phu-mau/don-vi").text)
    assert fields["managing_body"] == "" and fields["licence"] == ""
    saved = desk.post("/quan-tri/phu-mau/don-vi", {**fields, "managing_body": "Ủy ban nhân dân xã Phú Mậu",
                                                   "licence": "Giấy phép số 12/GP-TTĐT"})
    assert saved.status_code == 200 and 'value="Ủy ban nhân dân xã Phú Mậu"' in saved.text
    unit = board.client.simulate_get("/api/units/phu-mau").json
    assert (unit["managing_body"], unit["licence"]) == ("Ủy ban nhân dân xã Phú Mậu", "Giấy phép số 12/GP-TTĐT")
    refused = desk.post("/quan-tri/phu-mau/don-vi", {**form_fields(saved.text), "licence": "g" * 301})
    assert refused.status_code == 422 and "Thông tin giấy phép có tối đa 300 ký tự." in refused.text


def test_the_contact_point_for_information_is_edited_on_the_profile_form_and_shown_in_the_footer(board):
    desk = admin(board)
    fields = form_fields(desk.get("/quan-tri/phu-mau/don-vi").text)
    assert [fields[name] for name in ("information_name", "information_title", "information_phone",
                                      "information_email")] == ["", "", "", ""]
    point = {"information_name": "Lê Thị Hoa", "information_title": "Công chức Văn phòng - Thống kê",
             "information_phone": "0234 3860 124", "information_email": ""}
    saved = desk.post("/quan-tri/phu-mau/don-vi", {**fields, **point})
    assert saved.status_code == 200 and 'value="Lê Thị Hoa"' in saved.text
    unit = board.client.simulate_get("/api/units/phu-mau").json
    assert unit["information_contact"] == {"name": "Lê Thị Hoa", "title": "Công chức Văn phòng - Thống kê",
                                           "phone": "0234 3860 124", "email": None}
    wait_for(lambda: "Lê Thị Hoa, Công chức Văn phòng - Thống kê, ĐT" in board.client.simulate_get("/phu-mau").text,
             message="the contact point in the footer")
    # Someone named but no way to reach them: refused on the name's field, nothing saved.
    refused = desk.post("/quan-tri/phu-mau/don-vi", {**form_fields(saved.text), "information_phone": ""})
    assert refused.status_code == 422
    assert 'href="#dau-moi-ho-ten"' in refused.text and "số điện thoại hoặc thư điện tử" in refused.text
    refused = desk.post("/quan-tri/phu-mau/don-vi", {**form_fields(saved.text), "information_email": "khong-phai-thu"})
    assert refused.status_code == 422 and 'href="#dau-moi-thu-dien-tu"' in refused.text
    assert board.client.simulate_get("/api/units/phu-mau").json["version"] == unit["version"]
    # All four left empty: no contact point of its own.
    cleared = desk.post("/quan-tri/phu-mau/don-vi", {**form_fields(saved.text), "information_name": "",
                                                     "information_title": "", "information_phone": ""})
    assert cleared.status_code == 200
    assert board.client.simulate_get("/api/units/phu-mau").json["information_contact"] is None


def test_a_branding_with_poor_contrast_is_refused_naming_the_field_and_nothing_is_saved(board):
    desk = admin(board)
    fields = form_fields(desk.get("/quan-tri/phu-mau/don-vi").text)
    refused = desk.post("/quan-tri/phu-mau/don-vi", {**fields, "accent_colour": "#ffff66", "phone": "0234 1111 111"})
    assert refused.status_code == 422 and "<title>Lỗi: " in refused.text
    assert '<a href="#mau-chu-dao">Màu chủ đạo quá nhạt' in refused.text
    assert 'value="#ffff66"' in refused.text and 'value="0234 1111 111"' in refused.text
    assert board.client.simulate_get("/api/units/phu-mau").json["contact"]["phone"] == ""
    bad = desk.post("/quan-tri/phu-mau/don-vi", {**fields, "email": "khong-phai-thu", "phone": "số máy"})
    assert bad.status_code == 422
    assert "Địa chỉ thư điện tử không đúng định dạng" in bad.text and "Số điện thoại chỉ gồm chữ số" in bad.text


def test_a_stale_profile_keeps_what_was_typed(board):
    desk = admin(board)
    fields = form_fields(desk.get("/quan-tri/phu-mau/don-vi").text)
    other = admin(board)
    other_fields = form_fields(other.get("/quan-tri/phu-mau/don-vi").text)
    assert other.post("/quan-tri/phu-mau/don-vi", {**other_fields, "address": "Thôn Lại Thế"}).status_code == 200
    stale = desk.post("/quan-tri/phu-mau/don-vi", {**fields, "address": "Thôn Phú Xuân"})
    assert stale.status_code == 409 and "vừa được người khác thay đổi" in stale.text
    assert 'value="Thôn Phú Xuân"' in stale.text
    kept = desk.post("/quan-tri/phu-mau/don-vi", form_fields(stale.text))
    assert kept.status_code == 200
    assert board.client.simulate_get("/api/units/phu-mau").json["contact"]["address"] == "Thôn Phú Xuân"
    editor = Desk(board.client)
    editor.sign_in("tong-bien-tap")
    assert editor.get("/quan-tri/phu-mau/don-vi").status_code == 403
