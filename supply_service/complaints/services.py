"""Complaint use-cases: intake, every step of the machine (with its clocks), merge, callback, supervision (督办),
corrective actions. Each checks the permission, the office rule and the visibility rule, runs in one transaction,
and leaves side effects (messages to the customer) to the outbox."""

import secrets
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from supply_service.complaints import notify
from supply_service.complaints.models import (
    CATEGORIES_BY_KIND,
    DEFAULT_CATEGORY,
    FIRST_CONTACT_COMMITMENT,
    FIRST_CONTACT_KINDS,
    REPLY_COMMITMENT,
    Complaint,
    CorrectiveAction,
    Finding,
    Kind,
    ReplyChannel,
    ReporterIdentity,
    RootCause,
    State,
)
from supply_service.complaints.selectors import complaint_visible_to
from supply_service.core.access import require_office, require_same_office
from supply_service.core.models import Callback, SlaClock
from supply_service.core.selectors import sla_clocks_for_subject
from supply_service.core.services.notifications import notify_staff
from supply_service.core.services.policy import policy_int
from supply_service.core.services.sla import (
    sla_close_for_cancelled,
    sla_pause,
    sla_reassign,
    sla_resume,
    sla_start,
    sla_stop,
)
from supply_service.core.services.workitems import (
    callback_attempts,
    callback_record,
    workitem_chase,
    workitem_prepare,
    workitem_record_no_callback,
    workitem_url,
)

SECRET_BYTES = 9  # 12 characters of URL-safe base64


def _save(complaint: Complaint, reason: str, **kwargs) -> None:
    complaint._change_reason = reason
    complaint.save(**kwargs)


def _require_visible(by, complaint: Complaint) -> None:
    if not complaint_visible_to(user=by, complaint=complaint):
        raise PermissionDenied


def _require_change(by, complaint: Complaint) -> None:
    _require_visible(by, complaint)
    require_same_office(by, complaint)


def _clean_identity(identity: dict | None) -> dict:
    identity = {key: (value or "").strip() for key, value in (identity or {}).items()}
    return {key: value for key, value in identity.items() if value}


def _check_category(kind: str, category: str) -> str:
    category = category or DEFAULT_CATEGORY.get(kind, "")
    if category not in CATEGORIES_BY_KIND.get(kind, []):
        raise ValidationError({"category": _("Choose a category of this kind.")})
    return category


def _start_clocks(complaint: Complaint, at: datetime, *, contact: bool) -> None:
    code = REPLY_COMMITMENT.get(complaint.kind)
    if code:
        sla_start(subject=complaint, commitment=code, at=at)
    if contact and complaint.kind in FIRST_CONTACT_KINDS:
        sla_start(subject=complaint, commitment=FIRST_CONTACT_COMMITMENT, at=at)


