"""Import 95598 call records from the telephone system (S10.2.6), from a CSV (UTF-8) or XLSX file.

Columns: `external_id, rang_at, ring_seconds, caller_phone, agent_username (optional), account_number (optional)`;
`rang_at` is YYYY-MM-DD HH:MM[:SS] in Asia/Shanghai. All or nothing: every row is checked first (agents and customers
are looked up for the whole file in a few queries); any bad row means nothing is saved and every bad row is reported
with its line. Idempotent on `external_id`: a call already recorded is left as it is, so re-importing a file
changes nothing. Each new call goes through `call_record_create` (its number and its settled answering clock), all
in one transaction.

An empty `agent_username` records the call as taken by the person importing (`call_record_create` needs an agent
with the permission to take calls); the command line names that person with `--user`.

The shape of the file handling (header checks, cell parsers, line numbers, messages) is the customers imports'.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.customers.imports import cells
from supply_service.customers.imports.base import Column, Importer, ImportResult, Progress, Row, RowError, fetch_in
from supply_service.customers.imports.files import FileProblem, read_bytes, read_table
from supply_service.customers.models import Customer
from supply_service.tickets.forms_counter import FUTURE_TOLERANCE, MAX_RING_SECONDS
from supply_service.tickets.models import CallRecord
from supply_service.tickets.services import call_record_create

CALL_PERMISSION = "tickets.take_callrecord"


def ring_seconds(value: Any, column: str) -> int:
    """A whole number of seconds, 0 to MAX_RING_SECONDS (an XLSX number cell or text)."""
    text = cells.as_text(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or int(text) > MAX_RING_SECONDS:
        raise cells.CellError(
            _("%(column)s “%(value)s” is not a whole number of seconds from 0 to %(max)s")
            % {"column": column, "value": cells.shown(value), "max": MAX_RING_SECONDS}
        )
    return int(text)


class CallImporter(Importer):
    kind = "calls"
    columns = (
        Column("external_id", cells.text(40)),
        Column("rang_at", cells.local_datetime),
        Column("ring_seconds", ring_seconds),
        Column("caller_phone", cells.phone, blank=True, default=""),
        Column("agent_username", cells.text(150), required=False, blank=True, default=""),
        Column("account_number", cells.account_number, required=False, blank=True, default=""),
    )

    @property
    def change_reason(self) -> str:
        return "tickets.import_calls"

    def key(self, row: Row) -> tuple | None:
        return (row["external_id"],) if row.has("external_id") else None

    def duplicate_message(self, row: Row, first_line: int) -> str:
        return _("call “%(value)s” is already on line %(line)s") % {
            "value": cells.shown(row["external_id"]), "line": first_line,
        }

    def _agents(self, rows: list[Row]) -> dict[str, Any]:
        names = {row["agent_username"] for row in rows if row.get("agent_username")}
        users = fetch_in(get_user_model().objects.select_related("office"), "username", names)
        return {user.username: user for user in users}

    def _agent_problem(self, user, name: str) -> str | None:
        if user is None:
            return _("there is no staff account “%(value)s”") % {"value": cells.shown(name)}
        if not user.has_perm(CALL_PERMISSION):
            return _("%(user)s may not take 95598 calls (inactive, or not a 95598 agent)") % {"user": user.username}
        if user.office_id is None:
            return _("%(user)s has no office: ask a manager to set it") % {"user": user.username}
        return None

    def resolve(self, rows: list[Row]) -> None:
        existing = set(fetch_in(CallRecord.objects.values_list("external_id", flat=True), "external_id",
                                (row["external_id"] for row in rows if row.has("external_id"))))
        agents = self._agents(rows)
        customers = {c.account_number: c for c in fetch_in(
            Customer.objects.only("pk", "account_number", "name", "phone"), "account_number",
            (row["account_number"] for row in rows if row.get("account_number")),
        )}
        latest = timezone.now() + FUTURE_TOLERANCE
        checked: dict[str, str | None] = {}  # agent problems by username, checked once per person
        for row in rows:
            name = row.get("agent_username")
            agent = None
            if name:
                agent = agents.get(name)
                if name not in checked:
                    checked[name] = self._agent_problem(agent, name)
                if checked[name]:
                    row.error(checked[name])
            else:
                agent = self.user
                if agent is None:
                    row.error(_("agent_username is empty: name the agent, or import as the person who took the "
                                "call (--user)"))
                else:
                    problem = checked.setdefault("", self._agent_problem(agent, agent.username))
                    if problem:
                        row.error(problem)
            number = row.get("account_number")
            customer = customers.get(number) if number else None
            if number and customer is None:
                row.error(_("there is no customer with account number “%(value)s”") % {"value": number})
            if row.has("rang_at") and row["rang_at"] > latest:
                row.error(_("rang_at “%(value)s” is in the future") % {
                    "value": timezone.localtime(row["rang_at"]).strftime("%Y-%m-%d %H:%M:%S")})
            if row.errors:
                continue
            row.agent, row.customer = agent, customer
            row.action = Row.UNCHANGED if row["external_id"] in existing else Row.CREATE

    def write(self, rows: list[Row]) -> None:
        for done, row in enumerate(rows, 1):
            call_record_create(
                agent=row.agent, rang_at=row["rang_at"], ring_seconds=row["ring_seconds"],
                caller_phone=row["caller_phone"], customer=row.customer, external_id=row["external_id"],
            )
            if done % 250 == 0 or done == len(rows):
                self.report_writing(done, len(rows))


def import_calls(source, *, filename: str, user=None, dry_run: bool = False,
                 progress: Progress | None = None) -> ImportResult:
    """Import one file of call records. `source`: an UploadedFile, a binary file, bytes or a path; `filename`
    chooses the format (.csv or .xlsx); `user` takes the calls without an agent_username. Bad input never raises:
    it comes back in `errors` (line, message)."""
    importer = CallImporter(user=user, progress=progress)
    try:
        table = read_table(read_bytes(source), filename=filename)
    except FileProblem as problem:
        return ImportResult(kind=CallImporter.kind, dry_run=dry_run, errors=[RowError(problem.line, problem.message)])
    return importer.run(table, dry_run=dry_run)

