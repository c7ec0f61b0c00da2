"""Best bets: a platform admin pins an item first for a query; nobody else may."""
import pytest

from services.common.errors import Forbidden, InvalidInput, Unauthorized
from services.content.service import ContentService
from tests.drive import acting, call
from tests.servers import wait_for

ADMIN = "admin"


@pytest.fixture
def content(container_factory, engine_config):
    container = container_factory(ContentService, engine_config)
    container.start()
    call(container, "create_level", acting(ADMIN), {"slug": "xa", "name": "Xã", "order": 0})
    call(container, "create_unit", acting(ADMIN), {"slug": "phu-vang", "name": "Phú Vang", "level": "xa"})
    call(container, "create_user", acting(ADMIN), {"username": "bien-tap", "name": "Biên tập",
                                           "roles": {"phu-vang": ["editor_in_chief"]}})
    return container


@pytest.fixture
def indexed(search_service, content):
    search_service.publish("thu-tuc", "Thủ tục cấp giấy phép xây dựng nhà ở")
    search_service.publish("xay-dung", "Xây dựng nông thôn mới: giấy phép xây dựng và thủ tục")
    search_service.publish_document("qd-12", "12/2026/QĐ-UBND", "Quy định về cấp giấy phép xây dựng")
    return search_service


def first(search_service, query, **options):
    hits = search_service.search(query, **options)["hits"]
    return (hits[0]["type"], hits[0]["id"], hits[0]["best_bet"]) if hits else None


def test_a_pinned_item_comes_first_for_its_query_whatever_the_accents(indexed):
    assert first(indexed, "giấy phép xây dựng")[:2] != ("document", "qd-12")

    bets = indexed.rpc.pin_best_bet(acting(ADMIN), "Giấy phép  xây dựng", "document", "qd-12")
    assert bets == [{"query": "giay phep xay dung", "type": "document", "id": "qd-12"}]

    assert first(indexed, "giay phep xay dung") == ("document", "qd-12", True)
    result = indexed.search("GIẤY PHÉP XÂY DỰNG")
    assert [hit["id"] for hit in result["hits"]].count("qd-12") == 1
    assert [hit["best_bet"] for hit in result["hits"]] == [True, False, False]
    assert result["total"] == 3
    assert indexed.search("giấy phép xây dựng", page=2, per_page=2)["hits"][0]["best_bet"] is False
    # Other queries, and filters that leave the item out, are unaffected.
    assert first(indexed, "thủ tục")[2] is False
    assert first(indexed, "giấy phép xây dựng", filters={"type": "article"})[2] is False

    assert indexed.rpc.unpin_best_bet(acting(ADMIN), "giay phep xay dung", "document", "qd-12") == []
    assert first(indexed, "giấy phép xây dựng")[2] is False
    assert indexed.rpc.best_bets() == []


def test_a_pinned_item_missing_from_the_results_is_added(indexed):
    indexed.rpc.pin_best_bet(acting(ADMIN), "nhà ở", "article", "xay-dung")
    result = indexed.search("nhà ở")
    assert [(hit["id"], hit["best_bet"]) for hit in result["hits"]] == [("xay-dung", True), ("thu-tuc", False)]
    assert result["total"] == 2


def test_best_bets_survive_a_reindex(indexed):
    indexed.rpc.pin_best_bet(acting(ADMIN), "thủ tục", "document", "qd-12")
    indexed.rpc.reindex()
    wait_for(lambda: indexed.rpc.reindex_status()["state"] == "done", message="the reindex done")
    assert indexed.rpc.best_bets() == [{"query": "thu tuc", "type": "document", "id": "qd-12"}]


def test_only_a_platform_admin_pins(indexed):
    for actor in ("bien-tap", "khong-ai"):
        with pytest.raises(Forbidden):
            indexed.rpc.pin_best_bet(acting(actor), "giấy phép", "document", "qd-12")
        with pytest.raises(Forbidden):
            indexed.rpc.unpin_best_bet(acting(actor), "giấy phép", "document", "qd-12")
    for unvouched in (ADMIN, acting(ADMIN, secret="another-key"), None):  # a bare or forged name
        with pytest.raises(Unauthorized):
            indexed.rpc.pin_best_bet(unvouched, "giấy phép", "document", "qd-12")
    assert indexed.rpc.best_bets() == []


def test_a_best_bet_names_a_query_and_an_item(indexed):
    with pytest.raises(InvalidInput) as raised:
        indexed.rpc.pin_best_bet(acting(ADMIN), " ... ", "unit", "")
    assert set(raised.value.fields) == {"query", "document_type", "document_id"}
