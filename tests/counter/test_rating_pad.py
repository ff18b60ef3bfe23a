"""The rating pad (服务评价器): bound to its window by key, no login; one rating per served number, only within the
policy's seconds after the transaction; "not satisfied" needs a reason and alerts the office's customer managers."""

from datetime import timedelta

import pytest
from django.urls import reverse

from supply_service.core.models import Notification, Policy
from supply_service.counter import services
from supply_service.counter.models import Rating, RatingFollowUp
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(fee, win1, clerk, frozen):
    services.ticket_take(service=fee, language="ug")
    services.window_open(window=win1, by=clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    ticket = services.ticket_serve(ticket=ticket, by=clerk)
    return services.ticket_finish(ticket=ticket, by=clerk)


def pad_url(window, name="counter:pad"):
    return reverse(name, args=[window.pad_key])


def test_the_pad_asks_after_the_transaction_in_the_customers_language(client, served, win1):
    html = client.get(pad_url(win1)).content.decode()
    assert 'data-score="very_satisfied"' in html and 'lang="ug"' in html and 'dir="rtl"' in html
    assert "<a " not in html.split("<main", 1)[1]  # nothing else reachable from the pad
    assert client.get(pad_url(win1, "counter:pad_state")).json()["ticket"] == served.pk


def test_one_rating_per_transaction(client, served, win1, clerk):
    response = client.post(pad_url(win1, "counter:pad_rate"), {"ticket": served.pk, "score": "satisfied"})
    assert response.status_code == 302 and "thanks=1" in response["Location"]
    client.post(pad_url(win1, "counter:pad_rate"), {"ticket": served.pk, "score": "very_satisfied"})
    rating = Rating.objects.get()
    assert rating.score == "satisfied" and rating.clerk == clerk and rating.window == win1
    assert 'data-score=' not in client.get(pad_url(win1)).content.decode()


def test_a_press_after_the_policy_seconds_does_not_count(client, served, win1, frozen):
    seconds = int(Policy.objects.get(code="counter_rating_seconds").value)
    frozen.shift(timedelta(seconds=seconds + 1))
    client.post(pad_url(win1, "counter:pad_rate"), {"ticket": served.pk, "score": "satisfied"})
    assert not Rating.objects.exists()


def test_not_satisfied_needs_a_reason_and_alerts_the_customer_manager(client, served, win1, office):
    boss = UserFactory(username="boss", office=office, roles=["manager"], phone="13900000000")
    office.customer_managers.add(boss)
    response = client.post(pad_url(win1, "counter:pad_rate"), {"ticket": served.pk, "score": "not_satisfied"})
    assert "reason=1" in response["Location"] and not Rating.objects.exists()
    assert 'data-reason="wait"' in client.get(response["Location"]).content.decode()
    client.post(pad_url(win1, "counter:pad_rate"), {"ticket": served.pk, "score": "not_satisfied",
                                                    "reason": "wait"})
    assert Rating.objects.get().reason == "wait"
    case = RatingFollowUp.objects.get(rating__ticket=served)  # the follow-up case: tests/counter/test_rating_followup
    assert Notification.objects.filter(user=boss, item_number=case.number).exists()


@pytest.mark.parametrize("data", [{}, {"ticket": "x", "score": "satisfied"}, {"ticket": "1", "score": "great"},
                                  {"ticket": "99999999999999999999999", "score": "satisfied"}])
def test_bad_presses_change_nothing(client, served, win1, data):
    assert client.post(pad_url(win1, "counter:pad_rate"), data).status_code == 302
    assert not Rating.objects.exists()


def test_an_unknown_pad_key_is_404(client, hall):
    assert client.get(reverse("counter:pad", args=["nope"])).status_code == 404
