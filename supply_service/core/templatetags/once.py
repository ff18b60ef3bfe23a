"""`{% once [user] [value …] %} … {% endonce %}`: a fragment rendered once per language and per the values named, then
served from memory (issue 12: the staff layout, headings and table heads cost more than the rows they frame).

What may go inside: markup that depends only on the active language, the values named, and — with the word `user` —
the signed-in user (their id, display name, office and permission set: a changed permission renders anew). The
request's CSRF token and path vary per request: inside the fragment they are written as placeholders and put back on
every render, so a fragment never carries another request's token. Anything else that varies (counts, rows, messages)
stays outside.

The memory is per process and bounded (cleared when it holds `LIMIT` fragments); a template reloaded in development
has new nodes and so new keys. `once_clear()` empties it (tests that change translations or the navigation registry).
"""

import itertools
from html import escape

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

LIMIT = 4096
_MEMO: dict[tuple, str] = {}
CSRF_MARK = "\x00csrf-token\x00"
PATH_MARK = "\x00request-path\x00"
_generation = [0]
_SERIALS = itertools.count()


def once_clear() -> None:
    """Forget every fragment (the navigation registry calls it when a link is added)."""
    _MEMO.clear()
    _generation[0] += 1


@receiver(setting_changed)
def _forget_on_setting(*, setting, **_kwargs) -> None:
    """A fragment may hold what settings decide (static files' URLs, the site's name): a changed one (tests'
    `override_settings`) renders anew."""
    if setting in _SETTINGS_SHOWN:
        once_clear()


_SETTINGS_SHOWN = {"STATIC_URL", "STORAGES", "STATICFILES_STORAGE", "SUPPLY_SITE_NAME", "LANGUAGES", "USE_I18N",
                   "ROOT_URLCONF", "LANGUAGE_CODE", "TIME_ZONE", "USE_TZ"}


def remembered(key: tuple, make):
    """A fragment (or a table of them) made by Python and kept as `{% once %}` keeps its own: per `key`, language and
    generation, cleared with them (`once_clear`, a changed setting). For writers of fixed markup: table heads, the
    words of a section."""
    full = ("py", *key, _generation[0], translation.get_language())
    found = _MEMO.get(full)
    if found is None:
        if len(_MEMO) >= LIMIT:
            _MEMO.clear()
        found = _MEMO[full] = make()
    return found


def _all_permissions(user):
    """`user.get_all_permissions()` — the union of what each backend grants — without copying the one set that is
    not empty (the permission backend keeps a user's set between requests, so its hash is computed once: issue 12)."""
    if not user.is_active:
        return frozenset()
    from supply_service.core.models.users import permission_backends  # noqa: PLC0415  (models load after tags)

    found = [perms for backend in permission_backends(tuple(settings.AUTHENTICATION_BACKENDS))
             if hasattr(backend, "get_all_permissions") and (perms := backend.get_all_permissions(user))]
    return found[0] if len(found) == 1 else frozenset().union(*found)


def user_key(user) -> tuple:
    """What of the user a fragment may show: id, display name, office, staff flag and permission set."""
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    key = getattr(user, "_once_key", None)  # once per request (each request loads its user anew)
    perms = _all_permissions(user)
    cache = getattr(user, "_perm_cache", None)  # the backend's set: the same object until the permissions are re-read
    if key is None or cache is None or key[0] is not cache:
        key = (cache, (user.pk, str(user), getattr(user, "office_id", None), str(getattr(user, "office", "") or ""),
                       user.is_staff, hash(frozenset(perms))))
        user._once_key = key
    return key[1]


def fill(html: str, context) -> str:
    """Put the request's CSRF token and path back in a remembered fragment."""
    if CSRF_MARK in html:
        token = context.get("csrf_token")
        html = html.replace(CSRF_MARK, "" if not token or token == "NOTPROVIDED" else escape(str(token)))
    if PATH_MARK in html:
        request = context.get("request")
        html = html.replace(PATH_MARK, escape(request.get_full_path()) if request is not None else "")
    return html


class OnceNode(template.Node):
    def __init__(self, nodelist, vary, with_user: bool):
        self.serial = next(_SERIALS)  # never reused (an id() is, once a template made from a string is gone)
        self.nodelist = nodelist
        self.vary = vary
        self.with_user = with_user

    def render(self, context) -> str:
        key = (self.serial, _generation[0], translation.get_language(),
               *(value.resolve(context) for value in self.vary))
        if self.with_user:
            key += user_key(context.get("user"))
        html = _MEMO.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_MARK, once_path=PATH_MARK):
                html = self.nodelist.render(context)
            if len(_MEMO) >= LIMIT:
                _MEMO.clear()
            _MEMO[key] = html
        return mark_safe(fill(html, context))  # noqa: S308  (rendered by the template engine, which escaped it)


@register.tag
def once(parser, token):
    bits = token.split_contents()[1:]
    with_user = "user" in bits
    vary = [parser.compile_filter(bit) for bit in bits if bit != "user"]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, vary, with_user)
