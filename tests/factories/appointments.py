"""Factories of the appointments app: templates and a rota that make slots, and booked appointments."""

from datetime import date, time

import factory
from factory.django import DjangoModelFactory

from supply_service.appointments.models import AppointmentKind, DutyShift, SlotTemplate
from tests.factories.core import OfficeFactory


def kind(code: str) -> AppointmentKind:
    return AppointmentKind.objects.get(code=code)


class SlotTemplateFactory(DjangoModelFactory):
    class Meta:
        model = SlotTemplate

    office = factory.SubFactory(OfficeFactory)
    kind = factory.LazyFunction(lambda: kind("business"))
    weekday = 0
    starts_at = time(9, 0)
    ends_at = time(12, 0)
    capacity = 1


class DutyShiftFactory(DjangoModelFactory):
    class Meta:
        model = DutyShift
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    date = date(2026, 9, 29)
    starts_at = time(8, 0)
    ends_at = time(18, 0)

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        if create and extracted:
            self.kinds.set(extracted)


def open_office(*, office, kind_code: str, people, days, starts_at=time(9, 0), ends_at=time(12, 0), capacity=1,
                rule: str = "every_day", reserve: int = 0) -> AppointmentKind:
    """Templates for every weekday and a shift for each person on each day: the office offers `kind_code`."""
    offered = kind(kind_code)
    for weekday in range(7):
        SlotTemplateFactory(office=office, kind=offered, weekday=weekday, starts_at=starts_at, ends_at=ends_at,
                            capacity=capacity, days=rule, priority_reserve=reserve)
    for day in days:
        for person in people:
            DutyShiftFactory(office=office, person=person, date=day, kinds=[offered])
    return offered
