"""The ranking's, search's and subscriptions' routes held to the OpenAPI document, with all four
services behind the gateway: each real answer, success or error, fits what its operation says."""
import pytest

from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.api_answers import body_example, build, check
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.test_bad_input import api_error
from tests.gateway.test_ranking_pages import BODY, last_month, this_month
from tests.servers import wait_for

SOURCES = ("content", "ranking", "search", "notify")
UNIT_ROUTES = ("/api/units/{unit}/ranking", "/api/units/{unit}/visits", "/api/units/{unit}/visits/months")


@pytest.fixture
def portal_services():
    return ContentService, RankingService, SearchService, NotifyService


@pytest.fixture
def document(phu_mau):
    return build(phu_mau, ("/api/ranking", "/api/search", "/api/subscriptions"), SOURCES, UNIT_ROUTES)


def test_the_services_publish_no_two_schemas_by_one_name(phu_mau):
    seen = {}
    with phu_mau.pool.services() as services:
        for source in SOURCES:
            for name, schema in getattr(services, source).api_schemas().items():
                assert seen.setdefault(name, (source, schema)) == (source, schema) or seen[name][1] == schema, name


def unchanged(client, path: str) -> bool:
    answered = client.simulate_get(path)
    assert answered.status_code == 200, (path, answered.text)
    return client.simulate_get(path, headers={"If-None-Match": answered.headers["etag"]}).status_code == 304


def test_the_ranking_answers_as_documented(phu_mau, document):
    client = phu_mau.client
    publish(client, body_html=BODY)
    month = this_month()
    for path, template in ((f"/api/ranking/{month}", "/api/ranking/{month}"), ("/api/ranking", "/api/ranking"),
                           ("/api/ranking/criteria", "/api/ranking/criteria"),
                           ("/api/units/phu-mau/ranking", "/api/units/{unit}/ranking"),
                           ("/api/units/phu-mau/visits", "/api/units/{unit}/visits"),
                           ("/api/units/phu-mau/visits/months", "/api/units/{unit}/visits/months")):
        answered = client.simulate_get(path)
        assert answered.status_code == 200, (path, answered.text)
        check(document, "GET", template, answered)
        # The month in progress is rescored in the background as the article's events arrive, so
        # its answer (and ETag) may change once; a repeat with the last ETag is 304 when it settles.
        wait_for(lambda: unchanged(client, path), timeout=60, message=f"{path} answers 304 to its own ETag")

    recomputed = client.simulate_post(f"/api/ranking/{last_month()}/revisions", headers=PORTAL_ADMIN,
                                      json=body_example(document, "/api/ranking/{month}/revisions"))
    assert recomputed.status_code == 201, recomputed.text
    check(document, "POST", "/api/ranking/{month}/revisions", recomputed)
    frozen = client.simulate_get(f"/api/ranking/{last_month()}", params={"revision": 1})
    check(document, "GET", "/api/ranking/{month}", frozen)
    assert frozen.json["revision"] == 1 and frozen.json["provisional"] is False
    listed = client.simulate_get("/api/ranking")
    check(document, "GET", "/api/ranking", listed)
    assert [item["month"] for item in listed.json["items"]] == [last_month()]
    started = client.simulate_post("/api/ranking/rebuild", headers=PORTAL_ADMIN)
    check(document, "POST", "/api/ranking/rebuild", started)
    check(document, "GET", "/api/ranking/rebuild", client.simulate_get("/api/ranking/rebuild", headers=PORTAL_ADMIN))

    for method, path, template, body, status in (
            ("GET", "/api/ranking/2026-13", None, None, 404),  # no such month: no route
            ("GET", f"/api/ranking/{month}", "/api/ranking/{month}", None, 422),
            ("GET", "/api/units/khong-co/ranking", "/api/units/{unit}/ranking", None, 404),
            ("GET", "/api/units/phu-mau/ranking?month=abc", "/api/units/{unit}/ranking", None, 422),
            ("GET", "/api/ranking?sort=month", "/api/ranking", None, 422),
            ("POST", f"/api/ranking/{month}/revisions", "/api/ranking/{month}/revisions", {"reason": "Sớm"}, 422),
            ("POST", f"/api/ranking/{last_month()}/revisions", "/api/ranking/{month}/revisions", {"reason": ""}, 422),
            ("POST", "/api/ranking/rebuild", "/api/ranking/rebuild", None, 401)):
        path, _, query = path.partition("?")
        params = {"revision": "x"} if status == 422 and template == "/api/ranking/{month}" else None
        headers = PORTAL_ADMIN if method == "POST" and status != 401 else None
        answered = client.simulate_request(method, path, query_string=query or None, params=params, json=body,
                                           headers=headers)
        api_error(answered, status)
        if template:
            check(document, method, template, answered)


def test_search_and_suggestions_answer_as_documented(phu_mau, document):
    client = phu_mau.client
    publish(client, title="Hội nghị chuyển đổi số xã Phú Mậu", body_html=BODY)
    found = wait_for(lambda: (answer := client.simulate_get("/api/search", params={"q": "chuyen doi so"})).json[
        "total"] and answer, message="the article found")
    check(document, "GET", "/api/search", found)
    assert found.json["items"][0]["title"] == "Hội nghị chuyển đổi số xã Phú Mậu"
    filtered = client.simulate_get("/api/search", params={"q": "hội nghị", "type": ["article", "document"],
                                                          "unit": "phu-mau", "sort": "date", "from": "2020-01-01"})
    check(document, "GET", "/api/search", filtered)
    assert filtered.json["filters"]["type"] == ["article", "document"]
    suggested = client.simulate_get("/api/search/suggest", params={"q": "hoi ng"})
    check(document, "GET", "/api/search/suggest", suggested)
    assert suggested.json["suggestions"][0]["path"].startswith("/phu-mau/tin-tuc/")
    for path, params, field in (("/api/search", {"q": ""}, "q"), ("/api/search", {"q": "x", "type": "video"}, "type"),
                                ("/api/search", {"q": "x", "sort": "title"}, "sort"),
                                ("/api/search", {"q": "x", "limit": "51"}, "limit"),
                                ("/api/search", {"q": "x", "from": "2026-02-30"}, "from"),
                                ("/api/search/suggest", {"q": "x", "limit": "21"}, "limit")):
        refused = client.simulate_get(path, params=params)
        assert field in api_error(refused, 422)["fields"], (path, params)
        check(document, "GET", path, refused)


def test_subscribing_answers_as_documented(phu_mau, document):
    client = phu_mau.client
    example = body_example(document, "/api/subscriptions")
    subscribed = client.simulate_post("/api/subscriptions", json=example)
    assert subscribed.status_code == 202, subscribed.text
    check(document, "POST", "/api/subscriptions", subscribed)
    assert subscribed.json == {"email": example["email"], "unit": "phu-mau", "status": "pending"}
    for body, status in (({"email": "khong-phai-email", "unit": "phu-mau"}, 422), ({"email": example["email"]}, 422),
                         ({"email": example["email"], "unit": "khong-co"}, 404)):
        refused = client.simulate_post("/api/subscriptions", json=body)
        api_error(refused, status)
        check(document, "POST", "/api/subscriptions", refused)
