"""The demo's drafts out for comment ("lấy ý kiến dự thảo"): for most units one draft open now,
closing in one to four weeks, with a comment or two published; and for most of those, one draft
of earlier in the year, closed, with its comments and the unit's summary of them.

Everything is drawn from the unit's slug, so a second load draws the same drafts and creates none
(each is known by its title in the unit). About one unit in six (by a hash of its slug) has put
no draft out for comment, so the conformance report has true gaps to show.
"""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, time, timedelta

from deploy.demo_site import Site
from services.common.vietnam_time import LOCAL_TIME

LISTED = 100  # a unit's drafts read at once to know which are there
# (title, field, what the draft is about), each title followed by the unit's name.
DRAFTS = (
    ("Dự thảo Quy chế quản lý, khai thác chợ", "Thương mại",
     "Dự thảo quy định giờ mở cửa, bố trí điểm kinh doanh, vệ sinh môi trường và phòng cháy tại chợ."),
    ("Dự thảo Kế hoạch chuyển đổi số", "Công nghệ thông tin",
     "Dự thảo đặt mục tiêu đưa dịch vụ công trực tuyến toàn trình đến người dân và số hóa hồ sơ."),
    ("Dự thảo Quy định về bảo vệ môi trường khu dân cư", "Tài nguyên và Môi trường",
     "Dự thảo quy định việc thu gom rác thải, giữ gìn vệ sinh đường làng, ngõ xóm và nguồn nước."),
    ("Dự thảo Kế hoạch phát triển du lịch cộng đồng", "Văn hóa, Thể thao và Du lịch",
     "Dự thảo xác định các điểm du lịch cộng đồng, hỗ trợ hộ dân làm dịch vụ lưu trú và ẩm thực."),
    ("Dự thảo Quy chế phối hợp giải quyết thủ tục hành chính", "Cải cách hành chính",
     "Dự thảo quy định trách nhiệm phối hợp giữa các bộ phận khi giải quyết hồ sơ của người dân."),
    ("Dự thảo Phương án phòng, chống thiên tai", "Phòng, chống thiên tai",
     "Dự thảo bố trí lực lượng, phương tiện và địa điểm sơ tán dân khi có bão, lũ."),
)
COMMENTERS = ("Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Quang Minh", "Phạm Thị Hoa", "Hoàng Văn Nam", "Võ Thị Lan")
REMARKS = (
    "Đề nghị làm rõ thời gian áp dụng và lộ trình thực hiện để người dân kịp chuẩn bị.",
    "Tôi thống nhất với dự thảo; đề nghị bổ sung kinh phí hỗ trợ cho các hộ khó khăn.",
    "Đề nghị tổ chức họp thôn để phổ biến nội dung trước khi ban hành.",
    "Cần quy định cụ thể trách nhiệm của từng bộ phận và thời hạn trả lời người dân.",
)


def left_out(slug: str) -> bool:
    """About one unit in six puts no draft out for comment: chosen by its slug, the same every load."""
    return int(hashlib.sha256(f"{slug}|consultations".encode()).hexdigest(), 16) % 6 == 0


def load_unit(content, acting, unit: dict, now: datetime) -> int:
    """Create the unit's drafts for comment not there yet; the number created."""
    if left_out(unit["slug"]):
        return 0
    site = Site.of(unit)
    rng = random.Random(f"{site.slug}|consultations")
    today = now.astimezone(LOCAL_TIME).date()
    present = {item["title"] for item in content.list_consultations_for_staff(
        acting(), site.slug, limit=LISTED)["consultations"]}
    (open_title, open_field, open_about), (past_title, past_field, past_about) = rng.sample(DRAFTS, 2)
    created = 0
    open_title = f"{open_title} {site.name}"
    if open_title not in present:
        draft = content.create_consultation(acting(), site.slug, {
            "title": open_title, "description": f"{site.committee} lấy ý kiến Nhân dân. {open_about}",
            "closes_on": (today + timedelta(days=rng.randint(7, 28))).isoformat(), "field": open_field})
        content.open_consultation(acting(), draft["id"], {"version": draft["version"]})
        for name, remark in _comments(rng, rng.randint(1, 2)):
            sent = content.comment_on_consultation(site.slug, draft["id"], {
                "name": name, "contact": f"{_address(name)}@example.vn", "body": remark})
            content.publish_consultation_comment(acting(), sent["id"])
        created += 1
    past_title = f"{past_title} {site.name}"
    opened = today - timedelta(days=rng.randint(45, 120))
    if rng.random() < 0.7 and past_title not in present:
        comments = [{"name": name, "body": remark, "sent_at": _at(opened + timedelta(days=day), 9 + day % 8)}
                    for day, (name, remark) in enumerate(_comments(rng, rng.randint(2, 3)), start=2)]
        imported = content.import_past_consultation(acting(), site.slug, {
            "title": past_title, "description": f"{site.committee} lấy ý kiến Nhân dân. {past_about}",
            "field": past_field, "opened_at": _at(opened, 8),
            "closes_on": (opened + timedelta(days=30)).isoformat(), "comments": comments,
            "summary_html": f"<p>{site.committee} nhận được {len(comments)} ý kiến góp ý. Các ý kiến đã được tiếp "
                            "thu, chỉnh sửa vào dự thảo; ý kiến chưa tiếp thu đã được giải trình tại cuộc họp "
                            "thôn.</p>"})
        created += imported["imported"]
    return created


def _comments(rng: random.Random, count: int) -> list[tuple[str, str]]:
    return list(zip(rng.sample(COMMENTERS, count), rng.sample(REMARKS, count)))


def _at(day, hour: int) -> str:
    return datetime.combine(day, time(hour), LOCAL_TIME).isoformat()


def _address(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:10]
