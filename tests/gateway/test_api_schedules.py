"""Leadership schedules through the JSON API, against the real services: each route answers as
its OpenAPI operation documents, every documented example is accepted, and bad input is refused
by name with nothing written."""
import re

import pytest

from tests.gateway.api_documented import documented, second_commune, user
from tests.gateway.conftest import PORTAL_ADMIN

WEEK = "2026-W48"  # Monday 23/11/2026 to Sunday 29/11/2026: the examples' week
BASE = f"/api/units/phu-mau/schedules/{WEEK}"
LAST_WEEK = [{"start": "2026-11-16T07:30", "end": "2026-11-16T09:00", "leader": "Chủ tịch UBND xã Nguyễn Văn An",
              "title": "Chào cờ đầu tuần, giao ban lãnh đạo UBND xã", "location": "Hội trường UBND xã"},
             {"start": "2026-11-20T14:00", "leader": "Phó Chủ tịch UBND xã Trần Thị Bình",
              "title": "Tiếp công dân định kỳ", "location": "Phòng tiếp công dân"}]


@pytest.fixture
def api(phu_mau):
    return documented(phu_mau, re.compile(r"/schedules"))


def week_templates(api):
    return {template.rsplit("/", 1)[-1]: template for template in api.templates}


def entries_of(example: dict) -> dict:
    return {"entries": example["entries"]}


def test_a_week_is_drafted_changed_published_and_read_as_documented(phu_mau, api):
    client, templates = phu_mau.client, week_templates(api)
    draft_route, public_route = templates["draft"], templates["{week:week}"]
    example = api.examples("ScheduleChange")[0]
    created = client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json=entries_of(example))
    assert created.status_code == 201, created.text
    api.check(draft_route, "put", created)
    assert (created.json["version"], created.json["status"], len(created.json["entries"])) == (1, "draft", 2)
    assert created.json["entries"][0]["start"] == "2026-11-23T07:30:00+07:00"

    changed = client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json={**example, "version": 1})
    assert changed.status_code == 200, changed.text
    api.check(draft_route, "put", changed)
    assert client.simulate_get(public_route.replace("{unit}", "phu-mau").replace("{week:week}", WEEK)).json[
        "entries"] == []   # nothing public before publication

    for publication in api.examples("SchedulePublication"):
        published = client.simulate_post(f"{BASE}/publish", headers=PORTAL_ADMIN,
                                          json={**publication, "version": changed.json["version"]})
        assert published.status_code == 200, published.text
        api.check(templates["publish"], "post", published)
    assert (published.json["status"], published.json["published_version"]) == ("published", 3)
    again = client.simulate_post(f"{BASE}/publish", headers=PORTAL_ADMIN, json={"version": 3})
    assert again.status_code == 409 and again.json["error"]["current_version"] == 3
    api.check(templates["publish"], "post", again)

    public = client.simulate_get(f"/api/units/phu-mau/schedules/{WEEK}")
    assert public.status_code == 200
    api.check(public_route, "get", public)
    assert public.json["version"] == 3 and len(public.json["entries"]) == 2
    led = client.simulate_get(f"/api/units/phu-mau/schedules/{WEEK}",
                              params={"leader": "chủ tịch ubnd xã  nguyễn văn an"})
    assert [entry["leader"] for entry in led.json["entries"]] == ["Chủ tịch UBND xã Nguyễn Văn An"]
    cached = client.simulate_get(f"/api/units/phu-mau/schedules/{WEEK}",
                                 headers={"If-None-Match": public.headers["ETag"]})
    assert cached.status_code == 304 and not cached.content

    draft = client.simulate_get(f"{BASE}/draft", headers=PORTAL_ADMIN)
    api.check(draft_route, "get", draft)
    assert draft.json["unpublished_changes"] is False


