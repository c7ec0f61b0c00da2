"""The demo's history (deploy/demo_history.py), loaded by the demo data as `make run` loads it,
for three units of different keenness: the province (steady), Thành phố Huế (active) and the
Sở Tư pháp (stale)."""
from datetime import datetime

from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_data, demo_history
from deploy.demo_activity import HISTORY_MONTHS, profile
from tests.content.conftest import ADMIN
from tests.drive import acting, call

SOME = ["thua-thien-hue", "thanh-pho-hue", "so-tu-phap"]


def test_the_demo_imports_each_units_past_months_once(content, nameko_config):
    some = [unit for unit in demo_data.units() if unit["slug"] in SOME]
    assert {unit["slug"]: profile(unit["slug"]) for unit in some} == {
        "thua-thien-hue": "steady", "thanh-pho-hue": "active", "so-tu-phap": "stale"}
    demo_data.load(nameko_config, log=lambda *_: None, only=some, league=False)
    now = datetime.now(demo_history.LOCAL_TIME)

    for unit in some:
        slug, items = unit["slug"], demo_history.history(unit, now)
        drawn = {kind: [item for item in items if item["kind"] == kind]
                 for kind in ("article", "schedule", "document", "question")}
        # Besides the past, this week's: three articles, the schedule, a document, an answer (and
        # the documents of the disclosure sections, loaded by deploy/demo_disclosures.py).
        assert call(content, "latest_articles", slug)["total"] == 3 + len(drawn["article"])
        disclosed = sum(section["count"] for section in call(content, "disclosure_sections", slug))
        assert call(content, "search_documents", slug)["total"] - disclosed == 1 + len(drawn["document"])
        answered = [item for item in drawn["question"] if "answered_at" in item]
        assert call(content, "list_questions", slug)["total"] == 1 + len(answered)
        waiting = call(content, "question_queue", acting(ADMIN), slug, "pending")["total"]
        assert waiting == len(drawn["question"]) - len(answered)
        this_week = "{}-W{:02d}".format(*now.isocalendar()[:2])
        weeks = {week["week"] for week in call(content, "schedule_weeks", slug, 104)}
        assert weeks == {item["week"] for item in drawn["schedule"]} | {this_week}
        pages = {(page["key"], lang) for lang in ("vi", "en") for page in call(content, "list_pages", slug, lang)}
        assert {(item["key"], item["lang"]) for item in demo_history.present(unit, now) if item["kind"] == "page"} \
            <= pages

        # From the month HISTORY_MONTHS back, nothing later than now.
        [oldest] = call(content, "latest_articles", slug, 1, skip=2 + len(drawn["article"]))["articles"]
        first = datetime.fromisoformat(oldest["published_at"]).astimezone(demo_history.LOCAL_TIME)
        assert (now.year * 12 + now.month) - (first.year * 12 + first.month) <= HISTORY_MONTHS
        assert all(datetime.fromisoformat(item.get("published_at") or item.get("updated_at") or item["asked_at"])
                   <= now for item in items)

    by_slug = {unit["slug"]: unit for unit in some}
    keen, stale = (demo_history.history(by_slug[slug], now) for slug in ("thanh-pho-hue", "so-tu-phap"))
    assert len(keen) > 5 * len(stale)
    stale_pages = {item.get("key") for item in demo_history.present(by_slug["so-tu-phap"], now)}
    assert "co-cau-to-chuc" not in stale_pages  # a stale site misses a required page

    # A second load imports nothing.
    assert demo_data.load(nameko_config, log=lambda *_: None, only=some, league=False) == 0
    with ClusterRpcProxy(nameko_config) as services:
        for unit in some:
            again = demo_history.load_unit(services.content, lambda: acting(ADMIN), unit, now)
            drawn = demo_history.present(unit, now) + demo_history.history(unit, now)
            assert again == {"imported": 0, "skipped": len(drawn), "articles": 0}
