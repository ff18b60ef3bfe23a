"""Reads of the counter: queue position and estimated wait, the windows and what each serves now, the board's feed,
and the statistics in SQL (`counter_times`) for the dashboard."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils import timezone

from supply_service.core.models import Office
from supply_service.core.services.policy import policy_int
from supply_service.counter.models import (
    BoardCall,
    ClerkCard,
    QueueTicket,
    RatingFollowUp,
    Receipt,
    Service,
    Tender,
    Window,
)

CENT = Decimal("0.01")
BOARD_CALLS = 8  # how many recent calls the board lists (layout, not a limit of the standard)


@dataclass(frozen=True)
class Position:
    ahead: int
    wait_minutes: int


def office_by_code(*, code: str) -> Office | None:
    return Office.objects.filter(code=code, is_active=True).first()


def services_for_office(*, office) -> list[Service]:
    return list(Service.objects.filter(office=office, is_active=True).order_by("position", "kind"))


def ticket_position(*, ticket: QueueTicket) -> Position:
    """People ahead (same service, earlier in the queue) and the estimated wait: ahead × today's mean handling time
    of the service (or the policy's default) ÷ the open windows that call the service."""
    waiting = QueueTicket.objects.filter(office_id=ticket.office_id, day=ticket.day, service_id=ticket.service_id,
                                         state=QueueTicket.State.WAITING)
    ahead = waiting.filter(Q(sort_at__lt=ticket.sort_at) | Q(sort_at=ticket.sort_at, pk__lt=ticket.pk)).count()
    handled = QueueTicket.objects.filter(
        office_id=ticket.office_id, day=ticket.day, service_id=ticket.service_id, finished_at__isnull=False,
        called_at__isnull=False, state=QueueTicket.State.DONE,
    ).aggregate(mean=Avg(ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField())))["mean"]
    minutes = handled.total_seconds() / 60 if handled else policy_int("counter_default_handling_minutes")
    windows = Window.objects.filter(office_id=ticket.office_id, is_open=True, services=ticket.service_id).count()
    return Position(ahead=ahead, wait_minutes=round(ahead * minutes / max(windows, 1)))


def windows_for_office(*, office) -> list[Window]:
    return list(Window.objects.filter(office=office).select_related("clerk").prefetch_related("services"))


def window_get(*, pk: int) -> Window | None:
    return Window.objects.select_related("office", "clerk").filter(pk=pk).first()


def window_by_pad_key(*, key: str) -> Window | None:
    return Window.objects.select_related("office", "clerk").filter(pad_key=key).first()


def clerk_photo_for_pad(*, key: str) -> bytes | None:
    """The photo of the clerk signed in at the pad's window, and nothing else (one query); None when there is none."""
    photo = (ClerkCard.objects.filter(user__in=Window.objects.filter(pad_key=key, clerk__isnull=False)
                                      .values("clerk")).values_list("photo", flat=True).first())
    return bytes(photo) if photo else None


@dataclass(frozen=True)
class PadCard:
    staff_number: str
    has_photo: bool


def clerk_card_of(*, window: Window) -> PadCard | None:
    """The staff number of the clerk signed in at the window and whether a photo is there (no photo bytes read)."""
    if window.clerk_id is None:
        return None
    row = (ClerkCard.objects.filter(user_id=window.clerk_id)
           .annotate(photo_size=Length("photo")).values_list("staff_number", "photo_size").first())
    return PadCard(staff_number=row[0], has_photo=bool(row[1])) if row else None


def followup_visibility(case: RatingFollowUp) -> tuple[str, int | None]:
    """The kernel's open-work rule (every work list and home): the case is hidden from the clerk who was rated."""
    return "", case.concerned_clerk_id


def followup_get(*, number: str) -> RatingFollowUp | None:
    if not number or "\x00" in number or len(number) > 24:
        return None
    return (RatingFollowUp.objects.select_related(
        "office", "owner", "concerned_clerk", "called_back_by", "rating", "rating__window", "rating__clerk",
        "rating__service", "rating__ticket", "rating__ticket__transaction").filter(number=number.upper()).first())


def window_current(*, window: Window) -> QueueTicket | None:
    """The number called to or being served at the window, if any."""
    return (QueueTicket.objects.filter(window=window, state__in=(QueueTicket.State.CALLED, QueueTicket.State.SERVING))
            .select_related("service", "transaction", "transaction__customer").first())


def waiting_by_service(*, office, day) -> dict[int, int]:
    rows = (QueueTicket.objects.filter(office=office, day=day, state=QueueTicket.State.WAITING)
            .values("service").annotate(n=Count("pk")).values_list("service", "n"))
    return dict(rows)


