"""A demo unit as its site speaks of it: its names, its leaders with the titles of its level,
its places, how to reach it, who runs the site and who answers requests for information.
Everything is drawn from the unit's slug, so every load draws the same; people are named with
faker's Vietnamese names, seeded likewise."""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from faker.providers.person.vi_VN import Provider as NAMES

from services.common.vietnamese import without_marks

UNITS_FILE = Path(__file__).parent / "demo" / "units_thua_thien_hue.json"
PROVINCE = "tỉnh Thừa Thiên Huế"
PROVINCE_COMMITTEE = f"Ủy ban nhân dân {PROVINCE}"
# The word a local government's name begins with, as it reads inside a sentence (UBND xã Phú Mậu).
LOCAL_KINDS = {"tinh": "tỉnh", "thanh-pho": "thành phố", "thi-xa": "thị xã", "huyen": "huyện", "xa": "xã",
               "phuong": "phường", "thi-tran": "thị trấn"}
# A department's head and deputy by the first word of its name: the title goes before the rest of
# the name (Giám đốc Sở + Y tế, Trưởng Ban + Dân tộc, Chánh Thanh tra + tỉnh).
DEPARTMENT_HEADS = {"Sở": ("Giám đốc Sở", "Phó Giám đốc Sở"), "Ban": ("Trưởng Ban", "Phó Trưởng Ban"),
                    "Văn phòng": ("Chánh Văn phòng", "Phó Chánh Văn phòng"),
                    "Thanh tra": ("Chánh Thanh tra", "Phó Chánh Thanh tra")}
# Streets of Huế where the province's departments have their offices.
STREETS = ("Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Tôn Đức Thắng", "Lý Thường Kiệt", "Bến Nghé",
           "Hà Nội", "Lê Quý Đôn", "Đống Đa", "Phạm Văn Đồng", "Võ Văn Kiệt", "Nguyễn Văn Linh")
HAMLETS = ("An Lại", "Phú Xuân", "Vĩnh Lưu", "Diên Đại", "Lại Thế", "Thanh Lam", "Mỹ Lợi", "Hà Trữ", "Đông Xuyên",
           "Kế Môn", "Phước Yên", "Thủy Tú", "Lương Viện", "Vân Dương", "Xuân Hòa", "Bàu Sen", "Ngọc Anh", "La Khê")
LICENSED_COMMUNES = 0.3  # the share of communes whose site holds a licence of its own
# The share of communes that name a contact point for information requests of their own; the
# others leave it empty, and their footer shows their district's (Decree 13/2018/ND-CP, art. 9).
OWN_CONTACT_POINT_COMMUNES = 0.5
PUBLIC_SERVICES_URL = "https://dichvucong.thuathienhue.gov.vn"  # the province's; every unit's footer links it
# Who a unit puts in charge of information requests, by its kind (None: a department).
CONTACT_POINT_TITLES = {"tỉnh": "Chuyên viên Văn phòng UBND tỉnh", "thành phố": "Chuyên viên Văn phòng HĐND và UBND",
                        "thị xã": "Chuyên viên Văn phòng HĐND và UBND", "huyện": "Chuyên viên Văn phòng HĐND và UBND",
                        "xã": "Công chức Văn phòng - Thống kê", "phường": "Công chức Văn phòng - Thống kê",
                        "thị trấn": "Công chức Văn phòng - Thống kê", None: "Chuyên viên Văn phòng"}


def person(rng: random.Random) -> str:
    """A Vietnamese full name (family, middle, given) from faker's vi_VN lists, drawn with `rng`:
    the same draws name the same person on every load, whichever thread asks."""
    female = rng.random() < 0.4
    given = rng.choice(NAMES.first_names_female if female else NAMES.first_names_male)
    middle = "Thị" if female else rng.choice([name for name in NAMES.middle_names if name != "Thị"])
    return f"{rng.choice(NAMES.last_names)} {middle} {given}"


