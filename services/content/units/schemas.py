from __future__ import annotations

from pydantic import EmailStr, Field, HttpUrl, field_validator, model_validator

from services.content.units.branding import MINIMUM_CONTRAST, WHITE, contrast_ratio
from services.content.validation import SLUG_PATTERN, Input


class LevelInput(Input):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=40)
    name: str = Field(min_length=2, max_length=100)
    order: int = Field(ge=0, le=100, description="Depth in the tree: 0 for the province")


class Contact(Input):
    address: str = Field(default="", max_length=300)
    phone: str = Field(default="", max_length=50, pattern=r"^[0-9 +().-]*$")
    email: EmailStr | None = None
    responsible_official: str = Field(default="", max_length=200)
    responsible_title: str = Field(default="", max_length=200)


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
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field(default="", max_length=200)
    contact: Contact = Field(default_factory=Contact)
    branding: Branding = Field(default_factory=Branding)
    public_services_url: HttpUrl | None = None


# The portal's own top-level addresses: a unit's site lives at /{slug}, so no unit may take them.
RESERVED_SLUGS = frozenset({"api", "tim-kiem", "hien-thi", "dang-ky", "tep", "static", "healthz", "xep-hang", "tai-lieu-api"})


class UnitInput(UnitProfile):
    slug: str = Field(pattern=SLUG_PATTERN, max_length=80)
    level: str = Field(pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)

    @field_validator("slug")
    @classmethod
    def not_a_portal_address(cls, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(f"'{value}' is an address of the portal itself; choose another slug")
        return value


class Placement(Input):
    """Where a unit sits in the tree: changes when levels are abolished or units regrouped."""
    level: str = Field(pattern=SLUG_PATTERN, max_length=40)
    parent: str | None = Field(default=None, pattern=SLUG_PATTERN, max_length=80)


class Merger(Input):
    """The unit another is merged into."""
    successor: str = Field(pattern=SLUG_PATTERN, max_length=80)
