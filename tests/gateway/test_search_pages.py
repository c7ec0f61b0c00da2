"""The search page /tim-kiem, /api/search and /api/search/suggest against the real search
service (fed with contract events over RabbitMQ) and the content service (level names)."""
import dataclasses
import html
import re
from datetime import date, datetime

import pytest
from falcon import testing
from nameko.testing.utils import get_container

from gateway.app import create_app, shut_down
from gateway.rpc import RpcPool
from services.common.events import ArticlePublished, utcnow
from services.content.service import ContentService
from services.search.service import SearchService
from tests.search.driver import VIETNAM, SearchServiceDriver, article
from tests.servers import wait_for

TOKEN = "test-admin-token"
TEXT = "Dịch vụ công trực tuyến"


@pytest.fixture
def gateway_settings(settings):
    return dataclasses.replace(settings, PLATFORM_ADMIN_TOKEN=TOKEN, RPC_TIMEOUT=5.0)


@pytest.fixture
def running(runner_factory, gateway_settings):
    config = gateway_settings.as_nameko_config()
    runner = runner_factory(config, ContentService, SearchService)
    runner.start()
    pool = RpcPool(config, 2, gateway_settings.RPC_TIMEOUT)
    app = create_app(gateway_settings, pool)
    yield testing.TestClient(app), SearchServiceDriver(get_container(runner, SearchService), config, rpc=None)
    shut_down(app)
    pool.close()


@pytest.fixture
def client(running):
    return running[0]


@pytest.fixture
def province(running):
    """Three units on two levels publishing five kinds of item about online public services."""
    client, search = running
    for level in ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "xa", "name": "Xã", "order": 1}):
        response = client.simulate_post("/api/levels", headers={"Authorization": f"Bearer {TOKEN}"}, json=level)
        assert response.status_code == 201, response.text
    search.unit("hue", level="tinh", name="Thành phố Huế")
    search.unit("phu-mau", level="xa", name="Xã Phú Mậu")
    search.unit("phu-thuong", level="xa", name="Xã Phú Thượng")
    search.publish("a-hue", f"{TEXT} của thành phố", unit="hue", unit_name="Thành phố Huế",
                   category="tin-tuc", at=datetime(2026, 1, 10, 9, tzinfo=VIETNAM))
    search.publish("a-pm", f"Thông báo về {TEXT}", unit="phu-mau", unit_name="Xã Phú Mậu",
                   category="thong-bao", at=datetime(2026, 2, 10, 9, tzinfo=VIETNAM))
    search.publish_document("d-pm", "3/2026/QĐ-UBND", f"Quy chế {TEXT} của xã", unit="phu-mau",
                            unit_name="Xã Phú Mậu", issued_on=date(2026, 3, 10))
    search.answer("q-pt", "Hỏi cách nộp hồ sơ", f"Nộp hồ sơ qua {TEXT} thế nào?", "Qua cổng.",
                  unit="phu-thuong", unit_name="Xã Phú Thượng", answered_at=datetime(2026, 4, 10, 9, tzinfo=VIETNAM))
    search.publish_schedule("s-pm", "2026-W20", [
        (datetime(2026, 5, 12, 8, tzinfo=VIETNAM), f"Tập huấn {TEXT}", "Chủ tịch UBND xã")],
        unit="phu-mau", unit_name="Xã Phú Mậu")
    return client


def result_paths(page) -> list[str]:
    return re.findall(r'<h3><a href="([^"]+)">', page.text)


def checkbox(page, name: str, value: str) -> str:
    """The checkbox for one filter value and its label."""
    match = re.search(rf'<input type="checkbox" id="([^"]+)" name="{name}" value="{re.escape(value)}"([^>]*)>\s*'
                      r'<label for="([^"]+)">(.*?)</label>', page.text)
    assert match, f"no {name}={value} checkbox"
    assert match.group(1) == match.group(3)
    return match.group(4) + (" [checked]" if "checked" in match.group(2) else "")


def test_the_page_lists_every_kind_of_result_with_label_unit_date_and_count(province):
    page = province.simulate_get("/tim-kiem", params={"q": "dich vu cong"})
    assert page.status_code == 200
    assert '<p role="status">Tìm thấy 5 kết quả cho “dich vu cong”.</p>' in page.text
    assert len(result_paths(page)) == 5
    for label in ("Tin bài", "Văn bản", "Lịch công tác", "Hỏi đáp"):
        assert f'<span class="type-label">{label}</span>' in page.text
    assert "Xã Phú Thượng" in page.text
    assert '>10/02/2026</time>' in page.text and '>10/03/2026</time>' in page.text  # dd/MM/yyyy
    assert "<mark>" in page.text  # the service's highlight, kept as HTML
    assert "<h1>Tìm kiếm</h1>" in page.text and '<h2 id="ket-qua">Kết quả tìm kiếm</h2>' in page.text


