"""Static pages in the workspace: a page made by its key, its Vietnamese and English written side
by side and shown on the unit's site, a stale save kept as typed, withdrawing and publishing again,
and who may not."""
import re

from services.content.service import ContentService
from tests.gateway.workspace_desk import Desk, signed_in
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def admin(board) -> Desk:
    return signed_in(board.client, "quan-tri-xa")


def version_in(text: str, lang: str) -> str:
    form = text[text.index(f'action="/quan-tri/phu-mau/trang/gioi-thieu/{lang}"'):]
    return re.search(r'name="version" value="([^"]*)"', form).group(1)


def test_the_admin_writes_the_introduction_in_both_languages_and_it_shows_on_the_site(board):
    desk = admin(board)
    listing = desk.get("/quan-tri/phu-mau/trang")
    assert listing.status_code == 200 and "Thêm trang mới" in listing.text
    created = desk.post("/quan-tri/phu-mau/trang", {
        "key": "gioi-thieu", "title": "Giới thiệu xã Phú Mậu", "body_format": "markup", "order": "",
        "body_html": "## Vị trí\n\nXã Phú Mậu nằm bên bờ sông Hương."})
    assert created.status_code == 200, created.text
    assert "Đã lưu bản tiếng Việt" in created.text
    assert 'class="page-languages"' in created.text and 'id="ngon-ngu-en"' in created.text
    english = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/en", {
        "title": "About Phu Mau", "body_format": "html", "order": "", "version": "",
        "body_html": "<p>Phu Mau lies on the Perfume River.</p><script>alert(1)</script>"})
    assert english.status_code == 200 and "Đã lưu bản tiếng Anh" in english.text

    def shown(path, text):
        page = board.client.simulate_get(path)
        return page.status_code == 200 and text in page.text and page

    vietnamese = wait_for(lambda: shown("/phu-mau/gioi-thieu/gioi-thieu", "sông Hương"),
                          message="the page in Vietnamese")
    assert "<h2>Vị trí</h2>" in vietnamese.text
    page = wait_for(lambda: shown("/phu-mau/en/gioi-thieu", "Perfume River"), message="the page in English")
    assert "alert(1)" not in page.text

    # A change of the Vietnamese text at the version the form showed.
    edit = desk.get("/quan-tri/phu-mau/trang/gioi-thieu")
    changed = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/vi", {
        "title": "Giới thiệu", "body_format": "html", "order": "10", "version": version_in(edit.text, "vi"),
        "body_html": "<p>Xã Phú Mậu, thành phố Huế.</p>"})
    assert changed.status_code == 200 and "Đã lưu bản tiếng Việt" in changed.text
    wait_for(lambda: shown("/phu-mau/gioi-thieu/gioi-thieu", "thành phố Huế"), message="the change")
    refused = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/en", {
        "title": "A", "body_format": "html", "order": "", "version": version_in(changed.text, "en"),
        "body_html": "<p>Changed in English.</p>"})
    assert refused.status_code == 422 and "<title>Lỗi: " in refused.text
    assert '<a href="#tieu-de-en">Tiêu đề bản tiếng Anh phải có từ 2 đến 200 ký tự.</a>' in refused.text
    assert "Changed in English." in refused.text and "Xã Phú Mậu, thành phố Huế." in refused.text


def test_a_stale_save_keeps_what_was_typed_and_saving_again_keeps_it(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/trang")
    desk.post("/quan-tri/phu-mau/trang", {"key": "gioi-thieu", "title": "Giới thiệu", "body_format": "html",
                                          "body_html": "<p>Bản đầu.</p>", "order": ""})
    stale = desk.get("/quan-tri/phu-mau/trang/gioi-thieu")
    other = admin(board)
    edit = other.get("/quan-tri/phu-mau/trang/gioi-thieu")
    assert other.post("/quan-tri/phu-mau/trang/gioi-thieu/vi", {
        "title": "Giới thiệu", "body_format": "html", "body_html": "<p>Bản của người khác.</p>", "order": "",
        "version": version_in(edit.text, "vi")}).status_code == 200
    conflicted = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/vi", {
        "title": "Giới thiệu mới", "body_format": "html", "body_html": "<p>Bản của tôi.</p>", "order": "",
        "version": version_in(stale.text, "vi")}, token=desk.token())
    assert conflicted.status_code == 409
    assert "Trang vừa được người khác thay đổi" in conflicted.text
    assert "Bản của tôi." in conflicted.text and "Bản của người khác." in conflicted.text
    assert 'value="Giới thiệu mới"' in conflicted.text
    # An English page written in another tab meanwhile is no page to overwrite unawares either.
    assert other.post("/quan-tri/phu-mau/trang/gioi-thieu/en", {
        "title": "About", "body_format": "html", "body_html": "<p>Theirs.</p>", "order": "", "version": ""}
    ).status_code == 200
    unaware = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/en", {
        "title": "About us", "body_format": "html", "body_html": "<p>Mine.</p>", "order": "", "version": ""})
    assert unaware.status_code == 409 and "Theirs." in unaware.text and "Mine." in unaware.text
    kept = desk.post("/quan-tri/phu-mau/trang/gioi-thieu/vi", {
        "title": "Giới thiệu mới", "body_format": "html", "body_html": "<p>Bản của tôi.</p>", "order": "",
        "version": version_in(conflicted.text, "vi")})
    assert kept.status_code == 200 and "Đã lưu bản tiếng Việt" in kept.text
    assert "Bản của tôi." in kept.text


