"""Conformance: which of the items the law asks of a unit's level its site carries, from what the
content database holds; and the file those items are read from, checked at start-up."""
from datetime import timedelta
from pathlib import Path

import pytest

from services.common.errors import InvalidInput, NotFound
from services.content import required_sections
from services.content.database import now
from services.content.required_sections import RequiredSectionsError
from tests.drive import acting, call

ADMIN = "admin"
PAGE = {"title": "Giới thiệu chung", "body_html": "<p>Xã Phú Mậu nằm bên sông Hương.</p>"}


def status_of(report: dict) -> dict[str, str]:
    return {item["key"]: item["status"] for item in report["items"]}


def item_of(report: dict, key: str) -> dict:
    return next(item for item in report["items"] if item["key"] == key)


# The file

def test_the_file_loads_and_each_level_owes_its_items():
    sections = required_sections.SECTIONS
    assert sections.version and len(sections.items) >= 20
    commune = [item.key for item in required_sections.for_level("xa")]
    assert "gioi-thieu" in commune and "thong-ke" not in commune and "khoa-hoc-cong-nghe" not in commune
    assert "khoa-hoc-cong-nghe" in [item.key for item in required_sections.for_level("so-nganh")]
    assert required_sections.for_level("khong-co-cap-nay") == ()
    assert sections.get("tin-tuc").path_for("phu-mau") == "/phu-mau"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = required_sections.SOURCE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "required_sections.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('check = "page"', 'check = "pages"', r"item 1 \('gioi-thieu'\): check"),
    ('key = "chuc-nang-nhiem-vu"', 'key = "gioi-thieu"', r"item 2 \('gioi-thieu'\): key 'gioi-thieu' appears twice"),
    ('path = "/{unit}/lich-cong-tac"', 'path = "https://example.com/lich"', r"'lich-cong-tac'\).*path"),
    ('target = "contact.phone"', 'target = "contact.fax"', r"'dien-thoai'\).*profile target"),
    ('target = "ngan-sach"\npath', 'target = "ngan-sach-nha-nuoc"\npath', r"'ngan-sach'\).*no \[\[disclosure\]\]"),
    ("fresh_days = 14", "fresh_days = -1", r"'tin-tuc'\): fresh_days"),
])
def test_a_slip_in_the_file_is_an_error_naming_the_item(tmp_path, old, new, message):
    with pytest.raises(RequiredSectionsError, match=message):
        required_sections.load(broken(tmp_path, old, new))


def test_a_file_that_is_not_toml_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "required_sections.toml"
    path.write_text("[[item]\nkey = 1", encoding="utf-8")
    with pytest.raises(RequiredSectionsError, match="required_sections.toml"):
        required_sections.load(path)


def test_the_rpc_lists_the_items_a_level_owes(tree):
    everything = call(tree, "required_sections")
    assert [item["key"] for item in everything["items"]] == [item.key for item in required_sections.SECTIONS.items]
    commune = call(tree, "required_sections", "xa")["items"]
    assert all("xa" in item["levels"] for item in commune) and len(commune) < len(everything["items"])
    assert item_of({"items": commune}, "lich-cong-tac")["path"] == "/{unit}/lich-cong-tac"


# One unit

def test_a_new_unit_has_only_what_the_platform_makes_and_the_province_s_public_services(tree):
    report = call(tree, "conformance", "phu-mau")
    statuses = status_of(report)
    assert report["owed"] == len(required_sections.for_level("xa")) == len(statuses)
    assert statuses["danh-muc-thong-tin"] == "present"
    # No collection of procedures or drafts exists yet: those are simply missing.
    assert statuses["thu-tuc-hanh-chinh"] == statuses["du-thao"] == statuses["tin-tuc"] == "missing"
    assert statuses["dich-vu-cong"] == "missing"  # the province has no address for them either
    # Its footer names its district as the managing body, as the site shows it.
    assert statuses["co-quan-chu-quan"] == "present" and statuses["dau-moi-cung-cap-thong-tin"] == "missing"
    assert report["present"] == 2 and report["missing"] == report["owed"] - 2
    assert report["score"] == round(2 / report["owed"], 4)
    assert status_of(call(tree, "conformance", "thua-thien-hue"))["co-quan-chu-quan"] == "missing"
    gioi_thieu = item_of(report, "gioi-thieu")
    assert gioi_thieu["path"] == "/phu-mau/gioi-thieu/gioi-thieu" and gioi_thieu["newest"] is None
    assert gioi_thieu["source"].startswith("Nghị định 42/2022/NĐ-CP")
    assert (report["level"], report["level_name"]) == ("xa", "Xã, phường, thị trấn")


def test_an_unknown_unit_is_not_found(tree):
    with pytest.raises(NotFound):
        call(tree, "conformance", "khong-co")


