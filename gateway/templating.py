"""Jinja2 templates with Vietnamese formatting (Babel): dd/MM/yyyy, HH:mm, 7.448.251,
all in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

TIMEZONE = "Asia/Ho_Chi_Minh"
LOCALE = "vi_VN"


def _as_datetime(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def vn_date(value) -> str:
    return format_datetime(_as_datetime(value), "dd/MM/yyyy", tzinfo=TIMEZONE, locale=LOCALE) if value else ""


def vn_datetime(value) -> str:
    return format_datetime(_as_datetime(value), "HH:mm dd/MM/yyyy", tzinfo=TIMEZONE, locale=LOCALE) if value else ""


def vn_number(value) -> str:
    return format_decimal(value, locale=LOCALE)


def create_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gateway", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(vn_date=vn_date, vn_datetime=vn_datetime, vn_number=vn_number)
    return env
