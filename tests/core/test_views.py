from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.core.services.sla import sla_start
from tests.factories.core import PASSWORD, SampleItemFactory


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_home_needs_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_home_needs_the_workbench_permission(client, nobody):
    assert login(client, nobody).get(reverse("core:home")).status_code == 403


@pytest.mark.parametrize(
    "role", ["clerk", "agent", "dispatcher", "crew", "handler", "auditor", "manager"]
)
def test_every_role_reaches_the_workbench(client, request, role, db):
    # `db` named here, not only reached through the role's fixture at run time: pytest-django orders tests by the
    # fixtures they name, so this one ran among the tests without a database at the end of the pass — and a whole
    # PostgreSQL pass's diagnostic saw the connection left open at the drop ("accessed by other users") appear in it
    user = request.getfixturevalue(role)
    assert login(client, user).get(reverse("core:home")).status_code == 200


def make_clocks(user, count, start):
    for n in range(count):
        item = SampleItemFactory(office=user.office, first_responder=user, owner=user)
        sla_start(subject=item, commitment="repair_arrival", at=start + timedelta(minutes=n))


def test_my_clocks_lists_own_clocks_due_soonest_first_with_signals_and_the_home_sums_them(client, clerk, outsider):
    now = timezone.now()
    overdue = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, number="TS-A")
    sla_start(subject=overdue, commitment="repair_arrival", at=now - timedelta(minutes=50))
    fresh = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, number="TS-B")
    sla_start(subject=fresh, commitment="meter_fault", at=now)
    soon = SampleItemFactory(office=clerk.office, first_responder=clerk, owner=clerk, number="TS-C")
    sla_start(subject=soon, commitment="repair_arrival", at=now - timedelta(minutes=40))
    foreign = SampleItemFactory(office=outsider.office, first_responder=outsider, owner=outsider, number="TS-X")
    sla_start(subject=foreign, commitment="repair_arrival", at=now)

    response = login(client, clerk).get(reverse("core:my_clocks"))
    rows = response.context["rows"]
    assert [r["clock"].subject_label for r in rows] == ["TS-A", "TS-C", "TS-B"]
    assert [r["signal"] for r in rows] == ["red", "amber", "green"]
    html = response.content.decode()
    assert 'data-signal="red"' in html and "TS-X" not in html
    # the home sums them (open, late, paused) and links the page
    home = client.get(reverse("core:home"))
    assert home.context["clocks"] == {"open": 3, "late": 1, "paused": 0}
    html = home.content.decode()
    assert 'data-figure="clocks-late" class="sla-red">1<' in html and reverse("core:my_clocks") in html
    login(client, outsider)
    assert client.get(reverse("core:home")).context["clocks"] == {"open": 1, "late": 0, "paused": 0}


def test_a_home_without_clocks_says_so(client, crew):
    html = login(client, crew).get(reverse("core:home")).content.decode()
    assert 'id="my-clocks-link"' not in html and 'class="empty"' in html


@pytest.mark.parametrize("count", [5, 60])
def test_home_and_my_clocks_read_a_constant_number_of_queries(client, clerk, django_assert_max_num_queries, count):
    make_clocks(clerk, count, timezone.now())
    login(client, clerk)
    # session, user with office, permissions, open work rows, counts per kind, the clocks' sums, notifications
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200 and response.context["clocks"]["open"] == count
    # session, user with office, permissions, the clocks' page with its total, the content types (cold cache)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("core:my_clocks"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 25)
    assert response.context["page"].paginator.count == count


def test_bad_page_number_shows_a_page_not_an_error(client, clerk):
    make_clocks(clerk, 30, timezone.now())
    login(client, clerk)
    for asked, shown in (("abc", 1), ("9999", 2), ("-1", 2), ("2", 2)):
        response = client.get(reverse("core:my_clocks"), {"page": asked})
        assert response.status_code == 200 and response.context["page"].number == shown, asked


def test_my_clocks_needs_login_and_the_workbench(client, nobody):
    response = client.get(reverse("core:my_clocks"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(client, nobody).get(reverse("core:my_clocks")).status_code == 403


def test_calendar_gap_is_shown_to_managers(client, manager, clerk):
    from supply_service.core.models import CalendarDay

    CalendarDay.objects.filter(date__year=timezone.localdate().year + 1).delete()
    html = login(client, manager).get(reverse("core:home")).content.decode()
    assert str(timezone.localdate().year + 1) in html
    client.logout()
    assert str(timezone.localdate().year + 1) not in login(client, clerk).get(reverse("core:home")).content.decode()


def test_default_language_is_chinese_and_ug_is_right_to_left(client, clerk):
    login(client, clerk)
    html = client.get(reverse("core:home")).content.decode()
    assert 'lang="zh-hans"' in html and 'dir="ltr"' in html and "我的工作" in html
    client.post(reverse("set_language"), {"language": "ug", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert 'lang="ug"' in html and 'dir="rtl"' in html
    client.post(reverse("set_language"), {"language": "bo", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert 'lang="bo"' in html and 'dir="ltr"' in html


def test_login_page_and_wrong_password(client, clerk):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200 and "error" in response.content.decode()
    response = client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.req("S13.6")
def test_public_commitments_page_lists_the_standard(client, reference_data):
    response = client.get(reverse("public_commitments:page"))
    html = response.content.decode()
    assert "S10.2.5" in html and "45" in html
    articles = [row["commitment"].article for row in response.context["rows"]]
    assert articles.index("S10.2.2") < articles.index("S10.2.10") < articles.index("S13.5")


def test_home_links_ticket_clocks_to_their_page(client, agent):
    from tests.factories import tickets as make

    t = make.repair(agent)
    html = login(client, agent).get(reverse("core:home")).content.decode()
    assert f'href="/tickets/{t.number}/"' in html and 'id="home-waiting"' in html


def test_chinese_names_read_family_name_first(office):
    from tests.factories.core import UserFactory

    assert str(UserFactory(username="li", first_name="晓红", last_name="李", office=office)) == "李晓红"
    assert str(UserFactory(username="ada", first_name="Ada", last_name="Lovelace", office=office)) == "Ada Lovelace"


def test_refusals_and_unknown_pages_are_explained_in_the_users_language(client, nobody):
    login(client, nobody)
    response = client.get(reverse("core:home"))
    assert response.status_code == 403 and 'id="error-403"' in response.content.decode()
    assert "不允许" in response.content.decode() or "无权" in response.content.decode()
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404 and 'id="error-404"' in missing.content.decode()


def test_day_deadlines_read_as_24_00_of_the_last_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from supply_service.core.templatetags.supply_tags import deadline

    sh = ZoneInfo("Asia/Shanghai")
    assert deadline(datetime(2026, 12, 1, 0, 0, tzinfo=sh)) == "2026-11-30 24:00"
    assert deadline(datetime(2026, 11, 27, 10, 45, tzinfo=sh)) == "2026-11-27 10:45"
    assert deadline(None) == ""
