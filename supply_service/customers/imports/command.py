"""The management commands `import_customers`, `import_bills`, `import_payments`, `import_readings` share this."""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from supply_service.customers.imports import ImportResult, run_import

BAR_WIDTH = 30


class ProgressBar:
    """`validating [#######.......]  2500/10000` on one line of stderr, redrawn with \\r."""

    def __init__(self, stream, *, min_interval: float = 0.1):
        self.stream = stream
        self.min_interval = min_interval
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last_draw < self.min_interval:
            return
        self.last_draw = now
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        width = len(str(total))
        self.stream.write(f"\r{stage:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:>{width}}/{total}")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def summary(result: ImportResult) -> str:
    text = f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}"
    if result.related:
        text += " (" + ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in sorted(result.related.items())) + ")"
    if result.dry_run:
        text = f"dry run, nothing saved: would have {text}"
    return text


class ImportCommand(BaseCommand):
    kind = ""

    @property
    def help(self) -> str:
        return (f"Import {self.kind} from a CSV (UTF-8) or XLSX file: all or nothing, idempotent. "
                "Formats: docs/IMPORTS.md.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count, save nothing")
        parser.add_argument("--user", help="username recorded in the history as the one who imported")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"no user {options['user']!r}") from exc
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr))  # the raw stream: no colour, no added newline
        started = time.monotonic()
        try:
            result = self.run(path, user=user, dry_run=options["dry_run"], progress=bar)
        finally:
            bar.finish()
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} error(s); nothing was imported")
        self.stdout.write(self.style.SUCCESS(f"{summary(result)} in {time.monotonic() - started:.1f} s"))

    def run(self, path: Path, *, user, dry_run: bool, progress):
        """The import itself; a command for another kind of file overrides this."""
        return run_import(self.kind, path, filename=path.name, user=user, dry_run=dry_run, progress=progress)
