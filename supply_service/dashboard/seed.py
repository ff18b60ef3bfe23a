"""Reference data of the dashboard: its policies (seeded by migration 0002, put back by the test world)."""

from decimal import Decimal

from django.utils.translation import gettext_noop

MIN_SAMPLE = "dashboard_min_sample"
PUBLISH_WORKING_DAY = "publication_working_day"

POLICIES = [
    (MIN_SAMPLE, gettext_noop("Minimum settled clocks before a rate is ranked or judged"), 20, "S13.4"),
    (PUBLISH_WORKING_DAY, gettext_noop("Working day of the month on which last month is published automatically"),
     5, "S13.6"),
]


def seed_policies(Policy) -> None:
    for code, title, value, article in POLICIES:
        Policy.objects.get_or_create(code=code, defaults={"title": title, "value": Decimal(value), "article": article})
