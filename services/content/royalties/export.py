"""The royalty report as a CSV spreadsheet for the unit's accountant."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from services.content.database import local

HEADINGS = ("Tác giả", "Tài khoản", "Bài viết", "Ngày đăng", "Điểm nhuận bút")
AUTHOR_TOTAL = "Cộng"
UNIT_TOTAL = "Tổng cộng"
# Without a byte order mark Excel reads a CSV in the local code page and garbles Vietnamese.
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def royalty_csv(report: dict) -> str:
    """One row per article, a total row per author and one for the unit; UTF-8 text with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for author in report["authors"]:
        who = (_text(author["author_name"]), author["author"])
        for article in author["articles"]:
            writer.writerow((*who, _text(article["title"]), _local_date(article["published_at"]),
                             points_text(article["points"])))
        writer.writerow((*who, AUTHOR_TOTAL, "", points_text(author["total_points"])))
    writer.writerow(("", "", UNIT_TOTAL, "", points_text(report["total_points"])))
    return BOM + out.getvalue()


def points_text(points: float | None) -> str:
    """'3', '1.5'; empty for an article the board has not scored yet."""
    return "" if points is None else format(Decimal(str(points)).normalize(), "f")


def _local_date(moment: str) -> str:
    return local(datetime.fromisoformat(moment)).strftime("%d/%m/%Y")


def _text(value: str) -> str:
    # A leading apostrophe makes spreadsheets show the text instead of running it.
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
