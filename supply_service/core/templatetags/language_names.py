"""`{{ code|language_name }}`: a language's name in the user's language, with its own script beside it
("Uyghur (ئۇيغۇرچە)", "维吾尔语（ئۇيغۇرچە）"), each part marked with its language."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()


def translated_name(code: str) -> str:
    """The name of a configured language (settings.LANGUAGES) in the active language; the code if unknown."""
    for known, name in settings.LANGUAGES:
        if known == code:
            return gettext(name) if isinstance(name, str) else str(name)
    return code


@register.filter
def language_name(code: str) -> str:
    from django.utils.translation import get_language_info

    try:
        own = get_language_info(code)["name_local"]
    except KeyError:
        return code
    name = translated_name(code)
    if name == own or get_language() == code:
        return format_html('<span lang="{}">{}</span>', code, own)
    return format_html('{} (<span lang="{}">{}</span>)', name, code, own)
