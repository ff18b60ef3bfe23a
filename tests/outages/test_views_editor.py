"""The notice editor: a new notice through `outage_create`, edits of drafts and approved notices with history, the
affected-customer preview; bad input saves nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supply_service.customers.models import Customer
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_approve, outage_publish
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outages.urls_for_tests")]


@pytest.fixture
def grid(office, other_office):
    feeder = FeederFactory(office=office, code="10kV-101", name="人民线")
    area = TransformerAreaFactory(feeder=feeder, code="TA-101-01", name="人民路一号台区")
    foreign = FeederFactory(office=other_office, code="10kV-901", name="天山线")
    foreign_area = TransformerAreaFactory(feeder=foreign, code="TA-901-01", name="天山一号台区")
    return {"feeder": feeder, "area": area, "foreign": foreign, "foreign_area": foreign_area}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def fresh(notice):
    return OutageNotice.objects.get(pk=notice.pk)


def valid_data(grid, **changes):
    data = {
        "kind": "planned", "planned_start": "2099-12-20T09:00", "planned_end": "2099-12-20T17:00",
        "areas": [grid["area"].pk], "reason": "10kV 人民线检修", "explanation": "",
        "area_zh_hans": "人民路一带", "area_en": "around Renmin Road", "area_ug": "رېنمىن يولى ئەتراپى", "area_bo": "",
        "text_zh_hans": "因线路检修停电。", "text_en": "", "text_ug": "", "text_bo": "", "_save": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_editor_offers_the_offices_lines_and_local_times(client, dispatcher, grid):
    login(client, dispatcher)
    html = client.get(reverse("outages:new")).content.decode()
    assert 'type="datetime-local" name="planned_start"' in html
    assert '<select name="feeders"' in html and "multiple" in html
    assert "人民线" in html and "人民路一号台区" in html
    assert "天山线" not in html and "天山一号台区" not in html  # other office's lines are not offered
    assert 'lang="ug" dir="rtl"' in html  # Uyghur inputs are written right to left


def test_a_new_notice_is_drafted_through_the_service(client, dispatcher, grid):
    login(client, dispatcher)
    response = client.post(reverse("outages:new"), valid_data(grid, feeders=[grid["feeder"].pk]))
    notice = OutageNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outages:detail", args=[notice.number])
    assert notice.number.startswith("TD-") and notice.state == "draft" and notice.created_by == dispatcher
    assert notice.office == dispatcher.office
    # Beijing time in the form, UTC in the database.
    assert notice.planned_start == datetime(2099, 12, 20, 1, 0, tzinfo=UTC)
    assert notice.planned_end == datetime(2099, 12, 20, 9, 0, tzinfo=UTC)
    assert list(notice.areas.all()) == [grid["area"]] and list(notice.feeders.all()) == [grid["feeder"]]
    assert notice.area_ug == "رېنمىن يولى ئەتراپى" and notice.area_bo == ""
    assert notice.history.first().history_change_reason == "outages.create"


@pytest.mark.parametrize("changes", [
    {"planned_end": "2099-12-20T08:00"},                     # ends before it starts
    {"planned_end": "2099-12-20T09:00"},                     # ends when it starts
    {"area_zh_hans": ""},                                    # no Chinese area
    {"text_zh_hans": "   "},                                 # no Chinese text
    {"planned_start": "2099-13-45T25:00"},                   # not a date
    {"planned_start": "tomorrow morning"},
    {"planned_end": ""},
    {"kind": "meteor"},
    {"areas": ["999999"]},
    {"reason": ""},
    {"area_en": "x" * 300},
])
def test_bad_input_saves_nothing(client, dispatcher, grid, changes):
    login(client, dispatcher)
    response = client.post(reverse("outages:new"), valid_data(grid, **changes))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not OutageNotice.objects.exists()


def test_another_offices_feeder_is_refused(client, dispatcher, grid):
    login(client, dispatcher)
    response = client.post(reverse("outages:new"), valid_data(grid, feeders=[grid["foreign"].pk],
                                                               areas=[grid["foreign_area"].pk]))
    assert response.status_code == 400 and not OutageNotice.objects.exists()


def test_the_preview_shows_who_would_be_cut_off_and_saves_nothing(client, dispatcher, grid, office):
    CustomerFactory(office=office, transformer_area=grid["area"], feeder=grid["feeder"], name="张小三",
                    account_number="3100000001", importance="first")
    Customer.objects.bulk_create([
        Customer(account_number=f"{3200000000 + i}", name="客户甲", category="residential", voltage="220v",
                 address="x", office=office, feeder=grid["feeder"], transformer_area=grid["area"])
        for i in range(30)
    ])
    login(client, dispatcher)
    data = valid_data(grid, area_zh_hans="", _save=None, _preview_page="1")
    response = client.post(reverse("outages:new"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not OutageNotice.objects.exists()
    assert 'id="preview-count" data-count="31"' in html
    assert "张*三" in html and "张小三" not in html
    assert html.count('<tr data-account="') == 25
    assert 'name="_preview_page" value="2"' in html
    assert 'role="alert"' not in html  # a preview does not complain about fields not yet filled in
    assert f'<option value="{grid["area"].pk}" selected>' in html  # the choice is kept
    html = client.post(reverse("outages:new"), {**data, "_preview_page": "2"}).content.decode()
    assert html.count('<tr data-account="') == 6
    html = client.post(reverse("outages:new"), {**data, "areas": ["junk"], "_preview_page": "x"}).content.decode()
    assert 'data-count="0"' in html


def test_editing_a_draft_keeps_history(client, dispatcher, grid):
    notice = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    html = client.get(reverse("outages:edit", args=[notice.number])).content.decode()
    assert 'value="人民路一带"' in html and 'id="preview-count"' in html
    local_start = timezone.localtime(notice.planned_start).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local_start}"' in html
    response = client.post(reverse("outages:edit", args=[notice.number]),
                           valid_data(grid, area_zh_hans="人民路东段", feeders=[grid["feeder"].pk]))
    assert response.status_code == 302
    notice = fresh(notice)
    assert notice.area_zh_hans == "人民路东段" and notice.state == "draft"
    assert list(notice.feeders.all()) == [grid["feeder"]]
    assert notice.history.first().history_change_reason == "outages.edit"
    html = client.get(reverse("outages:detail", args=[notice.number])).content.decode()
    assert 'data-reason="outages.edit"' in html and "人民路东段" in html


def test_an_approved_notice_may_still_be_edited(client, dispatcher, manager, grid):
    notice = make_notice(dispatcher, areas=[grid["area"]])
    outage_approve(notice=notice, by=manager)
    login(client, dispatcher)
    client.post(reverse("outages:edit", args=[notice.number]), valid_data(grid, reason="改为电缆检修"))
    assert fresh(notice).reason == "改为电缆检修" and fresh(notice).state == "approved"


def test_bad_edits_save_nothing(client, dispatcher, grid):
    notice = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    for changes in ({"planned_end": "2099-12-20T08:00"}, {"area_zh_hans": ""}, {"planned_start": "x"}):
        response = client.post(reverse("outages:edit", args=[notice.number]), valid_data(grid, **changes))
        assert response.status_code == 400
    assert fresh(notice).area_zh_hans == "人民路一带" and notice.history.count() == 1


def test_edit_after_publication_is_refused(client, dispatcher, manager, grid):
    notice = make_notice(dispatcher, areas=[grid["area"]], start=timezone.now() + timedelta(days=10))
    outage_approve(notice=notice, by=manager)
    outage_publish(notice=fresh(notice), by=manager)
    login(client, dispatcher)
    assert 'id="edit-notice"' not in client.get(reverse("outages:detail", args=[notice.number])).content.decode()
    response = client.get(reverse("outages:edit", args=[notice.number]))
    assert response.status_code == 302 and response["Location"] == reverse("outages:detail", args=[notice.number])
    response = client.post(reverse("outages:edit", args=[notice.number]), valid_data(grid, area_zh_hans="偷改"))
    assert response.status_code == 302
    assert fresh(notice).area_zh_hans == "人民路一带"
    assert not notice.history.filter(history_change_reason="outages.edit").exists()


def test_edit_refused_when_the_notice_was_published_meanwhile(client, dispatcher, manager, grid):
    """The form was opened on a draft; the notice got published before the save: the save is refused."""
    from supply_service.outages.services import outage_update
    from supply_service.outages.views import editor

    notice = make_notice(dispatcher, kind="emergency", areas=[grid["area"]], start=timezone.now())
    form = editor.NoticeForm(valid_data(grid, kind="emergency", area_zh_hans="偷改"), instance=fresh(notice),
                             office=notice.office)
    assert form.is_valid()
    outage_publish(notice=fresh(notice), by=dispatcher)
    with pytest.raises(Exception) as refused:
        outage_update(notice=form.instance, by=dispatcher, **form.create_kwargs())
    assert type(refused.value).__name__ in ("TransitionNotAllowed", "ConcurrentTransition")
    assert fresh(notice).area_zh_hans == "人民路一带"


def test_user_without_an_office_cannot_draft(client, grid):
    from tests.factories.core import UserFactory

    roaming = UserFactory(username="roaming", office=None, roles=["dispatcher"])
    login(client, roaming)
    response = client.post(reverse("outages:new"), valid_data(grid))
    assert response.status_code == 302 and not OutageNotice.objects.exists()


def test_editor_reads_a_constant_number_of_queries(client, dispatcher, grid, office, django_assert_max_num_queries):
    Customer.objects.bulk_create([
        Customer(account_number=f"{3200000000 + i}", name="客户甲", category="residential", voltage="220v",
                 address="x", office=office, feeder=grid["feeder"], transformer_area=grid["area"])
        for i in range(300)
    ])
    notice = make_notice(dispatcher, areas=[grid["area"]])
    login(client, dispatcher)
    with django_assert_max_num_queries(15):  # measured: 14
        assert client.get(reverse("outages:edit", args=[notice.number])).status_code == 200


def test_times_are_beijing_time_whatever_zone_is_active():
    from zoneinfo import ZoneInfo

    from supply_service.outages.forms import RescheduleForm

    with timezone.override(ZoneInfo("America/New_York")):
        form = RescheduleForm({"start": "2099-12-20T09:00", "end": "2099-12-20T10:30"})
        assert form.is_valid()
        assert form.cleaned_data["start"] == datetime(2099, 12, 20, 1, 0, tzinfo=UTC)
        shown = form.fields["start"].prepare_value(datetime(2099, 12, 20, 1, 0, tzinfo=UTC))
        assert shown.strftime("%Y-%m-%d %H:%M") == "2099-12-20 09:00"
