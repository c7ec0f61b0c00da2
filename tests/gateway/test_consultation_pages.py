"""Drafts out for comment on the site: the list (open first), a draft with its file, days left
and comment form (a double-submit token, a limit per address), its published comments, and once
closed the notice and the summary."""
import base64
import dataclasses
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from pymongo import MongoClient

from gateway.forms import CSRF_COOKIE, CSRF_FIELD
from services.common.vietnam_time import today
from tests.content.test_documents import MINIMAL_PDF
from tests.drive import acting
from tests.gateway.api_answers import build, check
from tests.gateway.conftest import PORTAL_ADMIN
from tests.gateway.test_bad_input import api_error

LIMIT = 2
COMMENT = {"name": "Trần Thị Bình", "contact": "binh.tran@example.vn", "body": "Đề nghị chợ mở cửa từ 5 giờ sáng."}
SUMMARY = "<p>UBND xã nhận được 2 ý kiến và tiếp thu ý kiến về giờ mở cửa chợ.</p>"


@pytest.fixture
def portal_settings(portal_settings):
    return dataclasses.replace(portal_settings, QUESTION_RATE_LIMIT=LIMIT)


def draft(portal, title, days=10, opened=True, file=None):
    with portal.pool.services() as services:
        made = services.content.create_consultation(acting(portal.admin), "phu-mau", {
            "title": title, "description": "UBND xã lấy ý kiến về dự thảo.\nXin mời góp ý.",
            "closes_on": str(today() + timedelta(days=days)), "field": "Thương mại", "file": file})
        return services.content.open_consultation(acting(portal.admin), made["id"]) if opened else made


def close(portal_settings, consultation, days_ago=1):
    """Its closing day passed: the calendar, not a write, closes a draft."""
    with MongoClient(portal_settings.MONGO_URI) as mongo:
        mongo[portal_settings.CONTENT_DB]["consultations"].update_one(
            {"_id": consultation["id"]}, {"$set": {"closes_on": str(today() - timedelta(days=days_ago))}})


def open_form(client, path):
    page = client.simulate_get(path)
    assert page.status_code == 200
    token = re.search(rf'<input type="hidden" name="{CSRF_FIELD}" value="([^"]+)">', page.text).group(1)
    return token, page.cookies[CSRF_COOKIE].value


def send(client, path, fields, cookie=None, address="203.113.131.7"):
    return client.simulate_post(path, body=urlencode(fields), remote_addr=address,
                                headers={"Content-Type": "application/x-www-form-urlencoded"},
                                cookies={CSRF_COOKIE: cookie} if cookie else None)


def comment(client, path, address="203.113.131.7", **changes):
    token, cookie = open_form(client, path)
    return send(client, path, {**COMMENT, CSRF_FIELD: token, **changes}, cookie, address)


def test_the_list_shows_open_drafts_first_then_closed_ones(phu_mau, portal_settings):
    later = draft(phu_mau, "Dự thảo quy hoạch khu dân cư", days=30)
    sooner = draft(phu_mau, "Dự thảo quy chế chợ", days=3)
    closed = draft(phu_mau, "Dự thảo kế hoạch năm")
    draft(phu_mau, "Dự thảo chưa công bố", opened=False)
    close(portal_settings, closed)
    page = phu_mau.client.simulate_get("/phu-mau/du-thao")
    assert page.status_code == 200 and "<h1>Dự thảo lấy ý kiến</h1>" in page.text
    titles = re.findall(r'<h3><a href="/phu-mau/du-thao/[0-9a-f]+">([^<]+)</a></h3>', page.text)
    assert titles == ["Dự thảo quy chế chợ", "Dự thảo quy hoạch khu dân cư", "Dự thảo kế hoạch năm"]
    assert "còn 3 ngày" in page.text and "còn 30 ngày" in page.text and "Đã hết thời hạn lấy ý kiến" in page.text
    assert f'href="{sooner["path"]}"' in page.text and f'href="{later["path"]}"' in page.text


