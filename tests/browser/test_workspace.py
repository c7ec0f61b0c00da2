"""The editors' workspace in a real browser (Chromium, JavaScript on): every workspace page has no
serious or critical accessibility problem as axe-core finds them, in both looks, and no Content
Security Policy violation; none scrolls sideways on a 360 px phone; signing in and writing an
article work from the keyboard alone with the focus visible; and the newsroom's day, scripted:
a commune author writes an article with a photo and sends it, the editor-in-chief approves and
publishes it, it is on the ward's home page, each role in no more page loads than the goals
(page loads are counted, not timed; tests/benchmarks/bench_workspace.py times the server)."""
from __future__ import annotations

import pytest
import requests

from tests.browser.conftest import LOOKS, UNIT, next_page
from tests.browser.test_accessibility import Visit, blocking_violations, check
from tests.browser.test_layout import OVERFLOWING, PHONE, SCROLL, open_page
from tests.browser.workspace_pages import (
    AUTHOR,
    BOARD,
    CHIEF,
    PAGES,
    PASSWORD,
    SIGN_IN,
    TWO_UNITS,
    PageLoads,
    change_article,
    cover_photo,
    create_board,
    make_items,
    new_draft,
    sign_in,
)
from tests.servers import wait_for


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
    return make_items(site)


def as_person(signed_in, who: str | None) -> dict:
    return {"storage_state": signed_in[who]} if who else {}


# a. Every page, both looks: axe-core, the CSP, and a 360 px phone.