def test_published_weeks_are_listed_newest_first_a_page_at_a_time(phu_mau, api):
    client = phu_mau.client
    for week, day in (("2026-W46", "2026-11-10"), ("2026-W47", "2026-11-17"), ("2026-W48", "2026-11-24")):
        entry = {"start": f"{day}T08:00", "leader": "Chủ tịch UBND xã", "title": "Họp giao ban"}
        made = client.simulate_put(f"/api/units/phu-mau/schedules/{week}/draft", headers=PORTAL_ADMIN,
                                   json={"entries": [entry]})
        assert made.status_code == 201, made.text
        assert client.simulate_post(f"/api/units/phu-mau/schedules/{week}/publish", headers=PORTAL_ADMIN,
                                    json={"version": 1}).status_code == 200
    first = client.simulate_get("/api/units/phu-mau/schedules", params={"limit": 2})
    api.check("/api/units/{unit}/schedules", "get", first)
    assert [week["week"] for week in first.json["items"]] == ["2026-W48", "2026-W47"]
    assert first.json["previous"] is None and first.json["sort"] == "-week"
    second = client.simulate_get(first.json["next"].split("?")[0], query_string=first.json["next"].split("?")[1])
    assert [week["week"] for week in second.json["items"]] == ["2026-W46"] and second.json["next"] is None
    assert second.json["previous"] is not None
    for params, field in (({"limit": "0"}, "limit"), ({"page": "x"}, "page"), ({"sort": "week"}, "sort")):
        refused = client.simulate_get("/api/units/phu-mau/schedules", params=params)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
        api.check("/api/units/{unit}/schedules", "get", refused)
    assert client.simulate_get("/api/units/khong-co/schedules").status_code == 404


def test_a_week_is_filled_from_another_week_moved_by_the_weeks_between(phu_mau, api):
    client, copy_route = phu_mau.client, week_templates(api)["copy"]
    last = client.simulate_put("/api/units/phu-mau/schedules/2026-W47/draft", headers=PORTAL_ADMIN,
                               json={"entries": LAST_WEEK})
    assert last.status_code == 201, last.text
    nothing_before = client.simulate_post("/api/units/phu-mau/schedules/2026-W47/copy", headers=PORTAL_ADMIN, json={})
    assert nothing_before.status_code == 422 and "from_week" in nothing_before.json["error"]["fields"]

    first, replacing = api.examples("ScheduleCopy")
    copied = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json=first)
    assert copied.status_code == 200, copied.text
    api.check(copy_route, "post", copied)
    assert [entry["start"] for entry in copied.json["entries"]] == ["2026-11-23T07:30:00+07:00",
                                                                    "2026-11-27T14:00:00+07:00"]
    assert {entry["id"] for entry in copied.json["entries"]}.isdisjoint(e["id"] for e in last.json["entries"])
    assert copied.json["version"] == 1 and copied.json["status"] == "draft"

    kept = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json={})  # the week before, by default
    assert kept.status_code == 409 and kept.json["error"]["current_version"] == 1, kept.text
    api.check(copy_route, "post", kept)
    unversioned = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json={"replace": True})
    assert unversioned.status_code == 422 and "version" in unversioned.json["error"]["fields"]
    stale = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json={**replacing, "version": 7})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 1
    replaced = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json={**replacing, "version": 1})
    assert replaced.status_code == 200 and replaced.json["version"] == 2, replaced.text
    for body, field in (({"from_week": WEEK}, "from_week"), ({"from_week": "2026-W60"}, "from_week"),
                        ({"from_week": "2026-48"}, "from_week"), ({"replace": "yes", "version": 2}, "replace"),
                        ({"version": "2", "replace": True}, "version"), ({"ngay": 1}, "ngay")):
        refused = client.simulate_post(f"{BASE}/copy", headers=PORTAL_ADMIN, json=body)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], (body, refused.text)
        api.check(copy_route, "post", refused)
    draft = client.simulate_get(f"{BASE}/draft", headers=PORTAL_ADMIN)
    assert draft.json["version"] == 2  # nothing refused was written


