from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, EmailStr, Field, HttpUrl, field_validator, model_validator

from services.common.schemas import Output
from services.content.revisions import Revision, Rollback
from services.content.units.branding import MINIMUM_CONTRAST, WHITE, contrast_ratio
from services.content.validation import MAX_FETCH, MAX_SKIP, SLUG_PATTERN, Input, Version, limit_field

STATES = ("active", "merged", "dissolved")
Slug = Field(pattern=SLUG_PATTERN, max_length=80)

PROFILE_EXAMPLE = {
    "name": "Xã Phú Mậu", "name_en": "Phu Mau Commune",
    "contact": {"address": "Thôn Lại Thế, xã Phú Mậu, thành phố Huế", "phone": "0234 3860 123",
                "email": "phumau@hue.gov.vn", "responsible_official": "Nguyễn Văn Hùng",
                "responsible_title": "Chủ tịch UBND xã"},
    "branding": {"banner_text": "Cổng thông tin điện tử xã Phú Mậu", "accent_colour": "#0b4f8a"},
    "public_services_url": "https://dichvucong.hue.gov.vn",
    "managing_body": "Ủy ban nhân dân xã Phú Mậu",
    "licence": "",
    "information_contact": {"name": "Lê Thị Hoa", "title": "Công chức Văn phòng - Thống kê",
                            "phone": "0234 3860 124", "email": "vanphong.phumau@hue.gov.vn"},
}
PHONE = r"^[0-9 +().-]*$"


class LevelInput(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"slug": "phuong", "name": "Phường", "order": 2}]})
    slug: str = Field(pattern=SLUG_PATTERN, max_length=40)
    name: str = Field(min_length=2, max_length=100)
    order: int = Field(ge=0, le=100, description="Depth in the tree: 0 for the province")


class Contact(Input):
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=50, pattern=PHONE)
    email: EmailStr | None = None
    responsible_official: str = Field(default="", max_length=200)
    responsible_title: str = Field(default="", max_length=200)


class InformationContact(Input):
    """The contact point for information requests (Law on Access to Information 2016, art. 34;
    Decree 13/2018/ND-CP, art. 9): who answers them and how to reach them."""
    name: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=200, description="Chức vụ")
    phone: str = Field(default="", max_length=50, pattern=PHONE)
    email: EmailStr | None = None

    def is_empty(self) -> bool:
        return not (self.name or self.title or self.phone or self.email)

    @model_validator(mode="after")
    def names_someone_who_can_be_reached(self):
        if not self.is_empty() and not (self.name and (self.phone or self.email)):
            raise ValueError("a contact point needs a name and a phone or an email")
        return self


class Branding(Input):
    banner_text: str = Field(default="", max_length=200)
    banner_image: str | None = Field(default=None, max_length=64, description="media id")
    banner_alt: str = Field(default="", max_length=300)
    accent_colour: str = Field(default="#0b4f8a", pattern=r"^#[0-9a-fA-F]{6}$")

    @field_validator("accent_colour")
    @classmethod
    def readable_under_white_text(cls, value: str) -> str:
        ratio = contrast_ratio(value, WHITE)
        if ratio < MINIMUM_CONTRAST:
            raise ValueError(f"contrast with white text is {ratio:.2f}:1, below {MINIMUM_CONTRAST}:1")
        return value.lower()

    @model_validator(mode="after")
    def image_needs_alt_text(self):
        if self.banner_image and not self.banner_alt:
            raise ValueError("banner_alt is required when banner_image is set")
        return self


class UnitProfile(Input):
    """What a unit's own admin may change."""
    model_config = ConfigDict(json_schema_extra={"examples": [PROFILE_EXAMPLE]})
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field(default="", max_length=200)
    contact: Contact = Field(default_factory=Contact)
    branding: Branding = Field(default_factory=Branding)
    public_services_url: HttpUrl | None = None
    # Who runs the site and its licence, for the footer (Decree 42/2022/ND-CP, art. 4); the
    # footer names the parent unit when managing_body is left empty.
    managing_body: str = Field(default="", max_length=200, description="Cơ quan chủ quản")
    licence: str = Field(default="", max_length=300, description="the licence line, where the site holds one")
    # Left empty (None, or every field blank), a commune's footer shows its district's or the
    # province's contact point.
    information_contact: InformationContact | None = Field(
        default=None, description="Đầu mối cung cấp thông tin (Law on Access to Information 2016, art. 34)")

    @field_validator("information_contact")
    @classmethod
    def blank_is_none(cls, value: InformationContact | None) -> InformationContact | None:
        return None if value is None or value.is_empty() else value


# The portal's own top-level addresses: a unit's site lives at /{slug}, so no unit may take them.
RESERVED_SLUGS = frozenset({"api", "tim-kiem", "hien-thi", "dang-ky", "tep", "static", "healthz", "xep-hang",
                            "tai-lieu-api", "quan-tri", "tuan-thu"})


