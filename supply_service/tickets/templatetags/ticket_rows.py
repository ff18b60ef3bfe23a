"""The work list's rows written by one Python call: the same markup as `tickets/partials/ticket_row.html` (kept as
the reference the tests compare with). Twenty-five includes of that partial were most of the list's time (issue 12)."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from supply_service.core.html import due_html, esc, time_html
from supply_service.core.templatetags.supply_tags import signal_html

register = template.Library()

_PLACEHOLDER = "ZZ-00000000-0"  # a number the item-number converter accepts, replaced by each row's number


def _customer(row: dict) -> str:
    if row["customer_name"] or row["customer_phone"]:
        cell = (f'<bdi>{esc(row["masked_name"] or "—")}</bdi><br><small class="muted"><bdi dir="ltr">'
                f'{esc(row["masked_phone"])}</bdi></small>')
    else:
        cell = "—"
    if row["account_number"]:
        cell += f'<br><small><bdi dir="ltr">{esc(row["account_number"])}</bdi></small>'
    return cell


def _owner(row: dict) -> str:
    if row["owner__last_name"] or row["owner__first_name"]:
        return f'{esc(row["owner__last_name"])}{esc(row["owner__first_name"])}'
    return str(esc(row["owner__username"]))


def ticket_row_html(row: dict, *, office_scope: bool, url: str, signals: dict, tz=None) -> str:
    number = esc(row["number"])
    signal = row["signal"]
    if signal not in signals:
        signals[signal] = signal_html(signal)
    owner = f'<td>{_owner(row)}</td>' if office_scope else ""
    return (
        f'<tr class="row-{esc(row["signal"])}" data-number="{number}" data-kind="{esc(row["kind"])}" '
        f'data-state="{esc(row["state"])}">\n'
        f'  <td><a href="{esc(url)}"><bdi dir="ltr">{number}</bdi></a></td>\n'
        f'  <td>{esc(row["kind_label"])}</td>\n'
        f'  <td>{esc(row["state_label"])}</td>\n'
        f'  <td>{_customer(row)}</td>\n'
        f'  <td>{esc(row["channel_label"])}</td>\n'
        f'  <td>{time_html(row["created_at"], "", tz) if row["created_at"] else ""}</td>\n'
        f'  <td>{due_html(row["due"], tz) if row["due"] else "—"}</td>\n'
        f'  <td>{signals[signal]}</td>\n'
        f'  {owner}\n'
        f'</tr>\n'
    )


@register.simple_tag
def ticket_rows_html(rows, office_scope) -> SafeString:
    """Every row of the work list, as `{% include "tickets/partials/ticket_row.html" %}` per row writes them."""
    pattern = reverse("tickets:detail", args=[_PLACEHOLDER])
    signals, tz = {}, timezone.get_current_timezone()  # the badge of each signal written once; the zone read once
    return mark_safe("".join(  # noqa: S308  (every value escaped above)
        ticket_row_html(row, office_scope=office_scope, url=pattern.replace(_PLACEHOLDER, str(row["number"])),
                        signals=signals, tz=tz)
        for row in rows
    ))
