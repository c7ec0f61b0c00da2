"""The ranking's JSON API for other systems: months, a month's standings (and its revisions), a
unit's explained score and visits, and the platform admin's recompute and rebuild; errors in the
documented shape (401, 403, 404, 422)."""
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.gateway.test_ranking_pages import BODY, last_month, this_month
from tests.servers import wait_for


def api_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.json["error"]["status"] == status
    return response.json["error"]


def editor_headers(client) -> dict:
    """A unit's editor-in-chief: no platform admin."""
    created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": "bien-tap-phu-mau", "name": "Biên tập Phú Mậu", "roles": {"phu-mau": ["editor_in_chief"]}})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json['token']}"}


def test_months_standings_a_units_score_and_its_visits(phu_mau):
    client = phu_mau.client
    publish(client, body_html=BODY)
    months = client.simulate_get("/api/ranking").json
    assert months["items"] == [] and months["next"] is None  # this month is not frozen yet

    table = client.simulate_get(f"/api/ranking/{this_month()}")
    assert table.status_code == 200, table.text
    assert table.json["provisional"] is True and table.json["month"] == this_month()
    row = next(row for row in table.json["units"] if row["unit"] == "phu-mau")
    assert row["link"] == "/phu-mau/xep-hang" and row["rank_in_level"] == 1 and row["units_in_level"] == 1
    assert [group["level"] for group in table.json["levels"]] and "units" in table.json["levels"][0]

    standing = client.simulate_get("/api/units/phu-mau/ranking").json
    assert standing["unit"] == "phu-mau" and len(standing["criteria"]) > 1
    assert {"key", "title", "points", "maximum", "summary", "evidence", "advice"} <= set(standing["criteria"][0])
    assert api_error(client.simulate_get("/api/units/phu-mau/ranking", params={"month": "abc"}), 422)["fields"]["month"]
    api_error(client.simulate_get("/api/units/khong-co/ranking"), 404)

    days = client.simulate_get("/api/units/phu-mau/visits")
    assert len(days.json["items"]) == 20 and days.json["next"] == "/api/units/phu-mau/visits?page=2&limit=20"
    assert len(client.simulate_get("/api/units/phu-mau/visits", params={"limit": "100"}).json["items"]) == 100
    for limit in ("0", "101", "abc"):
        error = api_error(client.simulate_get("/api/units/phu-mau/visits", params={"limit": limit}), 422)
        assert "limit" in error["fields"], limit
    months = client.simulate_get("/api/units/phu-mau/visits/months").json
    assert len(months["items"]) == 20 and months["items"][0]["month"] == this_month()
    api_error(client.simulate_get("/api/units/khong-co/visits"), 404)
    api_error(client.simulate_get("/api/units/khong-co/visits/months"), 404)
    # Units change by routes of their own: no other name reaches them.
    api_error(client.simulate_post("/api/units/phu-mau/doi-ten", headers=PORTAL_ADMIN, json={}), 404)

    for month in ("2026-13", "abc", "1999-12", f"{int(this_month()[:4]) + 1}-01"):
        api_error(client.simulate_get(f"/api/ranking/{month}"), 404)
    assert "revision" in api_error(client.simulate_get(f"/api/ranking/{this_month()}", params={"revision": "x"}),
                                   422)["fields"]


def test_a_platform_admin_recomputes_a_past_month_with_a_reason(phu_mau):
    client, month = phu_mau.client, last_month()
    path = f"/api/ranking/{month}/revisions"
    first = client.simulate_post(path, headers=PORTAL_ADMIN, json={"reason": "Chốt số liệu tháng trước"})
    assert first.status_code == 201, first.text
    assert first.json["revision"] == 1 and first.json["reason"] == "Chốt số liệu tháng trước"
    second = client.simulate_post(path, headers=PORTAL_ADMIN, json={"reason": "Sửa lỗi đếm lịch công tác"})
    assert second.json["revision"] == 2 and second.headers["location"] == f"/api/ranking/{month}?revision=2"

    again = {**PORTAL_ADMIN, "Idempotency-Key": "sua-loi-lich-cong-tac"}
    third = client.simulate_post(path, headers=again, json={"reason": "Sửa lỗi đếm lịch công tác"})
    assert client.simulate_post(path, headers=again, json={"reason": "Sửa lỗi đếm lịch công tác"}).json == third.json
    assert third.json["revision"] == 3  # the repeated request made no fourth

    latest = client.simulate_get(f"/api/ranking/{month}").json
    assert latest["revision"] == 3 and [item["revision"] for item in latest["revisions"]] == [1, 2, 3]
    assert client.simulate_get(f"/api/ranking/{month}", params={"revision": "1"}).json["revision"] == 1
    api_error(client.simulate_get(f"/api/ranking/{month}", params={"revision": "4"}), 404)
    assert client.simulate_get("/api/ranking").json["items"][0]["month"] == month

    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}):
        assert "reason" in api_error(client.simulate_post(path, headers=PORTAL_ADMIN, json=body), 422)["fields"]
    not_past = client.simulate_post(f"/api/ranking/{this_month()}/revisions", headers=PORTAL_ADMIN,
                                    json={"reason": "Chốt sớm"})
    assert "month" in api_error(not_past, 422)["fields"]
    api_error(client.simulate_post("/api/ranking/2026-13/revisions", headers=PORTAL_ADMIN, json={"reason": "x"}), 404)

    editor = editor_headers(client)
    api_error(client.simulate_post(path, headers=editor, json={"reason": "Tính lại"}), 403)
    api_error(client.simulate_post(path, json={"reason": "Tính lại"}), 401)
    api_error(client.simulate_post("/api/ranking/rebuild", headers=editor), 403)
    started = client.simulate_post("/api/ranking/rebuild", headers=PORTAL_ADMIN)
    assert started.status_code == 202, started.text
    assert started.json["state"] in ("running", "done") and started.headers["location"] == "/api/ranking/rebuild"
    api_error(client.simulate_get("/api/ranking/rebuild", headers=editor), 403)
    done = wait_for(lambda: (status := client.simulate_get("/api/ranking/rebuild", headers=PORTAL_ADMIN).json)[
        "state"] == "done" and status, message="the rebuild done")
    assert done["kinds"]["unit"] == 2  # the province and the commune, re-read
