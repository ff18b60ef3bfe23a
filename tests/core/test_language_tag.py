"""`{% language_switcher %}` writes exactly what `partials/language_switcher.html` writes (issue 12)."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation


def _render(source: str, request, **context) -> str:
    """The page, the CSRF token's mask (random on every call) left out."""
    html = engines["django"].from_string(source).render(context, request)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
@pytest.mark.parametrize("big", [True, False])
@pytest.mark.parametrize("path", ["/tickets/?scope=office&q=<x>", "/"])
def test_language_switcher_tag_matches_the_partial(language, big, path):
    request = RequestFactory().get(path)
    with translation.override(language):
        expected = _render('{% include "partials/language_switcher.html" with big=big %}', request, big=big)
        tag = _render("{% load language_tags %}{% language_switcher big=big %}", request, big=big)
    assert tag == expected
    assert 'name="csrfmiddlewaretoken"' in tag


def test_without_a_request_as_the_partial():
    expected = engines["django"].from_string('{% include "partials/language_switcher.html" %}').render({})
    assert engines["django"].from_string("{% load language_tags %}{% language_switcher %}").render({}) == expected
