"""Vietnamese alphabetical order for people's names, as lists in Vietnam are sorted: by the
given name (the last word) first, then the rest, each in Vietnamese collation
(services/common/vietnamese.py: 'Đức' after 'Dung', 'Ánh' before 'Bình')."""
from __future__ import annotations

from services.common.vietnamese import sort_key


def name_order(name: str) -> tuple:
    """Sort key: 'Trần Văn An' < 'Lê Thị Ánh' < 'Nguyễn Thị Dung' < 'Đặng Văn Đức' < 'Phạm Văn Em'."""
    *rest, given = name.split() or [""]
    return sort_key(given), sort_key(" ".join(rest)), name
