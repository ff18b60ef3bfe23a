from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supply_service.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = ("Back up the database while the site runs: a consistent snapshot (SQLite: the online backup API; "
            "PostgreSQL: pg_dump --format=custom). Prints the path of the backup.")

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: BACKUP_DIR/supply_service-<db>-<UTC time>.*)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, **options):
        try:
            path = database_backup(output=Path(options["output"]) if options["output"] else None,
                                   using=options["database"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(str(path))
