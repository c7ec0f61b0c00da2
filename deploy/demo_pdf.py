"""The demo's legal documents as the PDF files a unit attaches: laid out as Decree 30/2020/NĐ-CP
lays out an administrative document (issuing body and number on the left, the national motto
and place and date on the right, the type and excerpt, grounds, articles, the signer), in
DejaVu Serif, a Unicode font that has every Vietnamese letter, embedded in the file.

Reading a whole TrueType font costs fpdf2 most of a document's time, so the font is cut once
per process to the letters Vietnamese uses (fontTools, which fpdf2 uses itself) and each PDF
reads that small file; its bold lines are the same font drawn heavier (BOLD_STROKE)."""
from __future__ import annotations

import hashlib
import tempfile
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TextMode

from services.common.vietnam_time import LOCAL_TIME

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
FONT = "DejaVuSerif.ttf"
# Bold is the regular font's letters stroked as well as filled, this wide (mm): each font a PDF
# embeds is cut again by fpdf2 when it writes the file, a third of a document's time.
BOLD_STROKE = 0.25
VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
# ASCII, Vietnamese letters of both cases, the degree and section signs, dashes, quotes, the ellipsis.
LETTERS = sorted({*range(0x20, 0x7F), *map(ord, VIETNAMESE + VIETNAMESE.upper()), 0xB0, 0xA7,
                  0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026})
FAMILY = "DejaVuSerif"
NEXT = {"new_x": "LMARGIN", "new_y": "NEXT"}  # each block on a line of its own


def document_pdf(document: dict, signer_title: str, place: str, articles: list[str]) -> bytes:
    """`document`: the demo document's fields (number, type, issuing_body, signer, issued_on,
    effective_on, excerpt); `signer_title`: CHỦ TỊCH, GIÁM ĐỐC …; `place`: where it was signed
    (Phú Mậu, Huế); `articles`: what it decides, one paragraph each."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 18)
    pdf.set_title(f"{document['type']} {document['number']}")
    pdf.set_author(document["issuing_body"])
    issued = date.fromisoformat(document["issued_on"])
    pdf.set_creation_date(datetime.combine(issued, time(8), LOCAL_TIME))  # the same bytes on every load
    pdf.add_font(FAMILY, "", str(_font_file()))
    pdf.add_page()
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = pdf.get_y()
    _font(pdf, 11, bold=True)
    pdf.multi_cell(half - 10, 6, document["issuing_body"].upper(), align="C", **NEXT)
    _font(pdf, 11)
    pdf.multi_cell(half - 10, 6, f"Số: {document['number']}", align="C", **NEXT)
    left_end = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half - 10, top)
    _font(pdf, 11, bold=True)
    pdf.multi_cell(half + 10, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C", **NEXT)
    pdf.set_x(pdf.l_margin + half - 10)
    _font(pdf, 11)
    dated = f"{place}, ngày {issued.day} tháng {issued.month} năm {issued.year}"
    pdf.multi_cell(half + 10, 6, dated, align="C", **NEXT)
    pdf.set_y(max(left_end, pdf.get_y()) + 8)
    _font(pdf, 14, bold=True)
    pdf.multi_cell(0, 8, document["type"].upper(), align="C", **NEXT)
    _font(pdf, 12, bold=True)
    pdf.multi_cell(0, 7, document["excerpt"], align="C", **NEXT)
    pdf.ln(4)
    _font(pdf, 12)
    for ground in ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                   "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;",
                   "Theo đề nghị của bộ phận chuyên môn,"):
        pdf.multi_cell(0, 7, ground, **NEXT)
    pdf.ln(2)
    effective = document.get("effective_on") or document["issued_on"]
    closing = f"Văn bản này có hiệu lực kể từ ngày {date.fromisoformat(effective):%d/%m/%Y}."
    for number, text in enumerate([*articles, closing], start=1):
        _font(pdf, 12, bold=True)
        pdf.write(7, f"Điều {number}. ")
        _font(pdf, 12)
        pdf.multi_cell(0, 7, text, **NEXT)
    pdf.ln(8)
    pdf.set_x(pdf.l_margin + half)
    _font(pdf, 12, bold=True)
    pdf.multi_cell(half, 7, signer_title.upper(), align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(18)
    pdf.set_x(pdf.l_margin + half)
    pdf.multi_cell(half, 7, document["signer"], align="C", **NEXT)
    return bytes(pdf.output())


def _font(pdf: FPDF, size: int, bold: bool = False) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.text_mode = TextMode.FILL_STROKE if bold else TextMode.FILL
    pdf.set_line_width(BOLD_STROKE)


@cache
def _font_file() -> Path:
    """The font cut to Vietnamese letters, once per process, in the temporary directory."""
    options = subset.Options()
    options.layout_features, options.hinting, options.name_IDs = [], False, ["*"]
    options.drop_tables += ["FFTM"]
    source = FONT_DIR / FONT
    digest = hashlib.sha256(f"{source}|{source.stat().st_mtime_ns}|{LETTERS}".encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"demo-{source.stem}-{digest}.ttf"
    if not target.exists():
        font = TTFont(source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=LETTERS)
        subsetter.subset(font)
        partial = target.with_suffix(f".{hashlib.sha256(str(id(font)).encode()).hexdigest()[:6]}.part")
        font.save(partial)
        partial.replace(target)  # whole or absent, even with two loads at once
    return target
