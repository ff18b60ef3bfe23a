"""The notice editor: a new notice (`services.outage_create`) and edits of a draft or approved one
(`services.outage_update`: history reason "outages.edit"; refused once published). Both show who the notice would
cut off. The views validate the form and call one service; the services check permission, office and state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supply_service.core.web import REFUSALS, paginate, refusal_message, run_service
from supply_service.customers.selectors import customers_on
from supply_service.outages.forms import NoticeForm
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import notice_affected_preview
from supply_service.outages.services import outage_create, outage_update
from supply_service.outages.views.common import EDITABLE_STATES, may_change, notice_get
from supply_service.outages.views.staff import AFFECTED_PAGE_SIZE, OTHER_OFFICE, affected_rows

PREVIEW = "_preview_page"
NOT_EDITABLE = gettext_lazy("A published notice is not edited any more: reschedule or cancel it.")


def _initial_from(form: NoticeForm) -> NoticeForm:
    """An unbound copy showing the submitted values: a preview shows no errors for fields not yet filled in."""
    data = form.data
    initial = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        initial[name] = data.getlist(key) if hasattr(field, "queryset") else data.get(key, "")
    return NoticeForm(initial=initial, instance=form.instance if form.instance.pk else None,
                      office=form.office)


def _post_preview(request: HttpRequest, form: NoticeForm) -> dict:
    """Who the submitted lines and areas would cut off (the same query as `notice_affected_preview`)."""
    picked = form.selection()
    qs = customers_on(feeders=picked["feeders"], areas=picked["areas"]).select_related(
        "transformer_area").order_by("account_number")
    page = Paginator(qs, AFFECTED_PAGE_SIZE).get_page(request.POST.get(PREVIEW))
    return {"mode": "post", "page": page, "count": page.paginator.count, "rows": affected_rows(page.object_list)}


def _saved_preview(request: HttpRequest, notice: OutageNotice) -> dict:
    pager = paginate(request, notice_affected_preview(notice=notice), per_page=AFFECTED_PAGE_SIZE, param="apage",
                     anchor="preview")
    return {"mode": "get", "page": pager.page, "pager": pager, "count": pager.count, "rows": affected_rows(pager)}


def _render(request: HttpRequest, form: NoticeForm, *, notice: OutageNotice | None, preview: dict | None,
            status: int = 200) -> HttpResponse:
    return render(request, "outages/notice_form.html", {
        "form": form, "notice": notice, "preview": preview, "office": form.office,
    }, status=status)


@login_required
@permission_required("outages.add_outagenotice", raise_exception=True)
def notice_new(request: HttpRequest) -> HttpResponse:
    office = request.user.office
    if office is None:
        messages.error(request, _("Your account belongs to no office: ask a manager to set it."))
        return redirect("outages:list")
    if request.method != "POST":
        form = NoticeForm(office=office, initial={"kind": OutageNotice.Kind.PLANNED})
        return _render(request, form, notice=None, preview=None)
    form = NoticeForm(request.POST, office=office)
    if PREVIEW in request.POST:
        return _render(request, _initial_from(form), notice=None, preview=_post_preview(request, form))
    if form.is_valid():
        try:
            notice = outage_create(by=request.user, office=office, **form.create_kwargs())
        except REFUSALS as exc:
            form.add_error(None, refusal_message(exc))
        else:
            messages.success(request, _("Notice %(number)s is drafted.") % {"number": notice.number})
            return redirect("outages:detail", number=notice.number)
    return _render(request, form, notice=None, preview=None, status=400)


@login_required
@permission_required("outages.change_outagenotice", raise_exception=True)
def notice_edit(request: HttpRequest, number: str) -> HttpResponse:
    notice = notice_get(number, related=("office",))
    back = redirect("outages:detail", number=notice.number)
    if not may_change(request.user, notice):
        messages.error(request, OTHER_OFFICE)
        return back
    if notice.state not in EDITABLE_STATES:
        messages.error(request, NOT_EDITABLE)
        return back
    if request.method != "POST":
        form = NoticeForm(instance=notice, office=notice.office)
        return _render(request, form, notice=notice, preview=_saved_preview(request, notice))
    form = NoticeForm(request.POST, instance=notice, office=notice.office)
    if PREVIEW in request.POST:
        return _render(request, _initial_from(form), notice=notice, preview=_post_preview(request, form))
    if form.is_valid():
        if run_service(request, lambda: outage_update(notice=notice, by=request.user, **form.create_kwargs())):
            messages.success(request, _("Notice %(number)s is saved.") % {"number": notice.number})
        return back
    return _render(request, form, notice=notice, preview=None, status=400)
