"""Staff pages: the list, intake, the item page (every step as a small form posted to `do`), reading the sealed
identity, the printable reply letter. Views name their permission and call one service; the services check
permission, office, visibility and state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from supply_service.complaints import forms as f
from supply_service.complaints import services, services_identity
from supply_service.complaints.detail import detail_context
from supply_service.complaints.models import Complaint, CorrectiveAction, IdentityRequest
from supply_service.complaints.notify import promise_text
from supply_service.complaints.selectors import ListFilters, complaint_get, complaint_list, complaint_visible_to
from supply_service.core.concurrency import seen_state_matches
from supply_service.core.roles import default_channel
from supply_service.core.web import (
    CONCURRENT_MESSAGE,
    form_errors_to_messages,
    paginate,
    run_service,
    service_errors_to_form,
)

PAGE_SIZE = 25
VIEW = "complaints.view_complaint"


def complaint_for_viewer(request: HttpRequest, number: str) -> Complaint:
    """The item if the user may see it: no view permission 403; an item hidden from this user (a report without
    the report permission, an item about the user) is answered like a missing one, 404."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    complaint = complaint_get(number=number)
    if complaint is None or not complaint_visible_to(user=request.user, complaint=complaint):
        raise Http404
    return complaint


@login_required
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    form = f.ListForm(request.GET)
    data = form.valid_data()
    user = request.user
    filters = ListFilters(office_id=user.office_id if data["scope"] == "office" else None,
                          owner_id=user.pk if data["scope"] == "mine" else None, kind=data["kind"],
                          state=data["state"], query=data["q"], open_only=not data["q"])
    if filters.office_id is None and filters.owner_id is None:
        filters.owner_id = user.pk
    pager = paginate(request, complaint_list(user=user, filters=filters), per_page=PAGE_SIZE)
    return render(request, "complaints/complaint_list.html", {
        "form": form, "pager": pager, "can_add": user.has_perm("complaints.add_complaint")})


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("complaints.add_complaint"):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = f.StaffIntakeForm(request.POST, office=user.office)
        status = 400
        if form.is_valid():
            try:
                complaint, _secret = services.complaint_create(by=user, **form.fields_for_service())
            except ValidationError as exc:
                service_errors_to_form(form, exc)
            except (PermissionDenied, TransitionNotAllowed):
                form.add_error(None, _("You may not take this in: nothing was saved."))
            else:
                messages.success(request, _("%(number)s was received. Tell the customer: %(promise)s") % {
                    "number": complaint.number, "promise": promise_text(complaint.kind)})
                if complaint_visible_to(user=user, complaint=complaint):
                    return redirect("complaints:detail", number=complaint.number)
                return redirect("complaints:new")
    else:
        form = f.StaffIntakeForm(office=user.office, initial={"channel": default_channel(user)})
    return render(request, "complaints/complaint_new.html", {"form": form}, status=status)


@login_required
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    complaint = complaint_for_viewer(request, number)
    return render(request, "complaints/complaint_detail.html", detail_context(complaint, request.user))


@login_required
def complaint_letter(request: HttpRequest, number: str) -> HttpResponse:
    """The printable reply letter (for written complaints). The addressee is written by hand from the sealed
    record: the identity is never printed by the software."""
    complaint = complaint_for_viewer(request, number)
    if not complaint.reply_text:
        raise Http404
    return render(request, "complaints/complaint_letter.html",
                  {"complaint": complaint, "printed_at": timezone.now()})


@never_cache
@require_POST
@login_required
def complaint_identity(request: HttpRequest, number: str) -> HttpResponse:
    """POST with a reason: the sealed identity, logged. Never cached, never in a GET."""
    complaint = complaint_for_viewer(request, number)
    form = f.IdentityReadForm(request.POST, prefix="identity")
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("complaints:detail", number=complaint.number)
    try:
        identity = services_identity.identity_read(complaint=complaint, by=request.user,
                                                   reason=form.cleaned_data["reason"], where="staff page")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc) or _("You may not take this step.")]))
        return redirect("complaints:detail", number=complaint.number)
    return render(request, "complaints/complaint_identity.html", {"complaint": complaint, "identity": identity})


# --- the steps ----------------------------------------------------------------------------------------------------

