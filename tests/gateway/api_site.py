"""A commune with one of each thing the JSON API serves, for the tests that hold every /api route
to its OpenAPI document (test_api_contract.py, test_api_fuzz.py): a category, a published article,
a published schedule week, a published legal document with its file, a static page,
an answered question, a published administrative procedure, an image, and an editor.

`prepare` answers with a real item's value for every path field of the document, by its name, so
that a generated or example request reaches the item it names rather than a 404; everything is
made through the API itself, as another system would."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image

from gateway.vietnam_time import today
from tests.gateway.conftest import PORTAL_ADMIN, Portal, publish
from tests.gateway.test_document_pages import DECISION, PDF
from tests.gateway.test_procedure_pages import BIRTH
from tests.gateway.test_question_pages import ANSWER, QUESTION
from tests.gateway.test_schedule_pages import ENTRIES, WEEK

FIELD = re.compile(r"{(\w+)}")
EDITOR = {"username": "bien-tap", "name": "Biên tập viên Phú Mậu", "email": "bien.tap@example.vn",
          "roles": {"phu-mau": ["editor"]}}
PAGE = {"key": "gioi-thieu", "lang": "vi", "title": "Giới thiệu chung",
        "body_html": "<p>Xã Phú Mậu nằm bên sông Hương.</p>"}


def png(width: int = 64, height: int = 48) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(output, "PNG")
    return output.getvalue()


def add_commune(client, slug: str) -> None:
    """Another commune under the province (which the `phu_mau` fixture makes)."""
    made = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": slug, "name": f"Xã {slug}", "level": "xa", "parent": "thua-thien-hue"})
    assert made.status_code == 201, made.text


def prepare(portal: Portal, unit: str = "phu-mau", fields=None) -> dict[str, str]:
    """Make the things of `unit` (a commune already there) through the API, only those some path
    field in `fields` names when it is given, and return, for each path field the API names, the
    value that reaches one of them."""
    client = portal.client
    wanted = set(PATH_VALUES if fields is None else fields)
    values = {"unit": unit, "month": today().strftime("%Y-%m")}

    def made(method: str, path: str, body: dict, status: int = 201) -> dict:
        answered = client.simulate_request(method, path, headers=PORTAL_ADMIN, json=body)
        assert answered.status_code == status, f"{method} {path}: {answered.text}"
        return answered.json

    def needed(*names) -> bool:
        return bool(wanted & set(names))

    if needed("category", "article_id", "slug"):
        made("POST", f"/api/units/{unit}/categories", {"slug": "tin-tuc", "name": "Tin tức", "order": 1})
        article = publish(client, unit, category="tin-tuc", tags=["chuyển đổi số"])
        values.update(category="tin-tuc", article_id=article["id"], slug=article["slug"])
    if needed("username"):
        values["username"] = made("POST", "/api/users", {**EDITOR, "username": f"{EDITOR['username']}-{unit}",
                                                         "roles": {unit: ["editor"]}})["username"]
    if needed("week"):
        week = made("PUT", f"/api/units/{unit}/schedules/{WEEK}/draft", {"entries": ENTRIES})
        made("POST", f"/api/units/{unit}/schedules/{WEEK}/publish", {"version": week["version"]}, status=200)
        values["week"] = WEEK
    if needed("document_id"):
        pdf = upload(client, unit, "12-2026-QD-UBND.pdf", "application/pdf", PDF)
        document = made("POST", f"/api/units/{unit}/documents", {**DECISION, "file": pdf["id"]})
        made("POST", f"/api/documents/{document['id']}/publish", {"version": document["version"]}, status=200)
        values["document_id"] = document["id"]
    if needed("media_id"):
        values["media_id"] = upload(client, unit, "hoi-nghi.png", "image/png", png(), alt="Hội nghị xã")["id"]
    if needed("key", "lang"):
        made("POST", f"/api/units/{unit}/pages", PAGE)
        values.update(key=PAGE["key"], lang=PAGE["lang"])
    if needed("section"):
        values["section"] = "ngan-sach"  # a disclosure section every level owes
    if needed("procedure_id"):
        # Not the name of the documented example, which a test drafts beside it.
        procedure = made("POST", f"/api/units/{unit}/procedures",
                         {**BIRTH, "name": "Đăng ký khai tử", "code": "1.000656"})
        made("POST", f"/api/procedures/{procedure['id']}/publish", {"version": procedure["version"]}, status=200)
        values["procedure_id"] = procedure["id"]
    if needed("question_id"):
        question = made("POST", f"/api/units/{unit}/questions", QUESTION)
        for step, body in (("accept", {}), ("answer", {"answer_html": ANSWER}), ("publish", {})):
            path = f"/api/questions/{question['id']}/{step}"
            made("POST", path, {**body, "version": current_version(client, path)}, status=200)
        values["question_id"] = question["id"]
    if needed("consultation_id", "comment_id"):
        draft = made("POST", f"/api/units/{unit}/consultations", CONSULTATION)
        made("POST", f"/api/consultations/{draft['id']}/open", {"version": draft["version"]}, status=200)
        comment = made("POST", f"/api/units/{unit}/consultations/{draft['id']}/comments", CONSULTATION_COMMENT)
        values.update(consultation_id=draft["id"], comment_id=comment["id"])
    return values


# Every path field prepare() gives a value.
PATH_VALUES = ("unit", "month", "category", "article_id", "slug", "username", "week", "document_id", "media_id",
               "key", "lang", "question_id", "section", "consultation_id", "comment_id", "procedure_id")
# An open draft and a comment waiting for moderation.
CONSULTATION = {"title": "Dự thảo Quy chế quản lý chợ", "description": "UBND xã lấy ý kiến về quy chế quản lý chợ.",
                "closes_on": (today() + timedelta(days=20)).isoformat(), "field": "Thương mại"}
CONSULTATION_COMMENT = {"name": "Trần Thị Bình", "contact": "0905 123 456", "body": "Đề nghị chợ mở cửa từ 5 giờ."}


def upload(client, unit: str, filename: str, content_type: str, data: bytes, **fields) -> dict:
    """A file uploaded to the unit's media as a browser's form sends it."""
    body, form_type = multipart(file=(filename, content_type, data), **fields)
    answered = client.simulate_post(f"/api/units/{unit}/media", body=body,
                                    headers={**PORTAL_ADMIN, "Content-Type": form_type})
    assert answered.status_code == 201, answered.text
    return answered.json


def multipart(**fields) -> tuple[bytes, str]:
    """A multipart/form-data body of `fields` (text, or a file as (filename, type, bytes)) and its type."""
    boundary = "----bien-gioi-tep"
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content_type, data = value
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
        else:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def current_version(client, path: str) -> int | None:
    """The version of the item a write to `path` changes: that of the nearest read up the path
    that answers (its draft's if it has one, as a schedule's week does), or of its entry in the
    list that answers; None if there is none."""
    parts = path.split("/")
    for end in range(len(parts), 2, -1):
        for read in ("/".join(parts[:end]) + "/draft", "/".join(parts[:end])):
            response = client.simulate_get(read, headers=PORTAL_ADMIN)
            if response.status_code != 200 or not isinstance(response.json, dict):
                continue
            found = response.json
            if "version" not in found and end < len(parts):  # a list: the entry the next segment names
                entries = [entry for value in found.values() if isinstance(value, list) for entry in value]
                found = next((entry for entry in entries if isinstance(entry, dict) and parts[end] in entry.values()),
                             {})
            return found.get("version") if isinstance(found.get("version"), int) else None
    return None


def fill(path: str, values: dict[str, str]) -> str:
    """`path` (a document's /api/units/{unit}) with each field replaced by its prepared value."""
    def value(match):
        assert match[1] in values, f"no prepared value for the path field {match[1]!r} of {path}: add one to prepare()"
        return values[match[1]]
    return FIELD.sub(value, path)
