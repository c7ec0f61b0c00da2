"""Legal documents ("văn bản"): drafted by editors, published by the editor-in-chief, found by
number, type, issuing body, date and words, with their files checked against the media store."""
import io

import pytest
from PIL import Image

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from services.content.documents.schemas import DocumentSearch
from services.content.documents.store import NEWEST_ISSUED, search_filter
from services.content.validation import validate
from tests.content.conftest import arrived, plan_stages
from tests.drive import acting, call

DECISION = {"number": "12/2026/QĐ-UBND", "type": "Quyết định", "issuing_body": "UBND xã Phú Mậu",
            "signer": "Nguyễn Văn An", "issued_on": "2026-03-02", "effective_on": "2026-03-15",
            "excerpt": "Về việc thành lập Ban chỉ đạo chuyển đổi số xã Phú Mậu", "field": "Chuyển đổi số"}
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
               b"trailer << /Root 1 0 R >>\n%%EOF\n")


def upload_pdf(stores, unit="phu-mau", filename="12-2026-QD-UBND.pdf"):
    return stores.media.upload(unit, filename, MINIMAL_PDF, "application/pdf", "bien-tap")


def upload_png(stores, unit="phu-mau"):
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(output, "PNG")
    return stores.media.upload(unit, "con-dau.png", output.getvalue(), "image/png", "bien-tap", alt="Con dấu")


def draft(content, actor="bien-tap", unit="phu-mau", **fields):
    return call(content, "create_document", acting(actor), unit, {**DECISION, **fields})


def publish(content, document, actor="tong-bien-tap"):
    return call(content, "publish_document", acting(actor), document["id"], document["version"])


def search(content, **criteria):
    return call(content, "search_documents", **criteria)


def numbers(result):
    return [document["number"] for document in result["documents"]]


def test_a_document_is_drafted_then_published_with_its_file(board, stores, listener):
    pdf = upload_pdf(stores)
    document = draft(board, file=pdf["id"])
    assert document["status"] == "draft" and document["version"] == 1
    assert document["file"] == {"media_id": pdf["id"], "filename": "12-2026-QD-UBND.pdf",
                                "content_type": "application/pdf", "size": len(MINIMAL_PDF),
                                "path": f"/tep/{pdf['id']}"}
    with pytest.raises(NotFound):
        call(board, "get_document", "phu-mau", document["id"])   # drafts are not public
    assert search(board, unit="phu-mau")["total"] == 0

    published = publish(board, document)
    assert published["status"] == "published" and published["version"] == 2 and published["published_at"]
    event = arrived(events.DocumentPublished)[0]
    assert event.document_id == document["id"] and event.version == 2
    snapshot = event.document
    assert (snapshot.number, snapshot.type, snapshot.issuing_body, snapshot.signer) == (
        "12/2026/QĐ-UBND", "Quyết định", "UBND xã Phú Mậu", "Nguyễn Văn An")
    assert (snapshot.issued_on.isoformat(), snapshot.effective_on.isoformat()) == ("2026-03-02", "2026-03-15")
    assert snapshot.unit_name == "Xã Phú Mậu" and snapshot.field == "Chuyển đổi số"
    assert snapshot.file == events.DocumentFile(media_id=pdf["id"], filename="12-2026-QD-UBND.pdf",
                                                content_type="application/pdf", size=len(MINIMAL_PDF))
    assert snapshot.path == f"/phu-mau/van-ban/{document['id']}" == published["path"]

    public = call(board, "get_document", "phu-mau", document["id"])
    assert public == published
    with pytest.raises(NotFound):
        call(board, "get_document", "phu-da", document["id"])    # not under another unit's address
    with pytest.raises(Conflict) as error:
        publish(board, published)
    assert error.value.current_version == 2


def test_a_document_may_have_no_file(board, listener):
    document = draft(board, effective_on=None, signer="", field="")
    assert document["file"] is None and document["effective_on"] is None
    publish(board, document)
    snapshot = arrived(events.DocumentPublished)[0].document
    assert snapshot.file is None and snapshot.effective_on is None and snapshot.signer == ""


def test_the_file_must_be_a_document_uploaded_by_the_same_unit(board, stores):
    for media_id in (upload_png(stores)["id"], upload_pdf(stores, unit="phu-da")["id"], "khong-co"):
        with pytest.raises(InvalidInput) as error:
            draft(board, file=media_id)
        assert set(error.value.fields) == {"file"}
    with pytest.raises(InvalidInput) as error:
        draft(board, file=upload_png(stores)["id"])
    assert "not an image" in error.value.fields["file"]
    assert call(board, "list_document_drafts", acting("bien-tap"), "phu-mau") == []   # nothing half-written


