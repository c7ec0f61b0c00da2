"""Page links under a long list: the first, the last and a few around the current one."""
from __future__ import annotations

import math
import re

PAGES_AROUND_CURRENT = 2
PAGE_PARAMETER = "trang"


def pagination(page: int, per_page: int, total: int, max_results: int | None = None) -> dict | None:
    """None when everything fits on one page. `max_results`: how deep the source answers at all
    (search stops at 10,000), so no link leads past it."""
    last = math.ceil(total / per_page)
    if max_results is not None:
        last = min(last, max_results // per_page)
    if last <= 1:
        return None
    around = range(max(1, page - PAGES_AROUND_CURRENT), min(last, page + PAGES_AROUND_CURRENT) + 1)
    return {"current": page, "last": last, "numbers": sorted({1, last, *around}),
            "previous": page - 1 if 1 < page <= last else None, "next": page + 1 if page < last else None}


def page_number(req) -> int | None:
    """`?trang=N`: 1 if absent, None if it is no whole number at all. Its range is checked
    against what is there (NewsPage.render_list)."""
    raw = (req.get_param(PAGE_PARAMETER) or "").strip()
    if not raw:
        return 1
    return int(raw) if re.fullmatch(r"-?\d{1,9}", raw) else None


def page_or_first(req) -> int:
    """`?trang=N` where a list can only be shown: anything that is no page number shows the first."""
    number = page_number(req)
    return number if number is not None and number >= 1 else 1
