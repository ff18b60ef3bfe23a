"""The formulas on hand-computed examples (S6.1–S6.4, S5.3)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.quality.models import Exemption, QualityTarget
from supply_service.quality.selectors import quality_target_for, quality_year_over_year
from supply_service.quality.selectors_reliability import reliability_by_month, reliability_summary
from supply_service.quality.selectors_voltage import voltage_by_month, voltage_points, voltage_summary
from supply_service.quality.services_reliability import outage_months_refresh
from tests.factories.core import OfficeFactory
from tests.factories.customers import CustomerFactory
from tests.factories.quality import MonitoringPointFactory, VoltageMonthFactory, voltage_class

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SH)


# --- voltage ------------------------------------------------------------------------------------------------------


@pytest.fixture
def voltage_world(office):
    customer = CustomerFactory(office=office)
    v10, v220 = voltage_class("10kv_3ph"), voltage_class("220v_1ph")
    points = {
        "A": MonitoringPointFactory(code="A1", category="A", voltage_class=v10, office=office),
        "B": MonitoringPointFactory(code="B1", category="B", voltage_class=voltage_class("35kv_up"), office=office),
        "C": MonitoringPointFactory(code="C1", category="C", voltage_class=v10, office=office),
        "D": MonitoringPointFactory(code="D1", category="D", voltage_class=v220, office=office),
        "D_exempt": MonitoringPointFactory(code="D2", category="D", voltage_class=v220, office=office,
                                           customer=customer),
    }
    for key, outside in (("A", 10), ("B", 0), ("C", 100), ("D", 50), ("D_exempt", 1000)):
        VoltageMonthFactory(point=points[key], month=JAN, minutes_monitored=1000, minutes_above=outside // 2,
                            minutes_below=outside - outside // 2)
    Exemption.objects.create(customer=customer, starts_on=date(2025, 12, 15), reason="功率因数低于供电规则要求")
    Exemption.objects.create(point=points["D"], starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
                             reason="已结束的豁免")
    other = OfficeFactory(code="elsewhere")
    VoltageMonthFactory(point=MonitoringPointFactory(code="X1", category="A", office=other), month=JAN,
                        minutes_monitored=1000, minutes_above=1000)
    return points


def test_rate_per_class_and_integrated_rate_weighted_as_state_grid_S6_1(office, voltage_world):
    summary = voltage_summary(office_id=office.pk, first=JAN, after=FEB)
    rates = {key: rate.pct for key, rate in summary["classes"].items()}
    assert rates == {"A": Decimal("99.000"), "B": Decimal("100.000"), "C": Decimal("90.000"),
                     "D": Decimal("95.000")}
    # 0.5 × 99 + 0.5 × (100 + 90 + 95) / 3 = 97
    assert summary["integrated"] == Decimal("97.000")
    assert (summary["total"].monitored, summary["total"].outside) == (4000, 160)


def test_exempt_customer_left_out_of_S6_1_but_listed_S6_3(office, voltage_world):
    points = {row["point__code"]: row for row in voltage_points(office_id=office.pk, first=JAN, after=FEB)}
    assert points["D2"]["is_exempt"] is True and points["D1"]["is_exempt"] is False
    assert points["D2"]["rate"].pct == Decimal("0.000")


def test_exemption_ending_before_the_month_does_not_apply_S6_3(office, voltage_world):
    Exemption.objects.filter(customer__isnull=False).update(ends_on=date(2025, 12, 31))
    summary = voltage_summary(office_id=office.pk, first=JAN, after=FEB)
    assert summary["classes"]["D"].pct == Decimal("47.500")  # (50 + 1000) outside of 2000


def test_rates_by_month_and_all_offices(office, voltage_world):
    by_month = voltage_by_month(office_id=None, first=JAN, after=MAR)
    assert list(by_month) == [JAN]
    assert by_month[JAN]["classes"]["A"].pct == Decimal("49.500")  # (10 + 1000) outside of 2000


# --- reliability --------------------------------------------------------------------------------------------------


def _notice(office, user, n, *, kind, start, end, customers, state="closed"):
    notice = OutageNotice.objects.create(
        number=f"TD-T-{n}", office=office, kind=kind, state=state, reason="检修", planned_start=start,
        planned_end=end or start, created_by=user, started_at=start, restored_at=end)
    AffectedCustomer.objects.bulk_create([AffectedCustomer(notice=notice, customer=c) for c in customers])
    outage_months_refresh(notice_id=notice.pk)  # written without the outage services: the stored sums too
    return notice


@pytest.fixture
def outage_world(office, manager):
    customers = [CustomerFactory(office=office) for _ in range(10)]
    CustomerFactory(office=office, is_active=False)
    # planned: 22:00 on 31 January to 02:00 on 1 February — across midnight and the month end; 4 customers
    _notice(office, manager, 1, kind="planned", start=at(2026, 1, 31, 22), end=at(2026, 2, 1, 2),
            customers=customers[:4])
    _notice(office, manager, 2, kind="emergency", start=at(2026, 1, 10, 23, 30), end=at(2026, 1, 11, 0, 30),
            customers=customers[:2])
    _notice(office, manager, 3, kind="restriction", start=at(2026, 1, 15, 10), end=at(2026, 1, 15, 13),
            customers=customers)
    _notice(office, manager, 4, kind="emergency", start=at(2026, 1, 20, 10), end=at(2026, 1, 20, 20),
            customers=customers, state="cancelled")
    other = OfficeFactory(code="elsewhere")
    far = [CustomerFactory(office=other) for _ in range(3)]
    _notice(other, manager, 5, kind="emergency", start=at(2026, 1, 5, 0), end=at(2026, 1, 5, 10), customers=far)
    return customers


def test_reliability_per_month_split_at_midnight_and_month_end_S6_4(office, outage_world):
    figures = reliability_by_month(office_id=office.pk, start=at(2026, 1, 1), end=at(2026, 3, 1))
    jan, feb = figures[(office.pk, JAN)], figures[(office.pk, FEB)]
    assert jan.customers == 10
    assert jan.hours == {"planned": 8.0, "unplanned": 2.0, "limited": 30.0}
    assert jan.aihc1 == Decimal("4.0000")
    assert jan.rs1 == Decimal("99.4624")    # (1 - 4 / 744) × 100
    assert jan.rs3 == Decimal("99.8656")    # (1 - 1 / 744) × 100: the supply restriction left out
    assert jan.aihc_planned == Decimal("0.8000") and jan.aihc_unplanned == Decimal("0.2000")
    assert jan.interruptions_per_customer == Decimal("1.6000")
    assert feb.hours["planned"] == 8.0 and feb.aihc1 == Decimal("0.8000")
    assert feb.rs1 == Decimal("99.8810")    # (1 - 0.8 / 672) × 100
    assert feb.interruptions_per_customer == Decimal("0.0000")  # counted in the month it began


def test_reliability_of_a_period_S6_4(office, outage_world):
    total = reliability_summary(office_id=office.pk, start=at(2026, 1, 1), end=at(2026, 3, 1))
    assert total.customer_hours == 48.0 and total.aihc1 == Decimal("4.8000")
    assert total.rs1 == Decimal("99.6610")  # (1 - 4.8 / 1416) × 100
    every = reliability_summary(office_id=None, start=at(2026, 1, 1), end=at(2026, 3, 1))
    assert every.customers == 13 and every.customer_hours == 78.0


def test_outage_still_off_counts_up_to_now(office, manager, outage_world):
    _notice(office, manager, 6, kind="emergency", start=at(2026, 2, 10, 8), end=None, customers=outage_world[:1],
            state="in_progress")
    feb = reliability_by_month(office_id=office.pk, start=at(2026, 2, 1), end=at(2026, 3, 1),
                               now=at(2026, 2, 10, 11))[(office.pk, FEB)]
    assert feb.hours["unplanned"] == 3.0


# --- targets and year over year -----------------------------------------------------------------------------------


def test_office_target_wins_over_the_general_one_S6_4(office):
    assert quality_target_for(office_id=office.pk, year=2026).office_id is None
    own = QualityTarget.objects.create(office=office, year=2025, rs1_pct=Decimal("99.99"), rs3_pct=Decimal("99.99"),
                                       voltage_pct=Decimal("99.9"))
    assert quality_target_for(office_id=office.pk, year=2026) == own
    assert quality_target_for(office_id=office.pk, year=2024).office_id is None


def test_year_over_year_S5_3(office, manager, outage_world):
    _notice(office, manager, 7, kind="emergency", start=at(2025, 1, 10, 0), end=at(2025, 1, 10, 10),
            customers=outage_world)
    changes = quality_year_over_year(office_id=office.pk, start=at(2026, 1, 1), end=at(2026, 2, 1))
    # 2025-01: 100 customer-hours / 10 = 10 h; 2026-01: 4 h — fewer hours off, better RS-1
    assert changes["aihc1"].delta == Decimal("-6.0000") and changes["aihc1"].improved is True
    assert changes["rs1"].improved is True
    assert changes["voltage"].improved is None
