"""What the README promises an integrator of the JSON API about writes, checked from outside.

README, "HTTP" and its "Errors:" paragraph: every API error is `{"error": {"status", "message",
"fields"?}}` (409 with `current_version`, 422 naming each field, 503 with `Retry-After`), never a
stack trace; every write takes an `Idempotency-Key` of 1–255 visible ASCII characters.
README, "When a request meets a fault": a write sent again with the same key by the same user
gets the first answer, the result or the refusal, instead of acting twice or a false 409; the
same key with a different body is a 422; a write whose outcome the gateway cannot know is a
503/504 naming its `idempotency_key`; one refused before it left says nothing was done.

Only the content and ranking services run behind the gateway here (the fixtures), so the
notify service behind `POST /api/subscriptions` is down, which is how the 503 is reached."""
import time
import uuid
from email.utils import parsedate_to_datetime

from tests.gateway.conftest import PORTAL_ADMIN

BODY = "<p>Nội dung bài viết.</p>"
KEY_HEADER = "Idempotency-Key"


def new_key() -> str:
    return str(uuid.uuid4())


def keyed(key: str, headers: dict = PORTAL_ADMIN) -> dict:
    return {**headers, KEY_HEADER: key}


def assert_error(response, status: int) -> dict:
    """The documented error shape, with its status; returns the inner object."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.headers
    assert "Traceback" not in response.text
    body = response.json
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    assert set(error) <= {"status", "message", "fields", "current_version", "idempotency_key", "request_id"}, error
    if "fields" in error:
        assert isinstance(error["fields"], dict) and error["fields"], error
    if status == 503:
        assert_retry_after(response)
    return error


def assert_retry_after(response):
    value = response.headers.get("retry-after")
    assert value, f"a {response.status_code} without Retry-After: {dict(response.headers)}"
    if not value.strip().isdigit():  # RFC 9110: delay-seconds or an HTTP-date
        parsedate_to_datetime(value)


def names_key_header(error: dict) -> bool:
    text = " ".join([error.get("message", ""), *error.get("fields", {}), *map(str, error.get("fields", {}).values())])
    return KEY_HEADER.lower() in text.lower()


def board(client, unit: str = "phu-mau") -> list[dict]:
    """The editorial board's list of a unit's articles, drafts included."""
    response = client.simulate_get(f"/api/units/{unit}/editorial/articles", headers=PORTAL_ADMIN)
    assert response.status_code == 200, response.text
    return response.json["items"]


def audit(client, action: str, target: str | None = None, unit: str = "phu-mau") -> list[dict]:
    filters = {"action": action, **({"target": target} if target else {})}
    response = client.simulate_get(f"/api/units/{unit}/audit", headers=PORTAL_ADMIN, params={**filters, "limit": 100})
    assert response.status_code == 200, response.text
    return response.json["items"]


def revisions(client, article_id: str) -> list[dict]:
    response = client.simulate_get(f"/api/articles/{article_id}/revisions", headers=PORTAL_ADMIN)
    assert response.status_code == 200, response.text
    return response.json["items"]


def create_user(client, username: str, role: str | None = None) -> str:
    """A user (with a role in Phú Mậu if given), created without keys; returns its token."""
    created = client.simulate_post("/api/users", headers=PORTAL_ADMIN,
                                   json={"username": username, "name": f"Cán bộ {username}"})
    assert created.status_code == 201, created.text
    if role:
        granted = client.simulate_post(f"/api/users/{username}/roles", headers=PORTAL_ADMIN,
                                       json={"unit": "phu-mau", "role": role})
        assert granted.status_code == 200, granted.text
    return created.json["token"]


def test_creating_an_article_twice_with_one_key_answers_the_same_and_creates_one(phu_mau):
    client, key = phu_mau.client, new_key()
    draft = {"title": "Họp dân thôn Lại Thế", "body_html": BODY}

    first = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key), json=draft)
    again = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key), json=draft)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json) == (first.status_code, first.json)
    assert [a["id"] for a in board(client) if a["title"] == draft["title"]] == [first.json["id"]]
    assert len(revisions(client, first.json["id"])) == 1
    assert len(audit(client, "article.create", first.json["id"])) == 1


def test_a_workflow_step_and_a_versioned_edit_repeated_with_their_keys_get_the_first_answer_not_a_409(phu_mau):
    """The repeat of a step that moved the article on would, acted again, be refused (stale
    version, wrong state); the README promises the first answer "instead of ... a false 409"."""
    client = phu_mau.client
    created = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                   json={"title": "Lịch tiêm chủng tháng này", "body_html": BODY})
    assert created.status_code == 201, created.text
    article = created.json

    edit_key, edit = new_key(), {"version": article["version"], "title": "Lịch tiêm chủng tháng Sáu",
                                 "body_html": BODY}
    edited = client.simulate_put(f"/api/articles/{article['id']}", headers=keyed(edit_key), json=edit)
    edited_again = client.simulate_put(f"/api/articles/{article['id']}", headers=keyed(edit_key), json=edit)
    assert edited.status_code == 200, edited.text
    assert (edited_again.status_code, edited_again.json) == (200, edited.json)

    submit_key, step = new_key(), {"version": edited.json["version"]}
    submitted = client.simulate_post(f"/api/articles/{article['id']}/submit", headers=keyed(submit_key), json=step)
    submitted_again = client.simulate_post(f"/api/articles/{article['id']}/submit", headers=keyed(submit_key),
                                           json=step)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json["status"] == "submitted"
    assert (submitted_again.status_code, submitted_again.json) == (200, submitted.json)

    assert [r["action"] for r in revisions(client, article["id"])].count("submit") == 1
    assert len(revisions(client, article["id"])) == 3  # create, the one edit, the one submit
    current = client.simulate_get(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN).json
    assert (current["status"], current["version"]) == ("submitted", submitted.json["version"])


def test_creating_a_category_twice_with_one_key_answers_201_twice_and_creates_one(phu_mau):
    client, key = phu_mau.client, new_key()
    category = {"slug": "tin-xa", "name": "Tin xã"}

    first = client.simulate_post("/api/units/phu-mau/categories", headers=keyed(key), json=category)
    again = client.simulate_post("/api/units/phu-mau/categories", headers=keyed(key), json=category)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json) == (201, first.json)  # not the 409 of a second creation
    listed = client.simulate_get("/api/units/phu-mau/categories").json["items"]
    assert [c["slug"] for c in listed] == ["tin-xa"]


def test_creating_a_user_twice_with_one_key_gives_the_same_working_token(phu_mau):
    """The token is shown once, when the user is created; the repeat is that same answer, so a
    client whose first answer was lost still learns a token that works."""
    client, key = phu_mau.client, new_key()
    user = {"username": "le-thi-hoa", "name": "Lê Thị Hoa"}

    first = client.simulate_post("/api/users", headers=keyed(key), json=user)
    again = client.simulate_post("/api/users", headers=keyed(key), json=user)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json) == (201, first.json)  # same token, no 409
    granted = client.simulate_post("/api/users/le-thi-hoa/roles", headers=PORTAL_ADMIN,
                                   json={"unit": "phu-mau", "role": "author"})
    assert granted.status_code == 200, granted.text
    written = client.simulate_post("/api/units/phu-mau/articles",
                                   headers={"Authorization": f"Bearer {again.json['token']}"},
                                   json={"title": "Bài của cộng tác viên", "body_html": BODY})
    assert written.status_code == 201, written.text
    assert written.json["author"] == "le-thi-hoa"


def test_a_repeated_profile_change_answers_the_first_result_and_does_not_act_again(phu_mau):
    """Repeated after someone else changed the profile, the keyed change is not made again."""
    client, key = phu_mau.client, new_key()
    profile = {"name": "Xã Phú Mậu", "contact": {"phone": "0234 3521 001", "address": "Thôn Lại Thế"}}

    first = client.simulate_put("/api/units/phu-mau", headers=keyed(key), json=profile)
    assert first.status_code == 200, first.text
    other = client.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN,
                                json={"name": "Xã Phú Mậu", "contact": {"phone": "0234 3521 999"}})
    assert other.status_code == 200, other.text
    again = client.simulate_put("/api/units/phu-mau", headers=keyed(key), json=profile)

    assert (again.status_code, again.json) == (200, first.json)
    unit = client.simulate_get("/api/units/phu-mau").json
    assert (unit["version"], unit["contact"]["phone"]) == (other.json["version"], "0234 3521 999")
    assert len(audit(client, "unit.update_profile", "phu-mau")) == 2  # the keyed change once, the other once


def test_granting_and_revoking_a_role_repeated_with_their_keys_act_once(phu_mau):
    client = phu_mau.client
    create_user(client, "tran-van-binh")
    grant_key, revoke_key, role = new_key(), new_key(), {"unit": "phu-mau", "role": "editor"}

    granted = client.simulate_post("/api/users/tran-van-binh/roles", headers=keyed(grant_key), json=role)
    assert granted.status_code == 200, granted.text
    assert granted.json["roles"] == {"phu-mau": ["editor"]}
    revoked = client.simulate_delete("/api/users/tran-van-binh/roles", headers=keyed(revoke_key), params=role)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json["roles"] == {}

    granted_again = client.simulate_post("/api/users/tran-van-binh/roles", headers=keyed(grant_key), json=role)
    revoked_again = client.simulate_delete("/api/users/tran-van-binh/roles", headers=keyed(revoke_key), params=role)
    assert (granted_again.status_code, granted_again.json) == (200, granted.json)
    assert (revoked_again.status_code, revoked_again.json) == (200, revoked.json)

    # Had the repeated grant acted again, the user would still be an editor now.
    other = client.simulate_post("/api/users/tran-van-binh/roles", headers=keyed(new_key()),
                                 json={"unit": "phu-mau", "role": "author"})
    assert other.status_code == 200, other.text
    assert other.json["roles"] == {"phu-mau": ["author"]}


def outcome(response) -> dict:
    """An error answer without its request id, which names each request, not the outcome."""
    return {"error": {k: v for k, v in response.json["error"].items() if k != "request_id"}}


def test_a_refusal_is_answered_the_same_when_repeated_with_its_key(phu_mau):
    """"gets the first answer (the result, or the refusal)": a 422, a 409 and a 404 repeated with
    their keys come back as they were, even where the world changed in between so that acting
    again would answer otherwise (a newer `current_version`, a user that now exists)."""
    client = phu_mau.client

    invalid_key, invalid = new_key(), {"title": "Ab", "body_html": BODY}
    refused = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(invalid_key), json=invalid)
    assert_error(refused, 422)
    refused_again = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(invalid_key), json=invalid)
    assert (refused_again.status_code, outcome(refused_again)) == (422, outcome(refused))

    moved_on = client.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN,
                                   json={"name": "Xã Phú Mậu", "contact": {"phone": "0234 1"}})
    assert moved_on.status_code == 200, moved_on.text
    stale_key, stale = new_key(), {"name": "Xã Phú Mậu", "version": 1, "contact": {"phone": "0234 2"}}
    conflict = client.simulate_put("/api/units/phu-mau", headers=keyed(stale_key), json=stale)
    assert assert_error(conflict, 409)["current_version"] == moved_on.json["version"]
    assert client.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN,
                               json={"name": "Xã Phú Mậu", "contact": {"phone": "0234 3"}}).status_code == 200
    conflict_again = client.simulate_put("/api/units/phu-mau", headers=keyed(stale_key), json=stale)
    assert (conflict_again.status_code, outcome(conflict_again)) == (409, outcome(conflict))

    grant_key, role = new_key(), {"unit": "phu-mau", "role": "editor"}
    missing = client.simulate_post("/api/users/nguoi-chua-co/roles", headers=keyed(grant_key), json=role)
    assert_error(missing, 404)
    create_user(client, "nguoi-chua-co")
    missing_again = client.simulate_post("/api/users/nguoi-chua-co/roles", headers=keyed(grant_key), json=role)
    assert (missing_again.status_code, outcome(missing_again)) == (404, outcome(missing))
    # ... and the repeat granted nothing: a later grant shows the one role it gave.
    other = client.simulate_post("/api/users/nguoi-chua-co/roles", headers=keyed(new_key()),
                                 json={"unit": "phu-mau", "role": "author"})
    assert other.json["roles"] == {"phu-mau": ["author"]}, other.text


def test_a_key_reused_with_another_body_or_on_another_route_is_a_422_naming_the_header(phu_mau):
    """The README says "the same key with a different body is a 422". It does not spell out a
    key reused on another route; a careful integrator reads a key as naming one request, so a
    different route is a different request under the same key, refused the same way."""
    client, key = phu_mau.client, new_key()
    first = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key),
                                 json={"title": "Thông báo cắt điện", "body_html": BODY})
    assert first.status_code == 201, first.text

    other_body = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key),
                                      json={"title": "Thông báo cắt nước", "body_html": BODY})
    assert names_key_header(assert_error(other_body, 422)), other_body.text

    other_route = client.simulate_post("/api/units/phu-mau/categories", headers=keyed(key),
                                       json={"slug": "thong-bao", "name": "Thông báo"})
    assert names_key_header(assert_error(other_route, 422)), other_route.text

    assert [a["title"] for a in board(client)] == ["Thông báo cắt điện"]
    assert client.simulate_get("/api/units/phu-mau/categories").json["items"] == []


def test_a_malformed_key_is_a_400_and_does_nothing(phu_mau):
    """1–255 visible ASCII characters (0x21–0x7E). An empty header is read as malformed (zero
    characters), not as an absent one."""
    client = phu_mau.client
    for bad in ("", "k" * 256, "khóa-1", "two words"):
        response = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(bad),
                                         json={"title": f"Tin khóa {len(bad)}", "body_html": BODY})
        assert_error(response, 400)
    assert board(client) == []

    for good in ("!", "~" * 255):
        response = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(good),
                                        json={"title": f"Tin khóa {len(good)}", "body_html": BODY})
        assert response.status_code == 201, (good[:5], response.text)
    assert len(board(client)) == 2


def test_a_write_without_a_key_is_an_ordinary_write(phu_mau):
    """A key the gateway makes for each request is its own: two keyless requests are two writes."""
    client = phu_mau.client
    draft = {"title": "Tin không khóa", "body_html": BODY}
    first = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN, json=draft)
    second = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN, json=draft)
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert first.json["id"] != second.json["id"]
    assert len(board(client)) == 2

    category = {"slug": "tin-xa", "name": "Tin xã"}
    assert client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN,
                                json=category).status_code == 201
    assert_error(client.simulate_post("/api/units/phu-mau/categories", headers=PORTAL_ADMIN, json=category), 409)

    step = {"version": first.json["version"]}
    assert client.simulate_post(f"/api/articles/{first.json['id']}/submit", headers=PORTAL_ADMIN,
                                json=step).status_code == 200
    assert_error(client.simulate_post(f"/api/articles/{first.json['id']}/submit", headers=PORTAL_ADMIN,
                                      json=step), 409)


def test_reads_ignore_the_key(phu_mau):
    """A read with a key is an ordinary read: not replayed, not refused for a malformed key, and
    it does not take the key up, so a write may still use it."""
    client, key = phu_mau.client, new_key()
    before = client.simulate_get("/api/units/phu-mau", headers=keyed(key))
    assert before.status_code == 200, before.text
    changed = client.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN,
                                  json={"name": "Xã Phú Mậu", "contact": {"phone": "0234 7"}})
    assert changed.status_code == 200, changed.text
    after = client.simulate_get("/api/units/phu-mau", headers=keyed(key))
    assert after.status_code == 200, after.text
    assert after.json["version"] == changed.json["version"] != before.json["version"]

    for bad in ("", "two words", "k" * 300):
        assert client.simulate_get("/api/units/phu-mau/categories", headers=keyed(bad)).status_code == 200
        assert client.simulate_get("/api/levels", headers=keyed(bad, {})).status_code == 200

    written = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key),
                                   json={"title": "Tin sau khi đọc", "body_html": BODY})
    assert written.status_code == 201, written.text


def test_the_same_key_from_another_user_is_that_users_own_write(phu_mau):
    """The promise is for a write sent again "by the same user". A user cannot know the keys
    another chose, so a careful integrator reads keys as each user's own: the second user's
    request is acted on for them, neither replaying the first user's answer nor refused."""
    client, key = phu_mau.client, new_key()
    token = create_user(client, "ho-van-cuong", role="author")
    draft = {"title": "Tin của hai người", "body_html": BODY}

    admins = client.simulate_post("/api/units/phu-mau/articles", headers=keyed(key), json=draft)
    authors = client.simulate_post("/api/units/phu-mau/articles",
                                   headers=keyed(key, {"Authorization": f"Bearer {token}"}), json=draft)

    assert admins.status_code == 201, admins.text
    assert authors.status_code == 201, authors.text
    assert authors.json["id"] != admins.json["id"]
    assert (admins.json["author"], authors.json["author"]) == ("admin", "ho-van-cuong")
    assert len(board(client)) == 2


