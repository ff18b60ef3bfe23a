"""Demo data of the dashboard: the last finished months published (by the schedule's rule, no user), so that the
public commitments page shows achieved rates after `make run`. Idempotent: a month already published is left as it
was (publication never changes a month; only a manager's revision does)."""

from django.utils import timezone

from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.periods import month_of, months_ending
from supply_service.dashboard.services import month_publish

DEMO_MONTHS = 3


def seed_demo_dashboard(*, options: dict | None = None, stdout=None) -> dict:
    now = timezone.now()
    published = 0
    for month in months_ending(month_of(now).shifted(-1), DEMO_MONTHS):
        if not PublishedMonth.objects.filter(month=month.first_day).exists():
            month_publish(month=month, at=now)
            published += 1
    if stdout is not None:
        stdout.write(f"dashboard: {published} month(s) published\n")
    return {"published_months": published}
