"""Audit pages: the list, planning, the audit page, the phone/tablet page where the auditor answers, the steps, the
printable rectification notice (整改通知单) and the photos. Each view names its permission and calls one service;
the services check the rest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supply_service.audits import selectors
from supply_service.audits.forms import AnswerForm, PlanForm, ReasonForm
from supply_service.audits.models import Audit, AuditKind
from supply_service.audits.services import (
    audit_answer,
    audit_cancel,
    audit_close,
    audit_plan,
    audit_plan_recheck,
    audit_review,
    audit_send_back,
    audit_start,
    audit_submit,
)
from supply_service.core.access import may_act_on
from supply_service.core.history import history_timeline
from supply_service.core.services.policy import policy_int
from supply_service.core.web import REFUSALS, form_errors_to_messages, paginate, refusal_messages, run_service

PAGE_SIZE = 25
STEP_ORDER = ["start", "submit", "review", "send_back", "close", "cancel"]


def _audit(number: str) -> Audit:
    audit = selectors.audit_get_by_number(number=number)
    if audit is None:
        raise Http404
    return audit


@require_GET
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in Audit.State.values else ""
    scope = "all" if request.GET.get("scope") == "all" else "office"
    qs = selectors.audit_list_for_user(user=request.user, state=state, scope=scope)
    return render(request, "audits/audit_list.html", {
        "pager": paginate(request, qs, per_page=PAGE_SIZE), "states": Audit.State.choices, "state": state,
        "scope": scope, "can_plan": request.user.has_perm("audits.add_audit"),
    })


@login_required
@permission_required("audits.add_audit", raise_exception=True)
def audit_new(request: HttpRequest) -> HttpResponse:
    initial = {"office": request.user.office_id, "auditor": request.user.pk, "kind": AuditKind.ROUTINE}
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            audit = audit_plan(by=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            for message in refusal_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Audit %(number)s planned.") % {"number": audit.number})
            return redirect("audits:detail", number=audit.number)
    return render(request, "audits/audit_new.html", {"form": form}, status=400 if form.errors else 200)


def _steps(audit: Audit, user) -> list[dict]:
    available = sorted(audit.get_available_user_state_transitions(user),
                       key=lambda t: STEP_ORDER.index(t.name) if t.name in STEP_ORDER else len(STEP_ORDER))
    return [{"name": t.name, "label": t.custom.get("label", t.name), "form": t.custom.get("form", ""),
             "style": t.custom.get("style", "")} for t in available]


def _history(audit: Audit):
    labels = {f"audits.{t.name}": t.custom.get("label") for t in audit.get_all_state_transitions()}
    labels["audits.plan"] = _("Planned")
    return history_timeline(obj=audit, labels=labels, created_label=_("Planned"), changed_label=_("Changed"),
                            included_fields=["state", "score", "passed", "recheck_on", "summary"],
                            display=lambda model_field, value, users: str(value)[:80])


@require_GET
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def audit_detail(request: HttpRequest, number: str) -> HttpResponse:
    audit = _audit(number)
    rows = selectors.audit_rows(audit=audit)
    return render(request, "audits/audit_detail.html", {
        "audit": audit, "rows": rows, "actions": selectors.audit_actions(audit=audit),
        "steps": _steps(audit, request.user), "history": _history(audit),
        "answered": sum(1 for r in rows if r.done), "pass_score": policy_int("audit_pass_score"),
        "can_recheck": audit.state in (Audit.State.REVIEWED, Audit.State.CLOSED)
        and request.user.has_perm("audits.add_audit"),
        "rechecks": list(audit.rechecks.order_by("pk")),
    })


@require_GET
@login_required
@permission_required("audits.conduct_audit", raise_exception=True)
def audit_conduct(request: HttpRequest, number: str) -> HttpResponse:
    """The auditor's page on a phone or tablet: one card per item, answered one at a time."""
    audit = _audit(number)
    rows = selectors.audit_rows(audit=audit)
    owners = list(selectors.office_staff(office_id=audit.office_id))
    return render(request, "audits/audit_conduct.html", {
        "audit": audit, "rows": rows, "owners": owners, "answered": sum(1 for r in rows if r.done),
        "may_answer": audit.state == Audit.State.IN_PROGRESS and audit.auditor_id == request.user.pk,
        "max_kb": policy_int("audit_photo_max_kb"),
    })


