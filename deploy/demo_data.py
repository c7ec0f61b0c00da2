"""Demo data loaded through the gateway's JSON API, as an editor would: the province, a few
departments and district-level units, a dozen communes and wards, a few articles each.
Running it twice adds nothing (existing units and articles are kept)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

PROVINCE = ("thua-thien-hue", "Tỉnh Thừa Thiên Huế", "Thua Thien Hue Province", "tinh", None)
DEPARTMENTS = [
    ("so-thong-tin-va-truyen-thong", "Sở Thông tin và Truyền thông", "Department of Information and Communications"),
    ("so-y-te", "Sở Y tế", "Department of Health"),
    ("so-giao-duc-va-dao-tao", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
]
DISTRICTS = {
    ("thanh-pho-hue", "Thành phố Huế", "Hue City"): [
        ("phuong-phu-hoi", "Phường Phú Hội"), ("phuong-vinh-ninh", "Phường Vĩnh Ninh"),
        ("phuong-thuan-hoa", "Phường Thuận Hòa"), ("xa-phu-mau", "Xã Phú Mậu"),
    ],
    ("thi-xa-huong-thuy", "Thị xã Hương Thủy", "Huong Thuy Town"): [
        ("phuong-phu-bai", "Phường Phú Bài"), ("phuong-thuy-duong", "Phường Thủy Dương"),
        ("phuong-thuy-phuong", "Phường Thủy Phương"), ("xa-thuy-thanh", "Xã Thủy Thanh"),
    ],
    ("huyen-phu-vang", "Huyện Phú Vang", "Phu Vang District"): [
        ("thi-tran-phu-da", "Thị trấn Phú Đa"), ("xa-phu-dien", "Xã Phú Diên"),
        ("xa-vinh-thanh", "Xã Vinh Thanh"), ("xa-phu-thuan", "Xã Phú Thuận"),
    ],
}
# (slug, title, summary, body); a fixed slug makes a second run a no-op (409).
ARTICLES = [
    ("chuyen-doi-so-2026", "{name} đẩy mạnh chuyển đổi số và chính quyền điện tử",
     "Năm 2026, {name} tiếp tục đưa dịch vụ công trực tuyến đến gần người dân.",
     "<p>{name} triển khai trang thông tin điện tử theo chuẩn giao diện chung của tỉnh, "
     "cập nhật lịch công tác và văn bản chỉ đạo điều hành kịp thời.</p>"),
    ("cai-cach-thu-tuc-hanh-chinh", "Hội nghị triển khai nhiệm vụ cải cách thủ tục hành chính tại {name}",
     "UBND {name} họp triển khai kế hoạch cải cách thủ tục hành chính.",
     "<p>Hội nghị thống nhất giải pháp giảm thời gian giải quyết thủ tục hành chính, "
     "tăng tỷ lệ hồ sơ nộp trực tuyến.</p>"),
    ("ngay-chu-nhat-xanh", "{name} ra quân vệ sinh môi trường, xây dựng nếp sống văn minh",
     "Đông đảo người dân tham gia ngày chủ nhật xanh.",
     "<p>Hoạt động thu hút cán bộ, đoàn viên thanh niên và nhân dân trên địa bàn.</p>"),
]


def units():
    slug, name, name_en, level, parent = PROVINCE
    yield {"slug": slug, "name": name, "name_en": name_en, "level": level}
    for slug, name, name_en in DEPARTMENTS:
        yield {"slug": slug, "name": name, "name_en": name_en, "level": "so-nganh", "parent": PROVINCE[0]}
    for (slug, name, name_en), communes in DISTRICTS.items():
        yield {"slug": slug, "name": name, "name_en": name_en, "level": "huyen", "parent": PROVINCE[0]}
        for commune_slug, commune_name in communes:
            yield {"slug": commune_slug, "name": commune_name, "level": "xa", "parent": slug}


def load(base_url: str, token: str, log=print) -> int:
    """Create every unit and publish its articles; returns how many articles were published."""
    api = _Api(base_url, token)
    published = 0
    for unit in units():
        status, _ = api.send("POST", "/api/units", unit)
        if status not in (201, 409):
            raise RuntimeError(f"could not create unit {unit['slug']}: HTTP {status}")
        for slug, title, summary, body in ARTICLES:
            name = unit["name"]
            article = {"slug": slug, "title": title.format(name=name), "summary": summary.format(name=name),
                       "body_html": body.format(name=name), "author": "Ban biên tập"}
            status, created = api.send("POST", f"/api/units/{unit['slug']}/articles", article)
            if status == 409:
                continue  # loaded by an earlier run
            if status != 201:
                raise RuntimeError(f"could not create an article for {unit['slug']}: HTTP {status} {created}")
            api.send("POST", f"/api/articles/{created['id']}/publish", {"version": created["version"]})
            published += 1
    log(f"Demo data: {sum(1 for _ in units())} units, {published} new articles published")
    return published


class _Api:
    def __init__(self, base_url: str, token: str):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def send(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.base_url + path, method=method, data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
