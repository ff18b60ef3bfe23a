"""Staff outage pages: the list, the notice page (summary, steps, clocks, notifications, affected customers, linked
repair calls, history), the steps themselves and "retry failed". Every view names its permission; the steps'
own permissions are checked by the services."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from supply_service.core.concurrency import seen_state_matches
from supply_service.core.history import HistoryEntry, history_timeline
from supply_service.core.models import Outbox
from supply_service.core.panels import panels_for
from supply_service.core.selectors import sla_clocks_for_subject, sla_signal
from supply_service.core.web import form_errors_to_messages, paginate, refusal_message, run_service
from supply_service.customers.selectors import mask_name
from supply_service.outages.forms import CancelForm, PublishForm, RescheduleForm, StaffListForm
from supply_service.outages.models import OutageNotice
from supply_service.outages.rows import staff_notice_rows_html
from supply_service.outages.selectors import notice_affected, notice_delivery_counts, notice_list_for_staff
from supply_service.outages.services import (
    OutageRuleBroken,
    outage_advance_deadline,
    outage_approve,
    outage_cancel,
    outage_operate,
    outage_publish,
    outage_reschedule,
    outage_retry_failed,
)
from supply_service.outages.views.common import EDITABLE_STATES, may_change, notice_get

PAGE_SIZE = 25
AFFECTED_PAGE_SIZE = 25
OPERATE_STEPS = ("start", "remove_cause", "restore", "close")
STEP_FORMS = {"publish": "publish", "publish_emergency": "publish", "reschedule": "times", "cancel": "reason"}
STEP_STYLES = {"cancel": "danger", "restore": "good"}
STEPS = {"approve", "publish", "reschedule", "cancel", *OPERATE_STEPS}
# The way forward first, then rescheduling, cancelling last.
STEP_ORDER = ["approve", "publish", "publish_emergency", "start", "remove_cause", "restore", "close", "reschedule",
              "cancel"]
HISTORY_FIELDS = ["state", "kind", "planned_start", "planned_end", "reason", "explanation", "area_zh_hans",
                  "override_reason", "cancel_reason", "revision"]
HISTORY_LABELS = {"outages.create": gettext_lazy("Drafted"), "outages.edit": gettext_lazy("Edited")}
OTHER_OFFICE = gettext_lazy("This notice belongs to another office: you can read it but not change it.")


# --- the list ---------------------------------------------------------------------------------------------------

@login_required
@permission_required("outages.view_outagenotice", raise_exception=True)
def notice_list(request: HttpRequest) -> HttpResponse:
    """Notices of the user's office (or all offices), newest start first; filters by state and kind."""
    user = request.user
    data = StaffListForm(request.GET).valid_data()
    office_scope = data["scope"] == StaffListForm.SCOPE_OFFICE and user.office_id is not None
    qs = notice_list_for_staff(office_id=user.office_id if office_scope else None, state=data["state"],
                               kind=data["kind"])
    form = StaffListForm({**data, "scope": StaffListForm.SCOPE_OFFICE if office_scope else StaffListForm.SCOPE_ALL})
    form.is_valid()
    pager = paginate(request, qs, per_page=PAGE_SIZE)
    return render(request, "outages/notice_list.html", {
        "form": form,
        "pager": pager,
        "rows_html": staff_notice_rows_html(pager.page.object_list, office_scope=office_scope),
        "filtered": bool(data["state"] or data["kind"]),
        "office_scope": office_scope,
        "can_add": user.has_perm("outages.add_outagenotice") and user.office_id is not None,
    })


# --- the notice page --------------------------------------------------------------------------------------------