def complaint_new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def complaint_receive(*, office, receiver, kind: str, channel: str, summary: str, description: str,
                      category: str = "", identity: dict | None = None, customer=None, language: str = "",
                      ticket_number: str = "", outage_number: str = "", concerned_staff=None,
                      at: datetime | None = None) -> tuple[Complaint, str]:
    """Take an item in (no permission check: the staff and public entry points check theirs). Returns the item and
    its tracking secret (shown once; only its hash is kept)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what kind of message this is.")})
    summary, description = (summary or "").strip(), (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Write down what happened.")})
    identity = _clean_identity(identity)
    at = at or timezone.now()
    secret = complaint_new_secret()
    complaint = Complaint(
        office=office, kind=kind, category=_check_category(kind, category), channel=channel,
        summary=(summary or description)[:200], description=description, anonymous=not identity,
        language=language[:10], customer=None if kind == Kind.REPORT else customer,
        account_number="" if kind == Kind.REPORT or customer is None else customer.account_number,
        ticket_number=ticket_number.strip().upper()[:24], outage_number=outage_number.strip().upper()[:24],
        concerned_staff=concerned_staff, tracking_secret=make_password(secret),
        callback_due=bool(identity.get("phone") or identity.get("email")) and kind != Kind.PRAISE,
    )
    with transaction.atomic():
        workitem_prepare(item=complaint, by=receiver, at=at)
        complaint.full_clean(exclude=["state", "number", "first_responder", "owner", "office", "customer",
                                      "concerned_staff", "tracking_secret"])
        _save(complaint, "complaints.create")
        ReporterIdentity.objects.create(complaint=complaint, **identity)
        _start_clocks(complaint, at, contact=bool(identity.get("phone") or identity.get("email")))
        notify.acknowledge(complaint=complaint, identity=identity)
    return complaint, secret


def complaint_create(*, by, kind: str, channel: str, description: str, office=None, **fields) -> tuple[Complaint, str]:
    """Staff intake (counter, 95598, fax, mail): needs `complaints.add_complaint`; the receiver is the first
    responder (S10.3.3)."""
    if not by.has_perm("complaints.add_complaint"):
        raise PermissionDenied
    office = office or by.office
    if office is None:
        raise ValidationError(_("Your account has no office: ask a manager to set it."))
    require_office(by, office)
    return complaint_receive(office=office, receiver=by, kind=kind, channel=channel, description=description,
                             **fields)


# --- the machine --------------------------------------------------------------------------------------------------

# What each step does to the clocks: (start|stop, commitment code or "reply" for the kind's reply commitment).
CLOCKS = {
    "send_reply": [("stop", "reply"), ("stop", FIRST_CONTACT_COMMITMENT)],
    "reopen": [("start", "reply")],
}
DEDICATED = {"mark_duplicate", "call_back", "reopen"}


def _apply_clocks(complaint: Complaint, step: str, at: datetime) -> None:
    for action, code in CLOCKS.get(step, []):
        code = REPLY_COMMITMENT.get(complaint.kind) if code == "reply" else code
        if not code:
            continue
        if action == "start":
            sla_start(subject=complaint, commitment=code, at=at)
        else:
            sla_stop(subject=complaint, commitment=code, at=at)


def _step_data(complaint: Complaint, action: str, by, data: dict) -> dict:
    """The checked arguments of one step (a refusal raises ValidationError and nothing changes)."""
    if action == "accept":
        return {"category": _check_category(complaint.kind, data.get("category", ""))}
    if action in ("reject", "return_draft"):
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason.")})
        return {"reason": reason[:255]}
    if action == "assign":
        return {"handler": _handler(complaint, data.get("handler"))}
    if action == "draft_reply":
        return {"by": by}
    if action == "approve_reply":
        if complaint.reply_drafted_by_id == by.pk:
            raise ValidationError(_("A second person approves a reply: not the one who drafted it."))
        return {"by": by}
    if action == "send_reply":
        channel = data.get("channel") or ""
        if channel not in ReplyChannel.values:
            raise ValidationError({"channel": _("Choose how the reply was sent.")})
        return {"channel": channel}
    return {}


def _handler(complaint: Complaint, handler):
    if handler is None or not getattr(handler, "is_active", False):
        raise ValidationError({"handler": _("Choose the handler.")})
    if handler.office_id != complaint.office_id or not handler.has_perm("complaints.investigate_complaint"):
        raise ValidationError({"handler": _("The handler must investigate complaints in this office.")})
    if complaint.concerned_staff_id == handler.pk:
        raise ValidationError({"handler": _("The staff member concerned cannot investigate it.")})
    return handler


def complaint_draft(*, complaint: Complaint, by, finding: str = "", root_cause: str = "", findings_note: str = "",
                    reply_text: str = "", at: datetime | None = None) -> Complaint:
    """Record the findings and the reply text, then move to "reply drafted"."""
    _require_change(by, complaint)
    if complaint.state != State.INVESTIGATING:
        raise TransitionNotAllowed(_("A reply is drafted while the item is investigated."))
    if not by.has_perm("complaints.investigate_complaint"):
        raise PermissionDenied
    if complaint.kind in (Kind.COMPLAINT, Kind.REPORT) and (finding not in Finding.values
                                                           or root_cause not in RootCause.values):
        raise ValidationError(_("Record the finding and the root cause."))
    if not reply_text.strip():
        raise ValidationError({"reply_text": _("Write the reply.")})
    complaint.finding, complaint.root_cause = finding or "", root_cause or ""
    complaint.findings_note, complaint.reply_text = findings_note.strip(), reply_text.strip()
    return complaint_transition(complaint=complaint, action="draft_reply", by=by, at=at)


def complaint_transition(*, complaint: Complaint, action: str, by, at: datetime | None = None, **data) -> Complaint:
    """Take one step of the machine as `by`, with the clocks it starts and stops, and its message to the customer."""
    _require_change(by, complaint)
    if action in DEDICATED or action not in {t.name for t in complaint.get_all_state_transitions()}:
        raise ValidationError(_("That is not a step of this item."))
    method = getattr(complaint, action)
    if not can_proceed(method):
        raise TransitionNotAllowed(_("This step is not possible in the item's present state."))
    if not has_transition_perm(method, by):
        raise PermissionDenied
    arguments = _step_data(complaint, action, by, data)
    at = at or timezone.now()
    with transaction.atomic():
        method(at=at, **arguments)
        _save(complaint, f"complaints.{action}")
        _apply_clocks(complaint, action, at)
        if action == "assign":
            _assigned(complaint, by, at)
        if action == "reject":
            sla_close_for_cancelled(subject=complaint, reason=_("Rejected: %(reason)s") % arguments, at=at)
        if action == "send_reply":
            notify.reply_sent(complaint=complaint)
    return complaint


def _assigned(complaint: Complaint, by, at: datetime) -> None:
    """The handler owns the item and its clocks from now on, and is told (no customer detail in the text)."""
    sla_reassign(subject=complaint, owner=complaint.owner)
    if complaint.owner_id != by.pk:
        notify_staff(user=complaint.owner, key=f"complaint-assign:{complaint.number}:{int(at.timestamp())}", at=at,
                     item_number=complaint.number, url=workitem_url(complaint),
                     text=lambda: _("%(number)s was assigned to you for investigation") % {"number": complaint.number})


def complaint_merge(*, complaint: Complaint, original_number: str, by, at: datetime | None = None) -> Complaint:
    """Merge a duplicate into the original: the duplicate is kept (state "duplicate", with its own history and a
    link), the original records the merged number in its history; the duplicate's clocks are waived."""
    from supply_service.complaints.selectors import complaint_get

    _require_change(by, complaint)
    original = complaint_get(number=(original_number or "").strip())
    if original is None or original.pk == complaint.pk or not complaint_visible_to(user=by, complaint=original):
        raise ValidationError({"original": _("Give the number of the original item.")})
    if original.office_id != complaint.office_id or not original.is_open or original.duplicate_of_id:
        raise ValidationError({"original": _("The original must be open and of the same office.")})
    if not can_proceed(complaint.mark_duplicate):
        raise TransitionNotAllowed(_("This step is not possible in the item's present state."))
    if not has_transition_perm(complaint.mark_duplicate, by):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        complaint.mark_duplicate(at=at, original=original)
        _save(complaint, "complaints.mark_duplicate")
        sla_close_for_cancelled(subject=complaint, reason=_("Merged into %(number)s") % {"number": original.number},
                                at=at)
        original.merged_numbers = ", ".join(filter(None, [original.merged_numbers, complaint.number]))[:255]
        _save(original, "complaints.merged", update_fields=["merged_numbers", "updated_at"])
    return complaint


