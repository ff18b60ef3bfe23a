from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop

from supply_service.core.services.calendar import deadline_text

register = template.Library()


@register.filter
def deadline(value) -> str:
    """A due time as people read deadlines (2026-12-01 00:00 -> 2026-11-30 24:00): `calendar.deadline_text`."""
    return deadline_text(value)


@register.simple_tag
def commitment_limit(code: str, **facts) -> str:
    """The configured limit of a commitment (or of the variant of a family that fits `facts`), in words."""
    from django.core.exceptions import ValidationError

    from supply_service.core.services.sla import commitment_resolve

    try:
        return commitment_resolve(code=code, facts=facts).display_limit
    except ValidationError:
        return ""


# --- list rows without includes ------------------------------------------------------------------------------------
# The same markup as partials/time.html, partials/due.html and partials/row_signal.html, written by one Python call:
# in a list of 25 rows the includes and `date` filters were most of the page's time (benchmarks, issue 12).


@register.simple_tag
def time_html(value) -> str:
    """<time> of a moment, local: as `partials/time.html`."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html('<time datetime="{}" dir="ltr">{}</time>', local.isoformat(), f"{local:%Y-%m-%d %H:%M}")


@register.simple_tag
def due_html(value) -> str:
    """<time> of a deadline (a day limit reads 24:00 of its last day): as `partials/due.html`."""
    if not value:
        return ""
    return format_html('<time datetime="{}" dir="ltr">{}</time>', timezone.localtime(value).isoformat(),
                       deadline_text(value))


SIGNAL_TEXT = {"green": gettext_noop("On time"), "amber": gettext_noop("Due soon"), "red": gettext_noop("Overdue"),
               "grey": gettext_noop("No running clock")}


@register.simple_tag
def signal_html(signal: str) -> str:
    """The row's SLA signal as a badge: as `partials/row_signal.html`."""
    text = SIGNAL_TEXT.get(signal)
    return format_html('<span class="sla sla-{}" data-signal="{}">{}</span>', signal, signal,
                       gettext(text) if text else "")


@register.simple_tag
def staff_nav_links(user) -> list:
    """The apps' entries of the staff top navigation the user may follow (core.nav)."""
    from supply_service.core.nav import nav_links_for

    return nav_links_for(user)
