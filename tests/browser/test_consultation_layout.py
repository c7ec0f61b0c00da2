"""Drafts out for comment on a phone (360 px), in the default look and with large text and high
contrast: the list, an open draft with its comment form (also as refused) and a closed one with its
summary scroll nothing sideways, every target is big enough, and axe-core finds nothing serious."""
from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from services.common.vietnam_time import today
from tests.browser.conftest import LOOKS, TOKEN, UNIT
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_layout import OVERFLOWING, PHONE, SCROLL, UNDERSIZED_TARGETS, open_page

LONG_TITLE = ("Dự thảo Nghị quyết quy định mức chi hỗ trợ cho các hoạt động phát triển sản xuất nông nghiệp, "
              "chuyển đổi cơ cấu cây trồng, vật nuôi và xây dựng nông thôn mới nâng cao trên địa bàn")


@pytest.fixture(scope="module")
def drafts(site) -> dict:
    """An open draft with a long title and a published comment, and a closed one with its summary."""
    api = requests.Session()
    api.headers.update({"Authorization": f"Bearer {TOKEN}"})
    made = api.post(f"{site.url}/api/units/{UNIT}/consultations", json={
        "title": LONG_TITLE, "description": "Dự thảo gồm 12 điều.\nXin mời Nhân dân góp ý.",
        "closes_on": str(today() + timedelta(days=12)), "field": "Nông nghiệp và Phát triển nông thôn"})
    assert made.status_code == 201, made.text
    opened = api.post(f"{site.url}/api/consultations/{made.json()['id']}/open", json={})
    assert opened.status_code == 200, opened.text
    sent = requests.post(f"{site.url}/api/units/{UNIT}/consultations/{made.json()['id']}/comments", json={
        "name": "Nguyễn Thị Phương Thảo", "contact": "thao@example.vn",
        "body": "Đề nghị nâng mức hỗ trợ cho hộ nghèo, hộ cận nghèo chuyển đổi sang trồng rau sạch theo "
                "tiêu chuẩn VietGAP-https://vietgap.example.vn/tieu-chuan-rau-an-toan-2026"})
    assert sent.status_code == 201, sent.text
    assert api.post(f"{site.url}/api/consultation-comments/{sent.json()['id']}/publish", json={}).status_code == 200
    past = api.post(f"{site.url}/api/units/{UNIT}/consultation-imports", json={
        "title": "Dự thảo Kế hoạch phát triển du lịch cộng đồng năm trước", "field": "Du lịch",
        "description": "UBND đã lấy ý kiến Nhân dân về các điểm du lịch cộng đồng.",
        "opened_at": "2026-03-02T08:00:00+07:00", "closes_on": "2026-04-01",
        "summary_html": "<p>Đã nhận 2 ý kiến; tiếp thu ý kiến về hỗ trợ hộ dân làm dịch vụ lưu trú.</p>"})
    assert past.status_code == 201, past.text
    return {"open": opened.json()["path"], "closed": f"/{UNIT}/du-thao/{past.json()['id']}"}


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("which", ["list", "open", "closed"])
def test_on_a_phone_nothing_scrolls_sideways_and_every_target_is_big_enough(site, new_context, drafts, which, look):
    path = f"/{UNIT}/du-thao" if which == "list" else drafts[which]
    page = open_page(new_context, f"{site.url}{path}", LOOKS[look], **PHONE)
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, (f"{which}: the page is {scroll_width} px wide on a {width} px screen; "
                                   f"past the edge: {page.evaluate(OVERFLOWING)}")
    problems = page.evaluate(UNDERSIZED_TARGETS)
    assert not problems, f"{which}: targets under 44 × 44 px: {problems}"
    assert not (found := blocking_violations(page)), "\n".join(found)
    if which == "open":
        assert page.get_by_label("Nội dung góp ý").is_visible()


@pytest.mark.parametrize("look", LOOKS)
def test_a_refused_comment_names_each_field_and_stays_within_the_phone(site, new_context, drafts, look):
    page = open_page(new_context, f"{site.url}{drafts['open']}", LOOKS[look], **PHONE)
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill("khong-phai")
    page.get_by_role("button", name="Gửi ý kiến").click()
    page.wait_for_selector(".error-summary")
    summary = page.locator(".error-summary").inner_text()
    assert "Vui lòng nhập họ và tên." in summary and "không đúng định dạng" in summary
    assert page.get_by_label("Họ và tên").get_attribute("aria-invalid") == "true"
    scroll_width, width = page.evaluate(SCROLL)
    assert scroll_width <= width, f"past the edge: {page.evaluate(OVERFLOWING)}"
    assert not (found := blocking_violations(page)), "\n".join(found)
