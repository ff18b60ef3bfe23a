"""`{% consumption_chart chart %}`: the bar chart of `partials/consumption_chart.html` written by one Python call, the
same markup (tests/core/test_chart_tag.py compares them). Included, its 24 bars were a fifth of the customer and kiosk
account pages' time (issue 12)."""

from decimal import Decimal
from html import escape

from django import template
from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

register = template.Library()


_DECIMAL_SEPARATOR: dict[str, str] = {}


def value_html(value) -> str:
    """What `{{ value }}` writes (Django's render_value_in_context: local time, localized, escaped). Plain ints,
    floats and strings take a short way to the same text (tests/core/test_chart_tag.py compares): a chart's hundred
    coordinates through `localize` were a sixth of the customer page (issue 12)."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if not settings.USE_THOUSAND_SEPARATOR and kind in (int, float, Decimal):
        if kind is int:
            return str(value)
        # Django writes a Decimal with "{:f}" (sums and bill amounts: short, finite) and a float with str()
        text = (f"{value:f}" if value.is_finite() and len(value.as_tuple().digits) < 100 else "e") \
            if kind is Decimal else str(value)
        if "e" not in text and "n" not in text:  # not 1e-05, inf or nan: those take Django's way
            language = get_language()
            separator = _DECIMAL_SEPARATOR.get(language)
            if separator is None:
                separator = _DECIMAL_SEPARATOR[language] = get_format("DECIMAL_SEPARATOR")
            return escape(text.replace(".", separator))
    value = localize(template_localtime(value))
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def number_writer():
    """`value_html` for the active language, its decimal separator looked up once: a chart writes a hundred numbers."""
    if settings.USE_THOUSAND_SEPARATOR:
        return value_html
    separator = get_format("DECIMAL_SEPARATOR")

    def write(value) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is float:
            text = str(value)
            if "e" not in text and "n" not in text:
                return text.replace(".", separator)
        elif kind is Decimal and value.is_finite() and len(value.as_tuple().digits) < 100:
            return f"{value:f}".replace(".", separator)
        return value_html(value)

    return write


def _bar(bar, height_label: str, num) -> str:
    x = num(bar.x)
    label = value_html(bar.label)
    text = f'<text x="{x}" y="{height_label}" class="tick">{label}</text>' if bar.show_label else ""
    return (f'<g><rect x="{x}" y="{num(bar.y)}" width="{num(bar.width)}" '
            f'height="{num(bar.height)}" class="bar"><title>{label}: {num(bar.value)} kWh</title></rect>'
            f"{text}</g>")


@register.simple_tag
def consumption_chart(chart) -> SafeString:
    """As `{% include "partials/consumption_chart.html" with chart=chart only %}`."""
    width = value_html(chart.width)
    title = escape(gettext("Electricity used per month (kWh)"))
    ticks = "".join(
        f'<line x1="44" x2="{width}" y1="{value_html(y)}" y2="{value_html(y)}" class="grid"/><text x="40" '
        f'y="{value_html(y)}" class="tick" text-anchor="end" dominant-baseline="middle">{value_html(label)}</text>'
        for y, label in chart.ticks)
    height_label = value_html(int(chart.height) - 18)  # `chart.height|add:'-18'`
    num = number_writer()
    bars = "".join(_bar(bar, height_label, num) for bar in chart.bars)
    return mark_safe(  # noqa: S308  (every value escaped)
        '<figure class="chart">\n'
        f'  <svg viewBox="0 0 {width} {value_html(chart.height)}" role="img" dir="ltr" aria-labelledby="chart-title" '
        'xmlns="http://www.w3.org/2000/svg">\n'
        f'    <title id="chart-title">{title}</title>\n'
        f"    {ticks}\n"
        f"    {bars}\n"
        "  </svg>\n"
        f"  <figcaption>{title}</figcaption>\n"
        "</figure>\n"
    )
