"""News through the JSON API, held to its OpenAPI document: every answer here, success or error,
is checked against the schema the document gives for its route and status, and every documented
body example is sent and accepted. Published articles and categories are open, paged, filtered
and sorted as every list is; the editorial board's list, each workflow step, revisions, diffs,
rollbacks, royalty points and the month's royalties need a token, and another unit's editor is
refused (403) without anything written. The real content and ranking services."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import jsonschema_rs
import pytest

from tests.gateway.api_documented import Documented, documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN, publish

# The routes this file holds to the document.
NEWS_ROUTES = re.compile(r"^/api/(articles|units/\{unit\}/(articles|editorial/articles|categories|royalties))")


@pytest.fixture
def contract(phu_mau) -> Documented:
    return documented(phu_mau, NEWS_ROUTES)


@pytest.fixture
def outsider(phu_mau) -> dict:
    """The headers of Phú Đa's editor-in-chief: no role in Phú Mậu."""
    second_commune(phu_mau.client)
    return user(phu_mau.client, "bien-tap-phu-da", "phu-da", "editor_in_chief")


def check(contract: Documented, response, method: str, template: str):
    """`response`, once it is found to be what the document promises."""
    contract.check(template, method, response)
    return response


def example(contract: Documented, name: str, **overrides) -> dict:
    """The first documented example of the body `name`, with `overrides`; checked against its schema."""
    schema = contract.document["components"]["schemas"][name]
    body = {**contract.examples(name)[0], **overrides}
    jsonschema_rs.validator_for({**schema, "components": contract.document["components"]}).validate(body)
    return body


def error(contract: Documented, response, method: str, path: str, status: int) -> dict:
    assert response.status_code == status, response.text
    check(contract, response, method, path)
    return response.json["error"]


