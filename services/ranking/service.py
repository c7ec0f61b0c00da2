"""Ranking service: how well each unit keeps its site, month by month, and its visits.

It keeps the facts the content events tell it (articles, schedules, documents, questions,
pages, units; applied by version, rebuilt from content's replay when asked), scores each unit
on the criteria in `criteria.toml`, freezes each month at 00:00 on the 1st (Vietnam time) and
announces it (`ranking_published`), warns of sites without updates (`site_stale`), and counts
page views without cookies or third parties.
"""
from services.common.actors import ActingUser
from services.common.events import handles
from services.common.mongo import MongoStorage
from services.common.ops.endpoint import MongoReachable, Ops
from services.common.rpc import RequestContext, RpcProxy, rpc
from services.common.schemas import PublishesSchemas
from services.common.timers import sweep_timer
from services.ranking import schemas
from services.ranking.dependencies import League
from services.ranking.schemas import Window, checked
from services.ranking.visits import VisitStore


class RankingService(PublishesSchemas):
    name = "ranking"
    api_inputs = schemas.API_INPUTS
    api_outputs = schemas.API_OUTPUTS

    league = League()
    visits = MongoStorage(VisitStore, "RANKING_DB")
    content = RpcProxy("content")
    acting = ActingUser()
    request = RequestContext()
    ops = Ops(MongoReachable)

    # What the content service publishes: each event is applied unless a newer version is kept.

    @handles("article_published")
    def on_article_published(self, event):
        self.league.facts.apply(event)

    @handles("article_updated")
    def on_article_updated(self, event):
        self.league.facts.apply(event)

    @handles("article_unpublished")
    def on_article_unpublished(self, event):
        self.league.facts.apply(event)

    @handles("schedule_published")
    def on_schedule_published(self, event):
        self.league.facts.apply(event)

    @handles("document_published")
    def on_document_published(self, event):
        self.league.facts.apply(event)

    @handles("question_received")
    def on_question_received(self, event):
        self.league.facts.apply(event)

    @handles("question_answered")
    def on_question_answered(self, event):
        self.league.facts.apply(event)

    @handles("page_published")
    def on_page_published(self, event):
        self.league.facts.apply(event)

    @handles("page_withdrawn")
    def on_page_withdrawn(self, event):
        self.league.facts.apply(event)

    @handles("unit_updated")
    def on_unit_updated(self, event):
        self.league.facts.apply(event)

    # The league table

    @rpc
    def months(self, skip=0, limit=None):
        """{"current": "YYYY-MM" (provisional), "months": [{"month", "revision", "frozen_at",
        "criteria_version", "reason", "revisions"}] frozen months, newest first, each at its
        latest revision: `limit` of them (all by default) after `skip`}."""
        window = checked(Window, skip=skip, limit=limit)
        listed = self.league.months()
        end = None if window.limit is None else window.skip + window.limit
        return {**listed, "months": listed["months"][window.skip:end]}

    @rpc
    def standings(self, month=None, revision=None):
        """A month's table (the current, provisional one when `month` is None); a frozen month
        at its latest revision unless `revision` is given.

        {"month", "provisional", "revision", "revisions": [{"revision", "frozen_at", "reason",
        "criteria_version"}], "computed_at", "criteria_version", "maximum",
        "criteria": [{"key", "title", "maximum"}], "levels": [{"level", "units": [row]}],
        "units": [row] (all, by overall rank)}; row: {"unit", "unit_name", "level", "score",
        "maximum", "rank", "rank_in_level", "units_in_level", "change", "flags",
        "points": {criterion key: points}, "link"}. Raises InvalidInput for a malformed month,
        NotFound for a month with no table (before the ranking's first month and not frozen by an
        operator, in the future, or a revision that does not exist)."""
        return self.league.standings(month, revision)

    @rpc
    def unit_standing(self, unit, month=None):
        """One unit's score explained: the row's fields plus "month", "provisional", "revision",
        "criteria": [{"key", "title", "points", "maximum", "ratio", "summary", "figures",
        "evidence": [{"title", "path", "date"}], "advice"}], "flags": [{"kind", "text"}],
        "history": [{"month", "score", "maximum", "rank", "rank_in_level", "units_in_level",
        "provisional"}] (up to 12 months, oldest first). NotFound for a unit never ranked."""
        return self.league.unit_standing(unit, month)

    @rpc
    def unit_rank(self, unit):
        """The unit's place this month, for its home page: {"month", "rank", "rank_in_level",
        "units_in_level", "level", "score", "maximum", "provisional": True}, or None when the
        unit is not ranked."""
        return self.league.unit_rank(unit)

    @rpc
    def criteria(self):
        """The criteria in force: {"version", "title", "based_on", "maximum", "rules",
        "criteria": [{"key", "title", "maximum", "description"}], "levels": {level: {...}}}."""
        return self.league.criteria_summary()

    @rpc
    def freeze_month(self, actor, month, reason):
        """Freeze a past month again as a new revision (or for the first time, for history
        imported from earlier sites), with the operator's reason; earlier revisions stay.
        Platform admins only; a request repeated with its idempotency key gets the revision it
        made. Returns the revision's summary, as in months()."""
        self.league.require_operator(self.content, self.acting.verify(actor))
        return self.league.freeze(month, reason, self.request.idempotency_key)

    @rpc
    def rebuild(self, actor):
        """Re-apply, in the background, every kind content replays (units, articles, schedules,
        documents, questions, pages); platform admins only. Returns rebuild_status()."""
        self.league.require_operator(self.content, self.acting.verify(actor))
        return self.league.start_rebuild(self.content.replay)

    @rpc
    def rebuild_status(self, actor):
        """{"state": idle|running|done|failed, "kinds": {kind: events applied}, "started_at",
        "finished_at", "error"}; platform admins only."""
        self.league.require_operator(self.content, self.acting.verify(actor))
        return self.league.rebuild_status()

    @rpc
    def check_stale(self):
        """Note the sites gone stale now, rather than at the next look (every 10 minutes), and announce them;
        returns how many notes are new."""
        return self.league.check_stale()

    @rpc
    def unit_activity(self, unit):
        """What the ranking knows of a unit's publishing: {"unit", "published_articles",
        "last_published_at", "last_update_at"}."""
        return self.league.unit_activity(unit)

    @sweep_timer()
    def keep_time(self):
        """Freeze the months that ended, announce what is due (frozen months, stale sites)."""
        self.league.keep_time()

    # Visits: per unit and day, without cookies, third parties or stored addresses (visits.py)

    @rpc
    def visit_days(self, unit, skip=0, limit=31):
        """[{"day", "views", "visitors", "bot_views"}]: `limit` days after the `skip` latest, newest
        first (today first, in Vietnam time, zeros where none), back to the first day kept."""
        window = checked(Window, skip=skip, limit=limit)
        return self.visits.days_back(unit, window.skip, window.limit)

    @rpc
    def visit_months(self, unit, skip=0, limit=13):
        """[{"month", "views", "visitors_daily_sum", "bot_views"}]: `limit` months after the `skip`
        latest, newest first (this month first), back to the first month kept."""
        window = checked(Window, skip=skip, limit=limit)
        return self.visits.months_back(unit, window.skip, window.limit)

    @rpc
    def record_visit(self, unit, client_address, user_agent):
        """One page view, as the gateway reports a unit's first in its process; the unit's counters."""
        return self.visits.record_batch([[unit, client_address, user_agent or "", 1]])[unit]

    @rpc
    def record_visits(self, visits, batch=None):
        """Page views as the gateway collects them: [[unit, client address, user agent, views], ...];
        returns {unit: counters} for each unit in the batch. Bots count as bot views only. A batch
        sent again under its `batch` name (after a timeout) is counted once."""
        return self.visits.record_batch(visits, batch)

    @rpc
    def visit_counters(self, unit):
        """{"unit", "total", "online"}: all-time views by people and visitors in the last 5 minutes."""
        return self.visits.visit_counters(unit)

    @rpc
    def visit_history(self, unit, days=31):
        """{"unit", "days": [{"day", "views", "visitors", "bot_views"}] the last `days` days (1–400,
        today included, zeros where none), "months": [{"month", "views", "visitors_daily_sum",
        "bot_views"}] the last 13 months}, oldest first, days in Vietnam time."""
        return self.visits.history(unit, days)

    @rpc
    def import_visits(self, actor, unit, days):
        """Daily figures carried over from a unit's earlier site: [{"day", "views", "visitors",
        "bot_views" (optional)}], up to 400 past days; platform admins only. Importing a day again
        sets its figures again and the total moves by the difference. Returns {"unit", "days": imported}."""
        self.league.require_operator(self.content, self.acting.verify(actor))
        return self.visits.import_days(unit, days)

    @sweep_timer()
    def forget_old_visitors(self):
        """Delete visitor markers and salts after two days, daily figures after 25 months."""
        self.visits.forget_old()
