"""Public outage pages (S10.2.10, S13.7), no login: the list with its filter, one notice, and the iCalendar files.
Texts come in the page language (LocaleMiddleware and the layout's switcher); the .ics files also take `?lang=`."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_cookie

from supply_service.core.web import paginate
from supply_service.outages import ical
from supply_service.outages.feeds import in_query_language, with_last_change
from supply_service.outages.forms import PublicFilterForm
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import public_notices

PAGE_SIZE = 20
# What the public may open: the notices the list shows and those already over (restored, closed); never a draft,
# an approved notice that is not out yet, or a cancelled one.
VISIBLE_STATES = (*OutageNotice.PUBLIC_STATES, OutageNotice.State.CLOSED)


def public_state(notice: OutageNotice, now) -> dict:
    """The state as the public reads it: announced (not yet begun), due now, power off …"""
    if notice.state == OutageNotice.State.PUBLISHED:
        if notice.planned_start <= now:
            return {"code": "due", "label": _("Due to start")}
        return {"code": "announced", "label": _("Announced")}
    return {"code": notice.state, "label": notice.get_state_display()}


def _visible_notice(number: str, *, annotate: bool = False) -> OutageNotice:
    qs = OutageNotice.objects.filter(number=number, state__in=VISIBLE_STATES)
    if annotate:
        qs = with_last_change(qs)
    notice = qs.first()
    if notice is None:
        raise Http404
    return notice


@vary_on_cookie
def notice_list(request: HttpRequest) -> HttpResponse:
    """Current and upcoming notices, soonest first, by area (text) and day; a bad date shows a message."""
    form = PublicFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {"area": "", "day": None}
    pager = paginate(request, public_notices(**filters), per_page=PAGE_SIZE)
    now = timezone.now()
    rows = [{"notice": notice, "state": public_state(notice, now)} for notice in pager]
    return render(request, "outages/public_list.html", {
        "form": form, "pager": pager, "rows": rows, "filtered": bool(filters["area"] or filters["day"]),
    })


@vary_on_cookie
def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One notice: kind, area, times, lines, reason, the notice text; for an emergency the explanation."""
    notice = _visible_notice(number)
    return render(request, "outages/public_detail.html", {
        "notice": notice,
        "state": public_state(notice, timezone.now()),
        "feeders": list(notice.feeders.order_by("code")),
        "areas": list(notice.areas.order_by("code")),
        "is_current": notice.state in OutageNotice.PUBLIC_STATES,
    })


def _detail_url(request: HttpRequest):
    return lambda notice: request.build_absolute_uri(reverse("public_outages:detail", args=[notice.number]))


def _calendar_response(body: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response


@in_query_language
def notice_ical(request: HttpRequest, number: str) -> HttpResponse:
    """One notice as an iCalendar event (to add to a calendar)."""
    notice = _visible_notice(number, annotate=True)
    body = ical.calendar([notice], url_for=_detail_url(request), stamp=timezone.now())
    return _calendar_response(body, f"{notice.number}.ics", attachment=True)


@in_query_language
def upcoming_ical(request: HttpRequest) -> HttpResponse:
    """Every current and upcoming notice: a calendar to subscribe to (refreshed hourly)."""
    notices = with_last_change(public_notices())
    body = ical.calendar(notices, url_for=_detail_url(request), name=_("Power outage notices"), refresh_hours=1,
                         stamp=timezone.now())
    return _calendar_response(body, "outages.ics", attachment=False)