def test_published_entries_count_and_old_ones_are_out_of_date(tree, stores):
    db = stores.db
    moment = now()
    call(tree, "create_page", acting(ADMIN), "phu-mau", {"key": "gioi-thieu", "lang": "vi", **PAGE})
    call(tree, "create_page", acting(ADMIN), "phu-mau", {"key": "lien-he", "lang": "en",
                                                         "title": "Contact", "body_html": "<p>Phu Mau</p>"})
    call(tree, "update_unit_profile", acting(ADMIN), "thua-thien-hue",
         {"name": "Tỉnh Thừa Thiên Huế", "public_services_url": "https://dichvucong.thuathienhue.gov.vn"})
    call(tree, "update_unit_profile", acting(ADMIN), "phu-mau", {
        "name": "Xã Phú Mậu", "contact": {"address": "Thôn Lại Thế, xã Phú Mậu", "phone": "0234 3860 000"},
        "information_contact": {"name": "Nguyễn Văn A", "title": "Văn phòng", "phone": "0234 3860 001"}})
    # Written as the other areas store them: a month-old article (news is fresh for 14 days), a
    # budget disclosure last month, a draft document, a procedure and a draft put out for comment.
    db["articles"].insert_many([
        {"_id": "a1", "unit": "phu-mau", "slug": "a1", "status": "published",
         "published_at": moment - timedelta(days=30)},
        {"_id": "a2", "unit": "phu-mau", "slug": "a2", "status": "draft", "published_at": None}])
    db["documents"].insert_many([
        {"_id": "d1", "unit": "phu-mau", "number_key": "1", "status": "published", "section": "ngan-sach",
         "published_at": moment - timedelta(days=20)},
        {"_id": "d2", "unit": "phu-mau", "number_key": "2", "status": "draft", "section": "dau-tu-mua-sam",
         "published_at": None}])
    db["procedures"].insert_one({"_id": "p1", "unit": "phu-mau", "status": "published", "name": "Khai sinh",
                                 "published_at": moment - timedelta(days=400),
                                 "updated_at": moment - timedelta(days=2)})
    db["consultations"].insert_one({"_id": "c1", "unit": "phu-mau", "status": "open", "title": "Dự thảo",
                                    "opens_at": moment - timedelta(days=400),
                                    "published_at": moment - timedelta(days=3)})
    db["questions"].insert_one({"_id": "q1", "unit": "phu-mau", "status": "published",
                                "published_at": moment - timedelta(days=200)})
    report = call(tree, "conformance", "phu-mau")
    statuses = status_of(report)
    assert statuses["gioi-thieu"] == statuses["lien-he-en"] == "present"
    assert statuses["lien-he"] == "missing"  # only its English page exists
    assert statuses["dia-chi"] == statuses["dien-thoai"] == statuses["dau-moi-cung-cap-thong-tin"] == "present"
    assert statuses["thu-dien-tu"] == "missing" and statuses["co-quan-chu-quan"] == "present"
    assert statuses["dich-vu-cong"] == "present"  # the province's address serves the commune
    assert statuses["tin-tuc"] == "out_of_date"
    assert item_of(report, "tin-tuc")["newest"][:10] == (moment - timedelta(days=30)).isoformat()[:10]
    assert statuses["ngan-sach"] == statuses["van-ban"] == "present"  # any section counts as a document
    assert statuses["dau-tu-mua-sam"] == "missing"  # a draft is not there for the public
    assert statuses["thu-tuc-hanh-chinh"] == "present"  # updated two days ago, though first published long ago
    assert statuses["du-thao"] == "present"
    assert statuses["hoi-dap"] == "out_of_date"  # 200 days > 90
    assert statuses["lich-cong-tac"] == "missing"
    assert report["present"] + report["missing"] + report["out_of_date"] == report["owed"]
    assert report["score"] == round(report["present"] / report["owed"], 4)
    # Phú Đa next door has none of it.
    assert status_of(call(tree, "conformance", "phu-da"))["tin-tuc"] == "missing"


# The province

def test_the_report_counts_every_active_unit_and_each_level(tree, stores):
    db = stores.db
    moment = now()
    db["articles"].insert_many([{"_id": f"a-{slug}", "unit": slug, "slug": "a", "status": "published",
                                 "published_at": moment} for slug in ("phu-mau", "phu-vang")])
    report = call(tree, "conformance_report")
    rows = {row["unit"]: row for row in report["units"]}
    assert [row["level"] for row in report["units"]] == ["tinh", "huyen", "xa", "xa"]  # the tree's order
    assert rows["phu-mau"]["present"] == 3 and rows["phu-da"]["present"] == 2  # with the managing body
    for row in rows.values():
        single = call(tree, "conformance", row["unit"])
        assert {key: single[key] for key in ("owed", "present", "missing", "out_of_date", "score")} == \
            {key: row[key] for key in ("owed", "present", "missing", "out_of_date", "score")}
    communes = next(level for level in report["levels"] if level["level"] == "xa")
    assert (communes["units"], communes["present"]) == (2, 5)
    news = next(item for item in communes["items"] if item["key"] == "tin-tuc")
    assert (news["units"], news["present"]) == (2, 1)
    assert communes["score"] == round(5 / communes["owed"], 4)


def test_a_dissolved_unit_leaves_the_report(tree):
    unit = call(tree, "get_unit", "phu-da")
    call(tree, "dissolve_unit", acting(ADMIN), "phu-da", {"version": unit["version"]})
    assert "phu-da" not in {row["unit"] for row in call(tree, "conformance_report")["units"]}


def test_no_unit_may_take_the_province_s_conformance_address(tree):
    with pytest.raises(InvalidInput):
        call(tree, "create_unit", acting(ADMIN), {"slug": "tuan-thu", "name": "Tuân thủ", "level": "xa",
                                                  "parent": "phu-vang"})


def test_a_commune_s_contact_point_may_be_the_one_above_it_as_its_footer_shows(tree):
    contact = {"name": "Hoàng Văn Minh", "title": "Chánh Văn phòng", "phone": "0234 3822 555"}
    call(tree, "update_unit_profile", acting(ADMIN), "thua-thien-hue",
         {"name": "Tỉnh Thừa Thiên Huế", "information_contact": contact})
    assert status_of(call(tree, "conformance", "phu-mau"))["dau-moi-cung-cap-thong-tin"] == "present"
    rows = {row["unit"]: row for row in call(tree, "conformance_report")["units"]}
    assert rows["phu-mau"]["present"] == rows["phu-da"]["present"] == 3