def test_revisions_are_listed_compared_and_rolled_back(phu_mau, api):
    client, templates = phu_mau.client, week_templates(api)
    example = api.examples("ScheduleChange")[0]
    client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json=entries_of(example))
    client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json={"entries": example["entries"][:1], "version": 1})

    revisions = client.simulate_get(f"{BASE}/revisions", headers=PORTAL_ADMIN, params={"limit": 1})
    api.check(templates["revisions"], "get", revisions)
    assert [r["version"] for r in revisions.json["items"]] == [1] and revisions.json["next"]
    diff = client.simulate_get(f"{BASE}/diff", headers=PORTAL_ADMIN, params={"from": 1, "to": 2})
    api.check(templates["diff"], "get", diff)
    assert (diff.json["from"], diff.json["to"]) == (1, 2) and "Kiểm tra tiến độ" in diff.json["fields"]["entries"]
    for params, status in (({"from": 1}, 422), ({"from": "a", "to": 2}, 422), ({"from": 0, "to": 2}, 422),
                           ({"from": 1, "to": 9}, 404)):
        refused = client.simulate_get(f"{BASE}/diff", headers=PORTAL_ADMIN, params=params)
        assert refused.status_code == status, (params, refused.text)
        api.check(templates["diff"], "get", refused)

    rollback = api.examples("Rollback")[0]
    stale = client.simulate_post(f"{BASE}/rollback", headers=PORTAL_ADMIN, json={**rollback, "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["current_version"] == 2
    api.check(templates["rollback"], "post", stale)
    restored = client.simulate_post(f"{BASE}/rollback", headers=PORTAL_ADMIN, json={**rollback, "version": 2})
    assert restored.status_code == 200, restored.text
    api.check(templates["rollback"], "post", restored)
    assert restored.json["version"] == 3 and len(restored.json["entries"]) == 2
    first = client.simulate_get(f"{BASE}/revisions", headers=PORTAL_ADMIN).json["items"]
    assert [(r["version"], r["action"], r["comment"]) for r in first][-1] == (3, "rollback", "restored version 1")
    for body, field in (({"to_version": 1}, "version"), ({"to_version": "1", "version": 3}, "to_version"),
                        ({"to_version": True, "version": 3}, "to_version")):
        refused = client.simulate_post(f"{BASE}/rollback", headers=PORTAL_ADMIN, json=body)
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.text
    missing = client.simulate_post(f"{BASE}/rollback", headers=PORTAL_ADMIN, json={"to_version": 9, "version": 3})
    assert missing.status_code == 404


def test_bad_input_is_refused_by_name_and_writes_nothing(phu_mau, api):
    client, draft_route = phu_mau.client, week_templates(api)["draft"]
    wrong = {"entries": [{"start": "2026-12-01T08:00", "end": "2026-11-30T08:00", "leader": "A", "title": "x"}]}
    refused = client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json=wrong)
    assert refused.status_code == 422
    assert {"entries.0.leader", "entries.0.title"} <= set(refused.json["error"]["fields"])
    api.check(draft_route, "put", refused)
    outside = {"entries": [{"start": "2026-12-01T08:00", "leader": "Chủ tịch UBND xã", "title": "Họp giao ban"}]}
    refused = client.simulate_put(f"{BASE}/draft", headers=PORTAL_ADMIN, json=outside)
    assert refused.status_code == 422 and "entries.0.start" in refused.json["error"]["fields"]
    assert client.simulate_get(f"{BASE}/draft", headers=PORTAL_ADMIN).status_code == 404   # nothing was written
    for week in ("2026-W60", "2026-W00", "2099-W53", "2026-48", "٢٠٢٦-W03"):
        for path in (f"/api/units/phu-mau/schedules/{week}", f"/api/units/phu-mau/schedules/{week}/draft"):
            assert client.simulate_get(path, headers=PORTAL_ADMIN).status_code == 404, path
    typed = client.simulate_put(f"{BASE}/draft", headers={**PORTAL_ADMIN, "Content-Type": "text/plain"}, body="x")
    assert typed.status_code == 415
    api.check(draft_route, "put", typed)
    malformed = client.simulate_put(f"{BASE}/draft", headers={**PORTAL_ADMIN, "Content-Type": "application/json"},
                                    body="{")
    assert malformed.status_code == 400
    assert client.simulate_get(f"{BASE}/draft").status_code == 401


def test_another_units_editor_may_not_read_or_change_the_week(phu_mau, api):
    client = phu_mau.client
    second_commune(client)
    outsider = user(client, "bien-tap-phu-da", "phu-da", "editor_in_chief")
    editor = user(client, "bien-tap-phu-mau", "phu-mau", "editor")
    example = api.examples("ScheduleChange")[0]
    made = client.simulate_put(f"{BASE}/draft", headers=editor, json=entries_of(example))
    assert made.status_code == 201, made.text
    assert client.simulate_post(f"{BASE}/publish", headers=editor, json={"version": 1}).status_code == 403
    for method, suffix, body in (("GET", "draft", None), ("PUT", "draft", {**example, "version": 1}),
                                 ("POST", "publish", {"version": 1}), ("POST", "copy", {}),
                                 ("GET", "revisions", None), ("POST", "rollback", {"to_version": 1, "version": 1})):
        answered = client.simulate_request(method, f"{BASE}/{suffix}", headers=outsider, json=body)
        assert answered.status_code == 403, (method, suffix, answered.text)
        api.check(week_templates(api)[suffix], method, answered)
    assert client.simulate_get(f"{BASE}/draft", headers=editor).json["version"] == 1
