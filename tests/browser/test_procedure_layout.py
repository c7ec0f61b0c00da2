"""The administrative procedures' pages on a phone (360 px), in the default look and with large
text and high contrast: nothing scrolls sideways, every target is big enough, and the button to
file a procedure online is on the first screen."""
from __future__ import annotations

import pytest
import requests

from tests.browser.conftest import LOOKS, TOKEN, UNIT
from tests.browser.test_layout import OVERFLOWING, PHONE, SCROLL, UNDERSIZED_TARGETS, open_page

LONG = {"name": "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi "
                "dưỡng hằng tháng đối với đối tượng bảo trợ xã hội", "code": "1.001776",
        "field": "Bảo trợ xã hội", "level": "xa", "processing_time": "20 ngày làm việc", "fees": "Không",
        "papers_html": "<ul><li>Tờ khai đề nghị trợ giúp xã hội theo Mẫu số 1a, 1b, 1c, 1d, 1đ ban hành kèm theo "
                       "Nghị định 20/2021/NĐ-CP</li></ul>",
        "legal_basis": "Nghị định 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ quy định chính sách trợ giúp xã hội "
                       "đối với đối tượng bảo trợ xã hội",
        "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001776"}


@pytest.fixture(scope="module")
def procedure(site) -> dict:
    """A published procedure with a long name, papers and legal basis, in the ward's list."""
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {TOKEN}"})
    made = api.post(f"{site.url}/api/units/{UNIT}/procedures", json=LONG)
    assert made.status_code == 201, made.text
    published = api.post(f"{site.url}/api/procedures/{made.json()['id']}/publish", json={})
    assert published.status_code == 200, published.text
    return published.json()


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("which", ["list", "one field", "procedure"])
def test_on_a_phone_nothing_scrolls_sideways_and_every_target_is_big_enough(site, new_context, procedure, which,
                                                                             look):
    path = {"list": f"/{UNIT}/thu-tuc-hanh-chinh", "one field": f"/{UNIT}/thu-tuc-hanh-chinh?linh-vuc=bao-tro-xa-hoi",
            "procedure": procedure["path"]}[which]
    page = open_page(new_context, f"{site.url}{path}", LOOKS[look], **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, (f"{which}: the page is {scroll_width} px wide on a {width} px screen; "
                                   f"past the edge: {page.evaluate(OVERFLOWING)}")
    problems = page.evaluate(UNDERSIZED_TARGETS)
    assert not problems, f"{which}: targets under 44 × 44 px: {problems}"
    if which == "procedure":
        button = page.get_by_role("link", name="Nộp hồ sơ trực tuyến")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert button.get_attribute("href") == LONG["portal_url"]
