"""Scoring a month from its facts: the criteria, Vietnam's month boundaries, ties, units that
begin or end mid-month, and the rules against gaming."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import InvalidInput
from services.common.vietnam_time import LOCAL_TIME
from services.ranking import criteria
from services.ranking.facts import MonthFacts
from services.ranking.months import Month, iso_weeks
from services.ranking.scoring import rank, score_month

CRITERIA = criteria.load()
NOVEMBER = Month(2026, 11)
LONG_BODY = 100  # words


def vn(day, hour=9, minute=0, month=11, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TIME).astimezone(timezone.utc)


def unit(slug, name=None, level="xa", **fields):
    return {"_id": slug, "name": name or slug, "level": level, "status": "active", "site_since": None, **fields}


def article(unit_slug, at, words=LONG_BODY, withdrawn_at=None, summary=True, cover=True, title="Tin"):
    return {"_id": f"{unit_slug}-{at.isoformat()}", "unit": unit_slug, "published_at": at, "words": words,
            "withdrawn_at": withdrawn_at, "published": withdrawn_at is None, "summary": summary,
            "described_cover": cover, "title": title, "path": f"/{unit_slug}/tin-tuc/x"}


def facts(units, month=NOVEMBER, until=None, **kinds):
    return MonthFacts(month=month, until=until or month.end, units=units, **kinds)


def scored(month_facts):
    return {row["unit"]: row for row in score_month(CRITERIA, month_facts)}


def criterion(row, key):
    return next(result for result in row["criteria"] if result["key"] == key)


def test_an_article_at_23_59_on_the_last_day_vietnam_time_is_that_months():
    late = article("a", vn(30, 23, 59))
    assert vn(30, 23, 59) > NOVEMBER.end - timedelta(hours=1)  # 16:59 UTC on the 30th
    assert criterion(scored(facts([unit("a")], articles=[late]))["a"], "news")["figures"]["counted"] == 1
    december = facts([unit("a")], month=Month(2026, 12), articles=[])
    assert criterion(scored(december)["a"], "news")["figures"]["counted"] == 0
    assert Month.containing(vn(1, 0, 0, month=12)) == Month(2026, 12)
    assert Month.containing(vn(30, 23, 59)) == NOVEMBER


def test_the_schedule_kept_three_weeks_of_four_gives_three_quarters_of_its_points():
    weeks = iso_weeks(NOVEMBER)
    assert len(weeks) == 4  # Thursdays 5, 12, 19, 26 November 2026
    schedules = [{"_id": week, "unit": "a", "week": week, "entries": 3, "published_at": vn(1 + 7 * index),
                  "path": "/a/lich-cong-tac"} for index, week in enumerate(weeks[:3])]
    result = criterion(scored(facts([unit("a")], schedules=schedules))["a"], "schedule")
    assert (result["points"], result["maximum"], result["summary"]) == (11.25, 15, "3/4 tuần")
    assert result["figures"]["missing"] == [weeks[3]] and weeks[3] in result["advice"]


def test_a_schedule_filled_in_after_its_week_ended_is_not_kept():
    week = iso_weeks(NOVEMBER)[0]
    backfilled = {"_id": week, "unit": "a", "week": week, "entries": 2, "published_at": vn(28), "path": ""}
    assert criterion(scored(facts([unit("a")], schedules=[backfilled]))["a"], "schedule")["figures"]["weeks_kept"] == 0


def test_withdrawn_within_24_hours_and_one_line_articles_do_not_count():
    articles = [article("a", vn(3), withdrawn_at=vn(3, 20)),  # gone the same day
                article("a", vn(4), words=12),  # a stub
                article("a", vn(5), withdrawn_at=vn(7)),  # stayed two days: counts
                article("a", vn(6))]
    figures = criterion(scored(facts([unit("a")], articles=articles))["a"], "news")["figures"]
    assert figures == {"counted": 2, "target": 8, "stubs": 1, "withdrawn_within_hours": 1}


def test_the_score_is_the_sum_of_criteria_each_at_most_its_maximum():
    busy = [article("a", vn(day)) for day in range(1, 31, 2)]
    row = scored(facts([unit("a")], articles=busy, pages=[], views={"a": 50}))["a"]
    assert row["score"] == pytest.approx(sum(result["points"] for result in row["criteria"]))
    assert all(0 <= result["points"] <= result["maximum"] for result in row["criteria"])
    assert criterion(row, "news")["points"] == 25 and criterion(row, "news")["advice"] == ""
    assert row["maximum"] == 100


def test_equal_scores_share_a_rank_listed_by_vietnamese_name_order():
    units = [unit("dong-ba", "Phường Đông Ba"), unit("duong-no", "Phường Dương Nỗ"), unit("an-cuu", "Phường An Cựu"),
             unit("busy", "Phường Thuận Hòa")]
    rows = rank(score_month(CRITERIA, facts(units, articles=[article("busy", vn(day)) for day in (2, 9, 16)])))
    assert [row["unit"] for row in rows] == ["busy", "an-cuu", "duong-no", "dong-ba"]  # Đ after D
    assert [row["rank"] for row in rows] == [1, 2, 2, 2]
    assert rows[1]["score"] == rows[3]["score"]


def test_a_month_with_no_activity_ranks_everyone_equal():
    rows = rank(score_month(CRITERIA, facts([unit("a"), unit("b"), unit("c", level="huyen")])))
    assert {row["rank"] for row in rows} == {1}
    assert {row["rank_in_level"] for row in rows} == {1}
    # Nothing asked of them, nothing overdue: the questions criterion alone is met.
    assert all(row["score"] == criterion(row, "questions")["maximum"] for row in rows)


def test_units_are_ranked_within_their_level_and_over_all_with_their_change():
    units = [unit("x1"), unit("x2"), unit("h1", level="huyen")]
    scores = score_month(CRITERIA, facts(units, articles=[article("x2", vn(2)), article("h1", vn(2)),
                                                          article("h1", vn(3))]))
    rows = {row["unit"]: row for row in rank(scores, previous={"x1": 1, "x2": 2})}
    assert (rows["x2"]["rank_in_level"], rows["x2"]["units_in_level"], rows["x2"]["change"]) == (1, 2, 1)
    assert (rows["x1"]["rank_in_level"], rows["x1"]["change"]) == (2, -1)
    assert rows["h1"]["rank_in_level"] == 1 and rows["h1"]["change"] is None
    assert rows["h1"]["rank"] == 1


def test_a_unit_created_mid_month_is_measured_over_the_days_it_had_a_site():
    newcomer = unit("moi", site_since=vn(16))
    row = scored(facts([newcomer], articles=[article("moi", vn(day)) for day in (17, 20, 24, 28)]))["moi"]
    news = criterion(row, "news")
    assert news["figures"]["target"] == 4 and news["points"] == 25  # 8 a month, half a month
    assert criterion(row, "regularity")["figures"] == {"weeks_updated": 2, "weeks": 2, "updates": 4}  # 15–21, 22–30
    assert any(flag["kind"] == "new_unit" for flag in row["flags"])
    assert "moi" not in scored(facts([unit("moi", site_since=vn(1, month=12))]))


def test_a_unit_merged_during_the_month_is_not_ranked_but_one_merged_later_is():
    merged_now = unit("cu", status="merged", status_since=vn(10))
    merged_later = unit("sau", status="merged", status_since=vn(3, month=12))
    ranked = scored(facts([merged_now, merged_later, unit("moi")]))
    assert set(ranked) == {"sau", "moi"}


def test_a_burst_of_publishing_in_the_last_days_is_flagged():
    burst = [article("a", vn(day, hour)) for day in (28, 29, 30) for hour in (8, 10, 14)]
    row = scored(facts([unit("a")], articles=[article("a", vn(2)), *burst]))["a"]
    assert [flag["kind"] for flag in row["flags"]] == ["burst"]
    assert "9/10" in row["flags"][0]["text"]
    steady = [article("a", vn(day)) for day in range(1, 30, 3)]
    assert scored(facts([unit("a")], articles=steady))["a"]["flags"] == []


def test_questions_answered_late_or_left_waiting_cost_points():
    questions = [
        {"_id": "q1", "unit": "a", "state": "answered", "asked_at": vn(1), "answered_at": vn(5), "title": "",
         "path": ""},
        {"_id": "q2", "unit": "a", "state": "answered", "asked_at": vn(1), "answered_at": vn(25), "title": "",
         "path": ""},
        {"_id": "q3", "unit": "a", "state": "waiting", "asked_at": vn(2), "answered_at": None},
        {"_id": "q4", "unit": "a", "state": "waiting", "asked_at": vn(28), "answered_at": None},  # not yet due
        {"_id": "q5", "unit": "a", "state": "rejected", "asked_at": vn(2), "answered_at": None},
    ]
    result = criterion(scored(facts([unit("a")], questions=questions))["a"], "questions")
    assert result["figures"] == {"answered": 2, "answered_on_time": 1, "overdue_unanswered": 1,
                                 "average_days_waited": 14.0}
    assert result["points"] == pytest.approx(10 / 3, abs=0.01)


def test_required_pages_count_in_full_when_reviewed_within_a_year():
    pages = [{"unit": "a", "key": "gioi-thieu", "lang": "vi", "updated_at": vn(1), "present": True},
             {"unit": "a", "key": "lien-he", "lang": "vi", "updated_at": vn(1, year=2025, month=1), "present": True},
             {"unit": "a", "key": "lien-he", "lang": "en", "updated_at": vn(2), "present": True}]
    result = criterion(scored(facts([unit("a")], pages=pages))["a"], "required_pages")
    assert result["figures"]["credit"] == 2.5 and result["points"] == 6.25
    assert any("Cơ cấu tổ chức" in lacking for lacking in result["figures"]["lacking"])


def test_visits_are_measured_against_the_median_of_the_same_level():
    units = [unit("a"), unit("b"), unit("c"), unit("h", level="huyen")]
    rows = scored(facts(units, views={"a": 100, "b": 50, "c": 0, "h": 10_000}))
    assert criterion(rows["a"], "visits")["points"] == 10
    assert criterion(rows["b"], "visits")["points"] == 10  # the median itself
    assert criterion(rows["c"], "visits")["points"] == 0
    assert criterion(rows["a"], "visits")["figures"]["level_median"] == 50


def test_the_current_month_is_measured_up_to_now_with_targets_to_match():
    until = vn(8, 12)
    row = scored(facts([unit("a")], until=until, articles=[article("a", vn(2)), article("a", vn(6))]))["a"]
    assert criterion(row, "news")["figures"]["target"] == 2  # 8 a month × 7.5/30 days
    assert criterion(row, "regularity")["figures"]["weeks"] == 2


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "abc", "26-11", "9999-01", "", None, 202611])
def test_a_malformed_month_is_refused_by_name(text):
    with pytest.raises(InvalidInput) as refused:
        Month.parse(text)
    assert "month" in refused.value.fields
