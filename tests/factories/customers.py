from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from supply_service.customers.models import (
    Bill,
    Customer,
    Feeder,
    Meter,
    Payment,
    PaymentMethod,
    TransformerArea,
)
from tests.factories.core import OfficeFactory


class FeederFactory(DjangoModelFactory):
    class Meta:
        model = Feeder
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"10kV 线路 {n}")
    office = factory.SubFactory(OfficeFactory)


class TransformerAreaFactory(DjangoModelFactory):
    class Meta:
        model = TransformerArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"台区 {n}")
    feeder = factory.SubFactory(FeederFactory)


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = Customer
        django_get_or_create = ["account_number"]

    account_number = factory.Sequence(lambda n: f"{3100000000 + n}")
    name = "张小三"
    category = Customer.Category.RESIDENTIAL
    voltage = Customer.Voltage.V220
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    address = "人民路 12 号 3 单元 401"
    office = factory.SubFactory(OfficeFactory)
    transformer_area = factory.SubFactory(
        TransformerAreaFactory, feeder__office=factory.SelfAttribute("...office")
    )
    feeder = factory.SelfAttribute("transformer_area.feeder")


class MeterFactory(DjangoModelFactory):
    class Meta:
        model = Meter

    number = factory.Sequence(lambda n: f"M{n:010d}")
    customer = factory.SubFactory(CustomerFactory)
    installed_on = date(2020, 1, 1)


class BillFactory(DjangoModelFactory):
    class Meta:
        model = Bill

    customer = factory.SubFactory(CustomerFactory)
    period = date(2026, 10, 1)
    kwh = Decimal("200.00")
    amount = Decimal("112.60")
    due_date = factory.LazyAttribute(lambda b: b.period.replace(day=25))


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = Payment

    customer = factory.SubFactory(CustomerFactory)
    reference = factory.Sequence(lambda n: f"P{n:012d}")
    paid_at = factory.LazyFunction(timezone.now)
    amount = Decimal("112.60")
    method = factory.LazyFunction(lambda: PaymentMethod.objects.get(code="counter"))
