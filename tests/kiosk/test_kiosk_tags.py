"""The kiosk's headings and application timelines written by Python (`kiosk_tags`, issue 12) are exactly what the
partials they replace write, in every kiosk language and for every state of an application."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone, translation

from supply_service.core.models import SlaClock
from supply_service.kiosk.i18n import heading, headings
from supply_service.kiosk.selectors import Application, Stage, TicketRow

LANGUAGES = ["zh-hans", "en", "ug", "bo"]
AT = datetime(2026, 11, 3, 9, 5, 7, 120, tzinfo=timezone.get_fixed_timezone(0))


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("signage", ["", "ug", "bo"])
def test_headings_write_what_the_partials_write(language, signage):
    with translation.override(language):
        for key, parts in headings(signage=signage).items():
            assert _render('{% load kiosk_tags %}{% heading_text parts %}', parts=parts) == _render(
                '{% include "kiosk/partials/heading_text.html" with parts=parts only %}', parts=parts), key
            assert _render('{% load kiosk_tags %}{% section_heading "x-h" parts %}', parts=parts) == _render(
                '{% include "kiosk/partials/section_heading.html" with id="x-h" parts=parts only %}', parts=parts)
        # remembered per language: a second call gives the same parts, another language other ones
        assert heading("Arrears", signage=signage) == headings(signage=signage)["arrears"]


def _clock(state):
    commitment = SimpleNamespace(display_title="新装 <居民>", display_limit="5 个工作日")
    return SimpleNamespace(commitment=commitment, state=state)


def _applications():
    stages = [
        Stage(label="受理", at=AT, done=True, current=False),
        Stage(label="现场 & 勘查", at=None, done=False, current=True),
        Stage(label="装表接电", at=None, done=False, current=False, due_at=AT + timedelta(days=5)),
    ]
    common = {"number": "YK-20261103-7", "business": "低压居民新装", "applicant_class": "居民", "state_label": "勘查"}
    return [
        Application(**common, stages=stages, clock=_clock(SlaClock.State.RUNNING)),
        Application(**common, stages=stages, clock=_clock(SlaClock.State.PAUSED), waiting_for="缺 <身份证> 复印件"),
        Application(**common, stages=stages[:1], clock=None, finished_at=AT + timedelta(days=2)),
        Application(**common, stages=[], clock=None, finished_at=AT, cancelled=True),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_application_timeline_writes_what_the_partial_writes(language):
    with translation.override(language), timezone.override("Asia/Shanghai"):
        for app in _applications():
            assert _render("{% load kiosk_tags %}{% application_html app %}", app=app) == _render(
                '{% include "kiosk/partials/application.html" with app=app only %}', app=app)


TICKET_LOOP = (
    "{% load partial_tags %}{% for row in rows %}<tr><td data-label=\"{{ l_number }}\"><bdi dir=\"ltr\">{{ row.number }}"
    "</bdi></td><td data-label=\"{{ l_kind }}\">{{ row.kind_label }}</td><td data-label=\"{{ l_state }}\">"
    "{{ row.state_label }}</td><td data-label=\"{{ l_received }}\">{% time_partial row.created_at %}</td><td "
    "data-label=\"{{ l_due }}\">{% if row.due %}<time datetime=\"{{ row.due|date:'c' }}\" dir=\"ltr\">"
    "{{ row.due_label }}</time>{% else %}—{% endif %}</td></tr>{% endfor %}"
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_other_tickets_rows_write_what_the_loop_wrote(language):
    rows = [TicketRow(number="BX-20261103-1", kind_label="抢修 <急>", state_label="已派工", created_at=AT,
                      due=AT + timedelta(minutes=45)),
            TicketRow(number="ZX-20261103-2", kind_label="咨询", state_label="受理", created_at=AT, due=None)]
    labels = {"l_number": "编号", "l_kind": "类别 \"x\"", "l_state": "状态", "l_received": "受理", "l_due": "时限"}
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert _render("{% load kiosk_tags %}{% kiosk_ticket_rows_html rows l_number l_kind l_state l_received l_due %}",
                       rows=rows, **labels) == _render(TICKET_LOOP, rows=rows, **labels)
