"""How keen each demo unit is on its site, month by month: the one source the demo's history of
content and of visits both follow, so that a unit that publishes much is also visited much.

Profiles are drawn from the unit's slug, so every load draws the same: most units keep their
site reasonably, some let it go stale, some improve month on month, some decline, and a few
are very active. `activity(slug, months_ago)` is 0 (nothing that month) to 1 (very active).
"""
from __future__ import annotations

import hashlib

HISTORY_MONTHS = 6
# (profile, share of units out of 100)
PROFILES = (("active", 20), ("steady", 35), ("improving", 15), ("declining", 12), ("stale", 18))


def _draw(slug: str, salt: str = "") -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}{slug}".encode()).digest()[:4], "big")


def profile(slug: str) -> str:
    point = _draw(slug) % 100
    for name, share in PROFILES:
        if point < share:
            return name
        point -= share
    return PROFILES[-1][0]


def activity(slug: str, months_ago: int) -> float:
    """How active the unit was `months_ago` months back (0 = this month), 0..1."""
    jitter = (_draw(slug, f"m{months_ago}") % 21 - 10) / 100  # ±0.10, fixed per unit and month
    kind = profile(slug)
    progress = (HISTORY_MONTHS - months_ago) / HISTORY_MONTHS  # 0 long ago → 1 now
    level = {"active": 0.95, "steady": 0.65, "improving": 0.15 + 0.8 * progress,
             "declining": 0.9 - 0.75 * progress, "stale": 0.08}[kind]
    return max(0.0, min(1.0, level + jitter))
