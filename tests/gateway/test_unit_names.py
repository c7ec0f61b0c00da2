"""Unit names in lists: a name that repeats is told apart by its parent's, in the ranking's
tables, the workspace's unit chooser, the search page's results and unit filter, and the page
where a citizen manages their subscriptions."""
import html
import json
import re
import uuid
from pathlib import Path

import pytest

from gateway.unit_names import distinct_names
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.workspace_desk import PASSWORD, signed_in
from tests.servers import wait_for

DEMO_UNITS = Path(__file__).parents[2] / "deploy" / "demo" / "units_thua_thien_hue.json"
PORTAL_SERVICES = (ContentService, RankingService, SearchService, NotifyService)
HUONG_TRA, A_LUOI = "Xã Hương Phong (Thị xã Hương Trà)", "Xã Hương Phong (Huyện A Lưới)"


def unit(slug, name, parent=None):
    return {"slug": slug, "name": name, "parent": parent}


def test_the_demo_provinces_two_huong_phong_communes_are_named_with_their_districts():
    units = json.loads(DEMO_UNITS.read_text(encoding="utf-8"))["units"]
    names = distinct_names(units)
    assert names["xa-huong-phong-huong-tra"] == "Xã Hương Phong (Thị xã Hương Trà)"
    assert names["xa-huong-phong-a-luoi"] == "Xã Hương Phong (Huyện A Lưới)"
    assert len(set(names.values())) == len(units)
    # Every other unit keeps its own name.
    unique = [each for each in units if not each["slug"].startswith("xa-huong-phong-")]
    assert all(names[each["slug"]] == each["name"] for each in unique)


def test_a_name_repeated_under_same_named_parents_adds_the_grandparents():
    units = [unit("tinh-a", "Tỉnh A"), unit("tinh-b", "Tỉnh B"),
             unit("huyen-a", "Huyện Phú Lộc", "tinh-a"), unit("huyen-b", "Huyện Phú Lộc", "tinh-b"),
             unit("xa-a", "Xã Vinh Hiền", "huyen-a"), unit("xa-b", "Xã Vinh Hiền", "huyen-b")]
    names = distinct_names(units)
    assert names["huyen-a"] == "Huyện Phú Lộc (Tỉnh A)"
    assert names["xa-a"] == "Xã Vinh Hiền (Huyện Phú Lộc, Tỉnh A)"
    assert names["xa-b"] == "Xã Vinh Hiền (Huyện Phú Lộc, Tỉnh B)"


def test_names_are_compared_as_read_ignoring_case_and_spaces():
    units = [unit("h1", "Huyện Một"), unit("h2", "Huyện Hai"),
             unit("x1", "Xã  Hương Phong", "h1"), unit("x2", "xã Hương Phong", "h2")]
    names = distinct_names(units)
    assert names["x1"] == "Xã  Hương Phong (Huyện Một)"
    assert names["x2"] == "xã Hương Phong (Huyện Hai)"


def test_a_repeated_name_without_parent_stays_as_it_is_and_a_looping_tree_ends_the_search():
    units = [unit("a", "Sở Y tế"), unit("b", "Sở Y tế"), unit("c", "Xã C", "d"), unit("d", "Xã C", "c")]
    names = distinct_names(units)
    assert names["a"] == names["b"] == "Sở Y tế"
    assert names["c"] == names["d"] == "Xã C (Xã C)"  # each parent named once, no endless climb


