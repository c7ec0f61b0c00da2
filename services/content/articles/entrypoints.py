from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.content.articles.schemas import (
    ArchiveDay,
    ArticleInput,
    CategoryInput,
    Comment,
    PublishOptions,
    RoyaltyPoints,
)
from services.content.outcomes import once_per_request
from services.content.validation import expected_version, page_size, validate, version_number


class ArticleEntrypoints:
    # Public reading

    @rpc
    def get_published_article(self, unit, slug):
        return self.content.articles.get_published(unit, slug)

    @rpc
    def latest_articles(self, unit=None, limit=10, category=None, tag=None, featured=None, skip=0,
                        with_total=True):
        """Published articles, newest first: {"articles": [...], "total": n, or None without with_total}."""
        return self.content.articles.latest(unit, page_size(limit), category, tag, featured, max(0, int(skip)),
                                            bool(with_total))

    @rpc
    def articles_on_date(self, unit, day):
        return self.content.articles.on_date(unit, validate(ArchiveDay, {"day": day}).day)

    @rpc
    def list_categories(self, unit):
        return self.content.categories.list(unit)

    # The editorial board

    @rpc
    @once_per_request
    def create_category(self, actor, unit, data):
        return self.announce(self.content.categories.create(self.actor(actor), unit, validate(CategoryInput, data)))

    @rpc
    def get_article(self, actor, article_id):
        return self.content.articles.get(self.actor(actor), article_id)

    @rpc
    def editorial_list(self, actor, unit, status=None, limit=50):
        return self.content.articles.for_editors(self.actor(actor), unit, status, page_size(limit))

    @rpc
    @once_per_request
    def create_article(self, actor, unit, data):
        return self.content.articles.create(self.actor(actor), unit, validate(ArticleInput, data))

    @rpc
    @once_per_request
    def update_article(self, actor, article_id, data, version=None):
        return self.announce(self.content.articles.update(
            self.actor(actor), article_id, validate(ArticleInput, data), expected_version(version)))

    @rpc
    @once_per_request
    def move_article(self, actor, article_id, step, options=None):
        """One workflow step: submit, approve, reject, publish, force_publish, unpublish, archive.

        `options`: {"version", "comment" (reject, force_publish), "at" (schedule publish/unpublish)}.
        """
        options = options or {}
        if step in ("reject", "force_publish"):
            parsed = validate(Comment, options)
            return self.announce(self.content.articles.move(
                self.actor(actor), article_id, step, parsed.version, comment=parsed.comment))
        if step not in ("submit", "approve", "publish", "unpublish", "archive"):
            raise InvalidInput(f"Unknown workflow step {step!r}", {"step": "unknown step"})
        parsed = validate(PublishOptions, options)
        return self.announce(self.content.articles.move(
            self.actor(actor), article_id, step, parsed.version, at=parsed.at))

    @rpc
    def article_history(self, actor, article_id):
        return self.content.articles.history(self.actor(actor), article_id)

    @rpc
    def article_diff(self, actor, article_id, from_version, to_version):
        return self.content.articles.diff(self.actor(actor), article_id, version_number(from_version, "from"),
                                          version_number(to_version, "to"))

    @rpc
    @once_per_request
    def rollback_article(self, actor, article_id, to_version, version=None):
        return self.announce(self.content.articles.rollback(
            self.actor(actor), article_id, version_number(to_version, "to_version"), expected_version(version)))

    @rpc
    @once_per_request
    def assign_royalty_points(self, actor, article_id, data):
        return self.content.articles.assign_points(self.actor(actor), article_id, validate(RoyaltyPoints, data).points)
