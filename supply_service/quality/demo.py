"""Demo data of the quality app (`manage.py seed_demo`; idempotent): per demo office, voltage monitoring points of
classes A–D with monthly figures for the last `--months` months (at most 24), and closed outage records with
actual times and affected customers so the reliability figures are not empty. Demo data only: deterministic
(`random.Random`), written in bulk without history; real data comes through the imports and the outage workflow."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from supply_service.core.models import Office, User
from supply_service.core.services.workitems import workitem_number_next
from supply_service.customers.models import Customer, TransformerArea
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.quality.models import MonitoringPoint, VoltageClass, VoltageMonth
from supply_service.quality.periods import next_month
from supply_service.quality.seed import seed_reference
from supply_service.quality.services_reliability import outage_months_refresh

SEED = 20_261_218
MAX_MONTHS = 24
POINTS = [("A", "10kv_3ph", 2), ("B", "35kv_up", 1), ("C", "10kv_3ph", 3)]
D_POINTS = 6
OUTAGES_PER_MONTH = 2
KINDS = ["planned", "emergency", "temporary", "emergency", "restriction"]


def _months(count: int) -> list[date]:
    today = timezone.localdate()
    month = date(today.year, today.month, 1)
    found = []
    for _ in range(min(count, MAX_MONTHS)):
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
        found.append(month)
    return sorted(found)


def _points(office: Office, classes: dict) -> list[MonitoringPoint]:
    points = []
    for category, cls, count in POINTS:
        for n in range(1, count + 1):
            code = f"DEMO-{office.code}-{category}{n}"[:30]
            point, _created = MonitoringPoint.objects.get_or_create(code=code, defaults={
                "name": f"{office.name} {category}{n}", "category": category, "voltage_class": classes[cls],
                "office": office})
            points.append(point)
    areas = TransformerArea.objects.filter(feeder__office=office).order_by("code")[:D_POINTS]
    for n, area in enumerate(areas, 1):
        code = f"DEMO-{office.code}-D{n}"[:30]
        point, _created = MonitoringPoint.objects.get_or_create(code=code, defaults={
            "name": f"{area.name} 末端", "category": "D", "voltage_class": classes["220v_1ph"], "office": office,
            "transformer_area": area})
        points.append(point)
    return points


def _figures(points: list[MonitoringPoint], months: list[date]) -> int:
    rows = []
    for point in points:
        rng = random.Random(f"{SEED}-{point.code}")
        worse = {"A": 20, "B": 5, "C": 150, "D": 600}[point.category]
        for month in months:
            monitored = (next_month(month) - month).days * 24 * 60 - rng.randint(0, 120)
            improvement = 1 + (month.year - months[0].year)  # later months a little better (S5.3)
            above = rng.randint(0, worse) // improvement
            below = rng.randint(0, worse) // improvement
            rows.append(VoltageMonth(point=point, month=month, minutes_monitored=monitored, minutes_above=above,
                                     minutes_below=below))
    return len(VoltageMonth.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000))


DEMO_REASON = "演示数据：线路检修/故障"


def _outages(office: Office, months: list[date], user: User) -> int:
    areas = list(TransformerArea.objects.filter(feeder__office=office).order_by("code").values_list("pk",
                                                                                                        flat=True))
    if not areas:
        return 0
    created = 0
    for month in months:
        rng = random.Random(f"{SEED}-{office.code}-{month}")
        for n in range(OUTAGES_PER_MONTH):
            day = rng.randint(1, (next_month(month) - month).days)
            start = timezone.make_aware(datetime.combine(month.replace(day=day), time(rng.randint(0, 23))))
            end = start + timedelta(minutes=rng.randint(30, 360))
            area = rng.choice(areas)  # every draw before the check: a second run draws the same outages
            if OutageNotice.objects.filter(office=office, planned_start=start, reason=DEMO_REASON).exists():
                continue
            number = workitem_number_next(prefix=OutageNotice.NUMBER_PREFIX)
            notice = OutageNotice.objects.create(
                number=number, office=office, kind=KINDS[(n + month.month) % len(KINDS)],
                state=OutageNotice.State.CLOSED, reason=DEMO_REASON, planned_start=start,
                planned_end=end, created_by=user, started_at=start, restored_at=end, closed_at=end,
                area_zh_hans="演示台区")
            customers = Customer.objects.filter(transformer_area_id=area).values_list("pk", flat=True)
            AffectedCustomer.objects.bulk_create([AffectedCustomer(notice=notice, customer_id=pk)
                                                  for pk in customers], ignore_conflicts=True)
            outage_months_refresh(notice_id=notice.pk)  # written without the outage services: the stored sums too
            created += 1
    return created


def seed_demo_quality(*, options: dict, stdout=None) -> dict:
    seed_reference()
    classes = {c.code: c for c in VoltageClass.objects.all()}
    months = _months(options.get("months", 24))
    user = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    result = {"points": 0, "figures": 0, "outages": 0}
    if user is None:
        return result
    with transaction.atomic():
        for office in Office.objects.filter(is_active=True).order_by("pk"):
            points = _points(office, classes)
            result["points"] += len(points)
            result["figures"] += _figures(points, months)
            result["outages"] += _outages(office, months, user)
    if stdout is not None:
        stdout.write(f"Quality demo: {result['points']} monitoring points, {result['outages']} outage records")
    return result
