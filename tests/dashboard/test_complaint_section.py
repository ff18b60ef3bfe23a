"""The dashboard's complaints section (issue 13's statistics for the dashboard): counts per kind and channel of the
month, on the page and in its CSV (the workbook and the print read the same sections); no sealed identity shown."""

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from supply_service.complaints.models import Kind
from tests.dashboard.conftest import local
from tests.dashboard.test_views import _csv
from tests.factories.complaints import IDENTITY, complaint, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def november_complaints(clerk, office, reference_data):
    with time_machine.travel(local(2026, 11, 10, 10, 0), tick=False):
        complaint(clerk, channel="counter")
        complaint(clerk, channel="phone")
        report(clerk)
    with time_machine.travel(local(2026, 10, 10, 10, 0), tick=False):
        complaint(clerk)  # October: not in November's figures


def _section_rows(client, month="2026-11"):
    response = client.get(reverse("dashboard:table_csv", args=["complaints"]), {"month": month})
    assert response.status_code == 200
    return _csv(response)


def test_the_month_counts_per_kind_and_channel(client, manager, november_complaints):
    client.force_login(manager)
    counts = {row[0]: row[1] for row in _section_rows(client)[1:]}
    with translation.override(settings.LANGUAGE_CODE):  # the page's language
        assert counts[str(Kind.COMPLAINT.label)] == "2" and counts[str(Kind.REPORT.label)] == "1"
        assert counts[str(Kind.PRAISE.label)] == "0"
        channel = gettext("Channel: %(channel)s") % {"channel": ""}
    assert sorted(value for label, value in counts.items() if label.startswith(channel)) == ["1", "2"]
    page = client.get(reverse("dashboard:index"), {"month": "2026-11"}).content.decode()
    assert 'id="section-complaints"' in page
    for value in IDENTITY.values():
        assert value not in page


def test_an_empty_month_shows_zeros_not_an_error(client, manager, reference_data):
    client.force_login(manager)
    rows = _section_rows(client, "2026-01")
    assert len(rows[0]) == 4 and rows[1:] and all(row[1] in ("0", "") for row in rows[1:])
