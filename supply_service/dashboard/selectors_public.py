"""What the public sees (S13.6, S13.7): the published months (frozen figures, every revision) and the disclosures —
tariffs, connection process and fees, orderly-use plans and outage plans — from the existing content and notices.
A constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from supply_service.core.models import Commitment
from supply_service.core.models.commitments import limit_display
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


@dataclass
class Publication:
    row: PublishedMonth
    commitments: list[PublishedCommitment]
    overall: Rate
    callback: Rate
    earlier: list["Publication"]

    @property
    def key(self) -> str:
        return f"{self.row.month:%Y-%m}"


def _decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def publication_read(row: PublishedMonth, earlier=()) -> Publication:
    """The frozen figures of one revision as rates (titles in the reader's language; the counts as published)."""
    figures = row.figures
    target, minimum = _decimal(figures.get("fulfilment_target")), figures.get("minimum_sample", 0)
    commitments = [
        PublishedCommitment(c["code"], c["article"], _(c["title"]), limit_display(Decimal(c["limit"]), c["unit"]),
                            Rate(c["met"], c["met"] + c["breached"], target, minimum))
        for c in figures.get("commitments", [])]
    met = sum(c.rate.met for c in commitments)
    total = sum(c.rate.total for c in commitments)
    callback = figures.get("callback", {})
    return Publication(row, commitments, Rate(met, total, target, minimum),
                       Rate(callback.get("reached", 0), callback.get("needed", 0),
                            _decimal(figures.get("callback_target")), minimum), list(earlier))


def publications_recent(*, months: int = PUBLIC_MONTHS) -> list[Publication]:
    """The latest revision of each of the last `months` published months, newest first, each with its earlier
    revisions (a correction stays visible). Two queries."""
    recent = list(PublishedMonth.objects.order_by("-month").values_list("month", flat=True).distinct()[:months])
    rows = list(PublishedMonth.objects.filter(month__in=recent).select_related("published_by")
                .order_by("-month", "-revision"))
    result, by_month = [], {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    for month in sorted(by_month, reverse=True):
        latest, *older = by_month[month]
        result.append(publication_read(latest, [publication_read(r) for r in older]))
    return result


def publications_all_revisions(*, limit: int = 60) -> list[Publication]:
    """Every revision, newest publication first (the Atom feed and the CSV)."""
    return [publication_read(r) for r in PublishedMonth.objects.order_by("-published_at", "-pk")[:limit]]


def commitments_public() -> list[Commitment]:
    return sorted(Commitment.objects.filter(is_active=True), key=lambda c: c.sort_key)


@dataclass
class Disclosures:
    tariffs: list
    procedures: list
    fees: list
    orderly_use: list
    outage_plans: list


def disclosures(*, now=None) -> Disclosures:
    """S13.7 in one place, from the content managers already keep (tariffs, procedures, fee items) and the published
    notices: supply restrictions (orderly use, 有序用电) and planned outages. Five queries."""
    now = now or timezone.now()
    notices = public_notices(now=now)
    return Disclosures(
        tariffs=list(Tariff.objects.filter(is_active=True).prefetch_related(
            Prefetch("items", queryset=TariffItem.objects.order_by("position", "pk")))[:DISCLOSURE_ROWS]),
        procedures=list(Procedure.objects.filter(is_active=True).select_related("commitment")[:DISCLOSURE_ROWS]),
        fees=list(FeeItem.objects.filter(is_active=True)[:DISCLOSURE_ROWS]),
        orderly_use=list(notices.filter(kind=OutageNotice.Kind.RESTRICTION)[:DISCLOSURE_ROWS]),
        outage_plans=list(notices.filter(kind=OutageNotice.Kind.PLANNED)[:DISCLOSURE_ROWS]),
    )