def test_an_article_goes_through_every_step_with_the_documented_examples(phu_mau, contract):
    client = phu_mau.client
    def checked(response, method: str, template: str):
        return check(contract, response, method, template)

    category = checked(client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                            json=example(contract, "CategoryInput")),
                       "post", "/api/units/{unit}/categories")
    assert category.status_code == 201 and category.json["version"] == 1
    renamed = checked(client.simulate_put(f"/api/units/phu-mau/categories/{category.json['slug']}",
                                          headers=PORTAL_ADMIN, json=example(contract, "CategoryChange")),
                      "put", "/api/units/{unit}/categories/{category}")
    assert renamed.status_code == 200 and renamed.json["name"] == "Tin tức địa phương"

    created = checked(client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                         json=example(contract, "ArticleInput")), "post", "/api/units/{unit}/articles")
    assert created.status_code == 201 and created.json["status"] == "draft"
    article_path = f"/api/articles/{created.json['id']}"
    article = checked(client.simulate_put(article_path, headers=PORTAL_ADMIN, json=example(contract, "ArticleChange")),
                    "put", "/api/articles/{article_id}").json
    assert article["version"] == 2 and article["title"].endswith("năm 2026")
    read = checked(client.simulate_get(article_path, headers=PORTAL_ADMIN), "get", "/api/articles/{article_id}")
    assert read.json == article

    steps = [("submit", "StepVersion", "submitted"), ("reject", "StepComment", "draft"),
             ("submit", "StepVersion", "submitted"), ("approve", "StepVersion", "approved"),
             ("publish", "PublishOptions", "approved"),  # at a later time: still approved, until then
             ("force-publish", "StepComment", "published"),
             ("unpublish", "PublishOptions", "published"),  # later: still published, until then
             ("archive", "StepVersion", "archived")]
    for step, body, status in steps:
        moved = client.simulate_post(f"{article_path}/{step}", headers=PORTAL_ADMIN,
                                     json=example(contract, body, version=article["version"]))
        article = checked(moved, "post", f"/api/articles/{{article_id}}/{step}").json
        assert moved.status_code == 200 and article["status"] == status, (step, moved.text)
    assert article["publish_at"] is None and article["unpublish_at"] is None and article["review_comment"]

    revisions = checked(client.simulate_get(f"{article_path}/revisions", headers=PORTAL_ADMIN, params={"limit": 3}),
                      "get", "/api/articles/{article_id}/revisions").json
    assert [revision["version"] for revision in revisions["items"]] == [1, 2, 3] and revisions["next"]
    last = checked(client.simulate_get(revisions["next"], headers=PORTAL_ADMIN),
                 "get", "/api/articles/{article_id}/revisions").json
    assert last["items"][0]["version"] == 4 and last["previous"]
    diff = checked(client.simulate_get(f"{article_path}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2}),
                 "get", "/api/articles/{article_id}/diff").json
    assert diff["from"] == 1 and diff["to"] == 2 and set(diff["fields"]) == {"title"}

    restored = checked(client.simulate_post(f"{article_path}/rollback", headers=PORTAL_ADMIN,
                                          json=example(contract, "Rollback", version=article["version"])),
                     "post", "/api/articles/{article_id}/rollback").json
    assert restored["title"] == example(contract, "ArticleInput")["title"] and restored["status"] == "archived"
    points = checked(client.simulate_put(f"{article_path}/royalty", headers=PORTAL_ADMIN,
                                       json=example(contract, "RoyaltyPoints")),
                   "put", "/api/articles/{article_id}/royalty").json
    assert points["royalty_points"] == 2.5

    month = datetime.fromisoformat(points["published_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")
    report = checked(client.simulate_get(f"/api/units/phu-mau/royalties/{month}", headers=PORTAL_ADMIN),
                   "get", "/api/units/{unit}/royalties/{month}").json
    assert report["total_points"] == 2.5 and report["authors"][0]["articles"][0]["id"] == article["id"]
    csv = client.simulate_get(f"/api/units/phu-mau/royalties/{month}.csv", headers=PORTAL_ADMIN)
    documented_csv = contract.document["paths"]["/api/units/{unit}/royalties/{month}.csv"]["get"]["responses"]["200"]
    assert csv.status_code == 200 and list(documented_csv["content"]) == ["text/csv"]
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("\ufeff") and restored["title"] in csv.text
    assert f"nhuan-but-phu-mau-{month}.csv" in csv.headers["content-disposition"]


def test_published_articles_are_an_open_list_paged_filtered_and_sorted(phu_mau, contract):
    client, path = phu_mau.client, "/api/units/{unit}/articles"
    assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                json={"slug": "thong-bao", "name": "Thông báo"}).status_code == 201
    published = [publish(client, title=f"Thông báo số {number}", category="thong-bao" if number % 2 else None,
                         tags=["điện"] if number == 3 else [], featured=number == 1) for number in range(1, 6)]
    draft = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                 json={"title": "Bản nháp", "body_html": "<p>Chưa đăng.</p>"}).json
    newest = [article["id"] for article in reversed(published)]

    first = check(contract, client.simulate_get("/api/units/phu-mau/articles", params={"limit": 2}), "get", path)
    assert [item["id"] for item in first.json["items"]] == newest[:2] and first.json["previous"] is None
    assert first.json["sort"] == "-published_at" and first.json["next"].endswith("page=2&limit=2")
    second = check(contract, client.simulate_get(first.json["next"]), "get", path).json
    assert [item["id"] for item in second["items"]] == newest[2:4] and second["previous"].endswith("page=1&limit=2")
    last = client.simulate_get("/api/units/phu-mau/articles", params={"limit": 2, "page": 3}).json
    assert [item["id"] for item in last["items"]] == newest[4:] and last["next"] is None
    assert draft["id"] not in [item["id"] for item in client.simulate_get("/api/units/phu-mau/articles").json["items"]]

    def listed(**params):
        response = check(contract, client.simulate_get("/api/units/phu-mau/articles", params=params), "get", path)
        return [item["id"] for item in response.json["items"]]

    assert listed(sort="published_at") == newest[::-1]
    assert listed(category="thong-bao") == [newest[0], newest[2], newest[4]]
    assert listed(tag="điện") == [newest[2]] and listed(featured="true") == [newest[4]]
    assert listed(featured="false", limit=1) == [newest[0]]
    day = datetime.fromisoformat(published[0]["published_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert listed(day=day.isoformat()) == newest and listed(day="2020-02-29") == []

    bad = {"page": "0", "limit": "101", "sort": "title", "featured": "maybe", "day": "2026-02-30",
           "category": "Thông Báo", "tag": ""}
    for name, value in bad.items():
        refused = error(contract, client.simulate_get("/api/units/phu-mau/articles", params={name: value}), "get", path,
                        422)
        assert name in refused["fields"], (name, refused)
    error(contract, client.simulate_get("/api/units/khong-co/articles"), "get", path, 404)

    one = check(contract, client.simulate_get(f"/api/units/phu-mau/articles/{published[0]['slug']}"),
                         "get", "/api/units/{unit}/articles/{slug}")
    assert one.json["id"] == published[0]["id"] and one.headers["etag"]
    again = client.simulate_get(f"/api/units/phu-mau/articles/{published[0]['slug']}",
                                headers={"If-None-Match": one.headers["etag"]})
    assert again.status_code == 304 and not again.content
    listing = client.simulate_get("/api/units/phu-mau/articles")
    assert client.simulate_get("/api/units/phu-mau/articles",
                               headers={"If-None-Match": listing.headers["etag"]}).status_code == 304
    error(contract, client.simulate_get(f"/api/units/phu-mau/articles/{draft['slug']}"),
          "get", "/api/units/{unit}/articles/{slug}", 404)


def test_the_editorial_list_is_the_boards_alone(phu_mau, contract, outsider):
    client, path = phu_mau.client, "/api/units/{unit}/editorial/articles"
    author = user(client, "tac-gia", "phu-mau", "author")
    own = client.simulate_post("/api/units/phu-mau/articles", headers=author,
                               json={"title": "Bài của tác giả", "body_html": "<p>Nháp.</p>"}).json
    other = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                 json={"title": "Bài của ban biên tập", "body_html": "<p>Nháp.</p>"}).json
    published = publish(client, title="Bài đã đăng")

    board = check(contract, client.simulate_get("/api/units/phu-mau/editorial/articles", headers=PORTAL_ADMIN),
                           "get", path).json
    assert [item["id"] for item in board["items"]] == [published["id"], other["id"], own["id"]]
    drafts = client.simulate_get("/api/units/phu-mau/editorial/articles", headers=PORTAL_ADMIN,
                                 params={"status": "draft", "sort": "updated_at"}).json
    assert [item["id"] for item in drafts["items"]] == [own["id"], other["id"]]
    mine = client.simulate_get("/api/units/phu-mau/editorial/articles", headers=author).json
    assert [item["id"] for item in mine["items"]] == [own["id"]]

    assert "status" in error(contract, client.simulate_get("/api/units/phu-mau/editorial/articles",
                                                           headers=PORTAL_ADMIN, params={"status": "nhap"}),
                             "get", path, 422)["fields"]
    error(contract, client.simulate_get("/api/units/phu-mau/editorial/articles"), "get", path, 401)
    error(contract, client.simulate_get("/api/units/phu-mau/editorial/articles", headers=outsider), "get", path, 403)


def test_another_units_editor_is_refused_and_nothing_is_written(phu_mau, contract, outsider):
    client = phu_mau.client
    article = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                   json={"title": "Bài của Phú Mậu", "body_html": "<p>Nháp.</p>"}).json
    article_path = f"/api/articles/{article['id']}"
    change = {"title": "Sửa trộm", "body_html": "<p>x</p>", "version": 1}
    attempts = [("get", article_path, "/api/articles/{article_id}", None),
                ("put", article_path, "/api/articles/{article_id}", change),
                ("post", f"{article_path}/submit", "/api/articles/{article_id}/submit", {"version": 1}),
                ("post", f"{article_path}/force-publish", "/api/articles/{article_id}/force-publish",
                 {"comment": "Đăng trộm"}),
                ("get", f"{article_path}/revisions", "/api/articles/{article_id}/revisions", None),
                ("post", f"{article_path}/rollback", "/api/articles/{article_id}/rollback",
                 {"to_version": 1, "version": 1}),
                ("put", f"{article_path}/royalty", "/api/articles/{article_id}/royalty", {"points": 1}),
                ("post", "/api/units/phu-mau/articles", "/api/units/{unit}/articles",
                 {"title": "Bài trộm", "body_html": "<p>x</p>"}),
                ("post", "/api/units/phu-mau/categories", "/api/units/{unit}/categories",
                 {"slug": "tin-tron", "name": "Tin trộm"}),
                ("get", "/api/units/phu-mau/royalties/2026-11", "/api/units/{unit}/royalties/{month}", None)]
    for method, address, template, body in attempts:
        response = client.simulate_request(method.upper(), address, headers=outsider, json=body)
        error(contract, response, method, template, 403)
    assert client.simulate_get(article_path, headers=PORTAL_ADMIN).json == article
    assert client.simulate_get("/api/units/phu-mau/categories").json["items"] == []


