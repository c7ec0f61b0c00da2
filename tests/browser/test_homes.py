"""The homes laid out as portals, in a real browser: one column on a phone (360 px) with nothing
scrolling sideways; on a desktop (1280 px) the lead story beside the public services and the
newest news, the category blocks abreast, and the schedule, documents and answers side by side;
the directory searched with JavaScript switched off."""
from __future__ import annotations

import pytest
import requests

from tests.browser.conftest import TOKEN, UNIT, next_page
from tests.browser.test_layout import DESKTOP, PHONE, SCROLL, open_page

HOMES = ["platform home", "unit home"]
# Blocks that stand side by side on a desktop and one under the other on a phone.
ABREAST = {"lead and side": ".home-top > *", "schedule, documents, answers": ".home-facts > *",
           "categories": ".category-block"}
BOXES = "elements => elements.map(e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right]; })"


@pytest.fixture(scope="module")
def two_categories(site):
    """The ward's and the province's homes with news in two categories, so that two category blocks show."""
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {TOKEN}"})
    for unit, category in ((unit, category) for unit in (UNIT, "thua-thien-hue")
                           for category in ("tin-dia-phuong", "thong-bao")):
        created = api.post(f"{site.url}/api/units/{unit}/articles", json={
            "category": category, "title": f"Tin mới trong chuyên mục {category}", "body_html": "<p>Nội dung.</p>"})
        assert created.status_code == 201, created.text
        published = api.post(f"{site.url}/api/articles/{created.json()['id']}/force-publish",
                             json={"version": created.json()["version"], "comment": "Đăng ngay"})
        assert published.status_code == 200, published.text
    return site


def boxes(page, selector: str) -> list[list[float]]:
    return page.locator(selector).evaluate_all(BOXES)


@pytest.mark.parametrize("name", HOMES)
def test_on_a_phone_the_home_is_one_column_without_sideways_scrolling(two_categories, new_context, name):
    page = open_page(new_context, two_categories[name], **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, f"{name}: the page is {scroll_width} px wide on a {width} px screen"
    for blocks, selector in ABREAST.items():
        found = boxes(page, selector)
        assert len(found) >= 2, f"{name}: fewer than two of {blocks}"
        assert len({round(left) for left, _, _ in found}) == 1, f"{name}: {blocks} not in one column: {found}"
        tops = [top for _, top, _ in found]
        assert tops == sorted(tops), f"{name}: {blocks} not one under the other: {found}"


@pytest.mark.parametrize("name", HOMES)
def test_on_a_desktop_the_blocks_stand_side_by_side(two_categories, new_context, name):
    page = open_page(new_context, two_categories[name], **DESKTOP)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width
    for blocks, selector in ABREAST.items():
        (left, top, right), (next_left, next_top, _) = boxes(page, selector)[:2]
        assert round(top) == round(next_top), f"{name}: {blocks} do not start on one line"
        assert next_left >= right, f"{name}: {blocks} overlap or stack"
    # What matters most is above the fold: the lead story and the way to the public services.
    for selector in ("#tin-noi-bat", "#dich-vu-cong"):
        assert boxes(page, selector)[0][1] < DESKTOP["viewport"]["height"], f"{name}: {selector} below the fold"


def test_the_directory_is_searched_without_javascript(site, new_context):
    page = open_page(new_context, site["unit home"], java_script_enabled=False, **PHONE)
    page.locator("#don-vi").fill("thuy bieu")
    page.locator("#don-vi").press("Enter")
    next_page(page, "main .directory-result")
    assert page.locator("main #lien-ket details[open] a", has_text="Thủy Biều").count() == 1
    assert page.locator("main .directory-result").inner_text().startswith("Có 1 đơn vị")


WEIGHT = """() => performance.getEntries().filter(e => 'encodedBodySize' in e)
    .reduce((sum, e) => sum + e.encodedBodySize, 0)"""
HOME_BUDGET = 400_000  # bytes: the page, its stylesheet and its pictures, as a desktop loads them


@pytest.mark.parametrize("name", HOMES)
def test_a_home_stays_light(two_categories, new_context, name):
    page = open_page(new_context, two_categories[name], **DESKTOP)
    weight = page.evaluate(WEIGHT)
    print(f"{name}: {weight} bytes")
    assert 0 < weight <= HOME_BUDGET, f"{name} weighs {weight} bytes"
