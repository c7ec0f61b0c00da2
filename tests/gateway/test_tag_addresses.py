"""Tag pages at addresses made of the tag's folded words, through the gateway against the real
content service: articles link there, every spelling of a tag is gathered there, and the old
raw-text addresses move there for good."""
import html
import re
from urllib.parse import quote

from tests.gateway.conftest import publish


def tag_links(client, article: dict) -> dict[str, str]:
    """{shown text: address} of the tags an article's page links to."""
    page = client.simulate_get(article["path"])
    assert page.status_code == 200
    tags = re.search(r'<p class="tags">(.*?)</p>', page.text, re.S).group(1)
    return {html.unescape(text): href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', tags)}


def test_an_article_links_its_tags_at_their_folded_words_and_the_page_shows_the_tag(client, phu_mau):
    article = publish(client, title="Cấp căn cước trực tuyến", tags=["Chính quyền điện tử", "Đời sống"])
    assert tag_links(client, article) == {"Chính quyền điện tử": "/phu-mau/the/chinh-quyen-dien-tu",
                                          "Đời sống": "/phu-mau/the/doi-song"}
    page = client.simulate_get("/phu-mau/the/chinh-quyen-dien-tu")
    assert page.status_code == 200
    assert "<h1>Thẻ “Chính quyền điện tử”</h1>" in page.text
    assert "Cấp căn cước trực tuyến" in page.text


def test_the_old_raw_text_address_moves_permanently_to_the_folded_one(client, phu_mau):
    publish(client, title="Cấp căn cước trực tuyến", tags=["Chính quyền điện tử"])
    for old in ("/phu-mau/the/Chính quyền điện tử", f"/phu-mau/the/{quote('Chính quyền điện tử')}"):
        moved = client.simulate_get(old)
        assert moved.status_code == 301, old
        assert moved.headers["location"] == "/phu-mau/the/chinh-quyen-dien-tu"
    # The page number goes along.
    moved = client.simulate_get("/phu-mau/the/chính quyền điện tử", query_string="trang=1")
    assert moved.status_code == 301 and moved.headers["location"] == "/phu-mau/the/chinh-quyen-dien-tu?trang=1"
    assert client.simulate_get(moved.headers["location"]).status_code == 200


def test_spellings_of_one_tag_share_its_address(client, phu_mau):
    """Editors type tags by hand: every spelling that folds to the same words is one tag."""
    first = publish(client, title="Bài thứ nhất", tags=["chính quyền điện tử"])
    second = publish(client, title="Bài thứ hai", tags=["Chính Quyền Điện Tử"])
    publish(client, title="Bài không cùng thẻ", tags=["Chính quyền"])
    assert tag_links(client, first) == {"chính quyền điện tử": "/phu-mau/the/chinh-quyen-dien-tu"}
    assert tag_links(client, second) == {"Chính Quyền Điện Tử": "/phu-mau/the/chinh-quyen-dien-tu"}
    page = client.simulate_get("/phu-mau/the/chinh-quyen-dien-tu")
    assert page.status_code == 200
    assert "Bài thứ nhất" in page.text and "Bài thứ hai" in page.text and "Bài không cùng thẻ" not in page.text
    assert "<h1>Thẻ “Chính Quyền Điện Tử”</h1>" in page.text  # as the newest article spells it


def test_an_address_no_article_carries_or_without_words_is_not_found(client, phu_mau):
    publish(client, title="Cấp căn cước trực tuyến", tags=["Chính quyền điện tử"])
    assert client.simulate_get("/phu-mau/the/khong-ai-dung").status_code == 404
    assert client.simulate_get(f"/phu-mau/the/{quote('—')}").status_code == 404
    assert client.simulate_get("/khong-co-don-vi/the/chinh-quyen-dien-tu").status_code == 404