def _steps(notice: OutageNotice, user) -> list[dict]:
    """The steps this user may take now (permission and conditions of each transition), as forms."""
    steps = []
    available = sorted(notice.get_available_user_state_transitions(user),
                       key=lambda t: STEP_ORDER.index(t.name) if t.name in STEP_ORDER else len(STEP_ORDER))
    for transition in available:
        name = transition.name
        if name == "publish_emergency" and notice.kind not in (OutageNotice.Kind.EMERGENCY,
                                                                 OutageNotice.Kind.TEMPORARY):
            continue
        steps.append({
            "name": "publish" if name == "publish_emergency" else name,
            "label": transition.custom.get("label", name),
            "form": STEP_FORMS.get(name),
            "style": STEP_STYLES.get(name, ""),
        })
    return steps


def _display(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field == "state":
        return str(OutageNotice.State(value).label) if value in OutageNotice.State.values else str(value)
    if field == "kind":
        return str(OutageNotice.Kind(value).label) if value in OutageNotice.Kind.values else str(value)
    if field in ("planned_start", "planned_end"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def notice_history(notice: OutageNotice) -> list[HistoryEntry]:
    """Every history record, oldest first: when, who, the step in words and what it changed. One query."""
    labels = {f"outages.{t.name}": t.custom.get("label") for t in notice.get_all_state_transitions()}
    labels.update(HISTORY_LABELS)
    return history_timeline(obj=notice, labels=labels, included_fields=HISTORY_FIELDS, created_label=_("Drafted"),
                            changed_label=_("Changed"), display=lambda model_field, value, users: _display(
                                model_field.name, value))


def affected_rows(pager) -> list[dict]:
    return [{
        "customer": customer, "masked_name": mask_name(customer.name),
        "voltage": customer.get_voltage_display(), "importance": customer.get_importance_display(),
        "important": customer.importance != "none",
    } for customer in pager]


def _page_context(request: HttpRequest, notice: OutageNotice, **extra) -> dict:
    user = request.user
    can_change = may_change(user, notice)
    now = timezone.now()
    affected = paginate(request, notice_affected(notice=notice), per_page=AFFECTED_PAGE_SIZE, param="apage",
                        anchor="affected")
    deadline = None
    if notice.kind == OutageNotice.Kind.PLANNED and notice.state in EDITABLE_STATES:
        deadline = outage_advance_deadline(notice)  # None when the commitment was switched off
    delivery = notice_delivery_counts(notice=notice)
    return {
        "notice": notice,
        "can_change": can_change,
        "can_edit": can_change and notice.state in EDITABLE_STATES and user.has_perm("outages.change_outagenotice"),
        "steps": _steps(notice, user) if can_change else [],
        "feeders": list(notice.feeders.order_by("code")),
        "areas": list(notice.areas.order_by("code")),
        "clocks": [{"clock": c, "signal": sla_signal(c, now=now)} for c in sla_clocks_for_subject(subject=notice)],
        "delivery": delivery,
        "delivery_rows": [{"state": state, "label": label, "count": delivery.get(state, 0)}
                          for state, label in Outbox.State.choices],
        "can_retry": can_change and delivery.get("failed", 0) > 0 and user.has_perm("core.retry_outbox"),
        "affected": affected,
        "affected_rows": affected_rows(affected),
        "affected_is_preview": notice.published_at is None,
        "panels": panels_for("outage", request=request, notice=notice),  # linked repair calls (tickets)
        "history": notice_history(notice),
        "deadline": deadline,
        "late": deadline is not None and now > deadline,
        "may_override": user.has_perm("outages.override_outagenotice"),
        "show_customer_links": user.has_perm("customers.view_customer"),
        "other_office_message": OTHER_OFFICE,
        **extra,
    }


@login_required
@permission_required("outages.view_outagenotice", raise_exception=True)
def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    notice = notice_get(number, related=("office", "created_by", "approved_by"))
    return render(request, "outages/notice_detail.html", _page_context(request, notice))


# --- the steps --------------------------------------------------------------------------------------------------

def _broken_context(broken: OutageRuleBroken) -> dict:
    return {
        "message": " ".join(broken.messages),
        "late": broken.late,
        "over_limit": [{"customer": c, "masked_name": mask_name(c.name), "voltage": c.get_voltage_display(),
                        "count": total, "limit": allowed} for c, total, allowed in broken.over_limit],
    }


def _step_call(action: str, notice: OutageNotice, request: HttpRequest):
    """The service call of a step, or None when its form is invalid (the errors are shown as messages)."""
    user = request.user
    if action == "approve":
        return lambda: outage_approve(notice=notice, by=user)
    if action in OPERATE_STEPS:
        return lambda: outage_operate(notice=notice, action=action, by=user)
    form_class = {"publish": PublishForm, "reschedule": RescheduleForm, "cancel": CancelForm}[action]
    form = form_class(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return None
    data = form.cleaned_data
    if action == "publish":
        return lambda: outage_publish(notice=notice, by=user, override_reason=data["override_reason"])
    if action == "reschedule":
        return lambda: outage_reschedule(notice=notice, by=user, start=data["start"], end=data["end"],
                                         override_reason=data.get("override_reason", ""))
    return lambda: outage_cancel(notice=notice, by=user, reason=data["reason"])


@require_POST
@login_required
@permission_required("outages.view_outagenotice", raise_exception=True)
def notice_step(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Take one step (approve, publish, reschedule, power off, cause removed, restored, close, cancel) through its
    service. A publication that breaks the 7-day rule or the yearly limit shows the page again with the reason,
    the customers over their limit and — for managers — the override field. Any refusal: a message, no change."""
    if action not in STEPS:
        raise Http404
    notice = notice_get(number)
    back = redirect("outages:detail", number=notice.number)
    if not may_change(request.user, notice):
        messages.error(request, OTHER_OFFICE)
        return back
    if not seen_state_matches(request.POST, notice):  # missing or different: changed meanwhile, nothing is done
        messages.error(request, _("The notice changed while you were looking at it: nothing was done. Look at it "
                                  "again."))
        return back
    call = _step_call(action, notice, request)
    if call is None:
        return back
    try:
        call()
    except OutageRuleBroken as broken:
        if action == "reschedule":
            messages.error(request, " ".join([*broken.messages, str(_("A manager may reschedule anyway with a reason."))]))
            return back
        notice = notice_get(number, related=("office", "created_by", "approved_by"))
        context = _page_context(request, notice, broken=_broken_context(broken),
                                override_value=request.POST.get("override_reason", ""))
        return render(request, "outages/notice_detail.html", context)
    except PermissionDenied as exc:
        if action in ("publish", "reschedule") and request.POST.get("override_reason", "").strip():
            messages.error(request, _("Only a manager may publish a notice against the rules."))
        else:
            messages.error(request, refusal_message(exc))
        return back
    except (ConcurrentTransition, TransitionNotAllowed, ValidationError) as exc:
        messages.error(request, refusal_message(exc))
        return back
    messages.success(request, _("Done: %(step)s.") % {"step": _step_label(notice, action)})
    return back


def _step_label(notice: OutageNotice, action: str) -> str:
    name = "publish" if action == "publish" else action
    for transition in notice.get_all_state_transitions():
        if transition.name == name:
            return str(transition.custom.get("label", name))
    return action


@require_POST
@login_required
@permission_required(["outages.view_outagenotice", "core.retry_outbox"], raise_exception=True)
def notice_retry(request: HttpRequest, number: str) -> HttpResponse:
    """Queue the notice's failed messages again."""
    notice = notice_get(number)
    if not may_change(request.user, notice):
        messages.error(request, OTHER_OFFICE)
    else:
        count = 0

        def retry():
            nonlocal count
            count = outage_retry_failed(notice=notice, by=request.user)

        if run_service(request, retry):
            if count:
                messages.success(request, ngettext("%(count)s failed message is queued again.",
                                                   "%(count)s failed messages are queued again.", count)
                                 % {"count": count})
            else:
                messages.info(request, _("No message of this notice has failed."))
    return redirect("outages:detail", number=notice.number)
