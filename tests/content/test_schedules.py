"""Leadership work schedules ("lịch công tác"): drafted by editors, published by the editor-in-chief,
read by the public week by week and exported to calendar apps."""
from datetime import datetime, timezone

import icalendar
import pytest

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.content.database import LOCAL_TIME
from tests.content.conftest import arrived, received
from tests.drive import acting, call

WEEK = "2026-W48"  # Monday 23/11/2026 to Sunday 29/11/2026
CHAIRMAN = "Chủ tịch UBND xã Nguyễn Văn An"
VICE_CHAIRMAN = "Phó Chủ tịch UBND xã Trần Thị Bình"
ENTRIES = [
    {"start": "2026-11-23T07:30", "end": "2026-11-23T09:00", "leader": CHAIRMAN,
     "title": "Chào cờ đầu tuần, giao ban lãnh đạo UBND xã", "location": "Hội trường UBND xã",
     "participants": "Lãnh đạo HĐND, UBND xã; trưởng các ban ngành", "preparer": "Văn phòng HĐND và UBND xã"},
    {"start": "2026-11-25T14:00", "leader": VICE_CHAIRMAN, "title": "Kiểm tra tiến độ xây dựng nông thôn mới",
     "location": "Thôn Lương Viện", "participants": "Công chức Địa chính - Xây dựng"},
]


def published_versions(count):
    return [event.version for event in arrived(events.SchedulePublished, count)]


def create(content, entries=ENTRIES, week=WEEK, actor="bien-tap"):
    return call(content, "create_schedule", acting(actor), "phu-mau", week, {"entries": entries})


def publish(content, schedule, actor="tong-bien-tap"):
    return call(content, "publish_schedule", acting(actor), "phu-mau", schedule["week"], schedule["version"])


def test_a_week_is_drafted_published_changed_and_republished_with_growing_versions(board, listener):
    draft = create(board)
    assert (draft["status"], draft["version"], draft["unpublished_changes"]) == ("draft", 1, True)
    assert call(board, "get_schedule", "phu-mau", WEEK)["entries"] == []  # drafts are not public
    with pytest.raises(Forbidden):
        publish(board, draft, actor="bien-tap")  # editors prepare, the editor-in-chief publishes

    published = publish(board, draft)
    assert (published["status"], published["version"], published["published_version"]) == ("published", 2, 2)
    assert published_versions(1) == [2]
    event = received(events.SchedulePublished)[0]
    assert event.schedule.unit_name == "Xã Phú Mậu" and event.schedule.week == WEEK
    assert event.schedule.path == "/phu-mau/lich-cong-tac/2026-W48"
    assert [e.title for e in event.schedule.entries] == [e["title"] for e in ENTRIES]

    first, second = published["entries"]
    moved = {**second, "start": "2026-11-26T08:00", "location": "Nhà văn hóa thôn Lương Viện"}
    added = {"start": "2026-11-27T15:00", "leader": CHAIRMAN, "title": "Tiếp công dân định kỳ",
             "location": "Phòng tiếp công dân"}
    changed = call(board, "update_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": [first, moved, added]}, 2)
    assert changed["version"] == 3 and changed["unpublished_changes"]
    public = call(board, "get_schedule", "phu-mau", WEEK)
    assert public["version"] == 2 and len(public["entries"]) == 2  # the public keeps the last publication

    republished = publish(board, changed)
    assert republished["version"] == 4 and not republished["unpublished_changes"]
    assert published_versions(2) == [2, 4]
    latest = received(events.SchedulePublished)[1].schedule
    assert [e.location for e in latest.entries] == [ENTRIES[0]["location"], "Nhà văn hóa thôn Lương Viện",
                                                    "Phòng tiếp công dân"]
    public = call(board, "get_schedule", "phu-mau", WEEK)
    assert public["version"] == 4 and [e["id"] for e in public["entries"]][:2] == [first["id"], second["id"]]
    assert public["leaders"] == [CHAIRMAN, VICE_CHAIRMAN]

    with pytest.raises(Conflict):
        publish(board, republished)  # nothing new to publish
    history = call(board, "schedule_history", acting("bien-tap"), "phu-mau", WEEK)
    assert [(r["version"], r["action"]) for r in history] == [(1, "create"), (2, "publish"), (3, "update"),
                                                             (4, "publish")]
    audit = [e for e in call(board, "audit_log", acting("quan-tri"), "phu-mau") if e["action"].startswith("schedule.")]
    assert [e["action"] for e in audit] == ["schedule.publish", "schedule.update", "schedule.publish",
                                            "schedule.create"]


