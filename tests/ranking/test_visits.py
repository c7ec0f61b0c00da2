"""Visits: per unit and day, counted without cookies, third parties or stored addresses.

The RPCs run in a real ranking container; the rules that depend on the time of day run against
the store itself with a clock the test sets, on the same MongoDB stand-in.
"""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.errors import InvalidInput
from services.ranking.visits import VisitStore
from tests.drive import call

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
# 2 December 2026, 09:00 in Vietnam (UTC+7).
MORNING = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)
TODAY = "2026-12-02"


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **interval):
        self.moment += timedelta(**interval)


@pytest.fixture
def clock():
    return Clock(MORNING)


@pytest.fixture
def database(mongo_client, settings):
    return mongo_client[settings.RANKING_DB]


@pytest.fixture
def store(database, clock):
    store = VisitStore(database, clock)
    store.ensure_indexes()
    return store


def day_of(store, unit, day=TODAY, days=31):
    return next(row for row in store.history(unit, days)["days"] if row["day"] == day)


# Over RPC, as the gateway reports views

def test_visits_count_page_views_and_distinct_visitors_online(ranking):
    call(ranking, "record_visit", "phu-mau", "10.0.0.1", FIREFOX)
    call(ranking, "record_visit", "phu-mau", "10.0.0.1", FIREFOX)
    counters = call(ranking, "record_visit", "phu-mau", "10.0.0.2", CHROME)
    assert counters == {"unit": "phu-mau", "total": 3, "online": 2}
    assert call(ranking, "visit_counters", "huong-tra") == {"unit": "huong-tra", "total": 0, "online": 0}


def test_a_batch_of_visits_counts_every_view_and_each_visitor_once(ranking):
    counters = call(ranking, "record_visits", [
        ["phu-mau", "10.0.0.1", FIREFOX, 2], ["phu-mau", "10.0.0.2", CHROME, 1],
        ["huong-tra", "10.0.0.1", FIREFOX, 1], ["huong-tra", "10.0.0.9", GOOGLEBOT, 5]])
    assert counters == {"phu-mau": {"unit": "phu-mau", "total": 3, "online": 2},
                        "huong-tra": {"unit": "huong-tra", "total": 1, "online": 1}}
    assert call(ranking, "record_visit", "phu-mau", "10.0.0.1", FIREFOX)["total"] == 4
    assert call(ranking, "record_visits", []) == {}
    history = call(ranking, "visit_history", "phu-mau", 1)
    assert [(day["views"], day["visitors"], day["bot_views"]) for day in history["days"]] == [(4, 2, 0)]


@pytest.mark.parametrize("batch", [
    "phu-mau", [["phu-mau", "10.0.0.1", FIREFOX]], [["phu-mau", "10.0.0.1", FIREFOX, 0]],
    [["phu-mau", "10.0.0.1", FIREFOX, True]], [["phu-mau", "10.0.0.1", FIREFOX, "1"]],
    [["phu-mau", "10.0.0.1", FIREFOX, 10 ** 10]], [["", "10.0.0.1", FIREFOX, 1]], [[None, "10.0.0.1", FIREFOX, 1]]])
def test_a_malformed_batch_of_visits_is_refused_by_name(ranking, batch):
    with pytest.raises(InvalidInput) as refused:
        call(ranking, "record_visits", batch)
    assert list(refused.value.fields) == ["visits"]


def test_a_batch_sent_again_under_its_name_is_counted_once(ranking):
    batch = [["phu-mau", "10.0.0.1", FIREFOX, 3], ["phu-mau", "10.0.0.2", GOOGLEBOT, 1]]
    first = call(ranking, "record_visits", batch, "gateway-1-batch-7")
    assert call(ranking, "record_visits", batch, "gateway-1-batch-7") == first  # its answer was lost
    assert call(ranking, "record_visits", batch, "gateway-1-batch-8")["phu-mau"]["total"] == 6
    history = call(ranking, "visit_history", "phu-mau", 1)["days"][0]
    assert (history["views"], history["visitors"], history["bot_views"]) == (6, 1, 2)
    for name in (5, "", "x" * 65):
        with pytest.raises(InvalidInput) as refused:
            call(ranking, "record_visits", batch, name)
        assert list(refused.value.fields) == ["batch"]


