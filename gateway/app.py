"""The gateway's whole HTTP surface, wired in one place."""
from __future__ import annotations

from pathlib import Path

import falcon

from gateway.errors import make_error_handler
from gateway.middleware import SecurityHeaders
from gateway.resources import api, pages, search
from gateway.rpc import RpcPool
from gateway.templating import create_environment
from services.common.config import Settings

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings, rpc: RpcPool | None = None) -> falcon.App:
    rpc = rpc or RpcPool(settings.as_nameko_config(), settings.RPC_POOL_SIZE, settings.RPC_TIMEOUT)
    templates = create_environment()

    app = falcon.App(middleware=[SecurityHeaders()])
    app.req_options.strip_url_path_trailing_slash = True

    def render_error_page(req, status, title, text):
        return templates.get_template("error.html").render(status=status, title=title, text=text)

    # Falcon picks the most specific handler, so its own HTTPError needs naming too.
    app.add_error_handler((Exception, falcon.HTTPError), make_error_handler(render_error_page))

    # Public pages
    app.add_route("/", pages.HomePage(rpc, templates))
    app.add_route("/tim-kiem", search.SearchPage(rpc, templates))
    app.add_route("/dang-ky/xac-nhan", pages.SubscriptionLinkPage(rpc, templates, "confirm"))
    app.add_route("/dang-ky/huy", pages.SubscriptionLinkPage(rpc, templates, "unsubscribe"))
    app.add_route("/{unit}", pages.UnitPage(rpc, templates))
    app.add_route("/{unit}/tin-tuc/{slug}", pages.ArticlePage(rpc, templates))
    app.add_route("/healthz", pages.Health())
    app.add_static_route("/static", str(STATIC_DIR))

    # JSON API
    app.add_route("/api/levels", api.Levels(rpc, settings))
    app.add_route("/api/units", api.Units(rpc, settings))
    app.add_route("/api/units/{unit}", api.Unit(rpc, settings))
    app.add_route("/api/units/{unit}/audit", api.AuditLog(rpc, settings))
    app.add_route("/api/units/{unit}/categories", api.Categories(rpc, settings))
    app.add_route("/api/units/{unit}/articles", api.UnitArticles(rpc, settings))
    app.add_route("/api/units/{unit}/royalties/{month}", api.RoyaltyReport(rpc, settings))
    app.add_route("/api/units/{unit}/{change}", api.UnitChange(rpc, settings))
    app.add_route("/api/users", api.Users(rpc, settings))
    app.add_route("/api/users/{username}/roles", api.UserRoles(rpc, settings))
    app.add_route("/api/articles/{article_id}", api.Article(rpc, settings))
    app.add_route("/api/articles/{article_id}/revisions", api.ArticleRevisions(rpc, settings))
    app.add_route("/api/articles/{article_id}/diff", api.ArticleDiff(rpc, settings))
    app.add_route("/api/articles/{article_id}/rollback", api.ArticleRollback(rpc, settings))
    app.add_route("/api/articles/{article_id}/royalty", api.ArticleRoyalty(rpc, settings))
    app.add_route("/api/articles/{article_id}/{step}", api.ArticleStep(rpc, settings))
    app.add_route("/api/search", search.Search(rpc, settings))
    app.add_route("/api/search/suggest", search.SearchSuggestions(rpc, settings))
    app.add_route("/api/subscriptions", api.Subscriptions(rpc, settings))
    return app