def test_times_are_given_in_local_time_and_stored_in_utc_across_midnight(board, mongo_client, settings):
    draft = create(board, [
        {"start": "2026-11-29T23:30", "leader": CHAIRMAN, "title": "Trực ban đêm Chủ nhật"},
        {"start": "2026-11-23T07:30", "leader": CHAIRMAN, "title": "Giao ban đầu tuần"},
        # Monday 06:00 in Vietnam is still Sunday 23:00 UTC, yet it belongs to this week.
        {"start": "2026-11-22T23:00:00Z", "leader": VICE_CHAIRMAN, "title": "Đón đoàn công tác của huyện"},
    ])
    assert [e["start"] for e in draft["entries"]] == ["2026-11-23T06:00:00+07:00", "2026-11-23T07:30:00+07:00",
                                                      "2026-11-29T23:30:00+07:00"]
    stored = mongo_client[settings.CONTENT_DB]["schedules"].find_one({"_id": draft["id"]})
    assert [e["start"] for e in stored["entries"]] == [datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc),
                                                       datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc),
                                                       datetime(2026, 11, 29, 16, 30, tzinfo=timezone.utc)]

    with pytest.raises(InvalidInput) as error:
        create(board, [
            # Sunday 17:30 UTC is already Monday 00:30 in Vietnam: it belongs to W49.
            {"start": "2026-11-29T17:30:00Z", "leader": CHAIRMAN, "title": "Họp sáng thứ Hai tuần sau"},
            # Sunday 23:30 before the week, in local time.
            {"start": "2026-11-22T23:30", "leader": CHAIRMAN, "title": "Trực ban tuần trước"},
        ], week="2026-W49")
    assert set(error.value.fields) == {"entries.1.start"}


def test_entries_are_validated_field_by_field_and_nothing_half_written(board):
    with pytest.raises(InvalidInput) as error:
        create(board, [{**ENTRIES[0], "leader": ""}, {**ENTRIES[1], "colour": "red"},
                       {"title": "Họp", "start": "sáng"}])
    assert set(error.value.fields) == {"entries.0.leader", "entries.1.colour", "entries.2.start", "entries.2.leader"}

    with pytest.raises(InvalidInput) as error:
        create(board, [ENTRIES[0],
                       {**ENTRIES[1], "start": "2026-12-01T08:00"},
                       {**ENTRIES[1], "end": "2026-11-25T13:00"},
                       {**ENTRIES[1], "end": "2026-11-30T01:00"},
                       {**ENTRIES[1], "id": "0" * 32}])
    assert error.value.fields == {
        "entries.1.start": "must be within the week, 23/11/2026 to 29/11/2026 (Asia/Ho_Chi_Minh)",
        "entries.2.end": "must be after the start",
        "entries.3.end": "must be within the week, 23/11/2026 to 29/11/2026 (Asia/Ho_Chi_Minh)",
        "entries.4.id": "no such entry in this week; leave it out for a new entry",
    }
    with pytest.raises(NotFound):
        call(board, "get_schedule_draft", acting("bien-tap"), "phu-mau", WEEK)  # none of it was written

    for week in ("2026-48", "2025-W53", "2026-W00", None):
        with pytest.raises(InvalidInput) as error:
            create(board, ENTRIES, week=week)
        assert set(error.value.fields) == {"week"}
    with pytest.raises(InvalidInput) as error:
        call(board, "create_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": [ENTRIES[0]] * 301})
    assert "entries" in error.value.fields

    draft = create(board, [])
    with pytest.raises(InvalidInput) as error:
        publish(board, draft)  # an empty week has nothing to publish
    assert "entries" in error.value.fields
    with pytest.raises(NotFound):
        call(board, "create_schedule", acting("admin"), "khong-co", WEEK, {"entries": ENTRIES})
    with pytest.raises(NotFound):
        call(board, "update_schedule", acting("bien-tap"), "phu-mau", "2026-W47", {"entries": ENTRIES})


def test_only_the_units_board_may_draft_and_only_its_editor_in_chief_publish(board):
    with pytest.raises(Forbidden):
        create(board, actor="bien-tap-phu-da")
    with pytest.raises(Forbidden):
        create(board, actor="tac-gia")  # authors write news, not the leaders' schedule
    draft = create(board)
    for name, args in (("update_schedule", ({"entries": ENTRIES}, 1)), ("publish_schedule", (1,)),
                       ("get_schedule_draft", ()), ("schedule_history", ())):
        with pytest.raises(Forbidden):
            call(board, name, acting("bien-tap-phu-da"), "phu-mau", WEEK, *args)
    with pytest.raises(Forbidden):
        publish(board, draft, actor="quan-tri")  # the unit admin is not on the editorial board
    with pytest.raises(Unauthorized):
        call(board, "get_schedule_draft", acting("nobody"), "phu-mau", WEEK)
    assert publish(board, draft, actor="admin")["status"] == "published"  # platform admins may do everything