@pytest.fixture
def namesakes(portal):
    """Two communes named Xã Hương Phong, under Thị xã Hương Trà and Huyện A Lưới, each with an
    article about works at its fishing port."""
    client = portal.client
    for order, (slug, name) in enumerate((("tinh", "Tỉnh"), ("huyen", "Huyện"), ("xa", "Xã"))):
        created = client.simulate_post("/api/levels", headers=PORTAL_ADMIN, json={"slug": slug, "name": name,
                                                                                 "order": order})
        assert created.status_code == 201, created.text
    for unit_ in ({"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh"},
                  {"slug": "huong-tra", "name": "Thị xã Hương Trà", "level": "huyen", "parent": "thua-thien-hue"},
                  {"slug": "a-luoi", "name": "Huyện A Lưới", "level": "huyen", "parent": "thua-thien-hue"},
                  {"slug": "huong-phong-ht", "name": "Xã Hương Phong", "level": "xa", "parent": "huong-tra"},
                  {"slug": "huong-phong-al", "name": "Xã Hương Phong", "level": "xa", "parent": "a-luoi"}):
        created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit_)
        assert created.status_code == 201, created.text
    # Different texts: search shows an item several units published as one result.
    for slug, work in (("huong-phong-ht", "nạo vét luồng vào"), ("huong-phong-al", "lát mới sân phơi")):
        publish(client, unit=slug, title=f"Cảng cá {work}", body_html=f"<p>Cảng cá của xã được {work}.</p>")
    return portal


def texts(page: str, pattern: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(pattern, page)]


def test_the_ranking_table_names_each_namesake_with_its_district(namesakes):
    def communes() -> list[str]:
        page = namesakes.client.simulate_get("/xep-hang?sap-xep=ten")
        assert page.status_code == 200, page.text
        return texts(page.text, r'<th scope="row"><a href="/huong-phong-[a-z]+/xep-hang">([^<]+)</a>')

    wait_for(lambda: len(communes()) == 2, message="both communes ranked")
    assert communes() == [A_LUOI, HUONG_TRA]  # sorted by the names shown


def test_the_workspace_chooser_names_each_namesake_with_its_district(namesakes):
    created = namesakes.client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": "can-bo-huong-phong", "name": "Cán bộ Hương Phong", "password": PASSWORD,
        "roles": {"huong-phong-ht": ["author"], "huong-phong-al": ["author"]}})
    assert created.status_code == 201, created.text
    chooser = signed_in(namesakes.client, "can-bo-huong-phong").get("/quan-tri")
    assert chooser.status_code == 200, chooser.text
    assert texts(chooser.text, r'<a href="/quan-tri/(huong-phong-[a-z]+)">([^<]+)</a>') == [
        ("huong-phong-al", A_LUOI), ("huong-phong-ht", HUONG_TRA)]


def test_search_results_and_the_unit_filter_name_each_namesake_with_its_district(namesakes):
    def searched():
        page = namesakes.client.simulate_get("/tim-kiem", params={"q": "cảng cá"})
        assert page.status_code == 200, page.text
        return page.text

    wait_for(lambda: searched().count('<h3><a href="/huong-phong-') == 2, message="both articles found")
    page = searched()
    metas = texts(page, r'<p class="meta"><span class="type-label">[^<]+</span> · ([^<]+?) ·')
    assert sorted(metas) == [A_LUOI, HUONG_TRA]
    labels = texts(page, r'name="unit" value="huong-phong-[a-z]+"[^>]*>\s*<label[^>]*>([^<]+?) <span')
    assert sorted(labels) == [A_LUOI, HUONG_TRA]


def test_the_subscriptions_page_names_each_namesake_with_its_district(namesakes, mongo_client, settings):
    address = f"dan-{uuid.uuid4().hex[:12]}@example.vn"
    for unit_ in ("huong-phong-ht", "huong-phong-al"):
        asked = namesakes.client.simulate_post("/api/subscriptions", json={"email": address, "unit": unit_})
        assert asked.status_code == 202, asked.text
    token = mongo_client[settings.NOTIFY_DB].subscriptions.find_one({"email": address})["token"]
    page = namesakes.client.simulate_get("/dang-ky/quan-ly", params={"token": token})
    assert page.status_code == 200, page.text
    assert sorted(texts(page.text, r"<h2>Tin bài của ([^<]+)</h2>")) == [A_LUOI, HUONG_TRA]
