"""The gateway's whole HTTP surface, wired in one place."""
from __future__ import annotations

from pathlib import Path

import falcon

from gateway import preferences
from gateway.api import consultations as consultations_api
from gateway.api import documents as documents_api
from gateway.api import email_figures as email_figures_api
from gateway.api import media as media_api
from gateway.api import news, notifications, units, users
from gateway.api import pages as pages_api
from gateway.api import procedures as procedures_api
from gateway.api import questions as questions_api
from gateway.api import schedules as schedules_api
from gateway.api import subscriptions as subscriptions_api
from gateway.api.contract import ApiReferencePage, Contract, OpenApiDocument
from gateway.api.openapi import ApiRoutes
from gateway.api.parameters import NoBlankParameters
from gateway.api.validators import ApiValidators
from gateway.client_addresses import ClientAddresses, trusted_networks
from gateway.converters import CONVERTERS
from gateway.errors import make_error_handler
from gateway.i18n import in_each_language, language_of_path
from gateway.invalidation import ChangeListener
from gateway.middleware import SecurityHeaders
from gateway.ops import Metrics, Readiness, RequestMetrics
from gateway.page_cache import Generations, PageCache
from gateway.redirects import RedirectPages
from gateway.request_ids import RequestIds, request_id_of
from gateway.resources import (
    conformance,
    consultations,
    disclosures,
    display,
    documents,
    feeds,
    homes,
    media_files,
    pages,
    procedures,
    questions,
    ranking,
    schedules,
    search,
    site_icon,
    static_pages,
    subscriptions,
    tags,
)
from gateway.rpc import RpcPool
from gateway.search_results import SearchResults
from gateway.site_footer import ProvinceFooter
from gateway.templating import create_environment
from gateway.visits import VisitCounters
from gateway.workspace import article_steps, articles, articles_form, dashboard, revised_kinds, signing_in, unit_profile
from gateway.workspace import categories as category_desk
from gateway.workspace import consultations as consultation_desk
from gateway.workspace import documents as document_desk
from gateway.workspace import email_figures as email_desk
from gateway.workspace import members as member_desk
from gateway.workspace import notifications as notification_choices
from gateway.workspace import pages as page_desk
from gateway.workspace import procedures as procedure_desk
from gateway.workspace import questions as question_desk
from gateway.workspace import revisions as revision_desk
from gateway.workspace import royalties as royalty_desk
from gateway.workspace import schedules as schedule_desk
from gateway.workspace.base import SignInNeeded, handle_sign_in_needed
from services.common.config import Settings

STATIC_DIR = Path(__file__).parent / "static"


class GatewayApp(falcon.App):
    """The Falcon app, holding its background parts: `page_cache`, `search_results`, `change_listener`,
    `visit_counters`."""


