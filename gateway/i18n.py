"""The pages' fixed words (menus, counters, buttons, errors) in the page's language, through
gettext message catalogues.

Templates write the Vietnamese, `{{ _("Trang chủ") }}`: Vietnamese is the source language, so a
Vietnamese page needs no catalogue. Each other language has gateway/locale/<lang>/LC_MESSAGES/
messages.po, which `make messages` keeps in step with the templates (babel.cfg). The .po files
are read when the gateway starts, so there is no compiled .mo to forget or to go stale. Which
catalogue a phrase comes from is the `lang` of the page being rendered ("vi" unless the page
says otherwise), read from the render context on each call: nothing is installed per request,
so the gunicorn workers' threads never share a language.
"""
from __future__ import annotations

import re
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.environment import TemplateModule

SOURCE_LANGUAGE = "vi"
LANGUAGES = (SOURCE_LANGUAGE, "en")  # the languages pages are written in
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The English pages are a unit's static pages, /{unit}/en/{key} (gateway/resources/static_pages.py).
_ENGLISH_PATH = re.compile(r"^/[^/]+/en(/|$)")


def catalogue_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalogues(locale_dir: Path = LOCALE_DIR) -> dict[str, NullTranslations]:
    """Every language's translations from its .po file; the source language translates to itself.
    Fuzzy entries (guesses `pybabel update` made) are left out, as compiling them would."""
    catalogues: dict[str, NullTranslations] = {SOURCE_LANGUAGE: NullTranslations()}
    for language in LANGUAGES[1:]:
        with catalogue_path(language, locale_dir).open("rb") as source:
            catalogue = read_po(source, locale=language, domain=DOMAIN)
        compiled = BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        catalogues[language] = Translations(compiled, domain=DOMAIN)
    return catalogues


def install(env: Environment) -> None:
    """`_`, `gettext`, `ngettext` and {% trans %} in `env`, answering in the page's `lang`."""
    catalogues = load_catalogues()
    source = catalogues[SOURCE_LANGUAGE]

    def catalogue_of(context) -> NullTranslations:
        return catalogues.get(context.get("lang") or SOURCE_LANGUAGE, source)

    @pass_context
    def gettext(context, message: str) -> str:
        return catalogue_of(context).gettext(message)

    @pass_context
    def ngettext(context, singular: str, plural: str, n: int) -> str:
        return catalogue_of(context).ngettext(singular, plural, n)

    env.add_extension("jinja2.ext.i18n")
    # Not "newstyle": a phrase comes back as plain text, escaped on output like any other, and
    # only {% trans %} fills in %(name)s (with escaped values), so a "%" in a phrase is just a "%".
    env.install_gettext_callables(gettext, ngettext, newstyle=False)


def in_each_language(env: Environment, name: str) -> dict[str, TemplateModule]:
    """The template's module (its macros) once per language, for what is rendered apart from a
    page and so has no page's `lang` to read."""
    template = env.get_template(name)
    return {language: template.make_module({"lang": language}) for language in LANGUAGES}


def language_of_path(path: str) -> str:
    """The language of the page at `path`, for what is rendered apart from the page itself (its
    error page, the visit counter filled in when a cached page is served)."""
    return "en" if _ENGLISH_PATH.match(path) else SOURCE_LANGUAGE
