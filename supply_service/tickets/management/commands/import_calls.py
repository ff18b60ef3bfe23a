from supply_service.customers.imports.command import ImportCommand
from supply_service.tickets.imports_calls import import_calls


class Command(ImportCommand):
    """The shared import command (file, --dry-run, --user, progress bar, line-numbered errors) for 95598 calls."""

    help = (
        "Import 95598 call records from the telephone system: a CSV (UTF-8) or XLSX file with the columns "
        "external_id, rang_at (YYYY-MM-DD HH:MM:SS, Asia/Shanghai), ring_seconds, caller_phone, "
        "agent_username (optional), account_number (optional). All or nothing; importing again changes nothing. "
        "--user names the agent recorded for calls without an agent_username."
    )

    def run(self, path, *, user, dry_run, progress):
        if user is not None:
            user = type(user).objects.select_related("office").get(pk=user.pk)
        return import_calls(path, filename=path.name, user=user, dry_run=dry_run, progress=progress)