# What axe-core misses: an id used twice (its duplicate-id rules are retired), after which the
# browser ties a <label for>, a skip link or an error summary's link to the first element only,
# while axe still counts the label as the second's; and so a shown control without a label as
# the browser computes it.
TWICE_AND_UNLABELLED = """() => {
  const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
  const twice = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  const controls = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((control) => control.checkVisibility({visibilityProperty: true}));  // shown, so in the accessibility tree
  const unlabelled = controls.filter((control) => !control.labels.length && !control.getAttribute('aria-label')
      && !control.getAttribute('aria-labelledby')).map((control) => control.name || control.id);
  return {twice, unlabelled};
}"""


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_workspace_page_has_no_serious_accessibility_problem(site, new_context, signed_in, made, name, look):
    shown = PAGES[name]
    visit = Visit(new_context(LOOKS[look], **as_person(signed_in, shown.who)), site.url + shown.address(made))
    assert shown.who is None or SIGN_IN not in visit.page.url, f"{name}: sent to the sign-in page"
    check(visit, shown.status)
    found = visit.page.evaluate(TWICE_AND_UNLABELLED)
    assert not found["twice"], f"{name}: ids used more than once: {found['twice']}"
    assert not found["unlabelled"], f"{name}: controls without a label: {found['unlabelled']}"


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_no_workspace_page_scrolls_sideways(site, new_context, signed_in, made, name, look):
    shown = PAGES[name]
    page = open_page(new_context, site.url + shown.address(made), LOOKS[look], **as_person(signed_in, shown.who),
                     **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, (f"{name}: the page is {scroll_width} px wide on a {width} px screen; "
                                   f"past the edge: {page.evaluate(OVERFLOWING)}")


@pytest.mark.parametrize("look", LOOKS)
def test_a_sign_in_with_a_mistake_comes_back_accessible(site, new_context, signed_in, look):
    visit = Visit(new_context(LOOKS[look]), site.url + SIGN_IN)
    page = visit.page
    page.locator("#ten-dang-nhap").fill("tb-tac-gia")
    page.locator("#ten-dang-nhap").press("Enter")  # no password
    next_page(page, "main [aria-invalid='true']", timeout=30)
    assert page.title().startswith("Lỗi: ")
    problems = blocking_violations(page)
    assert not problems, "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports


@pytest.mark.parametrize("look", LOOKS)
def test_an_article_form_sent_with_mistakes_comes_back_accessible(site, new_context, signed_in, look):
    visit = Visit(new_context(LOOKS[look], **as_person(signed_in, AUTHOR)),
                  site.url + PAGES["new article form"].address({}))
    page = visit.page
    page.locator("#the").fill("môi trường")  # no title, no body
    page.get_by_role("button", name="Lưu bài viết").press("Enter")
    next_page(page, "main .error-summary", timeout=30)
    assert page.title().startswith("Lỗi: ")
    assert page.locator("#the").input_value() == "môi trường"
    problems = blocking_violations(page)
    assert not problems, "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports


@pytest.mark.parametrize("look", LOOKS)
def test_a_stale_save_shows_both_versions_accessibly_on_a_phone(site, new_context, signed_in, look):
    article = new_draft(site, f"Bài viết được hai người cùng sửa ({look})")
    visit = Visit(new_context(LOOKS[look], **as_person(signed_in, CHIEF), **PHONE),
                  site.url + PAGES["article edit page"].address({"article": article["id"]}))
    page = visit.page
    page.locator("#tieu-de").fill(f"Bản của tôi ({look})")
    change_article(site, article, title=f"Bản của người kia ({look})")
    page.get_by_role("button", name="Lưu bài viết").press("Enter")
    next_page(page, "main .compare", timeout=30)
    assert page.title().startswith("Lỗi: ")
    assert f"Bản của tôi ({look})" in page.locator("main").inner_text()
    problems = blocking_violations(page)
    assert not problems, "\n".join(problems)
    assert not visit.csp_reports, visit.csp_reports
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, f"the page is {scroll_width} px wide on a {width} px screen"


# b. The keyboard alone, with the focus always visible.

KEYBOARD_PERSON = dict(zip(LOOKS, ["tb-bien-tap", "tb-quan-tri"]))  # a fresh sign-in in each look

FOCUS = """() => { const element = document.activeElement; const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)'
               && parseFloat(style.outlineWidth) > 0;
  return {id: element.id, name: element.getAttribute('name'), tag: element.tagName.toLowerCase(),
          classes: element.className || '',
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
def test_signing_in_with_the_keyboard_alone(site, new_context, signed_in, look):
    page = new_context(LOOKS[look]).new_page()
    page.goto(site.url + SIGN_IN)
    tab_to(page, lambda focus: focus["id"] == "ten-dang-nhap")
    page.keyboard.type(KEYBOARD_PERSON[look])
    tab_to(page, lambda focus: focus["id"] == "mat-khau", limit=1)
    page.keyboard.type(PASSWORD)
    button = tab_to(page, lambda focus: focus["tag"] == "button", limit=1)
    assert button["text"] == "Đăng nhập"
    page.keyboard.press("Enter")
    next_page(page, "header .workspace-person", timeout=30)
    assert page.locator("main h1").inner_text() == "Tổng quan"


def write_body(page, markup: str, paragraphs: list[str]):
    """The body through whatever the page offers: the rich editor where it replaced the text
    area (typed into, paragraph by paragraph), the text area's light markup otherwise."""
    editor = page.locator(".ql-editor")
    if editor.count() and editor.first.is_visible():
        editor.first.focus()
        for number, paragraph in enumerate(paragraphs):
            if number:
                page.keyboard.press("Enter")
            page.keyboard.type(paragraph)
    else:
        page.locator("textarea[name='body']").fill(markup)


BODY_MARKUP = "Sáng nay, hơn 200 người dân tham gia ra quân.\n\n## Kết quả\n\n- 3 km bờ sông\n- 12 tấn rác"
BODY_PARAGRAPHS = ["Sáng nay, hơn 200 người dân tham gia ra quân.", "Kết quả: 3 km bờ sông, 12 tấn rác."]


@pytest.mark.parametrize("look", LOOKS)
def test_writing_an_article_with_the_keyboard_alone(site, new_context, signed_in, look):
    page = new_context(LOOKS[look], **as_person(signed_in, AUTHOR)).new_page()
    page.goto(site.url + PAGES["new article form"].address({}))
    title = f"Bài viết bằng bàn phím ({look})"
    tab_to(page, lambda focus: focus["id"] == "tieu-de")
    page.keyboard.type(title)
    tab_to(page, lambda focus: focus["id"] == "tom-tat", limit=1)
    page.keyboard.type("Tóm tắt gõ bằng bàn phím.")
    tab_to(page, lambda focus: focus["id"] == "chuyen-muc", limit=1)
    page.keyboard.press("ArrowDown")  # the first category after "none"
    tab_to(page, lambda focus: focus["id"] == "anh-bia-mo-ta", limit=4)  # past the tags and the file
    body = tab_to(page, lambda focus: focus["name"] == "body" or "ql-editor" in focus["classes"], limit=20)
    page.keyboard.type(BODY_MARKUP if body["name"] == "body" else BODY_PARAGRAPHS[0])
    tab_to(page, lambda focus: focus["tag"] == "button" and focus["text"] == "Lưu bài viết", limit=10)
    page.keyboard.press("Enter")
    next_page(page, "main .meta strong:text-is('Bản nháp')", timeout=30)
    assert page.locator("main h1").inner_text() == title
    assert page.locator("#chuyen-muc").input_value() != ""


# c. The newsroom's day, counted in page loads (a form sent and its redirect are one).

ARTICLE_GOAL = 8  # loads for the author, from the sign-in page to the article sent for review
PUBLISH_GOAL = 3  # loads for the editor-in-chief, from the dashboard to the article published
SCHEDULE_GOAL = 4  # loads, from the dashboard to next week's schedule copied, changed and published


def signing_in(new_context, site, username: str) -> PageLoads:
    page = new_context().new_page()
    loads = PageLoads(page)
    page.goto(site.url + SIGN_IN)
    loads.arrive("#ten-dang-nhap")
    page.locator("#ten-dang-nhap").fill(username)
    page.locator("#mat-khau").fill(PASSWORD)
    page.locator("#mat-khau").press("Enter")
    loads.arrive("header .workspace-person")
    return loads


def test_an_author_writes_with_a_photo_and_the_editor_in_chief_publishes_within_the_goals(site, new_context,
                                                                                          signed_in):
    title = "Phường Thủy Biều ra quân làm sạch bờ sông Hương"
    alt, caption = "Người dân nhặt rác dọc bờ sông Hương", "Ảnh: UBND phường Thủy Biều"
    author = signing_in(new_context, site, AUTHOR)
    page = author.page
    page.get_by_role("link", name="Viết bài mới").press("Enter")
    author.arrive("form.article-form[action$='/moi']")
    page.locator("#tieu-de").fill(title)
    page.locator("#tom-tat").fill("Hơn 200 người dân và cán bộ phường cùng dọn rác dọc bờ sông.")
    page.locator("#chuyen-muc").select_option("tin-dia-phuong")
    page.locator("#the").fill("môi trường, ra quân")
    page.locator("#anh-bia").set_input_files(files=[{"name": "ra-quan.jpg", "mimeType": "image/jpeg",
                                                      "buffer": cover_photo()}])
    page.locator("#anh-bia-mo-ta").fill(alt)
    page.locator("#anh-bia-chu-thich").fill(caption)
    write_body(page, BODY_MARKUP, BODY_PARAGRAPHS)
    page.get_by_role("button", name="Lưu bài viết").press("Enter")
    author.arrive("main .meta strong:text-is('Bản nháp')")
    assert page.locator(f"main img[alt='{alt}']").count() == 1, "the cover photo is not on the saved article"
    page.get_by_role("button", name="Gửi duyệt").press("Enter")
    written = author.arrive("main .meta strong:text-is('Chờ duyệt')")

    chief = signing_in(new_context, site, CHIEF)
    page = chief.page
    on_dashboard = chief.count
    page.locator("main a", has_text=title).first.press("Enter")  # under "waiting for my review"
    chief.arrive("main button:text-is('Duyệt bài')")
    page.get_by_role("button", name="Duyệt bài").press("Enter")
    chief.arrive("main .meta strong:text-is('Đã duyệt')")
    page.get_by_role("button", name="Đăng bài").press("Enter")
    published = chief.arrive("main .meta strong:text-is('Đã đăng')") - on_dashboard

    print(f"page loads: the author {written} (goal {ARTICLE_GOAL}), the editor-in-chief {on_dashboard} to sign "
          f"in and {published} to approve and publish (goal {PUBLISH_GOAL})")
    assert written <= ARTICLE_GOAL
    assert published <= PUBLISH_GOAL

    # On the ward's home page (the page cache learns of it through the content service's events).
    wait_for(lambda: title in requests.get(f"{site.url}/{UNIT}", timeout=10).text, timeout=30,
             message="the article on the ward's home page")
    reader = new_context().new_page()
    reader.goto(f"{site.url}/{UNIT}")
    reader.locator("main a", has_text=title).first.press("Enter")
    next_page(reader, f"main h1:text-is('{title}')", timeout=30)
    assert reader.locator(f"main img[alt='{alt}']").count() == 1
    assert caption in reader.locator("main figcaption").first.inner_text()
    assert BODY_PARAGRAPHS[0] in reader.locator("main").inner_text()


def test_next_weeks_schedule_by_copying_last_week_and_one_change_within_the_goal(site, new_context, signed_in,
                                                                                   made):
    page = new_context(**as_person(signed_in, CHIEF)).new_page()
    loads = PageLoads(page)
    page.goto(site.url + PAGES["dashboard"].address(made))
    on_dashboard = loads.arrive("main h1:text-is('Tổng quan')")
    page.get_by_role("link", name="Nhập lịch công tác tuần sau").press("Enter")
    loads.arrive("#sao-chep")
    page.locator("#sao-chep").press("Enter")
    loads.arrive("main .notice:has-text('Đã sao chép lịch tuần trước')")
    changed = "Họp giao ban đầu tuần với các tổ dân phố (đổi giờ)"
    entry = page.locator("section.schedule-day > fieldset.schedule-entry textarea[id$='title']").first
    entry.fill(changed)
    page.locator("#luu-lich").press("Enter")
    loads.arrive("main .notice:has-text('Đã lưu lịch tuần')")
    page.locator("#dang-lich").press("Enter")
    used = loads.arrive("main .notice:has-text('Đã đăng lịch tuần')") - on_dashboard
    print(f"page loads for next week's schedule: {used} (goal {SCHEDULE_GOAL})")
    assert used <= SCHEDULE_GOAL
    public = requests.get(f"{site.url}/{UNIT}/lich-cong-tac/{made['next_week']}", timeout=10)
    assert public.status_code == 200 and changed in public.text
