"""Every query the content service runs on articles walks an index; none scans the collection.

Each case calls the store itself (services/content/articles/store.py) and explains the commands it
sent to MongoDB, as a pymongo command listener recorded them, so these plans are the code's own and
cannot drift from it. Only replay has no query in the store yet; its shape is written here.

The stand-in's planner (SecantusDB, stack.md) picks an index only when the query's equality fields
are exactly the index's leading fields (real MongoDB also uses an index whose prefix they cover),
so every query here has an index that starts with exactly its equality fields.
"""
import uuid
from datetime import datetime, timezone

import pytest
from pymongo import ASCENDING, MongoClient

from services.content.access import Actor
from services.content.articles.schemas import EditorialListing
from services.content.dependencies import Content
from tests.benchmarks.bench_content import LOCAL_TIME, QueryRecorder, generated_articles, plans_of

UNITS = {"thua-thien-hue": 6.0, "phu-mau": 3.0, "phu-da": 1.0}
UNTIL = datetime(2026, 11, 1, tzinfo=timezone.utc)
EDITOR = Actor(username="bien-tap", name="Biên tập", roles={"phu-mau": ["editor"]})
AUTHOR = Actor(username="tac-gia", name="Tác giả", roles={"phu-mau": ["author"]})
# Replay reads a unit's changes (or everyone's) since a moment, oldest first, a page at a time.
REPLAY_ORDER = [("updated_at", ASCENDING), ("_id", ASCENDING)]


def replay(articles, unit):
    since = {"$gte": datetime(2024, 1, 1, tzinfo=timezone.utc)}
    query = {"unit": unit, "updated_at": since} if unit else {"updated_at": since}
    return list(articles.articles.find(query).sort(REPLAY_ORDER).limit(100))


# Each read gets the store and a day and an address known to hold published articles of phu-mau.
READS = {
    "a unit's latest published": lambda articles, known: articles.latest("phu-mau", 20),
    "a unit's category page": lambda articles, known: articles.latest("phu-mau", 20, category="kinh-te"),
    "a unit's tag page": lambda articles, known: articles.latest("phu-mau", 20, tag="du lịch"),
    "a unit's featured articles": lambda articles, known: articles.latest("phu-mau", 5, featured=True),
    "a unit's archive by date": lambda articles, known: articles.on_date("phu-mau", known["day"]),
    "the latest across units": lambda articles, known: articles.latest(None, 10),
    "a published article by its address": lambda articles, known: articles.get_published("phu-mau", known["slug"]),
    "scheduled publishing and unpublishing due": lambda articles, known: articles.run_schedule(UNTIL),
    "the board's drafts": lambda articles, known: articles.for_editors(
        EDITOR, "phu-mau", EditorialListing(status="draft", limit=50)),
    "the board's list": lambda articles, known: articles.for_editors(EDITOR, "phu-mau", EditorialListing(limit=50)),
    "the board's list, oldest change first": lambda articles, known: articles.for_editors(
        EDITOR, "phu-mau", EditorialListing(sort="updated_at", limit=50)),
    "an author's own articles": lambda articles, known: articles.for_editors(
        AUTHOR, "phu-mau", EditorialListing(limit=50)),
    "a unit's replay": lambda articles, known: replay(articles, "phu-mau"),
    "everyone's replay": lambda articles, known: replay(articles, None),
}


@pytest.fixture(scope="module")
def recorder():
    return QueryRecorder()


@pytest.fixture(scope="module")
def database(mongo_server, recorder):
    """A content database as the service sets it up, holding a few hundred articles of three units.

    One database for the module: every test here only reads, and loading it takes a while.
    """
    name = f"content_indexes_{uuid.uuid4().hex[:10]}"
    client = MongoClient(mongo_server.uri, tz_aware=True, event_listeners=[recorder])
    database = client[name]
    Content(database).ensure_indexes()
    database["units"].insert_many([{"_id": slug, "name": slug, "level": "xa", "parent": None, "status": "active",
                                    "successor": None, "version": 1, "updated_at": UNTIL} for slug in UNITS])
    database["articles"].insert_many(generated_articles(list(UNITS), list(UNITS.values()), 600, until=UNTIL,
                                                        body_bytes=200))
    yield database
    client.drop_database(name)
    client.close()


@pytest.fixture(scope="module")
def articles(database):
    return Content(database).articles


@pytest.fixture(scope="module")
def known(articles) -> dict:
    newest = articles.latest("phu-mau", 1)["articles"][0]
    return {"day": datetime.fromisoformat(newest["published_at"]).astimezone(LOCAL_TIME).date(),
            "slug": newest["slug"]}


@pytest.mark.parametrize("read", [pytest.param(read, id=name) for name, read in READS.items()])
def test_the_query_walks_an_index(database, recorder, articles, known, read):
    plans = plans_of(database, recorder, lambda: read(articles, known))
    assert plans, "the read sent no query to the articles"
    for plan in plans:
        assert plan.uses_index, str(plan)


def test_the_archive_by_date_reads_only_that_day(database, recorder, articles, known):
    plans = plans_of(database, recorder, lambda: articles.on_date("phu-mau", known["day"]))
    # The date range bounds the index walk (MongoDB may look at one key past the end).
    assert plans[0].returned >= 1 and plans[0].keys_examined <= plans[0].returned + 1, str(plans[0])


def test_a_query_no_index_serves_is_reported_as_a_scan(database, recorder, articles):
    plans = plans_of(database, recorder, lambda: list(articles.articles.find({"title": "Tiếp công dân định kỳ"})))
    assert not plans[0].uses_index and "COLLSCAN" in plans[0].stages, str(plans[0])


def test_without_the_declared_indexes_a_units_latest_articles_scan(mongo_server, settings, recorder):
    """The same check on a database without the service's indexes fails: it is the indexes that pass it."""
    client = MongoClient(mongo_server.uri, tz_aware=True, event_listeners=[recorder])
    database = client[settings.CONTENT_DB]
    database["units"].insert_one({"_id": "phu-mau", "name": "Xã Phú Mậu", "status": "active"})
    database["articles"].insert_many(generated_articles(["phu-mau"], [1.0], 50, until=UNTIL, body_bytes=200))
    try:
        plans = plans_of(database, recorder, lambda: Content(database).articles.latest("phu-mau", 20))
        assert plans and not any(plan.uses_index for plan in plans), [str(plan) for plan in plans]
    finally:
        client.drop_database(settings.CONTENT_DB)
        client.close()