def test_a_correction_to_a_published_document_is_published_again(board, listener):
    document = publish(board, draft(board))
    with pytest.raises(Forbidden):   # editors draft; what is public changes only with who may publish
        call(board, "update_document", acting("bien-tap"), document["id"], {**DECISION, "signer": "Lê Văn B"},
             document["version"])
    corrected = call(board, "update_document", acting("tong-bien-tap"), document["id"],
                     {**DECISION, "signer": "Lê Thị Bình"}, document["version"])
    assert corrected["status"] == "published" and corrected["version"] == 3
    published = arrived(events.DocumentPublished, 2)
    assert [event.version for event in published] == [2, 3]
    assert published[1].document.signer == "Lê Thị Bình"
    assert published[1].document.published_at == published[0].document.published_at
    assert call(board, "get_document", "phu-mau", document["id"])["signer"] == "Lê Thị Bình"

    history = call(board, "document_history", acting("bien-tap"), document["id"])
    assert [(entry["version"], entry["action"], entry["actor"]) for entry in history] == [
        (1, "create", "bien-tap"), (2, "publish", "tong-bien-tap"), (3, "update", "tong-bien-tap")]
    assert history[2]["changed"] == ["signer"]
    audit = [entry["action"] for entry in call(board, "audit_log", acting("quan-tri"), "phu-mau")]
    assert {"document.create", "document.publish", "document.update"} <= set(audit)


def test_each_role_may_do_only_its_part(board):
    for outsider in ("tac-gia", "quan-tri"):   # authors write news; the unit admin is not on the board
        with pytest.raises(Forbidden):
            draft(board, actor=outsider)
    document = draft(board, actor="bien-tap")
    with pytest.raises(Forbidden):
        publish(board, document, actor="bien-tap")
    assert call(board, "get_document_draft", acting("quan-tri"), document["id"])["id"] == document["id"]
    with pytest.raises(Forbidden):
        call(board, "get_document_draft", acting("tac-gia"), document["id"])
    assert publish(board, document, actor="admin")["status"] == "published"


def test_another_units_staff_can_neither_read_drafts_nor_change_anything(board):
    document = draft(board)
    with pytest.raises(Forbidden):
        draft(board, actor="bien-tap-phu-da")
    with pytest.raises(Forbidden):
        call(board, "update_document", acting("bien-tap-phu-da"), document["id"], DECISION, 1)
    with pytest.raises(Forbidden):
        publish(board, document, actor="bien-tap-phu-da")
    with pytest.raises(Forbidden):
        call(board, "get_document_draft", acting("bien-tap-phu-da"), document["id"])
    with pytest.raises(Forbidden):
        call(board, "list_document_drafts", acting("bien-tap-phu-da"), "phu-mau")
    with pytest.raises(Unauthorized):
        draft(board, actor="nobody")
    assert call(board, "get_document_draft", acting("bien-tap"), document["id"])["version"] == 1


def test_a_number_is_used_once_per_unit(board):
    first = draft(board)
    with pytest.raises(Conflict):
        draft(board, number="12/2026/qđ-ubnd")   # the same number typed in lower case
    with pytest.raises(Conflict):
        draft(board, number="12 / 2026 / QĐ-UBND")
    assert draft(board, unit="phu-da", actor="bien-tap-phu-da")["number"] == "12/2026/QĐ-UBND"
    second = draft(board, number="13/2026/QĐ-UBND")
    with pytest.raises(Conflict) as error:
        call(board, "update_document", acting("bien-tap"), second["id"], DECISION, second["version"])
    assert error.value.current_version == 1
    assert call(board, "get_document_draft", acting("bien-tap"), second["id"])["number"] == "13/2026/QĐ-UBND"
    assert call(board, "get_document_draft", acting("bien-tap"), first["id"])["version"] == 1


