"""Units, levels, the audit log and history import through the JSON API, every answer held to
the OpenAPI document: the tree anyone reads, paged and filtered; its changes for platform admins;
a unit's profile, its revisions and rollback for its admin."""
import pytest

from tests.gateway.api_answers import body_example, build, check
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_bad_input import api_error

PREFIXES = ("/api/levels", "/api/units/{unit}/merge", "/api/units/{unit}/dissolve", "/api/units/{unit}/place",
            "/api/units/{unit}/revisions", "/api/units/{unit}/rollback", "/api/units/{unit}/audit",
            "/api/units/{unit}/history")
COMMUNES = {"phu-da": "Xã Phú Đa", "dien-hoa": "Xã Điền Hòa", "duong-hoa": "Xã Dương Hòa", "an-dong": "Phường An Đông"}


@pytest.fixture
def document(phu_mau):
    return build(phu_mau, PREFIXES, templates=("/api/units", "/api/units/{unit}"))


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


@pytest.fixture
def communes(client):
    for slug, name in COMMUNES.items():
        created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
            "slug": slug, "name": name, "level": "xa", "parent": "thua-thien-hue"})
        assert created.status_code == 201, created.text


def unit_admin(client, unit="phu-mau", username="quan-tri-phu-mau") -> dict:
    created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": username, "name": "Quản trị Phú Mậu", "roles": {unit: ["unit_admin"]}})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json['token']}"}


def names(response) -> list[str]:
    return [unit["name"] for unit in response.json["items"]]


def test_units_are_listed_in_vietnamese_order_paged_and_filtered(client, document, communes):
    listed = client.simulate_get("/api/units", params={"level": "xa"})
    check(document, "GET", "/api/units", listed)
    # Đ after D, whatever the tones: Dương < Điền; "Phường" sorts among the P's.
    assert names(listed) == ["Phường An Đông", "Xã Dương Hòa", "Xã Điền Hòa", "Xã Phú Đa", "Xã Phú Mậu"]
    reverse = client.simulate_get("/api/units", params={"level": "xa", "sort": "-name"})
    assert names(reverse) == names(listed)[::-1]
    by_slug = client.simulate_get("/api/units", params={"sort": "slug", "limit": 2})
    assert [unit["slug"] for unit in by_slug.json["items"]] == ["an-dong", "dien-hoa"]
    assert by_slug.json["next"] == "/api/units?sort=slug&page=2&limit=2" and by_slug.json["previous"] is None
    last = client.simulate_get("/api/units", params={"sort": "slug", "limit": 2, "page": 3})
    assert [unit["slug"] for unit in last.json["items"]] == ["phu-mau", "thua-thien-hue"] and last.json["next"] is None
    assert last.json["previous"] == "/api/units?sort=slug&page=2&limit=2"
    assert names(client.simulate_get("/api/units", params={"parent": "thua-thien-hue", "limit": 1})) == [
        "Phường An Đông"]
    assert client.simulate_get("/api/units", params={"status": "merged"}).json["items"] == []
    assert client.simulate_get("/api/units", headers={"If-None-Match": listed.headers["etag"]},
                               params={"level": "xa"}).status_code == 304

    for params, field in (({"sort": "level"}, "sort"), ({"status": "closed"}, "status"), ({"level": "Xã"}, "level"),
                          ({"parent": "a" * 81}, "parent"), ({"limit": "0"}, "limit"), ({"page": "x"}, "page")):
        refused = client.simulate_get("/api/units", params=params)
        assert field in api_error(refused, 422)["fields"], params
        check(document, "GET", "/api/units", refused)

    levels = client.simulate_get("/api/levels")
    check(document, "GET", "/api/levels", levels)
    assert [level["slug"] for level in levels.json["items"]] == ["tinh", "xa"]
    assert client.simulate_get("/api/levels", params={"limit": 1}).json["next"] == "/api/levels?page=2&limit=1"