def ticket_get(*, pk: int) -> QueueTicket | None:
    return QueueTicket.objects.select_related("office", "service", "window").filter(pk=pk).first()


def board_calls(*, office, after: int = 0) -> list[BoardCall]:
    """The latest calls (newest first), or only those after the id `after` (the board's poll)."""
    qs = BoardCall.objects.filter(office=office).select_related("ticket", "window").order_by("-pk")
    if after:
        qs = qs.filter(pk__gt=after)
    return list(qs[:BOARD_CALLS])


def tenders_active() -> list[Tender]:
    return list(Tender.objects.filter(is_active=True).select_related("payment_method").order_by("position", "code"))


def today_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    local = timezone.localtime(now or timezone.now())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def tickets_today(*, window: Window, now: datetime | None = None) -> QuerySet[QueueTicket]:
    return (QueueTicket.objects.filter(window=window, day=timezone.localdate(now or timezone.now()))
            .exclude(state=QueueTicket.State.WAITING).select_related("service").order_by("-called_at", "-pk"))


def receipt_get(*, number: str) -> Receipt | None:
    return (Receipt.objects.select_related("office", "window", "clerk", "customer", "tender", "ticket", "reversed_by")
            .filter(number=number).first())


def receipts_for_ticket(*, ticket: QueueTicket) -> list[Receipt]:
    return list(Receipt.objects.filter(ticket=ticket).select_related("tender").order_by("issued_at"))


@dataclass(frozen=True)
class CashUpRow:
    clerk: str
    window: int | None
    tender: str
    count: int
    total: Decimal
    reversed_total: Decimal

    @property
    def net(self) -> Decimal:
        return self.total - self.reversed_total


def cash_up(*, office, start: datetime, end: datetime) -> list[CashUpRow]:
    """Totals per clerk, window and payment method over [start, end): one SQL aggregate; reversed payments are
    counted apart (net = total − reversed)."""
    rows = (Receipt.objects.filter(office=office, issued_at__gte=start, issued_at__lt=end)
            .values("clerk__username", "window__number", "tender__code")
            .annotate(count=Count("pk"), total=Sum("amount"),
                      reversed_total=Sum("amount", filter=Q(reversed_at__isnull=False)))
            .order_by("clerk__username", "window__number", "tender__code"))
    names = {t.code: str(t.name) for t in Tender.objects.all()}
    return [CashUpRow(r["clerk__username"], r["window__number"], names.get(r["tender__code"], r["tender__code"]),
                      r["count"], _yuan(r["total"]), _yuan(r["reversed_total"])) for r in rows]


def _yuan(value) -> Decimal:
    """A sum in yuan with its two decimals (SQLite's SUM drops trailing zeros)."""
    return Decimal(value or 0).quantize(CENT)


@dataclass(frozen=True)
class ClerkTotals(CashUpRow):
    """One clerk's cash-up over the chosen days in all (window and tender empty), and per payment method (all windows
    together) in `methods`."""

    methods: tuple[CashUpRow, ...] = ()


def cash_up_by_clerk(rows: list[CashUpRow]) -> list[ClerkTotals]:
    """The rows of `cash_up` folded per clerk and method (no query)."""
    per: dict[str, dict[str, list]] = {}
    for row in rows:
        cell = per.setdefault(row.clerk, {}).setdefault(row.tender, [0, Decimal("0"), Decimal("0")])
        cell[0] += row.count
        cell[1] += row.total
        cell[2] += row.reversed_total
    result = []
    for clerk, methods in per.items():
        lines = [CashUpRow(clerk, None, tender, n, total, rev) for tender, (n, total, rev) in sorted(methods.items())]
        result.append(ClerkTotals(clerk, None, "", sum(x.count for x in lines), sum((x.total for x in lines), CENT * 0),
                                  sum((x.reversed_total for x in lines), CENT * 0), methods=tuple(lines)))
    return result


REVERSALS_SHOWN = 200  # layout of the page: the newest reversals of the chosen days


def receipts_reversed(*, office, start: datetime, end: datetime) -> list[Receipt]:
    """Receipts issued in [start, end) and reversed since: who reversed, when, why (one query)."""
    return list(Receipt.objects.filter(office=office, issued_at__gte=start, issued_at__lt=end,
                                       reversed_at__isnull=False)
                .select_related("clerk", "reversed_by", "tender", "window").order_by("-reversed_at")
                [:REVERSALS_SHOWN])


def counter_times(*, office, start, end):
    """Waiting and handling times per service, window and hour, and the share within the S10.2.1 limits (SQL)."""
    from supply_service.counter.stats import counter_times as compute

    return compute(office=office, start=start, end=end)