def complaint_record_first_contact(*, complaint: Complaint, by, at: datetime | None = None) -> Complaint:
    """The handler reached the complainant (State Grid's first-contact promise): the first-contact clock stops.
    This is NOT the reply: the reply clock runs on until the final answer is sent."""
    _require_change(by, complaint)
    if not by.has_perm("complaints.investigate_complaint"):
        raise PermissionDenied
    if complaint.first_contact_at is not None or not complaint.is_open:
        raise ValidationError(_("The first contact is already recorded."))
    at = at or timezone.now()
    with transaction.atomic():
        complaint.first_contact_at = at
        _save(complaint, "complaints.first_contact", update_fields=["first_contact_at", "updated_at"])
        sla_stop(subject=complaint, commitment=FIRST_CONTACT_COMMITMENT, at=at)
    return complaint


def complaint_callback(*, complaint: Complaint, by, outcome: str, note: str = "",
                       at: datetime | None = None) -> Complaint:
    """Call back after the reply (S13.5): satisfied → called back; not satisfied → reopened (investigated again,
    a new reply clock); unreachable → after the policy's attempts the loop closes with that reason."""
    _require_change(by, complaint)
    if not by.has_perm("complaints.callback_complaint"):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state != State.REPLIED:
            raise ValidationError(_("Call back only after the reply was sent."))
        _callback_in_lock(complaint=locked, by=by, outcome=outcome, note=note, at=at)
    complaint.refresh_from_db()
    return complaint


def _callback_in_lock(*, complaint: Complaint, by, outcome: str, note: str, at: datetime) -> None:
    callback_record(item=complaint, by=by, outcome=outcome, note=note, at=at)
    if outcome == Callback.Outcome.SATISFIED:
        complaint.call_back(at=at)
        _save(complaint, "complaints.call_back")
    elif outcome == Callback.Outcome.UNSATISFIED:
        complaint.reopen(at=at)
        _save(complaint, "complaints.reopen")
        _apply_clocks(complaint, "reopen", at)
    else:
        attempts = callback_attempts(item=complaint, since=complaint.replied_at)
        if attempts >= policy_int("callback_max_attempts") and not complaint.corrective_actions.filter(
                done_at__isnull=True).exists():
            reason = ngettext("Customer unreachable after %(count)s callback attempt",
                              "Customer unreachable after %(count)s callback attempts", attempts) % {"count": attempts}
            workitem_record_no_callback(item=complaint, reason=reason)
            complaint.close(at=at)
            _save(complaint, "complaints.close")


