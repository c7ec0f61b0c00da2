from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.content import accessibility
from services.content.articles.schemas import (
    ArchiveDay,
    ArticleChange,
    ArticleInput,
    CategoryChange,
    CategoryInput,
    EditorialListing,
    PublishedListing,
    PublishOptions,
    RoyaltyPoints,
    StepComment,
    StepVersion,
)
from services.content.outcomes import once_per_request
from services.content.revisions import Rollback
from services.content.validation import MAX_FETCH, Page, page_size, validate, validate_change, version_number

# The body each workflow step takes: a reason where one is needed, a time where it may wait.
STEP_OPTIONS = {"submit": StepVersion, "approve": StepVersion, "archive": StepVersion,
                "publish": PublishOptions, "unpublish": PublishOptions,
                "reject": StepComment, "force_publish": StepComment}


class ArticleEntrypoints:
    # Public reading

    @rpc
    def get_published_article(self, unit, slug):
        return self.content.articles.get_published(unit, slug)

    @rpc
    def latest_articles(self, unit=None, limit=10, category=None, tag=None, featured=None, skip=0,
                        with_total=True, tag_key=None):
        """Published articles, newest first: {"articles": [...], "total": n, or None without with_total}.
        `tag_key` (a tag's address, its folded words) finds every spelling of the tag that folds to it."""
        return self.content.articles.latest(unit, page_size(limit), category, tag, featured, max(0, int(skip)),
                                            bool(with_total), tag_key=tag_key)

    @rpc
    def latest_by_category(self, unit, limit=4):
        """The newest `limit` published articles of each of the unit's categories, in menu order:
        [{"category": slug, "articles": [...]}]. One call for a home's news blocks."""
        return self.content.articles.latest_in_each_category(unit, page_size(limit))

    @rpc
    def published_articles(self, unit, listing=None):
        """A page of a unit's published articles: `listing` is a PublishedListing (skip, limit,
        sort, and the filters category, tag, featured, day)."""
        return self.content.articles.published(unit, validate(PublishedListing, listing or {}))

    @rpc
    def articles_on_date(self, unit, day):
        return self.content.articles.on_date(unit, validate(ArchiveDay, {"day": day}).day)

    @rpc
    def list_categories(self, unit, skip=0, limit=0):
        """The unit's categories in menu order: `limit` of them after `skip` (0: all, as menus show them)."""
        page = validate(Page, {"skip": skip, "limit": limit}) if limit else None
        return self.content.categories.list(unit, page)

    # The editorial board

    @rpc
    @once_per_request
    def create_category(self, actor, unit, data):
        return self.announce(self.content.categories.create(self.actor(actor), unit, validate(CategoryInput, data)))

    @rpc
    @once_per_request
    def update_category(self, actor, unit, slug, data):
        """A category's name, English name and order; `data` is a CategoryChange (with its version)."""
        return self.announce(self.content.categories.update(self.actor(actor), unit, slug,
                                                            validate(CategoryChange, data)))

    @rpc
    @once_per_request
    def delete_category(self, actor, unit, slug):
        """Refused (Conflict) while any of the unit's articles is filed under it."""
        return self.announce(self.content.categories.delete(self.actor(actor), unit, slug))

    @rpc
    def category_history(self, actor, unit, slug, skip=0, limit=MAX_FETCH):
        """The category's revisions, oldest first: `limit` of them after `skip`."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.categories.history(self.actor(actor), unit, slug, page)

    @rpc
    def category_diff(self, actor, unit, slug, from_version, to_version):
        return self.content.categories.diff(self.actor(actor), unit, slug, version_number(from_version, "from"),
                                            version_number(to_version, "to"))

    @rpc
    @once_per_request
    def rollback_category(self, actor, unit, slug, data):
        """`data` is a Rollback: {"to_version", "version"}; announced as any change of the menu is."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.categories.rollback(self.actor(actor), unit, slug, rollback.to_version,
                                                              rollback.version))

    @rpc
    def get_article(self, actor, article_id):
        return self.content.articles.get(self.actor(actor), article_id)

    @rpc
    def get_article_draft(self, actor, article_id):
        """The article as get_article gives it, with "accessibility": the problems (accessibility.py)
        that would refuse its publication, for its staff to see while they write."""
        return self.content.articles.get_draft(self.actor(actor), article_id)

    @rpc
    def check_accessibility(self, body_html, summary=None):
        """The problems text would be refused publication for (accessibility.py), before it is
        saved: a body, and the summary of a kind that has one (None: no summary to check)."""
        text = validate(accessibility.AccessibilityCheck, {"body_html": body_html, "summary": summary})
        return accessibility.problems(text.body_html, text.summary)

    @rpc
    def editorial_list(self, actor, unit, status=None, limit=50, skip=0, sort="-updated_at"):
        listing = validate(EditorialListing, {"status": status, "limit": limit, "skip": skip, "sort": sort})
        return self.content.articles.for_editors(self.actor(actor), unit, listing)

    @rpc
    @once_per_request
    def create_article(self, actor, unit, data):
        return self.content.articles.create(self.actor(actor), unit, validate(ArticleInput, data))

    @rpc
    @once_per_request
    def update_article(self, actor, article_id, data, version=None):
        """`data` is an ArticleChange: the fields with the `version` they are based on (which
        may instead be given apart, as `version`)."""
        change = validate_change(ArticleChange, data, version)
        return self.announce(self.content.articles.update(self.actor(actor), article_id, change, change.version))

    @rpc
    @once_per_request
    def move_article(self, actor, article_id, step, options=None):
        """One workflow step: submit, approve, reject, publish, force_publish, unpublish, archive.

        `options`, as STEP_OPTIONS names: {"version"}, with "comment" (reject, force_publish) or
        "at" (publish or unpublish later).
        """
        if step not in STEP_OPTIONS:
            raise InvalidInput(f"Unknown workflow step {step!r}", {"step": "unknown step"})
        parsed = validate(STEP_OPTIONS[step], options or {})
        return self.announce(self.content.articles.move(
            self.actor(actor), article_id, step, parsed.version, comment=getattr(parsed, "comment", ""),
            at=getattr(parsed, "at", None)))

    @rpc
    def article_history(self, actor, article_id, skip=0, limit=0):
        """The article's revisions, oldest first: `limit` of them after `skip` (0: all)."""
        page = validate(Page, {"skip": skip, "limit": limit}) if limit else None
        return self.content.articles.history(self.actor(actor), article_id, page)

    @rpc
    def article_diff(self, actor, article_id, from_version, to_version):
        return self.content.articles.diff(self.actor(actor), article_id, version_number(from_version, "from"),
                                          version_number(to_version, "to"))

    @rpc
    @once_per_request
    def rollback_article(self, actor, article_id, data):
        """`data` is a Rollback: {"to_version", "version"}."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.articles.rollback(
            self.actor(actor), article_id, rollback.to_version, rollback.version))

    @rpc
    @once_per_request
    def assign_royalty_points(self, actor, article_id, data):
        return self.content.articles.assign_points(self.actor(actor), article_id, validate(RoyaltyPoints, data).points)