def test_a_stale_writer_gets_a_conflict_and_changes_nothing(board):
    draft = create(board)
    with pytest.raises(Conflict) as error:
        create(board, ENTRIES[:1])  # one document per unit per week
    assert error.value.current_version == 1
    call(board, "update_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": ENTRIES[:1]}, 1)
    with pytest.raises(Conflict) as error:
        call(board, "update_schedule", acting("tong-bien-tap"), "phu-mau", WEEK, {"entries": ENTRIES}, 1)
    assert error.value.current_version == 2
    with pytest.raises(Conflict) as error:
        publish(board, draft)
    assert error.value.current_version == 2
    current = call(board, "get_schedule_draft", acting("bien-tap"), "phu-mau", WEEK)
    assert (current["version"], len(current["entries"]), current["status"]) == (2, 1, "draft")


def test_the_public_reads_published_weeks_and_one_leaders_entries(board):
    empty = call(board, "get_schedule", "phu-mau", "2026-W47")
    assert empty == {"unit": "phu-mau", "week": "2026-W47", "starts_on": "2026-11-16", "ends_on": "2026-11-22",
                     "path": "/phu-mau/lich-cong-tac/2026-W47", "id": None, "leaders": [], "entries": [],
                     "version": None, "published_at": None, "updated_at": None}
    with pytest.raises(NotFound):
        call(board, "get_schedule", "khong-co", WEEK)
    with pytest.raises(InvalidInput):
        call(board, "get_schedule", "phu-mau", "tuan-48")

    publish(board, create(board, week="2026-W47", entries=[{**ENTRIES[0], "start": "2026-11-16T07:30",
                                                            "end": "2026-11-16T09:00"}]))
    publish(board, create(board))
    create(board, week="2026-W49", entries=[{**ENTRIES[0], "start": "2026-11-30T07:30", "end": None}])
    weeks = call(board, "schedule_weeks", "phu-mau")
    assert [(w["week"], w["entries"], w["version"]) for w in weeks] == [(WEEK, 2, 2), ("2026-W47", 1, 2)]
    assert [w["week"] for w in call(board, "schedule_weeks", "phu-mau", 1)] == [WEEK]
    assert call(board, "schedule_weeks", "phu-da") == []
    with pytest.raises(InvalidInput):
        call(board, "schedule_weeks", "phu-mau", 0)

    week = call(board, "get_schedule", "phu-mau", WEEK, "  phó chủ tịch UBND xã  trần thị bình")
    assert [e["title"] for e in week["entries"]] == [ENTRIES[1]["title"]]
    assert week["leaders"] == [CHAIRMAN, VICE_CHAIRMAN]  # all of them, for the portal's filter
    assert week["entries"][0] == {"id": week["entries"][0]["id"], "start": "2026-11-25T14:00:00+07:00", "end": None,
                                  **{k: v for k, v in ENTRIES[1].items() if k != "start"}, "preparer": ""}


def calendar_events(text):
    calendar = icalendar.Calendar.from_ical(text)
    return calendar, {str(event["UID"]): event for event in calendar.events}


