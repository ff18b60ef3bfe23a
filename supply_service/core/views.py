from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from supply_service.core.models import Commitment
from supply_service.core.selectors import sla_clocks_open_for_user, sla_signal
from supply_service.core.services.calendar import calendar_missing_years

PAGE_SIZE = 25


def _subject_url(clock) -> str:
    """The page of the clock's item, from settings.SLA_SUBJECT_URLS (the kernel knows no app)."""
    name = settings.SLA_SUBJECT_URLS.get(f"{clock.content_type.app_label}.{clock.content_type.model}")
    if not name:
        return ""
    try:
        return reverse(name, kwargs={"number": clock.subject_label})
    except NoReverseMatch:
        return ""


@login_required
@permission_required("core.use_workbench", raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: the SLA clocks this user owns, due soonest first, green/amber/red."""
    page = Paginator(sla_clocks_open_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"clock": clock, "signal": sla_signal(clock, now=now), "url": _subject_url(clock)} for clock in page]
    missing_years = calendar_missing_years() if request.user.has_perm("core.change_calendarday") else []
    return render(request, "core/home.html", {"page": page, "rows": rows, "missing_years": missing_years})


def public_commitments(request: HttpRequest) -> HttpResponse:
    """The service commitments, published (S13.6)."""
    commitments = sorted(Commitment.objects.filter(is_active=True), key=lambda c: c.sort_key)
    return render(request, "core/public_commitments.html", {"commitments": commitments})
