"""A unit's static pages (Decree 42/2022: introduction, functions and duties, organisation
chart, leaders, contacts, with English versions of structure and contacts)."""
import pytest

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.content.conftest import arrived
from tests.drive import acting, call

UNIT = "phu-mau"
CONTACTS = {"key": "lien-he", "lang": "vi", "title": "Liên hệ",
            "body_html": "<p>UBND xã Phú Mậu, điện thoại 0234 3861 234</p>"}
CONTACTS_EN = {"key": "lien-he", "lang": "en", "title": "Contact us",
               "body_html": "<p>Phu Mau Commune People's Committee, phone 0234 3861 234</p>"}


def create(content, actor="quan-tri", **fields):
    return call(content, "create_page", acting(actor), UNIT, {**CONTACTS, **fields})


def test_a_page_and_its_english_version_are_published_and_listed_in_menu_order(board):
    vi = create(board)
    en = call(board, "create_page", acting("quan-tri"), UNIT, CONTACTS_EN)
    assert (vi["version"], vi["order"], en["lang"], en["title"]) == (1, 50, "en", "Contact us")
    create(board, key="gioi-thieu", title="Giới thiệu", body_html="<p>Xã Phú Mậu nằm bên sông Hương.</p>")
    create(board, key="di-tich", title="Di tích lịch sử", body_html="<p>Chùa Thiền Tôn</p>", order=5)

    page = call(board, "get_page", UNIT, "lien-he")
    assert page["title"] == "Liên hệ" and page["languages"] == ["en", "vi"] and page["updated_at"]
    assert call(board, "get_page", UNIT, "lien-he", "en")["body_html"] == CONTACTS_EN["body_html"]
    with pytest.raises(NotFound):
        call(board, "get_page", UNIT, "gioi-thieu", "en")  # no fallback here: the portal decides

    assert call(board, "list_pages", UNIT) == [
        {"key": "di-tich", "title": "Di tích lịch sử", "order": 5, "languages": ["vi"]},
        {"key": "gioi-thieu", "title": "Giới thiệu", "order": 10, "languages": ["vi"]},
        {"key": "lien-he", "title": "Liên hệ", "order": 50, "languages": ["en", "vi"]},
    ]
    assert call(board, "list_pages", UNIT, "en") == [
        {"key": "lien-he", "title": "Contact us", "order": 50, "languages": ["en", "vi"]}]
    assert call(board, "list_pages", "phu-da") == []


def test_an_update_names_the_version_it_changes_and_a_stale_one_conflicts(board):
    create(board, order=7)
    changed = call(board, "update_page", acting("quan-tri"), UNIT, "lien-he", "vi",
                   {"title": "Thông tin liên hệ", "body_html": "<p>Điện thoại mới</p>"}, 1)
    assert (changed["version"], changed["title"], changed["order"]) == (2, "Thông tin liên hệ", 7)
    with pytest.raises(Conflict) as error:
        call(board, "update_page", acting("quan-tri"),
             UNIT, "lien-he", "vi", {"title": "Ghi đè", "body_html": "<p>x</p>"}, 1)
    assert error.value.current_version == 2
    assert call(board, "get_page", UNIT, "lien-he")["title"] == "Thông tin liên hệ"
    with pytest.raises(Conflict) as error:
        create(board)  # the page exists: change it instead
    assert error.value.current_version == 2
    with pytest.raises(NotFound):
        call(board, "update_page", acting("quan-tri"),
             UNIT, "lanh-dao", "vi", {"title": "Lãnh đạo", "body_html": "<p>x</p>"}, 1)


