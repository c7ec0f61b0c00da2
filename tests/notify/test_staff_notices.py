"""Notices to a unit's staff over the real broker, database and SMTP server: the monthly standing
to its leaders, reminders to its board, each at most once per unit, kind and period, and only the
kinds each person has not turned off. Content is the stand-in below (its RPCs are tested against
the real service in tests/content/test_staff_queries.py)."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from nameko.rpc import rpc
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter

from services.common import events
from services.common.errors import InvalidInput, NotFound, Unauthorized
from services.notify import service as notify_service
from tests.drive import acting, call
from tests.notify.helpers import UNITS, ContentStandIn
from tests.servers import wait_for

# 10:00 on Friday 11 December 2026 in Huế; next week is 2026-W51 (14–20 December).
FRIDAY_MORNING = datetime(2026, 12, 11, 3, 0, tzinfo=timezone.utc)
THURSDAY = FRIDAY_MORNING - timedelta(days=1)


class StaffContentStandIn(ContentStandIn):
    """The content RPCs notify asks before writing to a unit's staff, answering what a test set."""
    staff: dict = {}
    waiting: list = []
    without_schedule: list = []
    weeks_asked: list = []

    @rpc(expected_exceptions=NotFound)
    def unit_staff(self, unit):
        if unit not in type(self).staff:
            raise NotFound(f"No unit {unit!r}")
        return type(self).staff[unit]

    @rpc
    def units_with_waiting_questions(self, days):
        return [unit for unit in type(self).waiting if days == 7]

    @rpc
    def units_without_schedule(self, week):
        type(self).weeks_asked.append(week)
        return type(self).without_schedule


@pytest.fixture
def content(container_factory, nameko_config):
    """Overrides tests/notify/conftest.py's: the stand-in that also answers about staff."""
    tag = uuid.uuid4().hex[:8]
    StaffContentStandIn.staff = {unit: [
        person(f"quan-tri-{unit}-{tag}", "Quản trị đơn vị", ["unit_admin"]),
        person(f"tong-bien-tap-{unit}-{tag}", "Tổng biên tập", ["editor", "editor_in_chief"]),
        person(f"bien-tap-{unit}-{tag}", "Biên tập viên", ["editor"]),
        {**person(f"tac-gia-{unit}-{tag}", "Tác giả", ["author"]), "email": ""},  # no address: nothing to send
    ] for unit in UNITS}
    StaffContentStandIn.waiting, StaffContentStandIn.without_schedule, StaffContentStandIn.weeks_asked = [], [], []
    container = container_factory(StaffContentStandIn, nameko_config)
    container.start()
    return container


def person(username, name, roles):
    return {"username": username, "name": name, "email": f"{username}@phu-vang.example.com", "roles": roles}


def staff_of(unit, start):
    return next(someone for someone in StaffContentStandIn.staff[unit] if someone["username"].startswith(start))


@pytest.fixture
def from_ranking(nameko_config):
    """Dispatch a ranking event through RabbitMQ and wait until `handler` of `container` has run."""
    dispatch = event_dispatcher(nameko_config)

    def deliver(container, handler, event):
        with entrypoint_waiter(container, handler, timeout=10) as outcome:
            dispatch("ranking", *events.to_message(event))
        return outcome.get()

    return deliver


def ranking_published(version=1):
    standing = {"level": "huyen", "score": 72.5, "maximum": 100.0, "rank": 3, "rank_in_level": 2,
                "units_in_level": 9, "change": 1}
    return events.RankingPublished(
        document_id="2026-11", version=version, occurred_at=events.utcnow(), month="2026-11", revision=version,
        criteria_version="2026.1", reason="Tự động", link="/xep-hang/2026-11", standings=[
            events.Standing(unit="phu-vang", unit_name="Huyện Phú Vang", **standing, link="/phu-vang/xep-hang",
                            gains=[events.Gain(criterion="schedule", title="Lịch công tác", points=10),
                                   events.Gain(criterion="questions", title="Trả lời câu hỏi", points=7.5)]),
            events.Standing(unit="da-sap-nhap", unit_name="Xã đã sáp nhập", **standing,  # unknown to content
                            link="/da-sap-nhap/xep-hang"),
            events.Standing(unit="thuan-an", unit_name="Phường Thuận An", **{**standing, "rank": 8, "change": None},
                            link="/thuan-an/xep-hang")])


