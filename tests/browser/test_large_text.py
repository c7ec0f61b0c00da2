"""The large text size (A+) on a phone: at 360 px wide nothing scrolls sideways, and the header's
search form with its button stays on the screen, on the platform's home, a unit's home, an
article, the search page and the workspace's sign-in page."""
from __future__ import annotations

import pytest

from tests.browser.test_layout import OVERFLOWING, PHONE, SCROLL, open_page

PAGES = {
    "platform home": "/",
    "unit home": None,  # from the site's own addresses (tests/browser/conftest.py)
    "article": None,
    "search results": None,
    "workspace sign-in": "/quan-tri/dang-nhap",
}
LARGE_TEXT = ("lon", "lon+tuong-phan-cao")  # A+, and A+ with high contrast


@pytest.mark.parametrize("look", LARGE_TEXT)
@pytest.mark.parametrize("name", PAGES)
def test_large_text_at_360_px_scrolls_nothing_sideways(site, new_context, name, look):
    page = open_page(new_context, site.url + (PAGES[name] or site.paths[name]), look, **PHONE)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"  # A+ is on
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, (f"{name}: {scroll_width} px wide on a {width} px screen; "
                                   f"past the edge: {page.evaluate(OVERFLOWING)}")
    for control in page.locator("form[role=search] input, form[role=search] button").all():
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name}: {control} at {box}"
