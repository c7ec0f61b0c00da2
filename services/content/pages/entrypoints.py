from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.pages.schemas import PageContent, PageInput, PageLanguage, PageRef
from services.content.validation import expected_version, validate


def _ref(key, lang) -> PageRef:
    return validate(PageRef, {"key": key, "lang": lang})


class PageEntrypoints:
    # Public reading

    @rpc
    def get_page(self, unit, key, lang="vi"):
        """A live page; NotFound if it does not exist in `lang` (the portal decides any fallback)."""
        return self.content.pages.get(unit, _ref(key, lang))

    @rpc
    def list_pages(self, unit, lang="vi"):
        """[{"key", "title", "order", "languages"}] in menu order."""
        return self.content.pages.list(unit, validate(PageLanguage, {"lang": lang}).lang)

    # The unit's administrator

    @rpc
    @once_per_request
    def create_page(self, actor, unit, data):
        """`data`: {"key", "lang", "title", "body_html", "order"}."""
        return self.announce(self.content.pages.create(self.actor(actor), unit, validate(PageInput, data)))

    @rpc
    @once_per_request
    def update_page(self, actor, unit, key, lang, data, version=None):
        """`data`: {"title", "body_html", "order"}; an order left out stays as it was."""
        return self.announce(self.content.pages.update(
            self.actor(actor), unit, _ref(key, lang), validate(PageContent, data), expected_version(version)))

    @rpc
    @once_per_request
    def withdraw_page(self, actor, unit, key, lang, version=None):
        return self.announce(self.content.pages.withdraw(self.actor(actor), unit, _ref(key, lang),
                                                         expected_version(version)))

    @rpc
    def page_history(self, actor, unit, key, lang):
        return self.content.pages.history(self.actor(actor), unit, _ref(key, lang))
