from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from supply_service.core.backup import BackupError, database_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into the configured database, which must be empty "
            "(PostgreSQL: createdb a new one; SQLite: move the old file away). Stop the site and workers first.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, **options):
        try:
            database_restore(source=Path(options["path"]), using=options["database"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"restored {options['path']}"))