def test_a_citizen_comments_on_an_open_draft_and_reads_it_once_published(phu_mau):
    with phu_mau.pool.services() as services:
        media = services.content.upload_media(acting(phu_mau.admin), "phu-mau", "du-thao-quy-che.pdf",
                                              base64.b64encode(MINIMAL_PDF).decode())
    opened = draft(phu_mau, "Dự thảo quy chế chợ", file=media["id"])
    client, path = phu_mau.client, opened["path"]
    page = client.simulate_get(path)
    assert "<h1>Dự thảo quy chế chợ</h1>" in page.text and "còn 10 ngày" in page.text
    assert f'<a href="/tep/{media["id"]}" download="du-thao-quy-che.pdf">Tải dự thảo (PDF' in page.text
    assert '<label for="y-kien">Nội dung góp ý</label>' in page.text
    assert "<p>UBND xã lấy ý kiến về dự thảo.<br>Xin mời góp ý.</p>" in page.text

    sent = comment(client, path)
    assert sent.status_code == 303 and sent.headers["location"].endswith(f"{path}?da-gui=1#gui-y-kien")
    thanks = client.simulate_get(f"{path}?da-gui=1")
    assert "Ý kiến của bạn đã được gửi" in thanks.text and COMMENT["body"] not in thanks.text  # not yet moderated

    with phu_mau.pool.services() as services:
        queue = services.content.consultation_comment_queue(acting(phu_mau.admin), opened["id"])
        assert queue["comments"][0]["contact"] == COMMENT["contact"]
        services.content.publish_consultation_comment(acting(phu_mau.admin), queue["comments"][0]["id"])
    shown = client.simulate_get(path)
    assert COMMENT["body"] in shown.text and "Trần Thị Bình" in shown.text and "Ý kiến đã nhận (1)" in shown.text
    assert COMMENT["contact"] not in shown.text


def test_bad_comments_are_shown_back_in_vietnamese_and_not_stored(phu_mau):
    opened = draft(phu_mau, "Dự thảo quy chế chợ")
    client, path = phu_mau.client, opened["path"]
    refused = comment(client, path, body="x" * 5001, contact="khong-phai")
    assert refused.status_code == 422
    assert "Nội dung góp ý phải có từ 5 đến 5.000 ký tự." in refused.text
    assert "Thư điện tử hoặc số điện thoại không đúng định dạng" in refused.text
    assert '<div class="error-summary" role="alert"' in refused.text and 'aria-invalid="true"' in refused.text
    assert 'value="khong-phai"' in refused.text  # what was typed is kept to correct
    forged = send(client, path, {**COMMENT, CSRF_FIELD: "gia-mao"})
    assert forged.status_code == 403 and "Biểu mẫu đã hết hạn" in forged.text
    with phu_mau.pool.services() as services:
        assert services.content.consultation_comment_queue(acting(phu_mau.admin), opened["id"])["total"] == 0
    assert client.simulate_get("/phu-mau/du-thao/khong-co").status_code == 404


def test_one_address_may_comment_the_limit_an_hour(phu_mau):
    path = draft(phu_mau, "Dự thảo quy chế chợ")["path"]
    for _ in range(LIMIT):
        assert comment(phu_mau.client, path).status_code == 303
    refused = comment(phu_mau.client, path)
    assert refused.status_code == 429 and f"tối đa {LIMIT} ý kiến trong một giờ" in refused.text
    assert comment(phu_mau.client, path, address="2001:ee0:4141:1::7").status_code == 303


def test_after_the_closing_day_the_form_closes_and_the_summary_shows(phu_mau, portal_settings):
    opened = draft(phu_mau, "Dự thảo quy chế chợ")
    client, path = phu_mau.client, opened["path"]
    assert comment(client, path).status_code == 303
    token, cookie = open_form(client, path)
    close(portal_settings, opened)
    late = send(client, path, {**COMMENT, CSRF_FIELD: token}, cookie)
    assert late.status_code == 409 and "ý kiến vừa rồi chưa được gửi" in late.text
    page = client.simulate_get(path)
    assert "Đã hết thời hạn lấy ý kiến" in page.text and "<form" not in page.text.split("gui-y-kien")[1]
    assert "Chưa có ý kiến nào được đăng." in page.text
    with phu_mau.pool.services() as services:
        # Moderation goes on after closing, and the page shows it at once.
        [waiting] = services.content.consultation_comment_queue(acting(phu_mau.admin), opened["id"])["comments"]
        services.content.publish_consultation_comment(acting(phu_mau.admin), waiting["id"])
        assert COMMENT["body"] in client.simulate_get(path).text
        services.content.publish_consultation_summary(acting(phu_mau.admin), opened["id"], {"summary_html": SUMMARY})
    summed = client.simulate_get(path)
    assert "Tổng hợp, tiếp thu và giải trình ý kiến" in summed.text and SUMMARY in summed.text


# The JSON API, every answer held to the OpenAPI document

API_PREFIXES = ("/api/units/{unit}/consultation", "/api/consultation")


