"""Every site's footer says who runs it (Decree 42/2022/NĐ-CP, art. 4): the unit, its managing
body, address, phone, email, the official responsible for the content, the contact point for
information requests and the licence line. A unit's pages carry the unit's footer, as the content
service reads it: a unit without a managing body of its own names the unit above it, a commune
without a contact point shows the one above it and whose it is; the portal's own pages carry the
province's."""
import re

import pytest

from gateway.rpc import _GuardedService
from tests.gateway.conftest import PORTAL_ADMIN, publish
from tests.servers import wait_for

PROVINCE = {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế", "level": "tinh",
            "managing_body": "Ủy ban nhân dân tỉnh Thừa Thiên Huế",
            "licence": "Giấy phép số 25/GP-TTĐT ngày 12/3/2024 của Bộ Thông tin và Truyền thông",
            "contact": {"address": "16 Lê Lợi, thành phố Huế", "phone": "0234 3822 500",
                        "email": "vpubnd@thuathienhue.gov.vn", "responsible_official": "Trần Văn B",
                        "responsible_title": "Chánh Văn phòng UBND tỉnh"}}
COMMUNE = {"slug": "phu-mau", "name": "Xã Phú Mậu", "name_en": "Phu Mau Commune", "level": "xa",
           "parent": "thua-thien-hue", "managing_body": "Ủy ban nhân dân xã Phú Mậu",
           "contact": {"address": "Thôn Lại Thế, xã Phú Mậu", "phone": "0234 3860 123",
                       "email": "phumau@thuathienhue.gov.vn", "responsible_official": "Nguyễn Văn Hùng",
                       "responsible_title": "Chủ tịch UBND xã"}}


@pytest.fixture
def tree(portal):
    client = portal.client
    for level in ({"slug": "tinh", "name": "Tỉnh", "order": 0}, {"slug": "xa", "name": "Xã", "order": 1}):
        assert client.simulate_post("/api/levels", headers=PORTAL_ADMIN, json=level).status_code == 201
    for unit in (PROVINCE, COMMUNE, {"slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa",
                                     "parent": "thua-thien-hue"}):
        response = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json=unit)
        assert response.status_code == 201, response.text
    return client


def footer(page) -> str:
    return re.search(r'<footer class="site-footer">.*</footer>', page.text, re.S).group(0)


