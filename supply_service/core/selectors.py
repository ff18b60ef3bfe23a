"""Read queries the views and other apps share."""

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateTimeField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from supply_service.core.models import Callback, Commitment, ServiceLanguage, SlaClock, SlaPause
from supply_service.core.models.openwork import AMBER_FRACTION
from supply_service.core.prepared import Bind, PagedStatement, Read, UnionAll, fetch, prepared


@functools.cache
def _item_rows(model, related: tuple[str, ...]):
    return prepared(lambda: model.objects.filter(content_type_id=Bind("content_type", IntegerField()),
                                                 object_id=Bind("object_id", IntegerField()))
                    .select_related(*related).order_by("at", "pk"))


def item_records(model, *, item, related: tuple[str, ...] = ()) -> list:
    """`model.objects.for_item(item)` (callbacks, hand-overs, chases …) in time order, with `related` loaded: one
    statement per model compiled once (core.prepared)."""
    return _item_rows(model, tuple(related))(content_type=ContentType.objects.get_for_model(item).pk,
                                             object_id=item.pk)


def sla_clocks_open_for_user(*, user) -> QuerySet[SlaClock]:
    """The open clocks a user owns, due soonest first (paused ones last)."""
    return (
        SlaClock.objects.filter(owner=user, stopped_at__isnull=True)
        .exclude(state=SlaClock.State.WAIVED)
        .select_related("commitment", "office", "content_type")
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


class UserStandIn:
    """The user inside a statement compiled once per permission set (core.prepared): the id is a bound value named
    `user`; the permissions are the real user's (they decide the statement's shape, so they are in its key)."""

    def __init__(self, user) -> None:
        self._user = user
        self.pk = self.id = Bind("user", IntegerField())

    def has_perm(self, perm: str, obj=None) -> bool:
        return self._user.has_perm(perm, obj)

    def get_all_permissions(self, obj=None) -> set[str]:
        return self._user.get_all_permissions(obj)


_MY_CLOCKS: dict[frozenset, "_MyClocks"] = {}
# What an open clock's row never shows (each datetime read is a conversion in Python, 25 rows a page).
_NOT_LISTED = ("paused_at", "stopped_at", "breached_at", "settled_at", "waive_reason", "paused_seconds",
                    "commitment__applies_when")


@dataclass
class _MyClocks:
    """The statements of one permission set about the user's own open clocks (`_my_clocks`)."""

    bound: dict
    summary: object
    pages: dict  # per_page -> PagedStatement
    page_of: object


def _my_clocks(user) -> _MyClocks:
    """The statements about the open clocks `user` owns, without those about items hidden from them — per permission
    set (the statements' shape), compiled once (bounded memory): a page of them and a summary.

    A page is read through the `(owner, stopped_at, due_at)` index: the ids of the first `offset + per_page` running
    clocks by due time and of as many paused ones (no due time: listed last), then those rows ordered and sliced; the
    total is a count of the ids alone. The owner's other open clocks are never read whole nor sorted (the window
    count did both: 1.9 ms for 276 open clocks at 500 000 tickets, now 0.3)."""
    from supply_service.core.registry import subjects_hidden_q  # noqa: PLC0415  (the registry imports selectors)

    key = frozenset(user.get_all_permissions())
    found = _MY_CLOCKS.get(key)
    if found is None:
        stand_in, bound = UserStandIn(user), {}

        def mine():
            qs = SlaClock.objects.filter(owner_id=stand_in.pk, stopped_at__isnull=True).exclude(
                state=SlaClock.State.WAIVED)
            hidden = subjects_hidden_q(stand_in, bound=bound)
            return (qs if hidden is None else qs.exclude(hidden)).order_by()

        def page_of(offset: int, size: int):
            reach = offset + size
            running = mine().filter(due_at__isnull=False).order_by("due_at", "pk").values("pk")[:reach]
            paused = mine().filter(due_at__isnull=True).order_by("pk").values("pk")[:reach]
            total = mine().values("owner_id").annotate(n=Count("pk")).values("n")
            return (SlaClock.objects.filter(pk__in=UnionAll(running, paused)).select_related("commitment")
                    .defer(*_NOT_LISTED)
                    .annotate(_page_total=Subquery(total, output_field=IntegerField()))
                    .order_by(F("due_at").asc(nulls_last=True), "pk")[offset:offset + size])

        def summary():
            late = Q(state=SlaClock.State.BREACHED) | Q(state=SlaClock.State.RUNNING,
                                                        due_at__lt=Bind("now", DateTimeField()))
            return mine().values("owner_id").annotate(
                open=Count("pk"), late=Count("pk", filter=late),
                paused=Count("pk", filter=Q(state=SlaClock.State.PAUSED))).values("open", "late", "paused")

        mine()  # fills `bound`
        if len(_MY_CLOCKS) >= 512:
            _MY_CLOCKS.clear()
        found = _MY_CLOCKS[key] = _MyClocks(bound=bound, summary=prepared(summary), pages={}, page_of=page_of)
    return found


def sla_clocks_page_for_user(*, user, page: str | None, per_page: int):
    """One page (Django's `Page`) of the open clocks `user` owns, soonest due first, never one about an item hidden
    from them — what `sla_clocks_open_for_user` with `exclude_hidden_subjects` and a Paginator give, in one statement
    compiled once per permission set (issue 12: building it was a sixth of the home)."""
    from supply_service.core.registry import hidden_subject_values  # noqa: PLC0415

    mine = _my_clocks(user)
    statement = mine.pages.get(per_page)
    if statement is None:
        statement = mine.pages[per_page] = PagedStatement(None, per_page=per_page, page_of=mine.page_of)
    return statement.page(page, user=user.pk, **hidden_subject_values(mine.bound))


def sla_clock_summary_for_user(*, user, now: datetime | None = None) -> dict:
    """How many open clocks `user` owns (never one about an item hidden from them), how many of them are late
    (breached, or running past their due time) and how many paused — one aggregate over the user's own open clocks,
    for the home (the clocks themselves are listed on their own page, `core:my_clocks`)."""

    return fetch(sla_clock_summary_read(user=user, now=now))


def sla_clock_summary_read(*, user, now: datetime | None = None) -> Read:
    """`sla_clock_summary_for_user` as a read to send with a page's others (`core.together`)."""
    from supply_service.core.registry import hidden_subject_values  # noqa: PLC0415

    mine = _my_clocks(user)
    return mine.summary.read(user=user.pk, now=now or timezone.now(),
                             **hidden_subject_values(mine.bound)).then(_clock_summary)


def _clock_summary(found: list) -> dict:
    return found[0] if found else {"open": 0, "late": 0, "paused": 0}


def sla_clocks_for_subject(*, subject) -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("commitment").order_by("started_at")


def sla_open_clocks_by_subject(*, subjects: list, family: str | None = None) -> dict[int, SlaClock]:
    """The latest open (running, paused or breached-but-open) clock of each subject, in one query: the batched form
    of `sla_clocks_for_subject` for pages that list many items. Subjects are of one model. With `family`, a clock of
    that commitment family is preferred over the subject's other clocks."""
    if not subjects:
        return {}
    clocks = (
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(subjects[0]),
            object_id__in=[s.pk for s in subjects], stopped_at__isnull=True,
        )
        .exclude(state=SlaClock.State.WAIVED)
        .select_related("commitment")
        .order_by("-started_at", "-pk")
    )
    return pick_open_clocks(clocks, family=family)


