import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from supply_service.core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo data: offices, one user per role, calendar, commitments, then each app's demo data "
        "(settings.DEMO_SEEDERS). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=200, help="synthetic customers to have (default 200)")
        parser.add_argument("--months", type=int, default=24, help="months of bills per customer (default 24)")

    def handle(self, *args, **options):
        if options["customers"] < 0 or not 1 <= options["months"] <= 120:
            raise CommandError("--customers must be 0 or more and --months between 1 and 120")
        logins = []
        for path in settings.DEMO_SEEDERS:
            started = time.monotonic()
            result = import_string(path)(options=options, stdout=self.stdout)
            if path.endswith("seed_demo_base"):
                logins = result
            self.stdout.write(f"{path}: {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<12} {role}")
