"""Audits: generating the checklists, planning, answering (with photo evidence), submitting, reviewing, closing,
re-checks. Every function checks the permission, the office rule and the state, runs in one transaction and writes
history with a reason. Corrective actions are in `services_actions.py`."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed, has_transition_perm

from supply_service.audits import checklist, scoring
from supply_service.audits.evidence import image_clean
from supply_service.audits.models import (
    Answer,
    AnswerType,
    Audit,
    AuditKind,
    ChecklistItem,
    ChecklistTemplate,
    CorrectiveAction,
    Evidence,
)
from supply_service.core.access import acts_for_every_office, require_office, require_same_office
from supply_service.core.measures import MeasureResult, measure_for_key, measures_for_requirement
from supply_service.core.services.policy import policy_int, policy_value
from supply_service.core.services.workitems import workitem_number_next

# --- checklist templates --------------------------------------------------------------------------------------


def templates_generate(*, version: str | None = None) -> list[ChecklistTemplate]:
    """One template per kind of audit for this version of the standard (`checklist.templates_write`)."""
    with transaction.atomic():
        checklist.templates_write(Template=ChecklistTemplate, Item=ChecklistItem, kinds=AuditKind.values,
                                  version=version)
    version = version or checklist.standard_version()
    return list(ChecklistTemplate.objects.filter(standard_version=version))


def template_for_kind(kind: str) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(kind=kind, is_active=True).order_by("-created_at").first()
    return template or next(t for t in templates_generate() if t.kind == kind)


# --- planning ---------------------------------------------------------------------------------------------------


def audit_plan(*, office, kind: str, auditor, planned_for: date, by, recheck_of: Audit | None = None) -> Audit:
    """Plan an audit of `office`. Cross-inspections are done by an auditor of another office; the other kinds are
    planned by staff of the office (or of every office)."""
    if not by.has_perm("audits.add_audit"):
        raise PermissionDenied
    if kind not in AuditKind.values:
        raise ValidationError(_("Choose a kind of audit."))
    if not auditor.is_active or not auditor.has_perm("audits.conduct_audit"):
        raise ValidationError({"auditor": _("This person may not conduct audits.")})
    if kind == AuditKind.CROSS_INSPECTION:
        if auditor.office_id == office.pk:
            raise ValidationError({"auditor": _("A cross-inspection is done by an auditor of another office.")})
    elif kind != AuditKind.MYSTERY_SHOPPER:
        require_office(by, office)
    with transaction.atomic():
        audit = Audit(office=office, kind=kind, template=template_for_kind(kind), auditor=auditor,
                      planned_for=planned_for, created_by=by, recheck_of=recheck_of,
                      number=workitem_number_next(prefix=Audit.NUMBER_PREFIX))
        audit._change_reason = "audits.plan"
        audit.save()
    return audit


def audit_plan_recheck(*, audit: Audit, by, planned_for: date | None = None) -> Audit:
    """A re-check of a reviewed or closed audit, on its re-check date unless another is given."""
    if audit.state not in (Audit.State.REVIEWED, Audit.State.CLOSED):
        raise ValidationError(_("Only a reviewed audit can be re-checked."))
    day = planned_for or audit.recheck_on or timezone.localdate()
    return audit_plan(office=audit.office, kind=audit.kind, auditor=audit.auditor if audit.auditor.is_active else by,
                      planned_for=day, by=by, recheck_of=audit)


# --- conducting -------------------------------------------------------------------------------------------------


def _step(audit: Audit, method, user, *, why: str, **kwargs) -> Audit:
    if not has_transition_perm(method, user):
        raise PermissionDenied
    with transaction.atomic():
        method(**kwargs)
        audit._change_reason = why
        audit.save()
    return audit


def audit_start(*, audit: Audit, by, at: datetime | None = None) -> Audit:
    """Start: the computed items are measured now (and again at submission)."""
    at = at or timezone.now()
    with transaction.atomic():
        _step(audit, audit.start, by, why="audits.start", at=at)
        audit_measure(audit=audit, by=by, at=at)
    return audit


def _measure_for(item: ChecklistItem):
    if item.measure_key:
        return measure_for_key(item.measure_key)
    found = measures_for_requirement(item.requirement)
    return found[0] if found else None


def item_measure(*, item: ChecklistItem, office, at: datetime) -> tuple[MeasureResult | None, str]:
    """The item's measure over its period (the day of the audit, or the 12 months up to it), and its label.
    (None, "") when no app registered it: "not measurable yet", never an error."""
    measure = _measure_for(item)
    if measure is None:
        return None, ""
    local = timezone.localtime(at)
    if item.measure_period == "day":
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=1)
    else:
        end = at
        start = local.replace(year=local.year - 1) if not (local.month == 2 and local.day == 29) else \
            local.replace(year=local.year - 1, day=28)
    return measure(office=office, start=start, end=end), str(measure.label)


def _measured_text(result: MeasureResult | None, label: str) -> str:
    if result is None:
        return _("Not measurable yet: no measure is registered for this item.")
    value = "—" if result.value is None else f"{result.value}{'%' if result.unit == '%' else ''}"
    parts = [f"{label}: {value}"]
    if result.denominator:
        parts.append(f"({result.numerator}/{result.denominator})")
    if result.target is not None:
        parts.append(_("target %(target)s") % {"target": result.target})
    if result.note:
        parts.append(str(result.note))
    return " ".join(parts)[:200]


def audit_measure(*, audit: Audit, by, at: datetime | None = None) -> int:
    """(Re)compute every computed item of the audit; a measure that fails to compute counts as not measurable."""
    at = at or timezone.now()
    items = list(audit.template.items.filter(answer_type=AnswerType.COMPUTED))
    existing = {a.item_id: a for a in audit.answers.filter(item__in=items)}
    for item in items:
        result, label = item_measure(item=item, office=audit.office, at=at)
        judged = scoring.judge_computed(None if result is None else result.passed)
        answer = existing.get(item.pk) or Answer(audit=audit, item=item)
        answer.result, answer.fraction = judged.result, judged.fraction
        answer.computed_value = _measured_text(result, label)
        answer.answered_by, answer.answered_at = by, at
        answer._change_reason = "audits.measure"
        answer.save()
    return len(items)


def _require_conducting(audit: Audit, by) -> None:
    if audit.state != Audit.State.IN_PROGRESS:
        raise TransitionNotAllowed(_("Answers can be given only while the audit is in progress."))
    if not by.has_perm("audits.conduct_audit") or (audit.auditor_id != by.pk and not acts_for_every_office(by)):
        raise PermissionDenied


def _judge(item: ChecklistItem, *, value: str, score, number) -> scoring.Judged:
    if value == "na":
        return scoring.Judged("na", None)
    if item.answer_type == AnswerType.YES_NO:
        if value not in ("yes", "no"):
            raise ValidationError({"value": _("Answer yes, no or not applicable.")})
        return scoring.judge_yes_no(value)
    if item.answer_type == AnswerType.SCORE:
        if score is None or not 0 <= score <= item.max_score:
            raise ValidationError({"score": _("Give a score from 0 to %(max)s.") % {"max": item.max_score}})
        return scoring.judge_score(score=score, max_score=item.max_score, pass_score=item.pass_score)
    if item.answer_type == AnswerType.NUMBER:
        if number is None or number < 0:
            raise ValidationError({"number": _("Give a number (0 or more).")})
        return scoring.judge_number(number=number, target=item.target)
    raise ValidationError(_("This item is computed from the data: add a note or a photo only."))


def audit_answer(*, audit: Audit, item: ChecklistItem, by, value: str = "", score=None, number=None,
                 note: str = "", photo=None, action_owner=None, at: datetime | None = None) -> Answer:
    """Answer one item (or, for a computed item, add a note or a photo). A failed item needs a photo or a note."""
    _require_conducting(audit, by)
    if item.template_id != audit.template_id:
        raise ValidationError(_("This item is not on the audit's checklist."))
    if action_owner is not None and (not action_owner.is_active or action_owner.office_id != audit.office_id):
        raise ValidationError({"action_owner": _("Choose someone of the audited office.")})
    at = at or timezone.now()
    clean = image_clean(photo) if photo is not None else None
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        _require_conducting(audit, by)
        answer = Answer.objects.filter(audit=audit, item=item).first() or Answer(audit=audit, item=item)
        if item.answer_type != AnswerType.COMPUTED:
            judged = _judge(item, value=value, score=score, number=number)
            answer.result, answer.fraction = judged.result, judged.fraction
            answer.score = score if item.answer_type == AnswerType.SCORE and value != "na" else None
            answer.number = number if item.answer_type == AnswerType.NUMBER and value != "na" else None
        elif answer.pk is None:
            raise ValidationError(_("This item is computed when the audit starts."))
        answer.note = note.strip() or answer.note
        answer.action_owner = action_owner or answer.action_owner
        answer.answered_by, answer.answered_at = by, at
        has_photo = clean is not None or (answer.pk is not None and answer.evidence.exists())
        if answer.result == Answer.Result.FAILED and item.answer_type != AnswerType.COMPUTED \
                and not (answer.note or has_photo):
            raise ValidationError({"note": _("A failed item needs a photo or a note.")})
        answer._change_reason = "audits.answer"
        answer.save()
        if clean is not None:
            Evidence.objects.create(answer=answer, image=clean.data, width=clean.width, height=clean.height,
                                    size=len(clean.data), uploaded_by=by, uploaded_at=at)
    return answer


# --- submitting, reviewing, closing ---------------------------------------------------------------------------


def audit_submit(*, audit: Audit, by, at: datetime | None = None) -> Audit:
    """Submit: every item answered; computed items measured again; the score; a corrective action for every
    failed item (the ones still failing after a return keep theirs; withdrawn findings cancel theirs)."""
    from supply_service.audits.services_actions import actions_raise

    at = at or timezone.now()
    if not has_transition_perm(audit.submit, by):
        raise PermissionDenied
    with transaction.atomic():
        audit_measure(audit=audit, by=by, at=at)
        missing = audit.template.items.exclude(pk__in=audit.answers.values("item_id")).count()
        if missing:
            raise ValidationError(ngettext("%(n)s item is not answered yet.", "%(n)s items are not answered yet.",
                                           missing) % {"n": missing})
        audit_rescore(audit=audit)
        audit.submit(at=at)
        audit._change_reason = "audits.submit"
        audit.save()
        actions_raise(audit=audit, by=by, at=at)
    return audit


def audit_rescore(*, audit: Audit) -> Audit:
    rows = [(a.item.weight, a.item.critical, a.result, a.fraction) for a in audit.answers.select_related("item")]
    result = scoring.audit_score(rows)
    audit.score, audit.critical_failed = result.score, result.critical_failed
    audit.passed = result.passed(pass_score=policy_value("audit_pass_score"))
    return audit


def audit_send_back(*, audit: Audit, by, reason: str, at: datetime | None = None) -> Audit:
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the auditor should look at again.")})
    require_same_office(by, audit)
    with transaction.atomic():
        audit.summary = f"{audit.summary}\n— {reason.strip()}".strip()
        return _step(audit, audit.send_back, by, why="audits.send_back", at=at or timezone.now())


def audit_review(*, audit: Audit, by, summary: str = "", at: datetime | None = None) -> Audit:
    """Reviewed by a manager of the office: the re-check date is the latest corrective action's due date."""
    require_same_office(by, audit)
    at = at or timezone.now()
    with transaction.atomic():
        if summary.strip():
            audit.summary = summary.strip()
        audit.recheck_on = _latest_due(audit)
        return _step(audit, audit.review, by, why="audits.review", at=at, by=by)


