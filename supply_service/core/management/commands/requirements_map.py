"""Write docs/REQUIREMENTS.md, the requirement map (see `supply_service.core.requirements`). `make requirements`.

Reads code, the seed lists and the tests — never the database — so it needs no migrated database and its output
is the same everywhere. `--check` writes nothing and fails when the file is stale.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from supply_service.core.requirements import NOT_BUILT, requirement_rows, requirements_map_render


class Command(BaseCommand):
    help = "Write docs/REQUIREMENTS.md: every requirement of the standard with where it is enforced, measured, " \
           "audited and tested, or 'not built'."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", default="", help="Where to write (default: docs/REQUIREMENTS.md).")
        parser.add_argument("--check", action="store_true", help="Write nothing; fail when the file is stale.")

    def handle(self, *args, **options):
        base_dir = Path(settings.BASE_DIR)
        output = Path(options["output"]) if options["output"] else base_dir / "docs" / "REQUIREMENTS.md"
        text = requirements_map_render(base_dir=base_dir)
        if options["check"]:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != text:
                raise CommandError(f"{output} is stale: run `make requirements`.")
            self.stdout.write(f"{output} is up to date.")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8", newline="\n")
        rows = requirement_rows(base_dir=base_dir)
        not_built = sum(row.status == NOT_BUILT for row in rows)
        self.stdout.write(f"Wrote {output}: {len(rows)} requirements, {not_built} not built.")