def test_invalid_fields_are_each_named(board):
    with pytest.raises(InvalidInput) as error:
        draft(board, number="Quyết định 12", type="  ", issuing_body="", issued_on="02/03/2026", excerpt="",
              colour="đỏ")
    assert set(error.value.fields) == {"number", "type", "issuing_body", "issued_on", "excerpt", "colour"}
    assert "12/2026/QĐ-UBND" in error.value.fields["number"]
    assert "YYYY-MM-DD" in error.value.fields["issued_on"]
    with pytest.raises(InvalidInput) as error:
        draft(board, issued_on="2026-03-02", effective_on="2026-03-01")
    assert set(error.value.fields) == {"effective_on"}
    with pytest.raises(InvalidInput) as error:
        draft(board, issued_on="2999-01-01", number="12/2026/QĐ-UBND/A/B/C/D/E/F")
    assert set(error.value.fields) == {"issued_on", "number"}
    with pytest.raises(InvalidInput) as error:
        call(board, "create_document", acting("bien-tap"), "phu-mau", ["not", "an", "object"])
    assert "body" in error.value.fields
    with pytest.raises(NotFound):
        draft(board, unit="khong-co", actor="admin")


def test_a_stale_writer_gets_a_conflict_and_changes_nothing(board):
    document = draft(board)
    call(board, "update_document", acting("bien-tap"), document["id"], {**DECISION, "signer": "Trần Văn C"}, 1)
    with pytest.raises(Conflict) as error:
        call(board, "update_document", acting("tong-bien-tap"), document["id"], {**DECISION, "signer": "Ghi đè"}, 1)
    assert error.value.current_version == 2
    with pytest.raises(Conflict):
        publish(board, document)   # still holding version 1
    current = call(board, "get_document_draft", acting("bien-tap"), document["id"])
    assert (current["signer"], current["status"], current["version"]) == ("Trần Văn C", "draft", 2)
    with pytest.raises(InvalidInput) as error:
        call(board, "update_document", acting("bien-tap"), document["id"], DECISION, "2")
    assert "version" in error.value.fields


@pytest.fixture
def library(board):
    """Published documents of two communes, and a draft nobody outside may find."""
    def published(unit="phu-mau", actor="tong-bien-tap", **fields):
        return publish(board, draft(board, actor=actor, unit=unit, **fields), actor=actor)

    published()   # 12/2026/QĐ-UBND, 2026-03-02
    published(number="13/2026/QĐ-UBND", issued_on="2026-03-02", effective_on=None,
              excerpt="Ban hành quy chế làm việc của Ủy ban nhân dân xã")
    published(number="120/UBND-VP", type="Công văn", issued_on="2026-04-10", effective_on=None,
              issuing_body="Văn phòng HĐND và UBND xã", excerpt="Về việc tổ chức tiếp công dân định kỳ")
    published(number="05/KH-UBND", type="Kế hoạch", issued_on="2026-01-15", effective_on=None,
              excerpt="Kế hoạch phòng, chống thiên tai năm 2026")
    published(unit="phu-da", actor="bien-tap-phu-da", number="07/2026/QĐ-UBND", issuing_body="UBND thị trấn Phú Đa",
              issued_on="2026-02-20", excerpt="Về việc thành lập Tổ công nghệ số cộng đồng")
    draft(board, number="14/2026/QĐ-UBND", issued_on="2026-05-01", effective_on="2026-05-15")
    return board


def test_search_by_each_criterion_newest_issued_first(library):
    everything = search(library, unit="phu-mau")
    assert numbers(everything) == ["120/UBND-VP", "13/2026/QĐ-UBND", "12/2026/QĐ-UBND", "05/KH-UBND"]
    assert everything["total"] == 4
    assert numbers(search(library)) == ["120/UBND-VP", "13/2026/QĐ-UBND", "12/2026/QĐ-UBND",
                                        "07/2026/QĐ-UBND", "05/KH-UBND"]   # every unit

    by_number = {query: numbers(search(library, unit="phu-mau", number=query))
                 for query in ("12/2026", "12/2026/qd-ubnd", "QĐ-UBND", "ubnd", "12", "2026/QĐ", "99")}
    assert by_number == {
        "12/2026": ["12/2026/QĐ-UBND"], "12/2026/qd-ubnd": ["12/2026/QĐ-UBND"],
        "QĐ-UBND": ["13/2026/QĐ-UBND", "12/2026/QĐ-UBND"],
        "ubnd": ["120/UBND-VP", "13/2026/QĐ-UBND", "12/2026/QĐ-UBND", "05/KH-UBND"],
        "12": ["12/2026/QĐ-UBND"],   # whole parts: 120/UBND-VP is another number
        "2026/QĐ": ["13/2026/QĐ-UBND", "12/2026/QĐ-UBND"], "99": []}

    assert numbers(search(library, unit="phu-mau", type="quyet dinh")) == ["13/2026/QĐ-UBND", "12/2026/QĐ-UBND"]
    assert numbers(search(library, type="Quyết định")) == ["13/2026/QĐ-UBND", "12/2026/QĐ-UBND", "07/2026/QĐ-UBND"]
    assert numbers(search(library, issuer="UBND thị trấn Phú Đa")) == ["07/2026/QĐ-UBND"]
    assert numbers(search(library, unit="phu-mau", issued_from="2026-03-02", issued_to="2026-03-02")) == [
        "13/2026/QĐ-UBND", "12/2026/QĐ-UBND"]
    assert numbers(search(library, issued_to="2026-02-20")) == ["07/2026/QĐ-UBND", "05/KH-UBND"]
    assert numbers(search(library, text="thanh lap")) == ["12/2026/QĐ-UBND", "07/2026/QĐ-UBND"]
    assert numbers(search(library, text="Phòng chống thiên tai")) == ["05/KH-UBND"]
    assert numbers(search(library, unit="phu-mau", type="Quyết định", issued_from="2026-03-01",
                          text="quy chế")) == ["13/2026/QĐ-UBND"]

    page = search(library, unit="phu-mau", skip=1, limit=2)
    assert numbers(page) == ["13/2026/QĐ-UBND", "12/2026/QĐ-UBND"] and page["total"] == 4
    blank_form = search(library, unit="phu-mau", number="", type=" ", issuer="", issued_from="", text="")
    assert blank_form["total"] == 4


