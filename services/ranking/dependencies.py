"""The league as a nameko dependency: one per container, over the service's own database,
with the criteria read (and checked) when the container starts."""
from __future__ import annotations

import logging

from nameko.extensions import DependencyProvider
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ClusterRpcProxy
from pymongo import MongoClient

from services.common.config import Settings
from services.common.events import RankingEvent
from services.common.ops.endpoint import Gauges, OpsServer
from services.ranking import criteria
from services.ranking.league import League as LeagueLogic
from services.ranking.visits import VisitStore

log = logging.getLogger(__name__)
# Seconds the ranking waits for content's conformance report before scoring with the last one.
COVERAGE_TIMEOUT = 10


class League(DependencyProvider):
    league = None
    ops = OpsServer()

    def setup(self):
        settings = Settings.from_mapping(self.container.config)
        try:
            chosen = criteria.load(settings.RANKING_CRITERIA or criteria.DEFAULT_FILE)
        except criteria.CriteriaError as error:
            log.critical("the ranking cannot start: %s", error)
            raise
        self.client = MongoClient(settings.MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=10_000)
        database = self.client[settings.RANKING_DB]
        dispatch = event_dispatcher(self.container.config)
        self.league = LeagueLogic(database, chosen, VisitStore(database),
                                  lambda name, payload: dispatch(RankingEvent.source, name, payload),
                                  spawn=self.container.spawn_managed_thread,
                                  coverage=lambda: conformance_shares(self.container.config))
        self.league.ensure_indexes()
        self.ops.collect_with(Gauges({
            "portal_ranking_frozen_months": "Months whose ranking is frozen.",
            "portal_ranking_previous_month_frozen": "1 once the month that ended last is frozen, else 0.",
            "portal_ranking_last_freeze_timestamp_seconds": "When the newest frozen month was frozen (Unix time).",
        }, self._month_state))

    def _month_state(self) -> dict:
        frozen = self.league.archive.frozen_months()  # newest first
        previous = str(self.league.current_month().previous())
        return {"portal_ranking_frozen_months": len(frozen),
                "portal_ranking_previous_month_frozen": float(any(doc["month"] == previous for doc in frozen)),
                "portal_ranking_last_freeze_timestamp_seconds": frozen[0]["frozen_at"].timestamp() if frozen else None}

    def stop(self):
        if self.league is not None:
            self.client.close()
            self.league = None

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return self.league


def conformance_shares(config: dict) -> dict[str, float]:
    """{unit: share of its required sections present}, from content's conformance report. Asked
    at most once per provisional scoring, so a proxy of its own each time costs little."""
    with ClusterRpcProxy(config, timeout=COVERAGE_TIMEOUT) as cluster:
        report = cluster.content.conformance_report()
    return {row["unit"]: row["score"] for row in report["units"]}
