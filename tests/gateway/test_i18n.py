"""The pages' fixed words through gettext catalogues: the English catalogue matches the
templates' phrases exactly (Babel's own extraction, with babel.cfg as `make messages` uses it),
each page's words follow its `lang` even under concurrent renders, and an English page, its
visit counter and an error at an English address carry no Vietnamese chrome."""
import re
import threading

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from gateway import i18n
from gateway.preferences import Preferences
from gateway.templating import create_environment
from tests.drive import acting
from tests.gateway.conftest import PORTAL_ADMIN
from tests.servers import project_root

ROOT = project_root()
CATALOGUE = i18n.catalogue_path("en")


def msgid(message) -> str:
    """A message's id; a plural's by its singular."""
    return message if isinstance(message, str) else message[0]


def extracted() -> set[str]:
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {msgid(message) for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map)}


def read_catalogue(path):
    with open(path, "rb") as file:
        return read_po(file, locale="en")


def test_the_english_catalogue_has_every_phrase_of_the_templates_and_no_other():
    phrases = extracted()
    assert {"Trang chủ", "Tìm kiếm", "Thống kê truy cập", "Lỗi hệ thống"} <= phrases
    catalogue = read_catalogue(CATALOGUE)
    entries = {msgid(message.id): message for message in catalogue if message.id}
    assert sorted(phrases - entries.keys()) == [], "untranslated: run `make messages`, then translate"
    assert sorted(entries.keys() - phrases) == [], "stale entries: run `make messages`"
    assert [key for key, message in entries.items() if not message.string or message.fuzzy] == []
    # Placeholders survive translation: Babel's checkers compare %(name)s on both sides.
    assert [(message.id, errors) for message, errors in catalogue.check()] == []
    template = read_catalogue(i18n.LOCALE_DIR / "messages.pot")
    assert {msgid(message.id) for message in template if message.id} == phrases, "run `make messages`"


def test_phrases_come_from_the_catalogue_of_the_page_language():
    env = create_environment()
    page = env.from_string('{{ _("Trang chủ") }} · {% trans name="Hue" %}Trang chủ {{ name }}{% endtrans %}')
    assert page.render(lang="en") == "Home · Home page of Hue"
    assert page.render(lang="vi") == page.render() == "Trang chủ · Trang chủ Hue"
    assert page.render(lang="fr") == "Trang chủ · Trang chủ Hue"  # no catalogue: the source language
    # A translation is text like any other: a value in it is escaped.
    assert env.from_string('{% trans name=x %}Trang chủ {{ name }}{% endtrans %}').render(
        lang="en", x="<b>") == "Home page of &lt;b&gt;"


def test_concurrent_pages_in_two_languages_each_keep_their_own():
    template = create_environment().from_string('{{ _("Tìm kiếm") }}')
    expected = {"vi": "Tìm kiếm", "en": "Search"}
    start = threading.Barrier(8)
    wrong = []

    def render(lang):
        start.wait()
        wrong.extend(said for said in (template.render(lang=lang) for _ in range(300)) if said != expected[lang])

    threads = [threading.Thread(target=render, args=(lang,)) for lang in ("vi", "en") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_a_fuzzy_guess_is_not_shown(tmp_path):
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    i18n.catalogue_path("en", tmp_path).write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Văn bản"\nmsgstr "Legal documents"\n\n'
        '#, fuzzy\nmsgid "Hỏi đáp"\nmsgstr "Questions and answers"\n', encoding="utf-8")
    english = i18n.load_catalogues(tmp_path)["en"]
    assert english.gettext("Văn bản") == "Legal documents"
    assert english.gettext("Hỏi đáp") == "Hỏi đáp"


ERROR_TITLES = {400: ("Yêu cầu không hợp lệ", "Bad request"), 404: ("Không tìm thấy trang", "Page not found"),
                429: ("Gửi quá nhiều lần", "Too many requests"), 503: ("Tạm thời gián đoạn", "Temporarily unavailable"),
                418: ("Lỗi hệ thống", "System error")}  # a status without words of its own reads as 500


@pytest.mark.parametrize("status", sorted(ERROR_TITLES))
def test_the_error_page_words_its_status_in_the_page_language(status):
    error_page = create_environment().get_template("error.html")
    for lang, title in zip(("vi", "en"), ERROR_TITLES[status]):
        page = error_page.render(status=status, lang=lang, prefs=Preferences(), return_to="/", request_id="r-1")
        assert f'<html lang="{lang}"' in page and f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page
    assert "Error code: %d." % status in page and "Request id: <code" in page


