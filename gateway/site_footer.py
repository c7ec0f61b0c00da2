"""Who runs a site, as its footer says (Decree 42/2022/NĐ-CP, art. 4): the unit, its managing
body ("Cơ quan chủ quản"), its contact, the official responsible for the content, the contact
point for information requests and the licence line. A unit's pages show the unit's; the
portal's own pages (its home, search, the ranking, error pages) show the province's.

What a unit left empty and takes from the units above it (its parent's name as managing body, a
commune's contact point, the province's public services address) is the content service's rule:
a unit is read with its `footer`, each value naming the unit it came from.
"""
from __future__ import annotations

import logging
import threading
import time

from nameko.exceptions import RemoteError, RpcTimeout

from gateway.rpc import ServiceUnavailable
from gateway.unit_tree import province
from services.common.errors import PortalError

log = logging.getLogger(__name__)

RETRY_AFTER = 30.0  # seconds before the province is asked for again after the service failed


class ProvinceFooter:
    """`province_footer()` in the templates: {"unit": the province, read with its footer}, or None.

    What it read is kept while no unit changes: a unit's event moves the page cache's generation
    of everything (gateway/invalidation.py), and the next page asks again. When the content
    service cannot answer, pages get the portal's plain footer and it is asked again later."""

    def __init__(self, rpc, generations):
        self._rpc = rpc
        self._generations = generations
        self._lock = threading.Lock()
        self._kept: tuple[int, dict | None, float] | None = None  # (generation, footer, retry at)

    def __call__(self) -> dict | None:
        generation = self._generations.current(None)[0]
        kept = self._kept
        if kept is not None and kept[0] == generation and (kept[1] is not None or time.monotonic() < kept[2]):
            return kept[1]
        with self._lock:
            footer = self._read()
            self._kept = (generation, footer, time.monotonic() + RETRY_AFTER)
        return footer

    def _read(self) -> dict | None:
        try:
            with self._rpc.services() as services:
                levels, units = services.content.list_levels(), services.content.list_units()
        except (ServiceUnavailable, RpcTimeout, RemoteError, PortalError) as error:
            log.warning("the province's footer not shown: %s", error)
            return None
        top = province(levels, [unit for unit in units if unit["status"] == "active"])
        return {"unit": top} if top else None
