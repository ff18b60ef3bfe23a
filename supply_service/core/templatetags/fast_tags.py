"""`{% translate %}`, `{% url %}` and `{% static %}` that remember what a constant one writes (issue 12).

A page carries dozens of `{% translate "Account" %}`, `{% url 'customers:search' %}` and `{% static 'css/app.css' %}`
whose output depends only on the language, the script prefix and the deployment — yet each costs 70–130 Python calls
per render. These subclasses of Django's nodes render a tag whose arguments are all literals once per language (and
script prefix, URLconf, current app; autoescape) and then hand back the same text; any tag with a variable or a
filter takes Django's own way. `install()` (CoreConfig.ready) registers them on Django's own `i18n`, `static` and
builtin libraries, so every template, the admin's included, gets them; tests/core/test_fast_tags.py renders
templates through them and through Django's own tags and compares.

The memory is per process and bounded, keyed by what a tag says (its literals), never by the node's identity."""

from django import template
from django.template import defaulttags
from django.templatetags import i18n as django_i18n
from django.templatetags import static as django_static
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

LIMIT = 8192
_MEMO: dict[tuple, str] = {}


def _remember(key: tuple, value: str) -> str:
    if len(_MEMO) >= LIMIT:
        _MEMO.clear()
    _MEMO[key] = value
    return value


def _literal(expression) -> bool:
    """A FilterExpression that is a quoted constant without filters."""
    var = getattr(expression, "var", None)
    return not expression.filters and isinstance(var, template.Variable) and var.lookups is None


def _text(expression) -> str:
    return expression.var.literal


class FastTranslateNode(django_i18n.TranslateNode):
    def render(self, context):
        if self.message_context is not None or not _literal(self.filter_expression):
            return super().render(context)
        # keyed by what the tag says, never by the node's id (a template made from a string dies and its id is reused)
        key = ("t", _text(self.filter_expression), self.noop, self.asvar, translation.get_language(),
               context.autoescape)
        value = _MEMO.get(key)
        if value is None:
            value = super().render(context)
            if self.asvar:
                value = context[self.asvar]
            _remember(key, value)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


class FastURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.asvar or not _literal(self.view_name) or not all(
                _literal(arg) for arg in (*self.args, *self.kwargs.values())):
            return super().render(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = ("u", _text(self.view_name), tuple(_text(arg) for arg in self.args),
               tuple(sorted((name, _text(value)) for name, value in self.kwargs.items())), get_script_prefix(),
               get_urlconf(), current_app, translation.get_language(), context.autoescape)
        value = _MEMO.get(key)
        if value is None:
            value = _remember(key, super().render(context))
        return value


class FastStaticNode(django_static.StaticNode):
    def render(self, context):
        if self.varname is not None or not _literal(self.path):
            return super().render(context)
        key = ("s", _text(self.path), context.autoescape)
        value = _MEMO.get(key)
        if value is None:
            value = _remember(key, super().render(context))
        return value


# --- installed on Django's own libraries ------------------------------------------------------------------------

_ORIGINALS = {
    (django_i18n.register, "translate"): django_i18n.register.tags["translate"],
    (django_i18n.register, "trans"): django_i18n.register.tags["trans"],
    (django_static.register, "static"): django_static.register.tags["static"],
    (defaulttags.register, "url"): defaulttags.register.tags["url"],
}


def _do_translate(parser, token):
    node = _ORIGINALS[(django_i18n.register, "translate")](parser, token)
    if type(node) is django_i18n.TranslateNode:
        node.__class__ = FastTranslateNode
    return node


def _do_static(parser, token):
    node = _ORIGINALS[(django_static.register, "static")](parser, token)
    if type(node) is django_static.StaticNode:
        node.__class__ = FastStaticNode
    return node


def _url(parser, token):
    node = _ORIGINALS[(defaulttags.register, "url")](parser, token)
    if type(node) is defaulttags.URLNode:
        node.__class__ = FastURLNode
    return node


def install() -> None:
    """Put the remembering nodes in Django's `i18n`, `static` and builtin libraries (CoreConfig.ready, before any
    template is compiled): every template gets them, the admin's included, without a library of another name."""
    django_i18n.register.tag("translate", _do_translate)
    django_i18n.register.tag("trans", _do_translate)
    django_static.register.tag("static", _do_static)
    defaulttags.register.tag("url", _url)


def uninstall() -> None:
    """Django's own tags again (for templates compiled afterwards: tests compare the two)."""
    for (library, name), compile_function in _ORIGINALS.items():
        library.tags[name] = compile_function
