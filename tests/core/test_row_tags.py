"""The list-row tags (time_html, due_html, signal_html) write exactly what the partials write (issue 12: the
includes and date filters were most of a 25-row list's time)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

SH = ZoneInfo("Asia/Shanghai")
MOMENTS = [datetime(2026, 12, 5, 0, 0, tzinfo=SH), datetime(2026, 12, 5, 10, 45, 30, 123456, tzinfo=SH),
           datetime(2026, 7, 1, 23, 59, tzinfo=ZoneInfo("UTC"))]


def _tag(source: str, **context) -> str:
    return engines["django"].from_string("{% load supply_tags %}" + source).render(context)


@pytest.mark.parametrize("value", MOMENTS)
def test_time_and_due_tags_match_the_partials(value):
    assert _tag("{% time_html value %}", value=value) == render_to_string("partials/time.html", {"value": value}).strip()
    assert _tag("{% due_html value %}", value=value) == render_to_string("partials/due.html", {"value": value}).strip()


@pytest.mark.parametrize("language", ["zh-hans", "ug", "en"])
@pytest.mark.parametrize("signal", ["green", "amber", "red", "grey"])
def test_signal_tag_matches_the_partial(signal, language):
    with translation.override(language):
        expected = render_to_string("partials/row_signal.html", {"signal": signal}).strip()
        assert _tag("{% signal_html signal %}", signal=signal) == expected