def said(footer_html: str) -> dict[str, str]:
    """The footer's list as {term: description}, tags dropped."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", footer_html, re.S)
    return {term: re.sub(r"<[^>]+>", "", value) for term, value in pairs}


def test_every_page_of_a_unit_says_who_runs_it(tree):
    article = publish(tree, title="Tin của xã")
    for path in ("/phu-mau", article["path"], "/phu-mau/van-ban", "/phu-mau/hoi-dap", "/phu-mau/so-do-trang"):
        page = tree.simulate_get(path)
        assert page.status_code == 200, path
        shown = footer(page)
        assert '<h2 id="lien-he">Xã Phú Mậu</h2>' in shown, path
        assert said(shown) == {
            "Cơ quan chủ quản": "Ủy ban nhân dân xã Phú Mậu",
            "Người chịu trách nhiệm nội dung": "Nguyễn Văn Hùng, Chủ tịch UBND xã",
            "Địa chỉ": "Thôn Lại Thế, xã Phú Mậu", "Điện thoại": "0234 3860 123",
            "Thư điện tử": "phumau@thuathienhue.gov.vn"}, path
        assert "licence" not in shown  # the commune has no licence line: none is shown


def test_a_unit_without_a_managing_body_of_its_own_is_run_by_the_unit_above(tree):
    shown = said(footer(tree.simulate_get("/phu-da")))
    assert shown == {"Cơ quan chủ quản": "Tỉnh Thừa Thiên Huế"}  # nothing else filled in, nothing else shown


def test_the_portals_own_pages_carry_the_provinces_footer_and_follow_its_changes(tree):
    for path in ("/", "/xep-hang", "/tim-kiem?q=phu+mau", "/khong-co-don-vi-nay"):
        shown = footer(tree.simulate_get(path))
        assert '<h2 id="lien-he">Tỉnh Thừa Thiên Huế</h2>' in shown, path
        assert said(shown)["Cơ quan chủ quản"] == "Ủy ban nhân dân tỉnh Thừa Thiên Huế", path
        assert said(shown)["Người chịu trách nhiệm nội dung"] == "Trần Văn B, Chánh Văn phòng UBND tỉnh", path
        assert f'<p class="licence">{PROVINCE["licence"]}</p>' in shown, path
    province = tree.simulate_get("/api/units/thua-thien-hue").json
    changed = {key: province[key] for key in ("name", "name_en", "contact", "branding", "managing_body")}
    response = tree.simulate_put("/api/units/thua-thien-hue", headers=PORTAL_ADMIN, json={
        **changed, "contact": {**PROVINCE["contact"], "phone": "0234 3822 999"}, "licence": "",
        "version": province["version"]})
    assert response.status_code == 200, response.text
    wait_for(lambda: "0234 3822 999" in footer(tree.simulate_get("/xep-hang")), message="the new phone")
    assert "licence" not in footer(tree.simulate_get("/xep-hang"))


def test_an_english_page_says_it_in_english(tree):
    created = tree.simulate_post("/api/units/phu-mau/pages", headers=PORTAL_ADMIN, json={
        "key": "gioi-thieu", "lang": "en", "title": "About Phu Mau", "body_html": "<p>A commune of Hue.</p>"})
    assert created.status_code == 201, created.text
    shown = footer(tree.simulate_get("/phu-mau/en/gioi-thieu"))
    assert '<h2 id="lien-he">Phu Mau Commune</h2>' in shown
    assert said(shown)["Managing body"] == "Ủy ban nhân dân xã Phú Mậu"
    assert said(shown)["Responsible for the content"] == "Nguyễn Văn Hùng, Chủ tịch UBND xã"


PUBLIC_SERVICES = "https://dichvucong.thuathienhue.gov.vn/"
CONTACT_POINT = {"name": "Lê Thị Hoa", "title": "Chuyên viên Văn phòng UBND tỉnh", "phone": "0234 3822 501",
                 "email": "tiepnhan@thuathienhue.gov.vn"}


def change_profile(client, slug: str, **changes):
    unit = client.simulate_get(f"/api/units/{slug}").json
    kept = {key: unit[key] for key in ("name", "name_en", "contact", "branding", "managing_body", "licence",
                                       "public_services_url", "information_contact")}
    response = client.simulate_put(f"/api/units/{slug}", headers=PORTAL_ADMIN,
                                   json={**kept, **changes, "version": unit["version"]})
    assert response.status_code == 200, response.text


def test_a_commune_without_a_contact_point_shows_the_provinces_and_says_whose_it_is(tree):
    change_profile(tree, "thua-thien-hue", information_contact=CONTACT_POINT, public_services_url=PUBLIC_SERVICES)
    expected = ("Lê Thị Hoa, Chuyên viên Văn phòng UBND tỉnh, ĐT 0234 3822 501, email tiepnhan@thuathienhue.gov.vn"
                " (đầu mối của Tỉnh Thừa Thiên Huế)")
    shown = wait_for(lambda: said(footer(tree.simulate_get("/phu-da"))).get("Đầu mối cung cấp thông tin"),
                     message="the inherited contact point")
    assert shown == expected
    page = footer(tree.simulate_get("/phu-da"))
    assert '<a href="tel:02343822501">0234 3822 501</a>' in page
    assert '<a href="mailto:tiepnhan@thuathienhue.gov.vn">' in page
    # Its online public services are the province's too.
    assert said(footer(tree.simulate_get("/phu-da")))["Dịch vụ công trực tuyến"] == PUBLIC_SERVICES
    assert f'<a href="{PUBLIC_SERVICES}">' in footer(tree.simulate_get("/phu-da"))
    # The province's own pages show it as the province's own.
    portal = said(footer(tree.simulate_get("/xep-hang")))["Đầu mối cung cấp thông tin"]
    assert portal == expected.removesuffix(" (đầu mối của Tỉnh Thừa Thiên Huế)")


def test_a_communes_own_contact_point_is_shown_as_its_own(tree):
    change_profile(tree, "phu-mau", information_contact={"name": "Nguyễn Thị Lan", "title": "Công chức Văn phòng",
                                                         "phone": "0234 3860 124", "email": None})
    shown = wait_for(lambda: said(footer(tree.simulate_get("/phu-mau"))).get("Đầu mối cung cấp thông tin"),
                     message="the contact point")
    assert shown == "Nguyễn Thị Lan, Công chức Văn phòng, ĐT 0234 3860 124"
    assert "Đầu mối cung cấp thông tin" not in said(footer(tree.simulate_get("/phu-da")))  # nobody above has one


def test_a_bad_contact_point_is_refused_naming_the_field(tree):
    unit = tree.simulate_get("/api/units/phu-mau").json
    response = tree.simulate_put("/api/units/phu-mau", headers=PORTAL_ADMIN, json={
        "name": unit["name"], "information_contact": {"name": "Lê Thị Hoa", "phone": "số máy lẻ"},
        "version": unit["version"]})
    assert response.status_code == 422
    assert "information_contact.phone" in str(response.json)
    assert tree.simulate_get("/api/units/phu-mau").json["version"] == unit["version"]


def test_the_english_footer_names_the_contact_point_in_english(tree):
    change_profile(tree, "thua-thien-hue", information_contact=CONTACT_POINT)
    created = tree.simulate_post("/api/units/phu-da/pages", headers=PORTAL_ADMIN, json={
        "key": "lien-he", "lang": "en", "title": "Contact", "body_html": "<p>Phu Da township.</p>"})
    assert created.status_code == 201, created.text
    shown = wait_for(lambda: said(footer(tree.simulate_get("/phu-da/en/lien-he"))).get("Information contact"),
                     message="the contact point in English")
    assert shown == ("Lê Thị Hoa, Chuyên viên Văn phòng UBND tỉnh, tel. 0234 3822 501, "
                     "email tiepnhan@thuathienhue.gov.vn (the contact of Tỉnh Thừa Thiên Huế)")


def test_a_units_page_reads_its_footer_with_the_unit_and_asks_for_no_other_unit(tree, monkeypatch):
    """The inheritance is the content service's: the gateway reads the unit once, its footer with it."""
    asked = []
    real = _GuardedService.__getattr__

    def recording(self, method):
        if self._name == "content":
            asked.append(method)
        return real(self, method)

    monkeypatch.setattr(_GuardedService, "__getattr__", recording)
    page = tree.simulate_get("/phu-da/van-ban")
    assert page.status_code == 200
    assert said(footer(page))["Cơ quan chủ quản"] == "Tỉnh Thừa Thiên Huế"
    assert asked.count("get_unit") == 1, asked
