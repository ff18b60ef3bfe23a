"""The customer page's panel rows written by Python (issue 12) are exactly what the template loops they replaced
wrote — tickets, complaints, appointments, outages — in every staff language (the loops are kept here)."""

from datetime import datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation

from supply_service.appointments.models import Appointment, AppointmentKind
from supply_service.appointments.registrations import customer_appointment_rows_html
from supply_service.appointments.selectors import CustomerAppointmentRow
from supply_service.complaints.models import Complaint
from supply_service.complaints.panels import customer_complaint_rows_html
from supply_service.outages.models import OutageNotice
from supply_service.outages.panels import customer_outage_items_html
from supply_service.outages.selectors import CustomerNoticeRow
from supply_service.tickets.panels import customer_ticket_rows_html

LANGUAGES = ["zh-hans", "en", "ug", "bo"]
AT = datetime(2026, 11, 30, 16, 5, 9, 77, tzinfo=timezone.get_fixed_timezone(0))

TICKETS = ('{% load partial_tags %}{% for row in rows %}<tr><td><a href="{% url "tickets:detail" row.number %}"><bdi '
           'dir="ltr">{{ row.number }}</bdi></a></td><td>{{ row.kind_label }}</td><td>{{ row.state_label }}</td><td>'
           '{% time_partial row.created_at %}</td></tr>{% endfor %}')
COMPLAINTS = ('{% for item in rows %}<tr><td><a href="{% url \'complaints:detail\' item.number %}"><bdi dir="ltr">'
              '{{ item.number }}</bdi></a></td><td>{{ item.get_kind_display }}</td><td>{{ item.get_state_display }}'
              '</td><td>{% include "partials/time.html" with value=item.created_at only %}</td></tr>{% endfor %}')
APPOINTMENTS = ('{% for a in rows %}<tr><td><a href="{% url \'appointments:detail\' a.number %}"><bdi dir="ltr">'
                '{{ a.number }}</bdi></a></td><td>{{ a.kind.display_name }}</td><td><bdi dir="ltr">'
                '{{ a.starts_at|date:"Y-m-d H:i" }}</bdi></td><td>{{ a.get_state_display }}</td></tr>{% endfor %}')
OUTAGES = ('{% for notice in rows %}<li><a href="{% url \'outages:detail\' notice.number %}"><bdi dir="ltr">'
           '{{ notice.number }}</bdi></a> · {{ notice.get_kind_display }} · <bdi>{{ notice.area }}</bdi> · '
           '{% include "partials/time.html" with value=notice.planned_start only %} – '
           '{% include "partials/time.html" with value=notice.planned_end only %} · {{ notice.get_state_display }}'
           '</li>{% endfor %}')


def _loop(source: str, rows) -> str:
    return engines["django"].from_string(source).render({"rows": rows})


@pytest.mark.parametrize("language", LANGUAGES)
def test_panel_rows_write_what_the_loops_wrote(language):
    tickets = [{"number": "BX-20261130-12", "kind_label": "抢修 <急>", "state_label": "已派工", "created_at": AT},
               {"number": "ZX-20261130-3", "kind_label": "咨询", "state_label": "已受理", "created_at": AT}]
    complaints = [Complaint(number=f"KS-20261130-{n}", kind=kind, state=state, created_at=AT - timedelta(days=n))
                  for n, (kind, state) in enumerate([(k, s) for k, s in zip(
                      [c for c, _ in Complaint._meta.get_field("kind").flatchoices],
                      [c for c, _ in Complaint._meta.get_field("state").flatchoices], strict=False)])]
    kind = AppointmentKind(code="meter", name="Meter check & <test>")
    appointments = [Appointment(number=f"YY-20261130-{n}", kind=kind, state=state, starts_at=AT + timedelta(hours=n))
                    for n, (state, _label) in enumerate(Appointment._meta.get_field("state").flatchoices)]
    outages = [OutageNotice(number=f"TD-20261130-{n:04d}", kind=kind_, state=state,
                            area_zh_hans="人民路 <一带>", area_en="Renmin Rd <area>", area_ug="ug <x>", area_bo="bo",
                            planned_start=AT, planned_end=AT + timedelta(hours=4))
               for n, ((kind_, _k), (state, _s)) in enumerate(zip(OutageNotice._meta.get_field("kind").flatchoices,
                                                                   OutageNotice._meta.get_field("state").flatchoices,
                                                                   strict=False))]
    assert complaints and appointments and outages
    with translation.override(language), timezone.override("Asia/Shanghai"):
        assert customer_ticket_rows_html(tickets) == _loop(TICKETS, tickets)
        assert customer_complaint_rows_html(complaints) == _loop(COMPLAINTS, complaints)
        # the page reads appointments as tuples: the writer gives from them what the loop gave from the models
        rows = [CustomerAppointmentRow(a.number, a.kind.name, a.starts_at, a.state) for a in appointments]
        assert customer_appointment_rows_html(rows) == _loop(APPOINTMENTS, appointments)
        assert customer_outage_items_html(outages) == _loop(OUTAGES, outages)
        notices = [CustomerNoticeRow(n.number, n.kind, n.area, n.planned_start, n.planned_end, n.state) for n in outages]
        assert customer_outage_items_html(notices) == _loop(OUTAGES, outages)
