"""The public feedback form and the tracking page (S13.1): no login, honeypot, rate limit from Policy, anonymous
reports, the promise of the kind with its limit from the Commitment table, hostile input."""

import re

import pytest
from django.urls import reverse

from supply_service.complaints.models import Complaint, PublicSubmission
from supply_service.core.models import Commitment, Outbox, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiving_office(office, handler):
    return office


def _post(client, where, **data):
    body = {"kind": "complaint", "office": where.pk, "summary": "停电没通知", "description": "昨天停电没有任何通知。",
            "phone": "13700001234", **data}
    return client.post(reverse("public_feedback:new"), body)


def _code_and_secret(response):
    text = response.content.decode()
    code = re.search(r'id="tracking-code">([^<]+)<', text).group(1)
    secret = re.search(r'id="tracking-secret">([^<]+)<', text).group(1)
    return code, secret


def test_public_complaint_gets_a_code_a_secret_and_the_promise_S13_1(client, receiving_office):
    Commitment.objects.filter(code="complaint_reply").update(limit=4)
    response = _post(client, receiving_office)
    assert response.status_code == 200
    code, secret = _code_and_secret(response)
    item = Complaint.objects.get(number=code)
    assert item.channel == "web" and item.tracking_secret != secret
    assert "4" in response.content.decode()  # the promise names the limit of the table, not a literal
    ack = Outbox.objects.get(recipient="13700001234")
    assert code in ack.body and secret not in ack.body


def test_tracking_shows_the_state_with_code_and_secret_only(client, receiving_office):
    code, secret = _code_and_secret(_post(client, receiving_office))
    url = reverse("public_feedback:track")
    ok = client.post(url, {"code": code, "secret": secret})
    assert ok.status_code == 200 and 'data-state="received"' in ok.content.decode()
    wrong = client.post(url, {"code": code, "secret": "wrong-secret"})
    assert wrong.status_code == 404 and 'data-state=' not in wrong.content.decode()


def test_anonymous_report_is_allowed_and_sends_nothing(client, receiving_office):
    response = _post(client, receiving_office, kind="report", phone="", description="收费员私自加价。")
    assert response.status_code == 200
    item = Complaint.objects.get()
    assert item.kind == "report" and item.anonymous and not Outbox.objects.exists()


def test_honeypot_saves_nothing(client, receiving_office):
    response = _post(client, receiving_office, website="http://spam.example")
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_spam_burst_is_rate_limited_by_policy(client, receiving_office):
    Policy.objects.filter(code="feedback_rate_max").update(value=3)
    statuses = [_post(client, receiving_office, description=f"第 {n} 条").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert Complaint.objects.count() == 3


@pytest.mark.parametrize("value", ["\x00", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --"])
def test_hostile_input_never_500(client, receiving_office, value):
    response = _post(client, receiving_office, description=value, summary=value, name=value, phone=value,
                     office=value if value != "<script>alert(1)</script>" else receiving_office.pk)
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_track_hostile_input(client, receiving_office):
    for code in ("\x00", "x" * 500, "KS-99999999-9999"):
        assert client.post(reverse("public_feedback:track"), {"code": code, "secret": "s"}).status_code in (400, 404)
    assert PublicSubmission.objects.count() <= 3


def test_uyghur_page_renders_right_to_left(client, receiving_office):
    response = client.get(reverse("public_feedback:new"), HTTP_ACCEPT_LANGUAGE="ug")
    assert response.status_code == 200 and 'dir="rtl"' in response.content.decode()


def test_tracking_service_refuses_impossible_codes_without_a_query_error():
    from supply_service.complaints.services_public import public_track

    for code, secret in [("\x00", "x"), ("KS-20261202-0001", "\x00"), ("x" * 500, "s"), ("", "")]:
        assert public_track(code=code, secret=secret) is None
