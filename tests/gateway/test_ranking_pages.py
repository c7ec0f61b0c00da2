"""The monthly ranking for everyone: this month's tables by level, sorted by links without script,
a month as CSV for Excel, a recomputed month with its earlier revisions, a unit's score explained
with its charts beside their tables, the rank on the unit's home, and Vietnamese error pages."""
import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.content.service import ContentService
from services.ranking.service import RankingService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.servers import wait_for

# A real article: the ranking counts only bodies of 80 words or more.
BODY = "<p>" + " ".join(["Ủy ban nhân dân xã triển khai kế hoạch chuyển đổi số năm 2026."] * 12) + "</p>"
READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}


def this_month() -> str:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")


def last_month() -> str:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def shown(month: str) -> str:
    return f"{month[5:]}/{month[:4]}"


def standing(client, unit: str) -> dict:
    response = client.simulate_get(f"/api/units/{unit}/ranking")
    assert response.status_code == 200, response.text
    return response.json


@pytest.fixture
def portal_services(request):
    return getattr(request, "param", (ContentService, RankingService))


@pytest.fixture
def ranked(phu_mau):
    """Two communes: Xã Phú Mậu publishes three articles this month, Thị trấn Phú Đa nothing."""
    client = phu_mau.client
    created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    for number in range(3):
        publish(client, title=f"Tin chuyển đổi số số {number + 1}", body_html=BODY, summary="Tóm tắt tin.")
    wait_for(lambda: standing(client, "phu-mau")["score"] > standing(client, "phu-da")["score"],
             message="Phú Mậu ranked above Phú Đa")
    return client


def level_rows(page: str, caption_start: str) -> list[str]:
    """The unit names of the table whose caption starts with `caption_start`, in order."""
    table = re.search(rf"<caption>{caption_start}.*?</table>", page, re.S)
    assert table, f"no table {caption_start!r}"
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table.group(0))


def test_this_months_tables_by_level_with_rank_score_change_and_links(ranked):
    page = ranked.simulate_get("/xep-hang")
    assert page.status_code == 200, page.text
    text = page.text
    assert f"Tháng {shown(this_month())}" in text and "Tạm tính" in text
    assert "<caption>Xã: 2 đơn vị, tháng " in text and "<caption>Tỉnh: 1 đơn vị" in text
    assert level_rows(text, "Xã") == ["Xã Phú Mậu", "Thị trấn Phú Đa"]
    score = standing(ranked, "phu-mau")["score"]
    assert f"{score:g}".replace(".", ",") + "/100" in text  # 72,5/100 as Vietnamese write it
    assert '<a href="/phu-mau/xep-hang">Xã Phú Mậu</a>' in text
    assert '<th scope="col" aria-sort="ascending"><a href="?sap-xep=hang">Hạng' in text
    assert "Mới<span class=\"visually-hidden\"> (tháng trước chưa xếp hạng)</span>" in text
    assert "Đơn vị bằng điểm cùng hạng, xếp theo tên." in text
    assert "Chưa có tháng nào được chốt." in text and "Tin tức, sự kiện" in text  # the criteria
    assert f'href="/xep-hang/{this_month()}.csv"' in text


def test_the_column_links_sort_every_table_without_script(ranked):
    month = f"/xep-hang/{this_month()}"
    by_name = ranked.simulate_get(month, params={"sap-xep": "ten"}).text
    assert level_rows(by_name, "Xã") == ["Thị trấn Phú Đa", "Xã Phú Mậu"]  # T before X
    assert 'aria-sort="ascending"><a href="?sap-xep=ten">Đơn vị' in by_name
    by_score = ranked.simulate_get(month, params={"sap-xep": "diem"}).text
    assert level_rows(by_score, "Xã") == ["Xã Phú Mậu", "Thị trấn Phú Đa"]
    assert 'aria-sort="descending"><a href="?sap-xep=diem">Điểm' in by_score
    unknown = ranked.simulate_get(month, params={"sap-xep": "xyz"}).text
    assert level_rows(unknown, "Xã") == ["Xã Phú Mậu", "Thị trấn Phú Đa"]  # by rank


