"""Display options ("Xem với cỡ chữ A- A A+", high contrast) at /hien-thi, and the colours of
the stylesheet. /hien-thi needs no service; the app runs against a throwaway vhost so its
content-event listener has somewhere to connect."""
import dataclasses
import re
from pathlib import Path

import pytest
from falcon import testing

from gateway.app import create_app, shut_down
from gateway.resources.display import local_path
from gateway.rpc import RpcPool

STYLESHEET = Path(__file__).resolve().parents[2] / "gateway" / "static" / "site.css"


@pytest.fixture
def client(settings):
    settings = dataclasses.replace(settings, RPC_TIMEOUT=5.0)
    pool = RpcPool(settings.as_nameko_config(), 1, settings.RPC_TIMEOUT)
    app = create_app(settings, pool)
    yield testing.TestClient(app)
    shut_down(app)
    pool.close()


def cookie_header(response) -> str:
    return response.headers["set-cookie"]


def test_choosing_a_size_sets_the_cookie_and_goes_back_to_the_page(client):
    response = client.simulate_get("/hien-thi", params={"co-chu": "lon", "quay-lai": "/phu-mau/tin-tuc/bai-viet"})
    assert response.status_code == 303
    assert response.headers["location"].endswith("/phu-mau/tin-tuc/bai-viet")
    cookie = cookie_header(response)
    assert cookie.startswith("hien-thi=lon;")
    for attribute in ("Max-Age=31536000", "Path=/", "HttpOnly", "SameSite=Lax"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http here: a Secure cookie would never come back
    assert response.headers["cache-control"] == "no-store"


def test_the_cookie_is_secure_behind_https(client):
    response = client.simulate_get("/hien-thi", params={"tuong-phan": "cao", "quay-lai": "/"},
                                   headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert "Secure" in cookie_header(response)


def test_each_choice_keeps_the_other(client):
    response = client.simulate_get("/hien-thi", params={"tuong-phan": "cao", "quay-lai": "/"},
                                   headers={"Cookie": "hien-thi=lon"})
    assert cookie_header(response).startswith("hien-thi=lon+tuong-phan-cao;")
    response = client.simulate_get("/hien-thi", params={"co-chu": "nho", "quay-lai": "/"},
                                   headers={"Cookie": "hien-thi=lon+tuong-phan-cao"})
    assert cookie_header(response).startswith("hien-thi=nho+tuong-phan-cao;")
    response = client.simulate_get("/hien-thi", params={"tuong-phan": "thuong", "quay-lai": "/"},
                                   headers={"Cookie": "hien-thi=nho+tuong-phan-cao"})
    assert cookie_header(response).startswith("hien-thi=nho;")


def test_the_way_back_keeps_its_query_and_escapes_what_a_header_cannot_carry(client):
    response = client.simulate_get("/hien-thi", params={"co-chu": "vua", "quay-lai": "/tim-kiem?q=Huế 100%"})
    assert response.headers["location"].endswith("/tim-kiem?q=Hu%E1%BA%BF%20100%25")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "/\n/evil.example", "javascript:alert(1)", "evil.example", "", "%2F%2Fevil.example", " /x",
])
def test_the_way_back_never_leads_to_another_site(client, target):
    response = client.simulate_get("/hien-thi", params={"co-chu": "lon", "quay-lai": target})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location in ("/", "http://falconframework.org/"), location


def test_without_a_way_back_the_reader_goes_home(client):
    response = client.simulate_get("/hien-thi", params={"co-chu": "lon"})
    assert response.status_code == 303 and response.headers["location"] in ("/", "http://falconframework.org/")


@pytest.mark.parametrize("value", ["", "/", "/a/b?c=d#e", "/%2F%2Fx"])
def test_local_paths_are_kept(value):
    assert local_path(value) == (value or "/")


@pytest.mark.parametrize("params", [
    {"co-chu": "khong-lon"}, {"tuong-phan": "rat-cao"}, {"quay-lai": "/"}, {}, {"co-chu": "lon", "tuong-phan": "x"},
])
def test_an_unknown_choice_is_a_400_page_that_sets_nothing(client, params):
    response = client.simulate_get("/hien-thi", params=params)
    assert response.status_code == 400
    assert "set-cookie" not in response.headers
    assert "Yêu cầu không hợp lệ" in response.text and "Traceback" not in response.text
    assert response.headers["cache-control"] == "no-store"


