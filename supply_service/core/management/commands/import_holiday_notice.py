"""manage.py import_holiday_notice FILE [--year Y] [--dry-run] [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from supply_service.core.services.holiday_notice import NoticeDiff, holiday_notice_apply, holiday_notice_preview


def _state(working: bool | None, name: str) -> str:
    if working is None:
        return "(no row: Monday-Friday)"
    return f"{'working' if working else 'off'}{f' · {name}' if name else ''}"


def diff_lines(diff: NoticeDiff) -> list[str]:
    lines = [f"{c.day:%Y-%m-%d %a}  {_state(c.was_working, c.was_name)}  ->  {_state(c.working, c.name)}"
             for c in diff.notable]
    ordinary = len(diff.added) - sum(1 for c in diff.added if c.is_notable)
    lines.append(f"{diff.notice.year}: {len(diff.added)} day(s) added ({ordinary} ordinary), "
                 f"{len(diff.changed)} changed, {diff.unchanged} unchanged")
    return lines


class Command(BaseCommand):
    help = (
        "Import the State Council's holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知, the text in a UTF-8 "
        "file) into the working-day calendar: prints the days that change, then writes them in one transaction "
        "and moves the deadlines of running clocks. --user names the manager recorded in the history (who must "
        "have core.import_calendarday); without it the import runs as the system."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice's text, UTF-8")
        parser.add_argument("--year", type=int, help="the year, when the text has no title naming it")
        parser.add_argument("--dry-run", action="store_true", help="print the changes, save nothing")
        parser.add_argument("--user", help="username of the manager recorded as the one who imported")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        user = self._user(options["user"])
        try:
            diff = holiday_notice_preview(text=text, year=options["year"], by=user)
            for line in diff_lines(diff):
                self.stdout.write(line)
            if options["dry_run"]:
                self.stdout.write("dry run, nothing saved")
                return
            result = holiday_notice_apply(text=text, year=options["year"], by=user, digest=diff.digest)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user.username} may not import the holiday notice (core.import_calendarday)") from exc
        self.stdout.write(self.style.SUCCESS(
            f"saved: {len(result.diff.changes)} day(s); clocks moved: {len(result.recompute.moved)}, "
            f"breached: {len(result.recompute.breached)}"
        ))

    def _user(self, username: str | None):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no active user {username!r}") from exc