def create_app(settings: Settings, rpc: RpcPool | None = None) -> GatewayApp:
    rpc = rpc or RpcPool(settings.as_nameko_config(), settings.RPC_POOL_SIZE, settings.RPC_TIMEOUT)
    templates = create_environment()

    generations = Generations()
    templates.globals["province_footer"] = ProvinceFooter(rpc, generations)  # the portal's own pages' footer
    search_results = SearchResults(settings.SEARCH_ANSWERS_KEPT, listening=lambda: listener.connected.is_set())
    listener = ChangeListener(settings.AMQP_URI, generations, settings.as_nameko_config(), search_results)
    # Counting views must never hold a page up: its own small pool, a short timeout.
    counter = in_each_language(templates, "_visit_counter.html")
    visits = VisitCounters(RpcPool(settings.as_nameko_config(), 2, min(settings.RPC_TIMEOUT, 2.0)),
                           lambda counters, lang: counter[lang].visit_counter(counters),
                           settings.VISIT_FLUSH_INTERVAL, counting=settings.VISIT_COUNTING)
    page_cache = PageCache(generations, visits.on_page, settings.PAGE_CACHE_SIZE, on_request=listener.start)
    router = falcon.routing.CompiledRouter()
    timing = [RequestMetrics(router)] if settings.METRICS else []
    clients = ClientAddresses(trusted_networks(settings.TRUSTED_PROXIES))
    app = GatewayApp(router=router, middleware=[RequestIds(), clients, *timing, SecurityHeaders(),
                                                RedirectPages(templates), page_cache, ApiValidators(),
                                                NoBlankParameters()])
    app.router_options.converters.update(CONVERTERS)
    app.req_options.strip_url_path_trailing_slash = True
    app.page_cache, app.search_results, app.change_listener, app.visit_counters = (
        page_cache, search_results, listener, visits)

    def render_error_page(req, status):
        return templates.get_template("error.html").render(
            status=status, lang=language_of_path(req.path), prefs=preferences.from_request(req),
            request_path=req.path, return_to=req.relative_uri, request_id=request_id_of(req))

    # Falcon picks the most specific handler, so its own HTTPError needs naming too.
    app.add_error_handler((Exception, falcon.HTTPError), make_error_handler(render_error_page))

    # Public pages
    app.add_route("/", homes.HomePage(rpc, templates))
    app.add_route("/tim-kiem", search.SearchPage(rpc, templates, search_results))
    app.add_route("/hien-thi", display.DisplayOptions())
    app.add_route("/dang-ky/xac-nhan", subscriptions.SubscriptionLink(rpc, templates, settings, "confirm"))
    app.add_route("/dang-ky/huy", subscriptions.SubscriptionLink(rpc, templates, settings, "unsubscribe"))
    app.add_route("/dang-ky/quan-ly", subscriptions.ManagePage(rpc, templates, settings))
    app.add_route("/{unit}", homes.UnitPage(rpc, templates))
    app.add_route("/xep-hang", ranking.RankingIndexPage(rpc, templates))
    app.add_route("/xep-hang/{month}", ranking.MonthPage(rpc, templates))
    app.add_route("/xep-hang/{month}.csv", ranking.MonthCsv(rpc, templates))
    app.add_route("/{unit}/xep-hang", ranking.UnitRankingPage(rpc, templates))
    app.add_route("/{unit}/tin-tuc/{slug}", pages.ArticlePage(rpc, templates, settings.PUBLIC_URL))
    app.add_route("/{unit}/chuyen-muc/{category}", pages.CategoryPage(rpc, templates))
    app.add_route("/{unit}/the/{tag}", tags.TagPage(rpc, templates))
    app.add_route("/{unit}/tin-theo-ngay", pages.DateArchiveForm(rpc, templates))
    app.add_route("/{unit}/tin-theo-ngay/{day}", pages.DateArchivePage(rpc, templates))
    app.add_route("/{unit}/dich-vu-cong", pages.PublicServicesPage(rpc, templates))
    app.add_route("/{unit}/thu-tuc-hanh-chinh", procedures.ProcedureListPage(rpc, templates))
    app.add_route("/{unit}/thu-tuc-hanh-chinh/{procedure_id}", procedures.ProcedurePage(rpc, templates))
    app.add_route("/{unit}/lich-cong-tac", schedules.CurrentWeek(rpc, templates))
    app.add_route("/{unit}/lich-cong-tac/{week}", schedules.WeekPage(rpc, templates))
    app.add_route("/{unit}/lich-cong-tac/{week}.ics", schedules.WeekCalendar(rpc, templates))
    app.add_route("/{unit}/van-ban", documents.DocumentSearchPage(rpc, templates))
    app.add_route("/{unit}/van-ban/{document_id}", documents.DocumentPage(rpc, templates))
    app.add_route("/{unit}/cong-khai", disclosures.DisclosureIndex(rpc, templates))
    app.add_route("/{unit}/cong-khai/{key}", disclosures.DisclosureSection(rpc, templates))
    app.add_route("/{unit}/hoi-dap", questions.QuestionList(rpc, templates))
    app.add_route("/{unit}/hoi-dap/gui-cau-hoi", questions.QuestionForm(rpc, templates, settings))
    app.add_route("/{unit}/hoi-dap/gui-cau-hoi/da-gui", questions.QuestionSent(rpc, templates, settings))
    app.add_route("/{unit}/hoi-dap/{question_id}", questions.QuestionPage(rpc, templates))
    app.add_route("/{unit}/du-thao", consultations.ConsultationList(rpc, templates))
    app.add_route("/{unit}/du-thao/{consultation_id}", consultations.ConsultationPage(rpc, templates, settings))
    app.add_route("/{unit}/dang-ky-nhan-tin", subscriptions.SubscribeForm(rpc, templates, settings))
    app.add_route("/{unit}/dang-ky-nhan-tin/da-gui", subscriptions.SubscribeSent(rpc, templates))
    media = media_files.MediaFile(rpc)
    app.add_route("/tep/{media_id}", media)
    app.add_route("/tep/{media_id}/{rendition}", media)
    app.add_route("/{unit}/gioi-thieu/{key}", static_pages.StaticPage(rpc, templates, "vi"))
    app.add_route("/{unit}/en/{key}", static_pages.StaticPage(rpc, templates, "en"))
    app.add_route("/{unit}/so-do-trang", static_pages.SiteMap(rpc, templates))
    app.add_route("/tuan-thu", conformance.ProvinceConformancePage(rpc, templates))
    app.add_route("/tuan-thu.csv", conformance.ConformanceCsv(rpc, templates))
    app.add_route("/{unit}/tuan-thu", conformance.UnitConformancePage(rpc, templates))
    app.add_route("/{unit}/danh-muc-thong-tin", conformance.InformationListPage(rpc, templates))
    app.add_route("/{unit}/rss", feeds.Feed(rpc, templates, settings, "rss"))
    app.add_route("/{unit}/atom", feeds.Feed(rpc, templates, settings, "atom"))
    app.add_route("/{unit}/chuyen-muc/{category}/rss", feeds.Feed(rpc, templates, settings, "rss"))
    app.add_route("/{unit}/chuyen-muc/{category}/atom", feeds.Feed(rpc, templates, settings, "atom"))
    app.add_route("/{unit}/sitemap.xml", feeds.UnitSitemap(rpc, templates, settings))
    app.add_route("/sitemap.xml", feeds.SitemapIndex(rpc, templates, settings))
    app.add_route("/robots.txt", feeds.Robots(rpc, templates, settings))
    app.add_route("/favicon.ico", site_icon.SiteIcon(STATIC_DIR / "favicon.ico", "image/x-icon"))
    app.add_route("/favicon.svg", site_icon.SiteIcon(STATIC_DIR / "favicon.svg", "image/svg+xml"))
    app.add_route("/healthz", pages.Health())
    app.add_route("/readyz", Readiness(settings.as_nameko_config(), lambda: listener.connected.is_set()))
    app.add_route("/metrics", Metrics())
    app.add_static_route("/static", str(STATIC_DIR))

    # The editorial board's workspace (gateway/workspace/): every page needs a signed-in person.
    sign_in = signing_in.SignIn(rpc, templates, settings)
    app.add_error_handler(SignInNeeded, handle_sign_in_needed(sign_in.show, settings.MAX_BODY_BYTES))
    app.add_route("/quan-tri", signing_in.Home(rpc, templates, settings))
    app.add_route("/quan-tri/dang-nhap", sign_in)
    app.add_route("/quan-tri/dang-xuat", signing_in.SignOut(rpc, templates, settings))
    app.add_route("/quan-tri/mat-khau", signing_in.PasswordChange(rpc, templates, settings))
    app.add_route(notification_choices.PATH, notification_choices.NotificationChoices(rpc, templates, settings))
    app.add_route(email_desk.PATH, email_desk.EmailFigures(rpc, templates, settings))  # platform admins
    # -- workspace: dashboard --
    app.add_route("/quan-tri/{unit}", dashboard.Dashboard(rpc, templates, settings))
    # -- end dashboard --
    # -- workspace: articles --
    article_base = "/quan-tri/{unit}/bai-viet"
    app.add_route(article_base, articles.ArticleList(rpc, templates, settings))
    app.add_route(f"{article_base}/moi", articles_form.NewArticle(rpc, templates, settings))
    preview = articles.ArticlePreview(rpc, templates, settings)
    app.add_route(f"{article_base}/moi/xem-truoc", preview)
    app.add_route(f"{article_base}/{{article_id}}", articles_form.EditArticle(rpc, templates, settings))
    app.add_route(f"{article_base}/{{article_id}}/xem-truoc", preview)
    # One route per workflow step: /gui-duyet (submit), /duyet (approve), /tra-lai (reject), /dang
    # (publish), /dang-ngay (force publish), /go-xuong (unpublish), /luu-tru (archive).
    for step in article_steps.STEPS:
        app.add_route(f"{article_base}/{{article_id}}/{step.slug}",
                      articles.ArticleStep(rpc, templates, settings, step))
    # revisions
    app.add_route("/quan-tri/{unit}/bai-viet/{article_id}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, revision_desk.ARTICLE))
    # -- end articles --
    # -- workspace: schedules, documents, questions --
    app.add_route("/quan-tri/{unit}/lich-cong-tac", schedule_desk.WeekChooser(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/lich-cong-tac/{week:week}", schedule_desk.WeekGrid(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/lich-cong-tac/{week:week}/sao-chep",
                  schedule_desk.WeekCopy(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/lich-cong-tac/{week:week}/dang",
                  schedule_desk.WeekPublication(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/van-ban", document_desk.DocumentList(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/van-ban/moi", document_desk.NewDocument(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/van-ban/{document_id}", document_desk.EditDocument(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/van-ban/{document_id}/dang",
                  document_desk.DocumentPublication(rpc, templates, settings))
    procedure_base = "/quan-tri/{unit}/thu-tuc-hanh-chinh"
    app.add_route(procedure_base, procedure_desk.ProcedureList(rpc, templates, settings))
    app.add_route(f"{procedure_base}/moi", procedure_desk.NewProcedure(rpc, templates, settings))
    app.add_route(f"{procedure_base}/{{procedure_id}}", procedure_desk.EditProcedure(rpc, templates, settings))
    for step in ("dang", "rut"):  # publish, withdraw
        app.add_route(f"{procedure_base}/{{procedure_id}}/{step}",
                      procedure_desk.ProcedureStep(rpc, templates, settings, step))
    draft_base = "/quan-tri/{unit}/du-thao"
    app.add_route(draft_base, consultation_desk.ConsultationList(rpc, templates, settings))
    app.add_route(f"{draft_base}/moi", consultation_desk.NewConsultation(rpc, templates, settings))
    app.add_route(f"{draft_base}/{{consultation_id}}", consultation_desk.ConsultationPage(rpc, templates, settings))
    app.add_route(f"{draft_base}/{{consultation_id}}/mo", consultation_desk.ConsultationStep(
        rpc, templates, settings, needs="document.publish", done="mo"))
    app.add_route(f"{draft_base}/{{consultation_id}}/tong-hop", consultation_desk.ConsultationStep(
        rpc, templates, settings, needs="document.publish", done="tong-hop"))
    app.add_route(f"{draft_base}/{{consultation_id}}/y-kien/{{comment_id}}/dang",
                  consultation_desk.CommentDecision(rpc, templates, settings, publish=True))
    app.add_route(f"{draft_base}/{{consultation_id}}/y-kien/{{comment_id}}/tu-choi",
                  consultation_desk.CommentDecision(rpc, templates, settings, publish=False))
    app.add_route("/quan-tri/{unit}/hoi-dap", question_desk.Inbox(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/hoi-dap/{question_id}", question_desk.QuestionPage(rpc, templates, settings))
    for step in question_desk.STEPS:  # accept: /tiep-nhan, reject: /tu-choi, answer: /tra-loi, publish: /dang
        app.add_route(f"/quan-tri/{{unit}}/hoi-dap/{{question_id}}/{step.slug}",
                      question_desk.QuestionStep(rpc, templates, settings, step))
    app.add_route("/quan-tri/{unit}/van-ban/{document_id}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, document_desk.REVISIONS))
    app.add_route("/quan-tri/{unit}/hoi-dap/{question_id}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, question_desk.REVISIONS))
    app.add_route("/quan-tri/{unit}/lich-cong-tac/{week:week}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, revised_kinds.WEEK))
    # -- end schedules, documents, questions --
    # -- workspace: pages, categories, unit, members, royalties --
    app.add_route("/quan-tri/{unit}/trang", page_desk.PageList(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/trang/{key}", page_desk.PageEditor(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/trang/{key}/{lang}", page_desk.PageLanguage(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/trang/{key}/{lang}/go-xuong", page_desk.PageWithdrawal(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/chuyen-muc", category_desk.CategoryList(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/chuyen-muc/{slug}", category_desk.CategoryEditor(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/chuyen-muc/{slug}/xoa", category_desk.CategoryDeletion(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/don-vi", unit_profile.UnitProfile(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/thanh-vien", member_desk.Members(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/thanh-vien/moi", member_desk.NewMember(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/thanh-vien/{username}/cap", member_desk.RoleChange(rpc, templates, settings, True))
    app.add_route("/quan-tri/{unit}/thanh-vien/{username}/thu-hoi",
                  member_desk.RoleChange(rpc, templates, settings, False))
    app.add_route("/quan-tri/{unit}/thanh-vien/{username}/dat-lai-mat-khau",
                  member_desk.PasswordReset(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/trang/{key}/{lang}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, revised_kinds.PAGE))
    app.add_route("/quan-tri/{unit}/chuyen-muc/{slug}/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, revised_kinds.CATEGORY))
    app.add_route("/quan-tri/{unit}/don-vi/phien-ban",
                  revision_desk.Revisions(rpc, templates, settings, revised_kinds.UNIT))
    app.add_route("/quan-tri/{unit}/nhuan-but", royalty_desk.Royalties(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/nhuan-but/{month:month}.csv", royalty_desk.RoyaltyCsv(rpc, templates, settings))
    app.add_route("/quan-tri/{unit}/nhuan-but/{month:month}/{article_id}",
                  royalty_desk.RoyaltyPoints(rpc, templates, settings))
    # -- end pages, categories, unit, members, royalties --

    # JSON API: every route below is documented by its responders' @operation records
    # (gateway/api/openapi.py) and served as /api/openapi.json and the page /tai-lieu-api.
    api_routes = ApiRoutes(app)
    route = api_routes.add
    contract = Contract(rpc, api_routes.routes)
    route("/api/openapi.json", OpenApiDocument(rpc, settings, contract))
    app.add_route("/tai-lieu-api", ApiReferencePage(rpc, templates, contract))

    # Units, levels, users and their roles, the audit log, an old site's archive
    route("/api/levels", units.Levels(rpc, settings))
    route("/api/units", units.Units(rpc, settings))
    route("/api/units/{unit}", units.Unit(rpc, settings))
    route("/api/units/{unit}/merge", units.UnitMerge(rpc, settings))
    route("/api/units/{unit}/dissolve", units.UnitDissolution(rpc, settings))
    route("/api/units/{unit}/place", units.UnitPlacement(rpc, settings))
    route("/api/units/{unit}/revisions", units.UnitRevisions(rpc, settings))
    route("/api/units/{unit}/rollback", units.UnitRollback(rpc, settings))
    route("/api/units/{unit}/audit", units.AuditLog(rpc, settings))
    route("/api/units/{unit}/history", units.UnitHistory(rpc, settings))
    route("/api/users", users.Users(rpc, settings))
    route("/api/users/{username}", users.User(rpc, settings))
    route("/api/users/{username}/roles", users.UserRoles(rpc, settings))
    route("/api/users/{username}/password-reset", users.UserPasswordReset(rpc, settings))

    # News: articles, their categories, revisions and royalties; media
    route("/api/units/{unit}/articles", news.UnitArticles(rpc, settings))
    route("/api/units/{unit}/articles/{slug}", news.PublishedArticle(rpc, settings))
    route("/api/units/{unit}/editorial/articles", news.EditorialArticles(rpc, settings))
    route("/api/articles/{article_id}", news.Article(rpc, settings))
    route("/api/articles/{article_id}/submit", news.SubmitArticle(rpc, settings))
    route("/api/articles/{article_id}/approve", news.ApproveArticle(rpc, settings))
    route("/api/articles/{article_id}/reject", news.RejectArticle(rpc, settings))
    route("/api/articles/{article_id}/publish", news.PublishArticle(rpc, settings))
    route("/api/articles/{article_id}/force-publish", news.ForcePublishArticle(rpc, settings))
    route("/api/articles/{article_id}/unpublish", news.UnpublishArticle(rpc, settings))
    route("/api/articles/{article_id}/archive", news.ArchiveArticle(rpc, settings))
    route("/api/articles/{article_id}/revisions", news.ArticleRevisions(rpc, settings))
    route("/api/articles/{article_id}/diff", news.ArticleDiff(rpc, settings))
    route("/api/articles/{article_id}/rollback", news.ArticleRollback(rpc, settings))
    route("/api/articles/{article_id}/royalty", news.ArticleRoyalty(rpc, settings))
    route("/api/units/{unit}/categories", news.Categories(rpc, settings))
    route("/api/units/{unit}/categories/{category}", news.Category(rpc, settings))
    route("/api/units/{unit}/categories/{category}/revisions", news.CategoryRevisions(rpc, settings))
    route("/api/units/{unit}/categories/{category}/diff", news.CategoryDiff(rpc, settings))
    route("/api/units/{unit}/categories/{category}/rollback", news.CategoryRollback(rpc, settings))
    route("/api/units/{unit}/royalties/{month:month}", news.RoyaltyReport(rpc, settings))
    route("/api/units/{unit}/royalties/{month:month}.csv", news.RoyaltyCsv(rpc, settings))
    route("/api/units/{unit}/media", media_api.UnitMedia(rpc, settings))
    route("/api/media/{media_id}", media_api.Media(rpc, settings))

    # Leadership schedules, legal documents, static pages
    route("/api/units/{unit}/schedules", schedules_api.PublishedWeeks(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}", schedules_api.PublishedWeek(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/draft", schedules_api.WeekDraft(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/publish", schedules_api.WeekPublication(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/copy", schedules_api.WeekCopy(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/revisions", schedules_api.WeekRevisions(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/diff", schedules_api.WeekDiff(rpc, settings))
    route("/api/units/{unit}/schedules/{week:week}/rollback", schedules_api.WeekRollback(rpc, settings))
    route("/api/units/{unit}/documents", documents_api.UnitDocuments(rpc, settings))
    route("/api/units/{unit}/documents/{document_id}", documents_api.PublishedDocument(rpc, settings))
    route("/api/units/{unit}/editorial/documents", documents_api.EditorialDocuments(rpc, settings))
    route("/api/units/{unit}/disclosures", documents_api.UnitDisclosures(rpc, settings))
    route("/api/units/{unit}/disclosures/{section}", documents_api.DisclosureDocuments(rpc, settings))
    route("/api/documents/{document_id}", documents_api.Document(rpc, settings))
    route("/api/documents/{document_id}/publish", documents_api.DocumentPublication(rpc, settings))
    route("/api/documents/{document_id}/revisions", documents_api.DocumentRevisions(rpc, settings))
    route("/api/documents/{document_id}/diff", documents_api.DocumentDiff(rpc, settings))
    route("/api/documents/{document_id}/rollback", documents_api.DocumentRollback(rpc, settings))
    route("/api/units/{unit}/procedures", procedures_api.UnitProcedures(rpc, settings))
    route("/api/units/{unit}/procedures/{procedure_id}", procedures_api.PublishedProcedure(rpc, settings))
    route("/api/units/{unit}/editorial/procedures", procedures_api.EditorialProcedures(rpc, settings))
    route("/api/procedures/{procedure_id}", procedures_api.Procedure(rpc, settings))
    route("/api/procedures/{procedure_id}/publish", procedures_api.ProcedurePublication(rpc, settings))
    route("/api/procedures/{procedure_id}/withdraw", procedures_api.ProcedureWithdrawal(rpc, settings))
    route("/api/procedures/{procedure_id}/revisions", procedures_api.ProcedureRevisions(rpc, settings))
    route("/api/procedures/{procedure_id}/diff", procedures_api.ProcedureDiff(rpc, settings))
    route("/api/procedures/{procedure_id}/rollback", procedures_api.ProcedureRollback(rpc, settings))
    route("/api/units/{unit}/pages", pages_api.UnitPages(rpc, settings))
    route("/api/units/{unit}/pages/{lang}/{key}", pages_api.UnitPage(rpc, settings))
    route("/api/units/{unit}/pages/{lang}/{key}/withdraw", pages_api.PageWithdrawal(rpc, settings))
    route("/api/units/{unit}/pages/{lang}/{key}/revisions", pages_api.PageRevisions(rpc, settings))
    route("/api/units/{unit}/pages/{lang}/{key}/diff", pages_api.PageDiff(rpc, settings))
    route("/api/units/{unit}/pages/{lang}/{key}/rollback", pages_api.PageRollback(rpc, settings))

    # Drafts out for comment
    route("/api/units/{unit}/consultations", consultations_api.UnitConsultations(rpc, settings))
    route("/api/units/{unit}/consultations/{consultation_id}", consultations_api.UnitConsultation(rpc, settings))
    route("/api/units/{unit}/consultations/{consultation_id}/comments",
          consultations_api.ConsultationComments(rpc, settings))
    route("/api/units/{unit}/consultation-desk", consultations_api.ConsultationDesk(rpc, settings))
    route("/api/units/{unit}/consultation-imports", consultations_api.ConsultationImports(rpc, settings))
    route("/api/consultations/{consultation_id}", consultations_api.Consultation(rpc, settings))
    route("/api/consultations/{consultation_id}/open", consultations_api.OpenConsultation(rpc, settings))
    route("/api/consultations/{consultation_id}/summary", consultations_api.ConsultationSummary(rpc, settings))
    route("/api/consultations/{consultation_id}/comments", consultations_api.CommentQueue(rpc, settings))
    route("/api/consultations/{consultation_id}/revisions", consultations_api.ConsultationRevisions(rpc, settings))
    route("/api/consultation-comments/{comment_id}/publish", consultations_api.PublishComment(rpc, settings))
    route("/api/consultation-comments/{comment_id}/reject", consultations_api.RejectComment(rpc, settings))

    # Citizens' questions
    route("/api/units/{unit}/questions", questions_api.UnitQuestions(rpc, settings))
    route("/api/units/{unit}/questions/{question_id}", questions_api.UnitQuestion(rpc, settings))
    route("/api/units/{unit}/question-inbox", questions_api.QuestionInbox(rpc, settings))
    route("/api/questions/{question_id}", questions_api.Question(rpc, settings))
    route("/api/questions/{question_id}/revisions", questions_api.QuestionRevisions(rpc, settings))
    route("/api/questions/{question_id}/diff", questions_api.QuestionDiff(rpc, settings))
    route("/api/questions/{question_id}/rollback", questions_api.QuestionRollback(rpc, settings))
    route("/api/questions/{question_id}/accept", questions_api.AcceptQuestion(rpc, settings))
    route("/api/questions/{question_id}/reject", questions_api.RejectQuestion(rpc, settings))
    route("/api/questions/{question_id}/answer", questions_api.AnswerQuestion(rpc, settings))
    route("/api/questions/{question_id}/publish", questions_api.PublishQuestion(rpc, settings))

    # Search, subscriptions, the ranking and visits
    route("/api/search", search.Search(rpc, settings, search_results))
    route("/api/search/suggest", search.SearchSuggestions(rpc, settings))
    route("/api/subscriptions", subscriptions_api.Subscriptions(rpc, settings))
    route("/api/me/notifications", notifications.MyNotifications(rpc, settings))
    route("/api/email-figures", email_figures_api.EmailFigures(rpc, settings))
    route("/api/units/{unit}/ranking", ranking.UnitStanding(rpc, settings))
    route("/api/units/{unit}/visits", ranking.UnitVisits(rpc, settings))
    route("/api/units/{unit}/visits/months", ranking.UnitMonthlyVisits(rpc, settings))
    route("/api/ranking", ranking.RankingMonths(rpc, settings))
    route("/api/ranking/criteria", ranking.RankingCriteria(rpc, settings))
    route("/api/ranking/rebuild", ranking.RankingRebuild(rpc, settings))
    route("/api/ranking/{month:month}", ranking.RankingMonth(rpc, settings))
    route("/api/ranking/{month:month}/revisions", ranking.RankingRevisions(rpc, settings))
    route("/api/conformance", conformance.ConformanceReport(rpc, settings))
    route("/api/units/{unit}/conformance", conformance.UnitConformance(rpc, settings))
    return app


def shut_down(app: GatewayApp) -> None:
    """Stop the app's background work: the content event listener, and the page views not yet sent."""
    app.change_listener.stop()
    app.visit_counters.stop()
