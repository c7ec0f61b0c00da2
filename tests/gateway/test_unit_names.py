"""Unit names in lists: a name that repeats is told apart by its parent's."""
import json
from pathlib import Path

from gateway.unit_names import distinct_names

DEMO_UNITS = Path(__file__).parents[2] / "deploy" / "demo" / "units_thua_thien_hue.json"


def unit(slug, name, parent=None):
    return {"slug": slug, "name": name, "parent": parent}


def test_the_demo_provinces_two_huong_phong_communes_are_named_with_their_districts():
    units = json.loads(DEMO_UNITS.read_text(encoding="utf-8"))["units"]
    names = distinct_names(units)
    assert names["xa-huong-phong-huong-tra"] == "Xã Hương Phong (Thị xã Hương Trà)"
    assert names["xa-huong-phong-a-luoi"] == "Xã Hương Phong (Huyện A Lưới)"
    assert len(set(names.values())) == len(units)
    # Every other unit keeps its own name.
    unique = [each for each in units if not each["slug"].startswith("xa-huong-phong-")]
    assert all(names[each["slug"]] == each["name"] for each in unique)


def test_a_name_repeated_under_same_named_parents_adds_the_grandparents():
    units = [unit("tinh-a", "Tỉnh A"), unit("tinh-b", "Tỉnh B"),
             unit("huyen-a", "Huyện Phú Lộc", "tinh-a"), unit("huyen-b", "Huyện Phú Lộc", "tinh-b"),
             unit("xa-a", "Xã Vinh Hiền", "huyen-a"), unit("xa-b", "Xã Vinh Hiền", "huyen-b")]
    names = distinct_names(units)
    assert names["huyen-a"] == "Huyện Phú Lộc (Tỉnh A)"
    assert names["xa-a"] == "Xã Vinh Hiền (Huyện Phú Lộc, Tỉnh A)"
    assert names["xa-b"] == "Xã Vinh Hiền (Huyện Phú Lộc, Tỉnh B)"


def test_names_are_compared_as_read_ignoring_case_and_spaces():
    units = [unit("h1", "Huyện Một"), unit("h2", "Huyện Hai"),
             unit("x1", "Xã  Hương Phong", "h1"), unit("x2", "xã Hương Phong", "h2")]
    names = distinct_names(units)
    assert names["x1"] == "Xã  Hương Phong (Huyện Một)"
    assert names["x2"] == "xã Hương Phong (Huyện Hai)"


def test_a_repeated_name_without_parent_stays_as_it_is_and_a_looping_tree_ends_the_search():
    units = [unit("a", "Sở Y tế"), unit("b", "Sở Y tế"), unit("c", "Xã C", "d"), unit("d", "Xã C", "c")]
    names = distinct_names(units)
    assert names["a"] == names["b"] == "Sở Y tế"
    assert names["c"] == names["d"] == "Xã C (Xã C)"  # each parent named once, no endless climb
