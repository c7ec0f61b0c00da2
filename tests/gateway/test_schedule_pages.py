"""Leadership schedules on the site: the week page, its leader filter and iCalendar download."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.drive import acting

WEEK = "2026-W48"  # Monday 23/11/2026 to Sunday 29/11/2026
CHAIRMAN = "Chủ tịch UBND xã Nguyễn Văn An"
VICE = "Phó Chủ tịch UBND xã Trần Thị Bình"
ENTRIES = [
    {"start": "2026-11-23T07:30", "end": "2026-11-23T09:00", "leader": CHAIRMAN, "title": "Họp giao ban đầu tuần",
     "location": "Hội trường UBND xã", "participants": "Lãnh đạo các ban ngành"},
    {"start": "2026-11-25T14:00", "leader": VICE, "title": "Kiểm tra công trình giao thông nông thôn",
     "location": "Thôn Diên Đại"},
    {"start": "2026-11-29T08:00", "leader": CHAIRMAN, "title": "Dự lễ ra quân vệ sinh môi trường"},
]


@pytest.fixture
def week(phu_mau):
    with phu_mau.pool.services() as services:
        services.content.create_schedule(acting(phu_mau.admin), "phu-mau", WEEK, {"entries": ENTRIES})
        services.content.publish_schedule(acting(phu_mau.admin), "phu-mau", WEEK)
    return phu_mau.client


def day_section(page: str, day: str) -> str:
    match = re.search(rf'<section class="schedule-day" aria-labelledby="ngay-{day}">(.*?)</section>', page, re.S)
    assert match, f"no section for {day}"
    return match.group(1)


def test_the_week_shows_every_day_with_time_leader_content_and_place(week):
    page = week.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}")
    assert page.status_code == 200
    assert "<h1>Lịch công tác tuần 48 năm 2026</h1>" in page.text
    headings = re.findall(r'<h2 id="ngay-[^"]+">([^<]+)</h2>', page.text)
    assert headings == ["Thứ Hai, 23/11/2026", "Thứ Ba, 24/11/2026", "Thứ Tư, 25/11/2026", "Thứ Năm, 26/11/2026",
                        "Thứ Sáu, 27/11/2026", "Thứ Bảy, 28/11/2026", "Chủ Nhật, 29/11/2026"]
    monday = day_section(page.text, "2026-11-23")
    assert ">07:30</time> – <time" in monday and ">09:00</time>" in monday
    assert "Họp giao ban đầu tuần" in monday and CHAIRMAN in monday and "Hội trường UBND xã" in monday
    assert "Lãnh đạo các ban ngành" in monday
    wednesday = day_section(page.text, "2026-11-25")
    assert ">14:00</time>" in wednesday and VICE in wednesday and "Thôn Diên Đại" in wednesday
    assert "Không có lịch." in day_section(page.text, "2026-11-24")
    assert "Dự lễ ra quân" in day_section(page.text, "2026-11-29")
    # Neighbouring weeks, this week, the published weeks and the calendar file.
    assert 'href="/phu-mau/lich-cong-tac/2026-W47" rel="prev"' in page.text
    assert 'href="/phu-mau/lich-cong-tac/2026-W49" rel="next"' in page.text
    assert f'href="/phu-mau/lich-cong-tac/{WEEK}" aria-current="page">Tuần 48/2026</a>' in page.text
    assert f'href="/phu-mau/lich-cong-tac/{WEEK}.ics"' in page.text


def test_the_leader_filter_keeps_one_leaders_entries_in_every_link(week):
    page = week.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}", params={"lanh-dao": VICE})
    assert page.status_code == 200
    assert "Kiểm tra công trình giao thông nông thôn" in page.text
    assert "Họp giao ban đầu tuần" not in page.text and "Dự lễ ra quân" not in page.text
    assert f'<option value="{VICE}" selected>' in page.text and f'<option value="{CHAIRMAN}">' in page.text
    assert 'href="/phu-mau/lich-cong-tac/2026-W49?lanh-dao=Ph%C3%B3+Ch%E1%BB%A7' in page.text
    calendar = week.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}.ics", params={"lanh-dao": VICE})
    assert calendar.text.count("BEGIN:VEVENT") == 1

    nobody = week.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}", params={"lanh-dao": "Không có ai"})
    assert nobody.status_code == 200 and "không có lịch công tác của Không có ai" in nobody.text


def test_the_calendar_download_holds_every_entry(week):
    response = week.simulate_get(f"/phu-mau/lich-cong-tac/{WEEK}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert f"lich-cong-tac-phu-mau-{WEEK}.ics" in response.headers["content-disposition"]
    assert response.text.startswith("BEGIN:VCALENDAR") and response.text.count("BEGIN:VEVENT") == 3
    assert "SUMMARY:Họp giao ban đầu tuần" in response.text
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20261123T073000" in response.text


def test_the_schedule_address_goes_to_this_week_in_vietnam_and_is_never_cached(phu_mau):
    response = phu_mau.client.simulate_get("/phu-mau/lich-cong-tac")
    year, number, _ = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).isocalendar()
    assert response.status_code == 302
    assert response.headers["location"] == f"/phu-mau/lich-cong-tac/{year}-W{number:02d}"
    assert response.headers["cache-control"] == "no-store"
    assert phu_mau.client.simulate_get("/khong-co/lich-cong-tac").status_code == 404


def test_a_week_without_a_schedule_says_so_and_still_links_its_neighbours(week):
    page = week.simulate_get("/phu-mau/lich-cong-tac/2026-W50")
    assert page.status_code == 200
    assert "Chưa có lịch công tác được đăng cho tuần này." in page.text
    assert 'href="/phu-mau/lich-cong-tac/2026-W49" rel="prev"' in page.text
    assert 'href="/phu-mau/lich-cong-tac/2026-W51" rel="next"' in page.text
    assert "Từ Thứ Hai, 07/12/2026 đến Chủ Nhật, 13/12/2026" in page.text


@pytest.mark.parametrize("path", ["2026-W60", "abc", "2026-W00", "abc.ics", "2026-W60.ics"])
def test_a_week_that_does_not_exist_is_a_400_page_that_says_why(phu_mau, path):
    page = phu_mau.client.simulate_get(f"/phu-mau/lich-cong-tac/{path}")
    assert page.status_code == 400
    assert "<h1>Tuần không hợp lệ</h1>" in page.text
    assert f"Không có tuần “{path.removesuffix('.ics')}”" in page.text and "ví dụ" in page.text
    assert "Traceback" not in page.text