def test_search_refuses_bad_criteria_by_name(board):
    with pytest.raises(InvalidInput) as error:
        search(board, issued_from="02/03/2026", issued_to="2026-13-01", limit=0, skip=-1, number="//")
    assert set(error.value.fields) == {"issued_from", "issued_to", "limit", "skip", "number"}
    with pytest.raises(InvalidInput) as error:
        search(board, issued_from="2026-03-02", issued_to="2026-03-01", limit=102)
    assert set(error.value.fields) == {"issued_to", "limit"}
    with pytest.raises(NotFound):
        search(board, unit="khong-co")


@pytest.mark.parametrize("criteria, leading_keys", [
    ({"unit": "phu-mau", "type": "Quyết định", "issued_from": "2026-03-01", "issued_to": "2026-03-31"},
     ["unit", "status", "type_key", "issue_order"]),
    ({"unit": "phu-mau", "number": "12/2026"}, ["unit", "status", "number_runs"]),
    ({"unit": "phu-mau", "issued_from": "2026-01-01"}, ["unit", "status", "issue_order"]),
    ({"number": "QĐ-UBND"}, ["status", "number_runs"]),
])
def test_search_queries_walk_an_index(library, mongo_client, settings, criteria, leading_keys):
    query = search_filter(validate(DocumentSearch, criteria))
    explained = mongo_client[settings.CONTENT_DB]["documents"].find(query).sort(NEWEST_ISSUED).explain()
    stages = plan_stages(explained["queryPlanner"]["winningPlan"])
    assert "COLLSCAN" not in [stage["stage"] for stage in stages]
    scan = next(stage for stage in stages if stage["stage"] == "IXSCAN")
    assert list(scan["keyPattern"])[:len(leading_keys)] == leading_keys


def test_editors_list_their_units_documents_in_every_state(board):
    first = publish(board, draft(board))
    second = draft(board, number="13/2026/QĐ-UBND")
    listed = call(board, "list_document_drafts", acting("bien-tap"), "phu-mau")
    assert [document["id"] for document in listed] == [second["id"], first["id"]]   # last changed first
    drafts = call(board, "list_document_drafts", acting("bien-tap"), "phu-mau", status="draft")
    assert [document["id"] for document in drafts] == [second["id"]]
    with pytest.raises(InvalidInput) as error:
        call(board, "list_document_drafts", acting("bien-tap"), "phu-mau", status="deleted", limit=1000)
    assert set(error.value.fields) == {"status", "limit"}
    with pytest.raises(NotFound):
        call(board, "get_document_draft", acting("bien-tap"), "khong-co")


def test_event_for_gives_the_public_state_for_replay(board, stores):
    waiting = draft(board)
    published = publish(board, draft(board, number="13/2026/QĐ-UBND"))
    documents = stores.documents
    assert documents.event_for(documents.documents.find_one({"_id": waiting["id"]})) is None
    event = documents.event_for(documents.documents.find_one({"_id": published["id"]}))
    assert isinstance(event, events.DocumentPublished) and event.version == published["version"]
    assert event.document.number == "13/2026/QĐ-UBND"
    assert event.document.published_at.isoformat() == published["published_at"]


