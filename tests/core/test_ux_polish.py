"""Issue 11, "things a demanding user noticed": plurals, translated language names and commitment titles, the
administration's branding, columns and natural article order, labelled inputs in admin tables, the favicon and
message lists that are lists."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from supply_service.core.models import Commitment
from supply_service.core.models.commitments import article_key, limit_display
from tests.factories.core import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    manager.is_staff = True
    manager.save()
    client.login(username=manager.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(("limit", "unit", "text"), [
    (1, "hours", "1 hour"), (2, "hours", "2 hours"), (1, "working_days", "1 working day"),
    (Decimal("1.5"), "working_days", "1.5 working days"), (100, "percent", "100%"), (1, "minutes", "1 minute"),
    (7, "days", "7 calendar days"), (0, "days", "the same day"), (30, "seconds", "30 seconds"), (3, "pieces", "3"),
])
def test_limits_read_as_english_with_the_right_plural(limit, unit, text):
    with translation.override("en"):
        assert limit_display(Decimal(limit), unit) == text


def test_no_commitment_title_carries_chinese_into_other_languages(reference_data):
    for lang in ("en", "bo", "ug"):
        with translation.override(lang):
            titles = [c.display_title for c in Commitment.objects.all()]
        assert not [t for t in titles if re.search(r"[\u4e00-\u9fff]", t)], lang


def test_every_admin_column_has_a_translated_heading():
    """A column that is not a model field needs an explicit description (no "DISPLAY TITLE" made from a name)."""
    missing = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.list_display:
            if callable(name) or name == "__str__":
                continue
            try:
                model._meta.get_field(name)
                continue
            except FieldDoesNotExist:
                pass
            attr = getattr(model_admin, name, None) or getattr(model, name, None)
            target = attr.fget if isinstance(attr, property) else attr
            if not hasattr(target, "short_description"):
                missing.append(f"{model._meta.label}.{name} ({label_for_field(name, model, model_admin)})")
    assert not missing


def test_the_admin_is_branded_and_translated(manager_client):
    with translation.override("en"):
        html = manager_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Power Supply Business Office administration" in html and "Django" not in html
    html = manager_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "供电营业厅管理后台" in html and "Django 管理" not in html
    assert 'rel="icon"' in html


def test_commitments_sort_by_article_in_the_standards_order_S10_2_2(manager_client, reference_data):
    html = manager_client.get(reverse("admin:core_commitment_changelist")).content.decode()
    articles = re.findall(r'<td class="field-article">([^<]+)</td>', html)
    assert articles and articles == sorted(articles, key=article_key)
    assert articles.index("S10.2.2") < articles.index("S10.2.10")
    # Clicking the column (sorting by it, descending) keeps the natural order.
    position = re.findall(r'<th scope="col" class="([^"]*)"', html).index(
        next(c for c in re.findall(r'<th scope="col" class="([^"]*)"', html) if "column-article" in c))
    url = reverse("admin:core_commitment_changelist")
    descending = manager_client.get(url, {"o": f"-{position}"}).content.decode()
    articles = re.findall(r'<td class="field-article">([^<]+)</td>', descending)
    assert articles == sorted(articles, key=article_key, reverse=True)


def test_editable_cells_in_admin_tables_have_labels(manager_client, reference_data):
    html = manager_client.get(reverse("admin:core_calendarday_changelist"),
                              {"date__year": 2026, "date__month": 10}).content.decode()
    inputs = re.findall(r'<input[^>]*name="form-\d+-(?:is_working_day|name)"[^>]*>', html)
    assert inputs and all("aria-label=" in tag for tag in inputs)


def test_language_names_are_translated_with_their_own_script_beside():
    template = Template("{% load language_names %}{{ code|language_name }}")
    with translation.override("en"):
        assert template.render(Context({"code": "zh-hans"})) == 'Simplified Chinese (<span lang="zh-hans">简体中文</span>)'
    with translation.override("zh-hans"):
        assert template.render(Context({"code": "ug"})) == '维吾尔语 (<span lang="ug">ئۇيغۇرچە</span>)'
        assert template.render(Context({"code": "zh-hans"})) == '<span lang="zh-hans">简体中文</span>'


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_messages_are_a_list_inside_a_live_region(client, reference_data):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/")
    request.session = client.session
    storage = FallbackStorage(request)
    storage.add(20, "保存成功")
    html = Template('{% include "partials/messages.html" %}').render(Context({"messages": storage}))
    assert '<div class="messages-region" role="status"><ul class="messages"><li' in html


def test_login_attempts_status_is_translated_and_counted(settings):
    from axes.models import AccessAttempt

    model_admin = admin.site._registry[AccessAttempt]
    with translation.override("en"):
        assert model_admin.status(AccessAttempt(failures_since_start=settings.AXES_FAILURE_LIMIT - 1)) == "1 attempt left"
        assert model_admin.status(AccessAttempt(failures_since_start=settings.AXES_FAILURE_LIMIT)) == "Locked out"


def test_the_staff_language_switcher_names_each_language_in_the_users_language(client, office):
    user = UserFactory(username="ux-clerk", office=office, roles=["counter_clerk"])
    client.login(username=user.username, password=PASSWORD)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="lang-zh-hans-name">Simplified Chinese<' in html
    assert 'lang="zh-hans" title="Simplified Chinese"' in html
