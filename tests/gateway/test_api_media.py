"""Media through the JSON API, held to its OpenAPI document: a unit's staff upload an image or a
document as a form (multipart/form-data) and list and delete them; anyone reads a file's
description. A body of another type is a 415, a form without its file a 422 naming `file`, a
body beyond the largest file a 413, another unit's file is refused (403), and a refused upload
leaves nothing behind. The real content and ranking services."""
import io
import json
import re
from uuid import uuid4

import pytest
from falcon import testing
from PIL import Image

from gateway.api.media import MAX_UPLOAD_BYTES
from tests.gateway.api_documented import Documented, documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_api_news import check, error

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
UNIT_MEDIA, ONE = "/api/units/{unit}/media", "/api/media/{media_id}"


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def form(*parts: tuple) -> tuple[bytes, dict]:
    """A multipart/form-data body of (name, value) text parts and (name, filename, bytes, type)
    file parts, with its Content-Type header."""
    boundary = uuid4().hex
    body = b""
    for part in parts:
        if len(part) == 2:
            name, value = part
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
        else:
            name, filename, data, content_type = part
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode("utf-8") + data + b"\r\n")
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def upload(client, headers: dict, *parts, unit: str = "phu-mau"):
    body, typed = form(*parts)
    return client.simulate_post(f"/api/units/{unit}/media", headers={**headers, **typed}, body=body)


@pytest.fixture
def contract(phu_mau) -> Documented:
    return documented(phu_mau, re.compile(r"^/api/(units/\{unit\}/)?media"))


def test_staff_upload_list_and_delete_a_units_media(phu_mau, contract):
    client = phu_mau.client
    image = check(contract, upload(client, PORTAL_ADMIN, ("file", "hội-nghị.jpg", photo(), "image/jpeg"),
                                  ("alt", "Hội nghị triển khai chuyển đổi số"), ("caption", "Ảnh: Ban biên tập")),
                           "post", UNIT_MEDIA)
    assert image.status_code == 201, image.text
    assert (image.json["kind"], image.json["width"], image.json["alt"]) == ("image", 800,
                                                                          "Hội nghị triển khai chuyển đổi số")
    assert set(image.json["renditions"]) == {"320", "640"}
    document = check(contract, upload(client, PORTAL_ADMIN, ("file", "ke-hoach.pdf", PDF, "application/pdf")),
                              "post", UNIT_MEDIA).json
    assert (document["kind"], document["width"], document["alt"]) == ("document", None, "")

    listed = check(contract, client.simulate_get("/api/units/phu-mau/media", headers=PORTAL_ADMIN,
                                                params={"limit": 1}), "get", UNIT_MEDIA).json
    assert [item["id"] for item in listed["items"]] == [document["id"]] and listed["next"]
    assert [item["id"] for item in client.simulate_get(listed["next"], headers=PORTAL_ADMIN).json["items"]] == [
        image.json["id"]]

    described = check(contract, client.simulate_get(f"/api/media/{image.json['id']}"), "get", ONE)
    assert described.json == image.json
    assert client.simulate_get(f"/api/media/{image.json['id']}",
                               headers={"If-None-Match": described.headers["etag"]}).status_code == 304
    deleted = check(contract, client.simulate_delete(f"/api/media/{document['id']}", headers=PORTAL_ADMIN),
                             "delete", ONE)
    assert deleted.status_code == 204
    error(contract, client.simulate_get(f"/api/media/{document['id']}"), "get", ONE, 404)
    error(contract, client.simulate_delete(f"/api/media/{document['id']}", headers=PORTAL_ADMIN), "delete", ONE, 404)
    assert client.simulate_get(f"/tep/{document['id']}").status_code == 404


def test_a_bad_upload_names_what_is_wrong_and_stores_nothing(phu_mau, contract):
    client = phu_mau.client

    def refused(response, status: int) -> dict:
        return error(contract, response, "post", UNIT_MEDIA, status)

    assert "file" in refused(upload(client, PORTAL_ADMIN, ("alt", "Không có tệp")), 422)["fields"]
    assert "file" in refused(upload(client, PORTAL_ADMIN, ("file", "not a file")), 422)["fields"]
    assert set(refused(upload(client, PORTAL_ADMIN, ("file", "a.pdf", PDF, "application/pdf"), ("khac", "x")),
                       422)["fields"]) == {"khac"}
    assert "alt" in refused(upload(client, PORTAL_ADMIN, ("file", "a.jpg", photo(), "image/jpeg"), ("alt", "x" * 301)),
                            422)["fields"]
    assert "file" in refused(upload(client, PORTAL_ADMIN, ("file", "anh.png", PDF, "image/png")), 422)["fields"]
    assert "file" in refused(upload(client, PORTAL_ADMIN, ("file", "rong.pdf", b"", "application/pdf")), 422)["fields"]
    refused(client.simulate_post("/api/units/phu-mau/media", headers=PORTAL_ADMIN, json={"file": "x"}), 415)
    refused(client.simulate_post("/api/units/phu-mau/media", headers={**PORTAL_ADMIN, "Content-Type": "multipart/"
                                 "form-data; boundary=x"}, body=b"--y\r\nrac\r\n"), 400)
    too_large = {**PORTAL_ADMIN, "Content-Type": "multipart/form-data; boundary=x",
                 "Content-Length": str(MAX_UPLOAD_BYTES + 1)}
    refused(client.simulate_post("/api/units/phu-mau/media", headers=too_large, body=b""), 413)
    refused(upload(client, {}, ("file", "a.pdf", PDF, "application/pdf")), 401)
    refused(upload(client, PORTAL_ADMIN, ("file", "a.pdf", PDF, "application/pdf"), unit="khong-co"), 404)
    assert client.simulate_get("/api/units/phu-mau/media", headers=PORTAL_ADMIN).json["items"] == []


def test_a_form_without_its_length_is_a_411_before_anything_is_read(phu_mau, contract):
    """Sent in chunks, a body has no Content-Length to bound its read by."""
    body, typed = form(("file", "ke-hoach.pdf", PDF, "application/pdf"))
    environ = testing.create_environ("/api/units/phu-mau/media", method="POST", headers={**PORTAL_ADMIN, **typed},
                                     body=body)
    del environ["CONTENT_LENGTH"]
    started = testing.StartResponseMock()
    answer = json.loads(b"".join(phu_mau.client.app(environ, started)))
    assert started.status.startswith("411") and answer["error"]["status"] == 411
    assert "411" in contract.document["paths"][UNIT_MEDIA]["post"]["responses"]


def test_another_units_staff_may_not_list_upload_or_delete(phu_mau, contract):
    client = phu_mau.client
    second_commune(client)
    outsider = user(client, "bien-tap-phu-da", "phu-da", "editor_in_chief")
    media = upload(client, PORTAL_ADMIN, ("file", "ke-hoach.pdf", PDF, "application/pdf")).json

    error(contract, upload(client, outsider, ("file", "a.pdf", PDF, "application/pdf")), "post", UNIT_MEDIA, 403)
    error(contract, client.simulate_get("/api/units/phu-mau/media", headers=outsider), "get", UNIT_MEDIA, 403)
    error(contract, client.simulate_delete(f"/api/media/{media['id']}", headers=outsider), "delete", ONE, 403)
    assert client.simulate_get(f"/api/media/{media['id']}").json == media
    error(contract, client.simulate_get("/api/units/phu-mau/media", headers=PORTAL_ADMIN, params={"limit": "0"}),
          "get", UNIT_MEDIA, 422)
