"""An import of a marketing-system file run in the background (uploaded through the admin).

The uploaded file waits in the default storage until a django-q2 worker runs it; the worker records its progress
(rows done of rows total, stage) on the row and, at the end, the counts or every row's error. The file is deleted
when the run ends (it holds personal data); the row stays as the record of who imported what and when.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a background worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing was saved")

    kind = models.CharField(_("what the file holds"), max_length=20)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    state = FSMField(_("state"), default=State.QUEUED, choices=State.choices, protected=True)
    stage = models.CharField(_("stage"), max_length=12, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    """[[line, message], …] — the first IMPORT_JOB_ERRORS_KEPT of `error_count`."""
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_state_display()})"

    @transition(field=state, source=State.QUEUED, target=State.RUNNING, custom={"admin": False})
    def start(self, *, at):
        self.started_at = at

    @transition(field=state, source=State.RUNNING, target=State.DONE, custom={"admin": False})
    def finish(self, *, at):
        self.finished_at = at

    @transition(field=state, source=[State.QUEUED, State.RUNNING], target=State.FAILED, custom={"admin": False})
    def fail(self, *, at):
        self.finished_at = at

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def seems_stopped(self) -> bool:
        """Running for longer than a background import may take: its worker stopped (nothing was saved)."""
        if self.state != self.State.RUNNING or self.started_at is None:
            return False
        return timezone.now() - self.started_at > timedelta(seconds=settings.IMPORT_TASK_TIMEOUT_SECONDS)

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0
