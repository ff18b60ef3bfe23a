import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from supply_service.customers.imports.command import ProgressBar, summary
from supply_service.tickets.imports_calls import import_calls


class Command(BaseCommand):
    help = (
        "Import 95598 call records from the telephone system: a CSV (UTF-8) or XLSX file with the columns "
        "external_id, rang_at (YYYY-MM-DD HH:MM:SS, Asia/Shanghai), ring_seconds, caller_phone, "
        "agent_username (optional), account_number (optional). All or nothing; importing again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count, save nothing")
        parser.add_argument("--user", help="username of the agent recorded for calls without an agent_username")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.select_related("office").get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"no user {options['user']!r}") from exc
        bar = ProgressBar(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        started = time.monotonic()
        try:
            result = import_calls(path, filename=path.name, user=user, dry_run=options["dry_run"], progress=bar)
        finally:
            bar.finish()
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} error(s); nothing was imported")
        self.stdout.write(self.style.SUCCESS(f"{summary(result)} in {time.monotonic() - started:.1f} s"))