def test_bad_changes_name_their_fields_and_change_nothing(phu_mau, contract):
    client = phu_mau.client
    article = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                   json={"title": "Bài viết", "body_html": "<p>Nháp.</p>"}).json
    article_path, template = f"/api/articles/{article['id']}", "/api/articles/{article_id}"

    def put(body):
        return client.simulate_put(article_path, headers=PORTAL_ADMIN, json=body)

    assert set(error(contract, put({"title": "x", "body_html": "<p>y</p>"}), "put", template, 422)["fields"]) == {
        "title", "version"}
    assert set(error(contract, put({"title": "Bài viết", "body_html": "<p>y</p>", "version": "1", "khac": 1}),
                     "put", template, 422)["fields"]) == {"version", "khac"}
    stale = error(contract, put({"title": "Bài viết mới", "body_html": "<p>y</p>", "version": 7}), "put", template, 409)
    assert stale["current_version"] == 1
    error(contract, client.simulate_put("/api/articles/khong-co", headers=PORTAL_ADMIN,
                                        json={"title": "Bài viết", "body_html": "<p>y</p>", "version": 1}),
          "put", template, 404)
    submit = "/api/articles/{article_id}/submit"
    assert "version" in error(contract, client.simulate_post(f"{article_path}/submit", headers=PORTAL_ADMIN,
                                                             json={"version": 0}), "post", submit, 422)["fields"]
    assert "at" in error(contract, client.simulate_post(f"{article_path}/submit", headers=PORTAL_ADMIN,
                                                        json={"at": "2030-01-01T08:00:00+07:00"}),
                         "post", submit, 422)["fields"]
    error(contract, client.simulate_post(f"{article_path}/approve", headers=PORTAL_ADMIN, json={}),
          "post", "/api/articles/{article_id}/approve", 409)  # a draft is not yet submitted
    assert "comment" in error(contract, client.simulate_post(f"{article_path}/reject", headers=PORTAL_ADMIN,
                                                             json={"version": 1}),
                              "post", "/api/articles/{article_id}/reject", 422)["fields"]
    error(contract, client.simulate_post("/api/articles/khong-co/submit", headers=PORTAL_ADMIN, json={}),
          "post", submit, 404)
    assert client.simulate_post(f"{article_path}/submit_all", headers=PORTAL_ADMIN, json={}).status_code == 404

    diff = "/api/articles/{article_id}/diff"
    assert set(error(contract, client.simulate_get(f"{article_path}/diff", headers=PORTAL_ADMIN), "get", diff,
                     422)["fields"]) == {"from", "to"}
    assert "to" in error(contract, client.simulate_get(f"{article_path}/diff", headers=PORTAL_ADMIN,
                                                       params={"from": 1, "to": "hai"}), "get", diff, 422)["fields"]
    error(contract, client.simulate_get(f"{article_path}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 9}),
          "get", diff, 404)
    rollback = "/api/articles/{article_id}/rollback"
    assert "to_version" in error(contract, client.simulate_post(f"{article_path}/rollback", headers=PORTAL_ADMIN,
                                                                json={"version": 1}), "post", rollback, 422)["fields"]
    assert "points" in error(contract, client.simulate_put(f"{article_path}/royalty", headers=PORTAL_ADMIN,
                                                           json={"points": -1}),
                             "put", "/api/articles/{article_id}/royalty", 422)["fields"]
    assert "fields" in error(contract, client.simulate_get(f"{article_path}/revisions", headers=PORTAL_ADMIN,
                                                           params={"page": "x"}),
                             "get", "/api/articles/{article_id}/revisions", 422)
    assert client.simulate_get(article_path, headers=PORTAL_ADMIN).json == article


def test_categories_are_listed_changed_by_version_and_deleted_when_unused(phu_mau, contract):
    client, one = phu_mau.client, "/api/units/{unit}/categories/{category}"
    for order, slug in enumerate(("tin-tuc", "thong-bao", "su-kien")):
        assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                    json={"slug": slug, "name": slug.replace("-", " ").title(),
                                          "order": order}).status_code == 201
    page = check(contract, client.simulate_get("/api/units/phu-mau/categories", params={"limit": 2}),
                          "get", "/api/units/{unit}/categories").json
    assert [item["slug"] for item in page["items"]] == ["tin-tuc", "thong-bao"] and page["next"]
    assert [item["slug"] for item in client.simulate_get(page["next"]).json["items"]] == ["su-kien"]
    error(contract, client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                         json={"slug": "tin-tuc", "name": "Trùng"}),
          "post", "/api/units/{unit}/categories", 409)

    change = {"name": "Tin tức chung", "order": 5, "version": 1}
    changed = check(contract, client.simulate_put("/api/units/phu-mau/categories/tin-tuc", headers=PORTAL_ADMIN,
                                                 json=change), "put", one).json
    assert (changed["name"], changed["order"], changed["version"]) == ("Tin tức chung", 5, 2)
    assert error(contract, client.simulate_put("/api/units/phu-mau/categories/tin-tuc", headers=PORTAL_ADMIN,
                                               json=change), "put", one, 409)["current_version"] == 2
    assert set(error(contract, client.simulate_put("/api/units/phu-mau/categories/tin-tuc", headers=PORTAL_ADMIN,
                                                   json={"slug": "doi", "order": -1}), "put", one, 422)["fields"]) == {
        "slug", "order", "name", "version"}
    error(contract, client.simulate_put("/api/units/phu-mau/categories/khong-co", headers=PORTAL_ADMIN,
                                        json=change), "put", one, 404)

    publish(client, title="Tin đã đăng", category="thong-bao")
    error(contract, client.simulate_delete("/api/units/phu-mau/categories/thong-bao", headers=PORTAL_ADMIN),
          "delete", one, 409)
    deleted = check(contract, client.simulate_delete("/api/units/phu-mau/categories/su-kien", headers=PORTAL_ADMIN),
                             "delete", one)
    assert deleted.status_code == 204
    error(contract, client.simulate_delete("/api/units/phu-mau/categories/su-kien", headers=PORTAL_ADMIN),
          "delete", one, 404)
    assert [item["slug"] for item in client.simulate_get("/api/units/phu-mau/categories").json["items"]] == [
        "thong-bao", "tin-tuc"]


