"""Window-standard audits: checklist templates generated from the standard's IDs, audits as a protected workflow,
answers with photo evidence, and corrective actions (kernel work items) raised by failed items.

The engagement records the standard asks for (forums, surveys, supervisors, reception days, incidents, the duty
roster) are in `models_records.py` and imported here so that Django sees them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from supply_service.audits.models_records import (  # noqa: F401  (models of this app)
    DutyShift,
    EngagementRecord,
    MajorIncident,
    ServiceSupervisor,
    SurveyResult,
)
from supply_service.core.models import WorkItem


class AuditKind(models.TextChoices):
    ROUTINE = "routine", _("Demonstration-window audit")
    MYSTERY_SHOPPER = "mystery_shopper", _("Mystery-shopper visit")
    CROSS_INSPECTION = "cross_inspection", _("Cross-inspection between offices")
    SELF_INSPECTION = "self_inspection", _("Self-inspection")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCORE = "score", _("Score")
    NUMBER = "number", _("Number")
    COMPUTED = "computed", _("Computed from the data")


class ChecklistTemplate(models.Model):
    """The checklist of one kind of audit for one version of the standard (generated: `manage.py
    audit_templates`)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind of audit"), max_length=20, choices=AuditKind.choices)
    standard_version = models.CharField(_("version of the standard"), max_length=40)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["kind", "-standard_version"]
        constraints = [models.UniqueConstraint(fields=["kind", "standard_version"],
                                               name="one_template_per_kind_and_version")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return staff_text(self.name_zh_hans, self.name_en)


def staff_text(zh_hans: str, en: str) -> str:
    """A text kept in the staff languages: Chinese, or English when the page is not in Chinese and has it."""
    language = (translation.get_language() or "zh-hans").lower()
    return zh_hans if language.startswith("zh") or not en else en


class ChecklistItem(models.Model):
    """One question of a template, traced to the standard's ID it checks."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="items",
                                 verbose_name=_("checklist template"))
    key = models.SlugField(_("key"), max_length=40, help_text=_("Stable within the template (regeneration)."))
    requirement = models.CharField(_("requirement"), max_length=20, db_index=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question_zh_hans = models.CharField(_("question (Chinese)"), max_length=255)
    question_en = models.CharField(_("question (English)"), max_length=255)
    answer_type = models.CharField(_("answered by"), max_length=10, choices=AnswerType.choices)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=0)
    pass_score = models.PositiveSmallIntegerField(_("score that passes"), default=0)
    target = models.DecimalField(_("number that passes (at least)"), max_digits=10, decimal_places=2, null=True,
                                 blank=True)
    measure_key = models.CharField(_("measure"), max_length=60, blank=True,
                                   help_text=_("The registered measure a computed item reads."))
    measure_period = models.CharField(
        _("measured over"), max_length=8, choices=[("day", _("the day of the audit")),
                                                   ("year", _("the year up to the audit"))], default="year")
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal(1),
                                 validators=[MinValueValidator(0)])
    critical = models.BooleanField(_("critical"), default=False,
                                   help_text=_("A failed critical item fails the whole audit."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="one_item_per_key_and_template")]

    def __str__(self) -> str:
        return f"{self.requirement} {self.question}"

    @property
    def question(self) -> str:
        return staff_text(self.question_zh_hans, self.question_en)


def _perm(verb: str) -> str:
    return f"audits.{verb}_audit"


def _is_auditor(instance, user) -> bool:
    from supply_service.core.access import acts_for_every_office

    return user.has_perm(_perm("conduct")) and (instance.auditor_id == user.pk or acts_for_every_office(user))


class Audit(ConcurrentTransitionMixin, models.Model):
    """One audit of an office against a checklist: planned → in progress → submitted → reviewed → closed."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    NUMBER_PREFIX = "JC"
    FINAL_STATES = (State.CLOSED, State.CANCELLED)

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="audits",
                                 verbose_name=_("checklist template"))
    kind = models.CharField(_("kind of audit"), max_length=20, choices=AuditKind.choices)
    state = FSMField(_("state"), default=State.PLANNED, choices=State.choices, protected=True)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("auditor"))
    planned_for = models.DateField(_("planned for"))
    recheck_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="rechecks",
                                   verbose_name=_("re-check of"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reviewed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    recheck_on = models.DateField(_("re-check date"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    critical_failed = models.BooleanField(_("a critical item failed"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_for", "-pk"]
        permissions = [
            ("conduct_audit", _("Can conduct an audit (answer, evidence, submit)")),
            ("review_audit", _("Can review a submitted audit")),
            ("close_audit", _("Can close a reviewed audit")),
            ("cancel_audit", _("Can cancel an audit")),
        ]
        indexes = [models.Index(fields=["office", "state", "planned_for"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state not in self.FINAL_STATES

    @transition(field=state, source=State.PLANNED, target=State.IN_PROGRESS, permission=_is_auditor,
                custom={"label": _("Start the audit")})
    def start(self, *, at):
        self.started_at = at

    @transition(field=state, source=State.IN_PROGRESS, target=State.SUBMITTED, permission=_is_auditor,
                custom={"label": _("Submit")})
    def submit(self, *, at):
        self.submitted_at = at

    @transition(field=state, source=State.SUBMITTED, target=State.IN_PROGRESS, permission=_perm("review"),
                custom={"label": _("Return to the auditor"), "form": "reason", "style": "danger"})
    def send_back(self, *, at):
        self.submitted_at = None

    @transition(field=state, source=State.SUBMITTED, target=State.REVIEWED, permission=_perm("review"),
                custom={"label": _("Mark reviewed")})
    def review(self, *, at, by):
        self.reviewed_at = at
        self.reviewed_by = by

    @transition(field=state, source=State.REVIEWED, target=State.CLOSED, permission=_perm("close"),
                custom={"label": _("Close")})
    def close(self, *, at):
        self.closed_at = at

    @transition(field=state, source=[State.PLANNED, State.IN_PROGRESS], target=State.CANCELLED,
                permission=_perm("cancel"), custom={"label": _("Cancel"), "form": "reason", "style": "danger"})
    def cancel(self, *, at, reason):
        self.cancel_reason = reason
        self.closed_at = at


class Answer(models.Model):
    """The auditor's answer to one item (or the computed figure), with a note and photo evidence."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        NOT_APPLICABLE = "na", _("Not applicable")
        NOT_MEASURABLE = "unmeasurable", _("Not measurable yet")

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="answers", verbose_name=_("audit"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    number = models.DecimalField(_("number"), max_digits=12, decimal_places=2, null=True, blank=True)
    fraction = models.DecimalField(_("share of the weight earned"), max_digits=5, decimal_places=4, null=True,
                                   blank=True)
    computed_value = models.CharField(_("computed figure"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    action_owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("who rectifies"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["audit", "item__position"]
        constraints = [models.UniqueConstraint(fields=["audit", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.audit_id}:{self.item_id} {self.result}"


class Evidence(models.Model):
    """A photo attached to an answer: re-encoded as JPEG without its metadata (EXIF: place, device, time) and kept
    in the database, served only to staff who may see the audit."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("answer"))
    image = models.BinaryField(_("image"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("photo evidence")
        verbose_name_plural = _("photo evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.answer_id} · {self.width}×{self.height}"


class CorrectiveAction(ConcurrentTransitionMixin, WorkItem):
    """A corrective action (整改) raised by a failed item: owned, due by the `corrective_action` commitment,
    breached and escalated by the kernel's SLA sweep when late, done by its owner, verified by the auditor."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done, awaiting verification")
        VERIFIED = "verified", _("Verified")
        CANCELLED = "cancelled", _("Cancelled")

    NUMBER_PREFIX = "ZG"
    CALLBACK_COUNTED = False  # verified by the auditor, not called back: not in the callback rate (S13.5)
    FINAL_STATES = (State.VERIFIED, State.CANCELLED)

    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="actions", verbose_name=_("audit"))
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="actions", verbose_name=_("finding"))
    requirement = models.CharField(_("requirement"), max_length=20)
    finding = models.TextField(_("finding"))
    done_note = models.TextField(_("what was done"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("verified by"))
    rejections = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-created_at"]
        permissions = [
            ("complete_correctiveaction", _("Can report a corrective action done")),
            ("verify_correctiveaction", _("Can verify a corrective action")),
        ]

    @property
    def is_open(self) -> bool:
        return self.state not in self.FINAL_STATES

    @transition(field=state, source=State.OPEN, target=State.DONE, permission="audits.complete_correctiveaction",
                custom={"label": _("Report done"), "form": "note"})
    def complete(self, *, at, note):
        self.done_note = note
        self.done_at = at
        self.resolved_at = at

    @transition(field=state, source=State.DONE, target=State.VERIFIED, permission="audits.verify_correctiveaction",
                custom={"label": _("Verify")})
    def verify(self, *, at, by):
        self.verified_at = at
        self.verified_by = by
        self.closed_at = at

    @transition(field=state, source=State.DONE, target=State.OPEN, permission="audits.verify_correctiveaction",
                custom={"label": _("Not done: send back"), "form": "note", "style": "danger"})
    def reject(self, *, at, note):
        self.rejections += 1
        self.resolved_at = None
        self.done_note = f"{self.done_note}\n— {note}".strip()

    @transition(field=state, source=[State.OPEN, State.DONE], target=State.CANCELLED,
                permission="audits.verify_correctiveaction",
                custom={"label": _("Cancel"), "form": "note", "style": "danger"})
    def cancel(self, *, at, note):
        self.cancel_reason = note
        self.closed_at = at
