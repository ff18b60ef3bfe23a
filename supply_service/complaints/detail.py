"""What the item page shows a user: the summary, the steps this user may take now (each with its small form), the
clocks, corrective actions, callbacks and supervision, the identity panel, the timeline."""

from django.utils import timezone

from supply_service.complaints import forms as f
from supply_service.complaints.models import FIRST_CONTACT_KINDS, Complaint, IdentityRequest, State
from supply_service.complaints.selectors import complaint_history
from supply_service.complaints.services_identity import identity_approval_valid_since
from supply_service.core.access import may_act_on
from supply_service.core.models import Callback, Chase, SlaClock
from supply_service.core.selectors import sla_clocks_for_subject, sla_signal
from supply_service.core.services.policy import policy_int

STEP_FORMS = {
    "accept": f.ClassifyForm, "reject": f.ReasonForm, "return_draft": f.ReasonForm, "assign": f.AssignForm,
    "draft_reply": f.DraftForm, "send_reply": f.ReplyChannelForm,
}
HIDDEN = {"call_back", "reopen", "mark_duplicate"}


def _steps(complaint: Complaint, user) -> list[dict]:
    order = {name: index for index, name in enumerate(type(complaint).__dict__)}
    steps = []
    for t in complaint.get_available_user_state_transitions(user):
        if t.name in HIDDEN:
            continue
        form_class = STEP_FORMS.get(t.name)
        form = None
        if form_class is f.AssignForm:
            form = form_class(office_id=complaint.office_id, prefix=t.name)
        elif form_class is f.ClassifyForm:
            form = form_class(initial={"category": complaint.category}, prefix=t.name)
        elif form_class is f.DraftForm:
            form = form_class(initial={k: getattr(complaint, k) for k in ("finding", "root_cause", "findings_note",
                                                                          "reply_text")}, prefix=t.name)
        elif form_class is not None:
            form = form_class(prefix=t.name)
        steps.append({"name": t.name, "label": str(t.custom.get("label", t.name)), "form": form,
                      "style": t.custom.get("style", "")})
    # draft_reply's condition needs the text first: offer it while investigating to whoever may investigate
    if complaint.state == State.INVESTIGATING and user.has_perm("complaints.investigate_complaint") and not any(
            s["name"] == "draft_reply" for s in steps):
        initial = {k: getattr(complaint, k) for k in ("finding", "root_cause", "findings_note", "reply_text")}
        steps.append({"name": "draft_reply", "label": str(Complaint.draft_reply._django_fsm.transitions[
            State.INVESTIGATING].custom["label"]), "form": f.DraftForm(initial=initial, prefix="draft_reply"),
            "style": ""})
    return sorted(steps, key=lambda s: (s["style"] == "danger", order.get(s["name"], 99)))


def _identity_panel(complaint: Complaint, user, can_change: bool) -> dict:
    if not user.has_perm("complaints.view_reporter_identity") or complaint.identity_erased_at:
        return {"identity_panel": False}
    requests = list(complaint.identity_requests.select_related("requested_by", "decided_by")) \
        if complaint.is_report else []
    mine = [r for r in requests if r.requested_by_id == user.pk]
    approved = [r for r in mine if r.state == IdentityRequest.State.APPROVED and r.used_at is None]
    if approved:  # an approval allows one read within the policy's hours (a query only when there is one)
        since = identity_approval_valid_since()
        approved = [r for r in approved if r.decided_at and r.decided_at >= since]
    return {
        "identity_panel": True,
        "identity_needs_approval": complaint.is_report,
        "identity_approved": not complaint.is_report or bool(approved),
        "identity_pending": any(r.state == IdentityRequest.State.PENDING for r in mine),
        "identity_requests": requests,
        "may_decide": can_change and user.has_perm("complaints.approve_identity_request"),
        "request_form": f.ReasonForm(prefix="identity_request"),
        "read_form": f.IdentityReadForm(prefix="identity"),
    }


def detail_context(complaint: Complaint, user) -> dict:
    now = timezone.now()
    can_change = may_act_on(user, complaint)
    clocks = [{"clock": c, "signal": sla_signal(c, now=now)} for c in sla_clocks_for_subject(subject=complaint)]
    states = {row["clock"].state for row in clocks}
    actions = list(complaint.corrective_actions.select_related("owner", "done_by"))
    open_item = complaint.is_open
    may = user.has_perm
    return {
        "complaint": complaint,
        "can_change": can_change,
        "steps": _steps(complaint, user) if can_change else [],
        "clocks": clocks,
        "history": complaint_history(complaint=complaint),
        "callbacks": list(Callback.objects.for_item(complaint).select_related("by")),
        "chases": list(Chase.objects.for_item(complaint).select_related("by")),
        "duplicates": list(complaint.duplicates.only("number", "state", "created_at")),
        "corrective_actions": actions,
        "show_merge": can_change and complaint.state in (State.RECEIVED, State.ACCEPTED) and may(
            "complaints.accept_complaint"),
        "show_callback": can_change and complaint.state == State.REPLIED and may("complaints.callback_complaint"),
        "callback_max": policy_int("callback_max_attempts"),
        "show_no_callback": can_change and complaint.state == State.REPLIED and may("complaints.close_complaint"),
        "show_first_contact": can_change and open_item and complaint.first_contact_at is None
        and complaint.kind in FIRST_CONTACT_KINDS and not complaint.anonymous
        and may("complaints.investigate_complaint"),
        "show_supervise": can_change and open_item and may("complaints.supervise_complaint"),
        "show_pause": can_change and open_item and may("complaints.pause_complaint")
        and SlaClock.State.RUNNING in states,
        "show_resume": can_change and may("complaints.pause_complaint") and SlaClock.State.PAUSED in states,
        "show_action_add": can_change and open_item and may("complaints.add_correctiveaction"),
        "action_form": f.CorrectiveActionForm(office_id=complaint.office_id, prefix="action_add"),
        "callback_form": f.CallbackForm(prefix="callback"),
        "merge_form": f.MergeForm(prefix="merge"),
        "no_callback_form": f.NoCallbackForm(prefix="close_without_callback"),
        "supervise_form": f.NoteForm(prefix="supervise"),
        "pause_form": f.ReasonForm(prefix="pause"),
        "can_close_actions": can_change,
        **_identity_panel(complaint, user, can_change),
    }