def test_the_history_is_refused_for_a_number_of_days_out_of_range(ranking):
    for days in (0, 401, "31", True):
        with pytest.raises(InvalidInput) as refused:
            call(ranking, "visit_history", "phu-mau", days)
        assert list(refused.value.fields) == ["days"]


# Per unit and day

def test_a_day_counts_views_visitors_and_bot_views_apart(store):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 3), ("phu-mau", "10.0.0.2", CHROME, 1),
                         ("phu-mau", "66.249.66.1", GOOGLEBOT, 7), ("phu-mau", "10.0.0.3", "", 2)])
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])  # a visitor seen again the same day
    assert day_of(store, "phu-mau") == {"day": TODAY, "views": 5, "visitors": 2, "bot_views": 9}
    # Bots are not in the all-time total nor online.
    assert store.visit_counters("phu-mau") == {"unit": "phu-mau", "total": 5, "online": 2}


def test_the_day_turns_at_midnight_in_vietnam(store, clock):
    clock.moment = datetime(2026, 12, 2, 16, 59, 59, tzinfo=timezone.utc)  # 23:59:59 in Vietnam
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])
    clock.advance(seconds=1)  # 00:00 on 3 December in Vietnam, still 2 December in UTC
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 2)])
    days = {row["day"]: (row["views"], row["visitors"]) for row in store.history("phu-mau", 2)["days"]}
    assert days == {"2026-12-02": (1, 1), "2026-12-03": (2, 1)}  # a visitor on each day


def test_the_unit_is_in_the_hash_so_one_person_is_a_visitor_on_each_unit(store, database):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1), ("huong-tra", "10.0.0.1", FIREFOX, 1)])
    assert day_of(store, "phu-mau")["visitors"] == 1 and day_of(store, "huong-tra")["visitors"] == 1
    markers = list(database.visit_markers.find())
    assert len(markers) == 2 and markers[0]["_id"] != markers[1]["_id"]


def test_no_client_address_or_user_agent_is_stored_anywhere(store, database):
    store.record_visits([("phu-mau", "203.0.113.9", FIREFOX, 2), ("phu-mau", "198.51.100.7", GOOGLEBOT, 1)])
    stored = str([list(database[name].find()) for name in database.list_collection_names()])
    for secret in ("203.0.113.9", "198.51.100.7", "Firefox", "Googlebot", "Mozilla"):
        assert secret not in stored


def test_online_now_is_the_distinct_visitors_of_the_last_five_minutes(store, clock, database):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1), ("huong-tra", "10.0.0.1", FIREFOX, 1)])
    clock.advance(seconds=20)
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 2)])  # the same reader again
    clock.advance(minutes=3)
    store.record_visits([("phu-mau", "10.0.0.2", CHROME, 1)])
    assert store.visit_counters("phu-mau")["online"] == 2
    clock.advance(minutes=4)
    assert store.visit_counters("phu-mau")["online"] == 1 and store.visit_counters("huong-tra")["online"] == 0
    store.forget_old()
    assert database.visit_presence.count_documents({}) == 1
    clock.advance(minutes=10)
    assert store.visit_counters("phu-mau")["online"] == 0


def test_online_now_is_counted_while_another_worker_notes_someone_new(store, clock):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])
    clock.advance(seconds=5)
    presence = store.presence

    class Meanwhile:  # the read waits; another worker of the same service notes a new reader, not yet counted
        def find(self, *args, **kwargs):
            store.presence = presence
            store._note_present({"someone-new": "phu-mau"}, clock())
            return presence.find(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(presence, name)

    store.presence = Meanwhile()
    counters = store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1), ("a-luoi", "10.0.0.4", CHROME, 1)])
    assert counters["phu-mau"]["online"] == 1 and counters["a-luoi"]["online"] == 1
    assert store.visit_counters("phu-mau")["online"] == 2


def test_markers_and_salts_go_after_two_days_and_the_days_figures_stay(store, database, clock):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])
    clock.advance(days=1)
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])
    store.forget_old()
    assert database.visit_markers.count_documents({}) == 2 and database.salts.count_documents({}) == 2
    clock.advance(days=1)
    store.forget_old()
    assert database.visit_markers.count_documents({}) == 1
    assert [salt["_id"] for salt in database.salts.find()] == ["2026-12-03"]  # yesterday's stays
    clock.advance(days=1)
    store.forget_old()
    assert database.visit_markers.count_documents({}) == 0 and database.salts.count_documents({}) == 0
    assert database.visit_presence.count_documents({}) == 0
    assert day_of(store, "phu-mau", TODAY, 5) == {"day": TODAY, "views": 1, "visitors": 1, "bot_views": 0}


