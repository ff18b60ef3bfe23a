from supply_service.customers.imports.command import ImportCommand
from supply_service.quality.imports import run_quality_import


class Command(ImportCommand):
    kind = "voltage_samples"

    def run(self, path, *, user, dry_run: bool, progress):
        if user is not None and not user.has_perm("quality.add_voltagemonth"):
            from django.core.management.base import CommandError

            raise CommandError(f"{user.username} may not import voltage figures")
        return run_quality_import(self.kind, path, filename=path.name, user=user, dry_run=dry_run, progress=progress)
