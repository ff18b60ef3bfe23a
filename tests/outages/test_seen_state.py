"""Issue 10, fault 13: an outage step, like a ticket step, is taken only when the form carries the state the user
saw and it is still the notice's state (one kernel rule: core.concurrency.seen_state_matches)."""

import pytest
from django.urls import reverse

from supply_service.core.concurrency import seen_state_matches
from supply_service.outages.models import OutageNotice
from tests.factories.core import PASSWORD
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


@pytest.mark.parametrize("data", [{}, {"seen_state": ""}, {"seen_state": "approved"}, {"seen_state": "x" * 500}])
def test_issue10_fault13_a_step_without_the_seen_state_or_with_another_is_not_taken(client, dispatcher, manager,
                                                                                     data):
    notice = make_notice(dispatcher)
    assert client.login(username=manager.username, password=PASSWORD)
    response = client.post(reverse("outages:step", args=[notice.number, "approve"]), data, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert fresh(notice).state == "draft"


def test_the_step_with_the_state_the_user_saw_is_taken(client, dispatcher, manager):
    notice = make_notice(dispatcher)
    assert client.login(username=manager.username, password=PASSWORD)
    client.post(reverse("outages:step", args=[notice.number, "approve"]), {"seen_state": "draft"})
    assert fresh(notice).state == "approved"


def test_the_kernel_rule():
    class Item:
        state = "draft"

    assert seen_state_matches({"seen_state": "draft"}, Item())
    assert not seen_state_matches({}, Item()) and not seen_state_matches({"seen_state": "approved"}, Item())
