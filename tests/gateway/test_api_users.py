"""Users and their roles through the JSON API, every answer held to the OpenAPI document: a
platform admin sees everyone; a unit's admin the users of their units, never another unit's."""
import pytest

from tests.gateway.api_answers import body_example, build, check
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_bad_input import api_error
from tests.gateway.workspace_desk import Desk


@pytest.fixture
def document(phu_mau):
    return build(phu_mau, ("/api/users",))


@pytest.fixture
def client(phu_mau):
    client = phu_mau.client
    created = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Xã Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert created.status_code == 201, created.text
    return client


def user(client, username: str, roles: dict, headers=PORTAL_ADMIN) -> dict:
    created = client.simulate_post("/api/users", headers=headers, json={
        "username": username, "name": username.replace("-", " ").title(), "roles": roles})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json['token']}"}


def usernames(response) -> list[str]:
    return [item["username"] for item in response.json["items"]]


def test_a_unit_admin_names_users_of_the_unit_and_sees_only_them(client, document):
    admin = user(client, "quan-tri-phu-mau", {"phu-mau": ["unit_admin"]})
    created = client.simulate_post("/api/users", headers=admin, json=body_example(document, "/api/users"))
    check(document, "POST", "/api/users", created)
    assert created.status_code == 201 and created.json["token"] and created.json["roles"] == {"phu-mau": ["editor"]}
    user(client, "bien-tap-phu-da", {"phu-da": ["editor"], "phu-mau": ["author"]})
    user(client, "tac-gia-phu-da", {"phu-da": ["author"]})

    everyone = client.simulate_get("/api/users", headers=PORTAL_ADMIN)
    check(document, "GET", "/api/users", everyone)
    assert usernames(everyone) == ["admin", "bien-tap-phu-da", "quan-tri-phu-mau", "tac-gia-phu-da", "tran-thi-hoa"]
    assert "token" not in everyone.json["items"][0]
    seen = client.simulate_get("/api/users", headers=admin)
    check(document, "GET", "/api/users", seen)
    assert usernames(seen) == ["bien-tap-phu-da", "quan-tri-phu-mau", "tran-thi-hoa"]
    assert seen.json["items"][0]["roles"] == {"phu-mau": ["author"]}  # not what they hold elsewhere
    assert usernames(client.simulate_get("/api/users", headers=PORTAL_ADMIN, params={"unit": "phu-da"})) == [
        "bien-tap-phu-da", "tac-gia-phu-da"]
    api_error(client.simulate_get("/api/users", headers=admin, params={"unit": "phu-da"}), 403)
    editor = user(client, "bien-tap-phu-mau", {"phu-mau": ["editor"]})
    api_error(client.simulate_get("/api/users", headers=editor), 403)
    api_error(client.simulate_get("/api/users"), 401)

    shown = client.simulate_get("/api/users/tran-thi-hoa", headers=admin)
    check(document, "GET", "/api/users/{username}", shown)
    assert shown.json["name"] == "Trần Thị Hoa"
    assert client.simulate_get("/api/users/bien-tap-phu-mau", headers=editor).status_code == 200  # oneself
    for missing in ("tac-gia-phu-da", "khong-co"):  # another unit's user is as unknown as none
        refused = client.simulate_get(f"/api/users/{missing}", headers=admin)
        check(document, "GET", "/api/users/{username}", refused)
        api_error(refused, 404)
    api_error(client.simulate_get("/api/users/tran-thi-hoa", headers=editor), 404)


def test_users_are_paged_both_ways(client, document):
    for number in range(3):
        user(client, f"nguoi-dung-{number}", {"phu-mau": ["author"]})
    first = client.simulate_get("/api/users", headers=PORTAL_ADMIN, params={"limit": 2, "sort": "-username"})
    assert usernames(first) == ["nguoi-dung-2", "nguoi-dung-1"]
    assert first.json["next"] == "/api/users?sort=-username&page=2&limit=2"
    second = client.simulate_get("/api/users", headers=PORTAL_ADMIN,
                                 params={"limit": 2, "page": 2, "sort": "-username"})
    assert usernames(second) == ["nguoi-dung-0", "admin"] and second.json["next"] is None
    assert client.simulate_get("/api/users", headers={**PORTAL_ADMIN, "If-None-Match": second.headers["etag"]},
                               params={"limit": 2, "page": 2, "sort": "-username"}).status_code == 304
    for params, field in (({"sort": "name"}, "sort"), ({"unit": "Phú Mậu"}, "unit"), ({"limit": "1000"}, "limit")):
        refused = client.simulate_get("/api/users", headers=PORTAL_ADMIN, params=params)
        assert field in api_error(refused, 422)["fields"]
        check(document, "GET", "/api/users", refused)


