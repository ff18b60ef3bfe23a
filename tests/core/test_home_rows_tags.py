"""The staff home's row tags write exactly what the reference loops write (issue 12)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from supply_service.core.models import Commitment, SlaClock

SH = ZoneInfo("Asia/Shanghai")


def _tag(name: str, rows) -> str:
    return engines["django"].from_string("{% load home_rows %}{% " + name + " rows %}").render({"rows": rows})


WORK_ROWS = [
    {"number": "GD-20261127-0042", "signal": "amber", "url": "/tickets/GD-20261127-0042/", "kind_label": "Repair <x>",
     "state_label": "Received", "callback_due": True, "paused": False, "due": datetime(2026, 12, 5, 0, 0, tzinfo=SH)},
    {"number": "GD-20261127-0043", "signal": "grey", "url": "", "kind_label": "Consultation", "state_label": "A & B",
     "callback_due": False, "paused": True, "due": None},
    {"number": "GD-20261127-0044", "signal": "red", "url": "/x/?a=1&b=2", "kind_label": "Bill query",
     "state_label": "Resolved", "callback_due": True, "paused": True, "due": datetime(2026, 12, 5, 9, 30, tzinfo=SH)},
    {"number": "GD-20261127-0045", "signal": "green", "url": "/y/", "kind_label": "Meter fault",
     "state_label": "Received", "callback_due": False, "paused": False, "due": datetime(2026, 7, 1, 3, 0, tzinfo=SH)},
]


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_work_rows_tag_matches_the_loop(language):
    with translation.override(language):
        assert _tag("home_work_rows_html", WORK_ROWS) == render_to_string("core/partials/home_work_rows.html",
                                                                         {"rows": WORK_ROWS})


def _clock(state, due, commitment):
    clock = SlaClock(state=state, subject_label="GD-20261127-0042", started_at=datetime(2026, 11, 27, 9, 5, tzinfo=SH),
                     due_at=due, commitment=commitment)
    return clock


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_clock_rows_tag_matches_the_loop(language):
    first = Commitment(pk=1, code="repair_arrival", title="Repair arrival <urban>", limit=45,
                       unit=Commitment.Unit.MINUTES, article="S10.2.2")
    second = Commitment(pk=2, code="bill_query_reply", title="Bill query reply", limit=1,
                        unit=Commitment.Unit.WORKING_DAYS, article="S10.2.5")
    due = datetime(2026, 12, 5, 0, 0, tzinfo=SH)
    rows = [
        {"clock": _clock(SlaClock.State.RUNNING, due, first), "signal": "green", "url": "/tickets/GD-1/"},
        {"clock": _clock(SlaClock.State.RUNNING, due, first), "signal": "amber", "url": ""},
        {"clock": _clock(SlaClock.State.BREACHED, due, second), "signal": "red", "url": "/a?b=1&c=2"},
        {"clock": _clock(SlaClock.State.PAUSED, None, second), "signal": "grey", "url": "/p/"},
        {"clock": _clock(SlaClock.State.RUNNING, None, second), "signal": "grey", "url": ""},
    ]
    with translation.override(language):
        assert _tag("home_clock_rows_html", rows) == render_to_string("core/partials/home_clock_rows.html",
                                                                     {"rows": rows})


def test_no_rows_nothing():
    assert _tag("home_work_rows_html", []) == "" == _tag("home_clock_rows_html", [])


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_kind_counts_tag_matches_the_loop(language):
    counts = [{"kind": "repair", "label": "Repair <x>", "count": 99, "more": True},
              {"kind": "bill_query", "label": "Bill & query", "count": 1, "more": False},
              {"kind": "a\"b", "label": "Consultation", "count": 1, "more": True},
              {"kind": "meter_fault", "label": "Meter fault", "count": 12, "more": False}]
    with translation.override(language):
        written = engines["django"].from_string("{% load home_rows %}{% home_kind_counts_html counts %}").render(
            {"counts": counts})
        assert written == render_to_string("core/partials/home_kind_counts.html", {"counts": counts}).rstrip("\n")
    assert "99+" in written and 'data-kind="a&quot;b"' in written and "Repair &lt;x&gt;" in written
    if language == "en":
        assert "more than 99" in written


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Asia/Urumqi", "UTC"])
def test_notes_tag_matches_the_loop(zone):
    from types import SimpleNamespace

    from django.utils import timezone

    notes = [SimpleNamespace(item_number="GD-20261127-0042", url="/tickets/GD-20261127-0042/?a=1&b=2",
                             text="GD-20261127-0042 <chased> by 王经理: 今天内答复",
                             created_at=datetime(2026, 12, 3, 1, 5, tzinfo=SH)),
             SimpleNamespace(item_number="", url="", text="A & B", created_at=datetime(2026, 12, 2, 23, 59, tzinfo=SH))]
    with timezone.override(zone):
        written = engines["django"].from_string("{% load home_rows %}{% home_notes_html notes %}").render(
            {"notes": notes})
        assert written == render_to_string("core/partials/home_notes.html", {"notifications": notes}).rstrip("\n")
    assert "&lt;chased&gt;" in written and "a=1&amp;b=2" in written and "A &amp; B</li>" in written
    assert _tag("home_notes_html", []) == ""