def site_stale(version=1_700_000_000):
    return events.SiteStale(document_id="thuan-an", version=version, occurred_at=events.utcnow(), unit="thuan-an",
                            unit_name="Phường Thuận An", level="ward", last_update_at=None, days=40,
                            threshold_days=14, link="/thuan-an/xep-hang")


def text_of(message):
    return message.get_body(("plain",)).get_content()


def check_reminders_at(container, moment, monkeypatch):
    """Run the reminder timer's check once, as if it were `moment`."""
    monkeypatch.setattr(notify_service, "utcnow", lambda: moment)
    with entrypoint_hook(container, "check_reminders") as check:
        return check()


def test_each_units_leaders_get_its_standing_once_even_when_the_event_comes_again(
        notify, notify_db, from_ranking, inbox):
    from_ranking(notify, "tell_standings", ranking_published())

    leader = staff_of("phu-vang", "tong-bien-tap")["email"]
    [standing] = wait_for(lambda: inbox(leader), message="the standing email")
    assert standing["Subject"] == "Huyện Phú Vang: xếp hạng tháng 11/2026 — hạng 2/9"
    text = text_of(standing)
    assert "Kính gửi Tổng biên tập," in text and "Điểm: 72,5/100" in text
    assert "Hạng trong cấp: 2/9 (hạng chung: 3)" in text and "tăng 1 bậc so với tháng trước" in text
    assert "- Lịch công tác: có thể thêm 10 điểm\n- Trả lời câu hỏi: có thể thêm 7,5 điểm" in text
    assert "http://127.0.0.1:8000/phu-vang/xep-hang" in text
    assert "http://127.0.0.1:8000/quan-tri/thong-bao-email" in text and "List-Unsubscribe" not in standing
    html = standing.get_body(("html",)).get_content()  # the HTML alternative says the same
    assert 'href="http://127.0.0.1:8000/phu-vang/xep-hang"' in html and "Lịch công tác: có thể thêm 10 điểm" in html
    assert 'href="http://127.0.0.1:8000/quan-tri/thong-bao-email"' in html
    assert len(wait_for(lambda: inbox(staff_of("phu-vang", "quan-tri")["email"]))) == 1
    ward_leader = wait_for(lambda: inbox(staff_of("thuan-an", "quan-tri")["email"]))
    assert "tháng trước chưa được xếp hạng" in text_of(ward_leader[0])
    assert "tiêu chí" not in text_of(ward_leader[0]).split("Xem giải thích")[0]  # no gains told: none listed
    assert inbox(staff_of("phu-vang", "bien-tap")["email"]) == []  # an editor is no leader

    from_ranking(notify, "tell_standings", ranking_published())  # the same revision again
    assert notify_db.deliveries.count_documents({"notice.kind": "standing"}) == 4
    assert notify_db.deliveries.count_documents({"notice.kind": "standing", "status": {"$ne": "sent"}}) == 0
    assert len(inbox(leader)) == 1
    from_ranking(notify, "tell_standings", ranking_published(version=2))  # recomputed: the new standing is told
    assert len(wait_for(lambda: len(inbox(leader)) == 2 and inbox(leader))) == 2


def test_a_stale_site_reminds_its_board_once_and_not_who_turned_it_off(notify, notify_db, from_ranking, inbox):
    editor, admin = staff_of("thuan-an", "bien-tap"), staff_of("thuan-an", "quan-tri")
    turned = call(notify, "change_staff_preferences", acting(editor["username"]),
                  {"kinds": {"site_stale": False}})
    assert turned["kinds"] == {"standing": True, "site_stale": False, "waiting_questions": True,
                               "empty_schedule": True}

    from_ranking(notify, "remind_stale_site", site_stale())
    from_ranking(notify, "remind_stale_site", site_stale())
    [reminder] = wait_for(lambda: inbox(admin["email"]), message="the stale site reminder")
    assert reminder["Subject"] == "Phường Thuận An: trang chưa được cập nhật 40 ngày"
    assert "vượt mức 14 ngày" in text_of(reminder)
    assert len(wait_for(lambda: inbox(staff_of("thuan-an", "tong-bien-tap")["email"]))) == 1
    assert notify_db.deliveries.count_documents({"notice.kind": "site_stale"}) == 2  # the editor's none
    assert inbox(editor["email"]) == []
    assert notify_db.staff_notices.count_documents({"kind": "site_stale", "unit": "thuan-an"}) == 1