def not_written(page) -> bool:
    """A required page the unit has not (or no longer) published: its address says so honestly
    rather than answering 404 (services/content/required_sections.toml)."""
    return page.status_code == 200 and "Chưa có thông tin" in page.text and "Điện thoại" not in page.text


def test_bad_input_is_named_and_nothing_is_saved(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/trang")
    refused = desk.post("/quan-tri/phu-mau/trang", {"key": "Giới Thiệu", "title": "G", "body_format": "html",
                                                    "body_html": "<script>x()</script>", "order": "mười"})
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text
    assert "Thứ tự trong menu là số nguyên" in refused.text and 'value="Giới Thiệu"' in refused.text
    refused = desk.post("/quan-tri/phu-mau/trang", {"key": "Giới Thiệu", "title": "G", "body_format": "html",
                                                    "body_html": "<script>x()</script>", "order": ""})
    assert refused.status_code == 422
    assert "Địa chỉ trang chỉ gồm chữ thường" in refused.text
    assert "Nhập tiêu đề" in refused.text
    expired = desk.post("/quan-tri/phu-mau/trang", {"key": "lien-he", "title": "Liên hệ", "body_format": "html",
                                                    "body_html": "<p>Điện thoại</p>", "order": ""}, token="")
    assert expired.status_code == 403 and "Biểu mẫu đã hết hạn" in expired.text and 'value="lien-he"' in expired.text
    assert "lien-he" not in desk.get("/quan-tri/phu-mau/trang").text.split("Thêm trang mới")[0]
    assert not_written(board.client.simulate_get("/phu-mau/gioi-thieu/lien-he"))


def test_a_page_withdrawn_leaves_the_site_and_comes_back_when_saved(board):
    desk = admin(board)
    desk.get("/quan-tri/phu-mau/trang")
    desk.post("/quan-tri/phu-mau/trang", {"key": "lien-he", "title": "Liên hệ", "body_format": "html",
                                          "body_html": "<p>Điện thoại 0234 3822 000.</p>", "order": ""})
    edit = desk.get("/quan-tri/phu-mau/trang/lien-he")
    version = re.search(r'/lien-he/vi/go-xuong".*?name="version" value="(\d+)"', edit.text, re.S).group(1)
    withdrawn = desk.post("/quan-tri/phu-mau/trang/lien-he/vi/go-xuong", {"version": version})
    assert withdrawn.status_code == 200 and "Đã gỡ bản tiếng Việt" in withdrawn.text
    assert "Lưu và đăng lại" in withdrawn.text
    wait_for(lambda: not_written(board.client.simulate_get("/phu-mau/gioi-thieu/lien-he")),
             message="the page gone from the site")
    again = desk.post("/quan-tri/phu-mau/trang/lien-he/vi", {"title": "Liên hệ", "body_format": "html",
                                                              "body_html": "<p>Điện thoại mới.</p>", "order": "",
                                                              "version": ""})
    assert again.status_code == 200 and "Gỡ xuống" in again.text
    wait_for(lambda: "Điện thoại mới" in board.client.simulate_get("/phu-mau/gioi-thieu/lien-he").text,
             message="the page back on the site")


def test_only_who_may_manage_pages_gets_in_and_an_unknown_page_is_not_found(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    assert editor.get("/quan-tri/phu-mau/trang").status_code == 403
    desk = admin(board)
    assert desk.get("/quan-tri/phu-mau/trang/khong-co").status_code == 404
    assert desk.post("/quan-tri/phu-mau/trang/khong-co/fr", {"title": "x"}).status_code == 404
    # An address that only takes a form answers a plain visit with 405, not a failure.
    assert desk.get("/quan-tri/phu-mau/trang/khong-co/vi").status_code == 405
    assert desk.get("/quan-tri/phu-mau/trang/khong-co/vi/go-xuong").status_code == 405
