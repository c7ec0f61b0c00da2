"""The portal's icon: /favicon.ico, which browsers ask for without being told, and the SVG a
page's <link rel="icon"> names; small, kept by browsers for long, revalidated cheaply."""
import io

import pytest
from PIL import Image

from services.content.service import ContentService

PORTAL_SERVICES = (ContentService,)


def test_favicon_ico_is_an_icon_at_the_sizes_browsers_use(client):
    answered = client.simulate_get("/favicon.ico")
    assert answered.status_code == 200
    assert answered.headers["content-type"] == "image/x-icon"
    assert len(answered.content) < 8 * 1024
    icon = Image.open(io.BytesIO(answered.content))
    assert icon.format == "ICO" and {(16, 16), (32, 32)} <= icon.info["sizes"]


def test_favicon_svg_is_a_drawing_with_a_title(client):
    answered = client.simulate_get("/favicon.svg")
    assert answered.status_code == 200
    assert answered.headers["content-type"] == "image/svg+xml"
    assert answered.text.startswith("<svg") and "<title>Cổng thông tin điện tử</title>" in answered.text
    assert len(answered.content) < 1024


@pytest.mark.parametrize("path", ["/favicon.ico", "/favicon.svg"])
def test_the_icon_is_kept_for_30_days_and_revalidated_by_its_etag(client, path):
    answered = client.simulate_get(path)
    assert answered.headers["cache-control"] == "public, max-age=2592000"
    again = client.simulate_get(path, headers={"If-None-Match": answered.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == answered.headers["etag"]
    changed = client.simulate_get(path, headers={"If-None-Match": '"another"'})
    assert changed.status_code == 200 and changed.content == answered.content


def test_every_page_names_the_svg_icon_in_its_head(client):
    """The shell's head links the drawing, for browsers that take SVG icons over /favicon.ico."""
    for path in ("/", "/tai-lieu-api", "/khong-co-trang-nay"):
        page = client.simulate_get(path)
        head = page.text.split("</head>")[0]
        assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in head, path
