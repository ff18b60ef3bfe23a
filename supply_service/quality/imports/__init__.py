"""Imports of voltage-monitoring data (CSV or XLSX), built on the customers app's import machinery: the same
file reader and limits, the same all-or-nothing `Importer` (every row checked first, any bad row means nothing is
saved and every error comes back with its line), the same background `ImportJob` with progress.

Two kinds (formats: docs/apps/quality.md, samples in docs/samples/):

- `voltage_months`: a point's monthly figures (minutes monitored, above the upper limit, below the lower limit),
  upserted on (point, month); a point that does not exist yet is created from the row's point columns;
- `voltage_samples`: timestamped readings (volts) of existing points, aggregated on import into the monthly figures
  of every (point, month) the file covers — judged against the point's voltage-class band (S6.1), or the S6.2 band
  inside an abnormal-condition period.

Re-importing a file changes nothing. History reason: `quality.import_<kind>`.
"""

from supply_service.customers.imports import ImportResult, RowError
from supply_service.customers.imports.base import Progress
from supply_service.customers.imports.files import FileProblem, read_bytes, read_table
from supply_service.quality.imports.months import VoltageMonthImporter
from supply_service.quality.imports.samples import VoltageSampleImporter

__all__ = ["KINDS", "QUALITY_IMPORTERS", "run_quality_import"]

QUALITY_IMPORTERS = {importer.kind: importer for importer in (VoltageMonthImporter, VoltageSampleImporter)}
KINDS = tuple(QUALITY_IMPORTERS)


def run_quality_import(kind: str, source, *, filename: str, user=None, dry_run: bool = False,
                       progress: Progress | None = None) -> ImportResult:
    """Import one file of `kind`; bad input never raises, it comes back in `errors` (see customers.imports)."""
    if kind not in QUALITY_IMPORTERS:
        raise ValueError(f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    importer = QUALITY_IMPORTERS[kind](user=user, progress=progress)
    try:
        table = read_table(read_bytes(source), filename=filename)
    except FileProblem as problem:
        return ImportResult(kind=kind, dry_run=dry_run, errors=[RowError(problem.line, problem.message)])
    return importer.run(table, dry_run=dry_run)
