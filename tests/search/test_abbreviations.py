"""The abbreviations file (services/search/abbreviations.toml): every entry sourced, enough of
them for what citizens type, both directions through the search service on each engine, and a
malformed file refused with a message that names the entry."""
from pathlib import Path

import pytest

from services.search.synonyms import Synonyms
from services.search.text import fold, words

SHIPPED = Synonyms.load()


def folded(text: str) -> list[str]:
    return [fold(word.text) for word in words(text)]


def test_every_entry_names_its_source_and_there_are_enough():
    entries = SHIPPED.entries()
    assert len(entries) >= 60
    for entry in entries:
        assert entry.short and entry.means, entry
        # A citable text: a law, decree, circular, decision or resolution, with its number.
        assert any(kind in entry.source for kind in ("Luật", "Nghị định", "Thông tư", "Quyết định", "Nghị quyết",
                                                     "Hiến pháp", "Pháp lệnh", "Bộ luật")), entry
        assert any(char.isdigit() for char in entry.source), entry


@pytest.mark.parametrize("short, meaning", [
    ("UBND", "ủy ban nhân dân"), ("HĐND", "hội đồng nhân dân"), ("BHXH", "bảo hiểm xã hội"),
    ("BHYT", "bảo hiểm y tế"), ("BHTN", "bảo hiểm thất nghiệp"), ("CCCD", "căn cước công dân"),
    ("CMND", "chứng minh nhân dân"), ("ĐBQH", "đại biểu quốc hội"), ("THPT", "trung học phổ thông"),
    ("THCS", "trung học cơ sở"), ("TTHC", "thủ tục hành chính"), ("DVC", "dịch vụ công"),
    ("DVCTT", "dịch vụ công trực tuyến"), ("GPLX", "giấy phép lái xe"),
    ("GCN QSDĐ", "giấy chứng nhận quyền sử dụng đất"), ("QSDĐ", "quyền sử dụng đất"),
    ("MTTQ", "mặt trận tổ quốc"), ("CAND", "công an nhân dân"), ("CAX", "công an xã"),
    ("TAND", "tòa án nhân dân"), ("VKSND", "viện kiểm sát nhân dân"), ("KT-XH", "kinh tế xã hội"),
    ("NTM", "nông thôn mới"), ("GPMB", "giải phóng mặt bằng"), ("TĐC", "tái định cư"),
    ("ĐTM", "đánh giá tác động môi trường"), ("PCCC", "phòng cháy chữa cháy"), ("ATGT", "an toàn giao thông"),
    ("ATTP", "an toàn thực phẩm"), ("CNTT", "công nghệ thông tin"), ("CĐS", "chuyển đổi số"),
    ("TP", "thành phố"), ("TX", "thị xã"), ("KP", "khu phố"), ("TDP", "tổ dân phố"),
])
def test_what_citizens_type_expands_both_ways_folded(short, meaning):
    for typed in (short, short.lower(), fold(short)):  # 'HĐND', 'hđnd', 'hdnd'
        length, others = SHIPPED.match(folded(typed), 0)
        assert length == len(folded(short)) and fold(meaning) in map(fold, others), typed
    length, others = SHIPPED.match(folded(meaning), 0)
    assert length == len(folded(meaning)) and fold(short) in map(fold, others)


def test_a_short_form_typed_with_telex_keys_expands_too():
    # Telex types 'Đ' as 'dd': with the keyboard off, 'ĐBQH' arrives as 'ddbqh'.
    for typed, meaning in [("ddbqh", "đại biểu quốc hội"), ("HDDND", "hội đồng nhân dân"),
                           ("gcn qsddd", "giấy chứng nhận quyền sử dụng đất")]:
        length, others = SHIPPED.match(folded(typed), 0)
        assert length == len(folded(typed)) and meaning in others, typed


def test_everyday_names_are_not_abbreviations():
    # 'sổ đỏ' folds to 'sơ đồ': see the header of abbreviations.toml.
    assert SHIPPED.match(["so", "do"], 0) is None


def test_an_abbreviation_mixes_with_ordinary_words(search_service):
    elsewhere = {"unit": "so-tu-phap", "unit_name": "Sở Tư pháp"}  # a unit name with none of the words
    search_service.publish("cccd-full", "Thủ tục cấp lại thẻ căn cước công dân khi bị mất", **elsewhere)
    search_service.publish("cccd-short", "Thủ tục cấp CCCD gắn chip cho người đủ 14 tuổi", **elsewhere)
    search_service.publish("dbqh-full", "Lịch tiếp công dân của đại biểu Quốc hội tháng 12", **elsewhere)
    search_service.publish("dbqh-short", "ĐBQH tỉnh thông báo lịch tiếp dân quý IV", **elsewhere)
    search_service.publish("chairman", "Lịch tiếp công dân của Chủ tịch xã tháng 12", **elsewhere)
    search_service.publish("bhxh", "Bảo hiểm xã hội tự nguyện: mức đóng năm 2026", **elsewhere)

    assert search_service.ids("cấp lại CCCD bị mất") == ["cccd-full"]
    assert sorted(search_service.ids("thủ tục cấp căn cước công dân")) == ["cccd-full", "cccd-short"]
    for query in ("lịch tiếp dân ĐBQH", "lich tiep dan dbqh", "lich tiep dan ddbqh", "lịch tiếp dân đại biểu quốc hội"):
        found = search_service.ids(query)
        assert sorted(found[:2]) == ["dbqh-full", "dbqh-short"], query
    assert search_service.ids("mức đóng BHXH tự nguyện") == ["bhxh"]


def entry(short: str = "'UBND'", means: str = "'ủy ban nhân dân'", source: str = "'Luật số 77/2015/QH13'",
          extra: str = "") -> str:
    lines = [f"short = [{short}]" if short else "", f"means = [{means}]" if means else "",
             f"source = {source}" if source else "", extra]
    return "[[abbreviation]]\n" + "\n".join(line for line in lines if line) + "\n"


@pytest.mark.parametrize("text, problem", [
    (entry(source=""), r"abbreviation 1 \(UBND\): missing source"),
    (entry(source="'  '"), r"abbreviation 1 \(UBND\): no source"),
    (entry() + entry("'HĐND'", "'hội đồng nhân dân'", source=""), r"abbreviation 2 \(HĐND\): missing source"),
    (entry(means=""), r"abbreviation 1 \(UBND\): missing means"),
    (entry(means="'---'"), r"abbreviation 1 \(UBND\): '---' has no words"),
    (entry(extra="sources = 'x'"), r"abbreviation 1 \(UBND\): unknown key\(s\) sources"),
    (entry(short="'UBND', 'ubnd'"), r"abbreviation 1 \(UBND\): 'ubnd' is given twice"),
    (entry() + entry("'ubnd'", "'uỷ ban'"), r"abbreviation 2 \(ubnd\): 'ubnd' is also in abbreviation 1 \(UBND\)"),
    (entry("'P.'", "'phường'"), r"abbreviation 1 \(P.\): 'P.' is too short"),
    (entry(short="1"), r"abbreviation 1: short must be a list"),
    (entry(source="'unclosed"), "not valid TOML"),
    ("[abbreviations]\nshort = 1", "unknown table"),
])
def test_a_malformed_file_is_refused_naming_the_entry(text, problem, tmp_path):
    path = tmp_path / "abbreviations.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        Synonyms.load(path)



def test_the_readme_gives_the_count():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"holds {len(SHIPPED.entries())} abbreviations" in readme
