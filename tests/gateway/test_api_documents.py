"""Legal documents through the JSON API, against the real services: the search and published
documents for anyone, drafts, corrections, publication and revisions for the unit's board, each
answer as its OpenAPI operation documents, every documented example accepted, bad input refused
by name with nothing written, another unit's document out of reach."""
import base64
import re

import pytest

from tests.drive import acting
from tests.gateway.api_documented import documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_document_pages import DECISION, LETTER, PDF


@pytest.fixture
def api(phu_mau):
    return documented(phu_mau, re.compile(r"documents"))


def upload(portal, unit="phu-mau", name="12-2026-QD-UBND.pdf") -> dict:
    """The first of the two steps: the file, uploaded as the unit's media."""
    with portal.pool.services() as services:
        return services.content.upload_media(acting(portal.admin), unit, name, base64.b64encode(PDF).decode())


def create(client, data, headers=PORTAL_ADMIN, unit="phu-mau"):
    made = client.simulate_post(f"/api/units/{unit}/documents", headers=headers, json=data)
    assert made.status_code == 201, made.text
    return made


def publish(client, document: dict) -> dict:
    published = client.simulate_post(f"/api/documents/{document['id']}/publish", headers=PORTAL_ADMIN,
                                     json={"version": document["version"]})
    assert published.status_code == 200, published.text
    return published.json


