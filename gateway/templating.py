"""Jinja2 templates with Vietnamese formatting (Babel): dd/MM/yyyy, HH:mm, 7.448.251,
all in Asia/Ho_Chi_Minh."""
from __future__ import annotations

from datetime import date, datetime
from email.utils import format_datetime as rfc822_format

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, get_group_symbol
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from gateway import i18n
from gateway.forms import HONEYPOT
from gateway.vietnam_time import LOCAL_TIME, TIMEZONE
from services.common.limits import FIRST_DAY, LAST_DAY
from services.common.vietnamese import folded_key

LOCALE = "vi_VN"
_GROUP_SYMBOL = get_group_symbol(locale=LOCALE)


def _as_datetime(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def vn_date(value) -> str:
    return format_datetime(_as_datetime(value), "dd/MM/yyyy", tzinfo=TIMEZONE, locale=LOCALE) if value else ""


def vn_datetime(value) -> str:
    return format_datetime(_as_datetime(value), "HH:mm dd/MM/yyyy", tzinfo=TIMEZONE, locale=LOCALE) if value else ""


def vn_number(value) -> str:
    """7448251 → '7.448.251'. Whole numbers (the visit counters, on every page served) take
    Babel's group symbol and pattern (#,##0) without Babel's per-call parsing."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", _GROUP_SYMBOL)
    return format_decimal(value, locale=LOCALE)


def rfc822(value) -> str:
    """RSS 2.0 dates: 'Tue, 10 Feb 2026 09:00:00 +0700'."""
    return rfc822_format(_as_datetime(value).astimezone(LOCAL_TIME)) if value else ""


def w3c_datetime(value) -> str:
    """Atom (RFC 3339) and sitemap (W3C Datetime) times: '2026-02-10T09:00:00+07:00'."""
    return _as_datetime(value).astimezone(LOCAL_TIME).isoformat(timespec="seconds") if value else ""


def vn_day(value) -> str:
    """A day with its weekday: 'Thứ Hai, 23/11/2026' … 'Chủ Nhật, 29/11/2026'."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "EEEE, dd/MM/yyyy", locale=LOCALE) if value else ""


def vn_time(value) -> str:
    return format_datetime(_as_datetime(value), "HH:mm", tzinfo=TIMEZONE, locale=LOCALE) if value else ""


def file_size(size: int) -> str:
    """'350 KB', '1,2 MB': the size of a download as people read it."""
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(size / factor, '#,##0.#', locale=LOCALE)} {unit}"
    return f"{size} byte"


def create_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("gateway", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(vn_date=vn_date, vn_datetime=vn_datetime, vn_number=vn_number, rfc822=rfc822,
                       w3c_datetime=w3c_datetime,
                       vn_day=vn_day, vn_time=vn_time, file_size=file_size,
                       folded_key=folded_key)  # a tag's address: 'Chính quyền' -> 'chinh-quyen'
    # The years a reader may name, for the pages that say why a day or a week was refused.
    env.globals.update(first_year=FIRST_DAY.year, last_year=LAST_DAY.year)
    # The public forms' field that only robots fill in (gateway.forms).
    env.globals.update(honeypot=HONEYPOT)
    # The fixed words of every page in the page's `lang`: `{{ _("Trang chủ") }}` (gateway/i18n.py).
    i18n.install(env)
    return env
