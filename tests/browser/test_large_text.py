"""The large text size (A+) on a phone: at 360 px wide nothing scrolls sideways, and the header's
search form with its button stays on the screen, on the platform's home, a unit's home, an
article, the search page and the workspace's sign-in page."""
from __future__ import annotations

import pytest

from tests.browser.test_layout import PHONE, open_page

PAGES = {
    "platform home": "/",
    "unit home": None,  # from the site's own addresses (tests/browser/conftest.py)
    "article": None,
    "search results": None,
    "workspace sign-in": "/quan-tri/dang-nhap",
}
LARGE_TEXT = ("lon", "lon+tuong-phan-cao")  # A+, and A+ with high contrast
# The page's width against the layout viewport's (clientWidth, 360 px): a phone's browser zooms
# out to show a page that is too wide, which widens window.innerWidth to the page's width.
SCROLL = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# What reaches past the right edge of the screen, named for the failure's message.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map((element) => `${element.tagName.toLowerCase()}${element.className ? '.' + element.className : ''}`
                    + `${element.getAttribute('href') ? ' ' + element.getAttribute('href') : ''}`
                    + ` → ${Math.round(element.getBoundingClientRect().right)} px`)
  .slice(0, 8)"""


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