def test_filters_show_facet_counts_and_narrow_the_results(province):
    page = province.simulate_get("/tim-kiem", params={"q": "dich vu cong"})
    assert checkbox(page, "unit", "phu-mau") == 'Xã Phú Mậu <span class="count">(3)</span>'
    assert checkbox(page, "level", "xa") == 'Xã <span class="count">(4)</span>'  # the level's name, from content
    assert checkbox(page, "level", "tinh") == 'Tỉnh <span class="count">(1)</span>'
    assert checkbox(page, "type", "article") == 'Tin bài <span class="count">(2)</span>'
    assert checkbox(page, "category", "thong-bao") == 'thong-bao <span class="count">(1)</span>'
    for legend in ("Đơn vị", "Cấp đơn vị", "Loại nội dung", "Chuyên mục", "Thời gian", "Sắp xếp"):
        assert f"<legend>{legend}</legend>" in page.text

    narrowed = province.simulate_get("/tim-kiem", params={
        "q": "dich vu cong", "level": "xa", "type": ["article", "document"]})
    assert sorted(result_paths(narrowed)) == ["/phu-mau/tin-tuc/a-pm", "/phu-mau/van-ban/d-pm"]
    assert checkbox(narrowed, "level", "xa").endswith("[checked]")
    assert checkbox(narrowed, "type", "document").endswith("[checked]")
    assert not checkbox(narrowed, "type", "question").endswith("[checked]")

    # Dates as people write them or as <input type="date"> sends them; both ends inclusive.
    for start, end in (("10/02/2026", "10/03/2026"), ("2026-02-10", "2026-03-10")):
        dated = province.simulate_get("/tim-kiem", params={"q": "dich vu cong", "from": start, "to": end})
        assert sorted(result_paths(dated)) == ["/phu-mau/tin-tuc/a-pm", "/phu-mau/van-ban/d-pm"]


def test_sort_by_date_puts_the_newest_first_and_is_offered_as_a_choice(province):
    page = province.simulate_get("/tim-kiem", params={"q": "dich vu cong", "sort": "date"})
    assert result_paths(page) == ["/phu-mau/lich-cong-tac/2026-W20", "/phu-thuong/hoi-dap/q-pt",
                                  "/phu-mau/van-ban/d-pm", "/phu-mau/tin-tuc/a-pm", "/hue/tin-tuc/a-hue"]
    assert re.search(r'value="date" checked>\s*<label for="sap-xep-date">Mới nhất', page.text)
    assert '<label for="sap-xep-relevance">Liên quan nhất</label>' in page.text


def test_pagination_links_keep_the_search_and_mark_the_current_page(running):
    client, search = running
    search.send_together([search_article(n) for n in range(1, 24)])
    page = client.simulate_get("/tim-kiem", params={"q": "chuyen doi so", "type": "article", "page": "2"})
    assert page.status_code == 200
    assert "Tìm thấy 23 kết quả" in page.text and len(result_paths(page)) == 10
    links = dict((text, html.unescape(href)) for href, text in re.findall(
        r'<a href="([^"]+)"(?: rel="(?:prev|next)")?>(Trang trước|Trang sau)</a>', page.text))
    assert links == {"Trang trước": "/tim-kiem?q=chuyen+doi+so&type=article",
                     "Trang sau": "/tim-kiem?q=chuyen+doi+so&type=article&page=3"}
    numbered = re.findall(
        r'<a href="[^"]+"( aria-current="page")?><span class="visually-hidden">Trang </span>(\d+)</a>', page.text)
    assert numbered == [("", "1"), (' aria-current="page"', "2"), ("", "3")]
    last = client.simulate_get("/tim-kiem", params={"q": "chuyen doi so", "page": "3"})
    assert len(result_paths(last)) == 3 and "Trang sau" not in last.text and "Trang trước" in last.text


def search_article(n: int) -> ArticlePublished:
    return ArticlePublished(document_id=f"cds-{n}", version=1, occurred_at=utcnow(),
                            article=article(f"cds-{n}", f"Chuyển đổi số ở cấp xã, bài {n}"))