def test_a_published_week_exports_to_icalendar_with_local_times_and_stable_uids(board):
    published = publish(board, create(board))
    calendar, by_uid = calendar_events(call(board, "schedule_ics", "phu-mau", WEEK))
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    assert set(by_uid) == {f"{published['id']}.{entry['id']}" for entry in published["entries"]}

    meeting = by_uid[f"{published['id']}.{published['entries'][0]['id']}"]
    assert meeting.start == datetime(2026, 11, 23, 7, 30, tzinfo=LOCAL_TIME)
    assert meeting.start.tzinfo.key == "Asia/Ho_Chi_Minh"
    assert meeting.start == datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc)
    assert meeting.end == datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL_TIME)
    assert str(meeting["SUMMARY"]) == ENTRIES[0]["title"] and str(meeting["LOCATION"]) == ENTRIES[0]["location"]
    assert str(meeting["DESCRIPTION"]) == (f"Chủ trì: {CHAIRMAN}\nThành phần: {ENTRIES[0]['participants']}\n"
                                           f"Chuẩn bị nội dung: {ENTRIES[0]['preparer']}")
    inspection = by_uid[f"{published['id']}.{published['entries'][1]['id']}"]
    assert inspection.start == datetime(2026, 11, 25, 14, 0, tzinfo=LOCAL_TIME) and "DTEND" not in inspection

    _, only_vice = calendar_events(call(board, "schedule_ics", "phu-mau", WEEK, VICE_CHAIRMAN))
    assert list(only_vice) == [str(inspection["UID"])]

    entries = [{**published["entries"][0], "title": "Giao ban lãnh đạo UBND xã (dời sang 8 giờ)",
                "start": "2026-11-23T08:00"}, published["entries"][1]]
    changed = call(board, "update_schedule", acting("bien-tap"),
                   "phu-mau", WEEK, {"entries": entries}, published["version"])
    republished = publish(board, changed)
    _, after = calendar_events(call(board, "schedule_ics", "phu-mau", WEEK))
    assert set(after) == set(by_uid)  # calendar apps update the same events instead of adding copies
    moved = after[str(meeting["UID"])]
    assert moved.start == datetime(2026, 11, 23, 8, 0, tzinfo=LOCAL_TIME)
    assert int(moved["SEQUENCE"]) == republished["version"] > int(meeting["SEQUENCE"])

    calendar, none = calendar_events(call(board, "schedule_ics", "phu-mau", "2026-W50"))
    assert none == {} and calendar.timezones  # still a valid calendar: one component at least


def test_replay_gives_the_last_publication_not_the_working_copy(board, listener, stores):
    schedules = stores.schedules
    collection = schedules.schedules
    draft = create(board)
    assert schedules.event_for(collection.find_one({"_id": draft["id"]})) is None
    published = publish(board, draft)
    call(board, "update_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": ENTRIES[:1]}, published["version"])
    replayed = schedules.event_for(collection.find_one({"_id": draft["id"]}))
    assert replayed == arrived(events.SchedulePublished)[0]
    assert replayed.version == 2 and len(replayed.schedule.entries) == 2


LAST_WEEK = "2026-W47"  # Monday 16/11/2026 to Sunday 22/11/2026


def test_a_week_is_filled_from_another_moved_by_the_weeks_between_without_overwriting_work(board, listener):
    source = create(board, week=LAST_WEEK, entries=[
        {**ENTRIES[0], "start": "2026-11-16T07:30", "end": "2026-11-16T09:00"},
        {**ENTRIES[1], "start": "2026-11-18T14:00"}])
    copied = call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, {})   # the week before
    assert [(e["start"], e["end"]) for e in copied["entries"]] == [
        ("2026-11-23T07:30:00+07:00", "2026-11-23T09:00:00+07:00"), ("2026-11-25T14:00:00+07:00", None)]
    assert [e["title"] for e in copied["entries"]] == [e["title"] for e in ENTRIES]
    assert {e["id"] for e in copied["entries"]}.isdisjoint(e["id"] for e in source["entries"])
    assert (copied["version"], copied["status"]) == (1, "draft")
    assert received(events.SchedulePublished) == []   # nothing public until it is published

    with pytest.raises(Conflict) as error:
        call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, {"from_week": LAST_WEEK})
    assert error.value.current_version == 1
    with pytest.raises(InvalidInput) as error:
        call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, {"replace": True})
    assert set(error.value.fields) == {"version"}
    with pytest.raises(Conflict):
        call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, {"replace": True, "version": 5})
    three_weeks_on = call(board, "copy_schedule", acting("bien-tap"), "phu-mau", "2026-W50", {"from_week": WEEK})
    assert three_weeks_on["entries"][0]["start"] == "2026-12-07T07:30:00+07:00"
    replaced = call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK,
                    {"from_week": "2026-W50", "replace": True, "version": 1})
    assert replaced["version"] == 2 and replaced["entries"][0]["start"] == "2026-11-23T07:30:00+07:00"
    history = call(board, "schedule_history", acting("bien-tap"), "phu-mau", WEEK)
    assert [(r["action"], r["comment"]) for r in history] == [("copy", ""), ("copy", "copied from 2026-W50")]


