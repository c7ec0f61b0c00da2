"""What a frozen month's ranking_published tells each unit's leaders beside their place: the
criteria on which they left most points, as the explained page counts them."""
from datetime import datetime, timedelta, timezone

from services.common import events
from services.ranking import criteria
from services.ranking.league import GAINS_TOLD, League, gains
from services.ranking.visits import VisitStore
from tests.ranking.test_league import article_event, unit_event

HEADS = [{"key": "news", "title": "Tin tức", "maximum": 20.0}, {"key": "schedule", "title": "Lịch công tác",
         "maximum": 10.0}, {"key": "documents", "title": "Văn bản", "maximum": 10.0}]


def test_a_standing_names_the_criteria_with_most_points_left_most_first():
    row = {"points": {"news": 15.0, "schedule": 0.0, "documents": 10.0}}
    assert [(gain.criterion, gain.title, gain.points) for gain in gains(row, HEADS)] == [
        ("schedule", "Lịch công tác", 10.0), ("news", "Tin tức", 5.0)]  # full marks on documents: nothing to gain


def test_a_standing_of_an_older_event_without_gains_is_still_valid():
    standing = events.Standing(unit="phu-mau", unit_name="Xã Phú Mậu", level="xa", score=40, maximum=100, rank=1,
                               rank_in_level=1, units_in_level=1, change=None, link="/phu-mau/xep-hang")
    assert standing.gains == []


def test_the_frozen_months_event_carries_each_units_gains(mongo_client, settings):
    database = mongo_client[settings.RANKING_DB]
    moment = [datetime(2026, 11, 30, 16, 59, 59, tzinfo=timezone.utc)]  # 23:59:59 on 30 November in Huế
    announced = []
    league = League(database, criteria.load(), VisitStore(database),
                    lambda name, payload: announced.append(payload), clock=lambda: moment[0])
    league.ensure_indexes()
    league.facts.apply(unit_event("phu-mau", "Xã Phú Mậu"))
    league.facts.apply(article_event("tin", "phu-mau", moment[0] - timedelta(days=3)))
    league.keep_time()
    moment[0] += timedelta(seconds=1)
    league.keep_time()

    standing = events.RankingPublished.model_validate(announced[0]).standings[0]
    explained = {result["key"]: result for result in league.unit_standing("phu-mau", "2026-11")["criteria"]}
    assert 0 < len(standing.gains) <= GAINS_TOLD
    for gain in standing.gains:
        result = explained[gain.criterion]
        assert gain.points == round(result["maximum"] - result["points"], 2) and gain.title == result["title"]
    left = sorted((round(r["maximum"] - r["points"], 2) for r in explained.values()), reverse=True)
    assert [gain.points for gain in standing.gains] == left[:len(standing.gains)]

