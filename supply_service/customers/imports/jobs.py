"""Imports run in the background: the admin's upload stores the file and queues a django-q2 task; the task runs the
import (all or nothing, as every import) and records its progress and outcome on an `ImportJob`.

Decision: every upload through the admin runs in the background, whatever its size — one path, the web worker never
parses a file, and the job row records who imported what. The limits (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS) apply to
every entry point (admin, commands, the 95598 desk); the size is checked here before the file is stored.
"""

import logging
import os
import time
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supply_service.customers.imports import KINDS, ImportResult, run_import
from supply_service.customers.imports.files import EXTENSIONS, FileProblem, check_size
from supply_service.customers.models_imports import ImportJob

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "customers.add_customer"
RUN_TASK = "supply_service.customers.tasks.import_job_run_task"
ERRORS_KEPT = 1000
PROGRESS_SECONDS = 1.0


def import_job_create(*, kind: str, upload, by) -> ImportJob:
    """Store an uploaded file and queue its import. ValidationError (translated) when it cannot be imported."""
    if not by.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    if kind not in KINDS:
        raise ValidationError(_("Choose what the file holds."))
    extension = os.path.splitext(upload.name.lower())[1]
    if extension not in EXTENSIONS:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    try:
        check_size(upload)
    except FileProblem as problem:
        raise ValidationError(problem.message) from problem
    job = ImportJob(kind=kind, filename=os.path.basename(upload.name)[:255], size=upload.size or 0, created_by=by,
                    language=translation.get_language() or settings.LANGUAGE_CODE)
    with transaction.atomic():
        job.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)  # never the uploaded name on disk
        job.save()
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(pk: int) -> None:
    from django_q.tasks import async_task

    async_task(RUN_TASK, pk, task_name=f"import-{pk}", group="imports",
               timeout=settings.IMPORT_TASK_TIMEOUT_SECONDS)


def _claim(pk: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").filter(pk=pk).first()
        if job is None or job.state != ImportJob.State.QUEUED:
            return None  # a task delivered twice runs once
        job.start(at=timezone.now())
        job.save(update_fields=["state", "started_at"])
    return job


class _Progress:
    """Writes rows done / total to the job at most once a second (and at the end of each stage)."""

    def __init__(self, pk: int):
        self.pk = pk
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.pk).update(stage=stage, rows_done=done, rows_total=total)


def import_job_run(*, pk: int) -> ImportJob | None:
    """Run a queued job (the django-q2 task). Returns None when it was not queued (already run or running)."""
    job = _claim(pk)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with job.file.open("rb") as handle:
                result = run_import(job.kind, handle, filename=job.filename, user=job.created_by,
                                    progress=_Progress(job.pk))
        except Exception as exc:  # noqa: BLE001 - any crash is recorded on the job; the import wrote nothing
            logger.exception("Import job %s stopped", job.pk)
            result = ImportResult(kind=job.kind)
            result.errors = [_error(_("The import stopped (%(error)s); nothing was saved.")
                                    % {"error": type(exc).__name__})]
    return _record(job, result)


def _error(message: str):
    from supply_service.customers.imports import RowError

    return RowError(1, message)


def _record(job: ImportJob, result: ImportResult) -> ImportJob:
    job.refresh_from_db(fields=["stage", "rows_done", "rows_total"])
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.error_count = len(result.errors)
    job.errors = [[error.line, str(error.message)] for error in result.errors[:ERRORS_KEPT]]
    if result.ok:
        job.finish(at=timezone.now())
        job.rows_done = job.rows_total = result.total
    else:
        job.fail(at=timezone.now())
    job.file.delete(save=False)  # the file holds personal data: kept only until it is imported
    job.save()
    return job
