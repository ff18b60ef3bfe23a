"""The CSRF mask drawn from one read of random bytes (`core.csrf_mask`, issue 12) is what Django's was: 32 characters
of its alphabet, each as likely as any other, new on every page — and Django's check still takes a form's token and
refuses a forged one."""

import re
from collections import Counter

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse

from supply_service.core import csrf_mask
from tests.factories.core import PASSWORD


def test_installed_and_drawing_the_alphabet_evenly():
    assert csrf._get_new_csrf_string is csrf_mask.new_csrf_string  # noqa: SLF001
    draws = [csrf_mask.new_csrf_string() for _ in range(2000)]
    assert all(len(d) == csrf.CSRF_SECRET_LENGTH and set(d) <= set(csrf.CSRF_ALLOWED_CHARS) for d in draws)
    assert len(set(draws)) == len(draws)
    counts = Counter("".join(draws))  # 64 000 characters: about 1 032 of each of the 62
    expected = len(draws) * csrf.CSRF_SECRET_LENGTH / len(csrf.CSRF_ALLOWED_CHARS)
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    assert all(abs(n - expected) < 0.2 * expected for n in counts.values())  # a biased draw is far outside


@pytest.mark.django_db
def test_a_forms_token_is_accepted_and_a_forged_one_refused(clerk):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert len(token) == 2 * csrf.CSRF_SECRET_LENGTH
    forged = client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD,
                                            "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403
    signed_in = client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD,
                                               "csrfmiddlewaretoken": token})
    assert signed_in.status_code == 302
    second = client.get(reverse("core:home")).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1) != token  # masked anew
