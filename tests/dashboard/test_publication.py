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


def test_publication_rates_sum_its_commitments_and_rows_are_built_only_when_read(november, manager, client,
                                                                                monkeypatch):
    """The overall rate is summed from the frozen counts without building the rows; the public page builds the rows of
    the latest month only (the earlier months show their overall and callback rates)."""
    month_publish(month=Month(2026, 10), by=manager, at=AFTER)
    month_publish(month=NOVEMBER, by=manager, at=AFTER)
    latest, older = publications_recent()
    assert "commitments" not in latest.__dict__ and "commitments" not in older.__dict__
    for publication in (latest, older):
        rows = publication.commitments
        assert publication.overall.met == sum(c.rate.met for c in rows)
        assert publication.overall.total == sum(c.rate.total for c in rows)
    assert (latest.overall.met, latest.overall.total) == (1, 2)

    from supply_service.dashboard import selectors_public, views_public

    built = []
    real = selectors_public.publications_recent_reads

    def recorded():
        built.extend((yield from real()))
        return built

    monkeypatch.setattr(views_public, "publications_recent_reads", recorded)
    html = client.get(reverse("public_commitments:page")).content.decode()
    assert [("commitments" in p.__dict__) for p in built] == [True, False]
    assert 'id="achieved-fulfilment"' in html


def test_disclosures_are_the_published_content_and_notices_S13_7(reference_data, dispatcher, manager, client):
    """The disclosures (statements written once, read together) are what the plain querysets give: the first
    tariffs with their items in order, procedures, fees, and the current restriction and planned-outage notices —
    never a draft, a cancelled or an ended one."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from supply_service.customers.models import FeeItem, Procedure, Tariff, TariffItem
    from supply_service.dashboard.selectors_public import DISCLOSURE_ROWS, disclosures
    from supply_service.outages.models import OutageNotice
    from supply_service.outages.selectors import public_notices
    from supply_service.outages.services import outage_approve, outage_publish
    from tests.factories.outages import notice as make_notice

    for n in range(3):
        tariff = Tariff.objects.create(code=f"t{n}", category="residential", name_zh_hans=f"电价{n}",
                                       legal_basis="发改价格", effective_from="2026-01-01", position=3 - n,
                                       is_active=n != 1)
        for position in (2, 1):
            TariffItem.objects.create(tariff=tariff, name_zh_hans=f"第{position}档", price="0.5", position=position)
    FeeItem.objects.create(code="fee", name_zh_hans="校验费", legal_basis="发改价格")

    def published(kind, days):
        n = make_notice(dispatcher, kind=kind, start=timezone.now() + timedelta(days=days))
        outage_approve(notice=n, by=manager)
        return outage_publish(notice=OutageNotice.objects.get(pk=n.pk), by=manager)

    restriction, planned, later = (published("restriction", 10), published("planned", 14), published("planned", 12))
    make_notice(dispatcher, kind="planned")  # a draft: not disclosed

    now = timezone.now()
    found = disclosures(now=now)
    tariffs = list(Tariff.objects.filter(is_active=True).prefetch_related(
        Prefetch("items", queryset=TariffItem.objects.order_by("position", "pk")))[:DISCLOSURE_ROWS])
    assert [t.pk for t in found.tariffs] == [t.pk for t in tariffs] and len(tariffs) == 2
    assert [[i.pk for i in t.published_items] for t in found.tariffs] == [[i.pk for i in t.items.all()]
                                                                          for t in tariffs]
    assert [p.pk for p in found.procedures] == [p.pk for p in Procedure.objects.filter(is_active=True)
                                                [:DISCLOSURE_ROWS]]
    assert [f.pk for f in found.fees] == [f.pk for f in FeeItem.objects.filter(is_active=True)[:DISCLOSURE_ROWS]]
    assert found.orderly_use == list(public_notices(now=now).filter(kind="restriction")) == [restriction]
    assert found.outage_plans == list(public_notices(now=now).filter(kind="planned")) == [later, planned]
    assert found.outage_plans[0].office.code  # the office read with the notice
    html = client.get(reverse("public_commitments:page")).content.decode()
    assert "电价0" in html and "电价1" not in html and html.index("第1档") < html.index("第2档")
