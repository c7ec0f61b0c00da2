"""Synonyms for administrative abbreviations, did-you-mean and autocomplete. Run against each
engine (see engine_config)."""
from datetime import timedelta

from services.common.events import utcnow


def test_abbreviations_and_what_they_stand_for_find_each_other(search_service):
    # Published by a unit whose name has none of the words searched for (unit names are
    # searchable), so the titles alone decide.
    elsewhere = {"unit": "so-tu-phap", "unit_name": "Sở Tư pháp"}
    search_service.publish("spelled", "Ủy ban nhân dân huyện Phú Vang tổ chức hội nghị", **elsewhere)
    search_service.publish("abbreviated", "UBND huyện Phú Vang họp phiên thường kỳ", **elsewhere)
    search_service.publish("old-spelling", "Uỷ ban nhân dân xã Phú Mậu tiếp dân", **elsewhere)
    # The same words, not together: not 'ủy ban nhân dân'.
    search_service.publish("scattered", "Nhân dân ủy thác cho ban quản lý chợ Phú Vang", **elsewhere)

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

    # The misspelled word matches its neighbour one edit away (test_misspelled_words_match_...),
    # and the correction is still offered.
    result = search_service.search("thu tuc hanh chnh")
    assert (sorted(hit["id"] for hit in result["hits"]), result["suggestion"]) == (
        ["tthc", "tthc-2"], "thu tuc hanh chinh")
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
                          "type": "article", "unit": "huong-tra", "unit_name": "Huyện Phú Vang",
                          "date": suggestion["date"]}


def test_autocomplete_puts_the_newer_of_equal_titles_first(search_service):
    now = utcnow()
    search_service.publish("older", "Lịch tiếp công dân", at=now - timedelta(days=9))
    search_service.publish("newer", "Lịch tiếp công dân", at=now - timedelta(days=1))

    suggestions = search_service.rpc.suggest("lich tiep c")["suggestions"]
    assert [suggestion["path"] for suggestion in suggestions] == ["/phu-vang/tin-tuc/newer", "/phu-vang/tin-tuc/older"]



def test_a_units_name_finds_its_items_below_those_naming_it(search_service):
    search_service.publish("own", "Tổ chức ngày hội đại đoàn kết", unit="phu-mau", unit_name="Xã Phú Mậu")
    search_service.publish("named", "Phú Mậu tổ chức ngày hội đại đoàn kết")  # Huyện Phú Vang's
    search_service.publish("office", "Ngày hội đại đoàn kết", unit="so-noi-vu", unit_name="Sở Nội vụ")

    assert search_service.ids("Phú Mậu") == ["named", "own"]
    assert search_service.ids("phu mau") == ["named", "own"]
    assert search_service.ids("ngay hoi phu mau") == ["named", "own"]
    assert search_service.ids("xã Phú Mậu") == ["own"]
    # A commune's site is its People's Committee's.
    assert search_service.ids("UBND xã Phú Mậu") == ["own"]
    assert search_service.ids("ủy ban nhân dân xã phú mậu ngày hội") == ["own"]
    assert search_service.ids("ngay hoi so noi vu") == ["office"]
    # A department is no local government: it has no People's Committee to be named by.
    assert search_service.ids("UBND Sở Nội vụ") == []


def test_misspelled_words_match_words_one_letter_away(search_service):
    search_service.publish("portal", "Chính quyền điện tử huyện Phú Vang", body="Cổng thông tin điện tử")
    search_service.publish("floods", "Phòng chống lụt bão năm 2026")

    # A wrong letter, one missing, one too many, two swapped.
    assert search_service.ids("thong tin dien tuu") == ["portal"]
    assert search_service.ids("phong chong luc bao") == ["floods"]
    assert search_service.ids("chin quyen dien tu") == ["portal"]
    assert search_service.ids("chinh quyenn dien tu") == ["portal"]
    assert search_service.ids("chinh qyuen dien tu") == ["portal"]
    # Not a wrong first letter, two wrong letters in a word, nor a wrong digit.
    assert search_service.ids("phong chong lut vao") == []
    assert search_service.ids("phong chong lucx bao") == []
    assert search_service.ids("phong chong lut bao nam 2025") == []



def test_only_words_the_index_does_not_know_are_guessed(search_service):
    search_service.publish("admin", "Thủ tục hành chính công")
    search_service.publish("goods", "Thủ tục hàng hóa")

    # Found once, but every word is one the index holds: taken as meant.
    assert search_service.ids("thu tuc hang") == ["goods"]
    # 'hanb' is no word here: its neighbours 'hành' and 'hàng' are.
    assert sorted(search_service.ids("thu tuc hanb")) == ["admin", "goods"]