def pick_open_clocks(clocks, *, family: str | None = None) -> dict[int, SlaClock]:
    """Of open clocks newest first (with their commitment), each subject's latest — one of `family` preferred."""
    found: dict[int, SlaClock] = {}
    for clock in clocks:
        current = found.get(clock.object_id)
        preferred = family is not None and clock.commitment.family == family
        if current is None or (preferred and current.commitment.family != family):
            found[clock.object_id] = clock
    return found


def sla_pause_reasons(*, clocks: list[SlaClock]) -> dict[int, str]:
    """The reason of each paused clock's open pause ("waiting for your documents"), in one query."""
    paused = [clock.pk for clock in clocks if clock.state == SlaClock.State.PAUSED]
    if not paused:
        return {}
    rows = SlaPause.objects.filter(clock_id__in=paused, ended_at__isnull=True).order_by("started_at")
    return dict(rows.values_list("clock_id", "reason"))


def sla_signal(clock: SlaClock, *, now: datetime | None = None) -> str:
    """green: on time; amber: less than a quarter of the time left; red: breached or overdue; grey: paused/done."""
    now = now or timezone.now()
    if clock.state == SlaClock.State.BREACHED:
        return "red"
    if clock.state != SlaClock.State.RUNNING or clock.due_at is None:
        return "grey"
    if now >= clock.due_at:
        return "red"
    total = (clock.due_at - clock.started_at).total_seconds()
    left = (clock.due_at - now).total_seconds()
    if total > 0 and left < total * AMBER_FRACTION:
        return "amber"
    return "green"


