"""Reads of the report pages: this office's latest audit results per requirement, the engagement records."""

from dataclasses import dataclass, field

from django.utils import timezone

from supply_service.audits.models import (
    Answer,
    Audit,
    EngagementRecord,
    ServiceSupervisor,
    SurveyResult,
)

SEVERITY = {"failed": 3, "unmeasurable": 2, "passed": 1, "na": 0}


@dataclass
class LatestResults:
    audit: Audit | None
    results: dict[str, str] = field(default_factory=dict)


def latest_results(*, office_id: int | None) -> LatestResults:
    """The latest submitted audit of the office and, per requirement, its worst result (two queries)."""
    audit = (Audit.objects.filter(office_id=office_id, state__in=[Audit.State.SUBMITTED, Audit.State.REVIEWED,
                                                                    Audit.State.CLOSED])
             .order_by("-submitted_at").first()) if office_id else None
    found = LatestResults(audit=audit)
    if audit is None:
        return found
    for requirement, result in Answer.objects.filter(audit=audit).values_list("item__requirement", "result"):
        if SEVERITY.get(result, 0) >= SEVERITY.get(found.results.get(requirement, "na"), 0):
            found.results[requirement] = result
    return found


def year_param(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def records_for(*, office_id: int | None, year: int) -> dict:
    """The office's engagement records, survey results and supervisors of a year (three queries)."""
    return {
        "records": list(EngagementRecord.objects.filter(office_id=office_id, held_on__year=year)
                        .select_related("supervisor", "recorded_by").order_by("-held_on", "-pk")[:200]),
        "surveys": list(SurveyResult.objects.filter(office_id=office_id, year=year).order_by("period")),
        "supervisors": list(ServiceSupervisor.objects.filter(office_id=office_id, is_active=True).order_by("name")),
    }
