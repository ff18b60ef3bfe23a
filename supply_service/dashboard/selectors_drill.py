"""The items behind a figure: settled clocks (met or breached) and open work (overdue, amber, chased), filtered by
office, month, commitment (code or family), kind and person. One query per page (plus the paginator's count)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from supply_service.core.models import Chase, OpenWork, SlaClock
from supply_service.core.registry import exclude_hidden_subjects, kind_for_key, kinds, kinds_viewable_by
from supply_service.core.selectors_work import visible_q
from supply_service.dashboard.periods import Month


@dataclass(frozen=True)
class DrillQuery:
    month: Month
    office: object = None
    commitment: str = ""
    outcome: str = ""  # met / breached / "" (both)
    kind: str = ""
    person: str = ""
    viewer: object = None  # the user reading: clocks of items hidden from them are left out


def _visible_clocks(qs: QuerySet[SlaClock], viewer) -> QuerySet[SlaClock]:
    """The open-work drill's rule for settled clocks: only kinds `viewer` may view, and not the items their kind
    hides from them (a complaint about them, a report without the report permission) — subqueries, no extra query."""
    if viewer is None:
        return qs
    viewable = {k.key for k in kinds_viewable_by(viewer)}
    hidden_kinds = [ContentType.objects.get_for_model(k.model).pk for k in kinds() if k.key not in viewable]
    if hidden_kinds:
        qs = qs.exclude(content_type__in=hidden_kinds)
    return exclude_hidden_subjects(qs, viewer)


def drill_clocks(query: DrillQuery) -> QuerySet[SlaClock]:
    qs = SlaClock.objects.filter(settled_at__gte=query.month.start, settled_at__lt=query.month.end,
                                 state__in=[SlaClock.State.MET, SlaClock.State.BREACHED])
    if query.outcome:
        qs = qs.filter(state=query.outcome)
    if query.office is not None:
        qs = qs.filter(office=query.office)
    if query.commitment:
        qs = qs.filter(Q(commitment__code=query.commitment) | Q(commitment__family=query.commitment))
    if query.kind:
        kind = kind_for_key(query.kind)
        qs = qs.filter(content_type=ContentType.objects.get_for_model(kind.model)) if kind else qs.none()
    if query.person:
        qs = qs.filter(owner__username=query.person)
    qs = _visible_clocks(qs, query.viewer)
    return qs.select_related("commitment", "office", "owner", "content_type").order_by("settled_at", "pk")


def subject_url(clock: SlaClock) -> str:
    """The staff page of the clock's item (settings.SLA_SUBJECT_URLS), or ""."""
    name = settings.SLA_SUBJECT_URLS.get(f"{clock.content_type.app_label}.{clock.content_type.model}")
    if not name:
        return ""
    try:
        return reverse(name, kwargs={"number": clock.subject_label})
    except NoReverseMatch:
        return ""


def drill_open(*, viewer, office=None, kind: str = "", signal: str = "", person: str = "",
               now=None) -> QuerySet[OpenWork]:
    """Open items behind a figure: only kinds `viewer` may view and rows their kind does not hide from them."""
    now = now or timezone.now()
    keys = [k.key for k in kinds_viewable_by(viewer)]
    qs = OpenWork.objects.filter(visible_q(viewer), kind__in=keys)
    if office is not None:
        qs = qs.filter(office=office)
    if kind:
        qs = qs.filter(kind=kind)
    if person:
        qs = qs.filter(owner__username=person)
    if signal == "overdue":
        qs = qs.filter(Q(breached=True) | Q(due_at__lt=now))
    elif signal == "amber":
        qs = qs.filter(due_at__gte=now, breached=False, amber_at__lte=now)
    elif signal == "chased":
        qs = qs.filter(number__in=Chase.objects.values("item_number"))
    return qs.select_related("office", "owner").order_by("due_sort", "created_at", "pk")


def open_url(work: OpenWork) -> str:
    kind = kind_for_key(work.kind)
    if kind is None:
        return ""
    try:
        return reverse(kind.url_name, kwargs={"number": work.number})
    except NoReverseMatch:
        return ""
