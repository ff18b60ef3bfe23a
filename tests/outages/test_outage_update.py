"""Editing a notice is a service (`outage_update`, issue 11): permission, office and state are checked there, in
one transaction, whatever the entry point."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from supply_service.core.access import OtherOfficeDenied
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve, outage_publish, outage_update
from tests.factories.core import UserFactory
from tests.factories.customers import FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(office):
    return TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-101"), code="TA-101-01")


def edit(notice, by, **changes):
    start = timezone.now() + timedelta(days=20)
    values = {"kind": notice.kind, "planned_start": start, "planned_end": start + timedelta(hours=3),
              "reason": "换表", "area_zh_hans": "新区域", **changes}
    return outage_update(notice=notice, by=by, **values)


def test_a_draft_is_edited_with_history(dispatcher, area):
    notice = make_notice(dispatcher, areas=[area])
    edited = edit(notice, dispatcher, areas=[area])
    fresh = OutageNotice.objects.get(pk=notice.pk)
    assert fresh.area_zh_hans == "新区域" and fresh.reason == "换表" and list(fresh.areas.all()) == [area]
    assert fresh.history.first().history_change_reason == "outages.edit" and edited.pk == notice.pk


def test_an_approved_notice_may_still_be_edited(dispatcher, manager, area):
    notice = make_notice(dispatcher, areas=[area])
    outage_approve(notice=notice, by=manager)
    edit(OutageNotice.objects.get(pk=notice.pk), dispatcher)
    assert OutageNotice.objects.get(pk=notice.pk).area_zh_hans == "新区域"


def test_a_published_notice_is_not_edited_even_from_a_stale_copy(dispatcher, area):
    notice = make_notice(dispatcher, kind="emergency", areas=[area], start=timezone.now())
    stale = OutageNotice.objects.get(pk=notice.pk)
    outage_publish(notice=notice, by=dispatcher)
    with pytest.raises(TransitionNotAllowed):
        edit(stale, dispatcher, kind="emergency")
    assert OutageNotice.objects.get(pk=notice.pk).area_zh_hans != "新区域"


def test_without_the_change_permission_nothing_changes(dispatcher, office, area):
    notice = make_notice(dispatcher, areas=[area])
    reader = UserFactory(username="reader", office=office, roles=[])
    with pytest.raises(PermissionDenied):
        edit(notice, reader)
    assert OutageNotice.objects.get(pk=notice.pk).area_zh_hans != "新区域"


def test_another_office_may_not_edit(dispatcher, other_office, area):
    notice = make_notice(dispatcher, areas=[area])
    foreign = UserFactory(username="foreign-dispatcher", office=other_office, roles=["dispatcher"])
    with pytest.raises(OtherOfficeDenied):
        edit(notice, foreign)


def test_bad_input_is_refused_and_changes_nothing(dispatcher, area):
    notice = make_notice(dispatcher, areas=[area])
    start = timezone.now() + timedelta(days=20)
    with pytest.raises(ValidationError):
        edit(notice, dispatcher, planned_start=start, planned_end=start - timedelta(hours=1))
    with pytest.raises(ValidationError):
        edit(notice, dispatcher, state="closed")  # not a field one edits
    with pytest.raises(ValidationError):
        edit(notice, dispatcher, kind="no-such-kind")
    assert OutageNotice.objects.get(pk=notice.pk).area_zh_hans != "新区域"
