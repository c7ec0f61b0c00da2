"""A history import's reads do not grow with its items: which items the unit has already is one
query a kind, and the unit each item's event names is read once. Counted with the database
profiler (every operation on the test's database, as MongoDB's `profile` level 2 records them)."""
from tests.content.test_history import ANSWERED, ARTICLE, PAGE, import_history

ITEMS = 30


def articles(count: int, start: int = 0) -> list[dict]:
    return [{**ARTICLE, "slug": f"tin-cu-{number}", "title": f"Tin cũ số {number}"}
            for number in range(start, start + count)]


def questions(count: int) -> list[dict]:
    return [{**ANSWERED, "title": f"{ANSWERED['title']} ({number})"} for number in range(count)]


def profiled(database, work) -> list[dict]:
    """The operations on `database` while `work` runs."""
    database["system.profile"].drop()
    database.command("profile", 2)
    try:
        work()
    finally:
        database.command("profile", 0)
    return list(database["system.profile"].find())


def reads(operations: list[dict], collection: str, field: str) -> list[dict]:
    """The queries of `collection` filtered by `field`."""
    return [op for op in operations if op.get("op") == "query" and op.get("ns", "").endswith(f".{collection}")
            and field in (op.get("command") or {}).get("filter", {})]


def test_an_import_reads_once_a_kind_whatever_its_size(board, mongo_client, settings):
    database = mongo_client[settings.CONTENT_DB]
    items = articles(ITEMS) + questions(ITEMS) + [PAGE]
    operations = profiled(database, lambda: import_history(board, items))

    assert len(reads(operations, "articles", "slug")) == 1
    assert len(reads(operations, "questions", "_id")) == 1
    assert len(reads(operations, "pages", "_id")) == 1
    assert len(reads(operations, "units", "_id")) == 1  # the unit, though every event names it


def test_an_import_half_known_adds_the_rest_once(board):
    assert import_history(board, articles(10)) == {"imported": 10, "skipped": 0}
    # Known, new, and new twice in one import: each new one stored once.
    again = articles(20) + articles(5, start=20) + questions(3) + questions(3)
    assert import_history(board, again) == {"imported": 18, "skipped": 13}
    assert import_history(board, again) == {"imported": 0, "skipped": 31}