class UnitProfileChange(UnitProfile):
    """The profile as the unit's admin sends it, with the version it is based on."""
    model_config = ConfigDict(json_schema_extra={"examples": [{**PROFILE_EXAMPLE, "version": 1}]})
    version: Version | None = None


class UnitInput(UnitProfile):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "slug": "phu-thanh", "name": "Xã Phú Thanh", "level": "xa", "parent": "thua-thien-hue",
        "contact": {"address": "Xã Phú Thanh, thành phố Huế", "phone": "0234 3862 456"}}]})
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    level: str = Field(pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)

    @field_validator("slug")
    @classmethod
    def not_a_portal_address(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(f"'{value}' is an address of the portal itself; choose another slug")
        return value


class UnitStep(Input):
    """A change of the unit's standing (dissolving it): the version it is based on, if the caller holds one."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 3}]})
    version: Version | None = None


class Placement(UnitStep):
    """Where a unit sits in the tree: changes when levels are abolished or units regrouped."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"level": "xa", "parent": "thua-thien-hue",
                                                               "version": 2}]})
    level: str = Field(pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)


class Merger(UnitStep):
    """The unit another is merged into."""
    model_config = ConfigDict(json_schema_extra={"examples": [{"successor": "phu-mau", "version": 2}]})
    successor: str = Slug


# Lists

class LevelQuery(Input):
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int | None = Field(default=None, ge=1, le=MAX_FETCH, description="all when None")


class UnitQuery(LevelQuery):
    sort: Literal["name", "-name", "slug", "-slug"] = "slug"
    level: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)
    status: Literal[STATES] | None = None


class AuditQuery(Input):
    skip: int = Field(default=0, ge=0, le=MAX_SKIP)
    limit: int = limit_field(100, 500)
    action: str | None = Field(default=None, min_length=1, max_length=80)
    actor: str | None = Field(default=None, min_length=1, max_length=80)
    target: str | None = Field(default=None, min_length=1, max_length=100)


# What the API answers with

class Level(Output):
    slug: str
    name: str
    order: int


class UnitContact(Output):
    address: str = ""
    phone: str = ""
    email: str | None = None
    responsible_official: str = ""
    responsible_title: str = ""


class UnitBranding(Output):
    banner_text: str = ""
    banner_image: str | None = None
    banner_alt: str = ""
    accent_colour: str = Field(default="#0b4f8a", description="under white text, contrast at least 4.5:1")


class UnitInformationContact(Output):
    name: str
    title: str = ""
    phone: str = ""
    email: str | None = None


class InheritedFrom(Output):
    """The unit above whose value a unit's footer shows, its own being empty."""
    slug: str
    name: str


class FooterValue(Output):
    value: str | None = Field(description="None: neither the unit nor the unit it would take it from has one")
    inherited_from: InheritedFrom | None = Field(description="None: the unit's own value")


class FooterContact(UnitInformationContact):
    inherited_from: InheritedFrom | None = Field(description="None: the unit's own contact point")


class UnitFooter(Output):
    """What the unit's site footer shows, each value the unit's own or, where it left it empty, the
    one it takes from above: the managing body from its parent (its name), the contact point from
    the nearest unit above that has one (communes only), the public services address from the
    province."""
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "managing_body": {"value": "Ủy ban nhân dân xã Phú Mậu", "inherited_from": None},
        "licence": "",
        "information_contact": {"name": "Lê Thị Hoa", "title": "Chuyên viên Văn phòng HĐND và UBND huyện Phú Vang",
                                "phone": "0234 3860 124", "email": "tiepnhan@phuvang.hue.gov.vn",
                                "inherited_from": {"slug": "phu-vang", "name": "Huyện Phú Vang"}},
        "public_services_url": {"value": "https://dichvucong.hue.gov.vn/",
                                "inherited_from": {"slug": "thua-thien-hue", "name": "Tỉnh Thừa Thiên Huế"}}}]})
    managing_body: FooterValue
    licence: str
    information_contact: FooterContact | None = Field(description="None: no contact point named")
    public_services_url: FooterValue


class Unit(Output):
    """A unit as anyone reads it: where it sits in the tree, its standing, its profile."""
    slug: str
    name: str
    name_en: str
    level: str
    parent: str | None
    status: Literal[STATES]
    successor: str | None = Field(description="the unit it was merged into")
    contact: UnitContact
    branding: UnitBranding
    public_services_url: str | None
    managing_body: str = Field(default="", description="Cơ quan chủ quản; empty: the parent unit runs the site")
    licence: str = ""
    information_contact: UnitInformationContact | None = Field(
        default=None, description="its own contact point for information requests; see footer for what is shown")
    footer: UnitFooter
    version: int
    updated_at: str | None


class AuditEntry(Output):
    """Who did what to which item of the unit, and when."""
    unit: str
    actor: str
    action: str = Field(description="the area and the step, e.g. article.publish")
    target: str
    details: dict[str, Any]
    at: str


API_INPUTS = (LevelInput, UnitInput, UnitProfileChange, UnitStep, Placement, Merger, Rollback)
API_OUTPUTS = (Level, Unit, AuditEntry, Revision)
