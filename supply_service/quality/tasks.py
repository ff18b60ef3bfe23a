"""django-q2 tasks of the quality app."""

from supply_service.quality.imports.jobs import quality_import_run


def quality_import_run_task(pk: int) -> str:
    job = quality_import_run(pk=pk)
    return job.state if job is not None else "not queued"
