"""Bad input is a clear 4xx naming the problem, never a 5xx: one test per case found by hand
(JSON too deep or with numbers too large, days at the ends of the calendar, lists where a
name belongs, versions beyond 8 bytes, an error on the CSV download)."""
import re

import pytest

from services.content.service import ContentService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN

ARTICLE = {"title": "Thừa Thiên Huế đẩy mạnh chính quyền điện tử", "body_html": "<p>Nội dung</p>"}
CALENDAR_ENDS = ["9999-12-31", "0001-01-01"]


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService


def send_json(client, path: str, body: bytes, method: str = "POST"):
    return client.simulate_request(method, path, body=body,
                                   headers={**PORTAL_ADMIN, "Content-Type": "application/json"})


def api_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json["error"]["status"] == status
    return response.json["error"]


def error_page(response, status: int) -> str:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return response.text


@pytest.fixture
def article(phu_mau) -> dict:
    created = phu_mau.client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN, json=ARTICLE)
    assert created.status_code == 201, created.text
    return created.json


# JSON bodies

@pytest.mark.parametrize("body", [b"[" * 3000 + b"]" * 3000, b'{"a":' * 2500 + b"1" + b"}" * 2500,
                                  b'{"title": ' + b"[" * 100 + b"]" * 100 + b"}"])
def test_json_nested_too_deep_is_a_400_saying_so(phu_mau, body):
    error = api_error(send_json(phu_mau.client, "/api/units/phu-mau/articles", body), 400)
    assert "nested" in error["message"]


def test_json_nested_a_few_levels_deep_reaches_the_service(phu_mau):
    body = b'{"title": "Tin", "body_html": "<p>x</p>", "cover": {"media_id": [[[[[["x"]]]]]]}}'
    error = api_error(send_json(phu_mau.client, "/api/units/phu-mau/articles", body), 422)
    assert "cover.media_id" in error["fields"]


@pytest.mark.parametrize("number", ["1" + "0" * 5000, "-" + "9" * 4301, str(2 ** 63), str(-2 ** 63 - 1)])
def test_an_integer_too_large_to_store_is_a_422_naming_its_field(phu_mau, number):
    body = ('{"slug": "phuong", "name": "Phường", "order": ' + number + "}").encode()
    error = api_error(send_json(phu_mau.client, "/api/levels", body), 422)
    assert list(error["fields"]) == ["order"]


def test_nan_and_infinity_are_not_json(phu_mau):
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        response = send_json(phu_mau.client, "/api/articles/x/royalty", b'{"points": ' + constant + b"}", "PUT")
        assert "not a JSON value" in api_error(response, 400)["message"]


def test_a_number_too_large_for_a_float_is_a_422_naming_its_field(phu_mau):
    response = send_json(phu_mau.client, "/api/articles/x/royalty", b'{"points": 1e400}', "PUT")
    assert list(api_error(response, 422)["fields"]) == ["points"]


def test_text_with_a_lone_surrogate_is_a_422_naming_its_field(phu_mau):
    body = b'{"title": "Tin \\ud800 m\\u1edbi", "body_html": "<p>x</p>"}'
    error = api_error(send_json(phu_mau.client, "/api/units/phu-mau/articles", body), 422)
    assert list(error["fields"]) == ["title"]


# Days, weeks and months at the ends of the calendar

@pytest.mark.parametrize("day", CALENDAR_ENDS)
def test_the_news_of_a_day_beyond_the_calendar_is_a_400_page(phu_mau, day):
    page = error_page(phu_mau.client.simulate_get(f"/phu-mau/tin-theo-ngay/{day}"), 400)
    assert "Ngày không hợp lệ" in page
    day, month, year = reversed(day.split("-"))
    error_page(phu_mau.client.simulate_get("/phu-mau/tin-theo-ngay", params={"ngay": f"{day}/{month}/{year}"}), 400)


@pytest.mark.parametrize("parameter", ["tu-ngay", "den-ngay"])
@pytest.mark.parametrize("day", CALENDAR_ENDS)
def test_a_document_search_beyond_the_calendar_names_the_date(phu_mau, parameter, day):
    page = error_page(phu_mau.client.simulate_get("/phu-mau/van-ban", params={parameter: day}), 422)
    assert 'id="loi-' + parameter in page


