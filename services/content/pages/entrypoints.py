from services.common.errors import InvalidInput, NotFound
from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.pages.schemas import PageChange, PageInput, PageListing, PageRef, PageWithdrawal
from services.content.revisions import Rollback
from services.content.validation import MAX_FETCH, Page, expected_version, validate, validate_change, version_number


def _ref(key, lang) -> PageRef:
    """The page a key and language name; one no page can have names none (NotFound, as any unknown page)."""
    try:
        return validate(PageRef, {"key": key, "lang": lang})
    except InvalidInput:
        raise NotFound(f"No page {key!r} in {lang!r}: no page has such an address") from None


class PageEntrypoints:
    # Public reading

    @rpc
    def get_page(self, unit, key, lang="vi"):
        """A live page; NotFound if it does not exist in `lang` (the portal decides any fallback)."""
        return self.content.pages.get(unit, _ref(key, lang))

    @rpc
    def list_pages(self, unit, lang="vi", skip=0, limit=None):
        """[{"key", "title", "order", "languages"}] in menu order: all of them unless `limit` is given."""
        listing = validate(PageListing, {"lang": lang, "skip": skip, "limit": limit})
        return self.content.pages.list(unit, listing.lang, listing.skip, listing.limit)

    # The unit's administrator

    @rpc
    def all_pages(self, actor, unit):
        """[{"key", "lang", "title", "order", "status", "version", "updated_at"}]: every page of the
        unit in each language, withdrawn ones too, in menu order (for whoever may manage its pages)."""
        return self.content.pages.all(self.actor(actor), unit)

    @rpc
    def read_page(self, actor, unit, key, lang):
        """A page, withdrawn or not, as its administrator edits it; NotFound if it was never written."""
        return self.content.pages.read(self.actor(actor), unit, _ref(key, lang))

    @rpc
    @once_per_request
    def create_page(self, actor, unit, data):
        """`data`: {"key", "lang", "title", "body_html", "order"}."""
        return self.announce(self.content.pages.create(self.actor(actor), unit, validate(PageInput, data)))

    @rpc
    @once_per_request
    def update_page(self, actor, unit, key, lang, data, version=None):
        """`data`: {"title", "body_html", "order", "version"} as the API's body has them, or the
        version given beside; an order left out stays as it was."""
        change = validate_change(PageChange, data, expected_version(version))
        return self.announce(self.content.pages.update(self.actor(actor), unit, _ref(key, lang), change,
                                                       change.version))

    @rpc
    @once_per_request
    def withdraw_page(self, actor, unit, key, lang, version=None, data=None):
        """`data`: {"version"} as the API's body has it, or the version given beside."""
        withdrawal = validate_change(PageWithdrawal, data or {}, expected_version(version))
        return self.announce(self.content.pages.withdraw(self.actor(actor), unit, _ref(key, lang),
                                                         withdrawal.version))

    @rpc
    def page_history(self, actor, unit, key, lang, skip=0, limit=MAX_FETCH):
        """The page's revisions (withdrawn or not), oldest first."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.pages.history(self.actor(actor), unit, _ref(key, lang), page.skip, page.limit)

    @rpc
    def page_diff(self, actor, unit, key, lang, from_version, to_version):
        return self.content.pages.diff(self.actor(actor), unit, _ref(key, lang), version_number(from_version, "from"),
                                       version_number(to_version, "to"))

    @rpc
    @once_per_request
    def rollback_page(self, actor, unit, key, lang, data):
        """`data`: {"to_version", "version"}: a live page's content as that revision kept it."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.pages.rollback(self.actor(actor), unit, _ref(key, lang),
                                                         rollback.to_version, rollback.version))
