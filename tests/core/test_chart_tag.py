"""`{% consumption_chart %}` writes exactly what `partials/consumption_chart.html` writes (issue 12)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from supply_service.customers.charts import consumption_chart


class _Bill:
    def __init__(self, period, kwh):
        self.period, self.kwh = period, kwh


BILLS = [
    [],
    [_Bill(date(2026, 11, 1), Decimal("0"))],
    [_Bill(date(2025 + (m // 12), m % 12 + 1, 1), Decimal(f"{100 + 37 * m}.{m:02d}")) for m in range(24)],
    [_Bill(date(2026, m, 1), Decimal("1234567.89") / m) for m in range(1, 8)],
]


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
@pytest.mark.parametrize("bills", BILLS)
def test_chart_tag_matches_the_partial(bills, language):
    chart = consumption_chart(bills)
    with translation.override(language):
        expected = render_to_string("partials/consumption_chart.html", {"chart": chart})
        tag = engines["django"].from_string("{% load chart_tags %}{% consumption_chart chart %}").render(
            {"chart": chart})
    assert tag == expected


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_value_html_writes_what_the_template_writes(language):
    from decimal import Decimal

    from django.template import engines
    from django.utils import translation

    from supply_service.core.templatetags.chart_tags import number_writer, value_html

    template = engines["django"].from_string("{{ value }}")
    values = [0, 7, -12, 1234567, 0.5, 12.3, -4.0, 1e-05, 1e21, float("inf"), Decimal("12.50"), Decimal("-0.00"),
              Decimal("-3.1"), Decimal("1E+3"), Decimal("0E-10"), Decimal("123456789.0001"), Decimal("1E-7"),
              "a<b", "", True, None]
    with translation.override(language):
        num = number_writer()
        for value in values:
            assert value_html(value) == template.render({"value": value}), value
            assert num(value) == template.render({"value": value}), value
