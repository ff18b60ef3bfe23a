"""What the public sees (S13.6, S13.7): the published months (frozen figures, every revision) and the disclosures —
tariffs, connection process and fees, orderly-use plans and outage plans — from the existing content and notices.
A constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.models import Commitment
from supply_service.core.models.commitments import limit_display
from supply_service.core.prepared import Bind, prepared
from supply_service.core.together import parallel, run
from supply_service.customers.models import FeeItem, Procedure, Tariff, TariffItem
from supply_service.dashboard.models import PublishedMonth
from supply_service.dashboard.selectors import Rate
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import public_notices

PUBLIC_MONTHS = 12
DISCLOSURE_ROWS = 20


@dataclass
class PublishedCommitment:
    code: str
    article: str
    title: str
    limit: str
    rate: Rate


class Publication:
    """One published revision. Its overall and callback rates are summed from the frozen counts; the per-commitment
    rows (titles translated, limits written out) are built only when read — the public page shows them for the
    latest month only, the feed and the CSV for every revision they list."""

    def __init__(self, row: PublishedMonth, earlier=()):
        self.row = row
        self.earlier: list[Publication] = list(earlier)
        figures = row.figures
        self._target, self._minimum = _decimal(figures.get("fulfilment_target")), figures.get("minimum_sample", 0)
        rows = figures.get("commitments", [])
        met = sum(c["met"] for c in rows)
        self.overall = Rate(met, met + sum(c["breached"] for c in rows), self._target, self._minimum)
        callback = figures.get("callback", {})
        self.callback = Rate(callback.get("reached", 0), callback.get("needed", 0),
                             _decimal(figures.get("callback_target")), self._minimum)

    @cached_property
    def commitments(self) -> list[PublishedCommitment]:
        """The frozen figures of each commitment as rates (titles in the reader's language; counts as published)."""
        return [
            PublishedCommitment(c["code"], c["article"], _(c["title"]), limit_display(Decimal(c["limit"]), c["unit"]),
                                Rate(c["met"], c["met"] + c["breached"], self._target, self._minimum))
            for c in self.row.figures.get("commitments", [])]

    @property
    def key(self) -> str:
        return f"{self.row.month:%Y-%m}"


def _decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


_RECENT = prepared(lambda: PublishedMonth.objects.filter(
    month__in=PublishedMonth.objects.order_by("-month").values("month").distinct()[:PUBLIC_MONTHS],
).select_related("published_by").order_by("-month", "-revision"))


def publications_recent_reads():
    """The latest revision of each of the last PUBLIC_MONTHS published months, newest first, each with its earlier
    revisions (a correction stays visible). One statement (a generator of reads: `core.together`)."""
    rows = yield _RECENT.read()
    result, by_month = [], {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    for month in sorted(by_month, reverse=True):
        latest, *older = by_month[month]
        result.append(Publication(latest, [Publication(r) for r in older]))
    return result


def publications_recent() -> list[Publication]:
    return run(publications_recent_reads())


def publications_all_revisions(*, limit: int = 60) -> list[Publication]:
    """Every revision, newest publication first (the Atom feed and the CSV)."""
    return [Publication(r) for r in PublishedMonth.objects.order_by("-published_at", "-pk")[:limit]]


_ACTIVE_COMMITMENTS = prepared(lambda: Commitment.objects.filter(is_active=True))


def commitments_public_reads():
    found = yield _ACTIVE_COMMITMENTS.read()
    return sorted(found, key=lambda c: c.sort_key)


@dataclass
class Disclosures:
    tariffs: list  # each Tariff with `published_items`, its items in order
    procedures: list
    fees: list
    orderly_use: list
    outage_plans: list


def _first_tariffs():
    return Tariff.objects.filter(is_active=True)[:DISCLOSURE_ROWS]


_TARIFFS = prepared(_first_tariffs)
_TARIFF_ITEMS = prepared(lambda: TariffItem.objects.filter(tariff_id__in=_first_tariffs().values("pk"))
                         .order_by("tariff_id", "position", "pk"))
_PROCEDURES = prepared(lambda: Procedure.objects.filter(is_active=True).select_related("commitment")[:DISCLOSURE_ROWS])
_FEES = prepared(lambda: FeeItem.objects.filter(is_active=True)[:DISCLOSURE_ROWS])
_NOTICES = {kind: prepared(lambda kind=kind: public_notices(now=Bind("now", DateTimeField())).filter(kind=kind)
                           [:DISCLOSURE_ROWS])
            for kind in (OutageNotice.Kind.RESTRICTION, OutageNotice.Kind.PLANNED)}


def _with_items(tariffs: list, items: list) -> list:
    by_tariff: dict[int, list] = {}
    for item in items:
        by_tariff.setdefault(item.tariff_id, []).append(item)
    for tariff in tariffs:
        tariff.published_items = by_tariff.get(tariff.pk, [])
    return tariffs


def disclosures_reads(*, now=None):
    """S13.7 in one place, from the content managers already keep (tariffs, procedures, fee items) and the published
    notices: supply restrictions (orderly use, 有序用电) and planned outages. Six statements, written once per process
    (`core.prepared`) and read together (`core.together`)."""
    now = now or timezone.now()
    tariffs, items, procedures, fees, orderly_use, outage_plans = yield from parallel(
        _TARIFFS.read(), _TARIFF_ITEMS.read(), _PROCEDURES.read(), _FEES.read(),
        _NOTICES[OutageNotice.Kind.RESTRICTION].read(now=now), _NOTICES[OutageNotice.Kind.PLANNED].read(now=now))
    return Disclosures(tariffs=_with_items(tariffs, items), procedures=procedures, fees=fees, orderly_use=orderly_use,
                       outage_plans=outage_plans)


def disclosures(*, now=None) -> Disclosures:
    return run(disclosures_reads(now=now))
