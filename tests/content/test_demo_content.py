"""The demo's content (deploy/demo_history.py with deploy/demo_site.py, demo_images.py and
demo_pdf.py): drawn the same on every load, each unit's own, its leaders titled as its level
titles them, every unit reachable, every document with its PDF, every cover described, every
question asked of the unit that answers it; and a load of a department and a commune through
the content service as `make run` loads them."""
from __future__ import annotations

import base64
import io
import re
import zlib
from collections import defaultdict
from datetime import datetime

import pytest
from PIL import Image

from deploy import demo_data, demo_history, demo_images
from deploy.demo_progress import Progress
from deploy.demo_site import Site
from services.common.vietnam_time import LOCAL_TIME
from services.content.units.schemas import Contact
from services.content.validation import validate
from tests.content.conftest import ADMIN
from tests.drive import acting, call

NOW = datetime(2026, 12, 7, 10, 30, tzinfo=LOCAL_TIME)
UNITS = demo_data.units()
BY_SLUG = {unit["slug"]: unit for unit in UNITS}
# The province, a department, a district and a commune of it; parents first.
SOME = ["thua-thien-hue", "so-xay-dung", "huyen-phu-vang", "xa-phu-my"]


def drawn(unit: dict, now: datetime = NOW) -> list[dict]:
    return demo_history.present(unit, now) + demo_history.history(unit, now)


@pytest.fixture(scope="module")
def everything() -> dict[str, list[dict]]:
    return {unit["slug"]: drawn(unit) for unit in UNITS}


def test_two_generations_are_equal_to_the_byte():
    for slug in SOME:
        assert drawn(BY_SLUG[slug]) == drawn(BY_SLUG[slug])
        site = Site.of(BY_SLUG[slug])
        assert site.profile() == Site.of(dict(BY_SLUG[slug])).profile()
        document = next(item for item in drawn(BY_SLUG[slug]) if item["kind"] == "document")
        assert demo_history._pdf(site, document) == demo_history._pdf(site, document)
        assert demo_images.cover(slug, "floods") == demo_images.cover(slug, "floods")
    assert demo_images.cover("xa-phu-my", "floods") != demo_images.cover("xa-phu-mau", "floods")


def test_no_two_units_share_an_article_title_or_body(everything):
    titles, bodies = defaultdict(set), defaultdict(set)
    for slug, items in everything.items():
        for item in items:
            if item["kind"] == "article":
                titles[item["title"]].add(slug)
                bodies[item["body_html"]].add(slug)
    assert len(titles) > 2000
    assert [title for title, units in titles.items() if len(units) > 1] == []
    assert [body[:80] for body, units in bodies.items() if len(units) > 1] == []


def test_articles_have_paragraphs_headings_lists_and_described_covers(everything):
    current = [item for item in everything["xa-phu-my"] if item["kind"] == "article"][:3]
    assert [item["slug"] for item in current] == [slug for slug, _, _ in demo_data.ARTICLES]
    for item in current:
        assert item["body_html"].count("<p>") >= 2 and "<h2>" in item["body_html"] and "<li>" in item["body_html"]
        assert demo_history.CURRENT_TAG in item["tags"]
    covered = [item for items in everything.values() for item in items if "cover" in item]
    assert len(covered) > 800
    for item in covered:
        topic = item["cover"]["media_id"]  # until load_unit puts the upload's id in
        assert item["cover"]["alt"] == demo_images.ALT[topic] and item["cover"]["alt"].startswith("Tranh minh họa: ")
    for topic in demo_images.TOPICS:
        picture = Image.open(io.BytesIO(demo_images.cover("xa-phu-my", topic)))
        assert picture.format == "JPEG" and picture.size == demo_images.SAVED
        assert len(set(picture.convert("RGB").resize((40, 22)).getdata())) > 5  # a scene, not a flat colour


def test_news_spread_over_six_months_at_rates_that_differ_between_units(everything):
    per_unit = sorted(sum(item["kind"] == "article" for item in items) for items in everything.values())
    assert per_unit[-1] >= 5 * per_unit[0]
    months = {item["published_at"][:7] for item in everything["thanh-pho-hue"] if item["kind"] == "article"}
    assert len(months) == 7  # six whole months and this one


def test_leaders_are_titled_as_their_level_titles_them(everything):
    expected = {"tinh": "Chủ tịch UBND tỉnh", "so-nganh": None, "huyen": "Chủ tịch UBND {kind}",
                "xa": "Chủ tịch UBND {kind}"}
    kinds = {"huyen": "huyện", "thi-xa": "thị xã", "thanh-pho": "thành phố", "xa": "xã", "phuong": "phường",
             "thi-tran": "thị trấn", "tinh": "tỉnh"}
    for unit in UNITS:
        site = Site.of(unit)
        head, *deputies = [title for title, _ in site.leaders]
        if unit["name"].startswith("Sở "):
            assert (head, set(deputies)) == ("Giám đốc Sở", {"Phó Giám đốc Sở"})
            assert site.head_title == f"Giám đốc {unit['name']}"
        elif unit["level"] != "so-nganh":
            chair = expected[unit["level"]].format(kind=kinds[unit["kind"]])
            assert (head, set(deputies)) == (chair, {f"Phó {chair}"})
        leaders = {entry["leader"] for item in everything[unit["slug"]] if item["kind"] == "schedule"
                   for entry in item["entries"]}
        assert leaders and leaders <= set(site.titled_leaders)
        assert not any("Chủ tịch Sở" in leader for leader in leaders)
    assert Site.of(BY_SLUG["thanh-tra-tinh"]).head_title == "Chánh Thanh tra tỉnh"
    assert Site.of(BY_SLUG["ban-dan-toc"]).head_title == "Trưởng Ban Dân tộc"


