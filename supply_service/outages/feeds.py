"""The public Atom feed of outage notices (S13.7): one entry per current or upcoming published notice, in the
request's language (or the language named by `?lang=`, for feed readers that send no cookie)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.translation import gettext as _

from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import public_notices

FEED_ITEMS = 200
TAG = "tag:supply-service,2026:"


def with_last_change(qs: QuerySet[OutageNotice]) -> QuerySet[OutageNotice]:
    """Annotate `last_change`: the time of the notice's latest history record (rescheduling changes no timestamp
    field of its own), in the same query."""
    latest = (
        OutageNotice.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date").values("history_date")[:1]
    )
    return qs.annotate(last_change=Subquery(latest))


def query_language(request: HttpRequest) -> str | None:
    """`?lang=ug` picks a page language for clients without the language cookie (feed readers, calendars)."""
    code = (request.GET.get("lang") or "").strip().lower()
    return code if code in dict(settings.LANGUAGES) else None


def in_query_language(view):
    """Run the view in the `?lang=` language when one is given. The answer depends on the language cookie too:
    say so to caches (LocaleMiddleware adds Accept-Language)."""

    def wrapped(request, *args, **kwargs):
        language = query_language(request)
        if language is None:
            response = view(request, *args, **kwargs)
        else:
            with translation.override(language):
                response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = language
        patch_vary_headers(response, ["Cookie"])
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def local_span(start, end) -> str:
    """2026-12-01 09:00 – 13:00, or both dates when the outage runs past midnight (Beijing time)."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    until = end.strftime("%H:%M") if start.date() == end.date() else end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d %H:%M} – {until}"


def entry_title(notice: OutageNotice) -> str:
    return f"{notice.get_kind_display()}: {notice.area} ({local_span(notice.planned_start, notice.planned_end)})"


class PublicOutageFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        return in_query_language(super().__call__)(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, obj) -> str:
        return _("Power outage notices")

    def subtitle(self, obj) -> str:
        return _("Current and upcoming power outages. Service hotline 95598.")

    def link(self, obj) -> str:
        return reverse("public_outages:list")

    def feed_url(self, obj) -> str:
        return reverse("public_outages:feed")

    def feed_guid(self, obj) -> str:
        return f"{TAG}outages"

    def author_name(self, obj) -> str:
        return str(settings.SUPPLY_SITE_NAME)

    def items(self, obj):
        return with_last_change(public_notices())[:FEED_ITEMS]

    def item_title(self, item: OutageNotice) -> str:
        return entry_title(item)

    def item_description(self, item: OutageNotice) -> str:
        facts = [
            (_("Kind"), item.get_kind_display()),
            (_("State"), item.get_state_display()),
            (_("Area"), item.area),
            (_("Start"), local(item.planned_start)),
            (_("End"), local(item.planned_end)),
            (_("Reason"), item.reason),
        ]
        html = format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", facts))
        html += linebreaks(item.text, autoescape=True)
        if item.kind == OutageNotice.Kind.EMERGENCY and item.explanation:
            html += linebreaks(item.explanation, autoescape=True)
        return html

    def item_link(self, item: OutageNotice) -> str:
        return reverse("public_outages:detail", args=[item.number])

    def item_guid(self, item: OutageNotice) -> str:
        return f"{TAG}outage:{item.number}"

    def item_pubdate(self, item: OutageNotice):
        return item.published_at

    def item_updateddate(self, item: OutageNotice):
        return item.last_change or item.published_at

    def item_categories(self, item: OutageNotice):
        return [item.get_kind_display()]
