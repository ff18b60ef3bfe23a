"""Corrective actions (整改): raised by failed items when an audit is submitted, owned by someone of the audited
office, due by the `corrective_action` commitment (a kernel SLA clock: the sweep breaches a late one and alerts the
owner and the office's managers — the escalation), reported done by the owner, verified (or sent back) by the
auditor. They are kernel work items: the open-work table, the owner's home and work lists show them."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import has_transition_perm

from supply_service.audits.models import Answer, Audit, CorrectiveAction
from supply_service.core.access import acts_for_every_office, require_same_office
from supply_service.core.models import SlaClock
from supply_service.core.roles import MANAGER
from supply_service.core.selectors import sla_clocks_for_subject
from supply_service.core.services.notifications import notify_staff
from supply_service.core.services.sla import sla_close_for_cancelled, sla_pause, sla_resume, sla_start, sla_stop
from supply_service.core.services.workitems import workitem_prepare, workitem_url

COMMITMENT = "corrective_action"


def default_owner(audit: Audit):
    """Who rectifies when the auditor named nobody: a manager of the audited office, else the auditor."""
    manager = (get_user_model().objects.filter(office=audit.office, is_active=True, groups__name=MANAGER)
               .order_by("pk").first())
    return manager or audit.auditor


def _finding(answer: Answer) -> str:
    parts = [answer.item.question, answer.computed_value, answer.note]
    return "\n".join(p for p in parts if p)


def actions_raise(*, audit: Audit, by, at: datetime) -> list[CorrectiveAction]:
    """One corrective action per failed answer that has none open or verified; findings withdrawn after a return
    cancel theirs. Called by `audit_submit` inside its transaction."""
    raised = []
    failed = list(audit.answers.filter(result=Answer.Result.FAILED).select_related("item", "action_owner"))
    covered = set(audit.actions.exclude(state=CorrectiveAction.State.CANCELLED).values_list("answer_id", flat=True))
    fallback = None
    for answer in failed:
        if answer.pk in covered:
            continue
        fallback = fallback or default_owner(audit)
        raised.append(_raise(audit=audit, answer=answer, owner=answer.action_owner or fallback, by=by, at=at))
    withdrawn = audit.actions.exclude(answer__result=Answer.Result.FAILED).exclude(
        state__in=CorrectiveAction.FINAL_STATES)
    for action in withdrawn:
        _cancel(action, note=_("The finding was withdrawn when the audit was reviewed again."), at=at)
    return raised


def _raise(*, audit: Audit, answer: Answer, owner, by, at: datetime) -> CorrectiveAction:
    action = CorrectiveAction(office=audit.office, channel="", audit=audit, answer=answer, owner=owner,
                              requirement=answer.item.requirement, finding=_finding(answer), callback_due=False)
    workitem_prepare(item=action, by=by, at=at)
    action.owner = owner
    action._change_reason = "audits.raise_action"
    action.save()
    clock = sla_start(subject=action, commitment=COMMITMENT, at=at, owner=owner)
    notify_staff(user=owner, key=f"corrective-action:{action.pk}", at=at, item_number=action.number,
                 url=workitem_url(action),
                 text=lambda: _("Corrective action %(number)s (%(requirement)s) is yours, due %(due)s.") % {
                     "number": action.number, "requirement": action.requirement,
                     "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d")})
    return action


def _open_clock_state(action: CorrectiveAction) -> str | None:
    clock = sla_clocks_for_subject(subject=action).filter(stopped_at__isnull=True).first()
    return clock.state if clock is not None else None


def _save(action: CorrectiveAction, why: str) -> None:
    action._change_reason = why
    action.save()


def action_complete(*, action: CorrectiveAction, by, note: str, at: datetime | None = None) -> CorrectiveAction:
    """The owner (or a manager of the office) reports what was done; the clock waits for the verification (a
    late one stays breached)."""
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if not has_transition_perm(action.complete, by):
        raise PermissionDenied
    require_same_office(by, action)
    if by.pk != action.owner_id and not by.has_perm("audits.review_audit"):
        raise PermissionDenied(_("Only the owner or a manager of the office reports a corrective action done."))
    at = at or timezone.now()
    with transaction.atomic():
        action.complete(at=at, note=note.strip())
        _save(action, "audits.complete_action")
        if _open_clock_state(action) == SlaClock.State.RUNNING:
            sla_pause(subject=action, commitment=COMMITMENT, reason=_("Waiting for the auditor's verification."),
                      by=by, at=at)
        notify_staff(user=action.audit.auditor, key=f"corrective-action-done:{action.pk}:{action.rejections}",
                     at=at, item_number=action.number, url=workitem_url(action),
                     text=lambda: _("%(number)s is reported done: please verify.") % {"number": action.number})
    return action


def _require_verifier(action: CorrectiveAction, by) -> None:
    if action.audit.auditor_id != by.pk and not acts_for_every_office(by):
        raise PermissionDenied(_("The auditor who raised it verifies a corrective action."))


def action_verify(*, action: CorrectiveAction, by, at: datetime | None = None) -> CorrectiveAction:
    if not has_transition_perm(action.verify, by):
        raise PermissionDenied
    _require_verifier(action, by)
    at = at or timezone.now()
    with transaction.atomic():
        action.verify(at=at, by=by)
        _save(action, "audits.verify_action")
        sla_stop(subject=action, commitment=COMMITMENT, at=at)
    return action


def action_reject(*, action: CorrectiveAction, by, note: str, at: datetime | None = None) -> CorrectiveAction:
    """Not done: back to the owner with the auditor's note; the clock runs again (the wait is not counted)."""
    if not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    if not has_transition_perm(action.reject, by):
        raise PermissionDenied
    _require_verifier(action, by)
    at = at or timezone.now()
    with transaction.atomic():
        action.reject(at=at, note=note.strip())
        _save(action, "audits.reject_action")
        if _open_clock_state(action) == SlaClock.State.PAUSED:
            sla_resume(subject=action, commitment=COMMITMENT, by=by, at=at)
        notify_staff(user=action.owner, key=f"corrective-action-back:{action.pk}:{action.rejections}", at=at,
                     item_number=action.number, url=workitem_url(action),
                     text=lambda: _("%(number)s was sent back: %(note)s") % {"number": action.number,
                                                                             "note": note.strip()})
    return action


def _cancel(action: CorrectiveAction, *, note: str, at: datetime) -> None:
    action.cancel(at=at, note=note)
    _save(action, "audits.cancel_action")
    sla_close_for_cancelled(subject=action, reason=note, at=at)


def action_cancel(*, action: CorrectiveAction, by, note: str, at: datetime | None = None) -> CorrectiveAction:
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for cancelling.")})
    if not has_transition_perm(action.cancel, by):
        raise PermissionDenied
    _require_verifier(action, by)
    with transaction.atomic():
        _cancel(action, note=note.strip(), at=at or timezone.now())
    return action
