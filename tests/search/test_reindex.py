"""Reindexing from a real content service: a new index built from its replay replaces the old
one in one step, searches keep answering the same throughout, and the check compares the
index with what the content service says is public."""
from datetime import timedelta

import eventlet
import pytest
from elasticsearch import Elasticsearch
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.config import Settings
from services.common.events import utcnow
from services.content.service import ContentService
from services.search import rebuild
from services.search.dependencies import SearchIndex, indices_for
from services.search.index import ContentIndex
from services.search.synonyms import Synonyms
from tests.drive import acting, call
from tests.servers import wait_for

ADMIN = "admin"
QUERIES = ["chuyển đổi số", "quyet dinh dia phuong", "Phú Mậu chuyển đổi số", "hội nghị", "chức năng nhiệm vụ"]


@pytest.fixture
def content(container_factory, engine_config):
    container = container_factory(ContentService, engine_config)
    container.start()
    return container


@pytest.fixture
def published(content, search_service):
    """Two units with articles, legal documents and a static page (and one withdrawn),
    published through the content service's workflow and indexed from its events. (Titles of
    different lengths: items scoring alike would come in the order each index happens to store
    them.)"""
    call(content, "create_level", acting(ADMIN), {"slug": "xa", "name": "Xã", "order": 0})
    for slug, name in (("phu-mau", "Xã Phú Mậu"), ("phu-da", "Thị trấn Phú Đa")):
        call(content, "create_unit", acting(ADMIN), {"slug": slug, "name": name, "level": "xa"})
    for number, (unit, title) in enumerate([
            ("phu-mau", "Phú Mậu đẩy mạnh chuyển đổi số trong cải cách hành chính"),
            ("phu-mau", "Hội nghị chuyển đổi số cấp xã"), ("phu-da", "Phú Đa tổ chức hội nghị tổng kết năm"),
            ("phu-da", "Chuyển đổi số")]):
        article = call(content, "create_article", acting(ADMIN), unit, {"title": title, "summary": "Tóm tắt",
                                                                "body_html": f"<p>{title}</p>"})
        call(content, "move_article", acting(ADMIN), article["id"], "force_publish", {"comment": f"Tin {number}"})
    for number, unit in enumerate(["phu-mau", "phu-da", "phu-da"], start=1):
        document = call(content, "create_document", acting(ADMIN), unit, {
            "number": f"{number}/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND",
            "signer": "Nguyễn Văn An", "issued_on": f"2026-03-0{number}",
            "excerpt": "Về việc chuyển đổi số" + " tại địa phương" * number})
        call(content, "publish_document", acting(ADMIN), document["id"], document["version"])
    for key, title in (("chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ"), ("lien-he", "Liên hệ")):
        call(content, "create_page", acting(ADMIN), "phu-mau", {"key": key, "lang": "vi", "title": title,
                                                       "body_html": f"<p>{title} của Ủy ban nhân dân xã</p>"})
    call(content, "withdraw_page", acting(ADMIN), "phu-mau", "lien-he", "vi")
    wait_for(lambda: search_service.rpc.check()["equal"], message="the content's events indexed")
    return search_service


def answers(search_service) -> list[dict]:
    return [search_service.search(query) for query in QUERIES]


def test_a_reindex_swaps_in_a_new_index_and_searches_answer_the_same_throughout(published, monkeypatch):
    monkeypatch.setattr(rebuild, "PAGE_SIZE", 1)  # many small pages: time to search during the rebuild
    before = answers(published)
    assert all(answer["total"] for answer in before)

    status = published.rpc.reindex()
    assert status["state"] == "running"
    seen_running = False
    while status["state"] == "running":
        assert answers(published) == before
        seen_running = True
        status = published.rpc.reindex_status()

    assert seen_running
    assert status["state"] == "done", status
    assert status["errors"] == []
    # The withdrawn page is written too, as a tombstone.
    assert status["kinds"] == {"unit": 2, "article": 4, "document": 3, "page": 2}
    assert status["done"] == 11 and status["started_at"] <= status["finished_at"]
    assert answers(published) == before
    assert published.rpc.check()["equal"]


def test_changes_during_a_reindex_reach_the_new_index(published, content, monkeypatch):
    monkeypatch.setattr(rebuild, "PAGE_SIZE", 1)
    published.rpc.reindex()
    article = call(content, "create_article", acting(ADMIN), "phu-mau", {"title": "Tin mới về ngày hội sách",
                                                                 "summary": "", "body_html": "<p>Sách</p>"})
    call(content, "move_article", acting(ADMIN), article["id"], "force_publish", {"comment": "Tin mới"})
    # An event straight to the service once the replay is under way: it must go to both indices.
    wait_for(lambda: published.rpc.reindex_status()["kind"] or published.rpc.reindex_status()["finished_at"],
             message="the replay under way")
    published.publish("tin-ngoai", "Tin ngoài luồng về ngày hội sách", unit="phu-da", unit_name="Thị trấn Phú Đa")
    wait_for(lambda: published.rpc.reindex_status()["state"] == "done", message="the reindex done")
    wait_for(lambda: len(published.ids("ngày hội sách")) == 2, message="both items found")
    assert set(published.ids("ngày hội sách")) == {article["id"], "tin-ngoai"}