def test_search_pages_both_ways_by_issue(library):
    oldest = search(library, unit="phu-mau", sort="issued_on", skip=1, limit=2)
    assert numbers(oldest) == ["12/2026/QĐ-UBND", "13/2026/QĐ-UBND"] and oldest["total"] == 4
    assert numbers(search(library, unit="phu-mau", skip=3, limit=101)) == ["05/KH-UBND"]
    with pytest.raises(InvalidInput) as error:
        search(library, unit="phu-mau", sort="number")
    assert set(error.value.fields) == {"sort"}


def test_the_boards_list_is_paged_and_filtered_by_state(library):
    everything = call(library, "list_document_drafts", acting("bien-tap"), "phu-mau")
    assert len(everything) == 5 and everything[0]["number"] == "14/2026/QĐ-UBND"   # last changed first
    page = call(library, "list_document_drafts", acting("bien-tap"), "phu-mau", "published", 2, 1)
    assert [d["number"] for d in page] == [d["number"] for d in everything if d["status"] == "published"][1:3]
    with pytest.raises(InvalidInput) as error:
        call(library, "list_document_drafts", acting("bien-tap"), "phu-mau", "withdrawn", 102, -1)
    assert set(error.value.fields) == {"status", "limit", "skip"}


def test_revisions_are_paged_compared_and_restored_as_a_checked_new_version(board, stores, listener):
    pdf = upload_pdf(stores)
    document = publish(board, draft(board, file=pdf["id"]))
    corrected = call(board, "update_document", acting("tong-bien-tap"), document["id"],
                     {**DECISION, "signer": "Lê Thị Bình", "file": None, "version": 2})
    assert corrected["version"] == 3 and corrected["file"] is None
    assert [r["version"] for r in call(board, "document_history", acting("bien-tap"), document["id"], 1, 1)] == [2]
    diff = call(board, "document_diff", acting("bien-tap"), document["id"], 2, 3)
    assert sorted(diff["fields"]) == ["file", "signer"] and "+Lê Thị Bình" in diff["fields"]["signer"]

    with pytest.raises(Forbidden):   # restoring a published document publishes: an editor may not
        call(board, "rollback_document", acting("bien-tap"), document["id"], {"to_version": 1, "version": 3})
    with pytest.raises(Conflict) as error:
        call(board, "rollback_document", acting("tong-bien-tap"), document["id"], {"to_version": 1, "version": 2})
    assert error.value.current_version == 3
    restored = call(board, "rollback_document", acting("tong-bien-tap"), document["id"],
                    {"to_version": 1, "version": 3})
    assert (restored["version"], restored["signer"], restored["status"]) == (4, DECISION["signer"], "published")
    assert restored["file"]["media_id"] == pdf["id"]
    assert [event.version for event in arrived(events.DocumentPublished, 3)] == [2, 3, 4]
    assert call(board, "search_documents", unit="phu-mau", text="Nguyễn Văn An")["total"] == 1   # searchable again
    last = call(board, "document_history", acting("bien-tap"), document["id"])[-1]
    assert (last["action"], last["comment"], last["changed"]) == ("rollback", "restored version 1", ["file", "signer"])

    call(board, "update_document", acting("tong-bien-tap"), document["id"], {**DECISION, "file": None, "version": 4})
    stores.media.delete(pdf["id"])
    with pytest.raises(InvalidInput) as error:   # the file version 1 named is gone
        call(board, "rollback_document", acting("tong-bien-tap"), document["id"], {"to_version": 1, "version": 5})
    assert set(error.value.fields) == {"file"}
    with pytest.raises(NotFound):
        call(board, "rollback_document", acting("tong-bien-tap"), document["id"], {"to_version": 9, "version": 5})
    with pytest.raises(InvalidInput) as error:
        call(board, "rollback_document", acting("tong-bien-tap"), document["id"], {"to_version": 0})
    assert set(error.value.fields) == {"to_version", "version"}


def test_a_rollback_checks_the_restored_fields_again(board, stores):
    other = draft(board, number="13/2026/QĐ-UBND")
    document = draft(board)
    call(board, "update_document", acting("bien-tap"), document["id"], {**DECISION, "number": "14/2026/QĐ-UBND"}, 1)
    call(board, "update_document", acting("bien-tap"), other["id"], {**DECISION, "number": "12/2026/QĐ-UBND"}, 1)
    with pytest.raises(Conflict):   # its old number is another document's now
        call(board, "rollback_document", acting("bien-tap"), document["id"], {"to_version": 1, "version": 2})
    assert call(board, "get_document_draft", acting("bien-tap"), document["id"])["version"] == 2
