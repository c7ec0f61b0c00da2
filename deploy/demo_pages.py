"""The demo's introduction pages that deploy/demo_history.py does not write: the unit's functions
and duties ("Chức năng, nhiệm vụ"), its leaders with their biographies and duties ("Lãnh đạo")
and its organisation in English ("Organisational structure"), each worded for the unit's level
(Decree 42/2022/NĐ-CP art. 4; Circular 22/2023/TT-BTTTT art. 4 for the English page).

The leaders are the unit's own (deploy/demo_site.py, faker's Vietnamese names); what else a page
says is drawn from the unit's slug, so a second load draws the same pages, which the history
import then skips. About one unit in six (by a hash of its slug) has not written its leaders'
page nor its English organisation, so the conformance report has true gaps to show.
"""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, time, timedelta

from deploy import demo_history
from deploy.demo_site import PROVINCE, Site
from services.common.vietnam_time import LOCAL_TIME

# What each of a local government's leaders answers for, the head first (Law on the Organisation
# of Local Government 2015); a department's leaders by the same order.
LOCAL_DUTIES = (
    "Lãnh đạo, điều hành chung hoạt động của Ủy ban nhân dân; trực tiếp phụ trách công tác tổ chức, "
    "cán bộ, quốc phòng, an ninh, tài chính, ngân sách và cải cách hành chính.",
    "Phụ trách lĩnh vực kinh tế: nông nghiệp, xây dựng, giao thông, tài nguyên và môi trường, "
    "phòng, chống thiên tai.",
    "Phụ trách lĩnh vực văn hóa - xã hội: giáo dục, y tế, văn hóa, thông tin, lao động, "
    "thương binh và xã hội, chuyển đổi số.",
)
DEPARTMENT_DUTIES = (
    "Lãnh đạo, điều hành chung mọi hoạt động của cơ quan; trực tiếp phụ trách công tác tổ chức cán bộ, "
    "kế hoạch, tài chính, thi đua - khen thưởng.",
    "Phụ trách công tác chuyên môn, nghiệp vụ; theo dõi các phòng chuyên môn và cải cách hành chính.",
    "Phụ trách công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo và các đơn vị sự nghiệp trực thuộc.",
)
DEGREES = ("Thạc sĩ Quản lý công", "Cử nhân Luật", "Kỹ sư Nông nghiệp", "Thạc sĩ Kinh tế", "Cử nhân Hành chính",
           "Cử nhân Kinh tế", "Thạc sĩ Quản lý kinh tế")
# The titles' English, by the first words of the Vietnamese title.
TITLES_EN = {"Chủ tịch": "Chairperson of the People's Committee",
             "Phó Chủ tịch": "Vice Chairperson of the People's Committee",
             "Giám đốc": "Director", "Phó Giám đốc": "Deputy Director", "Trưởng Ban": "Head",
             "Phó Trưởng Ban": "Deputy Head", "Chánh": "Chief", "Phó Chánh": "Deputy Chief"}


def left_out(slug: str) -> bool:
    """About one unit in six has not written its leaders' page nor its English organisation:
    chosen by its slug, the same every load."""
    return int(hashlib.sha256(f"{slug}|pages".encode()).hexdigest(), 16) % 6 == 0


def pages(unit: dict, now: datetime) -> list[dict]:
    """The unit's pages as history items, each last reviewed one to ten months before `now`."""
    site = Site.of(unit)
    rng = random.Random(f"{site.slug}|standard-pages")
    drawn = [("chuc-nang-nhiem-vu", "vi", "Chức năng, nhiệm vụ, quyền hạn", _duties(site))]
    if not left_out(site.slug):
        drawn += [("lanh-dao", "vi", "Lãnh đạo", _leaders(site, rng)),
                  ("co-cau-to-chuc", "en", "Organisational structure", _organisation_en(site))]
    today = now.astimezone(LOCAL_TIME).date()
    items = []
    for key, lang, title, body in drawn:
        reviewed = datetime.combine(today - timedelta(days=rng.randint(30, 300)), time(rng.randint(8, 16)),
                                    LOCAL_TIME)
        items.append({"kind": "page", "key": key, "lang": lang, "title": title, "body_html": body,
                      "updated_at": reviewed.isoformat()})
    return items


