"""The demo's disclosures ("công khai thông tin"): for each unit, the documents of most sections its
level owes over the last three years (the budget estimate, its settlement and the half-year report
each year, the socio-economic plan, a procurement notice, statistics, ...), each with its PDF
file, filed under its section and imported as published a few days after it was issued.

Everything is drawn from the unit's slug and the year, so a second load draws the same documents
and creates none (each is known by its number). About one unit in six (by a hash of its slug) has
published none, and others skip a section or a year, so the conformance report has true gaps to
show. Numbers follow Decree 30/2020/NĐ-CP (services/content/documents/schemas.py NUMBER_PATTERN);
their serials, from 400 up, stay clear of the history's (deploy/demo_history.py), which stay below 400.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from deploy import demo_history, demo_pdf
from deploy.demo_history import SIGNS
from deploy.demo_site import Site
from services.common.vietnam_time import LOCAL_TIME

YEARS = 3  # this year and the two before it
LISTED = 100  # a section's documents read at once to know which are there


@dataclass(frozen=True)
class Planned:
    section: str
    number: str
    type: str
    issued_on: date
    excerpt: str
    articles: tuple[str, ...]  # what the PDF says, one paragraph each


def left_out(slug: str) -> bool:
    """About one unit in six publishes no disclosures at all: chosen by its slug, the same every load."""
    return int(hashlib.sha256(f"{slug}|disclosures".encode()).hexdigest(), 16) % 6 == 0


def load_unit(content, acting, unit: dict, now: datetime) -> int:
    """Import the unit's disclosure documents not there yet, each with its PDF file, published a
    few days after it was issued (as a migrated site's archive would bring them, so that each
    counts in its own month); the number imported."""
    if left_out(unit["slug"]):
        return 0
    site = Site.of(unit)
    owed = [section["key"] for section in content.disclosure_sections(unit["slug"])]
    planned = [item for item in plan(site, now.astimezone(LOCAL_TIME).date()) if item.section in owed]
    present = {document["number"] for key in {item.section for item in planned}
               for document in content.list_disclosures(unit["slug"], key, None, 0, LISTED)["documents"]}
    missing = [item for item in planned if item.number not in present]
    files = demo_history.uploaded(content, acting, site.slug,
                                  {_file_name(item): partial(_pdf, site, item) for item in missing})
    items = [{**document_fields(site, item), "kind": "document", "file": files[_file_name(item)],
              "published_at": _published(site, item, now).isoformat()} for item in missing]
    return demo_history.imported(content, acting, site.slug, items)["imported"]


def document_fields(site: Site, item: Planned) -> dict:
    effective = item.issued_on if item.type in ("Quyết định", "Chỉ thị") else None
    return {"number": item.number, "type": item.type, "issuing_body": site.committee,
            "signer": site.leaders[0][1], "issued_on": item.issued_on.isoformat(),
            "effective_on": effective.isoformat() if effective else None, "excerpt": item.excerpt,
            "field": FIELDS[item.section], "section": item.section}


FIELDS = {"ngan-sach": "Tài chính - Ngân sách", "chien-luoc-ke-hoach": "Kế hoạch - Đầu tư",
          "dau-tu-mua-sam": "Đầu tư công, đấu thầu", "chi-dao-dieu-hanh": "Chỉ đạo, điều hành",
          "thong-ke": "Thống kê", "khoa-hoc-cong-nghe": "Khoa học và Công nghệ",
          "pho-bien-phap-luat": "Tư pháp - Phổ biến pháp luật"}
# A unit's yearly revenue in millions of đồng, roughly as the province's budget reports give them.
REVENUE = {"tinh": (14_000_000, 17_000_000), "so-nganh": (40_000, 320_000), "huyen": (600_000, 1_400_000),
           "xa": (7_000, 21_000)}
WORKS = ("Nâng cấp, sửa chữa trụ sở làm việc", "Bê tông hóa đường giao thông nông thôn",
         "Sửa chữa trường mầm non", "Mua sắm trang thiết bị công nghệ thông tin",
         "Cải tạo hệ thống thoát nước khu dân cư", "Nâng cấp nhà văn hóa")


def plan(site: Site, today: date) -> list[Planned]:
    """The unit's disclosure documents of the last YEARS years issued by `today`, oldest first."""
    items = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        rng = random.Random(f"{site.slug}|{year}|disclosures")
        skipped = rng.choice((None, None, *FIELDS))  # now and then a section left empty that year
        for item in _year(site, rng, year):
            if item.section != skipped and item.issued_on <= today:
                items.append(item)
    return sorted(items, key=lambda item: (item.issued_on, item.number))


