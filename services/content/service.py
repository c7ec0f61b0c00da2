"""Content service: units and everything they publish.

The entrypoints are grouped by area; each area's rules live in its store. Every write that
the public can see stores its event in the outbox in the same transaction; `announce`
dispatches it right away and the sweep re-dispatches anything a crash left behind.
"""
import logging

from nameko.events import EventDispatcher

from services.common.actors import ActingUser
from services.common.ops.endpoint import MongoReachable, Ops
from services.common.rpc import RequestContext, rpc
from services.common.timers import sweep_timer
from services.content.articles.entrypoints import ArticleEntrypoints
from services.content.conformance import ConformanceEntrypoints
from services.content.consultations.entrypoints import ConsultationEntrypoints
from services.content.contract import ContentContract
from services.content.dependencies import ContentStorage
from services.content.documents.entrypoints import DocumentEntrypoints
from services.content.history.entrypoints import HistoryEntrypoints
from services.content.media.entrypoints import MediaEntrypoints
from services.content.pages.entrypoints import PageEntrypoints
from services.content.procedures.entrypoints import ProcedureEntrypoints
from services.content.questions.entrypoints import QuestionEntrypoints
from services.content.replay import ReplayEntrypoints
from services.content.royalties.entrypoints import RoyaltyEntrypoints
from services.content.schedules.entrypoints import ScheduleEntrypoints
from services.content.units.entrypoints import UnitEntrypoints
from services.content.users import UserEntrypoints
from services.content.workspace_summary import WorkspaceSummaryEntrypoints

log = logging.getLogger(__name__)


class ContentService(UnitEntrypoints, UserEntrypoints, ArticleEntrypoints, MediaEntrypoints, ScheduleEntrypoints,
                     DocumentEntrypoints, QuestionEntrypoints, PageEntrypoints, RoyaltyEntrypoints,
                     HistoryEntrypoints, ReplayEntrypoints, WorkspaceSummaryEntrypoints, ConformanceEntrypoints,
                     ProcedureEntrypoints, ConsultationEntrypoints, ContentContract):
    name = "content"

    content = ContentStorage()
    dispatch = EventDispatcher()
    acting = ActingUser()
    request = RequestContext()
    ops = Ops(MongoReachable)

    @sweep_timer
    def sweep(self):
        """Publish and unpublish what is due, then send what an earlier process did not."""
        self.content.articles.run_schedule()
        self.dispatch_outbox()

    @rpc
    def readiness(self):
        """{check: why} for each readiness check failing now, {} when ready (the gateway's /readyz)."""
        return self.ops.failing()

    def actor(self, assertion):
        """The user the gateway vouches for; Unauthorized for a bare or forged name."""
        return self.content.access.actor(self.acting.verify(assertion))

    def announce(self, result):
        """Send the events of the change just written, once it has committed."""
        self.content.db.after_commit(self._send_announced)
        return result

    def _send_announced(self):
        try:
            self.dispatch_outbox()
        except Exception as error:  # the change is made: the caller must hear so, and the sweep sends it
            log.warning("events wait in the outbox for the next sweep: %r", error)

    def dispatch_outbox(self):
        outbox = self.content.outbox
        while entries := outbox.claim():
            sent = []
            try:
                for entry in entries:
                    for message in entry["events"]:
                        self.dispatch(message["name"], message["payload"])
                    sent.append(entry["_id"])
            finally:  # what went out is marked even if the rest could not go
                outbox.mark_dispatched(sent)
