"""An article's revisions in the workspace: the list of who did what, two versions side by side,
and restoring one, through the real services as a browser without JavaScript sees them."""

from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone


def written(client, unit="phu-mau") -> dict:
    """An article at version 3: written, then its title and body changed twice."""
    article = {"title": "Lễ ra quân làm sạch bờ sông", "summary": "Đoàn viên dọn rác.", "tags": ["môi trường"],
               "body_html": "<p>Sáng 6/12, xã ra quân.</p><p>Hơn 300 người tham gia.</p>"}
    created = client.simulate_post(f"/api/units/{unit}/articles", headers=PORTAL_ADMIN, json=article)
    assert created.status_code == 201, created.text
    path = f"/api/articles/{created.json['id']}"
    for version, change in ((1, {"title": "Lễ ra quân làm sạch bờ sông Hương"}),
                            (2, {"body_html": "<p>Sáng 6/12, xã ra quân.</p><p>Hơn 500 người tham gia.</p>"})):
        article = {**article, **change}
        changed = client.simulate_put(path, headers=PORTAL_ADMIN, json={**article, "version": version})
        assert changed.status_code == 200, changed.text
    return changed.json


def page(desk, article, query=""):
    return desk.get(f"/quan-tri/phu-mau/bai-viet/{article['id']}/phien-ban{query}")


def test_the_last_two_versions_are_compared_side_by_side_by_default(board):
    article = written(board.client)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    shown = page(desk, article)
    assert shown.status_code == 200, shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert '<th scope="col">Phiên bản 2</th>' in shown.text and '<th scope="col">Phiên bản 3</th>' in shown.text
    assert "<del>300</del>" in shown.text and "<ins>500</ins>" in shown.text
    assert "Đã sửa: " in shown.text  # the change is said in words, not shown by colour alone
    assert "<h3 id=\"truong-1\">Nội dung</h3>" in shown.text  # the body, compared as its text
    assert "&lt;p&gt;" not in shown.text
    for version in ("1", "2"):  # every version but the current one may be restored
        assert f'name="to_version" value="{version}"' in shown.text
    assert 'name="to_version" value="3"' not in shown.text


def test_two_chosen_versions_are_compared(board):
    article = written(board.client)
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    shown = page(desk, article, "?truoc=3&sau=1")
    assert '<th scope="col">Phiên bản 1</th>' in shown.text and '<th scope="col">Phiên bản 3</th>' in shown.text
    assert "<ins>Hương</ins>" in shown.text and "<ins>500</ins>" in shown.text
    # An editor reads the revisions but may not restore one.
    assert "Khôi phục phiên bản này" not in shown.text
    # A version that does not exist falls back to the last two.
    fallback = page(desk, article, "?truoc=1&sau=99")
    assert fallback.status_code == 200 and '<th scope="col">Phiên bản 2</th>' in fallback.text


def test_a_version_is_restored_as_the_next_one(board):
    article = written(board.client)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    page(desk, article)
    restored = desk.post(f"/quan-tri/phu-mau/bai-viet/{article['id']}/phien-ban",
                         {"to_version": "1", "version": "3"}, follow=False)
    assert restored.status_code == 303, restored.text
    shown = desk.get(restored.headers["location"])
    assert "Đã khôi phục nội dung của phiên bản 1; nội dung này nay là phiên bản 4." in shown.text
    now = board.client.simulate_get(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN).json
    assert now["version"] == 4 and now["title"] == "Lễ ra quân làm sạch bờ sông"
    assert "Hơn 300 người" in now["body_html"]
    assert "restored version 1" in shown.text  # the history says which version came back


def test_a_stale_restore_says_so_and_changes_nothing(board):
    article = written(board.client)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    page(desk, article)
    refused = desk.post(f"/quan-tri/phu-mau/bai-viet/{article['id']}/phien-ban", {"to_version": "1", "version": "2"})
    assert refused.status_code == 409
    assert "vừa được người khác thay đổi" in refused.text and "nay đã là phiên bản 3" in refused.text
    assert board.client.simulate_get(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN).json["version"] == 3


def test_a_restore_without_its_token_or_by_an_editor_is_refused(board):
    article = written(board.client)
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    page(desk, article)
    expired = desk.post(f"/quan-tri/phu-mau/bai-viet/{article['id']}/phien-ban", {"to_version": "1", "version": "3"},
                        token="")
    assert expired.status_code == 403 and "Biểu mẫu đã hết hạn" in expired.text
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    page(editor, article)
    forbidden = editor.post(f"/quan-tri/phu-mau/bai-viet/{article['id']}/phien-ban",
                            {"to_version": "1", "version": "3"})
    assert forbidden.status_code == 403
    assert board.client.simulate_get(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN).json["version"] == 3


def test_another_units_article_by_a_guessed_id_is_not_found(board):
    article = written(board.client, unit="thua-thien-hue")
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    assert page(desk, article).status_code == 404
    assert page(desk, {"id": "khong-co"}).status_code == 404


def test_a_new_article_has_nothing_to_compare_yet(board):
    created = board.client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN, json={
        "title": "Tin mới", "summary": "Tóm tắt", "body_html": "<p>Nội dung.</p>"})
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    shown = page(desk, created.json)
    assert shown.status_code == 200 and "chưa có gì để so sánh" in shown.text