def test_roles_are_given_and_taken_by_the_units_admin(client, document):
    admin = user(client, "quan-tri-phu-mau", {"phu-mau": ["unit_admin"]})
    user(client, "phong-vien", {"phu-mau": ["author"]})
    example = body_example(document, "/api/users/{username}/roles")
    granted = client.simulate_post("/api/users/phong-vien/roles", headers=admin, json=example)
    check(document, "POST", "/api/users/{username}/roles", granted)
    assert granted.json["roles"] == {"phu-mau": ["author", "editor_in_chief"]}
    revoked = client.simulate_delete("/api/users/phong-vien/roles", headers=admin,
                                     params={"unit": "phu-mau", "role": "author"})
    check(document, "DELETE", "/api/users/{username}/roles", revoked)
    assert revoked.json["roles"] == {"phu-mau": ["editor_in_chief"]}

    for body, field in (({"unit": "phu-mau", "role": "thu-ky"}, "role"), ({"unit": "phu-mau"}, "role"),
                        ({"unit": "phu-mau", "role": "author", "until": "2027-01-01"}, "until")):
        refused = client.simulate_post("/api/users/phong-vien/roles", headers=admin, json=body)
        assert field in api_error(refused, 422)["fields"], body
        check(document, "POST", "/api/users/{username}/roles", refused)
    for params, fields in (({}, {"unit", "role"}), ({"unit": "phu-mau", "role": "boss"}, {"role"})):
        refused = client.simulate_delete("/api/users/phong-vien/roles", headers=admin, params=params)
        assert set(api_error(refused, 422)["fields"]) == fields
        check(document, "DELETE", "/api/users/{username}/roles", refused)
    other_unit = client.simulate_post("/api/users/phong-vien/roles", headers=admin,
                                      json={"unit": "phu-da", "role": "author"})
    api_error(other_unit, 403)
    api_error(client.simulate_post("/api/users/khong-co/roles", headers=admin, json=example), 404)
    bad_user = client.simulate_post("/api/users", headers=admin, json={"username": "Lê Văn", "name": "L",
                                                                       "roles": {"phu-mau": ["boss"]}})
    assert {"username", "name", "roles.phu-mau.0"} <= set(api_error(bad_user, 422)["fields"])
    taken = client.simulate_post("/api/users", headers=admin, json={"username": "phong-vien", "name": "Phóng viên"})
    api_error(taken, 409)
    assert client.simulate_get("/api/users/phong-vien", headers=admin).json["roles"] == {"phu-mau": ["editor_in_chief"]}


def test_a_unit_admin_resets_a_members_password_and_nobody_elses(client, document):
    admin = user(client, "quan-tri-phu-mau", {"phu-mau": ["unit_admin"]})
    user(client, "bien-tap-phu-mau", {"phu-mau": ["editor"]})
    user(client, "bien-tap-phu-da", {"phu-da": ["editor"]})
    reset = client.simulate_post("/api/users/bien-tap-phu-mau/password-reset", headers=admin)
    check(document, "POST", "/api/users/{username}/password-reset", reset)
    assert reset.status_code == 200 and len(reset.json["temporary_password"]) >= 12
    signed_in = Desk(client).sign_in("bien-tap-phu-mau", reset.json["temporary_password"])
    assert signed_in.status_code == 200 and "Mật khẩu của bạn vừa được đặt lại" in signed_in.text
    elsewhere = client.simulate_post("/api/users/bien-tap-phu-da/password-reset", headers=admin)
    check(document, "POST", "/api/users/{username}/password-reset", elsewhere)
    api_error(elsewhere, 404)
    api_error(client.simulate_post("/api/users/bien-tap-phu-mau/password-reset"), 401)
