"""A history import's reads do not grow with its items: which items the unit has already is one
query a kind, and what the items refer to (the unit each item's event names, a category, a cover,
a document's file) is read once. Counted with the database profiler (every operation on the
test's database, as MongoDB's `profile` level 2 records them)."""
import base64

from tests.content.conftest import ADMIN
from tests.content.test_history import ANSWERED, ARTICLE, DOCUMENT, PAGE, import_history
from tests.content.test_media import MINIMAL_PDF, image_bytes
from tests.drive import acting, call

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


def uploaded(content, filename: str, data: bytes, content_type: str) -> str:
    return call(content, "upload_media", acting(ADMIN), "phu-mau", filename, base64.b64encode(data).decode("ascii"),
                content_type, "Ảnh hội nghị", "")["id"]


def test_an_import_reads_once_a_kind_whatever_its_size(board, mongo_client, settings):
    database = mongo_client[settings.CONTENT_DB]
    call(board, "create_category", acting(ADMIN), "phu-mau", {"slug": "tin-tuc", "name": "Tin tức"})
    cover = {"media_id": uploaded(board, "hoi-nghi.png", image_bytes(400, 300), "image/png"), "alt": "Hội nghị"}
    pdf = uploaded(board, "quyet-dinh.pdf", MINIMAL_PDF, "application/pdf")
    documents = [{**DOCUMENT, "number": f"{number}/2024/QĐ-UBND", "file": pdf} for number in range(1, 6)]
    items = [{**article, "category": "tin-tuc", "cover": cover} for article in articles(ITEMS)]
    items += questions(ITEMS) + documents + [PAGE]
    done = {}
    operations = profiled(database, lambda: done.update(import_history(board, items)))

    assert done == {"imported": len(items), "skipped": 0}
    assert import_history(board, items) == {"imported": 0, "skipped": len(items)}
    assert len(reads(operations, "articles", "slug")) == 1
    assert len(reads(operations, "questions", "_id")) == 1
    assert len(reads(operations, "documents", "number_key")) == 1
    assert len(reads(operations, "pages", "_id")) == 1
    assert len(reads(operations, "units", "_id")) == 1  # the unit, though every event names it
    assert len(reads(operations, "categories", "slug")) == 1
    assert len([op for op in operations if op.get("ns", "").endswith(".media")]) <= 2  # the cover, the file


def test_an_import_half_known_adds_the_rest_once(board):
    assert import_history(board, articles(10)) == {"imported": 10, "skipped": 0}
    # Known, new, and new twice in one import: each new one stored once.
    again = articles(20) + articles(5, start=20) + questions(3) + questions(3)
    assert import_history(board, again) == {"imported": 18, "skipped": 13}
    assert import_history(board, again) == {"imported": 0, "skipped": 31}
