"""The admin's notice import, the calendar opening at this month, and the missing-calendar warning."""

import logging
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supply_service.core.models import CalendarDay, Policy
from supply_service.core.services.calendar import add_working_days, calendar_missing_years, calendar_warn_missing
from supply_service.core.tasks import calendar_check_task
from tests.core.test_holiday_notice import NOTICE_2027

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:core_calendarday_import_notice"


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def manager_client(client, manager):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    return client


@pytest.fixture
def clerk_client(client, clerk):
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    return client


def test_manager_pastes_previews_and_applies_the_notice(manager_client, django_assert_max_num_queries):
    changelist = manager_client.get(reverse("admin:core_calendarday_changelist"), follow=True)
    assert reverse(IMPORT_URL).encode() in changelist.content
    assert manager_client.get(reverse(IMPORT_URL)).status_code == 200
    with django_assert_max_num_queries(12):
        preview = manager_client.post(reverse(IMPORT_URL), {"text": NOTICE_2027, "year": ""})
    assert preview.status_code == 200
    assert preview.context["diff"].notice.year == 2027
    assert b"2027-02-08" in preview.content and b'name="apply"' in preview.content
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    form = preview.context["form"]
    applied = manager_client.post(reverse(IMPORT_URL), {"text": NOTICE_2027, "year": "",
                                                        "digest": form.initial["digest"], "apply": "1"}, follow=True)
    assert applied.status_code == 200
    assert "2027" in " ".join(str(m) for m in applied.context["messages"])
    assert CalendarDay.objects.filter(date__year=2027, source="notice").count() == 365


def test_malformed_notice_shows_the_line_and_saves_nothing(manager_client):
    bad = NOTICE_2027.replace("七、国庆节：", "七、国庆：十月一日")
    response = manager_client.post(reverse(IMPORT_URL), {"text": bad, "apply": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["text"])
    assert "Line 10" in errors
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_malformed_notice_message_is_in_the_users_language(manager_client):
    response = manager_client.post(reverse(IMPORT_URL), {"text": "一、植树节：3月12日放假。", "year": "2027"},
                                   HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "第 1 行" in " ".join(response.context["form"].errors["text"])


def test_a_clerk_cannot_reach_the_import(clerk_client):
    assert clerk_client.get(reverse(IMPORT_URL)).status_code == 403
    assert clerk_client.post(reverse(IMPORT_URL), {"text": NOTICE_2027, "apply": "1"}).status_code == 403
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@time_machine.travel(local(2026, 11, 27, 10), tick=False)
def test_the_admin_calendar_opens_at_this_month_with_translated_weekdays(manager_client):
    response = manager_client.get(reverse("admin:core_calendarday_changelist"))
    assert response.status_code == 302 and response.url.endswith("?date__year=2026&date__month=11")
    with translation.override("zh-hans"):
        page = manager_client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    days = list(page.context["cl"].result_list)
    assert {d.date.month for d in days} == {11}
    assert "星期五" in page.content.decode()  # 27 November 2026
    filtered = manager_client.get(reverse("admin:core_calendarday_changelist") + "?date__year=2026")
    assert filtered.status_code == 200


# --- the missing-calendar warning -------------------------------------------------------------------------------


def test_next_year_is_warned_about_from_the_policy_month():
    assert 2027 in calendar_missing_years(around=date(2026, 10, 1))
    assert calendar_missing_years(around=date(2026, 9, 30)) == []
    Policy.objects.filter(code="calendar_warning_month").update(value=Decimal(11))
    assert calendar_missing_years(around=date(2026, 10, 1)) == []
    assert calendar_missing_years(around=date(2026, 11, 1)) == [2027]


def test_this_year_without_calendar_is_always_warned_about():
    CalendarDay.objects.filter(date__year=2026).delete()
    assert calendar_missing_years(around=date(2026, 3, 1)) == [2026]


@pytest.mark.parametrize("today, shown", [(local(2026, 9, 30, 12), False), (local(2026, 10, 1, 9), True)])
def test_managers_home_and_admin_warn_from_1_october(client, manager, clerk, today, shown):
    manager.is_staff = True
    manager.save()
    with time_machine.travel(today, tick=False):
        client.force_login(manager)
        home = client.get(reverse("core:home"))
        index = client.get(reverse("admin:index"))
        calendar = client.get(reverse("admin:core_calendarday_changelist"), follow=True)
        client.logout()
        client.force_login(clerk)
        clerk_home = client.get(reverse("core:home"))
    messages = " ".join(str(m) for m in calendar.context["messages"])
    assert (2027 in home.context["missing_years"]) is shown
    assert (b'id="calendar-warnings"' in index.content) is shown
    assert ("2027" in messages) is shown
    assert clerk_home.context["missing_years"] == []


def test_the_log_warns_once_a_day(caplog):
    with caplog.at_level(logging.WARNING, logger="supply_service.core.services.calendar"):
        with time_machine.travel(local(2026, 11, 27, 9), tick=False):
            assert calendar_check_task() == [2027]
            assert calendar_warn_missing() == [2027]
        with time_machine.travel(local(2026, 11, 28, 9), tick=False):
            calendar_warn_missing()
    assert len([r for r in caplog.records if "import the State Council" in r.getMessage()]) == 2


def test_a_deadline_in_a_missing_year_is_logged_once_a_day_not_at_every_computation(caplog):
    with caplog.at_level(logging.WARNING, logger="supply_service.core.services.calendar"):
        with time_machine.travel(local(2026, 12, 28, 9), tick=False):
            for _ in range(5):
                add_working_days(date(2026, 12, 30), 5)
        with time_machine.travel(local(2026, 12, 29, 9), tick=False):
            add_working_days(date(2026, 12, 30), 5)
    assert len([r for r in caplog.records if "Monday–Friday" in r.getMessage()]) == 2
