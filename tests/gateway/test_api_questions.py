"""Citizens' questions through the JSON API: asking and the published answers for anyone, the
inbox and each step for the unit's board, every answer held to the OpenAPI document."""
import dataclasses

import pytest

from tests.gateway.api_answers import body_example, build, check
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_bad_input import api_error
from tests.gateway.test_question_pages import ANSWER, QUESTION

LIMIT = 3
PREFIXES = ("/api/units/{unit}/question", "/api/questions")


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=LIMIT)


@pytest.fixture
def document(phu_mau):
    return build(phu_mau, PREFIXES)


@pytest.fixture
def client(phu_mau):
    return phu_mau.client


def staff(client, unit: str, username: str, role: str) -> dict:
    created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": username, "name": username.replace("-", " ").title(), "roles": {unit: [role]}})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json['token']}"}


def ask(client, unit="phu-mau", address="203.113.131.7", **changes):
    return client.simulate_post(f"/api/units/{unit}/questions", json={**QUESTION, **changes}, remote_addr=address)


def test_a_question_goes_from_asking_to_a_published_answer(client, document):
    asked = ask(client)
    assert asked.status_code == 201, asked.text
    check(document, "POST", "/api/units/{unit}/questions", asked)
    question_id = asked.json["id"]
    assert client.simulate_get(f"/api/units/phu-mau/questions/{question_id}").status_code == 404  # not yet public

    inbox = client.simulate_get("/api/units/phu-mau/question-inbox", headers=PORTAL_ADMIN, params={"status": "pending"})
    check(document, "GET", "/api/units/{unit}/question-inbox", inbox)
    [waiting] = inbox.json["items"]
    assert waiting["asker_email"] == QUESTION["asker_email"] and waiting["status"] == "pending"

    steps = [("accept", {"version": 1}), ("answer", {"answer_html": ANSWER, "version": 2}), ("publish", {})]
    for step, body in steps:
        done = client.simulate_post(f"/api/questions/{question_id}/{step}", headers=PORTAL_ADMIN, json=body)
        assert done.status_code == 200, done.text
        check(document, "POST", f"/api/questions/{{question_id}}/{step}", done)
    assert done.json["status"] == "published" and done.json["version"] == 4

    public = client.simulate_get(f"/api/units/phu-mau/questions/{question_id}")
    check(document, "GET", "/api/units/{unit}/questions/{question_id}", public)
    assert public.json["answer_html"] == ANSWER and "asker_email" not in public.json
    listed = client.simulate_get("/api/units/phu-mau/questions")
    check(document, "GET", "/api/units/{unit}/questions", listed)
    assert [item["id"] for item in listed.json["items"]] == [question_id]
    assert "asker_email" not in listed.json["items"][0] and "asker_phone" not in str(listed.json)

    staff_view = client.simulate_get(f"/api/questions/{question_id}", headers=PORTAL_ADMIN)
    check(document, "GET", "/api/questions/{question_id}", staff_view)
    revisions = client.simulate_get(f"/api/questions/{question_id}/revisions", headers=PORTAL_ADMIN)
    check(document, "GET", "/api/questions/{question_id}/revisions", revisions)
    assert [revision["action"] for revision in revisions.json["items"]] == ["ask", "accept", "answer", "publish"]


def test_the_documented_examples_are_accepted(client, document):
    asked = client.simulate_post("/api/units/phu-mau/questions",
                                 json=body_example(document, "/api/units/{unit}/questions"))
    assert asked.status_code == 201, asked.text
    path = f"/api/questions/{asked.json['id']}"
    accepted = client.simulate_post(path + "/accept", headers=PORTAL_ADMIN, json={"version": 1})
    assert accepted.status_code == 200, accepted.text
    answered = client.simulate_post(path + "/answer", headers=PORTAL_ADMIN,
                                    json=body_example(document, "/api/questions/{question_id}/answer"))
    assert answered.status_code == 200, answered.text
    published = client.simulate_post(path + "/publish", headers=PORTAL_ADMIN,
                                     json=body_example(document, "/api/questions/{question_id}/publish") | {
                                         "version": answered.json["version"]})
    assert published.status_code == 200, published.text

    other = ask(client).json["id"]
    rejected = client.simulate_post(f"/api/questions/{other}/reject", headers=PORTAL_ADMIN,
                                    json=body_example(document, "/api/questions/{question_id}/reject"))
    assert rejected.status_code == 200, rejected.text
    check(document, "POST", "/api/questions/{question_id}/reject", rejected)
    assert rejected.json["status"] == "rejected" and rejected.json["rejection_reason"].startswith("Câu hỏi")