@pytest.mark.parametrize("path, lang", [
    ("/phu-mau/en/gioi-thieu", "en"), ("/phu-mau/en", "en"), ("/phu-mau/gioi-thieu/en", "vi"),
    ("/en", "vi"), ("/phu-mau/tin-tuc/en-bai", "vi"), ("/", "vi"), ("/phu-mau/english/x", "vi")])
def test_the_language_of_an_address(path, lang):
    assert i18n.language_of_path(path) == lang


@pytest.fixture
def commune(portal):
    """Xã Phú Mậu with an English name, a category named in both languages, and its introduction
    in both languages."""
    client, pool, admin = portal
    assert client.simulate_post("/api/levels", headers=PORTAL_ADMIN,
                                json={"slug": "xa", "name": "Xã", "order": 0}).status_code == 201
    assert client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-mau", "name": "Xã Phú Mậu", "name_en": "Phu Mau Commune", "level": "xa",
        "managing_body": "Ủy ban nhân dân huyện Phú Vang",
        "contact": {"address": "Thôn Lại Thế", "phone": "0234 3860 123", "email": "phumau@example.vn",
                    "responsible_official": "Nguyễn Văn Hùng"}}).status_code == 201
    assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN, json={
        "slug": "thong-bao", "name": "Thông báo", "name_en": "Announcements"}).status_code == 201
    with pool.services() as services:
        for lang, title in (("vi", "Giới thiệu chung"), ("en", "About us")):
            services.content.create_page(acting(admin), "phu-mau", {
                "key": "gioi-thieu", "lang": lang, "title": title, "body_html": "<p>Phu Mau.</p>"})
    return client


def vietnamese_chrome(text: str) -> list[str]:
    """Every phrase of the catalogue that appears in `text`, but those English writes alike ("email")."""
    return [msgid(message.id) for message in read_catalogue(CATALOGUE)
            if message.id and message.string != message.id and msgid(message.id) in text]


def test_an_english_page_and_its_visit_counter_read_english_served_fresh_or_cached(commune):
    for views in (1, 2):  # the second is served from the page cache, its counter filled in then
        page = commune.simulate_get("/phu-mau/en/gioi-thieu")
        assert page.status_code == 200
        assert vietnamese_chrome(page.text) == []
        for word in ("khách", "Trang chủ", "Tìm kiếm", "Thống kê truy cập", "Cơ quan chủ quản"):
            assert word not in page.text
        assert '<h2 id="thong-ke">Visitor statistics</h2>' in page.text
        assert f'Total visits <strong data-counter="total">{views}</strong>' in page.text
        assert '<strong data-counter="online">1</strong> visitors online now' in page.text
        assert ">Home<" in page.text and ">Search</button>" in page.text and ">Skip to main content<" in page.text
        assert ">Managing body<" in page.text and ">Text size<" in page.text and "Last updated <time" in page.text
        assert ">Announcements<" in page.text and ">Site map<" in page.text


def test_the_vietnamese_page_beside_it_keeps_its_vietnamese_words(commune):
    assert commune.simulate_get("/phu-mau/en/gioi-thieu").status_code == 200
    page = commune.simulate_get("/phu-mau/gioi-thieu/gioi-thieu")
    assert page.status_code == 200 and re.search(r'<html lang="vi"', page.text)
    assert 'Hiện tại <strong data-counter="online">1</strong> khách' in page.text
    assert '<h2 id="thong-ke">Thống kê truy cập</h2>' in page.text and ">Trang chủ<" in page.text
    assert ">Tìm kiếm</button>" in page.text and ">Cơ quan chủ quản<" in page.text
    assert "visitors" not in page.text and ">Home<" not in page.text and "Visitor statistics" not in page.text


def test_an_error_at_an_english_address_is_an_english_page(commune):
    page = commune.simulate_get("/khong-co/en/gioi-thieu", headers={"X-Request-Id": "english-404"})
    assert page.status_code == 404 and re.search(r'<html lang="en"', page.text)
    assert "<h1>Page not found</h1>" in page.text and "Error code: 404" in page.text
    assert 'Request id: <code class="request-id">english-404</code>' in page.text
    assert vietnamese_chrome(page.text) == []
    vietnamese = commune.simulate_get("/khong-co/gioi-thieu/gioi-thieu")
    assert vietnamese.status_code == 404 and "<h1>Không tìm thấy trang</h1>" in vietnamese.text
    assert "Mã lỗi: 404" in vietnamese.text and "Trang bạn tìm không tồn tại" in vietnamese.text