def test_merging_dissolving_and_placing_are_routes_of_their_own(client, document, communes):
    merged = client.simulate_post("/api/units/phu-da/merge", headers=PORTAL_ADMIN,
                                  json={"successor": "phu-mau", "version": 1})
    check(document, "POST", "/api/units/{unit}/merge", merged)
    assert merged.json["status"] == "merged" and merged.json["successor"] == "phu-mau"
    again = client.simulate_post("/api/units/phu-da/merge", headers=PORTAL_ADMIN, json={"successor": "phu-mau"})
    assert api_error(again, 409)["current_version"] == 2

    placed = client.simulate_post("/api/units/an-dong/place", headers=PORTAL_ADMIN,
                                  json=body_example(document, "/api/units/{unit}/place") | {"version": 1})
    check(document, "POST", "/api/units/{unit}/place", placed)
    assert placed.json["version"] == 2
    loop = client.simulate_post("/api/units/thua-thien-hue/place", headers=PORTAL_ADMIN,
                                json={"level": "tinh", "parent": "an-dong"})
    assert "parent" in api_error(loop, 422)["fields"]

    stale = client.simulate_post("/api/units/dien-hoa/dissolve", headers=PORTAL_ADMIN, json={"version": 7})
    assert api_error(stale, 409)["current_version"] == 1
    dissolved = client.simulate_post("/api/units/dien-hoa/dissolve", headers=PORTAL_ADMIN)
    check(document, "POST", "/api/units/{unit}/dissolve", dissolved)
    assert dissolved.json["status"] == "dissolved"
    assert names(client.simulate_get("/api/units", params={"status": "dissolved"})) == ["Xã Điền Hòa"]

    for path, body, field in (("merge", {"successor": "Phú Mậu"}, "successor"), ("merge", {}, "successor"),
                              ("place", {"level": "xa", "version": "1"}, "version"),
                              ("dissolve", {"reason": "sáp nhập"}, "reason")):
        refused = client.simulate_post(f"/api/units/duong-hoa/{path}", headers=PORTAL_ADMIN, json=body)
        assert field in api_error(refused, 422)["fields"], (path, body)
        check(document, "POST", f"/api/units/{{unit}}/{path}", refused)
    api_error(client.simulate_post("/api/units/khong-co/dissolve", headers=PORTAL_ADMIN), 404)
    api_error(client.simulate_post("/api/units/duong-hoa/split", headers=PORTAL_ADMIN, json={}), 404)
    admin = unit_admin(client, "duong-hoa", "quan-tri-duong-hoa")
    api_error(client.simulate_post("/api/units/duong-hoa/dissolve", headers=admin), 403)
    assert client.simulate_get("/api/units/duong-hoa").json["status"] == "active"


def test_a_unit_admin_changes_the_profile_sees_its_revisions_and_rolls_it_back(client, document, communes):
    admin = unit_admin(client)
    example = body_example(document, "/api/units/{unit}", "put")
    changed = client.simulate_put("/api/units/phu-mau", headers=admin, json=example)
    check(document, "PUT", "/api/units/{unit}", changed)
    assert changed.json["contact"]["responsible_official"] == "Nguyễn Văn Hùng" and changed.json["version"] == 2
    renamed = client.simulate_put("/api/units/phu-mau", headers=admin, json={**example, "name": "Phường Phú Mậu",
                                                                            "version": 2})
    assert renamed.status_code == 200, renamed.text
    stale = client.simulate_put("/api/units/phu-mau", headers=admin, json={**example, "version": 2})
    assert api_error(stale, 409)["current_version"] == 3

    revisions = client.simulate_get("/api/units/phu-mau/revisions", headers=admin)
    check(document, "GET", "/api/units/{unit}/revisions", revisions)
    assert [(r["version"], r["action"]) for r in revisions.json["items"]] == [
        (1, "create"), (2, "update_profile"), (3, "update_profile")]
    assert revisions.json["items"][2]["changed"] == ["name"]
    rolled = client.simulate_post("/api/units/phu-mau/rollback", headers=admin, json={"to_version": 2, "version": 3})
    check(document, "POST", "/api/units/{unit}/rollback", rolled)
    assert rolled.json["name"] == "Xã Phú Mậu" and rolled.json["version"] == 4
    missing = client.simulate_post("/api/units/phu-mau/rollback", headers=admin, json={"to_version": 9, "version": 4})
    api_error(missing, 404)
    unit = client.simulate_get("/api/units/phu-mau")
    check(document, "GET", "/api/units/{unit}", unit)
    assert unit.json["version"] == 4

    for method, path, body in (("PUT", "/api/units/phu-da", example), ("GET", "/api/units/phu-da/revisions", None),
                               ("POST", "/api/units/phu-da/rollback", {"to_version": 1, "version": 1}),
                               ("GET", "/api/units/phu-da/audit", None)):
        refused = client.simulate_request(method, path, headers=admin, json=body)
        api_error(refused, 403)
    bad = client.simulate_put("/api/units/phu-mau", headers=admin, json={
        "name": "X", "branding": {"accent_colour": "#ffcc00"}, "contact": {"email": "khong-phai-email"}, "slug": "x"})
    assert {"name", "branding.accent_colour", "contact.email", "slug"} <= set(api_error(bad, 422)["fields"])
    check(document, "PUT", "/api/units/{unit}", bad)
    assert client.simulate_get("/api/units/phu-mau").json["version"] == 4
    api_error(client.simulate_get("/api/units/khong-co"), 404)


