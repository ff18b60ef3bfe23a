"""The managers' dashboard (managers and auditors): the month's figures and 12-month trends as SVG charts with their
tables, drill-downs to the items behind every figure, CSV of every table, an Excel workbook, a printable report and
the publication of a month."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N
from django.views.decorators.http import require_GET, require_POST

from supply_service.core.web import paginate, refusal_messages
from supply_service.dashboard import charts
from supply_service.dashboard.exports import csv_response, section_csv, workbook_bytes, xlsx_response
from supply_service.dashboard.forms import DrillForm, MonthOfficeForm, OpenDrillForm, PublishForm
from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.periods import month_of
from supply_service.dashboard.report import Report, report_build, report_sections
from supply_service.dashboard.selectors_drill import DrillQuery, drill_clocks, drill_open, open_url, subject_url
from supply_service.dashboard.services import month_publish

VIEW = "dashboard.view_dashboard"
PUBLISH = "dashboard.publish_publishedmonth"
PAGE_SIZE = 50
CSV_ROWS_MAX = 100_000  # a drill-down CSV larger than this is cut (and says so in its last line)


def _filters(request: HttpRequest) -> tuple[MonthOfficeForm, object, object]:
    form = MonthOfficeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filter was not understood; showing this month for every office."))
        return form, month_of(), None
    office = form.cleaned_data.get("office") if form.is_bound else None
    return form, form.month_or_now() if form.is_bound else month_of(), office


def _report_charts(report: Report) -> list[charts.Chart]:
    trend = [{"label": p.month.key[2:], "value": p.rate.value, "enough": p.rate.enough,
              "text": f"{p.month.key}: {p.rate.met}/{p.rate.total}"} for p in report.trend]
    callbacks = [{"label": p.month.key[2:], "value": p.rate.value, "enough": p.rate.enough,
                  "text": f"{p.month.key}: {p.rate.met}/{p.rate.total}"} for p in report.callbacks]
    settled = [r for r in report.commitments if r.rate.total]
    by_commitment = [{"label": r.commitment.display_title, "value": r.rate.value, "enough": r.rate.enough,
                      "text": f"{r.rate.met}/{r.rate.total}"} for r in settled]
    result = [
        charts.column_chart(title=_("Fulfilment, last 12 months"), points=trend, target=report.overall.target),
        charts.column_chart(title=_("Callback rate, last 12 months"), points=callbacks,
                            target=report.callback.target),
    ]
    if by_commitment:
        result.append(charts.row_chart(title=_("Fulfilment by commitment"), points=by_commitment,
                                       target=report.overall.target))
    for row in report.arrivals:
        if row.count:
            points = [{"label": label, "value": n, "text": str(n)} for label, n in row.buckets]
            result.append(charts.row_chart(title=row.commitment.display_title, points=points, top=None, unit=""))
    return result


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, month, office = _filters(request)
    report = report_build(month=month, office=office)
    return render(request, "dashboard/dashboard.html", {
        "form": form, "report": report, "sections": report_sections(report), "charts": _report_charts(report),
        "query": request.GET.urlencode(), "can_publish": request.user.has_perm(PUBLISH),
        "publish_form": PublishForm(initial={"month": month.shifted(-1).key}, prefix="publish"),
        "published": PublishedMonth.objects.filter(month=month.first_day).order_by("-revision").first(),
    })


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def print_report(request: HttpRequest) -> HttpResponse:
    _form, month, office = _filters(request)
    report = report_build(month=month, office=office)
    return render(request, "dashboard/report_print.html", {
        "report": report, "sections": report_sections(report), "charts": _report_charts(report)})


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def excel(request: HttpRequest) -> HttpResponse:
    _form, month, office = _filters(request)
    report = report_build(month=month, office=office)
    content = workbook_bytes(title=_("Monthly service report %(month)s") % {"month": month.key},
                             sections=report_sections(report))
    return xlsx_response(filename=f"dashboard-{month.key}.xlsx", content=content)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def table_csv(request: HttpRequest, section: str) -> HttpResponse:
    _form, month, office = _filters(request)
    found = [s for s in report_sections(report_build(month=month, office=office)) if s.key == section]
    if not found:
        return HttpResponse(_("No such table."), status=404, content_type="text/plain; charset=utf-8")
    return section_csv(found[0], filename=f"dashboard-{section}-{month.key}.csv")


def _clock_rows(clocks) -> list[dict]:
    return [{"clock": c, "url": subject_url(c), "kind": c.content_type.model_class()._meta.verbose_name
             if c.content_type.model_class() else c.content_type.model} for c in clocks]


CLOCK_HEADERS = (N("Item"), N("Kind"), N("Commitment"), N("Office"), N("Owner"), N("Started"), N("Due"), N("Settled"),
                 N("Outcome"))


def _clock_csv_row(row) -> list:
    from django.utils import timezone

    c = row["clock"]
    local = [timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if v else "" for v in
             (c.started_at, c.due_at, c.settled_at)]
    return [c.subject_label, str(row["kind"]), c.commitment.code, c.office.name if c.office else "",
            c.owner.username if c.owner else "", *local, c.get_state_display()]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """The settled clocks behind a figure; `?format=csv` gives the same rows and columns as the page shows."""
    form = DrillForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "dashboard/items.html", {"form": form, "pager": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    query = DrillQuery(month=data.get("month") or month_of(), office=data.get("office"),
                       commitment=data.get("commitment", ""), outcome=data.get("outcome", ""),
                       kind=data.get("kind", ""), person=data.get("person", ""), viewer=request.user)
    clocks = drill_clocks(query)
    if request.GET.get("format") == "csv":
        rows = [_clock_csv_row(r) for r in _clock_rows(clocks[:CSV_ROWS_MAX])]
        return csv_response(filename=f"dashboard-items-{query.month.key}.csv",
                            headers=[_(h) for h in CLOCK_HEADERS], rows=rows)
    pager = paginate(request, clocks, per_page=PAGE_SIZE)
    return render(request, "dashboard/items.html", {
        "form": form, "pager": pager, "rows": _clock_rows(pager.page.object_list), "month": query.month,
        "csv_query": _with_csv(request)})


def _with_csv(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()


OPEN_HEADERS = (N("Item"), N("Kind"), N("State"), N("Office"), N("Owner"), N("Received"), N("Due"), N("Overdue"))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def open_items(request: HttpRequest) -> HttpResponse:
    """Open work now behind a figure (overdue, amber, chased), with its CSV."""
    from django.utils import timezone

    from supply_service.core.registry import kind_for_key

    form = OpenDrillForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "dashboard/open_items.html", {"form": form, "pager": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    now = timezone.now()
    qs = drill_open(viewer=request.user, office=data.get("office"), kind=data.get("kind", ""), signal=data.get("signal", ""),
                    person=data.get("person", ""), now=now)

    def row(work):
        kind = kind_for_key(work.kind)
        return {"work": work, "url": open_url(work), "kind": kind.display_label if kind else work.kind,
                "state": kind.label_of_state(work.state) if kind else work.state,
                "late": work.breached or (work.due_at is not None and work.due_at < now)}

    if request.GET.get("format") == "csv":
        rows = [[r["work"].number, r["kind"], r["state"], r["work"].office.name,
                 r["work"].owner.username if r["work"].owner else "",
                 timezone.localtime(r["work"].created_at).strftime("%Y-%m-%d %H:%M"),
                 timezone.localtime(r["work"].due_at).strftime("%Y-%m-%d %H:%M") if r["work"].due_at else "",
                 _("yes") if r["late"] else _("no")] for r in map(row, qs[:CSV_ROWS_MAX])]
        return csv_response(filename="dashboard-open-work.csv", headers=[_(h) for h in OPEN_HEADERS], rows=rows)
    pager = paginate(request, qs, per_page=PAGE_SIZE)
    return render(request, "dashboard/open_items.html", {
        "form": form, "pager": pager, "rows": [row(w) for w in pager.page.object_list],
        "csv_query": _with_csv(request)})


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST, prefix="publish")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dashboard:index")
    month = form.cleaned_data["month"]
    try:
        published = month_publish(month=month, by=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as exc:
        for message in refusal_messages(exc):
            messages.error(request, message)
        return redirect(f"{_index_url()}?month={month.key}")
    messages.success(request, _("%(month)s published (revision %(revision)s).") % {
        "month": month.key, "revision": published.revision})
    return redirect(f"{_index_url()}?month={month.key}")


def _index_url() -> str:
    from django.urls import reverse

    return reverse("dashboard:index")