def complaint_close_without_callback(*, complaint: Complaint, by, reason: str, due: bool = True,
                                     at: datetime | None = None) -> Complaint:
    """Close with the reason there is no callback (anonymous, declined: `due=False` leaves the callback rate)."""
    _require_change(by, complaint)
    if not by.has_perm("complaints.close_complaint"):
        raise PermissionDenied
    if complaint.state != State.REPLIED:
        raise ValidationError(_("Only a replied item can be closed without a callback."))
    with transaction.atomic():
        workitem_record_no_callback(item=complaint, reason=reason, due=due)
        return complaint_transition(complaint=complaint, action="close", by=by, at=at)


def complaint_supervise(*, complaint: Complaint, by, note: str, at: datetime | None = None):
    """A manager supervises (督办) the item (S13.4): recorded as a chase, the owner is told; the item is marked
    supervised from the first time on."""
    _require_change(by, complaint)
    if not by.has_perm("complaints.supervise_complaint"):
        raise PermissionDenied
    if not complaint.is_open:
        raise ValidationError(_("A closed item cannot be supervised."))
    at = at or timezone.now()
    with transaction.atomic():
        chase = workitem_chase(item=complaint, by=by, note=note, at=at)
        if complaint.supervised_at is None:
            complaint.supervised_at, complaint.supervised_by = at, by
            _save(complaint, "complaints.supervise", update_fields=["supervised_at", "supervised_by", "updated_at"])
    return chase


def _pausable(complaint: Complaint, by) -> None:
    _require_change(by, complaint)
    if not by.has_perm("complaints.pause_complaint"):
        raise PermissionDenied


def complaint_pause_clocks(*, complaint: Complaint, by, reason: str, at: datetime | None = None) -> int:
    """Pause every running clock, with the reason (waiting for the customer's evidence …)."""
    _pausable(complaint, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason the clock is paused.")})
    running = [c for c in sla_clocks_for_subject(subject=complaint) if c.state == SlaClock.State.RUNNING]
    if not complaint.is_open or not running:
        raise ValidationError(_("No clock of this item is running."))
    at = at or timezone.now()
    with transaction.atomic():
        for clock in running:
            sla_pause(subject=complaint, commitment=clock.commitment.code, reason=reason, by=by, at=at)
        _save(complaint, "complaints.pause", update_fields=["updated_at"])
    return len(running)


def complaint_resume_clocks(*, complaint: Complaint, by, at: datetime | None = None) -> int:
    _pausable(complaint, by)
    paused = [c for c in sla_clocks_for_subject(subject=complaint) if c.state == SlaClock.State.PAUSED]
    if not paused:
        raise ValidationError(_("No clock of this item is paused."))
    at = at or timezone.now()
    with transaction.atomic():
        for clock in paused:
            sla_resume(subject=complaint, commitment=clock.commitment.code, by=by, at=at)
        _save(complaint, "complaints.resume", update_fields=["updated_at"])
    return len(paused)


# --- corrective actions -------------------------------------------------------------------------------------------

def corrective_action_add(*, complaint: Complaint, by, description: str, owner, due_date: date,
                          at: datetime | None = None) -> CorrectiveAction:
    _require_change(by, complaint)
    if not by.has_perm("complaints.add_correctiveaction"):
        raise PermissionDenied
    if not complaint.is_open:
        raise ValidationError(_("A closed item takes no new corrective action."))
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the corrective action.")})
    if owner is None or not owner.is_active or owner.office_id != complaint.office_id:
        raise ValidationError({"owner": _("Choose an owner in this office.")})
    at = at or timezone.now()
    if due_date is None or due_date < timezone.localdate(at):
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    action = CorrectiveAction(complaint=complaint, description=description.strip()[:255], owner=owner,
                              due_date=due_date, created_at=at, created_by=by)
    action._change_reason = "complaints.action_add"
    action.save()
    return action


def corrective_action_done(*, action: CorrectiveAction, by, note: str = "", at: datetime | None = None):
    """The action's owner, or whoever may change corrective actions, closes it."""
    complaint = action.complaint
    _require_visible(by, complaint)
    require_same_office(by, complaint)
    if by.pk != action.owner_id and not by.has_perm("complaints.change_correctiveaction"):
        raise PermissionDenied
    with transaction.atomic():
        locked = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This corrective action is already done."))
        locked.done_at, locked.done_by, locked.done_note = at or timezone.now(), by, (note or "").strip()[:255]
        locked._change_reason = "complaints.action_done"
        locked.save()
    return locked