def load_unit(content, acting, unit: dict, now: datetime) -> int:
    """Import the unit's pages not there yet; the number created."""
    return demo_history.imported(content, acting, unit["slug"], pages(unit, now))["imported"]


def _duties(site: Site) -> str:
    if site.kind is None:
        return (f"<p>{site.title} là cơ quan chuyên môn thuộc Ủy ban nhân dân {PROVINCE}, tham mưu, giúp Ủy ban "
                f"nhân dân tỉnh thực hiện chức năng quản lý nhà nước về lĩnh vực được giao {site.area}; thực hiện "
                "các dịch vụ công theo quy định của pháp luật (Nghị định 24/2014/NĐ-CP).</p>"
                "<p>Nhiệm vụ, quyền hạn:</p><ul><li>Trình Ủy ban nhân dân tỉnh dự thảo quyết định, kế hoạch, "
                "chương trình phát triển của ngành.</li><li>Tổ chức thực hiện văn bản quy phạm pháp luật, quy "
                "hoạch, kế hoạch sau khi được phê duyệt; thông tin, tuyên truyền, phổ biến pháp luật.</li>"
                "<li>Hướng dẫn, kiểm tra chuyên môn, nghiệp vụ đối với cấp huyện, cấp xã.</li><li>Giải quyết "
                "thủ tục hành chính, thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo thuộc thẩm quyền.</li></ul>")
    committee = f"Ủy ban nhân dân {site.name}"
    council = f"Hội đồng nhân dân {site.name}"
    above = {"tỉnh": "Chính phủ", "xã": "Ủy ban nhân dân cấp huyện", "phường": "Ủy ban nhân dân cấp huyện",
             "thị trấn": "Ủy ban nhân dân cấp huyện"}.get(site.kind, f"Ủy ban nhân dân {PROVINCE}")
    return (f"<p>{committee} do {council} bầu, là cơ quan chấp hành của {council}, cơ quan hành chính nhà nước "
            f"ở địa phương, chịu trách nhiệm trước Nhân dân, {council} và {above} (Luật Tổ chức chính quyền "
            "địa phương năm 2015).</p><p>Nhiệm vụ, quyền hạn:</p><ul>"
            f"<li>Xây dựng, trình {council} quyết định các nội dung thuộc thẩm quyền; tổ chức thực hiện nghị "
            "quyết của Hội đồng nhân dân.</li><li>Lập dự toán, tổ chức thực hiện ngân sách; quản lý đất đai, "
            "tài nguyên, trật tự xây dựng " + site.area + ".</li><li>Bảo đảm quốc phòng, an ninh, trật tự, an "
            "toàn xã hội; phòng, chống thiên tai.</li><li>Giải quyết thủ tục hành chính cho người dân, doanh "
            "nghiệp; tiếp công dân, giải quyết khiếu nại, tố cáo; công khai thông tin theo quy định.</li></ul>")


def _leaders(site: Site, rng: random.Random) -> str:
    duties = DEPARTMENT_DUTIES if site.kind is None else LOCAL_DUTIES
    parts = [f"<p>Lãnh đạo {site.committee} nhiệm kỳ 2021-2026.</p>"]
    for (title, name), duty in zip(site.leaders, duties, strict=True):
        born = rng.randint(1966, 1984)
        parts.append(f"<h2>{name}</h2><ul><li>Chức vụ: {title}</li><li>Năm sinh: {born}</li>"
                     f"<li>Trình độ: {rng.choice(DEGREES)}, Cao cấp lý luận chính trị</li>"
                     f"<li>Nhiệm vụ: {duty}</li></ul>")
    return "".join(parts)


def _organisation_en(site: Site) -> str:
    people = ", ".join(f"{name} ({_title_en(title)})" for title, name in site.leaders)
    if site.kind is None:
        return (f"<p>The {site.name_en} is a specialised agency of the People's Committee of Thua Thien Hue "
                f"province. Its leadership: {people}.</p><p>It comprises an Office, an Inspectorate, specialised "
                "divisions and the public service units under it.</p>")
    return (f"<p>The People's Committee of {site.name_en} is elected by its People's Council. Its leadership: "
            f"{people}.</p><p>Its office and specialised divisions advise it on the economy, land and "
            "construction, finance, justice, culture and social affairs.</p>")


def _title_en(title: str) -> str:
    return next(english for first, english in sorted(TITLES_EN.items(), key=lambda pair: -len(pair[0]))
                if title.startswith(first))