def test_a_misspelled_query_offers_the_correction_as_a_link(province):
    page = province.simulate_get("/tim-kiem", params={"q": "dich vu cogn", "unit": "phu-mau"})
    match = re.search(r'Có phải bạn muốn tìm: <a href="([^"]+)">([^<]+)</a>', page.text)
    assert match, page.text
    assert match.group(2) == "dich vu cong"
    assert html.unescape(match.group(1)) == "/tim-kiem?q=dich+vu+cong&unit=phu-mau"


def test_titles_are_escaped_and_only_the_highlight_is_html(running):
    client, search = running
    search.publish("xss", '<script>alert("x")</script> Chuyển đổi số', summary="<b>tóm tắt</b>")
    page = client.simulate_get("/tim-kiem", params={"q": "chuyen doi so <script>"})
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Chuyển đổi số" in page.text
    assert "cho “chuyen doi so &lt;script&gt;”" in page.text


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"q": "x" * 2001}, "q", "Từ khóa tìm kiếm phải có từ 1 đến 2.000 ký tự."),
    ({"q": "dich vu", "from": "31/02/2026"}, "from", "“Từ ngày” phải là một ngày hợp lệ"),
    ({"q": "dich vu", "from": "2026-03-01", "to": "2026-02-01"}, "to", "không trước “Từ ngày”"),
    ({"q": "dich vu", "page": "0"}, "page", "Số trang phải là số nguyên từ 1 trở lên"),
    ({"q": "dich vu", "page": "hai"}, "page", "Số trang phải là số nguyên từ 1 trở lên"),
    ({"q": "dich vu", "sort": "views"}, "sort", "Chỉ có thể sắp xếp theo “Liên quan nhất” hoặc “Mới nhất”."),
    ({"q": "dich vu", "type": "video"}, "type", "Loại nội dung được chọn không hợp lệ."),
])
def test_bad_input_is_explained_on_the_page_and_named_in_the_api(client, params, field, message):
    page = client.simulate_get("/tim-kiem", params=params)
    assert page.status_code == 422
    assert 'role="alert"' in page.text and "Yêu cầu tìm kiếm chưa hợp lệ" in page.text
    assert message in page.text
    assert "Traceback" not in page.text and 'name="q"' in page.text  # the form is there to fix it
    api = client.simulate_get("/api/search", params=params)
    assert api.status_code == 422
    assert list(api.json["error"]["fields"]) == [field]


def test_without_a_query_the_page_invites_one(client):
    page = client.simulate_get("/tim-kiem")
    assert page.status_code == 200
    assert "Nhập từ khóa" in page.text and 'role="status"' not in page.text
    assert '<label for="tu-khoa">Từ khóa</label>' in page.text


def test_the_api_returns_the_services_result(province):
    response = province.simulate_get("/api/search", params={
        "q": "dich vu cong", "level": "xa", "sort": "date", "limit": "2", "page": "2"})
    assert response.status_code == 200
    body = response.json
    assert (body["total"], body["page"], body["limit"], body["sort"]) == (4, 2, 2, "date")
    assert body["previous"] == "/api/search?q=dich+vu+cong&level=xa&sort=date&page=1&limit=2" and body["next"] is None
    assert body["filters"] == {"level": ["xa"]}
    assert [hit["id"] for hit in body["items"]] == ["d-pm", "a-pm"]
    assert {entry["value"]: entry["count"] for entry in body["facets"]["type"]}["document"] == 1
    missing = province.simulate_get("/api/search")
    assert missing.status_code == 422 and list(missing.json["error"]["fields"]) == ["q"]
    assert province.simulate_get("/api/search", params={"q": "x", "limit": "500"}).json["error"]["fields"] == {
        "limit": "must be a whole number from 1 to 50"}