@dataclass(frozen=True)
class Fulfilment:
    met: int
    breached: int

    @property
    def settled(self) -> int:
        return self.met + self.breached

    @property
    def rate(self) -> Decimal | None:
        """met / (met + breached) as a percentage with one decimal; None when nothing was settled."""
        if not self.settled:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.settled)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class RateVsTarget:
    """A rate with its numerator, denominator and the target it is judged against (from the Commitment table)."""

    met: int
    total: int
    target: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.met) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))

    @property
    def missed(self) -> int:
        return self.total - self.met

    @property
    def meets_target(self) -> bool | None:
        """True/False against the target; None when there is nothing to judge or no target."""
        if self.rate is None or self.target is None:
            return None
        return self.rate >= self.target


def commitments_by_code(codes) -> dict[str, Commitment]:
    """The commitments with these codes, by code (one query); a code without a row is left out."""
    return {c.code: c for c in Commitment.objects.filter(code__in=list(codes))}


def commitment_target(*, code: str) -> Decimal | None:
    """A percentage target of the Commitment table (callback rate 90, fulfilment 100), or None when switched off."""
    from supply_service.core.models import Commitment

    return Commitment.objects.filter(code=code, is_active=True, unit=Commitment.Unit.PERCENT).values_list(
        "limit", flat=True).first()


def _settled(*, start, end, commitment, office) -> QuerySet[SlaClock]:
    qs = SlaClock.objects.filter(settled_at__isnull=False)
    if start is not None:
        qs = qs.filter(settled_at__gte=start)
    if end is not None:
        qs = qs.filter(settled_at__lt=end)
    if commitment is not None:
        qs = qs.filter(commitment__code=commitment)
    if office is not None:
        qs = qs.filter(office=office)
    return qs


def _outcome_counts() -> dict[str, Count]:
    return {
        "met": Count("pk", filter=Q(state=SlaClock.State.MET)),
        "breached": Count("pk", filter=Q(state=SlaClock.State.BREACHED)),
    }


def fulfilment_rates(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    commitment: str | None = None,
    office=None,
    group_by: tuple[str, ...] = ("commitment__code",),
) -> list[dict]:
    """Commitment fulfilment (met / settled) in SQL, by the fields in `group_by`, for clocks settled in [start, end).

    Each row holds the group fields, `met`, `breached` and `fulfilment` (a `Fulfilment`). Waived clocks and clocks
    still running on time do not count.
    """
    qs = _settled(start=start, end=end, commitment=commitment, office=office)
    rows = (
        qs.values(*group_by)
        .annotate(**_outcome_counts())
        .order_by(*group_by)
    )
    return [{**row, "fulfilment": Fulfilment(met=row["met"], breached=row["breached"])} for row in rows]


def fulfilment_total(
    *, start: datetime | None = None, end: datetime | None = None, commitment: str | None = None, office=None
) -> Fulfilment:
    """One fulfilment figure over everything the filters select (S5.2, S13.6)."""
    qs = _settled(start=start, end=end, commitment=commitment, office=office)
    counts = qs.aggregate(**_outcome_counts())
    return Fulfilment(met=counts["met"], breached=counts["breached"])


def callback_rate(*, items: QuerySet) -> Fulfilment:
    """Callback rate (S13.5) over the given resolved items, in SQL.

    Denominator: the items that needed a callback — every resolved item except those settled in the first contact
    (a question answered at once) or whose customer declined a callback or left no way to be reached
    (`callback_due` off). Numerator: those whose customer was reached (satisfied or not). An item closed as
    unreachable after the policy's attempts needed a callback and counts as missed.
    """
    reached = Callback.objects.filter(
        content_type=ContentType.objects.get_for_model(items.model),
        object_id=OuterRef("pk"),
        outcome__in=[Callback.Outcome.SATISFIED, Callback.Outcome.UNSATISFIED],
    )
    counts = items.filter(callback_due=True).aggregate(
        total=Count("pk"), reached=Count("pk", filter=Exists(reached)))
    return Fulfilment(met=counts["reached"], breached=counts["total"] - counts["reached"])


def office_language_coverage(*, office) -> dict[str, int]:
    """How many active staff of an office serve in English and in sign language (S7.4)."""
    counts = office.staff.filter(is_active=True).aggregate(
        english=Count("pk", filter=Q(languages_served__code=ServiceLanguage.ENGLISH), distinct=True),
        sign=Count("pk", filter=Q(languages_served__code=ServiceLanguage.SIGN), distinct=True),
    )
    return counts