def test_a_month_downloads_as_csv_that_excel_reads_in_vietnamese(ranked):
    response = ranked.simulate_get(f"/xep-hang/{this_month()}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f"xep-hang-{this_month()}.csv" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    headings, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert headings[:5] == ["Tháng", "Lần tính", "Tạm tính", "Cấp", "Hạng trong cấp"]
    assert "Lịch công tác" in headings and "Văn bản chỉ đạo, điều hành" in headings
    assert len(rows) == 3  # one for each unit
    phu_mau = next(row for row in rows if row[7] == "phu-mau")
    score = standing(ranked, "phu-mau")["score"]
    assert phu_mau[:10] == [this_month(), "", "có", "Xã", "1", "2", "1", "phu-mau", "Xã Phú Mậu", f"{score:g}"]
    news = phu_mau[headings.index("Tin tức, sự kiện")]
    assert len(phu_mau) == len(headings) and float(news) > 0


def test_a_recomputed_month_shows_its_latest_revision_says_why_and_links_the_earlier(ranked):
    month = last_month()
    for reason in ("Chốt bổ sung số liệu tháng trước", "Tính lại sau khi sửa lỗi đếm lịch công tác"):
        created = ranked.simulate_post(f"/api/ranking/{month}/revisions", headers=PORTAL_ADMIN, json={"reason": reason})
        assert created.status_code == 201, created.text
    latest = ranked.simulate_get(f"/xep-hang/{month}")
    assert latest.status_code == 200, latest.text
    assert f"<h1>Xếp hạng tháng {shown(month)}</h1>" in latest.text
    assert "Bảng đã được tính lại" in latest.text and "Tính lại sau khi sửa lỗi đếm lịch công tác" in latest.text
    assert f'href="/xep-hang/{month}?lan=1">Lần 1</a>' in latest.text
    earlier = ranked.simulate_get(f"/xep-hang/{month}", params={"lan": "1"})
    assert "Đây là lần tính 1" in earlier.text and f'href="/xep-hang/{month}">Xem lần tính mới nhất' in earlier.text
    assert f'href="/xep-hang/{month}">Tháng {shown(month)}</a>' in ranked.simulate_get("/xep-hang").text
    before_its_site = ranked.simulate_get("/phu-mau/xep-hang", params={"thang": month})
    assert f"Xã Phú Mậu chưa có trong bảng xếp hạng tháng {shown(month)}." in before_its_site.text


def test_a_units_score_explained_with_its_charts_beside_tables_of_their_figures(ranked):
    ranked.simulate_get("/phu-mau", headers=READER)  # a visit today
    page = ranked.simulate_get("/phu-mau/xep-hang")
    assert page.status_code == 200, page.text
    text = page.text
    assert "<h1>Xếp hạng trang thông tin điện tử của Xã Phú Mậu</h1>" in text
    assert re.search(r'<th scope="row">Tin tức, sự kiện</th><td>3/\d+ tin bài</td><td class="number">[\d,]+/25</td>',
                     text)
    assert "Để được thêm điểm" in text and "Lịch công tác" in text
    assert 'href="/phu-mau/tin-tuc/' in text  # the articles counted, as evidence
    charts = re.findall(r"<svg [^>]*>", text)
    assert len(charts) == 2 and all('role="img"' in svg and "aria-label=" in svg for svg in charts)
    assert "<style" not in text and "<script" not in text  # the Content-Security-Policy forbids them
    assert '<table class="history-table">' in text and '<table class="visits-table">' in text
    assert "Tổng lượt khách theo ngày" in text
    assert "<caption>Điểm của Xã Phú Mậu 1 tháng gần đây</caption>" in text


def test_the_units_home_shows_its_rank_this_month(ranked):
    home = ranked.simulate_get("/phu-mau")
    assert home.status_code == 200
    assert (f'<a href="/phu-mau/xep-hang">Xếp hạng tháng {shown(this_month())} (tạm tính): 1/2 xã</a>'
            in home.text)
    assert 'href="/xep-hang"' in ranked.simulate_get("/").text


def test_a_month_that_is_no_page_is_a_vietnamese_404(phu_mau):
    next_year = str(int(this_month()[:4]) + 1)
    for path in ("/xep-hang/2026-13", "/xep-hang/abc", f"/xep-hang/{next_year}-01", "/xep-hang/2000-01",
                 "/xep-hang/1999-12", "/xep-hang/abc.csv", f"/xep-hang/{this_month()}?lan=x", "/khong-co/xep-hang",
                 "/phu-mau/xep-hang?thang=2026-13"):
        page = phu_mau.client.simulate_get(path)
        assert page.status_code == 404, (path, page.status_code)
        assert page.headers["content-type"].startswith("text/html") and "Không tìm thấy trang" in page.text, path


@pytest.mark.parametrize("portal_services", [(ContentService,)], indirect=True)
def test_without_the_ranking_service_its_pages_are_a_503_and_the_units_home_is_served(phu_mau):
    client = phu_mau.client
    for path in ("/xep-hang", f"/xep-hang/{this_month()}", "/phu-mau/xep-hang"):
        page = client.simulate_get(path)
        assert page.status_code == 503 and "Tạm thời gián đoạn" in page.text, path
    home = client.simulate_get("/phu-mau")
    assert home.status_code == 200 and "Xã Phú Mậu" in home.text and "Xếp hạng tháng" not in home.text
