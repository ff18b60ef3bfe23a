"""Kiosk languages and bilingual signage (S8.4): a heading in the active language plus Chinese and the office's
minority language, each computed with `translation.override` (no template tags: the app works uninstalled)."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop

DEFAULT_LANGUAGE = "zh-hans"
# Each language in its own script, in this order, whatever the active language.
KIOSK_LANGUAGES = [("zh-hans", "中文"), ("en", "English"), ("ug", "ئۇيغۇرچە"), ("bo", "བོད་ཡིག")]

# Headings of the kiosk pages and tiles (English msgids; the catalogues hold the translations).
TITLES = {
    "home": gettext_noop("Self-service kiosk"),
    "bills": gettext_noop("My bills and payments"),
    "progress": gettext_noop("My application progress"),
    "outages": gettext_noop("Outage notices"),
    "tariffs": gettext_noop("Tariffs and fees"),
    "procedures": gettext_noop("Procedures and policies"),
    "payment_methods": gettext_noop("Payment methods"),
    "tips": gettext_noop("Energy-saving tips"),
    "appointments": gettext_noop("Book an appointment"),
    "feedback": gettext_noop("Suggestion box: complaints, suggestions, praise"),
    "queue": gettext_noop("Take a queue number"),
    "verify": gettext_noop("Check my account"),
    "account": gettext_noop("My account"),
    "account_box": gettext_noop("Account"),
    "arrears": gettext_noop("Arrears"),
    "bill_list": gettext_noop("Bills of the last 24 months"),
    "payment_list": gettext_noop("Latest payments"),
    "other_tickets": gettext_noop("Other open requests"),
    "my_outages": gettext_noop("Outages affecting my account"),
    "fees": gettext_noop("Fee items"),
    "commitments": gettext_noop("Our service commitments"),
    "documents": gettext_noop("What to bring"),
    "steps": gettext_noop("Steps"),
    "site": gettext_noop("Power Supply Business Office"),
    "locked": gettext_noop("Needs your account number and query PIN"),
}


@dataclass(frozen=True)
class Part:
    """One language's text of a heading, with what the template needs to mark it up."""

    lang: str
    text: str
    rtl: bool
    primary: bool


def translate_in(text, lang: str) -> str:
    """A msgid (or a lazy translation) in the given language."""
    with translation.override(lang):
        return str(text) if isinstance(text, Promise) else gettext(text)


def bilingual(text, other: str) -> tuple[str, str]:
    """(Chinese, other language) of one msgid, e.g. for a sign in Chinese and Uyghur side by side."""
    return translate_in(text, DEFAULT_LANGUAGE), translate_in(text, other)


def is_rtl(lang: str) -> bool:
    try:
        return bool(translation.get_language_info(lang)["bidi"])
    except KeyError:
        return False


_HEADINGS: dict[tuple, tuple[Part, ...]] = {}


def heading(text, *, signage: str = "") -> tuple[Part, ...]:
    """The active language first; with office signage, Chinese and the signage language too (each once). The same
    for every customer: computed once per process, text, language and signage (issue 12)."""
    active = translation.get_language() or DEFAULT_LANGUAGE
    if isinstance(text, Promise):  # a lazy text: no stable key
        return tuple(_heading(text, active, signage))
    key = (text, active, signage)
    found = _HEADINGS.get(key)
    if found is None:
        if len(_HEADINGS) >= 4096:
            _HEADINGS.clear()
        found = _HEADINGS[key] = tuple(_heading(text, active, signage))
    return found


def _heading(text, active: str, signage: str) -> list[Part]:
    langs = [active]
    if signage:
        zh, other = bilingual(text, signage)
        extra = {DEFAULT_LANGUAGE: zh, signage: other}
    else:
        extra = {}
    parts = [Part(active, translate_in(text, active), is_rtl(active), True)]
    for lang, value in extra.items():
        if lang not in langs:
            langs.append(lang)
            parts.append(Part(lang, value, is_rtl(lang), False))
    return parts


_ALL: dict[tuple, dict] = {}


def headings(*, signage: str = "", keys=None) -> dict[str, tuple[Part, ...]]:
    """The headings of `keys` (all by default). The dict is shared between requests: read it, do not change it."""
    memo = (translation.get_language(), signage, None if keys is None else tuple(keys))
    found = _ALL.get(memo)
    if found is None:
        if len(_ALL) >= 256:
            _ALL.clear()
        found = _ALL[memo] = {key: heading(TITLES[key], signage=signage) for key in (keys or TITLES)}
    return found