def test_a_document_is_drafted_with_its_file_corrected_published_and_read_as_documented(phu_mau, api):
    client = phu_mau.client
    for example in api.examples("DocumentInput"):
        api.check("/api/units/{unit}/documents", "post", create(client, example))
    pdf = upload(phu_mau)
    made = create(client, {**DECISION, "file": pdf["id"]})
    assert made.json["file"] == {"media_id": pdf["id"], "filename": "12-2026-QD-UBND.pdf",
                                 "content_type": "application/pdf", "size": len(PDF), "path": f"/tep/{pdf['id']}"}
    assert client.simulate_get(made.json["file"]["path"]).status_code == 200
    document_id = made.json["id"]
    assert client.simulate_get(f"/api/units/phu-mau/documents/{document_id}").status_code == 404   # a draft

    for example in api.examples("DocumentChange"):
        current = client.simulate_get(f"/api/documents/{document_id}", headers=PORTAL_ADMIN)
        api.check("/api/documents/{document_id}", "get", current)
        changed = client.simulate_put(f"/api/documents/{document_id}", headers=PORTAL_ADMIN,
                                      json={**example, "file": pdf["id"], "version": current.json["version"]})
        assert changed.status_code == 200, changed.text
        api.check("/api/documents/{document_id}", "put", changed)
    assert changed.json["signer"] == "Trần Thị Bình"
    stale = client.simulate_put(f"/api/documents/{document_id}", headers=PORTAL_ADMIN, json={**DECISION, "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 2
    api.check("/api/documents/{document_id}", "put", stale)

    for example in api.examples("DocumentPublication"):
        published = client.simulate_post(f"/api/documents/{document_id}/publish", headers=PORTAL_ADMIN,
                                         json={**example, "version": 2})
        assert published.status_code == 200, published.text
        api.check("/api/documents/{document_id}/publish", "post", published)
    again = client.simulate_post(f"/api/documents/{document_id}/publish", headers=PORTAL_ADMIN, json={"version": 3})
    assert again.status_code == 409
    api.check("/api/documents/{document_id}/publish", "post", again)

    public = client.simulate_get(f"/api/units/phu-mau/documents/{document_id}")
    assert public.status_code == 200 and public.json["status"] == "published"
    api.check("/api/units/{unit}/documents/{document_id}", "get", public)
    cached = client.simulate_get(f"/api/units/phu-mau/documents/{document_id}",
                                 headers={"If-None-Match": public.headers["ETag"]})
    assert cached.status_code == 304
    assert client.simulate_get("/api/units/phu-mau/documents/khong-co").status_code == 404


def test_the_search_filters_sorts_and_pages_as_every_list_does(phu_mau, api):
    client = phu_mau.client
    for data in (DECISION, LETTER, {**LETTER, "number": "126/UBND-VP", "issued_on": "2026-05-21"}):
        publish(client, create(client, data).json)
    route = "/api/units/{unit}/documents"
    newest = client.simulate_get("/api/units/phu-mau/documents", params={"limit": 2})
    api.check(route, "get", newest)
    assert [d["number"] for d in newest.json["items"]] == ["126/UBND-VP", "125/UBND-VP"]
    assert newest.json["next"] and newest.json["previous"] is None and newest.json["sort"] == "-issued_on"
    path, query = newest.json["next"].split("?")
    rest = client.simulate_get(path, query_string=query)
    assert [d["number"] for d in rest.json["items"]] == ["12/2026/QĐ-UBND"] and rest.json["next"] is None
    oldest = client.simulate_get("/api/units/phu-mau/documents", params={"sort": "issued_on"})
    assert [d["number"] for d in oldest.json["items"]] == ["12/2026/QĐ-UBND", "125/UBND-VP", "126/UBND-VP"]
    for params, numbers in (({"number": "12/2026"}, ["12/2026/QĐ-UBND"]), ({"type": "cong van"}, ["126/UBND-VP",
                            "125/UBND-VP"]), ({"issued_from": "2026-05-21"}, ["126/UBND-VP"]),
                            ({"issued_to": "2026-03-02", "issuer": "ubnd xa phu mau"}, ["12/2026/QĐ-UBND"]),
                            ({"text": "chuyển đổi số"}, ["12/2026/QĐ-UBND"])):
        found = client.simulate_get("/api/units/phu-mau/documents", params=params)
        assert [d["number"] for d in found.json["items"]] == numbers, params
    for params, fields in (({"issued_from": "02/03/2026"}, {"issued_from"}), ({"sort": "number"}, {"sort"}),
                           ({"limit": "101"}, {"limit"}), ({"page": "102", "limit": "100"}, {"page"}),
                           ({"issued_from": "2026-05-02", "issued_to": "2026-05-01"}, {"issued_to"}),
                           ({"number": "x" * 51, "type": "//"}, {"number", "type"})):
        refused = client.simulate_get("/api/units/phu-mau/documents", params=params)
        assert refused.status_code == 422 and set(refused.json["error"]["fields"]) == fields, (params, refused.text)
        api.check(route, "get", refused)
    cached = client.simulate_get("/api/units/phu-mau/documents", params={"limit": 2},
                                 headers={"If-None-Match": newest.headers["ETag"]})
    assert cached.status_code == 304
    assert client.simulate_get("/api/units/khong-co/documents").status_code == 404


def test_the_board_lists_every_state_and_another_unit_sees_nothing(phu_mau, api):
    client = phu_mau.client
    second_commune(client)
    editor = user(client, "bien-tap", "phu-mau", "editor")
    outsider = user(client, "bien-tap-phu-da", "phu-da", "editor_in_chief")
    draft = create(client, LETTER, headers=editor).json
    published = publish(client, create(client, DECISION).json)
    route = "/api/units/{unit}/editorial/documents"
    listed = client.simulate_get("/api/units/phu-mau/editorial/documents", headers=editor)
    api.check(route, "get", listed)
    assert [d["id"] for d in listed.json["items"]] == [published["id"], draft["id"]]
    drafts = client.simulate_get("/api/units/phu-mau/editorial/documents", headers=editor, params={"status": "draft"})
    assert [d["id"] for d in drafts.json["items"]] == [draft["id"]]
    refused = client.simulate_get("/api/units/phu-mau/editorial/documents", headers=editor, params={"status": "x"})
    assert refused.status_code == 422 and "status" in refused.json["error"]["fields"]
    assert client.simulate_get("/api/units/phu-mau/editorial/documents").status_code == 401

    assert client.simulate_get("/api/units/phu-mau/editorial/documents", headers=outsider).status_code == 403
    for method, path, body in (("GET", "", None), ("PUT", "", {**LETTER, "version": 1}),
                               ("POST", "/publish", {"version": 1}), ("GET", "/revisions", None),
                               ("GET", "/diff?from=1&to=1", None),
                               ("POST", "/rollback", {"to_version": 1, "version": 1})):
        path, _, query = path.partition("?")
        answered = client.simulate_request(method, f"/api/documents/{draft['id']}{path}", headers=outsider, json=body,
                                           query_string=query)
        assert answered.status_code == 403, (method, path, answered.text)
    assert client.simulate_get(f"/api/units/phu-da/documents/{published['id']}").status_code == 404
    assert client.simulate_get("/api/documents/khong-co", headers=editor).status_code == 404
    # An editor's correction of a published document would go public: only who may publish makes it.
    corrected = client.simulate_put(f"/api/documents/{published['id']}", headers=editor,
                                    json={**DECISION, "signer": "Lê Văn C", "version": published["version"]})
    assert corrected.status_code == 403
    foreign = upload(phu_mau, unit="phu-da")
    refused = client.simulate_post("/api/units/phu-mau/documents", headers=editor, json={**LETTER, "number": "1/TB",
                                                                                          "file": foreign["id"]})
    assert refused.status_code == 422 and refused.json["error"]["fields"] == {"file": "unknown file"}


def test_revisions_are_listed_compared_and_rolled_back(phu_mau, api):
    client = phu_mau.client
    made = create(client, DECISION).json
    changed = client.simulate_put(f"/api/documents/{made['id']}", headers=PORTAL_ADMIN,
                                  json={**DECISION, "signer": "Lê Văn C", "version": 1})
    assert changed.status_code == 200
    revisions = client.simulate_get(f"/api/documents/{made['id']}/revisions", headers=PORTAL_ADMIN)
    api.check("/api/documents/{document_id}/revisions", "get", revisions)
    assert [(r["version"], r["action"], r["changed"]) for r in revisions.json["items"]][1] == (2, "update", ["signer"])
    diff = client.simulate_get(f"/api/documents/{made['id']}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2})
    api.check("/api/documents/{document_id}/diff", "get", diff)
    assert list(diff.json["fields"]) == ["signer"] and "+Lê Văn C" in diff.json["fields"]["signer"]
    for example in api.examples("Rollback"):
        restored = client.simulate_post(f"/api/documents/{made['id']}/rollback", headers=PORTAL_ADMIN,
                                        json={**example, "version": 2})
        assert restored.status_code == 200, restored.text
        api.check("/api/documents/{document_id}/rollback", "post", restored)
    assert (restored.json["signer"], restored.json["version"]) == (DECISION["signer"], 3)
    stale = client.simulate_post(f"/api/documents/{made['id']}/rollback", headers=PORTAL_ADMIN,
                                 json={"to_version": 2, "version": 2})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 3
    api.check("/api/documents/{document_id}/rollback", "post", stale)
    missing = client.simulate_post(f"/api/documents/{made['id']}/rollback", headers=PORTAL_ADMIN,
                                   json={"to_version": 7, "version": 3})
    assert missing.status_code == 404


def test_bad_input_is_refused_by_name_and_writes_nothing(phu_mau, api):
    client = phu_mau.client
    route = "/api/units/{unit}/documents"
    refused = client.simulate_post("/api/units/phu-mau/documents", headers=PORTAL_ADMIN, json={
        **DECISION, "number": "quyết định số 12", "issued_on": "2099-01-01", "excerpt": "", "tep": "x"})
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"number", "issued_on", "excerpt", "tep"}
    api.check(route, "post", refused)
    made = create(client, DECISION).json
    taken = client.simulate_post("/api/units/phu-mau/documents", headers=PORTAL_ADMIN, json=DECISION)
    assert taken.status_code == 409
    api.check(route, "post", taken)
    for body, field in (({**DECISION}, "version"), ({**DECISION, "version": "1"}, "version"),
                        ({**DECISION, "version": 0}, "version"), ({**DECISION, "effective_on": "2026-01-01",
                                                                   "version": 1}, "effective_on")):
        refused = client.simulate_put(f"/api/documents/{made['id']}", headers=PORTAL_ADMIN, json=body)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
        api.check("/api/documents/{document_id}", "put", refused)
    too_large = client.simulate_post("/api/units/phu-mau/documents", headers=PORTAL_ADMIN,
                                     json={**DECISION, "excerpt": "x" * 3_000_000})
    assert too_large.status_code == 413
    api.check(route, "post", too_large)
    assert client.simulate_get(f"/api/documents/{made['id']}", headers=PORTAL_ADMIN).json["version"] == 1
