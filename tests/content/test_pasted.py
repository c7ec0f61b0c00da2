"""What Word and Google Docs put on the clipboard keeps its headings, lists, tables, bold, italic
and links once sanitised, and loses everything else (styles, classes, Office tags, comments)."""
import re

from services.content.text import sanitise_html

# As Word for Windows copies a heading, styled runs, two bulleted and one numbered paragraph,
# a link and a table (trimmed, with its conditional comments and Office namespaces).
WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head>
<body><!--StartFragment--><h1 style='mso-style-name:x'><span lang=VI>Kế hoạch năm 2026</span></h1>
<p class=MsoNormal style='margin:0'><span style='font-size:13pt;font-weight:bold'>Đậm</span> và
<span style='font-style:italic'>nghiêng</span><o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span>
<![endif]>Mục một<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18pt;mso-list:l0 level1 lfo1'><span
style='mso-list:Ignore'>·<span>&nbsp;</span></span>Mục hai</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span>Bước
một</p>
<p class=MsoNormal>Xem <a href="https://hue.gov.vn/">Cổng tỉnh</a></p>
<table class=MsoTableGrid border=1><tr><th style='border:solid'>Cột</th></tr><tr><td><p><b>Ô</b></p></td></tr></table>
<!--EndFragment--></body></html>"""

# As Google Docs copies a heading, bold and italic runs and a list: all inside one <b> that is not bold.
GOOGLE_DOCS = ('<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234">'
               '<h2 dir="ltr" style="line-height:1.38"><span style="font-size:16pt;font-weight:400">Tiêu đề</span></h2>'
               '<p dir="ltr"><span style="font-weight:700;">Đậm</span><span style="font-weight:400;"> thường </span>'
               '<span style="font-style:italic;font-weight:400">nghiêng</span></p>'
               '<ul><li dir="ltr"><p><span>Một</span></p></li></ul></b>')


def test_word_keeps_its_structure_and_loses_its_styling():
    body = re.sub(r"\s*\n\s*", " ", sanitise_html(WORD)).replace("> ", ">").replace(" <", "<")
    assert "<h2>" in body and "Kế hoạch năm 2026</span></h2>" in body  # the title is the h1
    assert "<strong>Đậm</strong>" in body and "<em>nghiêng</em>" in body
    assert "<ul><li>Mục một</li>" in body and "<li>Mục hai</li>" in body and "·" not in body
    assert "<ol><li>Bước một</li>" in body and "1." not in body
    assert '<a href="https://hue.gov.vn/"' in body
    assert "<table>" in body and "<th>Cột</th>" in body and "<b>Ô</b>" in body
    for dropped in ("style", "class=", "Mso", "o:p", "mso", "if !supportLists", "StartFragment", "margin"):
        assert dropped not in body, dropped


def test_google_docs_is_not_all_bold_and_keeps_its_bold_and_italic():
    body = sanitise_html(GOOGLE_DOCS)
    assert not body.startswith("<b") and "docs-internal" not in body
    assert "<h2><span>Tiêu đề</span></h2>" in body
    assert "<strong>Đậm</strong><span> thường </span><em>nghiêng</em>" in body
    assert "<ul><li><p><span>Một</span></p></li></ul>" in body


def test_plain_html_passes_unchanged_and_headings_fit_under_the_title():
    plain = "<p>Một <strong>hai</strong></p><ul><li>ba</li></ul>"
    assert sanitise_html(plain) == plain
    assert sanitise_html("<h1>A</h1><h5>B</h5><h6>C</h6>") == "<h2>A</h2><h4>B</h4><h4>C</h4>"


def test_broken_markup_still_closes_what_it_opened():
    body = sanitise_html('<p><span style="font-weight:bold">mở</p></span></b><p>tiếp')
    assert body == "<p><strong>mở</strong></p><p>tiếp</p>"
