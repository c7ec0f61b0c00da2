"""The demo data of Thừa Thiên Huế's real units as they stood in 2018 (deploy/demo/units_thua_thien_hue.json):
the province, its departments, its 9 district-level units and its 152 communes, wards and townships."""

from __future__ import annotations

import collections
import json
import re
import unicodedata
from pathlib import Path

import pytest

from services.content.text import folded_key

DATA = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "units_thua_thien_hue.json"

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LEVELS = ["tinh", "so-nganh", "huyen", "xa"]
KINDS_BY_LEVEL = {
    "tinh": {"tinh"},
    "so-nganh": {"so", "ban"},
    "huyen": {"thanh-pho", "thi-xa", "huyen"},
    "xa": {"phuong", "xa", "thi-tran"},
}
# The Vietnamese word each kind's name starts with. "so" covers the sở and the agencies of equal rank
# (Văn phòng Ủy ban nhân dân tỉnh, Thanh tra tỉnh).
NAME_PREFIXES = {
    "tinh": ("Tỉnh ",),
    "so": ("Sở ", "Văn phòng ", "Thanh tra "),
    "ban": ("Ban ",),
    "thanh-pho": ("Thành phố ",),
    "thi-xa": ("Thị xã ",),
    "huyen": ("Huyện ",),
    "phuong": ("Phường ",),
    "xa": ("Xã ",),
    "thi-tran": ("Thị trấn ",),
}
# Commune-level units per district-level unit in 2018 (GSO list, before the 2019-2021 mergers).
EXPECTED_COMMUNES = {
    "thanh-pho-hue": 27,
    "thi-xa-huong-thuy": 12,
    "thi-xa-huong-tra": 16,
    "huyen-phong-dien": 16,
    "huyen-quang-dien": 11,
    "huyen-phu-vang": 20,
    "huyen-phu-loc": 18,
    "huyen-a-luoi": 21,
    "huyen-nam-dong": 11,
}
EXPECTED_KINDS = {"phuong": 39, "thi-tran": 8, "xa": 105, "thanh-pho": 1, "thi-xa": 2, "huyen": 6}


@pytest.fixture(scope="module")
def doc():
    with DATA.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def units(doc):
    return doc["units"]


@pytest.fixture(scope="module")
def by_slug(units):
    return {u["slug"]: u for u in units}


def of_level(units, level):
    return [u for u in units if u["level"] == level]


def test_source_is_stated(doc):
    assert isinstance(doc["source"], str) and doc["source"].strip()
    assert "2018" in doc["source"]


def test_levels_are_the_four_of_2018(doc):
    assert [lv["slug"] for lv in doc["levels"]] == LEVELS
    assert all(lv["name"].strip() for lv in doc["levels"])


def test_every_unit_has_the_fields(units):
    for u in units:
        assert set(u) == {"slug", "name", "name_en", "level", "parent", "kind"}, u
        assert u["level"] in LEVELS, u
        assert u["kind"] in KINDS_BY_LEVEL[u["level"]], u


def test_exactly_one_province(units):
    provinces = of_level(units, "tinh")
    assert len(provinces) == 1
    assert provinces[0]["slug"] == "thua-thien-hue"
    assert provinces[0]["name"] == "Tỉnh Thừa Thiên Huế"
    assert provinces[0]["parent"] is None


def test_exactly_nine_district_level_units(units):
    assert sorted(u["slug"] for u in of_level(units, "huyen")) == sorted(EXPECTED_COMMUNES)


def test_exactly_152_commune_level_units(units):
    assert sum(EXPECTED_COMMUNES.values()) == 152
    assert EXPECTED_COMMUNES["thanh-pho-hue"] == 27
    assert len(of_level(units, "xa")) == 152


def test_commune_count_of_each_district_level_unit(units):
    counts = collections.Counter(u["parent"] for u in of_level(units, "xa"))
    assert dict(counts) == EXPECTED_COMMUNES


def test_kinds_add_up(units):
    counts = collections.Counter(u["kind"] for u in units if u["level"] in ("huyen", "xa"))
    assert dict(counts) == EXPECTED_KINDS


def test_slugs_unique_and_well_formed(units):
    slugs = [u["slug"] for u in units]
    duplicates = [s for s, n in collections.Counter(slugs).items() if n > 1]
    assert not duplicates
    bad = [s for s in slugs if not SLUG.match(s)]
    assert not bad


def test_parents_exist_and_are_one_level_up(units, by_slug):
    for u in units:
        if u["level"] == "tinh":
            assert u["parent"] is None
            continue
        parent = by_slug.get(u["parent"])
        assert parent is not None, u
        expected = "huyen" if u["level"] == "xa" else "tinh"
        assert parent["level"] == expected, u


