"""Units: a tree whose levels are data, merged and dissolved units, and who may change them."""
from datetime import datetime, timedelta

import pytest

from services.common import events
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.events import utcnow
from tests.content.conftest import ADMIN, arrived, received
from tests.drive import acting, call
from tests.servers import wait_for

PROFILE = {"name": "Xã Phú Mậu", "name_en": "Phu Mau Commune",
           "contact": {"address": "Phú Mậu, Phú Vang", "phone": "0234 3860 123", "email": "phumau@thuathienhue.gov.vn",
                       "responsible_official": "Nguyễn Văn A", "responsible_title": "Chủ tịch UBND xã"},
           "branding": {"banner_text": "Xã Phú Mậu", "accent_colour": "#0B4F8A"},
           "public_services_url": "https://dichvucong.thuathienhue.gov.vn",
           "managing_body": "Ủy ban nhân dân xã Phú Mậu", "licence": "Giấy phép số 12/GP-TTĐT ngày 15/3/2023"}


def test_the_tree_is_built_from_levels_that_are_data(tree, listener):
    assert [level["slug"] for level in call(tree, "list_levels")] == ["tinh", "huyen", "xa"]
    with pytest.raises(InvalidInput) as error:
        call(tree, "create_unit", acting(ADMIN), {"slug": "to-dan-pho", "name": "Tổ dân phố 1", "level": "to",
                                         "parent": "phu-mau"})
    assert "level" in error.value.fields
    call(tree, "create_level", acting(ADMIN), {"slug": "to", "name": "Tổ dân phố", "order": 3})
    deep = call(tree, "create_unit", acting(ADMIN), {"slug": "to-dan-pho", "name": "Tổ dân phố 1", "level": "to",
                                            "parent": "phu-mau"})
    assert deep["parent"] == "phu-mau" and deep["version"] == 1
    wait_for(lambda: any(e.unit.slug == "to-dan-pho" for e in received(events.UnitUpdated)), message="unit_updated")


def test_a_unit_says_when_it_got_its_site_in_every_version(tree, listener, stores):
    created = {e.unit.slug: e.unit.created_at for e in arrived(events.UnitUpdated, 4)}
    assert all(abs(utcnow() - moment) < timedelta(minutes=1) for moment in created.values())
    call(tree, "update_unit_profile", acting(ADMIN), "phu-mau", PROFILE)
    changed = wait_for(lambda: [e for e in received(events.UnitUpdated) if e.version == 2], message="the change")
    assert changed[0].unit.created_at == created["phu-mau"]

    # A unit created before the platform kept the time has none to tell.
    stores.db["units"].update_one({"_id": "phu-da"}, {"$unset": {"created_at": ""}})
    replayed = {e["payload"]["document_id"]: e["payload"]["unit"] for e in call(tree, "replay", "unit")["events"]}
    assert replayed["phu-da"]["created_at"] is None
    assert datetime.fromisoformat(replayed["phu-mau"]["created_at"]) == created["phu-mau"]


def test_a_unit_cannot_take_an_address_the_portal_uses_itself(tree):
    for slug in ("tim-kiem", "tep", "api"):
        with pytest.raises(InvalidInput) as error:
            call(tree, "create_unit", acting(ADMIN), {"slug": slug, "name": "Đơn vị thử", "level": "xa",
                                             "parent": "phu-vang"})
        assert "slug" in error.value.fields


def test_the_district_level_can_be_abolished_by_moving_its_communes(tree):
    commune = call(tree, "get_unit", "phu-mau")
    moved = call(tree, "place_unit", acting(ADMIN),
                 "phu-mau", {"level": "xa", "parent": "thua-thien-hue"}, commune["version"])
    assert moved["parent"] == "thua-thien-hue" and moved["version"] == commune["version"] + 1
    with pytest.raises(InvalidInput) as error:
        call(tree, "place_unit", acting(ADMIN), "thua-thien-hue", {"level": "tinh", "parent": "phu-mau"})
    assert "parent" in error.value.fields  # no loops


