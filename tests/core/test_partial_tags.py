"""The partial tags write exactly what the partials (and the clock-table loop they replaced) write (issue 12)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from supply_service.core.models import Commitment, SlaClock

SH = ZoneInfo("Asia/Shanghai")
VALUES = [datetime(2026, 12, 5, 0, 0, tzinfo=SH), datetime(2026, 12, 5, 10, 45, 30, 5, tzinfo=SH),
          datetime(2026, 7, 1, 23, 59, tzinfo=ZoneInfo("UTC")), datetime(2026, 7, 1, 8, 0), None, ""]
CLOCK_LOOP = '{% for row in clocks %}\n    <tr class="row-{{ row.signal }}" data-commitment="{{ row.clock.commitment.code }}" data-clock-state="{{ row.clock.state }}">\n      <td>{{ row.clock.commitment.display_title }} <small>(<bdi>{{ row.clock.commitment.display_limit }}</bdi>, <bdi dir="ltr">{{ row.clock.commitment.article }}</bdi>)</small></td>\n      <td>{% include "partials/time.html" with value=row.clock.started_at only %}</td>\n      <td>{% if row.clock.due_at %}{% include "partials/due.html" with value=row.clock.due_at only %}{% else %}—{% endif %}</td>\n      <td>{% if row.clock.stopped_at %}{% include "partials/time.html" with value=row.clock.stopped_at only %}{% else %}—{% endif %}</td>\n      <td>{{ row.clock.get_state_display }}{% if row.clock.is_open %} {% include "partials/sla_badge.html" with clock=row.clock signal=row.signal only %}{% endif %}</td>\n    </tr>{% endfor %}'  # noqa: E501


def _tag(source: str, **context) -> str:
    return engines["django"].from_string("{% load i18n partial_tags %}" + source).render(context)


@pytest.mark.parametrize("value", VALUES)
def test_time_and_due_partial_tags_match_the_includes(value):
    assert _tag("{% time_partial value %}", value=value) == render_to_string("partials/time.html", {"value": value})
    if not isinstance(value, datetime) or value.tzinfo is not None:  # (the partial itself fails on a naive time)
        assert _tag("{% due_partial value %}", value=value) == render_to_string("partials/due.html", {"value": value})


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_clock_rows_tag_matches_the_loop(language):
    repair = Commitment(code="repair_arrival", title="Repair arrival <urban>", limit=45, unit=Commitment.Unit.MINUTES,
                        article="S10.2.2")
    start, due = datetime(2026, 11, 27, 9, 5, tzinfo=SH), datetime(2026, 12, 5, 0, 0, tzinfo=SH)
    rows = [{"clock": SlaClock(state=state, started_at=start, due_at=due_at, stopped_at=stopped, commitment=repair),
             "signal": signal}
            for state, due_at, stopped, signal in [
                (SlaClock.State.RUNNING, due, None, "green"), (SlaClock.State.RUNNING, due, None, "amber"),
                (SlaClock.State.BREACHED, due, None, "red"), (SlaClock.State.PAUSED, None, None, "grey"),
                (SlaClock.State.MET, due, datetime(2026, 11, 28, 1, 0, tzinfo=SH), "grey"),
                (SlaClock.State.BREACHED, due, datetime(2026, 12, 6, 1, 0, tzinfo=SH), "red")]]
    with translation.override(language):
        assert _tag("{% sla_clock_rows_html clocks %}", clocks=rows) == _tag(CLOCK_LOOP, clocks=rows)


@pytest.mark.django_db
def test_choice_labels_tag_matches_the_template_loop(office):
    """The take-a-number terminal's radios (`choice_labels_html`) as Django's widget templates write them: unbound,
    bound with a choice, bound with an error, a value that needs escaping, no option at all."""
    from django import forms

    from supply_service.counter.forms import TakeForm
    from supply_service.counter.models import Service

    for position, kind in enumerate(Service.Kind.values[:2]):
        Service.objects.create(office=office, kind=kind, letter="AB"[position], position=position)
    loop = engines["django"].from_string(
        '{% for radio in field %}<label class="q-choice" for="{{ radio.id_for_label }}">{{ radio.tag }} '
        "<span>{{ radio.choice_label }}</span></label>{% endfor %}")
    tag = engines["django"].from_string('{% load partial_tags %}{% choice_labels_html field "q-choice" %}')

    class Choices(forms.Form):
        pick = forms.ChoiceField(choices=[("a<b", "A & B"), ("2", "二")], widget=forms.RadioSelect(attrs={"class": "x"}),
                                 required=False)

    forms_ = [TakeForm(office=office), TakeForm({"priority": "ordinary"}, office=office),
              TakeForm({"service": "nonsense"}, office=office), TakeForm(office=None), Choices({"pick": "a<b"})]
    for language in ("zh-hans", "ug"):
        with translation.override(language):
            for form in forms_:
                for field in form:
                    if isinstance(field.field.widget, forms.RadioSelect):
                        assert tag.render({"field": field}) == loop.render({"field": field}), field.name
    assert tag.render({"field": TakeForm(office=None)["service"]}) == ""