def test_every_unit_has_contact_details_a_managing_body_and_some_a_licence():
    licensed = 0
    for unit in UNITS:
        profile = Site.of(unit).profile()
        contact = validate(Contact, profile["contact"]).model_dump()
        assert all(contact[field] for field in ("address", "phone", "email", "responsible_official",
                                                "responsible_title")), unit["slug"]
        assert profile["managing_body"].startswith("Ủy ban nhân dân ")
        licensed += bool(profile["licence"])
        assert not profile["licence"] or re.fullmatch(r"Giấy phép số \d+/GP-TTĐT ngày \d+/\d+/\d{4} của Sở Thông "
                                                      r"tin và Truyền thông", profile["licence"])
    assert len(UNITS) > licensed > 31  # the province, departments and districts, and some communes
    assert Site.of(BY_SLUG["so-y-te"]).managing_body() == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert Site.of(BY_SLUG["xa-phu-my"]).managing_body() == "Ủy ban nhân dân xã Phú Mỹ"


def test_every_document_has_a_pdf_in_a_vietnamese_font_that_is_embedded(everything):
    unit = BY_SLUG["so-xay-dung"]
    documents = [item for item in everything[unit["slug"]] if item["kind"] == "document"]
    assert documents and all("file" in item for item in documents)  # load_unit uploads it and names it
    pdf = demo_history._pdf(Site.of(unit), documents[0])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in pdf and re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSerif", pdf)  # embedded, subset
    # fpdf2 writes glyph ids; the ToUnicode maps say which letters they are: Vietnamese ones among them.
    streams = [zlib.decompress(data) if data[:1] == b"x" else data
               for data in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)]
    letters = b"".join(stream for stream in streams if b"beginbfchar" in stream or b"beginbfrange" in stream)
    for letter in "ĐệỦựạ":  # Độc lập - Tự do - Hạnh phúc, CHỦ TỊCH, hiệu lực
        assert f"<{ord(letter):04X}>".encode() in letters, letter


def test_questions_go_to_the_unit_they_concern(everything):
    asked = defaultdict(set)
    for slug, items in everything.items():
        for item in items:
            if item["kind"] == "question":
                asked[item["title"]].add(slug)
                assert item["title"] in {question["title"] for question in demo_history.questions_for(
                    Site.of(BY_SLUG[slug]))}
                assert item.get("answered_by", Site.of(BY_SLUG[slug]).committee) == Site.of(BY_SLUG[slug]).committee
    communes = {unit["slug"] for unit in UNITS if unit["level"] == "xa"}
    assert asked["Hỏi về thủ tục đăng ký khai sinh"] <= communes
    assert asked["Hỏi về cấp chứng chỉ hành nghề hoạt động xây dựng"] <= {"so-xay-dung"}
    assert asked["Hỏi về giấy phép xây dựng nhà ở riêng lẻ"] <= {unit["slug"] for unit in UNITS
                                                                if unit["level"] == "huyen"}
    assert len(asked) > 20  # a pool, not one question for everyone
    assert len(asked["Hỏi về thủ tục đăng ký khai sinh"]) < len(communes)


def test_a_load_publishes_each_units_content_with_its_files_and_a_second_adds_nothing(content, nameko_config):
    some = [BY_SLUG[slug] for slug in SOME]
    assert demo_data.load(nameko_config, log=lambda *_: None, only=some, history=False) == 3 * len(some)

    for unit in some:
        slug, site = unit["slug"], Site.of(unit)
        profile = call(content, "get_unit", slug)
        assert profile["contact"]["responsible_title"] == site.head_title
        assert (profile["managing_body"], profile["licence"]) == (site.managing_body(), site.licence())
        articles = call(content, "latest_articles", slug)["articles"]
        assert {article["slug"] for article in articles} == {slug for slug, _, _ in demo_data.ARTICLES}
        for article in articles:
            assert article["cover"]["alt"].startswith("Tranh minh họa: ")
        [document] = call(content, "search_documents", slug)["documents"]
        assert document["file"]["content_type"] == "application/pdf"
        opened = call(content, "open_media", document["file"]["media_id"])
        assert base64.b64decode(opened["data_base64"]).startswith(b"%PDF-")
        [question] = call(content, "list_questions", slug)["questions"]
        assert question["title"] in {question["title"] for question in demo_history.questions_for(site)}
        [week] = call(content, "schedule_weeks", slug)
        assert week["entries"] >= 2
    counted = [call(content, "latest_articles", unit["slug"])["total"] for unit in some]

    assert demo_data.load(nameko_config, log=lambda *_: None, only=some, history=False) == 0
    assert [call(content, "latest_articles", unit["slug"])["total"] for unit in some] == counted
    media = call(content, "list_media", acting(ADMIN), "xa-phu-my", 200)
    assert len(media) == len({item["filename"] for item in media})  # each file uploaded once


def test_progress_is_one_bar_on_a_terminal_and_plain_lines_elsewhere():
    lines: list[str] = []
    plain = Progress(40, "Dữ liệu mẫu", lines.append, stream=io.StringIO())
    for _ in range(40):
        plain.advance()
    plain.close()
    assert lines == [f"  Dữ liệu mẫu: {done}/40" for done in range(4, 41, 4)]

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, told = Terminal(), []
    bar = Progress(40, "Dữ liệu mẫu", told.append, stream=terminal)
    for _ in range(40):
        bar.advance()
    bar.note("Demo data: 40 units")
    bar.close()
    assert told == [] and "40/40" in terminal.getvalue() and "\r" in terminal.getvalue()
    assert "Demo data: 40 units" in terminal.getvalue()