def test_questions_waiting_too_long_remind_each_board_once_a_week(notify, notify_db, inbox, monkeypatch):
    StaffContentStandIn.waiting = [{"unit": "phu-vang", "waiting": 3, "oldest_asked_at": "2026-11-20T02:00:00+00:00"}]
    check_reminders_at(notify, THURSDAY, monkeypatch)
    check_reminders_at(notify, THURSDAY + timedelta(hours=1), monkeypatch)  # run again: nothing more

    editor = staff_of("phu-vang", "bien-tap")["email"]
    [reminder] = wait_for(lambda: inbox(editor), message="the waiting questions reminder")
    assert reminder["Subject"] == "Huyện Phú Vang: 3 câu hỏi của người dân chờ trả lời quá 7 ngày"
    assert "gửi ngày 20/11/2026" in text_of(reminder)
    assert "http://127.0.0.1:8000/quan-tri/phu-vang/hoi-dap" in text_of(reminder)
    assert notify_db.deliveries.count_documents({"notice.kind": "waiting_questions"}) == 3
    assert StaffContentStandIn.weeks_asked == []  # not Friday yet: no schedule check

    check_reminders_at(notify, THURSDAY + timedelta(days=7), monkeypatch)  # a week later, still waiting
    assert notify_db.deliveries.count_documents({"notice.kind": "waiting_questions"}) == 6


def test_next_weeks_empty_schedule_reminds_on_friday_from_seven_once(notify, notify_db, inbox, monkeypatch):
    StaffContentStandIn.without_schedule = ["thuan-an"]
    six_fifty = FRIDAY_MORNING - timedelta(hours=3, minutes=10)  # 06:50 in Huế
    check_reminders_at(notify, six_fifty, monkeypatch)
    assert StaffContentStandIn.weeks_asked == []

    check_reminders_at(notify, FRIDAY_MORNING, monkeypatch)
    check_reminders_at(notify, FRIDAY_MORNING + timedelta(hours=5), monkeypatch)
    assert StaffContentStandIn.weeks_asked == ["2026-W51", "2026-W51"]
    editor = staff_of("thuan-an", "bien-tap")["email"]
    [reminder] = wait_for(lambda: inbox(editor), message="the empty schedule reminder")
    assert reminder["Subject"] == "Phường Thuận An: chưa có lịch công tác tuần sau"
    assert "(14/12/2026 – 20/12/2026)" in text_of(reminder)
    assert "http://127.0.0.1:8000/quan-tri/thuan-an/lich-cong-tac/2026-W51" in text_of(reminder)
    assert notify_db.staff_notices.count_documents({"kind": "empty_schedule"}) == 1
    assert notify_db.deliveries.count_documents({"notice.kind": "empty_schedule"}) == 3


def test_preferences_are_each_persons_and_bad_ones_are_named(notify):
    me = acting("bien-tap-x")
    assert call(notify, "staff_preferences", me)["kinds"]["standing"] is True
    call(notify, "change_staff_preferences", me, {"kinds": {"standing": False, "empty_schedule": False}})
    call(notify, "change_staff_preferences", me, {"kinds": {"standing": True}})
    assert call(notify, "staff_preferences", acting("bien-tap-x"))["kinds"] == {
        "standing": True, "site_stale": True, "waiting_questions": True, "empty_schedule": False}
    assert call(notify, "staff_preferences", acting("someone-else"))["kinds"]["empty_schedule"] is True

    with pytest.raises(InvalidInput) as refused:
        call(notify, "change_staff_preferences", acting("bien-tap-x"), {"kinds": {"weather": True}})
    assert "kinds.weather" in str(refused.value.fields)
    with pytest.raises(InvalidInput):
        call(notify, "change_staff_preferences", acting("bien-tap-x"), {"kinds": {"standing": "no"}})
    with pytest.raises(InvalidInput):
        call(notify, "change_staff_preferences", acting("bien-tap-x"), {"kinds": {}})
    with pytest.raises(InvalidInput):
        call(notify, "change_staff_preferences", acting("bien-tap-x"), {"kinds": {"standing": False}, "other": 1})
    with pytest.raises(Unauthorized):
        call(notify, "staff_preferences", "bien-tap-x")  # a bare name, not the gateway's assertion
