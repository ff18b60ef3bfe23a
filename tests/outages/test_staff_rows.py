"""The staff notice list's rows written by Python (`outages.rows`, issue 12) are exactly what the template's loop
wrote — kept here — in every staff language, with and without the office column: revisions, spans within a day,
across local midnight (the same UTC day), over several days or to the same day of the next month, every kind and
state, and text that needs escaping."""

from datetime import datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation

from supply_service.core.models import Office, User
from supply_service.outages.models import OutageNotice
from supply_service.outages.rows import staff_notice_rows_html

# ruff: noqa: E501  (the template's loop, kept as it was written)

LANGUAGES = ["zh-hans", "en", "ug", "bo"]
LOOP = """{% load i18n %}  {% for notice in pager %}
    <tr data-number="{{ notice.number }}" data-state="{{ notice.state }}">
      <td><a href="{% url 'outages:detail' notice.number %}"><bdi dir="ltr">{{ notice.number }}</bdi></a>{% if notice.revision > 1 %} <small class="muted" title="{% translate 'revision' %}">r{{ notice.revision }}</small>{% endif %}</td>
      <td>{{ notice.get_kind_display }}</td>
      <td dir="auto">{{ notice.area }}</td>
      <td>{% include "outages/partials/span.html" with start=notice.planned_start end=notice.planned_end only %}</td>
      <td>{% include "outages/partials/state_pill.html" with notice=notice only %}</td>
      {% if not office_scope %}<td>{{ notice.office.name }}</td>{% endif %}
      <td>{{ notice.created_by }}</td>
    </tr>
  {% endfor %}
"""
UTC = timezone.get_fixed_timezone(0)


def _notices() -> list[OutageNotice]:
    office = Office(code="A&B", name="城东 <营业厅> & 1")
    users = [User(username="clerk<1>", first_name="", last_name=""), User(username="x", first_name="张", last_name="三")]
    spans = [  # (start, hours): same local day; across local midnight on one UTC day; several days
        (datetime(2026, 11, 30, 1, 0, tzinfo=UTC), 4),
        (datetime(2026, 11, 30, 15, 30, tzinfo=UTC), 2),
        (datetime(2026, 11, 28, 2, 0, tzinfo=UTC), 50),
        (datetime(2026, 11, 30, 1, 0, tzinfo=UTC), 30 * 24),  # the same day of the next month
    ]
    kinds = [code for code, _label in OutageNotice._meta.get_field("kind").flatchoices]
    states = [code for code, _label in OutageNotice._meta.get_field("state").flatchoices]
    notices = []
    for n in range(max(len(kinds), len(states), len(spans)) * 2):
        start, hours = spans[n % len(spans)]
        notices.append(OutageNotice(
            number=f"TD-20261130-{n:04d}", kind=kinds[n % len(kinds)], state=states[n % len(states)],
            area_zh_hans=f"人民路 <一带> & {n}", area_en=f"Renmin Rd \"{n}\"", area_ug="ئۇيغۇر <x>", area_bo="བོད",
            planned_start=start, planned_end=start + timedelta(hours=hours), revision=1 + n % 3, office=office,
            created_by=users[n % 2]))
    return notices


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("office_scope", [True, False])
def test_the_rows_are_what_the_loop_wrote(language, office_scope):
    notices = _notices()
    assert {n.revision for n in notices} == {1, 2, 3}
    with translation.override(language), timezone.override("Asia/Shanghai"):
        expected = engines["django"].from_string(LOOP).render({"pager": notices, "office_scope": office_scope})
        written = staff_notice_rows_html(notices, office_scope=office_scope)
    assert written == expected.removeprefix("  ").removesuffix("\n")
    assert "&lt;营业厅&gt;" in written if not office_scope else "营业厅" not in written
    assert staff_notice_rows_html([], office_scope=office_scope) == ""
