"""Page links under a long list: the first, the last and a few around the current one."""
from __future__ import annotations

import math

PAGES_AROUND_CURRENT = 2


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
