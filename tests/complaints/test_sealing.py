"""The reporter's identity is sealed (issue 13): every page and export, as every role, shows it only where allowed;
history tables hold no identity field; reports need a custodian; every read is logged; erasure after retention."""

import logging
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from supply_service.complaints import services, services_identity
from supply_service.complaints.models import Complaint, ReporterIdentity
from supply_service.core.models import Outbox, PersonalDataAccess
from tests.conftest import _role_user
from tests.factories import complaints as make

pytestmark = pytest.mark.django_db
SECRET_VALUES = list(make.IDENTITY.values())
REPORTER = {"name": "赵举报", "phone": "13600002222", "address": "和平街 99 号", "id_number": "650102198512129876",
            "email": "whistle@example.cn"}
OUTBOX = "/admin/core/outbox/"
ROLES = ["counter_clerk", "agent_95598", "dispatcher", "field_crew", "complaint_handler", "auditor", "manager"]


@pytest.fixture
def items(handler, manager):
    complaint = make.walk(make.complaint(handler, channel="mail"), handler=handler, approver=manager)
    report = make.report(handler, identity=REPORTER)
    return {"complaint": complaint, "report": report}


def _pages(items) -> list[str]:
    urls = [reverse("complaints:list"), reverse("complaints:list") + "?scope=office&q=KS", "/",
            reverse("admin:complaints_complaint_changelist"), reverse("admin:core_outbox_changelist"),
            reverse("admin:core_personaldataaccess_changelist")]
    for item in items.values():
        urls += [reverse("complaints:detail", args=[item.number]),
                 reverse("admin:complaints_complaint_change", args=[item.pk])]
        if item.reply_text:
            urls.append(reverse("complaints:letter", args=[item.number]))
    return urls


def test_identity_appears_on_no_page_as_any_role(client, items, office, caplog):
    caplog.set_level(logging.DEBUG)
    for role in ROLES:
        user = _role_user(role, office, f"seal-{role}")
        user.is_staff = role in ("auditor", "manager")
        user.save()
        client.force_login(user)
        for url in _pages(items):
            body = client.get(url).content.decode()
            # A complainant's phone and e-mail are the recipients of the acknowledgement in the kernel's outbox
            # (managers and auditors see recipients there, as for every ticket); a reporter's never are.
            shown = SECRET_VALUES[:1] + SECRET_VALUES[2:4] if url.startswith(OUTBOX) else SECRET_VALUES
            for value in [*shown, *REPORTER.values()]:
                assert value not in body, f"{value} shown to {role} on {url}"
    assert not any(value in caplog.text for value in [*SECRET_VALUES, *REPORTER.values()])


def test_history_tables_hold_no_identity(items):
    assert not hasattr(ReporterIdentity, "history")
    historical = Complaint.history.model
    names = {f.name for f in historical._meta.fields}
    assert not {"name", "address", "id_number", "email"} & names
    for row in historical.objects.values():
        assert not any(value in str(row) for value in [*SECRET_VALUES, *REPORTER.values()])


def test_report_sends_nothing_to_the_outbox_and_no_text_names_anyone(items):
    bodies = " ".join(Outbox.objects.values_list("body", flat=True))
    assert not any(value in bodies for value in [*SECRET_VALUES, *REPORTER.values()])
    assert not Outbox.objects.filter(body__contains=items["report"].number).exists()
    assert not Outbox.objects.filter(recipient__in=[REPORTER["phone"], REPORTER["email"]]).exists()


def test_report_identity_needs_an_approved_request_and_every_read_is_logged(items, handler, manager):
    report = items["report"]
    with pytest.raises(PermissionDenied):
        services_identity.identity_read(complaint=report, by=handler, reason="核实", where="test")
    request = services_identity.identity_request_create(complaint=report, by=handler, reason="需要当面核实")
    with pytest.raises(PermissionDenied):  # a handler is no custodian
        services_identity.identity_request_decide(request=request, by=handler, approve=True)
    own = services_identity.identity_request_create(complaint=report, by=manager, reason="复核")
    with pytest.raises(ValidationError):  # a custodian does not approve their own request
        services_identity.identity_request_decide(request=own, by=manager, approve=True)
    services_identity.identity_request_decide(request=request, by=manager, approve=True)
    with pytest.raises(ValidationError):  # a reason for every read
        services_identity.identity_read(complaint=report, by=handler, reason=" ", where="test")
    identity = services_identity.identity_read(complaint=report, by=handler, reason="当面核实", where="test")
    assert identity.name == REPORTER["name"]
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.reason, log.label) == (handler, "当面核实", report.number)
    with pytest.raises(PermissionDenied):  # the manager has no approved request of their own
        services_identity.identity_read(complaint=report, by=manager, reason="看看", where="test")


def test_roles_without_the_permission_never_read(items, office):
    for role in ("counter_clerk", "agent_95598", "auditor", "dispatcher"):
        user = _role_user(role, office, f"r-{role}")
        with pytest.raises(PermissionDenied):
            services_identity.identity_read(complaint=items["complaint"], by=user, reason="x", where="test")


def test_the_staff_member_concerned_never_sees_the_report(client, handler, office):
    accused = _role_user("complaint_handler", office, "accused")
    report = make.report(handler, concerned_staff=accused)
    client.force_login(accused)
    assert client.get(reverse("complaints:detail", args=[report.number])).status_code == 404
    assert report.number not in client.get(reverse("complaints:list") + "?scope=office").content.decode()
    with pytest.raises(PermissionDenied):
        services_identity.identity_read(complaint=report, by=accused, reason="x", where="test")
    with pytest.raises(PermissionDenied):
        services.complaint_transition(complaint=report, action="accept", by=accused, category="misconduct")
    report = services.complaint_transition(complaint=Complaint.objects.get(pk=report.pk), action="accept",
                                           by=handler, category="misconduct")
    with pytest.raises(ValidationError):  # nor investigates it
        services.complaint_transition(complaint=report, action="assign", by=handler, handler=accused)


def test_identity_is_erased_after_the_retention_period(handler, manager):
    item = make.complaint(handler)
    services.complaint_transition(complaint=item, action="reject", by=handler, reason="重复来件")
    assert services_identity.identity_erase_expired(now=timezone.now()) == 0
    later = timezone.now() + timedelta(days=4000)
    assert services_identity.identity_erase_expired(now=later) == 1
    identity = ReporterIdentity.objects.get(complaint=item)
    assert identity.is_empty and identity.erased_at == later
    assert item.history.filter(history_change_reason="complaints.erase_identity").exists()


def test_reply_clock_crosses_the_national_day_holidays_S13_5(handler):
    """A complaint received on 28 September: its 5-day limit falls in the National Day holidays and moves to the
    next working day (the kernel's deadline rule)."""
    from supply_service.core.models import SlaClock
    from supply_service.core.services.calendar import is_working_day

    at = timezone.make_aware(datetime(2026, 9, 28, 10, 0))
    item = make.complaint(handler, at=at)
    clock = SlaClock.objects.get(object_id=item.pk, commitment__code="complaint_reply")
    due = timezone.localtime(clock.due_at).date()
    assert due > (at + timedelta(days=5)).date() and is_working_day(due)
