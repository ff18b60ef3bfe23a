"""Tags that write what small partials write, without an include (issue 12: an include costs a context, a template
lookup and a date filter — on a page with dozens of times that was a large part of its time). Each writes exactly
the partial's output, its final newline included (tests/core/test_partial_tags.py compares them); a value the fast
path does not cover goes through the partial itself."""

from datetime import datetime
from html import escape
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from supply_service.core import html
from supply_service.core.services.calendar import deadline_text
from supply_service.core.templatetags.chart_tags import value_html

register = template.Library()


def _aware(value) -> bool:
    return isinstance(value, datetime) and timezone.is_aware(value)


@register.simple_tag
def time_partial(value) -> SafeString:
    """`{% include "partials/time.html" with value=value only %}`."""
    if not _aware(value):
        return mark_safe(render_to_string("partials/time.html", {"value": value}))  # noqa: S308  (a template's output)
    local = timezone.localtime(value)
    return mark_safe(f'<time datetime="{local.isoformat()}" dir="ltr">{local:%Y-%m-%d %H:%M}</time>\n')  # noqa: S308


@register.simple_tag
def due_partial(value) -> SafeString:
    """`{% include "partials/due.html" with value=value only %}`."""
    if not _aware(value):
        return mark_safe(render_to_string("partials/due.html", {"value": value}))  # noqa: S308  (a template's output)
    return mark_safe(  # noqa: S308  (escaped)
        f'<time datetime="{timezone.localtime(value).isoformat()}" dir="ltr">{escape(deadline_text(value))}</time>\n')


_SIGNAL_TEXT = {"green": "On time", "amber": "Due soon", "red": "Overdue"}


def _badge(clock, signal) -> str:
    """`partials/sla_badge.html`."""
    text = gettext(_SIGNAL_TEXT[signal]) if signal in _SIGNAL_TEXT else clock.get_state_display()
    return f'<span class="sla sla-{value_html(signal)}" data-signal="{value_html(signal)}">{value_html(text)}</span>\n'


def _clock_row(row) -> str:
    clock, signal = row["clock"], row["signal"]
    commitment = clock.commitment
    return (
        f'\n    <tr class="row-{value_html(signal)}" data-commitment="{value_html(commitment.code)}" '
        f'data-clock-state="{value_html(clock.state)}">\n'
        f'      <td>{value_html(commitment.display_title)} <small>(<bdi>{value_html(commitment.display_limit)}</bdi>, '
        f'<bdi dir="ltr">{value_html(commitment.article)}</bdi>)</small></td>\n'
        f"      <td>{time_partial(clock.started_at)}</td>\n"
        f"      <td>{due_partial(clock.due_at) if clock.due_at else '—'}</td>\n"
        f"      <td>{time_partial(clock.stopped_at) if clock.stopped_at else '—'}</td>\n"
        f"      <td>{value_html(clock.get_state_display())}{' ' + _badge(clock, signal) if clock.is_open else ''}</td>\n"
        "    </tr>"
    )


@register.simple_tag
def sla_clock_rows_html(rows) -> SafeString:
    """The rows of `partials/sla_clocks.html` (`{% for row in clocks %}…{% endfor %}`)."""
    return mark_safe("".join(_clock_row(row) for row in rows))  # noqa: S308  (every value escaped)


@register.simple_tag
def pagination_html(page, param="", query="") -> SafeString:
    """`{% include "partials/pagination.html" with page=page param=param query=query only %}` (the pager under a
    list: previous, "page n of m", next)."""
    if not page.has_other_pages():
        return mark_safe("\n")  # noqa: S308
    base = f'?{"q=" + escape(quote(str(query), safe="/")) + "&amp;" if query else ""}{escape(str(param or "page"))}='
    previous = (f'<a href="{base}{page.previous_page_number()}" rel="prev">{escape(gettext("Previous"))}</a>'
                if page.has_previous() else "")
    following = (f'<a href="{base}{page.next_page_number()}" rel="next">{escape(gettext("Next"))}</a>'
                 if page.has_next() else "")
    position = gettext("Page %(number)s of %(count)s") % {"number": page.number, "count": page.paginator.num_pages}
    return mark_safe(  # noqa: S308  (escaped)
        f'\n<nav class="pagination" aria-label="{escape(gettext("Pages"))}">\n'
        f"  {previous}\n"
        f"  <span>{position}</span>\n"
        f"  {following}\n"
        "</nav>\n")


@register.simple_tag
def choice_labels_html(field, css) -> SafeString:
    """The options of a bound radio field, each `<label class="css" for=…><input …> <span>label</span></label>`
    (`core.html.choice_labels_html`; tests/core/test_partial_tags.py compares it with the template loop)."""
    return mark_safe(html.choice_labels_html(field, css))  # noqa: S308  (every value escaped)
