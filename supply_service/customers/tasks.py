"""django-q2 tasks of the customers app."""

from supply_service.customers.imports.jobs import import_job_run


def import_job_run_task(pk: int) -> str:
    job = import_job_run(pk=pk)
    return job.state if job is not None else "not queued"
