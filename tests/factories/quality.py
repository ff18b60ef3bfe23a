from datetime import date

import factory
from factory.django import DjangoModelFactory

from supply_service.quality.models import MonitoringPoint, VoltageClass, VoltageMonth
from tests.factories.core import OfficeFactory


def voltage_class(code: str = "220v_1ph") -> VoltageClass:
    from supply_service.quality.seed import seed_reference

    seed_reference()
    return VoltageClass.objects.get(code=code)


class MonitoringPointFactory(DjangoModelFactory):
    class Meta:
        model = MonitoringPoint
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"VP-{n:04d}")
    name = factory.Sequence(lambda n: f"监测点 {n}")
    category = MonitoringPoint.Category.D
    voltage_class = factory.LazyFunction(voltage_class)
    office = factory.SubFactory(OfficeFactory)


class VoltageMonthFactory(DjangoModelFactory):
    class Meta:
        model = VoltageMonth

    point = factory.SubFactory(MonitoringPointFactory)
    month = date(2026, 1, 1)
    minutes_monitored = 44640
    minutes_above = 0
    minutes_below = 0
