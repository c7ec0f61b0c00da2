"""Administrative procedures ("thủ tục hành chính"): drafted by editors, published by the
editor-in-chief, listed by field in Vietnamese order, withdrawn, replayed, imported once."""
from datetime import datetime

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_data, demo_procedures
from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.vietnam_time import LOCAL_TIME
from tests.content.conftest import ADMIN, arrived
from tests.drive import acting, call

PORTAL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193"
BIRTH = {"name": "Đăng ký khai sinh", "code": "1.001193", "field": "Hộ tịch", "level": "xa",
         "processing_time": "Ngay trong ngày làm việc", "fees": "Miễn lệ phí",
         "papers_html": '<ul><li>Tờ khai</li><li onclick="x()">Giấy chứng sinh</li></ul><script>alert(1)</script>',
         "result": "Giấy khai sinh", "legal_basis": "Luật Hộ tịch 2014\r\n\r\n\r\nNghị định 123/2015/NĐ-CP",
         "portal_url": PORTAL}


def draft(content, actor="bien-tap", unit="phu-mau", **fields):
    return call(content, "create_procedure", acting(actor), unit, {**BIRTH, **fields})


def publish(content, procedure, actor="tong-bien-tap"):
    return call(content, "publish_procedure", acting(actor), procedure["id"], procedure["version"])


def test_a_procedure_is_drafted_then_published_with_its_event(board, listener):
    procedure = draft(board)
    assert procedure["status"] == "draft" and procedure["version"] == 1
    assert procedure["papers_html"] == "<ul><li>Tờ khai</li><li>Giấy chứng sinh</li></ul>"
    assert procedure["legal_basis"] == "Luật Hộ tịch 2014\n\nNghị định 123/2015/NĐ-CP"
    assert procedure["portal_url"] == PORTAL and procedure["code"] == "1.001193"
    with pytest.raises(NotFound):
        call(board, "get_procedure", "phu-mau", procedure["id"])  # drafts are not public
    assert call(board, "list_procedures", "phu-mau") == {"fields": [], "field": None, "procedures": []}

    published = publish(board, procedure)
    assert published["status"] == "published" and published["version"] == 2 and published["published_at"]
    event = arrived(events.ProcedurePublished)[0]
    assert event.document_id == procedure["id"] and event.version == 2
    assert event.procedure.name == "Đăng ký khai sinh" and event.procedure.unit_name == "Xã Phú Mậu"
    assert event.procedure.path == f"/phu-mau/thu-tuc-hanh-chinh/{procedure['id']}" == published["path"]
    assert event.procedure.portal_url == PORTAL
    assert call(board, "get_procedure", "phu-mau", procedure["id"]) == published
    with pytest.raises(NotFound):
        call(board, "get_procedure", "phu-da", procedure["id"])  # not under another unit's address
    with pytest.raises(Conflict) as error:
        publish(board, published)
    assert error.value.current_version == 2


def test_only_the_board_drafts_and_only_who_may_publish_publishes(board):
    with pytest.raises(Forbidden):
        draft(board, actor="bien-tap-phu-da")  # another unit's editor-in-chief
    procedure = draft(board)
    with pytest.raises(Forbidden):
        publish(board, procedure, actor="bien-tap")
    published = publish(board, procedure)
    # A published procedure's correction is published at once: an editor may not make it.
    with pytest.raises(Forbidden):
        call(board, "update_procedure", acting("bien-tap"), procedure["id"],
             {**BIRTH, "fees": "8.000 đồng", "version": published["version"]})


def test_bad_fields_are_named_and_nothing_is_stored(board):
    bad = {"name": "  ", "code": "1001193", "field": "", "level": "thon", "portal_url": "javascript:alert(1)"}
    with pytest.raises(InvalidInput) as error:
        draft(board, **bad)
    assert set(error.value.fields) >= {"name", "code", "field", "level", "portal_url"}
    with pytest.raises(InvalidInput) as error:
        draft(board, portal_url="ftp://dichvucong.gov.vn/tthc")
    assert set(error.value.fields) == {"portal_url"}
    assert call(board, "list_procedure_drafts", acting("bien-tap"), "phu-mau") == []


