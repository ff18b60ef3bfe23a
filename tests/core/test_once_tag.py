"""`{% once %}` (core/templatetags/once.py): a fragment rendered once per language, values and user — never another
request's CSRF token or path, never another user's name or links, a changed permission renders anew."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from supply_service.core.templatetags import once as once_module

pytestmark = pytest.mark.django_db

CALLS = []


def _counting_template(body: str):
    return engines["django"].from_string("{% load once %}" + body)


@pytest.fixture(autouse=True)
def _fresh():
    once_module.once_clear()
    yield
    once_module.once_clear()


class _Counter:
    def __str__(self):
        CALLS.append(1)
        return "rendered"


def test_rendered_once_per_language_and_value():
    CALLS.clear()
    tpl = _counting_template("{% once colour %}{{ counter }} {{ colour }}{% endonce %}")
    counter = _Counter()
    assert tpl.render({"counter": counter, "colour": "red"}) == "rendered red"
    assert tpl.render({"counter": counter, "colour": "red"}) == "rendered red"
    assert len(CALLS) == 1
    assert tpl.render({"counter": counter, "colour": "blue"}) == "rendered blue"
    with translation.override("ug"):
        tpl.render({"counter": counter, "colour": "blue"})
    assert len(CALLS) == 3


def test_csrf_token_and_path_are_each_requests_own():
    tpl = _counting_template(
        "{% once %}<form>{% csrf_token %}</form>{% load language_tags %}{% language_switcher %}{% endonce %}")
    factory = RequestFactory()
    first = tpl.render({"csrf_token": "AAA111", "request": factory.get("/one/?x=1")})
    second = tpl.render({"csrf_token": "BBB222", "request": factory.get("/two/")})
    assert 'value="AAA111"' in first and "AAA111" not in second
    assert 'value="BBB222"' in second
    assert 'name="next" type="hidden" value="/one/?x=1"' in first
    assert 'name="next" type="hidden" value="/two/"' in second
    assert "\x00" not in first + second


def test_no_token_leaves_no_placeholder():
    tpl = _counting_template("{% once %}<form>{% csrf_token %}</form>{% endonce %}")
    assert "\x00" not in tpl.render({})


def _topbar(html: str) -> str:
    return re.search(r'<header class="topbar">.*?</header>', html, re.S).group(0)


def test_staff_top_bar_is_each_users_own(client, clerk, agent):
    client.force_login(clerk)
    first = _topbar(client.get("/").content.decode())
    client.force_login(agent)
    second = _topbar(client.get("/").content.decode())
    assert str(clerk) in first and str(clerk) not in second
    assert str(agent) in second
    assert "/desk/calls/" in second and "/desk/calls/" not in first  # the agent's own link, not the clerk's


def test_a_granted_permission_shows_its_link_at_once(client, clerk):
    user = clerk
    client.force_login(user)
    assert "/dashboard/" not in _topbar(client.get("/").content.decode())
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    assert "/dashboard/" in _topbar(client.get("/").content.decode())


def test_a_changed_setting_it_may_show_renders_anew(settings):
    """A fragment may hold a static file's URL: `override_settings` of the static settings forgets what was kept."""
    tpl = _counting_template("{% load static %}{% once %}{% static 'css/app.css' %}{% endonce %}")
    settings.STATIC_URL = "/first/"
    assert tpl.render({}).startswith("/first/")
    settings.STATIC_URL = "/second/"
    assert tpl.render({}).startswith("/second/")


def test_the_permissions_a_fragment_is_keyed_by_are_the_users_all_permissions(clerk, manager, django_user_model):
    """`_all_permissions` (the union over the backends, without a copy) answers as `get_all_permissions`."""
    boss = django_user_model.objects.create_superuser("boss-once", "boss@example.cn", "x" * 12)
    gone = django_user_model.objects.create_user("gone-once", password="x" * 12, is_active=False)
    for user in (clerk, manager, boss, gone):
        fresh = django_user_model.objects.get(pk=user.pk)  # as a request loads it
        assert set(once_module._all_permissions(fresh)) == set(fresh.get_all_permissions()), user.username
    assert once_module._all_permissions(django_user_model.objects.get(pk=clerk.pk))  # not empty: the test means it
