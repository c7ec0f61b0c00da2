"""What the emails look like to mail clients: their headers as the SMTP server received them, and
their plain text and HTML alternatives."""
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from services.common.config import Settings
from services.content.units.branding import contrast_ratio
from services.notify import emails
from tests.drive import call
from tests.notify.helpers import article_published, subscribe_and_confirm, token_of
from tests.servers import wait_for


def raw_emails_to(smtp_server, address: str) -> list[bytes]:
    """The bytes the SMTP server stored for `address`: parsing would decode what a mail client
    may not (an encoded header)."""
    maildir = Path(smtp_server.directory) / "Maildir"
    return [
        raw for path in sorted(maildir.glob("*/*")) if path.is_file()
        if re.search(rb"^To: " + re.escape(address.encode()) + rb"\r?$", raw := path.read_bytes(), re.MULTILINE)
    ]


def unfolded_headers(raw: bytes) -> str:
    """The header section with folded lines joined, as RFC 5322 reads it."""
    headers = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    return re.sub(rb"\n[ \t]+", b" ", headers).decode("ascii")


def test_list_unsubscribe_reaches_mail_clients_as_a_plain_link(notify, notify_db, smtp_server, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")

    [raw] = raw_emails_to(smtp_server, address)
    headers = unfolded_headers(raw)
    link = f"<http://127.0.0.1:8000/dang-ky/huy?token={token_of(notify_db, address)}>"
    assert re.search(rf"^List-Unsubscribe:\s*{re.escape(link)}$", headers, re.MULTILINE), headers
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers


# What the HTML part shows, read from a parsed tree (html.parser: lxml, html5lib and BeautifulSoup
# are not installed, and the standard library's parser needs no new dependency for the tests).
class Element:
    """An element of a parsed document, with its text and the elements inside it in order."""

    def __init__(self, tag: str, attrs: dict, parent: "Element | None" = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.content: list["str | Element"] = []

    def iter(self, tag: str | None = None):
        if tag in (None, self.tag):
            yield self
        for part in self.content:
            if isinstance(part, Element):
                yield from part.iter(tag)

    @property
    def text(self) -> str:
        return " ".join("".join(p if isinstance(p, str) else f" {p.text} " for p in self.content).split())

    @property
    def own_text(self) -> str:
        return "".join(p for p in self.content if isinstance(p, str)).strip()

    def inherited_style(self, name: str, default: str) -> str:
        """The value of a CSS property as it applies here: this element's own or an ancestor's."""
        element = self
        while element is not None:
            declarations = dict(
                (key.strip(), value.strip()) for key, _, value in
                (declaration.partition(":") for declaration in element.attrs.get("style", "").split(";"))
            )
            if name in declarations:
                return declarations[name]
            element = element.parent
        return default


class _TreeBuilder(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.open[-1])
        self.open[-1].content.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while len(self.open) > 1 and self.open.pop().tag != tag:
            pass

    def handle_data(self, data):
        self.open[-1].content.append(data)


def parsed(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def links(document: Element) -> dict[str, str]:
    """Each link's text and where it goes."""
    return {a.text: a.attrs["href"] for a in document.iter("a")}


SETTINGS = Settings(MAIL_FROM="Trung tâm Công nghệ thông tin <no-reply@hue.gov.vn>")
PORTAL = "http://127.0.0.1:8000"
HOSTILE_TITLE = 'A & B <script>alert("x")</script>'
ARTICLE = {"title": "Khánh thành cầu Trường Hà", "summary": "Cây cầu nối đôi bờ phá Tam Giang.",
           "path": "/phu-vang/tin-tuc/bai-1-khanh-thanh", "unit_name": "Huyện Phú Vang"}
DELIVERY = {"_id": "delivery-1", "email": "cong-dan@example.vn", "token": "token-1", "article": ARTICLE,
            "period": "daily:2026-12-07"}
SUBSCRIPTION = {"email": "cong-dan@example.vn", "token": "token-1",
                "confirm_by": datetime(2026, 12, 13, 1, 30, tzinfo=timezone.utc)}
SCHEDULE = {"title": "Lịch công tác tuần 50", "summary": "", "path": "/thuan-an/lich-cong-tac/2026-50",
            "unit_name": "Phường Thuận An"}
EMAILS = {
    "confirmation": lambda: emails.confirmation(SETTINGS, SUBSCRIPTION, "Huyện Phú Vang"),
    "article": lambda: emails.article_alert(SETTINGS, DELIVERY),
    "digest": lambda: emails.digest(SETTINGS, DELIVERY, [ARTICLE, SCHEDULE]),
}
every_email = pytest.mark.parametrize("compose", EMAILS.values(), ids=EMAILS.keys())


@every_email
def test_every_email_is_plain_text_with_an_html_alternative(compose):
    message = compose()
    assert message.get_content_type() == "multipart/alternative"
    assert [(part.get_content_type(), part.get_content_charset()) for part in message.iter_parts()] == [
        ("text/plain", "utf-8"), ("text/html", "utf-8")]


@every_email
def test_the_html_is_vietnamese_with_one_h1_inlined_css_and_only_the_portals_links(compose):
    html = html_of(compose())
    document = parsed(html)
    [root] = document.iter("html")
    assert root.attrs["lang"] == "vi"
    assert len(list(document.iter("h1"))) == 1
    assert list(document.iter("h2")), "the content has a heading of its own"
    assert list(document.iter("style")) == [] and list(document.iter("link")) == []
    assert next(document.iter("body")).attrs["style"]
    # No tracking: nothing is loaded, and each link goes straight to the portal.
    assert [element.tag for element in document.iter() if "src" in element.attrs] == []
    assert all(a.attrs["href"].startswith(PORTAL + "/") for a in document.iter("a"))
    assert all(img.attrs.get("alt") for img in document.iter("img"))
    assert "Người gửi: Trung tâm Công nghệ thông tin" in document.text
    assert "Cổng thông tin điện tử các cơ quan, đơn vị trong tỉnh" in document.text


@every_email
def test_every_text_in_the_html_reads_at_4_5_to_1_or_more(compose):
    document = parsed(html_of(compose()))
    [body] = document.iter("body")
    for element in body.iter():
        if element.own_text:
            colour = element.inherited_style("color", "#000000")
            background = element.inherited_style("background-color", "#ffffff")
            assert contrast_ratio(colour, background) >= 4.5, (element.tag, element.own_text, colour, background)


def test_the_article_email_names_the_unit_and_links_the_article_and_the_subscription_pages():
    document = parsed(html_of(emails.article_alert(SETTINGS, DELIVERY)))
    assert [h1.text for h1 in document.iter("h1")] == ["Huyện Phú Vang"]
    assert [h2.text for h2 in document.iter("h2")] == ["Khánh thành cầu Trường Hà"]
    assert "Cây cầu nối đôi bờ phá Tam Giang." in document.text
    assert links(document) == {
        "Đọc toàn văn": f"{PORTAL}/phu-vang/tin-tuc/bai-1-khanh-thanh",
        "Quản lý các đăng ký của bạn": f"{PORTAL}/dang-ky/quan-ly?token=token-1",
        "Hủy đăng ký": f"{PORTAL}/dang-ky/huy?token=token-1",
    }


def test_the_digest_heads_each_item_with_its_title_linked_to_its_page():
    document = parsed(html_of(emails.digest(SETTINGS, DELIVERY, [ARTICLE, SCHEDULE])))
    assert [h1.text for h1 in document.iter("h1")] == ["Cổng thông tin điện tử"]
    assert [h2.text for h2 in document.iter("h2")] == ["Bản tin hằng ngày: 2 tin mới"]
    assert [(h3.text, next(h3.iter("a")).attrs["href"]) for h3 in document.iter("h3")] == [
        ("Khánh thành cầu Trường Hà", f"{PORTAL}/phu-vang/tin-tuc/bai-1-khanh-thanh"),
        ("Lịch công tác tuần 50", f"{PORTAL}/thuan-an/lich-cong-tac/2026-50"),
    ]
    assert "Phường Thuận An" in document.text
    assert links(document)["Hủy đăng ký này"] == f"{PORTAL}/dang-ky/huy?token=token-1"
    assert links(document)["Quản lý các đăng ký của bạn"] == f"{PORTAL}/dang-ky/quan-ly?token=token-1"


def test_the_confirmation_links_the_confirmation_page_and_cancelling_as_its_text_does():
    document = parsed(html_of(emails.confirmation(SETTINGS, SUBSCRIPTION, "Huyện Phú Vang")))
    assert [h1.text for h1 in document.iter("h1")] == ["Huyện Phú Vang"]
    assert "Đường dẫn có hiệu lực đến 08:30 ngày 13/12/2026." in document.text
    assert links(document) == {
        "Mở trang xác nhận đăng ký": f"{PORTAL}/dang-ky/xac-nhan?token=token-1",
        "Hủy yêu cầu đăng ký": f"{PORTAL}/dang-ky/huy?token=token-1",
    }


def test_a_hostile_title_is_escaped_in_the_html_and_reads_literally_in_the_text():
    message = emails.digest(SETTINGS, DELIVERY, [{**ARTICLE, "title": HOSTILE_TITLE}])
    html = html_of(message)
    assert "<script" not in html
    assert "A &amp; B &lt;script&gt;" in html
    [heading] = parsed(html).iter("h3")
    assert heading.text == HOSTILE_TITLE
    assert f"- Huyện Phú Vang: {HOSTILE_TITLE}\n" in text_of(message)


def test_the_text_parts_read_as_before_the_html_came():
    assert text_of(emails.article_alert(SETTINGS, DELIVERY)) == (
        "Huyện Phú Vang vừa đăng tin mới:\n"
        "\n"
        "Khánh thành cầu Trường Hà\n"
        "\n"
        "Cây cầu nối đôi bờ phá Tam Giang.\n"
        "\n"
        f"Đọc toàn văn: {PORTAL}/phu-vang/tin-tuc/bai-1-khanh-thanh\n"
        "\n"
        "--\n"
        "Bạn nhận được email này vì đã đăng ký nhận tin từ Huyện Phú Vang.\n"
        f"Quản lý các đăng ký của bạn: {PORTAL}/dang-ky/quan-ly?token=token-1\n"
        f"Hủy đăng ký: {PORTAL}/dang-ky/huy?token=token-1\n"
    )
    assert text_of(emails.digest(SETTINGS, DELIVERY, [ARTICLE, SCHEDULE])) == (
        "Xin chào,\n"
        "\n"
        "Các tin mới theo đăng ký của bạn:\n"
        "\n"
        "- Huyện Phú Vang: Khánh thành cầu Trường Hà\n"
        "  Cây cầu nối đôi bờ phá Tam Giang.\n"
        f"  {PORTAL}/phu-vang/tin-tuc/bai-1-khanh-thanh\n"
        "\n"
        "- Phường Thuận An: Lịch công tác tuần 50\n"
        f"  {PORTAL}/thuan-an/lich-cong-tac/2026-50\n"
        "\n"
        "--\n"
        f"Quản lý các đăng ký của bạn: {PORTAL}/dang-ky/quan-ly?token=token-1\n"
        f"Hủy đăng ký này: {PORTAL}/dang-ky/huy?token=token-1\n"
    )


def test_a_sent_article_email_reaches_the_mail_server_as_text_and_escaped_html(
    notify, notify_db, publish, inbox, new_address
):
    address = new_address()
    subscribe_and_confirm(notify, notify_db, address)

    publish(notify, article_published(title=HOSTILE_TITLE))

    [alert] = wait_for(lambda: [m for m in inbox(address) if HOSTILE_TITLE in m["Subject"]], message="the email")
    assert alert.get_content_type() == "multipart/alternative"
    assert f"\n{HOSTILE_TITLE}\n" in text_of(alert)
    document = parsed(html_of(alert))
    assert [h2.text for h2 in document.iter("h2")] == [HOSTILE_TITLE]
    assert list(document.iter("script")) == []
    token = token_of(notify_db, address)
    assert links(document) == {
        "Đọc toàn văn": f"{PORTAL}/phu-vang/tin-tuc/bai-1-khanh-thanh",
        "Quản lý các đăng ký của bạn": f"{PORTAL}/dang-ky/quan-ly?token={token}",
        "Hủy đăng ký": f"{PORTAL}/dang-ky/huy?token={token}",
    }
