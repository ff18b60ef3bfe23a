"""The demonstration-window verdict (printable, Excel), the requirement map with this office's latest results, the
engagement records and the survey import."""

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from supply_service.audits import selectors_reports
from supply_service.audits.forms import SurveyImportForm, VerdictForm
from supply_service.audits.services_records import survey_results_import
from supply_service.audits.verdict import verdict_for, verdict_workbook
from supply_service.core.requirements import requirement_rows
from supply_service.core.web import REFUSALS, refusal_messages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def verdict(request: HttpRequest) -> HttpResponse:
    form = VerdictForm(request.GET or None, initial=VerdictForm.initial_for(request.user))
    result = None
    if form.is_bound and form.is_valid():
        result = verdict_for(office=form.cleaned_data["office"], year=form.cleaned_data["year"])
    elif not form.is_bound and request.user.office_id:
        result = verdict_for(office=request.user.office, year=timezone.localdate().year)
    if result is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(verdict_workbook(result), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="verdict-{result.office.code}-{result.year}.xlsx"'
        return response
    return render(request, "audits/verdict.html", {"form": form, "verdict": result},
                  status=400 if form.is_bound and form.errors else 200)


@cache
def _map_rows() -> list:
    """The requirement map is built from the code (files read once per process)."""
    return requirement_rows(base_dir=settings.BASE_DIR)


@require_GET
@login_required
@permission_required("audits.view_audit", raise_exception=True)
def requirements(request: HttpRequest) -> HttpResponse:
    latest = selectors_reports.latest_results(office_id=request.user.office_id)
    rows = [{"row": row, "latest": latest.results.get(row.id)} for row in _map_rows()]
    return render(request, "audits/requirements.html", {"rows": rows, "audit": latest.audit})


@require_GET
@login_required
@permission_required("audits.view_engagementrecord", raise_exception=True)
def records(request: HttpRequest) -> HttpResponse:
    year = selectors_reports.year_param(request.GET.get("year"))
    return render(request, "audits/records.html", {
        "year": year, **selectors_reports.records_for(office_id=request.user.office_id, year=year),
        "can_import": request.user.has_perm("audits.add_surveyresult"),
    })


@login_required
@permission_required("audits.add_surveyresult", raise_exception=True)
def survey_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = SurveyImportForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = survey_results_import(data=form.cleaned_data["file"].read(), by=request.user)
        except REFUSALS as exc:
            for message in refusal_messages(exc):
                form.add_error("file", message)
        else:
            messages.success(request, ngettext("%(n)s survey result imported.", "%(n)s survey results imported.",
                                               count) % {"n": count})
            return redirect("audits:records")
    return render(request, "audits/survey_import.html", {"form": form}, status=400 if form.errors else 200)