def test_a_withdrawn_page_disappears_keeps_its_history_and_can_come_back(board):
    create(board)
    call(board, "update_page", acting("quan-tri"),
         UNIT, "lien-he", "vi", {"title": "Liên hệ", "body_html": "<p>Mới</p>"}, 1)
    with pytest.raises(Conflict):
        call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "vi", 1)
    withdrawn = call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "vi", 2)
    assert (withdrawn["status"], withdrawn["version"]) == ("withdrawn", 3)
    with pytest.raises(NotFound):
        call(board, "get_page", UNIT, "lien-he")
    assert call(board, "list_pages", UNIT) == []
    with pytest.raises(NotFound):
        call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "vi")

    restored = create(board, body_html="<p>Trở lại</p>")
    assert (restored["status"], restored["version"]) == ("published", 4)
    history = call(board, "page_history", acting("quan-tri"), UNIT, "lien-he", "vi")
    assert [(r["version"], r["action"], r["actor"]) for r in history] == [
        (1, "create", "quan-tri"), (2, "update", "quan-tri"), (3, "withdraw", "quan-tri"), (4, "restore", "quan-tri")]
    assert history[1]["changed"] == ["body_html"] and history[2]["changed"] == []
    audit = [e["action"] for e in call(board, "audit_log", acting("quan-tri"),
                                       UNIT) if e["target"] == "phu-mau/lien-he/vi"]
    assert sorted(audit) == ["page.create", "page.restore", "page.update", "page.withdraw"]
    with pytest.raises(NotFound):
        call(board, "page_history", acting("quan-tri"), UNIT, "lanh-dao", "vi")


def test_the_body_is_sanitised_and_must_keep_some_content(board):
    page = create(board, body_html='<p onclick="x()">Gọi<script>alert(1)</script>'
                                   '<a href="javascript:alert(1)">số này</a></p>')
    for forbidden in ("script", "onclick", "javascript:"):
        assert forbidden not in page["body_html"]
    assert "Gọi" in page["body_html"]
    with pytest.raises(InvalidInput) as error:
        create(board, key="lanh-dao", body_html="<script>alert(1)</script>")
    assert set(error.value.fields) == {"body_html"}


def test_only_the_units_administrator_manages_its_pages(board):
    page = create(board)
    edit = {"title": "Liên hệ", "body_html": "<p>Khác</p>"}
    for outsider in ("tac-gia", "bien-tap", "tong-bien-tap", "bien-tap-phu-da"):
        with pytest.raises(Forbidden):
            create(board, outsider, key="lanh-dao")
        with pytest.raises(Forbidden):
            call(board, "update_page", acting(outsider), UNIT, "lien-he", "vi", edit, page["version"])
        with pytest.raises(Forbidden):
            call(board, "withdraw_page", acting(outsider), UNIT, "lien-he", "vi")
        with pytest.raises(Forbidden):
            call(board, "page_history", acting(outsider), UNIT, "lien-he", "vi")
    with pytest.raises(Forbidden):
        call(board, "create_page", acting("quan-tri"), "phu-da", CONTACTS)  # an admin of another unit
    assert call(board, "get_page", UNIT, "lien-he")["version"] == 1
    assert call(board, "create_page", acting("admin"), "phu-da", CONTACTS)["unit"] == "phu-da"  # platform admins may


def test_input_is_checked_field_by_field(board):
    with pytest.raises(InvalidInput) as error:
        call(board, "create_page", acting("quan-tri"), UNIT,
             {"key": "Giới thiệu", "lang": "fr", "title": "", "body_html": "<p>x</p>", "order": -1, "colour": "đỏ"})
    assert set(error.value.fields) == {"key", "lang", "title", "order", "colour"}
    with pytest.raises(InvalidInput) as error:
        call(board, "create_page", acting("quan-tri"), UNIT, {"title": "Liên hệ"})
    assert set(error.value.fields) == {"key", "body_html"}
    for key, lang in (("lien-he", "fr"), ("Liên hệ", "vi"), ("a" * 81, "vi")):
        with pytest.raises(NotFound):   # no page has such an address
            call(board, "get_page", UNIT, key, lang)
    with pytest.raises(InvalidInput) as error:
        call(board, "list_pages", UNIT, "de")
    assert set(error.value.fields) == {"lang"}
    with pytest.raises(InvalidInput) as error:
        call(board, "update_page", acting("quan-tri"),
             UNIT, "lien-he", "vi", {"title": "Liên hệ", "body_html": "<p>x</p>"},
             "2")
    assert set(error.value.fields) == {"version"}
    with pytest.raises(NotFound):
        call(board, "get_page", "khong-co", "lien-he")
    with pytest.raises(NotFound):
        call(board, "create_page", acting("admin"), "khong-co", CONTACTS)


