"""The notify service's emails per day for the province's operators: the workspace page "Thư điện
tử gửi đi" and GET /api/email-figures, for platform admins only, showing what notify recorded
in its own database as it sent (services/notify/refusals.py)."""
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from gateway.templating import vn_day
from gateway.vietnam_time import today
from services.content.service import ContentService
from services.notify.refusals import Refusals
from services.notify.service import NotifyService
from tests.gateway.api_documented import user
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.workspace_desk import PASSWORD, Desk, signed_in

PORTAL_SERVICES = (ContentService, NotifyService)
PAGE = "/quan-tri/thu-dien-tu"
API = "/api/email-figures"
MENU_LINK = f'href="{PAGE}">Thư điện tử gửi đi</a>'


class _TableBody(HTMLParser):
    """The rows of a page's table body, each as its cells' text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows(page) -> list[list[str]]:
    """[day, sent, refused, bounce rate, level] per day, newest first, as the page shows them."""
    table = _TableBody()
    table.feed(page.text)
    return table.rows


@pytest.fixture
def refusals(mongo_client, portal_settings) -> Refusals:
    """Notify's own record of each day's emails, counted the way its sending counts them."""
    return Refusals(mongo_client[portal_settings.NOTIFY_DB])


@pytest.fixture
def operator(board) -> Desk:
    """A platform admin of the province's IT centre, signed in to the workspace."""
    made = board.client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": "van-hanh", "name": "Trung tâm CNTT tỉnh", "platform_admin": True, "password": PASSWORD})
    assert made.status_code == 201, made.text
    return signed_in(board.client, "van-hanh")


def test_a_stranger_is_sent_to_sign_in_and_a_board_member_is_refused_in_vietnamese(board):
    answered = Desk(board.client).get(PAGE, follow=False)
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/quan-tri/dang-nhap?tiep={PAGE}"

    unit_admin = signed_in(board.client, "quan-tri-xa")
    assert MENU_LINK not in unit_admin.get("/quan-tri/phu-mau").text
    refused = unit_admin.get(PAGE)
    assert refused.status_code == 403
    assert "Không có quyền truy cập" in refused.text and "Bình thường" not in refused.text


def test_the_operator_reads_each_days_emails_with_the_thresholds_marked_in_words(operator, refusals):
    assert MENU_LINK in operator.get("/quan-tri").text
    empty = operator.get(PAGE)
    assert empty.status_code == 200 and empty.headers["cache-control"] == "no-store"
    assert [row[0] for row in rows(empty)] == [vn_day(today() - timedelta(days=back)) for back in range(7)]
    assert {tuple(row[1:]) for row in rows(empty)} == {("0", "0", "0 %", "Bình thường")}
    assert "Cảnh báo</strong> từ 5 %" in empty.text and "Tạm ngừng</strong> từ 10 %" in empty.text

    refusals.count("sent", 1900)
    refusals.count("refused", 100)
    assert rows(operator.get(PAGE))[0] == [vn_day(today()), "1.900", "100", "5 %", "Cảnh báo"]

    refusals.count("refused", 150)
    shown = rows(operator.get(PAGE))
    assert shown[0] == [vn_day(today()), "1.900", "250", "11,6 %", "Tạm ngừng"]
    assert {tuple(row[1:]) for row in shown[1:]} == {("0", "0", "0 %", "Bình thường")}

    for days in (7, 30, 90):
        chosen = operator.get(f"{PAGE}?ngay={days}")
        assert chosen.status_code == 200 and len(rows(chosen)) == days
        assert f'href="{PAGE}?ngay={days}" aria-current="page"' in chosen.text
        assert rows(chosen)[-1][0] == vn_day(today() - timedelta(days=days - 1))


@pytest.mark.parametrize("asked", ["14", "0", "-7", "7.5", "bay", "<b>90</b>"])
def test_a_span_the_page_does_not_offer_is_a_vietnamese_400_naming_it(operator, asked):
    refused = operator.get(f"{PAGE}?ngay={asked.replace('<', '%3C').replace('>', '%3E')}")
    assert refused.status_code == 400
    assert "Số ngày không hợp lệ" in refused.text and "Tham số “ngay”" in refused.text
    assert f"“{asked.replace('<', '&lt;').replace('>', '&gt;')}”" in refused.text
    assert "Chỉ xem được 7, 30 hoặc 90 ngày gần nhất" in refused.text and rows(refused) == []
    assert f'href="{PAGE}?ngay=30"' in refused.text  # the choices, to go on from


def test_the_api_answers_the_figures_notify_recorded_to_a_platform_admin_only(board, refusals):
    client = board.client
    refusals.count("sent", 3)
    refusals.count("refused")

    answered = client.simulate_get(API, headers=PORTAL_ADMIN)
    assert answered.status_code == 200, answered.text
    assert len(answered.json["days"]) == 7 and (answered.json["warn_at"], answered.json["suspend_at"]) == (0.05, 0.10)
    assert answered.json["days"][-1] == {"date": today().isoformat(), "sent": 3, "refused": 1, "bounce_rate": 0.25}
    three = client.simulate_get(API, params={"days": "3"}, headers=PORTAL_ADMIN).json
    assert three["days"] == answered.json["days"][-3:]
    assert len(client.simulate_get(API, params={"days": "90"}, headers=PORTAL_ADMIN).json["days"]) == 90

    assert client.simulate_get(API).status_code == 401
    editor = user(client, "bien-tap-api", "phu-mau", "editor")
    refused = client.simulate_get(API, headers=editor)
    assert refused.status_code == 403 and refused.json["error"]["status"] == 403
    assert client.simulate_get(API, params={"days": "0"}, headers=editor).status_code == 403  # permission first


@pytest.mark.parametrize("days", ["0", "91", "-1", "7.5", "bay", ""])
def test_a_span_outside_one_to_ninety_days_is_a_422_naming_days(board, days):
    refused = board.client.simulate_get(API, query_string=f"days={days}", headers=PORTAL_ADMIN)
    assert refused.status_code == 422, refused.text
    assert set(refused.json["error"]["fields"]) == {"days"}


def test_reading_the_figures_changes_nothing(operator, board, refusals, mongo_client, portal_settings):
    refusals.count("sent", 5)
    figures = mongo_client[portal_settings.NOTIFY_DB]["daily_figures"]
    before = list(figures.find())
    operator.get(PAGE)
    operator.get(f"{PAGE}?ngay=90")
    operator.get(f"{PAGE}?ngay=khac")
    board.client.simulate_get(API, params={"days": "90"}, headers=PORTAL_ADMIN)
    assert list(figures.find()) == before
    assert rows(operator.get(PAGE))[0][1] == "5"