def test_error_bodies_have_the_documented_shape(phu_mau):
    client = phu_mau.client
    created = client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                   json={"title": "Tin để sửa", "body_html": BODY})
    assert created.status_code == 201, created.text
    article = created.json

    assert_error(client.simulate_post("/api/units/phu-mau/articles", headers={**PORTAL_ADMIN, "Content-Type":
                                      "application/json"}, body='{"title": '), 400)
    assert_error(client.simulate_post("/api/units/phu-mau/articles", json={"title": "Không token",
                                                                          "body_html": BODY}), 401)
    assert_error(client.simulate_post("/api/units/phu-mau/articles", headers={"Authorization": "Bearer sai"},
                                      json={"title": "Token sai", "body_html": BODY}), 401)
    assert_error(client.simulate_get("/api/units/khong-co-don-vi"), 404)
    assert_error(client.simulate_get("/api/articles/khong-co-bai", headers=PORTAL_ADMIN), 404)
    assert_error(client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                      json={"title": "Tin rất dài", "body_html": "x" * 2_000_000}), 413)
    assert_error(client.simulate_post("/api/units/phu-mau/articles", headers={**PORTAL_ADMIN, "Content-Type":
                                      "text/plain"}, body="title=Tin"), 415)

    invalid = assert_error(client.simulate_post("/api/units/phu-mau/articles", headers=PORTAL_ADMIN,
                                                json={"title": "Ab"}), 422)
    assert {"title", "body_html"} <= set(invalid.get("fields", {})), invalid  # each field named

    edited = client.simulate_put(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN,
                                 json={"version": article["version"], "title": "Tin đã sửa", "body_html": BODY})
    assert edited.status_code == 200, edited.text
    stale = assert_error(client.simulate_put(f"/api/articles/{article['id']}", headers=PORTAL_ADMIN,
                                             json={"version": article["version"], "title": "Tin sửa lại",
                                                   "body_html": BODY}), 409)
    assert stale["current_version"] == edited.json["version"], stale


