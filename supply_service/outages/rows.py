"""The staff notice list's table rows written by Python (issue 12): the template's loop — two includes and five date
filters a row — was three quarters of the page (25 rows: 18 ms of 33). tests/outages/test_staff_rows.py keeps the
loop and compares its output with this in every staff language."""

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from supply_service.core.html import choice_label, esc, number_linker
from supply_service.outages.models import OutageNotice


def span_html(start, end, tz) -> str:
    """`outages/partials/span.html`: a notice's start and end (the end's day left out when it is the start's)."""
    start, end = start.astimezone(tz), end.astimezone(tz)
    end_text = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
    return (f'<bdi dir="ltr" class="ot-span"><time datetime="{start.isoformat()}">{start:%Y-%m-%d %H:%M}</time> – '
            f'<time datetime="{end.isoformat()}">{end_text}</time></bdi>\n')


def staff_notice_rows_html(notices, *, office_scope: bool) -> SafeString:
    """The rows of `outages/notice_list.html`'s table (`office_scope`: the office column left out)."""
    link, tz = number_linker("outages:detail"), timezone.get_current_timezone()
    kind, state = OutageNotice._meta.get_field("kind"), OutageNotice._meta.get_field("state")
    revision = esc(gettext("revision"))
    rows = []
    for notice in notices:
        number = notice.number
        mark = (f' <small class="muted" title="{revision}">r{notice.revision}</small>' if notice.revision > 1 else "")
        office = "" if office_scope else f"<td>{esc(notice.office.name)}</td>"
        code = esc(notice.state)
        rows.append(
            f'\n    <tr data-number="{esc(number)}" data-state="{code}">\n'
            f"      <td>{link(number)}{mark}</td>\n"
            f"      <td>{esc(choice_label(kind, notice.kind))}</td>\n"
            f'      <td dir="auto">{esc(notice.area)}</td>\n'
            f"      <td>{span_html(notice.planned_start, notice.planned_end, tz)}</td>\n"
            f'      <td><span class="state-pill notice-state-{code}" data-state="{code}">'
            f"{esc(choice_label(state, notice.state))}</span>\n</td>\n"
            f"      {office}\n"
            f"      <td>{esc(notice.created_by)}</td>\n"
            "    </tr>\n  ")
    return mark_safe("".join(rows))  # noqa: S308  (every value escaped)