def test_names_start_with_their_kind(units):
    for u in units:
        assert u["name"].strip() == u["name"], u
        assert u["name"].startswith(NAME_PREFIXES[u["kind"]]), u
        assert len(u["name"]) > max(len(p) for p in NAME_PREFIXES[u["kind"]] if u["name"].startswith(p)), u


def test_names_are_composed_and_in_the_provinces_spelling(units):
    # NFC, so equal names compare equal; "Thủy", "Hòa" (not "Thuỷ", "Hoà") as in the province's documents.
    old_style = re.compile(r"(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)")
    for u in units:
        assert unicodedata.normalize("NFC", u["name"]) == u["name"], u
        assert not old_style.search(u["name"]), u


def test_english_names(units):
    suffix = {
        "tinh": " Province",
        "thanh-pho": " City",
        "thi-xa": " Town",
        "huyen": " District",
        "phuong": " Ward",
        "xa": " Commune",
        "thi-tran": " Township",
    }
    for u in units:
        assert u["name_en"].strip() and u["name_en"].isascii(), u
        if u["kind"] in suffix:
            assert u["name_en"].endswith(suffix[u["kind"]]), u


def test_administrative_slugs_are_the_folded_names(units, by_slug):
    """A unit's slug is its folded name; only where two units fold to the same slug does a suffix
    tell them apart (the district's short slug, or -2 within one district)."""
    folded = collections.Counter(folded_key(u["name"]) for u in units if u["level"] in ("huyen", "xa"))
    for u in units:
        if u["level"] not in ("huyen", "xa"):
            continue
        base = folded_key(u["name"])
        if folded[base] == 1:
            assert u["slug"] == base, u
        else:
            parent = by_slug[u["parent"]]
            district_short = folded_key(parent["name"].removeprefix(NAME_PREFIXES[parent["kind"]][0]))
            suffix = u["slug"][len(base) + 1 :]
            assert u["slug"] == base or (u["slug"].startswith(base + "-") and suffix in (district_short, "2", "3")), u


def test_namesakes_in_two_districts_carry_their_district(by_slug):
    assert by_slug["xa-huong-phong-huong-tra"]["parent"] == "thi-xa-huong-tra"
    assert by_slug["xa-huong-phong-a-luoi"]["parent"] == "huyen-a-luoi"
    assert "xa-huong-phong" not in by_slug
    assert {by_slug["phuong-huong-van"]["name"], by_slug["phuong-huong-van-2"]["name"]} == {
        "Phường Hương Vân",
        "Phường Hương Văn",
    }


def test_units_named_in_the_seed_article(units):
    names = {(u["name"], u["parent"]) for u in units}
    assert ("Phường Thủy Biều", "thanh-pho-hue") in names
    assert ("Xã Quảng Thái", "huyen-quang-dien") in names
    hue = [u for u in units if u["parent"] == "thanh-pho-hue"]
    assert all(u["kind"] == "phuong" for u in hue) and len(hue) == 27


def test_district_level_units(by_slug):
    expected = {
        "thanh-pho-hue": ("Thành phố Huế", "thanh-pho"),
        "thi-xa-huong-thuy": ("Thị xã Hương Thủy", "thi-xa"),
        "thi-xa-huong-tra": ("Thị xã Hương Trà", "thi-xa"),
        "huyen-phong-dien": ("Huyện Phong Điền", "huyen"),
        "huyen-quang-dien": ("Huyện Quảng Điền", "huyen"),
        "huyen-phu-vang": ("Huyện Phú Vang", "huyen"),
        "huyen-phu-loc": ("Huyện Phú Lộc", "huyen"),
        "huyen-a-luoi": ("Huyện A Lưới", "huyen"),
        "huyen-nam-dong": ("Huyện Nam Đông", "huyen"),
    }
    for slug, (name, kind) in expected.items():
        assert (by_slug[slug]["name"], by_slug[slug]["kind"], by_slug[slug]["parent"]) == (name, kind, "thua-thien-hue")


def test_departments(units):
    names = {u["name"] for u in of_level(units, "so-nganh")}
    for name in [
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        "Sở Thông tin và Truyền thông",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Xây dựng",
        "Sở Giao thông vận tải",
        "Sở Tài nguyên và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Công Thương",
        "Sở Khoa học và Công nghệ",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Văn hóa và Thể thao",
        "Sở Du lịch",
        "Sở Tư pháp",
        "Thanh tra tỉnh",
        "Ban Dân tộc",
    ]:
        assert name in names, name
    for u in of_level(units, "so-nganh"):
        assert u["parent"] == "thua-thien-hue"