@pytest.mark.parametrize("parameter", ["from", "to"])
@pytest.mark.parametrize("day", CALENDAR_ENDS)
def test_a_search_beyond_the_calendar_names_the_date(phu_mau, parameter, day):
    query = {"q": "dịch vụ công", parameter: day}
    page = error_page(phu_mau.client.simulate_get("/tim-kiem", params=query), 422)
    assert re.search(f'<input [^>]*name="{parameter}" type="date" value="{day}"[^>]* aria-invalid="true"', page)
    assert parameter in api_error(phu_mau.client.simulate_get("/api/search", params=query), 422)["fields"]


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "9999-W52.ics"])
def test_a_schedule_week_beyond_the_calendar_is_a_400_page(phu_mau, week):
    page = error_page(phu_mau.client.simulate_get(f"/phu-mau/lich-cong-tac/{week}"), 400)
    assert "Tuần không hợp lệ" in page


def test_publishing_at_a_time_beyond_the_calendar_is_a_422(phu_mau, article):
    for step in ("submit", "approve"):
        article = phu_mau.client.simulate_post(f"/api/articles/{article['id']}/{step}", headers=PORTAL_ADMIN,
                                               json={"version": article["version"]}).json
    for at in ("9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"):
        response = phu_mau.client.simulate_post(f"/api/articles/{article['id']}/publish", headers=PORTAL_ADMIN,
                                                json={"version": article["version"], "at": at})
        assert "at" in api_error(response, 422)["fields"]
    assert phu_mau.client.simulate_get(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN).json["status"] == (
        "approved")


def test_a_royalty_month_beyond_the_calendar_is_no_address(phu_mau):
    for path in ("/api/units/phu-mau/royalties/9999-12", "/api/units/phu-mau/royalties/9999-12.csv"):
        api_error(phu_mau.client.simulate_get(path, headers=PORTAL_ADMIN), 404)


# Lists and numbers where a name or a version belongs

def test_granting_a_role_named_by_lists_is_a_422_naming_both(phu_mau):
    response = phu_mau.client.simulate_post("/api/users/admin/roles", headers=PORTAL_ADMIN,
                                            json={"unit": [], "role": []})
    assert set(api_error(response, 422)["fields"]) == {"unit", "role"}


def test_a_diff_between_versions_beyond_8_bytes_is_a_422(phu_mau, article):
    for first, second in ((1, 2 ** 64), (2 ** 63, 1)):
        response = phu_mau.client.simulate_get(f"/api/articles/{article['id']}/diff", headers=PORTAL_ADMIN,
                                               params={"from": first, "to": second})
        assert api_error(response, 422)["fields"]


def test_a_rollback_to_a_version_beyond_8_bytes_is_a_422(phu_mau, article):
    response = phu_mau.client.simulate_post(f"/api/articles/{article['id']}/rollback", headers=PORTAL_ADMIN,
                                            json={"to_version": 2 ** 64, "version": 1})
    assert "to_version" in api_error(response, 422)["fields"]
    response = phu_mau.client.simulate_post(f"/api/articles/{article['id']}/rollback", headers=PORTAL_ADMIN,
                                            json={"to_version": 2 ** 63 - 1, "version": 1})
    api_error(response, 404)


# The CSV download

@pytest.mark.parametrize("headers, unit, month, status", [
    ({}, "phu-mau", "2026-01", 401), ({"Authorization": "Bearer wrong"}, "phu-mau", "2026-01", 401),
    (PORTAL_ADMIN, "phu-mau", "2026-13", 404), (PORTAL_ADMIN, "khong-co", "2026-01", 404)])
def test_a_royalty_csv_that_cannot_be_made_is_a_json_error(phu_mau, headers, unit, month, status):
    response = phu_mau.client.simulate_get(f"/api/units/{unit}/royalties/{month}.csv", headers=headers)
    assert api_error(response, status)["message"]
    assert "content-disposition" not in response.headers


def test_a_royalty_csv_refused_to_an_author_is_a_json_403(phu_mau):
    author = phu_mau.client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": "tac-gia", "name": "Tác giả", "roles": {"phu-mau": ["author"]}})
    assert author.status_code == 201, author.text
    response = phu_mau.client.simulate_get("/api/units/phu-mau/royalties/2026-01.csv",
                                           headers={"Authorization": f"Bearer {author.json['token']}"})
    assert api_error(response, 403)["message"]
    assert "content-disposition" not in response.headers


def test_a_conditional_get_with_a_date_that_is_no_date_is_answered_as_if_unconditional(phu_mau):
    client = phu_mau.client
    assert client.simulate_get("/phu-mau").status_code == 200  # now a cached page
    for since in ("garbage", "Sun, 99 Foo 2026 25:61:61 GMT", ""):
        response = client.simulate_get("/phu-mau", headers={"If-Modified-Since": since})
        assert response.status_code == 200, since
