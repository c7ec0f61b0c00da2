"""What the JSON API's OpenAPI document and the README promise, checked as a partner system's
developer would use the API: a new unit editor created over HTTP publishes every kind, another
unit's editor cannot touch it, revisions and rollback, lists, ETags, and refused input that
names its field and leaves nothing half-written."""
import datetime
import json
import unicodedata
import uuid

import pytest

from services.common import vietnam_time
from services.content.service import ContentService
from services.notify.service import NotifyService
from services.ranking.service import RankingService
from services.search.service import SearchService
from tests.gateway.conftest import PORTAL_ADMIN, publish

UNIT = "phu-mau"
OTHER = "phu-vang"
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


@pytest.fixture
def portal_services() -> tuple:
    return ContentService, RankingService, SearchService, NotifyService


# --- helpers ------------------------------------------------------------------------------------

def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, field: str | None = None) -> dict:
    """The answer is the documented Error shape with this status (naming `field` if given)."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body = response.json
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status, body
    assert isinstance(error["message"], str) and error["message"], body
    if "fields" in error:
        assert isinstance(error["fields"], dict), body
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in error["fields"].items()), body
    if "current_version" in error:
        assert error["current_version"] is None or isinstance(error["current_version"], int), body
    if field is not None:
        assert field in error.get("fields", {}), body
    assert "Traceback" not in response.text
    return error


def assert_list(body: dict):
    assert set(body) >= {"items", "page", "limit", "sort", "next", "previous"}, body
    assert isinstance(body["items"], list)


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday(week: str) -> datetime.date:
    year, number = week.split("-W")
    return datetime.date.fromisocalendar(int(year), int(number), 1)


THIS_WEEK = iso_week(vietnam_time.today())
NEXT_WEEK = iso_week(vietnam_time.today() + datetime.timedelta(days=7))


def entry(week: str, day: int, hour: int, title: str, leader: str = "Chủ tịch UBND xã Nguyễn Văn An") -> dict:
    start = datetime.datetime.combine(monday(week) + datetime.timedelta(days=day), datetime.time(hour, 0))
    return {"start": start.isoformat() + "+07:00", "leader": leader, "title": title,
            "location": "Hội trường UBND xã"}


def new_user(client, username: str, unit: str, role: str = "editor") -> str:
    """A user created over HTTP by the platform admin, then granted `role` in `unit`; their token."""
    created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": username, "name": f"Cán bộ {username}", "email": f"{username}@hue.gov.vn"})
    assert created.status_code == 201, created.text
    token = created.json["token"]
    assert token
    granted = client.simulate_post(f"/api/users/{username}/roles", headers=PORTAL_ADMIN,
                                   json={"unit": unit, "role": role})
    assert granted.status_code == 200, granted.text
    assert role in granted.json["roles"].get(unit, []), granted.json
    return token


def multipart(filename: str, data: bytes, content_type: str = "application/octet-stream",
              **fields: str) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def upload(client, headers: dict, filename: str = "quyet-dinh.pdf", data: bytes = PDF, unit: str = UNIT):
    body, form = multipart(filename, data, "application/pdf", caption="Quyết định")
    return client.simulate_post(f"/api/units/{unit}/media", headers={**headers, **form}, body=body)


def document_fields(number: str = "25/2026/QĐ-UBND", **changes) -> dict:
    return {"number": number, "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
            "signer": "Nguyễn Văn An", "issued_on": "2026-04-06", "effective_on": "2026-04-20",
            "excerpt": "Ban hành Quy chế quản lý Trang thông tin điện tử xã Phú Mậu",
            "field": "Công nghệ thông tin", **changes}


QUESTION = {"asker_name": "Nguyễn Văn An", "title": "Thủ tục cấp lại giấy khai sinh",
            "question": "Tôi bị mất giấy khai sinh, xin hỏi cần mang theo giấy tờ gì để được cấp lại?",
            "asker_email": "nguyenvanan@gmail.com", "asker_phone": "0905 123 456"}


@pytest.fixture
def editor(phu_mau) -> dict:
    """A new editor-in-chief of Phú Mậu, created and granted the role over HTTP; their headers.
    (The document does not say which role may publish which kind; a plain `editor` is refused
    schedule.publish, document.publish, page.manage and question.publish.)"""
    return bearer(new_user(phu_mau.client, "tran-thi-hoa", UNIT, "editor_in_chief"))


@pytest.fixture
def unit_admin(phu_mau) -> dict:
    """A new admin of Phú Mậu, who keeps its static pages (page.manage is refused to an
    editor-in-chief); their headers."""
    return bearer(new_user(phu_mau.client, "nguyen-van-hung", UNIT, "unit_admin"))


@pytest.fixture
def outsider(phu_mau) -> dict:
    """An editor-in-chief of another commune, Phú Vang; their headers."""
    client = phu_mau.client
    unit = {"slug": OTHER, "name": "Xã Phú Vang", "level": "xa", "parent": "thua-thien-hue"}
    assert client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit).status_code == 201
    return bearer(new_user(client, "le-van-binh", OTHER, "editor_in_chief"))


def published_document(client, headers, number="25/2026/QĐ-UBND") -> dict:
    media = upload(client, headers)
    assert media.status_code == 201, media.text
    created = client.simulate_post(f"/api/units/{UNIT}/documents", headers=headers,
                                   json=document_fields(number, file=media.json["id"]))
    assert created.status_code == 201, created.text
    published = client.simulate_post(f"/api/documents/{created.json['id']}/publish", headers=headers,
                                     json={"version": created.json["version"]})
    assert published.status_code == 200, published.text
    return published.json


def created_page(client, headers, key="lien-he", lang="vi", title="Liên hệ") -> dict:
    created = client.simulate_post(f"/api/units/{UNIT}/pages", headers=headers, json={
        "key": key, "lang": lang, "title": title, "body_html": f"<p>{title}: 0234 3822 000.</p>"})
    assert created.status_code == 201, created.text
    return created.json


def drafted_week(client, headers, week=THIS_WEEK, titles=("Giao ban đầu tuần", "Tiếp công dân")) -> dict:
    entries = [entry(week, i, 8 + i, t) for i, t in enumerate(titles)]
    created = client.simulate_put(f"/api/units/{UNIT}/schedules/{week}/draft", headers=headers,
                                  json={"entries": entries})
    assert created.status_code == 201, created.text
    return created.json


def asked_question(client) -> dict:
    asked = client.simulate_post(f"/api/units/{UNIT}/questions", json=QUESTION)
    assert asked.status_code == 201, asked.text
    assert asked.json["status"] == "pending"
    return asked.json


# --- the document ---------------------------------------------------------------------------------

def test_openapi_document_is_served_as_3_1_with_an_etag(client):
    response = client.simulate_get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    for path in ("/api/units/{unit}/schedules/{week}/draft", "/api/units/{unit}/schedules/{week}/copy",
                 "/api/units/{unit}/documents", "/api/units/{unit}/media", "/api/questions/{question_id}/reject",
                 "/api/units/{unit}/pages/{lang}/{key}/rollback", "/api/users/{username}/roles",
                 "/api/units/{unit}/audit", "/api/units/{unit}/royalties/{month}"):
        assert path in document["paths"], path
    etag = response.headers.get("etag")
    assert etag and not etag.startswith("W/"), response.headers  # a strong ETag
    again = client.simulate_get("/api/openapi.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_the_document_has_a_page_for_people(client):
    response = client.simulate_get("/tai-lieu-api")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/api/units/{unit}/schedules/{week}/draft" in response.text
    assert "/api/openapi.json" in response.text


def test_every_versioned_kind_has_revisions_and_rollback_in_the_document(client):
    """The issue: revisions and rollback of every versioned kind. Questions and categories carry a
    `version` (StaffQuestion, Category) too."""
    paths = client.simulate_get("/api/openapi.json").json["paths"]
    rollbacks = {p for p in paths if p.endswith("/rollback")}
    assert any(p.startswith("/api/questions/") for p in rollbacks), sorted(rollbacks)
    assert any("/categories/" in p for p in rollbacks), sorted(rollbacks)


def test_every_list_in_the_document_takes_page_limit_and_sort(client):
    """README: `?page=`, `?limit=` and `?sort=` on every list."""
    paths = client.simulate_get("/api/openapi.json").json["paths"]
    missing = []
    for path, operations in paths.items():
        get = operations.get("get")
        if not get or '"next"' not in json.dumps(get["responses"].get("200", {})):
            continue
        names = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        if not {"page", "limit", "sort"} <= names:
            missing.append((path, sorted({"page", "limit", "sort"} - names)))
    assert not missing, missing


# --- users and roles -----------------------------------------------------------------------------

def test_a_user_made_over_http_holds_the_role_granted_and_reads_themself(phu_mau, editor):
    client = phu_mau.client
    me = client.simulate_get("/api/users/tran-thi-hoa", headers=editor)
    assert me.status_code == 200, me.text
    assert me.json["roles"] == {UNIT: ["editor_in_chief"]}
    assert "token" not in me.json  # shown once, when created
    assert me.headers.get("etag")
    assert "private" in me.headers.get("cache-control", "")  # answers for a named user are private
    # a bad role is refused, naming it, and the user keeps what they had
    refused = client.simulate_post("/api/users/tran-thi-hoa/roles", headers=PORTAL_ADMIN,
                                   json={"unit": UNIT, "role": "chief"})
    assert_error(refused, 422, "role")
    assert client.simulate_get("/api/users/tran-thi-hoa", headers=editor).json["roles"] == {UNIT: ["editor_in_chief"]}
    # an editor is no admin: they cannot hand themselves more
    assert client.simulate_post("/api/users/tran-thi-hoa/roles", headers=editor,
                                json={"unit": UNIT, "role": "unit_admin"}).status_code == 403


def test_a_write_without_a_valid_token_is_401(phu_mau):
    client = phu_mau.client
    for headers in ({}, bearer("not-a-token")):
        assert_error(client.simulate_post(f"/api/units/{UNIT}/documents", headers=headers,
                                          json=document_fields()), 401)
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=PORTAL_ADMIN).json["items"] == []


# --- publishing each kind ----------------------------------------------------------------------

def test_editor_publishes_a_schedule_week_seen_on_the_public_week(phu_mau, editor):
    client = phu_mau.client
    draft = drafted_week(client, editor)
    assert draft["status"] == "draft" and draft["week"] == THIS_WEEK and len(draft["entries"]) == 2
    public = client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}")
    assert public.status_code == 200 and public.json["entries"] == []  # nothing until published
    published = client.simulate_post(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/publish", headers=editor,
                                      json={"version": draft["version"]})
    assert published.status_code == 200, published.text
    assert published.json["unpublished_changes"] is False
    public = client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}")
    assert [e["title"] for e in public.json["entries"]] == ["Giao ban đầu tuần", "Tiếp công dân"]
    assert public.json["leaders"] == ["Chủ tịch UBND xã Nguyễn Văn An"]
    weeks = client.simulate_get(f"/api/units/{UNIT}/schedules").json
    assert [w["week"] for w in weeks["items"]] == [THIS_WEEK] and weeks["items"][0]["entries"] == 2
    # publishing again with nothing changed is a 409
    assert_error(client.simulate_post(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/publish", headers=editor,
                                      json={"version": published.json["version"]}), 409)


def test_copying_last_week_fills_the_next_weeks_working_copy_only(phu_mau, editor):
    client = phu_mau.client
    source = drafted_week(client, editor)
    copied = client.simulate_post(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}/copy", headers=editor, json={})
    assert copied.status_code == 200, copied.text
    starts = [e["start"][:16] for e in copied.json["entries"]]
    expected = [(datetime.datetime.fromisoformat(e["start"]) + datetime.timedelta(days=7)).isoformat()[:16]
                for e in source["entries"]]
    assert starts == expected
    assert {e["id"] for e in copied.json["entries"]}.isdisjoint({e["id"] for e in source["entries"]})
    assert client.simulate_get(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}").json["entries"] == []
    # a working copy with entries is replaced only with replace and its version
    again = client.simulate_post(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}/copy", headers=editor, json={})
    assert_error(again, 409)
    after = client.simulate_get(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}/draft", headers=editor)
    assert after.json["version"] == copied.json["version"] and len(after.json["entries"]) == 2


def test_creating_a_working_copy_twice_is_409_naming_its_version(phu_mau, editor):
    client = phu_mau.client
    draft = drafted_week(client, editor)
    again = client.simulate_put(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor,
                                json={"entries": [entry(THIS_WEEK, 4, 9, "Họp khác")]})
    assert assert_error(again, 409)["current_version"] == draft["version"]
    kept = client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).json
    assert [e["title"] for e in kept["entries"]] == ["Giao ban đầu tuần", "Tiếp công dân"]


def test_editor_publishes_a_legal_document_with_its_file(phu_mau, editor):
    client = phu_mau.client
    media = upload(client, editor)
    assert media.status_code == 201, media.text
    assert media.json["kind"] == "document" and media.json["content_type"] == "application/pdf"
    assert media.json["size"] == len(PDF) and media.json["uploaded_by"] == "tran-thi-hoa"
    listed = client.simulate_get(f"/api/units/{UNIT}/media", headers=editor)
    assert listed.status_code == 200 and [m["id"] for m in listed.json["items"]] == [media.json["id"]]
    created = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                   json=document_fields(file=media.json["id"]))
    assert created.status_code == 201, created.text
    assert created.json["status"] == "draft"
    assert created.json["file"]["path"] == f"/tep/{media.json['id']}"
    assert client.simulate_get(f"/api/units/{UNIT}/documents/{created.json['id']}").status_code == 404
    published = client.simulate_post(f"/api/documents/{created.json['id']}/publish", headers=editor,
                                     json={"version": created.json["version"]})
    assert published.status_code == 200, published.text
    public = client.simulate_get(f"/api/units/{UNIT}/documents/{created.json['id']}")
    assert public.status_code == 200
    assert public.json["number"] == "25/2026/QĐ-UBND" and public.json["status"] == "published"
    assert public.json["file"] == {**public.json["file"], "media_id": media.json["id"], "filename": "quyet-dinh.pdf",
                                   "content_type": "application/pdf", "size": len(PDF),
                                   "path": f"/tep/{media.json['id']}"}
    found = client.simulate_get(f"/api/units/{UNIT}/documents", params={"number": "25/2026"})
    assert [d["id"] for d in found.json["items"]] == [created.json["id"]]
    download = client.simulate_get(public.json["file"]["path"])
    assert download.status_code == 200 and download.content == PDF
    # publishing twice is a 409
    assert_error(client.simulate_post(f"/api/documents/{created.json['id']}/publish", headers=editor,
                                      json={}), 409)


def test_a_file_whose_name_disagrees_with_its_bytes_is_422_naming_file(phu_mau, editor):
    client = phu_mau.client
    refused = upload(client, editor, filename="anh.jpg")
    assert_error(refused, 422, "file")
    assert client.simulate_get(f"/api/units/{UNIT}/media", headers=editor).json["items"] == []


def test_media_list_is_for_staff_only(phu_mau, editor, outsider):
    client = phu_mau.client
    assert upload(client, editor).status_code == 201
    assert_error(client.simulate_get(f"/api/units/{UNIT}/media"), 401)
    assert client.simulate_get(f"/api/units/{UNIT}/media", headers=outsider).status_code in (403, 404)
    assert_error(upload(client, outsider), 403)


def test_unit_admin_publishes_a_static_page_in_vietnamese_and_english(phu_mau, unit_admin):
    client = phu_mau.client
    created_page(client, unit_admin, "lien-he", "vi", "Liên hệ")
    created_page(client, unit_admin, "lien-he", "en", "Contact")
    vi = client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he")
    en = client.simulate_get(f"/api/units/{UNIT}/pages/en/lien-he")
    assert vi.status_code == en.status_code == 200
    assert (vi.json["title"], en.json["title"]) == ("Liên hệ", "Contact")
    assert sorted(vi.json["languages"]) == sorted(en.json["languages"]) == ["en", "vi"]
    english = client.simulate_get(f"/api/units/{UNIT}/pages", params={"lang": "en"}).json
    assert [(p["key"], p["title"]) for p in english["items"]] == [("lien-he", "Contact")]
    assert sorted(english["items"][0]["languages"]) == ["en", "vi"]
    # the same key and language again is a 409; script is removed
    again = client.simulate_post(f"/api/units/{UNIT}/pages", headers=unit_admin,
                                 json={"key": "lien-he", "lang": "en", "title": "Again", "body_html": "<p>x</p>"})
    assert_error(again, 409)
    page = created_page(client, unit_admin, "gioi-thieu", "vi", "Giới thiệu")
    changed = client.simulate_put(f"/api/units/{UNIT}/pages/vi/gioi-thieu", headers=unit_admin, json={
        "title": "Giới thiệu", "body_html": "<p>Xã</p><script>alert(1)</script>", "version": page["version"]})
    assert changed.status_code == 200 and "<script" not in changed.json["body_html"]


def test_a_citizens_question_is_accepted_answered_and_published(phu_mau, editor):
    client = phu_mau.client
    asked = asked_question(client)
    assert client.simulate_get(f"/api/units/{UNIT}/questions/{asked['id']}").status_code == 404
    inbox = client.simulate_get(f"/api/units/{UNIT}/question-inbox", headers=editor, params={"status": "pending"})
    assert inbox.status_code == 200
    [waiting] = inbox.json["items"]
    assert waiting["id"] == asked["id"] and waiting["asker_email"] == QUESTION["asker_email"]
    accepted = client.simulate_post(f"/api/questions/{asked['id']}/accept", headers=editor,
                                    json={"version": waiting["version"]})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted", accepted.text
    answered = client.simulate_post(f"/api/questions/{asked['id']}/answer", headers=editor, json={
        "version": accepted.json["version"], "answer_html": "<p>Mang căn cước công dân đến Bộ phận một cửa.</p>"})
    assert answered.status_code == 200 and answered.json["status"] == "answered", answered.text
    assert client.simulate_get(f"/api/units/{UNIT}/questions/{asked['id']}").status_code == 404
    published = client.simulate_post(f"/api/questions/{asked['id']}/publish", headers=editor,
                                     json={"version": answered.json["version"]})
    assert published.status_code == 200 and published.json["status"] == "published", published.text
    public = client.simulate_get(f"/api/units/{UNIT}/questions/{asked['id']}")
    assert public.status_code == 200
    assert "Bộ phận một cửa" in public.json["answer_html"]
    assert QUESTION["asker_email"] not in public.text and "0905" not in public.text
    listed = client.simulate_get(f"/api/units/{UNIT}/questions").json
    assert [q["id"] for q in listed["items"]] == [asked["id"]]
    assert QUESTION["asker_email"] not in json.dumps(listed)
    revisions = client.simulate_get(f"/api/questions/{asked['id']}/revisions", headers=editor).json
    assert [r["version"] for r in revisions["items"]] == sorted(r["version"] for r in revisions["items"])
    assert len(revisions["items"]) >= 4


def test_a_question_is_rejected_only_with_a_reason_and_never_shown(phu_mau, editor):
    client = phu_mau.client
    asked = asked_question(client)
    assert_error(client.simulate_post(f"/api/questions/{asked['id']}/reject", headers=editor, json={}),
                 422, "reason")
    assert client.simulate_get(f"/api/questions/{asked['id']}", headers=editor).json["status"] == "pending"
    rejected = client.simulate_post(f"/api/questions/{asked['id']}/reject", headers=editor,
                                    json={"reason": "Không thuộc thẩm quyền của UBND xã."})
    assert rejected.status_code == 200, rejected.text
    assert rejected.json["status"] == "rejected"
    assert rejected.json["rejection_reason"] == "Không thuộc thẩm quyền của UBND xã."
    # a rejected question cannot be published, and stays out of sight
    assert_error(client.simulate_post(f"/api/questions/{asked['id']}/publish", headers=editor, json={}), 409)
    assert client.simulate_get(f"/api/units/{UNIT}/questions/{asked['id']}").status_code == 404
    assert client.simulate_get(f"/api/units/{UNIT}/questions").json["items"] == []


# --- another unit's editor -------------------------------------------------------------------

def test_another_units_editor_cannot_touch_phu_maus_items_by_id(phu_mau, editor, unit_admin, outsider):
    client = phu_mau.client
    document = published_document(client, editor)
    media_id = document["file"]["media_id"]
    page = created_page(client, unit_admin)
    week = drafted_week(client, editor)
    question = asked_question(client)
    before = {
        "document": client.simulate_get(f"/api/documents/{document['id']}", headers=editor).json,
        "page": client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json,
        "week": client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).json,
        "question": client.simulate_get(f"/api/questions/{question['id']}", headers=editor).json,
    }
    attempts = [
        client.simulate_get(f"/api/documents/{document['id']}", headers=outsider),
        client.simulate_put(f"/api/documents/{document['id']}", headers=outsider,
                            json=document_fields(excerpt="Sửa trộm trích yếu văn bản", version=document["version"])),
        client.simulate_post(f"/api/documents/{document['id']}/rollback", headers=outsider,
                             json={"to_version": 1, "version": document["version"]}),
        client.simulate_put(f"/api/units/{UNIT}/pages/vi/lien-he", headers=outsider,
                            json={"title": "Bị sửa", "body_html": "<p>x</p>", "version": page["version"]}),
        client.simulate_post(f"/api/units/{UNIT}/pages/vi/lien-he/withdraw", headers=outsider, json={}),
        client.simulate_put(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=outsider,
                            json={"entries": [], "version": week["version"]}),
        client.simulate_post(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/publish", headers=outsider, json={}),
        client.simulate_get(f"/api/questions/{question['id']}", headers=outsider),
        client.simulate_post(f"/api/questions/{question['id']}/reject", headers=outsider,
                             json={"reason": "Từ chối trộm"}),
        client.simulate_delete(f"/api/media/{media_id}", headers=outsider),
    ]
    for response in attempts:
        assert response.status_code in (403, 404), response.text
        assert_error(response, response.status_code)
        assert QUESTION["asker_email"] not in response.text
    after = {
        "document": client.simulate_get(f"/api/documents/{document['id']}", headers=editor).json,
        "page": client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json,
        "week": client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).json,
        "question": client.simulate_get(f"/api/questions/{question['id']}", headers=editor).json,
    }
    assert after == before
    assert client.simulate_get(f"/api/media/{media_id}").status_code == 200


def test_a_published_item_is_not_read_under_another_units_address(phu_mau, editor, outsider):
    client = phu_mau.client
    document = published_document(client, editor)
    assert client.simulate_get(f"/api/units/{UNIT}/documents/{document['id']}").status_code == 200
    assert_error(client.simulate_get(f"/api/units/{OTHER}/documents/{document['id']}"), 404)


# --- revisions and rollback ---------------------------------------------------------------------

def test_a_documents_revisions_diff_and_rollback(phu_mau, editor):
    client = phu_mau.client
    document = published_document(client, editor)
    changed = client.simulate_put(f"/api/documents/{document['id']}", headers=editor, json=document_fields(
        excerpt="Sửa đổi Quy chế quản lý Trang thông tin điện tử", file=document["file"]["media_id"],
        version=document["version"]))
    assert changed.status_code == 200, changed.text
    revisions = client.simulate_get(f"/api/documents/{document['id']}/revisions", headers=editor).json
    versions = [r["version"] for r in revisions["items"]]
    assert versions == sorted(versions) and versions[-1] == changed.json["version"]
    diff = client.simulate_get(f"/api/documents/{document['id']}/diff", headers=editor,
                               params={"from": document["version"], "to": changed.json["version"]})
    assert diff.status_code == 200 and list(diff.json["fields"]) == ["excerpt"], diff.text
    # a stale version is a 409 naming the current one, and changes nothing
    stale = client.simulate_post(f"/api/documents/{document['id']}/rollback", headers=editor,
                                 json={"to_version": document["version"], "version": document["version"]})
    assert assert_error(stale, 409)["current_version"] == changed.json["version"]
    assert client.simulate_get(f"/api/units/{UNIT}/documents/{document['id']}").json["excerpt"].startswith("Sửa đổi")
    rolled = client.simulate_post(f"/api/documents/{document['id']}/rollback", headers=editor,
                                  json={"to_version": document["version"], "version": changed.json["version"]})
    assert rolled.status_code == 200, rolled.text
    assert rolled.json["version"] == changed.json["version"] + 1
    public = client.simulate_get(f"/api/units/{UNIT}/documents/{document['id']}").json
    assert public["excerpt"] == document["excerpt"]  # a published document's rollback is published at once


def test_a_pages_revisions_and_rollback(phu_mau, unit_admin):
    client = phu_mau.client
    page = created_page(client, unit_admin)
    path = f"/api/units/{UNIT}/pages/vi/lien-he"
    changed = client.simulate_put(path, headers=unit_admin, json={
        "title": "Thông tin liên hệ", "body_html": "<p>Mới</p>", "version": page["version"]})
    assert changed.status_code == 200, changed.text
    stale = client.simulate_put(path, headers=unit_admin, json={"title": "Cũ", "body_html": "<p>Cũ</p>",
                                                            "version": page["version"]})
    assert assert_error(stale, 409)["current_version"] == changed.json["version"]
    revisions = client.simulate_get(f"{path}/revisions", headers=unit_admin).json
    assert [r["version"] for r in revisions["items"]] == [page["version"], changed.json["version"]]
    assert "title" in revisions["items"][-1]["changed"]
    rolled = client.simulate_post(f"{path}/rollback", headers=unit_admin,
                                  json={"to_version": page["version"], "version": changed.json["version"]})
    assert rolled.status_code == 200, rolled.text
    assert client.simulate_get(path).json["title"] == "Liên hệ"


def test_a_weeks_revisions_and_rollback(phu_mau, editor):
    client = phu_mau.client
    week = drafted_week(client, editor)
    path = f"/api/units/{UNIT}/schedules/{THIS_WEEK}"
    changed = client.simulate_put(f"{path}/draft", headers=editor, json={
        "entries": [entry(THIS_WEEK, 2, 14, "Kiểm tra nông thôn mới")], "version": week["version"]})
    assert changed.status_code == 200, changed.text
    revisions = client.simulate_get(f"{path}/revisions", headers=editor).json
    assert [r["version"] for r in revisions["items"]] == [week["version"], changed.json["version"]]
    diff = client.simulate_get(f"{path}/diff", headers=editor,
                               params={"from": week["version"], "to": changed.json["version"]})
    assert diff.status_code == 200 and "entries" in diff.json["fields"], diff.text
    stale = client.simulate_post(f"{path}/rollback", headers=editor,
                                 json={"to_version": week["version"], "version": week["version"]})
    assert assert_error(stale, 409)["current_version"] == changed.json["version"]
    rolled = client.simulate_post(f"{path}/rollback", headers=editor,
                                  json={"to_version": week["version"], "version": changed.json["version"]})
    assert rolled.status_code == 200, rolled.text
    assert [e["title"] for e in rolled.json["entries"]] == ["Giao ban đầu tuần", "Tiếp công dân"]
    assert client.simulate_get(path).json["entries"] == []  # the public sees it once published


def test_the_unit_profiles_revisions_and_rollback(phu_mau):
    client = phu_mau.client
    unit = client.simulate_get(f"/api/units/{UNIT}").json
    changed = client.simulate_put(f"/api/units/{UNIT}", headers=PORTAL_ADMIN,
                                  json={"name": "Xã Phú Mậu", "name_en": "Phu Mau Commune", "version": unit["version"]})
    assert changed.status_code == 200, changed.text
    assert client.simulate_get(f"/api/units/{UNIT}").json["name_en"] == "Phu Mau Commune"
    revisions = client.simulate_get(f"/api/units/{UNIT}/revisions", headers=PORTAL_ADMIN).json
    assert revisions["items"][-1]["version"] == changed.json["version"]
    rolled = client.simulate_post(f"/api/units/{UNIT}/rollback", headers=PORTAL_ADMIN,
                                  json={"to_version": unit["version"], "version": changed.json["version"]})
    assert rolled.status_code == 200, rolled.text
    assert client.simulate_get(f"/api/units/{UNIT}").json["name_en"] == unit.get("name_en", "")


# --- audit and royalties -----------------------------------------------------------------------

def test_the_audit_names_who_published_and_filters_by_actor(phu_mau, editor):
    client = phu_mau.client
    document = published_document(client, editor)
    audit = client.simulate_get(f"/api/units/{UNIT}/audit", headers=PORTAL_ADMIN, params={"actor": "tran-thi-hoa"})
    assert audit.status_code == 200, audit.text
    assert audit.json["items"] and {e["actor"] for e in audit.json["items"]} == {"tran-thi-hoa"}
    assert any(e["target"] == document["id"] or document["id"] in json.dumps(e) for e in audit.json["items"])
    ats = [e["at"] for e in audit.json["items"]]
    assert ats == sorted(ats, reverse=True)  # latest first
    assert client.simulate_get(f"/api/units/{UNIT}/audit", headers=editor).status_code == 403  # its admin's


def test_royalties_by_month_as_json_and_csv(phu_mau):
    client = phu_mau.client
    month = vietnam_time.today().strftime("%Y-%m")
    report = client.simulate_get(f"/api/units/{UNIT}/royalties/{month}", headers=PORTAL_ADMIN)
    assert report.status_code == 200, report.text
    assert report.json["month"] == month and report.json["unit"] == UNIT
    csv = client.simulate_get(f"/api/units/{UNIT}/royalties/{month}.csv", headers=PORTAL_ADMIN)
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    assert_error(client.simulate_get(f"/api/units/{UNIT}/royalties/2026-13", headers=PORTAL_ADMIN), 404)


# --- lists ----------------------------------------------------------------------------------------

def test_pages_of_a_list_link_to_their_neighbours(phu_mau):
    client = phu_mau.client
    for i in range(5):
        assert client.simulate_post(f"/api/units/{UNIT}/categories", headers=PORTAL_ADMIN, json={
            "slug": f"muc-{i}", "name": f"Chuyên mục {i}", "order": i}).status_code == 201
    first = client.simulate_get(f"/api/units/{UNIT}/categories", params={"limit": "2"}).json
    assert_list(first)
    assert (first["page"], first["limit"], first["previous"]) == (1, 2, None)
    assert [c["slug"] for c in first["items"]] == ["muc-0", "muc-1"]
    second = client.simulate_get(first["next"]).json
    assert second["page"] == 2 and [c["slug"] for c in second["items"]] == ["muc-2", "muc-3"]
    third = client.simulate_get(second["next"]).json
    assert [c["slug"] for c in third["items"]] == ["muc-4"] and third["next"] is None
    assert client.simulate_get(third["previous"]).json == second


def test_sort_orders_and_the_default(phu_mau, editor):
    client = phu_mau.client
    for number, issued in (("1/2026/QĐ-UBND", "2026-01-05"), ("2/2026/QĐ-UBND", "2026-03-05"),
                           ("3/2026/QĐ-UBND", "2026-02-05")):
        created = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                       json=document_fields(number, issued_on=issued))
        assert client.simulate_post(f"/api/documents/{created.json['id']}/publish", headers=editor,
                                    json={}).status_code == 200
    default = client.simulate_get(f"/api/units/{UNIT}/documents").json
    assert default["sort"] == "-issued_on"
    assert [d["issued_on"] for d in default["items"]] == ["2026-03-05", "2026-02-05", "2026-01-05"]
    oldest = client.simulate_get(f"/api/units/{UNIT}/documents", params={"sort": "issued_on", "limit": "2"}).json
    assert oldest["sort"] == "issued_on" and [d["issued_on"] for d in oldest["items"]] == ["2026-01-05", "2026-02-05"]
    assert "sort=issued_on" in oldest["next"]
    users = client.simulate_get("/api/users", headers=PORTAL_ADMIN, params={"sort": "-username"}).json
    names = [u["username"] for u in users["items"]]
    assert "tran-thi-hoa" in names and names == sorted(names, reverse=True)


LISTS = [f"/api/units/{UNIT}/documents", f"/api/units/{UNIT}/categories", f"/api/units/{UNIT}/questions",
         f"/api/units/{UNIT}/schedules", f"/api/units/{UNIT}/pages", "/api/units", "/api/users",
         f"/api/units/{UNIT}/media", f"/api/units/{UNIT}/question-inbox", f"/api/units/{UNIT}/audit"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query, name", [("limit=0", "limit"), ("limit=101", "limit"), ("page=abc", "page"),
                                         ("page=0", "page"), ("page=10001", "page"), ("sort=unknown", "sort"),
                                         ("limit=2&limit=3", "limit")])
def test_a_list_refuses_bad_paging_naming_the_parameter(phu_mau, path, query, name):
    response = phu_mau.client.simulate_get(path, headers=PORTAL_ADMIN, query_string=query)
    assert_error(response, 422, name)


def test_a_filter_outside_its_schema_is_422_naming_it(phu_mau, editor):
    client = phu_mau.client
    assert_error(client.simulate_get(f"/api/units/{UNIT}/documents", query_string="issued_from=2026-02-30"),
                 422, "issued_from")
    assert_error(client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor,
                                     query_string="status=deleted"), 422, "status")
    assert_error(client.simulate_get(f"/api/units/{UNIT}/pages", query_string="lang=fr"), 422, "lang")


# --- ETags ----------------------------------------------------------------------------------------

def test_a_public_read_answers_304_to_its_etag_until_it_changes(phu_mau, unit_admin):
    client = phu_mau.client
    page = created_page(client, unit_admin)
    path = f"/api/units/{UNIT}/pages/vi/lien-he"
    first = client.simulate_get(path)
    etag = first.headers.get("etag")
    assert etag and not etag.startswith("W/"), first.headers
    unchanged = client.simulate_get(path, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert client.simulate_get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.simulate_put(path, headers=unit_admin, json={"title": "Liên hệ mới", "body_html": "<p>Mới</p>",
                                                           "version": page["version"]}).status_code == 200
    after = client.simulate_get(path, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.json["title"] == "Liên hệ mới"
    assert after.headers.get("etag") and after.headers["etag"] != etag


def test_a_public_list_and_week_answer_304_to_their_etags(phu_mau, editor):
    client = phu_mau.client
    for path in (f"/api/units/{UNIT}/documents", f"/api/units/{UNIT}/schedules/{THIS_WEEK}",
                 f"/api/units/{UNIT}/questions", f"/api/units/{UNIT}"):
        first = client.simulate_get(path)
        assert first.status_code == 200 and first.headers.get("etag"), path
        assert client.simulate_get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304, path
    etag = client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}").headers["etag"]
    week = drafted_week(client, editor)
    assert client.simulate_post(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/publish", headers=editor,
                                json={"version": week["version"]}).status_code == 200
    assert client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}",
                               headers={"If-None-Match": etag}).status_code == 200


# --- bad input ------------------------------------------------------------------------------------

def test_malformed_json_is_400(phu_mau, editor):
    client = phu_mau.client
    headers = {**editor, "Content-Type": "application/json"}
    for path, method in ((f"/api/units/{UNIT}/documents", "POST"), (f"/api/units/{UNIT}/pages", "POST"),
                         (f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", "PUT"),
                         (f"/api/units/{UNIT}/questions", "POST")):
        assert_error(client.simulate_request(method, path, headers=headers, body=b'{"title": "x",'), 400)


def test_a_body_of_the_wrong_media_type_is_415(phu_mau, editor):
    client = phu_mau.client
    body = json.dumps(document_fields()).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        assert_error(client.simulate_post(f"/api/units/{UNIT}/documents", body=body,
                                          headers={**editor, "Content-Type": content_type}), 415)
    # and a JSON body where a multipart form is due
    assert_error(client.simulate_post(f"/api/units/{UNIT}/media", headers=editor, json={"file": "x"}), 415)
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"] == []


def test_a_body_past_the_limit_is_413(phu_mau, editor):
    client = phu_mau.client
    huge = {"key": "to-qua", "lang": "vi", "title": "Quá lớn", "body_html": "<p>" + "a" * 1_100_000 + "</p>"}
    assert_error(client.simulate_post(f"/api/units/{UNIT}/pages", headers=editor, json=huge), 413)
    assert client.simulate_get(f"/api/units/{UNIT}/pages/vi/to-qua").status_code == 404


def test_an_invalid_field_is_422_naming_its_path(phu_mau, editor):
    client = phu_mau.client
    bad_entry = client.simulate_put(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor, json={
        "entries": [entry(THIS_WEEK, 0, 8, "Giao ban"), {"start": "hôm qua", "leader": "Chủ tịch", "title": "Họp"}]})
    assert_error(bad_entry, 422, "entries.1.start")
    bad_document = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                        json=document_fields(issued_on="06/04/2026", colour="red"))
    error = assert_error(bad_document, 422, "issued_on")
    assert "colour" in error["fields"]  # every field is named
    bad_question = client.simulate_post(f"/api/units/{UNIT}/questions",
                                        json={**QUESTION, "asker_email": "khong-phai-email"})
    assert_error(bad_question, 422, "asker_email")
    # nothing was written by any of them
    assert client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).status_code == 404
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"] == []
    assert client.simulate_get(f"/api/units/{UNIT}/question-inbox", headers=editor).json["items"] == []


@pytest.mark.parametrize("path", [f"/api/units/{UNIT}/schedules/2026-W60", f"/api/units/{UNIT}/schedules/2025-W53",
                                  f"/api/units/{UNIT}/schedules/2026-W00", f"/api/units/{UNIT}/schedules/2026W49",
                                  f"/api/units/{UNIT}/schedules/2026-W60/revisions",
                                  f"/api/units/{UNIT}/royalties/2026-13", f"/api/units/{UNIT}/royalties/2026-00",
                                  f"/api/units/{UNIT}/royalties/2026-13.csv", "/api/ranking/2026-13",
                                  "/api/ranking/abc"])
def test_a_malformed_week_or_month_in_a_path_is_404(phu_mau, path):
    assert_error(phu_mau.client.simulate_get(path, headers=PORTAL_ADMIN), 404)


def test_a_write_to_a_malformed_week_is_404_and_writes_nothing(phu_mau, editor):
    client = phu_mau.client
    refused = client.simulate_put(f"/api/units/{UNIT}/schedules/2026-W60/draft", headers=editor,
                                  json={"entries": [entry(THIS_WEEK, 0, 8, "Giao ban")]})
    assert_error(refused, 404)
    assert_error(client.simulate_post(f"/api/units/{UNIT}/schedules/2026-W60/copy", headers=editor, json={}), 404)
    assert client.simulate_get(f"/api/units/{UNIT}/schedules", headers=editor).json["items"] == []


# --- nothing half-written --------------------------------------------------------------------------

def test_a_refused_change_leaves_each_item_as_it_was(phu_mau, editor, unit_admin):
    client = phu_mau.client
    document = published_document(client, editor)
    page = created_page(client, unit_admin)
    week = drafted_week(client, editor)
    before = (client.simulate_get(f"/api/documents/{document['id']}", headers=editor).json,
              client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json,
              client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).json)
    # one good field change beside one bad field: all refused
    assert_error(client.simulate_put(f"/api/documents/{document['id']}", headers=editor, json=document_fields(
        excerpt="Trích yếu mới hoàn toàn", effective_on="không rõ", version=document["version"])), 422, "effective_on")
    assert_error(client.simulate_put(f"/api/units/{UNIT}/pages/vi/lien-he", headers=unit_admin, json={
        "title": "Tiêu đề mới", "body_html": "<p>Mới</p>", "order": 5000, "version": page["version"]}), 422, "order")
    assert_error(client.simulate_put(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor, json={
        "entries": [entry(THIS_WEEK, 0, 8, "Giao ban mới"), entry(NEXT_WEEK, 6, 8, "Ngoài tuần")],
        "version": week["version"]}), 422, "entries.1.start")
    # a stale version: 409, nothing changed
    assert_error(client.simulate_put(f"/api/units/{UNIT}/pages/vi/lien-he", headers=unit_admin, json={
        "title": "Tiêu đề mới", "body_html": "<p>Mới</p>", "version": page["version"] + 7}), 409)
    after = (client.simulate_get(f"/api/documents/{document['id']}", headers=editor).json,
             client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json,
             client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor).json)
    assert after == before
    revisions = client.simulate_get(f"/api/documents/{document['id']}/revisions", headers=editor).json
    assert revisions["items"][-1]["version"] == document["version"]


def test_a_write_repeated_with_its_idempotency_key_is_made_once(phu_mau, editor):
    client = phu_mau.client
    headers = {**editor, "Idempotency-Key": str(uuid.uuid4())}
    first = client.simulate_post(f"/api/units/{UNIT}/documents", headers=headers, json=document_fields())
    again = client.simulate_post(f"/api/units/{UNIT}/documents", headers=headers, json=document_fields())
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json == first.json
    listed = client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json
    assert [d["id"] for d in listed["items"]] == [first.json["id"]]
    # the same key with another body is a 422
    other = client.simulate_post(f"/api/units/{UNIT}/documents", headers=headers,
                                 json=document_fields("99/2026/QĐ-UBND"))
    assert_error(other, 422)
    assert len(client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"]) == 1


# --- more of the same promises ----------------------------------------------------------------------

def test_revoking_a_role_takes_the_right_away(phu_mau, editor):
    client = phu_mau.client
    revoked = client.simulate_delete("/api/users/tran-thi-hoa/roles", headers=PORTAL_ADMIN,
                                     params={"unit": UNIT, "role": "editor_in_chief"})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json["roles"].get(UNIT, []) == []
    refused = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor, json=document_fields())
    assert_error(refused, 403)
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=PORTAL_ADMIN).json["items"] == []


def test_another_units_editor_cannot_read_phu_maus_staff_views(phu_mau, editor, outsider):
    client = phu_mau.client
    document = published_document(client, editor)
    drafted_week(client, editor)
    asked_question(client)
    for path in (f"/api/units/{UNIT}/question-inbox", f"/api/units/{UNIT}/editorial/documents",
                 f"/api/units/{UNIT}/media", f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft",
                 f"/api/units/{UNIT}/schedules/{THIS_WEEK}/revisions", f"/api/documents/{document['id']}/revisions",
                 f"/api/units/{UNIT}/audit", f"/api/units/{UNIT}/royalties/{vietnam_time.today():%Y-%m}"):
        response = client.simulate_get(path, headers=outsider)
        assert response.status_code in (403, 404), (path, response.text)
        assert_error(response, response.status_code)
        assert QUESTION["asker_email"] not in response.text


def test_an_unknown_api_address_is_a_json_404(client):
    assert_error(client.simulate_get("/api/khong-co-dau"), 404)
    assert_error(client.simulate_get("/api/units/khong-co-don-vi/documents"), 404)


def test_a_53rd_week_that_exists_is_served(phu_mau):
    response = phu_mau.client.simulate_get(f"/api/units/{UNIT}/schedules/2026-W53")  # 2026 has 53 ISO weeks
    assert response.status_code == 200, response.text
    assert (response.json["starts_on"], response.json["ends_on"]) == ("2026-12-28", "2027-01-03")
    assert response.json["entries"] == []


def test_a_media_form_without_its_file_or_with_a_long_alt_names_the_field(phu_mau, editor):
    client = phu_mau.client
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nKhông có tệp\r\n'
            f"--{boundary}--\r\n").encode()
    no_file = client.simulate_post(f"/api/units/{UNIT}/media", body=body,
                                   headers={**editor, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert_error(no_file, 422, "file")
    body, form = multipart("quyet-dinh.pdf", PDF, "application/pdf", alt="a" * 301)
    assert_error(client.simulate_post(f"/api/units/{UNIT}/media", body=body, headers={**editor, **form}), 422, "alt")
    assert client.simulate_get(f"/api/units/{UNIT}/media", headers=editor).json["items"] == []


def test_a_category_changes_with_its_version_and_is_deleted_only_when_empty(phu_mau):
    client = phu_mau.client
    created = client.simulate_post(f"/api/units/{UNIT}/categories", headers=PORTAL_ADMIN,
                                   json={"slug": "tin-dia-phuong", "name": "Tin địa phương"})
    assert created.status_code == 201, created.text
    path = f"/api/units/{UNIT}/categories/tin-dia-phuong"
    renamed = client.simulate_put(path, headers=PORTAL_ADMIN, json={"name": "Tin tức địa phương",
                                                                   "version": created.json["version"]})
    assert renamed.status_code == 200 and renamed.json["version"] > created.json["version"], renamed.text
    stale = client.simulate_put(path, headers=PORTAL_ADMIN, json={"name": "Tên cũ", "version": created.json["version"]})
    assert assert_error(stale, 409)["current_version"] == renamed.json["version"]
    too_short = client.simulate_put(path, headers=PORTAL_ADMIN, json={"name": "x", "version": renamed.json["version"]})
    assert_error(too_short, 422, "name")
    listed = client.simulate_get(f"/api/units/{UNIT}/categories").json["items"]
    assert [(c["slug"], c["name"]) for c in listed] == [("tin-dia-phuong", "Tin tức địa phương")]
    publish(client, category="tin-dia-phuong")
    assert_error(client.simulate_delete(path, headers=PORTAL_ADMIN), 409)
    assert len(client.simulate_get(f"/api/units/{UNIT}/categories").json["items"]) == 1


def test_a_diff_refuses_bad_revision_numbers_naming_them(phu_mau, editor):
    client = phu_mau.client
    document = published_document(client, editor)
    assert_error(client.simulate_get(f"/api/documents/{document['id']}/diff", headers=editor,
                                     query_string="from=abc&to=1"), 422, "from")
    assert_error(client.simulate_get(f"/api/documents/{document['id']}/diff", headers=editor,
                                     query_string="from=1&to=0"), 422, "to")


def test_a_malformed_idempotency_key_is_400(phu_mau):
    client = phu_mau.client
    for key in ("có dấu", "x" * 256):
        assert_error(client.simulate_post(f"/api/units/{UNIT}/questions", headers={"Idempotency-Key": key},
                                          json=QUESTION), 400)
    assert client.simulate_get(f"/api/units/{UNIT}/question-inbox", headers=PORTAL_ADMIN).json["items"] == []


def test_a_question_steps_out_of_order_are_409_and_change_nothing(phu_mau, editor):
    client = phu_mau.client
    asked = asked_question(client)
    assert_error(client.simulate_post(f"/api/questions/{asked['id']}/answer", headers=editor,
                                      json={"answer_html": "<p>Trả lời trước khi nhận.</p>"}), 409)
    assert_error(client.simulate_post(f"/api/questions/{asked['id']}/publish", headers=editor, json={}), 409)
    staff = client.simulate_get(f"/api/questions/{asked['id']}", headers=editor).json
    assert staff["status"] == "pending" and staff["answer_html"] == ""
    accepted = client.simulate_post(f"/api/questions/{asked['id']}/accept", headers=editor, json={})
    assert accepted.status_code == 200
    assert_error(client.simulate_post(f"/api/questions/{asked['id']}/publish", headers=editor, json={}), 409)
    stale = client.simulate_post(f"/api/questions/{asked['id']}/answer", headers=editor, json={
        "answer_html": "<p>Trả lời.</p>", "version": staff["version"]})
    assert assert_error(stale, 409)["current_version"] == accepted.json["version"]
    assert client.simulate_get(f"/api/questions/{asked['id']}", headers=editor).json == accepted.json


def test_a_document_cannot_name_another_units_file_or_a_missing_one(phu_mau, editor, outsider):
    client = phu_mau.client
    theirs = upload(client, outsider, unit=OTHER)
    assert theirs.status_code == 201, theirs.text
    for file in (theirs.json["id"], "0" * 24):
        refused = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor, json=document_fields(file=file))
        assert refused.status_code in (403, 404, 422), refused.text
        assert_error(refused, refused.status_code, "file" if refused.status_code == 422 else None)
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"] == []


def test_a_second_document_of_the_same_number_is_409(phu_mau, editor):
    client = phu_mau.client
    first = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor, json=document_fields())
    assert first.status_code == 201
    assert_error(client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                      json=document_fields(excerpt="Một văn bản khác cùng số")), 409)
    assert len(client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"]) == 1


def test_a_lists_next_address_keeps_its_filter_and_order(phu_mau, editor):
    client = phu_mau.client
    for number, kind in (("1/2026/QĐ-UBND", "Quyết định"), ("2/2026/KH-UBND", "Kế hoạch"),
                         ("3/2026/QĐ-UBND", "Quyết định"), ("4/2026/QĐ-UBND", "Quyết định")):
        created = client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                       json=document_fields(number, type=kind))
        assert client.simulate_post(f"/api/documents/{created.json['id']}/publish", headers=editor,
                                    json={}).status_code == 200
    seen = []
    page = client.simulate_get(f"/api/units/{UNIT}/documents",
                               params={"type": "quyet dinh", "limit": "2", "sort": "issued_on"}).json
    while True:
        assert page["sort"] == "issued_on" and page["limit"] == 2
        seen += [d["number"] for d in page["items"]]
        if page["next"] is None:
            break
        page = client.simulate_get(page["next"]).json
    assert sorted(seen) == ["1/2026/QĐ-UBND", "3/2026/QĐ-UBND", "4/2026/QĐ-UBND"]


def test_an_etag_in_a_list_of_etags_is_a_304_that_keeps_its_etag(phu_mau):
    client = phu_mau.client
    path = f"/api/units/{UNIT}"
    etag = client.simulate_get(path).headers["etag"]
    response = client.simulate_get(path, headers={"If-None-Match": f'"an-older-one", {etag}'})
    assert response.status_code == 304
    assert response.headers.get("etag") == etag


def test_search_pages_as_every_list_does(phu_mau):
    """README: `?page=`, `?limit=` … on every list, answering {items, page, limit, sort, next, previous}."""
    client = phu_mau.client
    publish(client, title="Xã Phú Mậu ra quân làm sạch môi trường")
    response = client.simulate_get("/api/search", params={"q": "môi trường", "limit": "5"})
    assert response.status_code == 200, response.text
    assert_list(response.json)
    assert response.json["limit"] == 5


def test_search_and_subscriptions_refuse_what_their_schema_refuses(phu_mau):
    client = phu_mau.client
    assert_error(client.simulate_get("/api/search", query_string="q="), 422, "q")
    assert_error(client.simulate_get("/api/search", query_string="q=xa&limit=51"), 422, "limit")
    assert_error(client.simulate_get("/api/search", query_string="q=xa&page=abc"), 422, "page")
    assert_error(client.simulate_get("/api/search/suggest", query_string="q=xa&limit=21"), 422, "limit")
    assert_error(client.simulate_post("/api/subscriptions", json={"email": "khong-hop-le", "unit": UNIT}),
                 422, "email")
    assert_error(client.simulate_post("/api/subscriptions", json={"email": "mai@gmail.com"}), 422, "unit")
    assert_error(client.simulate_post("/api/subscriptions", json={"email": "mai@gmail.com", "unit": "khong-co"}), 404)
    assert client.simulate_post("/api/subscriptions", json={"email": "mai@gmail.com", "unit": UNIT}).status_code == 202


def test_an_articles_revisions_and_rollback(phu_mau, editor):
    client = phu_mau.client
    created = client.simulate_post(f"/api/units/{UNIT}/articles", headers=editor, json={
        "title": "Ra quân làm sạch môi trường", "body_html": "<p>Bản đầu.</p>"})
    assert created.status_code == 201, created.text
    article = created.json
    changed = client.simulate_put(f"/api/articles/{article['id']}", headers=editor, json={
        "title": "Ra quân làm sạch môi trường bờ sông Hương", "body_html": "<p>Bản sửa.</p>",
        "version": article["version"]})
    assert changed.status_code == 200, changed.text
    revisions = client.simulate_get(f"/api/articles/{article['id']}/revisions", headers=editor).json
    assert [r["version"] for r in revisions["items"]] == [article["version"], changed.json["version"]]
    assert {"title", "body_html"} <= set(revisions["items"][-1]["changed"])
    stale = client.simulate_post(f"/api/articles/{article['id']}/rollback", headers=editor,
                                 json={"to_version": article["version"], "version": article["version"]})
    assert assert_error(stale, 409)["current_version"] == changed.json["version"]
    rolled = client.simulate_post(f"/api/articles/{article['id']}/rollback", headers=editor,
                                  json={"to_version": article["version"], "version": changed.json["version"]})
    assert rolled.status_code == 200, rolled.text
    again = client.simulate_get(f"/api/articles/{article['id']}", headers=editor).json
    assert (again["title"], again["body_html"]) == (article["title"], article["body_html"])
    assert again["version"] == changed.json["version"] + 1


def test_a_withdrawn_page_leaves_the_site_and_comes_back_as_its_next_version(phu_mau, unit_admin):
    client = phu_mau.client
    page = created_page(client, unit_admin)
    withdrawn = client.simulate_post(f"/api/units/{UNIT}/pages/vi/lien-he/withdraw", headers=unit_admin,
                                     json={"version": page["version"]})
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn", withdrawn.text
    assert_error(client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he"), 404)
    assert client.simulate_get(f"/api/units/{UNIT}/pages").json["items"] == []
    back = created_page(client, unit_admin, title="Liên hệ lại")
    assert back["version"] > withdrawn.json["version"] and back["status"] == "published"
    assert client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json["title"] == "Liên hệ lại"


def test_every_failure_has_the_error_shape_even_an_unsupported_method(phu_mau):
    client = phu_mau.client
    response = client.simulate_request("PATCH", f"/api/units/{UNIT}", headers=PORTAL_ADMIN, json={"name": "x"})
    assert response.status_code == 405, response.text
    assert_error(response, 405)


def test_an_upload_past_the_largest_limit_is_413_and_nothing_is_stored(phu_mau, editor):
    client = phu_mau.client
    big = PDF + b"%" + b"0" * (21 * 1024 * 1024)
    assert_error(upload(client, editor, data=big), 413)
    assert client.simulate_get(f"/api/units/{UNIT}/media", headers=editor).json["items"] == []


def test_json_with_a_charset_is_json(phu_mau, editor):
    response = phu_mau.client.simulate_post(f"/api/units/{UNIT}/documents", body=json.dumps(document_fields()),
                                            headers={**editor, "Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 201, response.text


def test_a_week_or_day_in_a_body_that_cannot_be_is_422_naming_it(phu_mau, editor):
    client = phu_mau.client
    drafted_week(client, editor)
    copy = client.simulate_post(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}/copy", headers=editor,
                                json={"from_week": "2026-W60"})
    assert_error(copy, 422, "from_week")
    assert client.simulate_get(f"/api/units/{UNIT}/schedules/{NEXT_WEEK}/draft", headers=editor).status_code == 404
    assert_error(client.simulate_post(f"/api/units/{UNIT}/documents", headers=editor,
                                      json=document_fields(issued_on="2026-02-30")), 422, "issued_on")
    assert client.simulate_get(f"/api/units/{UNIT}/editorial/documents", headers=editor).json["items"] == []


@pytest.mark.parametrize("path", [f"/api/units/{UNIT}/schedules/2026-w49", f"/api/units/{UNIT}/royalties/2026-1",
                                  f"/api/units/{UNIT}/schedules/2026-W49x"])
def test_other_malformed_path_fields_are_404(phu_mau, path):
    assert_error(phu_mau.client.simulate_get(path, headers=PORTAL_ADMIN), 404)


def test_the_audit_filters_by_action(phu_mau, editor):
    client = phu_mau.client
    document = published_document(client, editor)
    audit = client.simulate_get(f"/api/units/{UNIT}/audit", headers=PORTAL_ADMIN, params={"action": "document.publish"})
    assert audit.status_code == 200
    assert [(e["action"], e["actor"]) for e in audit.json["items"]] == [("document.publish", "tran-thi-hoa")]
    assert document["id"] in json.dumps(audit.json["items"][0])


def test_a_unit_admin_makes_users_of_their_unit_only(phu_mau, unit_admin, outsider):
    client = phu_mau.client
    made = client.simulate_post("/api/users", headers=unit_admin, json={
        "username": "pham-thi-lan", "name": "Phạm Thị Lan", "roles": {UNIT: ["author"]}})
    assert made.status_code == 201, made.text
    assert made.json["roles"] == {UNIT: ["author"]} and made.json["token"]
    refused = client.simulate_post("/api/users", headers=unit_admin, json={
        "username": "vo-van-tam", "name": "Võ Văn Tâm", "roles": {UNIT: ["author"], OTHER: ["editor"]}})
    assert_error(refused, 403)
    assert_error(client.simulate_get("/api/users/vo-van-tam", headers=PORTAL_ADMIN), 404)  # not half-made
    granted = client.simulate_post("/api/users/pham-thi-lan/roles", headers=unit_admin,
                                   json={"unit": OTHER, "role": "editor"})
    assert_error(granted, 403)
    assert client.simulate_get("/api/users/pham-thi-lan", headers=PORTAL_ADMIN).json["roles"] == {UNIT: ["author"]}
    listed = client.simulate_get("/api/users", headers=unit_admin).json
    assert "le-van-binh" not in [u["username"] for u in listed["items"]]  # Phú Vang's editor is not theirs to see


def test_the_public_week_filters_by_leader_whatever_the_marks(phu_mau, editor):
    client = phu_mau.client
    deputy = "Phó Chủ tịch UBND xã Trần Thị Bình"
    week = client.simulate_put(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/draft", headers=editor, json={"entries": [
        entry(THIS_WEEK, 0, 8, "Giao ban"), entry(THIS_WEEK, 1, 8, "Kiểm tra đê", leader=deputy)]})
    assert week.status_code == 201
    assert client.simulate_post(f"/api/units/{UNIT}/schedules/{THIS_WEEK}/publish", headers=editor,
                                json={}).status_code == 200
    # "case, spacing and accents as typed do not matter": other case, doubled spaces, and the
    # marks typed as combining characters (NFD), as some keyboards send them
    typed = unicodedata.normalize("NFD", "  phó chủ tịch UBND XÃ  Trần Thị Bình ")
    found = client.simulate_get(f"/api/units/{UNIT}/schedules/{THIS_WEEK}", params={"leader": typed}).json
    assert [e["title"] for e in found["entries"]] == ["Kiểm tra đê"]


def test_copying_over_entries_needs_replace_and_the_version(phu_mau, editor):
    client = phu_mau.client
    drafted_week(client, editor, NEXT_WEEK, titles=("Tiếp dân định kỳ",))
    drafted_week(client, editor, iso_week(vietnam_time.today() + datetime.timedelta(days=14)))
    later = iso_week(vietnam_time.today() + datetime.timedelta(days=14))
    current = client.simulate_get(f"/api/units/{UNIT}/schedules/{later}/draft", headers=editor).json
    path = f"/api/units/{UNIT}/schedules/{later}/copy"
    no_version = client.simulate_post(path, headers=editor, json={"from_week": NEXT_WEEK, "replace": True})
    # the description says "409 otherwise"; the field says "required to replace": either is kept
    assert no_version.status_code in (409, 422), no_version.text
    assert_error(no_version, no_version.status_code, "version" if no_version.status_code == 422 else None)
    assert_error(client.simulate_post(path, headers=editor, json={"from_week": NEXT_WEEK, "replace": True,
                                                                   "version": current["version"] + 3}), 409)
    assert client.simulate_get(f"/api/units/{UNIT}/schedules/{later}/draft", headers=editor).json == current
    replaced = client.simulate_post(path, headers=editor, json={"from_week": NEXT_WEEK, "replace": True,
                                                                 "version": current["version"]})
    assert replaced.status_code == 200, replaced.text
    assert [e["title"] for e in replaced.json["entries"]] == ["Tiếp dân định kỳ"]


def test_a_rollback_to_a_version_that_never_was_changes_nothing(phu_mau, unit_admin):
    client = phu_mau.client
    page = created_page(client, unit_admin)
    response = client.simulate_post(f"/api/units/{UNIT}/pages/vi/lien-he/rollback", headers=unit_admin,
                                    json={"to_version": 99, "version": page["version"]})
    assert response.status_code in (404, 409, 422), response.text
    assert_error(response, response.status_code, "to_version" if response.status_code == 422 else None)
    assert client.simulate_get(f"/api/units/{UNIT}/pages/vi/lien-he").json["version"] == page["version"]
