"""`{% language_switcher %}`: the language buttons of every layout written by one Python call — the same markup as
`partials/language_switcher.html` (kept as the reference tests/core/test_language_tag.py compares with). Included,
it was a third of the staff layout's time (issue 12)."""

from html import escape

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _text(value) -> str:
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _button(info: dict, current: str) -> str:
    code = _text(info["code"])
    translated = _text(info["name_translated"])
    mark = 'aria-current="true" class="current"' if info["code"] == current else ""
    return (
        "\n    \n"
        f'    <span class="visually-hidden" id="lang-{code}-name">{translated}</span>\n'
        f'    <button type="submit" name="language" value="{code}" lang="{code}" title="{translated}"\n'
        f'            aria-labelledby="lang-label lang-{code} lang-{code}-name" id="lang-{code}"\n'
        f"            {mark}>{_text(info['name_local'])}</button>\n  "
    )


@register.simple_tag(takes_context=True)
def language_switcher(context, big=False) -> SafeString:
    """As `{% include "partials/language_switcher.html" with big=… %}`."""
    token = context.get("csrf_token")
    csrf = "" if not token or token == "NOTPROVIDED" else (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(token)}">')
    request = context.get("request")
    path = context.get("once_path") or (_text(request.get_full_path()) if request is not None else "")
    current = translation.get_language()
    buttons = "".join(_button(translation.get_language_info(code), current) for code, _name in settings.LANGUAGES)
    return mark_safe(  # noqa: S308  (every value escaped)
        f'\n<form action="{_text(reverse("set_language"))}" method="post" class="lang-switch{" big" if big else ""}">'
        f"{csrf}\n"
        f'  <input name="next" type="hidden" value="{path}">\n'
        f'  <span class="visually-hidden" id="lang-label">{_text(translation.gettext("Language"))}</span>\n'
        f"  {buttons}\n</form>\n"
    )