def _year(site: Site, rng: random.Random, year: int) -> list[Planned]:
    symbol, name = site.symbol, site.name
    low, high = REVENUE[site.level]
    revenue = rng.randint(low, high)
    spending = round(revenue * rng.uniform(0.97, 1.03))
    settled = round(revenue * rng.uniform(0.92, 1.08))
    # Each year's serials are apart from other years' (a number without its year must not repeat).
    first = 400 + year % 10 * 50
    serial = iter(rng.sample(range(first, first + 50), 9))
    work, cost = rng.choice(WORKS), rng.randint(4, 60) * (100 if site.level == "xa" else 1_000)
    return [
        Planned("chien-luoc-ke-hoach", f"{next(serial)}/KH-{symbol}", "Kế hoạch", date(year, 1, rng.randint(5, 20)),
                f"Kế hoạch phát triển kinh tế - xã hội năm {year} của {name}",
                (f"Phấn đấu tổng thu ngân sách nhà nước trên địa bàn đạt {_number(revenue)} triệu đồng.",
                 f"Tốc độ tăng trưởng giá trị sản xuất đạt {rng.randint(60, 85) / 10:.1f}%".replace(".", ",") + ".")),
        Planned("pho-bien-phap-luat", f"{next(serial)}/KH-{symbol}", "Kế hoạch", date(year, 1, rng.randint(10, 28)),
                f"Kế hoạch công tác phổ biến, giáo dục pháp luật năm {year}",
                (f"Tổ chức {rng.randint(4, 24)} hội nghị phổ biến pháp luật cho cán bộ và nhân dân.",)),
        Planned("chi-dao-dieu-hanh", f"{next(serial)}/CT-{symbol}", "Chỉ thị", date(year, 2, rng.randint(1, 25)),
                f"Về tăng cường kỷ luật, kỷ cương hành chính và cải cách thủ tục hành chính năm {year}",
                ("Thủ trưởng các bộ phận chịu trách nhiệm trước người đứng đầu về kết quả thực hiện.",)),
        Planned("ngan-sach", f"{next(serial)}/{year}/QĐ-{symbol}", "Quyết định", date(year, 6, rng.randint(15, 30)),
                f"Công bố công khai quyết toán ngân sách năm {year - 1} của {name}",
                (f"Tổng thu ngân sách năm {year - 1}: {_number(settled)} triệu đồng.",
                 f"Tổng chi ngân sách năm {year - 1}: {_number(round(settled * 0.98))} triệu đồng.")),
        Planned("ngan-sach", f"{next(serial)}/BC-{symbol}", "Báo cáo", date(year, 7, rng.randint(5, 20)),
                f"Công khai tình hình thực hiện dự toán ngân sách 6 tháng đầu năm {year}",
                (f"Thu ngân sách 6 tháng đạt {_number(round(revenue * 0.52))} triệu đồng, "
                 f"bằng {rng.randint(48, 58)}% dự toán.",)),
        Planned("dau-tu-mua-sam", f"{next(serial)}/TB-{symbol}", "Thông báo", date(year, 8, rng.randint(1, 28)),
                f"Kết quả lựa chọn nhà thầu gói thầu {work.lower()} năm {year}",
                (f"Giá trúng thầu: {_number(cost)} triệu đồng (đã bao gồm thuế giá trị gia tăng).",
                 f"Thời gian thực hiện hợp đồng: {rng.randint(60, 240)} ngày.")),
        Planned("thong-ke", f"{next(serial)}/BC-{symbol}", "Báo cáo", date(year, 10, rng.randint(1, 28)),
                f"Báo cáo số liệu thống kê chuyên ngành 9 tháng năm {year}",
                (f"Số hồ sơ thủ tục hành chính tiếp nhận: {_number(rng.randint(800, 40_000))}.",)),
        Planned("khoa-hoc-cong-nghe", f"{next(serial)}/{year}/QĐ-{symbol}", "Quyết định",
                date(year, 3, rng.randint(1, 28)), f"Phê duyệt danh mục nhiệm vụ khoa học và công nghệ năm {year}",
                (f"Phê duyệt {rng.randint(3, 15)} nhiệm vụ với tổng kinh phí {_number(rng.randint(800, 9_000))} "
                 "triệu đồng.",)),
        Planned("ngan-sach", f"{next(serial)}/{year}/QĐ-{symbol}", "Quyết định",
                date(year, 12, rng.randint(20, 31)),
                f"Công bố công khai dự toán ngân sách năm {year + 1} của {name}",
                (f"Dự toán thu ngân sách năm {year + 1}: {_number(round(revenue * 1.06))} triệu đồng.",
                 f"Dự toán chi ngân sách năm {year + 1}: {_number(round(spending * 1.06))} triệu đồng.")),
    ]


def _pdf(site: Site, item: Planned) -> tuple[bytes, str, str]:
    pdf = demo_pdf.document_pdf(document_fields(site, item), _sign(site), _place(site), list(item.articles))
    return pdf, "application/pdf", ""


def _published(site: Site, item: Planned, now: datetime) -> datetime:
    """On the site one to five working days after it was issued, in office hours; never after now."""
    rng = random.Random(f"{site.slug}|{item.number}|published")
    moment = datetime.combine(item.issued_on + timedelta(days=rng.randint(1, 5)), time(rng.randint(8, 16)), LOCAL_TIME)
    return min(moment, now.astimezone(LOCAL_TIME))


def _sign(site: Site) -> str:
    title = site.leaders[0][0]
    if site.kind is None:  # a department's head signs as Giám đốc
        return title.removesuffix(" Sở").upper()
    return SIGNS[title.split(" UBND")[0]].upper()


def _place(site: Site) -> str:
    return "Huế" if site.kind in (None, "tỉnh") else site.short


def _file_name(item: Planned) -> str:
    return "-".join(part.lower() for part in item.number.replace("/", "-").split("-")).replace("đ", "d") + ".pdf"


def _number(value: int) -> str:
    """7448251 → 7.448.251, as Vietnamese writes numbers."""
    return f"{value:,}".replace(",", ".")
