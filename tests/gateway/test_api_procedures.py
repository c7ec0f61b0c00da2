"""Administrative procedures through the JSON API, against the real services: the list by field
and published procedures for anyone; drafts, corrections, publication, withdrawal and revisions
for the unit's board, each answer as its OpenAPI operation documents, every documented example
accepted, bad input refused by name with nothing written, another unit's procedure out of reach."""
import re

import pytest

from services.content.service import ContentService
from tests.gateway.api_documented import documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_procedure_pages import BIRTH, OTHERS

PORTAL_SERVICES = (ContentService,)  # the routes read and write the content service alone


@pytest.fixture
def api(phu_mau):
    return documented(phu_mau, re.compile(r"procedures"))


def create(client, data, headers=PORTAL_ADMIN, unit="phu-mau"):
    made = client.simulate_post(f"/api/units/{unit}/procedures", headers=headers, json=data)
    assert made.status_code == 201, made.text
    return made


def publish(client, procedure: dict) -> dict:
    published = client.simulate_post(f"/api/procedures/{procedure['id']}/publish", headers=PORTAL_ADMIN,
                                     json={"version": procedure["version"]})
    assert published.status_code == 200, published.text
    return published.json


def test_a_procedure_is_drafted_corrected_published_withdrawn_and_read_as_documented(phu_mau, api):
    client = phu_mau.client
    for example in api.examples("ProcedureInput"):
        made = create(client, {**example, "name": "Đăng ký khai sinh (mẫu)"})
        api.check("/api/units/{unit}/procedures", "post", made)
    procedure_id = create(client, BIRTH).json["id"]
    assert client.simulate_get(f"/api/units/phu-mau/procedures/{procedure_id}").status_code == 404  # a draft

    for example in api.examples("ProcedureChange"):
        current = client.simulate_get(f"/api/procedures/{procedure_id}", headers=PORTAL_ADMIN)
        api.check("/api/procedures/{procedure_id}", "get", current)
        changed = client.simulate_put(f"/api/procedures/{procedure_id}", headers=PORTAL_ADMIN,
                                      json={**example, "fees": "8.000 đồng", "version": current.json["version"]})
        assert changed.status_code == 200, changed.text
        api.check("/api/procedures/{procedure_id}", "put", changed)
    assert changed.json["fees"] == "8.000 đồng"
    stale = client.simulate_put(f"/api/procedures/{procedure_id}", headers=PORTAL_ADMIN, json={**BIRTH, "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 2
    api.check("/api/procedures/{procedure_id}", "put", stale)

    for example in api.examples("ProcedurePublication"):
        published = client.simulate_post(f"/api/procedures/{procedure_id}/publish", headers=PORTAL_ADMIN,
                                         json={**example, "version": 2})
        assert published.status_code == 200, published.text
        api.check("/api/procedures/{procedure_id}/publish", "post", published)
    again = client.simulate_post(f"/api/procedures/{procedure_id}/publish", headers=PORTAL_ADMIN, json={"version": 3})
    assert again.status_code == 409
    api.check("/api/procedures/{procedure_id}/publish", "post", again)

    public = client.simulate_get(f"/api/units/phu-mau/procedures/{procedure_id}")
    assert public.status_code == 200 and public.json["status"] == "published"
    api.check("/api/units/{unit}/procedures/{procedure_id}", "get", public)
    assert client.simulate_get("/api/units/phu-mau/procedures/khong-co").status_code == 404

    withdrawn = client.simulate_post(f"/api/procedures/{procedure_id}/withdraw", headers=PORTAL_ADMIN,
                                     json={"version": 3})
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "draft"
    api.check("/api/procedures/{procedure_id}/withdraw", "post", withdrawn)
    assert client.simulate_get(f"/api/units/phu-mau/procedures/{procedure_id}").status_code == 404
    twice = client.simulate_post(f"/api/procedures/{procedure_id}/withdraw", headers=PORTAL_ADMIN, json={})
    assert twice.status_code == 409
    api.check("/api/procedures/{procedure_id}/withdraw", "post", twice)


def test_the_list_groups_by_field_and_filters_by_one(phu_mau, api):
    client = phu_mau.client
    for data in (BIRTH, *OTHERS):
        publish(client, create(client, data).json)
    route = "/api/units/{unit}/procedures"
    everything = client.simulate_get("/api/units/phu-mau/procedures")
    api.check(route, "get", everything)
    assert [(field["name"], field["count"]) for field in everything.json["fields"]] == [("Chứng thực", 1),
                                                                                        ("Hộ tịch", 3)]
    assert everything.json["field"] is None and len(everything.json["procedures"]) == 4
    one = client.simulate_get("/api/units/phu-mau/procedures", params={"field": "ho tich"})
    api.check(route, "get", one)
    assert [item["name"] for item in one.json["procedures"]] == ["Đăng ký kết hôn", "Đăng ký khai sinh",
                                                                 "Xác nhận tình trạng hôn nhân"]
    assert one.json["field"] == {"name": "Hộ tịch", "key": "ho-tich", "count": 3}
    refused = client.simulate_get("/api/units/phu-mau/procedures", params={"field": "x" * 101})
    assert refused.status_code == 422 and set(refused.json["error"]["fields"]) == {"field"}
    api.check(route, "get", refused)
    assert client.simulate_get("/api/units/khong-co/procedures").status_code == 404


def test_the_board_lists_every_state_and_another_unit_reaches_nothing(phu_mau, api):
    client = phu_mau.client
    second_commune(client)
    editor = user(client, "bien-tap", "phu-mau", "editor")
    outsider = user(client, "bien-tap-phu-da", "phu-da", "editor_in_chief")
    draft = create(client, OTHERS[0], headers=editor).json
    published = publish(client, create(client, BIRTH).json)
    listed = client.simulate_get("/api/units/phu-mau/editorial/procedures", headers=editor)
    api.check("/api/units/{unit}/editorial/procedures", "get", listed)
    assert [item["id"] for item in listed.json["items"]] == [published["id"], draft["id"]]
    drafts = client.simulate_get("/api/units/phu-mau/editorial/procedures", headers=editor,
                                 params={"status": "draft"})
    assert [item["id"] for item in drafts.json["items"]] == [draft["id"]]
    assert client.simulate_get("/api/units/phu-mau/editorial/procedures").status_code == 401
    assert client.simulate_get("/api/units/phu-mau/editorial/procedures", headers=outsider).status_code == 403
    for method, path, body in (("GET", "", None), ("PUT", "", {**OTHERS[0], "version": 1}),
                               ("POST", "/publish", {"version": 1}), ("GET", "/revisions", None),
                               ("GET", "/diff?from=1&to=1", None),
                               ("POST", "/rollback", {"to_version": 1, "version": 1})):
        path, _, query = path.partition("?")
        answered = client.simulate_request(method, f"/api/procedures/{draft['id']}{path}", headers=outsider,
                                           json=body, query_string=query)
        assert answered.status_code == 403, (method, path, answered.text)
    assert client.simulate_get(f"/api/units/phu-da/procedures/{published['id']}").status_code == 404
    # An editor may neither publish nor correct what is public.
    assert client.simulate_post(f"/api/procedures/{draft['id']}/publish", headers=editor, json={}).status_code == 403
    corrected = client.simulate_put(f"/api/procedures/{published['id']}", headers=editor,
                                    json={**BIRTH, "fees": "1 đồng", "version": published["version"]})
    assert corrected.status_code == 403


def test_revisions_are_listed_compared_and_rolled_back(phu_mau, api):
    client = phu_mau.client
    made = create(client, BIRTH).json
    changed = client.simulate_put(f"/api/procedures/{made['id']}", headers=PORTAL_ADMIN,
                                  json={**BIRTH, "processing_time": "03 ngày làm việc", "version": 1})
    assert changed.status_code == 200
    revisions = client.simulate_get(f"/api/procedures/{made['id']}/revisions", headers=PORTAL_ADMIN)
    api.check("/api/procedures/{procedure_id}/revisions", "get", revisions)
    assert [(r["version"], r["action"], r["changed"]) for r in revisions.json["items"]][1] == (
        2, "update", ["processing_time"])
    diff = client.simulate_get(f"/api/procedures/{made['id']}/diff", headers=PORTAL_ADMIN,
                               params={"from": 1, "to": 2})
    api.check("/api/procedures/{procedure_id}/diff", "get", diff)
    assert list(diff.json["fields"]) == ["processing_time"]
    for example in api.examples("Rollback"):
        restored = client.simulate_post(f"/api/procedures/{made['id']}/rollback", headers=PORTAL_ADMIN,
                                        json={**example, "version": 2})
        assert restored.status_code == 200, restored.text
        api.check("/api/procedures/{procedure_id}/rollback", "post", restored)
    assert (restored.json["processing_time"], restored.json["version"]) == (BIRTH["processing_time"], 3)


def test_bad_input_is_refused_by_name_and_writes_nothing(phu_mau, api):
    client = phu_mau.client
    route = "/api/units/{unit}/procedures"
    refused = client.simulate_post("/api/units/phu-mau/procedures", headers=PORTAL_ADMIN, json={
        **BIRTH, "name": "", "code": "1.1", "level": "thon", "portal_url": "javascript:alert(1)", "extra": 1})
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"name", "code", "level", "portal_url", "extra"}
    api.check(route, "post", refused)
    assert client.simulate_get("/api/units/phu-mau/editorial/procedures", headers=PORTAL_ADMIN).json["items"] == []
    made = create(client, BIRTH).json
    taken = client.simulate_post("/api/units/phu-mau/procedures", headers=PORTAL_ADMIN, json=BIRTH)
    assert taken.status_code == 409
    api.check(route, "post", taken)
    for body, field in (({**BIRTH}, "version"), ({**BIRTH, "version": "1"}, "version"),
                        ({**BIRTH, "portal_url": "ftp://x.vn/a", "version": 1}, "portal_url")):
        refused = client.simulate_put(f"/api/procedures/{made['id']}", headers=PORTAL_ADMIN, json=body)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
        api.check("/api/procedures/{procedure_id}", "put", refused)