def test_the_api_takes_a_draft_from_preparation_to_its_summary(phu_mau, portal_settings):
    client, document = phu_mau.client, build(phu_mau, API_PREFIXES)
    fields = {"title": "Dự thảo quy chế chợ", "description": "UBND xã lấy ý kiến về dự thảo quy chế.",
              "closes_on": str(today() + timedelta(days=5)), "field": "Thương mại"}
    created = client.simulate_post("/api/units/phu-mau/consultations", headers=PORTAL_ADMIN, json=fields)
    assert created.status_code == 201, created.text
    check(document, "POST", "/api/units/{unit}/consultations", created)
    draft_id = created.json["id"]
    assert client.simulate_get(f"/api/units/phu-mau/consultations/{draft_id}").status_code == 404
    changed = client.simulate_put(f"/api/consultations/{draft_id}", headers=PORTAL_ADMIN,
                                  json={**fields, "title": "Dự thảo quy chế chợ (lần 2)", "version": 1})
    check(document, "PUT", "/api/consultations/{consultation_id}", changed)
    opened = client.simulate_post(f"/api/consultations/{draft_id}/open", headers=PORTAL_ADMIN, json={"version": 2})
    check(document, "POST", "/api/consultations/{consultation_id}/open", opened)
    assert opened.json["status"] == "open" and opened.json["days_left"] == 5
    api_error(client.simulate_post(f"/api/consultations/{draft_id}/open", headers=PORTAL_ADMIN), 409)

    comments = f"/api/units/phu-mau/consultations/{draft_id}/comments"
    sent = client.simulate_post(comments, json=COMMENT, remote_addr="203.113.131.7")
    assert sent.status_code == 201, sent.text
    check(document, "POST", "/api/units/{unit}/consultations/{consultation_id}/comments", sent)
    too_long = api_error(client.simulate_post(comments, json={**COMMENT, "body": "x" * 5001}), 422)
    assert "body" in too_long["fields"]
    api_error(client.simulate_post("/api/units/phu-mau/consultations/khong-co/comments", json=COMMENT), 404)

    queue = client.simulate_get(f"/api/consultations/{draft_id}/comments", headers=PORTAL_ADMIN)
    check(document, "GET", "/api/consultations/{consultation_id}/comments", queue)
    assert queue.json["items"][0]["contact"] == COMMENT["contact"]
    published = client.simulate_post(f"/api/consultation-comments/{sent.json['id']}/publish", headers=PORTAL_ADMIN)
    check(document, "POST", "/api/consultation-comments/{comment_id}/publish", published)
    listed = client.simulate_get(comments)
    check(document, "GET", "/api/units/{unit}/consultations/{consultation_id}/comments", listed)
    assert [item["body"] for item in listed.json["items"]] == [COMMENT["body"]]
    assert COMMENT["contact"] not in listed.text

    api_error(client.simulate_post(f"/api/consultations/{draft_id}/summary", headers=PORTAL_ADMIN,
                                   json={"summary_html": SUMMARY}), 409)  # still open
    close(portal_settings, created.json)
    late = api_error(client.simulate_post(comments, json=COMMENT), 409)
    assert "no longer taken" in late["message"]
    summed = client.simulate_post(f"/api/consultations/{draft_id}/summary", headers=PORTAL_ADMIN,
                                  json={"summary_html": SUMMARY})
    check(document, "POST", "/api/consultations/{consultation_id}/summary", summed)
    public = client.simulate_get(f"/api/units/phu-mau/consultations/{draft_id}")
    check(document, "GET", "/api/units/{unit}/consultations/{consultation_id}", public)
    assert public.json["status"] == "closed" and public.json["summary_html"] == SUMMARY
    listing = client.simulate_get("/api/units/phu-mau/consultations")
    check(document, "GET", "/api/units/{unit}/consultations", listing)
    desk = client.simulate_get("/api/units/phu-mau/consultation-desk", headers=PORTAL_ADMIN,
                               params={"status": "closed"})
    check(document, "GET", "/api/units/{unit}/consultation-desk", desk)
    assert [item["id"] for item in desk.json["items"]] == [draft_id]
    revisions = client.simulate_get(f"/api/consultations/{draft_id}/revisions", headers=PORTAL_ADMIN)
    check(document, "GET", "/api/consultations/{consultation_id}/revisions", revisions)
    assert [item["action"] for item in revisions.json["items"]] == ["create", "update", "open", "summary"]
    api_error(client.simulate_get(f"/api/consultations/{draft_id}"), 401)
