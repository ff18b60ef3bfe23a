"""The follow-up case of a "not satisfied" rating (the kernel's work lists and homes link here): what was rated,
the callback clock, the callback form and the close step. The clerk who was rated gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supply_service.core.history import history_timeline
from supply_service.core.selectors import sla_clocks_for_subject
from supply_service.core.web import form_errors_to_messages, run_service
from supply_service.counter import selectors
from supply_service.counter.forms import FollowUpCallbackForm
from supply_service.counter.models import RatingFollowUp
from supply_service.counter.services_followup import followup_close, followup_record_callback

VIEW = "counter.view_ratingfollowup"


def _case(request: HttpRequest, number: str) -> RatingFollowUp:
    case = selectors.followup_get(number=number)
    if case is None or case.concerned_clerk_id == request.user.pk:
        raise Http404
    return case


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def followup_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    labels = {"counter.open_followup": _("Opened by the rating"), "counter.record_callback": _("Callback recorded"),
              "counter.close_followup": _("Closed")}
    history = history_timeline(obj=case, labels=labels, created_label=_("Opened by the rating"),
                               changed_label=_("Changed"), included_fields=["state", "owner", "callback_note"],
                               display=lambda model_field, value, users: str(users.get(value, value))[:80])
    steps = {t.name for t in case.get_available_user_state_transitions(request.user)}
    return render(request, "counter/followup_detail.html", {
        "case": case, "rating": case.rating, "ticket": case.rating.ticket, "history": history,
        "clocks": list(sla_clocks_for_subject(subject=case)), "form": FollowUpCallbackForm(),
        "may_call_back": "record_callback" in steps, "may_close": "close" in steps,
    })


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def followup_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    case = _case(request, number)
    if step not in ("callback", "close"):
        raise Http404
    if request.POST.get("seen_state") and request.POST["seen_state"] != case.state:
        messages.error(request, _("Someone else changed this item at the same moment: look at it again."))
    elif step == "close":
        if run_service(request, lambda: followup_close(case=case, by=request.user)):
            messages.success(request, _("Done."))
    else:
        form = FollowUpCallbackForm(request.POST)
        if not form.is_valid():
            form_errors_to_messages(request, form)
        elif run_service(request, lambda: followup_record_callback(case=case, by=request.user, **form.outcome())):
            messages.success(request, _("Done."))
    return redirect("counter:followup", number=case.number)
