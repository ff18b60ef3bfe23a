from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from supply_service.quality.models import Exemption, QualityTarget, VoltageClass
from tests.factories.quality import MonitoringPointFactory, VoltageMonthFactory

pytestmark = pytest.mark.django_db


def test_voltage_classes_seeded_with_the_limits_of_S6_1_and_S6_2(reference_data):
    limits = {c.code: (c.upper_pct, c.lower_pct, c.sum_limit_pct, c.abnormal_pct) for c in VoltageClass.objects.all()}
    assert limits["35kv_up"][2] == Decimal("10")
    assert limits["35kv_up"][0] + limits["35kv_up"][1] <= Decimal("10")
    assert limits["10kv_3ph"][:2] == (Decimal("7"), Decimal("7"))
    assert limits["220v_1ph"][:2] == (Decimal("7"), Decimal("10"))
    assert {value[3] for value in limits.values()} == {Decimal("10")}
    assert QualityTarget.objects.filter(office__isnull=True).exists()


def test_sum_limit_of_the_35kv_class_is_checked_S6_1(reference_data):
    cls = VoltageClass.objects.get(code="35kv_up")
    cls.upper_pct, cls.lower_pct = Decimal("7"), Decimal("5")
    with pytest.raises(ValidationError):
        cls.full_clean()


def test_band_normal_and_abnormal(reference_data):
    cls = VoltageClass.objects.get(code="220v_1ph")
    assert cls.band() == (Decimal("-10"), Decimal("7"))
    assert cls.band(abnormal=True) == (Decimal("-10"), Decimal("10"))


def test_minutes_outside_cannot_exceed_minutes_monitored(reference_data):
    row = VoltageMonthFactory(minutes_monitored=100, minutes_above=60, minutes_below=40)
    assert row.history.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        VoltageMonthFactory(point=row.point, month=date(2026, 2, 1), minutes_monitored=100, minutes_above=60,
                            minutes_below=41)


def test_exemption_names_a_customer_or_a_point_S6_3(reference_data):
    with pytest.raises(ValidationError):
        Exemption(starts_on=date(2026, 1, 1), reason="x").full_clean()
    point = MonitoringPointFactory()
    Exemption(point=point, starts_on=date(2026, 1, 1), reason="功率因数不达标").full_clean()
