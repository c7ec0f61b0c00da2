"""The demo's unit profiles (deploy/demo_site.py) and the introduction pages deploy/demo_pages.py
adds, loaded through the real content service: every unit reachable and with a contact point of
its own or, for about half the communes, its district's; the pages worded for the unit's level;
about one unit in six without its leaders' page and English organisation; a second load adds
nothing."""
from __future__ import annotations

import json
from datetime import datetime

from nameko.standalone.rpc import ClusterRpcProxy

from deploy import demo_pages
from deploy.demo_site import PUBLIC_SERVICES_URL, UNITS_FILE, Site
from services.common.vietnam_time import LOCAL_TIME
from services.content.units.schemas import UnitProfile
from services.content.validation import validate
from tests.content.conftest import ADMIN
from tests.drive import acting, call

DEMO = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
UNITS = DEMO["units"]
BY_SLUG = {unit["slug"]: unit for unit in UNITS}
# The province, a department, a district and three of its communes: one with a contact point of
# its own, two leaving it to the district, one of which has not written every page.
SOME = ["thua-thien-hue", "so-y-te", "huyen-phu-vang", "xa-phu-mau", "xa-phu-hai", "xa-phu-an"]


def test_every_demo_profile_is_valid_and_about_half_the_communes_inherit_a_contact_point():
    communes = inheriting = 0
    for unit in UNITS:
        site = Site.of(unit)
        profile = validate(UnitProfile, {"name": unit["name"], **site.profile()})
        point = profile.information_contact
        if unit["level"] == "xa":
            communes += 1
            inheriting += point is None
        else:
            assert point is not None, unit["slug"]  # only communes may use the contact point above them
        if point is not None:
            assert point.name and point.title and point.phone and point.email, unit["slug"]
        assert (profile.public_services_url is not None) == (unit["level"] == "tinh")
    assert 0.35 * communes < inheriting < 0.65 * communes
    province = validate(UnitProfile, {"name": "Tỉnh Thừa Thiên Huế", **Site.of(BY_SLUG["thua-thien-hue"]).profile()})
    assert str(province.public_services_url).rstrip("/") == PUBLIC_SERVICES_URL


def test_about_one_unit_in_six_lacks_some_pages_and_every_unit_gets_its_duties():
    now = datetime(2026, 12, 7, 9, tzinfo=LOCAL_TIME)
    lacking = [unit["slug"] for unit in UNITS if demo_pages.left_out(unit["slug"])]
    assert len(UNITS) / 9 < len(lacking) < len(UNITS) / 4
    for unit in UNITS:
        pages = {(item["key"], item["lang"]) for item in demo_pages.pages(unit, now)}
        expected = {("chuc-nang-nhiem-vu", "vi")}
        if unit["slug"] not in lacking:
            expected |= {("lanh-dao", "vi"), ("co-cau-to-chuc", "en")}
        assert pages == expected, unit["slug"]
    assert demo_pages.pages(BY_SLUG["xa-phu-mau"], now) == demo_pages.pages(BY_SLUG["xa-phu-mau"], now)


def test_a_load_makes_the_pages_and_footers_through_the_content_service_once(content, nameko_config):
    for order, level in enumerate(DEMO["levels"]):
        call(content, "create_level", acting(ADMIN), {**level, "order": order})
    for slug in SOME:
        unit = BY_SLUG[slug]
        call(content, "create_unit", acting(ADMIN), {**{key: unit[key] for key in ("slug", "name", "name_en", "level",
                                                                                   "parent")},
                                                     **Site.of(unit).profile()})
    now = datetime.now(LOCAL_TIME)
    with ClusterRpcProxy(nameko_config) as services:
        made = {slug: demo_pages.load_unit(services.content, lambda: acting(ADMIN), BY_SLUG[slug], now)
                for slug in SOME}
        assert made == {slug: 1 if demo_pages.left_out(slug) else 3 for slug in SOME}
        assert demo_pages.left_out("xa-phu-an") and not demo_pages.left_out("xa-phu-hai")
        again = {slug: demo_pages.load_unit(services.content, lambda: acting(ADMIN), BY_SLUG[slug], now)
                 for slug in SOME}
        assert again == dict.fromkeys(SOME, 0)

    duties = call(content, "get_page", "so-y-te", "chuc-nang-nhiem-vu")
    assert "Sở Y tế là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh Thừa Thiên Huế" in duties["body_html"]
    commune = call(content, "get_page", "xa-phu-hai", "chuc-nang-nhiem-vu")["body_html"]
    assert "Ủy ban nhân dân xã Phú Hải do Hội đồng nhân dân xã Phú Hải bầu" in commune
    leaders = call(content, "get_page", "xa-phu-hai", "lanh-dao")["body_html"]
    for title, name in Site.of(BY_SLUG["xa-phu-hai"]).leaders:
        assert f"<h2>{name}</h2><ul><li>Chức vụ: {title}</li>" in leaders
    english = call(content, "get_page", "huyen-phu-vang", "co-cau-to-chuc", "en")
    assert english["title"] == "Organisational structure" and "People's Committee" in english["body_html"]
    assert "lanh-dao" not in {page["key"] for page in call(content, "list_pages", "xa-phu-an")}
    assert call(content, "list_pages", "xa-phu-an", "en") == []

    # The footers as the demo leaves them: the commune that named nobody shows its district's
    # contact point, every unit the province's public services.
    district = call(content, "get_unit", "huyen-phu-vang")
    footer = call(content, "get_unit", "xa-phu-hai")["footer"]
    assert footer["information_contact"] == {**district["information_contact"],
                                             "inherited_from": {"slug": "huyen-phu-vang", "name": "Huyện Phú Vang"}}
    assert footer["public_services_url"]["inherited_from"]["slug"] == "thua-thien-hue"
    own = call(content, "get_unit", "xa-phu-mau")["footer"]["information_contact"]
    assert own["inherited_from"] is None and own["name"] == Site.of(BY_SLUG["xa-phu-mau"]).information_contact()["name"]