@dataclass(frozen=True)
class Site:
    """A unit as its news speak of it: names, leaders, places, contact details."""
    slug: str
    level: str
    title: str  # its own name: Xã Phú Mậu, Sở Y tế
    name: str  # as a sentence names it: xã Phú Mậu, Sở Y tế
    name_en: str
    kind: str | None  # tỉnh, xã, phường … for a local government; None for a department
    short: str
    committee: str  # UBND xã Phú Mậu, or the department's own name
    area: str
    symbol: str  # the issuer in its documents' numbers
    leaders: tuple[tuple[str, str], ...]  # (title, name), the head first
    villages: tuple[str, ...]
    parent: str | None

    @property
    def titled_leaders(self) -> list[str]:
        return [f"{title} {name}" for title, name in self.leaders]

    @property
    def head_title(self) -> str:
        """The head's title with the unit it heads: Chủ tịch UBND xã Phú Mậu, Giám đốc Sở Y tế."""
        title = self.leaders[0][0]
        if self.kind is not None:
            return f"{title} {self.short}"
        first = next(first for first in DEPARTMENT_HEADS if self.title.startswith(first))
        return f"{title.removesuffix(first)}{self.title}"

    @classmethod
    def of(cls, unit: dict) -> Site:
        return _site(unit["slug"], unit["name"], unit.get("name_en") or unit["name"], unit["kind"], unit["level"],
                     unit.get("parent"))

    def contact(self) -> dict:
        """The unit profile's contact: its office, phone, email, and its head answers for the site."""
        rng = random.Random(f"{self.slug}|contact")
        if self.kind is None:
            address = f"Số {rng.randint(1, 180)} đường {rng.choice(STREETS)}, thành phố Huế, {PROVINCE}"
        elif self.kind == "tỉnh":
            address = f"Số 16 đường Lê Lợi, thành phố Huế, {PROVINCE}"
        else:
            place = self.villages[0][:1].upper() + self.villages[0][1:]
            address = f"{place}, {self.name}, {PROVINCE}"
        return {"address": address, "phone": self.phone(), "email": f"{self.slug}@thuathienhue.gov.vn",
                "responsible_official": self.leaders[0][1], "responsible_title": self.head_title}

    def phone(self) -> str:
        rng = random.Random(f"{self.slug}|phone")
        return f"0234 {rng.randint(3500, 3899)} {rng.randint(100, 999)}"

    def managing_body(self) -> str:
        """Who runs the site: a local government its own People's Committee, a department the province's."""
        if self.kind is None:
            return PROVINCE_COMMITTEE
        return f"Ủy ban nhân dân {self.name}"

    def licence(self) -> str:
        """The licence line of a site that holds one: every department's, district's and the
        province's, some communes'."""
        rng = random.Random(f"{self.slug}|licence")
        if self.level == "xa" and rng.random() >= LICENSED_COMMUNES:
            return ""
        year = rng.randint(2019, 2025)
        return (f"Giấy phép số {rng.randint(5, 120)}/GP-TTĐT ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{year} "
                "của Sở Thông tin và Truyền thông")

    def information_contact(self) -> dict | None:
        """The official answering requests for information: every unit names one but about half the
        communes, which leave it to their district."""
        rng = random.Random(f"{self.slug}|information")
        if self.level == "xa" and rng.random() >= OWN_CONTACT_POINT_COMMUNES:
            return None
        title = CONTACT_POINT_TITLES[self.kind]
        if self.kind in ("thành phố", "thị xã", "huyện"):
            title = f"{title} {self.name}"
        elif self.kind is None:  # Chuyên viên Văn phòng Sở Y tế; Chuyên viên Văn phòng UBND tỉnh
            title = f"Chuyên viên {self.title}" if self.title.startswith("Văn phòng") else f"{title} {self.title}"
        office = self.phone().rsplit(" ", 1)
        return {"name": person(rng), "title": title, "phone": f"{office[0]} {(int(office[1]) + 1) % 1000:03d}",
                "email": f"cungcapthongtin.{self.slug}@thuathienhue.gov.vn"}

    def public_services_url(self) -> str | None:
        """The province's online public services address; every other unit's footer takes it."""
        return PUBLIC_SERVICES_URL if self.kind == "tỉnh" else None

    def profile(self) -> dict:
        """The profile fields the demo fills when it creates the unit."""
        return {"contact": self.contact(), "managing_body": self.managing_body(), "licence": self.licence(),
                "information_contact": self.information_contact(), "public_services_url": self.public_services_url()}


@cache
def _site(slug: str, title: str, name_en: str, unit_kind: str, level: str, parent: str | None) -> Site:
    rng = random.Random(slug)
    name, kind = title, LOCAL_KINDS.get(unit_kind)
    if kind is not None:
        short = title.split(" ", len(kind.split()))[-1]
        name = f"{kind} {short}"  # as a sentence names it: xã Phú Mậu
        if title in _namesakes():  # two communes of one name: xã Hương Phong (thị xã Hương Trà)
            parent_title = _titles()[parent]
            name = f"{name} ({parent_title[:1].lower()}{parent_title[1:]})"
        committee, area, symbol = f"UBND {kind} {short}", f"trên địa bàn {kind}", "UBND"
        head, deputy = f"Chủ tịch UBND {kind}", f"Phó Chủ tịch UBND {kind}"
    else:
        short, committee, area = title, title, f"trên địa bàn {PROVINCE}"
        symbol = "".join(word[0] for word in without_marks(title).upper().split() if word not in ("VA", "-"))
        head, deputy = next(titles for first, titles in DEPARTMENT_HEADS.items() if title.startswith(first))
    if unit_kind in ("phuong", "thi-tran"):
        villages = tuple(f"tổ dân phố {number}" for number in rng.sample(range(1, 16), 6))
    else:
        villages = tuple(f"thôn {hamlet}" for hamlet in rng.sample(HAMLETS, 6))
    leaders = ((head, person(rng)), (deputy, person(rng)), (deputy, person(rng)))
    return Site(slug, level, title, name, name_en, kind, short, committee, area, symbol, leaders, villages, parent)


@cache
def _titles() -> dict[str, str]:
    return {unit["slug"]: unit["name"] for unit in json.loads(UNITS_FILE.read_text(encoding="utf-8"))["units"]}


@cache
def _namesakes() -> frozenset[str]:
    """Names two units bear: their news say which of them they are."""
    return frozenset(name for name, count in Counter(_titles().values()).items() if count > 1)