def _transition(action, form_class=None, **extra):
    def run(request, complaint, prefix):
        form = form_class(request.POST, prefix=prefix, **extra_kwargs(complaint)) if form_class else None
        if form is not None and not form.is_valid():
            return form
        data = dict(form.cleaned_data) if form is not None else {}
        return lambda: services.complaint_transition(complaint=complaint, action=action, by=request.user, **data)

    def extra_kwargs(complaint):
        return {key: getattr(complaint, value) for key, value in extra.items()}

    return run


def _with_form(form_class, call, **extra):
    def run(request, complaint, prefix):
        kwargs = {key: getattr(complaint, value) for key, value in extra.items()}
        form = form_class(request.POST, prefix=prefix, **kwargs)
        if not form.is_valid():
            return form
        return lambda: call(request, complaint, form.cleaned_data)

    return run


def _plain(call):
    return lambda request, complaint, prefix: (lambda: call(request, complaint))


def _action_done(request, complaint, data):
    action = CorrectiveAction.objects.filter(pk=data["action_id"], complaint=complaint).first()
    if action is None:
        raise ValidationError(_("No such corrective action."))
    services.corrective_action_done(action=action, by=request.user, note=data.get("note") or "")


def _decide(request, complaint, data):
    identity_request = IdentityRequest.objects.filter(pk=data["request_id"], complaint=complaint).first()
    if identity_request is None:
        raise ValidationError(_("No such request."))
    services_identity.identity_request_decide(request=identity_request, by=request.user,
                                              approve=data["decision"] == "approve")


STEPS = {
    "accept": _transition("accept", f.ClassifyForm),
    "reject": _transition("reject", f.ReasonForm),
    "return_draft": _transition("return_draft", f.ReasonForm),
    "assign": _transition("assign", f.AssignForm, office_id="office_id"),
    "approve_reply": _transition("approve_reply"),
    "send_reply": _transition("send_reply", f.ReplyChannelForm),
    "close": _transition("close"),
    "draft_reply": _with_form(f.DraftForm, lambda r, c, d: services.complaint_draft(complaint=c, by=r.user, **d)),
    "merge": _with_form(f.MergeForm, lambda r, c, d: services.complaint_merge(
        complaint=c, original_number=d["original"], by=r.user)),
    "callback": _with_form(f.CallbackForm, lambda r, c, d: services.complaint_callback(
        complaint=c, by=r.user, outcome=d["outcome"], note=d.get("note") or "")),
    "close_without_callback": _with_form(f.NoCallbackForm, lambda r, c, d: services.complaint_close_without_callback(
        complaint=c, by=r.user, reason=d["reason"], due=d["due"])),
    "supervise": _with_form(f.NoteForm, lambda r, c, d: services.complaint_supervise(complaint=c, by=r.user,
                                                                                      note=d["note"])),
    "pause": _with_form(f.ReasonForm, lambda r, c, d: services.complaint_pause_clocks(complaint=c, by=r.user,
                                                                                       reason=d["reason"])),
    "resume": _plain(lambda r, c: services.complaint_resume_clocks(complaint=c, by=r.user)),
    "first_contact": _plain(lambda r, c: services.complaint_record_first_contact(complaint=c, by=r.user)),
    "action_add": _with_form(f.CorrectiveActionForm, lambda r, c, d: services.corrective_action_add(
        complaint=c, by=r.user, **d), office_id="office_id"),
    "action_done": _with_form(f.ActionDoneForm, _action_done),
    "identity_request": _with_form(f.ReasonForm, lambda r, c, d: services_identity.identity_request_create(
        complaint=c, by=r.user, reason=d["reason"])),
    "identity_decide": _with_form(f.DecideForm, _decide),
}
# Steps that do not move the machine: no `seen_state` needed.
STATELESS = {"supervise", "pause", "resume", "first_contact", "action_add", "action_done", "identity_request",
             "identity_decide"}


@require_POST
@login_required
def complaint_do(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step of the item page; a refusal or bad input is a message, and nothing changes."""
    complaint = complaint_for_viewer(request, number)
    back = redirect("complaints:detail", number=complaint.number)
    step = STEPS.get(action)
    if step is None:
        messages.error(request, _("That is not a step of this item."))
        return back
    if action not in STATELESS and not seen_state_matches(request.POST, complaint):
        messages.error(request, CONCURRENT_MESSAGE)
        return back
    call = step(request, complaint, action)
    if not callable(call):  # a form with errors
        form_errors_to_messages(request, call)
        return back
    if run_service(request, call):
        messages.success(request, _("Done."))
    return back