def test_days_are_kept_25_whole_months_then_deleted(store, clock):
    store.import_days("phu-mau", [{"day": "2024-11-01", "views": 4, "visitors": 2},
                                  {"day": "2024-10-31", "views": 3, "visitors": 1}])  # already too old: total only
    store.import_days("phu-mau", [{"day": "2024-12-01", "views": 5, "visitors": 2}])
    assert store.month_views(date(2024, 10, 1), date(2024, 12, 31)) == {"phu-mau": 9}
    clock.moment = datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc)  # 1 January 2027, 07:00 in Vietnam
    store.forget_old()
    assert store.month_views(date(2024, 10, 1), date(2024, 12, 31)) == {"phu-mau": 5}
    assert store.visit_counters("phu-mau")["total"] == 12  # the total keeps what the days held


def test_the_history_has_zeros_for_missing_days_and_13_months_of_summed_visitors(store, clock):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 2), ("phu-mau", "10.0.0.2", CHROME, 1)])
    store.import_days("phu-mau", [{"day": "2026-11-30", "views": 10, "visitors": 4, "bot_views": 3},
                                  {"day": "2026-11-29", "views": 6, "visitors": 4},
                                  {"day": "2025-12-15", "views": 1, "visitors": 1},
                                  {"day": "2025-11-30", "views": 50, "visitors": 9}])  # 14 months ago
    history = store.history("phu-mau", 7)
    assert [row["day"] for row in history["days"]] == [f"2026-11-{day}" for day in range(26, 31)] + [
        "2026-12-01", TODAY]
    assert [(row["views"], row["visitors"]) for row in history["days"]] == [
        (0, 0), (0, 0), (0, 0), (6, 4), (10, 4), (0, 0), (3, 2)]
    months = history["months"]
    assert [month["month"] for month in months] == ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 13)]
    assert months[0] == {"month": "2025-12", "views": 1, "visitors_daily_sum": 1, "bot_views": 0}
    assert months[-2] == {"month": "2026-11", "views": 16, "visitors_daily_sum": 8, "bot_views": 3}
    assert months[-1] == {"month": "2026-12", "views": 3, "visitors_daily_sum": 2, "bot_views": 0}
    assert all(month["views"] == 0 for month in months[1:-2])


def test_month_views_are_peoples_views_per_unit_in_the_days_given(store, clock):
    store.import_days("phu-mau", [{"day": "2026-10-31", "views": 100, "visitors": 9},
                                  {"day": "2026-11-01", "views": 7, "visitors": 3, "bot_views": 500},
                                  {"day": "2026-11-30", "views": 8, "visitors": 3}])
    store.import_days("huong-tra", [{"day": "2026-11-15", "views": 2, "visitors": 1}])
    clock.moment = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
    store.record_visits([("huong-tra", "10.0.0.1", FIREFOX, 4), ("huong-tra", "10.0.0.2", GOOGLEBOT, 40),
                         ("a-luoi", "10.0.0.2", GOOGLEBOT, 40)])
    assert store.month_views(date(2026, 11, 1), date(2026, 11, 30)) == {"phu-mau": 15, "huong-tra": 6, "a-luoi": 0}
    assert store.month_views(date(2026, 11, 2), date(2026, 11, 19)) == {"huong-tra": 2}


# Importing an earlier site's figures

def test_importing_the_same_days_again_changes_nothing_and_a_correction_moves_the_total_once(store):
    days = [{"day": "2026-11-01", "views": 120, "visitors": 40, "bot_views": 30},
            {"day": "2026-11-02", "views": 80, "visitors": 20, "bot_views": 0}]
    assert store.import_days("phu-mau", days) == {"unit": "phu-mau", "days": 2}
    store.import_days("phu-mau", days)
    assert store.visit_counters("phu-mau")["total"] == 200
    assert day_of(store, "phu-mau", "2026-11-01", 40) == {"day": "2026-11-01", "views": 120, "visitors": 40,
                                                          "bot_views": 30}
    store.import_days("phu-mau", [{"day": "2026-11-02", "views": 50, "visitors": 15}])
    assert store.visit_counters("phu-mau")["total"] == 170
    assert day_of(store, "phu-mau", "2026-11-02", 40)["views"] == 50


