"""The demo's administrative procedures ("thủ tục hành chính"): each unit publishes those of its
level as the national database lists them (a commune its civil registration, certification,
residence and social protection; a district or town its household businesses, building permits
and land; a department those of its sector), each with its papers, time limit, fees, legal basis
and its page on the National Public Services Portal.

Everything is drawn from the unit's slug, so a second load draws the same procedures and creates
none (each is known by its name in the unit). About one unit in six (by a hash of its slug) has
published none, so the conformance report has true gaps to show.
"""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

NATIONAL_PAGE = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"
CIVIL_STATUS = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP quy định chi tiết một số điều của Luật Hộ tịch"
CERTIFICATION = "Nghị định 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký"


def _procedure(name, code, field, time, fees, papers, result, basis) -> dict:
    return {"name": name, "code": code, "field": field, "processing_time": time, "fees": fees,
            "papers": papers, "result": result, "legal_basis": basis}


COMMUNE = (
    _procedure("Đăng ký khai sinh", "1.001193", "Hộ tịch", "Ngay trong ngày tiếp nhận hồ sơ",
               "Miễn lệ phí đối với đăng ký khai sinh đúng hạn",
               ("Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh hoặc giấy tờ thay giấy chứng sinh",
                "Giấy tờ tùy thân của người đi đăng ký"), "Giấy khai sinh (bản chính)", CIVIL_STATUS),
    _procedure("Đăng ký kết hôn", "1.000894", "Hộ tịch", "Ngay trong ngày tiếp nhận hồ sơ", "Miễn lệ phí",
               ("Tờ khai đăng ký kết hôn theo mẫu", "Giấy tờ tùy thân của hai bên nam, nữ",
                "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không cư trú)"),
               "Giấy chứng nhận kết hôn", CIVIL_STATUS + "; Luật Hôn nhân và gia đình 2014"),
    _procedure("Đăng ký khai tử", "1.000656", "Hộ tịch", "Ngay trong ngày tiếp nhận hồ sơ",
               "Miễn lệ phí đối với đăng ký khai tử đúng hạn",
               ("Tờ khai đăng ký khai tử theo mẫu", "Giấy báo tử hoặc giấy tờ thay giấy báo tử"),
               "Trích lục khai tử (bản chính)", CIVIL_STATUS),
    _procedure("Cấp Giấy xác nhận tình trạng hôn nhân", "1.004873", "Hộ tịch", "03 ngày làm việc",
               "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
               ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu",
                "Giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu có)"),
               "Giấy xác nhận tình trạng hôn nhân", CIVIL_STATUS),
    _procedure("Đăng ký nhận cha, mẹ, con", "1.001022", "Hộ tịch", "03 ngày làm việc",
               "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
               ("Tờ khai đăng ký nhận cha, mẹ, con theo mẫu", "Chứng cứ chứng minh quan hệ cha, mẹ, con"),
               "Trích lục đăng ký nhận cha, mẹ, con", CIVIL_STATUS),
    _procedure("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "2.000815", "Chứng thực",
               "Trong ngày cơ quan tiếp nhận yêu cầu", "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang",
               ("Bản chính giấy tờ, văn bản cần chứng thực", "Bản sao cần chứng thực"),
               "Bản sao được chứng thực từ bản chính", CERTIFICATION),
    _procedure("Chứng thực chữ ký trong các giấy tờ, văn bản", "2.000884", "Chứng thực",
               "Trong ngày cơ quan tiếp nhận yêu cầu", "10.000 đồng/trường hợp",
               ("Giấy tờ tùy thân của người yêu cầu chứng thực", "Giấy tờ, văn bản sẽ ký"),
               "Giấy tờ, văn bản được chứng thực chữ ký", CERTIFICATION),
    _procedure("Đăng ký thường trú", "1.004194", "Đăng ký, quản lý cư trú", "07 ngày làm việc",
               "20.000 đồng; nộp trực tuyến 10.000 đồng",
               ("Tờ khai thay đổi thông tin cư trú", "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"),
               "Thông báo kết quả đăng ký thường trú", "Luật Cư trú 2020; Nghị định 62/2021/NĐ-CP"),
    _procedure("Thực hiện trợ cấp xã hội hằng tháng đối với đối tượng bảo trợ xã hội", "1.001776",
               "Bảo trợ xã hội", "20 ngày làm việc", "Không",
               ("Tờ khai đề nghị trợ giúp xã hội theo mẫu", "Giấy tờ chứng minh thuộc đối tượng bảo trợ xã hội"),
               "Quyết định trợ cấp xã hội hằng tháng", "Nghị định 20/2021/NĐ-CP về chính sách trợ giúp xã hội"),
)
DISTRICT = (
    _procedure("Đăng ký thành lập hộ kinh doanh", "2.000720", "Thành lập và hoạt động của hộ kinh doanh",
               "03 ngày làm việc", "100.000 đồng; nộp trực tuyến miễn lệ phí",
               ("Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao giấy tờ pháp lý của chủ hộ kinh doanh"),
               "Giấy chứng nhận đăng ký hộ kinh doanh", "Nghị định 01/2021/NĐ-CP về đăng ký doanh nghiệp"),
    _procedure("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "1.009994", "Xây dựng", "15 ngày",
               "75.000 đồng/giấy phép",
               ("Đơn đề nghị cấp giấy phép xây dựng theo mẫu", "Giấy tờ chứng minh quyền sử dụng đất",
                "Hai bộ bản vẽ thiết kế xây dựng"), "Giấy phép xây dựng",
               "Luật Xây dựng 2014, sửa đổi 2020; Nghị định 15/2021/NĐ-CP"),
    _procedure("Đăng ký kết hôn có yếu tố nước ngoài", "1.000893", "Hộ tịch", "15 ngày",
               "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
               ("Tờ khai đăng ký kết hôn theo mẫu", "Giấy xác nhận của tổ chức y tế về sức khỏe tâm thần",
                "Giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài"), "Giấy chứng nhận kết hôn",
               CIVIL_STATUS),
    _procedure("Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "1.004227", "Đất đai",
               "20 ngày làm việc", "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
               ("Đơn đăng ký, cấp Giấy chứng nhận theo mẫu", "Giấy tờ về quyền sử dụng đất (nếu có)",
                "Chứng từ thực hiện nghĩa vụ tài chính"),
               "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
               "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP"),
    _procedure("Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp", "2.000908", "Chứng thực",
               "Trong ngày cơ quan tiếp nhận yêu cầu", "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang",
               ("Bản chính giấy tờ đã được hợp pháp hóa lãnh sự", "Bản sao cần chứng thực"),
               "Bản sao được chứng thực từ bản chính", CERTIFICATION),
)
# A department's own procedures, by the words of its name; any other department has the common ones.
SECTORS = {
    "Tư pháp": (_procedure("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "2.000488", "Lý lịch tư pháp",
                           "10 ngày làm việc", "200.000 đồng/lần",
                           ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp giấy tờ tùy thân"),
                           "Phiếu lý lịch tư pháp", "Luật Lý lịch tư pháp 2009"),),
    "Kế hoạch và Đầu tư": (_procedure("Đăng ký thành lập doanh nghiệp tư nhân", "2.001610",
                                      "Thành lập và hoạt động doanh nghiệp", "03 ngày làm việc",
                                      "50.000 đồng; nộp trực tuyến miễn lệ phí",
                                      ("Giấy đề nghị đăng ký doanh nghiệp",
                                       "Bản sao giấy tờ pháp lý của chủ doanh nghiệp"),
                                      "Giấy chứng nhận đăng ký doanh nghiệp", "Luật Doanh nghiệp 2020"),),
    "Giao thông": (_procedure("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "1.002804", "Đường bộ",
                              "05 ngày làm việc", "135.000 đồng/lần",
                              ("Đơn đề nghị đổi giấy phép lái xe", "Giấy khám sức khỏe của người lái xe"),
                              "Giấy phép lái xe", "Thông tư 12/2017/TT-BGTVT"),),
    "Xây dựng": (_procedure("Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "1.009982", "Xây dựng",
                            "20 ngày", "300.000 đồng/chứng chỉ",
                            ("Đơn đề nghị cấp chứng chỉ hành nghề", "Văn bằng chuyên môn", "Bản khai kinh nghiệm"),
                            "Chứng chỉ hành nghề hoạt động xây dựng", "Nghị định 15/2021/NĐ-CP"),),
    "Y tế": (_procedure("Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "1.012265", "Khám bệnh, chữa bệnh",
                        "30 ngày", "Theo quy định của Bộ Tài chính",
                        ("Đơn đề nghị cấp giấy phép hành nghề", "Văn bằng chuyên môn", "Giấy chứng nhận đủ sức khỏe"),
                        "Giấy phép hành nghề khám bệnh, chữa bệnh", "Luật Khám bệnh, chữa bệnh 2023"),),
    "Lao động": (_procedure("Cấp giấy phép lao động cho người lao động nước ngoài", "1.000105", "Việc làm",
                            "05 ngày làm việc", "Theo Nghị quyết của Hội đồng nhân dân tỉnh",
                            ("Văn bản đề nghị cấp giấy phép lao động", "Giấy chứng nhận sức khỏe", "Hộ chiếu"),
                            "Giấy phép lao động", "Bộ luật Lao động 2019; Nghị định 152/2020/NĐ-CP"),),
}
COMMON = (
    _procedure("Cung cấp thông tin theo yêu cầu", "2.002217", "Tiếp cận thông tin", "10 ngày làm việc",
               "Chi phí thực tế để in, sao, chụp, gửi thông tin",
               ("Phiếu yêu cầu cung cấp thông tin theo mẫu", "Giấy tờ tùy thân của người yêu cầu"),
               "Thông tin được cung cấp", "Luật Tiếp cận thông tin 2016; Nghị định 13/2018/NĐ-CP"),
    _procedure("Giải quyết khiếu nại lần đầu", "2.002399", "Giải quyết khiếu nại", "30 ngày", "Không",
               ("Đơn khiếu nại hoặc bản ghi lời khiếu nại", "Tài liệu, chứng cứ liên quan"),
               "Quyết định giải quyết khiếu nại", "Luật Khiếu nại 2011; Nghị định 124/2020/NĐ-CP"),
)


