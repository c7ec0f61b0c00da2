"""What a relaxed query (no item has every word) selects and how it scores, where the embedded
engine takes cheaper paths: a minimum of one word selects through a plain union, a larger one
through tantivy's minimum-should-match, and words held by more than COMMON_SHARE of the items
score neither their accents nor as optional words in the fields where they are that common."""
from datetime import timedelta

import pytest

from services.common.events import utcnow

# Everyday news holding none of the query's words, so that each word below is rare.
BACKGROUND = [f"Tin hoạt động văn nghệ số {number}" for number in range(12)]


def publish_background(search_service):
    for number, title in enumerate(BACKGROUND):
        search_service.publish(f"background-{number}", title)


def publish_instruments(search_service):
    publish_background(search_service)
    search_service.publish("flute", "Tiếng sáo diều")
    search_service.publish("drum-clapper", "Trống và phách")
    search_service.publish("horn-gong", "Kèn và chiêng")
    search_service.publish("zither-gourd", "Đàn tranh, đàn bầu")


def test_a_relaxed_query_needing_one_word_finds_every_item_with_any(search_service):
    publish_instruments(search_service)

    # Four counted words, no item with all of them: a quarter of them, one, is enough.
    result = search_service.search("sáo trống kèn chiêng")

    assert result["match"] == "relaxed"
    assert sorted(hit["id"] for hit in result["hits"]) == ["drum-clapper", "flute", "horn-gong"]
    assert result["total"] == 3
    assert sum(entry["count"] for entry in result["facets"]["type"]) == 3


def test_a_relaxed_query_needing_two_words_leaves_out_items_with_one(search_service):
    publish_instruments(search_service)

    # Seven counted words ('cồng' is nowhere): a quarter of them, two, must match.
    result = search_service.search("sáo trống phách kèn chiêng tranh bầu cồng")

    assert result["match"] == "relaxed"
    assert sorted(hit["id"] for hit in result["hits"]) == ["drum-clapper", "horn-gong", "zither-gourd"]
    assert result["total"] == 3
    assert sum(entry["count"] for entry in result["facets"]["type"]) == 3


class TestEmbeddedScoring:
    @pytest.fixture
    def engine_config(self, settings) -> dict:
        """The embedded engine alone: Elasticsearch scores every word wherever it is (its
        query is not built from the index's counts of each word)."""
        return settings.as_nameko_config()

    def test_a_relaxed_query_does_not_score_the_accents_of_a_word_most_items_have(self, search_service):
        now, old = utcnow(), utcnow() - timedelta(days=900)
        # 'hội' in four of the ten items' titles: more than COMMON_SHARE of them.
        for number in range(3):
            search_service.publish(f"festival-{number}", f"Lễ hội làng năm {2020 + number}", at=old)
        for number in range(4):
            search_service.publish(f"other-{number}", f"Tin văn nghệ số {number}", at=old)
        # The same words folded; only the older one has 'hội' with the query's accents. The newer
        # one's recency (x1.2) outweighs nothing but a typed accent that still scores.
        search_service.publish("accented", "Hội thi sáo", at=old)
        search_service.publish("newer", "Hồi thi sáo", at=now)
        search_service.publish("drum", "Đội trống", at=old)

        relaxed = search_service.search("hội sáo trống")
        strict = search_service.search("hội sáo")

        assert relaxed["match"] == "relaxed"
        order = [hit["id"] for hit in relaxed["hits"]]
        assert order.index("newer") < order.index("accented")
        # Where every word must match, the typed accents count, even a common word's.
        assert strict["match"] == "all"
        assert [hit["id"] for hit in strict["hits"]] == ["accented", "newer"]
