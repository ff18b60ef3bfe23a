"""The work list's rows tag writes exactly what `tickets/partials/ticket_row.html` writes, row by row (issue 12:
twenty-five includes were most of the list's time)."""

from datetime import datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.loader import render_to_string

SH = ZoneInfo("Asia/Shanghai")


def _row(**changes) -> dict:
    row = {
        "kind": "repair", "number": "GD-20261127-0042", "state": "received", "signal": "amber",
        "kind_label": "Repair <b>", "state_label": "Received & waiting", "channel_label": "95598",
        "customer_name": "张小三", "customer_phone": "13812341234", "masked_name": "张*三", "masked_phone": "138****1234",
        "account_number": "0100000001", "created_at": datetime(2026, 11, 27, 9, 5, tzinfo=SH),
        "due": datetime(2026, 12, 5, 0, 0, tzinfo=SH), "owner__username": "agent<1>", "owner__first_name": "三",
        "owner__last_name": "张",
    }
    return {**row, **changes}


ROWS = [
    _row(),
    _row(customer_name="", customer_phone="", masked_name="", masked_phone="", account_number=""),
    _row(customer_name="", masked_name="", account_number="", due=None, signal="grey"),
    _row(owner__first_name="", owner__last_name="", signal="red"),
    _row(owner__first_name="", owner__last_name="", owner__username=None, kind="expansion", signal="green"),
]


@pytest.mark.parametrize(("row", "office_scope"), list(product(ROWS, [True, False])))
def test_rows_tag_matches_the_partial(row, office_scope):
    expected = render_to_string("tickets/partials/ticket_row.html", {"row": row, "office_scope": office_scope})
    rendered = engines["django"].from_string("{% load ticket_rows %}{% ticket_rows_html rows office_scope %}").render(
        {"rows": [row], "office_scope": office_scope})
    assert rendered == expected


def test_rows_tag_writes_every_row_in_order():
    rows = [_row(number=f"GD-20261127-{i:04d}") for i in range(3)]
    rendered = engines["django"].from_string("{% load ticket_rows %}{% ticket_rows_html rows True %}").render(
        {"rows": rows})
    assert rendered == "".join(render_to_string("tickets/partials/ticket_row.html", {"row": r, "office_scope": True})
                               for r in rows)