def test_a_categorys_revisions_are_listed_compared_and_rolled_back(phu_mau, contract, outsider):
    client, one = phu_mau.client, "/api/units/{unit}/categories/{category}"
    path = "/api/units/phu-mau/categories/tin-dia-phuong"
    check(contract, client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                         json=example(contract, "CategoryInput")),
          "post", "/api/units/{unit}/categories")
    check(contract, client.simulate_put(path, headers=PORTAL_ADMIN, json=example(contract, "CategoryChange")),
          "put", one)

    revisions = check(contract, client.simulate_get(f"{path}/revisions", headers=PORTAL_ADMIN, params={"limit": 1}),
                      "get", f"{one}/revisions").json
    assert [r["version"] for r in revisions["items"]] == [1] and revisions["next"] and revisions["sort"] == "version"
    assert [r["action"] for r in client.simulate_get(revisions["next"], headers=PORTAL_ADMIN).json["items"]] == [
        "update"]
    diff = check(contract, client.simulate_get(f"{path}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2}),
                 "get", f"{one}/diff").json
    assert sorted(diff["fields"]) == ["name", "order"]

    rollback = f"{one}/rollback"
    assert error(contract, client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN,
                                                json={"to_version": 1, "version": 1}),
                 "post", rollback, 409)["current_version"] == 2
    error(contract, client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN,
                                         json={"to_version": 5, "version": 2}), "post", rollback, 404)
    error(contract, client.simulate_post("/api/units/phu-mau/categories/khong-co/rollback", headers=PORTAL_ADMIN,
                                         json={"to_version": 1, "version": 1}), "post", rollback, 404)
    assert "to_version" in error(contract, client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN,
                                                                json={"version": 2}), "post", rollback, 422)["fields"]
    for method, suffix, template, body in (("get", "/revisions", f"{one}/revisions", None),
                                           ("get", "/diff?from=1&to=2", f"{one}/diff", None),
                                           ("post", "/rollback", rollback, {"to_version": 1, "version": 2})):
        address, _, query = (path + suffix).partition("?")
        error(contract, client.simulate_request(method.upper(), address, headers=outsider, query_string=query,
                                                json=body), method, template, 403)
    assert client.simulate_get("/api/units/phu-mau/categories").json["items"][0]["version"] == 2  # nothing written

    for body in contract.examples("Rollback"):
        restored = check(contract, client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN,
                                                        json={**body, "to_version": 1, "version": 2}),
                         "post", rollback)
        assert restored.status_code == 200, restored.text
    assert (restored.json["name"], restored.json["order"], restored.json["version"]) == ("Tin địa phương", 1, 3)
    assert client.simulate_get("/api/units/phu-mau/categories").json["items"] == [restored.json]
    history = client.simulate_get(f"{path}/revisions", headers=PORTAL_ADMIN).json["items"]
    assert [(r["version"], r["action"]) for r in history] == [(1, "create"), (2, "update"), (3, "rollback")]


def test_a_royalty_month_is_a_typed_address(phu_mau, contract):
    client = phu_mau.client
    report = check(contract, client.simulate_get("/api/units/phu-mau/royalties/2026-11", headers=PORTAL_ADMIN),
                            "get", "/api/units/{unit}/royalties/{month}").json
    assert report == {"unit": "phu-mau", "month": "2026-11", "authors": [], "total_points": 0.0}
    for month in ("2026-13", "2026-1", "9999-12", "tháng-11"):
        assert client.simulate_get(f"/api/units/phu-mau/royalties/{month}", headers=PORTAL_ADMIN).status_code == 404
    error(contract, client.simulate_get("/api/units/khong-co/royalties/2026-11", headers=PORTAL_ADMIN),
          "get", "/api/units/{unit}/royalties/{month}", 404)
    error(contract, client.simulate_get("/api/units/phu-mau/royalties/2026-11.csv"),
          "get", "/api/units/{unit}/royalties/{month}.csv", 401)
