from django.core.management.base import BaseCommand

from supply_service.core.demo import DEMO_PASSWORD, seed_demo_base


class Command(BaseCommand):
    help = "Load the demo data (offices, one user per role, calendar, commitments). Safe to run again."

    def handle(self, *args, **options):
        logins = seed_demo_base()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<12} {role}")