def test_a_write_whose_outcome_is_unknown_names_its_key_then_the_service_down_is_a_503_at_once(phu_mau):
    """The notify service does not run here. The first subscription waits out RPC_TIMEOUT (5 s):
    an outcome the gateway cannot know, 503/504 with the request's `idempotency_key`; after that
    the service is known down, and writes to it are a 503 at once, with `Retry-After`."""
    client, key = phu_mau.client, new_key()
    subscription = {"email": "dan.phumau@example.vn", "unit": "phu-mau"}

    first = client.simulate_post("/api/subscriptions", json=subscription, headers={KEY_HEADER: key})
    assert first.status_code in (503, 504), (first.status_code, first.text)
    unknown = assert_error(first, first.status_code)
    assert unknown.get("idempotency_key") == key, unknown

    for headers in ({KEY_HEADER: new_key()}, {}):
        started = time.monotonic()
        known_down = client.simulate_post("/api/subscriptions", json={**subscription, "email": "khac@example.vn"},
                                          headers=headers)
        assert time.monotonic() - started < 3.0, "a service known to be down is not waited for"
        assert_error(known_down, 503)


def test_a_write_sent_without_a_key_whose_outcome_is_unknown_is_told_the_key_it_was_given(phu_mau):
    """"A request without the header gets a key of its own from the gateway", and an unknown
    outcome names `idempotency_key`: the keyless client learns the key that tells, on a repeat,
    whether the change was made. That key is a key the API accepts (1–255 visible ASCII)."""
    client = phu_mau.client
    response = client.simulate_post("/api/subscriptions", json={"email": "dan.phumau@example.vn", "unit": "phu-mau"})
    assert response.status_code in (503, 504), (response.status_code, response.text)
    given = assert_error(response, response.status_code).get("idempotency_key")
    assert isinstance(given, str) and 1 <= len(given) <= 255, response.text
    assert all(33 <= ord(ch) <= 126 for ch in given), given