def _latest_due(audit: Audit) -> date | None:
    from supply_service.core.models import SlaClock

    actions = list(audit.actions.values_list("pk", flat=True))
    if not actions:
        return None
    due = SlaClock.objects.filter(commitment__code="corrective_action", object_id__in=actions,
                                  content_type__model="correctiveaction").order_by("-due_at").values_list(
        "due_at", flat=True).first()
    return timezone.localtime(due).date() if due else None


def audit_close(*, audit: Audit, by, at: datetime | None = None) -> Audit:
    """Closed once every corrective action is verified (or cancelled with a reason)."""
    require_same_office(by, audit)
    open_actions = audit.actions.exclude(state__in=CorrectiveAction.FINAL_STATES).count()
    if open_actions:
        raise TransitionNotAllowed(ngettext(
            "%(n)s corrective action is not verified yet: the audit closes when it is.",
            "%(n)s corrective actions are not verified yet: the audit closes when they are.", open_actions)
            % {"n": open_actions})
    return _step(audit, audit.close, by, why="audits.close", at=at or timezone.now())


def audit_cancel(*, audit: Audit, by, reason: str, at: datetime | None = None) -> Audit:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if audit.auditor_id != by.pk:
        require_same_office(by, audit)
    return _step(audit, audit.cancel, by, why="audits.cancel", at=at or timezone.now(), reason=reason.strip())


def audit_pass_score() -> int:
    return policy_int("audit_pass_score")
