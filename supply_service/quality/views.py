"""Staff pages of the quality app: the figures per office, month and class (voltage and reliability, against the
targets and the year before), the points behind a figure, and the import of monitoring data with its progress.
Figures: quality.view_voltagemonth (auditors, managers); imports: quality.add_voltagemonth (managers)."""

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from supply_service.core.services.calendar import period_bounds
from supply_service.core.web import paginate
from supply_service.quality.forms import FiguresForm, ImportForm, PointsForm
from supply_service.quality.imports.jobs import (
    IMPORT_PERMISSION,
    quality_import_create,
    quality_import_job_get,
    quality_import_jobs_for,
)
from supply_service.quality.models import MonitoringPoint
from supply_service.quality.periods import next_month
from supply_service.quality.selectors import PeriodFigures, quality_target_for, quality_year_over_year
from supply_service.quality.selectors_reliability import reliability_by_month, reliability_total
from supply_service.quality.selectors_voltage import voltage_by_month, voltage_points, voltage_summary

VIEW_PERMISSION = "quality.view_voltagemonth"
POINTS_PER_PAGE = 50
CATEGORIES = MonitoringPoint.Category.values


def _months(year: int, reliability, voltage) -> list[dict]:
    """The twelve months of the table: voltage per class and integrated, reliability of every office shown."""
    rows = []
    for number in range(1, 13):
        month = date(year, number, 1)
        start, end = period_bounds(year=year, month=number)
        monthly = {key: figure for key, figure in reliability.items() if key[1] == month}
        volt = voltage.get(month, {"integrated": None, "classes": {}})
        rows.append({"month": month, "key": f"{month:%Y-%m}", "voltage": volt,
                     "classes": [(c, volt["classes"].get(c)) for c in CATEGORIES],
                     "reliability": reliability_total(monthly, start=start, end=end) if monthly else None})
    return rows


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """A year of figures for one office (or all): voltage rates per class and integrated (S6.1), reliability RS-1,
    RS-3, AIHC-1, interruptions per customer, planned and unplanned (S6.4), the targets, and the year before (S5.3).
    A constant number of queries whatever the size of the data."""
    form = FiguresForm(request.GET, user=request.user)
    data = form.valid_data()
    office_id, year = data["office"], data["year"]
    start, end = period_bounds(year=year)
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    reliability = reliability_by_month(office_id=office_id, start=start, end=end)
    voltage = voltage_by_month(office_id=office_id, first=first, after=after)
    form = FiguresForm({"office": office_id or "", "year": year}, user=request.user)
    current = PeriodFigures(voltage=voltage_summary(office_id=office_id, first=first, after=after),
                            reliability=reliability_total(reliability, office_id=office_id, start=start, end=end),
                            target=quality_target_for(office_id=office_id, year=year))
    return render(request, "quality/figures.html", {
        "form": form, "year": year, "office_id": office_id,
        "months": _months(year, reliability, voltage),
        "total": current.reliability, "target": current.target, "voltage_year": current.voltage,
        "changes": quality_year_over_year(office_id=office_id, start=start, end=end, current=current),
        "can_import": request.user.has_perm(IMPORT_PERMISSION),
    })


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def points(request: HttpRequest) -> HttpResponse:
    """The monitoring points behind a figure: an office, a month (or the year) and a class."""
    form = PointsForm(request.GET, user=request.user)
    data = form.valid_data()
    month = data["month"]
    first, after = (month, next_month(month)) if month else (date(data["year"], 1, 1), date(data["year"] + 1, 1, 1))
    rows = voltage_points(office_id=data["office"], first=first, after=after, category=data.get("category") or "")
    shown = PointsForm({"office": data["office"] or "", "year": first.year,
                        "month": f"{month:%Y-%m}" if month else "", "category": data.get("category") or ""},
                       user=request.user)
    return render(request, "quality/points.html", {
        "form": shown, "first": first, "month": month, "pager": paginate(request, rows, per_page=POINTS_PER_PAGE),
        "count": len(rows),
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload monitoring data; it is imported in the background (all or nothing) and the page moves on to the
    job's progress."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = quality_import_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                            by=request.user)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("quality:import_job", job_id=job.pk)
        status = 400
    return render(request, "quality/import.html", {
        "form": form, "jobs": quality_import_jobs_for(user=request.user),
        "limits": {"bytes": settings.IMPORT_MAX_BYTES, "rows": settings.IMPORT_MAX_ROWS},
    }, status=status)


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress of one background import (the page refreshes itself while it runs), then its outcome."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    job = quality_import_job_get(user=request.user, pk=job_id)
    if job is None:
        raise Http404
    return render(request, "quality/import_job.html", {"job": job})
