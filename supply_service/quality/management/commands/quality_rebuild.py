"""Rebuild the stored reliability sums (`quality.OutageMonth`) from the outage records, in one transaction.

    manage.py quality_rebuild

Needed only after outages or affected customers were loaded without the outage services (bulk loads, the benchmark,
an old database); the services keep the sums in step themselves."""

import time

from django.core.management.base import BaseCommand

from supply_service.quality.services_reliability import outage_months_rebuild


class Command(BaseCommand):
    help = "Rebuild the stored per-outage, per-month reliability sums from the outage records."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = outage_months_rebuild()
        self.stdout.write(f"quality_rebuild: {rows} outage-month rows in {time.monotonic() - started:.1f} s")
