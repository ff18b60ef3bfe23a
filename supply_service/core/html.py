"""Small pieces of markup written by Python for rows that pages repeat (issue 12: a template loop with an include, a
`{% url %}` and a `get_…_display` per row cost more than the rows' queries). Each writes exactly what its template
counterpart writes; the row writers that use them are tested against the template loops they replace."""

from html import escape as _escape

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext

from supply_service.core.i18n_fields import choice_label  # noqa: F401  (the pages' writers import it from here)
from supply_service.core.services.calendar import local_deadline_text

PLACEHOLDER = "ZZ-00000000-0"  # a number every item-number converter accepts, replaced by each row's number


def esc(value) -> str:
    """`{{ value }}` of a string-like value: `conditional_escape` without its lazy wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def time_html(value, end: str = "\n", tz=None) -> str:
    """`{% include "partials/time.html" with value=value only %}` of an aware datetime (`end`: the file's newline).
    A table passes `tz` (the current time zone, read once): reading it is a context-local lookup per call."""
    local = value.astimezone(tz) if tz is not None else timezone.localtime(value)
    return f'<time datetime="{local.isoformat()}" dir="ltr">{local:%Y-%m-%d %H:%M}</time>{end}'


def due_html(value, tz=None) -> str:
    """`{% due_html value %}` (supply_tags) of an aware datetime: a deadline as people read it (24:00 of a day)."""
    local = value.astimezone(tz) if tz is not None else timezone.localtime(value)
    return f'<time datetime="{local.isoformat()}" dir="ltr">{esc(local_deadline_text(local))}</time>'


def minute_text(value) -> str:
    """`value|date:"Y-m-d H:i"` of an aware datetime."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


_URLS: dict[tuple, str] = {}


def url_for_number(name: str, number) -> str:
    """`{% url name number %}` for a view taking one item number: reversed once per script prefix, then filled in."""
    key = (name, get_script_prefix())
    pattern = _URLS.get(key)
    if pattern is None:
        pattern = _URLS[key] = reverse(name, args=[PLACEHOLDER])
    return pattern.replace(PLACEHOLDER, str(number))


def number_linker(name: str):
    """`link(number)`: `<a href="{% url name number %}"><bdi dir="ltr">{{ number }}</bdi></a>`, an item's number
    linking to its page, for the rows of one table (the view's URL pattern looked up once, not once a row)."""
    pattern = esc(url_for_number(name, PLACEHOLDER))

    def link(number) -> str:
        text = esc(number)
        return f'<a href="{pattern.replace(PLACEHOLDER, text)}"><bdi dir="ltr">{text}</bdi></a>'

    return link


def _input_html(data: dict) -> str:
    """`{{ radio.tag }}`: Django's `django/forms/widgets/input.html` (with `attrs.html`) of one sub-widget's data."""
    value = f' value="{esc(data["value"])}"' if data["value"] is not None else ""
    attrs = "".join(f" {name}" if value is True else f' {name}="{esc(value)}"'
                    for name, value in data["attrs"].items() if value is not False)
    return f'<input type="{esc(data["type"])}" name="{esc(data["name"])}"{value}{attrs}>'


def choice_labels_html(field, css: str) -> str:
    """`{% for radio in field %}<label class="css" for="{{ radio.id_for_label }}">{{ radio.tag }}
    <span>{{ radio.choice_label }}</span></label>{% endfor %}` of a bound radio (or checkbox) field: each option's
    widget template rendered per option was most of a one-form page (issue 12: the take-a-number terminal)."""
    return "".join(
        f'<label class="{esc(css)}" for="{esc(radio.data["attrs"].get("id"))}">{_input_html(radio.data)} '
        f'<span>{esc(radio.data["label"])}</span></label>'
        for radio in field.subwidgets)


def translated_words(key: tuple, words: dict[str, str]) -> dict[str, str]:
    """`{name: msgid}` translated into the active language and escaped, made once per language and `key` (a page's
    fixed words: its headings, labels and notes; `{% once %}`'s memory, cleared with it)."""
    from supply_service.core.templatetags.once import remembered  # noqa: PLC0415  (templatetags import this module)

    return remembered(("words", *key), lambda: {name: esc(gettext(text)) for name, text in words.items()})


def table_head(*labels: str) -> str:
    """`<thead><tr><th scope="col">…</th>…</tr></thead>` of labels already escaped."""
    return "<thead><tr>" + "".join(f'<th scope="col">{label}</th>' for label in labels) + "</tr></thead>"


def panel_section_html(key: str, title: str, *, lines: tuple[str, ...] = (), table_id: str, labels: tuple[str, ...],
                       rows_html: str, empty: str) -> str:
    """A customer-page panel as its template writes it: `<section>` with its `<h2>` (`title`), the panel's own lines
    (a button, a note: markup, or ""), then its table — head `labels` (msgids, translated here), `rows_html` — or its
    empty note (`empty`, a msgid) when there is no row."""
    head = _panel_head(key, labels)
    if rows_html:
        table = (f'\n  <table class="list" id="{table_id}">\n    {head}\n    <tbody>{rows_html}</tbody>\n'
                 "  </table>\n  ")
    else:
        table = f'<p class="empty">{esc(gettext(empty))}</p>'
    own = "".join(f"  {line}\n" for line in lines)
    return (f'<section aria-labelledby="{key}-h">\n  <h2 id="{key}-h">{esc(gettext(title))}</h2>\n'
            f"{own}  {table}\n</section>\n")


def _panel_head(key: str, labels: tuple[str, ...]) -> str:
    from supply_service.core.templatetags.once import remembered  # noqa: PLC0415  (templatetags import this module)

    return remembered(("panel_head", key, labels), lambda: table_head(*(esc(gettext(label)) for label in labels)))