@require_POST
@login_required
@permission_required("audits.conduct_audit", raise_exception=True)
def audit_answer_view(request: HttpRequest, number: str, item_id: int) -> HttpResponse:
    audit = _audit(number)
    item = audit.template.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = AnswerForm(request.POST, request.FILES, office_id=audit.office_id)
    back = f"{reverse('audits:conduct', args=[audit.number])}#item-{item.pk}"
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(back)
    data = form.cleaned_data
    value = "" if data["value"] == "note" else data["value"]
    if run_service(request, lambda: audit_answer(
            audit=audit, item=item, by=request.user, value=value, score=data["score"], number=data["number"],
            note=data["note"], photo=data["photo"], action_owner=data["action_owner"])):
        messages.success(request, _("Saved: %(requirement)s.") % {"requirement": item.requirement})
    return redirect(back)


@require_POST
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def audit_step(request: HttpRequest, number: str, action: str) -> HttpResponse:
    audit = _audit(number)
    form = ReasonForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"reason": "", "summary": ""}
    user = request.user
    calls = {
        "start": lambda: audit_start(audit=audit, by=user),
        "submit": lambda: audit_submit(audit=audit, by=user),
        "review": lambda: audit_review(audit=audit, by=user, summary=data["summary"]),
        "send_back": lambda: audit_send_back(audit=audit, by=user, reason=data["reason"]),
        "close": lambda: audit_close(audit=audit, by=user),
        "cancel": lambda: audit_cancel(audit=audit, by=user, reason=data["reason"]),
        "recheck": lambda: audit_plan_recheck(audit=audit, by=user),
    }
    if action not in calls:
        raise Http404
    if request.POST.get("seen_state") and request.POST["seen_state"] != audit.state:
        messages.error(request, _("Someone else changed this audit at the same moment: look at it again."))
        return redirect("audits:detail", number=audit.number)
    result = {}
    if run_service(request, lambda: result.setdefault("value", calls[action]())):
        if action == "recheck":
            messages.success(request, _("Re-check %(number)s planned.") % {"number": result["value"].number})
            return redirect("audits:detail", number=result["value"].number)
        messages.success(request, _("Done."))
        if action == "start":
            return redirect("audits:conduct", number=audit.number)
    return redirect("audits:detail", number=audit.number)


@require_GET
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def audit_notice(request: HttpRequest, number: str) -> HttpResponse:
    """The printable rectification notice (整改通知单): failed items, who rectifies by when, the re-check date."""
    audit = _audit(number)
    if audit.state in (Audit.State.PLANNED, Audit.State.IN_PROGRESS, Audit.State.CANCELLED):
        messages.error(request, _("The rectification notice is ready once the audit is submitted."))
        return redirect("audits:detail", number=audit.number)
    return render(request, "audits/audit_notice.html", {
        "audit": audit, "actions": selectors.audit_actions(audit=audit),
    })


@require_GET
@login_required
def evidence_image(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo, to staff who may see the audit (or own a corrective action of the audited office)."""
    evidence = selectors.evidence_get(pk=pk)
    if evidence is None:
        raise Http404
    audit = evidence.answer.audit
    user = request.user
    if not (user.has_perm("audits.view_audit") or (user.has_perm("audits.view_correctiveaction")
                                                   and may_act_on(user, audit))):
        raise PermissionDenied
    response = HttpResponse(bytes(evidence.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}.jpg"'
    return response