def test_a_copy_names_what_it_cannot_take(board):
    with pytest.raises(InvalidInput) as error:
        call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, {})
    assert set(error.value.fields) == {"from_week"}   # the week before has nothing
    for data, fields in (({"from_week": WEEK}, {"from_week"}), ({"from_week": "2026-W60"}, {"from_week"}),
                         ({"from_week": "2026-48", "replace": "yes", "version": "1", "x": 1},
                          {"from_week", "replace", "version", "x"})):
        with pytest.raises(InvalidInput) as error:
            call(board, "copy_schedule", acting("bien-tap"), "phu-mau", WEEK, data)
        assert set(error.value.fields) == fields
    with pytest.raises(InvalidInput) as error:
        call(board, "copy_schedule", acting("bien-tap"), "phu-mau", "1900-W01", {})
    assert set(error.value.fields) == {"from_week"}   # the calendar's first week has none before it
    create(board, week=LAST_WEEK, entries=[{**ENTRIES[0], "start": "2026-11-16T07:30", "end": None}])
    with pytest.raises(Forbidden):
        call(board, "copy_schedule", acting("bien-tap-phu-da"), "phu-mau", WEEK, {})
    with pytest.raises(Forbidden):
        call(board, "copy_schedule", acting("tac-gia"), "phu-mau", WEEK, {})


def test_revisions_are_paged_compared_and_restored_as_a_new_version(board):
    draft = create(board)
    first_ids = [e["id"] for e in draft["entries"]]
    call(board, "update_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": ENTRIES[:1], "version": 1})
    published = publish(board, {"week": WEEK, "version": 2})
    assert [r["version"] for r in call(board, "schedule_history", acting("bien-tap"), "phu-mau", WEEK, 1, 1)] == [2]
    diff = call(board, "schedule_diff", acting("bien-tap"), "phu-mau", WEEK, 1, 2)
    assert (diff["from"], diff["to"], list(diff["fields"])) == (1, 2, ["entries"])
    assert "Kiểm tra tiến độ" in diff["fields"]["entries"]
    with pytest.raises(NotFound):
        call(board, "schedule_diff", acting("bien-tap"), "phu-mau", WEEK, 1, 9)
    for versions, field in (((0, 2), "from"), ((1, "2"), "to")):
        with pytest.raises(InvalidInput) as error:
            call(board, "schedule_diff", acting("bien-tap"), "phu-mau", WEEK, *versions)
        assert set(error.value.fields) == {field}

    with pytest.raises(Conflict) as error:
        call(board, "rollback_schedule", acting("bien-tap"), "phu-mau", WEEK, {"to_version": 1, "version": 2})
    assert error.value.current_version == 3
    restored = call(board, "rollback_schedule", acting("bien-tap"), "phu-mau", WEEK, {"to_version": 1, "version": 3})
    assert [e["id"] for e in restored["entries"]] == first_ids   # the same entries, their calendar UIDs kept
    assert (restored["version"], restored["unpublished_changes"]) == (4, True)
    assert restored["entries"][0]["start"] == draft["entries"][0]["start"]
    assert len(call(board, "get_schedule", "phu-mau", WEEK)["entries"]) == len(published["entries"])  # not yet public
    last = call(board, "schedule_history", acting("bien-tap"), "phu-mau", WEEK)[-1]
    assert (last["action"], last["comment"]) == ("rollback", "restored version 1")
    assert len(publish(board, restored)["entries"]) == 2
    for data, fields in (({"to_version": 1}, {"version"}), ({"to_version": "1", "version": True},
                                                           {"to_version", "version"})):
        with pytest.raises(InvalidInput) as error:
            call(board, "rollback_schedule", acting("bien-tap"), "phu-mau", WEEK, data)
        assert set(error.value.fields) == fields
    with pytest.raises(Forbidden):
        call(board, "rollback_schedule", acting("bien-tap-phu-da"), "phu-mau", WEEK, {"to_version": 1, "version": 5})


def test_published_weeks_are_paged_and_the_api_body_carries_the_version(board):
    for week, day in (("2026-W46", "09"), ("2026-W47", "16"), ("2026-W48", "23")):
        schedule = create(board, week=week, entries=[{**ENTRIES[0], "start": f"2026-11-{day}T07:30", "end": None}])
        call(board, "publish_schedule", acting("tong-bien-tap"), "phu-mau", week, data={"version": 1})
        assert schedule["version"] == 1
    assert [w["week"] for w in call(board, "schedule_weeks", "phu-mau", 2, 1)] == ["2026-W47", "2026-W46"]
    assert len(call(board, "schedule_weeks", "phu-mau", 101)) == 3
    with pytest.raises(InvalidInput) as error:
        call(board, "schedule_weeks", "phu-mau", 105, -1)
    assert set(error.value.fields) == {"limit", "skip"}
    with pytest.raises(Conflict):
        call(board, "update_schedule", acting("bien-tap"), "phu-mau", WEEK, {"entries": ENTRIES, "version": 1})
    with pytest.raises(InvalidInput) as error:
        call(board, "publish_schedule", acting("tong-bien-tap"), "phu-mau", WEEK, data={"version": "2", "x": 1})
    assert set(error.value.fields) == {"version", "x"}