def test_a_merged_unit_resolves_to_its_successor_and_its_children_move(tree, listener):
    merged = call(tree, "merge_unit", acting(ADMIN), "phu-vang", {"successor": "thua-thien-hue"})
    assert merged["status"] == "merged" and merged["successor"] == "thua-thien-hue"
    assert call(tree, "resolve_unit", "phu-vang")["slug"] == "thua-thien-hue"
    assert call(tree, "get_unit", "phu-mau")["parent"] == "thua-thien-hue"
    with pytest.raises(Conflict):
        call(tree, "merge_unit", acting(ADMIN), "phu-vang", {"successor": "phu-mau"})  # already merged
    call(tree, "merge_unit", acting(ADMIN), "phu-da", {"successor": "phu-mau"})
    assert call(tree, "resolve_unit", "phu-da")["slug"] == "phu-mau"
    with pytest.raises(InvalidInput):
        call(tree, "create_article", acting(ADMIN), "phu-da", {"title": "Tin mới", "body_html": "<p>x</p>"})
    wait_for(lambda: any(e.unit.status == "merged" for e in received(events.UnitUpdated)), message="merge event")


def test_a_unit_with_active_children_cannot_be_dissolved(tree):
    with pytest.raises(Conflict):
        call(tree, "dissolve_unit", acting(ADMIN), "phu-vang")
    assert call(tree, "dissolve_unit", acting(ADMIN), "phu-da")["status"] == "dissolved"


def test_a_unit_admin_keeps_the_profile_and_nothing_else(board):
    unit = call(board, "get_unit", "phu-mau")
    updated = call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", PROFILE, unit["version"])
    assert updated["contact"]["responsible_official"] == "Nguyễn Văn A"
    assert updated["branding"]["accent_colour"] == "#0b4f8a"
    with pytest.raises(Conflict):
        call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", PROFILE, unit["version"])
    with pytest.raises(Forbidden):
        call(board, "update_unit_profile", acting("bien-tap"), "phu-mau", PROFILE)
    with pytest.raises(Forbidden):
        call(board, "update_unit_profile", acting("quan-tri"), "phu-da", PROFILE)
    with pytest.raises(Forbidden):
        call(board, "merge_unit", acting("quan-tri"), "phu-mau", {"successor": "phu-da"})
    with pytest.raises(Forbidden):
        call(board, "create_unit", acting("quan-tri"), {"slug": "xa-moi", "name": "Xã Mới", "level": "xa"})


@pytest.mark.parametrize("branding, field", [
    ({"accent_colour": "#ffcc00"}, "branding.accent_colour"),      # yellow under white text: unreadable
    ({"accent_colour": "blue"}, "branding.accent_colour"),
    ({"banner_image": "abc123"}, "branding"),                       # an image needs its alt text
])
def test_branding_must_stay_readable(board, branding, field):
    with pytest.raises(InvalidInput) as error:
        call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", {**PROFILE, "branding": branding})
    assert field in error.value.fields


def test_contact_fields_are_checked(board):
    with pytest.raises(InvalidInput) as error:
        call(board, "update_unit_profile", acting("quan-tri"), "phu-mau",
             {**PROFILE, "contact": {"email": "khong-phai-email", "phone": "gọi tôi"}})
    assert {"contact.email", "contact.phone"} <= set(error.value.fields)


def test_who_runs_the_site_is_kept_announced_and_checked(board, listener):
    updated = call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", PROFILE)
    assert (updated["managing_body"], updated["licence"]) == (PROFILE["managing_body"], PROFILE["licence"])
    announced = wait_for(lambda: [e for e in received(events.UnitUpdated)
                                  if e.unit.slug == "phu-mau" and e.unit.managing_body], message="the change")
    assert announced[0].unit.licence == PROFILE["licence"]
    assert call(board, "get_unit", "phu-da")["managing_body"] == ""  # left empty until its admin fills it
    with pytest.raises(InvalidInput) as error:
        call(board, "update_unit_profile", acting("quan-tri"), "phu-mau",
             {**PROFILE, "managing_body": "x" * 201, "licence": "y" * 301})
    assert {"managing_body", "licence"} <= set(error.value.fields)


CONTACT_POINT = {"name": "Lê Thị Hoa", "title": "Công chức Văn phòng - Thống kê", "phone": "0234 3860 124",
                 "email": "vanphong@phuvang.gov.vn"}


def test_the_contact_point_for_information_is_kept_announced_and_revised(board, listener):
    updated = call(board, "update_unit_profile", acting("quan-tri"), "phu-mau",
                   {**PROFILE, "information_contact": CONTACT_POINT})
    assert updated["information_contact"] == CONTACT_POINT
    assert updated["footer"]["information_contact"] == {**CONTACT_POINT, "inherited_from": None}
    announced = wait_for(lambda: [e for e in received(events.UnitUpdated)
                                  if e.unit.slug == "phu-mau" and e.unit.information_contact], message="the change")
    assert announced[0].unit.information_contact == CONTACT_POINT
    diff = call(board, "unit_diff", acting("quan-tri"), "phu-mau", 1, updated["version"])
    assert "information_contact" in str(diff) and "Lê Thị Hoa" in str(diff)
    # Left blank, it is no contact point at all (the footer then looks above the commune).
    blank = call(board, "update_unit_profile", acting("quan-tri"), "phu-mau",
                 {**PROFILE, "information_contact": {"name": "", "title": "", "phone": "", "email": None},
                  "version": updated["version"]})
    assert blank["information_contact"] is None and blank["footer"]["information_contact"] is None


