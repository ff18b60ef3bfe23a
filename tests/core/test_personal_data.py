"""Issue 10, fault 16 (PIPL): looks at a customer's unmasked details and exports of personal data are logged;
exports need `core.export_personal_data` (managers) and a reason; auditors alone read the log, nobody edits it."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from supply_service.core.models import PersonalDataAccess
from tests.factories import tickets as make
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def admin_user(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def export(client, pks, **extra):
    return client.post(reverse("admin:tickets_repairticket_changelist"),
                       {"action": "export_csv", "_selected_action": [str(pk) for pk in pks], **extra})


def test_issue10_fault16_the_staff_customer_page_logs_who_saw_whom(client, office, clerk):
    customer = CustomerFactory(office=office)
    login(client, clerk).get(reverse("customers:detail", args=[customer.pk]))
    entry = PersonalDataAccess.objects.get()
    assert entry.user == clerk and entry.action == "view" and entry.object_id == customer.pk
    assert entry.label == customer.account_number and entry.where == "staff page"


def test_issue10_fault16_the_customer_admin_page_is_logged_too(client, office, manager):
    customer = CustomerFactory(office=office)
    login(client, admin_user(manager)).get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert PersonalDataAccess.objects.filter(action="view", where="admin", object_id=customer.pk).exists()


def test_issue10_fault16_an_export_asks_the_reason_and_is_logged(client, manager, agent):
    tickets = [make.repair(agent) for _ in range(3)]
    login(client, admin_user(manager))
    asked = export(client, [t.pk for t in tickets])
    assert asked.status_code == 200 and not isinstance(asked, StreamingHttpResponse)
    assert 'name="reason"' in asked.content.decode() and not PersonalDataAccess.objects.exists()
    empty = export(client, [t.pk for t in tickets], reason="  ")
    assert not isinstance(empty, StreamingHttpResponse) and not PersonalDataAccess.objects.exists()
    done = export(client, [t.pk for t in tickets[:2]], reason="季度服务质量核查")
    assert isinstance(done, StreamingHttpResponse)
    entry = PersonalDataAccess.objects.get()
    assert entry.user == manager and entry.action == "export" and entry.record_count == 2
    assert entry.reason == "季度服务质量核查"


def test_issue10_fault16_export_is_refused_without_the_permission(client, office, agent):
    from django.contrib.auth.models import Permission

    ticket = make.repair(agent)
    viewer = UserFactory(username="viewer", office=office, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_repairticket"))
    response = export(login(client, viewer), [ticket.pk], reason="想看看")
    assert not isinstance(response, StreamingHttpResponse)
    assert not PersonalDataAccess.objects.exists()


def test_issue10_fault16_only_auditors_read_the_log_and_nobody_changes_it(client, office, auditor, manager, clerk):
    customer = CustomerFactory(office=office)
    login(client, clerk).get(reverse("customers:detail", args=[customer.pk]))
    entry = PersonalDataAccess.objects.get()
    changelist = reverse("admin:core_personaldataaccess_changelist")
    change = reverse("admin:core_personaldataaccess_change", args=[entry.pk])
    login(client, admin_user(manager))
    assert client.get(changelist).status_code == 403
    login(client, admin_user(auditor))
    listing = client.get(changelist)
    assert listing.status_code == 200 and customer.account_number in listing.content.decode()
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    root = UserFactory(username="root", office=office, is_staff=True, is_superuser=True)
    login(client, root)
    assert client.post(change, {"reason": "改"}).status_code == 403
    assert client.post(reverse("admin:core_personaldataaccess_delete", args=[entry.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_personaldataaccess_add")).status_code == 403
    assert PersonalDataAccess.objects.get(pk=entry.pk).reason == ""
