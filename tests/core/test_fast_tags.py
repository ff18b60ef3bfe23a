"""The remembering `{% translate %}`, `{% url %}` and `{% static %}` (core/templatetags/fast_tags.py, issue 12) write
exactly what Django's own tags write — constants, variables, filters, `as` variables, message contexts — in every
language and under another script prefix, on the second render (from memory) as on the first."""

import pytest
from django.template import Context, Engine, engines
from django.urls import set_script_prefix
from django.utils import translation

from supply_service.core.templatetags import fast_tags
from supply_service.core.templatetags.fast_tags import FastStaticNode, FastTranslateNode, FastURLNode

SOURCE = (
    "{% load i18n static %}"
    "<h1>{% translate \"Account\" %}</h1>{% trans 'Phone' %}{% translate \"Pages\" as pages %}[{{ pages }}]"
    "{% translate word %}{% translate \"Month\" context \"bill\" %}{% translate \"Due date\"|upper %}"
    "{% translate \"100%% done\" %}{% translate \"<b>x</b>\" noop %}"
    "<a href=\"{% url 'customers:search' %}\">{% url 'tickets:detail' 'BX-20261202-1' %}</a>"
    "{% url 'customers:detail' pk %}{% url 'customers:detail' pk=7 %}{% url 'tickets:list' as link %}({{ link }})"
    "<link href=\"{% static 'css/app.css' %}\">{% static name %}{% static 'js/kiosk.js' as js %}{{ js }}"
)


def _django_template(source: str):
    """The template compiled with Django's own tags."""
    fast_tags.uninstall()
    try:
        return Engine(app_dirs=True, libraries={"i18n": "django.templatetags.i18n",
                                                "static": "django.templatetags.static"}).from_string(source)
    finally:
        fast_tags.install()


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_the_tags_write_what_djangos_write(language):
    ours = engines["django"].from_string(SOURCE)
    theirs = _django_template(SOURCE)
    assert not any(isinstance(node, FastTranslateNode | FastStaticNode | FastURLNode) for node in theirs.nodelist)
    assert any(isinstance(node, FastTranslateNode) for node in ours.template.nodelist)
    assert any(isinstance(node, FastStaticNode) for node in ours.template.nodelist)
    assert any(isinstance(node, FastURLNode) for node in ours.template.nodelist)
    for word, pk, name in (("Kind", 3, "css/kiosk.css"), ("State", 4, "favicon.svg")):
        context = {"word": word, "pk": pk, "name": name}
        with translation.override(language):
            for _ in range(2):  # the second from memory
                assert ours.render(context) == theirs.render(Context(context))
    with translation.override(language):
        set_script_prefix("/office/")
        try:
            assert ours.render({"word": "Kind", "pk": 1, "name": "x.css"}) == theirs.render(
                Context({"word": "Kind", "pk": 1, "name": "x.css"}))
            assert 'href="/office/customers/' in ours.render({"word": "Kind", "pk": 1, "name": "x.css"})
        finally:
            set_script_prefix("/")


def test_a_language_change_is_seen_at_once():
    template = engines["django"].from_string('{% load i18n %}{% translate "Account" %}')
    with translation.override("en"):
        english = template.render({})
    with translation.override("zh-hans"):
        chinese = template.render({})
    assert english == "Account" and chinese != english
