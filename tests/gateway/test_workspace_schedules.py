"""The leadership schedule's week grid: next week from last week's in one copy, one change
saved, published by the editor-in-chief and on the unit's site; refused input named in
Vietnamese with what was typed kept."""
from datetime import date, timedelta

import pytest

from gateway.vietnam_time import this_week, week_name
from services.content.service import ContentService
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import Desk, staffed
from tests.gateway.workspace_forms import form_fields
from tests.servers import wait_for

PORTAL_SERVICES = (ContentService,)  # the workspace needs content alone

THIS_WEEK, MONDAY = this_week()
NEXT_WEEK = week_name(MONDAY + timedelta(days=7))
GRID = f"/quan-tri/phu-mau/lich-cong-tac/{NEXT_WEEK}"


def at(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}:00+07:00"


@pytest.fixture
def board(phu_mau):
    """The board of Xã Phú Mậu, and this week's schedule to copy from."""
    staffed(phu_mau.client)
    made = phu_mau.client.simulate_put(f"/api/units/phu-mau/schedules/{THIS_WEEK}/draft", headers=PORTAL_ADMIN, json={
        "entries": [
            {"start": at(MONDAY, "07:30"), "end": at(MONDAY, "09:00"), "leader": "Chủ tịch UBND xã Nguyễn Văn An",
             "title": "Giao ban lãnh đạo UBND xã", "location": "Hội trường UBND xã"},
            {"start": at(MONDAY + timedelta(days=2), "14:00"), "leader": "Phó Chủ tịch UBND xã Trần Thị Bình",
             "title": "Kiểm tra tiến độ xây dựng nông thôn mới", "location": "Thôn Lương Viện"},
        ]})
    assert made.status_code == 201, made.text
    return phu_mau


def row_key(fields: dict, title: str) -> str:
    return next(name.split(".")[0] for name, value in fields.items() if name.endswith(".title") and value == title)


def test_next_week_is_last_weeks_copy_with_one_change_published_in_four_pages(board):
    desk = Desk(board.client)
    desk.sign_in("tong-bien-tap")
    pages = []
    pages.append(desk.get(GRID))
    assert pages[-1].status_code == 200 and "Tuần này chưa có lịch" in pages[-1].text
    pages.append(desk.post(f"{GRID}/sao-chep", form_fields(desk.last.text, f"{GRID}/sao-chep")))
    assert pages[-1].status_code == 200, pages[-1].text
    assert "Đã sao chép lịch tuần trước" in pages[-1].text and "Giao ban lãnh đạo UBND xã" in pages[-1].text
    fields = form_fields(desk.last.text, GRID)
    fields[f"{row_key(fields, 'Giao ban lãnh đạo UBND xã')}.location"] = "Phòng họp tầng 2, UBND xã"
    pages.append(desk.post(GRID, fields))
    assert pages[-1].status_code == 200 and "Đã lưu lịch tuần" in pages[-1].text
    pages.append(desk.post(f"{GRID}/dang", form_fields(desk.last.text, f"{GRID}/dang")))
    assert pages[-1].status_code == 200 and "Đã đăng lịch tuần" in pages[-1].text
    assert len(pages) == 4

    public = wait_for(lambda: (page := board.client.simulate_get(f"/phu-mau/lich-cong-tac/{NEXT_WEEK}")).status_code
                      == 200 and "Phòng họp tầng 2, UBND xã" in page.text and page, timeout=30,
                      message="the published week on the unit's site")
    assert "Kiểm tra tiến độ xây dựng nông thôn mới" in public.text
    assert "Hội trường UBND xã" not in public.text


def test_the_editor_saves_and_the_editor_in_chief_publishes(board):
    editor = Desk(board.client)
    editor.sign_in("bien-tap")
    editor.get(GRID)
    editor.post(f"{GRID}/sao-chep", form_fields(editor.last.text, f"{GRID}/sao-chep"))
    fields = form_fields(editor.last.text, GRID)
    key = row_key(fields, "Kiểm tra tiến độ xây dựng nông thôn mới")
    fields[f"{key}.start"] = "8h"
    saved = editor.post(GRID, fields)
    assert saved.status_code == 200 and "Đã lưu lịch tuần" in saved.text
    assert 'value="08:00"' in saved.text
    assert f"{GRID}/dang" not in saved.text  # an editor may not publish: no such button

    chief = Desk(board.client)
    chief.sign_in("tong-bien-tap")
    chief.get(GRID)
    published = chief.post(f"{GRID}/dang", form_fields(chief.last.text, f"{GRID}/dang"))
    assert published.status_code == 200 and "Đã đăng lịch tuần" in published.text
    week = board.client.simulate_get(f"/api/units/phu-mau/schedules/{NEXT_WEEK}").json
    assert [entry["start"][11:16] for entry in week["entries"]] == ["07:30", "08:00"]


