"""The corrective action's page (the kernel's work lists link here) and its steps: done, verified, sent back,
cancelled."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supply_service.audits import selectors
from supply_service.audits.forms import NoteForm
from supply_service.audits.models import CorrectiveAction
from supply_service.audits.services_actions import action_cancel, action_complete, action_reject, action_verify
from supply_service.core.history import history_timeline
from supply_service.core.selectors import sla_clocks_for_subject
from supply_service.core.web import run_service

STEP_ORDER = ["complete", "verify", "reject", "cancel"]


def _action(number: str) -> CorrectiveAction:
    action = selectors.action_get_by_number(number=number)
    if action is None:
        raise Http404
    return action


def _steps(action: CorrectiveAction, user) -> list[dict]:
    available = sorted(action.get_available_user_state_transitions(user),
                       key=lambda t: STEP_ORDER.index(t.name) if t.name in STEP_ORDER else len(STEP_ORDER))
    return [{"name": t.name, "label": t.custom.get("label", t.name), "form": t.custom.get("form", ""),
             "style": t.custom.get("style", "")} for t in available]


@require_GET
@login_required
@permission_required("audits.view_correctiveaction", raise_exception=True)
def action_detail(request: HttpRequest, number: str) -> HttpResponse:
    action = _action(number)
    labels = {f"audits.{t.name}_action": t.custom.get("label") for t in action.get_all_state_transitions()}
    labels["audits.raise_action"] = _("Raised by the audit")
    history = history_timeline(obj=action, labels=labels, created_label=_("Raised by the audit"),
                               changed_label=_("Changed"), included_fields=["state", "owner", "done_note"],
                               display=lambda model_field, value, users: str(users.get(value, value))[:80])
    return render(request, "audits/action_detail.html", {
        "action": action, "steps": _steps(action, request.user), "history": history,
        "clocks": list(sla_clocks_for_subject(subject=action)),
        "photos": selectors.evidence_ids_for_answer(answer_id=action.answer_id),
    })


@require_POST
@login_required
@permission_required("audits.view_correctiveaction", raise_exception=True)
def action_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    action = _action(number)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    user = request.user
    calls = {
        "complete": lambda: action_complete(action=action, by=user, note=note),
        "verify": lambda: action_verify(action=action, by=user),
        "reject": lambda: action_reject(action=action, by=user, note=note),
        "cancel": lambda: action_cancel(action=action, by=user, note=note),
    }
    if step not in calls:
        raise Http404
    if request.POST.get("seen_state") and request.POST["seen_state"] != action.state:
        messages.error(request, _("Someone else changed this item at the same moment: look at it again."))
    elif run_service(request, calls[step]):
        messages.success(request, _("Done."))
    return redirect("audits:action_detail", number=action.number)
