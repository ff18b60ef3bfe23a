"""The measures the audit checklist and the dashboard read (core.measures) and the statistics selector."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supply_service.complaints.selectors import complaint_stats
from supply_service.core.measures import measure_for_key, measures_for_requirement
from tests.factories import complaints as make

pytestmark = pytest.mark.django_db


def _period():
    now = timezone.now()
    return now - timedelta(days=30), now + timedelta(days=30)


def test_answered_in_time_counts_final_replies_not_first_contact_S13_5(handler, manager):
    start, end = _period()
    late = make.complaint(handler, at=timezone.now() - timedelta(days=20))
    make.walk(late, handler=handler, approver=manager)                 # replied after its limit: breached
    make.walk(make.complaint(handler), handler=handler, approver=manager)  # replied at once: met
    from supply_service.complaints import services

    services.complaint_record_first_contact(complaint=make.complaint(handler), by=handler)  # not an answer
    result = measure_for_key("complaints_answered_in_time")(office=handler.office, start=start, end=end)
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50)
    assert result.passed is False and result.target is not None
    assert measure_for_key("complaints_answered_in_time") in measures_for_requirement("S13.5")


def test_suggestion_box_counts_kiosk_and_web_entries_S13_1(handler):
    start, end = _period()
    make.complaint(handler, kind="suggestion", channel="kiosk", identity={})
    make.complaint(handler, kind="praise", channel="web", identity={})
    make.complaint(handler, channel="counter")
    result = measure_for_key("suggestion_box_entries")(office=handler.office, start=start, end=end)
    assert result.value == 2 and result.passed is True


def test_statistics_in_sql(handler, manager, django_assert_max_num_queries):
    make.walk(make.complaint(handler), handler=handler, approver=manager)
    make.report(handler)
    with django_assert_max_num_queries(5):
        stats = complaint_stats(office=handler.office)
    assert stats["by_kind"] == {"complaint": 1, "report": 1}
    assert stats["findings"] == {"total": 1, "substantiated": 1}
