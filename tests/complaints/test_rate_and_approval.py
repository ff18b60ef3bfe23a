"""Issue 13, closing gaps: the kiosk's suggestion box is rate-limited per bound terminal (its signed id and the
address, Policy `feedback_kiosk_rate_*`) while the web form keeps its per-address limit; a custodian's approval to
read a reporter's identity serves one read within Policy `complaint_identity_approval_hours`."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supply_service.complaints import services_identity
from supply_service.complaints.models import Complaint
from supply_service.core.http import TERMINAL_COOKIE
from supply_service.core.models import PersonalDataAccess, Policy
from tests.factories import complaints as make

pytestmark = pytest.mark.django_db


def _post(client, office, where="public_feedback:kiosk", n=0):
    return client.post(reverse(where), {"kind": "suggestion", "office": office.pk, "summary": "多设座椅",
                                        "description": f"等候区座椅不够 {n}", "from": "kiosk"})


def _terminal(office) -> Client:
    """A kiosk terminal bound to the office (signed office and terminal cookies), at the office's one address."""
    terminal = Client()
    assert terminal.get(reverse("kiosk:office", args=[office.code])).status_code == 302
    assert terminal.cookies[TERMINAL_COOKIE].value
    return terminal


@pytest.fixture
def limits(office, handler):
    Policy.objects.filter(code="feedback_rate_max").update(value=1)
    Policy.objects.filter(code="feedback_kiosk_rate_max").update(value=2)
    return office


def test_kiosk_terminals_behind_one_address_are_each_limited_on_their_own(limits):
    first, second = _terminal(limits), _terminal(limits)
    assert [_post(first, limits, n=n).status_code for n in range(3)] == [200, 200, 429]
    assert [_post(second, limits, n=n).status_code for n in range(3)] == [200, 200, 429]
    assert Complaint.objects.filter(channel="kiosk").count() == 4


def test_the_web_form_keeps_its_per_address_limit_beside_the_kiosks(limits):
    terminal = _terminal(limits)
    assert _post(terminal, limits).status_code == 200
    browser = Client()  # the same address, no terminal: the web form's policy
    assert [_post(browser, limits, where="public_feedback:new", n=n).status_code for n in range(2)] == [200, 429]
    assert _post(terminal, limits, n=9).status_code == 200  # the terminal's own count is untouched


def test_claiming_the_kiosk_without_a_bound_terminal_counts_by_address(limits):
    browser = Client()
    browser.cookies[TERMINAL_COOKIE] = "forged-terminal-id"  # not signed: ignored
    assert [_post(browser, limits, n=n).status_code for n in range(2)] == [200, 429]


def test_the_kiosk_rate_policies_are_seeded_by_migration():
    assert set(Policy.objects.filter(code__startswith="feedback_kiosk_rate").values_list("code", flat=True)) == {
        "feedback_kiosk_rate_max", "feedback_kiosk_rate_minutes"}
    assert Policy.objects.filter(code="complaint_identity_approval_hours").exists()


@pytest.fixture
def report(handler):
    return make.report(handler, identity={"name": "赵举报", "phone": "13600002222"})


def _approve(report, handler, manager, *, hours_ago=0):
    request = services_identity.identity_request_create(complaint=report, by=handler, reason="当面核实")
    return services_identity.identity_request_decide(request=request, by=manager, approve=True,
                                                      at=timezone.now() - timedelta(hours=hours_ago))


def test_an_approval_serves_one_read_then_a_new_request_is_needed(report, handler, manager):
    _approve(report, handler, manager)
    assert services_identity.identity_read(complaint=report, by=handler, reason="核实", where="test").name == "赵举报"
    with pytest.raises(PermissionDenied):
        services_identity.identity_read(complaint=report, by=handler, reason="再看一次", where="test")
    assert PersonalDataAccess.objects.count() == 1
    _approve(report, handler, manager)
    services_identity.identity_read(complaint=report, by=handler, reason="第二次核实", where="test")
    assert PersonalDataAccess.objects.count() == 2


def test_an_approval_expires_after_the_policy_hours(report, handler, manager):
    Policy.objects.filter(code="complaint_identity_approval_hours").update(value=24)
    _approve(report, handler, manager, hours_ago=25)
    with pytest.raises(PermissionDenied):
        services_identity.identity_read(complaint=report, by=handler, reason="核实", where="test")
    assert not PersonalDataAccess.objects.exists()
    Policy.objects.filter(code="complaint_identity_approval_hours").update(value=48)  # a manager's number counts
    services_identity.identity_read(complaint=report, by=handler, reason="核实", where="test")


def test_the_item_page_offers_a_new_request_once_the_approval_is_used(client, report, handler, manager):
    _approve(report, handler, manager)
    client.force_login(handler)
    page = reverse("complaints:detail", args=[report.number])
    assert 'id="identity-read-form"' in client.get(page).content.decode()
    response = client.post(reverse("complaints:identity", args=[report.number]), {"identity-reason": "核实"})
    assert response.status_code == 200 and "赵举报" in response.content.decode()
    again = client.get(page).content.decode()
    assert 'id="identity-read-form"' not in again and "identity_request" in again
    refused = client.post(reverse("complaints:identity", args=[report.number]), {"identity-reason": "再看"})
    assert "赵举报" not in refused.content.decode()
