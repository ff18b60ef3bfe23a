"""The kiosk's bilingual headings written by Python: the same markup as `kiosk/partials/heading_text.html` and
`kiosk/partials/section_heading.html` (kept as the reference tests/kiosk/test_kiosk_tags.py compares with). A page has
a dozen of them; as includes they were a sixth of the account page (issue 12). Headings are the same for every
customer, so each is written once per process and language set (`Part` is a frozen value)."""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from supply_service.core.html import time_html

register = template.Library()

LIMIT = 2048
_TEXT: dict[tuple, str] = {}


def _text(parts) -> str:
    key = tuple(parts)
    html = _TEXT.get(key)
    if html is None:
        html = "".join(
            ('<span class="h-sep" aria-hidden="true"> · </span>' if i else "")
            + f'<span lang="{escape(part.lang)}" dir="{"rtl" if part.rtl else "ltr"}" '
              f'class="{"h-main" if part.primary else "h-alt"}">{escape(str(part.text))}</span>'
            for i, part in enumerate(parts)) + "\n"
        if len(_TEXT) >= LIMIT:
            _TEXT.clear()
        _TEXT[key] = html
    return html


@register.simple_tag
def heading_text(parts) -> SafeString:
    """`{% include "kiosk/partials/heading_text.html" with parts=parts only %}`."""
    return mark_safe(_text(parts))  # noqa: S308  (escaped above)


@register.simple_tag
def section_heading(id, parts) -> SafeString:  # noqa: A002  (the partial's name for it)
    """`{% include "kiosk/partials/section_heading.html" with id=id parts=parts only %}`."""
    return mark_safe(f'<h2 id="{escape(str(id))}" class="kiosk-h2">{_text(parts)}</h2>\n')  # noqa: S308


def _iso(value) -> str:
    """`value|date:'c'` of an aware datetime."""
    return timezone.localtime(value).isoformat()


def _stage_html(stage, t: dict) -> str:
    if stage.done:
        state, css = f"{t['done']} {time_html(stage.at)}", "done"
    elif stage.current:
        state, css = t["in_progress"], "current"
    else:
        state, css = t["not_yet"], "pending"
    due = ""
    if stage.due_at:
        due = (f'<span class="stage-due" data-due="{_iso(stage.due_at)}">{t["due_by"]} <time datetime="'
               f'{_iso(stage.due_at)}" dir="ltr">{escape(stage.due_label)}</time></span>')
    return (
        "\n"
        f'      <li class="stage {css}" data-done="{1 if stage.done else 0}">\n'
        '        <span class="stage-mark" aria-hidden="true"></span>\n'
        f'        <span class="stage-label">{escape(str(stage.label))}</span>\n'
        f'        <span class="stage-state">{state}</span>\n'
        f"        {due}\n"
        "      </li>\n"
        "      "
    )


@register.simple_tag
def application_html(app) -> SafeString:
    """`{% include "kiosk/partials/application.html" %}` for one application (its stage timeline)."""
    t = {key: escape(gettext(text)) for key, text in _APPLICATION_TEXTS.items()}
    finished = ""
    if app.finished_at:
        finished = (f' · <span class="finished-at">{t["cancelled"] if app.cancelled else t["finished"]} '
                    f"{time_html(app.finished_at)}</span>")
    clock = ""
    if app.clock:
        commitment = app.clock.commitment
        paused = f' · <span class="status">{t["paused"]}</span>' if app.paused else ""
        clock = (f'<p class="clock-note">{escape(str(commitment.display_title))}: '
                 f"{escape(str(commitment.display_limit))}{paused}</p>")
    waiting = ""
    if app.paused:
        waiting = (f'<p class="msg warning waiting-for" role="status">{t["waiting"]} <bdi dir="auto">'
                   f"{escape(str(app.waiting_for))}</bdi></p>")
    css, finished_at = (" finished", f' data-finished="{_iso(app.finished_at)}"') if app.finished_at else ("", "")
    return mark_safe(  # noqa: S308  (every value escaped)
        f'<article class="card application{css}" data-number="{escape(app.number)}"{finished_at}>\n'
        f'    <h3><bdi dir="ltr">{escape(app.number)}</bdi> · {escape(str(app.business))} · '
        f"{escape(str(app.applicant_class))}</h3>\n"
        f'    <p>{t["state"]}: <strong>{escape(str(app.state_label))}</strong>{finished}</p>\n'
        f"    {clock}\n"
        f"    {waiting}\n"
        '    <ol class="timeline">\n'
        "      " + "".join(_stage_html(stage, t) for stage in app.stages) + "\n"
        "    </ol>\n"
        "  </article>"
    )


_APPLICATION_TEXTS = {
    "state": gettext_noop("State"), "cancelled": gettext_noop("Cancelled on"), "finished": gettext_noop("Finished on"),
    "paused": gettext_noop("Paused"), "waiting": gettext_noop("Waiting for you:"), "done": gettext_noop("Done"),
    "in_progress": gettext_noop("In progress"), "not_yet": gettext_noop("Not yet"), "due_by": gettext_noop("Due by"),
}


@register.simple_tag
def kiosk_ticket_rows_html(rows, l_number, l_kind, l_state, l_received, l_due) -> SafeString:
    """The account page's other open requests (`TicketRow`s), as the template loop wrote them."""
    number, kind, state, received, due = (escape(str(label)) for label in (l_number, l_kind, l_state, l_received, l_due))
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td data-label="{number}"><bdi dir="ltr">{escape(row.number)}</bdi></td><td data-label="{kind}">'
        f'{escape(str(row.kind_label))}</td><td data-label="{state}">{escape(str(row.state_label))}</td>'
        f'<td data-label="{received}">{time_html(row.created_at)}</td><td data-label="{due}">'
        + (f'<time datetime="{_iso(row.due)}" dir="ltr">{escape(row.due_label)}</time>' if row.due else "—")
        + "</td></tr>"
        for row in rows))
