"""Staff password reset and change (issue 10, fault 14): Django's views in the staff layout, the reset e-mail written
to the kernel outbox in the user's language."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from supply_service.core.models import Outbox
from tests.factories.core import PASSWORD, UserFactory

NEW_PASSWORD = "Kx7-river-lantern-2031"


@pytest.fixture
def staff(office):
    return UserFactory(username="li.na", email="li.na@supply.example.cn", office=office, roles=["counter_clerk"])


def reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_login_page_links_to_the_reset(client, reference_data):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page


def test_the_staff_menu_links_to_the_password_change(client, staff):
    client.force_login(staff)
    assert reverse("password_change") in client.get(reverse("core:home")).content.decode()


def test_reset_email_goes_through_the_outbox_and_its_link_sets_a_new_password(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": staff.email}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    message = Outbox.objects.get()
    assert message.idempotency_key.startswith("password-reset:")
    assert (message.channel, message.recipient, message.language) == ("email", staff.email, "zh-hans")
    assert message.state == Outbox.State.SENT and len(mail.outbox) == 1  # delivered by the outbox worker
    with translation.override("zh-hans"):
        greeting = translation.gettext("Someone asked to reset the password of your staff account. "
                                       "To choose a new password, open this link:")
    assert greeting in message.body and "Someone asked" not in message.body

    link = reset_link(message.body)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'id="password-reset-confirm"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True)
    assert 'id="password-reset-confirm"' in again.content.decode() and "new_password1" not in again.content.decode()


def test_reset_email_is_in_the_language_the_user_asked_in(client, staff):
    client.post(reverse("password_reset"), {"email": staff.email}, HTTP_ACCEPT_LANGUAGE="en")
    message = Outbox.objects.get()
    assert message.language == "en" and "Someone asked to reset the password" in message.body


def test_unknown_address_gets_the_same_answer_and_no_message(client, staff):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert not Outbox.objects.exists()


def test_repeated_requests_do_not_flood_the_mailbox(client, staff):
    for _ in range(5):
        client.post(reverse("password_reset"), {"email": staff.email})
    assert Outbox.objects.count() == 1


def test_a_forged_link_is_refused(client, staff):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]), follow=True)
    assert response.status_code == 200 and "new_password1" not in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_change_password_needs_the_old_one(client, staff):
    client.force_login(staff)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert wrong.status_code == 200 and 'class="error"' in wrong.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    right = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert right.status_code == 302 and right.url == reverse("password_change_done")
    assert get_user_model().objects.get(pk=staff.pk).check_password(NEW_PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200  # still logged in (session hash updated)


def test_change_password_needs_a_login(client, reference_data):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