def test_autocomplete_suggests_titles_and_may_be_cached_briefly(province):
    response = province.simulate_get("/api/search/suggest", params={"q": "thong b"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    [suggestion] = response.json["suggestions"]
    assert suggestion["title"] == f"Thông báo về {TEXT}" and suggestion["path"] == "/phu-mau/tin-tuc/a-pm"
    elsewhere = province.simulate_get("/api/search/suggest", params={"q": "thong b", "unit": "hue"})
    assert elsewhere.json["suggestions"] == []
    bad = province.simulate_get("/api/search/suggest", params={"q": "  "})
    assert bad.status_code == 422 and list(bad.json["error"]["fields"]) == ["q"]
    assert bad.headers["cache-control"] == "no-store"


def test_an_answer_the_gateway_keeps_follows_the_index(running):
    client, search = running
    asked = {"q": "chuyen doi so cap xa"}
    assert client.simulate_get("/api/search", params=asked).json["total"] == 0
    assert client.simulate_get("/api/search", params=asked).json["total"] == 0  # now kept
    search.send(search_article(1))
    found = wait_for(lambda: client.simulate_get("/api/search", params=asked).json["items"],
                     timeout=5, message="the new article in the kept search")
    assert [hit["id"] for hit in found] == ["cds-1"]
    assert result_paths(client.simulate_get("/tim-kiem", params=asked)) == ["/phu-vang/tin-tuc/cds-1"]
    search.unpublish("cds-1", 2)

    def page_without_it():
        page = client.simulate_get("/tim-kiem", params=asked)
        return page.status_code == 200 and result_paths(page) == []
    wait_for(page_without_it, timeout=5, message="the withdrawn article gone from the kept search page")


def test_an_item_many_units_published_is_one_result_naming_some_of_the_others(running):
    client, search = running
    units = {"xa-an": "Xã Thôn An", "xa-binh": "Xã Thôn Bình", "xa-cat": "Xã Thôn Cát", "xa-dung": "Xã Thôn Dũng",
             "xa-giang": "Xã Thôn Giang"}
    for slug, name in units.items():
        search.unit(slug, level="xa", name=name)
        search.answer(f"q-{slug}", "Thủ tục cấp bản sao giấy khai sinh", "Cần giấy tờ gì?",
                      f"{name} trả lời: mang theo căn cước công dân.", unit=slug, unit_name=name)

    page = client.simulate_get("/tim-kiem", params={"q": "khai sinh"})

    assert "Tìm thấy 1 kết quả" in page.text and len(result_paths(page)) == 1
    assert '<span class="duplicates">và 4 đơn vị khác</span>' in page.text
    named = re.search(r'<p class="duplicate-units">Cùng nội dung, đăng cả trên trang của ([^<]+), …</p>', page.text)
    assert named, page.text
    assert len(named.group(1).split(", ")) == 3 and set(named.group(1).split(", ")) < set(units.values())
    [hit] = client.simulate_get("/api/search", params={"q": "khai sinh"}).json["items"]
    assert (hit["duplicates"], len(hit["duplicate_units"])) == (4, 3)


def test_results_come_before_the_filters_and_the_unit_filter_is_folded_away(province):
    page = province.simulate_get("/tim-kiem", params={"q": "dich vu cong"})
    text = page.text
    assert text.index('<ol class="search-results"') < text.index('id="loc-ket-qua"') < text.index('id="loc-unit"')
    assert re.search(r'<details class="filter-units">\s*<summary>Đơn vị: tất cả \(3 đơn vị\)</summary>', text)
    # Every filter belongs to the search form, wherever it stands.
    assert text.count('form="bieu-mau-tim-kiem"') == text.count('type="checkbox"') + 2 + 2 + 1
    chosen = province.simulate_get("/tim-kiem", params={"q": "dich vu cong", "unit": "phu-mau"})
    assert re.search(r'<details class="filter-units" open>\s*<summary>Đơn vị: đã chọn 1', chosen.text)


def test_the_page_says_when_it_favours_a_named_unit_and_when_no_result_has_every_word(province):
    named = province.simulate_get("/tim-kiem", params={"q": "dịch vụ công Phú Mậu"})
    assert "Ưu tiên kết quả của Xã Phú Mậu." in named.text
    assert "Không có kết quả chứa đủ các từ" not in named.text
    api = province.simulate_get("/api/search", params={"q": "dịch vụ công Phú Mậu"}).json
    assert (api["match"], api["units_named"]) == ("all", [{"slug": "phu-mau", "name": "Xã Phú Mậu"}])

    relaxed = province.simulate_get("/tim-kiem", params={"q": "tra cứu hồ sơ dịch vụ công"})
    assert "Không có kết quả chứa đủ các từ «tra cứu hồ sơ dịch vụ công». Kết quả gần đúng:" in relaxed.text
    assert result_paths(relaxed)[0] == "/phu-thuong/hoi-dap/q-pt"
    relaxed_api = province.simulate_get("/api/search", params={"q": "tra cứu hồ sơ dịch vụ công"}).json
    assert (relaxed_api["match"], relaxed_api["complete_matches"]) == ("relaxed", 0)