def left_out(slug: str) -> bool:
    """About one unit in six has published no procedure: chosen by its slug, the same every load."""
    return int(hashlib.sha256(f"{slug}|procedures".encode()).hexdigest(), 16) % 6 == 0


def catalogue(unit: dict) -> tuple[str, tuple[dict, ...]]:
    """The level the unit handles procedures at, and the procedures of that level it may have."""
    if unit["level"] == "xa":
        return "xa", COMMUNE
    if unit["level"] == "huyen":
        return "huyen", DISTRICT
    own = tuple(item for words, items in SECTORS.items() if words in unit["name"] for item in items)
    return "tinh", own + COMMON


def procedures_of(unit: dict) -> list[dict]:
    """The unit's procedures as the content service takes them: most of its level's, drawn by its slug."""
    level, candidates = catalogue(unit)
    rng = random.Random(f"{unit['slug']}|procedures")
    chosen = rng.sample(candidates, max(len(candidates) - rng.randint(0, 3), min(len(candidates), 2)))
    items = []
    for item in chosen:
        papers = "<ul>" + "".join(f"<li>{paper}</li>" for paper in item["papers"]) + "</ul>"
        # A few are not yet on the national portal: their page sends citizens to the unit's own.
        linked = rng.random() < 0.85
        items.append({**{key: value for key, value in item.items() if key != "papers"}, "level": level,
                      "papers_html": papers,
                      "portal_url": NATIONAL_PAGE.format(code=item["code"]) if linked else None})
    return items


def load_unit(content, acting, unit: dict, now: datetime) -> int:
    """Publish the unit's procedures not there yet; the number created."""
    if left_out(unit["slug"]):
        return 0
    rng = random.Random(f"{unit['slug']}|procedures|published")
    published_at = now - timedelta(days=rng.randint(30, 400), hours=rng.randint(0, 8))
    return content.import_procedures(acting(), unit["slug"], procedures_of(unit), published_at.isoformat())
