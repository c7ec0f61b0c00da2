"""A reader's display choices: text size ("Xem với cỡ chữ A- A A+") and high contrast.

They live in one cookie, so they persist from page to page without JavaScript; a page is
rendered (and cached) once per combination, which `Preferences.key` names."""
from __future__ import annotations

from dataclasses import dataclass

COOKIE = "hien-thi"
SIZES = ("nho", "vua", "lon")  # A-, A, A+
DEFAULT_SIZE = "vua"
HIGH_CONTRAST = "tuong-phan-cao"


@dataclass(frozen=True)
class Preferences:
    size: str = DEFAULT_SIZE
    high_contrast: bool = False

    @property
    def key(self) -> str:
        return f"{self.size}{'+' + HIGH_CONTRAST if self.high_contrast else ''}"

    @property
    def css_classes(self) -> str:
        """Classes for <html>: `co-chu-lon`, `tuong-phan-cao`."""
        classes = [f"co-chu-{self.size}"]
        if self.high_contrast:
            classes.append(HIGH_CONTRAST)
        return " ".join(classes)

    def cookie_value(self) -> str:
        return self.key


def parse(value: str | None) -> Preferences:
    """The cookie's value, e.g. 'lon+tuong-phan-cao'; anything unknown falls back to the default."""
    if not value:
        return Preferences()
    size, _, rest = value.partition("+")
    return Preferences(size if size in SIZES else DEFAULT_SIZE, rest == HIGH_CONTRAST)


def from_request(req) -> Preferences:
    values = req.get_cookie_values(COOKIE)
    return parse(values[0] if values else None)