def test_the_audit_log_is_paged_and_filtered(client, document, communes):
    admin = unit_admin(client)
    for number in range(3):
        profile = {"name": f"Xã Phú Mậu {number}"}
        assert client.simulate_put("/api/units/phu-mau", headers=admin, json=profile).status_code == 200
    log = client.simulate_get("/api/units/phu-mau/audit", headers=admin, params={"limit": 2})
    check(document, "GET", "/api/units/{unit}/audit", log)
    assert [entry["action"] for entry in log.json["items"]] == ["unit.update_profile"] * 2
    assert log.json["next"] == "/api/units/phu-mau/audit?page=2&limit=2"
    rest = client.simulate_get("/api/units/phu-mau/audit", headers=admin, params={"limit": 2, "page": 2})
    assert [entry["action"] for entry in rest.json["items"]] == ["unit.update_profile", "unit.create"]
    created = client.simulate_get("/api/units/phu-mau/audit", headers=admin, params={"action": "unit.create"})
    assert [(entry["actor"], entry["target"]) for entry in created.json["items"]] == [("admin", "phu-mau")]
    mine = client.simulate_get("/api/units/phu-mau/audit", headers=admin, params={"actor": "quan-tri-phu-mau"})
    assert len(mine.json["items"]) == 3
    assert client.simulate_get("/api/units/phu-mau/audit", headers=admin,
                               params={"target": "khac"}).json["items"] == []
    refused = client.simulate_get("/api/units/phu-mau/audit", headers=admin, params={"action": "x" * 81})
    assert "action" in api_error(refused, 422)["fields"]
    api_error(client.simulate_get("/api/units/khong-co/audit", headers=PORTAL_ADMIN), 404)
    api_error(client.simulate_get("/api/units/phu-mau/audit"), 401)


def test_an_old_sites_archive_comes_over_once(client, document):
    example = body_example(document, "/api/units/{unit}/history")
    imported = client.simulate_post("/api/units/phu-mau/history", headers=PORTAL_ADMIN, json=example)
    check(document, "POST", "/api/units/{unit}/history", imported)
    assert imported.json == {"imported": 2, "skipped": 0}
    again = client.simulate_post("/api/units/phu-mau/history", headers=PORTAL_ADMIN, json=example)
    assert again.json == {"imported": 0, "skipped": 2}
    extra = client.simulate_post("/api/units/phu-mau/history", headers=PORTAL_ADMIN, json={**example, "unit": "x"})
    assert set(api_error(extra, 422)["fields"]) == {"unit"}
    check(document, "POST", "/api/units/{unit}/history", extra)
    bad = client.simulate_post("/api/units/phu-mau/history", headers=PORTAL_ADMIN,
                               json={"items": [{**example["items"][0], "kind": "banner"}]})
    assert set(api_error(bad, 422)["fields"]) == {"items.0.kind"}
    api_error(client.simulate_post("/api/units/phu-mau/history", headers=unit_admin(client), json=example), 403)


def test_the_documented_examples_for_new_levels_and_units_are_accepted(client, document):
    level = client.simulate_post("/api/levels", headers=PORTAL_ADMIN, json=body_example(document, "/api/levels"))
    check(document, "POST", "/api/levels", level)
    assert level.status_code == 201
    assert api_error(client.simulate_post("/api/levels", headers=PORTAL_ADMIN,
                                          json=body_example(document, "/api/levels")), 409)
    unit = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=body_example(document, "/api/units"))
    check(document, "POST", "/api/units", unit)
    assert unit.status_code == 201 and unit.json["parent"] == "thua-thien-hue"
