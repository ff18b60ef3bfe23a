from django.core.management.base import BaseCommand

from supply_service.core.schedules import sync_schedules


class Command(BaseCommand):
    help = "Create or update every django-q2 schedule the project declares (idempotent)."

    def handle(self, *args, **options):
        for name in sync_schedules():
            self.stdout.write(f"schedule {name}: ok")
