"""The outbox's attachment (core migration 0019): an e-mail carries it as a file part, SMS ignores it, the bulk
INSERT … SELECT path leaves it empty."""

import pytest
from django.core import mail

from supply_service.core.models import Office, Outbox
from supply_service.core.services.outbox import outbox_deliver, outbox_enqueue, outbox_insert_select
from supply_service.core.sms import LocmemSmsBackend

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def clean_sms():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.mark.django_db
def test_email_carries_the_attachment_as_a_file_part():
    message = outbox_enqueue(key="att-1", channel="email", recipient="a@example.cn", subject="S", body="B",
                             attachment=("visit.ics", "text/calendar", ICS))
    assert outbox_deliver(pk=message.pk)
    sent = mail.outbox[-1]
    assert sent.attachments == [("visit.ics", ICS, "text/calendar")]
    raw = sent.message()
    parts = [p for p in raw.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_filename() == "visit.ics"
    assert "BEGIN:VCALENDAR" in parts[0].get_payload(decode=True).decode()


@pytest.mark.django_db
def test_email_without_attachment_has_none():
    message = outbox_enqueue(key="att-2", channel="email", recipient="a@example.cn", subject="S", body="B")
    assert outbox_deliver(pk=message.pk)
    assert mail.outbox[-1].attachments == []
    assert Outbox.objects.get(pk=message.pk).attachment_name == ""


@pytest.mark.django_db
def test_sms_ignores_the_attachment():
    message = outbox_enqueue(key="att-3", channel="sms", recipient="13800000000", body="您好",
                             attachment=("visit.ics", "text/calendar", ICS))
    assert outbox_deliver(pk=message.pk)
    assert LocmemSmsBackend.outbox == [{"to": "13800000000", "body": "您好", "reference": "att-3"}]


@pytest.mark.django_db
def test_insert_select_leaves_the_attachment_empty():
    from django.db.models import CharField, Value
    from django.db.models.functions import Concat

    office = Office.objects.create(name="Attach office", code="att", address="1 Road")
    written = outbox_insert_select(rows=Office.objects.filter(pk=office.pk), channel="sms",
                                   key=Concat(Value("att-ins-"), "code", output_field=CharField()),
                                   recipient=Value("13800000001"), body=Value("x"))
    assert written == 1
    row = Outbox.objects.get(idempotency_key="att-ins-att")
    assert (row.attachment_name, row.attachment_type, row.attachment_content) == ("", "", "")