def test_one_procedure_of_a_name_per_unit(board):
    draft(board)
    with pytest.raises(Conflict):
        draft(board, name="đăng  ký KHAI SINH")
    draft(board, unit="phu-da", actor="bien-tap-phu-da")  # another unit may have its own


def test_the_list_groups_by_field_in_vietnamese_order_and_filters_by_one(board):
    names = [("Đăng ký kết hôn", "Hộ tịch"), ("Chứng thực bản sao từ bản chính", "Chứng thực"),
             ("Đăng ký khai sinh", "Hộ tịch"), ("Cấp giấy phép xây dựng", "Xây dựng"),
             ("Đăng ký khai tử", "Hộ tịch"), ("Chứng thực chữ ký", "Chứng thực")]
    for name, field in names:
        publish(board, draft(board, name=name, field=field, code=None))
    draft(board, name="Thủ tục còn nháp", field="Bảo trợ xã hội")  # not public: not listed
    listed = call(board, "list_procedures", "phu-mau")
    assert [(field["name"], field["count"]) for field in listed["fields"]] == [
        ("Chứng thực", 2), ("Hộ tịch", 3), ("Xây dựng", 1)]
    assert [item["name"] for item in listed["procedures"]] == [
        "Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Đăng ký kết hôn", "Đăng ký khai sinh",
        "Đăng ký khai tử", "Cấp giấy phép xây dựng"]
    only = call(board, "list_procedures", "phu-mau", field="ho-tich")
    assert [item["name"] for item in only["procedures"]] == ["Đăng ký kết hôn", "Đăng ký khai sinh",
                                                              "Đăng ký khai tử"]
    assert only["fields"] == listed["fields"] and listed["field"] is None
    assert only["field"] == {"name": "Hộ tịch", "key": "ho-tich", "count": 3}
    unknown = call(board, "list_procedures", "phu-mau", field="Đất đai")
    assert (unknown["field"], unknown["procedures"]) == (None, [])
    assert call(board, "list_procedures", "phu-mau", field="Hộ Tịch")["procedures"] == only["procedures"]
    with pytest.raises(NotFound):
        call(board, "list_procedures", "khong-co")


def test_a_change_conflicts_with_a_newer_version_and_is_kept_in_revisions(board):
    procedure = publish(board, draft(board))
    changed = call(board, "update_procedure", acting("tong-bien-tap"), procedure["id"],
                   {**BIRTH, "fees": "Miễn lệ phí; 8.000 đồng nếu đăng ký quá hạn", "version": procedure["version"]})
    assert changed["version"] == 3 and changed["status"] == "published"
    with pytest.raises(Conflict) as error:
        call(board, "update_procedure", acting("tong-bien-tap"), procedure["id"],
             {**BIRTH, "version": procedure["version"]})
    assert error.value.current_version == 3
    history = call(board, "procedure_history", acting("bien-tap"), procedure["id"])
    assert [revision["action"] for revision in history] == ["create", "publish", "update"]
    restored = call(board, "rollback_procedure", acting("tong-bien-tap"), procedure["id"],
                    {"to_version": 1, "version": 3})
    assert restored["fees"] == "Miễn lệ phí" and restored["version"] == 4


def test_a_withdrawn_procedure_leaves_the_site_and_the_replay_says_so(board, listener):
    procedure = publish(board, draft(board))
    withdrawn = call(board, "withdraw_procedure", acting("tong-bien-tap"), procedure["id"], procedure["version"])
    assert withdrawn["status"] == "draft" and withdrawn["published_at"] is None
    event = arrived(events.ProcedureWithdrawn)[0]
    assert (event.document_id, event.version, event.unit) == (procedure["id"], 3, "phu-mau")
    with pytest.raises(NotFound):
        call(board, "get_procedure", "phu-mau", procedure["id"])
    with pytest.raises(Conflict):
        call(board, "withdraw_procedure", acting("tong-bien-tap"), procedure["id"], 3)
    never = draft(board, name="Đăng ký kết hôn")
    replayed = call(board, "replay", "procedure")["events"]
    assert [(item["name"], item["payload"]["document_id"]) for item in replayed] == [
        ("procedure_withdrawn", procedure["id"])]  # a draft never published says nothing
    assert never["id"] not in str(replayed)