def test_each_change_of_a_page_is_announced_with_its_version_and_address(board):
    create(board)
    call(board, "update_page", acting("quan-tri"), UNIT, "lien-he", "vi",
         {"title": "Thông tin liên hệ", "body_html": "<p>x</p>"}, 1)
    call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "vi")
    published = arrived(events.PagePublished, 2)
    assert [(e.document_id, e.version, e.page.title, e.page.path) for e in published] == [
        ("phu-mau/lien-he/vi", 1, "Liên hệ", "/phu-mau/gioi-thieu/lien-he"),
        ("phu-mau/lien-he/vi", 2, "Thông tin liên hệ", "/phu-mau/gioi-thieu/lien-he")]
    withdrawn = arrived(events.PageWithdrawn)[0]
    assert (withdrawn.document_id, withdrawn.version, withdrawn.unit) == ("phu-mau/lien-he/vi", 3, "phu-mau")
    english = call(board, "create_page", acting("quan-tri"), UNIT, CONTACTS_EN)
    assert english["lang"] == "en"
    assert arrived(events.PagePublished, 3)[-1].page.path == "/phu-mau/en/lien-he"


def test_pages_replay_as_their_current_events(board):
    create(board)
    call(board, "create_page", acting("quan-tri"), UNIT, CONTACTS_EN)
    call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "en")
    replayed = call(board, "replay", "page", UNIT)["events"]
    assert sorted((e["name"], e["payload"]["document_id"]) for e in replayed) == [
        ("page_published", "phu-mau/lien-he/vi"), ("page_withdrawn", "phu-mau/lien-he/en")]


def test_the_menu_is_paged_in_its_order(board):
    for key, order in (("gioi-thieu", None), ("lien-he", None), ("di-tich", 5)):
        create(board, key=key, order=order)
    assert [p["key"] for p in call(board, "list_pages", UNIT)] == ["di-tich", "gioi-thieu", "lien-he"]
    assert [p["key"] for p in call(board, "list_pages", UNIT, "vi", 1, 1)] == ["gioi-thieu"]
    with pytest.raises(InvalidInput) as error:
        call(board, "list_pages", UNIT, "vi", -1, 102)
    assert set(error.value.fields) == {"skip", "limit"}


def test_revisions_are_paged_compared_and_restored_as_a_checked_new_version(board, listener):
    create(board, order=7)
    call(board, "update_page", acting("quan-tri"), UNIT, "lien-he", "vi",
         {"title": "Thông tin liên hệ", "body_html": "<p>Điện thoại mới</p>", "order": 8, "version": 1})
    assert [r["version"] for r in call(board, "page_history", acting("quan-tri"), UNIT, "lien-he", "vi", 1, 5)] == [2]
    diff = call(board, "page_diff", acting("quan-tri"), UNIT, "lien-he", "vi", 1, 2)
    assert sorted(diff["fields"]) == ["body_html", "order", "title"]
    with pytest.raises(Conflict):
        call(board, "rollback_page", acting("quan-tri"), UNIT, "lien-he", "vi", {"to_version": 1, "version": 1})
    restored = call(board, "rollback_page", acting("quan-tri"), UNIT, "lien-he", "vi", {"to_version": 1, "version": 2})
    assert (restored["version"], restored["title"], restored["order"]) == (3, "Liên hệ", 7)
    assert call(board, "get_page", UNIT, "lien-he")["title"] == "Liên hệ"
    published = arrived(events.PagePublished, 3)
    assert [(e.version, e.page.title) for e in published][-1] == (3, "Liên hệ")
    last = call(board, "page_history", acting("quan-tri"), UNIT, "lien-he", "vi")[-1]
    assert (last["action"], last["comment"]) == ("rollback", "restored version 1")
    with pytest.raises(Forbidden):
        call(board, "rollback_page", acting("tong-bien-tap"), UNIT, "lien-he", "vi", {"to_version": 1, "version": 3})
    with pytest.raises(NotFound):
        call(board, "rollback_page", acting("quan-tri"), UNIT, "lien-he", "vi", {"to_version": 9, "version": 3})
    call(board, "withdraw_page", acting("quan-tri"), UNIT, "lien-he", "vi", data={"version": 3})
    with pytest.raises(NotFound):   # a withdrawn page comes back by being created again
        call(board, "rollback_page", acting("quan-tri"), UNIT, "lien-he", "vi", {"to_version": 1, "version": 4})
    assert len(call(board, "page_history", acting("quan-tri"), UNIT, "lien-he", "vi")) == 4
