import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.periods import Month
from supply_service.dashboard.selectors_public import publications_recent
from supply_service.dashboard.services import month_publish, publication_day, publish_due
from tests.dashboard.conftest import local

NOVEMBER = Month(2026, 11)
AFTER = local(2026, 12, 3, 10, 0)


@pytest.fixture
def november(clocks, small_sample):
    start = local(2026, 11, 3, 9, 0)
    clocks.met(start, start + timedelta(minutes=10))
    clocks.late(start, start + timedelta(minutes=80))
    return clocks


def _repair(publication):
    return next(c for c in publication.commitments if c.code == "repair_arrival")


@pytest.mark.req("S13.6")
def test_published_month_does_not_change_when_late_data_arrives_S13_6(november, manager):
    month_publish(month=NOVEMBER, by=manager, at=AFTER)
    start = local(2026, 11, 20, 9, 0)
    november.met(start, start + timedelta(minutes=5))  # a clock settled in November, recorded after publication
    latest = publications_recent()[0]
    assert (_repair(latest).rate.met, _repair(latest).rate.total) == (1, 2)
    assert latest.overall.value == 50


def test_correction_is_a_new_visible_revision_S13_6(november, manager, client):
    first = month_publish(month=NOVEMBER, by=manager, at=AFTER)
    start = local(2026, 11, 20, 9, 0)
    november.met(start, start + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        month_publish(month=NOVEMBER, by=manager, at=AFTER)  # a revision needs its reason
    second = month_publish(month=NOVEMBER, by=manager, reason="补录11月20日工单", at=AFTER + timedelta(hours=1))
    assert second.revision == 2
    first.refresh_from_db()
    assert first.figures["commitments"] != second.figures["commitments"]
    with pytest.raises(ValidationError):
        first.save()  # write-once
    latest = publications_recent()[0]
    assert latest.row == second and [p.row for p in latest.earlier] == [first]
    html = client.get(reverse("public_commitments:page")).content.decode()
    assert "补录11月20日工单" in html and 'id="month-2026-11-r1"' in html and 'id="month-2026-11-r2"' in html


def test_only_finished_months_and_only_publishers(manager, auditor, reference_data):
    with pytest.raises(ValidationError):
        month_publish(month=Month(2026, 12), by=manager, at=local(2026, 12, 20))
    with pytest.raises(PermissionDenied):
        month_publish(month=NOVEMBER, by=auditor, at=AFTER)
    assert not PublishedMonth.objects.exists()


def test_automatic_publication_on_the_fifth_working_day_S13_6(reference_data):
    day = publication_day(month=Month(2026, 12))
    assert day.isoformat() == "2026-12-07"  # 1, 2, 3, 4, 7 December 2026 (from the policy and the calendar)
    assert publish_due(now=local(2026, 12, 4, 23, 0)) is None
    published = publish_due(now=local(2026, 12, 7, 8, 0))
    assert published.month.isoformat() == "2026-11-01" and published.published_by is None
    assert publish_due(now=local(2026, 12, 8, 8, 0)) is None  # idempotent
    from supply_service.core.schedules import SCHEDULES

    assert any(s["func"] == "supply_service.dashboard.tasks.publish_due_task" for s in SCHEDULES)


@pytest.mark.req("S13.6", "S13.7")
def test_public_page_shows_achieved_published_rates_in_uyghur_S13_6_S13_7(november, manager, client):
    month_publish(month=NOVEMBER, by=manager, at=AFTER)
    client.cookies["django_language"] = "ug"
    response = client.get(reverse("public_commitments:page"), HTTP_ACCEPT_LANGUAGE="ug")
    html = response.content.decode()
    assert 'dir="rtl"' in html and "50.0%" in html and "2026-11" in html
    assert response.context["latest"].overall.total == 2
    with translation.override("ug"):
        from django.utils.translation import gettext

        assert gettext("Our service commitments") in html


def test_public_page_before_any_publication(client, reference_data):
    response = client.get(reverse("public_commitments:page"))
    assert response.status_code == 200 and response.context["latest"] is None
    assert 'id="disclosures"' in response.content.decode()


def test_atom_and_csv_feeds(november, manager, client):
    month_publish(month=NOVEMBER, by=manager, at=AFTER)
    feed = client.get(reverse("public_commitments:feed"), {"lang": "bo"})
    assert feed.status_code == 200 and b"<feed" in feed.content and b"2026-11" in feed.content
    text = client.get(reverse("public_commitments:csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["month", "revision", "published_at", "measure"]
    repair = next(r for r in rows if r[3] == "repair_arrival")
    assert repair[6:9] == ["1", "2", "50.0"]


def test_public_page_constant_queries(november, manager, client, django_assert_max_num_queries):
    month_publish(month=NOVEMBER, by=manager, at=AFTER)
    with django_assert_max_num_queries(12):
        client.get(reverse("public_commitments:page"))
    month_publish(month=Month(2026, 10), by=manager, at=AFTER)
    with django_assert_max_num_queries(12):
        client.get(reverse("public_commitments:page"))


def test_demo_seeder_publishes_recent_months_once(reference_data):
    from supply_service.dashboard.demo import DEMO_MONTHS, seed_demo_dashboard

    seed_demo_dashboard()
    seed_demo_dashboard()
    assert PublishedMonth.objects.count() == DEMO_MONTHS
    assert set(PublishedMonth.objects.values_list("revision", flat=True)) == {1}
