"""The public commitments page (S13.6, S13.7; no login): the commitments, the achieved rates of the latest
published month, the last 12 published months with every revision, how the rates are computed, the disclosures,
and the same data as Atom and CSV. Mounted at /public/commitments/ (app_name "public_commitments")."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from supply_service.core.together import gather
from supply_service.dashboard.exports import csv_response
from supply_service.dashboard.selectors_public import (
    commitments_public_reads,
    disclosures_reads,
    publications_all_revisions,
    publications_recent_reads,
)
from supply_service.outages.feeds import in_query_language

TAG = "tag:supply-service,2026:published-month:"


@require_GET
@in_query_language
def page(request: HttpRequest) -> HttpResponse:
    found = gather({"publications": publications_recent_reads(), "commitments": commitments_public_reads(),
                    "disclosures": disclosures_reads()})  # one round of reads (core.together)
    publications = found["publications"]
    latest = publications[0] if publications else None
    achieved = {c.code: c for c in latest.commitments} if latest else {}
    rows = [{"commitment": c, "published": achieved.get(c.code)} for c in found["commitments"]]
    return render(request, "dashboard/public_commitments.html", {
        "rows": rows, "latest": latest, "publications": publications,
        "revised": [p for p in publications if p.earlier], "disclosures": found["disclosures"]})


def _rate_text(rate) -> str:
    if rate.value is None:
        return _("nothing settled")
    return _("%(rate)s%% (%(met)s of %(total)s)") % {"rate": rate.value, "met": rate.met, "total": rate.total}


class PublicationFeed(Feed):
    """Every published revision, newest first."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        return in_query_language(super().__call__)(request, *args, **kwargs)

    def title(self):
        return _("Service commitments: fulfilment rates published")

    def link(self):
        return reverse("public_commitments:page")

    def subtitle(self):
        return _("Fulfilment = met ÷ (met + breached) of the commitments settled in the month.")

    def items(self):
        return publications_all_revisions()

    def item_title(self, item):
        return _("%(month)s, revision %(revision)s: %(rate)s") % {
            "month": item.key, "revision": item.row.revision, "rate": _rate_text(item.overall)}

    def item_description(self, item):
        parts = [_("Commitments kept: %(rate)s") % {"rate": _rate_text(item.overall)},
                 _("Callback rate: %(rate)s") % {"rate": _rate_text(item.callback)}]
        if item.row.reason:
            parts.append(_("Revision: %(reason)s") % {"reason": item.row.reason})
        return " · ".join(parts)

    def item_link(self, item):
        return f"{reverse('public_commitments:page')}#month-{item.key}-r{item.row.revision}"

    def item_guid(self, item):
        return f"{TAG}{item.key}:r{item.row.revision}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.row.published_at

    def item_updateddate(self, item):
        return item.row.published_at


CSV_HEADERS = ["month", "revision", "published_at", "measure", "article", "title", "numerator", "denominator",
               "rate_percent", "reason"]


@require_GET
@in_query_language
def csv_feed(request: HttpRequest) -> HttpResponse:
    """Every published revision as open data: one row per commitment, plus the total and the callback rate."""
    rows = []
    for pub in publications_all_revisions():
        head = [pub.key, pub.row.revision, timezone.localtime(pub.row.published_at).isoformat(timespec="minutes")]
        for c in pub.commitments:
            rows.append([*head, c.code, c.article, c.title, c.rate.met, c.rate.total, c.rate.value, pub.row.reason])
        rows.append([*head, "commitment_fulfilment", "S5.2", _("All commitments"), pub.overall.met, pub.overall.total,
                     pub.overall.value, pub.row.reason])
        rows.append([*head, "callback_rate", "S13.5", _("Callback rate"), pub.callback.met, pub.callback.total,
                     pub.callback.value, pub.row.reason])
    return csv_response(filename="commitment-fulfilment.csv", headers=CSV_HEADERS, rows=rows)
