"""Telling whoever keeps search results (each gateway process) that they may have changed:
the contract's SearchIndexChanged notice, sent once a change is searchable."""
from __future__ import annotations

import logging

from nameko.events import get_event_exchange
from nameko.standalone.events import event_dispatcher

from services.common.events import SearchIndexChanged, utcnow

log = logging.getLogger(__name__)

# A notice is only worth something now: not kept on disk, not retried for long.
_NON_PERSISTENT = 1
_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2}


class ChangeNotices:
    def __init__(self, nameko_config: dict):
        # The exchange is declared with every notice: until a gateway has started and declared
        # it, a notice sent to it would close the channel (404) and cost a reconnection.
        exchange = get_event_exchange(SearchIndexChanged.source, nameko_config)
        self._dispatch = event_dispatcher(nameko_config, delivery_mode=_NON_PERSISTENT,
                                          retry_policy=_RETRY_POLICY, declare=[exchange])

    def send(self) -> None:
        """Never fails the change it follows: that is already kept, and kept results expire
        on their own (the gateway stops keeping any while it cannot hear these notices)."""
        notice = SearchIndexChanged(occurred_at=utcnow())
        try:
            self._dispatch(notice.source, notice.name, notice.model_dump(mode="json"))
        except Exception:
            log.warning("could not send the search index changed notice", exc_info=True)