def test_pages_wear_the_reader_s_choice_and_mark_it_current(client):
    # The 400 page is rendered in the same shell as every page, with the reader's preferences.
    page = client.simulate_get("/hien-thi", headers={"Cookie": "hien-thi=lon+tuong-phan-cao"}).text
    assert re.search(r'<html lang="vi" class="co-chu-lon tuong-phan-cao">', page)
    current = re.findall(r'<a href="/hien-thi\?co-chu=(\w+)[^"]*" aria-current="true">', page)
    assert current == ["lon"]
    assert 'href="/hien-thi?tuong-phan=thuong&amp;quay-lai=/hien-thi"' in page
    assert "Tương phản thường" in page

    default = client.simulate_get("/hien-thi").text
    assert '<html lang="vi" class="co-chu-vua">' in default
    # The way back is the page as it was asked for, query string and all.
    asked = client.simulate_get("/hien-thi", query_string="co-chu=to").text
    assert 'quay-lai=/hien-thi%3Fco-chu%3Dto"' in asked
    assert re.findall(r'co-chu=(\w+)[^"]*" aria-current="true"', default) == ["vua"]
    assert "Tương phản cao" in default and "Xem với cỡ chữ" in default
    # The shell: skip link to main, landmarks, one h1.
    assert '<a class="skip-link" href="#noi-dung">' in default
    assert '<main id="noi-dung" tabindex="-1">' in default
    assert default.count("<h1>") == 1 and 'role="search"' in default and "<footer" in default


@pytest.mark.parametrize("cookie, classes", [
    ("hien-thi=rat-lon", "co-chu-vua"), ("hien-thi=lon+x", "co-chu-lon"), ("hien-thi=<script>", "co-chu-vua"),
    ("hien-thi=+tuong-phan-cao", "co-chu-vua tuong-phan-cao"),
])
def test_a_cookie_is_read_for_what_it_means_and_nothing_else(client, cookie, classes):
    page = client.simulate_get("/hien-thi", headers={"Cookie": cookie}).text
    assert f'<html lang="vi" class="{classes}">' in page


# Colours: every text colour the stylesheet sets must reach 4.5:1 on the background it is
# set on (WCAG 1.4.3), in the normal look and in high contrast.

def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^}]*\})*)\s*\}", r"\1", css)  # media blocks: their rules count
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        declarations = dict(
            (name.strip(), value.replace("!important", "").strip())
            for name, _, value in (d.partition(":") for d in body.split(";")) if value.strip())
        found.append((selector.strip(), declarations))
    return found


def variables(css_rules, selector: str) -> dict[str, str]:
    return {name: value for sel, decls in css_rules if sel == selector for name, value in decls.items()
            if name.startswith("--")}


def resolve(value: str, palette: dict[str, str]) -> str | None:
    """The hex colour a declaration's value names, directly or through a variable."""
    match = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if match:
        value = palette.get(match.group(1), "")
    return value if re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", value or "") else None


def test_the_text_size_classes_scale_the_root():
    sizes = {sel: decls["font-size"] for sel, decls in rules(STYLESHEET.read_text()) if sel.startswith("html.co-chu-")}
    assert sizes == {"html.co-chu-nho": "87.5%", "html.co-chu-vua": "100%", "html.co-chu-lon": "125%"}


def test_every_text_colour_has_enough_contrast_in_both_looks():
    css_rules = rules(STYLESHEET.read_text())
    normal = variables(css_rules, ":root")
    high = {**normal, **variables(css_rules, "html.tuong-phan-cao")}
    assert contrast(high["--text"], high["--bg"]) >= 7 and contrast(high["--accent"], high["--bg"]) >= 7
    def own(selector, palette, names):
        decls = [d for sel, d in css_rules if sel == selector]
        values = (resolve(d.get(name, ""), palette) for d in decls for name in names)
        return next((value for value in values if value), None)

    def inherited(selector, palette, names, default):
        """What `selector` gets from the rule of its ancestor (`.site-header a` from `.site-header`)."""
        while " " in selector:
            selector = selector.rsplit(" ", 1)[0]
            value = own(selector, palette, names)
            if value:
                return value
        return palette[default]

    checked, failures = 0, []
    for selector, decls in css_rules:
        palette = high if selector.startswith("html.tuong-phan-cao") else normal
        text = resolve(decls.get("color", ""), palette)
        background = resolve(decls.get("background-color", decls.get("background", "")), palette)
        if text is None and background is None:
            continue
        text = text or inherited(selector, palette, ("color",), "--text")
        background = background or inherited(selector, palette, ("background-color", "background"), "--bg")
        checked += 1
        if contrast(text, background) < 4.5:
            failures.append(f"{selector}: {text} on {background} is {contrast(text, background):.2f}:1")
    assert checked >= 10
    assert not failures, failures
    # The variables pages build on, against the backgrounds they are used with.
    for palette in (normal, high):
        for fg in ("--text", "--muted", "--accent"):
            assert contrast(palette[fg], palette["--bg"]) >= 4.5, fg
        assert contrast(palette["--accent"], palette["--tint"]) >= 4.5 or palette is high
