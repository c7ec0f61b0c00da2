"""A unit's static pages through the JSON API, in Vietnamese and English, against the real
services: the menu and live pages for anyone, writing, withdrawing and revisions for the unit's
administrator, each answer as its OpenAPI operation documents, every documented example
accepted, bad input refused by name with nothing written, another unit's page out of reach."""
import re

import pytest

from tests.gateway.api_documented import documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN

INTRODUCTION = {"key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu chung",
                "body_html": "<p>Xã Phú Mậu nằm bên bờ bắc sông Hương.</p>"}
CONTACT_EN = {"key": "lien-he", "lang": "en", "title": "Contact us", "body_html": "<p>Phu Mau Commune People's "
                                                                                 "Committee, Hue City.</p>"}
PAGE = "/api/units/phu-mau/pages/vi/lien-he"


@pytest.fixture
def api(phu_mau):
    return documented(phu_mau, re.compile(r"/pages"))


def create(client, data, headers=PORTAL_ADMIN):
    made = client.simulate_post("/api/units/phu-mau/pages", headers=headers, json=data)
    assert made.status_code == 201, made.text
    return made


def test_pages_are_written_in_both_languages_listed_and_read_as_documented(phu_mau, api):
    client = phu_mau.client
    for example in api.examples("PageInput"):
        api.check("/api/units/{unit}/pages", "post", create(client, example))
    create(client, INTRODUCTION)
    create(client, CONTACT_EN)
    menu = client.simulate_get("/api/units/phu-mau/pages")
    api.check("/api/units/{unit}/pages", "get", menu)
    assert [(p["key"], p["languages"]) for p in menu.json["items"]] == [("gioi-thieu", ["vi"]),
                                                                       ("lien-he", ["en", "vi"])]
    assert menu.json["sort"] == "order"
    first = client.simulate_get("/api/units/phu-mau/pages", params={"limit": 1})
    assert [p["key"] for p in first.json["items"]] == ["gioi-thieu"] and first.json["next"]
    path, query = first.json["next"].split("?")
    assert [p["key"] for p in client.simulate_get(path, query_string=query).json["items"]] == ["lien-he"]
    english = client.simulate_get("/api/units/phu-mau/pages", params={"lang": "en"})
    assert [p["title"] for p in english.json["items"]] == ["Contact us"]
    for params, field in (({"lang": "fr"}, "lang"), ({"limit": "1000"}, "limit"), ({"sort": "-order"}, "sort")):
        refused = client.simulate_get("/api/units/phu-mau/pages", params=params)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
        api.check("/api/units/{unit}/pages", "get", refused)

    page = client.simulate_get("/api/units/phu-mau/pages/en/lien-he")
    api.check("/api/units/{unit}/pages/{lang}/{key}", "get", page)
    assert (page.json["title"], page.json["languages"]) == ("Contact us", ["en", "vi"])
    assert client.simulate_get("/api/units/phu-mau/pages/en/lien-he",
                               headers={"If-None-Match": page.headers["ETag"]}).status_code == 304

    for example in api.examples("PageChange"):
        changed = client.simulate_put(PAGE, headers=PORTAL_ADMIN, json={**example, "version": 1})
        assert changed.status_code == 200, changed.text
        api.check("/api/units/{unit}/pages/{lang}/{key}", "put", changed)
    assert (changed.json["title"], changed.json["version"]) == ("Thông tin liên hệ", 2)
    stale = client.simulate_put(PAGE, headers=PORTAL_ADMIN, json={**api.examples("PageChange")[0], "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 2
    api.check("/api/units/{unit}/pages/{lang}/{key}", "put", stale)
    exists = client.simulate_post("/api/units/phu-mau/pages", headers=PORTAL_ADMIN, json=CONTACT_EN)
    assert exists.status_code == 409
    api.check("/api/units/{unit}/pages", "post", exists)

    for example in api.examples("PageWithdrawal"):
        withdrawn = client.simulate_post(f"{PAGE}/withdraw", headers=PORTAL_ADMIN, json={**example, "version": 2})
        assert withdrawn.status_code == 200, withdrawn.text
        api.check("/api/units/{unit}/pages/{lang}/{key}/withdraw", "post", withdrawn)
    assert withdrawn.json["status"] == "withdrawn"
    assert client.simulate_get(PAGE).status_code == 404
    gone = client.simulate_put(PAGE, headers=PORTAL_ADMIN, json={**api.examples("PageChange")[0], "version": 3})
    assert gone.status_code == 404
    back = create(client, {**api.examples("PageInput")[0]})
    assert (back.json["status"], back.json["version"]) == ("published", 4)


def test_revisions_are_listed_compared_and_rolled_back(phu_mau, api):
    client = phu_mau.client
    create(client, api.examples("PageInput")[0])
    client.simulate_put(PAGE, headers=PORTAL_ADMIN, json={"title": "Liên hệ công tác",
                                                          "body_html": "<p>Điện thoại: 0234 3822 111.</p>",
                                                          "version": 1})
    base = "/api/units/{unit}/pages/{lang}/{key}"
    revisions = client.simulate_get(f"{PAGE}/revisions", headers=PORTAL_ADMIN, params={"limit": 1})
    api.check(f"{base}/revisions", "get", revisions)
    assert [r["version"] for r in revisions.json["items"]] == [1] and revisions.json["next"]
    diff = client.simulate_get(f"{PAGE}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2})
    api.check(f"{base}/diff", "get", diff)
    assert sorted(diff.json["fields"]) == ["body_html", "title"]
    for example in api.examples("Rollback"):
        restored = client.simulate_post(f"{PAGE}/rollback", headers=PORTAL_ADMIN, json={**example, "version": 2})
        assert restored.status_code == 200, restored.text
        api.check(f"{base}/rollback", "post", restored)
    assert (restored.json["title"], restored.json["version"]) == ("Liên hệ", 3)
    assert client.simulate_get(PAGE).json["title"] == "Liên hệ"
    stale = client.simulate_post(f"{PAGE}/rollback", headers=PORTAL_ADMIN, json={"to_version": 2, "version": 2})
    assert stale.status_code == 409
    api.check(f"{base}/rollback", "post", stale)
    history = client.simulate_get(f"{PAGE}/revisions", headers=PORTAL_ADMIN).json["items"]
    assert [(r["version"], r["action"]) for r in history] == [(1, "create"), (2, "update"), (3, "rollback")]


def test_addresses_no_page_can_have_are_404_and_bad_bodies_422_by_name(phu_mau, api):
    client = phu_mau.client
    base = "/api/units/{unit}/pages/{lang}/{key}"
    for path in ("/api/units/phu-mau/pages/fr/lien-he", "/api/units/phu-mau/pages/vi/Lien He",
                 "/api/units/phu-mau/pages/vi/" + "a" * 81, "/api/units/khong-co/pages/vi/lien-he",
                 "/api/units/phu-mau/pages/vi/lien-he"):
        for suffix in ("", "/revisions", "/diff?from=1&to=2"):
            address, _, query = (path + suffix).partition("?")
            answered = client.simulate_get(address, headers=PORTAL_ADMIN, query_string=query)
            assert answered.status_code == 404, (address, answered.text)
            api.check(base + suffix.split("?")[0], "get", answered)
    refused = client.simulate_post("/api/units/phu-mau/pages", headers=PORTAL_ADMIN, json={
        "key": "Liên hệ", "lang": "fr", "title": "x", "body_html": "", "order": -1})
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"key", "lang", "title", "body_html", "order"}
    api.check("/api/units/{unit}/pages", "post", refused)
    unsafe = client.simulate_post("/api/units/phu-mau/pages", headers=PORTAL_ADMIN, json={
        **INTRODUCTION, "body_html": "<script>alert(1)</script>"})
    assert unsafe.status_code == 422 and "body_html" in unsafe.json["error"]["fields"]
    create(client, INTRODUCTION)
    for body, field in (({"title": "Giới thiệu", "body_html": "<p>x</p>"}, "version"),
                        ({"title": "Giới thiệu", "body_html": "<p>x</p>", "version": True}, "version"),
                        ({"title": "Giới thiệu", "body_html": "<p>x</p>", "version": 1, "key": "x"}, "key")):
        refused = client.simulate_put("/api/units/phu-mau/pages/vi/gioi-thieu", headers=PORTAL_ADMIN, json=body)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
        api.check(base, "put", refused)
    assert client.simulate_get("/api/units/phu-mau/pages/vi/gioi-thieu").json["version"] == 1


def test_only_the_units_administrator_writes_its_pages(phu_mau, api):
    client = phu_mau.client
    second_commune(client)
    admin = user(client, "quan-tri", "phu-mau", "unit_admin")
    editor = user(client, "bien-tap", "phu-mau", "editor_in_chief")
    outsider = user(client, "quan-tri-phu-da", "phu-da", "unit_admin")
    create(client, INTRODUCTION, headers=admin)
    path = "/api/units/phu-mau/pages/vi/gioi-thieu"
    change = {"title": "Giới thiệu", "body_html": "<p>Mới</p>", "version": 1}
    for headers in (editor, outsider):
        for method, suffix, body in (("POST", "", None), ("PUT", "", change), ("POST", "/withdraw", {"version": 1}),
                                     ("GET", "/revisions", None), ("POST", "/rollback", {"to_version": 1,
                                                                                          "version": 1})):
            address = "/api/units/phu-mau/pages" if method == "POST" and not suffix else path + suffix
            answered = client.simulate_request(method, address, headers=headers,
                                               json=body if body is not None else INTRODUCTION)
            assert answered.status_code == 403, (method, address, answered.text)
    assert client.simulate_put(path, json=change).status_code == 401
    assert client.simulate_get(path).json["version"] == 1