def test_bad_input_is_refused_naming_each_field(client, document):
    refused = ask(client, asker_email="an.nguyen@", title="Hỏi", asker_name=None, extra="x")
    error = api_error(refused, 422)
    check(document, "POST", "/api/units/{unit}/questions", refused)
    assert {"asker_email", "title", "asker_name", "extra"} <= set(error["fields"])

    question_id = ask(client).json["id"]
    for step, body, field in (("reject", {}, "reason"), ("reject", {"reason": "Trùng", "version": "1"}, "version"),
                              ("answer", {"version": 1}, "answer_html"), ("accept", {"version": 0}, "version"),
                              ("accept", {"decision": "accept"}, "decision")):
        refused = client.simulate_post(f"/api/questions/{question_id}/{step}", headers=PORTAL_ADMIN, json=body)
        assert field in api_error(refused, 422)["fields"], (step, body)
        check(document, "POST", f"/api/questions/{{question_id}}/{step}", refused)

    not_json = client.simulate_post(f"/api/questions/{question_id}/reject", headers=PORTAL_ADMIN, body="reason=x",
                                    content_type="application/x-www-form-urlencoded")
    api_error(not_json, 415)
    for params, field in (({"status": "lost"}, "status"), ({"page": "0"}, "page"), ({"limit": "101"}, "limit"),
                          ({"sort": "title"}, "sort")):
        refused = client.simulate_get("/api/units/phu-mau/question-inbox", headers=PORTAL_ADMIN, params=params)
        assert field in api_error(refused, 422)["fields"]
        check(document, "GET", "/api/units/{unit}/question-inbox", refused)
    assert client.simulate_get("/api/questions/" + question_id, headers=PORTAL_ADMIN).json["version"] == 1  # untouched


def test_unknown_items_are_404_and_another_units_questions_403(client, document):
    client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={"slug": "phu-da", "name": "Xã Phú Đa",
                                                                   "level": "xa", "parent": "thua-thien-hue"})
    ours = ask(client).json["id"]
    theirs = ask(client, unit="phu-da").json["id"]
    editor = staff(client, "phu-mau", "bien-tap", "editor")
    for path in ("/api/questions/0000", "/api/questions/0000/revisions"):
        check(document, "GET", path.replace("0000", "{question_id}"),
              missing := client.simulate_get(path, headers=PORTAL_ADMIN))
        api_error(missing, 404)
    api_error(client.simulate_post("/api/questions/0000/accept", headers=PORTAL_ADMIN, json={}), 404)
    api_error(client.simulate_get("/api/units/khong-co/questions"), 404)
    api_error(client.simulate_get("/api/units/phu-mau/questions/" + ours), 404)

    assert client.simulate_get(f"/api/questions/{ours}", headers=editor).status_code == 200
    for method, path in (("GET", f"/api/questions/{theirs}"), ("GET", f"/api/questions/{theirs}/revisions"),
                         ("POST", f"/api/questions/{theirs}/accept"),
                         ("GET", "/api/units/phu-da/question-inbox")):
        refused = client.simulate_request(method, path, headers=editor, json={} if method == "POST" else None)
        api_error(refused, 403)
    api_error(client.simulate_get("/api/units/phu-mau/question-inbox"), 401)
    assert client.simulate_get(f"/api/questions/{theirs}", headers=PORTAL_ADMIN).json["status"] == "pending"


def test_a_stale_version_or_a_step_out_of_turn_is_409(client, document):
    question_id = ask(client).json["id"]
    path = f"/api/questions/{question_id}"
    out_of_turn = client.simulate_post(path + "/publish", headers=PORTAL_ADMIN, json={})
    assert api_error(out_of_turn, 409)["current_version"] == 1
    check(document, "POST", "/api/questions/{question_id}/publish", out_of_turn)
    assert client.simulate_post(path + "/accept", headers=PORTAL_ADMIN, json={"version": 1}).status_code == 200
    stale = client.simulate_post(path + "/answer", headers=PORTAL_ADMIN, json={"answer_html": ANSWER, "version": 1})
    assert api_error(stale, 409)["current_version"] == 2
    assert client.simulate_get(path, headers=PORTAL_ADMIN).json["answer_html"] == ""