def test_an_imported_day_replaces_what_was_counted_that_day(store, clock):
    clock.moment = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 5)])
    clock.moment = MORNING
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 1)])
    store.import_days("phu-mau", [{"day": "2026-11-20", "views": 30, "visitors": 12}])
    assert day_of(store, "phu-mau", "2026-11-20")["views"] == 30
    assert store.visit_counters("phu-mau")["total"] == 31


def test_days_older_than_kept_count_in_the_total_once(store):
    old = [{"day": "2019-05-01", "views": 1000, "visitors": 300}]
    store.import_days("phu-mau", old)
    store.import_days("phu-mau", old)
    assert store.visit_counters("phu-mau")["total"] == 1000
    store.import_days("phu-mau", [{"day": "2019-05-01", "views": 900, "visitors": 300}])
    assert store.visit_counters("phu-mau")["total"] == 900
    assert store.month_views(date(2019, 5, 1), date(2019, 5, 31)) == {}


def test_a_day_counted_here_and_deleted_since_cannot_be_imported(store, clock):
    store.record_visits([("phu-mau", "10.0.0.1", FIREFOX, 5)])
    clock.moment = datetime(2029, 3, 1, 3, 0, tzinfo=timezone.utc)
    store.forget_old()
    with pytest.raises(InvalidInput) as refused:
        store.import_days("phu-mau", [{"day": "2026-12-01", "views": 1, "visitors": 1},
                                      {"day": TODAY, "views": 9, "visitors": 1}])
    assert list(refused.value.fields) == ["days.1.day"]
    store.import_days("phu-mau", [{"day": "2026-12-01", "views": 1, "visitors": 1}])  # before it was counted here
    assert store.visit_counters("phu-mau")["total"] == 6


@pytest.mark.parametrize("days, field", [
    ("2026-11-01", "days"),
    ([{"day": (date(2025, 1, 1) + timedelta(days=n)).isoformat(), "views": 1, "visitors": 1} for n in range(401)],
     "days"),
    ([{"day": "01/11/2026", "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": "20261101", "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": 20261101, "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": "2026-02-30", "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": TODAY, "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": "2027-01-01", "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": "1999-12-31", "views": 1, "visitors": 1}], "days.0.day"),
    ([{"day": "2026-11-01", "views": -1, "visitors": 1}], "days.0.views"),
    ([{"day": "2026-11-01", "views": 10 ** 9 + 1, "visitors": 1}], "days.0.views"),
    ([{"day": "2026-11-01", "views": "5", "visitors": 1}], "days.0.views"),
    ([{"day": "2026-11-01", "views": 5.0, "visitors": 1}], "days.0.views"),
    ([{"day": "2026-11-01", "views": 1, "visitors": True}], "days.0.visitors"),
    ([{"day": "2026-11-01", "views": 1}], "days.0.visitors"),
    ([{"day": "2026-11-01", "views": 1, "visitors": 1, "bot_views": -3}], "days.0.bot_views"),
    ([{"day": "2026-11-01", "views": 1, "visitors": 1, "visits": 3}], "days.0.visits"),
    ([{"day": "2026-11-01", "views": 1, "visitors": 1}, {"day": "2026-11-01", "views": 2, "visitors": 1}],
     "days.1.day"),
])
def test_an_import_is_refused_naming_the_field(store, database, days, field):
    with pytest.raises(InvalidInput) as refused:
        store.import_days("phu-mau", days)
    assert field in refused.value.fields
    assert database.visit_days.count_documents({}) == 0 and database.visit_totals.count_documents({}) == 0


def test_an_import_names_the_unit_when_it_is_missing(store):
    with pytest.raises(InvalidInput) as refused:
        store.import_days("", [{"day": "2026-11-01", "views": 1, "visitors": 1}])
    assert list(refused.value.fields) == ["unit"]
    assert store.import_days("phu-mau", []) == {"unit": "phu-mau", "days": 0}
    assert store.import_days("phu-mau", [{"day": "2000-01-01", "views": 0, "visitors": 0},
                                         {"day": "2026-12-01", "views": 10 ** 9, "visitors": 10 ** 9}])["days"] == 2