def test_a_new_entry_from_an_empty_row_and_one_removed(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get(GRID)
    desk.post(f"{GRID}/sao-chep", form_fields(desk.last.text, f"{GRID}/sao-chep"))
    fields = form_fields(desk.last.text, GRID)
    fields[f"{row_key(fields, 'Giao ban lãnh đạo UBND xã')}.remove"] = "1"
    blank = next(name.split(".")[0] for name, value in fields.items()
                 if name.endswith(".title") and not value and not fields[name.replace("title", "id")])
    fields.update({f"{blank}.start": "15:00", f"{blank}.leader": "Chủ tịch UBND xã Nguyễn Văn An",
                   f"{blank}.title": "Tiếp công dân định kỳ"})
    assert desk.post(GRID, fields).status_code == 200
    draft = board.client.simulate_get(f"/api/units/phu-mau/schedules/{NEXT_WEEK}/draft", headers=PORTAL_ADMIN).json
    assert sorted(entry["title"] for entry in draft["entries"]) == ["Kiểm tra tiến độ xây dựng nông thôn mới",
                                                                    "Tiếp công dân định kỳ"]


def test_a_refused_entry_is_named_in_vietnamese_and_nothing_is_saved(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get(GRID)
    desk.post(f"{GRID}/sao-chep", form_fields(desk.last.text, f"{GRID}/sao-chep"))
    fields = form_fields(desk.last.text, GRID)
    key = row_key(fields, "Giao ban lãnh đạo UBND xã")
    fields.update({f"{key}.end": "06:00", f"{key}.location": "Nhà văn hóa thôn Lại Thế"})
    refused = desk.post(GRID, fields)
    assert refused.status_code == 422
    assert "<title>Lỗi: " in refused.text
    assert "Giờ kết thúc phải sau giờ bắt đầu" in refused.text
    assert "Nhà văn hóa thôn Lại Thế" in refused.text  # what was typed is kept
    draft = board.client.simulate_get(f"/api/units/phu-mau/schedules/{NEXT_WEEK}/draft", headers=PORTAL_ADMIN).json
    assert "Nhà văn hóa thôn Lại Thế" not in str(draft)


def test_a_stale_save_keeps_what_was_typed(board):
    first, second = Desk(board.client), Desk(board.client)
    first.sign_in("bien-tap")
    second.sign_in("tong-bien-tap")
    first.get(GRID)
    first.post(f"{GRID}/sao-chep", form_fields(first.last.text, f"{GRID}/sao-chep"))
    second.get(GRID)
    theirs = form_fields(second.last.text, GRID)
    theirs[f"{row_key(theirs, 'Giao ban lãnh đạo UBND xã')}.location"] = "Phòng tiếp dân"
    assert second.post(GRID, theirs).status_code == 200
    mine = form_fields(first.last.text, GRID)
    mine[f"{row_key(mine, 'Giao ban lãnh đạo UBND xã')}.location"] = "Sân vận động xã"
    stale = first.post(GRID, mine)
    assert stale.status_code == 409
    assert "vừa được người khác lưu" in stale.text and "Sân vận động xã" in stale.text
    again = first.post(GRID, form_fields(stale.text, GRID))  # saving again is a choice made knowing
    assert again.status_code == 200 and "Sân vận động xã" in again.text


def test_copying_onto_a_week_with_entries_needs_the_box_ticked(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get(GRID)
    desk.post(f"{GRID}/sao-chep", form_fields(desk.last.text, f"{GRID}/sao-chep"))
    refused = desk.post(f"{GRID}/sao-chep", form_fields(desk.last.text, f"{GRID}/sao-chep"))
    assert refused.status_code == 409 and "Thay thế các mục đang có" in refused.text
    replaced = desk.post(f"{GRID}/sao-chep", {**form_fields(desk.last.text, f"{GRID}/sao-chep"), "replace": "1"})
    assert replaced.status_code == 200 and "Đã sao chép lịch tuần trước" in replaced.text


def test_a_week_without_a_week_before_to_copy_says_so(board):
    far = week_name(MONDAY + timedelta(days=70))
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get(f"/quan-tri/phu-mau/lich-cong-tac/{far}")
    refused = desk.post(f"/quan-tri/phu-mau/lich-cong-tac/{far}/sao-chep", {"version": ""})
    assert refused.status_code == 422 and "Tuần trước chưa có lịch để sao chép" in refused.text


def test_a_save_without_its_form_token_is_refused_with_the_fields_kept(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    desk.get(GRID)
    fields = form_fields(desk.last.text, GRID)
    blank = next(name.split(".")[0] for name in fields if name.endswith(".title"))
    fields.update({f"{blank}.start": "09:00", f"{blank}.leader": "Chủ tịch UBND xã Nguyễn Văn An",
                   f"{blank}.title": "Họp Ban chỉ đạo chuyển đổi số"})
    refused = desk.post(GRID, fields, token="")
    assert refused.status_code == 403
    assert "Biểu mẫu đã hết hạn" in refused.text and "Họp Ban chỉ đạo chuyển đổi số" in refused.text
    missing = board.client.simulate_get(f"/api/units/phu-mau/schedules/{NEXT_WEEK}/draft", headers=PORTAL_ADMIN)
    assert missing.status_code == 404


def test_the_week_is_chosen_by_name_and_an_author_may_not_edit_it(board):
    desk = Desk(board.client)
    desk.sign_in("bien-tap")
    chosen = desk.get(f"/quan-tri/phu-mau/lich-cong-tac?tuan={NEXT_WEEK}")
    assert chosen.status_code == 200 and f'value="{NEXT_WEEK}"' in chosen.text
    assert desk.get("/quan-tri/phu-mau/lich-cong-tac/2026-W99").status_code == 404
    author = Desk(board.client)
    author.sign_in("tac-gia")
    assert author.get(GRID).status_code == 403
