"""Imports from the marketing system: customers, bills, payments and meter readings, from CSV or XLSX files.

    result = run_import("bills", request.FILES["file"], filename=request.FILES["file"].name, user=request.user)
    if result.ok: …  result.created / result.updated / result.unchanged
    else: for error in result.errors: error.line, error.message

All or nothing per file: every row is checked first and any bad row means nothing is saved and every error is
returned. Re-importing a file changes nothing. Every created or updated row gets a history record with the change
reason `customers.import_<kind>` and the given user. File formats: docs/IMPORTS.md.
"""

from supply_service.customers.imports.base import ImportResult, Progress, RowError
from supply_service.customers.imports.bills import BillImporter
from supply_service.customers.imports.customers import CustomerImporter
from supply_service.customers.imports.files import FileProblem, read_bytes, read_table
from supply_service.customers.imports.payments import PaymentImporter
from supply_service.customers.imports.readings import ReadingImporter

__all__ = ["IMPORTERS", "KINDS", "ImportResult", "RowError", "run_import"]

IMPORTERS = {
    importer.kind: importer for importer in (CustomerImporter, BillImporter, PaymentImporter, ReadingImporter)
}
KINDS = tuple(IMPORTERS)


def run_import(
    kind: str,
    uploaded_file_or_path,
    *,
    filename: str,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file of `kind` ("customers", "bills", "payments" or "readings").

    `uploaded_file_or_path`: a Django UploadedFile, a binary file object, bytes, or a path. `filename` chooses the
    format by its extension (.csv or .xlsx). `user` is recorded in the history. `dry_run` checks everything and
    counts what would change, saving nothing. `progress(stage, done, total)` is called now and then with the stage
    "validating" or "writing". Bad input never raises: it comes back in `errors`.
    """
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    importer = IMPORTERS[kind](user=user, progress=progress)
    try:
        table = read_table(read_bytes(uploaded_file_or_path), filename=filename)
    except FileProblem as problem:
        return ImportResult(kind=kind, dry_run=dry_run, errors=[RowError(problem.line, problem.message)])
    return importer.run(table, dry_run=dry_run)
