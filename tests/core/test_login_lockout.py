"""Login rate limit (issue 10, fault 11): django-axes locks a (user name, client address) pair after the failure
limit, on the staff login and the admin login alike, for the cool-off time; managers see and clear it in the admin."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories.core import PASSWORD, UserFactory

STAFF_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
HOME = "10.0.0.1"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def staff(office):
    return UserFactory(username="ops", office=office, is_staff=True, is_superuser=True)


def post_login(client, url, username, password, address=HOME, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def fail(client, url, username, times, address=HOME, **extra):
    for _ in range(times):
        response = post_login(client, url, username, "wrong-password", address, **extra)
        assert response.status_code in (200, 429)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [STAFF_LOGIN, ADMIN_LOGIN])
def test_right_password_is_refused_after_the_failure_limit(client, staff, url):
    fail(client, url, staff.username, settings.AXES_FAILURE_LIMIT)
    response = post_login(client, url, staff.username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.parametrize("url", [STAFF_LOGIN, ADMIN_LOGIN])
def test_one_failure_below_the_limit_still_lets_the_right_password_in(client, staff, url):
    fail(client, url, staff.username, settings.AXES_FAILURE_LIMIT - 1)
    post_login(client, url, staff.username, PASSWORD)
    assert logged_in(client)


def test_the_limit_and_the_cool_off_come_from_settings(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    fail(client, STAFF_LOGIN, staff.username, 2)
    response = post_login(client, STAFF_LOGIN, staff.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "3 minutes" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=4), tick=False):
        post_login(client, STAFF_LOGIN, staff.username, PASSWORD)
    assert logged_in(client)


def test_lockout_page_is_in_the_users_language(client, staff):
    fail(client, STAFF_LOGIN, staff.username, settings.AXES_FAILURE_LIMIT)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    for language in ("zh-hans", "en", "ug", "bo"):
        response = post_login(client, STAFF_LOGIN, staff.username, PASSWORD, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 429
        with translation.override(language):
            title = translation.gettext("Log-in locked")
        if language != "en":
            assert title != "Log-in locked", f"no {language} translation"
        page = response.content.decode()
        assert title in page and str(minutes) in page
        assert 'id="locked-out"' in page  # the staff layout, not a bare text


def test_other_users_and_other_addresses_are_not_locked(client, staff, office):
    colleague = UserFactory(username="colleague", office=office)
    fail(client, STAFF_LOGIN, staff.username, settings.AXES_FAILURE_LIMIT)
    post_login(client, STAFF_LOGIN, colleague.username, PASSWORD)
    assert logged_in(client)
    client.logout()
    post_login(client, STAFF_LOGIN, staff.username, PASSWORD, address="10.0.0.2")
    assert logged_in(client)


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_used(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "192.0.2.10"
    fail(client, STAFF_LOGIN, staff.username, settings.AXES_FAILURE_LIMIT, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    refused = post_login(client, STAFF_LOGIN, staff.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert refused.status_code == 429
    # Another client behind the same proxy is not locked; a forged left-most address does not escape the lock.
    forged = post_login(client, STAFF_LOGIN, staff.username, PASSWORD, proxy,
                        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert forged.status_code == 429
    post_login(client, STAFF_LOGIN, staff.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert logged_in(client)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, staff):
    fail(client, STAFF_LOGIN, staff.username, settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.5")
    refused = post_login(client, STAFF_LOGIN, staff.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert refused.status_code == 429


def test_a_manager_sees_and_clears_a_lockout_in_the_admin(client, staff, manager):
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    fail(client, STAFF_LOGIN, staff.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=staff.username)
    client.force_login(manager)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and staff.username in changelist.content.decode()
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    client.logout()
    post_login(client, STAFF_LOGIN, staff.username, PASSWORD)
    assert logged_in(client)


def test_a_clerk_cannot_see_lockouts(client, clerk):
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    client.force_login(clerk)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


@pytest.mark.parametrize("name", ["DJANGO_LOGIN_FAILURE_LIMIT", "DJANGO_LOGIN_LOCKOUT_MINUTES"])
def test_a_zero_limit_or_cool_off_stops_start_up(tmp_path, name):
    from tests.core.test_settings import manage

    result = manage("check", env={"DJANGO_DEBUG": "1", name: "0"}, tmp_path=tmp_path)
    assert result.returncode != 0 and name in result.stderr
