"""On a phone (360 px) and a desktop (1280 px): no sideways scrolling, tap targets of at least
44 × 44 px, the menu and the search within reach; the whole page usable from the keyboard,
from the skip link on; search and the display options with JavaScript switched off.

Screenshots of the home, a unit's home and an article at both widths are written to the test's
temporary directory (they are printed in the test's output), not kept in the repository."""
from __future__ import annotations

import pytest

from tests.browser.conftest import LOOKS, PAGES, choose_display, next_page

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WIDTHS = {"360 px": PHONE, "1280 px": DESKTOP}

# Tap targets (WCAG 2.5.5): every visible link, button and field in the main content and in
# the navigation must measure at least 44 × 44 CSS px, with two precise exceptions:
# - a link inline in a sentence: its display is `inline` and it sits in a <p> that has words
#   of its own outside links (2.5.5's "Inline" exception);
# - a checkbox or radio button, whose <label> operates it too: the label is measured instead.
UNDERSIZED_TARGETS = """() => {
  const inSentence = (link) => {
    const paragraph = link.closest('p');
    if (!paragraph || getComputedStyle(link).display !== 'inline') return false;
    const words = paragraph.cloneNode(true);
    words.querySelectorAll('a').forEach((a) => a.remove());
    return /\\p{L}{2,}/u.test(words.textContent);
  };
  const controls = ['a[href]', 'button', 'input:not([type=hidden])', 'select', 'textarea', 'summary'];
  const selector = ['main', 'nav'].flatMap((area) => controls.map((control) => `${area} ${control}`)).join(', ');
  const problems = [];
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    let box = element.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || style.visibility === 'hidden') continue;  // not shown
    if ((element.type === 'checkbox' || element.type === 'radio') && element.labels.length) {
      box = element.labels[0].getBoundingClientRect();
    }
    if (box.width >= 44 - 0.01 && box.height >= 44 - 0.01) continue;
    if (element.tagName === 'A' && inSentence(element)) continue;
    const text = (element.textContent || element.name || '').trim().slice(0, 40);
    problems.push(`${element.tagName.toLowerCase()} "${text}" ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return problems;
}"""
# The page's width against the layout viewport's (clientWidth): a phone's browser zooms out to
# show a page that is too wide, which widens window.innerWidth to the page's own width, so a
# check against it could never fail.
SCROLL = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# What reaches past the right edge of the screen, named for the failure's message: elements, and
# text that overflows the box it is in (a long word, an address), which only a range measures.
OVERFLOWING = """() => {
  const edge = document.documentElement.clientWidth + 0.5;
  const named = (element) => `${element.tagName.toLowerCase()}${element.className ? '.' + element.className : ''}`
                             + `${element.getAttribute('href') ? ' ' + element.getAttribute('href') : ''}`;
  const found = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > edge)
    .map((element) => `${named(element)} → ${Math.round(element.getBoundingClientRect().right)} px`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    const text = node.textContent.trim().slice(0, 40);
    if (right > edge) found.push(`"${text}" in ${named(node.parentElement)} → ${Math.round(right)} px`);
  }
  return found.slice(0, 8);
}"""


def open_page(new_context, url, look=None, **options):
    page = new_context(look, **options).new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_nothing_scrolls_sideways_and_every_target_is_big_enough(site, new_context, name, look):
    page = open_page(new_context, site[name], LOOKS[look], **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, (f"{name}: the page is {scroll_width} px wide on a {width} px screen; "
                                   f"past the edge: {page.evaluate(OVERFLOWING)}")
    problems = page.evaluate(UNDERSIZED_TARGETS)
    assert not problems, f"{name}: targets under 44 × 44 px: {problems}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["platform home", "unit home", "article"])
def test_screenshots_and_the_menu_and_search_within_reach(site, new_context, tmp_path, name, width):
    page = open_page(new_context, site[name], **WIDTHS[width])
    scroll_width, viewport = page.evaluate(SCROLL)
    assert scroll_width <= viewport
    shot = tmp_path / f"{name.replace(' ', '-')}-{width.replace(' ', '')}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    within_reach = """(element) => {
        const box = element.getBoundingClientRect(); const style = getComputedStyle(element);
        return box.width > 0 && box.height >= 44 && box.left >= 0 && box.right <= window.innerWidth
               && style.visibility !== 'hidden' && style.display !== 'none'; }"""
    for control in (page.locator("#q"), page.get_by_role("button", name="Tìm kiếm").first):
        assert control.evaluate(within_reach), f"the search box is out of reach at {width}"
    if name != "platform home":
        menu = page.get_by_role("navigation", name="Danh mục chính").get_by_role("link")
        assert menu.count() >= 7
        for link in menu.all():
            assert link.evaluate(within_reach), f"menu link {link.text_content()!r} is out of reach at {width}"


def test_the_skip_link_shows_when_focused_and_moves_focus_to_the_content(site, new_context):
    page = open_page(new_context, site["article"], **PHONE)
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["width"] <= 1  # hidden until it is needed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["width"] > 100 and box["height"] >= 44 and 0 <= box["y"] < 740
    page.keyboard.press("Enter")
    next_page(page, "main:focus")
    # The next Tab goes on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


FOCUSED = """() => { const element = document.activeElement; const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)';
  return {
    where: element.closest('.display-options') ? 'display options' : element.closest('.unit-menu') ? 'menu'
         : element.closest('form[role=search]') ? 'search' : element.closest('main') ? 'main'
         : element.classList.contains('skip-link') ? 'skip link' : element.closest('header') ? 'banner' : 'other',
    text: (element.textContent || element.name || '').trim(),
    visible: ring || style.boxShadow !== 'none',
  };
}"""


@pytest.mark.parametrize("look", LOOKS)
def test_tab_reaches_the_display_options_search_and_menu_in_order_with_visible_focus(site, new_context, look):
    page = open_page(new_context, site["unit home"], LOOKS[look], **DESKTOP)
    menu_links = page.get_by_role("navigation", name="Danh mục chính").get_by_role("link").count()
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        stops.append(stop)
        assert stop["visible"], f"no visible focus on {stop}"
        if stop["where"] == "main":
            break
    areas = [stop["where"] for stop in stops]
    assert areas == (["skip link"] + ["display options"] * 4 + ["banner"] + ["search"] * 2
                     + ["menu"] * menu_links + ["main"]), areas
    assert [stop["text"] for stop in stops[1:5]][:3] == ["A-: Cỡ chữ nhỏ", "A: Cỡ chữ vừa", "A+: Cỡ chữ lớn"]


def test_search_and_display_options_work_without_javascript(site, new_context):
    page = open_page(new_context, site["unit home"], java_script_enabled=False, **PHONE)
    page.locator("#q").fill("thuy bieu")
    page.locator("#q").press("Enter")
    next_page(page, "main .search-results")
    assert page.locator("main h1").inner_text() == "Tìm kiếm"
    assert page.locator("main .search-results li").count() >= 1

    page.goto(site["unit home"])
    choose_display(page, page.locator(".display-options a[href*='co-chu=lon']"), "lon")
    next_page(page, "html[class='co-chu-lon']")
    choose_display(page, page.locator(".display-options a[href*='tuong-phan=cao']"), "lon+tuong-phan-cao")
    next_page(page, "html[class='co-chu-lon tuong-phan-cao']")
    assert page.url == site["unit home"]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
