"""Synonyms for administrative abbreviations, did-you-mean and autocomplete. Run against each
engine (see engine_config)."""
from datetime import timedelta

from services.common.events import utcnow


def test_abbreviations_and_what_they_stand_for_find_each_other(search_service):
    search_service.publish("spelled", "Ủy ban nhân dân huyện Phú Vang tổ chức hội nghị")
    search_service.publish("abbreviated", "UBND huyện Phú Vang họp phiên thường kỳ")
    search_service.publish("old-spelling", "Uỷ ban nhân dân xã Phú Mậu tiếp dân")
    # The same words, not together: not 'ủy ban nhân dân'.
    search_service.publish("scattered", "Nhân dân ủy thác cho ban quản lý chợ Phú Vang")

    assert sorted(search_service.ids("UBND Phú Vang")) == ["abbreviated", "spelled"]
    assert sorted(search_service.ids("ủy ban nhân dân Phú Vang")) == ["abbreviated", "scattered", "spelled"]
    assert sorted(search_service.ids("ubnd")) == ["abbreviated", "old-spelling", "spelled"]
    assert sorted(search_service.ids("uy ban nhan dan xa")) == ["old-spelling"]
    assert search_service.ids("UBND Phú Mậu") == ["old-spelling"]


def test_other_government_abbreviations(search_service):
    search_service.publish("tthc", "Công khai thủ tục hành chính năm 2026")
    search_service.publish("dvc", "Nộp hồ sơ qua DVC trực tuyến")
    search_service.publish("hdnd", "Kỳ họp thứ mười HĐND huyện")
    search_service.publish("ttdt", "Nâng cấp trang thông tin điện tử của xã")
    search_service.publish("ccvc", "Tuyển dụng công chức, viên chức năm 2026")

    assert search_service.ids("TTHC") == ["tthc"]
    assert search_service.ids("dịch vụ công trực tuyến") == ["dvc"]
    assert search_service.ids("hội đồng nhân dân") == ["hdnd"]
    assert search_service.ids("TTĐT xã") == ["ttdt"]
    assert search_service.ids("ttdt") == ["ttdt"]
    assert search_service.ids("tuyển dụng CCVC") == ["ccvc"]


def test_did_you_mean_corrects_misspelled_words_from_the_titles(search_service):
    search_service.publish("tthc", "Công khai thủ tục hành chính")
    search_service.publish("tthc-2", "Hướng dẫn thủ tục hành chính đất đai")
    search_service.publish("cds", "Chuyển đổi số ở cấp xã")

    result = search_service.search("thu tuc hanh chnh")
    assert (result["total"], result["suggestion"]) == (0, "thu tuc hanh chinh")
    assert search_service.search("thủ tục hàng chíh")["suggestion"] == "thủ tục hành chính"
    # A swap of two neighbouring letters counts as one edit.
    assert search_service.search("chuyne doi so")["suggestion"] == "chuyen doi so"
    # Found plenty as typed, or nothing close: no suggestion.
    assert search_service.search("thu tuc hanh chinh")["suggestion"] is None
    assert search_service.search("xyzzy")["suggestion"] is None
    # The suggestion must find more than the query did, under the same filters.
    assert search_service.search("thu tuc hanh chnh", filters={"type": "document"})["suggestion"] is None


def test_autocomplete_offers_titles_whose_words_start_as_typed(search_service):
    now = utcnow()
    search_service.publish("tthc", "Thủ tục hành chính công", at=now - timedelta(days=3))
    search_service.publish("guide", "Hướng dẫn thủ tục hành chính", at=now - timedelta(days=1))
    search_service.publish("pm", "Thủ tướng thăm tỉnh", at=now - timedelta(days=2))
    search_service.publish("jobs", "Thông báo tuyển dụng viên chức", unit="huong-tra")
    search_service.publish("report", "Báo cáo thông tin tháng", at=now - timedelta(days=30))
    search_service.publish_document("d1", "4/2026/QĐ-UBND", "Về thủ tục hành chính")

    assert set(search_service.suggest("thu t")) == {
        "Hướng dẫn thủ tục hành chính", "Thủ tục hành chính công", "Thủ tướng thăm tỉnh"}
    assert set(search_service.suggest("Thủ tục")) == {"Hướng dẫn thủ tục hành chính", "Thủ tục hành chính công"}
    assert search_service.suggest("tuyen") == ["Thông báo tuyển dụng viên chức"]
    assert search_service.suggest("quyet dinh so 4/") == ["Quyết định số 4/2026/QĐ-UBND"]
    # Words typed next to each other rank above the same words apart; newer first among equals.
    assert search_service.suggest("thong b") == ["Thông báo tuyển dụng viên chức", "Báo cáo thông tin tháng"]
    # After a space the last word is finished: it must be a whole word of the title.
    assert search_service.suggest("thu tuong ") == ["Thủ tướng thăm tỉnh"]
    assert search_service.suggest("thu tuo ") == []
    assert search_service.suggest("tuyen", unit="phu-vang") == []
    assert len(search_service.suggest("th", limit=2)) == 2
    assert search_service.suggest("zzz") == []

    [suggestion] = search_service.rpc.suggest("tuyen dung")["suggestions"]
    assert suggestion == {"title": "Thông báo tuyển dụng viên chức", "path": "/huong-tra/tin-tuc/jobs",
                          "type": "article", "unit": "huong-tra", "unit_name": "UBND huyện Phú Vang",
                          "date": suggestion["date"]}


def test_autocomplete_puts_the_newer_of_equal_titles_first(search_service):
    now = utcnow()
    search_service.publish("older", "Lịch tiếp công dân", at=now - timedelta(days=9))
    search_service.publish("newer", "Lịch tiếp công dân", at=now - timedelta(days=1))

    suggestions = search_service.rpc.suggest("lich tiep c")["suggestions"]
    assert [suggestion["path"] for suggestion in suggestions] == ["/phu-vang/tin-tuc/newer", "/phu-vang/tin-tuc/older"]