def test_questions_still_waiting_or_rejected_are_neither_indexed_nor_counted(published, content):
    question = {"asker_name": "Lê Văn Bình", "asker_email": "binh@example.vn",
                "question": "Xin hỏi thủ tục đăng ký khai sinh cho con?"}
    waiting, rejected, answered = (call(content, "ask_question", "phu-mau", {**question, "title": title})
                                   for title in ("Hỏi về khai sinh", "Hỏi về hộ tịch", "Hỏi về chuyển đổi số"))
    call(content, "reject_question", acting(ADMIN), rejected["id"], {"reason": "Câu hỏi trùng lặp"})
    call(content, "accept_question", acting(ADMIN), answered["id"])
    call(content, "answer_question", acting(ADMIN), answered["id"],
         {"answer_html": "<p>Xã triển khai từ tháng ba.</p>"})
    call(content, "publish_question", acting(ADMIN), answered["id"])

    wait_for(lambda: published.rpc.check()["content"] == 11, message="the answered question indexed")
    assert published.rpc.check() == {"equal": True, "content": 11, "index": 11, "differences": []}
    published.rpc.reindex()
    status = wait_for(lambda: (status := published.rpc.reindex_status())["state"] == "done" and status,
                      message="the reindex done")
    assert status["errors"] == [] and status["kinds"]["question"] == 1
    assert published.ids("hỏi về", filters={"type": "question"}) == [answered["id"]]
    assert published.rpc.check()["equal"]


def test_the_check_lists_what_the_index_lacks(published, engine_config):
    result = published.rpc.check()
    assert result == {"equal": True, "content": 10, "index": 10, "differences": []}

    [hit] = published.search("1/2026/QĐ-UBND", filters={"type": "document", "unit": "phu-mau"})["hits"]
    delete_directly(published, engine_config, f"document:{hit['id']}")

    result = published.rpc.check()
    assert not result["equal"]
    assert result["differences"] == [{"unit": "phu-mau", "kind": "document", "content": 1, "index": 0}]
    delete_directly(published, engine_config, "page:phu-mau/chuc-nang-nhiem-vu/vi")
    assert published.rpc.check()["differences"] == [
        {"unit": "phu-mau", "kind": "document", "content": 1, "index": 0},
        {"unit": "phu-mau", "kind": "page", "content": 1, "index": 0}]
    published.rpc.reindex()
    wait_for(lambda: published.rpc.reindex_status()["state"] == "done", message="the reindex done")
    assert published.rpc.check()["equal"]


def test_the_command_rebuilds_and_checks(published, engine_config, monkeypatch, capsys):
    from services.search import reindex

    for name, value in engine_config.items():
        monkeypatch.setenv(name, str(value))
    assert reindex.main([]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("done: 11 items")
    assert reindex.main(["--check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "equal"


def delete_directly(search_service, config, key):
    """Remove an item from the index behind the service's back, as a lost write would."""
    if config["ELASTICSEARCH_URL"]:
        with Elasticsearch(config["ELASTICSEARCH_URL"]) as client:
            client.delete(index=config["SEARCH_INDEX"], id=key, refresh=True)
        return
    [provider] = [each for each in search_service.container.dependencies if isinstance(each, SearchIndex)]
    engine = provider.open_index.index.engine
    # The embedded index has one writer, the service's own: use it.
    engine._writer.delete_documents_by_term("key", key)
    engine._writer.commit()
    engine._index.reload()


def another_instance(engine_config):
    """A second search instance's reindexing on the same index, as another replica has it."""
    indices = indices_for(Settings.from_mapping(engine_config))
    return rebuild.Rebuild(ContentIndex(indices.open(), Synonyms.load()), indices, eventlet.spawn), indices


@pytest.mark.parametrize("engine_config", ["elasticsearch"], indirect=True)  # the embedded index has one instance
def test_every_instance_reports_the_reindex_one_of_them_runs_and_none_starts_a_second(published, engine_config,
                                                                                     monkeypatch):
    monkeypatch.setattr(rebuild, "PAGE_SIZE", 1)
    monkeypatch.setattr(rebuild, "SAVE_SECONDS", 0.0)
    other, _ = another_instance(engine_config)
    assert other.status()["state"] == "idle"

    with ClusterRpcProxy(engine_config) as cluster:
        replay = cluster.content.replay
        started = published.rpc.reindex()
        assert other.status()["started_at"] == started["started_at"]
        again = other.start(replay)  # a second replica asked while the first runs (11 pages of one item)
    assert again["started_at"] == started["started_at"]
    wait_for(lambda: other.status()["state"] == "done", message="the reindex done, as the other instance sees it")
    assert other.status() == published.rpc.reindex_status()
    assert other.status()["done"] == 11


@pytest.mark.parametrize("engine_config", ["elasticsearch"], indirect=True)  # an embedded one's progress dies with it
def test_a_reindex_whose_instance_stopped_reporting_has_failed_and_may_start_again(published, engine_config):
    other, indices = another_instance(engine_config)
    long_ago = (utcnow() - rebuild.STALLED_AFTER - timedelta(seconds=1)).isoformat()
    indices.save_progress({"state": "running", "kind": "article", "done": 3, "kinds": {"unit": 2, "article": 1},
                           "started_at": long_ago, "finished_at": None, "errors": [], "saved_at": long_ago})

    stalled = published.rpc.reindex_status()
    assert stalled["state"] == "failed" and "stopped reporting" in stalled["errors"][-1]
    assert published.rpc.reindex()["state"] == "running"  # not refused: nothing runs
    wait_for(lambda: other.status()["state"] == "done", message="the new reindex done")
