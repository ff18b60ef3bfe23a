"""The staff home's tables and its counts per kind written by one Python call each: the same markup as the loops in
`core/partials/home_work_rows.html`, `core/partials/home_clock_rows.html`, `core/partials/home_kind_counts.html` and
`core/partials/home_notes.html` (the references tests/core/test_home_rows_tags.py compares with). Rendered by the
template engine, the 25 rows were most of the home's time, the nine chips and the ten notifications each a tenth of
the manager's (issue 12)."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from supply_service.core.html import due_html, esc, time_html
from supply_service.core.templatetags.partial_tags import time_partial
from supply_service.core.templatetags.supply_tags import signal_html

register = template.Library()


def _due(value, tz) -> str:
    """`{% if value %}{% due_html value %}{% else %}—{% endif %}`."""
    return due_html(value, tz) if value else "—"


def _words(message: str) -> str:
    return esc(gettext(message))


def _linked(url, label) -> str:
    bdi = f'<bdi dir="ltr">{esc(label)}</bdi>'
    return f'<a href="{esc(url)}">{bdi}</a>' if url else bdi


class _Once(dict):
    """Values computed once per table (a badge per signal, a commitment's words)."""

    def get_or(self, key, compute, *args):
        if key not in self:
            self[key] = compute(*args)
        return self[key]


@register.simple_tag
def home_work_rows_html(rows) -> SafeString:
    once, tz = _Once(), timezone.get_current_timezone()
    parts = []
    for row in rows:
        state = esc(row["state_label"])
        if row.get("callback_due"):
            state += f' · <strong class="callback-due">{once.get_or("cb", _words, "callback due")}</strong>'
        if row.get("paused"):
            state += (' · <span class="muted">'
                      f'{once.get_or("wait", _words, "waiting for the customer")}</span>')
        signal = row["signal"]
        parts.append(
            f'\n      <tr class="row-{esc(signal)}" data-number="{esc(row["number"])}">\n'
            f'        <td>{_linked(row.get("url"), row["number"])}</td>\n'
            f'        <td>{esc(row["kind_label"])}</td>\n'
            f'        <td>{state}</td>\n'
            f'        <td>{_due(row.get("due"), tz)}</td>\n'
            f'        <td>{once.get_or(("signal", signal), signal_html, signal)}</td>\n'
            f'      </tr>\n    '
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped)


@register.simple_tag
def home_kind_counts_html(counts) -> SafeString:
    """The chips "Repair: 12" of what waits per kind; past the cap "99+" (read out "more than 99")."""
    parts = []
    for c in counts:
        count = c["count"]
        if c["more"]:
            more = esc(ngettext("more than %(n)s", "more than %(n)s", count) % {"n": count})
            figure = (f'<span aria-hidden="true"><bdi dir="ltr">{esc(count)}+</bdi></span>'
                      f'<span class="visually-hidden">{more}</span>')
        else:
            figure = esc(count)
        parts.append(f'<span class="chip" data-kind="{esc(c["kind"])}">{esc(c["label"])}: <strong>{figure}</strong>'
                     '</span> ')
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped)


@register.simple_tag
def home_notes_html(notifications) -> SafeString:
    """The list items of the work that arrived (time · the message, linked to the item when it has a page)."""
    parts = []
    for note in notifications:
        text = esc(note.text)
        message = f'<a href="{esc(note.url)}">{text}</a>' if note.url else text
        parts.append(f'<li data-item="{esc(note.item_number)}">{time_partial(note.created_at)} · {message}</li>')
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped)


def _badge(clock, signal: str) -> str:
    """`partials/sla_badge.html` (with the newline that ends the file)."""
    texts = {"green": "On time", "amber": "Due soon", "red": "Overdue"}
    text = gettext(texts[signal]) if signal in texts else clock.get_state_display()
    return f'<span class="sla sla-{esc(signal)}" data-signal="{esc(signal)}">{esc(text)}</span>\n'


def _commitment(commitment) -> str:
    return (f'{esc(commitment.display_title)} <small>(<bdi>{esc(commitment.display_limit)}</bdi>, '
            f'<bdi dir="ltr">{esc(commitment.article)}</bdi>)</small>')


@register.simple_tag
def home_clock_rows_html(rows) -> SafeString:
    once, tz = _Once(), timezone.get_current_timezone()
    parts = []
    for row in rows:
        clock, signal = row["clock"], row["signal"]
        badge = (_badge(clock, signal) if signal not in ("green", "amber", "red")
                 else once.get_or(("badge", signal), _badge, clock, signal))
        parts.append(
            f'\n      <tr class="row-{esc(signal)}">\n'
            f'        <td>{_linked(row.get("url"), clock.subject_label)}</td>\n'
            f'        <td>{once.get_or(("commitment", clock.commitment_id), _commitment, clock.commitment)}</td>\n'
            f'        <td>{time_html(clock.started_at, "", tz) if clock.started_at else ""}</td>\n'
            f'        <td>{_due(clock.due_at, tz)}</td>\n'
            f'        <td>{badge}</td>\n'
            f'      </tr>\n    '
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped)
