"""The outages app's panel on the customer page (registered in `OutagesConfig.ready`, see `core.panels`)."""

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from supply_service.core.html import choice_label, esc, number_linker, time_html
from supply_service.outages.models import OutageNotice
from supply_service.outages.selectors import notices_affecting_reads


def customer_outages_panel(*, request, customer):
    """Upcoming/current notices affecting the customer and this year's planned ones (S6.5), two queries sent with
    the page's others (`core.together`)."""
    found = yield from notices_affecting_reads(customer=customer)
    return {**found, "upcoming_html": customer_outage_items_html(found["upcoming"])}


def customer_outages_html(panel: dict, *, request, customer) -> SafeString:
    """`outages/partials/customer_panel.html` (its writer: `core.panels`)."""
    count = panel["planned_count"]
    planned = ngettext("%(counter)s planned outage this year (S6.5).", "%(counter)s planned outages this year (S6.5).",
                       count) % {"counter": count}
    if panel["upcoming"]:
        body = f'\n  <ul id="customer-outages">{panel["upcoming_html"]}</ul>\n  '
    else:
        body = f'<p class="empty">{esc(gettext("No current or upcoming outage for this customer."))}</p>'
    return mark_safe(  # noqa: S308  (every value escaped)
        '<section aria-labelledby="outages-h">\n'
        f'  <h2 id="outages-h">{esc(gettext("Outages"))}</h2>\n'
        f'  <p id="planned-outage-count" data-count="{count}">{planned}</p>\n'
        f"  {body}\n</section>\n")


def customer_outage_items_html(notices) -> SafeString:
    """The panel's list items (tests/core/test_panel_rows.py compares them with the template loop they replace)."""
    kind, state = OutageNotice._meta.get_field("kind"), OutageNotice._meta.get_field("state")
    link, tz = number_linker("outages:detail"), timezone.get_current_timezone()
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<li>{link(n.number)} · '
        f'{esc(choice_label(kind, n.kind))} · <bdi>{esc(n.area)}</bdi> · {time_html(n.planned_start, tz=tz)} – '
        f'{time_html(n.planned_end, tz=tz)} · {esc(choice_label(state, n.state))}</li>'
        for n in notices))
