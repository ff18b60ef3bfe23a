"""Voltage imports in the background, on the customers app's `ImportJob` (the same table, progress and outcome;
the file is deleted when the run ends). Only the permission, the kinds and the runner are this app's."""

import logging
import os
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from supply_service.customers.imports import ImportResult
from supply_service.customers.imports.files import EXTENSIONS, FileProblem, check_size
from supply_service.customers.imports.jobs import _claim, _error, _Progress, _record
from supply_service.customers.models_imports import ImportJob
from supply_service.quality.imports import KINDS, run_quality_import

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "quality.add_voltagemonth"
RUN_TASK = "supply_service.quality.tasks.quality_import_run_task"


def may_import(user) -> bool:
    return user.has_perm(IMPORT_PERMISSION)


def quality_import_create(*, kind: str, upload, by) -> ImportJob:
    """Store an uploaded file and queue its import. ValidationError (translated) when it cannot be imported."""
    if not may_import(by):
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
        job.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        job.save()
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(pk: int) -> None:
    from django_q.tasks import async_task

    async_task(RUN_TASK, pk, task_name=f"quality-import-{pk}", group="imports",
               timeout=settings.IMPORT_TASK_TIMEOUT_SECONDS)


def quality_import_run(*, pk: int) -> ImportJob | None:
    """Run a queued voltage import (the django-q2 task); None when it was not queued (already run or running)."""
    job = _claim(pk)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with job.file.open("rb") as handle:
                result = run_quality_import(job.kind, handle, filename=job.filename, user=job.created_by,
                                            progress=_Progress(job.pk))
        except Exception as exc:  # noqa: BLE001 - any crash is recorded on the job; the import wrote nothing
            logger.exception("Import job %s stopped", job.pk)
            result = ImportResult(kind=job.kind)
            result.errors = [_error(_("The import stopped (%(error)s); nothing was saved.")
                                    % {"error": type(exc).__name__})]
    return _record(job, result)


def quality_import_jobs_for(*, user, limit: int = 10):
    return ImportJob.objects.filter(created_by=user, kind__in=KINDS).order_by("-created_at")[:limit]


def quality_import_job_get(*, user, pk: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=pk, created_by=user, kind__in=KINDS).first()