@pytest.mark.parametrize("contact, field", [
    ({"name": "Lê Thị Hoa"}, "information_contact"),  # no way to reach her
    ({"phone": "0234 3860 124"}, "information_contact"),  # nobody named
    ({**CONTACT_POINT, "phone": "gọi tôi"}, "information_contact.phone"),
    ({**CONTACT_POINT, "email": "khong-phai-thu"}, "information_contact.email"),
    ({**CONTACT_POINT, "name": "x" * 201}, "information_contact.name"),
])
def test_a_contact_point_that_cannot_be_reached_is_refused_and_nothing_stored(board, contact, field):
    with pytest.raises(InvalidInput) as error:
        call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", {**PROFILE, "information_contact": contact})
    assert field in error.value.fields
    assert call(board, "get_unit", "phu-mau")["version"] == 1


def test_the_footer_takes_what_a_commune_left_empty_from_the_units_above(board):
    province = {"name": "Tỉnh Thừa Thiên Huế", "public_services_url": "https://dichvucong.thuathienhue.gov.vn/",
                "information_contact": {**CONTACT_POINT, "name": "Trần Văn Bình"}}
    call(board, "update_unit_profile", acting(ADMIN), "thua-thien-hue", province)
    footer = call(board, "get_unit", "phu-da")["footer"]
    district = {"slug": "phu-vang", "name": "Huyện Phú Vang"}
    top = {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế"}
    assert footer == {
        "managing_body": {"value": "Huyện Phú Vang", "inherited_from": district}, "licence": "",
        "information_contact": {**province["information_contact"], "inherited_from": top},
        "public_services_url": {"value": province["public_services_url"], "inherited_from": top}}
    # The district names its own contact point: the commune now shows the nearer one.
    call(board, "update_unit_profile", acting(ADMIN), "phu-vang",
         {"name": "Huyện Phú Vang", "information_contact": CONTACT_POINT})
    units = {unit["slug"]: unit for unit in call(board, "list_units", sort="name")}
    assert units["phu-da"]["footer"]["information_contact"] == {**CONTACT_POINT, "inherited_from": district}
    assert units["phu-da"]["information_contact"] is None  # its own profile stays empty
    # A district does not borrow the province's contact point; it shows none when it has none.
    call(board, "update_unit_profile", acting(ADMIN), "phu-vang", {"name": "Huyện Phú Vang", "version": 2})
    assert call(board, "get_unit", "phu-vang")["footer"]["information_contact"] is None
    # What a unit fills in itself is its own.
    commune = call(board, "update_unit_profile", acting("quan-tri"), "phu-mau", PROFILE)
    own = commune["footer"]
    assert own["managing_body"] == {"value": PROFILE["managing_body"], "inherited_from": None}
    assert own["public_services_url"] == {"value": commune["public_services_url"], "inherited_from": None}
    assert own["licence"] == PROFILE["licence"]
    assert call(board, "get_unit", "thua-thien-hue")["footer"]["managing_body"] == {"value": None,
                                                                                   "inherited_from": None}


def test_users_get_roles_only_from_those_who_administer_the_unit(board):
    with pytest.raises(Forbidden):
        call(board, "create_user", acting("quan-tri"),
             {"username": "x", "name": "Người X", "roles": {"phu-da": ["author"]}})
    created = call(board, "create_user", acting("quan-tri"), {"username": "phong-vien", "name": "Phóng viên",
                                                      "roles": {"phu-mau": ["author"]}})
    assert created["token"] and call(board, "authenticate", created["token"])["username"] == "phong-vien"
    with pytest.raises(Forbidden):
        call(board, "create_user", acting("quan-tri"), {"username": "y", "name": "Người Y", "platform_admin": True})
    with pytest.raises(InvalidInput) as error:
        call(board, "grant_role", acting("quan-tri"), "phong-vien", {"unit": "phu-mau", "role": "thu-ky"})
    assert "role" in error.value.fields
    granted = call(board, "grant_role", acting("quan-tri"), "phong-vien", {"unit": "phu-mau", "role": "editor"})
    assert granted["roles"] == \
        {"phu-mau": ["author", "editor"]}
