"""Rebuild the open-work table from the items of every registered kind (after a bulk load, a restore or an upgrade).
Idempotent; `make run` calls it after migrating."""

from django.core.management.base import BaseCommand

from supply_service.core.services.openwork import openwork_rebuild


class Command(BaseCommand):
    help = "Rebuild the open-work table (one row per open work item of every kind) from the items."

    def handle(self, *args, **options):
        written = openwork_rebuild()
        self.stdout.write(f"{written} open work item(s)")