def test_an_earlier_answer_is_compared_and_restored_as_the_next_version(client, document):
    client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={"slug": "phu-da", "name": "Xã Phú Đa",
                                                                   "level": "xa", "parent": "thua-thien-hue"})
    outsider = staff(client, "phu-da", "bien-tap-phu-da", "editor")
    path = f"/api/questions/{ask(client).json['id']}"
    corrected = "<p>Hồ sơ nộp tại Bộ phận một cửa UBND xã.</p>"
    for step, body in (("accept", {"version": 1}), ("answer", {"answer_html": ANSWER, "version": 2}),
                       ("publish", {"version": 3}), ("answer", {"answer_html": corrected, "version": 4})):
        assert client.simulate_post(f"{path}/{step}", headers=PORTAL_ADMIN, json=body).status_code == 200

    diff = client.simulate_get(f"{path}/diff", headers=PORTAL_ADMIN, params={"from": 3, "to": 5})
    check(document, "GET", "/api/questions/{question_id}/diff", diff)
    assert list(diff.json["fields"]) == ["answer_html"]
    rollback = "/api/questions/{question_id}/rollback"
    refused = {}
    for status, body in ((409, {"to_version": 3, "version": 4}), (404, {"to_version": 9, "version": 5}),
                         (422, {"to_version": 1, "version": 5})):  # version 1, as asked, holds no answer
        answered = client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN, json=body)
        refused[status] = api_error(answered, status)
        check(document, "POST", rollback, answered)
    assert refused[409]["current_version"] == 5 and "to_version" in refused[422]["fields"]
    for method, suffix, body in (("GET", "/diff?from=3&to=5", None), ("POST", "/rollback",
                                                                       {"to_version": 3, "version": 5})):
        address, _, query = (path + suffix).partition("?")
        forbidden = client.simulate_request(method, address, headers=outsider, query_string=query, json=body)
        api_error(forbidden, 403)
        check(document, method, "/api/questions/{question_id}" + suffix.split("?")[0], forbidden)

    # Nothing was written: the rollback based on version 5 is still the current one.
    for example in document["components"]["schemas"]["AnswerRollback"]["examples"]:
        restored = client.simulate_post(f"{path}/rollback", headers=PORTAL_ADMIN, json=example)
        assert restored.status_code == 200, restored.text
        check(document, "POST", rollback, restored)
    assert (restored.json["version"], restored.json["status"], restored.json["answer_html"]) == (6, "published",
                                                                                                ANSWER)
    public = client.simulate_get(f"/api/units/phu-mau/questions/{restored.json['id']}")
    assert public.json["answer_html"] == ANSWER
    revisions = client.simulate_get(f"{path}/revisions", headers=PORTAL_ADMIN).json["items"]
    assert [(r["version"], r["action"]) for r in revisions[-2:]] == [(5, "answer"), (6, "rollback")]
    missing = client.simulate_get("/api/questions/0000/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2})
    api_error(missing, 404)
    check(document, "GET", "/api/questions/{question_id}/diff", missing)


def test_one_address_asks_the_limit_in_an_hour_then_gets_a_429(client, document):
    for _ in range(LIMIT):
        assert ask(client).status_code == 201
    refused = ask(client)
    error = api_error(refused, 429)
    check(document, "POST", "/api/units/{unit}/questions", refused)
    assert 0 < error["retry_after"] <= 3600 and refused.headers["retry-after"] == str(error["retry_after"])
    assert ask(client, address="2001:ee0:4141:1::7").status_code == 201


def test_lists_are_paged_with_next_and_previous_and_answer_304_to_their_etag(client, document, phu_mau):
    ids = [ask(client, address=f"203.113.131.{n}").json["id"] for n in range(5)]
    first = client.simulate_get("/api/units/phu-mau/question-inbox", headers=PORTAL_ADMIN, params={"limit": 2})
    check(document, "GET", "/api/units/{unit}/question-inbox", first)
    assert first.json["previous"] is None and len(first.json["items"]) == 2
    assert first.json["next"] == "/api/units/phu-mau/question-inbox?page=2&limit=2"
    seen = [item["id"] for item in first.json["items"]]
    page = first
    while page.json["next"]:
        path, query = page.json["next"].split("?")
        page = client.simulate_get(path, query_string=query, headers=PORTAL_ADMIN)
        seen += [item["id"] for item in page.json["items"]]
    assert sorted(seen) == sorted(ids) and page.json["previous"] == "/api/units/phu-mau/question-inbox?page=2&limit=2"

    again = client.simulate_get("/api/units/phu-mau/question-inbox", headers={
        **PORTAL_ADMIN, "If-None-Match": first.headers["etag"]}, params={"limit": 2})
    assert again.status_code == 304 and again.content == b""
    check(document, "GET", "/api/units/{unit}/question-inbox", again)
    public = client.simulate_get("/api/units/phu-mau/questions")
    assert public.json["items"] == [] and public.json["next"] is None
    assert client.simulate_get("/api/units/phu-mau/questions",
                               headers={"If-None-Match": public.headers["etag"]}).status_code == 304


def test_a_question_asked_again_with_its_key_is_asked_once(client, document):
    keyed = {"Idempotency-Key": "cau-hoi-giay-khai-sinh-1"}
    first = client.simulate_post("/api/units/phu-mau/questions", json=QUESTION, headers=keyed,
                                 remote_addr="203.113.131.7")
    again = client.simulate_post("/api/units/phu-mau/questions", json=QUESTION, headers=keyed,
                                 remote_addr="203.113.131.7")
    assert first.status_code == again.status_code == 201 and again.json == first.json
    other = client.simulate_post("/api/units/phu-mau/questions", json={**QUESTION, "title": "Câu hỏi khác hẳn"},
                                 headers=keyed)
    assert "Idempotency-Key" in api_error(other, 422)["fields"]
    inbox = client.simulate_get("/api/units/phu-mau/question-inbox", headers=PORTAL_ADMIN)
    assert [item["id"] for item in inbox.json["items"]] == [first.json["id"]]
    for _ in range(LIMIT - 1):  # the repeat was not counted against the address
        assert ask(client).status_code == 201
    api_error(ask(client), 429)