def test_an_import_publishes_once(board, listener):
    items = [BIRTH, {**BIRTH, "name": "Đăng ký kết hôn", "code": "1.000894"}]
    at = "2026-03-02T08:00:00+07:00"
    assert call(board, "import_procedures", acting("admin"), "phu-mau", items, at) == 2
    assert call(board, "import_procedures", acting("admin"), "phu-mau", items, at) == 0
    listed = call(board, "list_procedures", "phu-mau")["procedures"]
    assert {item["published_at"] for item in listed} == {"2026-03-02T01:00:00+00:00"}
    assert len(arrived(events.ProcedurePublished, 2)) == 2
    with pytest.raises(InvalidInput) as error:
        call(board, "import_procedures", acting("admin"), "phu-mau", [{**BIRTH, "level": "thon"}], at)
    assert "items.0.level" in error.value.fields


def test_the_demo_publishes_each_levels_procedures_in_most_units_once(content, nameko_config):
    every = demo_data.units()
    left_out = [unit for unit in every if demo_procedures.left_out(unit["slug"])]
    assert 0.1 < len(left_out) / len(every) < 0.25  # about one unit in six shows a true gap
    by_slug = {unit["slug"]: unit for unit in every}
    kept = [unit for unit in every if unit not in left_out]
    communes = [unit for unit in kept if unit["level"] == "xa"][:2]
    district = next(unit for unit in kept if unit["level"] == "huyen")
    department = next(unit for unit in kept if unit["level"] == "so-nganh")
    gap = next(unit for unit in left_out if unit["level"] == "xa")
    loaded = [*communes, district, department, gap]
    for level in demo_data.levels():
        call(content, "create_level", acting(ADMIN), level)
    parents = [by_slug[unit["parent"]] for unit in loaded if unit["parent"] not in (None, "thua-thien-hue")]
    created = {unit["slug"]: unit for unit in (by_slug["thua-thien-hue"], *parents, *loaded)}  # once each, in order
    for unit in created.values():
        call(content, "create_unit", acting(ADMIN), {key: unit[key] for key in ("slug", "name", "level", "parent")})

    moment = datetime.now(LOCAL_TIME)
    with ClusterRpcProxy(nameko_config) as services:
        def load(unit):
            return demo_procedures.load_unit(services.content, lambda: acting(ADMIN), unit, moment)

        made = {unit["slug"]: load(unit) for unit in loaded}
        assert made[gap["slug"]] == 0 and call(content, "list_procedures", gap["slug"])["procedures"] == []
        for unit in communes:
            listed = call(content, "list_procedures", unit["slug"])["procedures"]
            assert made[unit["slug"]] == len(listed) >= 6
            assert {item["level"] for item in listed} == {"xa"}
            assert "Hộ tịch" in {item["field"] for item in listed}  # five of its nine: never all left out
            linked = [item for item in listed if item["portal_url"]]
            assert linked and all(item["portal_url"].startswith("https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-"
                                                                "hanh-chinh-chi-tiet.html?ma_thu_tuc=")
                                  and item["portal_url"].endswith(item["code"]) for item in linked)
            assert all(item["papers_html"].startswith("<ul><li>") for item in listed)
        names = {item["name"] for item in call(content, "list_procedures", district["slug"])["procedures"]}
        assert names and {item["level"] for item in call(content, "list_procedures", district["slug"])[
            "procedures"]} == {"huyen"}
        assert not names & {item["name"] for item in demo_procedures.COMMUNE}
        own = call(content, "list_procedures", department["slug"])["procedures"]
        assert own and {item["level"] for item in own} == {"tinh"}
        assert [load(unit) for unit in loaded] == [0] * len(loaded)  # a second run creates nothing
        # Drawn from the slug: the same unit draws the same procedures.
        assert demo_procedures.procedures_of(communes[0]) == demo_procedures.procedures_of(communes[0])
